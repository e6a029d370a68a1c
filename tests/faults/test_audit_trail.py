"""Every change leaves an audit row (django-simple-history) naming who made it — including
the paths that bypass `save()`: bulk creation when a cycle opens, bulk imports, and the
conditional updates that claim a state change."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.world import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(sep, inm):
    from obligations.choices import Component, Level
    from obligations.models import Obligation, Responsibility

    obligations = []
    for n in range(1, 4):
        obligation = Obligation.objects.create(
            code=f"AU-{n}", title_es=f"Obligación {n}", component=Component.PREVENTION, level=Level.DIRECT
        )
        for agency in (sep, inm):
            Responsibility.objects.create(obligation=obligation, agency=agency)
        obligations.append(obligation)
    return obligations


def _last(obj):
    return obj.history.order_by("-history_id").first()


def test_the_rating_workflow_leaves_one_row_per_step_with_its_author(catalogue, auditora, auditor2, media):
    from obligations import services

    cycle = services.open_cycle(
        slug="auditoria", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31), by=auditora
    )
    assessments = list(cycle.assessments.all())
    assert len(assessments) == 6
    for assessment in assessments:  # bulk creation kept its history
        assert [(h.history_type, h.history_user_id) for h in assessment.history.all()] == [("+", auditora.pk)]
    assert _last(cycle).history_user_id == auditora.pk

    assessment = assessments[0]
    evidence = services.add_evidence(
        assessment,
        auditora,
        upload=SimpleUploadedFile("oficio.pdf", PDF_BYTES),
        title="Oficio",
        fact_date=date(2020, 1, 1),
    )
    assert _last(evidence).history_user_id == auditora.pk
    steps = [
        (
            lambda a: services.save_rating(
                a, auditora, expected_version=a.version, status="partially_complied", rationale="Avance parcial"
            ),
            auditora,
        ),
        (lambda a: services.submit(a, auditora), auditora),
        (lambda a: services.return_to_draft(a, auditor2, "Falta evidencia del periodo"), auditor2),
        (lambda a: services.submit(a, auditora), auditora),
        (lambda a: services.validate(a, auditor2), auditor2),
    ]
    for number, (step, user) in enumerate(steps, start=2):
        step(assessment)
        assert assessment.history.count() == number
        assert _last(assessment).history_user_id == user.pk
    states = list(assessment.history.order_by("history_id").values_list("workflow_state", flat=True))
    assert states == ["draft", "draft", "submitted", "draft", "submitted", "validated"]

    services.close_cycle(cycle, auditora)
    assert [(h.state, h.history_user_id) for h in cycle.history.order_by("history_id")] == [
        ("open", auditora.pk),
        ("closed", auditora.pk),
    ]


def test_sending_an_information_request_is_in_its_history(catalogue, sep, auditora):
    from information_requests.models import InformationRequest, RequestAddressee
    from information_requests.services import send_request
    from obligations.models import ReviewCycle

    cycle = ReviewCycle.objects.create(
        slug="solicitudes", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )
    request = InformationRequest.objects.create(
        cycle=cycle, title="Solicitud", questions="¿?", due_date=date(2030, 1, 31), created_by=auditora
    )
    request.obligations.add(catalogue[0])
    RequestAddressee.objects.create(request=request, agency=sep)
    send_request(request, by=auditora)
    last = _last(request)
    assert last.state == "sent"
    assert last.history_user_id == auditora.pk


def test_a_liaison_answer_and_its_evidence_are_in_the_history(catalogue, sep, auditora, enlace_sep, media):
    from information_requests.models import Answer, InformationRequest, RequestAddressee
    from information_requests.services import save_answer, send_request, submit_answer
    from obligations import services
    from obligations.models import Evidence

    cycle = services.open_cycle(
        slug="respuestas", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31), by=auditora
    )
    request = InformationRequest.objects.create(
        cycle=cycle, title="Solicitud", questions="¿?", due_date=date(2030, 1, 31), created_by=auditora
    )
    request.obligations.add(catalogue[0])
    addressee = RequestAddressee.objects.create(request=request, agency=sep)
    send_request(request, by=auditora)
    answer = save_answer(
        addressee,
        catalogue[0],
        by=enlace_sep,
        text="Programa 2020",
        fact_date=date(2020, 5, 1),
        files=[SimpleUploadedFile("programa.pdf", PDF_BYTES)],
    )
    submit_answer(answer, by=enlace_sep)
    answer = Answer.objects.get(pk=answer.pk)
    assert _last(answer).state == "submitted"
    assert _last(answer).history_user_id == enlace_sep.pk
    evidence = Evidence.objects.filter(assessment=answer.assessment)
    assert evidence.count() == 2  # the text and the document
    for item in evidence:
        assert _last(item).history_user_id == enlace_sep.pk
