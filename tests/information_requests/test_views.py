"""The liaison's pages: list, detail, answer form (draft → submit), downloads; 404 outside scope."""

import pytest
from django.urls import reverse

from information_requests.models import Answer, RequestAttachment
from obligations.models import Evidence
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import PDF_BYTES, addressee_of, make_request, pdf

pytestmark = pytest.mark.django_db


def test_liaison_sees_their_agencys_requests_on_home_and_list(client, sent_request, enlace_sep):
    client.force_login(enlace_sep)
    home = client.get(reverse("home")).content.decode()
    assert "Programa anual de prevención" in home
    assert (
        reverse(
            "information_requests:detail",
            args=[addressee_of(sent_request, sent_request.agencies.get(acronym="SEP")).pk],
        )
        in home
    )
    body = client.get(reverse("information_requests:list")).content.decode()
    assert body.count(f'data-request="{sent_request.pk}"') == 1  # SEP's row only, not INM's


def test_another_agencys_addressee_is_a_404(client, sent_request, inm, enlace_sep, obligations):
    client.force_login(enlace_sep)
    other = addressee_of(sent_request, inm)
    assert client.get(reverse("information_requests:detail", args=[other.pk])).status_code == 404
    url = reverse("information_requests:answer", args=[other.pk, obligations[0].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "intruso", "action": "save"}).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "secretariado"])
def test_people_without_an_addressed_agency_get_404(client, request, sent_request, sep, persona):
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("information_requests:detail", args=[addressee_of(sent_request, sep).pk])).status_code == 404
    )


def test_anonymous_is_sent_to_login(client, sent_request, sep):
    response = client.get(reverse("information_requests:detail", args=[addressee_of(sent_request, sep).pk]))
    assert response.status_code == 302 and "/entrar/" in response["Location"]


def test_draft_request_is_not_shown(client, cycle, sep, obligations, enlace_sep):
    draft = make_request(cycle, [sep], obligations, title="Borrador interno")
    client.force_login(enlace_sep)
    assert "Borrador interno" not in client.get(reverse("information_requests:list")).content.decode()
    assert client.get(reverse("information_requests:detail", args=[addressee_of(draft, sep).pk])).status_code == 404


def test_save_draft_then_submit_through_the_form(client, sent_request, sep, obligations, enlace_sep, media):
    client.force_login(enlace_sep)
    addressee = addressee_of(sent_request, sep)
    url = reverse("information_requests:answer", args=[addressee.pk, obligations[0].pk])
    response = client.post(url, {"text": "Borrador de respuesta", "action": "save", "documents": [pdf()]})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.state == "draft" and answer.documents.count() == 1
    page = client.get(url).content.decode()
    assert "Borrador de respuesta" in page and "oficio.pdf" in page

    response = client.post(url, {"text": "Respuesta final", "action": "submit"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.state == "submitted" and answer.text == "Respuesta final"
    assert Evidence.objects.filter(assessment__agency=sep, provided_by_agency=True).count() == 2
    page = client.get(url).content.decode()
    assert "Respuesta final" in page and "Guardar borrador" not in page
    # A second tab that still shows the form: told why, nothing changes.
    second_tab = client.post(url, {"text": "Cambio", "action": "save"})
    assert second_tab.status_code == 200
    assert second_tab.content.decode().count("La respuesta ya fue enviada y no puede modificarse.") == 1
    answer.refresh_from_db()
    assert answer.text == "Respuesta final" and answer.history.count() == 3  # created, saved, submitted
    detail = client.get(reverse("information_requests:detail", args=[addressee.pk])).content.decode()
    assert "Enviada el" in detail


def test_invalid_upload_shows_the_error(client, sent_request, sep, obligations, enlace_sep, media):
    client.force_login(enlace_sep)
    url = reverse("information_requests:answer", args=[addressee_of(sent_request, sep).pk, obligations[0].pk])
    response = client.post(url, {"text": "x", "action": "save", "documents": [pdf("virus.exe", b"MZ")]})
    assert response.status_code == 200
    assert "Tipo de archivo no permitido" in response.content.decode()
    assert not Answer.objects.exists()


def test_auditor_reads_submitted_answers_but_not_drafts(client, sent_request, sep, obligations, enlace_sep, auditora):
    from information_requests.services import save_answer, submit_answer

    addressee = addressee_of(sent_request, sep)
    save_answer(addressee, obligations[0], by=enlace_sep, text="Borrador privado")
    submit_answer(save_answer(addressee, obligations[1], by=enlace_sep, text="Enviada"), by=enlace_sep)
    client.force_login(auditora)
    draft_page = client.get(
        reverse("information_requests:answer", args=[addressee.pk, obligations[0].pk])
    ).content.decode()
    assert "Borrador privado" not in draft_page
    sent_page = client.get(
        reverse("information_requests:answer", args=[addressee.pk, obligations[1].pk])
    ).content.decode()
    assert "Enviada" in sent_page


def test_attachment_download_is_scoped(client, sent_request, enlace_sep, enlace_inm, outsider, media):
    from django.core.files.base import ContentFile

    attachment = RequestAttachment(request=sent_request, title="Formato", original_filename="formato.pdf")
    attachment.file.save("formato.pdf", ContentFile(PDF_BYTES), save=True)
    url = reverse("information_requests:attachment", args=[attachment.pk])
    client.force_login(enlace_sep)
    response = client.get(url)
    assert response.status_code == 200 and "formato.pdf" in response["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_answer_document_download_is_scoped(client, sent_request, sep, obligations, enlace_sep, enlace_inm, media):
    from information_requests.services import save_answer

    answer = save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="x", files=[pdf()])
    url = reverse("information_requests:answer_document", args=[answer.documents.get().pk])
    client.force_login(enlace_sep)
    assert client.get(url).status_code == 200
    client.force_login(enlace_inm)
    assert client.get(url).status_code == 404
