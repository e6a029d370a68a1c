"""Scorecard figures computed from the database: assessments → plain, JSON-able data (through
reports.scoring). Used live for open cycles and once, when freezing, for published ones
(reports.snapshots). A constant number of queries whatever the number of ratings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agencies.models import Agency
from obligations.choices import Component
from obligations.law_basis import bases_for_period
from obligations.models import Recommendation, RecommendationFollowUp, ReviewCycle
from reports import scoring

COMPONENTS = [key for key, _label in Component.choices]
PENDING_FOLLOW_UP = {"pending", "in_progress", "not_fulfilled", "no_information"}


def as_of_date(cycle: ReviewCycle) -> date:
    """Statutory deadlines are judged at the end of the period (or today, while it runs)."""
    return min(cycle.period_end, timezone.localdate())


def cycle_ref(cycle: ReviewCycle | None) -> dict | None:
    if cycle is None:
        return None
    return {"slug": cycle.slug, "name_es": cycle.name_es, "name_en": cycle.name_en or cycle.name_es}


def scorecard_summary(
    method: scoring.Method, card: scoring.Scorecard, previous: scoring.Scorecard | None, previous_cycle
) -> dict:
    """The JSON-able summary of a scorecard (`card`, scored with `method`) with its trends."""
    summary = card.as_dict()
    if previous_cycle is None:  # the first cycle: nothing to compare with, no trend at all
        summary["trends"] = dict.fromkeys([*card.components, "overall"])
    else:  # an agency absent from the previous cycle gets NEW everywhere
        summary["trends"] = scoring.component_trends(card, previous)
    summary["previous_cycle"] = cycle_ref(previous_cycle) if previous is not None else None
    summary["previous"] = (
        {
            "overall": previous.overall.score,
            "components": {key: value.score for key, value in previous.components.items()},
        }
        if previous is not None
        else None
    )
    return summary


def _counts_by_agency(queryset: QuerySet) -> dict[int, dict[str, dict[str | None, int]]]:
    """{agency_id: {component: {status: n}}}: one GROUP BY query, a row per agency, component and
    status (a few thousand rows at most, whatever the number of ratings)."""
    counts: dict[int, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        queryset.order_by()
        .values("agency_id", "obligation__component", "status")
        .annotate(n=Count("id"))
        .values_list("agency_id", "obligation__component", "status", "n")
    )
    for agency_id, component, status, n in rows:
        counts[agency_id][component][status] = n
    return counts


def _previous_by_agency(previous_qs: QuerySet | None, previous_cycle) -> tuple[dict, scoring.Method | None]:
    """{agency_id: {component: {status: n}}} of the previous cycle and its method."""
    if previous_qs is None:
        return {}, None
    return _counts_by_agency(previous_qs), scoring.get_method(previous_cycle.methodology_version)


def _previous_ratings(previous_qs: QuerySet | None) -> tuple[dict, dict]:
    """{agency_id: {code: status}} (obligation trends) and {agency_id: {component: {status: n}}}
    of the previous cycle, from one query."""
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    counts: dict[int, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    if previous_qs is not None:
        for agency_id, code, component, status in previous_qs.order_by().values_list(
            "agency_id", "obligation__code", "obligation__component", "status"
        ):
            statuses[agency_id][code] = status
            by_status = counts[agency_id][component]
            by_status[status] = by_status.get(status, 0) + 1
    return statuses, counts


def _merge(counts: Iterable[dict]) -> dict[str, dict]:
    merged: dict[str, dict] = defaultdict(dict)
    for by_component in counts:
        for component, statuses in by_component.items():
            for status, n in statuses.items():
                merged[component][status] = merged[component].get(status, 0) + n
    return merged


def compute_national(cycle, assessments: QuerySet, previous_qs: QuerySet | None, previous_cycle):
    """National summary and {agency_id: summary}, from aggregated rows: counts per agency,
    component and status of this and the previous cycle, plus the ratings of the obligations no
    agency has met (few). A constant number of queries; Python work grows with agencies ×
    components, not with ratings."""
    method = scoring.get_method(cycle.methodology_version)
    current = _counts_by_agency(assessments)
    previous, prev_method = _previous_by_agency(previous_qs, previous_cycle)

    summaries = {}
    for agency_id, counts in current.items():
        before = (
            scoring.score_counts(previous[agency_id], prev_method, COMPONENTS)
            if prev_method and agency_id in previous
            else None
        )
        summaries[agency_id] = scorecard_summary(
            method, scoring.score_counts(counts, method, COMPONENTS), before, previous_cycle
        )

    national = _national(cycle, method, current, previous, prev_method, previous_cycle, assessments)
    return national, summaries


def _national(cycle, method, current: dict, previous: dict, prev_method, previous_cycle, assessments) -> dict:
    """The national summary from counts per agency ({agency_id: {component: {status: n}}}) of this
    and the previous cycle, with the obligations no agency has met."""
    national_before = (
        scoring.score_counts(_merge(previous.values()), prev_method, COMPONENTS) if prev_method and previous else None
    )
    national = scorecard_summary(
        method, scoring.score_counts(_merge(current.values()), method, COMPONENTS), national_before, previous_cycle
    )
    national["agencies"] = len(current)
    national["unmet"] = _unmet(cycle, assessments, method)
    return national


def compute_frozen(cycle, assessments: QuerySet, prev_qs: QuerySet | None, previous_cycle) -> tuple[dict, dict]:
    """What freezing stores: the national summary and {agency_id: (summary, rows)}, from one read of
    the cycle's ratings and one of the previous cycle's (the national counts are the sum of the
    agencies' counts, not another pass over the table)."""
    counts: dict = {}
    prev_counts: dict = {}
    per_agency = _rows_by_agency(cycle, assessments, prev_qs, previous_cycle, counts, prev_counts)
    method = scoring.get_method(cycle.methodology_version)
    prev_method = scoring.get_method(previous_cycle.methodology_version) if prev_qs is not None else None
    national = _national(cycle, method, counts, prev_counts, prev_method, previous_cycle, assessments)
    return national, per_agency


def _unmet(cycle, assessments: QuerySet, method: scoring.Method) -> list[dict]:
    """Obligations no agency has met: rated as applicable somewhere, complied nowhere. The
    obligations are chosen in SQL (a grouped subquery); only their ratings are read."""
    applicable = [status for status in scoring.STATUSES if method.is_applicable(status)]
    unmet_ids = (
        assessments.order_by()
        .values("obligation_id")
        .annotate(
            applicable=Count("id", filter=Q(status__in=applicable)),
            complied=Count("id", filter=Q(status=scoring.COMPLIED)),
        )
        .filter(applicable__gt=0, complied=0)
        .values("obligation_id")
    )
    ratings = (
        assessments.filter(obligation_id__in=unmet_ids)
        .order_by()
        .values_list(
            "obligation__code",
            "obligation__title_es",
            "obligation__title_en",
            "obligation__component",
            "agency_id",
            "status",
            "obligation_id",
        )
    )
    by_code: dict[str, dict] = {}
    agency_ids = set()
    for code, title_es, title_en, component, agency_id, status, obligation_id in ratings:
        entry = by_code.setdefault(
            code,
            {
                "code": code,
                "title_es": title_es,
                "title_en": title_en,
                "component": component,
                "obligation_id": obligation_id,
                "agency_ids": [],
                "counts": defaultdict(int),
            },
        )
        entry["agency_ids"].append(agency_id)
        entry["counts"][scoring.normalize(status)] += 1
        agency_ids.add(agency_id)
    acronyms = {  # as the agencies were named at the end of the period (PGR, not FGR, in 2017)
        agency.pk: agency.name_at(cycle.period_end).acronym
        for agency in Agency.objects.filter(pk__in=assessments.order_by().values("agency_id")).prefetch_related(
            "former_names"
        )
    }
    bases = obligation_bases(cycle, {entry["obligation_id"] for entry in by_code.values()})
    unmet = []
    for code in sorted(by_code):
        entry = by_code[code]
        basis = bases[entry["obligation_id"]]
        unmet.append(
            {
                "code": code,
                "title_es": entry["title_es"],
                "title_en": entry["title_en"],
                "component": entry["component"],
                "legal_basis": basis.citation,
                "basis": basis.for_period,
                "agencies": sorted(acronyms.get(agency_id, "?") for agency_id in entry.pop("agency_ids")),
                "counts": dict(entry["counts"]),
            }
        )
    return unmet


ROW_FIELDS = (
    "id",
    "agency_id",
    "status",
    "rationale",
    "source_reference",
    "obligation_id",
    "obligation__code",
    "obligation__title_es",
    "obligation__title_en",
    "obligation__component",
    "obligation__level",
    "obligation__legal_basis_to_verify",
    "obligation__deadline_es",
    "obligation__deadline_en",
    "obligation__deadline_date",
)


@dataclass(frozen=True)
class ObligationBasis:
    citation: str  # 'LGPSEDMTP art. 89 fr. XV; Reglamento art. 83' (as `Obligation.legal_basis`)
    for_period: dict  # the versions in force in the cycle's period (`Obligation.basis_for_period`)


def obligation_bases(cycle, obligation_ids: Iterable[int] | QuerySet) -> dict[int, ObligationBasis]:
    """{obligation_id: its legal basis for the cycle's period}: one read of the obligations with
    their provisions and versions, each basis built once however many ratings cite it."""
    bases = bases_for_period(obligation_ids, cycle.period_start, cycle.period_end)
    return {pk: ObligationBasis(citation, basis) for pk, (citation, basis) in bases.items()}


def compute_rows_by_agency(
    cycle, assessments: QuerySet, prev_qs: QuerySet | None, previous_cycle, pending: QuerySet | None = None
) -> dict[int, tuple[dict, list]]:
    """{agency_id: (summary, rows)} for every agency with assessments in `assessments`; `prev_qs`:
    the (same agencies') assessments of the previous cycle, for trends. Rows are read as tuples
    (no model instance per rating) and the legal basis once per obligation. `pending`: assessments
    of the same agencies the viewer may not see yet (a liaison before validation): counted as
    pending (unrated) in the summary, without their status and without rows."""
    return _rows_by_agency(cycle, assessments, prev_qs, previous_cycle, {}, {}, pending)


def _rows_by_agency(
    cycle, assessments, prev_qs, previous_cycle, counts_out: dict, prev_counts_out: dict, pending=None
) -> dict:
    """compute_rows_by_agency, also filling `counts_out` / `prev_counts_out` with the counts per
    agency, component and status of this and the previous cycle."""
    method = scoring.get_method(cycle.methodology_version)
    as_of = as_of_date(cycle)
    prev_statuses, prev_counts = _previous_ratings(prev_qs)
    prev_counts_out.update(prev_counts)
    prev_method = scoring.get_method(previous_cycle.methodology_version) if prev_qs is not None else None

    grouped: dict[int, list] = defaultdict(list)
    for values in assessments.order_by("agency_id", "obligation__component", "obligation__code").values_list(
        *ROW_FIELDS
    ):
        grouped[values[1]].append(values)
    bases = obligation_bases(cycle, assessments.order_by().values("obligation_id"))  # a subquery
    unseen: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if pending is not None:
        for agency_id, component in pending.order_by().values_list("agency_id", "obligation__component"):
            unseen[agency_id][component] += 1
            grouped.setdefault(agency_id, [])

    result = {}
    for agency_id, items in grouped.items():
        before_statuses = prev_statuses.get(agency_id, {})
        counts: dict[str, dict] = defaultdict(dict)
        for values in items:
            by_status = counts[values[9]]
            by_status[values[2]] = by_status.get(values[2], 0) + 1
        for component, n in unseen.get(agency_id, {}).items():
            by_status = counts[component]
            by_status[scoring.UNRATED] = by_status.get(scoring.UNRATED, 0) + n
        trends = (
            scoring.obligation_trends({values[6]: values[2] for values in items}, before_statuses, method)
            if prev_method
            else {}  # the first cycle: no trend
        )
        before = (
            scoring.score_counts(prev_counts[agency_id], prev_method, COMPONENTS)
            if prev_method and agency_id in prev_counts
            else None
        )
        summary = scorecard_summary(method, scoring.score_counts(counts, method, COMPONENTS), before, previous_cycle)
        counts_out[agency_id] = counts
        rows = [_row(values, bases, method, as_of, trends, before_statuses) for values in items]
        summary["overdue"] = sum(1 for row in rows if row["overdue"])
        result[agency_id] = (summary, rows)
    return result


def _row(values: tuple, bases: dict, method: scoring.Method, as_of: date, trends: dict, before: dict) -> dict:
    (
        pk,
        _agency_id,
        raw_status,
        rationale,
        source_reference,
        obligation_id,
        code,
        title_es,
        title_en,
        component,
        level,
        to_verify,
        deadline_es,
        deadline_en,
        deadline_date,
    ) = values
    status = scoring.normalize(raw_status)
    deadline_passed = deadline_date is not None and deadline_date < as_of
    return {
        "assessment_id": pk,
        "code": code,
        "title_es": title_es,
        "title_en": title_en,
        "component": component,
        "level": level,
        "legal_basis": bases[obligation_id].citation,
        "legal_basis_to_verify": to_verify,
        "basis": bases[obligation_id].for_period,
        "status": status,
        "value": method.value(status),
        "rationale": rationale,
        "source_reference": source_reference,
        "deadline_es": deadline_es,
        "deadline_en": deadline_en,
        "deadline_date": deadline_date.isoformat() if deadline_date else None,
        "overdue": deadline_passed and status not in (scoring.COMPLIED, scoring.NOT_APPLICABLE),
        "previous_status": before.get(code),
        "trend": trends.get(code),
    }


def recommendations_by_agency(cycle, agency_ids) -> dict[int, list[dict]]:
    """Recommendations addressed to each agency with their follow-up in this cycle (the
    agency's own follow-up, else a general one), as plain data: two queries for any number
    of agencies. Frozen into published snapshots with the scores."""
    addressed = (
        Recommendation.addressees.through.objects.filter(agency_id__in=agency_ids)
        .order_by("recommendation__issuer", "recommendation__code")
        .values_list(
            "agency_id",
            "recommendation_id",
            "recommendation__code",
            "recommendation__issuer",
            "recommendation__paragraph",
            "recommendation__text_es",
            "recommendation__text_en",
            "recommendation__prioritized",
        )
    )
    follow_ups: dict[tuple[int, int | None], tuple[str, str]] = {}
    addressed = list(addressed)
    if addressed:
        for rec_id, agency_id, status, note in RecommendationFollowUp.objects.filter(
            cycle=cycle, recommendation_id__in={row[1] for row in addressed}
        ).values_list("recommendation_id", "agency_id", "status", "note"):
            follow_ups[(rec_id, agency_id)] = (status, note)
    result: dict[int, list[dict]] = defaultdict(list)
    for agency_id, rec_id, code, issuer, paragraph, text_es, text_en, prioritized in addressed:
        status, note = follow_ups.get((rec_id, agency_id)) or follow_ups.get((rec_id, None)) or (None, "")
        result[agency_id].append(
            {
                "code": code,
                "issuer": issuer,
                "paragraph": paragraph,
                "text_es": text_es,
                "text_en": text_en,
                "prioritized": prioritized,
                "status": status or "pending",
                "recorded": status is not None,
                "note": note,
                "pending": (status or "pending") in PENDING_FOLLOW_UP,
            }
        )
    return result
