"""Small filters for the scorecard pages: percentages, status and trend labels (reports.labels)."""

from django import template

from obligations import law_basis
from reports import labels

register = template.Library()


@register.filter
def percent(value):
    """0.625 → '63 %'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def status_label(value):
    return labels.status_label(value)


@register.filter
def component_label(value):
    return labels.COMPONENT_LABELS.get(value, value)


@register.filter
def follow_up_label(value):
    return labels.FOLLOW_UP_LABELS.get(value, value)


@register.filter
def trend_symbol(value):
    return labels.TREND_LABELS.get(value, ("", ""))[0]


@register.filter
def trend_label(value):
    return labels.TREND_LABELS.get(value, ("", "—"))[1]


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def law_anchor(basis):
    """Where a rating's legal basis is on the "La Ley" page (obligations.law_basis.law_link)."""
    return law_basis.law_link(basis)
