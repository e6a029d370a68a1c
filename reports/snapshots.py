"""Frozen scorecards of published cycles: written once by `freeze_cycle` and read back by
reports.scorecards. A published cycle keeps the scores it was published with, even if the method
changes later.

Publishing a cycle (obligations.signals.cycle_published) records a queued `CycleFreeze` and, once
the publication commits, enqueues the `reports.freeze_cycle` task: the admin request returns at
once and the admin shows the progress ("congelando 40 %"). Until the national snapshot exists the
pages compute the cycle's figures live and say so (`pending_freeze`); the freeze writes the agency
snapshots in batches and the national one last, so a reader never sees a partial set.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency
from obligations.choices import CycleState
from obligations.models import Assessment, ReviewCycle
from reports import computing, figures
from reports.models import CycleFreeze, FreezeState, ScorecardSnapshot
from reports.models.freezing import STALE_AFTER

logger = logging.getLogger(__name__)

# Agencies per INSERT (one transaction each, progress written after each): ~200 rows of JSON
# of a few hundred KiB in all.
BATCH_AGENCIES = 25


def freeze_cycle(cycle: ReviewCycle, *, force: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
    """Store the frozen scorecards of a published cycle (one per agency with assessments, and
    the national one, written last). Idempotent: a complete set of the same publication is kept
    unless `force`; snapshots of an earlier publication, or a partial set, are replaced.
    `progress(done, total)` is called after each batch. Returns the number of snapshots written.

    Callers that may run at the same time go through `run_freeze`, which lets one of them in."""
    if cycle.state != CycleState.PUBLISHED:
        raise ValueError(f"Only published cycles are frozen ({cycle.slug} is {cycle.state}).")
    current = national_snapshot(cycle)
    if not force and current.exists():
        return 0
    ScorecardSnapshot.objects.filter(cycle=cycle).delete()  # stale, partial or forced

    previous = ReviewCycle.objects.published().filter(period_end__lt=cycle.period_end).order_by("-period_end").first()
    all_assessments = Assessment.objects.filter(cycle=cycle)
    previous_assessments = Assessment.objects.filter(cycle=previous) if previous else None
    national, per_agency = computing.compute_frozen(cycle, all_assessments, previous_assessments, previous)
    recommendations = computing.recommendations_by_agency(cycle, list(per_agency))
    # Frozen too: "se pide desde <año>" as the recurring asks stood at publication.
    figures.mark_asked_since([rec for recs in recommendations.values() for rec in recs], cycle.period_end.year)
    names = {
        agency.pk: agency.name_at(cycle.period_end)
        for agency in Agency.objects.filter(pk__in=list(per_agency)).prefetch_related("former_names")
    }

    def snapshot(agency_id, summary, rows):
        return ScorecardSnapshot(
            cycle=cycle,
            agency_id=agency_id,
            methodology_version=cycle.methodology_version,
            cycle_published_at=cycle.published_at,
            summary=summary,
            rows=rows,
        )

    bases = _take_bases(per_agency)
    agency_ids = list(per_agency)
    total = len(agency_ids) + 1
    written = 0
    if progress:
        progress(0, total)
    try:
        for start in range(0, len(agency_ids), BATCH_AGENCIES):
            batch = []
            for agency_id in agency_ids[start : start + BATCH_AGENCIES]:
                summary, rows = per_agency.pop(agency_id)  # let each batch's rows go once written
                summary["recommendations"] = recommendations.get(agency_id, [])
                summary["agency_then"] = names[agency_id].as_dict()
                batch.append(snapshot(agency_id, summary, rows))
            with transaction.atomic():
                ScorecardSnapshot.objects.bulk_create(batch)
            written += len(batch)
            if progress:
                progress(written, total)
        with transaction.atomic():
            ScorecardSnapshot.objects.bulk_create([snapshot(None, national, bases)])
    except IntegrityError:
        return 0  # frozen meanwhile by a caller outside run_freeze: theirs stands
    written += 1
    if progress:
        progress(written, total)
    return written


def run_freeze(cycle: ReviewCycle, *, force: bool = False) -> int:
    """Freeze `cycle` under its `CycleFreeze` row: claimed with a conditional update (so two
    workers, a redelivered task and a reader never freeze the same cycle at once), progress
    written as it goes, DONE or FAILED at the end. Returns the snapshots written; 0 when already
    frozen, or when someone else holds a live claim."""
    freeze, _created = CycleFreeze.objects.get_or_create(
        cycle=cycle, defaults={"cycle_published_at": cycle.published_at}
    )
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable = Q(state__in=[FreezeState.QUEUED, FreezeState.FAILED, FreezeState.DONE]) | Q(
        state=FreezeState.RUNNING, updated_at__lt=now - STALE_AFTER
    )
    claimed = (
        CycleFreeze.objects.filter(pk=freeze.pk)
        .filter(claimable)
        .update(
            state=FreezeState.RUNNING,
            token=token,
            cycle_published_at=cycle.published_at,
            done=0,
            total=0,
            error="",
            updated_at=now,
            finished_at=None,
        )
    )
    if not claimed:
        return 0
    mine = CycleFreeze.objects.filter(pk=freeze.pk, token=token)

    def progress(done: int, total: int) -> None:
        mine.update(done=done, total=total, updated_at=timezone.now())

    try:
        written = freeze_cycle(cycle, force=force, progress=progress)
    except Exception as exc:
        mine.update(state=FreezeState.FAILED, error=str(exc)[:2000], updated_at=timezone.now())
        raise
    mine.update(state=FreezeState.DONE, updated_at=timezone.now(), finished_at=timezone.now())
    return written


def _take_bases(per_agency: dict) -> list[dict]:
    """The legal basis of each obligation, taken out of every agency's rows and kept once, in the
    national snapshot's rows (`restore_bases` puts it back when rows are read): the same basis
    repeated for every agency was most of what a freeze wrote."""
    bases: dict[str, dict] = {}
    for _summary, rows in per_agency.values():
        for row in rows:
            citation, basis = row.pop("legal_basis"), row.pop("basis")
            bases.setdefault(row["code"], {"code": row["code"], "legal_basis": citation, "basis": basis})
    return list(bases.values())


def restore_bases(cycle: ReviewCycle, rows: list[dict]) -> None:
    """Give frozen agency rows back their `legal_basis` and `basis` (kept once per obligation in the
    national snapshot, `_take_bases`); rows frozen before that carry their own and are left as they
    are. One query."""
    if not rows or "basis" in rows[0]:
        return
    kept = national_snapshot(cycle).values_list("rows", flat=True).first() or []
    by_code = {entry["code"]: entry for entry in kept}
    for row in rows:
        entry = by_code.get(row["code"], {})
        row["legal_basis"] = entry.get("legal_basis", "")
        row["basis"] = entry.get("basis")


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
    """Receiver of obligations.signals.cycle_published (inside the publishing transaction): record
    a queued freeze and enqueue the task once the publication commits (never before: the worker
    must see the published cycle; never after a rollback)."""
    from reports import tasks

    CycleFreeze.objects.update_or_create(
        cycle=cycle,
        defaults={
            "cycle_published_at": cycle.published_at,
            "state": FreezeState.QUEUED,
            "done": 0,
            "total": 0,
            "token": "",
            "error": "",
            "queued_at": timezone.now(),
            "updated_at": timezone.now(),
            "finished_at": None,
        },
    )
    cycle_id = cycle.pk
    transaction.on_commit(lambda: tasks.enqueue_freeze(cycle_id))


def pending_freeze(cycle: ReviewCycle) -> CycleFreeze | None:
    """None when the published cycle's snapshots are there to read. Otherwise the `CycleFreeze`
    under way (queued, running or failed): the pages then compute the figures live and say so. A
    published cycle with no freeze on record (published before freezing was a task, or loaded as
    data) is frozen now, once, by its first reader."""
    if national_snapshot(cycle).exists():
        return None
    freeze = CycleFreeze.objects.filter(cycle=cycle).first()
    if freeze is not None and freeze.cycle_published_at == cycle.published_at and not freeze.is_ready:
        # The task's to do (or failed: the admin shows why and freezes again). A queued freeze
        # no worker took up for STALE_AFTER (the broker was down) is done by this reader.
        if freeze.state != FreezeState.QUEUED or freeze.queued_at > timezone.now() - STALE_AFTER:
            return freeze
    run_freeze(cycle)
    if national_snapshot(cycle).exists():
        return None
    return CycleFreeze.objects.filter(cycle=cycle).first()


def generation(cycle: ReviewCycle) -> str | None:
    """What names the frozen figures of a published cycle in cache keys: changes on every freeze
    (publication, re-publication, `freeze_scorecards --force`). None while the cycle is not
    published, or not frozen yet: such pages are computed live and never cached. Reads
    `cycle.freeze` (select it with the cycle: `select_related("freeze")`)."""
    if cycle.state != CycleState.PUBLISHED:
        return None
    try:
        freeze = cycle.freeze
    except CycleFreeze.DoesNotExist:
        return None
    if freeze.state != FreezeState.DONE or freeze.cycle_published_at != cycle.published_at:
        return None
    return f"{freeze.pk}.{freeze.finished_at.timestamp() if freeze.finished_at else 0}"
