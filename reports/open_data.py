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
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyName
from obligations.choices import CycleState
from obligations.law_basis import basis_prefetch, versions_column
from obligations.models import Assessment, Obligation, Provision

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
AGENCY_COLUMNS = ["acronym", "name_es", "name_en", "order", "kind", "parent", "commission_member", "active"]
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
        },
    },
}


# --- assessments ----------------------------------------------------------------------------


def with_export_relations(queryset: QuerySet) -> QuerySet:
    """The queryset with everything a row needs loaded up front (a constant number of queries:
    one for assessments + cycles + agencies + obligations, one for former agency names, one for
    provisions with their instruments, their versions and what replaced a repealed one)."""
    queryset = queryset.select_related("cycle", "agency", "obligation").prefetch_related(
        Prefetch("agency__former_names", queryset=AgencyName.objects.order_by("valid_until")),
        *basis_prefetch("obligation__"),
    )
    if not queryset.query.order_by:
        queryset = queryset.order_by("cycle__period_end", "cycle__slug", "agency__acronym", "obligation__code")
    return queryset


def assessment_row(assessment, basis: dict | None = None) -> dict:
    """One open-data row for an assessment whose relations are loaded (`with_export_relations`).
    `basis`: the obligation's basis in the cycle's period, when the caller already has it."""
    cycle = assessment.cycle
    obligation = assessment.obligation
    name = assessment.agency.name_at(cycle.period_end)
    if basis is None:
        basis = obligation.basis_for_period(cycle.period_start, cycle.period_end)
    return {
        "cycle": cycle.slug,
        "agency": name.acronym,
        "agency_today": name.today_acronym,
        "obligation_code": obligation.code,
        "obligation_title_en": obligation.title_en,
        "obligation_title_es": obligation.title_es,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": obligation.legal_basis,
        "basis_confidence": obligation.basis_confidence,
        "basis_versions": versions_column(basis),
        "status": assessment.status,
        "source": assessment.source_reference,
    }


def assessment_rows(queryset: QuerySet) -> Iterator[dict]:
    """One open-data row per assessment of an (access-scoped) queryset."""
    for assessment in with_export_relations(queryset):
        yield assessment_row(assessment)


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
    }


def public_agencies() -> QuerySet:
    """Every agency: the catalogue of authorities is public (the policy's agency scope gives the
    anonymous nothing because it serves private pages; the portal shows published data of all)."""
    return Agency.objects.with_commission_member().select_related("parent").order_by("acronym")


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
    raise KeyError(name)
