"""Display labels of scorecard values, in the active language: the one home of the status,
trend, component and follow-up labels that pages, PDFs, charts and exports show.

Statuses are the fixed identifiers of obligations.choices.Status plus `unrated` (a draft without
a status yet, reports.scoring.UNRATED).
"""

from django.utils.translation import gettext_lazy as _

from obligations.choices import Component, FollowUpStatus, Issuer, Status
from reports.scoring import UNRATED

STATUS_LABELS = {**dict(Status.choices), UNRATED: _("Sin calificar")}
STATUS_ORDER = [*Status.values, UNRATED]
TREND_LABELS = {
    "improved": ("▲", _("Mejoró")),
    "worsened": ("▼", _("Empeoró")),
    "unchanged": ("=", _("Sin cambio")),
    "new": ("●", _("Nueva")),
}
COMPONENT_LABELS = dict(Component.choices)
FOLLOW_UP_LABELS = dict(FollowUpStatus.choices)
ISSUER_LABELS = dict(Issuer.choices)


def status_labels() -> dict[str, str]:
    """{status: label} translated once (pages and PDFs label hundreds of rows)."""
    return {key: str(label) for key, label in STATUS_LABELS.items()}


def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, STATUS_LABELS[UNRATED] if not value else value))


def component_labels() -> dict[str, str]:
    return {key: str(label) for key, label in COMPONENT_LABELS.items()}


def trend_labels() -> dict[str, tuple[str, str]]:
    return {key: (symbol, str(label)) for key, (symbol, label) in TREND_LABELS.items()}


def label_rows(rows: list[dict]) -> None:
    """Add display labels to scorecard rows: `status_label`, `component_label`, `trend_symbol`,
    `trend_label`, `previous_status_label`. Each label is translated once per call."""
    statuses = status_labels()
    components = component_labels()
    trends = trend_labels()
    for row in rows:
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["component_label"] = components.get(row["component"], row["component"])
        row["trend_symbol"], row["trend_label"] = trends.get(row.get("trend"), ("", ""))
        row["previous_status_label"] = statuses.get(row.get("previous_status"), "")
