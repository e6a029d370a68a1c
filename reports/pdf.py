"""PDF rendering: one `render_pdf(html, base_url)` for every PDF, and the compliance
reports built on it (`build_report`).

Resources resolve offline: the base URL is the project's `static/` folder and the URL
fetcher serves only files found by Django's static finders or under the system font
folders; it never opens the network.
"""

from __future__ import annotations

import logging
import mimetypes
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from agencies.models import Agency
from agencies.policy import SYSTEM
from obligations.choices import BasisConfidence, Component, Status
from obligations.law_basis import basis_text, item_status
from obligations.models import Evidence, Obligation
from reports import charts, figures, labels, scorecards, scoring
from reports.models import ReportKind

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def static_base_url() -> str:
    """`file://…/static/`: relative URLs in PDF templates (`css/report-pdf.css`) resolve here."""
    return (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"


class OfflineURLFetcher(URLFetcher):
    """Serve static files and fonts from disk; refuse everything else (no network).

    Errors are fatal: a report without its stylesheet or a chart is not a report."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)

    @staticmethod
    def static_path(url: str) -> Path | None:
        """The file on disk for a `file:` URL under the static folder (or a font), else None."""
        path = Path(unquote(urlparse(url).path))
        static_root = (Path(settings.BASE_DIR) / "static").resolve()
        static_url = "/" + settings.STATIC_URL.strip("/") + "/"
        candidates = []
        if str(path).startswith(static_url):  # "/static/css/x.css" written with {% static %}
            candidates.append(str(path)[len(static_url) :])
        resolved = path.resolve()
        if resolved.is_relative_to(static_root):
            candidates.append(str(resolved.relative_to(static_root)))
        for relative in candidates:
            found = finders.find(relative)
            if found:
                return Path(found)
        if any(resolved.is_relative_to(root) for root in FONT_DIRS) and resolved.is_file():
            return resolved
        return None

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith("file:"):
            raise URLFetchingError(_("Recurso externo no permitido en un PDF: %(url)s") % {"url": url})
        path = self.static_path(url)
        if path is None:
            raise URLFetchingError(_("Recurso no encontrado entre los archivos estáticos: %(url)s") % {"url": url})
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int


def render_pdf(html: str, base_url: str | None = None, progress: Progress | None = None) -> RenderedPdf:
    """The one PDF renderer: lay out `html` (relative URLs against `base_url`, by default
    the static folder) and return the PDF bytes and its number of pages."""
    document = HTML(string=html, base_url=base_url or static_base_url(), url_fetcher=OfflineURLFetcher()).render()
    if progress:
        progress(85, _("Escribiendo el PDF (%(n)s páginas)") % {"n": len(document.pages)})
    content = document.write_pdf()
    return RenderedPdf(content=content, page_count=len(document.pages))


# --- Compliance reports ------------------------------------------------------------------


@dataclass
class BuiltReport:
    content: bytes
    page_count: int
    html: str


def build_report(
    kind: str,
    cycle,
    agency=None,
    *,
    language: str = "es",
    fingerprint: str = "",
    progress: Progress | None = None,
    generated_at=None,
) -> BuiltReport:
    """Render an agency scorecard report or the national report of a cycle."""
    progress = progress or (lambda percent, step: None)
    with translation.override("en" if language == "en" else settings.LANGUAGE_CODE):
        progress(15, _("Calculando los puntajes"))
        if kind == ReportKind.NATIONAL:
            context = national_context(cycle, progress=progress)
            template = "reports/pdf/national.html"
        else:
            context = agency_context(cycle, agency)
            template = "reports/pdf/agency.html"
        context.update(common_context(cycle, fingerprint, generated_at))
        if kind == ReportKind.NATIONAL:
            title = _("Reporte nacional de cumplimiento · %(cycle)s") % {"cycle": cycle.name}
        else:
            title = _("Cédula de cumplimiento · %(agency)s · %(cycle)s") % {
                "agency": agency.acronym,
                "cycle": cycle.name,
            }
        context["page_strings"] = page_strings(title, fingerprint, context["generated_at"])
        progress(45, _("Componiendo el documento"))
        html = render_to_string(template, context)
        progress(55, _("Maquetando las páginas"))
        rendered = render_pdf(html, progress=progress)
    return BuiltReport(content=rendered.content, page_count=rendered.page_count, html=html)


def css_string(text: str) -> SafeString:
    """A CSS string literal (for `content:` in page margin boxes)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return mark_safe(f'"{escaped}"')  # noqa: S308 — quoted and escaped above


def page_strings(title: str, fingerprint: str, generated_at) -> dict:
    footer = _("Generado el %(date)s · huella de los datos %(fp)s") % {
        "date": date_format(generated_at, "j/m/Y H:i"),
        "fp": fingerprint[:16] or "—",
    }
    return {
        "title": css_string(title),
        "footer": css_string(footer),
        "page": css_string(_("Página")),
        "of": css_string(_("de")),
    }


def common_context(cycle, fingerprint: str, generated_at=None) -> dict:
    method = scoring.get_method(cycle.methodology_version)
    weights = []
    for value, label in Status.choices:
        weight = method.value(value)
        weights.append({"status": value, "label": label, "weight": weight})

    def long_date(day) -> str:
        return date_format(day, "DATE_FORMAT")  # "15 de junio de 2012" (months: locale/es_MX)

    return {
        "cycle": cycle,
        # The cover's only publication date: the source document's, where known (never the
        # date the data was loaded or the cycle published here).
        "source_publication": cycle.source_publication(),
        "verify_url": settings.SITE_URL.rstrip("/") + reverse("verify"),
        "period_start": long_date(cycle.period_start),
        "period_end": long_date(cycle.period_end),
        "fingerprint": fingerprint,
        "fingerprint_short": fingerprint[:16],
        "generated_at": timezone.localtime(generated_at or timezone.now()),
        "method": method,
        "weights": weights,
        "language": translation.get_language(),
    }


def _evidence_by_assessment(cycle, agency=None) -> dict[int, list[dict]]:
    """Evidence references of every assessment (one query). Confidential items show only
    that they exist (date and hash prefix), never their title or description."""
    qs = Evidence.objects.filter(assessment__cycle=cycle)
    if agency is not None:
        qs = qs.filter(assessment__agency=agency)
    grouped: dict[int, list[dict]] = defaultdict(list)
    for item in qs.only("id", "assessment_id", "title", "fact_date", "sha256", "confidential").order_by(
        "assessment_id", "fact_date", "pk"
    ):
        grouped[item.assessment_id].append(
            {
                "title": "" if item.confidential else item.title,
                "confidential": item.confidential,
                "fact_date": item.fact_date,
                "sha_prefix": item.sha256[:12],
                "in_period": cycle.covers(item.fact_date),
            }
        )
    return grouped


def _component_items(components) -> list[tuple[str, float | None]]:
    """As on the scorecard page (reports.views): no score where nothing is applicable."""
    return [(str(item["label"]), item.get("score") if item.get("applicable") else None) for item in components]


def agency_charts(card) -> dict:
    """The scorecard page's charts (reports.charts, same arguments as reports.views), with
    ids unique within the document (the national report holds every agency's charts)."""
    agency = card.agency.acronym
    return {
        "components": charts.score_bars(
            _component_items(card.components),
            title=_("Puntaje por componente"),
            no_data_label=_("Sin obligaciones aplicables"),
            chart_id=f"pdf-{agency}-components",
        ),
        "statuses": charts.status_bar(
            card.overall.get("counts", {}),
            title=_("Obligaciones por estatus"),
            labels=labels.status_labels(),
            chart_id=f"pdf-{agency}-statuses",
        ),
    }


def _section(card, evidence: dict[int, list[dict]]) -> dict:
    """One agency's part of a report, from `reports.scorecards.agency_scorecard`; components
    in the catalogue's order."""
    statuses = labels.status_labels()
    rows = [
        {
            **row,
            "status_label": statuses.get(row["status"], row["status"]),
            "evidence": evidence.get(row["assessment_id"], []),
        }
        for row in card.rows
    ]
    order = {key: index for index, key in enumerate(Component.values)}
    components = sorted(card.components, key=lambda item: order.get(item["key"], len(order)))
    groups = []
    for component in components:
        component_rows = [row for row in rows if row["component"] == component["key"]]
        if component_rows:
            groups.append({"component": component, "rows": component_rows})
    return {
        "agency": card.agency,
        "card": card,
        "overall": card.overall,
        "components": components,
        "groups": groups,
        "row_count": len(rows),
        "charts": agency_charts(card),
        "recommendations": card.recommendations,
    }


def basis_annex(sections: list[dict]) -> list[dict]:
    """The national report's legal-basis annex: every obligation rated in the cycle, once, with
    each provision of its basis and the version in force in the cycle's period (from the same rows
    the report prints), its confidence and the reason for it (one query)."""
    by_code: dict[str, dict] = {}
    for section in sections:
        for group in section["groups"]:
            for row in group["rows"]:
                entry = by_code.setdefault(
                    row["code"], {"code": row["code"], "title": row["title"], "basis": row.get("basis"), "agencies": []}
                )
                entry["agencies"].append(section["agency"].acronym)
    reasons = {
        o.code: o
        for o in Obligation.objects.filter(code__in=by_code).only(
            "code", "basis_confidence", "basis_reason_es", "basis_reason_en"
        )
    }
    annex = []
    for code in sorted(by_code):
        entry = by_code[code]
        obligation = reasons.get(code)
        basis = entry["basis"] or {"confidence": obligation.basis_confidence if obligation else "", "items": []}
        entry["confidence_label"] = BasisConfidence(basis["confidence"]).label if basis["confidence"] else ""
        entry["reason"] = obligation.basis_reason if obligation else ""
        entry["items"] = [{"citation": item["citation"], "version": item_status(item)} for item in basis["items"]]
        entry["text"] = basis_text(entry["basis"])
        annex.append(entry)
    return annex


def agency_context(cycle, agency) -> dict:
    card = scorecards.agency_scorecard(cycle, agency, SYSTEM, with_evidence=False)
    return {"section": _section(card, _evidence_by_assessment(cycle, agency)), "sections": []}


def national_context(cycle, progress: Progress | None = None) -> dict:
    panorama = scorecards.national_panorama(cycle, SYSTEM)
    evidence = _evidence_by_assessment(cycle)
    acronyms = [row["acronym"] for row in panorama.agencies]
    agencies = {a.acronym: a for a in Agency.objects.filter(acronym__in=acronyms)}
    sections = []
    for index, acronym in enumerate(acronyms):
        card = scorecards.agency_scorecard(cycle, agencies[acronym], SYSTEM, with_evidence=False)
        sections.append(_section(card, evidence))
        if progress and index % 5 == 0:
            progress(15 + int(30 * index / max(len(acronyms), 1)), _("Dependencia %(a)s") % {"a": acronym})
    national_components = []
    summary = panorama.summary or {}
    for key, label in Component.choices:
        values = (summary.get("components") or {}).get(key) or {}
        national_components.append({"key": key, "label": label, **values})
    heat = charts.heat_map(
        [(row["acronym"], row["components"]) for row in panorama.agencies],
        [(key, str(label)) for key, label in Component.choices],
        title=_("Mapa de calor: puntaje por dependencia y componente"),
        description=_(
            "Cada celda muestra el puntaje en porcentaje; las celdas sin obligaciones aplicables van rayadas."
        ),
        chart_id="pdf-national-heat",
    )
    bars = charts.score_bars(
        [(row["acronym"], row["score"]) for row in panorama.agencies],
        title=_("Puntaje general por dependencia"),
        no_data_label=_("Sin datos"),
        chart_id="pdf-national-agencies",
    )
    component_bars = charts.score_bars(
        _component_items(national_components),
        title=_("Puntaje nacional por componente"),
        no_data_label=_("Sin obligaciones aplicables"),
        chart_id="pdf-national-components",
    )
    return {
        "panorama": panorama,
        "national": summary,
        "national_components": national_components,
        "national_charts": {"heat": heat, "agencies": bars, "components": component_bars},
        # The sources' figures with a total: the latest one, its year-on-year change and the effort flag.
        "source_figures": [m for m in figures.measures(figures.national_values()) if m.series],
        "effort_rule": figures.EFFORT_RULE,
        "sections": sections,
        "section": None,
        "basis_annex": basis_annex(sections),
    }
