"""The public figures, states and recommendations pages (reports.figure_views) on the real
reference data: every figure shown with its source and quote, "no reportado" never shown as 0,
the increasing-effort rule, the 32 state pages with gaps shown as gaps, the register with its
repeats, and the same public page for every role."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from obligations.figure_choices import ValueStatus
from obligations.models import (
    Indicator,
    IndicatorValue,
    Recommendation,
    RecommendationFollowUp,
    RecurringAskLink,
    ReviewCycle,
    State,
    StateFact,
)
from reports.figures import Effort, effort_flag
from tests.obligations.conftest import law  # noqa: F401 — the reference data, loaded once per module

pytestmark = pytest.mark.django_db

PAGES = ["/cifras/", "/cifras/FEVIMTRA/", "/entidades/", "/entidades/06/", "/recomendaciones/"]


def rows_by_value(content: str) -> dict[int, str]:
    """Each figure's table row on a page, by the value's primary key (a value may appear twice:
    in the series and in a breakdown; the rows are the same)."""
    rows = {}
    for match in re.finditer(r'<tr data-value="(\d+)" data-status="[a-z_]+">(.*?)</tr>', content, re.S):
        rows[int(match.group(1))] = match.group(2)
    return rows


def figure_cell(row: str) -> str:
    cell = re.search(r'<td class="num" data-label="Cifra">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", "", cell.split('<span class="meta">')[0]).strip()


def test_every_figure_on_the_national_page_shows_its_value_source_and_quote(law, client):  # noqa: F811
    content = client.get("/cifras/").content.decode()
    rows = rows_by_value(content)
    assert len(rows) == IndicatorValue.objects.count() == 402
    for value in IndicatorValue.objects.all():
        row = rows[value.pk]
        assert html.escape(value.quote) in row, value
        assert html.escape(value.source) in row, value
        if value.status == ValueStatus.REPORTED:
            # The printed number is the value, and the words that give it are in the quote.
            number = figure_cell(row).split(" ")[0].replace(",", "")
            assert Decimal(number) == value.value, value
            assert value.stated_as.lower() in value.quote.lower()


def test_the_sources_figures_as_quoted(law, client):  # noqa: F811
    rows = rows_by_value(client.get("/cifras/").content.decode())

    def shown(code, **filters):
        value = IndicatorValue.objects.get(indicator__code=code, **filters)
        return figure_cell(rows[value.pk]), value.quote

    figure, quote = shown("CTX-INVESTIGACIONES", year=2024, exploitation="", state=None)
    assert figure == "661" and "initiating 661 new investigations in 2024" in quote
    figure, quote = shown("CNDH19-SENTENCIAS", disaggregation="absolutorias")
    assert figure == "296" and "296 were acquittals and 562 convictions" in quote
    figure, quote = shown("CNDH19-SENTENCIAS", disaggregation="", state=None, order="")
    assert figure == "858" and "a total of 858 sentences" in quote


def test_not_reported_is_never_shown_as_zero(law, client):  # noqa: F811
    not_reported = list(IndicatorValue.objects.exclude(status=ValueStatus.REPORTED))
    assert len(not_reported) >= 15
    seen = set()
    for page in ["/cifras/", "/cifras/FEVIMTRA/", "/cifras/INM/"] + [
        f"/entidades/{code}/" for code in State.objects.values_list("code", flat=True)
    ]:
        content = client.get(page).content.decode()
        for pk, row in rows_by_value(content).items():
            value = next((v for v in not_reported if v.pk == pk), None)
            if value is None:
                continue
            assert figure_cell(row) == value.get_status_display(), (page, value)
            assert '<span class="not-reported">' in row
            seen.add(pk)
    # Every not-reported figure was looked at (the national page lists them all): not a pass by
    # finding none.
    assert seen == {v.pk for v in not_reported}
    # In the charts a not-reported figure is a hatched bar labelled as such, never a 0.
    content = client.get("/cifras/").content.decode()
    svg = re.search(
        r'<svg[^>]*id="chart-\d+-series".*?</svg>', content[content.index('id="m-CTX-INVESTIGACIONES"') :], re.S
    )
    assert "No reportado" in svg.group(0)
    assert ">0<" not in svg.group(0)


def value(year, number, status=ValueStatus.REPORTED, unit="count"):
    return IndicatorValue(year=year, value=None if number is None else Decimal(number), status=status, unit=unit)


@pytest.mark.parametrize(
    ("series", "flag"),
    [
        ([value(2023, 531), value(2024, 661)], Effort.INCREASING),
        ([value(2023, 182), value(2024, 98)], Effort.NOT_INCREASING),
        ([value(2023, 98), value(2024, 98)], Effort.NOT_INCREASING),
        ([value(2023, 10), value(2024, None, ValueStatus.NOT_REPORTED)], Effort.NOT_REPORTED),
        ([value(2023, None, ValueStatus.NOT_REPORTED), value(2024, 5)], Effort.NOT_REPORTED),
        ([value(2011, 3), value(2024, 5)], Effort.NOT_REPORTED),  # no figure for 2023
        ([value(2024, 5)], Effort.NOT_REPORTED),
        ([], Effort.NOT_REPORTED),
        ([value(2023, 10, unit="percent"), value(2024, 20)], Effort.NOT_REPORTED),
    ],
)
def test_the_increasing_effort_rule(series, flag):
    assert effort_flag("CTX-X", series)[0] == flag


def test_a_context_measure_is_not_judged():
    assert effort_flag("CNDH19-INDICE-ESCLAVITUD", [value(2013, 3), value(2014, 5)])[0] == Effort.NOT_APPLICABLE


def test_the_flags_and_changes_on_the_national_page(law, client):  # noqa: F811
    content = client.get("/cifras/").content.decode()

    def summary(code):
        return re.search(rf'<tr data-indicator="{code}" data-effort="([a-z_]+)">(.*?)</tr>', content, re.S)

    investigations = summary("CTX-INVESTIGACIONES")
    assert investigations.group(1) == "increasing"
    assert "+130 (+24 %)" in investigations.group(2) and "2023→2024" in investigations.group(2)
    convictions = summary("CTX-CONDENADOS")
    assert convictions.group(1) == "not_increasing" and "-84 (-46 %)" in convictions.group(2)
    assert summary("CTX-VISAS-HUMANITARIAS").group(1) == "not_reported"
    assert summary("CNDH19-SENTENCIAS").group(1) == "not_reported"  # one 2012–2017 period, no yearly series
    assert "Esfuerzo creciente: la cifra total del último año" in content


def test_the_agency_page_shows_only_that_agencys_figures(law, client):  # noqa: F811
    content = client.get("/cifras/INM/").content.decode()
    assert set(rows_by_value(content)) == set(
        IndicatorValue.objects.filter(agency__acronym="INM").values_list("pk", flat=True)
    )
    assert client.get("/cifras/NO-EXISTE/").status_code == 404


def test_every_state_has_a_page_with_gaps_shown_as_gaps(law, client):  # noqa: F811
    overview = client.get("/entidades/").content.decode()
    assert overview.count('<tr data-state="') == 32
    assert len(re.findall(r'<a href="/entidades/\d\d/"', overview)) == 64  # a square and a table row per state
    for state in State.objects.all():
        content = client.get(f"/entidades/{state.code}/").content.decode()
        topics_with_facts = set(state.facts.values_list("topic", flat=True))
        gaps = re.findall(r'<tr data-topic="([a-z_]+)" class="gap-row">', content)
        assert len(gaps) == 12 - len(topics_with_facts)
        assert not topics_with_facts & set(gaps)
        for fact in state.facts.all():
            assert f'data-fact="{fact.code}"' in content
    colima = client.get("/entidades/06/").content.decode()
    # TIP 2025's "30 of 32 states" names no state: it is shown as such, not as a fact of Colima.
    unnamed = StateFact.objects.filter(state__isnull=True, topic="specialised_unit").first()
    assert f'data-unnamed="{unnamed.code}"' in colima and "La fuente no nombra las entidades" in colima
    assert client.get("/entidades/33/").status_code == 404


def test_the_register_lists_every_recommendation_with_its_repeats(law, client):  # noqa: F811
    content = client.get("/recomendaciones/").content.decode()
    assert content.count('data-recommendation="') == Recommendation.objects.count() == 104
    link = RecurringAskLink.objects.filter(recommendation__year=2025).select_related("ask").first()
    first = min(link.ask.years())
    row = re.search(rf'<tr id="r-{link.recommendation.code}".*?</tr>', content, re.S).group(0)
    assert f"Reiterada desde {first}" in row
    filtered = client.get("/recomendaciones/?emisor=tip_2005").content.decode()
    assert filtered.count('data-recommendation="') == Recommendation.objects.filter(issuer="tip_2005").count()


@pytest.fixture
def follow_ups(law, sep):  # noqa: F811
    rec = Recommendation.objects.order_by("code").first()
    published = ReviewCycle.objects.create(
        slug="publicado",
        name_es="Publicado",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        state="published",
        published_at=timezone.now(),
    )
    open_cycle = ReviewCycle.objects.create(
        slug="abierto", name_es="Abierto", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    shown = RecommendationFollowUp.objects.create(
        recommendation=rec,
        cycle=published,
        status="in_progress",
        note="Nota publicada",
        evidence="Oficio 123/2024 de la dependencia",
    )
    hidden = RecommendationFollowUp.objects.create(
        recommendation=rec, cycle=open_cycle, status="fulfilled", note="Nota preliminar"
    )
    return shown, hidden


@pytest.mark.parametrize("persona", [None, "enlace_sep", "secretariado", "auditora"])
def test_the_pages_are_public_and_the_same_for_every_role(law, client, follow_ups, persona, request):  # noqa: F811
    shown, hidden = follow_ups
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    register = client.get("/recomendaciones/").content.decode()
    assert f'data-follow-up="{shown.pk}"' in register and "Nota publicada" in register
    assert "Evidencia: Oficio 123/2024 de la dependencia" in register
    assert f'data-follow-up="{hidden.pk}"' not in register and "Nota preliminar" not in register


def test_indicators_without_values_are_not_listed(law, client):  # noqa: F811
    content = client.get("/cifras/").content.decode()
    without = Indicator.objects.filter(values__isnull=True).first()
    assert without is not None and f'data-indicator="{without.code}"' not in content


def test_the_scorecard_shows_how_long_each_open_ask_has_been_made(law, client, auditora):  # noqa: F811
    link = (
        RecurringAskLink.objects.filter(recommendation__year=2025, recommendation__addressees__isnull=False)
        .select_related("ask", "recommendation")
        .first()
    )
    rec, first = link.recommendation, min(link.ask.years())
    assert first < 2025
    agency = rec.addressees.first()
    ReviewCycle.objects.create(
        slug="c-2026", name_es="Ciclo 2026", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30)
    )
    client.force_login(auditora)
    content = client.get(f"/agencias/{agency.acronym}/?ciclo=c-2026").content.decode()
    item = re.search(rf'<li data-open-ask="{re.escape(rec.code)}">(.*?)</li>', content, re.S).group(1)
    assert f"se pide desde {first} ({2026 - first} años al cierre del ciclo)" in " ".join(item.split())


def test_a_follow_up_other_than_pending_needs_its_evidence(follow_ups):
    from django.core.exceptions import ValidationError

    shown, _hidden = follow_ups
    shown.full_clean()
    shown.evidence = "  "
    with pytest.raises(ValidationError) as refused:
        shown.full_clean()
    assert list(refused.value.message_dict) == ["evidence"]
    shown.status = "pending"
    shown.full_clean()
