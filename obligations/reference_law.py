"""Loading the law's own data (part of `obligations.reference.load_reference_data`, same rules: one
transaction, idempotent, additive, `ReferenceDataError` naming the file and the item):

- the versions of each provision (legal.json, inside each provision): dates come from the in-force
  date of the instrument that produced each version (the original text or a reform decree), a
  version ends the day before the next one starts, and no two versions may overlap;
- law.json: the duty-bearers, the Inter-Secretariat Commission's membership over time (art. 85) and
  the statutory duties. A duty is rated either by existing obligations (`grounded_in`) or by an
  obligation of its own, created here with origin "law" (`obligation`), whose component, level,
  in-force dates and responsible agencies follow from the duty (see `law_obligation_values`).
"""

from __future__ import annotations

from datetime import date, timedelta

from obligations.models import ProvisionVersion
from obligations.reference import (
    LoadReport,
    ReferenceDataError,
    _check_keys,
    _provision,
    _set_m2m,
    _upsert,
    check_basis,
)

VERSION_KEYS = set(ProvisionVersion.CONTENT_FIELDS)
BEARER_KEYS = {
    "code",
    "kind",
    "name_es",
    "name_en",
    "law_acronym",
    "agency",
    "agency_inferred",
    "inferred_note",
    "source",
}
MEMBERSHIP_KEYS = {
    "agency",
    "law_name",
    "fraction",
    "fraction_inferred",
    "role",
    "since",
    "until",
    "inferred",
    "note",
    "source",
}
DUTY_KEYS = {
    "code",
    "instrument",
    "citation",
    "provisions",
    "bearers",
    "theme",
    "secondary_theme",
    "paraphrase_es",
    "paraphrase_en",
    "reforms",
    "grounded_in",
    "obligation",
    "not_rated_note",
    "inferred",
    "inferred_note",
    "source",
}
ASSIGNMENT_KEYS = {"bearer", "role", "inferred", "note"}
LAW_OBLIGATION_KEYS = {"code", "title_es", "title_en", "component", "deadline_es", "deadline_en"}

# A law obligation's CNDH component from the duty's theme (training: the national training system
# is under prevention in CNDH 2019 ¶162; international cooperation: most such duties are about
# victims' return and protection, the others override it in the fixture).
THEME_COMPONENT = {
    "prevention": "prevention",
    "prosecution": "prosecution",
    "protection": "assistance",
    "coordination": "coordination",
    "training": "prevention",
    "international": "assistance",
}
# CNDH level (¶21) from the first lead bearer: a named agency or body 1, the Commission 2, a class 3.
BEARER_LEVEL = {"agency": 1, "body": 1, "commission": 2, "secretariat": 2, "class": 3}


def _require_source(where: str, item: dict) -> None:
    if not str(item.get("source", "")).strip():
        raise ReferenceDataError(f"{where}: falta la fuente")


def _require_inference_note(where: str, item: dict, flag: str = "inferred", note: str = "inferred_note") -> None:
    if item.get(flag) and not str(item.get(note, "")).strip():
        raise ReferenceDataError(f"{where}: marcado como inferido sin explicar la inferencia ({note})")


# --- versions (legal.json) -----------------------------------------------------------------------


