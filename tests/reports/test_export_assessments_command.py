"""`manage.py export_assessments` over the loaded CNDH 2019 baseline."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from obligations.models import Assessment
from obligations.reference import load_reference_data
from reports.open_data import ASSESSMENT_COLUMNS as OPEN_DATA_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline():
    load_reference_data()


def export(fmt, **kwargs):
    out = io.StringIO()
    call_command("export_assessments", cycle="cndh-2019", format=fmt, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def by_key(rows):
    return {(row["agency"], row["obligation_code"]): row for row in rows}


def test_csv_has_the_open_data_columns_and_known_rows(baseline):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert list(rows[0]) == OPEN_DATA_COLUMNS
    assert len(rows) == Assessment.objects.filter(cycle__slug="cndh-2019").count()
    rows = by_key(rows)
    assert rows[("SEP", "PREV-15")]["status"] == "not_complied"
    assert rows[("SEP", "PREV-15")]["source"] == "CNDH 2019 ¶161"
    assert rows[("SECTUR", "PREV-04")]["status"] == "complied"
    assert rows[("SECTUR", "PREV-04")]["source"] == "CNDH 2019 ¶149"
    assert (
        rows[("CIT", "PREV-17")]["legal_basis"]
        == "LGPSEDMTP art. 89 fr. XV; LGPSEDMTP art. 113 fr. IV; Reglamento art. 83"
    )
    assert rows[("SEP", "PREV-15")]["legal_basis"] == "LGPSEDMTP art. 89 fr. VI"


def test_agency_is_named_as_it_was_in_the_cycle(baseline):
    rows = by_key(json.loads(export("json")))
    assert rows[("PGR", "ASIS-18")]["status"] == "not_complied"
    assert rows[("SEDESOL", "PREV-10")]["source"] == "CNDH 2019 ¶154"
    assert rows[("CNS", "PREV-02")]["level"] == 1
    assert not any(agency in {"FGR", "BIENESTAR", "SSPC", "SICT"} for agency, _ in rows)


def test_output_file(baseline, tmp_path):
    target = tmp_path / "cndh.csv"
    export("csv", output=str(target))
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith(",".join(OPEN_DATA_COLUMNS))
    assert "Módulos de prevención" in text


def test_unknown_cycle(db):
    with pytest.raises(CommandError, match="Unknown review cycle «nope»"):
        call_command("export_assessments", cycle="nope", stdout=io.StringIO())
