"""Scorecards as the pages, downloads and PDFs show them.

- `agency_scorecard(cycle, agency, user) -> AgencyScorecard`
- `national_panorama(cycle, user, agencies=None) -> NationalPanorama`

`user` is who looks (agencies.policy): a person on a page, or `policy.SYSTEM` for PDF jobs and
commands; the caller has already checked that the user may see the agency and the cycle. A
published cycle is read from its frozen snapshots (reports.snapshots); other cycles are computed
live (reports.computing) from the assessments the user may see, and so is a published cycle
while its freezing task runs (`freezing` says how far it got). Every function runs a number of
queries that does not depend on how many agencies, obligations or assessments there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from agencies import policy
from agencies.models import Agency, NameAt
from lib.i18n import localized
from obligations.choices import CycleState
from obligations.law_basis import basis_text
from obligations.models import Assessment, Evidence, Reply, ReviewCycle
from reports import computing, figures, labels, scoring, snapshots
from reports.models import CycleFreeze, ScorecardSnapshot


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
    replies: dict[int, Reply] = field(default_factory=dict)  # by assessment id, as the user may see them
    recommendations: list[dict] = field(default_factory=list)
    freezing: CycleFreeze | None = None  # a published cycle whose snapshots are not written yet

    _snapshot: ScorecardSnapshot | None = None

    @property
    def rows(self) -> list[dict]:
        """One dict per obligation. For a frozen scorecard the (large) rows are read from the
        snapshot only when something asks for them: a page served from cache never does."""
        if self._rows is None:
            self._rows = self._snapshot.rows if self._snapshot is not None else []
            snapshots.restore_bases(self.cycle, self._rows)
            localize_rows(self._rows)
        return self._rows

    @property
    def method(self) -> str:
        return self.summary["method"]

    @property
    def overall(self) -> dict:
        return self.summary["overall"]

    @property
    def is_preliminary(self) -> bool:
        """An open or closed cycle's scores may still change (and a published one's are computed
        live until its freezing task has written them)."""
        return self.cycle.state != CycleState.PUBLISHED or self.freezing is not None

    @property
    def components(self) -> list[dict]:
        """[{key, label, score, ..., trend, previous_score}] in the catalogue's order."""
        trends = self.summary.get("trends", {})
        previous = (self.summary.get("previous") or {}).get("components", {})
        return [
            {
                "key": key,
                "label": labels.COMPONENT_LABELS.get(key, key),
                "trend": trends.get(key),
                "previous_score": previous.get(key),
                **values,
            }
            for key, values in self.summary["components"].items()
        ]

    @property
    def agency_then(self) -> NameAt:
        """How the agency was named at the end of the cycle's period (PGR, not FGR, in 2017), with
        today's name beside it; frozen with a published scorecard, looked up otherwise."""
        then = self.summary.get("agency_then")
        if then is None:
            name = self.agency.name_at(self.cycle.period_end)
            self.summary["agency_then"] = name.as_dict()
            return name
        return NameAt.from_dict(
            {
                "today_acronym": self.agency.acronym,
                "today_name_es": self.agency.name_es,
                "today_name_en": self.agency.name_en,
                **then,
            }
        )

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
    agencies: list[dict]  # one row per agency: acronym, name, order, scores (see panorama_row)
    frozen: bool
    freezing: CycleFreeze | None = None  # a published cycle whose snapshots are not written yet

    @property
    def unmet(self) -> list[dict]:
        return self.summary.get("unmet", [])


# --------------------------------------------------------------------------- public API


def agency_scorecard(cycle: ReviewCycle, agency: Agency, user, *, with_evidence: bool = True) -> AgencyScorecard:
    """The scorecard of `agency` in `cycle`, as `user` may see it (published cycles: one
    snapshot fetch, freezing the cycle first if needed). `with_evidence`: load the evidence the
    user may open (pages; PDFs build their own evidence references)."""
    freezing = snapshots.pending_freeze(cycle) if cycle.state == CycleState.PUBLISHED else None
    if cycle.state == CycleState.PUBLISHED and freezing is None:
        snapshot = snapshots.agency_snapshot(cycle, agency)
        if snapshot is not None:
            card = AgencyScorecard(cycle, agency, snapshot.summary, None, frozen=True, snapshot_id=snapshot.pk)
            card._snapshot = snapshot
        else:  # no assessments for this agency in the cycle
            card = _compute_agency(cycle, agency, Assessment.objects.none(), None, None)
            card.frozen = True
    else:
        visible = Assessment.objects.visible_to(user)
        previous = previous_cycle(cycle, user)
        seen = visible.filter(cycle=cycle, agency=agency)
        card = _compute_agency(
            cycle,
            agency,
            seen,
            visible.filter(cycle=previous, agency=agency) if previous else None,
            previous,
            # A liaison sees validated ratings only: the others still count, as pending.
            pending=None
            if policy.sees_unpublished(user)
            else Assessment.objects.filter(cycle=cycle, agency=agency).exclude(pk__in=seen.values("pk")),
        )
        card.freezing = freezing
    if card._rows is not None:
        localize_rows(card._rows)
    if with_evidence:
        card.evidence, card.hidden_evidence = _evidence(cycle, agency, user)
    card.replies = _replies(cycle, agency, user)
    if "recommendations" in card.summary:  # frozen with the scorecard
        recommendations = card.summary["recommendations"]
    else:
        recommendations = computing.recommendations_by_agency(cycle, [agency.pk]).get(agency.pk, [])
    card.recommendations = present_recommendations(recommendations)
    if not all("first_asked" in rec for rec in card.recommendations):  # live, or frozen before the marks were
        figures.mark_asked_since(card.recommendations, cycle.period_end.year)
    return card


