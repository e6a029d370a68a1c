"""Small filters for the scorecard pages: percentages, status and trend labels."""

from django import template
from django.utils.translation import gettext_lazy as _

from obligations.choices import Component, FollowUpStatus, Status

register = template.Library()

STATUS_LABELS = {**dict(Status.choices), "unrated": _("Sin calificar")}
TREND_LABELS = {
    "improved": ("▲", _("Mejoró")),
    "worsened": ("▼", _("Empeoró")),
    "unchanged": ("=", _("Sin cambio")),
    "new": ("●", _("Nueva")),
}


@register.filter
def percent(value):
    """0.625 → '63 %'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def status_label(value):
    return STATUS_LABELS.get(value, value or STATUS_LABELS["unrated"])


@register.filter
def component_label(value):
    return dict(Component.choices).get(value, value)


@register.filter
def follow_up_label(value):
    return dict(FollowUpStatus.choices).get(value, value)


@register.filter
def trend_symbol(value):
    return TREND_LABELS.get(value, ("", ""))[0]


@register.filter
def trend_label(value):
    return TREND_LABELS.get(value, ("", "—"))[1]


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)
