"""One row of each kind of figure data (a not-reported value, a fact about Colima, a recurring
ask linking two recommendations), for tests that need the API's figure lists non-empty without
loading the whole reference catalogue."""

import pytest


@pytest.fixture
def figure_rows(db, inm):
    from obligations.models import (
        Indicator,
        IndicatorValue,
        Recommendation,
        RecurringAsk,
        RecurringAskLink,
        State,
        StateFact,
    )

    state = State.objects.get(code="06")  # the 32 states come with the migrations
    fact = StateFact.objects.create(
        code="col-victimas",
        state=state,
        topic="victims",
        text_es="No identificó víctimas.",
        source="Prueba",
        quote="No victims.",
    )
    indicator = Indicator.objects.create(code="T-VISAS", statement_es="Visas humanitarias", kind="context")
    value = IndicatorValue.objects.create(
        indicator=indicator, status="not_reported", year=2024, agency=inm, source="Prueba", quote="Not reported."
    )
    old = Recommendation.objects.create(code="T-2005", issuer="tip_2005", text_es="Datos", year=2005)
    new = Recommendation.objects.create(code="T-2025", issuer="tip_2025", text_es="Datos otra vez", year=2025)
    ask = RecurringAsk.objects.create(code="datos", title_es="Mejores datos", summary_es="Datos")
    links = [RecurringAskLink.objects.create(ask=ask, recommendation=rec, reason_es="Pide datos") for rec in (old, new)]
    return {"state": state, "fact": fact, "value": value, "links": links}
