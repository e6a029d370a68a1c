"""The scoring method: pure functions over plain data (no ORM, no Django).

Inputs are `Rating` tuples (obligation code, component, status); outputs are numbers and
small frozen dataclasses. `reports.computing` turns database rows into `Rating`s, and
`reports.snapshots` stores what these functions return for published cycles.

Methods are versioned: a review cycle names the version it is scored with
(`ReviewCycle.methodology_version`) and `METHODS[version]` holds the weights. A published
cycle's scores are frozen in snapshots, so adding or changing a method later never changes
what was published. See docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Status identifiers (the fixed open-data set of obligations.choices.Status, repeated
# here as plain strings so this module stays free of Django).
COMPLIED = "complied"
PARTIALLY_COMPLIED = "partially_complied"
NOT_COMPLIED = "not_complied"
NO_INFORMATION = "no_information"
NOT_APPLICABLE = "not_applicable"
UNRATED = "unrated"  # an assessment without a status yet (draft); never scored

STATUSES = (COMPLIED, PARTIALLY_COMPLIED, NOT_COMPLIED, NO_INFORMATION, NOT_APPLICABLE)
COUNTED = STATUSES + (UNRATED,)

# Trend identifiers.
IMPROVED = "improved"
WORSENED = "worsened"
UNCHANGED = "unchanged"
NEW = "new"

DEFAULT_METHOD = "cndh-2019-v1"


def normalize(status: str | None) -> str:
    """A status identifier, or UNRATED for a draft without one (the one normalisation)."""
    return status if status in STATUSES else UNRATED


@dataclass(frozen=True)
class Method:
    """A scoring method: the value of each status, or None for statuses that are excluded."""

    version: str
    weights: Mapping[str, float | None]
    # Statuses that count as "information received" for coverage.
    informative: frozenset[str]
    description: str = ""

    def value(self, status: str) -> float | None:
        """The value of a status; None when it is excluded from the score."""
        return self.weights.get(status)

    def is_applicable(self, status: str) -> bool:
        return self.value(status) is not None


METHODS: dict[str, Method] = {
    "cndh-2019-v1": Method(
        version="cndh-2019-v1",
        weights={
            COMPLIED: 1.0,
            PARTIALLY_COMPLIED: 0.5,
            NOT_COMPLIED: 0.0,
            NO_INFORMATION: 0.0,
            NOT_APPLICABLE: None,
            UNRATED: None,
        },
        informative=frozenset({COMPLIED, PARTIALLY_COMPLIED, NOT_COMPLIED}),
        description="complied 1, partially complied 0.5, not complied 0, no information 0 "
        "(counted apart), not applicable excluded",
    ),
}


def get_method(version: str | None) -> Method:
    """The method of a version; unknown versions are an error (never silently re-scored)."""
    try:
        return METHODS[version or DEFAULT_METHOD]
    except KeyError:
        raise KeyError(f"Unknown scoring method {version!r}; known: {', '.join(sorted(METHODS))}") from None


@dataclass(frozen=True)
class Rating:
    """One obligation's status for one agency in one cycle (plain data)."""

    obligation: str
    component: str
    status: str  # one of STATUSES, or "" / UNRATED when not rated yet

    @property
    def normalized_status(self) -> str:
        return normalize(self.status)


@dataclass(frozen=True)
class Summary:
    """Scores of a set of ratings (an agency, a component, the whole country)."""

    score: float | None  # mean value over applicable ratings; None when there are none
    total: int  # all ratings, including not applicable and unrated
    applicable: int  # ratings that enter the score
    with_information: int  # applicable ratings with an informative status
    counts: Mapping[str, int] = field(default_factory=dict)  # per status (COUNTED)

    @property
    def pending(self) -> int:
        """Obligations not rated yet (drafts without a status): pending, not left out."""
        return self.counts.get(UNRATED, 0)

    @property
    def coverage_base(self) -> int:
        """The obligations coverage is measured over: the applicable ones plus the pending ones
        (an unrated obligation is applicable until a rating says otherwise)."""
        return self.applicable + self.pending

    @property
    def coverage(self) -> float | None:
        """Share of the applicable obligations (pending included) on which the agency gave
        information: 1 informed rating and 4 pending ones is 20 %, never "1 of 1"."""
        return self.with_information / self.coverage_base if self.coverage_base else None

    @property
    def no_information(self) -> int:
        return self.counts.get(NO_INFORMATION, 0)

    @property
    def no_information_share(self) -> float | None:
        return self.no_information / self.applicable if self.applicable else None

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "total": self.total,
            "applicable": self.applicable,
            "with_information": self.with_information,
            "coverage": self.coverage,
            "pending": self.pending,
            "coverage_base": self.coverage_base,
            "no_information": self.no_information,
            "no_information_share": self.no_information_share,
            "counts": dict(self.counts),
        }


