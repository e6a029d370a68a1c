"""The public read-only JSON API (/api/v1/): published data only.

Plain Django views rather than Django REST framework: the API is four read-only lists of data
that is public by definition, with a handful of exact-match filters and page-number
pagination. DRF would add a dependency plus its own authentication, permission, throttling and
renderer settings that would have to be kept aligned with `agencies.policy`; here the whole
API is one access rule (`visible_to(AnonymousUser())`, whoever is logged in, so a shared cache
never stores an auditor's view), ~150 lines of views, and a hand-written OpenAPI 3.0 document
(`openapi.json`) checked by `openapi-spec-validator` in the tests.

Every list answers `{"count", "next", "previous", "results"}`; `page` and `page_size` (at most
500) paginate; unknown parameters and invalid values are a 400 with a message, so a typo in a
filter never silently returns everything; a page past the last one is a 404. Responses carry `Cache-Control: public, max-age=300`
and a strong ETag (SHA-256 of the body); `If-None-Match` answers 304.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agencies.choices import AgencyKind, OrderOfGovernment
from agencies.models import Agency
from obligations.choices import BasisConfidence, Component, Level, Status
from obligations.figure_choices import FactTopic, ValueStatus
from obligations.models import ReviewCycle
from reports.open_data import (
    AGENCY_COLUMNS,
    ASSESSMENT_COLUMNS,
    INDICATOR_VALUE_COLUMNS,
    OBLIGATION_COLUMNS,
    RECOMMENDATION_LINK_COLUMNS,
    REFERENCE_DATASETS,
    STATE_COLUMNS,
    STATE_FACT_COLUMNS,
    agency_row,
    assessment_row,
    former_names,
    obligation_row,
    public_agencies,
    public_assessments,
    public_obligations,
    rows_of,
    with_export_relations,
)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
CACHE_CONTROL = "public, max-age=300"
PAGINATION_PARAMS = ("page", "page_size")


class BadRequest(Exception):
    status = 400


class PageNotFound(BadRequest):
    """A page past the last one (a valid request for something that does not exist)."""

    status = 404


def _json(request, payload, status: int = 200) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if status != 200:
        response["Cache-Control"] = "no-store"
        return response
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None and conditional.status_code == 304:
        conditional["Cache-Control"] = CACHE_CONTROL
        return conditional
    return response


def _error(request, message: str, status: int = 400) -> HttpResponse:
    return _json(request, {"error": message}, status=status)


def _check_params(request, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(request.GET) - set(allowed) - set(PAGINATION_PARAMS))
    if unknown:
        raise BadRequest(
            _("Parámetro desconocido: %(unknown)s. Admitidos: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed + PAGINATION_PARAMS)}
        )


def _choice(request, name: str, values) -> str | None:
    value = request.GET.get(name)
    if value is None:
        return None
    if value not in [str(v) for v in values]:  # an empty value is not a choice either
        raise BadRequest(
            _("Valor no válido para %(name)s: %(value)r. Admitidos: %(allowed)s.")
            % {"name": name, "value": value, "allowed": ", ".join(str(v) for v in values)}
        )
    return value


def _boolean(request, name: str) -> bool | None:
    value = request.GET.get(name)
    if value is None:
        return None
    if value.lower() not in ("true", "false"):
        raise BadRequest(_("%(name)s debe ser true o false.") % {"name": name})
    return value.lower() == "true"


@dataclass(frozen=True)
class PageRows:
    """Builds the rows of a whole page at once (for rows that share work, e.g. the legal basis
    of a cycle's obligations); a plain function builds one row per item."""

    build: Callable[[list], list]


def _paginate(request, queryset: QuerySet, to_row: Callable | PageRows) -> dict:
    try:
        page_size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
        number = int(request.GET.get("page", 1))
    except ValueError as exc:
        raise BadRequest(_("page y page_size deben ser números enteros.")) from exc
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise BadRequest(_("page_size va de 1 a %(max)d.") % {"max": MAX_PAGE_SIZE})
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage as exc:
        if number == 1:  # no results at all: an empty first page, not an error
            return {"count": 0, "next": None, "previous": None, "results": []}
        raise PageNotFound(
            _("La página %(page)d no existe (hay %(pages)d).") % {"page": number, "pages": paginator.num_pages}
        ) from exc

    def link(n):
        query = request.GET.copy()
        query["page"] = str(n)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": to_row.build(list(page.object_list))
        if isinstance(to_row, PageRows)
        else [to_row(item) for item in page.object_list],
    }


