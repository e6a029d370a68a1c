"""Admin usability: the ratings list at 1366 px (fewer, narrower columns), the agency filter
grouped by order of government, full names instead of usernames, oficio numbers used once."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from agencies.models import Agency
from information_requests.models import InformationRequest
from tests.information_requests.fixtures import make_cycle, make_obligation, make_request
from tests.obligations.workflow_factories import add_file_evidence, make_catalogue, open_test_cycle, rate

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:obligations_assessment_changelist")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def named_auditor(auditora):
    auditora.first_name, auditora.last_name = "Ana", "Ruiz Soto"
    auditora.save()
    return auditora


@pytest.fixture
def rated(named_auditor, sep, inm):
    Agency.objects.create(acronym="FGE-OAX", name_es="Fiscalía de Oaxaca", order="state")
    make_catalogue([sep, inm], n_obligations=1)
    assessment = open_test_cycle(named_auditor).assessments.get(agency=sep)
    add_file_evidence(assessment, named_auditor)
    rate(assessment, named_auditor)
    return assessment


def test_the_list_has_the_columns_that_fit_and_full_names(client, named_auditor, rated):
    client.force_login(named_auditor)
    response = client.get(CHANGELIST)
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "obligation_code",
        "obligation_title",
        "agency",
        "status",
        "workflow_state",
        "reviewer_name",
        "evidence_counts",
    ]
    html = response.content.decode()
    assert '<td class="field-reviewer_name">Ana Ruiz Soto</td>' in html
    assert ">auditora<" not in html


def test_the_agency_filter_is_grouped_by_order_of_government(client, named_auditor, rated, sep):
    client.force_login(named_auditor)
    html = client.get(CHANGELIST).content.decode()
    assert '<li class="filter-group"><details><summary>Federal (2)</summary>' in html
    assert '<li class="filter-group"><details><summary>Estatal (1)</summary>' in html
    selected = client.get(CHANGELIST, {"agency__id__exact": sep.pk})
    assert {a.agency.acronym for a in selected.context["cl"].result_list} == {"SEP"}
    assert '<li class="filter-group"><details open><summary>Federal (2)</summary>' in selected.content.decode()
    assert client.get(CHANGELIST, {"agency__id__exact": "x"}).context["cl"].result_count == 0


def test_the_rating_page_shows_full_names(client, named_auditor, rated):
    client.force_login(named_auditor)
    html = client.get(reverse("admin:obligations_assessment_change", args=[rated.pk])).content.decode()
    assert html.count("Ana Ruiz Soto") == 2  # the reviewer and who submitted the evidence
    assert '<div class="readonly">auditora</div>' not in html


def test_an_oficio_number_is_used_once(client, named_auditor, sep, db):
    cycle = make_cycle()
    obligation = make_obligation("LG-89-XV")
    make_request(cycle, [sep], [obligation])  # CNDH/5/2026/001
    client.force_login(named_auditor)
    data = {
        "cycle": cycle.pk,
        "reference": "cndh/5/2026/001",
        "title": "Otra",
        "questions": "¿?",
        "obligations": [obligation.pk],
        "due_date": "2030-01-31",
        "addressees-TOTAL_FORMS": "0",
        "addressees-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:information_requests_informationrequest_add"), data)
    assert response.status_code == 200
    message = (
        "Ya hay una solicitud con ese número de oficio. Cada número (área emisora, año y consecutivo, "
        "p. ej. CNDH/5/2026/001) se usa una sola vez."
    )
    assert response.context["adminform"].form.non_field_errors() == [message]
    assert response.content.decode().count(message) == 1
    assert InformationRequest.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.create(
            cycle=cycle, reference="CNDH/5/2026/001", title="x", questions="x", due_date="2030-01-31"
        )
    # Unnumbered drafts and another year's number are fine.
    for reference in ("", "", "CNDH/5/2027/001"):
        InformationRequest.objects.create(
            cycle=cycle, reference=reference, title="x", questions="x", due_date="2030-01-31"
        )
    assert InformationRequest.objects.count() == 4


def test_request_and_evidence_pages_name_people_in_full(client, named_auditor, rated, sep):
    request = make_request(make_cycle(), [sep], [make_obligation("LG-89-XV")], by=named_auditor)
    client.force_login(named_auditor)
    url = reverse("admin:information_requests_informationrequest_change", args=[request.pk])
    html = client.get(url).content.decode()
    # "Created by:" was Django's untranslated default label of a field without a verbose name.
    assert re.search(r'<label>Creada por:</label>\s*<div class="readonly">Ana Ruiz Soto</div>', html)
    assert "Created by" not in html
    evidence = client.get(reverse("admin:obligations_evidence_changelist")).content.decode()
    assert '<td class="field-submitted_by_name">Ana Ruiz Soto</td>' in evidence
