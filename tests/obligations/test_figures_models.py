"""IndicatorValue's rules (a value iff reported, one period, a percentage with its base, the quote
verbatim and the figure in it), the states and the recurring asks' arithmetic."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from obligations.models import (
    Indicator,
    IndicatorValue,
    Recommendation,
    RecurringAsk,
    RecurringAskLink,
    State,
    StateFact,
)

pytestmark = pytest.mark.django_db

QUOTE = "The government did not report providing humanitarian visas to trafficking victims in 2024, compared to nine in 2023."


@pytest.fixture
def indicator():
    return Indicator.objects.create(code="T-VISAS", statement_es="Visas humanitarias", kind="context")


def value(indicator, **kwargs):
    fields = {
        "indicator": indicator,
        "year": 2023,
        "status": "reported",
        "value": Decimal(9),
        "source": "TIP 2025, Protection",
        "quote": QUOTE,
        "stated_as": "nine",
    }
    fields.update(kwargs)
    return IndicatorValue(**fields)


def messages(exc_info):
    return " ".join(exc_info.value.messages)


def test_a_sourced_reported_value_is_valid(indicator):
    value(indicator).full_clean()


def test_not_reported_refuses_a_value_even_zero(indicator):
    with pytest.raises(ValidationError) as exc:
        value(indicator, year=2024, status="not_reported", value=Decimal(0), stated_as="").full_clean()
    assert "no se registra como 0" in messages(exc)
    with pytest.raises(IntegrityError), transaction.atomic():
        value(indicator, year=2024, status="not_reported", value=Decimal(0)).save()


def test_not_reported_without_a_value_is_stored_as_nothing(indicator):
    missing = value(indicator, year=2024, status="not_reported", value=None, stated_as="")
    missing.full_clean()
    missing.save()
    assert IndicatorValue.objects.get(pk=missing.pk).value is None
    assert str(missing) == "T-VISAS 2024: No reportado"


def test_reported_needs_a_value(indicator):
    with pytest.raises(ValidationError) as exc:
        value(indicator, value=None).full_clean()
    assert "lleva su valor" in messages(exc)
    with pytest.raises(IntegrityError), transaction.atomic():
        value(indicator, value=None).save()


def test_the_quote_must_be_verbatim_in_a_copied_source(indicator):
    with pytest.raises(ValidationError) as exc:
        value(indicator, quote="The government reported providing nine humanitarian visas.").full_clean()
    assert "no aparece textualmente en «TIP 2025, Protection»" in messages(exc)
    # Line breaks and double spaces do not matter.
    value(indicator, quote=QUOTE.replace(" humanitarian ", "\n  humanitarian ")).full_clean()


def test_the_figure_must_be_in_the_quote_and_say_the_value(indicator):
    with pytest.raises(ValidationError) as exc:
        value(indicator, stated_as="ten").full_clean()
    assert "«ten» no aparece en la cita" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        value(indicator, value=Decimal(8)).full_clean()
    assert "«nine» no dice 8" in messages(exc)


def test_a_source_that_is_not_a_copied_document_is_not_checked_verbatim(indicator):
    value(
        indicator, source="Respuesta de la FGR a la solicitud 2026-01", quote="Se otorgaron 9 visas.", stated_as="9"
    ).full_clean()


def test_one_period_a_year_or_a_date_range(indicator):
    with pytest.raises(ValidationError):
        value(indicator, period_start=date(2024, 1, 1), period_end=date(2024, 6, 30)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        value(indicator, year=None, period_start=date(2024, 6, 30), period_end=date(2024, 1, 1)).save()
    value(indicator, year=None, period_start=date(2024, 1, 1), period_end=date(2024, 6, 30)).full_clean()


def test_a_percentage_needs_its_base(indicator):
    with pytest.raises(ValidationError) as exc:
        value(indicator, unit="percent").full_clean()
    assert "base" in messages(exc)
    value(indicator, unit="percent", percent_base="de algo").full_clean()


def test_the_same_breakdown_twice_is_refused_even_with_empty_dimensions(indicator):
    value(indicator).save()
    with pytest.raises(ValidationError) as exc:
        value(indicator).full_clean()
    assert "Ya hay un valor" in messages(exc)
    with pytest.raises(IntegrityError), transaction.atomic():
        value(indicator).save()
    value(indicator, state=State.objects.get(code="09")).full_clean()  # another breakdown


def test_the_migration_created_the_32_states():
    assert State.objects.count() == 32
    assert State.objects.get(code="15").short_name == "Estado de México"


def test_a_state_fact_quote_must_be_verbatim():
    fact = StateFact(
        code="x",
        state=State.objects.get(code="06"),
        topic="victims",
        text_es="t",
        source="CNDH 2019 ¶38",
        quote="Colima had none.",
    )
    with pytest.raises(ValidationError):
        fact.full_clean()


def test_reiterated_since_and_how_long_an_ask_has_been_made():
    old = Recommendation.objects.create(code="A-2012", issuer="tip_2012", text_es="a", year=2012)
    mid = Recommendation.objects.create(code="B-2019", issuer="cndh_2019", text_es="b", year=2019)
    new = Recommendation.objects.create(code="C-2025", issuer="tip_2025", text_es="c", year=2025)
    alone = Recommendation.objects.create(code="D-2025", issuer="tip_2025", text_es="d", year=2025)
    ask = RecurringAsk.objects.create(code="datos", title_es="Datos", summary_es="s")
    for recommendation in (old, mid, new):
        RecurringAskLink.objects.create(ask=ask, recommendation=recommendation, reason_es="pide datos")
    assert new.reiterated_since == 2012
    assert list(new.earlier_asks()) == [old, mid]
    assert old.reiterated_since is None
    assert alone.reiterated_since is None
    assert ask.years() == [2012, 2019, 2025]
    assert ask.years_asked(2026) == 14
