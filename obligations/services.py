"""Domain actions on review cycles, assessments and evidence.

Each function makes one state change plus its records (history rows with the acting user and a
reason), inside one transaction, re-reading the row under a lock so that two auditors acting at
once cannot both win. Views and admin actions call these; they never reimplement them.

Contract for other modules:
    open_cycle(slug=, name_es=, period_start=, period_end=, by=, ...) -> ReviewCycle
    close_cycle(cycle, by) -> ReviewCycle
    publish_cycle(cycle, by) -> ReviewCycle          (sends `cycle_published`: reports freezes the scorecards)
    save_rating(assessment, by, expected_version=, status=, rationale=, source_reference=) -> Assessment
    transition(assessment, name, by, reason="") -> Assessment   (obligations.workflow's table)
    submit / validate / return_to_draft: the three transitions by name
    add_evidence(assessment, by, upload=None, **fields) -> Evidence
    mark_publishable(evidence, by) -> Evidence
Errors: WorkflowError (a refused transition, Spanish message), ConflictError (stale version).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from obligations import workflow
from obligations.choices import CycleState, EvidenceKind, WorkflowState
from obligations.models import Assessment, Evidence, LockedError, Obligation, Responsibility, ReviewCycle
from obligations.signals import cycle_published
from obligations.workflow import WorkflowError

__all__ = [
    "ConflictError",
    "WorkflowError",
    "add_evidence",
    "check_version",
    "close_cycle",
    "mark_publishable",
    "open_cycle",
    "publish_cycle",
    "return_to_draft",
    "save_rating",
    "submit",
    "transition",
    "validate",
]


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


class ConflictError(Exception):
    """Someone else saved the assessment since the form was loaded (optimistic lock)."""

    def __init__(self, current: Assessment, changes: list[FieldChange], changed_by, changed_at: datetime | None):
        self.current = current
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = str(self.changed_by) if self.changed_by else _("otra persona")
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M") if self.changed_at else "?"
        head = _(
            "Conflicto de edición: %(who)s guardó esta evaluación (%(when)s) después de que usted la abrió. "
            "Sus cambios NO se guardaron."
        ) % {"who": who, "when": when}
        if self.changes:
            lines = "; ".join(
                _("%(label)s: «%(before)s» → «%(after)s»") % {"label": c.label, "before": c.before, "after": c.after}
                for c in self.changes
            )
            head += " " + _("Cambió: %(lines)s.") % {"lines": lines}
        return head


# --- helpers --------------------------------------------------------------------------


def _display(obj, field: str) -> str:
    """The human value of a field on a model instance or a historical record."""
    model_field = Assessment._meta.get_field(field)
    if model_field.is_relation:
        value = getattr(obj, model_field.attname)
        if value is None:
            return "—"
        user = model_field.related_model.objects.filter(pk=value).first()
        return str(user) if user else str(value)
    value = getattr(obj, field)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    return str(value) if value not in (None, "") else "—"


def diff_assessment(before, after, fields=Assessment.TRACKED_FIELDS) -> list[FieldChange]:
    """Field-by-field differences between two versions (instances or historical records)."""
    changes = []
    for field in fields:
        attname = Assessment._meta.get_field(field).attname
        if getattr(before, attname) != getattr(after, attname):
            changes.append(
                FieldChange(
                    field=field,
                    label=str(Assessment._meta.get_field(field).verbose_name),
                    before=_display(before, field),
                    after=_display(after, field),
                )
            )
    return changes


def _lock(assessment: Assessment) -> Assessment:
    """The stored row, locked until the end of the transaction."""
    return Assessment.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=assessment.pk)


def _sync(target: Assessment, source: Assessment) -> Assessment:
    """Copy the saved state back onto the caller's instance."""
    for field in Assessment._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def _save(assessment: Assessment, by, reason: str) -> None:
    assessment.version += 1
    assessment._history_user = by
    assessment._change_reason = reason[:100]
    assessment.save()


def check_version(current: Assessment, expected_version: int) -> None:
    """Raise ConflictError, with what changed and who changed it, when the stored version is
    not the one the editor started from. `current` must be the locked stored row."""
    if current.version == expected_version:
        return
    records = current.history.order_by("-history_date", "-history_id")
    snapshot = records.filter(version=expected_version).first()
    latest = records.first()
    changes = diff_assessment(snapshot, current) if snapshot is not None else []
    raise ConflictError(
        current,
        changes,
        changed_by=latest.history_user if latest else None,
        changed_at=latest.history_date if latest else None,
    )


def _raise_rating_errors(assessment: Assessment) -> None:
    errors = assessment.rating_errors()
    if errors:
        raise WorkflowError(errors)


# --- cycles -------------------------------------------------------------------------------


def obligations_in_force(period_start: date, period_end: date):
    """Obligations in force at some point of the period."""
    return Obligation.objects.filter(
        Q(in_force_from__isnull=True) | Q(in_force_from__lte=period_end),
        Q(in_force_until__isnull=True) | Q(in_force_until__gte=period_start),
    )


def planned_assessments(period_start: date, period_end: date):
    """(agency_id, obligation_id) pairs a cycle over this period will hold: one per responsible
    agency × obligation in force."""
    return (
        Responsibility.objects.filter(obligation__in=obligations_in_force(period_start, period_end))
        .values_list("agency_id", "obligation_id")
        .order_by("obligation__code", "agency__acronym")
        .distinct()
    )


