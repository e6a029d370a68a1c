"""The three journeys of the issue, in headless Chromium against the live server.

1. An auditor rates an obligation in the admin with an uploaded PDF as evidence and submits it;
   a second auditor validates it.
2. SEP's liaison sees SEP's scorecard, cannot reach INM's (typed URL → 404), downloads SEP's PDF.
3. The secretariat opens the national panorama, filters by component, requests the national
   report, watches the progress finish and downloads it.
"""

import re

import pytest

from tests.e2e.conftest import admin_login, login
from tests.security.world import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.context.clear_cookies()


def test_auditor_rates_with_a_pdf_and_a_colleague_validates(page, live_server, journey_world, tmp_path):
    from obligations.models import Assessment, Evidence

    draft = journey_world.assessments[("open-draft", "SEP")]
    evidence_pdf = tmp_path / "oficio-sep-2020.pdf"
    evidence_pdf.write_bytes(PDF_BYTES)

    # The first auditor rates the obligation and attaches the official letter.
    admin_login(page, "mx-auditora")
    page.goto(f"/admin/obligations/assessment/{draft.pk}/change/")
    assert "MX-OBL-2" in page.locator(".obligation-panel").inner_text()
    page.locator(".add-row a").first.click()
    page.locator("#id_evidence-0-kind").select_option("file")
    page.locator("#id_evidence-0-fact_date").fill("2020-05-04")
    page.locator("#id_evidence-0-title").fill("Oficio SEP/2020/115: programa de capacitación")
    page.locator("#id_evidence-0-file").set_input_files(str(evidence_pdf))
    page.locator("#id_status").select_option("complied")
    page.locator("#id_rationale").fill("La SEP acreditó su programa de capacitación 2020 con el oficio anexo.")
    # Straight to "save and submit", without saving first: nothing typed is lost.
    with page.expect_navigation():
        page.get_by_role("button", name="Guardar y enviar a validación").click()
    assert page.locator(".errornote").count() == 0, page.locator(".errornote").all_inner_texts()
    assert "dentro del periodo" in page.content()
    draft.refresh_from_db()
    assert (draft.workflow_state, draft.status) == ("submitted", "complied")
    evidence = Evidence.objects.get(assessment=draft, title__startswith="Oficio SEP/2020/115")
    assert evidence.sha256 and evidence.original_filename == "oficio-sep-2020.pdf"

    # A second auditor validates it.
    _logout(page)
    admin_login(page, "mx-auditor2")
    page.goto(f"/admin/obligations/assessment/{draft.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Validar")).click()
    draft = Assessment.objects.get(pk=draft.pk)
    assert draft.workflow_state == "validated"
    assert draft.validator.username == "mx-auditor2"
    assert draft.history.filter(workflow_state="validated", history_user__username="mx-auditor2").exists()


def _wait_for_download_link(page, timeout_ms=90_000):
    link = page.locator("[data-report-download]")
    link.wait_for(state="visible", timeout=timeout_ms)
    return link


def test_sep_liaison_sees_its_scorecard_not_inms_and_downloads_its_pdf(page, live_server, journey_world, worker):
    login(page, "mx-enlace-sep")
    page.goto("/agencias/SEP/?ciclo=mx-publicado")
    assert "Secretaría de Educación Pública" in page.locator("main").inner_text()
    assert "RAZON-SEP-published" in page.content()

    # Typing INM's address: a plain 404, nothing about INM.
    response = page.goto("/agencias/INM/?ciclo=mx-publicado")
    assert response.status == 404
    assert "RAZON-INM" not in page.content()

    page.goto("/agencias/SEP/?ciclo=mx-publicado")
    page.get_by_role("button", name="Solicitar reporte PDF").click()
    link = _wait_for_download_link(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and "sep" in download.suggested_filename
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_secretariat_filters_the_panorama_and_downloads_the_national_report(page, live_server, journey_world, worker):
    login(page, "mx-secretariado")
    page.goto("/panorama/")
    table_text = page.locator("main").inner_text()
    assert "SEP" in table_text and "INM" in table_text

    page.locator("#id_componente").select_option("assistance")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrar").click()
    assert "componente=assistance" in page.url
    rows = page.locator("main table tbody tr")
    acronyms = " ".join(rows.all_inner_texts())
    assert "INM" in acronyms and "SEP" not in acronyms

    page.get_by_role("button", name="Solicitar reporte PDF").click()
    progress = page.locator("[data-report-progress]")
    progress.wait_for(state="visible")
    link = _wait_for_download_link(page)
    assert progress.get_attribute("value") == "100"
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert "nacional" in download.suggested_filename
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
