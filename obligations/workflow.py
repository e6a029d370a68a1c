"""The rating workflow: one transition table and the rules that make records read-only.

    draft ──submit──▶ submitted ──validate──▶ validated
      ▲                   │                        │
      └──────return (with a reason)────────────────┘

A published cycle freezes everything in it. Services call `apply()` to act (obligations.services),
the admin calls `options()` to show its buttons and `edit_refusal()` / `evidence_refusal()` to make
pages read-only, and every route that writes (change pages, bulk actions, imports, history views)
asks the same functions. Each guard returns the reason it refuses, in the user's language, so a
button can say why it is disabled and an error names the real cause.

Who may act (auditors) is the access policy's question (agencies.policy); this module asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import policy
from obligations.choices import CycleState, WorkflowState


class WorkflowError(ValidationError):
    """A transition the rules refuse (wrong state, self-validation, missing rationale...)."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: Promise
    action: policy.Action
    needs_reason: bool = False


SUBMIT = "submit"
VALIDATE = "validate"
RETURN = "return"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            SUBMIT,
            (WorkflowState.DRAFT,),
            WorkflowState.SUBMITTED,
            gettext_lazy("Enviar a validación"),
            policy.Action.RATE,
        ),
        Transition(
            VALIDATE,
            (WorkflowState.SUBMITTED,),
            WorkflowState.VALIDATED,
            gettext_lazy("Validar"),
            policy.Action.VALIDATE,
        ),
        Transition(
            RETURN,
            (WorkflowState.SUBMITTED, WorkflowState.VALIDATED),
            WorkflowState.DRAFT,
            gettext_lazy("Devolver a borrador"),
            policy.Action.RATE,
            needs_reason=True,
        ),
    )
}


# --- read-only rules --------------------------------------------------------------------------


def cycle_refusal(cycle, *, label=None) -> str | None:
    """Why nothing in this cycle may change (None while it is not published). `label` names the
    cycle in the message (its name by default; imports name it by its slug, as the file does)."""
    if cycle.state == CycleState.PUBLISHED:
        return _("El ciclo «%(cycle)s» está publicado: es de sólo lectura.") % {"cycle": label or cycle}
    return None


def is_locked(assessment) -> bool:
    """Validated ratings and ratings of published cycles are frozen, and so is their evidence."""
    return assessment.workflow_state == WorkflowState.VALIDATED or assessment.cycle.state == CycleState.PUBLISHED


def edit_refusal(assessment, *, cycle_label=None) -> str | None:
    """Why the rating (status, rationale, source) cannot be edited now; None for a draft of an
    unpublished cycle. A submitted or validated rating goes back to draft first, with a reason.
    `cycle_label`: how the cycle is named in the message (see `cycle_refusal`)."""
    refusal = cycle_refusal(assessment.cycle, label=cycle_label)
    if refusal:
        return refusal
    if assessment.workflow_state != WorkflowState.DRAFT:
        return _("La evaluación está «%(state)s»: devuélvala a borrador, con un motivo, para modificarla.") % {
            "state": assessment.get_workflow_state_display()
        }
    return None


def evidence_refusal(assessment) -> str | None:
    """Why evidence cannot be added, changed or deleted on this rating (only marked publishable)."""
    if is_locked(assessment):
        return _(
            "La evaluación está validada o su ciclo publicado: su evidencia no puede agregarse, modificarse "
            "ni eliminarse (sólo marcarse como publicable)."
        )
    return None


# --- transitions ------------------------------------------------------------------------------


def refusal(assessment, name: str, by, *, reason: str | None = None) -> str | None:
    """Why `by` may not apply transition `name` to `assessment` as it stands; None when allowed.
    `reason` (the written motive of a return) is checked only when given."""
    transition = TRANSITIONS[name]
    if not policy.can(by, transition.action, assessment):
        return _("Sólo el equipo auditor puede hacerlo.")
    cycle_blocked = cycle_refusal(assessment.cycle)
    if cycle_blocked:
        return cycle_blocked
    if assessment.workflow_state not in transition.sources:
        return _state_refusal(assessment, transition)
    if name == SUBMIT:
        if not assessment.status:
            return _("Asigne un estatus antes de enviar a validación.")
        return _rating_refusal(assessment)
    if name == VALIDATE:
        if assessment.reviewer_id is not None and assessment.reviewer_id == getattr(by, "pk", None):
            return _("No puede validar su propia evaluación: debe validarla otra persona auditora.")
        return _rating_refusal(assessment)
    if name == RETURN and reason is not None and not reason.strip():
        return _("Indique el motivo de la devolución a borrador.")
    return None


def _state_refusal(assessment, transition: Transition) -> str:
    state = assessment.get_workflow_state_display()
    if transition.name == SUBMIT:
        return _("Sólo se envían borradores; ésta está «%(state)s».") % {"state": state}
    if transition.name == VALIDATE:
        return _("Sólo se validan evaluaciones enviadas; ésta está «%(state)s».") % {"state": state}
    return _("La evaluación ya está en borrador.")


def _rating_refusal(assessment) -> str | None:
    errors = assessment.rating_errors()
    if errors:
        return " ".join(str(message) for messages in errors.values() for message in messages)
    return None


@dataclass(frozen=True)
class Option:
    """A workflow button: its transition, label, whether it may be pressed and why not."""

    name: str
    label: str
    allowed: bool
    reason: str
    needs_reason: bool


def options(assessment, by) -> list[Option]:
    """Every transition that leaves the rating's current state, with why it is refused (if so)."""
    result = []
    for transition in TRANSITIONS.values():
        if assessment.workflow_state not in transition.sources:
            continue
        why = refusal(assessment, transition.name, by)
        result.append(Option(transition.name, str(transition.label), why is None, why or "", transition.needs_reason))
    return result


def apply(assessment, name: str, by, *, reason: str = "") -> None:
    """Move `assessment` (the stored row, locked by the caller) through transition `name`,
    setting the workflow fields. Raises WorkflowError with the reason when refused. The caller
    (obligations.services.transition) saves it with its history record."""
    from django.utils import timezone

    why = refusal(assessment, name, by, reason=reason if TRANSITIONS[name].needs_reason else None)
    if why:
        raise WorkflowError(why)
    now = timezone.now()
    assessment.workflow_state = TRANSITIONS[name].target
    if name == SUBMIT:
        assessment.submitted_at = now
        assessment.return_reason = ""
        if assessment.reviewer_id is None:
            assessment.reviewer = by
    elif name == VALIDATE:
        assessment.validator = by
        assessment.validated_at = now
    elif name == RETURN:
        assessment.return_reason = reason.strip()
        assessment.validator = None
        assessment.validated_at = None
        assessment.submitted_at = None