def load_versions(report: LoadReport, provision, items: list, instruments: dict, where: str) -> list:
    """Create or update the versions of one provision; returns them in order."""
    from obligations.models import ProvisionVersion

    starts = []
    for index, item in enumerate(items):
        here = f"{where} versión {index + 1}"
        _check_keys(here, item, VERSION_KEYS)
        _require_source(here, item)
        _require_inference_note(here, item)
        code = item.get("amended_by")
        if code is None:
            instrument = provision.instrument
        else:
            instrument = instruments.get(code)
            if instrument is None or instrument.kind != "reform":
                raise ReferenceDataError(f"{here}: decreto de reforma desconocido «{code}»")
        if instrument.in_force_on is None:
            raise ReferenceDataError(f"{here}: «{instrument.code}» no tiene fecha de entrada en vigor")
        if not item.get("wording_known", True) and item.get("paraphrase_es") and not item.get("inferred"):
            raise ReferenceDataError(f"{here}: paráfrasis de una redacción no leída sin marcarla como inferida")
        if item.get("wording_known", True) and not item.get("repealed") and not item.get("paraphrase_es"):
            raise ReferenceDataError(f"{here}: redacción leída sin paráfrasis")
        starts.append((instrument.in_force_on, instrument if code else None))
    for (before, _), (after, _) in zip(starts, starts[1:], strict=False):
        if after <= before:
            raise ReferenceDataError(f"{where}: versiones traslapadas o fuera de orden ({before} y {after})")
    versions = []
    for index, (item, (start, amended_by)) in enumerate(zip(items, starts, strict=True)):
        until = starts[index + 1][0] - timedelta(days=1) if index + 1 < len(starts) else None
        others = (
            ProvisionVersion.objects.filter(provision=provision)
            .exclude(valid_from__in=[s for s, _ in starts])
            .filter(valid_from__lte=until or date.max)
        )
        if any(other.valid_until is None or other.valid_until >= start for other in others):
            raise ReferenceDataError(
                f"{where}: la versión desde {start} se traslapa con una versión agregada en el admin; corríjala allí"
            )
        versions.append(
            _upsert(
                report,
                ProvisionVersion,
                {"provision": provision, "valid_from": start},
                {
                    "valid_until": until,
                    "amended_by": amended_by,
                    "paraphrase_es": item.get("paraphrase_es", ""),
                    "paraphrase_en": item.get("paraphrase_en", ""),
                    "wording_known": item.get("wording_known", True),
                    "change_es": item.get("change_es", ""),
                    "change_en": item.get("change_en", ""),
                    "repealed": item.get("repealed", False),
                    "inferred": item.get("inferred", False),
                    "inferred_note": item.get("inferred_note", ""),
                    "source": item["source"],
                },
            )
        )
    return versions


def set_replacements(report: LoadReport, versions: list, items: list, where: str) -> None:
    for version, item in zip(versions, items, strict=True):
        replaced_by = item.get("replaced_by", [])
        if replaced_by and not item.get("repealed"):
            raise ReferenceDataError(f"{where}: solo una versión derogada puede decir qué la sustituyó")
        _set_m2m(report, version, "replaced_by", [_provision(spec, where) for spec in replaced_by])


# --- law.json --------------------------------------------------------------------------------------


def _resolve_agency(item: dict, where: str):
    """Today's agency for a bearer: by `agency` (acronym), or by the Law's acronym matched against
    today's acronyms and then the former names (e.g. SEDESOL → Bienestar)."""
    from agencies.models import Agency, AgencyName

    if item.get("agency"):
        agency = Agency.objects.filter(acronym=item["agency"]).first()
        if agency is None:
            raise ReferenceDataError(f"{where}: dependencia desconocida «{item['agency']}»")
        return agency, ""
    acronym = item.get("law_acronym")
    if not acronym:
        return None, ""
    agency = Agency.objects.filter(acronym=acronym).first()
    if agency is not None:
        return agency, ""
    former = AgencyName.objects.filter(acronym=acronym).select_related("agency").first()
    if former is None:
        raise ReferenceDataError(f"{where}: ninguna dependencia se llama ni se llamó «{acronym}»")
    return former.agency, acronym


