"""The fixtures themselves: every citation exists in the seed, every quote is verbatim, every
reference resolves. These tests read fixtures/ only (no database)."""

import json
import re

import pytest

from obligations.choices import BasisConfidence, Component, IndicatorKind, Issuer, Level, Status
from obligations.reference import FIXTURES_DIR, SOURCES_DIR, cited_paragraphs, seed_paragraphs
from obligations.sources import document_for, document_text


def load(name):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def normalise(text):
    return re.sub(r"\s+", " ", text)


PARAGRAPHS = seed_paragraphs()
AGENCIES = load("agencies.json")["agencies"]
ACRONYMS = {a["acronym"] for a in AGENCIES}
OBLIGATIONS = load("obligations.json")["obligations"]
CODES = {o["code"] for o in OBLIGATIONS}
BASELINE = load("baseline_cndh_2019.json")
RECOMMENDATIONS = load("recommendations.json")["recommendations"]
CONTEXT = load("context_indicators.json")["indicators"]
LEGAL = load("legal.json")


def all_citation_strings():
    """(where, text) for every field of every fixture that can cite CNDH 2019 paragraphs."""
    for a in AGENCIES:
        yield f"agency {a['acronym']}", a["source"]
        for f in a["former_names"]:
            yield f"former name {f['acronym']}", f["source"]
    for p in LEGAL["provisions"]:
        yield f"provision {p['article']}", p["source"]
    for o in OBLIGATIONS:
        yield f"obligation {o['code']}", o["source"]
        for i in o.get("indicators", []):
            yield f"indicator {i['code']}", i["source"]
    for r in RECOMMENDATIONS:
        yield f"recommendation {r['code']}", r["paragraph"] if r["issuer"] == "cndh_2019" else ""


def test_the_seed_has_all_304_numbered_paragraphs():
    assert sorted(PARAGRAPHS) == list(range(1, 305))
    assert PARAGRAPHS[161].startswith("One of the most important preventive strategies")


def test_every_paragraph_cited_exists_in_the_seed():
    cited = {(where, n) for where, text in all_citation_strings() for n in cited_paragraphs(text)}
    cited |= {("baseline", a["paragraph"]) for a in BASELINE["assessments"]}
    assert cited, "no citations found: the parser is broken"
    missing = [(where, n) for where, n in cited if n not in PARAGRAPHS]
    assert missing == []


def test_cited_paragraphs_parses_ranges_and_lists():
    assert cited_paragraphs("CNDH 2019 ¶162; ¶262–263") == {162, 262, 263}
    assert cited_paragraphs("TIP 2025, Prosecution") == set()


def test_every_baseline_quote_is_verbatim_in_its_paragraph():
    wrong = [
        (a["obligation"], a["agency"], a["paragraph"])
        for a in BASELINE["assessments"]
        if normalise(a["quote"]) not in PARAGRAPHS[a["paragraph"]]
    ]
    assert wrong == []


def test_every_baseline_assessment_refers_to_known_agency_and_obligation():
    for a in BASELINE["assessments"]:
        assert a["agency"] in ACRONYMS, a
        assert a["obligation"] in CODES, a
        assert a["status"] in Status.values, a
        assert a["rationale_es"].strip(), a


def test_one_assessment_per_agency_and_obligation():
    keys = [(a["agency"], a["obligation"]) for a in BASELINE["assessments"]]
    assert len(keys) == len(set(keys))


def test_baseline_cycle_matches_the_methodology():
    cycle = BASELINE["cycle"]
    assert (cycle["slug"], cycle["period_start"], cycle["period_end"]) == ("cndh-2019", "2012-06-15", "2017-07-31")
    assert "June 15th, 2012 and July 31st, 2017" in PARAGRAPHS[7]


def test_every_obligation_has_component_level_and_responsible_agency():
    for o in OBLIGATIONS:
        assert o["component"] in Component.values, o["code"]
        assert o["level"] in Level.values, o["code"]
        assert o["responsibilities"], o["code"]
        assert {r["agency"] for r in o["responsibilities"]} <= ACRONYMS, o["code"]
        assert o["title_es"] and o["title_en"], o["code"]


