"""Readable audit trail: the django-simple-history records of a record (an assessment and its
evidence, a request, an answer, a reply...) as a timeline of "who, when, what field, before → after".

Records are never pruned (no clean_old_history anywhere): audits are reopened years later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obligations.models import Assessment, Evidence

# What an auditor may see change on a rating: the fields compared on a collision, and the version.
ASSESSMENT_FIELDS = (*Assessment.TRACKED_FIELDS, "version")
EVIDENCE_FIELDS = (
    "kind",
    "title",
    "description",
    "fact_date",
    "original_filename",
    "sha256",
    "url",
    "source_reference",
    "confidential",
)
# Change reasons are stored as codes by obligations.services; shown in words.
REASONS = {
    "open": gettext_lazy("apertura del ciclo"),
    "close": gettext_lazy("cierre del ciclo"),
    "publish": gettext_lazy("publicación del ciclo"),
    "rate": gettext_lazy("calificación"),
    "submit": gettext_lazy("envío a validación"),
    "validate": gettext_lazy("validación"),
    "return": gettext_lazy("devolución a borrador"),
    "publishable": gettext_lazy("marcada como publicable (testada)"),
    "sent": gettext_lazy("envío"),
    "submitted": gettext_lazy("envío"),
    "answered": gettext_lazy("respuesta"),
    "information request": gettext_lazy("solicitud de información"),
}
ACTIONS = {"+": gettext_lazy("creó"), "~": gettext_lazy("modificó"), "-": gettext_lazy("eliminó")}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    subject: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    history_id: int = 0


def _value(model, record, name: str, users: dict) -> str:
    model_field = model._meta.get_field(name)
    raw = getattr(record, model_field.attname)
    if raw in (None, ""):
        return "—"
    if model_field.is_relation:
        return users.get(raw, str(raw))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(raw, bool):
        return _("sí") if raw else _("no")
    return str(raw)


def _users_for(records, model, fields) -> dict:
    ids = {r.history_user_id for r in records if r.history_user_id}
    for name in fields:
        f = model._meta.get_field(name)
        if f.is_relation:
            ids |= {getattr(r, f.attname) for r in records if getattr(r, f.attname)}
    return {u.pk: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(pk__in=ids)}


def timeline(model, records, fields, subject=None) -> list[Entry]:
    """Entries of `records` (historical rows of `model`, oldest first) for the given fields."""
    subject = subject or (lambda record: str(model._meta.verbose_name).capitalize())
    records = list(records)
    users = _users_for(records, model, fields)
    previous: dict = {}
    entries = []
    for record in records:
        key = getattr(record, model._meta.pk.attname)
        before = previous.get(key)
        changes = []
        for name in fields:
            new = _value(model, record, name, users)
            old = _value(model, before, name, users) if before is not None else "—"
            if before is None and record.history_type == "+":
                if new != "—":
                    changes.append(Change(str(model._meta.get_field(name).verbose_name), "—", new))
            elif old != new:
                changes.append(Change(str(model._meta.get_field(name).verbose_name), old, new))
        previous[key] = record
        entries.append(
            Entry(
                when=record.history_date,
                who=users.get(record.history_user_id, _("sistema")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=subject(record),
                reason=str(REASONS.get(record.history_change_reason, record.history_change_reason or "")),
                changes=changes,
                history_id=record.history_id,
            )
        )
    return entries


def assessment_timeline(assessment: Assessment) -> list[Entry]:
    """Every recorded change of the assessment and of its evidence, oldest first."""
    own = timeline(
        Assessment,
        assessment.history.order_by("history_date", "history_id"),
        ASSESSMENT_FIELDS,
        lambda r: _("Evaluación"),
    )
    evidence = timeline(
        Evidence,
        Evidence.history.filter(assessment_id=assessment.pk).order_by("history_date", "history_id"),
        EVIDENCE_FIELDS,
        lambda r: _("Evidencia «%(title)s»") % {"title": r.title},
    )
    return sorted(own + evidence, key=lambda e: (e.when, e.history_id))


def evidence_timeline(evidence: Evidence) -> list[Entry]:
    return timeline(
        Evidence,
        evidence.history.order_by("history_date", "history_id"),
        EVIDENCE_FIELDS,
        lambda r: _("Evidencia «%(title)s»") % {"title": r.title},
    )
