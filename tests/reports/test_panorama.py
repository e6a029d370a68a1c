"""The national panorama (/panorama/): the secretariat's view of every agency."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Published pages are cached by content; each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def cycles(sep, inm):
    data.agency("DIFEST", order="state", name="DIF del Estado")
    return data.two_cycles(sep, inm)


def panorama(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:panorama"), params)


def acronyms(response):
    return [row["acronym"] for row in response.context["panorama"].agencies]


def test_anonymous_is_sent_to_login(client, cycles):
    response = client.get(reverse("reports:panorama"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_secretariat_sees_every_agency(client, secretariado, cycles):
    response = panorama(client, secretariado, ciclo="ciclo-2023")
    assert response.status_code == 200
    body = response.content.decode()
    assert acronyms(response) == ["INM", "SEP"]
    assert 'data-agency="SEP"' in body and 'data-agency="INM"' in body
    # national: SEP (1 + 0.5 + 0) + INM (1 + 1) over 5 applicable = 3.5 / 5 = 70 %
    assert response.context["panorama"].summary["overall"]["score"] == pytest.approx(0.7)
    assert 'data-figure="national-score">70 %' in body
    assert reverse("reports:agency_scorecard", args=["SEP"]) in body  # drill-down
    # National bars (a wide and a phone drawing, reports.charts.responsive) and the heat map.
    assert body.count("<svg") == 3
    assert body.count('class="chart-narrow"') == 1


def test_obligations_no_agency_has_met(client, secretariado, cycles):
    response = panorama(client, secretariado, ciclo="ciclo-2023")
    unmet = {item["code"]: item for item in response.context["panorama"].unmet}
    # SEP-PREV-01 is complied by SEP and INM; SEP-ASIS-01 is only not applicable
    assert set(unmet) == {"SEP-PREV-02", "SEP-COORD-01"}
    assert unmet["SEP-PREV-02"]["agencies"] == ["SEP"]
    assert 'data-unmet="SEP-COORD-01"' in response.content.decode()


def test_sorting_by_score(client, secretariado, cycles):
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", orden="-puntaje")) == ["INM", "SEP"]
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", orden="puntaje")) == ["SEP", "INM"]
    # by prosecution: INM 100 %, SEP has none (always last)
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", orden="prosecution")) == ["INM", "SEP"]


def test_filters_narrow_the_table(client, secretariado, cycles):
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", componente="prosecution")) == ["INM"]
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", estatus="no_information")) == ["SEP"]
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", q="migración")) == ["INM"]
    assert acronyms(panorama(client, secretariado, ciclo="ciclo-2023", gobierno="state")) == []
    assert acronyms(panorama(client, secretariado, ciclo="cndh-2019", estatus="complied")) == []


def test_liaison_sees_only_own_agency_and_no_national_figures(client, enlace_sep, cycles):
    response = panorama(client, enlace_sep, ciclo="ciclo-2023")
    assert response.status_code == 200
    assert acronyms(response) == ["SEP"]
    body = response.content.decode()
    assert 'data-agency="INM"' not in body
    assert response.context["panorama"].summary == {}
    assert "INM-PROS-01" not in body


def test_secretariat_does_not_see_open_cycles(client, secretariado, cycles):
    data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    assert panorama(client, secretariado, ciclo="ciclo-2025").status_code == 404
    assert [c.slug for c in panorama(client, secretariado).context["cycles"]] == ["ciclo-2023", "cndh-2019"]


def test_auditor_sees_an_open_cycle_live(client, auditora, sep, cycles):
    open_cycle = data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    data.rate(open_cycle, sep, data.Obligation.objects.get(code="SEP-PREV-02"), "complied", workflow_state="draft")
    response = panorama(client, auditora, ciclo="ciclo-2025")
    assert not response.context["panorama"].frozen
    assert acronyms(response) == ["SEP"]
    assert response.context["panorama"].agencies[0]["score"] == 1


def test_scores_csv_and_json_match_the_table(client, secretariado, cycles):
    page = panorama(client, secretariado, ciclo="ciclo-2023", orden="-puntaje")
    shown = [(row["acronym"], row["score"]) for row in page.context["panorama"].agencies]
    url = reverse("reports:panorama_scores", args=["csv"])
    rows = list(
        csv.DictReader(io.StringIO(client.get(url, {"ciclo": "ciclo-2023", "orden": "-puntaje"}).content.decode()))
    )
    assert [(row["agency"], float(row["score"])) for row in rows] == shown
    assert rows[1]["count_no_information"] == "1"
    url = reverse("reports:panorama_scores", args=["json"])
    items = json.loads(client.get(url, {"ciclo": "ciclo-2023", "componente": "prosecution"}).content)
    assert [item["agency"] for item in items] == ["INM"]


def test_open_data_download_follows_the_filters(client, secretariado, cycles):
    client.force_login(secretariado)
    url = reverse("reports:panorama_data", args=["json"])
    rows = json.loads(client.get(url, {"ciclo": "ciclo-2023", "q": "INM"}).content)
    assert {row["agency"] for row in rows} == {"INM"}
    assert {row["obligation_code"] for row in rows} == {"SEP-PREV-01", "INM-PROS-01"}


def test_home_and_nav_link_the_secretariat_to_the_panorama(client, secretariado, cycles):
    client.force_login(secretariado)
    body = client.get(reverse("home")).content.decode()
    assert body.count(f'href="{reverse("reports:panorama")}"') == 2  # navigation and home tile


def test_renamed_agency_shows_the_name_of_the_period(client, secretariado, cycles):
    from agencies.models import AgencyName

    fgr = data.agency("FGR", name="Fiscalía General de la República")
    AgencyName.objects.create(
        agency=fgr, acronym="PGR", name_es="Procuraduría General de la República", valid_until=data.date(2018, 12, 13)
    )
    old, new = cycles
    data.rate(old, fgr, data.Obligation.objects.get(code="INM-PROS-01"), "complied")
    response = panorama(client, secretariado, ciclo="cndh-2019")
    row = next(row for row in response.context["panorama"].agencies if row["acronym"] == "FGR")
    assert row["acronym_then"] == "PGR"
    body = response.content.decode()
    assert "Procuraduría General de la República" in body and "hoy FGR" in body
    client.force_login(secretariado)
    scorecard = client.get(reverse("reports:agency_scorecard", args=["FGR"]), {"ciclo": "cndh-2019"})
    assert "En el periodo evaluado: PGR" in scorecard.content.decode()


def test_national_chart_has_its_table(client, secretariado, cycles):
    body = panorama(client, secretariado, ciclo="ciclo-2023").content.decode()
    # prosecution: INM's one complied rating → 100 %; assistance: only not applicable → —
    assert (
        '<tr data-national-component="prosecution"><th scope="row">Procuración de justicia</th><td>100 %</td>' in body
    )
    assert (
        '<tr data-national-component="assistance"><th scope="row">Atención, asistencia y protección a víctimas</th><td>—</td>'
        in body
    )