def _list_view(build: Callable):
    """Wrap a `build(request) -> (queryset, to_row)` into a cached, paginated JSON list view."""

    @require_safe
    def view(request):
        try:
            queryset, to_row = build(request)
            return _json(request, _paginate(request, queryset, to_row))
        except BadRequest as exc:
            return _error(request, str(exc), status=exc.status)

    view.__name__ = build.__name__
    view.__doc__ = build.__doc__
    return view


def _agency_ids(acronym: str):
    """Agencies known by this acronym now or formerly (PGR finds FGR's history)."""
    return Agency.objects.known_as(acronym).values("pk")


# --- Endpoints -----------------------------------------------------------------------------


def cycle_row(cycle: ReviewCycle) -> dict:
    return {
        "slug": cycle.slug,
        "name_es": cycle.name_es,
        "name_en": cycle.name_en,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "methodology_version": cycle.methodology_version,
        "published_at": cycle.published_at,
    }


@_list_view
def cycles(request):
    """Published review cycles, newest period first."""
    _check_params(request, ())
    return ReviewCycle.objects.published().order_by("-period_end", "slug"), cycle_row


def agency_api_row(agency: Agency) -> dict:
    """The open-data row plus the former names with their dates (rating rows name the agency as
    it was called in the cycle's period: ``agency: "PGR"`` joins FGR through ``former_names``)."""
    return {**agency_row(agency), "former_names": former_names(agency)}


@_list_view
def agencies(request):
    """Agencies (the public catalogue of authorities); `q` also finds former acronyms and names."""
    _check_params(request, ("order", "kind", "commission_member", "q"))
    queryset = public_agencies()
    if order := _choice(request, "order", OrderOfGovernment.values):
        queryset = queryset.filter(order=order)
    if kind := _choice(request, "kind", AgencyKind.values):
        queryset = queryset.filter(kind=kind)
    if (member := _boolean(request, "commission_member")) is not None:
        queryset = queryset.filter(commission_member=member)
    if q := request.GET.get("q", "").strip():
        queryset = queryset.filter(
            pk__in=Agency.objects.filter(
                Q(acronym__icontains=q)
                | Q(name_es__icontains=q)
                | Q(name_en__icontains=q)
                | Q(former_names__acronym__icontains=q)
                | Q(former_names__name_es__icontains=q)
                | Q(former_names__name_en__icontains=q)
            ).values("pk")
        )
    return queryset.order_by("acronym", "pk"), agency_api_row


@_list_view
def obligations(request):
    """The catalogue of obligations."""
    _check_params(request, ("component", "level", "agency", "q"))
    queryset = public_obligations()
    if component := _choice(request, "component", Component.values):
        queryset = queryset.filter(component=component)
    if level := _choice(request, "level", Level.values):
        queryset = queryset.filter(level=int(level))
    if agency := request.GET.get("agency", "").strip():
        queryset = queryset.filter(responsibilities__agency__in=_agency_ids(agency)).distinct()
    if q := request.GET.get("q", "").strip():
        queryset = queryset.filter(Q(code__icontains=q) | Q(title_es__icontains=q) | Q(title_en__icontains=q))
    return queryset.order_by("code", "pk"), obligation_row


@_list_view
def assessments(request):
    """Ratings of published cycles, in the open-data format (reports.open_data)."""
    _check_params(request, ("cycle", "agency", "obligation", "status", "component", "level"))
    queryset = public_assessments()
    if cycle := request.GET.get("cycle", "").strip():
        queryset = queryset.filter(cycle__slug=cycle)
    if agency := request.GET.get("agency", "").strip():
        queryset = queryset.filter(agency__in=_agency_ids(agency))
    if obligation := request.GET.get("obligation", "").strip():
        queryset = queryset.filter(obligation__code=obligation)
    if status := _choice(request, "status", Status.values):
        queryset = queryset.filter(status=status)
    if component := _choice(request, "component", Component.values):
        queryset = queryset.filter(obligation__component=component)
    if level := _choice(request, "level", Level.values):
        queryset = queryset.filter(obligation__level=int(level))
    ordered = queryset.order_by("cycle__period_end", "cycle__slug", "agency__acronym", "obligation__code", "pk")
    return with_export_relations(ordered), PageRows(lambda items: rows_of(items, assessment_api_row))


