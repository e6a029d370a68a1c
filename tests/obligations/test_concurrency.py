"""Two auditors editing the same assessment: the second save gets a conflict that says what
changed; no update is lost (optimistic lock on `version`). Two saves at the same moment, on
two connections, are tests/faults/test_concurrent_auditors.py."""

import pytest
from django.urls import reverse

from obligations import services
from obligations.models import Assessment
from tests.obligations.workflow_factories import make_catalogue, open_test_cycle, rating_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(auditora, sep):
    make_catalogue([sep], n_obligations=1)
    return open_test_cycle(auditora).assessments.get()


def test_a_stale_version_is_refused_with_what_changed(assessment, auditora, auditor2):
    mine = Assessment.objects.get(pk=assessment.pk)
    theirs = Assessment.objects.get(pk=assessment.pk)
    services.save_rating(theirs, auditor2, expected_version=1, status="not_complied", rationale="Sin programa.")
    with pytest.raises(services.ConflictError) as exc:
        services.save_rating(mine, auditora, expected_version=1, status="no_information", rationale="Evasiva.")
    conflict = exc.value
    assert conflict.changed_by == auditor2
    assert {(c.label, c.before, c.after) for c in conflict.changes} >= {
        ("estatus", "—", "No cumplida"),
        ("justificación", "—", "Sin programa."),
    }
    assert "auditor2" in conflict.message and "NO se guardaron" in conflict.message
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.status, stored.rationale, stored.version) == ("not_complied", "Sin programa.", 2)


def test_a_workflow_step_in_between_also_conflicts(assessment, auditora, auditor2):
    services.save_rating(assessment, auditora, expected_version=1, status="not_complied", rationale="Sin programa.")
    stale_version = assessment.version
    services.submit(assessment, auditora)
    with pytest.raises(services.ConflictError) as exc:
        services.save_rating(assessment, auditor2, expected_version=stale_version, rationale="Otra.")
    assert any(c.field == "workflow_state" for c in exc.value.changes)


def test_the_admin_shows_the_conflict_and_keeps_the_users_input(client, assessment, auditora, auditor2):
    url = reverse("admin:obligations_assessment_change", args=[assessment.pk])
    client.force_login(auditora)
    form_version = assessment.version  # auditora opens the page
    services.save_rating(assessment, auditor2, expected_version=1, status="not_complied", rationale="Sin programa.")
    data = rating_post(assessment, status="no_information", rationale="Respuesta evasiva.")
    data["expected_version"] = form_version
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Conflicto de edición" in html and "auditor2" in html
    assert "No cumplida" in html  # what the other auditor changed
    assert "Respuesta evasiva." in html  # her own input is still in the form
    assert Assessment.objects.get(pk=assessment.pk).status == "not_complied"
    # Having read the difference, saving again is a deliberate overwrite.
    data["expected_version"] = response.context["adminform"].form.data["expected_version"]
    assert client.post(url, data).status_code == 302
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.status, stored.version) == ("no_information", 3)
