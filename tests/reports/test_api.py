"""The read-only JSON API (/api/v1/): published data only, pagination, filters, ETags, OpenAPI."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.figure_fixtures import figure_rows  # noqa: F401 (fixture)
from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def get(client, name, **params):
    response = client.get(reverse(f"api:{name}"), params)
    return response, (response.json() if response["Content-Type"].startswith("application/json") else None)


def test_cycles_lists_published_only(client, published_world):
    response, data = get(client, "cycles")
    assert response.status_code == 200
    assert [c["slug"] for c in data["results"]] == ["cndh-2019"]
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None


def test_assessments_never_include_an_unpublished_cycle(client, published_world, auditora):
    client.force_login(auditora)  # even an auditor gets the public data here
    _, data = get(client, "assessments")
    assert {(a["cycle"], a["agency"]) for a in data["results"]} == {("cndh-2019", "SEP"), ("cndh-2019", "INM")}
    _, data = get(client, "assessments", cycle="ciclo-2026")
    assert data == {"count": 0, "next": None, "previous": None, "results": []}


def test_assessment_filters(client, published_world):
    _, data = get(client, "assessments", cycle="cndh-2019", agency="SEP")
    assert [(a["agency"], a["obligation_code"], a["status"]) for a in data["results"]] == [
        ("SEP", "LG-89-XV", "not_complied")
    ]
    _, data = get(client, "assessments", agency="sep")
    assert data["count"] == 1
    _, data = get(client, "assessments", status="no_information")
    assert [a["agency"] for a in data["results"]] == ["INM"]
    _, data = get(client, "assessments", component="coordination", level="2")
    assert [a["obligation_code"] for a in data["results"]] == ["LG-88-III"]
    _, data = get(client, "assessments", obligation="LG-89-XV")
    assert data["count"] == 1


def test_agency_filter_finds_former_acronyms(client, published_world, inm):
    from datetime import date

    from agencies.models import AgencyName

    AgencyName.objects.create(agency=inm, acronym="INMX", name_es="Nombre anterior", valid_until=date(2018, 1, 1))
    _, data = get(client, "assessments", agency="INMX")
    assert data["count"] == 1 and data["results"][0]["agency"] == "INMX"  # the name it had in the period


def test_invalid_filters_are_a_400_not_everything(client, published_world):
    response, data = get(client, "assessments", status="excellent")
    assert response.status_code == 400 and "status" in data["error"]
    response, data = get(client, "assessments", agencia="SEP")
    assert response.status_code == 400 and "agencia" in data["error"]
    response, data = get(client, "assessments", page_size="0")
    assert response.status_code == 400
    response, data = get(client, "agencies", commission_member="maybe")
    assert response.status_code == 400
    response, data = get(client, "assessments", cycle="cndh\x002019")
    assert response.status_code == 400 and "NUL" in data["error"]
    assert response["Cache-Control"] == "no-store"


def test_pagination_walks_every_row_once(client, published_world, sep):
    from obligations.models import Assessment
    from tests.information_requests.fixtures import make_obligation

    for n in range(7):
        Assessment.objects.create(
            cycle=published_world["published"],
            agency=sep,
            obligation=make_obligation(f"EXTRA-{n}"),
            status="complied",
            rationale="x",
            workflow_state="validated",
        )
    seen = []
    url = reverse("api:assessments") + "?cycle=cndh-2019&page_size=4"
    pages = 0
    while url:
        data = client.get(url).json()
        assert data["count"] == 9
        seen += [(a["agency"], a["obligation_code"]) for a in data["results"]]
        url = data["next"]
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 9
    data = client.get(reverse("api:assessments"), {"page": 2, "page_size": 4}).json()
    assert data["previous"].endswith("page=1") or "page=1" in data["previous"]
    response, data = get(client, "assessments", page=9, page_size=4)
    assert response.status_code == 404 and "no existe" in data["error"]


def test_agencies_and_obligations(client, published_world):
    _, data = get(client, "agencies", q="migración")
    assert [a["acronym"] for a in data["results"]] == ["INM"]
    _, data = get(client, "obligations", agency="SEP")
    assert [o["code"] for o in data["results"]] == ["LG-89-XV"]
    _, data = get(client, "obligations", component="coordination")
    assert [o["code"] for o in data["results"]] == ["LG-88-III"]


def test_etag_and_if_none_match(client, published_world):
    response = client.get(reverse("api:assessments"), {"cycle": "cndh-2019"})
    etag = response["ETag"]
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(reverse("api:assessments"), {"cycle": "cndh-2019"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    other = client.get(reverse("api:assessments"), {"cycle": "cndh-2019", "agency": "SEP"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_the_etag_changes_when_the_data_changes(client, published_world):
    first = client.get(reverse("api:cycles"))["ETag"]
    published_world["open"].state = "published"
    published_world["open"].save()
    second = client.get(reverse("api:cycles"), HTTP_IF_NONE_MATCH=first)
    assert second.status_code == 200 and second["ETag"] != first


def test_only_safe_methods(client, published_world):
    assert client.post(reverse("api:assessments")).status_code == 405
    csrf_client = type(client)(enforce_csrf_checks=True)
    assert csrf_client.post(reverse("api:assessments")).status_code == 403  # CSRF answers first in real life
    assert client.head(reverse("api:assessments")).status_code == 200


def test_the_openapi_document_validates_and_matches_the_routes(client, published_world, figure_rows):  # noqa: F811
    from openapi_spec_validator import validate

    response, document = get(client, "openapi")
    assert response.status_code == 200
    validate(document)
    assert set(document["paths"]) == {
        "/cycles/",
        "/agencies/",
        "/obligations/",
        "/assessments/",
        "/indicator-values/",
        "/states/",
        "/state-facts/",
        "/recommendation-links/",
    }
    base = document["servers"][0]["url"]
    for path in document["paths"]:
        assert client.get(base + path).status_code == 200


def test_responses_match_the_documented_schemas(client, published_world, figure_rows):  # noqa: F811
    from jsonschema import Draft4Validator

    _, document = get(client, "openapi")

    def resolve(schema):
        if isinstance(schema, dict):
            if "$ref" in schema:
                return resolve(document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
            return {k: resolve(v) for k, v in schema.items() if k != "nullable"} | (
                {"type": [schema["type"], "null"]} if schema.get("nullable") else {}
            )
        if isinstance(schema, list):
            return [resolve(item) for item in schema]
        return schema

    for path, item in document["paths"].items():
        schema = resolve(item["get"]["responses"]["200"]["content"]["application/json"]["schema"])
        body = client.get(document["servers"][0]["url"] + path).json()
        Draft4Validator(schema).validate(body)
        assert body["results"], path


def test_a_page_costs_the_same_queries_whatever_its_size(client, published_world, sep):
    from obligations.models import Assessment
    from tests.information_requests.fixtures import make_obligation

    def queries_for_a_page():
        with CaptureQueriesContext(connection) as queries:
            data = client.get(reverse("api:assessments"), {"page_size": 500}).json()
        return data["count"], len(queries.captured_queries)

    small = queries_for_a_page()
    for n in range(30):
        Assessment.objects.create(
            cycle=published_world["published"],
            agency=sep,
            obligation=make_obligation(f"BULK-{n}"),
            status="complied",
            rationale="x",
            workflow_state="validated",
        )
    large = queries_for_a_page()
    # count + page (with cycle, agency, obligation) + former names + the legal basis per cycle
    # (obligation-provision links, provisions, their versions and replacements)
    assert (small[0], large[0]) == (2, 32)
    assert small[1] == large[1] <= 7


def test_figures_publish_not_reported_as_null_with_source_and_quote(client, figure_rows):  # noqa: F811
    _, data = get(client, "indicator_values", agency="INM")
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["status"], row["value"], row["quote"], row["agency"]) == ("not_reported", None, "Not reported.", "INM")
    response, data = get(client, "indicator_values", year="20x4")
    assert response.status_code == 400
    response = client.get(reverse("api:indicator_values"))
    assert (
        response["ETag"]
        and client.get(reverse("api:indicator_values"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )


def test_states_facts_and_recommendation_links(client, figure_rows):  # noqa: F811
    _, states = get(client, "states")
    assert states["count"] == 32 and states["results"][5] == {
        "code": "06",
        "name": "Colima",
        "short_name": "Colima",
        "abbreviation": "COL",
        "tile_row": 4,
        "tile_column": 1,
        "prosecutor": figure_rows["state"].prosecutor.acronym if figure_rows["state"].prosecutor_id else "",
    }
    _, facts = get(client, "state_facts", state="06", topic="victims")
    assert [f["code"] for f in facts["results"]] == ["col-victimas"]
    _, links = get(client, "recommendation_links", ask="datos", page_size=1)
    assert links["count"] == 2 and links["next"] is not None
    assert links["results"][0] | {"reason_es": ""} == {
        "ask": "datos",
        "ask_title_es": "Mejores datos",
        "ask_title_en": "",
        "recommendation": "T-2005",
        "issuer": "tip_2005",
        "year": 2005,
        "paragraph": "",
        "first_asked": 2005,
        "reason_es": "",
        "reason_en": "",
    }
    _, second = get(client, "recommendation_links", ask="datos", page=2, page_size=1)
    assert (second["results"][0]["recommendation"], second["results"][0]["first_asked"]) == ("T-2025", 2005)