def load_bearers(report: LoadReport, items: list) -> dict:
    from obligations.choices import BearerKind
    from obligations.models import DutyBearer

    bearers = {}
    for item in items:
        where = f"law.json titular «{item.get('code')}»"
        _check_keys(where, item, BEARER_KEYS)
        _require_source(where, item)
        _require_inference_note(where, item, "agency_inferred")
        if item["code"] in bearers:
            raise ReferenceDataError(f"{where}: clave repetida")
        if item["kind"] not in BearerKind.values:
            raise ReferenceDataError(f"{where}: tipo desconocido «{item['kind']}»")
        agency, through = _resolve_agency(item, where)
        needs_agency = item["kind"] in (BearerKind.AGENCY, BearerKind.COMMISSION, BearerKind.SECRETARIAT)
        if needs_agency and agency is None:
            raise ReferenceDataError(
                f"{where}: una dependencia, la Comisión o su Secretaría Técnica necesitan dependencia"
            )
        if not needs_agency and agency is not None:
            raise ReferenceDataError(f"{where}: una clase de autoridades u otro órgano no se asigna a una dependencia")
        bearers[item["code"]] = _upsert(
            report,
            DutyBearer,
            {"code": item["code"]},
            {
                "kind": item["kind"],
                "name_es": item["name_es"],
                "name_en": item.get("name_en", ""),
                "agency": agency,
                "resolved_through": through,
                "agency_inferred": item.get("agency_inferred", False),
                "inferred_note": item.get("inferred_note", ""),
                "source": item["source"],
            },
        )
    return bearers


def load_memberships(report: LoadReport, items: list) -> None:
    from agencies.choices import CommissionRole
    from agencies.models import Agency, CommissionMembership
    from obligations.models import LegalInstrument

    instruments = {i.code: i for i in LegalInstrument.objects.all()}
    periods: dict[str, list[tuple[date, date | None]]] = {}
    for index, item in enumerate(items):
        where = f"law.json integración de la Comisión {index + 1} («{item.get('agency')}»)"
        _check_keys(where, item, MEMBERSHIP_KEYS)
        _require_source(where, item)
        _require_inference_note(where, item, "inferred", "note")
        agency = Agency.objects.filter(acronym=item["agency"]).first()
        if agency is None:
            raise ReferenceDataError(f"{where}: dependencia desconocida «{item['agency']}»")
        if item.get("role", CommissionRole.MEMBER) not in CommissionRole.values:
            raise ReferenceDataError(f"{where}: papel desconocido «{item['role']}»")
        dates = []
        for key in ("since", "until"):
            code = item.get(key)
            if code is None:
                dates.append(None)
                continue
            if code not in instruments or instruments[code].in_force_on is None:
                raise ReferenceDataError(f"{where}: instrumento desconocido o sin entrada en vigor «{code}»")
            dates.append(instruments[code].in_force_on)
        start, end = dates[0], dates[1] - timedelta(days=1) if dates[1] else None
        if start is None:
            raise ReferenceDataError(f"{where}: falta «since»")
        for other_start, other_end in periods.get(item["agency"], []):
            if start <= (other_end or date.max) and other_start <= (end or date.max):
                raise ReferenceDataError(f"{where}: periodos traslapados de la misma dependencia")
        periods.setdefault(item["agency"], []).append((start, end))
        _upsert(
            report,
            CommissionMembership,
            {"agency": agency, "valid_from": start},
            {
                "valid_until": end,
                "law_name": item["law_name"],
                "fraction": item.get("fraction", ""),
                "fraction_inferred": item.get("fraction_inferred", False),
                "role": item.get("role", CommissionRole.MEMBER),
                "inferred": item.get("inferred", False),
                "note": item.get("note", ""),
                "source": item["source"],
            },
        )


def _covers(obligation_provision, duty_provision) -> bool:
    """An obligation's provision covers a duty's when it is the same one or the whole article
    (or fraction) it belongs to."""
    a, b = obligation_provision, duty_provision
    return (
        a.instrument_id == b.instrument_id
        and a.article == b.article
        and a.transitory == b.transitory
        and (not a.fraction or a.fraction == b.fraction)
        and (not a.paragraph or a.paragraph == b.paragraph)
    )


