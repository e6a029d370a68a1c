"""A database error in the middle of an import (a PostgreSQL trigger refuses one row): the
whole file is rolled back — nothing imported, no audit rows — and the user reads an error."""

import pytest
from django.db import connection

from agencies.resources import import_file, result_messages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failing_insert():
    """A real database fault on the 3rd row: a trigger that raises for one code."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION fault_refuse_boom() RETURNS trigger AS $$
            BEGIN
              IF NEW.rationale = 'BOOM' THEN
                RAISE EXCEPTION 'fault injected: disk full';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            """
        )
        cursor.execute(
            "CREATE TRIGGER fault_boom BEFORE INSERT OR UPDATE ON obligations_assessment "
            "FOR EACH ROW EXECUTE FUNCTION fault_refuse_boom()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS fault_boom ON obligations_assessment")
        cursor.execute("DROP FUNCTION IF EXISTS fault_refuse_boom()")


@pytest.fixture
def catalogue(role_groups):
    from datetime import date

    from agencies.models import Agency
    from obligations.choices import Component, Level
    from obligations.models import Obligation, ReviewCycle

    for acronym in ("SEP", "INM", "STPS"):
        Agency.objects.create(acronym=acronym, name_es=acronym)
    for n in range(1, 6):
        Obligation.objects.create(
            code=f"F-{n}", title_es=f"Obligación {n}", component=Component.PREVENTION, level=Level.DIRECT
        )
    return ReviewCycle.objects.create(
        slug="fallas", name_es="Ciclo", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )


def _file(rows):
    lines = ["cycle,agency,obligation,status,rationale"]
    lines += [f"fallas,{agency},{code},not_complied,{rationale}" for agency, code, rationale in rows]
    return ("\n".join(lines) + "\n").encode()


ROWS = [
    ("SEP", "F-1", "Sin programa"),
    ("INM", "F-2", "Sin protocolo"),
    ("STPS", "F-3", "BOOM"),
    ("SEP", "F-4", "Sin campaña"),
    ("INM", "F-5", "Sin registro"),
]


@pytest.mark.parametrize("resource_name", ["AssessmentResource", "BulkAssessmentResource"])
def test_a_database_error_mid_import_leaves_nothing(resource_name, catalogue, failing_insert, auditora):
    from obligations import resources
    from obligations.models import Assessment

    resource = getattr(resources, resource_name)()
    result = import_file(resource, _file(ROWS), "csv", dry_run=False, user=auditora)
    messages = "\n".join(result_messages(result))
    assert result.has_errors()
    assert "fault injected" in messages
    assert Assessment.objects.count() == 0
    assert Assessment.history.count() == 0


@pytest.mark.parametrize("resource_name", ["AssessmentResource", "BulkAssessmentResource"])
def test_the_same_file_without_the_fault_imports_every_row_with_its_audit_row(resource_name, catalogue, auditora):
    from obligations import resources
    from obligations.models import Assessment

    rows = [(agency, code, "Sin avance") for agency, code, _ in ROWS]
    result = import_file(getattr(resources, resource_name)(), _file(rows), "csv", dry_run=False, user=auditora)
    assert result_messages(result) == []
    assert Assessment.objects.count() == 5
    history = Assessment.history.all()
    assert history.count() == 5
    assert {h.history_type for h in history} == {"+"}
    # Who imported it is part of the audit trail.
    assert {h.history_user_id for h in history} == {auditora.pk}