def summarize(statuses: Iterable[str], method: Method) -> Summary:
    """Score, coverage and counts of a collection of statuses."""
    counts: dict[str, int] = {}
    for raw in statuses:
        status = normalize(raw)
        counts[status] = counts.get(status, 0) + 1
    return summarize_counts(counts, method)


def summarize_counts(counts: Mapping[str | None, int], method: Method) -> Summary:
    """`summarize` of statuses already counted ({status: n}, e.g. from a GROUP BY)."""
    normalized = dict.fromkeys(COUNTED, 0)
    for raw, n in counts.items():
        normalized[normalize(raw)] += n
    total = applicable = informed = 0
    points = 0.0
    for status, n in normalized.items():
        total += n
        value = method.value(status)
        if value is None or not n:
            continue
        applicable += n
        points += value * n
        if status in method.informative:
            informed += n
    score = points / applicable if applicable else None
    return Summary(score=score, total=total, applicable=applicable, with_information=informed, counts=normalized)


@dataclass(frozen=True)
class Scorecard:
    """An agency's (or the country's) scores for one cycle."""

    method: str
    overall: Summary
    components: Mapping[str, Summary]

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "overall": self.overall.as_dict(),
            "components": {key: summary.as_dict() for key, summary in self.components.items()},
        }


def score(ratings: Iterable[Rating], method: Method, components: Iterable[str] = ()) -> Scorecard:
    """Overall and per-component scores. `components` lists components to report even when
    they have no rating (so every scorecard shows the same bars, empty ones marked)."""
    ratings = list(ratings)
    by_component: dict[str, list[str]] = {key: [] for key in components}
    for rating in ratings:
        by_component.setdefault(rating.component, []).append(rating.status)
    return Scorecard(
        method=method.version,
        overall=summarize((r.status for r in ratings), method),
        components={key: summarize(statuses, method) for key, statuses in by_component.items()},
    )


def score_counts(
    counts: Mapping[str, Mapping[str | None, int]], method: Method, components: Iterable[str] = ()
) -> Scorecard:
    """`score` of ratings already counted per component and status ({component: {status: n}})."""
    by_component: dict[str, dict] = {key: {} for key in components}
    overall: dict[str | None, int] = {}
    for component, statuses in counts.items():
        target = by_component.setdefault(component, {})
        for status, n in statuses.items():
            target[status] = target.get(status, 0) + n
            overall[status] = overall.get(status, 0) + n
    return Scorecard(
        method=method.version,
        overall=summarize_counts(overall, method),
        components={key: summarize_counts(statuses, method) for key, statuses in by_component.items()},
    )


def trend(current: float | None, previous: float | None, *, had_previous: bool = True) -> str | None:
    """Change of a value against the previous cycle.

    - NEW: there was nothing to compare with (no previous rating, or it was not scored);
    - None: nothing to say (the current value is not scored);
    - otherwise IMPROVED / WORSENED / UNCHANGED (values compared to 1e-9).
    """
    if current is None:
        return None
    if not had_previous or previous is None:
        return NEW
    if current > previous + 1e-9:
        return IMPROVED
    if current < previous - 1e-9:
        return WORSENED
    return UNCHANGED


def obligation_trends(
    current: Mapping[str, str], previous: Mapping[str, str] | None, method: Method
) -> dict[str, str | None]:
    """Trend per obligation code from {code: status} of this and the previous cycle.
    With no previous cycle at all, every scored obligation is NEW."""
    previous = previous or {}
    return {
        code: trend(
            method.value(normalize(status)), method.value(normalize(previous[code])) if code in previous else None
        )
        for code, status in current.items()
    }


def component_trends(current: Scorecard, previous: Scorecard | None) -> dict[str, str | None]:
    """Trend per component (and "overall") of two scorecards."""
    result = {}
    for key, summary in current.components.items():
        before = previous.components.get(key) if previous else None
        result[key] = trend(summary.score, before.score if before else None)
    result["overall"] = trend(current.overall.score, previous.overall.score if previous else None)
    return result
