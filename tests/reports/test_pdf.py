"""reports.pdf: offline rendering and the content of the agency and national reports."""

import pytest

from reports import jobs, pdf
from reports.models import ReportKind
from tests.reports.report_fixtures import (
    KNOWN_BASIS,
    KNOWN_CODE,
    KNOWN_TITLE,
    build_cycle,
    pdf_page_texts,
    pdf_pages,
    pdf_text,
)


@pytest.fixture
def cycle(sep, inm):
    return build_cycle([sep, inm])


def test_render_pdf_resolves_the_stylesheet_offline():
    """The stylesheet (relative URL, resolved against the static folder) sets A4 pages."""
    import io

    from pypdf import PdfReader

    html = '<html><head><link rel="stylesheet" href="css/report-pdf.css"></head><body><p>Hola</p></body></html>'
    rendered = pdf.render_pdf(html)
    box = PdfReader(io.BytesIO(rendered.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert rendered.page_count == 1


def test_render_pdf_never_fetches_from_the_network():
    from weasyprint.urls import FatalURLFetchingError

    html = '<html><head><link rel="stylesheet" href="https://cdn.example.org/x.css"></head><body>x</body></html>'
    with pytest.raises(FatalURLFetchingError):
        pdf.render_pdf(html)


def test_the_fetcher_serves_only_static_files_and_fonts(settings):
    from pathlib import Path

    static = (Path(settings.BASE_DIR) / "static").resolve()
    assert pdf.OfflineURLFetcher.static_path((static / "css" / "report-pdf.css").as_uri()) is not None
    assert pdf.OfflineURLFetcher.static_path((static / ".." / "manage.py").resolve().as_uri()) is None
    assert pdf.OfflineURLFetcher.static_path("file:///etc/passwd") is None


@pytest.mark.django_db
def test_the_agency_report_shows_scores_obligations_legal_basis_and_evidence(sep, cycle):
    fingerprint = jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep)
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint=fingerprint)
    text = pdf_text(built.content)
    assert built.page_count == pdf_pages(built.content) >= 3
    assert "Secretaría de Educación Pública" in text
    assert "Diagnóstico de prueba 2019" in text and "15 de junio de 2012" in text  # cover: cycle and period
    assert "38 %" in text  # SEP: complied 1 + partial 0.5 + not complied 0 + no info 0 → 1.5 / 4
    assert KNOWN_CODE in text and KNOWN_TITLE.split()[0] in text
    assert KNOWN_BASIS in text and "Reglamento art. 83" in text
    assert "Oficio público de SEP" in text and "SHA-256 abababababab" in text
    assert "Recomendación de prueba" in text and "En proceso" in text
    assert "Anexo metodológico" in text
    assert fingerprint[:16] in text  # footer of every page
    assert f"Página 1 de {built.page_count}" in text
    assert "INM" not in text.replace("INMUJERES", "")


@pytest.mark.django_db
def test_confidential_evidence_shows_only_that_it_exists(sep, cycle):
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="0" * 64)
    text = pdf_text(built.content)
    assert "Evidencia confidencial" in text and "SHA-256 cdcdcdcdcdcd" in text
    assert "nombre de víctima" not in text and "Descripción reservada" not in text
    assert "nombre de víctima" not in built.html and "Descripción reservada" not in built.html


@pytest.mark.django_db
def test_the_report_is_in_english_on_request(sep, cycle):
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, language="en", fingerprint="0" * 64)
    assert '<html lang="en">' in built.html
    assert "June 15, 2012" in built.html  # the period, in English date format
    assert f"{KNOWN_TITLE} (EN)" in built.html  # obligation titles in English
    spanish = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="0" * 64)
    assert '<html lang="es' in spanish.html


@pytest.mark.django_db
def test_the_national_report_has_the_national_tables_and_one_section_per_agency(sep, inm, cycle):
    built = pdf.build_report(ReportKind.NATIONAL, cycle, None, fingerprint="1" * 64)
    text = pdf_text(built.content)
    assert "Panorama nacional" in text and "Puntaje nacional" in text
    assert "SEP · Secretaría de Educación Pública" in text
    assert "INM · Instituto Nacional de Migración" in text
    assert text.count(KNOWN_BASIS) >= 2  # the obligation appears in both agencies' sections
    assert built.html.count('class="agency-section"') == 2


@pytest.mark.django_db
def test_long_tables_repeat_their_header_on_every_page(sep):
    cycle = build_cycle([sep], extra_rows=60)
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="2" * 64)
    pages = pdf_page_texts(built.content)
    extra_pages = [text for text in pages if "EXTRA-" in text]
    assert len(extra_pages) >= 3
    for text in extra_pages:
        assert "OBLIGACIÓN Y FUNDAMENTO" in text.upper()  # the header row is repeated
    # Every row is printed once, whole (code, title and rationale on the same page).
    for n in range(60):
        holding = [text for text in pages if f"EXTRA-{n:03d} Obligación adicional" in text]
        assert len(holding) == 1
        assert f"para EXTRA-{n:03d}." in holding[0]


@pytest.mark.django_db
def test_the_national_report_has_the_sources_figures_and_not_reported_is_not_zero(sep, inm, cycle):
    from obligations.models import Indicator, IndicatorValue

    indicator = Indicator.objects.create(code="T-CONDENAS", statement_es="Personas condenadas", kind="context")
    IndicatorValue.objects.create(
        indicator=indicator, year=2023, value=182, stated_as="182", source="TIP 2025", quote="convicted 182"
    )
    IndicatorValue.objects.create(
        indicator=indicator, year=2024, status="not_reported", source="TIP 2025", quote="did not report"
    )
    built = pdf.build_report(ReportKind.NATIONAL, cycle, None, fingerprint="1" * 64)
    row = built.html[built.html.index('<tr data-indicator="T-CONDENAS">') :].split("</tr>")[0]
    assert "<td>Personas condenadas</td>" in row
    assert '<td class="num">No reportado (2024)</td>' in row
    assert "<td>No reportado</td>" in row  # the effort flag: no figure to compare
    assert "Cifras de las fuentes" in pdf_text(built.content)
