"""Scorecard pages and their downloads. Thin: access through the `visible_to` querysets
(agencies.policy), numbers from `reports.scorecards`, charts from `reports.charts`."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies import policy
from agencies.models import Agency
from lib import page_cache
from lib.aggregates import JSONArrayAgg
from lib.downloads import table_response
from lib.tabular import FORMATS
from obligations.choices import Component, EvidenceKind, Status
from obligations.models import Assessment, Evidence, ReviewCycle
from reports import charts, labels, scorecards, snapshots
from reports.filtersets import PanoramaFilterSet
from reports.open_data import ASSESSMENT_COLUMNS, assessment_rows

BODY_CACHE_SECONDS = 24 * 60 * 60
# Part of the cached bodies' keys: bump it when their markup changes (v2: phone charts and
# labelled obligation cards), so a deployment never serves bodies rendered by the old templates.
BODY_MARKUP_VERSION = "v2"
SORT_KEYS = {"siglas": "acronym_then", "puntaje": "score", "cobertura": "coverage", "sin_info": "no_information_share"}


def get_agency_for_user(request, acronym: str) -> Agency:
    """The agency if the user may see it; 404 otherwise (never 403: do not confirm it exists)."""
    return get_object_or_404(Agency.objects.visible_to(request.user), acronym__iexact=acronym)


def _cycles(request) -> tuple[list[ReviewCycle], ReviewCycle | None]:
    """The cycles the user may open (one query) and the one chosen with ?ciclo=<slug>
    (default: the most recent). An unknown or invisible slug is a 404."""
    cycles = list(ReviewCycle.objects.visible_to(request.user).select_related("freeze").order_by("-period_end", "slug"))
    slug = request.GET.get("ciclo")
    if slug:
        for cycle in cycles:
            if cycle.slug == slug:
                return cycles, cycle
        raise Http404(_("Ese ciclo no existe o no está disponible para usted."))
    return cycles, (cycles[0] if cycles else None)


def _component_items(components: list[dict]) -> list[tuple[str, float | None]]:
    return [(str(item["label"]), item["score"] if item["applicable"] else None) for item in components]


def _label_rows(card) -> None:
    """Display labels (reports.labels) plus the evidence the user may see, per row."""
    labels.label_rows(card.rows)
    kinds = {key: str(label) for key, label in EvidenceKind.choices}
    evidence_url = _evidence_url_maker()
    for row in card.rows:
        row["evidence"] = card.evidence.get(row["assessment_id"], [])
        for item in row["evidence"]:
            item["kind_label"] = kinds.get(item["kind"], item["kind"])
            item["download_url"] = evidence_url(item["pk"]) if item["has_file"] else None
        row["hidden_evidence"] = card.hidden_evidence.get(row["assessment_id"], 0)


def _scorecard_body(request, card) -> str:
    """The scorecard's body (figures, charts, obligations, recommendations).

    A frozen scorecard's body is rendered once per snapshot, cycle wording, language and evidence
    the reader may see, then served from Django's cache (rendering is most of a page's cost);
    nothing needs invalidating by hand. A live one is rendered with its page, which is cached
    under its content (`_live_content`)."""

    def render_body():
        _label_rows(card)
        components = card.components
        context = {
            "card": card,
            "cycle": card.cycle,
            "agency": card.agency,
            "components": components,
            "component_chart": charts.responsive(
                charts.score_bars,
                _component_items(components),
                title=_("Puntaje por componente"),
                no_data_label=_("Sin obligaciones aplicables"),
                chart_id="chart-components",
            ),
            "status_chart": charts.responsive(
                charts.status_bar,
                card.overall["counts"],
                title=_("Obligaciones por estatus"),
                labels=labels.status_labels(),
                chart_id="chart-status",
            ),
            "status_rows": [
                (key, labels.STATUS_LABELS[key], card.overall["counts"].get(key, 0)) for key in labels.STATUS_ORDER
            ],
        }
        return render_to_string("reports/_scorecard_body.html", context, request=request)

    if card.frozen and card.snapshot_id is not None:  # the snapshot stands for its figures and rows
        return _cached_body("scorecard", repr((card.snapshot_id, *_shown_with(card))), render_body)
    return mark_safe(render_body())  # our own template  # noqa: S308


def _shown_with(card) -> tuple:
    """Besides its figures, what a scorecard's body shows: the cycle's wording, the language and
    the evidence this reader may see."""
    cycle = card.cycle
    return (
        card.agency.acronym,
        (cycle.slug, cycle.name_es, cycle.name_en, cycle.period_start, cycle.period_end, cycle.state),
        get_language(),
        sorted((k, [tuple(sorted(item.items())) for item in v]) for k, v in card.evidence.items()),
        sorted(card.hidden_evidence.items()),
        _evidence_url_maker()(0),
    )


def _live_content(card) -> str:
    """Everything a live scorecard shows, as a cache key of its page (computed on every request)."""
    freezing = card.freezing
    return repr(
        (
            card.frozen,
            repr(card.agency_then),
            repr(card.summary),
            repr(card.rows),
            repr(card.recommendations),
            [_reply_key(reply) for _id, reply in sorted(card.replies.items())],
            freezing and (freezing.pk, freezing.state, freezing.percent),
            *_shown_with(card),
        )
    )


def _reply_key(reply) -> tuple:
    """What the scorecard shows of a right of reply (templates/replies/includes/reply.html)."""
    return (
        reply.pk,
        reply.assessment_id,
        reply.filed_at,
        reply.text,
        len(reply.documents.all()),
        reply.answered_at,
        reply.outcome,
        reply.response,
        reply.status_at_filing,
        reply.new_status,
    )


def _cached_body(kind: str, fingerprint: str, render) -> str:
    """A page body from Django's cache under a key made of everything it shows (`fingerprint`),
    rendered with `render()` on a miss: nothing ever needs invalidating by hand."""
    key = f"reports:{kind}-body:{BODY_MARKUP_VERSION}:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, BODY_CACHE_SECONDS)
    return mark_safe(html)  # our own template  # noqa: S308


def _evidence_url_maker():
    """A function pk → URL of the evidence download view, reversing once per request."""
    template = reverse("obligations:evidence_download", args=[987654321])
    return lambda pk: template.replace("987654321", str(pk))


@login_required
@require_GET
def agency_scorecard(request, acronym):
    cycles, cycle = _cycles(request)
    agency = get_object_or_404(
        _with_evidence_version(Agency.objects.visible_to(request.user), cycle), acronym__iexact=acronym
    )
    context = {"agency": agency, "cycles": cycles, "cycle": cycle, "card": None}
    live_card = None

    def render_page(extra: dict) -> str:
        if cycle is not None:
            card = live_card or scorecards.agency_scorecard(cycle, agency, request.user)
            context.update(card=card, body_html=_scorecard_body(request, card), then=card.agency_then)
        return render_to_string("reports/agency_scorecard.html", {**context, **extra}, request=request)

    if cycle is None:
        return HttpResponse(render_page({}))
    generation = snapshots.generation(cycle)
    if generation is None:  # live figures: computed on every request, the page cached by content
        live_card = scorecards.agency_scorecard(cycle, agency, request.user)
        version = ("live", _live_content(live_card))
    else:
        version = (generation, agency.evidence_count, sorted(agency.confidential_evidence or ()))
    key = ("agency", version, agency.pk, policy.view_key(request.user), _cycle_menu(cycles))
    return page_cache.cached_page(request, key, render_page)


def _cycle_menu(cycles) -> tuple:
    """The cycle menu of a page, as part of its cache key (a cycle opened or published since)."""
    return tuple((c.pk, c.state, c.name_es, c.name_en) for c in cycles)


def _with_evidence_version(agencies, cycle):
    """Agencies annotated with what changes when the evidence of their scorecard in `cycle` does,
    for the cache key of a published scorecard: only the `confidential` flag of a published
    cycle's evidence may change (obligations.workflow), so the number of items and the ids of the
    confidential ones — read in the same query as the agency. A key, never shown."""
    evidence = (
        Evidence.objects.filter(assessment__cycle=cycle, assessment__agency=OuterRef("pk"))
        .order_by()
        .values("assessment__cycle")
    )
    return agencies.annotate(
        evidence_count=Subquery(evidence.annotate(n=Count("pk")).values("n")),
        confidential_evidence=Subquery(
            evidence.filter(confidential=True).annotate(ids=JSONArrayAgg("pk")).values("ids")
        ),
    )


@login_required
@require_GET
def agency_scorecard_data(request, acronym, fmt):
    """The scorecard's obligations in the open-data format (CSV or JSON)."""
    agency = get_agency_for_user(request, acronym)
    _all, cycle = _cycles(request)
    if cycle is None or fmt not in FORMATS:
        raise Http404
    rows = assessment_rows(Assessment.objects.visible_to(request.user).filter(cycle=cycle, agency=agency))
    return table_response(rows, ASSESSMENT_COLUMNS, fmt, f"{cycle.slug}-{agency.acronym.lower()}")


