"""The public transparency portal (/publico/): anonymous and read-only.

Only published cycles are reachable. Every page reads through the same access rule as an
anonymous visitor (`visible_to(AnonymousUser())`), whoever is logged in, so a page cached for
the public never carries an auditor's view. Confidential evidence appears only as a count.
Scores come from `reports.services` (frozen snapshots of published cycles); rows of open data
from `obligations.exports`.
"""

from __future__ import annotations

import csv
import io
import re

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from agencies.models import Agency
from lib import downloads
from lib.formulas import escape_row
from obligations.choices import Component, CycleState, Status
from obligations.exports import OPEN_DATA_COLUMNS, assessment_rows, write_csv, write_json
from obligations.models import Assessment, Obligation, Provision, Reply, ReviewCycle
from reports import services

PUBLIC = AnonymousUser()
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
public_cache = cache_control(public=True, max_age=300)


# --- Open data: the three datasets and their dictionary ---------------------------------------

AGENCY_COLUMNS = ["acronym", "name_es", "name_en", "order", "kind", "parent", "commission_member", "active"]
OBLIGATION_COLUMNS = [
    "code",
    "title_es",
    "title_en",
    "component",
    "level",
    "legal_basis",
    "responsible_agencies",
    "deadline_es",
    "deadline_date",
    "in_force_from",
    "in_force_until",
    "source",
]

DICTIONARY = {
    "assessments": {
        "title": _("Evaluaciones"),
        "description": _("Una fila por dependencia y obligación en cada ciclo publicado."),
        "columns": {
            "cycle": _("Clave del ciclo de revisión (p. ej. cndh-2019)."),
            "agency": _("Siglas de la dependencia al cierre del periodo del ciclo (p. ej. PGR, hoy FGR)."),
            "obligation_code": _("Clave estable de la obligación."),
            "obligation_title_en": _("Título de la obligación en inglés."),
            "obligation_title_es": _("Título de la obligación en español."),
            "component": _("Componente: prevention, assistance, prosecution o coordination."),
            "level": _("Nivel CNDH: 1 referencia directa, 2 Comisión Intersecretarial, 3 todas las autoridades."),
            "legal_basis": _("Fundamento legal, p. ej. «LGPSEDMTP art. 89 fr. XV»; vacío si no se ha precisado."),
            "status": _(
                "Estatus: complied, partially_complied, not_complied, no_information (respuesta evasiva o "
                "ausente) o not_applicable."
            ),
            "source": _("Referencia de la fuente de la calificación (p. ej. «CNDH 2019 ¶161»)."),
        },
    },
    "obligations": {
        "title": _("Obligaciones"),
        "description": _("El catálogo de obligaciones de la Ley General y su Reglamento."),
        "columns": {
            "code": _("Clave estable de la obligación."),
            "title_es": _("Título en español."),
            "title_en": _("Título en inglés."),
            "component": _("Componente: prevention, assistance, prosecution o coordination."),
            "level": _("Nivel CNDH (1, 2 o 3)."),
            "legal_basis": _("Artículos, fracciones y párrafos que la fundamentan."),
            "responsible_agencies": _("Siglas de las dependencias responsables, separadas por «;»."),
            "deadline_es": _("Plazo legal, en texto (p. ej. «120 días hábiles después del Reglamento»)."),
            "deadline_date": _("Fecha límite legal (AAAA-MM-DD), si la ley la fija."),
            "in_force_from": _("Vigente desde (AAAA-MM-DD)."),
            "in_force_until": _("Vigente hasta (AAAA-MM-DD)."),
            "source": _("Fuente (p. ej. «CNDH 2019 ¶161»)."),
        },
    },
    "agencies": {
        "title": _("Dependencias"),
        "description": _("Las autoridades con obligaciones en la Ley General."),
        "columns": {
            "acronym": _("Siglas vigentes."),
            "name_es": _("Nombre en español."),
            "name_en": _("Nombre en inglés."),
            "order": _("Orden de gobierno: federal, state o autonomous."),
            "kind": _("Tipo de institución (ministry, decentralized, deconcentrated, prosecutor, unit, ...)."),
            "parent": _("Siglas de la dependencia superior (p. ej. SEGOB para el INM)."),
            "commission_member": _("true si integra la Comisión Intersecretarial."),
            "active": _("true si la dependencia sigue vigente."),
        },
    },
}


