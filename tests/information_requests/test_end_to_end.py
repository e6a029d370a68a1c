"""A whole cycle without leaving the product: open → send a request → the liaison answers on the
site → the answer is evidence → rate, submit, validate → right of reply → close, publish → the
public portal and the API read the result (and nothing of the draft)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from information_requests.models import InformationRequest
from information_requests.services import no_information_suggestions, send_request
from obligations import services as workflow
from obligations.models import Assessment, Responsibility
from obligations.replies import answer_reply
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import make_obligation, pdf

pytestmark = pytest.mark.django_db


def test_a_whole_cycle(client, auditora, auditor2, sep, inm, enlace_sep, enlace_inm, mailoutbox, media):
    enlace_sep.email, enlace_inm.email = "enlace@sep.gob.mx", "enlace@inm.gob.mx"
    enlace_sep.save()
    enlace_inm.save()
    schools = make_obligation("LG-89-XV", "Programa de prevención en escuelas")
    campaigns = make_obligation("LG-88-III", "Campañas en lenguas indígenas")
    Responsibility.objects.create(obligation=schools, agency=sep)
    Responsibility.objects.create(obligation=campaigns, agency=inm)
    today = timezone.localdate()

    # 1. The auditor opens the cycle (one draft assessment per responsible agency × obligation).
    cycle = workflow.open_cycle(
        slug="ciclo-e2e",
        name_es="Ciclo de prueba",
        period_start=today - timedelta(days=400),
        period_end=today + timedelta(days=10),
        by=auditora,
    )
    sep_rating = Assessment.objects.get(cycle=cycle, agency=sep)
    inm_rating = Assessment.objects.get(cycle=cycle, agency=inm)

    # 2. ... and sends a request to SEP and INM; their liaisons get an e-mail.
    info_request = InformationRequest.objects.create(
        cycle=cycle,
        reference="CNDH/E2E/1",
        title="Prevención",
        questions="¿Qué hicieron?",
        due_date=today + timedelta(days=14),
        created_by=auditora,
    )
    info_request.obligations.set([schools, campaigns])
    for agency in (sep, inm):
        info_request.addressees.create(agency=agency)
    send_request(info_request, by=auditora)
    assert sorted(m.bcc[0] for m in mailoutbox) == ["enlace@inm.gob.mx", "enlace@sep.gob.mx"]

    # 3. SEP's liaison answers on the site (draft, then submit) with a document.
    client.force_login(enlace_sep)
    addressee = info_request.addressees.get(agency=sep)
    assert "Prevención" in client.get(reverse("home")).content.decode()
    url = reverse("information_requests:answer", args=[addressee.pk, schools.pk])
    client.post(url, {"text": "Programa en 120 escuelas.", "action": "save", "documents": [pdf()]})
    client.post(url, {"text": "Programa en 120 escuelas.", "action": "submit"})
    evidence = list(sep_rating.evidence.order_by("pk"))
    assert [(e.provided_by_agency, e.submitted_by) for e in evidence] == [(True, enlace_sep), (True, enlace_sep)]

    # 4. INM never answers: after the due date the no_information status is suggested.
    assert (inm.pk, campaigns.pk) in no_information_suggestions(cycle, info_request.due_date + timedelta(days=1))
    assert (sep.pk, schools.pk) not in no_information_suggestions(cycle, info_request.due_date + timedelta(days=1))

    # 5. Rate (the liaison's evidence is in the period, so "partially complied" stands), validate.
    sep_rating = workflow.save_rating(
        sep_rating,
        auditora,
        expected_version=sep_rating.version,
        status="partially_complied",
        rationale="Programa acreditado en parte.",
        source_reference="Solicitud CNDH/E2E/1",
    )
    inm_rating = workflow.save_rating(
        inm_rating,
        auditora,
        expected_version=inm_rating.version,
        status="no_information",
        rationale="No respondió la solicitud CNDH/E2E/1.",
    )
    for rating in (sep_rating, inm_rating):
        workflow.submit(rating, auditora)
        workflow.validate(rating, auditor2)

    # 6. SEP replies to its validated rating; the auditors answer before publication.
    client.post(reverse("replies:reply", args=[sep_rating.pk]), {"text": "El programa cubrió todo el país."})
    answer_reply(sep_rating.reply, by=auditor2, outcome="kept", response="La cobertura nacional no está acreditada.")

    # Not published yet: the public sees nothing of it.
    client.logout()
    assert client.get(reverse("public:panorama", args=["ciclo-e2e"])).status_code == 404
    assert client.get(reverse("api:assessments"), {"cycle": "ciclo-e2e"}).json()["count"] == 0

    # 7. Close and publish (scorecards are frozen).
    workflow.close_cycle(cycle, auditora)
    workflow.publish_cycle(cycle, auditora)

    # 8. The public reads the result: panorama, scorecard with the reply, API, open data.
    assert 'data-agency="SEP"' in client.get(reverse("public:panorama", args=["ciclo-e2e"])).content.decode()
    card = client.get(reverse("public:scorecard", args=["ciclo-e2e", "SEP"])).content.decode()
    assert 'data-status="partially_complied"' in card
    assert "El programa cubrió todo el país." in card and "La cobertura nacional no está acreditada." in card
    assert 'data-hidden-evidence="2"' in card  # the agency's documents stay confidential: only their count
    assert "Programa en 120 escuelas." not in card
    data = client.get(reverse("api:assessments"), {"cycle": "ciclo-e2e", "agency": "SEP"}).json()
    assert [(r["agency"], r["obligation_code"], r["status"]) for r in data["results"]] == [
        ("SEP", "LG-89-XV", "partially_complied")
    ]
    csv_body = client.get(reverse("public:dataset", args=["assessments", "csv"]), {"ciclo": "ciclo-e2e"}).content
    assert b"INM,LG-88-III" in csv_body and b"no_information" in csv_body

    # 9. Publishing closed the requests and the replies.
    client.force_login(enlace_inm)
    inm_url = reverse("information_requests:answer", args=[info_request.addressees.get(agency=inm).pk, campaigns.pk])
    late = client.post(inm_url, {"text": "Tarde", "action": "submit"})
    assert late.status_code == 200 and "El ciclo ya está publicado: la solicitud está cerrada." in late.content.decode()
    assert not info_request.addressees.get(agency=inm).answers.filter(text="Tarde").exists()
