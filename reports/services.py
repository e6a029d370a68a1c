"""Scorecards: database rows → plain data → `reports.scoring` → what pages, downloads and PDFs show.

Public functions (also used by the PDF reports):

- `agency_scorecard(cycle, agency, user=None) -> AgencyScorecard`
- `national_panorama(cycle, user=None, agencies=None) -> NationalPanorama`
- `freeze_cycle(cycle, *, force=False) -> int`

A published cycle is read from its frozen `ScorecardSnapshot`s (one row per agency plus one
national row), written by `freeze_cycle` — lazily on the first read if nobody froze it on
publication. Other cycles are computed on each read from the assessments the user may see.
Every function runs a number of queries that does not depend on how many agencies,
obligations or assessments there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from agencies import access
from agencies.models import Agency
from obligations.choices import Component, CycleState, FollowUpStatus, Issuer
from obligations.models import (
    Assessment,
    Evidence,
    Obligation,
    Provision,
    Recommendation,
    RecommendationFollowUp,
    ReviewCycle,
)
from reports import scoring
from reports.models import ScorecardSnapshot

COMPONENTS = [key for key, _label in Component.choices]
ISSUERS = dict(Issuer.choices)
PENDING_FOLLOW_UP = {"pending", "in_progress", "not_fulfilled", "no_information"}


# --------------------------------------------------------------------------- results


@dataclass
class AgencyScorecard:
    """What an agency's scorecard shows. `summary` and `rows` are plain JSON-able data
    (identical whether computed now or read from a frozen snapshot)."""

    cycle: ReviewCycle
    agency: Agency
    summary: dict
    _rows: list[dict] | None
    frozen: bool
    snapshot_id: int | None = None
    evidence: dict[int, list[dict]] = field(default_factory=dict)  # by assessment id
    hidden_evidence: dict[int, int] = field(default_factory=dict)  # confidential items not shown
    recommendations: list[dict] = field(default_factory=list)

    _snapshot: ScorecardSnapshot | None = None

    @property
    def rows(self) -> list[dict]:
        """One dict per obligation. For a frozen scorecard the (large) rows are read from the
        snapshot only when something asks for them: a page served from cache never does."""
        if self._rows is None:
            self._rows = self._snapshot.rows if self._snapshot is not None else []
            _localize(self._rows)
        return self._rows

    @property
    def method(self) -> str:
        return self.summary["method"]

    @property
    def overall(self) -> dict:
        return self.summary["overall"]

    @property
    def components(self) -> list[dict]:
        """[{key, label, score, ..., trend, previous_score}] in the catalogue's order."""
        labels = dict(Component.choices)
        trends = self.summary.get("trends", {})
        previous = (self.summary.get("previous") or {}).get("components", {})
        return [
            {
                "key": key,
                "label": labels.get(key, key),
                "trend": trends.get(key),
                "previous_score": previous.get(key),
                **values,
            }
            for key, values in self.summary["components"].items()
        ]

    @property
    def agency_then(self) -> dict:
        """{acronym, name} of the agency at the end of the cycle's period (PGR, not FGR, in 2017);
        frozen with a published scorecard, looked up otherwise."""
        then = self.summary.get("agency_then")
        if then is None:
            former = self.agency.name_on(self.cycle.period_end)
            then = {"acronym": former.acronym, "name_es": former.name_es, "name_en": former.name_en}
            self.summary["agency_then"] = then
        english = (get_language() or "es").startswith("en")
        return {"acronym": then["acronym"], "name": (then["name_en"] if english else "") or then["name_es"]}

    @property
    def previous_cycle(self) -> dict | None:
        return self.summary.get("previous_cycle")

    @property
    def overdue(self) -> list[dict]:
        return [row for row in self.rows if row.get("overdue")]

    @property
    def pending_recommendations(self) -> list[dict]:
        return [rec for rec in self.recommendations if rec["pending"]]


@dataclass
class NationalPanorama:
    cycle: ReviewCycle
    summary: dict  # national scores, trends and the obligations no agency has met
    agencies: list[dict]  # one row per agency: acronym, name, order, scores (see _panorama_row)
    frozen: bool

    @property
    def unmet(self) -> list[dict]:
        return self.summary.get("unmet", [])


# --------------------------------------------------------------------------- public API