@transaction.atomic
def open_cycle(
    *,
    slug: str,
    name_es: str,
    period_start: date,
    period_end: date,
    by,
    name_en: str = "",
    methodology_version: str = "cndh-2019-v1",
    source: str = "",
) -> ReviewCycle:
    """Open a review cycle and populate it with one draft assessment per responsible agency ×
    obligation in force during the period (history rows included: bulk_create_with_history)."""
    cycle = ReviewCycle(
        slug=slug,
        name_es=name_es,
        name_en=name_en,
        period_start=period_start,
        period_end=period_end,
        methodology_version=methodology_version,
        source=source,
        state=CycleState.OPEN,
        opened_by=by,
    )
    cycle.full_clean()
    cycle._history_user = by
    cycle._change_reason = "open"
    cycle.save()
    drafts = [
        Assessment(cycle=cycle, agency_id=agency_id, obligation_id=obligation_id)
        for agency_id, obligation_id in planned_assessments(period_start, period_end)
    ]
    bulk_create_with_history(
        drafts, Assessment, batch_size=500, default_user=by, default_change_reason=_("Apertura del ciclo")
    )
    return cycle


def _set_cycle_state(cycle: ReviewCycle, by, expected: str, new: str, reason: str) -> ReviewCycle:
    current = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if current.state != expected:
        raise WorkflowError(
            _("El ciclo «%(cycle)s» está «%(state)s»; esta acción requiere que esté «%(expected)s».")
            % {
                "cycle": current,
                "state": current.get_state_display(),
                "expected": CycleState(expected).label,
            }
        )
    current.state = new
    if new == CycleState.CLOSED:
        current.closed_at = timezone.now()
    if new == CycleState.PUBLISHED:
        current.published_at = timezone.now()
    current._history_user = by
    current._change_reason = reason
    current.save()
    for field in ("state", "closed_at", "published_at"):
        setattr(cycle, field, getattr(current, field))
    return cycle


@transaction.atomic
def close_cycle(cycle: ReviewCycle, by) -> ReviewCycle:
    """open → closed: the period's data collection is over; ratings are finished and validated."""
    return _set_cycle_state(cycle, by, CycleState.OPEN, CycleState.CLOSED, "close")


@transaction.atomic
def publish_cycle(cycle: ReviewCycle, by) -> ReviewCycle:
    """closed → published, once every assessment is validated. From then on the cycle is
    read-only. Sends `cycle_published`: the reports app freezes the cycle's scorecards."""
    pending = cycle.assessments.exclude(workflow_state=WorkflowState.VALIDATED).count()
    if pending:
        raise WorkflowError(
            _("No se puede publicar «%(cycle)s»: %(n)d evaluaciones aún no están validadas.")
            % {"cycle": cycle, "n": pending}
        )
    _set_cycle_state(cycle, by, CycleState.CLOSED, CycleState.PUBLISHED, "publish")
    cycle_published.send(sender=ReviewCycle, cycle=cycle, by=by)
    return cycle


# --- assessments ----------------------------------------------------------------------


@transaction.atomic
def save_rating(
    assessment: Assessment,
    by,
    *,
    expected_version: int,
    status: str | None = None,
    rationale: str | None = None,
    source_reference: str | None = None,
) -> Assessment:
    """Save a draft rating with an optimistic lock: `expected_version` is the version the
    editor loaded; if someone saved since, ConflictError says what they changed."""
    current = _lock(assessment)
    check_version(current, expected_version)
    refusal = workflow.edit_refusal(current)
    if refusal:
        raise LockedError(refusal)
    values = {"status": status, "rationale": rationale, "source_reference": source_reference}
    changed = False
    for field, value in values.items():
        if value is not None and getattr(current, field) != value:
            setattr(current, field, value)
            changed = True
    _raise_rating_errors(current)
    if changed:
        current.reviewer = by
        _save(current, by, "rate")
    return _sync(assessment, current)


@transaction.atomic
def transition(assessment: Assessment, name: str, by, *, reason: str = "") -> Assessment:
    """Apply a workflow transition (obligations.workflow.TRANSITIONS) to the stored row, under
    a lock, with its history record. Raises WorkflowError naming why it is refused."""
    current = _lock(assessment)
    workflow.apply(current, name, by, reason=reason)
    _save(current, by, name)
    return _sync(assessment, current)


def submit(assessment: Assessment, by) -> Assessment:
    """draft → submitted, for validation by another auditor."""
    return transition(assessment, workflow.SUBMIT, by)


def validate(assessment: Assessment, by) -> Assessment:
    """submitted → validated, by an auditor other than the one who rated it."""
    return transition(assessment, workflow.VALIDATE, by)


def return_to_draft(assessment: Assessment, by, reason: str) -> Assessment:
    """submitted or validated → draft, with a written reason (kept in the history)."""
    return transition(assessment, workflow.RETURN, by, reason=reason or "")


# --- evidence -------------------------------------------------------------------------


@transaction.atomic
def add_evidence(assessment: Assessment, by, *, upload=None, info=None, **fields) -> Evidence:
    """Record an evidence item (a checked file, a link, an official reply, a public source).
    Refused once the assessment is validated or its cycle published."""
    current = _lock(assessment)
    refusal = workflow.evidence_refusal(current)
    if refusal:
        raise LockedError(refusal)
    evidence = Evidence(assessment=current, submitted_by=by, **fields)
    if upload is not None:
        evidence.attach(upload, info)
        if "kind" not in fields:
            evidence.kind = EvidenceKind.FILE
    evidence.full_clean()
    evidence._history_user = by
    evidence.save()
    return evidence


def mark_publishable(evidence: Evidence, by) -> Evidence:
    """An auditor declares a redacted item publishable (allowed even on validated ratings)."""
    if evidence.confidential:
        evidence.confidential = False
        evidence._history_user = by
        evidence._change_reason = "publishable"
        evidence.save()
    return evidence
