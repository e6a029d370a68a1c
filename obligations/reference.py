"""Loading the reference catalogue from `fixtures/` (agencies, the law and its versions, obligations,
statutory duties, the 32 states and their facts, indicators and their figures, recommendations and
the asks they repeat, and the CNDH 2019 baseline cycle).

One entry point, `load_reference_data()`, used by `manage.py load_reference_data` and by `make run`:

- everything in ONE transaction: a bad fixture loads nothing;
- idempotent: rows are matched by natural key (acronym, code, slug, citation) and saved only when a
  value differs, so a second run changes nothing and writes no history rows;
- additive: rows that auditors added in the admin are never deleted.

The fixtures are human-readable JSON; docs/reference-data.md explains where every table came from.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from obligations.figure_choices import BREAKDOWN_DIMENSIONS
from obligations.models import Indicator

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_DIR = FIXTURES_DIR / "sources"
CNDH_2019_SUMMARY = SOURCES_DIR / "cndh-2019-resumen-ejecutivo.txt"
BASELINE_CYCLE_SLUG = "cndh-2019"
# The Diagnosis states the situation as of the end of its period (¶7): baseline evidence is dated then.
BASELINE_FACT_DATE = date(2017, 7, 31)


class ReferenceDataError(Exception):
    """A fixture refers to something that does not exist or is malformed (file and item named)."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} creados, {self.updated[name]} actualizados, {self.unchanged[name]} sin cambios"
            for name in names
        ]


# --- helpers -------------------------------------------------------------------------------------


def _date(value):
    return date.fromisoformat(value) if value else None


def _read(directory: Path, name: str) -> dict:
    path = directory / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(f"{path}: {exc}") from exc


