"""When an auditor opens a new cycle, the obligations whose legal basis a reform or repeal changed
since the previous cycle are flagged in the admin (list filter and column), and a basis on repealed
text says what replaced it, or that nothing did (obligations.law_basis)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from obligations.law_basis import basis_prefetch, basis_text, changes_text, review_window
from obligations.models import LegalInstrument, Obligation, Provision, ProvisionVersion, ReviewCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_cycle(db):
    call_command("load_reference_data", verbosity=0)
    cache.clear()
    return ReviewCycle.objects.create(
        slug="mx-2024", name_es="Ciclo 2017–2024", period_start=date(2017, 8, 1), period_end=date(2024, 12, 31)
    )


def test_obligations_whose_basis_changed_since_the_previous_cycle(new_cycle, client, auditora):
    window = review_window(new_cycle)
    assert window == (date(2017, 7, 31), date(2024, 12, 31))  # from the end of CNDH 2019's period
    changed = set(Obligation.objects.basis_changed_during(*window).values_list("code", flat=True))
    # art. 89 fr. X repealed on 20-05-2021 (PGR's findings); art. 90 fr. VI amended on 07-06-2024.
    assert {"PREV-06", "PREV-07", "PREV-08", "PROC-01", "PROC-02", "ASIS-12"} <= changed
    assert "PREV-15" not in changed  # art. 89 fr. VI: never amended
    assert review_window(ReviewCycle.objects.get(slug="cndh-2019")) is None  # the first cycle

    client.force_login(auditora)
    url = reverse("admin:obligations_obligation_changelist")
    response = client.get(url, {"fundamento_reformado": "mx-2024"})
    assert response.status_code == 200
    listed = {o.code for o in response.context["cl"].result_list}
    assert listed == changed
    body = response.content.decode()
    assert "derogada, DOF 20-05-2021; hoy: LGPSEDMTP art. 126" in body
    assert "LGPSEDMTP art. 90 fr. VI (reforma DOF 07-06-2024; reformada durante el periodo)" in body


def test_the_change_column_says_what_replaced_a_repeal(new_cycle):
    window = review_window(new_cycle)
    pgr = Obligation.objects.prefetch_related(*basis_prefetch()).get(code="PREV-06")
    assert changes_text(pgr, window).startswith(
        "LGPSEDMTP art. 89 fr. X (derogada, DOF 20-05-2021; hoy: LGPSEDMTP art. 126"
    )
    modules = Obligation.objects.prefetch_related(*basis_prefetch()).get(code="PREV-15")
    assert changes_text(modules, window) == ""


def test_a_repeal_with_no_replacement_says_so(db):
    law = LegalInstrument.objects.create(code="LEY", short_name="Ley", name_es="Ley", kind="law")
    decree = LegalInstrument.objects.create(
        code="REF", short_name="Reforma", name_es="Reforma", kind="reform", amends=law, published_on=date(2021, 5, 20)
    )
    provision = Provision.objects.create(instrument=law, article="85", fraction="XV")
    ProvisionVersion.objects.create(
        provision=provision, valid_from=date(2012, 6, 15), valid_until=date(2021, 5, 20), paraphrase_es="Texto"
    )
    ProvisionVersion.objects.create(provision=provision, valid_from=date(2021, 5, 21), amended_by=decree, repealed=True)
    obligation = Obligation.objects.create(
        code="X-1", title_es="X", component="coordination", level=1, basis_confidence="high", basis_reason_es="R"
    )
    obligation.provisions.set([provision])
    loaded = Obligation.objects.prefetch_related(*basis_prefetch()).get(pk=obligation.pk)
    basis = loaded.basis_for_period(date(2022, 1, 1), date(2022, 12, 31))
    assert basis_text(basis) == "Ley art. 85 fr. XV (derogada, DOF 20-05-2021; sin disposición que la sustituya)"
    before = loaded.basis_for_period(date(2012, 1, 1), date(2012, 3, 31))  # before the Law was in force
    assert basis_text(before) == "Ley art. 85 fr. XV (no vigente en el periodo)"
    Obligation.objects.filter(pk=obligation.pk).update(basis_confidence="")  # nobody reviewed it
    unreviewed = Obligation.objects.prefetch_related(*basis_prefetch()).get(pk=obligation.pk)
    assert basis_text(unreviewed.basis_for_period(date(2012, 1, 1), date(2012, 3, 31))).endswith("— por verificar")


def test_opening_a_cycle_warns_of_the_changed_bases(db, client, auditora):
    call_command("load_reference_data", verbosity=0)
    client.force_login(auditora)
    data = {
        "name_es": "Ciclo 2017–2024",
        "slug": "mx-2024",
        "period_start": "2017-08-01",
        "period_end": "2024-12-31",
        "methodology_version": "cndh-2019-v1",
    }
    response = client.post(reverse("admin:obligations_reviewcycle_open"), {**data, "confirm": "yes"}, follow=True)
    cycle = ReviewCycle.objects.get(slug="mx-2024")
    changed = Obligation.objects.basis_changed_during(*review_window(cycle)).count()
    shown = [str(m) for m in response.context["messages"]]
    assert any(
        m.startswith(f"{changed} obligaciones tienen un fundamento legal reformado o derogado")
        and "fundamento_reformado=mx-2024" in m
        for m in shown
    ), shown


def test_one_changed_basis_is_announced_in_the_singular(db, client, auditora):
    law = LegalInstrument.objects.create(code="LEY", short_name="Ley", name_es="Ley", kind="law")
    decree = LegalInstrument.objects.create(
        code="REF", short_name="Reforma", name_es="Reforma", kind="reform", amends=law, published_on=date(2021, 5, 20)
    )
    provision = Provision.objects.create(instrument=law, article="85", fraction="XV")
    ProvisionVersion.objects.create(
        provision=provision, valid_from=date(2012, 6, 15), valid_until=date(2021, 5, 20), paraphrase_es="Texto"
    )
    ProvisionVersion.objects.create(provision=provision, valid_from=date(2021, 5, 21), amended_by=decree, repealed=True)
    obligation = Obligation.objects.create(
        code="X-1", title_es="X", component="coordination", level=1, basis_confidence="high", basis_reason_es="R"
    )
    obligation.provisions.set([provision])
    ReviewCycle.objects.create(
        slug="antes", name_es="Antes", period_start=date(2016, 1, 1), period_end=date(2017, 7, 31)
    )
    client.force_login(auditora)
    data = {
        "name_es": "Ciclo 2017–2024",
        "slug": "mx-2024",
        "period_start": "2017-08-01",
        "period_end": "2024-12-31",
        "methodology_version": "cndh-2019-v1",
    }
    response = client.post(reverse("admin:obligations_reviewcycle_open"), {**data, "confirm": "yes"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(
        m.startswith("1 obligación tiene un fundamento legal reformado o derogado desde el ciclo anterior.")
        for m in shown
    ), shown


def test_the_changed_basis_filter_costs_the_same_for_any_number_of_cycles(db, client, auditora):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cycle(year):
        return ReviewCycle.objects.create(
            slug=f"c-{year}", name_es=f"Ciclo {year}", period_start=date(year, 1, 1), period_end=date(year, 12, 31)
        )

    cycle(2018), cycle(2019)
    client.force_login(auditora)
    url = reverse("admin:obligations_obligation_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    before, _ = queries()
    for year in range(2020, 2026):
        cycle(year)
    after, body = queries()
    assert after == before
    assert "fundamento_reformado=c-2025" in body and "fundamento_reformado=c-2018" not in body  # the first has none
