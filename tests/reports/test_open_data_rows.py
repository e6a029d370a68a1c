"""reports.open_data: the open-data row format, built from data created in the test."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, AgencyName
from lib.tabular import write_csv, write_json
from obligations.models import Assessment, LegalInstrument, Obligation, Provision, ReviewCycle
from reports.open_data import ASSESSMENT_COLUMNS as OPEN_DATA_COLUMNS
from reports.open_data import assessment_rows


@pytest.fixture
def cycle(db):
    return ReviewCycle.objects.create(
        slug="c-2017", name_es="Ciclo", period_start=date(2012, 6, 15), period_end=date(2017, 7, 31), state="published"
    )


@pytest.fixture
def obligation(db):
    law = LegalInstrument.objects.create(code="LGPSEDMTP", short_name="LGPSEDMTP", name_es="Ley", kind="law")
    reg = LegalInstrument.objects.create(
        code="RLGPSEDMTP",
        short_name="Reglamento",
        name_es="Reglamento",
        kind="regulation",
        published_on=date(2013, 9, 23),
    )
    law.published_on = date(2012, 6, 14)
    law.save()
    obligation = Obligation.objects.create(
        code="T-1", title_es="Sistema de capacitación", title_en="Training system", component="coordination", level=1
    )
    obligation.provisions.add(
        Provision.objects.create(instrument=reg, article="83"),
        Provision.objects.create(instrument=law, article="89", fraction="XV"),
    )
    return obligation


def make_fgr():
    fgr = Agency.objects.create(acronym="FGR", name_es="Fiscalía General de la República")
    AgencyName.objects.create(
        agency=fgr, acronym="PGR", name_es="Procuraduría General de la República", valid_until=date(2018, 12, 20)
    )
    return fgr


def test_row_uses_the_acronym_of_the_cycle_and_the_legal_basis(cycle, obligation):
    Assessment.objects.create(
        cycle=cycle, agency=make_fgr(), obligation=obligation, status="not_complied", source_reference="CNDH 2019 ¶162"
    )
    [row] = list(assessment_rows(Assessment.objects.all()))
    assert list(row) == OPEN_DATA_COLUMNS
    assert row["agency"] == "PGR"
    assert row["legal_basis"] == "LGPSEDMTP art. 89 fr. XV; Reglamento art. 83"
    assert row["status"] == "not_complied"
    assert row["source"] == "CNDH 2019 ¶162"
    assert row["level"] == 1


def test_current_acronym_after_the_rename(obligation):
    later = ReviewCycle.objects.create(
        slug="c-2020", name_es="Ciclo", period_start=date(2019, 1, 1), period_end=date(2020, 12, 31)
    )
    Assessment.objects.create(cycle=later, agency=make_fgr(), obligation=obligation, status="complied")
    [row] = list(assessment_rows(Assessment.objects.all()))
    assert row["agency"] == "FGR"


def test_empty_legal_basis_when_unknown(cycle):
    obligation = Obligation.objects.create(code="X", title_es="Sin fundamento", component="prevention", level=3)
    Assessment.objects.create(
        cycle=cycle, agency=Agency.objects.create(acronym="SEP", name_es="SEP"), obligation=obligation
    )
    [row] = list(assessment_rows(Assessment.objects.all()))
    assert row["legal_basis"] == ""


def test_constant_number_of_queries(cycle, obligation):
    for index in range(12):
        agency = Agency.objects.create(acronym=f"A{index}", name_es=f"Dependencia {index}")
        AgencyName.objects.create(agency=agency, acronym=f"OLD{index}", name_es="Antes", valid_until=date(2010, 1, 1))
        Assessment.objects.create(cycle=cycle, agency=agency, obligation=obligation, status="complied")
    with CaptureQueriesContext(connection) as few:
        rows = list(assessment_rows(Assessment.objects.filter(agency__acronym__in=["A0", "A1"])))
    with CaptureQueriesContext(connection) as many:
        more = list(assessment_rows(Assessment.objects.all()))
    assert len(rows) == 2 and len(more) == 12
    # assessments with cycle, agency and obligation; former names; the legal basis of the cycle
    # (obligation-provision links, provisions, their versions; replacements when one was repealed)
    assert len(few) == len(many) <= 6


def test_csv_neutralises_formulas_and_json_keeps_text(cycle):
    obligation = Obligation.objects.create(
        code="F-1", title_es='=HYPERLINK("http://evil.example","x")', title_en="+cmd", component="prevention", level=2
    )
    Assessment.objects.create(
        cycle=cycle, agency=Agency.objects.create(acronym="SEP", name_es="SEP"), obligation=obligation
    )
    rows = list(assessment_rows(Assessment.objects.all()))
    out = io.StringIO()
    assert write_csv(rows, OPEN_DATA_COLUMNS, out) == 1
    [parsed] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(parsed) == OPEN_DATA_COLUMNS
    assert parsed["obligation_title_es"] == '\'=HYPERLINK("http://evil.example","x")'
    assert parsed["obligation_title_en"] == "'+cmd"
    out = io.StringIO()
    write_json(rows, OPEN_DATA_COLUMNS, out)
    assert json.loads(out.getvalue())[0]["obligation_title_es"].startswith("=HYPERLINK")


def test_json_of_nothing_is_an_empty_list():
    out = io.StringIO()
    assert write_json([], OPEN_DATA_COLUMNS, out) == 0
    assert json.loads(out.getvalue()) == []
