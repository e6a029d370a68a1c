"""Test data for the scorecard and panorama tests, built in code (no fixtures)."""

from datetime import date

from django.utils import timezone

from agencies.models import Agency
from obligations.models import (
    Assessment,
    LegalInstrument,
    Obligation,
    Provision,
    Recommendation,
    RecommendationFollowUp,
    ReviewCycle,
)

COMPONENTS = ["prevention", "assistance", "prosecution", "coordination"]


def law():
    return LegalInstrument.objects.get_or_create(
        code="LGPSEDMTP-T", defaults={"short_name": "LGPSEDMTP", "name_es": "Ley General", "kind": "law"}
    )[0]


def provision(article, fraction=""):
    return Provision.objects.get_or_create(instrument=law(), article=article, fraction=fraction)[0]


def obligation(code, component="prevention", title=None, provisions=(), **extra):
    ob = Obligation.objects.create(
        code=code, title_es=title or f"Obligación {code}", component=component, level=1, **extra
    )
    ob.provisions.set(provisions)
    return ob


def cycle(slug, start, end, state="published", **extra):
    published_at = timezone.now() if state == "published" else None
    return ReviewCycle.objects.create(
        slug=slug,
        name_es=slug.upper(),
        period_start=start,
        period_end=end,
        state=state,
        published_at=published_at,
        **extra,
    )


def rate(cycle_, agency, obligation_, status, rationale="", workflow_state="validated", source="CNDH 2019 ¶161"):
    return Assessment.objects.create(
        cycle=cycle_,
        agency=agency,
        obligation=obligation_,
        status=status,
        rationale=rationale,
        source_reference=source,
        workflow_state=workflow_state,
    )


def agency(acronym, order="federal", name=None):
    return Agency.objects.get_or_create(
        acronym=acronym, defaults={"name_es": name or f"Dependencia {acronym}", "order": order}
    )[0]


def two_cycles(sep, inm):
    """A 2019 baseline and a 2023 cycle, both published, for SEP and INM.

    2019 SEP: P1 not_complied, P2 partially, A1 no_information → score (0 + 0.5 + 0) / 3
    2023 SEP: P1 complied, P2 partially, A1 not_applicable, C1 no_information
              → applicable P1, P2, C1: (1 + 0.5 + 0) / 3 = 0.5; coverage 2/3
    2023 INM: P1 complied, X1 complied → 1.0
    """
    p1 = obligation(
        "SEP-PREV-01",
        "prevention",
        "Módulos de prevención en la educación básica",
        provisions=[provision("48", "I")],
        deadline_es="120 días hábiles",
        deadline_date=date(2014, 3, 1),
    )
    p2 = obligation("SEP-PREV-02", "prevention", "Coordinación con las entidades federativas")
    a1 = obligation("SEP-ASIS-01", "assistance", "Derecho a la educación de las víctimas en refugios")
    c1 = obligation("SEP-COORD-01", "coordination", "Informe a la Comisión Intersecretarial")
    x1 = obligation("INM-PROS-01", "prosecution", "Detección de víctimas en estaciones migratorias")
    old = cycle("cndh-2019", date(2012, 6, 15), date(2017, 7, 31))
    new = cycle("ciclo-2023", date(2017, 8, 1), date(2023, 12, 31))
    rate(old, sep, p1, "not_complied", "No se elaboraron los módulos.")
    rate(old, sep, p2, "partially_complied")
    rate(old, sep, a1, "no_information")
    rate(new, sep, p1, "complied", "Módulos incluidos en el plan de estudios.")
    rate(new, sep, p2, "partially_complied")
    rate(new, sep, a1, "not_applicable")
    rate(new, sep, c1, "no_information")
    rate(new, inm, p1, "complied")
    rate(new, inm, x1, "complied")
    rec = Recommendation.objects.create(code="CNDH2019-T.1", issuer="cndh_2019", text_es="Elaborar los módulos.")
    rec.addressees.set([sep])
    RecommendationFollowUp.objects.create(recommendation=rec, cycle=new, agency=sep, status="in_progress")
    return old, new


def bulk_cycle(slug, start, end, agencies, obligations, statuses, state="published"):
    """A cycle where every agency is rated on every obligation (statuses cycled)."""
    c = cycle(slug, start, end, state=state)
    Assessment.objects.bulk_create(
        [
            Assessment(
                cycle=c,
                agency=a,
                obligation=o,
                status=statuses[(i + j) % len(statuses)],
                workflow_state="validated",
            )
            for i, a in enumerate(agencies)
            for j, o in enumerate(obligations)
        ]
    )
    return c