def _filtered_agencies(request, cycle):
    agencies = Agency.objects.visible_to(request.user)
    filterset = PanoramaFilterSet(request.GET or None, queryset=agencies, cycle=cycle, user=request.user)
    chosen = filterset.qs if filterset.is_bound and filterset.is_valid() else agencies
    return filterset, chosen


def _sorted_panorama(request, cycle, chosen):
    """The panorama of the chosen agencies, sorted by ?orden= (rows without a value last)."""
    panorama = scorecards.national_panorama(cycle, request.user, agencies=chosen)
    sort = request.GET.get("orden", "siglas")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key in SORT_KEYS or key in Component.values:

        def sort_value(row):
            return row[SORT_KEYS[key]] if key in SORT_KEYS else row["components"].get(key)

        with_value = [row for row in panorama.agencies if sort_value(row) is not None]
        without = [row for row in panorama.agencies if sort_value(row) is None]
        with_value.sort(key=sort_value, reverse=descending)
        panorama.agencies = with_value + without
    return panorama


def _panorama_body(request, cycle, chosen, context) -> str:
    """Figures, table, heat map and unmet obligations. For a published cycle, rendered once per
    cycle publication, language, query (filters and sort), user scope and list of agencies
    (names included) and then served from Django's cache; a live panorama (computed by the view,
    `context["panorama"]`) is rendered with its page, cached under its content."""

    def render_body(panorama=None):
        panorama = panorama or _sorted_panorama(request, cycle, chosen)
        context["panorama"] = panorama
        columns = context["columns"]
        body = {**context, "panorama": panorama}
        body["heat_map"] = charts.heat_map(
            [(row["acronym_then"], row["components"]) for row in panorama.agencies],
            columns,
            title=_("Mapa de calor: puntaje por dependencia y componente"),
            description=_(
                "Cada celda muestra el puntaje en porcentaje; las celdas sin obligaciones aplicables van rayadas."
            ),
            chart_id="chart-heat",
        )
        national_components = panorama.summary.get("components") or {}
        if national_components:
            body["national_chart"] = charts.responsive(
                charts.score_bars,
                [
                    (label, national_components[key]["score"] if national_components[key]["applicable"] else None)
                    for key, label in columns
                ],
                title=_("Puntaje nacional por componente"),
                no_data_label=_("Sin obligaciones aplicables"),
                chart_id="chart-national",
            )
        return render_to_string("reports/_panorama_body.html", body, request=request)

    if context.get("panorama") is not None:  # live, computed by the view
        return mark_safe(render_body(context["panorama"]))  # our own template  # noqa: S308
    generation = snapshots.generation(cycle)
    fingerprint = repr(
        (
            cycle.pk,
            generation,
            (cycle.slug, cycle.name_es, cycle.name_en),
            get_language(),
            sorted(request.GET.lists()),
            policy.sees_all_agencies(request.user),
            list(chosen.order_by("pk").values_list("pk", "acronym", "name_es", "name_en", "order")),
        )
    )
    return _cached_body("panorama", fingerprint, render_body)


