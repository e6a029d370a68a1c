"""lib.formulas: neutralising spreadsheet formulas in exported text cells."""

from decimal import Decimal

import pytest

from lib.formulas import escape_formula, escape_row, is_formula


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+33",
        "-2",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        '=HYPERLINK("http://x")',
        "\rhola",  # a bare carriage return or tab at the start (OWASP)
        "\tx",
        " =1+1",  # leading whitespace and control characters before the sign
        "   @SUM(A1)",
        "\n=1",
        "\r\n+1",
        "\x00=1",
        "\x1f-1",
        "\u00a0=1",  # no-break space
        "\ufeff=1",  # byte-order mark
        "\u200b@x",  # zero-width space
        "\uff1dSUM(A1)",  # full-width equals sign
    ],
)
def test_formulas_are_neutralised(text):
    assert is_formula(text)
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["LGPSEDMTP art. 89", "", None, -3, Decimal("-1.5"), 2.0, "a=b", "  texto", " a=b", "\u00a0SEP"]
)
def test_other_values_are_unchanged(value):
    assert escape_formula(value) == value


def test_escape_row():
    assert escape_row({"a": "=x", "b": 1}) == {"a": "'=x", "b": 1}
