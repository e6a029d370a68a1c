"""The rating rules and the draft → submitted → validated → draft workflow."""

import pytest
from django.core.exceptions import ValidationError

from obligations import services
from tests.obligations.workflow_factories import (
    IN_PERIOD,
    OUT_OF_PERIOD,
    add_file_evidence,
    make_catalogue,
    open_test_cycle,
    rate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # media: tests/conftest.py


@pytest.fixture
def assessment(auditora, sep):
    make_catalogue([sep], n_obligations=1)
    return open_test_cycle(auditora).assessments.get()


def test_a_status_needs_a_rationale(assessment, auditora):
    with pytest.raises(ValidationError) as exc:
        rate(assessment, auditora, status="not_complied", rationale="   ")
    assert "justificación" in str(exc.value)
    assessment.refresh_from_db()
    assert assessment.status == "" and assessment.version == 1


def test_complied_needs_in_period_evidence(assessment, auditora):
    with pytest.raises(ValidationError, match="dentro del periodo"):
        rate(assessment, auditora, status="complied")


def test_out_of_period_evidence_is_kept_and_flagged_but_does_not_count(assessment, auditora):
    evidence = add_file_evidence(assessment, auditora, fact_date=OUT_OF_PERIOD)
    assert evidence.period_flag == "fuera de periodo"
    with pytest.raises(ValidationError, match="fuera de periodo se conservan pero no cuentan"):
        rate(assessment, auditora, status="partially_complied")
    assert assessment.evidence.count() == 1


def test_complied_with_in_period_evidence_is_saved_with_the_reviewer(assessment, auditora):
    add_file_evidence(assessment, auditora, fact_date=IN_PERIOD)
    rate(assessment, auditora, status="complied")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reviewer, assessment.version) == ("complied", auditora, 2)


def test_not_complied_needs_no_evidence(assessment, auditora):
    rate(assessment, auditora, status="not_complied", rationale="No se encontró el programa (¶161).")
    assessment.refresh_from_db()
    assert assessment.status == "not_complied"


def test_the_full_cycle_submit_validate_return(assessment, auditora, auditor2):
    add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    assert assessment.workflow_state == "submitted" and assessment.submitted_at
    services.validate(assessment, auditor2)
    assessment.refresh_from_db()
    assert (assessment.workflow_state, assessment.validator) == ("validated", auditor2)
    services.return_to_draft(assessment, auditor2, "Falta el oficio de 2022.")
    assessment.refresh_from_db()
    assert assessment.workflow_state == "draft"
    assert assessment.return_reason == "Falta el oficio de 2022."
    assert assessment.validator is None


def test_self_validation_is_refused(assessment, auditora):
    add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    with pytest.raises(services.WorkflowError, match="propia evaluación"):
        services.validate(assessment, auditora)
    assessment.refresh_from_db()
    assert assessment.workflow_state == "submitted"


def test_submit_needs_a_status(assessment, auditora):
    with pytest.raises(services.WorkflowError, match="Asigne un estatus"):
        services.submit(assessment, auditora)


def test_only_submitted_ratings_can_be_validated(assessment, auditora, auditor2):
    with pytest.raises(services.WorkflowError, match="Sólo se validan"):
        services.validate(assessment, auditor2)


def test_returning_to_draft_needs_a_reason(assessment, auditora, auditor2):
    rate(assessment, auditora, status="not_complied", rationale="Sin programa.")
    services.submit(assessment, auditora)
    with pytest.raises(services.WorkflowError, match="motivo"):
        services.return_to_draft(assessment, auditor2, "  ")


def test_a_submitted_rating_cannot_be_edited(assessment, auditora):
    rate(assessment, auditora, status="not_complied", rationale="Sin programa.")
    services.submit(assessment, auditora)
    with pytest.raises(ValidationError, match="devuélvala a borrador"):
        rate(assessment, auditora, status="no_information", rationale="Respuesta evasiva.")


def test_validation_rechecks_the_rules(assessment, auditora, auditor2):
    evidence = add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    # The only in-period item is deleted behind the workflow's back (e.g. in the shell).
    type(evidence).objects.filter(pk=evidence.pk).delete()
    with pytest.raises(services.WorkflowError, match="dentro del periodo"):
        services.validate(assessment, auditor2)


def test_the_history_records_the_before_and_after_of_a_status_change(assessment, auditora):
    from obligations.history import assessment_timeline

    rate(assessment, auditora, status="not_complied", rationale="Sin programa.")
    rate(assessment, auditora, status="no_information", rationale="Respuesta evasiva.")
    latest, previous = assessment.history.order_by("-history_date")[:2]
    delta = latest.diff_against(previous)
    status_change = next(c for c in delta.changes if c.field == "status")
    assert (status_change.old, status_change.new) == ("not_complied", "no_information")
    assert latest.history_user == auditora
    rows = [(c.label, c.before, c.after) for e in assessment_timeline(assessment) for c in e.changes]
    assert ("estatus", "No cumplida", "Sin información") in rows