@login_required
@require_GET
def panorama(request):
    cycles, cycle = _cycles(request)
    filterset, chosen = _filtered_agencies(request, cycle)
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "agency": None,
        "filterset": filterset,
        "panorama": None,
        "columns": [(key, str(label)) for key, label in Component.choices],
        "selected_component": request.GET.get("componente") or "",
        "sort": request.GET.get("orden", "siglas"),
        "query_without_sort": _query_without(request, "orden"),
        "query": request.GET.urlencode(),
    }

    def render_page(extra: dict) -> str:
        if cycle is not None:
            context["body_html"] = _panorama_body(request, cycle, chosen, context)
        return render_to_string("reports/panorama.html", {**context, **extra}, request=request)

    if cycle is None:
        return HttpResponse(render_page({}))
    generation = snapshots.generation(cycle)
    if generation is None:  # live (not published, or its freezing task has not finished): the
        # figures are computed on every request, the page is cached under its content.
        panorama = context["panorama"] = _sorted_panorama(request, cycle, chosen)
        freezing = panorama.freezing
        version = (
            "live",
            (cycle.slug, cycle.name_es, cycle.name_en, cycle.state),
            freezing and (freezing.pk, freezing.state, freezing.percent),
            repr(panorama.summary),
            repr(panorama.agencies),
        )
    else:
        version = generation
    key = ("panorama", version, policy.view_key(request.user), _cycle_menu(cycles))
    return page_cache.cached_page(request, key, render_page)


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


