"""Writing rows (dicts) as CSV or JSON: the one writer of every download and export. CSV cells
that a spreadsheet would run as a formula are neutralised (lib.formulas)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder

from lib.formulas import escape_row

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def write_csv(rows: Iterable[dict], columns: Sequence[str], stream: IO[str]) -> int:
    """Write rows as CSV with a header of `columns`. Returns the number of data rows."""
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(escape_row(row))
        count += 1
    return count


def write_json(rows: Iterable[dict], columns: Sequence[str], stream: IO[str]) -> int:
    """Write rows as a JSON array of objects with the keys `columns` (UTF-8 text, not
    ASCII-escaped), one object per line. Returns the number of rows."""
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps({key: row.get(key) for key in columns}, ensure_ascii=False, cls=DjangoJSONEncoder))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json}


def write(rows: Iterable[dict], columns: Sequence[str], fmt: str, stream: IO[str]) -> int:
    return WRITERS[fmt](rows, columns, stream)
