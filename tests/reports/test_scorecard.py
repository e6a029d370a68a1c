"""The agency scorecard page (/agencias/<acronym>/): what each persona sees."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from obligations.models import Evidence
from reports.models import ScorecardSnapshot
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Published pages are cached by content; each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def cycles(sep, inm):
    return data.two_cycles(sep, inm)


def page(client, user, acronym="SEP", **params):
    client.force_login(user)
    return client.get(reverse("reports:agency_scorecard", args=[acronym]), params)


def test_anonymous_is_sent_to_login(client, cycles):
    response = client.get(reverse("reports:agency_scorecard", args=["SEP"]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_liaison_sees_own_scorecard(client, enlace_sep, cycles):
    response = page(client, enlace_sep, ciclo="ciclo-2023")
    assert response.status_code == 200
    body = response.content.decode()
    card = response.context["card"]
    # (1 + 0.5 + 0) / 3 applicable = 50 %; coverage 2 of 3
    assert card.overall["score"] == pytest.approx(0.5)
    assert 'data-figure="score">50 %' in body
    assert 'data-figure="coverage">67 %' in body
    assert 'data-figure="no-information">1<' in body
    assert "Módulos de prevención en la educación básica" in body
    assert "LGPSEDMTP art. 48 fr. I" in body
    assert "Módulos incluidos en el plan de estudios." in body
    assert 'data-obligation="SEP-PREV-01" data-status="complied"' in body
    assert "Cumplida" in body
    assert "CNDH2019-T.1" in body and "En proceso" in body
    assert "INM-PROS-01" not in body


def test_trend_against_previous_cycle(client, enlace_sep, cycles):
    card = page(client, enlace_sep, ciclo="ciclo-2023").context["card"]
    trends = {row["code"]: row["trend"] for row in card.rows}
    assert trends == {
        "SEP-PREV-01": "improved",  # not complied → complied
        "SEP-PREV-02": "unchanged",
        "SEP-ASIS-01": None,  # not applicable now
        "SEP-COORD-01": "new",
    }
    components = {c["key"]: c for c in card.components}
    # prevention 2019: (0 + 0.5) / 2 = 0.25 → 2023: (1 + 0.5) / 2 = 0.75
    assert components["prevention"]["trend"] == "improved"
    assert components["prevention"]["previous_score"] == pytest.approx(0.25)
    assert components["assistance"]["score"] is None
    assert card.summary["trends"]["overall"] == "improved"  # 1/6 → 1/2


def test_default_cycle_is_the_latest(client, enlace_sep, cycles):
    response = page(client, enlace_sep)
    assert response.context["cycle"].slug == "ciclo-2023"


def test_overdue_statutory_deadline(client, enlace_sep, cycles):
    card = page(client, enlace_sep, ciclo="cndh-2019").context["card"]
    assert [row["code"] for row in card.overdue] == ["SEP-PREV-01"]  # due 2014, not complied by 2017
    assert "Plazo vencido:" in page(client, enlace_sep, ciclo="cndh-2019").content.decode()


def test_liaison_gets_404_for_another_agency(client, enlace_sep, cycles):
    assert page(client, enlace_sep, "INM").status_code == 404
    assert page(client, enlace_sep, "NOEXISTE").status_code == 404


def test_liaison_download_of_another_agency_is_404(client, enlace_sep, cycles):
    client.force_login(enlace_sep)
    response = client.get(reverse("reports:agency_scorecard_data", args=["INM", "csv"]))
    assert response.status_code == 404


def test_unknown_cycle_is_404(client, enlace_sep, cycles):
    assert page(client, enlace_sep, ciclo="no-such-cycle").status_code == 404


def test_secretariat_sees_any_agency_published(client, secretariado, cycles):
    response = page(client, secretariado, "INM")
    assert response.status_code == 200
    assert response.context["card"].overall["score"] == 1


def test_user_without_role_gets_404(client, outsider, cycles):
    assert page(client, outsider).status_code == 404


def test_unpublished_cycle_hidden_from_secretariat(client, secretariado, sep, cycles):
    data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    assert page(client, secretariado, ciclo="ciclo-2025").status_code == 404


def test_liaison_sees_only_validated_ratings_of_an_open_cycle(client, enlace_sep, sep, cycles):
    open_cycle = data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    p1, p2 = data.Obligation.objects.filter(code__in=["SEP-PREV-01", "SEP-PREV-02"]).order_by("code")
    data.rate(open_cycle, sep, p1, "complied", workflow_state="validated")
    data.rate(open_cycle, sep, p2, "not_complied", "Borrador interno", workflow_state="draft")
    response = page(client, enlace_sep, ciclo="ciclo-2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert [row["code"] for row in response.context["card"].rows] == ["SEP-PREV-01"]
    assert "Borrador interno" not in body
    assert "cifras preliminares" in body
    assert not ScorecardSnapshot.objects.filter(cycle=open_cycle).exists()


def test_published_cycle_is_frozen_on_first_read(client, enlace_sep, cycles):
    old, new = cycles
    assert not ScorecardSnapshot.objects.filter(cycle=new).exists()
    response = page(client, enlace_sep, ciclo="ciclo-2023")
    assert response.context["card"].frozen
    assert ScorecardSnapshot.objects.filter(cycle=new, agency__acronym="SEP").exists()
    assert ScorecardSnapshot.objects.filter(cycle=new, agency=None).exists()


def test_evidence_listed_with_period_and_confidentiality(client, enlace_sep, sep, cycles):
    old, new = cycles
    assessment = data.Assessment.objects.get(cycle=new, agency=sep, obligation__code="SEP-PREV-01")
    Evidence.objects.create(
        assessment=assessment, title="Oficio SEP/123", fact_date=data.date(2020, 5, 4), confidential=True
    )
    Evidence.objects.create(
        assessment=assessment,
        title="Nota de prensa 2015",
        kind="link",
        url="https://example.org/nota",
        fact_date=data.date(2015, 1, 1),
        confidential=False,
    )
    body = page(client, enlace_sep, ciclo="ciclo-2023").content.decode()
    assert "Oficio SEP/123" in body
    assert "confidencial" in body
    assert "Nota de prensa 2015" in body
    assert "fuera del periodo: no cuenta para la calificación" in body


def test_csv_and_json_match_the_page(client, enlace_sep, cycles):
    import csv
    import io
    import json

    response = page(client, enlace_sep, ciclo="ciclo-2023")
    shown = {row["code"]: row["status"] for row in response.context["card"].rows}
    url = reverse("reports:agency_scorecard_data", args=["SEP", "csv"])
    csv_rows = list(csv.DictReader(io.StringIO(client.get(url, {"ciclo": "ciclo-2023"}).content.decode())))
    assert {row["obligation_code"]: row["status"] for row in csv_rows} == shown
    assert {row["legal_basis"] for row in csv_rows if row["obligation_code"] == "SEP-PREV-01"} == {
        "LGPSEDMTP art. 48 fr. I"
    }
    url = reverse("reports:agency_scorecard_data", args=["SEP", "json"])
    json_rows = json.loads(client.get(url, {"ciclo": "ciclo-2023"}).content)
    assert {row["obligation_code"]: row["status"] for row in json_rows} == shown
    assert all(row["cycle"] == "ciclo-2023" and row["agency"] == "SEP" for row in json_rows)


def test_charts_are_inline_svg_with_text(client, enlace_sep, cycles):
    body = page(client, enlace_sep, ciclo="ciclo-2023").content.decode()
    assert body.count("<svg") == 4  # components and statuses, each drawn wide and for phones
    assert body.count('class="chart-narrow"') == 2
    assert 'id="chart-components-narrow"' in body and 'id="chart-status-narrow"' in body
    assert 'role="img"' in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # no inline script (CSP)
    assert "Sin obligaciones aplicables" in body  # assistance bar: only not applicable


def test_request_report_include_gets_cycle_and_agency(client, enlace_sep, cycles):
    response = page(client, enlace_sep, ciclo="ciclo-2023")
    names = [t.name for t in response.templates]
    assert "reports/includes/request_report.html" in names


def test_home_links_the_liaison_to_their_scorecard(client, enlace_sep, cycles):
    client.force_login(enlace_sep)
    body = client.get(reverse("home")).content.decode()
    assert reverse("reports:agency_scorecard", args=["SEP"]) in body
    assert reverse("reports:agency_scorecard", args=["INM"]) not in body
    assert reverse("reports:panorama") not in body


def test_published_scores_do_not_change_with_the_method(client, enlace_sep, cycles, monkeypatch):
    from reports import scoring

    assert page(client, enlace_sep, ciclo="ciclo-2023").context["card"].overall["score"] == pytest.approx(0.5)
    changed = scoring.Method(
        version="cndh-2019-v1",
        weights={**scoring.METHODS["cndh-2019-v1"].weights, "partially_complied": 0.0},
        informative=scoring.METHODS["cndh-2019-v1"].informative,
    )
    monkeypatch.setitem(scoring.METHODS, "cndh-2019-v1", changed)
    cache.clear()
    body = page(client, enlace_sep, ciclo="ciclo-2023").content.decode()
    assert 'data-figure="score">50 %' in body  # frozen on publication, not (1 + 0 + 0) / 3


def test_cached_page_shows_new_evidence(client, enlace_sep, sep, cycles):
    old, new = cycles
    assert "Oficio tardío" not in page(client, enlace_sep, ciclo="ciclo-2023").content.decode()
    assessment = data.Assessment.objects.get(cycle=new, agency=sep, obligation__code="SEP-PREV-02")
    Evidence.objects.create(assessment=assessment, title="Oficio tardío", fact_date=data.date(2021, 2, 2))
    assert "Oficio tardío" in page(client, enlace_sep, ciclo="ciclo-2023").content.decode()


def test_freeze_cycle_is_idempotent_and_refreezes_a_republished_cycle(cycles):
    from datetime import timedelta

    from reports.snapshots import freeze_cycle

    old, new = cycles
    assert freeze_cycle(new) == 3  # national + SEP + INM
    assert freeze_cycle(new) == 0
    new.published_at += timedelta(days=1)
    new.save()
    assert freeze_cycle(new) == 3
    assert ScorecardSnapshot.objects.filter(cycle=new).count() == 3
    with pytest.raises(ValueError):
        freeze_cycle(data.cycle("abierto", data.date(2024, 1, 1), data.date(2024, 12, 31), state="open"))


def test_first_cycle_has_no_trend(client, enlace_sep, cycles):
    card = page(client, enlace_sep, ciclo="cndh-2019").context["card"]
    assert {row["trend"] for row in card.rows} == {None}
    assert set(card.summary["trends"].values()) == {None}


def test_agency_absent_from_previous_cycle_is_new(client, enlace_inm, cycles):
    card = page(client, enlace_inm, "INM", ciclo="ciclo-2023").context["card"]
    assert {row["trend"] for row in card.rows} == {"new"}
    assert card.summary["trends"]["overall"] == "new"


def test_file_evidence_links_to_the_download_view(client, enlace_sep, sep, cycles):
    old, new = cycles
    assessment = data.Assessment.objects.get(cycle=new, agency=sep, obligation__code="SEP-PREV-01")
    item = Evidence.objects.create(
        assessment=assessment, title="Plan de estudios", fact_date=data.date(2020, 5, 4), file="evidence/plan.pdf"
    )
    body = page(client, enlace_sep, ciclo="ciclo-2023").content.decode()
    assert f'href="{reverse("obligations:evidence_download", args=[item.pk])}"' in body
