"""Signals other apps listen to (no app imports another app's services to react to an event).

- `cycle_published(sender=ReviewCycle, cycle, by)`: sent inside the publishing transaction, once
  the cycle is published; the reports app freezes the cycle's scorecards in response
  (reports.apps connects it).
"""

from django.dispatch import Signal

cycle_published = Signal()
