"""Scorecard figures computed from the database: assessments → plain, JSON-able data (through
reports.scoring). Used live for open cycles and once, when freezing, for published ones
(reports.snapshots). A constant number of queries whatever the number of ratings.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Agency
from obligations.choices import Component
from obligations.law_basis import basis_prefetch
from obligations.models import Obligation, Recommendation, RecommendationFollowUp, ReviewCycle
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
    method: scoring.Method, ratings: list[scoring.Rating], previous: scoring.Scorecard | None, previous_cycle
) -> dict:
    card = scoring.score(ratings, method, COMPONENTS)
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


def _rating_values(queryset: QuerySet) -> list[tuple]:
    """(agency_id, obligation code, component, status) of each assessment: one query."""
    return list(queryset.values_list("agency_id", "obligation__code", "obligation__component", "status"))


def _previous_by_agency(previous_qs: QuerySet | None, previous_cycle) -> tuple[dict, dict, scoring.Method | None]:
    """{agency_id: {code: status}} and {agency_id: [Rating]} of the previous cycle."""
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    ratings: dict[int, list[scoring.Rating]] = defaultdict(list)
    if previous_qs is None:
        return statuses, ratings, None
    for agency_id, code, component, status in _rating_values(previous_qs):
        statuses[agency_id][code] = status
        ratings[agency_id].append(scoring.Rating(code, component, status))
    return statuses, ratings, scoring.get_method(previous_cycle.methodology_version)


def compute_national(cycle, assessments: QuerySet, previous_qs: QuerySet | None, previous_cycle):
    """National summary and {agency_id: summary} from two value queries (this and the previous cycle)."""
    method = scoring.get_method(cycle.methodology_version)
    current = _rating_values(assessments.select_related(None))
    _prev_statuses, prev_ratings, prev_method = _previous_by_agency(previous_qs, previous_cycle)

    by_agency: dict[int, list[scoring.Rating]] = defaultdict(list)
    by_obligation: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for agency_id, code, component, status in current:
        rating = scoring.Rating(code, component, status)
        by_agency[agency_id].append(rating)
        by_obligation[code].append((agency_id, rating.normalized_status))

    summaries = {}
    for agency_id, ratings in by_agency.items():
        before = (
            scoring.score(prev_ratings[agency_id], prev_method, COMPONENTS)
            if prev_method and agency_id in prev_ratings
            else None
        )
        summaries[agency_id] = scorecard_summary(method, ratings, before, previous_cycle)

    all_ratings = [rating for ratings in by_agency.values() for rating in ratings]
    previous_all = [rating for ratings in prev_ratings.values() for rating in ratings]
    national_before = scoring.score(previous_all, prev_method, COMPONENTS) if prev_method and previous_all else None
    national = scorecard_summary(method, all_ratings, national_before, previous_cycle)
    national["agencies"] = len(by_agency)

    # Obligations no agency has met: rated as applicable somewhere, complied nowhere.
    unmet_codes = [
        code
        for code, entries in by_obligation.items()
        if any(method.is_applicable(status) for _a, status in entries)
        and not any(status == scoring.COMPLIED for _a, status in entries)
    ]
    obligations = {
        o.code: o for o in Obligation.objects.filter(code__in=unmet_codes).prefetch_related(*basis_prefetch())
    }
    acronyms = {  # as the agencies were named at the end of the period (PGR, not FGR, in 2017)
        agency.pk: agency.name_at(cycle.period_end).acronym
        for agency in Agency.objects.filter(pk__in=by_agency.keys()).prefetch_related("former_names")
    }
    unmet = []
    for code in sorted(unmet_codes):
        counts = defaultdict(int)
        for _agency_id, status in by_obligation[code]:
            counts[status] += 1
        obligation = obligations.get(code)
        unmet.append(
            {
                "code": code,
                "title_es": obligation.title_es if obligation else code,
                "title_en": obligation.title_en if obligation else "",
                "component": obligation.component if obligation else "",
                "legal_basis": obligation.legal_basis if obligation else "",
                "basis": obligation.basis_for_period(cycle.period_start, cycle.period_end) if obligation else None,
                "agencies": sorted(acronyms.get(agency_id, "?") for agency_id, _s in by_obligation[code]),
                "counts": dict(counts),
            }
        )
    national["unmet"] = unmet
    return national, summaries


def _row_queryset(assessments: QuerySet) -> QuerySet:
    return (
        assessments.select_related("obligation")
        .prefetch_related(*basis_prefetch("obligation__"))
        .only(
            "id",
            "agency_id",
            "cycle_id",
            "status",
            "rationale",
            "source_reference",
            "workflow_state",
            "obligation__id",
            "obligation__code",
            "obligation__title_es",
            "obligation__title_en",
            "obligation__component",
            "obligation__level",
            "obligation__legal_basis_to_verify",
            "obligation__basis_confidence",
            "obligation__deadline_es",
            "obligation__deadline_en",
            "obligation__deadline_date",
        )
        .order_by("agency_id", "obligation__component", "obligation__code")
    )


def compute_rows_by_agency(
    cycle, assessments: QuerySet, prev_qs: QuerySet | None, previous_cycle
) -> dict[int, tuple[dict, list]]:
    """{agency_id: (summary, rows)} for every agency with assessments in `assessments`; `prev_qs`:
    the (same agencies') assessments of the previous cycle, for trends."""
    method = scoring.get_method(cycle.methodology_version)
    as_of = as_of_date(cycle)
    prev_statuses, prev_ratings, prev_method = _previous_by_agency(prev_qs, previous_cycle)

    grouped: dict[int, list] = defaultdict(list)
    for assessment in _row_queryset(assessments):
        grouped[assessment.agency_id].append(assessment)

    result = {}
    for agency_id, items in grouped.items():
        before_statuses = prev_statuses.get(agency_id, {})
        ratings = [scoring.Rating(a.obligation.code, a.obligation.component, a.status) for a in items]
        trends = (
            scoring.obligation_trends({r.obligation: r.status for r in ratings}, before_statuses, method)
            if prev_method
            else {}  # the first cycle: no trend
        )
        before = (
            scoring.score(prev_ratings[agency_id], prev_method, COMPONENTS)
            if prev_method and agency_id in prev_ratings
            else None
        )
        summary = scorecard_summary(method, ratings, before, previous_cycle)
        rows = [_row(a, cycle, method, as_of, trends, before_statuses) for a in items]
        summary["overdue"] = sum(1 for row in rows if row["overdue"])
        result[agency_id] = (summary, rows)
    return result


def _row(assessment, cycle, method: scoring.Method, as_of: date, trends: dict, before: dict) -> dict:
    obligation = assessment.obligation
    status = scoring.normalize(assessment.status)
    deadline_passed = obligation.deadline_date is not None and obligation.deadline_date < as_of
    return {
        "assessment_id": assessment.pk,
        "code": obligation.code,
        "title_es": obligation.title_es,
        "title_en": obligation.title_en,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": obligation.legal_basis,
        "legal_basis_to_verify": obligation.legal_basis_to_verify,
        "basis": obligation.basis_for_period(cycle.period_start, cycle.period_end),
        "status": status,
        "value": method.value(status),
        "rationale": assessment.rationale,
        "source_reference": assessment.source_reference,
        "deadline_es": obligation.deadline_es,
        "deadline_en": obligation.deadline_en,
        "deadline_date": obligation.deadline_date.isoformat() if obligation.deadline_date else None,
        "overdue": deadline_passed and status not in (scoring.COMPLIED, scoring.NOT_APPLICABLE),
        "previous_status": before.get(obligation.code),
        "trend": trends.get(obligation.code),
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
