"""The public page "Verificar reporte" (/verificar/): the issued reports of published cycles with
their fingerprints, and the look-up a reader of a printed copy does with the fingerprint it shows."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reports import jobs
from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(published_world, sep):
    """A report of SEP issued after the publication (its data fingerprint is the live one), one
    rendered before the publication and one of the open cycle."""
    from django.core.files.base import ContentFile

    from reports.models import ReportJob

    published, open_cycle = published_world["published"], published_world["open"]

    def job(cycle, finished_at, *, agency=None, fingerprint, sha):
        item = ReportJob.objects.create(
            kind="agency" if agency else "national",
            cycle=cycle,
            agency=agency,
            language="es",
            state="done",
            finished_at=finished_at,
            data_fingerprint=fingerprint,
            sha256=sha,
            page_count=7,
        )
        item.file.save(item.storage_name(), ContentFile(b"%PDF-1.4 report"), save=True)
        return item

    after = published.published_at + timedelta(minutes=5)
    return {
        "good": job(
            published, after, agency=sep, fingerprint=jobs.data_fingerprint("agency", published, sep), sha="e1" * 32
        ),
        "draft": job(published, published.published_at - timedelta(days=1), fingerprint="d0" * 32, sha="d1" * 32),
        "secret": job(open_cycle, after, fingerprint="c0" * 32, sha="c1" * 32),
    }


def test_the_page_lists_issued_reports_with_their_fingerprints_only(client, issued):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    body = response.content.decode()
    good = issued["good"]
    assert f'data-report="{good.pk}"' in body and good.data_fingerprint in body and good.sha256 in body
    for other in ("draft", "secret"):
        assert f'data-report="{issued[other].pk}"' not in body
        assert issued[other].data_fingerprint not in body
    assert 'href="/verificar/"' in client.get(reverse("public:index")).content.decode()  # reachable from the portal


def test_the_first_16_characters_printed_on_a_page_identify_the_report(client, issued):
    good = issued["good"]
    printed = " ".join([good.data_fingerprint[:8].upper(), good.data_fingerprint[8:16]])  # as copied from paper
    body = client.get(reverse("verify"), {"huella": printed}).content.decode()
    assert "La huella corresponde a un reporte emitido" in body
    assert "Sus datos siguen vigentes." in body
    assert "Coincide con la huella de los datos." in body
    result = body.split("data-verify-result", 1)[1].split("</section>", 1)[0]
    assert f'data-report="{good.pk}"' in result and "SEP" in result


def test_the_file_fingerprint_identifies_the_report_too(client, issued):
    body = client.get(reverse("verify"), {"huella": issued["good"].sha256}).content.decode()
    assert "Coincide con la huella del archivo PDF." in body


def test_a_changed_rating_makes_the_issued_report_outdated(client, issued):
    from obligations.models import Assessment

    good = issued["good"]
    Assessment.objects.filter(cycle=good.cycle, agency=good.agency).update(rationale="Otra justificación")
    body = client.get(reverse("verify"), {"huella": good.data_fingerprint}).content.decode()
    assert "Los datos cambiaron después de emitirse" in body


@pytest.mark.parametrize("which", ["draft", "secret"])
def test_drafts_and_reports_of_open_cycles_are_not_issued_reports(client, issued, which):
    body = client.get(reverse("verify"), {"huella": issued[which].data_fingerprint}).content.decode()
    assert "La huella no corresponde a ningún reporte emitido" in body
    assert f'data-report="{issued[which].pk}"' not in body


def test_a_short_or_malformed_fingerprint_is_refused_with_a_message(client, issued):
    for typed in ("abc", "zz" * 10, " " * 20):
        body = client.get(reverse("verify"), {"huella": typed}).content.decode()
        assert "Escriba al menos los primeros 16 caracteres de la huella" in body
        assert "data-verify-result" not in body
    refused = client.get(reverse("verify"), {"huella": "\x00" * 20})  # before the view (middleware)
    assert refused.status_code == 400 and "data-verify-result" not in refused.content.decode()
