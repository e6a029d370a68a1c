"""The figures, states and recurring asks as the fixtures give them: every quote is verbatim in its
source and every figure is in its quote, "not reported" is never a number, and the states' facts
say what the seeds say (and no more). These tests read fixtures/ only (no database)."""

import importlib
import json
import re
from decimal import Decimal

import pytest

from obligations.figure_choices import FactTopic, ValueStatus, ValueUnit
from obligations.reference import FIXTURES_DIR, SOURCES_DIR, cited_paragraphs, seed_paragraphs
from obligations.sources import document_for, document_text, normalise, stated_number


def load(name):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


PARAGRAPHS = seed_paragraphs()
CONTEXT = load("context_indicators.json")["indicators"]
FIGURES = load("figures.json")["indicators"]
STATES = load("states.json")
ASKS = load("recurring_asks.json")["asks"]
RECOMMENDATIONS = {r["code"]: r for r in load("recommendations.json")["recommendations"]}
AGENCIES = {a["acronym"]: a for a in load("agencies.json")["agencies"]}
VALUES = [(indicator["code"], value) for indicator in CONTEXT + FIGURES for value in indicator["values"]]
FACTS = STATES["facts"]
CODE = {s["short_name"]: s["code"] for s in STATES["states"]}


def facts(state=None, topic=None, source=""):
    return [
        f
        for f in FACTS
        if (state is None or f["state"] == CODE.get(state, state))
        and (topic is None or f["topic"] == topic)
        and f["source"].startswith(source)
    ]


def state_values(indicator, short_name):
    return [v for code, v in VALUES if code == indicator and v.get("state") == CODE[short_name]]


def test_there_are_figures_from_every_seed():
    documents = {document_for(v["source"]) for _, v in VALUES}
    assert documents == {"CNDH 2019", "TIP 2005", "TIP 2012", "TIP 2025", "Cable 2006"}
    assert len(VALUES) > 350


@pytest.mark.parametrize("code,value", VALUES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(VALUES)])
def test_every_value_quotes_its_source_and_the_quote_states_the_figure(code, value):
    quote = normalise(value["quote"])
    key = document_for(value["source"])
    assert key is not None, value["source"]
    assert quote in document_text(key)
    if key == "CNDH 2019":
        cited = cited_paragraphs(value["source"])
        assert cited and any(quote in PARAGRAPHS[n] for n in cited), value["source"]
    if value["status"] == ValueStatus.REPORTED:
        stated = value["stated_as"]
        assert normalise(stated) in quote
        number = stated_number(stated)
        figure = Decimal(str(value["value"]))
        if number is None:  # a zero in words: "did not convict or sentence any", "zero"…
            assert figure == 0 and re.search(r"\b(no|not|zero|exception)\b", stated.lower()), stated
        else:
            if value.get("unit", "count").endswith("millions") and number >= 1_000_000:
                figure *= 1_000_000
            assert figure == number
    else:
        assert "value" not in value and "stated_as" not in value  # never a 0 for "not reported"
    if value.get("unit") == ValueUnit.PERCENT:
        assert value["percent_base"].startswith("de"), value


def test_every_value_has_one_period():
    for code, value in VALUES:
        assert ("year" in value) != ("period_start" in value and "period_end" in value), (code, value)


def test_not_reported_figures_say_so_in_the_source():
    missing = [(code, v) for code, v in VALUES if v["status"] == ValueStatus.NOT_REPORTED]
    assert len(missing) >= 15
    for code, value in missing:
        assert re.search(r"\b(not|no|unclear)\b", value["quote"]), (code, value["quote"])


def test_tip_2025_government_totals_are_not_attributed_to_one_agency():
    """661 investigations, 162 prosecutions and 98 convictions in 2024 are the government's totals
    (federal and state), not the FGR's: the seed says "The government ..." """
    for code, figure in (("CTX-INVESTIGACIONES", 661), ("CTX-PROCESADOS", 162), ("CTX-CONDENADOS", 98)):
        [value] = [v for c, v in VALUES if c == code and v.get("year") == 2024 and v.get("value") == figure]
        assert "agency" not in value and "order" not in value
        assert value["quote"].startswith("The government")


