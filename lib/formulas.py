"""CSV/XLSX formula injection ("CSV injection") helpers. Django-free.

A spreadsheet treats a cell that starts with ``= + - @`` (or a tab / carriage return
followed by one, which some programs strip) as a formula: ``=HYPERLINK("http://evil", "x")``
in an exported rationale would run when an auditor opens the file. On export we neutralise
such cells by prefixing an apostrophe (OWASP's recommendation); on import we refuse them.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value) -> bool:
    """True when `value` is text a spreadsheet would interpret as a formula.

    Numbers (int, float, Decimal) are never formulas, even when negative.
    """
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(FORMULA_PREFIXES)


def escape_formula(value):
    """Neutralise a text cell for CSV/XLSX export; other values are returned unchanged.

    >>> escape_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> escape_formula("LGPSEDMTP art. 89")
    'LGPSEDMTP art. 89'
    >>> escape_formula(-3)
    -3
    """
    if is_formula(value):
        return "'" + value
    return value


def escape_row(row: dict) -> dict:
    """A copy of a row (dict) with every text cell escaped."""
    return {key: escape_formula(value) for key, value in row.items()}
