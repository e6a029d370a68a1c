"""The reply and the auditors' answer appear beside the rating: public scorecard, PDF."""

import pytest
from django.template.loader import render_to_string

from tests.reports.public_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_pdf_obligations_table_shows_the_reply(published_world, sep):
    from reports.pdf import agency_context

    context = agency_context(published_world["published"], sep)
    html = render_to_string("reports/pdf/_obligations.html", context)
    assert "Réplica de la dependencia" in html
    assert "La SEP aplicó el programa en 2017." in html
    assert "Se mantiene la calificación" in html and "No hay evidencia en el periodo." in html


def test_the_reply_include_is_silent_without_a_reply():
    assert render_to_string("replies/includes/reply.html", {"reply": None}).strip() == ""


def test_a_scorecard_loads_its_replies_in_two_queries(published_world, sep, django_assert_num_queries):
    from django.template import Context, Template

    from agencies.policy import SYSTEM
    from reports import scorecards

    card = scorecards.agency_scorecard(published_world["published"], sep, SYSTEM, with_evidence=False)
    assert card.rows  # the scorecard's own rows are loaded before counting
    template = Template(
        "{% load scorecards %}{% for row in card.rows %}{% with r=card.replies|get_item:row.assessment_id %}"
        "[{{ r.text|default:'-' }}]{% endwith %}{% endfor %}"
    )
    with django_assert_num_queries(0):  # replies and their documents came with the scorecard
        output = template.render(Context({"card": card}))
    assert "[La SEP aplicó el programa en 2017.]" in output


def test_the_scorecard_page_shows_the_reply_to_its_agencys_liaison(client, published_world, enlace_sep):
    from django.urls import reverse

    client.force_login(enlace_sep)
    response = client.get(reverse("reports:agency_scorecard", args=["SEP"]), {"ciclo": "cndh-2019"})
    body = response.content.decode()
    assert "La SEP aplicó el programa en 2017." in body and "No hay evidencia en el periodo." in body


def test_a_reply_before_publication_is_seen_by_auditors_and_the_agency_only(
    client, published_world, enlace_sep, enlace_inm, auditora, secretariado
):
    from django.urls import reverse

    from obligations.replies import file_reply

    file_reply(published_world["secret_validated"], by=enlace_sep, text="Réplica todavía no publicada")
    url = reverse("reports:agency_scorecard", args=["SEP"])
    for user, sees in ((auditora, True), (enlace_sep, True)):
        client.force_login(user)
        assert ("Réplica todavía no publicada" in client.get(url, {"ciclo": "ciclo-2026"}).content.decode()) is sees
    client.force_login(secretariado)
    assert client.get(url, {"ciclo": "ciclo-2026"}).status_code == 404
    client.force_login(enlace_inm)
    assert client.get(url, {"ciclo": "ciclo-2026"}).status_code == 404