DIMENSIONS = (
    "sex",
    "age_group",
    "nationality",
    "country",
    "exploitation",
    "order",
    "state",
    "agency",
    "disaggregation",
)


def breakdown(value):
    return {key: value[key] for key in DIMENSIONS if value.get(key)}


def test_the_cndh_national_figures():
    victims = [v for c, v in VALUES if c == "CNDH19-VICTIMAS-IDENTIFICADAS"]
    [total] = [v for v in victims if not breakdown(v)]
    assert (total["value"], total["source"]) == (5245, "CNDH 2019 ¶38")
    shares = {tuple(breakdown(v).items()): v["value"] for v in victims if v.get("unit") == "percent"}
    assert shares[(("sex", "female"),)] == 85
    assert shares[(("age_group", "minor"),)] == 27
    assert shares[(("nationality", "mexican"),)] == 84
    assert shares[(("exploitation", "sexual"),)] == 70
    sentences = {
        v.get("disaggregation", ""): v["value"]
        for c, v in VALUES
        if c == "CNDH19-SENTENCIAS" and set(breakdown(v)) <= {"disaggregation"}
    }
    assert sentences == {"": 858, "absolutorias": 296, "condenatorias": 562}


def test_colima_and_yucatan_identified_no_victims():
    for state in ("Colima", "Yucatán"):
        [value] = state_values("CNDH19-VICTIMAS-IDENTIFICADAS", state)
        assert (value["status"], value["value"]) == ("reported", 0)
        assert facts(state, FactTopic.VICTIMS, "CNDH 2019 ¶38")


def test_five_states_where_every_identified_victim_is_a_woman():
    states = {f["state"] for f in FACTS if f["source"] == "CNDH 2019 ¶40"}
    assert states == {CODE[s] for s in ("Campeche", "Durango", "Guerrero", "Tabasco", "Tamaulipas")}


def test_morelos_figures_could_not_be_analysed():
    [value] = state_values("CNDH19-VICTIMAS-IDENTIFICADAS", "Morelos")
    assert value["status"] == ValueStatus.NOT_ANALYSABLE and "value" not in value
    [fact] = facts("Morelos", FactTopic.DATA_QUALITY)
    assert "Morelos" in fact["quote"]


def test_states_with_no_sentences_are_the_four_the_seed_names():
    zero = {v["state"] for c, v in VALUES if c == "CNDH19-SENTENCIAS" and v.get("state")}
    assert zero == {CODE[s] for s in ("Colima", "Nayarit", "Nuevo León", "San Luis Potosí")}
    assert all(v["value"] == 0 for c, v in VALUES if c == "CNDH19-SENTENCIAS" and v.get("state"))


def test_tip_2025_thirty_states_facts_name_no_state():
    national = [f for f in FACTS if f["source"].startswith("TIP 2025") and f["state"] is None]
    quotes = " ".join(f["quote"] for f in national)
    assert "30 of 32 states had specialized anti-trafficking prosecutors or units as of October 2024" in quotes
    assert "30 states had additional state anti-trafficking laws" in quotes
    assert all("no nombra" in f["text_es"] for f in national)
    # No state is marked as having (or lacking) a specialised unit or a law on TIP 2025's word.
    assert not [
        f
        for f in FACTS
        if f["source"].startswith("TIP 2025")
        and f["state"]
        and f["topic"] in (FactTopic.SPECIALISED_UNIT, FactTopic.LEGISLATION)
    ]
    for code in ("CTX-ENTIDADES-FISCALIA-ESPECIALIZADA", "CTX-ENTIDADES-LEY-TRATA"):
        values = [v for c, v in VALUES if c == code]
        assert values and all("state" not in v for v in values), code


def test_every_state_has_at_least_one_sourced_fact_and_cndh_asked_all_32():
    assert {f["state"] for f in FACTS if f["state"]} == set(CODE.values())
    assert len(facts(topic=FactTopic.CNDH_REQUEST, source="CNDH 2019 ¶8")) == 33  # 32 states + the national fact