def assessment_api_row(assessment, citation: str, basis: dict) -> dict:
    """The open-data row plus `basis`: the legal basis in the cycle's period, structured
    (obligations.law_basis)."""
    return {**assessment_row(assessment, citation, basis), "basis": basis}


def _year(request, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise BadRequest(_("%(name)s debe ser un año de cuatro cifras.") % {"name": name})
    return int(value)


@_list_view
def indicator_values(request):
    """Figures of the sources with their breakdown, source and quote (not reported: value null)."""
    _check_params(request, ("indicator", "year", "status", "state", "agency"))
    queryset, to_row, _columns = REFERENCE_DATASETS["indicator_values"]
    queryset = queryset()
    if indicator := request.GET.get("indicator", "").strip():
        queryset = queryset.filter(indicator__code=indicator)
    if (year := _year(request, "year")) is not None:
        queryset = queryset.filter(year=year)
    if status := _choice(request, "status", ValueStatus.values):
        queryset = queryset.filter(status=status)
    if state := request.GET.get("state", "").strip():
        queryset = queryset.filter(state__code=state)
    if agency := request.GET.get("agency", "").strip():
        queryset = queryset.filter(agency__in=_agency_ids(agency))
    return queryset, to_row


@_list_view
def states(request):
    """The 32 states (entidades federativas)."""
    _check_params(request, ())
    queryset, to_row, _columns = REFERENCE_DATASETS["states"]
    return queryset(), to_row


@_list_view
def state_facts(request):
    """What the sources say about each state (state empty: about the states without naming them)."""
    _check_params(request, ("state", "topic"))
    queryset, to_row, _columns = REFERENCE_DATASETS["state_facts"]
    queryset = queryset()
    if state := request.GET.get("state", "").strip():
        queryset = queryset.filter(state__code=state)
    if topic := _choice(request, "topic", FactTopic.values):
        queryset = queryset.filter(topic=topic)
    return queryset, to_row


@_list_view
def recommendation_links(request):
    """Recommendations that ask the same thing as others (recurring asks)."""
    _check_params(request, ("ask", "recommendation"))
    queryset, to_row, _columns = REFERENCE_DATASETS["recommendation_links"]
    queryset = queryset()
    if ask := request.GET.get("ask", "").strip():
        queryset = queryset.filter(ask__code=ask)
    if recommendation := request.GET.get("recommendation", "").strip():
        queryset = queryset.filter(recommendation__code=recommendation)
    return queryset, to_row


@require_safe
def index(request):
    """The entry point: links to every list and to the OpenAPI document."""
    names = (
        "cycles",
        "agencies",
        "obligations",
        "assessments",
        "indicator_values",
        "states",
        "state_facts",
        "recommendation_links",
        "openapi",
    )
    return _json(request, {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names})


@require_safe
def openapi(request):
    return _json(request, openapi_document(request.build_absolute_uri(reverse("api:index")).rstrip("/")))


# --- OpenAPI 3.0 -------------------------------------------------------------------------------


def _string_props(columns, overrides=None) -> dict:
    props = {column: {"type": "string"} for column in columns}
    props.update(overrides or {})
    return props


def _list_response(schema: str, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "headers": {
                "ETag": {"schema": {"type": "string"}, "description": "Huella del cuerpo; úsela en If-None-Match."},
                "Cache-Control": {"schema": {"type": "string"}},
            },
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["count", "next", "previous", "results"],
                        "properties": {
                            "count": {"type": "integer", "minimum": 0},
                            "next": {"type": "string", "format": "uri", "nullable": True},
                            "previous": {"type": "string", "format": "uri", "nullable": True},
                            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
                        },
                    }
                }
            },
        },
        "304": {"description": "Sin cambios desde el ETag enviado en If-None-Match."},
        "400": {
            "description": "Parámetro desconocido o valor no válido.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "404": {
            "description": "Página posterior a la última.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }


def _param(name: str, description: str, schema: dict | None = None, ref: bool = False) -> dict:
    if ref:
        return {"$ref": f"#/components/parameters/{name}"}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        # Free text may hold anything but control characters, which every request carrying them
        # gets a 400 for (compliance.middleware): say so, so that clients and schemathesis do not
        # send them as valid data.
        "schema": schema or {"type": "string", "pattern": "^[^\\x00-\\x1f\\x7f]*$"},
    }


