"""Admin exports through the resources: natural keys and neutralised formula cells."""

import pytest

from agencies.models import Agency
from agencies.resources import AgencyResource
from obligations.models import Obligation
from obligations.reference import load_reference_data
from obligations.resources import AssessmentResource, ObligationResource

pytestmark = pytest.mark.django_db


def test_formula_cells_are_neutralised_on_export():
    Obligation.objects.create(code="F-1", title_es='=HYPERLINK("http://evil.example")', component="prevention", level=1)
    Agency.objects.create(acronym="@X", name_es="+Nombre")
    obligations = ObligationResource().export(Obligation.objects.all()).dict
    assert obligations[0]["title_es"] == '\'=HYPERLINK("http://evil.example")'
    agencies = AgencyResource().export(Agency.objects.all()).dict
    assert (agencies[0]["acronym"], agencies[0]["name_es"]) == ("'@X", "'+Nombre")


def test_exports_use_natural_keys():
    load_reference_data()
    row = next(
        r for r in ObligationResource().export(Obligation.objects.filter(code="PREV-17")).dict if r["code"] == "PREV-17"
    )
    assert row["provisions"] == "LGPSEDMTP art. 89 fr. XV; LGPSEDMTP art. 113 fr. IV; Reglamento art. 83"
    assert row["responsables"] == "CIT"
    assert set(row["corresponsables"].split("; ")) == {"INACIPE", "SEGOB", "FGR"}
    rows = AssessmentResource().export().dict
    sep = next(r for r in rows if (r["agency"], r["obligation"]) == ("SEP", "PREV-15"))
    assert (sep["cycle"], sep["status"], sep["workflow_state"]) == ("cndh-2019", "not_complied", "validated")
    assert "level" not in sep
