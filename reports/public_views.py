"""The public transparency portal (/publico/): anonymous and read-only.

Only published cycles are reachable. Every page reads through the same access rule as an
anonymous visitor (`visible_to(AnonymousUser())`), whoever is logged in, so a page cached for
the public never carries an auditor's view. Confidential evidence appears only as a count.
Scores come from `reports.scorecards` (frozen snapshots of published cycles); rows of open data
from `reports.open_data`.
"""

from __future__ import annotations

import re

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lib import downloads
from obligations.choices import Component, Status
from obligations.models import Evidence, ReviewCycle
from obligations.views import evidence_response
from reports import jobs, scorecards
from reports import open_data as datasets
from reports.models import JobState, ReportJob
from reports.open_data import DICTIONARY, PUBLIC, public_agencies

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")
public_cache = cache_control(public=True, max_age=300)


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
    # Every agency's published (frozen) figures; the national summary as the public sees it.
    result = scorecards.national_panorama(cycle, PUBLIC, agencies=public_agencies())
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
    agency = get_object_or_404(public_agencies(), acronym__iexact=acronym)
    card = scorecards.agency_scorecard(cycle, agency, PUBLIC)
    for row in card.rows:
        row["evidence"] = card.evidence.get(row["assessment_id"], [])
        row["hidden_evidence"] = card.hidden_evidence.get(row["assessment_id"], 0)
        row["reply"] = card.replies.get(row["assessment_id"])
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
def dataset(request, name, fmt):
    if fmt not in downloads.FORMATS or name not in DICTIONARY:
        raise Http404
    cycle = None
    if name == "assessments" and request.GET.get("ciclo"):
        cycle = _published_cycle(request.GET["ciclo"])
    rows, columns = datasets.dataset(name, cycle)
    stem = f"{name}-{cycle.slug}" if cycle else name
    return downloads.table_response(rows, columns, fmt, stem, cache=downloads.PUBLIC)


# --- Published PDF reports ---------------------------------------------------------------------


def published_reports():
    """Finished PDF reports of published cycles rendered after the publication (a file rendered
    before it may show preliminary figures), newest first. The cycles are those the public may
    see (agencies.policy, as an anonymous visitor)."""
    return (
        ReportJob.objects.filter(
            cycle__in=ReviewCycle.objects.visible_to(PUBLIC),
            state=JobState.DONE,
            cycle__published_at__isnull=False,
            finished_at__gte=F("cycle__published_at"),
        )
        .exclude(file="")
        .select_related("cycle", "agency")
        .order_by("-finished_at", "-pk")
    )


def issued_reports() -> list[ReportJob]:
    """The newest file per (kind, cycle, agency, language) of `published_reports()`, in a
    stable order (cycle, agency, language)."""
    latest = {}
    for job in published_reports():
        latest.setdefault(job.params_key, job)
    return sorted(latest.values(), key=lambda j: (j.cycle.slug, j.agency.acronym if j.agency_id else "", j.language))


@require_GET
@public_cache
def reports(request):
    return render(request, "public/reports.html", {"jobs": issued_reports()})


FINGERPRINT_PREFIX = re.compile(r"[0-9a-f]{16,64}")
MIN_PREFIX = 16  # the footer of every page prints the first 16 characters


def _normalized_fingerprint(text: str) -> str:
    """What a reader types, copied from paper: spaces, dashes and capitals ignored."""
    return re.sub(r"[\s\-:·.]", "", text or "")[:80].lower()


@require_GET
@public_cache
def verify(request):
    """ "Verificar reporte": the issued reports of published cycles with their fingerprints, and a
    look-up of a fingerprint (the data fingerprint printed on the cover, annex and every footer,
    or the SHA-256 of the PDF file), at least its first 16 characters."""
    typed = request.GET.get("huella", "")
    query = _normalized_fingerprint(typed)
    issued = issued_reports()
    matches, error, current = [], "", {}
    if typed:
        if not FINGERPRINT_PREFIX.fullmatch(query):
            error = _("Escriba al menos los primeros %(n)s caracteres de la huella (dígitos 0–9 y letras a–f).") % {
                "n": MIN_PREFIX
            }
        else:
            matches = [
                job
                for job in published_reports()
                if job.data_fingerprint.startswith(query) or job.sha256.startswith(query)
            ]
            for job in matches:
                key = (job.kind, job.cycle_id, job.agency_id)
                if key not in current:
                    current[key] = jobs.data_fingerprint(job.kind, job.cycle, job.agency) == job.data_fingerprint
                job.is_current = current[key]
                job.matched_file = job.sha256.startswith(query)
    return render(
        request,
        "public/verify.html",
        {"jobs": issued, "typed": typed, "query": query, "matches": matches, "error": error},
    )


@require_GET
def report_download(request, pk):
    job = get_object_or_404(published_reports(), pk=pk)
    return downloads.attachment_response(job.file, job.download_name(), "application/pdf", cache=downloads.PUBLIC)


@require_GET
def evidence_download(request, pk):
    """A public (non-confidential, redacted) evidence file of a published cycle."""
    evidence = get_object_or_404(Evidence.objects.visible_to(PUBLIC), pk=pk)
    return evidence_response(evidence, cache=downloads.PUBLIC)