def openapi_document(server_url: str) -> dict:
    pagination = [_param("page", "", ref=True), _param("page_size", "", ref=True)]
    component_param = _param("component", "Componente.", {"type": "string", "enum": list(Component.values)})
    level_param = _param("level", "Nivel CNDH.", {"type": "integer", "enum": [int(v) for v in Level.values]})

    def get(operation_id, summary, schema, params):
        return {
            "get": {
                "operationId": operation_id,
                "summary": summary,
                "parameters": params + pagination,
                "responses": _list_response(schema, summary),
            }
        }

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Seguimiento LGPSEDMTP · API pública",
            "version": "1.0.0",
            "description": (
                "Datos publicados del seguimiento al cumplimiento de la Ley General en materia de trata de "
                "personas: ciclos publicados, dependencias, obligaciones y evaluaciones. Sólo lectura; sin "
                "autenticación. Nunca incluye ciclos no publicados ni evidencia confidencial."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/cycles/": get("listCycles", "Ciclos de revisión publicados", "Cycle", []),
            "/agencies/": get(
                "listAgencies",
                "Dependencias",
                "Agency",
                [
                    _param("order", "Orden de gobierno.", {"type": "string", "enum": list(OrderOfGovernment.values)}),
                    _param("kind", "Tipo de institución.", {"type": "string", "enum": list(AgencyKind.values)}),
                    _param("commission_member", "Integra la Comisión Intersecretarial.", {"type": "boolean"}),
                    _param("q", "Busca en siglas y nombres, vigentes o anteriores."),
                ],
            ),
            "/obligations/": get(
                "listObligations",
                "Obligaciones",
                "Obligation",
                [
                    component_param,
                    level_param,
                    _param("agency", "Siglas de una dependencia responsable (vigentes o anteriores)."),
                    _param("q", "Busca en clave y título."),
                ],
            ),
            "/assessments/": get(
                "listAssessments",
                "Evaluaciones de ciclos publicados",
                "Assessment",
                [
                    _param("cycle", "Clave del ciclo (p. ej. cndh-2019)."),
                    _param("agency", "Siglas de la dependencia, vigentes o anteriores (p. ej. SEP, PGR)."),
                    _param("obligation", "Clave de la obligación."),
                    _param("status", "Estatus.", {"type": "string", "enum": list(Status.values)}),
                    component_param,
                    level_param,
                ],
            ),
            "/indicator-values/": get(
                "listIndicatorValues",
                "Cifras de las fuentes con su desagregación, fuente y cita",
                "IndicatorValue",
                [
                    _param("indicator", "Clave del indicador (p. ej. CTX-INVESTIGACIONES)."),
                    _param("year", "Año de la cifra.", {"type": "integer", "minimum": 1900, "maximum": 2100}),
                    _param("status", "Estado de la cifra.", {"type": "string", "enum": list(ValueStatus.values)}),
                    _param("state", "Clave INEGI de la entidad («01» a «32»)."),
                    _param("agency", "Siglas de la dependencia, vigentes o anteriores."),
                ],
            ),
            "/states/": get("listStates", "Entidades federativas", "State", []),
            "/state-facts/": get(
                "listStateFacts",
                "Lo que dicen las fuentes de cada entidad",
                "StateFact",
                [
                    _param("state", "Clave INEGI de la entidad («01» a «32»)."),
                    _param("topic", "Tema.", {"type": "string", "enum": list(FactTopic.values)}),
                ],
            ),
            "/recommendation-links/": get(
                "listRecommendationLinks",
                "Recomendaciones que piden lo mismo (peticiones reiteradas)",
                "RecommendationLink",
                [
                    _param("ask", "Clave de la petición reiterada."),
                    _param("recommendation", "Clave de la recomendación."),
                ],
            ),
        },
        "components": {
            "parameters": {
                "page": {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": "Número de página (desde 1).",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                "page_size": {
                    "name": "page_size",
                    "in": "query",
                    "required": False,
                    "description": f"Elementos por página (máximo {MAX_PAGE_SIZE}).",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
                },
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Cycle": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "name_es": {"type": "string"},
                        "name_en": {"type": "string"},
                        "period_start": {"type": "string", "format": "date"},
                        "period_end": {"type": "string", "format": "date"},
                        "methodology_version": {"type": "string"},
                        "published_at": {"type": "string", "format": "date-time", "nullable": True},
                    },
                },
                "Agency": {
                    "type": "object",
                    "properties": _string_props(
                        AGENCY_COLUMNS,
                        {
                            "commission_member": {"type": "boolean"},
                            "active": {"type": "boolean"},
                            "former_names": {
                                "type": "array",
                                "description": "Nombres anteriores con sus fechas (une las evaluaciones por agency).",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "acronym": {"type": "string"},
                                        "name_es": {"type": "string"},
                                        "name_en": {"type": "string"},
                                        "valid_from": {"type": "string", "format": "date", "nullable": True},
                                        "valid_until": {"type": "string", "format": "date"},
                                    },
                                },
                            },
                        },
                    ),
                },
                "Obligation": {
                    "type": "object",
                    "properties": _string_props(
                        OBLIGATION_COLUMNS,
                        {
                            "level": {"type": "integer"},
                            "component": {"type": "string", "enum": list(Component.values)},
                            "basis_confidence": {"type": "string", "enum": [*BasisConfidence.values, ""]},
                        },
                    ),
                },
                "Assessment": {
                    "type": "object",
                    "properties": _string_props(
                        ASSESSMENT_COLUMNS,
                        {
                            "level": {"type": "integer"},
                            "component": {"type": "string", "enum": list(Component.values)},
                            "status": {"type": "string", "enum": [*Status.values, ""]},
                            "basis_confidence": {"type": "string", "enum": [*BasisConfidence.values, ""]},
                            "basis": {"$ref": "#/components/schemas/Basis"},
                        },
                    ),
                },
                "Basis": {
                    "type": "object",
                    "description": "Fundamento legal en el periodo del ciclo: cada disposición con la versión "
                    "vigente al cierre del periodo.",
                    "required": ["confidence", "statutory", "items"],
                    "properties": {
                        "confidence": {"type": "string", "enum": [*BasisConfidence.values, ""]},
                        "statutory": {
                            "type": "boolean",
                            "description": "false: criterio de la CNDH sin fundamento legal expreso.",
                        },
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/BasisItem"}},
                    },
                },
                "BasisItem": {
                    "type": "object",
                    "required": ["citation", "instrument", "article", "fraction", "version", "replaced_by"],
                    "properties": {
                        **_string_props(("citation", "instrument", "article", "fraction", "paragraph")),
                        "transitory": {"type": "boolean"},
                        "changed_in_period": {
                            "type": "boolean",
                            "description": "Una reforma o derogación entró en vigor durante el periodo.",
                        },
                        "replaced_by": {"type": "array", "items": {"type": "string"}},
                        "version": {
                            "type": "object",
                            "nullable": True,
                            "description": "Versión vigente al cierre del periodo; null si la disposición no existía.",
                            "properties": {
                                "valid_from": {"type": "string", "format": "date"},
                                "valid_until": {"type": "string", "format": "date", "nullable": True},
                                "decree": {"type": "string"},
                                "dof": {"type": "string", "format": "date", "nullable": True},
                                "original": {"type": "boolean"},
                                "repealed": {"type": "boolean"},
                                "wording_known": {"type": "boolean"},
                                "inferred": {"type": "boolean"},
                            },
                        },
                    },
                },
                "IndicatorValue": {
                    "type": "object",
                    "properties": _string_props(
                        INDICATOR_VALUE_COLUMNS,
                        {
                            "status": {"type": "string", "enum": list(ValueStatus.values)},
                            "value": {
                                "type": "string",
                                "nullable": True,
                                "description": "Decimal como texto; null si no se reportó (nunca 0).",
                            },
                            "year": {"type": "integer", "nullable": True},
                        },
                    ),
                },
                "State": {
                    "type": "object",
                    "properties": _string_props(
                        STATE_COLUMNS, {"tile_row": {"type": "integer"}, "tile_column": {"type": "integer"}}
                    ),
                },
                "StateFact": {
                    "type": "object",
                    "properties": _string_props(
                        STATE_FACT_COLUMNS, {"topic": {"type": "string", "enum": list(FactTopic.values)}}
                    ),
                },
                "RecommendationLink": {
                    "type": "object",
                    "properties": _string_props(
                        RECOMMENDATION_LINK_COLUMNS,
                        {
                            "year": {"type": "integer", "nullable": True},
                            "first_asked": {"type": "integer", "nullable": True},
                        },
                    ),
                },
            },
        },
    }