def test_every_obligation_has_a_basis_confidence_and_its_reason():
    for o in OBLIGATIONS:
        assert o["basis_confidence"] in BasisConfidence.values, o["code"]
        assert o["basis_reason_es"].strip() and o["basis_reason_en"].strip(), o["code"]
        # "none" = a CNDH criterion without statutory basis: no article; any other confidence cites one.
        assert (o["basis_confidence"] == BasisConfidence.NONE) == (not o["provisions"]), o["code"]
        assert "por verificar" not in o["basis_reason_es"], o["code"]


def test_articles_cited_in_the_seed_are_the_ones_linked():
    training = next(o for o in OBLIGATIONS if o["code"] == "PREV-17")
    assert ["LGPSEDMTP", "89", "XV", False] in training["provisions"]
    assert ["RLGPSEDMTP", "83", "", False] in training["provisions"]
    assert "articles 89, section XV of the General Law, and 83 of its Regulations" in PARAGRAPHS[162]
    provisions = {
        (p["instrument"], p["article"], p["fraction"], p["transitory"], p["paragraph"]) for p in LEGAL["provisions"]
    }
    for o in OBLIGATIONS:
        for spec in o["provisions"]:
            assert (*spec[:4], spec[4] if len(spec) == 5 else "") in provisions, (o["code"], spec)


def test_the_seventeen_authorities_of_paragraph_20():
    consulted = {a["acronym"] for a in AGENCIES if a["consulted_by_cndh_2019"]}
    assert len(consulted) == 17
    # As named when CNDH asked (¶20): today's acronym or a former one.
    named_then = set()
    for a in AGENCIES:
        if a["consulted_by_cndh_2019"]:
            names = [a["acronym"]] + [f["acronym"] for f in a["former_names"]]
            named_then.add(next(n for n in names if re.search(rf"\b{n}\b", PARAGRAPHS[20])))
    assert named_then == set(
        "CEAV SEP INDESOL SALUD STPS SESNSP INMUJERES INACIPE DIF SCT CNS SRE PGR SEDESOL INM SECTUR SEGOB".split()
    )


def test_thirty_two_state_prosecutors():
    states = [a for a in AGENCIES if a["order"] == "state"]
    assert len(states) == 32
    assert len({a["state_name"] for a in states}) == 32


def test_parents_exist():
    for a in AGENCIES:
        assert a["parent"] is None or a["parent"] in ACRONYMS, a["acronym"]


def test_recommendations_cover_paragraphs_288_to_304():
    cndh = [r for r in RECOMMENDATIONS if r["issuer"] == "cndh_2019"]
    assert {int(r["paragraph"].lstrip("¶")) for r in cndh} == set(range(288, 305))
    for r in cndh:
        # The English text is the seed's own words.
        assert normalise(r["text_en"][:60]) in PARAGRAPHS[int(r["paragraph"].lstrip("¶"))].replace(
            "Inter- S", "Inter-S"
        )


def test_recommendations_refer_to_known_agencies_and_obligations():
    codes = [r["code"] for r in RECOMMENDATIONS]
    assert len(codes) == len(set(codes))
    for r in RECOMMENDATIONS:
        assert r["issuer"] in Issuer.values
        assert set(r["addressees"]) <= ACRONYMS, r["code"]
        assert set(r["obligations"]) <= CODES, r["code"]
        assert r["addressees"] or r["addressee_note"], r["code"]
        assert r["text_es"].strip(), r["code"]


@pytest.mark.parametrize("issuer,source", [("tip_2025", "tip-2025-mexico.txt"), ("tip_2012", "tip-2012-mexico.txt")])
def test_tip_recommendations_are_verbatim(issuer, source):
    text = normalise((SOURCES_DIR / source).read_text(encoding="utf-8")).lower()
    items = [r for r in RECOMMENDATIONS if r["issuer"] == issuer]
    assert items
    for r in items:
        assert normalise(r["text_en"]).rstrip(".").lower() in text, r["code"]


def test_every_context_figure_is_quoted_from_its_report():
    """Context indicators: the quote is in the report (TIP or CNDH 2019) and states the figure;
    a figure that was not reported has no value. Checked in depth by test_figures_fixtures."""
    for indicator in CONTEXT:
        assert indicator["kind"] == IndicatorKind.CONTEXT
        for value in indicator["values"]:
            key = document_for(value["source"])
            assert key is not None and normalise(value["quote"]) in document_text(key), (indicator["code"], value)
            if value["status"] == "reported":
                assert normalise(value["stated_as"]) in normalise(value["quote"]), (indicator["code"], value)
            else:
                assert "value" not in value, (indicator["code"], value)
