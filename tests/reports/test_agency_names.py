"""One name per agency per date: a renamed agency (CNS, today SSPC) is named as it was in the
cycle's period, with today's acronym beside it, on every surface — never today's acronym beside a
former name — and the API's agencies carry the former names so that rating rows join."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from obligations.models import Assessment
from reports.open_data import dataset
from tests.information_requests.fixtures import make_obligation
from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

H1 = '<span class="acronym">CNS</span> · Comisión Nacional de Seguridad <span class="today-name">(hoy SSPC)</span>'


@pytest.fixture
def sspc(published_world):
    """SSPC was the CNS until 2018-11-30 (inside the CNDH 2019 period, which ends 2017-07-31)."""
    from agencies.models import Agency, AgencyName

    agency = Agency.objects.create(
        acronym="SSPC",
        name_es="Secretaría de Seguridad y Protección Ciudadana",
        name_en="Ministry of Security and Citizen Protection",
    )
    AgencyName.objects.create(
        agency=agency,
        acronym="CNS",
        name_es="Comisión Nacional de Seguridad",
        name_en="National Security Commission",
        valid_until=date(2018, 11, 30),
    )
    Assessment.objects.create(
        cycle=published_world["published"],
        agency=agency,
        obligation=make_obligation("LG-90-I", "Protocolo de detección"),
        status="partially_complied",
        rationale="Protocolo sin difusión.",
        workflow_state="validated",
    )
    return agency


def test_name_at_is_the_one_rule(sspc):
    then = sspc.name_at(date(2017, 7, 31))
    assert (then.acronym, then.renamed, then.today_note) == ("CNS", True, "hoy SSPC")
    assert then.label == "CNS · Comisión Nacional de Seguridad (hoy SSPC)"
    with translation.override("en"):
        assert then.label == "CNS · National Security Commission (now SSPC)"
    today = sspc.name_at(date(2019, 1, 1))
    assert (today.label, today.today_note) == ("SSPC · Secretaría de Seguridad y Protección Ciudadana", "")


def test_public_panorama_and_scorecard(client, sspc):
    panorama = client.get(reverse("public:panorama", args=["cndh-2019"])).content.decode()
    scorecard_url = reverse("public:scorecard", args=["cndh-2019", "SSPC"])
    assert f'<a href="{scorecard_url}">CNS</a><span class="meta">Comisión Nacional de Seguridad · hoy SSPC</span>' in (
        panorama
    )
    page = client.get(scorecard_url).content.decode()
    assert f"<h1>{H1}</h1>" in page and "<title>CNS · Diagnóstico CNDH 2019" in page
    for html in (panorama, page):
        assert "SSPC · Comisión Nacional" not in html and ">SSPC</a>" not in html


def test_private_scorecard(client, sspc, auditora):
    client.force_login(auditora)
    page = client.get(reverse("reports:agency_scorecard", args=["SSPC"]), {"ciclo": "cndh-2019"}).content.decode()
    assert f"<h1>{H1}</h1>" in page and "<title>Cédula de cumplimiento · CNS" in page
    assert "SSPC</span> · Comisión Nacional" not in page


def test_open_data(sspc):
    rows, _columns = dataset("assessments")
    assert [(r["agency"], r["agency_today"]) for r in rows if r["obligation_code"] == "LG-90-I"] == [("CNS", "SSPC")]
    agencies, columns = dataset("agencies")
    assert columns[-1] == "former_acronyms"
    assert {a["acronym"]: a["former_acronyms"] for a in agencies} == {"INM": "", "SEP": "", "SSPC": "CNS"}


def test_api_agencies_carry_former_names_so_rating_rows_join(client, sspc):
    agencies = client.get(reverse("api:agencies")).json()["results"]
    sspc_row = next(a for a in agencies if a["acronym"] == "SSPC")
    assert sspc_row["former_names"] == [
        {
            "acronym": "CNS",
            "name_es": "Comisión Nacional de Seguridad",
            "name_en": "National Security Commission",
            "valid_from": None,
            "valid_until": "2018-11-30",
        }
    ]
    known = {a["acronym"]: a["acronym"] for a in agencies}
    known.update({f["acronym"]: a["acronym"] for a in agencies for f in a["former_names"]})
    ratings = client.get(reverse("api:assessments"), {"cycle": "cndh-2019"}).json()["results"]
    assert sorted((r["agency"], known[r["agency"]]) for r in ratings) == [
        ("CNS", "SSPC"),
        ("INM", "INM"),
        ("SEP", "SEP"),
    ]
    found = client.get(reverse("api:agencies"), {"q": "CNS"}).json()["results"]
    assert [a["acronym"] for a in found] == ["SSPC"]