PANORAMA_COLUMNS = [
    "cycle",
    "agency",
    "agency_today",
    "name",
    "order",
    "score",
    "coverage",
    "no_information_share",
    "applicable",
    *[f"count_{status}" for status in Status.values],
    *[f"score_{key}" for key in Component.values],
]


@login_required
@require_GET
def panorama_scores(request, fmt):
    """The panorama table (one row per agency, as filtered and sorted on the page)."""
    if fmt not in FORMATS:
        raise Http404
    _cycles_list, cycle = _cycles(request)
    if cycle is None:
        raise Http404
    panorama = _sorted_panorama(request, cycle, _filtered_agencies(request, cycle)[1])
    rows = []
    for row in panorama.agencies:
        item = {
            "cycle": cycle.slug,
            "agency": row["acronym_then"],
            "agency_today": row["acronym"],
            "name": str(row["name"]),
            "order": row["order"],
            "score": _round(row["score"]),
            "coverage": _round(row["coverage"]),
            "no_information_share": _round(row["no_information_share"]),
            "applicable": row["applicable"],
        }
        for status in Status.values:
            item[f"count_{status}"] = row["counts"].get(status, 0)
        for key in Component.values:
            item[f"score_{key}"] = _round(row["components"].get(key))
        rows.append(item)
    return table_response(rows, PANORAMA_COLUMNS, fmt, f"{cycle.slug}-panorama")


@login_required
@require_GET
def panorama_data(request, fmt):
    """Open-data rows of every visible assessment of the cycle, for the filtered agencies."""
    if fmt not in FORMATS:
        raise Http404
    cycles, cycle = _cycles(request)
    if cycle is None:
        raise Http404
    chosen = _filtered_agencies(request, cycle)[1]
    rows = assessment_rows(Assessment.objects.visible_to(request.user).filter(cycle=cycle, agency__in=chosen))
    return table_response(rows, ASSESSMENT_COLUMNS, fmt, f"{cycle.slug}-evaluaciones")


def _round(value):
    return round(value, 4) if isinstance(value, float) else value
