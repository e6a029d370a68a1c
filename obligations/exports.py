"""The open-data format of assessments: one row per assessment.

Used by `manage.py export_assessments`, the scorecard exports and the public API. The caller
passes an already access-scoped queryset (``Assessment.objects.visible_to(user)``); this module
never widens or narrows access, it only shapes rows.

Columns (stable, part of the published format):

- ``cycle``: the review cycle's slug (``cndh-2019``)
- ``agency``: the acronym the agency had at the end of the cycle's period (PGR, not FGR, in
  ``cndh-2019``), resolved through ``AgencyName``
- ``obligation_code``, ``obligation_title_en``, ``obligation_title_es``
- ``component``: identifier (``prevention``, ``assistance``, ``prosecution``, ``coordination``)
- ``level``: CNDH level 1, 2 or 3
- ``legal_basis``: like ``LGPSEDMTP art. 89 fr. XV; Reglamento art. 83``, empty when unknown
- ``status``: identifier (``complied``, ``partially_complied``, ``not_complied``,
  ``no_information``, ``not_applicable``)
- ``source``: the assessment's source reference (``CNDH 2019 ¶161``)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import Prefetch, QuerySet

from lib.formulas import escape_row

OPEN_DATA_COLUMNS = [
    "cycle",
    "agency",
    "obligation_code",
    "obligation_title_en",
    "obligation_title_es",
    "component",
    "level",
    "legal_basis",
    "status",
    "source",
]


def with_export_relations(queryset: QuerySet) -> QuerySet:
    """The queryset with everything a row needs loaded up front (a constant number of queries:
    one for assessments + cycles + agencies + obligations, one for former agency names, one for
    provisions with their instruments)."""
    from agencies.models import AgencyName
    from obligations.models import Provision

    queryset = queryset.select_related("cycle", "agency", "obligation").prefetch_related(
        Prefetch("agency__former_names", queryset=AgencyName.objects.order_by("valid_until")),
        Prefetch("obligation__provisions", queryset=Provision.objects.select_related("instrument")),
    )
    if not queryset.query.order_by:
        queryset = queryset.order_by("cycle__period_end", "cycle__slug", "agency__acronym", "obligation__code")
    return queryset


def assessment_row(assessment) -> dict:
    """One open-data row (dict keyed by OPEN_DATA_COLUMNS) for an assessment whose relations
    are loaded (see `with_export_relations`)."""
    cycle = assessment.cycle
    obligation = assessment.obligation
    return {
        "cycle": cycle.slug,
        "agency": assessment.agency.acronym_on(cycle.period_end),
        "obligation_code": obligation.code,
        "obligation_title_en": obligation.title_en,
        "obligation_title_es": obligation.title_es,
        "component": obligation.component,
        "level": obligation.level,
        "legal_basis": obligation.legal_basis,
        "status": assessment.status,
        "source": assessment.source_reference,
    }


def assessment_rows(queryset: QuerySet) -> Iterator[dict]:
    """Yield one open-data row per assessment of an (access-scoped) queryset."""
    for assessment in with_export_relations(queryset):
        yield assessment_row(assessment)


def write_csv(rows: Iterable[dict], stream: IO[str]) -> int:
    """Write rows as CSV with a header; text cells that a spreadsheet would run as a formula
    are neutralised (lib.formulas). Returns the number of data rows written."""
    writer = csv.DictWriter(stream, fieldnames=OPEN_DATA_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(escape_row(row))
        count += 1
    return count


def write_json(rows: Iterable[dict], stream: IO[str]) -> int:
    """Write rows as a JSON array of objects (UTF-8 text, not ASCII-escaped).
    Returns the number of rows written."""
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps({key: row.get(key) for key in OPEN_DATA_COLUMNS}, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json}