@pytest.mark.parametrize("fact", FACTS, ids=[f["code"] for f in FACTS])
def test_every_fact_quotes_its_source(fact):
    quote = normalise(fact["quote"])
    key = document_for(fact["source"])
    assert key and quote in document_text(key)
    if key == "CNDH 2019":
        assert any(quote in PARAGRAPHS[n] for n in cited_paragraphs(fact["source"]))
    assert fact["topic"] in FactTopic.values and fact["text_es"] and fact["text_en"]


def test_the_32_states_codes_tiles_and_prosecutors():
    states = STATES["states"]
    assert [s["code"] for s in states] == [f"{n:02d}" for n in range(1, 33)]
    assert len({(s["tile_row"], s["tile_column"]) for s in states}) == 32
    for state in states:
        prosecutor = AGENCIES[state["prosecutor"]]
        assert prosecutor["order"] == "state" and prosecutor["state_name"] == state["short_name"], state


def test_the_migration_creates_the_same_states_as_the_fixture():
    migration = importlib.import_module("obligations.migrations.0008_figures_states_asks")
    fixture = [
        (s["code"], s["name"], s["short_name"], s["abbreviation"], s["tile_row"], s["tile_column"])
        for s in STATES["states"]
    ]
    assert list(migration.STATES) == fixture


NAMED_THEMES = {
    "datos": {"tip_2012", "cndh_2019", "tip_2025"},
    "coordinacion-ordenes-de-gobierno": {"tip_2012", "cndh_2019"},
    "refugios-y-servicios": {"tip_2012", "cndh_2019", "tip_2025"},
    "identificacion-proactiva": {"tip_2012", "cndh_2019", "tip_2025"},
}


@pytest.mark.parametrize("code,issuers", NAMED_THEMES.items())
def test_named_recurring_asks_link_recommendations_of_different_reports(code, issuers):
    [ask] = [a for a in ASKS if a["code"] == code]
    assert {RECOMMENDATIONS[link["recommendation"]]["issuer"] for link in ask["links"]} == issuers


def _source_text(recommendation):
    if recommendation["issuer"] == "cndh_2019":
        return PARAGRAPHS[int(recommendation["paragraph"].lstrip("¶"))].replace("Inter- S", "Inter-S")
    name = {"tip_2005": "tip-2005-mexico.txt", "tip_2012": "tip-2012-mexico.txt", "tip_2025": "tip-2025-mexico.txt"}
    return normalise((SOURCES_DIR / name[recommendation["issuer"]]).read_text(encoding="utf-8"))


def test_every_recurring_ask_rests_on_two_texts_with_a_reason():
    assert len(ASKS) >= 10
    for ask in ASKS:
        linked = [RECOMMENDATIONS[link["recommendation"]] for link in ask["links"]]
        assert len({r["issuer"] for r in linked}) >= 2, ask["code"]
        for link, recommendation in zip(ask["links"], linked, strict=True):
            assert link["reason_es"].strip() and link["reason_en"].strip()
            # The recommendation's own words are in its source.
            text = _source_text(recommendation).lower()
            assert normalise(recommendation["text_en"])[:60].rstrip(".").lower() in text, recommendation["code"]


def test_every_recommendation_has_its_document_year_and_tip_2005_is_verbatim():
    years = {"cndh_2019": 2019, "tip_2005": 2005, "tip_2012": 2012, "tip_2025": 2025}
    for recommendation in RECOMMENDATIONS.values():
        assert recommendation["year"] == years[recommendation["issuer"]], recommendation["code"]
    [tip_2005] = [r for r in RECOMMENDATIONS.values() if r["issuer"] == "tip_2005"]
    assert normalise(tip_2005["text_en"]) in document_text("TIP 2005")
    assert "Publication Date 3 June 2005" in document_text("TIP 2005")
    assert tip_2005["issued_on"] == "2005-06-03"
    assert all(r["issued_on"] is None for r in RECOMMENDATIONS.values() if r["issuer"] != "tip_2005")
