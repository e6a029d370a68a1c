"""Frozen scorecards of published cycles: written once by `freeze_cycle` (in response to the
cycle's publication, obligations.signals.cycle_published) and read back by reports.scorecards. A
published cycle keeps the scores it was published with, even if the method changes later.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from agencies.models import Agency
from obligations.choices import CycleState
from obligations.models import Assessment, ReviewCycle
from reports import computing
from reports.models import ScorecardSnapshot


def freeze_cycle(cycle: ReviewCycle, *, force: bool = False) -> int:
    """Store the frozen scorecards of a published cycle (one per agency with assessments, and
    the national one). Idempotent: existing snapshots of the same publication are kept unless
    `force`; snapshots of an earlier publication of the cycle are replaced. Returns the number
    of snapshots written."""
    if cycle.state != CycleState.PUBLISHED:
        raise ValueError(f"Only published cycles are frozen ({cycle.slug} is {cycle.state}).")
    with transaction.atomic():
        existing = ScorecardSnapshot.objects.filter(cycle=cycle)
        stale = existing.exclude(cycle_published_at=cycle.published_at) if cycle.published_at else existing.none()
        if force:
            existing.delete()
        elif stale.exists():
            stale.delete()
        elif existing.filter(agency__isnull=True).exists():
            return 0
        else:
            existing.delete()  # a partial set (interrupted freeze): start over

        previous = (
            ReviewCycle.objects.published().filter(period_end__lt=cycle.period_end).order_by("-period_end").first()
        )
        all_assessments = Assessment.objects.filter(cycle=cycle)
        national, summaries = computing.compute_national(
            cycle,
            all_assessments,
            Assessment.objects.filter(cycle=previous) if previous else None,
            previous,
        )
        per_agency = computing.compute_rows_by_agency(
            cycle, all_assessments, Assessment.objects.filter(cycle=previous) if previous else None, previous
        )
        recommendations = computing.recommendations_by_agency(cycle, list(per_agency))
        names = {
            agency.pk: agency.name_at(cycle.period_end)
            for agency in Agency.objects.filter(pk__in=list(per_agency)).prefetch_related("former_names")
        }
        for agency_id, (summary, _rows) in per_agency.items():
            summary["recommendations"] = recommendations.get(agency_id, [])
            summary["agency_then"] = names[agency_id].as_dict()
        snapshots = [
            ScorecardSnapshot(
                cycle=cycle,
                agency=None,
                methodology_version=cycle.methodology_version,
                cycle_published_at=cycle.published_at,
                summary=national,
                rows=[],
            )
        ]
        for agency_id, (summary, rows) in per_agency.items():
            snapshots.append(
                ScorecardSnapshot(
                    cycle=cycle,
                    agency_id=agency_id,
                    methodology_version=cycle.methodology_version,
                    cycle_published_at=cycle.published_at,
                    summary=summary,
                    rows=rows,
                )
            )
        try:
            with transaction.atomic():
                ScorecardSnapshot.objects.bulk_create(snapshots, batch_size=200)
        except IntegrityError:
            return 0  # another request froze the cycle at the same time: theirs stands
    return len(snapshots)


def agency_snapshot(cycle: ReviewCycle, agency: Agency) -> ScorecardSnapshot | None:
    """The frozen scorecard of one agency (its `rows` deferred: loaded on first access)."""
    qs = ScorecardSnapshot.objects.filter(cycle=cycle, agency=agency)
    if cycle.published_at:
        qs = qs.filter(cycle_published_at=cycle.published_at)
    return next(iter(qs.defer("rows")[:1]), None)


def national_snapshot(cycle: ReviewCycle) -> QuerySet:
    qs = ScorecardSnapshot.objects.filter(cycle=cycle, agency__isnull=True)
    if cycle.published_at:
        qs = qs.filter(cycle_published_at=cycle.published_at)
    return qs


def freeze_on_publication(sender, cycle, **kwargs) -> None:
    """Receiver of obligations.signals.cycle_published: freeze the cycle's scorecards, inside the
    publishing transaction (a publication without its snapshots never commits)."""
    freeze_cycle(cycle)


def ensure_frozen(cycle: ReviewCycle) -> None:
    """A published cycle that was never frozen (published before this code, or the freezing task
    has not run yet) is frozen now, once."""
    if not national_snapshot(cycle).exists():
        freeze_cycle(cycle)
