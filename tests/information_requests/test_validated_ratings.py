"""A rating that is already validated no longer takes answers: the auditor is told before sending
the request, the liaison before typing, and a late POST is refused once, styled as an error."""

import pytest
from django.urls import reverse

from information_requests.models import Answer
from obligations.choices import WorkflowState
from obligations.models import Assessment
from tests.information_requests.fixtures import *  # noqa: F403 (fixtures)
from tests.information_requests.fixtures import addressee_of, make_request

pytestmark = pytest.mark.django_db

REFUSAL = (
    "La calificación de esta obligación ya fue validada: esta respuesta ya no puede incorporarse como evidencia. "
    "Si su dependencia no está de acuerdo con la calificación, use el derecho de réplica."
)


def validated(cycle, agency, obligation):
    return Assessment.objects.create(
        cycle=cycle,
        agency=agency,
        obligation=obligation,
        status="not_complied",
        rationale="Sin programa",
        workflow_state=WorkflowState.VALIDATED,
    )


def test_the_auditor_is_warned_on_the_draft_and_the_send_action_refuses(
    client, auditora, cycle, sep, inm, obligations, enlace_sep
):
    rating = validated(cycle, sep, obligations[0])
    draft = make_request(cycle, [sep, inm], obligations, by=auditora)
    client.force_login(auditora)
    page = client.get(reverse("admin:information_requests_informationrequest_change", args=[draft.pk]))
    html = page.content.decode()
    assert html.count('<div class="warning-note" role="alert">') == 1
    assert "Estas calificaciones ya están validadas: la dependencia no podrá responder sobre ellas" in html
    rating_url = reverse("admin:obligations_assessment_change", args=[rating.pk])
    assert f'<li><a href="{rating_url}">SEP · LG-89-XV</a></li>' in html

    response = client.post(
        reverse("admin:information_requests_informationrequest_changelist"),
        {"action": "send_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        (
            "error",
            "«CNDH/5/2026/001» no se envió: pregunta por calificaciones ya "
            "validadas (SEP · LG-89-XV), que la dependencia no podría responder. Quítelas de la solicitud o "
            "devuelva las calificaciones a borrador.",
        )
    ]
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_no_warning_when_no_rating_is_validated(client, auditora, cycle, sep, obligations):
    draft = make_request(cycle, [sep], obligations, by=auditora)
    client.force_login(auditora)
    html = client.get(reverse("admin:information_requests_informationrequest_change", args=[draft.pk])).content.decode()
    assert "warning-note" not in html and "Aviso antes de enviar" not in html


def test_the_liaison_is_told_before_typing(client, sent_request, sep, obligations, enlace_sep):
    validated(sent_request.cycle, sep, obligations[0])
    addressee = addressee_of(sent_request, sep)
    client.force_login(enlace_sep)
    detail = client.get(reverse("information_requests:detail", args=[addressee.pk])).content.decode()
    rows = detail.split('<tr data-obligation="')
    validated_row = next(r for r in rows if r.startswith("LG-89-XV"))
    open_row = next(r for r in rows if r.startswith("LG-88-III"))
    assert "Calificación ya validada: no admite respuesta" in validated_row and "Responder" not in validated_row
    assert "Responder" in open_row and "no admite respuesta" not in open_row

    url = reverse("information_requests:answer", args=[addressee.pk, obligations[0].pk])
    page = client.get(url).content.decode()
    assert page.count(REFUSAL) == 1
    assert '<p class="notice" role="status">' + REFUSAL in page
    assert "<textarea" not in page  # nothing to type into


def test_a_late_post_is_refused_once_styled_as_an_error(client, sent_request, sep, obligations, enlace_sep):
    validated(sent_request.cycle, sep, obligations[0])
    addressee = addressee_of(sent_request, sep)
    client.force_login(enlace_sep)
    url = reverse("information_requests:answer", args=[addressee.pk, obligations[0].pk])
    response = client.post(url, {"text": "Escrita en otra pestaña", "action": "submit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(REFUSAL) == 1
    assert '<p class="errornote" role="alert">' + REFUSAL in html
    assert not Answer.objects.exists()


def test_the_service_itself_refuses_to_send_a_request_about_a_validated_rating(auditora, cycle, sep, obligations):
    """The rule lives in information_requests.services.send_request, not only in the admin's
    action: any caller (another admin route, a command, a future API) gets the same refusal."""
    from django.core import mail
    from django.core.exceptions import ValidationError

    from information_requests.services import send_request

    validated(cycle, sep, obligations[0])
    draft = make_request(cycle, [sep], obligations, by=auditora)
    with pytest.raises(ValidationError) as refused:
        send_request(draft, by=auditora)
    assert "pregunta por calificaciones ya validadas (SEP · LG-89-XV)" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.sent_at is None and not mail.outbox