def agency_scorecard(cycle: ReviewCycle, agency: Agency, user=None) -> AgencyScorecard:
    """The scorecard of `agency` in `cycle`, as `user` may see it.

    The caller has already checked that `user` may see the agency and the cycle
    (`Agency.objects.visible_to`, `ReviewCycle.objects.visible_to`); with `user=None` (PDF jobs,
    commands) every assessment of the cycle counts and evidence is not loaded.
    Published cycles: one snapshot fetch (freezing the cycle first if needed)."""
    if cycle.state == CycleState.PUBLISHED:
        snapshot = _snapshot(cycle, agency)
        if snapshot is None and not _national_snapshot(cycle).exists():
            freeze_cycle(cycle)  # published but never frozen: freeze now, once
            snapshot = _snapshot(cycle, agency)
        if snapshot is not None:
            card = AgencyScorecard(cycle, agency, snapshot.summary, None, frozen=True, snapshot_id=snapshot.pk)
            card._snapshot = snapshot
        else:  # no assessments for this agency in the cycle
            card = _compute_agency(cycle, agency, Assessment.objects.none(), previous=None)
            card.frozen = True
    else:
        assessments = _assessments_for(user).filter(cycle=cycle, agency=agency)
        previous = _previous_cycle(cycle, user)
        card = _compute_agency(cycle, agency, assessments, previous=previous, user=user)
    if card._rows is not None:
        _localize(card._rows)
    if user is not None:
        card.evidence, card.hidden_evidence = _evidence(cycle, agency, user)
    if "recommendations" in card.summary:  # frozen with the scorecard
        recommendations = card.summary["recommendations"]
    else:
        recommendations = _recommendations_by_agency(cycle, [agency.pk]).get(agency.pk, [])
    card.recommendations = _present_recommendations(recommendations)
    return card


def national_panorama(
    cycle: ReviewCycle, user=None, agencies: QuerySet | Iterable[Agency] | None = None
) -> NationalPanorama:
    """Every agency's scores in `cycle` plus the national figures.

    `agencies` narrows the table (a filtered `Agency.objects.visible_to(user)` queryset);
    by default all agencies `user` may see (all, with `user=None`). The national figures
    (overall, per component, the obligations no agency has met) are shown only to users who
    see every agency, and always cover the whole cycle."""
    if agencies is None:
        agencies = Agency.objects.visible_to(user) if user is not None else Agency.objects.all()
    if cycle.state == CycleState.PUBLISHED:
        if not _national_snapshot(cycle).exists():
            freeze_cycle(cycle)
        snapshots = (
            ScorecardSnapshot.objects.filter(cycle=cycle)
            .filter(Q(agency__isnull=True) | Q(agency__in=_as_queryset(agencies)))
            .select_related("agency")
            .prefetch_related("agency__former_names")
            .defer("rows")
        )
        national: dict = {}
        rows = []
        for snapshot in snapshots:
            if snapshot.agency_id is None:
                national = snapshot.summary
            else:
                rows.append(_panorama_row(snapshot.agency, snapshot.summary, cycle.period_end))
        frozen = True
    else:
        previous = _previous_cycle(cycle, user)
        agency_list = list(_as_queryset(agencies).prefetch_related("former_names"))
        national, summaries = _compute_national(
            cycle,
            _assessments_for(user).filter(cycle=cycle),
            _assessments_for(user).filter(cycle=previous) if previous else None,
            previous,
        )
        rows = [
            _panorama_row(agency, summaries[agency.pk], cycle.period_end)
            for agency in agency_list
            if agency.pk in summaries
        ]
        frozen = False
    rows.sort(key=lambda row: row["acronym_then"])
    if user is not None and not access.sees_all_agencies(user):
        national = {}
    _localize(national.get("unmet", []))
    return NationalPanorama(cycle=cycle, summary=national, agencies=rows, frozen=frozen)