def law_obligation_values(duty, spec: dict, assignments: list) -> dict:
    """What an obligation of origin "law" takes from its duty: component by theme, level by the
    first lead bearer, in-force dates by the versions of its provisions."""
    from obligations.choices import BasisConfidence, ObligationOrigin, ResponsibilityRole

    lead = next(a for a in assignments if a.role == ResponsibilityRole.LEAD)
    starts, ends = [], []
    for provision in duty.provisions.all():
        for version in provision.versions.all():
            if not version.repealed:
                starts.append(version.valid_from)
                ends.append(version.valid_until)
    reason_es = (
        f"Obligación tomada directamente del deber legal {duty.code} ({duty.citation}; {duty.source}), "
        "que la CNDH no evaluó en 2019."
    )
    reason_en = (
        f"Obligation taken directly from the statutory duty {duty.code} ({duty.citation}; {duty.source}), "
        "which CNDH did not assess in 2019."
    )
    if duty.inferred:
        reason_es += f" ⚠ {duty.inferred_note}"
        reason_en += " ⚠ Part of the duty is inferred (see the duty's note)."
    return {
        "title_es": spec["title_es"],
        "title_en": spec.get("title_en", ""),
        "description_es": duty.paraphrase_es,
        "description_en": duty.paraphrase_en,
        "component": spec.get("component") or THEME_COMPONENT[duty.theme],
        "level": BEARER_LEVEL[lead.bearer.kind],
        "origin": ObligationOrigin.LAW,
        "basis_confidence": BasisConfidence.HIGH,
        "basis_reason_es": reason_es,
        "basis_reason_en": reason_en,
        "deadline_es": spec.get("deadline_es", ""),
        "deadline_en": spec.get("deadline_en", ""),
        "in_force_from": min(starts) if starts else None,
        "in_force_until": None if not ends or None in ends else max(ends),
        "source": duty.source,
    }


