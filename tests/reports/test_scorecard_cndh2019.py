"""Scorecards of the real CNDH 2019 baseline (fixtures/ loaded by `manage.py load_reference_data`).

Expected figures are computed by hand from the baseline's statuses (CNDH 2019 ¶142–191):
SEP is not complied on its four obligations; INM has 2 partially complied, 2 not complied and
1 without information (¶173); nationally 9 complied, 17 partially, 49 not complied and 2 without
information out of 77 ratings.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(db):
    call_command("load_reference_data", verbosity=0)
    cache.clear()


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_sep_liaison_sees_sep_scorecard(client, baseline, enlace_sep):
    response = get(client, enlace_sep, reverse("reports:agency_scorecard", args=["SEP"]), ciclo="cndh-2019")
    assert response.status_code == 200
    body = response.content.decode()
    card = response.context["card"]
    assert [(row["code"], row["status"]) for row in card.rows] == [
        ("ASIS-09", "not_complied"),
        ("PREV-12", "not_complied"),
        ("PREV-15", "not_complied"),
        ("PREV-16", "not_complied"),
    ]
    assert card.overall["score"] == 0
    assert card.overall["coverage"] == 1  # a "no" is information; evasive answers are not
    assert "Módulos de prevención en los planes de estudio de educación básica" in body
    assert "CNDH 2019 ¶161" in body
    assert "No cumplida" in body
    # Every SEP obligation now has its legal basis from the cross-walk (issue 11).
    assert "LGPSEDMTP art. 89 fr. VI" in body and "por verificar" not in body
    assert 'data-figure="score">0 %' in body


def test_sep_liaison_sees_nothing_of_inm(client, baseline, enlace_sep):
    assert get(client, enlace_sep, reverse("reports:agency_scorecard", args=["INM"])).status_code == 404
    body = get(client, enlace_sep, reverse("reports:panorama"), ciclo="cndh-2019").content.decode()
    assert 'data-agency="INM"' not in body
    assert "estaciones migratorias" not in body


def test_inm_scorecard_worked_example(client, baseline, enlace_inm):
    response = get(client, enlace_inm, reverse("reports:agency_scorecard", args=["INM"]), ciclo="cndh-2019")
    card = response.context["card"]
    # (0.5 + 0.5 + 0 + 0 + 0) / 5 applicable = 20 %; information on 4 of 5 = 80 %
    assert card.overall["score"] == pytest.approx(0.2)
    assert card.overall["coverage"] == pytest.approx(0.8)
    assert card.overall["no_information"] == 1
    components = {c["key"]: c["score"] for c in card.components}
    assert components == {
        "prevention": 0,
        "assistance": pytest.approx(1 / 6),  # (0 + 0.5 + 0) / 3
        "prosecution": None,
        "coordination": 0.5,
    }
    body = response.content.decode()
    assert "LGPSEDMTP art. 75" in body  # ASIS-12's legal basis (¶173)
    assert 'data-obligation="ASIS-12" data-status="no_information"' in body


def test_secretariat_national_panorama(client, baseline, secretariado):
    response = get(client, secretariado, reverse("reports:panorama"), ciclo="cndh-2019")
    assert response.status_code == 200
    panorama = response.context["panorama"]
    assert len(panorama.agencies) == 18
    # (9 + 17 × 0.5) / 77 = 17.5 / 77
    assert panorama.summary["overall"]["score"] == pytest.approx(17.5 / 77)
    assert panorama.summary["overall"]["counts"]["not_complied"] == 49
    assert "PREV-15" in {item["code"] for item in panorama.unmet}
    body = response.content.decode()
    assert 'data-figure="national-score">23 %' in body
    assert 'data-agency="SEP"' in body and 'data-agency="INM"' in body