def freeze_cycle(cycle: ReviewCycle, *, force: bool = False) -> int:
    """Store the frozen scorecards of a published cycle (one per agency with assessments, and
    the national one). Idempotent: existing snapshots of the same publication are kept unless
    `force`; snapshots of an earlier publication of the cycle are replaced. Returns the number
    of snapshots written."""
    if cycle.state != CycleState.PUBLISHED:
        raise ValueError(f"Only published cycles are frozen ({cycle.slug} is {cycle.state}).")
    with transaction.atomic():
        existing = ScorecardSnapshot.objects.filter(cycle=cycle)
        stale = existing.exclude(cycle_published_at=cycle.published_at) if cycle.published_at else existing.none()
        if force:
            existing.delete()
        elif stale.exists():
            stale.delete()
        elif existing.filter(agency__isnull=True).exists():
            return 0
        else:
            existing.delete()  # a partial set (interrupted freeze): start over

        previous = (
            ReviewCycle.objects.published().filter(period_end__lt=cycle.period_end).order_by("-period_end").first()
        )
        all_assessments = Assessment.objects.filter(cycle=cycle)
        national, summaries = _compute_national(
            cycle,
            all_assessments,
            Assessment.objects.filter(cycle=previous) if previous else None,
            previous,
        )
        per_agency = _compute_rows_by_agency(cycle, all_assessments, previous, None)
        recommendations = _recommendations_by_agency(cycle, list(per_agency))
        names = {
            agency.pk: agency.name_on(cycle.period_end)
            for agency in Agency.objects.filter(pk__in=list(per_agency)).prefetch_related("former_names")
        }
        for agency_id, (summary, _rows) in per_agency.items():
            summary["recommendations"] = recommendations.get(agency_id, [])
            then = names[agency_id]
            summary["agency_then"] = {"acronym": then.acronym, "name_es": then.name_es, "name_en": then.name_en}
        snapshots = [
            ScorecardSnapshot(
                cycle=cycle,
                agency=None,
                methodology_version=cycle.methodology_version,
                cycle_published_at=cycle.published_at,
                summary=national,
                rows=[],
            )
        ]
        for agency_id, (summary, rows) in per_agency.items():
            snapshots.append(
                ScorecardSnapshot(
                    cycle=cycle,
                    agency_id=agency_id,
                    methodology_version=cycle.methodology_version,
                    cycle_published_at=cycle.published_at,
                    summary=summary,
                    rows=rows,
                )
            )
        try:
            with transaction.atomic():
                ScorecardSnapshot.objects.bulk_create(snapshots, batch_size=200)
        except IntegrityError:
            return 0  # another request froze the cycle at the same time: theirs stands
    return len(snapshots)


# --------------------------------------------------------------------------- internals


def _as_queryset(agencies) -> QuerySet:
    if isinstance(agencies, QuerySet):
        return agencies
    return Agency.objects.filter(pk__in=[agency.pk for agency in agencies])


def _assessments_for(user) -> QuerySet:
    return Assessment.objects.visible_to(user) if user is not None else Assessment.objects.all()


def _snapshot(cycle: ReviewCycle, agency: Agency) -> ScorecardSnapshot | None:
    qs = ScorecardSnapshot.objects.filter(cycle=cycle, agency=agency)
    if cycle.published_at:
        qs = qs.filter(cycle_published_at=cycle.published_at)
    # `rows` is deferred: loaded on first access of AgencyScorecard.rows (one more query then).
    return next(iter(qs.defer("rows")[:1]), None)


def _national_snapshot(cycle: ReviewCycle) -> QuerySet:
    qs = ScorecardSnapshot.objects.filter(cycle=cycle, agency__isnull=True)
    if cycle.published_at:
        qs = qs.filter(cycle_published_at=cycle.published_at)
    return qs


def _previous_cycle(cycle: ReviewCycle, user) -> ReviewCycle | None:
    cycles = ReviewCycle.objects.visible_to(user) if user is not None else ReviewCycle.objects.all()
    return cycles.filter(period_end__lt=cycle.period_end).order_by("-period_end").first()


def _as_of(cycle: ReviewCycle) -> date:
    """Statutory deadlines are judged at the end of the period (or today, while it runs)."""
    return min(cycle.period_end, timezone.localdate())


def _cycle_ref(cycle: ReviewCycle | None) -> dict | None:
    if cycle is None:
        return None
    return {"slug": cycle.slug, "name_es": cycle.name_es, "name_en": cycle.name_en or cycle.name_es}


def _scorecard_summary(
    method: scoring.Method, ratings: list[scoring.Rating], previous: scoring.Scorecard | None, previous_cycle
) -> dict:
    card = scoring.score(ratings, method, COMPONENTS)
    summary = card.as_dict()
    if previous_cycle is None:  # the first cycle: nothing to compare with, no trend at all
        summary["trends"] = dict.fromkeys([*card.components, "overall"])
    else:  # an agency absent from the previous cycle gets NEW everywhere
        summary["trends"] = scoring.component_trends(card, previous)
    summary["previous_cycle"] = _cycle_ref(previous_cycle) if previous is not None else None
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


