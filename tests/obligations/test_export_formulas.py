"""lib.formulas: neutralising spreadsheet formulas in exported text cells."""

from decimal import Decimal

import pytest

from lib.formulas import escape_formula, escape_row, is_formula


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'])
def test_formulas_are_neutralised(text):
    assert is_formula(text)
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["LGPSEDMTP art. 89", "", None, -3, Decimal("-1.5"), 2.0, "a=b"])
def test_other_values_are_unchanged(value):
    assert escape_formula(value) == value


def test_escape_row():
    assert escape_row({"a": "=x", "b": 1}) == {"a": "'=x", "b": 1}
