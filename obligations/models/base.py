"""Helpers shared by the models of this app."""

from lib.i18n import localized as _pick


def localized(obj, field: str) -> str:
    """`obj.<field>_en` when English is active and it is filled, else `obj.<field>_es`."""
    return _pick(getattr(obj, f"{field}_es"), getattr(obj, f"{field}_en", ""))
