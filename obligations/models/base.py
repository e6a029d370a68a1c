"""Helpers shared by the models of this app."""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    """`obj.<field>_en` when English is active and it is filled, else `obj.<field>_es`."""
    if (get_language() or "es").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_es")
