"""The admin's import of ratings (BulkAssessmentResource) validates the whole file as a plan
(agencies.resources.PlannedImportMixin): the same rules, messages and row numbers as the row-by-row
resource, a constant number of queries whatever the size of the file, nothing written by the
preview, and nothing at all written when any row is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import AgencyName
from agencies.resources import import_file, result_messages
from obligations import services
from obligations.models import Assessment
from obligations.resources import AssessmentResource, BulkAssessmentResource
from tests.obligations.test_import_jobs import confirm, upload
from tests.obligations.workflow_factories import add_file_evidence, make_catalogue, open_test_cycle, rate

pytestmark = pytest.mark.django_db

HEADER = "cycle,agency,obligation,status,rationale,source_reference\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def catalogue(media, sep, inm, auditora):
    obligations = make_catalogue([sep, inm], n_obligations=60, prefix="PLAN")
    open_test_cycle(auditora)
    return obligations


def line(agency, code, status="not_complied", rationale=None, source=""):
    rationale = f"Sin programa {agency} {code}" if rationale is None else rationale
    return f"2018-2024,{agency},{code},{status},{rationale},{source}\n"


def good_lines(catalogue):
    return [line(agency, o.code) for agency in ("SEP", "INM") for o in catalogue]


def stored():
    return list(Assessment.objects.order_by("pk").values_list("pk", "status", "rationale", "version"))


def both(text, user):
    """The messages of the row-by-row resource and of the planned one (dry runs)."""
    content = text.encode()
    library = result_messages(import_file(AssessmentResource(), content, "csv", dry_run=True, user=user))
    planned = result_messages(import_file(BulkAssessmentResource(), content, "csv", dry_run=True, user=user))
    return library, planned


def test_one_bad_row_among_many_is_named_and_nothing_is_written(client, auditora, catalogue):
    lines = good_lines(catalogue)
    lines[86] = line("INM", catalogue[26].code, rationale="")  # row 87
    before, history = stored(), Assessment.history.count()
    client.force_login(auditora)
    job = upload(client, (HEADER + "".join(lines)).encode()).context["job"]
    assert job.state == "refused"
    assert job.errors == ["Fila 87: rationale: Todo estatus requiere una justificación escrita."]
    assert stored() == before and Assessment.history.count() == history


def test_a_clean_file_is_previewed_without_writing_then_saved_with_history(client, auditora, catalogue):
    client.force_login(auditora)
    with CaptureQueriesContext(connection) as queries:
        response = upload(client, (HEADER + "".join(good_lines(catalogue))).encode())
    job = response.context["job"]
    assert (job.state, job.rows, job.new, job.updated) == ("ready", 120, 0, 120)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert not any("obligations_assessment" in sql for sql in writes)  # the preview writes no rating
    job = confirm(client, response).context["job"]
    assert (job.state, job.updated) == ("done", 120)
    rated = Assessment.objects.filter(status="not_complied")
    assert rated.count() == 120
    assert {(a.version, a.workflow_state) for a in rated} == {(2, "draft")}
    assert Assessment.history.filter(history_type="~", history_user=auditora).count() == 120


def test_unknown_agency_and_former_acronym(auditora, catalogue, sep):
    """An agency is named by today's acronym, as the row-by-row resource does: a former acronym
    (AgencyName) is not resolved, it is refused as unknown, like any other unknown acronym."""
    AgencyName.objects.create(agency=sep, acronym="SEPANT", name_es="Antes", valid_until="2010-01-01")
    text = HEADER + line("SEP", "PLAN-001") + line("XYZ", "PLAN-002") + line("SEPANT", "PLAN-003")
    library, planned = both(text, auditora)
    assert (
        planned
        == library
        == [
            "Fila 2: agency: Dependencia desconocida: «XYZ».",
            "Fila 3: agency: Dependencia desconocida: «SEPANT».",
        ]
    )


def test_keys_repeated_in_the_file_ignoring_case(auditora, catalogue):
    text = (
        HEADER + line("SEP", "PLAN-001") + line("INM", "PLAN-001") + line("sep", "PLAN-001") + line("SEP", "PLAN-001")
    )
    library, planned = both(text, auditora)
    assert (
        planned
        == library
        == [
            "Fila 3: Clave repetida en el archivo: «2018-2024 · sep · PLAN-001» (ya aparece en la fila 1).",
            "Fila 4: Clave repetida en el archivo: «2018-2024 · SEP · PLAN-001» (ya aparece en la fila 1).",
        ]
    )


def test_formula_cells_are_refused(client, auditora, catalogue):
    text = HEADER + line("SEP", "PLAN-001") + line("INM", "PLAN-002", rationale="=HYPERLINK(1)")
    library, planned = both(text, auditora)
    assert (
        planned
        == library
        == [
            "Fila 2: rationale: La celda «rationale» empieza con «=» y una hoja de cálculo la ejecutaría como "
            "fórmula (=HYPERLINK(1)). Quite ese carácter inicial."
        ]
    )


def test_a_validated_rating_is_not_overwritten(client, auditora, auditor2, catalogue):
    rating = Assessment.objects.get(agency__acronym="SEP", obligation=catalogue[0])
    add_file_evidence(rating, auditora)
    rate(Assessment.objects.get(pk=rating.pk), auditora)
    services.submit(Assessment.objects.get(pk=rating.pk), auditora)
    services.validate(Assessment.objects.get(pk=rating.pk), auditor2)
    text = HEADER + line("INM", "PLAN-002") + line("SEP", "PLAN-001")
    library, planned = both(text, auditora)
    assert (
        planned
        == library
        == ["Fila 2: La evaluación está «Validada»: devuélvala a borrador, con un motivo, para modificarla."]
    )
    before = stored()
    client.force_login(auditora)
    assert upload(client, text.encode()).context["job"].errors == planned
    assert stored() == before


def test_every_rule_gives_the_row_by_row_messages(auditora, catalogue):
    """One file breaking every rule at once: the planned path says exactly what the library's
    row-by-row path says, row by row, in the same order."""
    rating = Assessment.objects.get(agency__acronym="INM", obligation=catalogue[5])
    add_file_evidence(rating, auditora)  # complied may stand on this one
    text = HEADER + "".join(
        [
            line("SEP", "PLAN-001"),
            line("SEP", "PLAN-002", status="complied"),  # no evidence
            line("INM", "PLAN-006", status="complied"),  # in-period evidence: accepted
            line("SEP", "PLAN-003", status="otra"),  # not a status
            line("SEP", "PLAN-004", status="partially_complied", rationale=""),
            line("SEP", "NOPE-1"),
            line("", "PLAN-005"),
            "nope,SEP,PLAN-007,not_complied,x,\n",
            line("SEP", "PLAN-008", source="x" * 300),
            line("SEP", "PLAN-009", rationale="@SUM(A1)", source="+1"),
            line("SEP", "PLAN-001"),
            "cndh-2019,SEP,PLAN-010,not_complied,x,\n",
        ]
    )
    library, planned = both(text, auditora)
    assert planned == library
    assert len({message.split(":")[0] for message in planned}) == 10  # rows 2, 4–12 refused; 1 and 3 pass
    assert not any(message.startswith(("Fila 1:", "Fila 3:")) for message in planned)


def test_missing_and_unknown_columns_are_file_level_messages(auditora, catalogue):
    library, planned = both("cycle,agency,obligation,rationale,extra\n2018-2024,SEP,PLAN-001,x,y\n", auditora)
    assert planned == library
    assert planned[0] == "Faltan columnas obligatorias: status."


def test_the_planned_validation_makes_the_same_queries_for_10_or_120_rows(auditora, catalogue):
    def queries(lines):
        with CaptureQueriesContext(connection) as captured:
            result = import_file(
                BulkAssessmentResource(), (HEADER + "".join(lines)).encode(), "csv", dry_run=True, user=auditora
            )
        assert result_messages(result) == []
        return len(captured)

    lines = good_lines(catalogue)
    assert queries(lines[:10]) == queries(lines)


def test_a_confirmation_writes_in_batches_with_few_queries(auditora, catalogue, settings):
    content = (HEADER + "".join(good_lines(catalogue))).encode()
    with CaptureQueriesContext(connection) as captured:
        result = import_file(BulkAssessmentResource(), content, "csv", dry_run=False, user=auditora)
    assert result_messages(result) == [] and result.totals["update"] == 120
    assert len(captured) < 20  # not one per row
    assert Assessment.objects.filter(status="not_complied").count() == 120
