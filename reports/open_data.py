"""The open-data format: datasets, their columns and rows, and the data dictionary.

Used by the public portal's downloads, the scorecard and panorama downloads, the public API and
`manage.py export_assessments`. Callers pass an access-scoped queryset (`visible_to(user)`); this
module never widens or narrows access, it only shapes rows.

Assessments (one row per assessment; stable columns, part of the published format):

- ``cycle``: the review cycle's slug (``cndh-2019``)
- ``agency``: the acronym the agency had at the end of the cycle's period (PGR, not FGR, in
  ``cndh-2019``) and ``agency_today``: its acronym today (agencies.models.NameAt)
- ``obligation_code``, ``obligation_title_en``, ``obligation_title_es``
- ``component``: identifier (``prevention``, ``assistance``, ``prosecution``, ``coordination``)
- ``level``: CNDH level 1, 2 or 3
- ``legal_basis``: like ``LGPSEDMTP art. 89 fr. XV; Reglamento art. 83``, empty when unknown
- ``basis_confidence``: ``high``, ``medium``, ``low``, ``none`` (a CNDH criterion without statutory
  basis) or empty (not reviewed)
- ``basis_versions``: the version of each provision in force at the end of the cycle's period, as
  ``LGPSEDMTP art. 89 fr. VI @ 2012-06-15`` (its first day; ``repealed`` after a repeal)
- ``status``: identifier (``complied``, ``partially_complied``, ``not_complied``,
  ``no_information``, ``not_applicable``)
- ``source``: the assessment's source reference (``CNDH 2019 ¶161``)
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.db.models import Min, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyName
from obligations.choices import CycleState
from obligations.figure_choices import BREAKDOWN_DIMENSIONS
from obligations.law_basis import bases_for_period, versions_column
from obligations.models import Assessment, IndicatorValue, Obligation, Provision, RecurringAskLink, State, StateFact

PUBLIC = AnonymousUser()  # the public portal and the API read as an anonymous visitor, whoever is logged in

ASSESSMENT_COLUMNS = [
    "cycle",
    "agency",
    "agency_today",
    "obligation_code",
    "obligation_title_en",
    "obligation_title_es",
    "component",
    "level",
    "legal_basis",
    "basis_confidence",
    "basis_versions",
    "status",
    "source",
]
AGENCY_COLUMNS = [
    "acronym",
    "name_es",
    "name_en",
    "order",
    "kind",
    "parent",
    "commission_member",
    "active",
    "former_acronyms",
]
OBLIGATION_COLUMNS = [
    "code",
    "title_es",
    "title_en",
    "component",
    "level",
    "legal_basis",
    "basis_confidence",
    "responsible_agencies",
    "deadline_es",
    "deadline_date",
    "in_force_from",
    "in_force_until",
    "source",
]
INDICATOR_VALUE_COLUMNS = [
    "indicator",
    "indicator_statement_es",
    "indicator_statement_en",
    "status",
    "value",
    "unit",
    "percent_base",
    "year",
    "period_start",
    "period_end",
    *BREAKDOWN_DIMENSIONS,
    "source",
    "quote",
    "stated_as",
]
STATE_COLUMNS = ["code", "name", "short_name", "abbreviation", "tile_row", "tile_column", "prosecutor"]
STATE_FACT_COLUMNS = ["code", "state", "topic", "text_es", "text_en", "source", "quote"]
RECOMMENDATION_LINK_COLUMNS = [
    "ask",
    "ask_title_es",
    "ask_title_en",
    "recommendation",
    "issuer",
    "year",
    "paragraph",
    "first_asked",
    "reason_es",
    "reason_en",
]

DICTIONARY = {
    "assessments": {
        "title": _("Evaluaciones"),
        "description": _("Una fila por dependencia y obligación en cada ciclo publicado."),
        "columns": {
            "cycle": _("Clave del ciclo de revisión (p. ej. cndh-2019)."),
            "agency": _("Siglas de la dependencia al cierre del periodo del ciclo (p. ej. PGR, hoy FGR)."),
            "agency_today": _(
                "Siglas vigentes de la misma dependencia (p. ej. FGR): une las filas de ciclos distintos."
            ),
            "obligation_code": _("Clave estable de la obligación."),
            "obligation_title_en": _("Título de la obligación en inglés."),
            "obligation_title_es": _("Título de la obligación en español."),
            "component": _("Componente: prevention, assistance, prosecution o coordination."),
            "level": _("Nivel CNDH: 1 referencia directa, 2 Comisión Intersecretarial, 3 todas las autoridades."),
            "legal_basis": _("Fundamento legal, p. ej. «LGPSEDMTP art. 89 fr. XV»; vacío si no se ha precisado."),
            "basis_confidence": _(
                "Confianza del fundamento: high, medium, low, none (criterio de la CNDH sin fundamento legal "
                "expreso) o vacío (no revisado)."
            ),
            "basis_versions": _(
                "Versión de cada disposición vigente al cierre del periodo del ciclo, p. ej. «LGPSEDMTP art. 89 "
                "fr. VI @ 2012-06-15» (fecha en que entró en vigor esa versión; «repealed» si estaba derogada)."
            ),
            "status": _(
                "Estatus: complied, partially_complied, not_complied, no_information (respuesta evasiva o "
                "ausente) o not_applicable."
            ),
            "source": _("Referencia de la fuente de la calificación (p. ej. «CNDH 2019 ¶161»)."),
        },
    },
    "obligations": {
        "title": _("Obligaciones"),
        "description": _("El catálogo de obligaciones de la Ley General y su Reglamento."),
        "columns": {
            "code": _("Clave estable de la obligación."),
            "title_es": _("Título en español."),
            "title_en": _("Título en inglés."),
            "component": _("Componente: prevention, assistance, prosecution o coordination."),
            "level": _("Nivel CNDH (1, 2 o 3)."),
            "legal_basis": _("Artículos, fracciones y párrafos que la fundamentan."),
            "basis_confidence": _(
                "Confianza del fundamento: high, medium, low, none (criterio de la CNDH sin fundamento legal "
                "expreso) o vacío (no revisado)."
            ),
            "responsible_agencies": _("Siglas de las dependencias responsables, separadas por «;»."),
            "deadline_es": _("Plazo legal, en texto (p. ej. «120 días hábiles después del Reglamento»)."),
            "deadline_date": _("Fecha límite legal (AAAA-MM-DD), si la ley la fija."),
            "in_force_from": _("Vigente desde (AAAA-MM-DD)."),
            "in_force_until": _("Vigente hasta (AAAA-MM-DD)."),
            "source": _("Fuente (p. ej. «CNDH 2019 ¶161»)."),
        },
    },
    "agencies": {
        "title": _("Dependencias"),
        "description": _("Las autoridades con obligaciones en la Ley General."),
        "columns": {
            "acronym": _("Siglas vigentes."),
            "name_es": _("Nombre en español."),
            "name_en": _("Nombre en inglés."),
            "order": _("Orden de gobierno: federal, state o autonomous."),
            "kind": _("Tipo de institución (ministry, decentralized, deconcentrated, prosecutor, unit, ...)."),
            "parent": _("Siglas de la dependencia superior (p. ej. SEGOB para el INM)."),
            "commission_member": _("true si integra la Comisión Intersecretarial."),
            "active": _("true si la dependencia sigue vigente."),
            "former_acronyms": _(
                "Siglas anteriores, separadas por «;» (p. ej. PGR para la FGR): unen esta fila con la columna "
                "agency de las evaluaciones de ciclos anteriores. La API da además sus nombres y fechas."
            ),
        },
    },
    "indicator_values": {
        "title": _("Cifras de las fuentes"),
        "description": _(
            "Una fila por cifra de un indicador, con su desagregación, su fuente y la cita en que descansa. "
            "Una cifra no reportada tiene el valor vacío, nunca 0."
        ),
        "columns": {
            "indicator": _("Clave del indicador."),
            "indicator_statement_es": _("Enunciado del indicador en español."),
            "indicator_statement_en": _("Enunciado del indicador en inglés."),
            "status": _("reported, not_reported (no reportado) o not_analysable (reportado, no analizable)."),
            "value": _("La cifra; vacía si no se reportó o no pudo analizarse."),
            "unit": _("Unidad: count, percent, mxn, mxn_millions, usd o usd_millions."),
            "percent_base": _("Para un porcentaje: de qué total es parte."),
            "year": _("Año de la cifra; vacío si la fuente da un periodo."),
            "period_start": _("Inicio del periodo (AAAA-MM-DD), si no es un año."),
            "period_end": _("Fin del periodo (AAAA-MM-DD), si no es un año."),
            "sex": _("Desagregación por sexo (female, male, unknown); vacío: total."),
            "age_group": _("Desagregación por edad (adult, minor, unknown); vacío: total."),
            "nationality": _("Desagregación por nacionalidad (mexican, foreign, unknown); vacío: total."),
            "country": _("País de nacionalidad (ISO 3166-1 alfa-2); vacío: total."),
            "exploitation": _("Forma de explotación; vacío: total."),
            "order": _("Orden de gobierno (federal, state); vacío: total."),
            "state": _("Clave INEGI de la entidad federativa; vacío: nacional."),
            "agency": _("Siglas de la dependencia que da la cifra; vacío: todo el gobierno."),
            "disaggregation": _("Desagregación en palabras de la fuente, cuando las dimensiones no bastan."),
            "source": _("Fuente (p. ej. «CNDH 2019 ¶38», «TIP 2025, Prosecution»)."),
            "quote": _("La oración de la fuente, tal cual."),
            "stated_as": _("Las palabras de la cita que dan la cifra."),
        },
    },
    "states": {
        "title": _("Entidades federativas"),
        "description": _("Las 32 entidades, su casilla en el mapa de mosaico y su fiscalía o procuraduría."),
        "columns": {
            "code": _("Clave INEGI («01» a «32»)."),
            "name": _("Nombre oficial."),
            "short_name": _("Nombre corto."),
            "abbreviation": _("Abreviatura."),
            "tile_row": _("Fila en el mapa de mosaico (desde 0)."),
            "tile_column": _("Columna en el mapa de mosaico (desde 0)."),
            "prosecutor": _("Siglas de su fiscalía o procuraduría en el catálogo de dependencias."),
        },
    },
    "state_facts": {
        "title": _("Hechos sobre las entidades"),
        "description": _(
            "Lo que dice una fuente de una entidad; sin entidad, lo que dice de las entidades sin nombrarlas."
        ),
        "columns": {
            "code": _("Clave estable del hecho."),
            "state": _("Clave INEGI de la entidad; vacía si la fuente no la nombra."),
            "topic": _("Tema (cndh_request, legislation, specialised_unit, victims, sentences, ...)."),
            "text_es": _("El hecho en español."),
            "text_en": _("El hecho en inglés."),
            "source": _("Fuente (p. ej. «CNDH 2019 ¶41»)."),
            "quote": _("La oración de la fuente, tal cual."),
        },
    },
    "recommendation_links": {
        "title": _("Recomendaciones reiteradas"),
        "description": _("Una fila por recomendación que pide lo mismo que otras (una petición reiterada)."),
        "columns": {
            "ask": _("Clave de la petición reiterada."),
            "ask_title_es": _("Título de la petición en español."),
            "ask_title_en": _("Título de la petición en inglés."),
            "recommendation": _("Clave de la recomendación."),
            "issuer": _("Mecanismo que la emite (cndh_2019, tip_2005, tip_2012, tip_2025, other)."),
            "year": _("Año del documento que la emite."),
            "paragraph": _("Párrafo o sección de la fuente."),
            "first_asked": _("Primer año en que se pidió lo mismo (la más antigua de la petición)."),
            "reason_es": _("Por qué pide lo mismo, en español."),
            "reason_en": _("Por qué pide lo mismo, en inglés."),
        },
    },
}


# --- assessments ----------------------------------------------------------------------------


def with_export_relations(queryset: QuerySet) -> QuerySet:
    """The queryset with what a row needs loaded up front (one query for assessments + cycles +
    agencies + obligations, one for former agency names); the legal basis comes from
    `rows_of`, once per cycle and obligation."""
    queryset = queryset.select_related("cycle", "agency", "obligation").prefetch_related(
        Prefetch("agency__former_names", queryset=AgencyName.objects.order_by("valid_until"))
    )
    if not queryset.query.order_by:
        queryset = queryset.order_by("cycle__period_end", "cycle__slug", "agency__acronym", "obligation__code")
    return queryset


def bases_of(assessments: list) -> dict[tuple[int, int], tuple[str, dict]]:
    """{(cycle_id, obligation_id): (citation, basis in the cycle's period)} for loaded assessments:
    one `bases_for_period` per cycle among them (obligations.law_basis)."""
    by_cycle: dict[int, tuple] = {}
    confidences = {}
    for assessment in assessments:
        by_cycle.setdefault(assessment.cycle_id, (assessment.cycle, set()))[1].add(assessment.obligation_id)
        confidences[assessment.obligation_id] = assessment.obligation.basis_confidence
    result = {}
    for cycle_id, (cycle, ids) in by_cycle.items():
        for obligation_id, pair in bases_for_period(ids, cycle.period_start, cycle.period_end, confidences).items():
            result[(cycle_id, obligation_id)] = pair
    return result


def rows_of(assessments: list, to_row=None) -> list[dict]:
    """`to_row(assessment, citation, basis)` (default `assessment_row`) for loaded assessments
    (`with_export_relations`), with their legal basis worked out once per cycle and obligation."""
    to_row = to_row or assessment_row
    bases = bases_of(assessments)
    return [to_row(a, *bases[(a.cycle_id, a.obligation_id)]) for a in assessments]


def assessment_row(assessment, citation: str, basis: dict) -> dict:
    """One open-data row for an assessment whose relations are loaded (`with_export_relations`),
    with its obligation's legal basis in the cycle's period (`bases_of`)."""
    cycle = assessment.cycle
    obligation = assessment.obligation
    name = assessment.agency.name_at(cycle.period_end)
    return {
        "cycle": cycle.slug,
        "agency": name.acronym,
        "agency_today": name.today_acronym,
        "obligation_code": obligation.code,
        "obligation_title_en": obligation.title_en,
        "obligation_title_es": obligation.title_es,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": citation,
        "basis_confidence": obligation.basis_confidence,
        "basis_versions": versions_column(basis),
        "status": assessment.status,
        "source": assessment.source_reference,
    }


def assessment_rows(queryset: QuerySet) -> list[dict]:
    """One open-data row per assessment of an (access-scoped) queryset."""
    return rows_of(list(with_export_relations(queryset)))


def public_assessments() -> QuerySet:
    """Ratings of published cycles, as the anonymous public sees them (agencies.policy)."""
    return Assessment.objects.visible_to(PUBLIC).filter(cycle__state=CycleState.PUBLISHED)


# --- agencies and obligations ---------------------------------------------------------------


def agency_row(agency: Agency) -> dict:
    return {
        "acronym": agency.acronym,
        "name_es": agency.name_es,
        "name_en": agency.name_en,
        "order": agency.order,
        "kind": agency.kind,
        "parent": agency.parent.acronym if agency.parent_id else "",
        "commission_member": agency.commission_member,
        "active": agency.active,
        "former_acronyms": "; ".join(former.acronym for former in agency.former_names.all()),  # prefetched
    }


def former_names(agency: Agency) -> list[dict]:
    """The agency's former names with their dates (prefetched, oldest first): how rating rows
    that carry a former acronym (``agency: "PGR"``) join the agency (FGR)."""
    return [
        {
            "acronym": former.acronym,
            "name_es": former.name_es,
            "name_en": former.name_en,
            "valid_from": former.valid_from,
            "valid_until": former.valid_until,
        }
        for former in agency.former_names.all()
    ]


def public_agencies() -> QuerySet:
    """Every agency: the catalogue of authorities is public (the policy's agency scope gives the
    anonymous nothing because it serves private pages; the portal shows published data of all)."""
    return (
        Agency.objects.with_commission_member()
        .select_related("parent")
        .prefetch_related(Prefetch("former_names", queryset=AgencyName.objects.order_by("valid_until")))
        .order_by("acronym")
    )


def obligation_row(obligation: Obligation) -> dict:
    return {
        "code": obligation.code,
        "title_es": obligation.title_es,
        "title_en": obligation.title_en,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": obligation.legal_basis,
        "basis_confidence": obligation.basis_confidence,
        "responsible_agencies": "; ".join(
            sorted(r.agency.acronym for r in obligation.responsibilities.all())  # prefetched
        ),
        "deadline_es": obligation.deadline_es,
        "deadline_date": obligation.deadline_date.isoformat() if obligation.deadline_date else "",
        "in_force_from": obligation.in_force_from.isoformat() if obligation.in_force_from else "",
        "in_force_until": obligation.in_force_until.isoformat() if obligation.in_force_until else "",
        "source": obligation.source,
    }


def public_obligations() -> QuerySet:
    return Obligation.objects.prefetch_related(
        Prefetch("provisions", queryset=Provision.objects.select_related("instrument")),
        "responsibilities__agency",
    ).order_by("code")


# --- figures, states and recurring asks (reference data from the sources: public) ------------


def _day(value) -> str:
    return value.isoformat() if value else ""


def public_indicator_values() -> QuerySet:
    return IndicatorValue.objects.select_related("indicator", "state", "agency").order_by(
        "indicator__code", "year", "period_start", "pk"
    )


def indicator_value_row(value: IndicatorValue) -> dict:
    return {
        "indicator": value.indicator.code,
        "indicator_statement_es": value.indicator.statement_es,
        "indicator_statement_en": value.indicator.statement_en,
        "status": value.status,
        "value": None if value.value is None else format(value.value.normalize(), "f"),
        "unit": value.unit,
        "percent_base": value.percent_base,
        "year": value.year,
        "period_start": _day(value.period_start),
        "period_end": _day(value.period_end),
        "sex": value.sex,
        "age_group": value.age_group,
        "nationality": value.nationality,
        "country": value.country,
        "exploitation": value.exploitation,
        "order": value.order,
        "state": value.state.code if value.state_id else "",
        "agency": value.agency.acronym if value.agency_id else "",
        "disaggregation": value.disaggregation,
        "source": value.source,
        "quote": value.quote,
        "stated_as": value.stated_as,
    }


def public_states() -> QuerySet:
    return State.objects.select_related("prosecutor").order_by("code")


def state_row(state: State) -> dict:
    return {
        "code": state.code,
        "name": state.name,
        "short_name": state.short_name,
        "abbreviation": state.abbreviation,
        "tile_row": state.tile_row,
        "tile_column": state.tile_column,
        "prosecutor": state.prosecutor.acronym if state.prosecutor_id else "",
    }


def public_state_facts() -> QuerySet:
    return StateFact.objects.select_related("state").order_by("state__code", "topic", "code")


def state_fact_row(fact: StateFact) -> dict:
    return {
        "code": fact.code,
        "state": fact.state.code if fact.state_id else "",
        "topic": fact.topic,
        "text_es": fact.text_es,
        "text_en": fact.text_en,
        "source": fact.source,
        "quote": fact.quote,
    }


def public_recommendation_links() -> QuerySet:
    return (
        RecurringAskLink.objects.select_related("ask", "recommendation")
        .annotate(first_asked=Min("ask__links__recommendation__year"))
        .order_by("ask__code", "recommendation__year", "recommendation__code")
    )


def recommendation_link_row(link: RecurringAskLink) -> dict:
    rec = link.recommendation
    return {
        "ask": link.ask.code,
        "ask_title_es": link.ask.title_es,
        "ask_title_en": link.ask.title_en,
        "recommendation": rec.code,
        "issuer": rec.issuer,
        "year": rec.year,
        "paragraph": rec.paragraph,
        "first_asked": link.first_asked,
        "reason_es": link.reason_es,
        "reason_en": link.reason_en,
    }


REFERENCE_DATASETS = {
    "indicator_values": (public_indicator_values, indicator_value_row, INDICATOR_VALUE_COLUMNS),
    "states": (public_states, state_row, STATE_COLUMNS),
    "state_facts": (public_state_facts, state_fact_row, STATE_FACT_COLUMNS),
    "recommendation_links": (public_recommendation_links, recommendation_link_row, RECOMMENDATION_LINK_COLUMNS),
}


def dataset(name: str, cycle=None) -> tuple[Iterator[dict], list[str]]:
    """(rows, columns) of a public dataset (`name` in DICTIONARY)."""
    if name == "assessments":
        queryset = public_assessments()
        if cycle is not None:
            queryset = queryset.filter(cycle=cycle)
        return assessment_rows(queryset), ASSESSMENT_COLUMNS
    if name == "obligations":
        return (obligation_row(o) for o in public_obligations()), OBLIGATION_COLUMNS
    if name == "agencies":
        return (agency_row(a) for a in public_agencies()), AGENCY_COLUMNS
    if name in REFERENCE_DATASETS:
        queryset, to_row, columns = REFERENCE_DATASETS[name]
        return (to_row(item) for item in queryset()), columns
    raise KeyError(name)
