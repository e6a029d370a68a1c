"""No side door: every admin route that writes — change page, deletion, bulk deletion, the
history pages (and simple_history's revert URL, never mounted) — refuses a frozen record (a
validated rating and its evidence, a published cycle, a sent information request and its
attachments, a submitted answer, an answered reply), and the database is left as it was: same
row, same values, no new history row. What may still be deleted (a draft request's attachment)
leaves its history."""

from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import NoReverseMatch, reverse

from information_requests.models import Answer, InformationRequest, RequestAttachment
from obligations import services
from obligations.models import Assessment, Evidence, Reply, ReviewCycle
from obligations.replies import answer_reply, file_reply
from tests.information_requests.fixtures import make_cycle, make_obligation, make_request, pdf
from tests.obligations.workflow_factories import add_file_evidence, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def frozen(media, sep, auditora, auditor2, enlace_sep):
    """One frozen record of each kind."""
    from information_requests.services import save_answer, send_request

    cycle = make_cycle(start=date(2024, 1, 1), end=date(2030, 12, 31))
    obligations = [make_obligation("LG-89-XV"), make_obligation("LG-88-III")]
    validated = Assessment.objects.create(cycle=cycle, agency=sep, obligation=obligations[0])
    evidence = add_file_evidence(validated, auditora, fact_date=date(2025, 1, 10))
    validated.refresh_from_db()
    rate(validated, auditora)
    validated.refresh_from_db()
    services.submit(validated, auditora)
    services.validate(Assessment.objects.get(pk=validated.pk), auditor2)

    info_request = make_request(cycle, [sep], obligations[1:], by=auditora)
    RequestAttachment.store([pdf("anexo.pdf")], auditora, request=info_request)
    send_request(info_request, by=auditora)
    answer = save_answer(info_request.addressees.get(), obligations[1], by=enlace_sep, text="Sí, en 2025.", submit=True)

    reply = file_reply(Assessment.objects.get(pk=validated.pk), by=enlace_sep, text="No estamos de acuerdo.")
    answer_reply(reply, by=auditor2, outcome="kept", response="La evidencia no basta.")

    published = make_cycle(slug="publicado", state="published", start=date(2020, 1, 1), end=date(2020, 12, 31))
    return {
        "assessment": Assessment.objects.get(pk=validated.pk),
        "evidence": Evidence.objects.get(pk=evidence.pk),
        "informationrequest": InformationRequest.objects.get(pk=info_request.pk),
        "answer": Answer.objects.get(pk=answer.pk),
        "reply": Reply.objects.get(pk=reply.pk),
        "reviewcycle": ReviewCycle.objects.get(pk=published.pk),
    }


def snapshot(obj):
    """Every stored value of the record, its history rows and (for requests) its attachments."""
    model = type(obj)
    row = model.objects.filter(pk=obj.pk).values().first()
    history = obj.history.count() if hasattr(obj, "history") else None
    attachments = list(obj.attachments.values_list("pk", flat=True)) if model is InformationRequest else None
    return row, history, attachments


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args or [obj.pk])


KINDS = ["assessment", "evidence", "informationrequest", "answer", "reply", "reviewcycle"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_change_page_refuses_a_frozen_record(kind, frozen, client, auditora):
    obj = frozen[kind]
    before = snapshot(obj)
    client.force_login(auditora)
    assert client.get(admin_url(obj, "change")).status_code == 200  # readable
    response = client.post(admin_url(obj, "change"), {"_save": "1", "state": "draft", "workflow_state": "draft"})
    assert response.status_code == 403
    assert snapshot(obj) == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_delete_page_refuses_a_frozen_record(kind, frozen, client, auditora):
    obj = frozen[kind]
    before = snapshot(obj)
    client.force_login(auditora)
    response = client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert snapshot(obj) == before


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_deletion_leaves_a_frozen_record(kind, frozen, client, auditora):
    obj = frozen[kind]
    before = snapshot(obj)
    client.force_login(auditora)
    response = client.post(
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
    )
    # Refused as the admin refuses it: no delete action offered (302 back to the list, or the
    # plain list when the admin has no action at all), or the "cannot delete" page (403).
    assert response.status_code == BULK_DELETE_ANSWER[kind]
    assert snapshot(obj) == before


BULK_DELETE_ANSWER = {
    "assessment": 302,
    "evidence": 403,
    "informationrequest": 302,
    "answer": 200,
    "reply": 403,
    "reviewcycle": 403,
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_history_pages_only_read(kind, frozen, client, auditora):
    obj = frozen[kind]
    before = snapshot(obj)
    client.force_login(auditora)
    assert client.get(admin_url(obj, "history")).status_code == 200
    assert client.post(admin_url(obj, "history"), {"history_id": "1", "_save": "1"}).status_code == 200
    # simple_history's revert form (history/<history_id>/) is never mounted.
    first = obj.history.order_by("history_id").first() if hasattr(obj, "history") else None
    if first is not None:
        with pytest.raises(NoReverseMatch):
            admin_url(obj, "simple_history", obj.pk, first.history_id)
        path = admin_url(obj, "history") + f"{first.history_id}/"
        response = client.post(path, {"_save": "1"})
        # Only Django's catch-all (".../<id>/" → its change page), for an object id that is no object.
        assert (response.status_code, response.url) == (302, path + "change/")
        assert client.get(response.url).status_code == 302  # "no such object": back to the index
    assert snapshot(obj) == before


def test_the_change_page_cannot_delete_a_sent_requests_attachment(frozen, client, auditora):
    info_request = frozen["informationrequest"]
    attachment = info_request.attachments.get()
    client.force_login(auditora)
    response = client.post(
        admin_url(info_request, "change"),
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": attachment.pk,
            "attachments-0-request": info_request.pk,
            "attachments-0-DELETE": "on",
            "_save": "1",
        },
    )
    assert response.status_code == 403
    assert RequestAttachment.objects.filter(pk=attachment.pk).exists()


def test_deleting_a_draft_requests_attachment_leaves_its_history(media, sep, auditora):
    info_request = make_request(make_cycle(), [sep], [make_obligation("LG-89-XV")], by=auditora)
    (attachment,) = RequestAttachment.store([pdf("borrador.pdf")], auditora, request=info_request)
    attachment._history_user = auditora
    pk = attachment.pk
    attachment.delete()
    rows = list(RequestAttachment.history.filter(id=pk).order_by("history_id"))
    assert [(row.history_type, row.original_filename, row.sha256) for row in rows] == [
        ("+", "borrador.pdf", attachment.sha256),
        ("-", "borrador.pdf", attachment.sha256),
    ]
    assert rows[1].history_user_id == auditora.pk
