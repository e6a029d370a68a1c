"""What the public "Cifras", "Entidades federativas" and "Recomendaciones" pages show: the
figures of the sources as measures (a time series of totals, the breakdowns, the year-on-year
change and the increasing-effort flag), the 32 states with what the sources say of each, and the
register of recommendations with the asks that repeat.

The increasing-effort rule lives here (`effort_flag`) and nowhere else. A figure that was not
reported (or could not be analysed) has no value: it is shown as such, never as 0, and never
counts as a fall or a rise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obligations.choices import CycleState
from obligations.figure_choices import BREAKDOWN_DIMENSIONS, FactTopic, ValueStatus, ValueUnit
from obligations.models import (
    Indicator,
    IndicatorValue,
    Recommendation,
    RecommendationFollowUp,
    State,
    StateFact,
)
from reports import charts, labels

# Measures whose rise is not a sign of greater effort against trafficking (a country's rank in a
# prevalence index, detentions of migrants, workers hired under a scheme the source questions,
# the press notes the CNDH read): the flag says so instead of judging them.
NOT_EFFORT_MEASURES = frozenset(
    {
        "CNDH19-INDICE-ESCLAVITUD",
        "CNDH19-NOTAS-PRENSA",
        "CTX-DETENCIONES-MIGRANTES",
        "CTX-TRABAJADORES-CUBANOS",
        "CTX-VICTIMAS-ATENDIDAS-OSC",
        "CTX-VICTIMAS-EXTRANJERAS-SITUACION",
    }
)


class Effort:
    INCREASING = "increasing"
    NOT_INCREASING = "not_increasing"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"


EFFORT_LABELS = {
    Effort.INCREASING: gettext_lazy("Esfuerzo creciente"),
    Effort.NOT_INCREASING: gettext_lazy("No"),
    Effort.NOT_REPORTED: gettext_lazy("No reportado"),
    Effort.NOT_APPLICABLE: gettext_lazy("No mide esfuerzo"),
}

EFFORT_RULE = gettext_lazy(
    "Esfuerzo creciente: la cifra total del último año que da la fuente es mayor que la del año "
    "anterior. «No»: es igual o menor. «No reportado»: falta la cifra de alguno de los dos años, o "
    "la fuente dice que no se reportó (una cifra no reportada no cuenta como 0) o sólo da un periodo "
    "de varios años. Algunas cifras no miden esfuerzo (p. ej. el lugar de México en un índice de "
    "prevalencia) y no se califican."
)


def format_value(value: IndicatorValue) -> str:
    """A figure as printed: the number with its unit, or its status when it has no value."""
    if value.status != ValueStatus.REPORTED or value.value is None:
        return str(value.get_status_display())
    return format_number(value.value, value.unit)


def format_number(number: Decimal, unit: str = ValueUnit.COUNT) -> str:
    places = 0 if number == number.to_integral_value() else 2
    shown = number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    if unit == ValueUnit.PERCENT:
        return f"{shown} %"
    if unit in (ValueUnit.COUNT,):
        return shown
    return f"{shown} {ValueUnit(unit).label}"


def dimension_label(name: str) -> str:
    return str(IndicatorValue._meta.get_field(name).verbose_name)


def _set_dimensions(value: IndicatorValue, fixed: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        name
        for name in BREAKDOWN_DIMENSIONS
        if name not in fixed and (getattr(value, f"{name}_id") if name in ("state", "agency") else getattr(value, name))
    )


def _period_key(value: IndicatorValue) -> tuple:
    return (value.year or 0, value.period_start or value.period_end, value.period_end)


@dataclass
class Point:
    """One figure on a page: its period, breakdown label, value as printed and its source."""

    value: IndicatorValue
    label: str

    @property
    def shown(self) -> str:
        return format_value(self.value)

    @property
    def number(self) -> Decimal | None:
        return self.value.value if self.value.status == ValueStatus.REPORTED else None

    @property
    def reported(self) -> bool:
        return self.value.status == ValueStatus.REPORTED


@dataclass
class Breakdown:
    title: str
    period: str
    points: list[Point]
    chart: str = ""


@dataclass
class Measure:
    indicator: Indicator
    series: list[Point] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    series_chart: str = ""
    change: dict | None = None
    effort: str = Effort.NOT_REPORTED
    effort_reason: str = ""

    @property
    def effort_label(self) -> str:
        return str(EFFORT_LABELS[self.effort])

    @property
    def sources(self) -> list[str]:
        seen = []
        for point in self.series + [p for b in self.breakdowns for p in b.points]:
            if point.value.source not in seen:
                seen.append(point.value.source)
        return seen


def effort_flag(indicator_code: str, series: list[IndicatorValue]) -> tuple[str, str, dict | None]:
    """The increasing-effort flag of a measure from its yearly totals: (flag, reason, change).

    `change` is the year-on-year change {"from_year", "to_year", "delta", "percent"} when both
    years have a reported figure in the same unit, else None."""
    if indicator_code in NOT_EFFORT_MEASURES:
        return Effort.NOT_APPLICABLE, _("Esta cifra describe el contexto; su aumento no indica más esfuerzo."), None
    yearly = [value for value in series if value.year is not None]
    if not yearly:
        return Effort.NOT_REPORTED, _("La fuente sólo da un periodo de varios años, no cifras anuales."), None
    latest_year = max(value.year for value in yearly)
    latest = [value for value in yearly if value.year == latest_year]
    previous = [value for value in yearly if value.year == latest_year - 1]
    if any(value.status != ValueStatus.REPORTED for value in latest):
        return Effort.NOT_REPORTED, _("La cifra de %(year)s no se reportó.") % {"year": latest_year}, None
    if not previous:
        return (
            Effort.NOT_REPORTED,
            _("No hay cifra de %(year)s para comparar.") % {"year": latest_year - 1},
            None,
        )
    if any(value.status != ValueStatus.REPORTED for value in previous):
        return Effort.NOT_REPORTED, _("La cifra de %(year)s no se reportó.") % {"year": latest_year - 1}, None
    now, before = latest[0], previous[0]
    if now.unit != before.unit:
        return Effort.NOT_REPORTED, _("Las cifras de los dos años no están en la misma unidad."), None
    delta = now.value - before.value
    change = {
        "from_year": before.year,
        "to_year": now.year,
        "delta": delta,
        "delta_shown": ("+" if delta > 0 else "") + format_number(delta, now.unit) if delta else "0",
        "percent": None if not before.value else round(delta * 100 / before.value),
    }
    words = {"now": format_number(now.value, now.unit), "before": format_number(before.value, before.unit)}
    words.update(year=now.year, previous=before.year)
    if delta > 0:
        return Effort.INCREASING, _("%(now)s en %(year)s frente a %(before)s en %(previous)s.") % words, change
    return Effort.NOT_INCREASING, _("%(now)s en %(year)s frente a %(before)s en %(previous)s.") % words, change


def _breakdown_label(value: IndicatorValue, dims: tuple[str, ...]) -> str:
    shown = value.dimensions
    return ", ".join(str(shown[name]) for name in dims if name in shown)


def measures(values: QuerySet, *, fixed: tuple[str, ...] = ()) -> list[Measure]:
    """The measures of a set of values, one per indicator. `fixed` names the dimensions the
    whole page is about (e.g. ("agency",) on an agency's page): a value broken down by nothing
    else is part of the measure's time series."""
    values = values.select_related("indicator", "state", "agency").order_by(
        "indicator_id", "year", "period_start", "pk"
    )
    by_indicator: dict[int, list[IndicatorValue]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for value in values:
        by_indicator[value.indicator_id].append(value)
        indicators[value.indicator_id] = value.indicator
    result = []
    for indicator_id, items in by_indicator.items():
        indicator = indicators[indicator_id]
        measure = Measure(indicator=indicator)
        totals = [v for v in items if not _set_dimensions(v, fixed)]
        main_unit = _main_unit(totals)
        series = sorted((v for v in totals if v.unit == main_unit), key=_period_key)
        measure.series = [Point(v, v.period_label + _source_suffix(v, series)) for v in series]
        groups: dict[tuple, list[IndicatorValue]] = defaultdict(list)
        for value in items:
            dims = _set_dimensions(value, fixed)
            if value.unit != main_unit and not dims:
                dims = ("unit",)
            if dims:
                groups[(dims, value.period_label)].append(value)
        for (dims, period), group in sorted(groups.items(), key=lambda item: (_period_key(item[1][0]), item[0][0])):
            title = " × ".join(_("unidad") if name == "unit" else dimension_label(name) for name in dims)
            points = [
                Point(v, (v.percent_base or v.get_unit_display()) if dims == ("unit",) else _breakdown_label(v, dims))
                for v in group
            ]
            measure.breakdowns.append(Breakdown(title=title, period=period, points=points))
        measure.effort, measure.effort_reason, measure.change = effort_flag(indicator.code, series)
        result.append(measure)
    return result


def _main_unit(totals: list[IndicatorValue]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for value in totals:
        counts[value.unit] += 1
    return max(counts, key=lambda unit: (counts[unit], unit == ValueUnit.COUNT)) if counts else ValueUnit.COUNT


def _source_suffix(value: IndicatorValue, series: list[IndicatorValue]) -> str:
    """Two totals of one period (from different sources) are told apart by their source."""
    same = [v for v in series if v.period_label == value.period_label]
    return f" ({value.source})" if len(same) > 1 else ""


def with_charts(items: list[Measure]) -> list[Measure]:
    """Draw the SVG charts of the measures (a series of two or more figures; a breakdown of two
    or more), each with its data table on the page."""
    not_reported = _("No reportado")
    for index, measure in enumerate(items):
        statement = str(measure.indicator.statement)
        if len(measure.series) > 1:
            measure.series_chart = charts.value_bars(
                [(p.label, _float(p), p.shown) for p in measure.series],
                title=_("%(measure)s: serie de tiempo") % {"measure": statement},
                not_reported_label=not_reported,
                chart_id=f"chart-{index}-series",
            )
        for number, breakdown in enumerate(measure.breakdowns):
            if len(breakdown.points) > 1:
                breakdown.chart = charts.value_bars(
                    [(p.label, _float(p), p.shown) for p in breakdown.points],
                    title=f"{statement} · {breakdown.title} · {breakdown.period}",
                    not_reported_label=not_reported,
                    chart_id=f"chart-{index}-b{number}",
                )
    return items


def _float(point: Point) -> float | None:
    return float(point.number) if point.number is not None else None


def national_values() -> QuerySet:
    """The figures of the national "Cifras" page: every value of the context and CNDH indicators."""
    return IndicatorValue.objects.all()


def agency_values(agency) -> QuerySet:
    return IndicatorValue.objects.filter(agency=agency)


def agencies_with_values() -> QuerySet:
    from agencies.models import Agency

    return (
        Agency.objects.filter(indicator_values__isnull=False).annotate(n=Count("indicator_values")).order_by("acronym")
    )


# --- States ------------------------------------------------------------------------------


def states_overview() -> list[dict]:
    """The 32 states with their counts of sourced facts and figures (one query)."""
    states = State.objects.select_related("prosecutor").annotate(
        n_facts=Count("facts", distinct=True), n_values=Count("values", distinct=True)
    )
    return [
        {
            "state": state,
            "facts": state.n_facts,
            "values": state.n_values,
            "sourced": state.n_facts + state.n_values,
            "topics": [],
        }
        for state in states
    ]


def tile_map_chart(overview: list[dict], url_of) -> str:
    return charts.tile_map(
        [
            {
                "row": row["state"].tile_row,
                "column": row["state"].tile_column,
                "label": row["state"].abbreviation,
                "name": row["state"].name,
                "count": row["sourced"],
                "href": url_of(row["state"]),
            }
            for row in overview
        ],
        title=_("Mapa de mosaico de las 32 entidades federativas"),
        description=_(
            "Cada cuadro es una entidad en su posición aproximada; el número es cuántos datos con fuente hay sobre ella."
        ),
        chart_id="chart-states",
    )


def state_profile(state: State) -> dict:
    """What the sources say about one state, by topic; a topic no source speaks of is a gap."""
    facts = list(state.facts.all())
    by_topic = {key: [f for f in facts if f.topic == key] for key, _label in FactTopic.choices}
    unnamed = defaultdict(list)
    for fact in StateFact.objects.filter(state__isnull=True):
        unnamed[fact.topic].append(fact)
    topics = [
        {"key": key, "label": label, "facts": by_topic[key], "unnamed": unnamed.get(key, [])}
        for key, label in FactTopic.choices
    ]
    values = IndicatorValue.objects.filter(state=state)
    return {
        "state": state,
        "topics": topics,
        "gaps": [t for t in topics if not t["facts"]],
        "measures": measures(values, fixed=("state",)),
    }


# --- Recommendations ---------------------------------------------------------------------


def recommendation_register(*, issuer: str = "", q: str = "") -> list[Recommendation]:
    """Every recommendation with addressees, related obligations and their provisions, the
    recurring asks it belongs to, the first year the same thing was asked, and the follow-up
    auditors recorded in published cycles (never inferred)."""
    recs = Recommendation.objects.prefetch_related(
        "addressees",
        "obligations__provisions__instrument",
        "recurring_links__ask__links__recommendation",
        Prefetch(
            "follow_ups",
            queryset=RecommendationFollowUp.objects.filter(cycle__state=CycleState.PUBLISHED)
            .select_related("cycle", "agency")
            .order_by("-cycle__period_end", "agency__acronym"),
            to_attr="published_follow_ups",
        ),
    ).order_by("year", "issuer", "code")
    if issuer:
        recs = recs.filter(issuer=issuer)
    if q:
        recs = recs.filter(Q(code__icontains=q) | Q(text_es__icontains=q) | Q(text_en__icontains=q))
    result = list(recs)
    for rec in result:
        same = {
            link.recommendation
            for own in rec.recurring_links.all()
            for link in own.ask.links.all()
            if link.recommendation_id != rec.pk
        }
        rec.same_asks = sorted(same, key=lambda other: (other.year or 0, other.code))
        earlier = [
            other.year for other in rec.same_asks if other.year is not None and rec.year and other.year < rec.year
        ]
        rec.first_asked = min(earlier) if earlier else None
        rec.asks = [link.ask for link in rec.recurring_links.all()]
        rec.issuer_label = labels.ISSUER_LABELS.get(rec.issuer, rec.issuer)
    return result


def first_asked_by_code(codes) -> dict[str, int]:
    """The first year each recommendation's ask was made (its own year, or the earliest year of a
    recommendation that asks the same thing), by recommendation code."""
    result = {}
    recs = Recommendation.objects.filter(code__in=list(codes)).prefetch_related(
        "recurring_links__ask__links__recommendation"
    )
    for rec in recs:
        years = [rec.year] + [
            link.recommendation.year for own in rec.recurring_links.all() for link in own.ask.links.all()
        ]
        years = [year for year in years if year is not None]
        if years:
            result[rec.code] = min(years)
    return result


def mark_asked_since(recommendations: list[dict], as_of_year: int) -> None:
    """On a scorecard's recommendation dicts, how long each open ask has been made: the first
    year it (or a recommendation asking the same thing) was issued, and the years since then as
    of `as_of_year` (the end of the cycle's period)."""
    first = first_asked_by_code(rec["code"] for rec in recommendations if rec["pending"])
    for rec in recommendations:
        year = first.get(rec["code"]) if rec["pending"] else None
        rec["first_asked"] = year
        rec["years_asked"] = None if year is None else max(as_of_year - year, 0)