def load_duties(report: LoadReport, items: list, bearers: dict) -> None:
    from obligations.choices import ResponsibilityRole, Theme
    from obligations.models import Duty, DutyAssignment, LegalInstrument, Obligation, Responsibility

    instruments = {i.code: i for i in LegalInstrument.objects.all()}
    codes = [item.get("code") for item in items]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ReferenceDataError(f"law.json: claves de deberes repetidas {duplicates}")
    loaded = []
    for item in items:
        where = f"law.json deber «{item.get('code')}»"
        _check_keys(where, item, DUTY_KEYS)
        _require_source(where, item)
        _require_inference_note(where, item)
        if item.get("instrument") not in instruments:
            raise ReferenceDataError(f"{where}: instrumento desconocido «{item.get('instrument')}»")
        for key in ("theme", "secondary_theme"):
            if item.get(key) and item[key] not in Theme.values:
                raise ReferenceDataError(f"{where}: tema desconocido «{item[key]}»")
        reforms = []
        for code in item.get("reforms", []):
            if code not in instruments or instruments[code].kind != "reform":
                raise ReferenceDataError(f"{where}: decreto de reforma desconocido «{code}»")
            reforms.append(instruments[code])
        provisions = [_provision(spec, where) for spec in item.get("provisions", [])]
        if not provisions and not item.get("inferred"):
            raise ReferenceDataError(f"{where}: un deber sin disposición identificada debe marcarse como inferido")
        ways = [bool(item.get("grounded_in")), "obligation" in item, bool(item.get("not_rated_note"))]
        if sum(ways) != 1:
            raise ReferenceDataError(
                f"{where}: diga qué obligación lo evalúa (grounded_in u obligation) o por qué ninguna (not_rated_note)"
            )
        if not item.get("bearers"):
            raise ReferenceDataError(f"{where}: falta el titular")
        duty = _upsert(
            report,
            Duty,
            {"code": item["code"]},
            {
                "instrument": instruments[item["instrument"]],
                "citation": item["citation"],
                "theme": item["theme"],
                "secondary_theme": item.get("secondary_theme", ""),
                "paraphrase_es": item["paraphrase_es"],
                "paraphrase_en": item.get("paraphrase_en", ""),
                "not_rated_note": item.get("not_rated_note", ""),
                "inferred": item.get("inferred", False),
                "inferred_note": item.get("inferred_note", ""),
                "source": item["source"],
            },
        )
        _set_m2m(report, duty, "provisions", provisions)
        _set_m2m(report, duty, "reforms", reforms)
        assignments = []
        for assignment in item["bearers"]:
            here = f"{where} titular «{assignment.get('bearer')}»"
            _check_keys(here, assignment, ASSIGNMENT_KEYS)
            _require_inference_note(here, assignment, "inferred", "note")
            if assignment.get("bearer") not in bearers:
                raise ReferenceDataError(f"{here}: titular desconocido")
            role = assignment.get("role", ResponsibilityRole.LEAD)
            if role not in ResponsibilityRole.values:
                raise ReferenceDataError(f"{here}: papel desconocido «{role}»")
            assignments.append(
                _upsert(
                    report,
                    DutyAssignment,
                    {"duty": duty, "bearer": bearers[assignment["bearer"]]},
                    {"role": role, "inferred": assignment.get("inferred", False), "note": assignment.get("note", "")},
                )
            )
        if not any(a.role == ResponsibilityRole.LEAD for a in assignments):
            raise ReferenceDataError(f"{where}: ningún titular es responsable principal")
        loaded.append((duty, item, assignments, provisions))

    # Obligations of the Law's own, then every duty's link to the obligations that rate it.
    for duty, item, assignments, provisions in loaded:
        spec = item.get("obligation")
        if spec is None:
            continue
        where = f"law.json deber «{duty.code}» obligación «{spec.get('code')}»"
        _check_keys(where, spec, LAW_OBLIGATION_KEYS)
        if not provisions:
            raise ReferenceDataError(f"{where}: una obligación de la Ley necesita al menos una disposición")
        if not str(spec.get("code", "")).startswith("LEY-") or not spec.get("title_es"):
            raise ReferenceDataError(f"{where}: una obligación de la Ley necesita clave «LEY-…» y título")
        values = law_obligation_values(duty, spec, assignments)
        check_basis(where, values["basis_confidence"], provisions, values["basis_reason_es"])
        obligation = _upsert(report, Obligation, {"code": spec["code"]}, values)
        _set_m2m(report, obligation, "provisions", provisions)
        # Responsible agencies only where the Law names one (never for a class of authorities,
        # never for an inferred bearer); the first named role wins when two names resolve to
        # the same agency (PGR and FGR).
        roles = {}
        for assignment in assignments:
            agency = assignment.bearer.agency
            if agency is not None and not assignment.inferred:
                roles.setdefault(agency, assignment.role)
        for agency, role in roles.items():
            _upsert(report, Responsibility, {"obligation": obligation, "agency": agency}, {"role": role})
    obligations = {o.code: o for o in Obligation.objects.prefetch_related("provisions")}
    for duty, item, _assignments, provisions in loaded:
        where = f"law.json deber «{duty.code}»"
        codes = list(item.get("grounded_in", []))
        if "obligation" in item:
            codes.append(item["obligation"]["code"])
        rated_by = []
        for code in codes:
            if code not in obligations:
                raise ReferenceDataError(f"{where}: obligación desconocida «{code}»")
            obligation = obligations[code]
            if provisions and not any(_covers(a, b) for a in obligation.provisions.all() for b in provisions):
                raise ReferenceDataError(f"{where}: «{code}» no cita ninguna de sus disposiciones")
            rated_by.append(obligation)
        _set_m2m(report, duty, "obligations", rated_by)


def load_law(report: LoadReport, data: dict) -> None:
    bearers = load_bearers(report, data["bearers"])
    load_memberships(report, data["commission_memberships"])
    load_duties(report, data["duties"], bearers)
