"""Nothing unsourced appears as fact: every row of the law data has a source, every inference
is flagged and explained, and every flag of the reference notes (⚠, "inferido") is kept."""

import re

import pytest

from obligations.models import ProvisionVersion
from obligations.reference import cited_paragraphs, seed_paragraphs
from tests.obligations.law_fixtures import duty_rows, fixture

LEGAL = fixture("legal.json")
LAW = fixture("law.json")
KNOWN_SOURCES = ("[L]", "CNDH 2019 ¶", "[SEGOB-CIT]", "[SEGOB-REG]", "[GR-REG]", "TIP 2025")
VERSIONS = [(p, v) for p in LEGAL["provisions"] for v in p.get("versions", [])]


def rows_of_the_law_data():
    for instrument in LEGAL["instruments"]:
        yield f"instrument {instrument['code']}", instrument
    for provision in LEGAL["provisions"]:
        yield f"provision {provision['article']} {provision['fraction']}", provision
    for provision, version in VERSIONS:
        yield f"version of {provision['article']} {provision['fraction']} {provision['paragraph']}", version
    for key in ("bearers", "commission_memberships", "duties"):
        for item in LAW[key]:
            yield f"{key} {item.get('code') or item.get('agency')}", item


def test_every_row_has_a_known_source():
    for where, item in rows_of_the_law_data():
        assert item["source"].strip(), where
        assert any(key in item["source"] for key in KNOWN_SOURCES), (where, item["source"])


def test_every_cndh_paragraph_cited_exists():
    paragraphs = seed_paragraphs()
    cited = {
        (where, n)
        for where, item in rows_of_the_law_data()
        for text in (item["source"], item.get("inferred_note", ""), item.get("note", ""))
        for n in cited_paragraphs(text)
    }
    assert cited
    assert [(where, n) for where, n in cited if n not in paragraphs] == []


def test_every_inference_is_flagged_and_explained():
    inferred = warned = unread = 0  # the data has each kind: the checks below must not pass on nothing
    for where, item in rows_of_the_law_data():
        if item.get("inferred") or item.get("agency_inferred"):
            inferred += 1
            assert (item.get("inferred_note") or item.get("note", "")).strip(), where
        for flag in ("inferred_note", "note"):
            if "⚠" in item.get(flag, "") and "commission_memberships" not in where:
                warned += 1
                assert item.get("inferred") or item.get("agency_inferred") or item.get("fraction_inferred"), where
    for provision, version in VERSIONS:
        if not version["wording_known"] and version["paraphrase_es"]:
            unread += 1
            assert version["inferred"], provision  # a paraphrase of wording nobody read is an inference
    assert inferred and warned and unread, (inferred, warned, unread)


def test_every_flag_of_the_notes_is_kept():
    """A row of the notes that says ⚠ or "inferido" is flagged on the duty, one of its bearers or
    the bearer's agency mapping."""
    bearers = {b["code"]: b for b in LAW["bearers"]}
    duties = [d for d in LAW["duties"] if d["instrument"] == "LGPSEDMTP"]
    checked = 0
    for row, duty in zip(duty_rows(), duties, strict=True):
        text = " ".join(row)
        if "⚠" not in text and "inferid" not in text and "implícito" not in text:
            continue
        checked += 1
        flagged = (
            duty.get("inferred")
            or any(a.get("inferred") for a in duty["bearers"])
            or any(bearers[a["bearer"]].get("agency_inferred") for a in duty["bearers"])
        )
        assert flagged, duty["code"]
    assert checked  # the notes do flag rows: a parser that found none would pass vacuously
    regulation = [d for d in LAW["duties"] if d["instrument"] == "RLGPSEDMTP"]
    assert regulation and all(d.get("inferred") for d in regulation)


def test_the_paraphrases_are_the_notes_own_words():
    """The duties keep the researcher's paraphrases (never the statute's text); three rows were
    rewritten to carry their ⚠ plainly."""
    rewritten = {"DEB-85", "DEB-95", "DEB-89-X"}
    duties = [d for d in LAW["duties"] if d["instrument"] == "LGPSEDMTP"]
    for row, duty in zip(duty_rows(), duties, strict=True):
        if duty["code"] in rewritten:
            assert "⚠" in duty["paraphrase_es"] and "⚠" in duty["paraphrase_en"], duty["code"]
            continue
        assert duty["paraphrase_es"] == row[2].replace("**", ""), duty["code"]
        assert duty["paraphrase_en"] == row[3].replace("**", ""), duty["code"]


def test_the_repealed_pgr_seat_and_fraction_are_marked_inferred():
    memberships = {m["fraction"]: m for m in LAW["commission_memberships"]}
    assert memberships["X"]["inferred"] and memberships["XV"]["inferred"]
    fr_x = next(p for p in LEGAL["provisions"] if (p["article"], p["fraction"]) == ("89", "X"))
    original, repeal = fr_x["versions"]
    assert original["inferred"] and not original["wording_known"]
    assert repeal["repealed"] and repeal["inferred"]  # what replaced it is the notes' reading
    assert re.search(r"CNDH 2019 ¶150", original["source"])


@pytest.mark.django_db
def test_in_force_dates_are_never_presented_as_read(law):
    versions = ProvisionVersion.objects.select_related("amended_by", "provision__instrument")
    assert versions.count() == 261
    assert all(version.in_force_inferred for version in versions)
