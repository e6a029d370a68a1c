"""obligations.services: opening, closing and publishing review cycles."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from obligations import services
from obligations.models import Assessment, ReviewCycle
from tests.obligations.workflow_factories import add_file_evidence, make_catalogue, open_test_cycle, rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # media: tests/conftest.py


def test_open_cycle_creates_one_draft_per_responsible_agency_and_obligation(auditora, sep, inm):
    obligations = make_catalogue([sep, inm], n_obligations=3)
    # Not in force during 2018–2024: repealed in 2015.
    obligations[2].in_force_until = date(2015, 1, 1)
    obligations[2].save()
    cycle = open_test_cycle(auditora)
    rows = set(cycle.assessments.values_list("agency__acronym", "obligation__code", "workflow_state", "status"))
    assert rows == {
        ("SEP", "PREV-001", "draft", ""),
        ("INM", "PREV-001", "draft", ""),
        ("SEP", "PREV-002", "draft", ""),
        ("INM", "PREV-002", "draft", ""),
    }
    assert cycle.state == "open" and cycle.opened_by == auditora


def test_open_cycle_records_history_for_the_bulk_created_drafts(auditora, sep):
    make_catalogue([sep], n_obligations=2)
    cycle = open_test_cycle(auditora)
    records = Assessment.history.filter(cycle_id=cycle.pk)
    assert records.count() == 2
    assert {(r.history_type, r.history_user_id) for r in records} == {("+", auditora.pk)}


def test_open_cycle_refuses_a_period_that_ends_before_it_starts(auditora, sep):
    make_catalogue([sep], n_obligations=1)
    with pytest.raises(ValidationError):
        services.open_cycle(
            slug="mal", name_es="Mal", period_start=date(2024, 1, 1), period_end=date(2018, 1, 1), by=auditora
        )
    assert not ReviewCycle.objects.filter(slug="mal").exists()


def test_publish_requires_closing_first_and_every_rating_validated(auditora, auditor2, sep):
    make_catalogue([sep], n_obligations=1)
    cycle = open_test_cycle(auditora)
    with pytest.raises(services.WorkflowError, match="no están validadas"):
        services.publish_cycle(cycle, auditora)
    assessment = cycle.assessments.get()
    add_file_evidence(assessment, auditora)
    rate(assessment, auditora)
    services.submit(assessment, auditora)
    services.validate(assessment, auditor2)
    with pytest.raises(services.WorkflowError, match="Cerrado"):
        services.publish_cycle(cycle, auditora)
    services.close_cycle(cycle, auditora)
    services.publish_cycle(cycle, auditora)
    cycle.refresh_from_db()
    assert cycle.state == "published" and cycle.published_at is not None
    assert [h.history_change_reason for h in cycle.history.order_by("history_date")] == ["open", "close", "publish"]


# What publishing starts in the reports app (the freezing task): tests/reports/test_freezing.py.


def test_a_published_cycle_is_read_only(auditora, auditor2, sep):
    make_catalogue([sep], n_obligations=1)
    cycle = open_test_cycle(auditora)
    assessment = cycle.assessments.get()
    cycle.state = "published"
    cycle.save()
    assessment.refresh_from_db()
    with pytest.raises(ValidationError, match="publicado"):
        rate(assessment, auditora, status="not_complied", rationale="No hay programa.")
    with pytest.raises(ValidationError, match="publicado"):
        services.return_to_draft(assessment, auditor2, "revisar")
    with pytest.raises(ValidationError):
        add_file_evidence(assessment, auditora)
