"""Bulk import through the import-export resources: what is accepted, what is refused (with its
row-level message) and that a refused file imports nothing."""

import pytest

from agencies.models import Agency
from agencies.resources import AgencyResource, ImportFileError, import_file, result_messages
from obligations.models import Assessment, Obligation, Responsibility
from obligations.reference import load_reference_data
from obligations.resources import (
    AssessmentResource,
    BulkAssessmentResource,
    BulkObligationResource,
    IndicatorResource,
    ObligationResource,
    ProvisionResource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    load_reference_data()


def run(resource, text, *, dry_run=False, user=None):
    result = import_file(resource, text.encode("utf-8"), "csv", dry_run=dry_run, user=user)
    return result, "\n".join(result_messages(result))


def test_it_imports_an_obligation_with_legal_basis_and_responsibles(catalogue):
    text = (
        "code,title_es,title_en,component,level,provisions,responsables,corresponsables\n"
        "NUEVA-1,Obligación nueva,New duty,assistance,1,LGPSEDMTP art. 75; Reglamento art. 83,INM,SEGOB; DIF\n"
    )
    result, messages = run(ObligationResource(), text)
    assert messages == ""
    obligation = Obligation.objects.get(code="NUEVA-1")
    assert obligation.legal_basis == "LGPSEDMTP art. 75; Reglamento art. 83"
    roles = dict(Responsibility.objects.filter(obligation=obligation).values_list("agency__acronym", "role"))
    assert roles == {"INM": "lead", "SEGOB": "co", "DIF": "co"}


def test_dry_run_writes_nothing(catalogue):
    result, messages = run(
        ObligationResource(), "code,title_es,component,level\nNUEVA-2,T,prevention,2\n", dry_run=True
    )
    assert messages == "" and result.totals["new"] == 1
    assert not Obligation.objects.filter(code="NUEVA-2").exists()


def test_unknown_agency_is_refused_and_nothing_is_imported(catalogue):
    text = (
        "code,title_es,component,level,responsables\n"
        "NUEVA-3,Buena,prevention,1,SEP\n"
        "NUEVA-4,Mala,prevention,1,SEP; XYZ\n"
    )
    result, messages = run(ObligationResource(), text)
    assert "Fila 2: responsables: Dependencia desconocida: «XYZ»." in messages
    assert not Obligation.objects.filter(code__in=["NUEVA-3", "NUEVA-4"]).exists()


def test_unknown_provision_is_refused(catalogue):
    result, messages = run(
        ObligationResource(), "code,title_es,component,level,provisions\nNUEVA-5,T,prevention,1,LGPSEDMTP art. 999\n"
    )
    assert "Fila 1: provisions: Disposición desconocida: «LGPSEDMTP art. 999»." in messages
    assert not Obligation.objects.filter(code="NUEVA-5").exists()


def test_duplicate_code_is_refused(catalogue):
    text = "code,title_es,component,level\nNUEVA-6,Uno,prevention,1\nNUEVA-6,Dos,prevention,1\n"
    result, messages = run(ObligationResource(), text)
    assert "Fila 2: Clave repetida en el archivo: «NUEVA-6» (ya aparece en la fila 1)." in messages
    assert not Obligation.objects.filter(code="NUEVA-6").exists()


def test_missing_required_column_is_refused(catalogue):
    result, messages = run(ObligationResource(), "code,title_es\nNUEVA-7,T\n")
    assert "Faltan columnas obligatorias: component, level." in messages
    assert not Obligation.objects.filter(code="NUEVA-7").exists()


def test_wrong_encoding_is_refused(catalogue):
    content = "code,title_es,component,level\nNUEVA-8,Atención,prevention,1\n".encode("latin-1")
    with pytest.raises(ImportFileError, match="no está codificado en UTF-8"):
        import_file(ObligationResource(), content, "csv", dry_run=False)
    assert not Obligation.objects.filter(code="NUEVA-8").exists()


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_cells_are_refused(catalogue, cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    result, messages = run(ObligationResource(), f"code,title_es,component,level\nNUEVA-9,{quoted},prevention,1\n")
    assert "Fila 1: title_es: La celda «title_es» empieza con" in messages
    assert "Quite ese carácter inicial." in messages
    assert not Obligation.objects.filter(code="NUEVA-9").exists()


def test_model_validation_applies(catalogue):
    result, messages = run(ObligationResource(), "code,title_es,component,level\nNUEVA-10,T,otra,4\n")
    assert "component:" in messages and "level:" in messages


def test_updates_match_by_code(catalogue):
    result, messages = run(
        ObligationResource(), "code,title_es,component,level\nPREV-15,Título corregido,prevention,1\n"
    )
    assert messages == "" and result.totals["update"] == 1
    assert Obligation.objects.get(code="PREV-15").title_es == "Título corregido"


def test_agency_import_with_parent_by_acronym(catalogue):
    text = "acronym,name_es,parent,order,kind\nUNIDAD-X,Unidad de prueba,SEGOB,federal,unit\nUNIDAD-Y,Otra,NOPE,federal,unit\n"
    result, messages = run(AgencyResource(), text)
    assert "Fila 2: parent: Dependencia desconocida: «NOPE»." in messages
    assert not Agency.objects.filter(acronym__startswith="UNIDAD-").exists()
    result, messages = run(AgencyResource(), text.rsplit("UNIDAD-Y", 1)[0])
    assert messages == ""
    assert Agency.objects.get(acronym="UNIDAD-X").parent.acronym == "SEGOB"


def test_provision_and_indicator_import(catalogue):
    header = "instrument,article,fraction,paragraph,transitory,summary_es\n"
    result, messages = run(ProvisionResource(), header + "LGPSEDMTP,90,,,0,Actualizado\n")
    assert messages == "" and result.totals["update"] == 1
    result, messages = run(ProvisionResource(), header + "NOEXISTE,1,,,0,x\n")
    assert "Instrumento jurídico desconocido: «NOEXISTE»." in messages
    result, messages = run(IndicatorResource(), "code,statement_es,kind,obligation\nIND-X,Enunciado,process,NOPE\n")
    assert "Obligación desconocida: «NOPE»." in messages


@pytest.fixture
def open_cycle(catalogue):
    from datetime import date

    from obligations.models import ReviewCycle

    return ReviewCycle.objects.create(
        slug="ciclo-2025", name_es="Ciclo 2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )


def test_assessments_import_as_drafts_of_the_importing_auditor(open_cycle, auditora):
    text = "cycle,agency,obligation,status,rationale\nciclo-2025,SEP,PREV-15,not_complied,Sin módulos en 2025.\n"
    result, messages = run(AssessmentResource(), text, user=auditora)
    assert messages == ""
    assessment = Assessment.objects.get(cycle=open_cycle, agency__acronym="SEP", obligation__code="PREV-15")
    assert (assessment.workflow_state, assessment.reviewer) == ("draft", auditora)
    assert assessment.history.count() == 1


def test_assessment_rules_are_the_forms_rules(open_cycle):
    text = (
        "cycle,agency,obligation,status,rationale\n"
        "ciclo-2025,SEP,PREV-15,complied,Sin evidencia\n"
        "ciclo-2025,SEP,PREV-16,not_complied,\n"
        "cndh-2019,SEP,PREV-15,complied,Cambiar la línea base\n"
        "ciclo-2025,NOPE,PREV-15,not_complied,x\n"
    )
    result, messages = run(AssessmentResource(), text)
    assert "Fila 1: status: «Cumplida» requiere al menos una evidencia fechada dentro del periodo" in messages
    assert "Fila 2: rationale: Todo estatus requiere una justificación escrita." in messages
    assert "Fila 3: El ciclo «cndh-2019» está publicado: es de sólo lectura." in messages  # the workflow's words
    assert "Fila 4: agency: Dependencia desconocida: «NOPE»." in messages
    assert not Assessment.objects.filter(cycle=open_cycle).exists()
    assert Assessment.objects.get(
        cycle__slug="cndh-2019", agency__acronym="SEP", obligation__code="PREV-15"
    ).status == ("not_complied")


def test_bulk_resources_keep_row_level_messages_and_history(open_cycle):
    text = "code,title_es,component,level\nBULK-1,Uno,prevention,1\nBULK-1,Dos,prevention,1\n"
    result, messages = run(BulkObligationResource(), text)
    assert "Fila 2: Clave repetida en el archivo: «BULK-1»" in messages
    assert not Obligation.objects.filter(code="BULK-1").exists()
    text = "cycle,agency,obligation,status,rationale\nciclo-2025,SEP,PREV-15,not_complied,x\nciclo-2025,INM,PREV-15,not_complied,y\n"
    result, messages = run(BulkAssessmentResource(), text)
    assert messages == ""
    assessments = Assessment.objects.filter(cycle=open_cycle)
    assert assessments.count() == 2
    assert Assessment.history.filter(cycle=open_cycle).count() == 2
