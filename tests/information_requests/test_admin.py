"""The auditors' side in the admin: create a request with a term in business days, address it,
send it, and read answered / partial / overdue per agency."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from information_requests.models import InformationRequest
from information_requests.services import save_answer, submit_answer
from lib.business_days import add_business_days
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import addressee_of

pytestmark = pytest.mark.django_db


def formset(prefix, rows=()):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def test_auditor_creates_and_sends_a_request(client, auditora, cycle, sep, inm, obligations, enlace_sep, mailoutbox):
    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    client.force_login(auditora)
    data = {
        "cycle": cycle.pk,
        "reference": "CNDH/5/2026/010",
        "title": "Campañas 2025",
        "questions": "¿Qué campañas hizo?",
        "obligations": [o.pk for o in obligations],
        "term_business_days": "10",
        "due_date": "",
        **formset("addressees", [{"agency": sep.pk}, {"agency": inm.pk}]),
        **formset("attachments"),
    }
    response = client.post(reverse("admin:information_requests_informationrequest_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    info_request = InformationRequest.objects.get(reference="CNDH/5/2026/010")
    assert info_request.due_date == add_business_days(timezone.localdate(), 10)
    assert info_request.state == "draft" and info_request.created_by == auditora

    response = client.post(
        reverse("admin:information_requests_informationrequest_changelist"),
        {"action": "send_selected", "_selected_action": [info_request.pk]},
    )
    assert response.status_code == 302
    info_request.refresh_from_db()
    assert info_request.state == "sent"
    assert [m.bcc for m in mailoutbox] == [["enlace@sep.gob.mx"]]  # INM has no liaison with e-mail


def test_progress_per_agency_in_the_admin(client, auditora, sent_request, sep, obligations, enlace_sep):
    submit_answer(save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="x"), by=enlace_sep)
    client.force_login(auditora)
    changelist = client.get(reverse("admin:information_requests_informationrequest_changelist")).content.decode()
    assert "SEP: Respondida parcialmente (1/2)" in changelist
    assert "INM: Pendiente (0/2)" in changelist
    change = client.get(
        reverse("admin:information_requests_informationrequest_change", args=[sent_request.pk])
    ).content.decode()
    assert "data-agency='SEP'" in change
    answers = client.get(reverse("admin:information_requests_answer_changelist")).content.decode()
    assert "LG-89-XV" in answers


def test_liaisons_and_outsiders_cannot_open_the_request_admin(client, sent_request, enlace_sep):
    client.force_login(enlace_sep)
    url = reverse("admin:information_requests_informationrequest_changelist")
    response = client.get(url)
    assertRedirects(response, f"/admin/login/?next={url}", fetch_redirect_response=False)  # not staff


def test_overdue_request_suggests_no_information_in_the_admin(client, auditora, sent_request, inm, obligations):
    from datetime import timedelta

    from obligations.models import Assessment

    rating = Assessment.objects.create(cycle=sent_request.cycle, agency=inm, obligation=obligations[0])
    sent_request.due_date = timezone.localdate() - timedelta(days=1)
    sent_request.save()
    client.force_login(auditora)
    page = client.get(
        reverse("admin:information_requests_informationrequest_change", args=[sent_request.pk])
    ).content.decode()
    assert "Sugerencia: «sin información»" in page
    assert reverse("admin:obligations_assessment_change", args=[rating.pk]) in page
    assert "INM · LG-88-III" in page and "SEP · LG-89-XV" in page


def test_an_attachment_with_a_very_long_name_is_stored_under_a_short_name(
    client, auditora, cycle, sep, obligations, media
):
    from information_requests.models import RequestAttachment
    from tests.information_requests.fixtures import pdf

    long_name = "Oficio de respuesta " + "muy largo " * 25 + "final.PDF"  # 274 characters
    client.force_login(auditora)
    data = {
        "cycle": cycle.pk,
        "reference": "CNDH/5/2026/011",
        "title": "Anexos",
        "questions": "¿Qué campañas hizo?",
        "obligations": [obligations[0].pk],
        "term_business_days": "10",
        "due_date": "",
        **formset("addressees", [{"agency": sep.pk}]),
        **formset("attachments", [{"file": pdf(long_name), "title": ""}]),
    }
    response = client.post(reverse("admin:information_requests_informationrequest_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = RequestAttachment.objects.get()
    assert len(attachment.file.name) < 100
    assert attachment.file.name.startswith("requests/attachments/") and attachment.file.name.endswith(".pdf")
    # The original name is kept for display and downloads, shortened safely (extension kept).
    assert len(attachment.original_filename) == 150
    assert attachment.original_filename.startswith("Oficio de respuesta muy largo")
    assert attachment.original_filename.endswith(".PDF")
    assert attachment.file.read().startswith(b"%PDF")