def _compute_national(cycle, assessments: QuerySet, previous_qs: QuerySet | None, previous_cycle):
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
        summaries[agency_id] = _scorecard_summary(method, ratings, before, previous_cycle)

    all_ratings = [rating for ratings in by_agency.values() for rating in ratings]
    previous_all = [rating for ratings in prev_ratings.values() for rating in ratings]
    national_before = scoring.score(previous_all, prev_method, COMPONENTS) if prev_method and previous_all else None
    national = _scorecard_summary(method, all_ratings, national_before, previous_cycle)
    national["agencies"] = len(by_agency)

    # Obligations no agency has met: rated as applicable somewhere, complied nowhere.
    unmet_codes = [
        code
        for code, entries in by_obligation.items()
        if any(method.is_applicable(status) for _a, status in entries)
        and not any(status == scoring.COMPLIED for _a, status in entries)
    ]
    obligations = {
        o["code"]: o
        for o in Obligation.objects.filter(code__in=unmet_codes).values("code", "title_es", "title_en", "component")
    }
    acronyms = {  # as the agencies were named at the end of the period (PGR, not FGR, in 2017)
        agency.pk: agency.acronym_on(cycle.period_end)
        for agency in Agency.objects.filter(pk__in=by_agency.keys()).prefetch_related("former_names")
    }
    unmet = []
    for code in sorted(unmet_codes):
        counts = defaultdict(int)
        for _agency_id, status in by_obligation[code]:
            counts[status] += 1
        info = obligations.get(code, {"title_es": code, "title_en": "", "component": ""})
        unmet.append(
            {
                "code": code,
                "title_es": info["title_es"],
                "title_en": info["title_en"],
                "component": info["component"],
                "agencies": sorted(acronyms.get(agency_id, "?") for agency_id, _s in by_obligation[code]),
                "counts": dict(counts),
            }
        )
    national["unmet"] = unmet
    return national, summaries


def _row_queryset(assessments: QuerySet) -> QuerySet:
    return (
        assessments.select_related("obligation")
        .prefetch_related(
            Prefetch("obligation__provisions", queryset=Provision.objects.select_related("instrument")),
        )
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
            "obligation__deadline_es",
            "obligation__deadline_en",
            "obligation__deadline_date",
        )
        .order_by("agency_id", "obligation__component", "obligation__code")
    )


def _compute_rows_by_agency(
    cycle, assessments: QuerySet, previous_cycle, user, agency: Agency | None = None
) -> dict[int, tuple[dict, list]]:
    """{agency_id: (summary, rows)} for every agency with assessments in `assessments`."""
    method = scoring.get_method(cycle.methodology_version)
    as_of = _as_of(cycle)
    prev_qs = _assessments_for(user).filter(cycle=previous_cycle) if previous_cycle else None
    if prev_qs is not None and agency is not None:
        prev_qs = prev_qs.filter(agency=agency)
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
        summary = _scorecard_summary(method, ratings, before, previous_cycle)
        rows = [_row(a, method, as_of, trends, before_statuses) for a in items]
        summary["overdue"] = sum(1 for row in rows if row["overdue"])
        result[agency_id] = (summary, rows)
    return result


def _row(assessment, method: scoring.Method, as_of: date, trends: dict, before: dict) -> dict:
    obligation = assessment.obligation
    status = assessment.status if assessment.status in scoring.STATUSES else scoring.UNRATED
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


def _compute_agency(cycle, agency, assessments: QuerySet, previous, user=None) -> AgencyScorecard:
    per_agency = _compute_rows_by_agency(cycle, assessments, previous, user, agency=agency)
    if agency.pk in per_agency:
        summary, rows = per_agency[agency.pk]
    else:
        method = scoring.get_method(cycle.methodology_version)
        summary = _scorecard_summary(method, [], None, None)
        summary["overdue"] = 0
        rows = []
    return AgencyScorecard(cycle, agency, summary, rows, frozen=False)


