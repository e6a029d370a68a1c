"""CSV/XLSX formula injection ("CSV injection") helpers. Django-free.

A spreadsheet treats a cell that starts with ``= + - @``, a tab or a carriage return as a
formula (OWASP's list), and several programs strip leading spaces, line breaks and other
control characters first, so ``" =1+1"`` and ``"\r\n@SUM(A1)"`` count too: ``=HYPERLINK("http://evil", "x")``
in an exported rationale would run when an auditor opens the file. On export we neutralise
such cells by prefixing an apostrophe (OWASP's recommendation); on import we refuse them.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The same signs in their full-width forms (East Asian spreadsheets read them as formulas).
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # BOM and zero-width characters


def _skippable(char: str) -> bool:
    return char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F or char in INVISIBLE


def is_formula(value) -> bool:
    """True when `value` is text a spreadsheet would interpret as a formula.

    Numbers (int, float, Decimal) are never formulas, even when negative.
    """
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(FORMULA_PREFIXES):
        return True
    start = 0
    while start < len(value) and _skippable(value[start]):
        start += 1
    return value.startswith(FORMULA_SIGNS, start)


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