def agency_row(agency: Agency) -> dict:
    return {
        "acronym": agency.acronym,
        "name_es": agency.name_es,
        "name_en": agency.name_en,
        "order": agency.order,
        "kind": agency.kind,
        "parent": agency.parent.acronym if agency.parent_id else "",
        "commission_member": agency.commission_member,
        "active": agency.active,
    }


def public_agencies():
    """Every agency: the catalogue of authorities is public (AgencyQuerySet.visible_to gives the
    anonymous nothing because private pages use it; the portal shows published data of all)."""
    return Agency.objects.with_commission_member().select_related("parent").order_by("acronym")


def obligation_row(obligation: Obligation) -> dict:
    return {
        "code": obligation.code,
        "title_es": obligation.title_es,
        "title_en": obligation.title_en,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": obligation.legal_basis,
        "responsible_agencies": "; ".join(
            sorted(r.agency.acronym for r in obligation.responsibilities.all())  # prefetched
        ),
        "deadline_es": obligation.deadline_es,
        "deadline_date": obligation.deadline_date.isoformat() if obligation.deadline_date else "",
        "in_force_from": obligation.in_force_from.isoformat() if obligation.in_force_from else "",
        "in_force_until": obligation.in_force_until.isoformat() if obligation.in_force_until else "",
        "source": obligation.source,
    }


def public_obligations():
    return Obligation.objects.prefetch_related(
        Prefetch("provisions", queryset=Provision.objects.select_related("instrument")),
        "responsibilities__agency",
    ).order_by("code")


def public_assessments():
    """Ratings of published cycles, as the anonymous public sees them (the one access rule)."""
    return Assessment.objects.visible_to(PUBLIC).filter(cycle__state=CycleState.PUBLISHED)


def _write_rows(rows, columns, fmt: str, stream) -> int:
    if fmt == "json":
        import json

        rows = [{key: row.get(key) for key in columns} for row in rows]
        json.dump(rows, stream, ensure_ascii=False, indent=1)
        return len(rows)
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(escape_row(row))
        count += 1
    return count


def dataset_rows(name: str, cycle: ReviewCycle | None = None):
    """(rows, columns) of a public dataset."""
    if name == "assessments":
        queryset = public_assessments()
        if cycle is not None:
            queryset = queryset.filter(cycle=cycle)
        return assessment_rows(queryset), OPEN_DATA_COLUMNS
    if name == "obligations":
        return (obligation_row(o) for o in public_obligations()), OBLIGATION_COLUMNS
    if name == "agencies":
        return (agency_row(a) for a in public_agencies()), AGENCY_COLUMNS
    raise Http404


# --- Pages -------------------------------------------------------------------------------


def _published_cycle(slug: str) -> ReviewCycle:
    if not SLUG.fullmatch(slug or ""):  # from ?ciclo=: e.g. a NUL byte, which PostgreSQL text refuses
        raise Http404
    return get_object_or_404(ReviewCycle.objects.published(), slug=slug)


@require_GET
@public_cache
def index(request):
    cycles = list(ReviewCycle.objects.published().order_by("-period_end", "slug"))
    return render(request, "public/index.html", {"cycles": cycles, "datasets": DICTIONARY})


@require_GET
@public_cache
def panorama(request, cycle):
    cycle = _published_cycle(cycle)
    # user=None: the published (frozen) national figures, every agency.
    result = services.national_panorama(cycle, None, agencies=public_agencies())
    return render(
        request,
        "public/panorama.html",
        {
            "cycle": cycle,
            "panorama": result,
            "columns": [(key, str(label)) for key, label in Component.choices],
            "reports": published_reports().filter(cycle=cycle),
        },
    )


