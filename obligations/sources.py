"""The public documents the reference data cites (verbatim copies in fixtures/sources/), and the
checks that a quoted sentence is really in them and that a figure is really in its quote.

A citation names its document first: "CNDH 2019 ¶38", "TIP 2025, Prosecution", "Cable 2006
(06MEXICO1113), pregunta 17" (the US embassy's 2006 answers to the TIP questionnaire). A quote is
compared modulo whitespace (the copies keep the line breaks of the original pages).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings

SOURCES_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"
DOCUMENTS = {
    "CNDH 2019": "cndh-2019-resumen-ejecutivo.txt",
    "TIP 2005": "tip-2005-mexico.txt",
    "TIP 2012": "tip-2012-mexico.txt",
    "TIP 2025": "tip-2025-mexico.txt",
    "Cable 2006": "cable-2006-06mexico1113.txt",
}
# The year each document was published (a TIP report's edition year).
DOCUMENT_YEARS = {"CNDH 2019": 2019, "TIP 2005": 2005, "TIP 2012": 2012, "TIP 2025": 2025, "Cable 2006": 2006}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def document_for(citation: str) -> str | None:
    """'TIP 2025, Protection' -> 'TIP 2025'; None for a source that is not one of the copies."""
    citation = (citation or "").strip()
    for key in DOCUMENTS:
        if citation == key or citation.startswith((key + " ", key + ",")):
            return key
    return None


@cache
def document_text(key: str) -> str:
    return normalise((SOURCES_DIR / DOCUMENTS[key]).read_text(encoding="utf-8"))


def quote_is_verbatim(quote: str, citation: str) -> bool | None:
    """True/False when the citation names a copied document; None when it cannot be checked here
    (e.g. an agency's answer to an information request)."""
    key = document_for(citation)
    if key is None:
        return None
    return normalise(quote) in document_text(key)


# --- a figure as the text writes it ---------------------------------------------------------------

_WORDS = {
    "once": 1,
    "twice": 2,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"million": Decimal(1_000_000), "billion": Decimal(1_000_000_000)}


def stated_number(stated: str) -> Decimal | None:
    """The number a figure's wording states: '5,245' -> 5245; '85%' -> 85; 'nine' -> 9;
    'Twenty-two' -> 22; 'Seventy six percent' -> 76; '14.5' -> 14.5. None when the wording is not
    a number (e.g. 'did not convict or sentence any', which states a zero in words)."""
    text = (stated or "").strip().lower()
    text = re.sub(r"\s*(%|percent)$", "", text)
    text = re.sub(r"^(at least|over|more than|almost|only|just over)\s+", "", text)
    digits = re.fullmatch(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(million|billion))?", text)
    if digits:
        try:
            number = Decimal(digits.group(1).replace(",", "") + (digits.group(2) or ""))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            return None
        return number * _SCALES[digits.group(3)] if digits.group(3) else number
    parts = re.split(r"[\s-]+", text)
    if parts and all(part in _WORDS for part in parts):
        return Decimal(sum(_WORDS[part] for part in parts))
    return None
