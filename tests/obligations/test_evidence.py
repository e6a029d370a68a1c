"""Evidence: immutable once validated, confidential by default, downloads checked by the access rule."""

import pytest
from django.urls import reverse

from obligations import services
from obligations.models import Evidence
from obligations.models.review import LockedError
from tests.obligations.workflow_factories import (
    PDF_BYTES,
    add_file_evidence,
    make_catalogue,
    open_test_cycle,
    rate,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # media: tests/conftest.py


@pytest.fixture
def assessment(auditora, sep):
    make_catalogue([sep], n_obligations=1)
    return open_test_cycle(auditora).assessments.get()


@pytest.fixture
def validated(assessment, auditora, auditor2):
    evidence = add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    services.validate(assessment, auditor2)
    return Evidence.objects.get(pk=evidence.pk)


def test_a_file_is_stored_under_a_generated_name_with_its_hash(assessment, auditora, media):
    evidence = services.add_evidence(
        assessment, auditora, upload=upload("../Oficio\u202e 2020.pdf"), title="Oficio", fact_date="2020-01-10"
    )
    assert evidence.original_filename == "Oficio 2020.pdf"
    assert evidence.sha256 and evidence.size == len(PDF_BYTES)
    assert evidence.file.name.startswith("evidence/") and "Oficio" not in evidence.file.name
    assert (media / evidence.file.name).read_bytes() == PDF_BYTES
    assert evidence.confidential is True  # confidential by default
    assert evidence.submitted_by == auditora


def test_a_fake_pdf_is_refused_and_nothing_is_stored(assessment, auditora, media):
    with pytest.raises(Exception, match="no corresponde"):
        services.add_evidence(
            assessment, auditora, upload=upload("x.pdf", b"MZ\x90"), title="x", fact_date="2020-01-01"
        )
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_evidence_of_a_validated_assessment_cannot_be_changed(validated):
    validated.title = "Otro título"
    with pytest.raises(LockedError, match="no puede modificarse ni eliminarse"):
        validated.save()
    assert Evidence.objects.get(pk=validated.pk).title == "Oficio de respuesta"


def test_evidence_of_a_validated_assessment_cannot_be_deleted(validated):
    with pytest.raises(LockedError):
        validated.delete()
    assert Evidence.objects.filter(pk=validated.pk).exists()


def test_no_evidence_can_be_added_to_a_validated_assessment(validated, auditora):
    with pytest.raises(LockedError):
        add_file_evidence(validated.assessment, auditora)


def test_validated_evidence_can_still_be_marked_publishable(validated, auditor2):
    services.mark_publishable(validated, auditor2)
    validated.refresh_from_db()
    assert validated.confidential is False
    assert validated.history.latest().history_user == auditor2


def test_evidence_of_a_draft_can_be_deleted(assessment, auditora):
    evidence = add_file_evidence(assessment, auditora)
    pk = evidence.pk
    evidence.delete()
    assert not Evidence.objects.exists()
    assert Evidence.history.filter(id=pk, history_type="-").exists()


# --- download view -----------------------------------------------------------------------


def url(evidence):
    return reverse("obligations:evidence_download", args=[evidence.pk])


def test_the_auditor_downloads_as_an_attachment_with_a_safe_name(client, assessment, auditora):
    evidence = services.add_evidence(
        assessment, auditora, upload=upload('ofi"cio\u202e.pdf'), title="Oficio", fact_date="2020-01-10"
    )
    client.force_login(auditora)
    response = client.get(url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\u202e" not in disposition


def test_the_download_url_is_not_the_storage_path(assessment, auditora):
    evidence = add_file_evidence(assessment, auditora)
    assert url(evidence) == f"/evidencias/{evidence.pk}/descargar/"
    assert evidence.file.name not in url(evidence)


def test_anonymous_visitors_are_sent_to_log_in(client, assessment, auditora):
    response = client.get(url(add_file_evidence(assessment, auditora)))
    assert response.status_code == 302 and "/entrar/" in response["Location"]


@pytest.mark.parametrize("persona", ["enlace_inm", "enlace_sep", "secretariado", "outsider"])
def test_others_get_404_for_unpublished_evidence(client, assessment, auditora, persona, request):
    evidence = add_file_evidence(assessment, auditora)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(evidence)).status_code == 404


def test_confidential_evidence_of_a_published_cycle_stays_in_the_circle(
    client, validated, enlace_sep, enlace_inm, secretariado, outsider
):
    cycle = validated.assessment.cycle
    cycle.state = "published"
    cycle.save()
    for user, expected in [(enlace_sep, 200), (secretariado, 200), (enlace_inm, 404), (outsider, 404)]:
        client.force_login(user)
        assert client.get(url(validated)).status_code == expected, user
    Evidence.objects.filter(pk=validated.pk).update(confidential=False)
    client.force_login(outsider)
    assert client.get(url(validated)).status_code == 200
