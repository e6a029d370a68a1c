"""Every rating shows its legal basis: the article, fraction and the version of the law in force in
the cycle's period (obligations.law_basis), on the real CNDH 2019 baseline loaded by
`load_reference_data`. The cross-walk comes from shared/reference/law-obligations.md, section 5
(PREV-15 → art. 89 fr. VI, high; PREV-13 → no statutory basis; PREV-06 → art. 89 fr. X (2012,
repealed 20-05-2021) and art. 126)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency
from agencies.policy import SYSTEM
from obligations.law_basis import basis_prefetch, basis_text
from obligations.models import Obligation, ReviewCycle
from reports import jobs, pdf
from reports.models import ReportKind
from tests.reports.report_fixtures import pdf_text

pytestmark = pytest.mark.django_db

MODULES = "LGPSEDMTP art. 89 fr. VI (texto original, DOF 14-06-2012)"
NO_BASIS = "Criterio de la CNDH sin fundamento legal expreso"


@pytest.fixture
def baseline(db):
    call_command("load_reference_data", verbosity=0)
    cache.clear()
    return ReviewCycle.objects.get(slug="cndh-2019")


def _obligation(code):
    return Obligation.objects.prefetch_related(*basis_prefetch()).get(code=code)


def test_the_basis_of_a_period_selects_the_version_in_force_then(baseline):
    pgr_programmes = _obligation("PREV-06")
    then = pgr_programmes.basis_for_period(baseline.period_start, baseline.period_end)
    fraction_x = next(item for item in then["items"] if item["citation"] == "LGPSEDMTP art. 89 fr. X")
    assert fraction_x["version"]["original"] and not fraction_x["version"]["repealed"]
    assert fraction_x["version"]["valid_from"] == "2012-06-15"
    assert fraction_x["replaced_by"] == [] and not fraction_x["changed_in_period"]
    # A cycle of 2021–2024 sees the repeal of 20-05-2021 and what replaced it.
    later = pgr_programmes.basis_for_period(date(2021, 1, 1), date(2024, 12, 31))
    fraction_x = next(item for item in later["items"] if item["citation"] == "LGPSEDMTP art. 89 fr. X")
    assert fraction_x["version"]["repealed"] and fraction_x["version"]["dof"] == "2021-05-20"
    assert fraction_x["changed_in_period"]
    assert fraction_x["replaced_by"] and all("art. 126" in c for c in fraction_x["replaced_by"])
    assert "derogada, DOF 20-05-2021; hoy: LGPSEDMTP art. 126" in basis_text(later)


def test_a_reform_in_the_period_is_the_version_at_its_end(baseline):
    """Art. 62 fr. II was amended on 19-03-2014, inside the CNDH period (2012-06-15 → 2017-07-31)."""
    interpreters = _obligation("ASIS-10")
    basis = interpreters.basis_for_period(baseline.period_start, baseline.period_end)
    item = next(item for item in basis["items"] if item["citation"] == "LGPSEDMTP art. 62 fr. II")
    assert (item["version"]["dof"], item["version"]["original"], item["changed_in_period"]) == (
        "2014-03-19",
        False,
        True,
    )
    assert "LGPSEDMTP art. 62 fr. II (reforma DOF 19-03-2014; reformada durante el periodo)" in basis_text(basis)


def test_the_sep_scorecard_cites_article_89_fraction_vi(client, baseline, enlace_sep):
    client.force_login(enlace_sep)
    response = client.get(reverse("reports:agency_scorecard", args=["SEP"]), {"ciclo": "cndh-2019"})
    rows = {row["code"]: row for row in response.context["card"].rows}
    assert rows["PREV-15"]["basis_text"] == MODULES
    assert rows["PREV-15"]["basis"]["confidence"] == "high"
    body = response.content.decode()
    assert MODULES in body
    assert f'href="{reverse("law:index")}#lgpsedmtp-89"' in body  # the article on the La Ley page
    assert "Por precisar" not in body and "por verificar" not in body


def test_an_obligation_without_statutory_basis_says_so_plainly(client, baseline, secretariado):
    client.force_login(secretariado)
    response = client.get(reverse("reports:agency_scorecard", args=["CIT"]), {"ciclo": "cndh-2019"})
    rows = {row["code"]: row for row in response.context["card"].rows}
    assert rows["PREV-13"]["basis_text"] == NO_BASIS
    assert NO_BASIS in response.content.decode()


def test_the_public_scorecard_and_the_panorama_show_the_basis(client, baseline, secretariado):
    body = client.get(reverse("public:scorecard", args=["cndh-2019", "SEP"])).content.decode()
    assert MODULES in body
    client.force_login(secretariado)
    panorama = client.get(reverse("reports:panorama"), {"ciclo": "cndh-2019"})
    unmet = {item["code"]: item for item in panorama.context["panorama"].unmet}
    assert unmet["PREV-15"]["basis_text"] == MODULES
    assert unmet["PREV-13"]["basis_text"] == NO_BASIS
    assert MODULES in panorama.content.decode()


def test_the_sep_pdf_cites_the_basis_and_the_national_one_has_an_annex(baseline):
    sep = Agency.objects.get(acronym="SEP")
    built = pdf.build_report(
        ReportKind.AGENCY, baseline, sep, fingerprint=jobs.data_fingerprint(ReportKind.AGENCY, baseline, sep)
    )
    text = " ".join(pdf_text(built.content).split())
    assert "Fundamento: LGPSEDMTP art. 89 fr. VI (texto original, DOF 14-06-2012)" in text
    annex = {entry["code"]: entry for entry in pdf.national_context(baseline)["basis_annex"]}
    assert len(annex) == 44  # every rated obligation once: 45 CNDH ones but COORD-06, which the baseline does not rate
    assert annex["PREV-15"]["items"] == [
        {"citation": "LGPSEDMTP art. 89 fr. VI", "version": "texto original, DOF 14-06-2012"}
    ]
    assert annex["PREV-15"]["agencies"] == ["SEP"]
    assert annex["PREV-13"]["items"] == [] and annex["PREV-13"]["text"] == NO_BASIS
    assert annex["PREV-15"]["confidence_label"] == "Alta"


def test_open_data_and_the_api_carry_the_basis(client, baseline):
    body = client.get(reverse("api:assessments"), {"cycle": "cndh-2019", "agency": "SEP", "obligation": "PREV-15"})
    [row] = body.json()["results"]
    assert row["legal_basis"] == "LGPSEDMTP art. 89 fr. VI"
    assert row["basis_confidence"] == "high"
    assert row["basis_versions"] == "LGPSEDMTP art. 89 fr. VI @ 2012-06-15"
    [item] = row["basis"]["items"]
    assert (item["article"], item["fraction"], item["version"]["decree"], item["version"]["valid_from"]) == (
        "89",
        "VI",
        "LGPSEDMTP",
        "2012-06-15",
    )
    no_basis = client.get(reverse("api:assessments"), {"cycle": "cndh-2019", "obligation": "PREV-13"}).json()
    assert [(r["basis_confidence"], r["basis"]["statutory"], r["legal_basis"]) for r in no_basis["results"]] == [
        ("none", False, "")
    ]


def test_a_freeze_keeps_each_basis_once_and_the_rows_get_it_back(baseline):
    from reports.models import ScorecardSnapshot
    from reports.scorecards import agency_scorecard
    from reports.snapshots import national_snapshot, run_freeze

    run_freeze(baseline, force=True)
    agency_rows = [
        row
        for rows in ScorecardSnapshot.objects.filter(cycle=baseline, agency__isnull=False).values_list(
            "rows", flat=True
        )
        for row in rows
    ]
    assert agency_rows and not any("basis" in row or "legal_basis" in row for row in agency_rows)
    kept = {entry["code"]: entry for entry in national_snapshot(baseline).get().rows}
    assert set(kept) == {row["code"] for row in agency_rows}  # each rated obligation once
    assert kept["PREV-15"]["legal_basis"] == "LGPSEDMTP art. 89 fr. VI"
    assert kept["PREV-15"]["basis"] == _obligation("PREV-15").basis_for_period(
        baseline.period_start, baseline.period_end
    )
    card = agency_scorecard(baseline, Agency.objects.get(acronym="SEP"), SYSTEM)
    rows = {row["code"]: row for row in card.rows}
    assert rows["PREV-15"]["legal_basis"] == "LGPSEDMTP art. 89 fr. VI"
    assert basis_text(rows["PREV-15"]["basis"]) == MODULES
