"""The public pages of the sources' figures, the 32 states and the recommendations register.

Public and read-only: everything on them is reference data from the seeds (not governed by the
access policy), and the only follow-up shown is the one recorded in published cycles, so every
visitor — anonymous, liaison or auditor — sees the same page. Numbers come from
`reports.figures`.
"""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from obligations.choices import Issuer
from obligations.models import RecurringAsk, State
from reports import figures
from reports.figures import EFFORT_RULE
from reports.open_data import public_agencies

public_cache = cache_control(public=True, max_age=300)
STATE_CODE = re.compile(r"(0[1-9]|[12][0-9]|3[0-2])")


@require_GET
@public_cache
def national_figures(request):
    return render(
        request,
        "figures/figures.html",
        {
            "measures": figures.with_charts(figures.measures(figures.national_values())),
            "agencies": figures.agencies_with_values(),
            "effort_rule": EFFORT_RULE,
        },
    )


@require_GET
@public_cache
def agency_figures(request, acronym):
    agency = get_object_or_404(public_agencies(), acronym__iexact=acronym)
    return render(
        request,
        "figures/figures.html",
        {
            "agency": agency,
            "measures": figures.with_charts(figures.measures(figures.agency_values(agency), fixed=("agency",))),
            "agencies": figures.agencies_with_values(),
            "effort_rule": EFFORT_RULE,
        },
    )


@require_GET
@public_cache
def states(request):
    overview = figures.states_overview()
    return render(
        request,
        "figures/states.html",
        {
            "overview": overview,
            "map": figures.tile_map_chart(overview, lambda state: reverse("figures:state", args=[state.code])),
            "with_facts": sum(1 for row in overview if row["sourced"]),
        },
    )


@require_GET
@public_cache
def state(request, code):
    if not STATE_CODE.fullmatch(code):
        raise Http404
    found = get_object_or_404(State.objects.select_related("prosecutor"), code=code)
    profile = figures.state_profile(found)
    figures.with_charts(profile["measures"])
    return render(request, "figures/state.html", {**profile, "effort_rule": EFFORT_RULE})


@require_GET
@public_cache
def recommendations(request):
    issuer = request.GET.get("emisor", "")
    if issuer not in Issuer.values:
        issuer = ""
    q = request.GET.get("q", "")[:100]  # control characters: a 400 before any view (compliance.middleware)
    return render(
        request,
        "figures/recommendations.html",
        {
            "recommendations": figures.recommendation_register(issuer=issuer, q=q),
            "asks": RecurringAsk.objects.prefetch_related("links__recommendation"),
            "issuers": Issuer.choices,
            "issuer": issuer,
            "q": q,
        },
    )
