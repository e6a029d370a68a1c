"""Loading figures, states and recurring asks with `load_reference_data`: what lands in the
database, a second load changes nothing, a broken fixture loads nothing; the import resource."""

import json
import shutil

import pytest

from agencies.resources import import_file, result_messages
from obligations.figure_resources import IndicatorValueResource
from obligations.models import (
    Indicator,
    IndicatorValue,
    Recommendation,
    RecurringAsk,
    RecurringAskLink,
    State,
    StateFact,
)
from obligations.reference import FIXTURES_DIR, ReferenceDataError, load_reference_data

pytestmark = pytest.mark.django_db

MODELS = (Indicator, IndicatorValue, State, StateFact, Recommendation, RecurringAsk, RecurringAskLink)


def fixture(name):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded():
    load_reference_data()


def test_every_figure_fact_and_link_is_loaded(loaded):
    values = sum(
        len(i["values"]) for name in ("context_indicators.json", "figures.json") for i in fixture(name)["indicators"]
    )
    assert IndicatorValue.objects.count() == values
    assert StateFact.objects.count() == len(fixture("states.json")["facts"])
    assert RecurringAskLink.objects.count() == sum(len(a["links"]) for a in fixture("recurring_asks.json")["asks"])
    assert State.objects.filter(prosecutor__isnull=False).count() == 32
    assert State.objects.get(code="17").prosecutor.acronym == "FGE-MOR"


def test_not_reported_is_never_zero_in_the_database(loaded):
    assert IndicatorValue.objects.exclude(status="reported").count() >= 15
    assert not IndicatorValue.objects.exclude(status="reported").filter(value__isnull=False).exists()
    visas = IndicatorValue.objects.get(indicator__code="CTX-VISAS-HUMANITARIAS", year=2024)
    assert (visas.status, visas.value) == ("not_reported", None)


def test_the_states_facts_in_the_database(loaded):
    colima = State.objects.get(short_name="Colima")
    value = IndicatorValue.objects.get(indicator__code="CNDH19-VICTIMAS-IDENTIFICADAS", state=colima)
    assert (value.status, value.value, value.period_start.isoformat(), value.period_end.isoformat()) == (
        "reported",
        0,
        "2012-06-15",
        "2017-07-31",
    )
    morelos = IndicatorValue.objects.get(indicator__code="CNDH19-VICTIMAS-IDENTIFICADAS", state__short_name="Morelos")
    assert (morelos.status, morelos.value) == ("not_analysable", None)
    women_only = StateFact.objects.filter(source="CNDH 2019 ¶40").values_list("state__short_name", flat=True)
    assert sorted(women_only) == ["Campeche", "Durango", "Guerrero", "Tabasco", "Tamaulipas"]
    national = StateFact.objects.filter(state__isnull=True, source__startswith="TIP 2025")
    assert national.count() == 2
    assert StateFact.objects.exclude(state__isnull=True).values("state").distinct().count() == 32


def test_recurring_asks_and_years(loaded):
    data = RecurringAsk.objects.get(code="datos")
    assert data.years() == [2012, 2019, 2025]
    p9 = Recommendation.objects.get(code="TIP2025-P9")
    assert p9.reiterated_since == 2012
    assert data.years_asked(2025) == 13
    assert Recommendation.objects.get(code="TIP2005-R1").year == 2005
    assert not Recommendation.objects.filter(year__isnull=True).exists()


def test_a_second_load_changes_nothing(loaded):
    before = counts()
    report = load_reference_data()
    assert not report.changed
    assert counts() == before


def _broken(tmp_path, name, change):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("sources"))
    data = json.loads((directory / name).read_text(encoding="utf-8"))
    change(data)
    (directory / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    "name,change,message",
    [
        (
            "figures.json",
            lambda d: d["indicators"][-1]["values"][-1].update(quote="A sentence that is not in the seed."),
            "no aparece textualmente",
        ),
        (
            "figures.json",
            lambda d: d["indicators"][0]["values"][0].update(status="not_reported"),
            "no se registra como 0",
        ),
        (
            "context_indicators.json",
            lambda d: d["indicators"][0]["values"][-1].update(state="99"),
            "entidad desconocida",
        ),
        ("states.json", lambda d: d["facts"][-1].update(quote="Not in TIP 2025."), "no aparece textualmente"),
        (
            "recurring_asks.json",
            lambda d: d["asks"][0].update(
                links=[link for link in d["asks"][0]["links"] if link["recommendation"].startswith("CNDH")]
            ),
            "al menos dos informes",
        ),
    ],
)
def test_a_broken_fixture_loads_nothing(tmp_path, name, change, message):
    directory = _broken(tmp_path, name, change)
    with pytest.raises(ReferenceDataError, match=message):
        load_reference_data(directory)
    assert counts() == {**{model.__name__: 0 for model in MODELS}, "State": 32}
    assert not State.objects.filter(prosecutor__isnull=False).exists()


