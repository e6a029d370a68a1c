"""What the public "La Ley" pages show (obligations/law_views.py): the law article by article, what
it requires of each agency, and each reform decree. Plain data from a constant number of queries.

Ratings shown here are the latest of a PUBLISHED cycle as the anonymous public may see them
(agencies.policy scoping through `Assessment.objects.visible_to`), whoever is logged in, so a page
cached for the public never carries an auditor's view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q

from agencies.models import Agency, CommissionMembership
from lib.i18n import localized
from obligations.choices import BearerKind, InstrumentKind
from obligations.law_basis import article_anchor
from obligations.models import (
    Assessment,
    Duty,
    DutyAssignment,
    LegalInstrument,
    Obligation,
    Provision,
    ProvisionVersion,
)

PUBLIC = AnonymousUser()


# --------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class PublishedRating:
    obligation_code: str
    agency_id: int
    status: str
    cycle_slug: str
    cycle_name: str
    period_end: date


def latest_published_ratings(obligation_ids=None, agency_ids=None) -> dict[tuple[int, int], PublishedRating]:
    """{(obligation_id, agency_id): the rating of the latest published cycle (by period)} as the
    public sees them. One query."""
    queryset = Assessment.objects.visible_to(PUBLIC).published()
    if obligation_ids is not None:
        queryset = queryset.filter(obligation_id__in=obligation_ids)
    if agency_ids is not None:
        queryset = queryset.filter(agency_id__in=agency_ids)
    latest: dict[tuple[int, int], PublishedRating] = {}
    rows = queryset.order_by("cycle__period_end", "cycle__slug").values_list(
        "obligation_id",
        "obligation__code",
        "agency_id",
        "status",
        "cycle__slug",
        "cycle__name_es",
        "cycle__name_en",
        "cycle__period_end",
    )
    for obligation_id, code, agency_id, status, slug, name_es, name_en, period_end in rows:
        latest[(obligation_id, agency_id)] = PublishedRating(
            code, agency_id, status, slug, localized(name_es, name_en or ""), period_end
        )
    return latest


def _ratings_for(duty, agency_id, ratings) -> list[PublishedRating]:
    return [ratings[(o.pk, agency_id)] for o in duty.obligations.all() if (o.pk, agency_id) in ratings]


# --------------------------------------------------------------------------- the law by article


def _duty_prefetches(prefix: str = "") -> list:
    return [
        Prefetch(
            f"{prefix}assignments",
            queryset=DutyAssignment.objects.select_related("bearer__agency").order_by("-role", "pk"),
        ),
        Prefetch(f"{prefix}obligations", queryset=Obligation.objects.order_by("code")),
        Prefetch(f"{prefix}provisions", queryset=Provision.objects.select_related("instrument")),
        Prefetch(f"{prefix}reforms", queryset=LegalInstrument.objects.order_by("published_on")),
    ]


@dataclass
class BearerLine:
    assignment: DutyAssignment
    ratings: list[PublishedRating]

    @property
    def bearer(self):
        return self.assignment.bearer


@dataclass
class DutyLine:
    duty: Duty
    bearers: list[BearerLine]

    @property
    def rated(self) -> bool:
        return any(line.ratings for line in self.bearers)


@dataclass
class ProvisionLine:
    provision: Provision
    version: ProvisionVersion | None
    duties: list[DutyLine] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)


@dataclass
class Article:
    instrument: LegalInstrument
    article: str
    transitory: bool
    provisions: list[ProvisionLine]

    @property
    def anchor(self) -> str:
        return article_anchor(self.instrument.code, self.article, self.transitory)


@dataclass
class LawPage:
    articles: list[Article]
    unlocated: list[DutyLine]  # duties whose article is not known (the Regulation's, ⚠)


def law_by_article(day: date) -> LawPage:
    """Every provision that assigns a duty or grounds an obligation, grouped by article, with the
    version in force on `day`, its duties (each listed under its first provision) with their
    bearers and each bearer's latest published rating, and the obligations it grounds; then the
    duties no provision holds (article not identified)."""
    provisions = list(
        Provision.objects.filter(Q(duties__isnull=False) | Q(obligations__isnull=False))
        .distinct()
        .select_related("instrument")
        .prefetch_related(
            Prefetch("versions", queryset=ProvisionVersion.objects.select_related("amended_by")),
            Prefetch("versions__replaced_by", queryset=Provision.objects.select_related("instrument")),
            Prefetch("obligations", queryset=Obligation.objects.order_by("code")),
        )
        .order_by("instrument__published_on", "instrument__code", "transitory", "sort_key")
    )
    duties = list(Duty.objects.prefetch_related(*_duty_prefetches()))
    ratings = latest_published_ratings([o.pk for d in duties for o in d.obligations.all()])
    lines = {p.pk: ProvisionLine(p, p.version_on(day), obligations=list(p.obligations.all())) for p in provisions}
    unlocated = []
    for duty in duties:
        first = min(duty.provisions.all(), key=lambda p: (p.transitory, p.sort_key), default=None)
        bearers = [
            BearerLine(a, _ratings_for(duty, a.bearer.agency_id, ratings) if a.bearer.agency_id else [])
            for a in duty.assignments.all()
        ]
        (lines[first.pk].duties if first is not None else unlocated).append(DutyLine(duty, bearers))
    articles: list[Article] = []
    for provision in provisions:
        last = articles[-1] if articles else None
        key = (provision.instrument_id, provision.article, provision.transitory)
        if last is None or (last.instrument.pk, last.article, last.transitory) != key:
            last = Article(provision.instrument, provision.article, provision.transitory, [])
            articles.append(last)
        last.provisions.append(lines[provision.pk])
    return LawPage(articles, unlocated)


def commission_on(day: date) -> list[CommissionMembership]:
    """Who sat on the Inter-Secretariat Commission on `day` (art. 85), as the Law names them."""
    return list(
        CommissionMembership.objects.in_force_on(day).select_related("agency").order_by("role", "agency__acronym")
    )


def reforms() -> list[LegalInstrument]:
    return list(LegalInstrument.objects.filter(kind=InstrumentKind.REFORM, published_on__isnull=False))


# --------------------------------------------------------------------------- one agency


@dataclass
class AgencyDuty:
    duty: Duty
    role: str
    ratings: list[PublishedRating]

    @property
    def gap(self) -> bool:
        """No published cycle has rated this duty for the agency yet."""
        return not self.ratings


@dataclass
class AgencyLaw:
    agency: Agency
    duties: list[AgencyDuty]
    memberships: list[CommissionMembership]
    member_on_day: bool

    @property
    def gaps(self) -> list[AgencyDuty]:
        return [d for d in self.duties if d.gap]


def agency_law(agency: Agency, day: date) -> AgencyLaw:
    """What the Law requires of `agency` under any of its names (inferred assignments excluded),
    each duty with the agency's latest published rating on the obligations that rate it, and its
    seats on the Commission over time."""
    assignments = list(
        DutyAssignment.objects.filter(bearer__agency=agency, inferred=False)
        .select_related("duty")
        .prefetch_related(*_duty_prefetches("duty__"))
        .order_by("duty__code")
    )
    ratings = latest_published_ratings(
        [o.pk for a in assignments for o in a.duty.obligations.all()], agency_ids=[agency.pk]
    )
    seen: dict[int, AgencyDuty] = {}
    for assignment in assignments:
        if assignment.duty_id not in seen:
            seen[assignment.duty_id] = AgencyDuty(
                assignment.duty, assignment.get_role_display(), _ratings_for(assignment.duty, agency.pk, ratings)
            )
    duties = sorted(seen.values(), key=lambda d: _citation_key(d.duty))
    memberships = list(agency.commission_memberships.order_by("valid_from"))
    return AgencyLaw(
        agency,
        duties,
        memberships,
        any(m.valid_from <= day and (m.valid_until is None or day <= m.valid_until) for m in memberships),
    )


def _citation_key(duty) -> tuple:
    provisions = sorted(
        duty.provisions.all(), key=lambda p: (p.instrument.kind != InstrumentKind.LAW, p.transitory, p.sort_key)
    )
    if not provisions:
        return (True, True, "", duty.code)
    first = provisions[0]
    return (first.instrument.kind != InstrumentKind.LAW, first.transitory, first.sort_key, duty.code)


def agencies_with_duties() -> list[Agency]:
    return list(
        Agency.objects.filter(duty_bearers__assignments__inferred=False)
        .exclude(duty_bearers__kind__in=[BearerKind.CLASS, BearerKind.BODY])
        .distinct()
        .order_by("acronym")
    )


# --------------------------------------------------------------------------- one reform


@dataclass
class ReformPage:
    decree: LegalInstrument
    versions: list[ProvisionVersion]
    obligations: list[Obligation]
    agencies: list[Agency]
    duties: list[Duty]


def reform_page(decree: LegalInstrument) -> ReformPage:
    """The provisions a reform decree changed (the versions it produced, repeals included, with what
    replaced a repealed one), the obligations grounded on them and the agencies affected: responsible
    for those obligations or bearers of the duties those provisions assign."""
    versions = list(
        ProvisionVersion.objects.filter(amended_by=decree)
        .select_related("provision__instrument")
        .prefetch_related(Prefetch("replaced_by", queryset=Provision.objects.select_related("instrument")))
        .order_by("provision__transitory", "provision__sort_key")
    )
    provision_ids = [v.provision_id for v in versions]
    obligations = list(Obligation.objects.filter(provisions__in=provision_ids).distinct().order_by("code"))
    duties = list(Duty.objects.filter(Q(provisions__in=provision_ids) | Q(reforms=decree)).distinct().order_by("code"))
    agencies = list(
        Agency.objects.filter(
            Q(responsibilities__obligation__in=[o.pk for o in obligations])
            | Q(duty_bearers__assignments__duty__in=[d.pk for d in duties], duty_bearers__assignments__inferred=False)
        )
        .distinct()
        .order_by("acronym")
    )
    return ReformPage(decree, versions, obligations, agencies, duties)
