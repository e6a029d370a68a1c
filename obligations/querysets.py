"""Reusable queries of review cycles, assessments and evidence. `visible_to(user)` is the access
policy's scope (agencies.policy), the one rule for every list, fetch, export and download."""

from agencies.policy import ScopedQuerySet
from obligations.choices import CycleState


class ReviewCycleQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(state=CycleState.PUBLISHED)


class AssessmentQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(cycle__state=CycleState.PUBLISHED)


class EvidenceQuerySet(ScopedQuerySet):
    def public(self):
        return self.filter(confidential=False, assessment__cycle__state=CycleState.PUBLISHED)
