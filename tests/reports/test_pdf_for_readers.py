"""The PDF a commissioner would forward, read back with pypdf: a table of contents with the
right page numbers, true cover dates, short running headers, and no developer commands."""

import re
from datetime import date

import pytest

from reports import jobs, pdf
from reports.models import ReportKind
from tests.reports.report_fixtures import build_cycle, pdf_page_texts, pdf_text

pytestmark = pytest.mark.django_db

LONG_NAME = "Comisión Intersecretarial para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas"


@pytest.fixture
def cit():
    from agencies.models import Agency

    return Agency.objects.get_or_create(acronym="CIT", defaults={"name_es": LONG_NAME})[0]


def _toc_entries(toc_page: str) -> dict[str, int]:
    """ "Entry ........ 7" lines of the contents page ("Índice") → {entry: 7}."""
    assert toc_page.startswith("Índice "), toc_page[:80]
    listing = toc_page.removeprefix("Índice ")
    return {title.strip(): int(page) for title, page in re.findall(r"([^.]+?)\s*\.{3,}\s*(\d+)", listing)}


def _first_page_with(pages: list[str], text: str, after: int) -> int:
    return next(number for number, page in enumerate(pages, start=1) if number > after and text in page)


def test_the_agency_report_has_a_table_of_contents_with_the_right_page_numbers(sep, inm):
    cycle = build_cycle([sep, inm], extra_rows=40)
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="3" * 64)
    pages = pdf_page_texts(built.content)
    entries = _toc_entries(pages[1])
    assert set(entries) >= {
        "Resumen ejecutivo",
        "Obligaciones: fundamento, estatus y justificación",
        "Recomendaciones y su seguimiento",
        "Anexo metodológico",
    }, entries
    assert entries["Resumen ejecutivo"] == _first_page_with(pages, "Resumen ejecutivo", after=2) == 3
    assert entries["Recomendaciones y su seguimiento"] == _first_page_with(pages, "Recomendaciones dirigidas a SEP", 2)
    assert entries["Anexo metodológico"] == _first_page_with(pages, "Anexo metodológico", after=2) == len(pages)
    assert entries["Recomendaciones y su seguimiento"] > entries["Resumen ejecutivo"] + 1  # the long table between


def test_the_national_report_lists_every_agency_in_its_table_of_contents(sep, inm):
    cycle = build_cycle([sep, inm])
    built = pdf.build_report(ReportKind.NATIONAL, cycle, None, fingerprint="4" * 64)
    pages = pdf_page_texts(built.content)
    entries = _toc_entries(pages[1])
    assert entries["Panorama nacional"] == 3
    sep_page = entries["SEP · Secretaría de Educación Pública"]
    inm_page = entries["INM · Instituto Nacional de Migración"]
    assert pages[sep_page - 1].count("SEP · Secretaría de Educación Pública") == 1  # its section starts there
    assert pages[inm_page - 1].count("INM · Instituto Nacional de Migración") == 1
    assert entries["Anexo metodológico"] == len(pages)


def test_the_cover_shows_the_sources_publication_never_the_load_date(sep, settings):
    cycle = build_cycle([sep])  # published now: the date the data was "loaded"
    cycle.source = "CNDH 2019 ¶7"
    cycle.source_published_on = date(2019, 1, 1)
    cycle.source_published_precision = "year"
    cycle.save()
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="5" * 64)
    cover = pdf_page_texts(built.content)[0]
    assert "PUBLICACIÓN DE LA FUENTE 2019" in cover
    published = cycle.published_at
    assert "publicado el" not in pdf_text(built.content).lower()
    assert published.strftime("%d/%m/%Y") not in cover.split("Generado el")[0]  # only as the generation time


def test_a_cycle_without_a_known_source_date_shows_none(sep):
    cycle = build_cycle([sep])
    cover = pdf_page_texts(pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="6" * 64).content)[0]
    assert "PUBLICACIÓN DE LA FUENTE" not in cover and "publicado el" not in cover.lower()


def test_the_cndh_2019_cycle_is_dated_2019_in_english_too(sep):
    cycle = build_cycle([sep])
    cycle.source_published_on, cycle.source_published_precision = date(2019, 8, 1), "month"
    cycle.save()
    assert cycle.source_publication() == "agosto de 2019"
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, language="en", fingerprint="7" * 64)
    assert "August 2019" in pdf_page_texts(built.content)[0]


def test_the_running_header_names_the_agency_by_its_acronym(cit):
    cycle = build_cycle([cit], extra_rows=40)
    built = pdf.build_report(ReportKind.AGENCY, cycle, cit, fingerprint="8" * 64)
    pages = pdf_page_texts(built.content)
    body_pages = [page for page in pages[3:-1] if "EXTRA-" in page]
    assert len(body_pages) >= 2
    for page in body_pages:
        assert LONG_NAME not in page  # the header carries "CIT", not the name on three lines
        # Running headers: the title on the left, the section's acronym on the right.
        assert "Cédula de cumplimiento · CIT · Diagnóstico de prueba 2019 CIT Generado el" in page


def test_the_annex_tells_the_reader_how_to_verify_a_printed_copy(sep, settings):
    settings.SITE_URL = "https://seguimiento.example.mx"
    cycle = build_cycle([sep])
    fingerprint = jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep)
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint=fingerprint)
    text = pdf_text(built.content)
    assert "manage.py" not in text and "manage.py" not in built.html and "--fingerprint" not in text
    annex = pdf_page_texts(built.content)[-1]
    assert "CÓMO VERIFICAR UNA COPIA IMPRESA" in annex.upper()
    assert "https://seguimiento.example.mx/verificar/" in annex


def test_partially_complied_fits_its_column(sep):
    """Laid out by WeasyPrint: the status text stays inside its table cell."""
    from weasyprint import HTML

    cycle = build_cycle([sep])
    built = pdf.build_report(ReportKind.AGENCY, cycle, sep, fingerprint="9" * 64)
    document = HTML(string=built.html, base_url=pdf.static_base_url(), url_fetcher=pdf.OfflineURLFetcher()).render()

    def boxes(box):
        yield box
        for child in getattr(box, "children", []) or []:
            yield from boxes(child)

    checked = 0
    for page in document.pages:
        for box in boxes(page._page_box):
            classes = (box.element.get("class") or "") if box.element is not None else ""
            if box.element_tag == "td" and "col-status" in classes.split():
                right = box.content_box_x() + box.width
                for inner in boxes(box):
                    if type(inner).__name__ == "TextBox":
                        assert inner.position_x + inner.width <= right + 0.5, inner.text
                        checked += 1
    assert checked >= 4


def test_the_national_report_names_a_renamed_agency_as_in_the_period_and_lists_the_basis_annex(sep, inm):
    from datetime import timedelta

    from agencies.models import AgencyName

    cycle = build_cycle([sep, inm])
    AgencyName.objects.create(
        agency=inm, acronym="INAMI", name_es="Instituto de Migración", valid_until=cycle.period_end + timedelta(days=1)
    )
    built = pdf.build_report(ReportKind.NATIONAL, cycle, None, fingerprint="6" * 64)
    pages = pdf_page_texts(built.content)
    entries = _toc_entries(pages[1])
    then = "INAMI · Instituto de Migración (hoy INM)"
    assert then in entries and "INM · Instituto Nacional de Migración" not in entries
    assert pages[entries[then] - 1].count(then) == 1  # the section heading on the page the index gives
    annex = "Anexo: fundamento legal de cada obligación evaluada"
    assert entries[annex] == _first_page_with(pages, annex, after=2)
    assert entries[annex] < entries["Anexo metodológico"] == len(pages)