def _same(obj, name: str, value) -> bool:
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        return getattr(obj, model_field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _upsert(report: LoadReport, model, lookup: dict, values: dict, *, on_create: dict | None = None):
    """Create or update one row by its natural key; save only when something differs."""
    label = model._meta.model_name
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj.save()
        report.created[label] += 1
        return obj
    changed = [name for name, value in values.items() if not _same(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.updated[label] += 1
    else:
        report.unchanged[label] += 1
    return obj


def _set_m2m(report: LoadReport, obj, name: str, targets) -> None:
    manager = getattr(obj, name)
    wanted = {target.pk for target in targets}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)
        report.updated[f"{obj._meta.model_name}.{name}"] += 1


def _check_keys(where: str, item: dict, allowed: set[str]) -> None:
    unknown = set(item) - allowed
    if unknown:
        raise ReferenceDataError(f"{where}: claves desconocidas {sorted(unknown)}")


class _Agencies:
    """Agency lookup by acronym with a clear error for unknown ones."""

    def __init__(self):
        from agencies.models import Agency

        self.by_acronym = {agency.acronym: agency for agency in Agency.objects.all()}

    def get(self, acronym: str, where: str):
        try:
            return self.by_acronym[acronym]
        except KeyError:
            raise ReferenceDataError(f"{where}: dependencia desconocida «{acronym}»") from None


# --- loaders, one per fixture file ---------------------------------------------------------------

AGENCY_KEYS = {
    "acronym",
    "name_es",
    "name_en",
    "order",
    "kind",
    "parent",
    "consulted_by_cndh_2019",
    "active",
    "source",
    "notes",
    "former_names",
    "state_name",
}
FORMER_NAME_KEYS = {"acronym", "name_es", "name_en", "valid_from", "valid_until", "date_to_verify", "source"}


def load_agencies(report: LoadReport, data: dict) -> None:
    from agencies.models import Agency, AgencyName

    items = data["agencies"]
    acronyms = [item["acronym"] for item in items]
    duplicates = sorted({a for a in acronyms if acronyms.count(a) > 1})
    if duplicates:
        raise ReferenceDataError(f"agencies.json: siglas repetidas {duplicates}")
    for item in items:
        _check_keys(f"agencies.json «{item['acronym']}»", item, AGENCY_KEYS)
        values = {
            key: item.get(key, default)
            for key, default in (
                ("name_es", ""),
                ("name_en", ""),
                ("order", "federal"),
                ("kind", "other"),
                ("state_name", ""),
                ("consulted_by_cndh_2019", False),
                ("active", True),
                ("notes", ""),
                ("source", ""),
            )
        }
        agency = _upsert(report, Agency, {"acronym": item["acronym"]}, values)
        for former in item.get("former_names", []):
            _check_keys(f"agencies.json «{item['acronym']}» former_names", former, FORMER_NAME_KEYS)
            _upsert(
                report,
                AgencyName,
                {"agency": agency, "acronym": former["acronym"]},
                {
                    "name_es": former["name_es"],
                    "name_en": former.get("name_en", ""),
                    "valid_from": _date(former.get("valid_from")),
                    "valid_until": _date(former["valid_until"]),
                    "date_to_verify": former.get("date_to_verify", False),
                    "source": former.get("source", ""),
                },
            )
    # Second pass: parents may come later in the file than their units.
    agencies = _Agencies()
    for item in items:
        agency = agencies.get(item["acronym"], "agencies.json")
        parent = (
            agencies.get(item["parent"], f"agencies.json «{item['acronym']}» parent") if item.get("parent") else None
        )
        if agency.parent_id != (parent.pk if parent else None):
            agency.parent = parent
            agency.save(update_fields=["parent"])
            report.updated["agency.parent"] += 1


INSTRUMENT_KEYS = {
    "code",
    "short_name",
    "kind",
    "amends",
    "published_on",
    "in_force_on",
    "in_force_inferred",
    "in_force_note",
    "name_es",
    "name_en",
    "summary_es",
    "summary_en",
    "source",
}
PROVISION_KEYS = {
    "instrument",
    "article",
    "fraction",
    "paragraph",
    "transitory",
    "summary_es",
    "summary_en",
    "source",
    "versions",
}


def load_legal(report: LoadReport, data: dict) -> None:
    from obligations.models import LegalInstrument, Provision
    from obligations.reference_law import load_versions, set_replacements

    instruments = {}
    for item in data["instruments"]:
        _check_keys(f"legal.json «{item['code']}»", item, INSTRUMENT_KEYS)
        instruments[item["code"]] = _upsert(
            report,
            LegalInstrument,
            {"code": item["code"]},
            {
                "short_name": item["short_name"],
                "name_es": item["name_es"],
                "name_en": item.get("name_en", ""),
                "kind": item["kind"],
                "published_on": _date(item.get("published_on")),
                "in_force_on": _date(item.get("in_force_on")),
                "in_force_inferred": item.get("in_force_inferred", False),
                "in_force_note": item.get("in_force_note", ""),
                "summary_es": item.get("summary_es", ""),
                "summary_en": item.get("summary_en", ""),
                "source": item.get("source", ""),
            },
        )
    for item in data["instruments"]:
        amends = item.get("amends")
        if amends and amends not in instruments:
            raise ReferenceDataError(f"legal.json «{item['code']}»: reforma a un instrumento desconocido «{amends}»")
        instrument = instruments[item["code"]]
        target = instruments[amends] if amends else None
        if instrument.amends_id != (target.pk if target else None):
            instrument.amends = target
            instrument.save(update_fields=["amends"])
            report.updated["legalinstrument.amends"] += 1
    provisions = []
    for item in data["provisions"]:
        where = f"legal.json «{item['instrument']} art. {item['article']} {item.get('fraction', '')} {item.get('paragraph', '')}»"
        _check_keys(where, item, PROVISION_KEYS)
        try:
            instrument = instruments[item["instrument"]]
        except KeyError:
            raise ReferenceDataError(f"legal.json: instrumento desconocido «{item['instrument']}»") from None
        provision = _upsert(
            report,
            Provision,
            {
                "instrument": instrument,
                "article": item["article"],
                "fraction": item.get("fraction", ""),
                "paragraph": item.get("paragraph", ""),
                "transitory": item.get("transitory", False),
            },
            {
                "summary_es": item.get("summary_es", ""),
                "summary_en": item.get("summary_en", ""),
                "source": item.get("source", ""),
            },
        )
        provisions.append(
            (provision, item, load_versions(report, provision, item.get("versions", []), instruments, where))
        )
    # Replacements point at provisions anywhere in the file: once all exist.
    for provision, item, versions in provisions:
        set_replacements(report, versions, item.get("versions", []), f"legal.json «{provision.citation}»")


def _provision(spec: list, where: str):
    """A provision by [instrument, article, fraction, transitory] or [..., transitory, paragraph]."""
    from obligations.models import Provision

    if not isinstance(spec, list) or len(spec) not in (4, 5):
        raise ReferenceDataError(f"{where}: disposición mal escrita {spec}")
    instrument, article, fraction, transitory = spec[:4]
    paragraph = spec[4] if len(spec) == 5 else ""
    provision = Provision.objects.filter(
        instrument__code=instrument, article=article, fraction=fraction, paragraph=paragraph, transitory=transitory
    ).first()
    if provision is None:
        raise ReferenceDataError(f"{where}: disposición desconocida {spec}")
    return provision


INDICATOR_FIELDS = Indicator.DESCRIPTION_FIELDS


def _indicator(report: LoadReport, item: dict, obligation=None):
    from obligations.models import Indicator

    values = {name: item.get(name, False if name == "is_quantitative" else "") for name in INDICATOR_FIELDS}
    values["obligation"] = obligation
    return _upsert(report, Indicator, {"code": item["code"]}, values)


OBLIGATION_KEYS = {
    "code",
    "component",
    "level",
    "origin",
    "title_es",
    "title_en",
    "description_es",
    "description_en",
    "source",
    "responsibilities",
    "provisions",
    "basis_confidence",
    "basis_reason_es",
    "basis_reason_en",
    "deadline_es",
    "deadline_en",
    "indicators",
}


def check_basis(where: str, confidence: str, provisions: list, reason_es: str) -> None:
    """A confidence needs its reason; "none" (a CNDH criterion without statutory basis) has no
    provisions, and every other confidence has at least one."""
    from obligations.choices import BasisConfidence

    if confidence and confidence not in BasisConfidence.values:
        raise ReferenceDataError(f"{where}: confianza del fundamento desconocida «{confidence}»")
    if confidence and not reason_es.strip():
        raise ReferenceDataError(f"{where}: falta la razón de la confianza del fundamento")
    if confidence == BasisConfidence.NONE and provisions:
        raise ReferenceDataError(f"{where}: «sin fundamento legal» no puede citar disposiciones")
    if confidence and confidence != BasisConfidence.NONE and not provisions:
        raise ReferenceDataError(f"{where}: una confianza «{confidence}» necesita al menos una disposición")


def load_obligations(report: LoadReport, data: dict) -> None:
    from obligations.models import Obligation, Responsibility

    agencies = _Agencies()
    codes = [item["code"] for item in data["obligations"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ReferenceDataError(f"obligations.json: claves repetidas {duplicates}")
    for item in data["obligations"]:
        where = f"obligations.json «{item['code']}»"
        _check_keys(where, item, OBLIGATION_KEYS)
        provisions = [_provision(spec, where) for spec in item.get("provisions", [])]
        confidence = item.get("basis_confidence", "")
        check_basis(where, confidence, provisions, item.get("basis_reason_es", ""))
        obligation = _upsert(
            report,
            Obligation,
            {"code": item["code"]},
            {
                "title_es": item["title_es"],
                "title_en": item.get("title_en", ""),
                "description_es": item.get("description_es", ""),
                "description_en": item.get("description_en", ""),
                "component": item["component"],
                "level": item["level"],
                "origin": item.get("origin", "cndh_2019"),
                "basis_confidence": confidence,
                "basis_reason_es": item.get("basis_reason_es", ""),
                "basis_reason_en": item.get("basis_reason_en", ""),
                "deadline_es": item.get("deadline_es", ""),
                "deadline_en": item.get("deadline_en", ""),
                "source": item.get("source", ""),
            },
        )
        _set_m2m(report, obligation, "provisions", provisions)
        for responsibility in item.get("responsibilities", []):
            _upsert(
                report,
                Responsibility,
                {"obligation": obligation, "agency": agencies.get(responsibility["agency"], where)},
                {"role": responsibility.get("role", "lead")},
            )
        for indicator in item.get("indicators", []):
            _indicator(report, indicator, obligation)


def load_law(report: LoadReport, data: dict) -> None:
    from obligations.reference_law import load_law as load

    load(report, data)


VALUE_KEYS = {
    "year",
    "period_start",
    "period_end",
    "status",
    "value",
    "unit",
    "percent_base",
    *BREAKDOWN_DIMENSIONS,
    "source",
    "quote",
    "stated_as",
    "note",
}
INDICATOR_KEYS = set(INDICATOR_FIELDS) | {"code", "values"}
# The dimensions written as text (state and agency are looked up by key).
DIMENSION_KEYS = tuple(name for name in BREAKDOWN_DIMENSIONS if name not in ("state", "agency"))


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())


def _value_key(value) -> tuple:
    """The natural key of an indicator value: indicator, period, source, unit, base, breakdown."""
    return (
        value.indicator_id,
        value.year,
        value.period_start,
        value.period_end,
        value.source,
        value.unit,
        value.percent_base,
        *(getattr(value, name) for name in DIMENSION_KEYS),
        value.state_id,
        value.agency_id,
    )


def _load_indicator_values(report: LoadReport, data: dict, filename: str) -> None:
    """Indicators with their values (figures): one value per period × source × unit × breakdown.
    Every value is validated like an auditor's entry (its quote verbatim in the copy of the source,
    the figure in its quote, no value unless reported), so a bad row stops the whole load."""
    from obligations.models import IndicatorValue, State

    agencies = _Agencies()
    states = {state.code: state for state in State.objects.all()}
    codes = [item["code"] for item in data["indicators"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ReferenceDataError(f"{filename}: indicadores repetidos {duplicates}")
    for item in data["indicators"]:
        _check_keys(f"{filename} «{item['code']}»", item, INDICATOR_KEYS)
        indicator = _indicator(report, {k: v for k, v in item.items() if k != "values"})
        # One query per indicator for the rows already there, matched on the whole key below.
        existing = {_value_key(row): row for row in IndicatorValue.objects.filter(indicator=indicator)}
        seen = set()
        for number, value in enumerate(item["values"], start=1):
            where = f"{filename} «{item['code']}» valor {number}"
            _check_keys(where, value, VALUE_KEYS)
            state = None
            if value.get("state"):
                state = states.get(value["state"])
                if state is None:
                    raise ReferenceDataError(f"{where}: entidad desconocida «{value['state']}»")
            lookup = {
                "indicator": indicator,
                "year": value.get("year"),
                "period_start": _date(value.get("period_start")),
                "period_end": _date(value.get("period_end")),
                "source": value["source"],
                "unit": value.get("unit", "count"),
                "percent_base": value.get("percent_base", ""),
                **{key: value.get(key, "") for key in DIMENSION_KEYS},
                "state": state,
                "agency": agencies.get(value["agency"], where) if value.get("agency") else None,
            }
            key = _value_key(IndicatorValue(**lookup))
            if key in seen:
                raise ReferenceDataError(f"{where}: valor repetido (mismo periodo, fuente, unidad y desagregación)")
            seen.add(key)
            values = {
                "status": value.get("status", "reported"),
                "value": Decimal(str(value["value"])) if value.get("value") is not None else None,
                "quote": value.get("quote", ""),
                "stated_as": value.get("stated_as", ""),
                "note": value.get("note", ""),
            }
            row = existing.get(key)
            if row is not None and all(getattr(row, name) == new for name, new in values.items()):
                report.unchanged["indicatorvalue"] += 1
                continue
            if row is None:
                row = IndicatorValue(**lookup, **values)
            else:
                for name, new in values.items():
                    setattr(row, name, new)
            try:
                # The model's clean() covers the check constraints (a value iff reported, one
                # period, a percentage with its base) without one query per constraint.
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ReferenceDataError(f"{where}: {_errors(exc)}") from None
            created = row.pk is None
            row.save()
            (report.created if created else report.updated)["indicatorvalue"] += 1


def load_context_indicators(report: LoadReport, data: dict) -> None:
    _load_indicator_values(report, data, "context_indicators.json")


def load_figures(report: LoadReport, data: dict) -> None:
    _load_indicator_values(report, data, "figures.json")


STATE_KEYS = {"code", "name", "short_name", "abbreviation", "tile_row", "tile_column", "prosecutor", "source"}
FACT_KEYS = {"code", "state", "topic", "text_es", "text_en", "source", "quote"}


def load_states(report: LoadReport, data: dict) -> None:
    """The 32 states (matched by INEGI code) and what the sources say about each (by fact code)."""
    from obligations.models import State, StateFact

    agencies = _Agencies()
    states = {}
    for item in data["states"]:
        where = f"states.json «{item.get('code')}»"
        _check_keys(where, item, STATE_KEYS)
        states[item["code"]] = _upsert(
            report,
            State,
            {"code": item["code"]},
            {
                "name": item["name"],
                "short_name": item["short_name"],
                "abbreviation": item["abbreviation"],
                "tile_row": item["tile_row"],
                "tile_column": item["tile_column"],
                "prosecutor": agencies.get(item["prosecutor"], where) if item.get("prosecutor") else None,
                "source": item.get("source", ""),
            },
        )
    if len(states) != 32:
        raise ReferenceDataError(f"states.json: se esperaban 32 entidades, hay {len(states)}")
    tiles = [(item["tile_row"], item["tile_column"]) for item in data["states"]]
    if len(set(tiles)) != len(tiles):
        raise ReferenceDataError("states.json: dos entidades en la misma casilla del mosaico")
    codes = [item["code"] for item in data["facts"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ReferenceDataError(f"states.json: hechos repetidos {duplicates}")
    existing = {fact.code: fact for fact in StateFact.objects.all()}
    for item in data["facts"]:
        where = f"states.json hecho «{item['code']}»"
        _check_keys(where, item, FACT_KEYS)
        state = None
        if item.get("state"):
            state = states.get(item["state"]) or State.objects.filter(code=item["state"]).first()
            if state is None:
                raise ReferenceDataError(f"{where}: entidad desconocida «{item['state']}»")
        values = {
            "state": state,
            "topic": item["topic"],
            "text_es": item["text_es"],
            "text_en": item.get("text_en", ""),
            "source": item["source"],
            "quote": item["quote"],
        }
        known = existing.get(item["code"])
        if known is not None and all(_same(known, name, new) for name, new in values.items()):
            report.unchanged["statefact"] += 1
            continue
        try:
            StateFact(code=item["code"], **values).full_clean(validate_unique=False, exclude=["state"])
        except ValidationError as exc:
            raise ReferenceDataError(f"{where}: {_errors(exc)}") from None
        _upsert(report, StateFact, {"code": item["code"]}, values)


def load_recommendations(report: LoadReport, data: dict) -> None:
    from obligations.models import Obligation, Recommendation

    agencies = _Agencies()
    obligations = {o.code: o for o in Obligation.objects.all()}
    for item in data["recommendations"]:
        where = f"recommendations.json «{item['code']}»"
        recommendation = _upsert(
            report,
            Recommendation,
            {"code": item["code"]},
            {
                "issuer": item["issuer"],
                "paragraph": item.get("paragraph", ""),
                "text_es": item["text_es"],
                "text_en": item.get("text_en", ""),
                "addressee_note": item.get("addressee_note", ""),
                "prioritized": item.get("prioritized", False),
                "year": item.get("year"),
                "issued_on": _date(item.get("issued_on")),
            },
        )
        _set_m2m(report, recommendation, "addressees", [agencies.get(a, where) for a in item.get("addressees", [])])
        try:
            related = [obligations[code] for code in item.get("obligations", [])]
        except KeyError as exc:
            raise ReferenceDataError(f"{where}: obligación desconocida {exc}") from None
        _set_m2m(report, recommendation, "obligations", related)


ASK_KEYS = {"code", "title_es", "title_en", "summary_es", "summary_en", "links"}
LINK_KEYS = {"recommendation", "reason_es", "reason_en"}


def load_recurring_asks(report: LoadReport, data: dict) -> None:
    """Recurring asks and their recommendations, each link with its reason. A link must join
    recommendations of at least two different documents (that is what makes the ask recurring)."""
    from obligations.models import Recommendation, RecurringAsk, RecurringAskLink

    recommendations = {r.code: r for r in Recommendation.objects.all()}
    codes = [item["code"] for item in data["asks"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ReferenceDataError(f"recurring_asks.json: peticiones repetidas {duplicates}")
    for item in data["asks"]:
        where = f"recurring_asks.json «{item['code']}»"
        _check_keys(where, item, ASK_KEYS)
        linked = []
        for link in item["links"]:
            _check_keys(where, link, LINK_KEYS)
            if link["recommendation"] not in recommendations:
                raise ReferenceDataError(f"{where}: recomendación desconocida «{link['recommendation']}»")
            if not link.get("reason_es", "").strip():
                raise ReferenceDataError(f"{where}: falta la razón del vínculo con «{link['recommendation']}»")
            linked.append(recommendations[link["recommendation"]])
        if len({r.issuer for r in linked}) < 2:
            raise ReferenceDataError(f"{where}: una petición reiterada une recomendaciones de al menos dos informes")
        ask = _upsert(
            report,
            RecurringAsk,
            {"code": item["code"]},
            {
                "title_es": item["title_es"],
                "title_en": item.get("title_en", ""),
                "summary_es": item["summary_es"],
                "summary_en": item.get("summary_en", ""),
            },
        )
        for link, recommendation in zip(item["links"], linked, strict=True):
            _upsert(
                report,
                RecurringAskLink,
                {"ask": ask, "recommendation": recommendation},
                {"reason_es": link["reason_es"], "reason_en": link.get("reason_en", "")},
            )


def load_baseline(report: LoadReport, data: dict) -> None:
    """The CNDH 2019 cycle: one validated assessment per finding, each resting on one public-source
    evidence item (the paragraph), dated at the end of the period so it counts (¶23)."""
    from obligations.choices import EvidenceKind, WorkflowState
    from obligations.models import Assessment, Evidence, Obligation, ReviewCycle

    agencies = _Agencies()
    obligations = {o.code: o for o in Obligation.objects.all()}
    spec = data["cycle"]
    now = timezone.now()
    cycle = _upsert(
        report,
        ReviewCycle,
        {"slug": spec["slug"]},
        {
            "name_es": spec["name_es"],
            "name_en": spec.get("name_en", ""),
            "period_start": _date(spec["period_start"]),
            "period_end": _date(spec["period_end"]),
            "state": spec["state"],
            "methodology_version": spec["methodology_version"],
            "source": spec.get("source", ""),
            # The source document's own date (a report's cover shows it), never the load date.
            "source_published_on": _date(spec.get("source_published_on")),
            "source_published_precision": spec.get("source_published_precision", "day"),
        },
        on_create={"closed_at": now, "published_at": now},
    )
    seen = set()
    for item in data["assessments"]:
        where = f"baseline «{item['obligation']} · {item['agency']}»"
        key = (item["obligation"], item["agency"])
        if key in seen:
            raise ReferenceDataError(f"{where}: evaluación repetida")
        seen.add(key)
        if item["obligation"] not in obligations:
            raise ReferenceDataError(f"{where}: obligación desconocida")
        reference = f"CNDH 2019 ¶{item['paragraph']}"
        assessment = _upsert(
            report,
            Assessment,
            {
                "cycle": cycle,
                "agency": agencies.get(item["agency"], where),
                "obligation": obligations[item["obligation"]],
            },
            {
                "status": item["status"],
                "rationale": item["rationale_es"],
                "source_reference": reference,
                "workflow_state": WorkflowState.VALIDATED,
            },
            on_create={"validated_at": now, "submitted_at": now},
        )
        _upsert(
            report,
            Evidence,
            {"assessment": assessment, "kind": EvidenceKind.PUBLIC_SOURCE, "source_reference": reference},
            {
                "title": f"CNDH, Diagnóstico 2019, ¶{item['paragraph']}",
                "description": f"«{item['quote']}» (resumen ejecutivo en inglés, ¶{item['paragraph']}).",
                "fact_date": BASELINE_FACT_DATE,
                "confidential": False,
                "provided_by_agency": False,
            },
        )
        errors = assessment.rating_errors()
        if errors:
            raise ReferenceDataError(f"{where}: {errors}")


FILES = (
    ("agencies.json", load_agencies),
    ("legal.json", load_legal),
    ("obligations.json", load_obligations),
    ("law.json", load_law),
    ("states.json", load_states),
    ("context_indicators.json", load_context_indicators),
    ("figures.json", load_figures),
    ("recommendations.json", load_recommendations),
    ("recurring_asks.json", load_recurring_asks),
    ("baseline_cndh_2019.json", load_baseline),
)


def load_reference_data(directory: Path | str | None = None) -> LoadReport:
    """Load every fixture file in one transaction; returns what was created, updated or unchanged.
    Raises ReferenceDataError (and rolls everything back) when a fixture is inconsistent."""
    directory = Path(directory) if directory else FIXTURES_DIR
    report = LoadReport()
    with transaction.atomic():
        for name, loader in FILES:
            loader(report, _read(directory, name))
    return report


# --- the seed text, for integrity checks -----------------------------------------------------------


def seed_paragraphs(path: Path | str = CNDH_2019_SUMMARY) -> dict[int, str]:
    """The numbered paragraphs of the CNDH 2019 summary, {N: text with whitespace collapsed}.

    A paragraph starts on a line beginning with the next expected number ("161. "), so numbered
    lists inside a paragraph and footnote lines are not mistaken for paragraphs. Footnotes that the
    page layout interleaves stay inside the paragraph they interrupt."""
    text = Path(path).read_text(encoding="utf-8")
    paragraphs: dict[int, list[str]] = {}
    expected, current = 1, None
    for line in text.split("\n"):
        match = re.match(r"^\s*(\d{1,3})\.\s", line)
        if match and int(match.group(1)) == expected:
            current, expected = expected, expected + 1
            paragraphs[current] = [line[match.end() :]]
        elif current is not None:
            paragraphs[current].append(line)
    return {number: re.sub(r"\s+", " ", " ".join(lines)).strip() for number, lines in paragraphs.items()}


def cited_paragraphs(text: str) -> set[int]:
    """Every paragraph number a 'CNDH 2019 ¶N' / '¶N–M' / '¶N; ¶M' citation string refers to."""
    numbers = set()
    for segment in re.split(r";\s*", text or ""):
        for match in re.finditer(r"¶(\d+)(?:[–-](\d+))?", segment):
            start = int(match.group(1))
            end = int(match.group(2) or start)
            numbers.update(range(start, end + 1))
    return numbers
