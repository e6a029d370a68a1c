"""Shared by tests/obligations/test_law_*.py: the reference notes the law data was built from
(fixtures/sources/law-obligations.md), parsed. The `law` fixture is in conftest.py."""

import json
import re

from obligations.reference import FIXTURES_DIR, SOURCES_DIR

NOTES = (SOURCES_DIR / "law-obligations.md").read_text(encoding="utf-8")


def fixture(name):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def _table_rows(text):
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| Disposición", "| Código", "| key")):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def duty_rows():
    """The 131 rows of section 2: [disposición, titular, deber ES, duty EN, tema, versión, fuente]."""
    return _table_rows(NOTES.split("## 2. Duties in the Law")[1].split("## 3. Regulation")[0])


def crosswalk_rows():
    """Section 5: [código, título, fundamento, spec, confianza, razón]."""
    return _table_rows(NOTES.split("## 5. Cross-walk")[1])


def crosswalk_specs(cell):
    """The suggested [instrument, article, fraction, transitory] tuples of a spec cell."""
    return [json.loads(f"[{m}]") for m in re.findall(r"`\[([^\]]+)\]`", cell)]
