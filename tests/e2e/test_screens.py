"""Issue 12 in the browser, at 1366×900 and 390×844: for the auditor, the liaison and the
secretariat, no page is wider than the screen, a PDF request shows that it is in progress
within 2 s (button disabled), and the PDF they get has a table of contents. Every step leaves a
screenshot in $TEST_ARTIFACTS_DIR (CI artifact), so the screens can be checked by eye."""

import io
import re
import time

import pytest

from tests.e2e.conftest import artifacts_dir, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
IN_PROGRESS_WITHIN_S = 2.0
# The element reaching furthest right outside any scrolling box (for the failure message).
WIDEST = """(limit) => {
  let worst = "", right = limit;
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right <= right + 1) continue;
    let scroller = el.parentElement;
    while (scroller && !["auto", "scroll", "hidden"].includes(getComputedStyle(scroller).overflowX)) {
      scroller = scroller.parentElement;
    }
    if (!scroller) { right = box.right; worst = `${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(right)} px`; }
  }
  return worst;
}"""


def screens(new_page, role: str):
    """One page per screen size (each in its own browser context), each with `check(step)`:
    assert that the page is no wider than the screen and keep a screenshot. Both sizes in one
    test: the world is built once per role (that is most of an end-to-end test's time)."""
    for name, size in VIEWPORTS.items():
        page = new_page()
        page.set_viewport_size(size)

        def check(step: str, page=page, name=name, size=size):
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(artifacts_dir() / f"screens-{role}-{name}-{step}.png"), full_page=True)
            if width > size["width"]:
                culprit = page.evaluate(WIDEST, size["width"])
                pytest.fail(f"{step}: the page is {width} px wide on a {name} screen ({culprit})")

        page.check = check
        yield name, page


def _forget_reports():
    """The next request builds its PDF again (an identical finished one would be reused at once)."""
    from reports.models import ReportJob

    ReportJob.objects.all().delete()


def _request_pdf_and_see_progress(page) -> None:
    """Press the button: within 2 s the panel says «En proceso» and the button is disabled."""
    button = page.get_by_role("button", name="Solicitar reporte PDF")
    started = time.monotonic()
    button.click()
    page.wait_for_function(
        "() => document.querySelector('[data-report-state]').textContent.trim() === 'En proceso'"
        " && document.querySelector('[data-report-button]').disabled",
        timeout=IN_PROGRESS_WITHIN_S * 1000,
    )
    assert time.monotonic() - started <= IN_PROGRESS_WITHIN_S
    assert page.locator("[data-report-status]").is_visible()


def _downloaded_pdf_text(page) -> str:
    from pypdf import PdfReader

    link = page.locator("[data-report-download]")
    link.wait_for(state="visible", timeout=90_000)
    assert page.locator("[data-report-state]").inner_text() == "Listo"
    assert page.locator("[data-report-button]").is_enabled()
    with page.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def _assert_table_of_contents(pages: list[str]) -> None:
    toc = pages[1]
    assert toc.startswith("Índice ")
    annex = re.search(r"Anexo metodológico \.{3,} ?(\d+)", toc)
    assert annex and int(annex.group(1)) == len(pages)  # the annex is the last page, as listed
    assert "manage.py" not in " ".join(pages)


def test_auditor_screens_fit(new_page, live_server, journey_world):
    for _name, page in screens(new_page, "auditor"):
        _auditor_steps(page, journey_world)


def _auditor_steps(page, journey_world):
    login(page, "mx-auditora")
    page.check("inicio")
    page.goto("/panorama/?ciclo=mx-abierto")
    assert "SEP" in page.locator("main").inner_text()
    page.check("panorama-ciclo-abierto")
    page.goto("/agencias/SEP/?ciclo=mx-abierto")
    page.check("cedula-sep")
    page.goto("/solicitudes/")
    page.check("solicitudes")
    page.goto(f"/solicitudes/{journey_world.extra['addressee-INM'].pk}/")  # pages are per addressee
    assert "SOLICITUD-INM" in page.locator("main").inner_text()
    page.check("solicitud-inm")


def test_liaison_screens_fit_and_its_pdf_shows_progress(new_page, live_server, journey_world, worker):
    for _name, page in screens(new_page, "liaison"):
        _forget_reports()
        _liaison_steps(page, journey_world)


def _liaison_steps(page, journey_world):
    login(page, "mx-enlace-sep")
    page.check("inicio")
    addressee = journey_world.extra["addressee-SEP"]  # the liaison's pages are per addressee
    page.goto("/solicitudes/")
    page.check("solicitudes")
    page.goto(f"/solicitudes/{addressee.pk}/")
    page.check("solicitud")
    page.goto(f"/solicitudes/{addressee.pk}/obligacion/{journey_world.obligation.pk}/")
    page.check("respuesta")
    page.goto("/agencias/SEP/?ciclo=mx-publicado")
    assert "Secretaría de Educación Pública" in page.locator("main").inner_text()
    page.check("cedula")
    _request_pdf_and_see_progress(page)
    page.check("pdf-en-proceso")
    pages = _downloaded_pdf_text(page)
    page.check("pdf-listo")
    _assert_table_of_contents(pages)
    assert "Resumen ejecutivo" in pages[1]


def test_secretariat_screens_fit_its_pdf_shows_progress_and_can_be_verified(
    new_page, live_server, journey_world, worker
):
    for _name, page in screens(new_page, "secretariat"):
        _forget_reports()
        _secretariat_steps(page)


def _secretariat_steps(page):
    login(page, "mx-secretariado")
    page.goto("/panorama/")
    page.check("panorama")
    _request_pdf_and_see_progress(page)
    page.check("pdf-en-proceso")
    pages = _downloaded_pdf_text(page)
    _assert_table_of_contents(pages)
    assert re.search(r"SEP · Secretaría de Educación Pública \.{3,} ?\d+", pages[1])

    # The public side: portal, scorecard and the page that verifies a printed copy.
    page.goto("/publico/")
    page.check("portal")
    page.goto("/publico/mx-publicado/")
    page.check("portal-panorama")
    page.goto("/publico/mx-publicado/SEP/")
    page.check("portal-cedula")
    fingerprint = re.search(r"huella de los datos ([0-9a-f]{16})", pages[-1]).group(1)  # as printed in the footer
    page.goto("/verificar/")
    page.get_by_label("Huella del reporte").fill(fingerprint)
    with page.expect_navigation():
        page.get_by_role("button", name="Verificar", exact=True).click()
    result = page.locator("[data-verify-result]").inner_text()
    assert "La huella corresponde a un reporte emitido" in result and "Reporte nacional" in result
    page.check("verificar")
