"""Whole pages of published cycles are cached (lib.page_cache, reports.views): a re-freeze, a
language switch or another role never gets a stale or someone else's page."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obligations.models import Assessment, Evidence
from reports.snapshots import run_freeze
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def cycles(sep, inm):
    return data.two_cycles(sep, inm)


SCORECARD = reverse("reports:agency_scorecard", args=["SEP"])
PANORAMA = reverse("reports:panorama")


def get(client, url, **params):
    response = client.get(url, {"ciclo": "ciclo-2023", **params})
    assert response.status_code == 200
    return response.content.decode()


def score(body):
    return re.search(r'data-figure="score">([^<]*)<', body).group(1)


def test_the_second_read_is_served_from_the_cache(client, secretariado, cycles):
    client.force_login(secretariado)
    get(client, SCORECARD)  # the first read of a cycle published as data freezes it
    first = get(client, SCORECARD)
    with CaptureQueriesContext(connection) as queries:
        second = get(client, SCORECARD)
    assert score(second) == score(first) == "50 %"
    # No snapshot, evidence list or reply query: session, user, roles, agency, cycles, evidence
    # version, and the PDF panel (rendered per request).
    assert not any("reports_scorecardsnapshot" in q["sql"] for q in queries.captured_queries), [
        q["sql"][:300] for q in queries.captured_queries if "reports_scorecardsnapshot" in q["sql"]
    ]


def test_a_refreeze_is_never_served_stale(client, secretariado, cycles):
    client.force_login(secretariado)
    assert score(get(client, SCORECARD)) == "50 %"
    assert 'data-agency="SEP"' in get(client, PANORAMA)
    _old, new = cycles
    # A correction of the published ratings, frozen again (`freeze_scorecards --force`).
    Assessment.objects.filter(cycle=new, agency__acronym="SEP").update(status="complied")
    run_freeze(new, force=True)
    assert score(get(client, SCORECARD)) == "100 %"
    panorama = get(client, PANORAMA)
    assert re.search(r'data-agency="SEP".*?100 %', panorama, re.S)


def test_a_language_switch_gets_the_page_in_that_language(client, secretariado, cycles):
    client.force_login(secretariado)
    assert "Cédula publicada y congelada" in get(client, SCORECARD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = get(client, SCORECARD)
    assert "Cédula publicada y congelada" not in english and 'lang="en"' in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es-mx"
    assert "Cédula publicada y congelada" in get(client, SCORECARD)


def test_another_role_never_gets_the_cached_page(client, secretariado, enlace_inm, cycles):
    client.force_login(secretariado)
    body = get(client, PANORAMA)
    assert 'data-agency="SEP"' in body and 'data-agency="INM"' in body
    assert f">{secretariado.username}<" in body
    client.force_login(enlace_inm)  # a liaison sees only their agency
    body = get(client, PANORAMA)
    assert 'data-agency="INM"' in body and 'data-agency="SEP"' not in body
    assert f">{enlace_inm.username}<" in body and secretariado.username not in body


def test_each_reader_gets_their_own_csrf_token(client, secretariado, cycles):
    client.force_login(secretariado)
    tokens = set()
    for _ in range(2):
        body = get(client, SCORECARD)
        assert "page-cache-" not in body  # every placeholder filled in
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert tokens and all(len(token) == 64 for token in tokens)
    # the language form of a cached page still posts (CSRF enforced)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302


def test_a_confidentiality_change_is_never_served_stale(client, secretariado, sep, cycles):
    _old, new = cycles
    assessment = Assessment.objects.get(cycle=new, agency=sep, obligation__code="SEP-PREV-01")
    item = Evidence.objects.create(
        assessment=assessment, title="Oficio 12/2020", fact_date=data.date(2020, 1, 1), confidential=False
    )
    client.force_login(secretariado)
    assert "Oficio 12/2020" in get(client, SCORECARD) and " · confidencial" not in get(client, SCORECARD)
    # The one change a published cycle's evidence admits: its confidentiality.
    Evidence.objects.filter(pk=item.pk).update(confidential=True)
    assert " · confidencial" in get(client, SCORECARD)


def test_a_new_cycle_appears_in_the_menu_of_a_cached_page(client, auditora, cycles):
    client.force_login(auditora)
    assert "ciclo-2025" not in get(client, SCORECARD)
    data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    assert 'value="ciclo-2025"' in get(client, SCORECARD)


# --- the PDF panel of a cached page (its latest job is loaded by the page's script) ---------


def _panel_latest_url(body):
    found = re.search(r'data-latest-url="([^"]+)"', body)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_cached_page_leaves_the_latest_job_to_the_panel_endpoint(client, secretariado, sep, cycles):
    from reports.jobs import job_payload
    from reports.models import ReportJob

    _old, new = cycles
    client.force_login(secretariado)
    get(client, SCORECARD)
    body = get(client, SCORECARD)
    url = _panel_latest_url(body)
    assert url == reverse("report_jobs:latest") + "?kind=agency&cycle=ciclo-2023&agency=SEP"
    assert "data-status-url" not in body  # no job state in the cached markup
    assert client.get(url).json() == {"id": None}
    job = ReportJob.objects.create(kind="agency", cycle=new, agency=sep, requested_by=secretariado)
    # the cached page is unchanged; the endpoint gives the new job
    assert _panel_latest_url(get(client, SCORECARD)) == url
    assert client.get(url).json() == job_payload(job)


def test_the_panel_endpoint_answers_only_who_may_request_that_report(client, enlace_inm, cycles):
    client.force_login(enlace_inm)
    latest = reverse("report_jobs:latest")
    assert client.get(latest, {"kind": "agency", "cycle": "ciclo-2023", "agency": "INM"}).json() == {"id": None}
    assert client.get(latest, {"kind": "agency", "cycle": "ciclo-2023", "agency": "SEP"}).status_code == 404
    assert client.get(latest, {"kind": "national", "cycle": "ciclo-2023"}).status_code == 404
    assert client.get(latest, {"kind": "agency", "cycle": "no-existe", "agency": "INM"}).status_code == 404
    client.logout()
    response = client.get(latest, {"kind": "national", "cycle": "ciclo-2023"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_after_a_request_the_page_shows_the_job_without_javascript(client, secretariado, cycles):
    """The redirect after the form's POST carries a message: that page is rendered for this
    reader (not from the cache), with the job's state and the button disabled."""
    client.force_login(secretariado)
    get(client, SCORECARD)
    response = client.post(
        reverse("report_jobs:request"),
        {"kind": "agency", "cycle": "ciclo-2023", "agency": "SEP", "next": f"{SCORECARD}?ciclo=ciclo-2023"},
        follow=True,
    )
    body = response.content.decode()
    assert 'data-status-url="' in body and "data-latest-url" not in body
    assert re.search(r"<button type=\"submit\" data-report-button disabled>", body)