def national_panorama(
    cycle: ReviewCycle, user, agencies: QuerySet | Iterable[Agency] | None = None
) -> NationalPanorama:
    """Every agency's scores in `cycle` plus the national figures.

    `agencies` narrows the table (a filtered `Agency.objects.visible_to(user)` queryset); by
    default all agencies `user` may see. The national figures (overall, per component, the
    obligations no agency has met) are shown only to users who see every agency, and always cover
    the whole cycle."""
    if agencies is None:
        agencies = Agency.objects.visible_to(user)
    freezing = snapshots.pending_freeze(cycle) if cycle.state == CycleState.PUBLISHED else None
    if cycle.state == CycleState.PUBLISHED and freezing is None:
        frozen = (
            ScorecardSnapshot.objects.filter(cycle=cycle)
            .filter(Q(agency__isnull=True) | Q(agency__in=_as_queryset(agencies)))
            .select_related("agency")
            .prefetch_related("agency__former_names")
            .defer("rows")
        )
        national: dict = {}
        rows = []
        for snapshot in frozen:
            if snapshot.agency_id is None:
                national = snapshot.summary
            else:
                rows.append(panorama_row(snapshot.agency, snapshot.summary, cycle.period_end))
        is_frozen = True
    else:
        visible = Assessment.objects.visible_to(user)
        previous = previous_cycle(cycle, user)
        agency_list = list(_as_queryset(agencies).prefetch_related("former_names"))
        national, summaries = computing.compute_national(
            cycle,
            visible.filter(cycle=cycle),
            visible.filter(cycle=previous) if previous else None,
            previous,
        )
        rows = [
            panorama_row(agency, summaries[agency.pk], cycle.period_end)
            for agency in agency_list
            if agency.pk in summaries
        ]
        is_frozen = False
    rows.sort(key=lambda row: row["acronym_then"])
    if not policy.sees_all_agencies(user):
        national = {}
    localize_rows(national.get("unmet", []))
    return NationalPanorama(cycle=cycle, summary=national, agencies=rows, frozen=is_frozen, freezing=freezing)


def previous_cycle(cycle: ReviewCycle, user) -> ReviewCycle | None:
    """The cycle before this one (by period) among those the user may see, for trends."""
    cycles = ReviewCycle.objects.visible_to(user)
    return cycles.filter(period_end__lt=cycle.period_end).order_by("-period_end").first()


# --------------------------------------------------------------------------- presentation


def localize_rows(rows: list[dict]) -> None:
    """Add `title`, `deadline` and `basis_text` (the legal basis in the cycle's period) in the active
    language to plain rows."""
    memo: dict = {}  # each provision's text once for the page
    for row in rows:
        row["basis_text"] = basis_text(row.get("basis"), row.get("legal_basis", ""), memo)
        row["title"] = localized(row.get("title_es", ""), row.get("title_en", ""))
        row["deadline"] = localized(row.get("deadline_es", ""), row.get("deadline_en", ""))


def panorama_row(agency: Agency, summary: dict, day) -> dict:
    """One row of the panorama. `acronym` is today's (for links); `acronym_then` and `name` are
    the ones the agency had at the end of the cycle's period (uses prefetched former_names)."""
    overall = summary["overall"]
    then = agency.name_at(day)
    return {
        "acronym": agency.acronym,
        "acronym_then": then.acronym,
        "renamed": then.renamed,
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


def present_recommendations(recommendations: list[dict]) -> list[dict]:
    """Plain recommendation dicts with labels in the active language."""
    return [
        {
            **rec,
            "issuer_key": rec["issuer"],
            "issuer": str(labels.ISSUER_LABELS.get(rec["issuer"], rec["issuer"])),  # display label, as before
            "issuer_label": str(labels.ISSUER_LABELS.get(rec["issuer"], rec["issuer"])),
            "text": localized(rec["text_es"], rec["text_en"]),
            "status_label": str(labels.FOLLOW_UP_LABELS[rec["status"]]) if rec["recorded"] else None,
        }
        for rec in recommendations
    ]


# --------------------------------------------------------------------------- internals


def _as_queryset(agencies) -> QuerySet:
    if isinstance(agencies, QuerySet):
        return agencies
    return Agency.objects.filter(pk__in=[agency.pk for agency in agencies])


def _compute_agency(cycle, agency, assessments: QuerySet, previous_qs, previous, pending=None) -> AgencyScorecard:
    per_agency = computing.compute_rows_by_agency(cycle, assessments, previous_qs, previous, pending)
    if agency.pk in per_agency:
        summary, rows = per_agency[agency.pk]
    else:
        method = scoring.get_method(cycle.methodology_version)
        summary = computing.scorecard_summary(method, scoring.score([], method, computing.COMPONENTS), None, None)
        summary["overdue"] = 0
        rows = []
    return AgencyScorecard(cycle, agency, summary, rows, frozen=False)


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
    if not policy.sees_confidential_of(user, agency.pk):
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


def _replies(cycle, agency, user) -> dict[int, Reply]:
    """The right-of-reply of each rating the user may see (one query, documents prefetched)."""
    replies = (
        Reply.objects.visible_to(user)
        .filter(assessment__cycle=cycle, assessment__agency=agency)
        .prefetch_related("documents")
    )
    return {reply.assessment_id: reply for reply in replies}
