"""The scorecard and panorama pages run a number of queries that does not grow with the data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obligations.models import Evidence, Recommendation
from tests.reports import scorecard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Published pages are cached by content; each test starts from an empty cache."""
    cache.clear()


STATUSES = ["complied", "partially_complied", "not_complied", "no_information", "not_applicable"]


def build(n_agencies, n_obligations, state="published"):
    agencies = [data.agency(f"AG{i:03d}") for i in range(n_agencies)]
    provisions = [data.provision(str(k)) for k in range(1, 4)]
    obligations = [
        data.obligation(f"OB-{j:03d}", data.COMPONENTS[j % 4], provisions=provisions[: 1 + j % 3])
        for j in range(n_obligations)
    ]
    data.bulk_cycle("c1", data.date(2012, 6, 15), data.date(2017, 7, 31), agencies, obligations, STATUSES)
    current = data.bulk_cycle(
        "c2", data.date(2017, 8, 1), data.date(2023, 12, 31), agencies, obligations, STATUSES[::-1], state=state
    )
    # One obligation no agency has met, so both sizes list "unmet" obligations (with a legal basis,
    # so both load the basis of the unmet ones at every level: a prefetch with nothing to look
    # up runs no query).
    data.rate(
        current, agencies[-1], data.obligation("OB-NONE", "coordination", provisions=provisions[:1]), "not_complied"
    )
    for assessment in data.Assessment.objects.filter(cycle=current, agency=agencies[0]):
        Evidence.objects.create(assessment=assessment, title="Oficio", fact_date=data.date(2020, 1, 1))
    for k in range(n_obligations // 3 + 1):
        rec = Recommendation.objects.create(code=f"R-{k}", issuer="cndh_2019", text_es="Texto")
        rec.addressees.set(agencies[:2])
    return agencies[0]


def count(client, url, params):
    """(queries when rendered, queries when served from the cache, the rendered response)."""
    client.get(url, params)  # the first read of a published cycle freezes it
    cache.clear()
    with CaptureQueriesContext(connection) as rendered:
        response = client.get(url, params)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url, params).status_code == 200
    assert response.status_code == 200
    return (len(rendered.captured_queries), len(cached.captured_queries)), response


@pytest.mark.parametrize("state, persona", [("published", "secretariado"), ("open", "auditora")])
def test_scorecard_queries_do_not_grow(client, request, state, persona):
    client.force_login(request.getfixturevalue(persona))
    first = build(3, 6, state=state)
    url = reverse("reports:agency_scorecard", args=[first.acronym])
    small, response = count(client, url, {"ciclo": "c2"})
    assert len(response.context["card"].rows) == 6
    # ten times the obligations and agencies, in fresh cycles
    big_first = _rebuild_bigger(state)
    big, response = count(client, reverse("reports:agency_scorecard", args=[big_first.acronym]), {"ciclo": "c2"})
    assert len(response.context["card"].rows) == 60
    assert big == small
    # recurring asks (issue 16): 1 query; the legal basis for the period (issue 11): the obligations
    # with their provisions and versions, 3 queries whatever the number of ratings.
    assert max(small) <= 19


def _rebuild_bigger(state):
    Evidence.objects.all().delete()
    data.Assessment.history.all().delete()
    data.Assessment.objects.all().delete()
    data.ReviewCycle.objects.all().delete()
    Recommendation.objects.all().delete()
    data.Obligation.objects.all().delete()
    data.Agency.objects.filter(acronym__startswith="AG").delete()
    return build(30, 60, state=state)


@pytest.mark.parametrize("state, persona", [("published", "secretariado"), ("open", "auditora")])
def test_panorama_queries_do_not_grow(client, request, state, persona):
    client.force_login(request.getfixturevalue(persona))
    build(3, 6, state=state)
    url = reverse("reports:panorama")
    small, response = count(client, url, {"ciclo": "c2", "orden": "-puntaje"})
    assert len(response.context["panorama"].agencies) == 3
    _rebuild_bigger(state)
    big, response = count(client, url, {"ciclo": "c2", "orden": "-puntaje"})
    assert len(response.context["panorama"].agencies) == 30
    assert big == small
    filtered, _ = count(client, url, {"ciclo": "c2", "component": "prosecution", "status": "complied", "q": "AG0"})
    assert max(filtered) <= max(small) + 2
    assert max(small) <= 16  # 14 + the unmet obligations with their legal basis for the period (issue 11)
