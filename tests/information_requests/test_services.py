"""Information requests: send → liaison answer → evidence on the assessment; status per agency;
the no_information suggestion."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from information_requests.choices import AddresseeStatus
from information_requests.models import Answer
from information_requests.services import (
    no_information_suggestions,
    request_progress,
    save_answer,
    send_request,
    submit_answer,
)
from obligations.choices import EvidenceKind, WorkflowState
from obligations.models import Assessment, Evidence
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import addressee_of, make_request, pdf

pytestmark = pytest.mark.django_db


def test_sending_emails_each_addressed_agencys_liaisons(sent_request, mailoutbox, auditora, settings):
    assert sent_request.state == "sent"
    assert sent_request.sent_by == auditora
    assert len(mailoutbox) == 2
    recipients = sorted(address for message in mailoutbox for address in message.bcc)
    assert recipients == ["enlace@inm.gob.mx", "enlace@sep.gob.mx"]
    body = mailoutbox[0].body
    assert "Programa anual de prevención" in body
    assert "¿Qué programa de prevención aplicó su dependencia?" in body
    assert f"{settings.SITE_URL}/solicitudes/" in body  # an absolute link (SITE_URL)


def test_a_request_is_sent_once(sent_request, auditora, mailoutbox):
    with pytest.raises(ValidationError, match="ya fue enviada"):
        send_request(sent_request, by=auditora)
    assert len(mailoutbox) == 2


def test_only_auditors_send(cycle, sep, obligations, enlace_sep):
    info_request = make_request(cycle, [sep], obligations)
    with pytest.raises(PermissionDenied):
        send_request(info_request, by=enlace_sep)


def test_answer_becomes_evidence_provided_by_the_agency(sent_request, sep, obligations, enlace_sep, media):
    assessment = Assessment.objects.create(cycle=sent_request.cycle, agency=sep, obligation=obligations[0])
    addressee = addressee_of(sent_request, sep)
    answer = save_answer(
        addressee, obligations[0], by=enlace_sep, text="Aplicamos el programa en 120 escuelas.", files=[pdf()]
    )
    assert answer.state == "draft"
    assert not Evidence.objects.filter(assessment=assessment).exists()

    submit_answer(answer, by=enlace_sep)

    answer.refresh_from_db()
    assert answer.state == "submitted" and answer.submitted_by == enlace_sep and answer.assessment == assessment
    evidence = list(Evidence.objects.filter(assessment=assessment).order_by("pk"))
    assert [e.kind for e in evidence] == [EvidenceKind.OFFICIAL_REPLY, EvidenceKind.FILE]
    assert all(e.provided_by_agency and e.submitted_by == enlace_sep and e.confidential for e in evidence)
    assert evidence[0].description == "Aplicamos el programa en 120 escuelas."
    assert evidence[1].original_filename == "oficio.pdf"
    assert evidence[1].sha256 == answer.documents.get().sha256
    assert evidence[1].file.read().startswith(b"%PDF")
    assert evidence[0].source_reference == "Solicitud CNDH/5/2026/001"


def test_submitted_answers_are_read_only(sent_request, sep, obligations, enlace_sep, media):
    addressee = addressee_of(sent_request, sep)
    answer = save_answer(addressee, obligations[0], by=enlace_sep, text="Primera versión")
    submit_answer(answer, by=enlace_sep)
    with pytest.raises(ValidationError, match="ya fue enviada"):
        save_answer(addressee, obligations[0], by=enlace_sep, text="Cambio posterior")
    with pytest.raises(ValidationError, match="ya fue enviada"):
        submit_answer(answer, by=enlace_sep)
    assert Answer.objects.get(pk=answer.pk).text == "Primera versión"
    assert Evidence.objects.filter(provided_by_agency=True).count() == 1


def test_an_empty_answer_cannot_be_submitted(sent_request, sep, obligations, enlace_sep):
    answer = save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="  ")
    with pytest.raises(ValidationError, match="Escriba una respuesta"):
        submit_answer(answer, by=enlace_sep)


def test_a_liaison_cannot_answer_for_another_agency(sent_request, inm, obligations, enlace_sep):
    with pytest.raises(PermissionDenied):
        save_answer(addressee_of(sent_request, inm), obligations[0], by=enlace_sep, text="No es mío")


def test_the_answer_creates_the_assessment_when_missing(sent_request, inm, obligations, enlace_inm):
    answer = save_answer(addressee_of(sent_request, inm), obligations[1], by=enlace_inm, text="Campaña en náhuatl")
    submit_answer(answer, by=enlace_inm)
    assessment = Assessment.objects.get(cycle=sent_request.cycle, agency=inm, obligation=obligations[1])
    assert assessment.workflow_state == WorkflowState.DRAFT
    assert assessment.evidence.get().provided_by_agency


def test_a_validated_rating_sends_the_agency_to_the_right_of_reply(sent_request, sep, obligations, enlace_sep):
    Assessment.objects.create(
        cycle=sent_request.cycle,
        agency=sep,
        obligation=obligations[0],
        status="not_complied",
        rationale="Sin programa",
        workflow_state=WorkflowState.VALIDATED,
    )
    addressee = addressee_of(sent_request, sep)
    # The answer says so before anything is typed, and nothing can be saved or sent.
    assert "derecho de réplica" in Answer(addressee=addressee, obligation=obligations[0]).edit_refusal()
    for submit in (False, True):
        with pytest.raises(ValidationError, match="derecho de réplica"):
            save_answer(addressee, obligations[0], by=enlace_sep, text="Tarde", submit=submit)
    assert not Answer.objects.exists()


def test_an_answer_drafted_before_validation_cannot_be_sent_after_it(sent_request, sep, obligations, enlace_sep):
    answer = save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="Borrador")
    Assessment.objects.create(
        cycle=sent_request.cycle,
        agency=sep,
        obligation=obligations[0],
        status="not_complied",
        rationale="Sin programa",
        workflow_state=WorkflowState.VALIDATED,
    )
    with pytest.raises(ValidationError, match="derecho de réplica"):
        submit_answer(answer, by=enlace_sep)
    assert Answer.objects.get(pk=answer.pk).state == "draft"


def test_invalid_documents_are_refused(sent_request, sep, obligations, enlace_sep, media):
    fake = pdf("oficio.pdf", b"MZ this is an executable")
    with pytest.raises(ValidationError, match="no corresponde a su extensión"):
        save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="x", files=[fake])


def test_status_per_agency(sent_request, sep, inm, obligations, enlace_sep, enlace_inm):
    due = sent_request.due_date
    for obligation in obligations:
        submit_answer(save_answer(addressee_of(sent_request, sep), obligation, by=enlace_sep, text="ok"), by=enlace_sep)
    progress = {
        row.agency.acronym: (row.status, row.submitted, row.expected) for row in request_progress(sent_request, due)
    }
    assert progress == {"SEP": (AddresseeStatus.ANSWERED, 2, 2), "INM": (AddresseeStatus.PENDING, 0, 2)}

    submit_answer(
        save_answer(addressee_of(sent_request, inm), obligations[0], by=enlace_inm, text="a medias"), by=enlace_inm
    )
    progress = {row.agency.acronym: row.status for row in request_progress(sent_request, due)}
    assert progress["INM"] == AddresseeStatus.PARTIAL
    progress = {row.agency.acronym: row.status for row in request_progress(sent_request, due + timedelta(days=1))}
    assert progress == {"SEP": AddresseeStatus.ANSWERED, "INM": AddresseeStatus.OVERDUE}


def test_overdue_is_computed_in_business_days_across_a_holiday_and_a_weekend(cycle, sep, obligations, auditora):
    from information_requests.services import due_date_for

    # Sent Friday 13 Sep 2024 with 3 business days: Sat 14, Sun 15 and Mon 16 (Independence
    # Day, LFT art. 74 fr. V) do not count, so it is due Thursday 19 Sep.
    due = due_date_for(date(2024, 9, 13), 3)
    assert due == date(2024, 9, 19)
    info_request = make_request(cycle, [sep], obligations, due_date=due)
    send_request(info_request, by=auditora)
    addressee = addressee_of(info_request, sep)
    assert addressee.status(date(2024, 9, 19)) == AddresseeStatus.PENDING
    assert addressee.status(date(2024, 9, 20)) == AddresseeStatus.OVERDUE
    assert list(addressee.__class__.objects.overdue(date(2024, 9, 19))) == []
    assert list(addressee.__class__.objects.overdue(date(2024, 9, 20))) == [addressee]


def test_overdue_unanswered_items_suggest_no_information(sent_request, sep, inm, obligations, enlace_sep):
    submit_answer(save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="ok"), by=enlace_sep)
    # A draft does not count as an answer.
    save_answer(addressee_of(sent_request, sep), obligations[1], by=enlace_sep, text="borrador")
    on_time = no_information_suggestions(sent_request.cycle, sent_request.due_date)
    assert on_time == set()
    late = no_information_suggestions(sent_request.cycle, sent_request.due_date + timedelta(days=1))
    assert late == {
        (sep.pk, obligations[1].pk),
        (inm.pk, obligations[0].pk),
        (inm.pk, obligations[1].pk),
    }


def test_a_draft_request_is_invisible_to_liaisons(cycle, sep, obligations, enlace_sep):
    from information_requests.models import InformationRequest

    make_request(cycle, [sep], obligations)
    assert not InformationRequest.objects.visible_to(enlace_sep).exists()


def test_answers_in_a_published_cycle_are_closed(sent_request, sep, obligations, enlace_sep):
    sent_request.cycle.state = "published"
    sent_request.cycle.save()
    with pytest.raises(ValidationError, match="publicado"):
        save_answer(addressee_of(sent_request, sep), obligations[0], by=enlace_sep, text="tarde")


def test_today_default_is_local_date(sent_request, sep):
    assert addressee_of(sent_request, sep).status() == AddresseeStatus.PENDING
    assert sent_request.due_date > timezone.localdate()
