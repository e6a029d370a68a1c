"""`bases_for_period` (many obligations at once, each provision worked out once) gives exactly
what `Obligation.legal_basis` and `Obligation.basis_for_period` give one by one, on the loaded
law: reforms, repeals with what replaced them, and periods on either side of each reform."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obligations.law_basis import bases_for_period, basis_prefetch
from obligations.models import Obligation

pytestmark = pytest.mark.django_db

PERIODS = [
    (date(2012, 6, 15), date(2017, 7, 31)),  # CNDH 2019 (¶7)
    (date(2017, 8, 1), date(2024, 12, 31)),  # across the 2018, 2021, 2023 and 2024 reforms
    (date(2012, 6, 15), date(2012, 12, 31)),  # before any reform
    (date(2025, 1, 1), date(2026, 12, 31)),
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_same_basis_as_one_by_one(law, start, end):
    obligations = list(Obligation.objects.prefetch_related(*basis_prefetch()))
    assert len(obligations) >= 122
    with CaptureQueriesContext(connection) as queries:
        fast = bases_for_period([o.pk for o in obligations], start, end)
    for obligation in obligations:
        assert fast[obligation.pk] == (obligation.legal_basis, obligation.basis_for_period(start, end)), obligation.code
    assert len(queries.captured_queries) <= 6  # links, provisions, versions, replacements, obligations


def test_repeals_reforms_and_no_basis_are_all_there(law):
    fast = bases_for_period(Obligation.objects.values_list("pk", flat=True), *PERIODS[1])
    items = [item for _citation, basis in fast.values() for item in basis["items"]]
    assert any(item["version"] and item["version"]["repealed"] and item["replaced_by"] for item in items)
    assert any(item["changed_in_period"] for item in items)
    assert any(not basis["statutory"] for _citation, basis in fast.values())


def test_each_basis_is_its_own_data(law):
    """Obligations citing the same provision get equal, separate dicts (a caller may change one)."""
    fast = bases_for_period(Obligation.objects.values_list("pk", flat=True), *PERIODS[0])
    seen = {}
    for _citation, basis in fast.values():
        for item in basis["items"]:
            key = item["citation"]
            if key in seen:
                assert item == seen[key] and item is not seen[key]
                if item["version"]:
                    assert item["version"] is not seen[key]["version"]
            seen[key] = item
    assert len(seen) < sum(len(basis["items"]) for _c, basis in fast.values())  # provisions were shared


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_text_written_once_per_provision_is_the_same_text(law, start, end):
    from django.utils import translation

    from obligations.law_basis import basis_text

    bases = [
        basis for _c, basis in bases_for_period(Obligation.objects.values_list("pk", flat=True), start, end).values()
    ]
    for language in ("es-mx", "en"):
        with translation.override(language):
            memo: dict = {}
            assert [basis_text(b, "", memo) for b in bases] == [basis_text(b) for b in bases]
            assert 0 < len(memo) < sum(len(b["items"]) for b in bases)


def test_ids_as_a_subquery_give_the_same_bases(law):
    start, end = PERIODS[1]
    some = Obligation.objects.filter(code__startswith="PREV")
    assert bases_for_period(some.values("pk"), start, end) == bases_for_period(
        list(some.values_list("pk", flat=True)), start, end
    )
