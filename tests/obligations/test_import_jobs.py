"""Admin imports as jobs (obligations.imports): CSV and XLSX only, size and row limits with a
Spanish message, the file kept server-side behind a random token, a confirmation that
re-validates every row and saves all or nothing and says which, files removed on every path,
large files through the Celery task with progress, a paginated preview, and natural keys that
differ only in case refused (by the import and by the database)."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from import_export.formats.base_formats import CSV, XLSX

from agencies.models import Agency
from obligations import services
from obligations.models import Assessment, ImportJob, Obligation
from tests.obligations.workflow_factories import make_catalogue, open_test_cycle

pytestmark = pytest.mark.django_db

IMPORT = "admin:obligations_assessment_import"
HEADER = "cycle,agency,obligation,status,rationale,source_reference\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def cycle(media, sep, inm, auditora):
    make_catalogue([sep, inm], n_obligations=3)
    return open_test_cycle(auditora)


def kept_files(media: Path) -> list[str]:
    folder = media / "imports"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def format_index(model, fmt) -> int:
    return admin.site._registry[model].get_import_formats().index(fmt)


def upload(client, content: bytes, *, name="calificaciones.csv", fmt=CSV, model=Assessment, url=IMPORT):
    return client.post(
        reverse(url),
        {"resource": 0, "format": format_index(model, fmt), "import_file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def ratings_csv(rows) -> bytes:
    return (HEADER + "".join(f"2018-2024,{a},{o},not_complied,Sin programa {a} {o},\n" for a, o in rows)).encode()


def confirm(client, response):
    return client.post(response.redirect_chain[-1][0], {"action": "confirm"}, follow=True)


def test_only_csv_and_xlsx_are_offered_for_import_and_export(client, auditora):
    model_admin = admin.site._registry[Assessment]
    assert model_admin.get_import_formats() == [CSV, XLSX]
    assert model_admin.get_export_formats() == [CSV, XLSX]
    client.force_login(auditora)
    page = client.get(reverse(IMPORT)).content.decode()
    for name in ("yaml", "json", "tsv", "html", 'xls"'):
        assert f">{name}<" not in page.lower()


def test_a_clean_file_is_previewed_then_saved_and_the_page_says_exactly_what(client, auditora, cycle, media):
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001"), ("INM", "PREV-002")]))
    job = response.context["job"]
    assert (job.state, job.rows, job.new, job.updated, job.unchanged) == ("ready", 2, 0, 2, 0)
    assert list(Assessment.objects.exclude(status="").values_list("pk", flat=True)) == []  # dry run
    assert len(kept_files(media)) == 1  # the upload, under a generated name
    assert kept_files(media)[0] != "calificaciones.csv"

    response = confirm(client, response)
    job = response.context["job"]
    assert (job.state, job.new, job.updated) == ("done", 0, 2)
    assert job.message == "Se guardaron 0 filas nuevas y 2 actualizadas; 0 sin cambios."
    saved = Assessment.objects.filter(status="not_complied").order_by("agency__acronym")
    assert [(a.agency.acronym, a.obligation.code, a.rationale) for a in saved] == [
        ("INM", "PREV-002", "Sin programa INM PREV-002"),
        ("SEP", "PREV-001", "Sin programa SEP PREV-001"),
    ]
    assert all(a.history.latest().history_user_id == auditora.pk for a in saved)
    assert kept_files(media) == []
    # A second confirmation (another tab) changes nothing and says so.
    again = client.post(response.redirect_chain[-1][0], {"action": "confirm"}, follow=True)
    assert "ya no puede confirmarse" in again.content.decode()


def test_a_row_that_changed_since_the_preview_means_nothing_is_saved_and_why(client, auditora, cycle, media):
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001"), ("INM", "PREV-002")]))
    assert response.context["job"].state == "ready"
    # Between preview and confirmation the INM rating is rated and submitted.
    rating = Assessment.objects.get(agency__acronym="INM", obligation__code="PREV-002")
    services.save_rating(
        rating, auditora, expected_version=rating.version, status="not_applicable", rationale="No aplica."
    )
    services.submit(Assessment.objects.get(pk=rating.pk), auditora)
    before = list(Assessment.objects.order_by("pk").values_list("pk", "status", "rationale", "version"))

    job = confirm(client, response).context["job"]
    assert job.state == "failed"
    assert job.message.startswith("No se guardó nada: al confirmar, 1 filas ya no son válidas")
    assert (job.new, job.updated, job.unchanged) == (0, 0, 0)
    assert job.errors == [
        "Fila 2: La evaluación está «Enviada a validación»: devuélvala a borrador, con un motivo, para modificarla."
    ]
    assert list(Assessment.objects.order_by("pk").values_list("pk", "status", "rationale", "version")) == before
    assert kept_files(media) == []


def test_a_file_with_errors_is_refused_with_them_and_removed(client, auditora, cycle, media):
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001"), ("XYZ", "PREV-002")]))
    job = response.context["job"]
    assert job.state == "refused"
    assert job.errors == ["Fila 2: agency: Dependencia desconocida: «XYZ»."]
    assert "Confirmar la importación" not in response.content.decode()
    assert kept_files(media) == []
    assert not Assessment.objects.exclude(status="").exists()


def test_a_file_over_the_size_limit_is_refused_before_anything_is_kept(client, auditora, cycle, media, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001"), ("INM", "PREV-002")]))
    assert response.redirect_chain == []
    assert "el máximo es 0.0 MB. Divídalo en archivos más pequeños." in response.content.decode()
    assert ImportJob.objects.count() == 0 and kept_files(media) == []


def test_a_file_over_the_row_limit_is_refused_in_spanish(client, auditora, cycle, media, settings):
    settings.IMPORT_MAX_ROWS = 1
    client.force_login(auditora)
    job = upload(client, ratings_csv([("SEP", "PREV-001"), ("INM", "PREV-002")])).context["job"]
    assert (job.state, job.message) == (
        "refused",
        "El archivo tiene más de 1 filas de datos: divídalo en archivos más pequeños.",
    )
    assert kept_files(media) == []


def test_an_xlsx_file_is_read_by_value_and_imported(client, auditora, cycle, media):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["2018-2024", "SEP", "PREV-003", "not_complied", "Sin programa", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(auditora)
    response = upload(client, buffer.getvalue(), name="calificaciones.xlsx", fmt=XLSX)
    assert response.context["job"].state == "ready"
    assert confirm(client, response).context["job"].state == "done"
    assert Assessment.objects.get(agency__acronym="SEP", obligation__code="PREV-003").rationale == "Sin programa"


def test_a_zip_that_is_not_a_workbook_is_refused(client, auditora, cycle, media):
    client.force_login(auditora)
    job = upload(client, b"PK\x03\x04 not really", name="x.xlsx", fmt=XLSX).context["job"]
    assert (job.state, job.message) == ("refused", "El archivo no es un libro de Excel (XLSX) válido.")


def test_the_file_name_never_comes_from_the_browser(client, auditora, auditor2, cycle, media):
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001")]))
    job_url = response.redirect_chain[-1][0]
    # The library's confirm route (which took a temp file name from the form) is not mounted:
    # the path falls to the admin's catch-all ("<object id>/" → its change page), no import.
    with pytest.raises(NoReverseMatch):
        reverse("admin:obligations_assessment_process_import")
    gone = client.post("/admin/obligations/assessment/process_import/", {"import_file_name": "/etc/passwd"})
    assert (gone.status_code, gone.url) == (302, "/admin/obligations/assessment/process_import/change/")
    # Another auditor cannot see or confirm someone else's job.
    client.force_login(auditor2)
    assert client.get(job_url).status_code == 404
    assert client.post(job_url, {"action": "confirm"}).status_code == 404
    assert not Assessment.objects.exclude(status="").exists()


def test_cancelling_removes_the_file(client, auditora, cycle, media):
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", "PREV-001")]))
    assert len(kept_files(media)) == 1
    job = client.post(response.redirect_chain[-1][0], {"action": "cancel"}, follow=True).context["job"]
    assert job.state == "cancelled" and kept_files(media) == []
    assert not Assessment.objects.exclude(status="").exists()


def test_the_preview_shows_one_page_of_rows(client, auditora, media, sep, settings):
    obligations = make_catalogue([sep], n_obligations=60, prefix="PAG")
    open_test_cycle(auditora)
    client.force_login(auditora)
    response = upload(client, ratings_csv([("SEP", o.code) for o in obligations]))
    assert response.context["job"].rows == 60
    assert len(response.context["rows"]) == settings.IMPORT_PREVIEW_PAGE_ROWS == 50
    table = response.content.decode().split('class="import-rows"')[1].split("</table>")[0]
    assert table.count("<tr>") == 51  # the header and 50 rows
    second = client.get(response.redirect_chain[-1][0] + "?page=2")
    assert [row[2] for row in second.context["rows"]] == [o.code for o in obligations[50:]]


@pytest.fixture
def eager_tasks(celery_app):
    """The task runs in this process once the job is committed (with a broker too)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_a_large_file_goes_to_the_task_with_progress(
    client, auditora, cycle, media, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    client.force_login(auditora)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, ratings_csv([("SEP", "PREV-001"), ("INM", "PREV-002")]))
    job = response.context["job"]
    assert (job.state, job.is_running, response.context["progress"]) == ("previewing", True, 0)
    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()
    for callback in callbacks:
        callback()  # the task
    page = client.get(response.redirect_chain[-1][0])
    assert (page.context["job"].state, page.context["progress"]) == ("ready", 100)
    with django_capture_on_commit_callbacks(execute=True):
        running = client.post(response.redirect_chain[-1][0], {"action": "confirm"}, follow=True)
    assert running.context["job"].state == "importing"  # the page then refreshes itself
    assert client.get(response.redirect_chain[-1][0]).context["job"].state == "done"
    assert Assessment.objects.filter(status="not_complied").count() == 2


def test_acronyms_differing_only_in_case_are_refused_by_the_import_and_the_database(client, auditora, sep, media):
    client.force_login(auditora)
    response = upload(
        client,
        b"acronym,name_es\nsep,Otra SEP\n",
        name="dependencias.csv",
        model=Agency,
        url="admin:agencies_agency_import",
    )
    assert response.context["job"].errors == [
        "Fila 1: acronym: Ya existe «SEP»: «sep» sólo difiere en mayúsculas y minúsculas."
    ]
    response = upload(
        client, b"acronym,name_es\nNUEVA,Una\nnueva,Otra\n", model=Agency, url="admin:agencies_agency_import"
    )
    assert response.context["job"].errors == [
        "Fila 2: Clave repetida en el archivo: «nueva» (ya aparece en la fila 1)."
    ]
    assert list(Agency.objects.values_list("acronym", flat=True)) == ["SEP"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(acronym="sep", name_es="Duplicada")
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.bulk_create(
            [
                Obligation(code="ABC-1", title_es="Una", component="prevention", level=1),
                Obligation(code="abc-1", title_es="Otra", component="prevention", level=1),
            ]
        )
