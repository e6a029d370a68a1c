"""The public "La Ley" pages (/ley/): anonymous and read-only; the data comes from
obligations.law_pages (ratings: the latest published ones, as the public sees them)."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from agencies.models import Agency
from obligations import law_pages
from obligations.choices import InstrumentKind
from obligations.models import LegalInstrument

public_cache = cache_control(public=True, max_age=300)


def _day(request) -> date:
    """?fecha=AAAA-MM-DD: the date the page describes (versions, Commission), today by default."""
    raw = request.GET.get("fecha", "")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None


@require_GET
@public_cache
def index(request):
    day = _day(request)
    return render(
        request,
        "law/index.html",
        {
            "day": day,
            "law": law_pages.law_by_article(day),
            "commission": law_pages.commission_on(day),
            "reforms": law_pages.reforms(),
            "agencies": law_pages.agencies_with_duties(),
        },
    )


@require_GET
@public_cache
def agency(request, acronym):
    day = _day(request)
    agency = get_object_or_404(Agency.objects.known_as(acronym))
    return render(request, "law/agency.html", {"day": day, "law": law_pages.agency_law(agency, day)})


@require_GET
@public_cache
def reform(request, day):
    try:
        published = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    decree = get_object_or_404(LegalInstrument, kind=InstrumentKind.REFORM, published_on=published)
    return render(request, "law/reform.html", {"page": law_pages.reform_page(decree)})