def test_legacy_free_text_breakdowns_become_dimensions():
    """What migration 0008 does to values stored before it: 'trata sexual', 'federal', 'Puebla',
    'FEVIMTRA' become the exploitation, order, state and agency dimensions."""
    import importlib

    from django.apps import apps

    from agencies.models import Agency

    migration = importlib.import_module("obligations.migrations.0008_figures_states_asks")
    Agency.objects.create(acronym="FEVIMTRA", name_es="Fiscalía Especial")
    indicator = Indicator.objects.create(code="X", statement_es="x", kind="context")
    common = {"indicator": indicator, "year": 2011, "value": 1, "source": "TIP 2012, Prosecution"}
    for label in ("trata sexual", "federal", "Puebla", "FEVIMTRA", "algo sin equivalente"):
        IndicatorValue.objects.create(disaggregation=label, **common)
    migration.create_states_and_convert_breakdowns(apps, None)
    rows = {
        (v.exploitation, v.order, v.state and v.state.short_name, v.agency and v.agency.acronym, v.disaggregation)
        for v in IndicatorValue.objects.all()
    }
    assert rows == {
        ("sexual", "", None, None, ""),
        ("", "federal", None, None, ""),
        ("", "", "Puebla", None, ""),
        ("", "", None, "FEVIMTRA", ""),
        ("", "", None, None, "algo sin equivalente"),
    }


# --- import -----------------------------------------------------------------------------------

HEADER = "indicator,year,status,value,unit,state,source,quote,stated_as\n"
QUOTE = '"Tlaxcala convicted 13 traffickers and Veracruz convicted nine traffickers."'


def run(text, dry_run=False):
    result = import_file(IndicatorValueResource(), text.encode("utf-8"), "csv", dry_run=dry_run)
    return result, "\n".join(result_messages(result))


def test_import_creates_then_matches_by_breakdown(loaded):
    before = IndicatorValue.objects.count()
    text = HEADER + f'CTX-CONDENADOS,2023,reported,9,count,30,"TIP 2025, Prosecution",{QUOTE},nine\n'
    result, messages = run(text)
    assert messages == ""
    assert IndicatorValue.objects.count() == before + 1
    # The 2024 Veracruz row already exists: same breakdown, same values -> skipped, not duplicated.
    text = HEADER + f'CTX-CONDENADOS,2024,reported,9,count,30,"TIP 2025, Prosecution",{QUOTE},nine\n'
    result, messages = run(text)
    assert messages == "" and IndicatorValue.objects.count() == before + 1


def test_import_refuses_a_not_reported_zero_and_an_unknown_state_with_row_messages(loaded):
    before = IndicatorValue.objects.count()
    text = (
        HEADER
        + f'CTX-CONDENADOS,2022,not_reported,0,count,30,"TIP 2025, Prosecution",{QUOTE},\n'
        + f'CTX-CONDENADOS,2022,reported,13,count,99,"TIP 2025, Prosecution",{QUOTE},13\n'
    )
    result, messages = run(text)
    assert "Fila 1: value: Una cifra no reportada o no analizable no lleva valor: no se registra como 0." in messages
    assert "Fila 2: state: Entidad federativa desconocida: «99» (use la clave INEGI)." in messages
    assert IndicatorValue.objects.count() == before


def test_export_gives_natural_keys(loaded):
    dataset = IndicatorValueResource().export(
        IndicatorValue.objects.filter(indicator__code="CTX-CONDENADOS", state__code="29")
    )
    [row] = list(dataset.dict)
    assert (row["indicator"], row["state"], row["year"], row["value"], row["stated_as"]) == (
        "CTX-CONDENADOS",
        "29",
        "2024",
        "13.00",
        "13",
    )


def test_the_admin_module_registers_the_new_models_with_valid_options(loaded):
    from django.contrib import admin

    from obligations.admin import figures as admin_figures

    for model in (IndicatorValue, State, StateFact, RecurringAsk):
        model_admin = admin.site._registry[model]
        assert model_admin.check() == [], model
    assert isinstance(admin.site._registry[IndicatorValue], admin_figures.IndicatorValueAdmin)
    morelos = IndicatorValue.objects.get(indicator__code="CNDH19-VICTIMAS-IDENTIFICADAS", state__code="17")
    assert admin_figures.IndicatorValueAdmin.breakdown(None, morelos) == "Morelos"
    assert str(morelos) == "CNDH19-VICTIMAS-IDENTIFICADAS 2012-06-15→2017-07-31: Reportado, no analizable"


def test_a_state_page_gets_the_national_facts_as_not_named(loaded):
    """TIP 2025's 30/32 facts name no state: every state gets them as 'not named by the source',
    even one with facts of its own on the topic from another source (Colima: CNDH ¶35)."""
    colima = State.objects.get(short_name="Colima")
    unnamed = set(colima.unnamed_facts().values_list("code", flat=True))
    assert {"tip2025-fiscalias-especializadas", "tip2025-leyes-estatales"} <= unnamed
    assert StateFact.objects.filter(state=colima, topic="legislation", source="CNDH 2019 ¶35").exists()
    assert not StateFact.objects.filter(state=colima, source__startswith="TIP 2025").exists()