# --- live pages: computed on every request, their markup cached by content -----------------


def panorama_score(body, acronym):
    return re.search(rf'data-agency="{acronym}".*?data-col="score">([^<]*?)\s*<', body, re.S).group(1).strip()


def test_a_live_page_shows_every_change_at_once(client, auditora, sep, inm, cycles):
    open_cycle = data.cycle("ciclo-2025", data.date(2024, 1, 1), data.date(2025, 12, 31), state="open")
    obligation = Assessment.objects.filter(obligation__code="SEP-PREV-01").first().obligation
    rated = data.rate(open_cycle, sep, obligation, "not_complied", "Sin avances.")
    client.force_login(auditora)

    def scorecard():
        return get(client, SCORECARD, ciclo="ciclo-2025")

    def panorama():
        return get(client, PANORAMA, ciclo="ciclo-2025")

    first = scorecard()
    assert score(first) == "0 %" and "Sin avances." in first
    assert panorama_score(panorama(), "SEP") == "0 %"
    Assessment.objects.filter(pk=rated.pk).update(status="complied", rationale="Módulos publicados.")
    body = scorecard()
    assert score(body) == "100 %" and "Módulos publicados." in body and "Sin avances." not in body
    assert panorama_score(panorama(), "SEP") == "100 %"
    # and a language switch renders the live pages in that language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in scorecard() and "Sin avances." not in scorecard()
    assert "Panorama nacional" not in panorama()