@require_GET
@public_cache
def scorecard(request, cycle, acronym):
    cycle = _published_cycle(cycle)
    if "\x00" in acronym:
        raise Http404
    agency = get_object_or_404(public_agencies(), acronym__iexact=acronym)
    card = services.agency_scorecard(cycle, agency, PUBLIC)
    replies = {
        reply.assessment_id: reply
        for reply in Reply.objects.visible_to(PUBLIC)
        .filter(assessment__cycle=cycle, assessment__agency=agency)
        .prefetch_related("documents")
    }
    for row in card.rows:
        row["evidence"] = card.evidence.get(row["assessment_id"], [])
        row["hidden_evidence"] = card.hidden_evidence.get(row["assessment_id"], 0)
        row["reply"] = replies.get(row["assessment_id"])
    return render(
        request,
        "public/scorecard.html",
        {
            "cycle": cycle,
            "agency": agency,
            "card": card,
            "components": card.components,
            "statuses": [(key, label, card.overall["counts"].get(key, 0)) for key, label in Status.choices],
            "reports": published_reports().filter(cycle=cycle, agency=agency),
        },
    )


@require_GET
@public_cache
def open_data(request):
    cycles = list(ReviewCycle.objects.published().order_by("-period_end", "slug"))
    return render(request, "public/open_data.html", {"cycles": cycles, "datasets": DICTIONARY})


@require_GET
@public_cache
def dictionary(request):
    return render(request, "public/dictionary.html", {"datasets": DICTIONARY})


@require_GET
@public_cache
def dataset(request, name, fmt):
    if fmt not in FORMATS or name not in DICTIONARY:
        raise Http404
    cycle = None
    if name == "assessments" and request.GET.get("ciclo"):
        cycle = _published_cycle(request.GET["ciclo"])
    rows, columns = dataset_rows(name, cycle)
    buffer = io.StringIO()
    if name == "assessments":
        (write_csv if fmt == "csv" else write_json)(rows, buffer)
    else:
        _write_rows(rows, columns, fmt, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=FORMATS[fmt])
    stem = f"{name}-{cycle.slug}" if cycle else name
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# --- Published PDF reports ---------------------------------------------------------------------


def published_reports():
    """Finished PDF reports of published cycles rendered after the publication (a file rendered
    before it may show preliminary figures), newest first."""
    from django.db.models import F

    from reports.models.jobs import JobState, ReportJob

    return (
        ReportJob.objects.filter(
            cycle__state=CycleState.PUBLISHED,
            state=JobState.DONE,
            cycle__published_at__isnull=False,
            finished_at__gte=F("cycle__published_at"),
        )
        .exclude(file="")
        .select_related("cycle", "agency")
        .order_by("-finished_at", "-pk")
    )


@require_GET
@public_cache
def reports(request):
    latest = {}
    for job in published_reports():
        latest.setdefault(job.params_key, job)  # the newest file per (kind, cycle, agency, language)
    jobs = sorted(latest.values(), key=lambda j: (j.cycle.slug, j.agency.acronym if j.agency_id else "", j.language))
    return render(request, "public/reports.html", {"jobs": jobs})


@require_GET
def report_download(request, pk):
    job = get_object_or_404(published_reports(), pk=pk)
    return downloads.attachment_response(job.file, job.download_name(), "application/pdf", cache=downloads.PUBLIC)


@require_GET
def evidence_download(request, pk):
    """A public (non-confidential, redacted) evidence file of a published cycle."""
    from obligations.models import Evidence
    from obligations.views import evidence_response

    evidence = get_object_or_404(Evidence.objects.visible_to(PUBLIC), pk=pk)
    return evidence_response(evidence, cache=downloads.PUBLIC)