def _localize(rows: list[dict]) -> None:
    """Add `title` (and `deadline`) in the active language to plain rows."""
    english = (get_language() or "es").startswith("en")
    for row in rows:
        row["title"] = (row.get("title_en") if english else "") or row.get("title_es", "")
        row["deadline"] = (row.get("deadline_en") if english else "") or row.get("deadline_es", "")


def label_rows(rows: list[dict]) -> None:
    """Add display labels in the active language to scorecard rows: `status_label`,
    `component_label`, `trend_symbol`, `trend_label`, `previous_status_label`. Each label is
    translated once per call, not once per row (pages and PDFs of hundreds of rows)."""
    from reports.templatetags.scorecards import STATUS_LABELS, TREND_LABELS

    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    components = {key: str(label) for key, label in Component.choices}
    trends = {key: (symbol, str(label)) for key, (symbol, label) in TREND_LABELS.items()}
    for row in rows:
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["component_label"] = components.get(row["component"], row["component"])
        row["trend_symbol"], row["trend_label"] = trends.get(row["trend"], ("", ""))
        row["previous_status_label"] = statuses.get(row["previous_status"], "")


def _panorama_row(agency: Agency, summary: dict, day: date) -> dict:
    """One row of the panorama. `acronym` is today's (for links); `acronym_then` and `name`
    are the ones the agency had at the end of the cycle's period (uses prefetched former_names)."""
    overall = summary["overall"]
    then = agency.name_on(day)
    return {
        "acronym": agency.acronym,
        "acronym_then": then.acronym,
        "renamed": then.acronym != agency.acronym,
        "name": then.name,
        "order": agency.order,
        "order_label": agency.get_order_display(),
        "score": overall["score"],
        "coverage": overall["coverage"],
        "no_information": overall["no_information"],
        "no_information_share": overall["no_information_share"],
        "applicable": overall["applicable"],
        "total": overall["total"],
        "counts": overall["counts"],
        "components": {key: value["score"] for key, value in summary["components"].items()},
        "component_applicable": {key: value["applicable"] for key, value in summary["components"].items()},
        "trend": summary.get("trends", {}).get("overall"),
        "overdue": summary.get("overdue"),
    }


def _evidence(cycle, agency, user) -> tuple[dict[int, list[dict]], dict[int, int]]:
    """Evidence the user may see, grouped by assessment id (one query), and for users outside
    the confidential circle the number of confidential items they may not open (one more)."""
    visible = (
        Evidence.objects.visible_to(user)
        .filter(assessment__cycle=cycle, assessment__agency=agency)
        .order_by("assessment_id", "fact_date", "pk")
        .values_list("pk", "assessment_id", "kind", "title", "fact_date", "confidential", "url", "file")
    )
    grouped: dict[int, list[dict]] = defaultdict(list)
    for pk, assessment_id, kind, title, fact_date, confidential, url, file in visible:
        grouped[assessment_id].append(
            {
                "pk": pk,
                "title": title,
                "kind": kind,
                "fact_date": fact_date,
                "in_period": cycle.covers(fact_date),
                "confidential": confidential,
                "url": url,
                "has_file": bool(file),
            }
        )
    hidden: dict[int, int] = {}
    if not access.sees_confidential_of(user, agency.pk):
        rows = (
            Evidence.objects.filter(
                assessment__in=Assessment.objects.visible_to(user).filter(cycle=cycle, agency=agency),
                confidential=True,
            )
            .values_list("assessment_id", flat=True)
            .order_by()
        )
        for assessment_id in rows:
            hidden[assessment_id] = hidden.get(assessment_id, 0) + 1
    return dict(grouped), hidden


def _recommendations_by_agency(cycle, agency_ids) -> dict[int, list[dict]]:
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


def _present_recommendations(recommendations: list[dict]) -> list[dict]:
    """Plain recommendation dicts with labels in the active language."""
    english = (get_language() or "es").startswith("en")
    statuses = dict(FollowUpStatus.choices)
    return [
        {
            **rec,
            "issuer_key": rec["issuer"],
            "issuer": str(ISSUERS.get(rec["issuer"], rec["issuer"])),  # display label, as before
            "issuer_label": str(ISSUERS.get(rec["issuer"], rec["issuer"])),
            "text": (rec["text_en"] if english else "") or rec["text_es"],
            "status_label": str(statuses[rec["status"]]) if rec["recorded"] else None,
        }
        for rec in recommendations
    ]
