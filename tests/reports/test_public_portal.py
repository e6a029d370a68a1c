"""The public portal (/publico/): anonymous, published cycles only, confidential evidence as a count."""

import csv
import io
import json

import pytest
from django.urls import reverse

from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def test_index_lists_published_cycles_only(client, published_world):
    body = client.get(reverse("public:index")).content.decode()
    assert "Diagnóstico CNDH 2019" in body
    assert "Ciclo 2026" not in body


def test_odd_cycle_and_agency_values_are_a_404(client, published_world):
    url = reverse("public:dataset", args=["assessments", "csv"])
    assert client.get(url, {"ciclo": "x" * 500}).status_code == 404
    # NUL never reaches a view (compliance.middleware.RejectControlCharactersMiddleware).
    assert client.get(url, {"ciclo": "cndh-2019\x00"}).status_code == 400
    assert client.get("/publico/cndh-2019/S%00EP/").status_code == 400


def test_an_unpublished_cycle_is_not_reachable(client, published_world, sep):
    assert client.get(reverse("public:panorama", args=["ciclo-2026"])).status_code == 404
    assert client.get(reverse("public:scorecard", args=["ciclo-2026", "SEP"])).status_code == 404
    response = client.get(reverse("public:dataset", args=["assessments", "csv"]), {"ciclo": "ciclo-2026"})
    assert response.status_code == 404


def test_panorama_of_a_published_cycle(client, published_world):
    response = client.get(reverse("public:panorama", args=["cndh-2019"]))
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    body = response.content.decode()
    assert 'data-agency="SEP"' in body and 'data-agency="INM"' in body
    assert reverse("public:scorecard", args=["cndh-2019", "SEP"]) in body


def test_scorecard_shows_rating_reply_and_only_the_count_of_confidential_evidence(client, published_world):
    body = client.get(reverse("public:scorecard", args=["cndh-2019", "sep"])).content.decode()
    assert 'data-obligation="LG-89-XV" data-status="not_complied"' in body
    assert "Justificación cndh-2019 SEP LG-89-XV" in body
    assert "Informe público de la SEP" in body
    assert "Oficio con nombres de víctimas" not in body
    assert 'data-hidden-evidence="1"' in body
    assert "La SEP aplicó el programa en 2017." in body
    assert "No hay evidencia en el periodo." in body
    assert "Se mantiene la calificación" in body


@pytest.mark.parametrize("persona", ["auditora", "enlace_sep", "secretariado"])
def test_logged_in_users_see_the_public_view_too(client, request, published_world, persona):
    """The portal is the anonymous view whoever asks: no draft, no open cycle, no confidential item."""
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("public:scorecard", args=["cndh-2019", "SEP"])).content.decode()
    assert "Oficio con nombres de víctimas" not in body
    data = client.get(reverse("public:dataset", args=["assessments", "json"])).content.decode()
    assert "ciclo-2026" not in data


def test_open_data_assessments_csv_has_published_rows_only(client, published_world):
    response = client.get(reverse("public:dataset", args=["assessments", "csv"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["cycle"], r["agency"], r["obligation_code"], r["status"]) for r in rows} == {
        ("cndh-2019", "SEP", "LG-89-XV", "not_complied"),
        ("cndh-2019", "INM", "LG-88-III", "no_information"),
    }


def test_open_data_obligations_and_agencies(client, published_world):
    obligations = json.loads(client.get(reverse("public:dataset", args=["obligations", "json"])).content)
    assert {o["code"]: o["responsible_agencies"] for o in obligations} == {"LG-88-III": "INM", "LG-89-XV": "SEP"}
    agencies = list(
        csv.DictReader(io.StringIO(client.get(reverse("public:dataset", args=["agencies", "csv"])).content.decode()))
    )
    assert {a["acronym"] for a in agencies} == {"SEP", "INM"}
    assert client.get(reverse("public:dataset", args=["users", "csv"])).status_code == 404
    assert client.get(reverse("public:dataset", args=["agencies", "xml"])).status_code == 404


def test_data_dictionary_documents_every_column(client, published_world):
    from reports.open_data import AGENCY_COLUMNS, DICTIONARY, OBLIGATION_COLUMNS
    from reports.open_data import ASSESSMENT_COLUMNS as OPEN_DATA_COLUMNS

    assert list(DICTIONARY["assessments"]["columns"]) == OPEN_DATA_COLUMNS
    assert list(DICTIONARY["obligations"]["columns"]) == OBLIGATION_COLUMNS
    assert list(DICTIONARY["agencies"]["columns"]) == AGENCY_COLUMNS
    body = client.get(reverse("public:dictionary")).content.decode()
    for column in OPEN_DATA_COLUMNS + OBLIGATION_COLUMNS + AGENCY_COLUMNS:
        assert f"<code>{column}</code>" in body


def test_public_evidence_downloads_but_confidential_does_not(client, published_world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from obligations.models import Evidence

    public, confidential = Evidence.objects.filter(assessment=published_world["sep_2019"]).order_by("confidential")
    for item in (public, confidential):
        item.file.save("doc.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        Evidence.objects.filter(pk=item.pk).update(file=item.file.name, original_filename="doc.pdf")
    assert client.get(reverse("public:evidence_download", args=[public.pk])).status_code == 200
    assert client.get(reverse("public:evidence_download", args=[confidential.pk])).status_code == 404


def test_only_reports_of_published_cycles_rendered_after_publication_are_listed(client, published_world, sep):
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from reports.models.jobs import ReportJob

    published, open_cycle = published_world["published"], published_world["open"]

    def job(cycle, finished_at, agency=None):
        item = ReportJob.objects.create(
            kind="agency" if agency else "national",
            cycle=cycle,
            agency=agency,
            language="es",
            state="done",
            finished_at=finished_at,
        )
        item.file.save(item.storage_name(), ContentFile(b"%PDF-1.4 report"), save=True)
        return item

    good = job(published, published.published_at + timedelta(minutes=5), agency=sep)
    before = job(published, published.published_at - timedelta(days=1))
    secret = job(open_cycle, published.published_at + timedelta(minutes=5))
    body = client.get(reverse("public:reports")).content.decode()
    assert f'data-report="{good.pk}"' in body
    assert f'data-report="{before.pk}"' not in body and f'data-report="{secret.pk}"' not in body
    response = client.get(reverse("public:report_download", args=[good.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("public:report_download", args=[secret.pk])).status_code == 404
    assert client.get(reverse("public:report_download", args=[before.pk])).status_code == 404
