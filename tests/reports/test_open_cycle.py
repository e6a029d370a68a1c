"""Open cycles say they are open: unrated (and, for a liaison, not yet validated) obligations count
as pending, the score is labelled preliminary and coverage is over all applicable obligations."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import scoring
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_pending_obligations_enter_the_coverage_not_the_score():
    method = scoring.get_method(None)
    summary = scoring.summarize(["partially_complied", "", "", "", ""], method)
    assert (summary.score, summary.applicable, summary.pending, summary.coverage_base) == (0.5, 1, 4, 5)
    assert summary.coverage == pytest.approx(0.2)
    assert summary.as_dict()["coverage_base"] == 5 and summary.as_dict()["pending"] == 4
    assert scoring.summarize(["not_applicable"], method).coverage is None  # nothing applicable: no coverage


@pytest.fixture
def open_cycle(sep):
    """The issue's case: 5 obligations of SEP in an open cycle, 1 validated (partially complied),
    1 rated but still a draft (not complied) and 3 unrated drafts."""
    cycle = data.cycle("ciclo-2026", data.date(2025, 1, 1), data.date(2026, 12, 31), state="open")
    obligations = [data.obligation(f"SEP-OPEN-0{i}") for i in range(1, 6)]
    data.rate(cycle, sep, obligations[0], "partially_complied", "Programa parcial")
    data.rate(cycle, sep, obligations[1], "not_complied", "Borrador interno", workflow_state="draft")
    for obligation in obligations[2:]:
        data.rate(cycle, sep, obligation, "", workflow_state="draft")
    return cycle


def scorecard(client, user):
    client.force_login(user)
    response = client.get(reverse("reports:agency_scorecard", args=["SEP"]), {"ciclo": "ciclo-2026"})
    assert response.status_code == 200
    return response.context["card"], response.content.decode()


def test_the_liaison_scorecard_of_an_open_cycle(client, enlace_sep, open_cycle):
    card, body = scorecard(client, enlace_sep)
    assert (card.overall["applicable"], card.overall["pending"], card.overall["coverage_base"]) == (1, 4, 5)
    assert 'data-figure="score">50 %' in body
    assert 'data-figure="coverage">20 %' in body
    assert "1 de 5 aplicables" in body and "1 de 1" not in body
    assert '<dd data-figure="pending">4 pendientes de calificar o de validar</dd>' in body
    assert 'Puntaje general <span class="tag tag-live" data-preliminary>preliminar</span>' in body
    assert "Borrador interno" not in body and [row["code"] for row in card.rows] == ["SEP-OPEN-01"]


def test_the_auditor_scorecard_of_an_open_cycle(client, auditora, open_cycle):
    card, body = scorecard(client, auditora)
    # partially (0.5) + not complied (0) over 2 applicable; 3 unrated pending; 2 informed of 5
    assert (card.overall["applicable"], card.overall["pending"], card.overall["coverage_base"]) == (2, 3, 5)
    assert 'data-figure="score">25 %' in body and 'data-figure="coverage">40 %' in body
    assert '<dd data-figure="pending">3 pendientes de calificar o de validar</dd>' in body
    assert "data-preliminary" in body


def test_a_published_cycle_is_not_preliminary(client, enlace_sep, sep, inm):
    data.two_cycles(sep, inm)
    client.force_login(enlace_sep)
    body = client.get(reverse("reports:agency_scorecard", args=["SEP"]), {"ciclo": "ciclo-2023"}).content.decode()
    assert "data-preliminary" not in body and 'data-figure="pending"' not in body
    assert 'data-figure="coverage">67 %' in body and "2 de 3 aplicables" in body


def test_the_auditor_panorama_of_an_open_cycle(client, auditora, open_cycle):
    client.force_login(auditora)
    body = client.get(reverse("reports:panorama"), {"ciclo": "ciclo-2026"}).content.decode()
    assert 'Puntaje nacional <span class="tag tag-live" data-preliminary>preliminar</span>' in body
    assert '<dd data-figure="pending">3 pendientes de calificar o de validar</dd>' in body
