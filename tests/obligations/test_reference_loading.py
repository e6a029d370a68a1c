"""obligations.reference.load_reference_data and `manage.py load_reference_data`."""

import json
import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, AgencyName, CommissionMembership
from obligations.models import (
    Assessment,
    Duty,
    DutyAssignment,
    DutyBearer,
    Evidence,
    Indicator,
    IndicatorValue,
    Obligation,
    Provision,
    ProvisionVersion,
    Recommendation,
    Responsibility,
    ReviewCycle,
)
from obligations.reference import FIXTURES_DIR, ReferenceDataError, load_reference_data

pytestmark = pytest.mark.django_db

MODELS = (
    Agency,
    AgencyName,
    CommissionMembership,
    Provision,
    ProvisionVersion,
    DutyBearer,
    Duty,
    DutyAssignment,
    Obligation,
    Responsibility,
    Indicator,
    IndicatorValue,
    Recommendation,
    ReviewCycle,
    Assessment,
    Evidence,
)


def counts():
    result = {model.__name__: model.objects.count() for model in MODELS}
    result["Assessment.history"] = Assessment.history.count()
    result["Evidence.history"] = Evidence.history.count()
    result["Recommendation.addressees"] = Recommendation.addressees.through.objects.count()
    result["Obligation.provisions"] = Obligation.provisions.through.objects.count()
    for name, through in (
        ("Duty.provisions", Duty.provisions.through),
        ("Duty.obligations", Duty.obligations.through),
        ("Duty.reforms", Duty.reforms.through),
        ("ProvisionVersion.replaced_by", ProvisionVersion.replaced_by.through),
    ):
        result[name] = through.objects.count()
    return result


def fixture(name):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def test_it_loads_the_catalogue():
    report = load_reference_data()
    assert report.changed
    assert Agency.objects.count() == len(fixture("agencies.json")["agencies"])
    assert Agency.objects.filter(consulted_by_cndh_2019=True).count() == 17
    assert Agency.objects.filter(order="state").count() == 32
    assert Obligation.objects.from_cndh().count() == len(fixture("obligations.json")["obligations"])
    law_duties = fixture("law.json")["duties"]
    assert Obligation.objects.from_law().count() == sum(1 for duty in law_duties if "obligation" in duty)
    assert Duty.objects.count() == len(law_duties)
    assert Assessment.objects.count() == len(fixture("baseline_cndh_2019.json")["assessments"])
    assert Recommendation.objects.filter(issuer="cndh_2019").count() == 81
    assert Recommendation.objects.filter(issuer="tip_2025", prioritized=True).count() == 10
    context = fixture("context_indicators.json")["indicators"] + fixture("figures.json")["indicators"]
    assert Indicator.objects.filter(obligation__isnull=True, kind="context").count() == len(context)


def test_loading_twice_changes_nothing():
    load_reference_data()
    before = counts()
    report = load_reference_data()
    assert not report.changed
    assert sum(report.unchanged.values()) > 0
    assert counts() == before


def test_the_command_says_when_nothing_changed():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "Reference data loaded" in out.getvalue()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_known_baseline_rows():
    load_reference_data()
    sep = Assessment.objects.get(cycle__slug="cndh-2019", agency__acronym="SEP", obligation__code="PREV-15")
    assert (sep.status, sep.source_reference) == ("not_complied", "CNDH 2019 ¶161")
    assert "módulos" in sep.obligation.title_es.lower()
    sectur = Assessment.objects.get(cycle__slug="cndh-2019", agency__acronym="SECTUR", obligation__code="PREV-04")
    assert (sectur.status, sectur.source_reference) == ("complied", "CNDH 2019 ¶149")


def test_baseline_cycle_and_evidence():
    load_reference_data()
    cycle = ReviewCycle.objects.get(slug="cndh-2019")
    assert (cycle.name_es, cycle.period_start, cycle.period_end) == (
        "Diagnóstico CNDH 2019",
        date(2012, 6, 15),
        date(2017, 7, 31),
    )
    assert (cycle.state, cycle.methodology_version) == ("published", "cndh-2019-v1")
    assert set(cycle.assessments.values_list("workflow_state", flat=True)) == {"validated"}
    for assessment in cycle.assessments.prefetch_related("evidence"):
        [evidence] = assessment.evidence.all()
        assert evidence.kind == "public_source" and not evidence.confidential
        assert evidence.fact_date == date(2017, 7, 31) and cycle.covers(evidence.fact_date)
        assert evidence.source_reference == assessment.source_reference
        assert evidence.title == "CNDH, Diagnóstico 2019, ¶" + assessment.source_reference.split("¶")[1]
        assert assessment.rating_errors() == {}


def test_legal_basis_and_renames():
    load_reference_data()
    training = Obligation.objects.get(code="PREV-17")
    assert training.legal_basis == "LGPSEDMTP art. 89 fr. XV; LGPSEDMTP art. 113 fr. IV; Reglamento art. 83"
    assert not training.legal_basis_to_verify
    modules = Obligation.objects.get(code="PREV-15")
    assert (modules.legal_basis, modules.basis_confidence) == ("LGPSEDMTP art. 89 fr. VI", "high")
    # "To verify" is derived: only an obligation nobody has assessed the basis of.
    assert not Obligation.objects.filter(legal_basis_to_verify=True).exists()
    assert Obligation.objects.create(
        code="NUEVA", title_es="Agregada", component="prevention", level=1
    ).legal_basis_to_verify
    fgr = Agency.objects.get(acronym="FGR")
    assert fgr.name_at(date(2017, 7, 31)).acronym == "PGR"
    assert fgr.name_at(date(2020, 1, 1)).acronym == "FGR"
    assert Agency.objects.get(acronym="INM").parent.acronym == "SEGOB"
    assert Agency.objects.get(acronym="FEVIMTRA").parent.acronym == "FGR"
    assert Agency.objects.get(acronym="BIENESTAR").name_at(date(2017, 7, 31)).acronym == "SEDESOL"
    assert Agency.objects.get(acronym="SSPC").name_at(date(2017, 7, 31)).acronym == "CNS"


def test_a_bad_fixture_loads_nothing(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("sources"))
    baseline = json.loads((directory / "baseline_cndh_2019.json").read_text(encoding="utf-8"))
    baseline["assessments"][-1]["agency"] = "NOEXISTE"
    (directory / "baseline_cndh_2019.json").write_text(json.dumps(baseline), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="dependencia desconocida «NOEXISTE»"):
        load_reference_data(directory)
    assert Agency.objects.count() == 0 and Obligation.objects.count() == 0
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_reference_data", directory=str(directory), stdout=StringIO())


def test_rows_added_by_auditors_are_kept():
    load_reference_data()
    Agency.objects.create(acronym="NUEVA", name_es="Dependencia agregada en el admin")
    load_reference_data()
    assert Agency.objects.filter(acronym="NUEVA").exists()
