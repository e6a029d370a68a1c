"""Right of reply: one per validated rating, before publication; the auditors' answer keeps or
changes the rating with a reason, in the audit trail; publishing closes replies."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from obligations.models import Assessment, Evidence, Reply
from obligations.replies import answer_reply, file_reply
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import make_cycle, make_obligation, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(sep, auditora, auditor2):
    cycle = make_cycle(start=date(2024, 1, 1), end=date(2026, 6, 30))
    obligation = make_obligation("LG-89-XV")
    return Assessment.objects.create(
        cycle=cycle,
        agency=sep,
        obligation=obligation,
        status="not_complied",
        rationale="No se acreditó el programa.",
        workflow_state="validated",
        reviewer=auditora,
        validator=auditor2,
    )


def test_liaison_files_one_reply_per_validated_rating(validated, enlace_sep, media):
    reply = file_reply(validated, by=enlace_sep, text="Sí aplicamos el programa.", files=[pdf()])
    assert reply.status_at_filing == "not_complied" and reply.documents.count() == 1
    with pytest.raises(ValidationError, match="Ya se presentó"):
        file_reply(validated, by=enlace_sep, text="Otra vez")
    assert Reply.objects.count() == 1


def test_only_the_agencys_liaison_replies(validated, enlace_inm, auditora):
    with pytest.raises(PermissionDenied):
        file_reply(validated, by=enlace_inm, text="No es mía")
    with pytest.raises(PermissionDenied):
        file_reply(validated, by=auditora, text="Auditora")


def test_no_reply_to_a_rating_not_validated(validated, enlace_sep):
    Assessment.objects.filter(pk=validated.pk).update(workflow_state="submitted")
    validated.refresh_from_db()
    with pytest.raises(ValidationError, match="validada"):
        file_reply(validated, by=enlace_sep, text="Prematura")


def test_auditor_keeps_the_rating_with_a_reason(validated, enlace_sep, auditor2):
    reply = file_reply(validated, by=enlace_sep, text="Réplica")
    answer_reply(reply, by=auditor2, outcome="kept", response="La evidencia es de 2011, fuera del periodo.")
    reply.refresh_from_db()
    validated.refresh_from_db()
    assert reply.outcome == "kept" and reply.answered_by == auditor2 and validated.status == "not_complied"
    with pytest.raises(ValidationError, match="ya fue respondida"):
        answer_reply(reply, by=auditor2, outcome="kept", response="Otra vez")
    trail = list(reply.history.order_by("history_date").values_list("outcome", "history_user__username"))
    assert trail == [("", "enlace-sep"), ("kept", "auditor2")]


def test_auditor_changes_the_rating_and_the_history_says_why(validated, enlace_sep, auditor2):
    Evidence.objects.create(
        assessment=validated,
        kind="public_source",
        title="Informe 2025",
        fact_date=date(2025, 3, 1),
        source_reference="Informe anual SEP 2025",
    )
    reply = file_reply(validated, by=enlace_sep, text="Adjuntamos el informe 2025.")
    answer_reply(
        reply, by=auditor2, outcome="changed", new_status="partially_complied", response="El informe acredita avance."
    )
    validated.refresh_from_db()
    assert validated.status == "partially_complied" and validated.workflow_state == "validated"
    latest = validated.history.latest()
    assert latest.history_user == auditor2 and "El informe acredita avance" in latest.history_change_reason


def test_a_change_still_obeys_the_rating_rules(validated, enlace_sep, auditor2):
    reply = file_reply(validated, by=enlace_sep, text="Cumplimos.")
    with pytest.raises(ValidationError, match="evidencia"):
        answer_reply(reply, by=auditor2, outcome="changed", new_status="complied", response="Sí")
    reply.refresh_from_db()
    assert not reply.is_answered


def test_answer_needs_a_reason_and_a_new_status(validated, enlace_sep, auditor2):
    reply = file_reply(validated, by=enlace_sep, text="Réplica")
    with pytest.raises(ValidationError, match="motivo"):
        answer_reply(reply, by=auditor2, outcome="kept", response=" ")
    with pytest.raises(ValidationError, match="estatus nuevo"):
        answer_reply(reply, by=auditor2, outcome="changed", response="x")


def test_publishing_closes_replies(validated, enlace_sep, auditor2):
    reply = file_reply(validated, by=enlace_sep, text="Réplica")
    validated.cycle.state = "published"
    validated.cycle.save()
    with pytest.raises(ValidationError, match="publicado"):
        answer_reply(reply, by=auditor2, outcome="kept", response="Tarde")
    other = Assessment.objects.create(
        cycle=validated.cycle,
        agency=validated.agency,
        obligation=make_obligation("LG-88-III"),
        status="complied",
        rationale="x",
        workflow_state="validated",
    )
    with pytest.raises(ValidationError, match="publicado"):
        file_reply(other, by=enlace_sep, text="Tarde")


def test_reply_pages(client, validated, enlace_sep, enlace_inm, media):
    client.force_login(enlace_sep)
    listing = client.get(reverse("replies:list")).content.decode()
    assert f'data-assessment="{validated.pk}"' in listing
    url = reverse("replies:reply", args=[validated.pk])
    assert "No se acreditó el programa." in client.get(url).content.decode()
    response = client.post(url, {"text": "Nuestra réplica", "documents": [pdf()]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Nuestra réplica" in page and "Pendiente de respuesta del equipo auditor" in page
    assert client.post(url, {"text": "Segunda"}).status_code == 404
    client.force_login(enlace_inm)
    assert client.get(url).status_code == 404
    assert f'data-assessment="{validated.pk}"' not in client.get(reverse("replies:list")).content.decode()
    document = Reply.objects.get().documents.get()
    assert client.get(reverse("replies:document", args=[document.pk])).status_code == 404


def test_auditor_answers_in_the_admin(client, validated, enlace_sep, auditor2):
    reply = file_reply(validated, by=enlace_sep, text="Réplica")
    client.force_login(auditor2)
    url = reverse("admin:obligations_reply_change", args=[reply.pk])
    assert client.get(url).status_code == 200
    inline = {"documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"}
    response = client.post(
        url, {"outcome": "kept", "response": "Se mantiene por falta de evidencia.", "new_status": "", **inline}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reply.refresh_from_db()
    assert reply.outcome == "kept" and reply.answered_by == auditor2
    assert client.get(url).status_code == 200  # read-only once answered
    assert (
        client.post(url, {"outcome": "changed", "response": "x", "new_status": "complied", **inline}).status_code == 403
    )
    bad = file_reply(
        Assessment.objects.create(
            cycle=validated.cycle,
            agency=validated.agency,
            obligation=make_obligation("LG-88-III"),
            status="not_complied",
            rationale="x",
            workflow_state="validated",
        ),
        by=enlace_sep,
        text="Otra",
    )
    url = reverse("admin:obligations_reply_change", args=[bad.pk])
    response = client.post(url, {"outcome": "changed", "response": "Cambia", "new_status": "complied", **inline})
    assert response.status_code == 200 and "evidencia" in response.content.decode()
