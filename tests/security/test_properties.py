"""Property-based tests (hypothesis): the scoring functions (reports.scoring) and the import
validators (agencies/obligations resources, lib.formulas) hold for any input, not only for
the hand-picked cases."""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lib.formulas import FORMULA_PREFIXES, escape_formula, is_formula
from reports import scoring

STATUS = st.sampled_from([*scoring.STATUSES, "", scoring.UNRATED, "bogus"])
COMPONENT = st.sampled_from(["prevention", "assistance", "prosecution", "coordination"])
RATING = st.builds(scoring.Rating, obligation=st.text(min_size=1, max_size=8), component=COMPONENT, status=STATUS)
METHOD = scoring.get_method(scoring.DEFAULT_METHOD)


# --- scoring --------------------------------------------------------------------------------


@given(st.lists(STATUS, max_size=60))
def test_summary_is_bounded_and_counts_add_up(statuses):
    summary = scoring.summarize(statuses, METHOD)
    assert summary.total == len(statuses)
    assert sum(summary.counts.values()) == len(statuses)
    assert 0 <= summary.with_information <= summary.applicable <= summary.total
    if summary.applicable:
        assert 0.0 <= summary.score <= 1.0
        assert 0.0 <= summary.no_information_share <= 1.0
    else:
        assert summary.score is None
    # Coverage is measured over the applicable obligations and the pending (unrated) ones.
    assert summary.coverage_base == summary.applicable + summary.pending
    if summary.coverage_base:
        assert 0.0 <= summary.coverage <= 1.0
    else:
        assert summary.coverage is None


@given(st.lists(STATUS, max_size=40), st.randoms(use_true_random=False))
def test_order_does_not_matter(statuses, rnd):
    shuffled = list(statuses)
    rnd.shuffle(shuffled)
    a, b = scoring.summarize(statuses, METHOD), scoring.summarize(shuffled, METHOD)
    assert a.counts == b.counts
    assert (a.score is None and b.score is None) or math.isclose(a.score, b.score)


@given(st.lists(STATUS, max_size=40), st.integers(min_value=1, max_value=10))
def test_not_applicable_and_unrated_never_move_the_score(statuses, extra):
    before = scoring.summarize(statuses, METHOD)
    after = scoring.summarize(
        statuses + [scoring.NOT_APPLICABLE] * extra + [scoring.UNRATED] * extra + [""] * extra, METHOD
    )
    assert before.score == after.score
    assert after.total == before.total + 3 * extra
    # Unrated obligations are pending: they widen the coverage base (issue 12), never the informed count.
    assert after.pending == before.pending + 2 * extra
    assert after.with_information == before.with_information
    assert after.coverage_base == before.coverage_base + 2 * extra


@given(st.lists(STATUS, min_size=1, max_size=40), st.data())
def test_improving_one_rating_never_lowers_the_score(statuses, data):
    order = [scoring.NOT_COMPLIED, scoring.PARTIALLY_COMPLIED, scoring.COMPLIED]
    index = data.draw(st.integers(min_value=0, max_value=len(statuses) - 1))
    assume(statuses[index] in order[:-1])
    better = list(statuses)
    better[index] = order[order.index(statuses[index]) + 1]
    assert scoring.summarize(better, METHOD).score > scoring.summarize(statuses, METHOD).score


@given(st.lists(STATUS, max_size=40))
def test_no_information_weighs_like_not_complied_but_is_counted_apart(statuses):
    as_no_info = [scoring.NO_INFORMATION if s == scoring.NOT_COMPLIED else s for s in statuses]
    a, b = scoring.summarize(statuses, METHOD), scoring.summarize(as_no_info, METHOD)
    assert a.score == b.score
    assert b.no_information == a.no_information + a.counts[scoring.NOT_COMPLIED]


@given(st.lists(RATING, max_size=60))
def test_overall_score_is_the_applicable_weighted_mean_of_components(ratings):
    card = scoring.score(ratings, METHOD, components=["prevention", "assistance", "prosecution", "coordination"])
    assert set(card.components) >= {"prevention", "assistance", "prosecution", "coordination"}
    applicable = sum(s.applicable for s in card.components.values())
    assert applicable == card.overall.applicable
    if applicable:
        weighted = sum(s.score * s.applicable for s in card.components.values() if s.applicable) / applicable
        assert math.isclose(weighted, card.overall.score, abs_tol=1e-12)


@given(
    st.one_of(st.none(), st.floats(0, 1)),
    st.one_of(st.none(), st.floats(0, 1)),
)
def test_trends_are_antisymmetric(a, b):
    forward, backward = scoring.trend(a, b), scoring.trend(b, a)
    if a is None:
        assert forward is None
    elif b is None:
        assert forward == scoring.NEW
    else:
        pairs = {scoring.IMPROVED: scoring.WORSENED, scoring.WORSENED: scoring.IMPROVED}
        assert backward == pairs.get(forward, scoring.UNCHANGED)


def test_an_unknown_method_is_an_error_not_a_silent_rescore():
    with pytest.raises(KeyError):
        scoring.get_method("cndh-2099-v9")


# --- formula escaping ---------------------------------------------------------------------


@given(st.text(max_size=50))
def test_escaped_cells_never_start_a_formula(value):
    escaped = escape_formula(value)
    assert not (escaped.startswith(FORMULA_PREFIXES) and not escaped.startswith("'"))
    if not is_formula(value):
        assert escaped == value  # harmless text is left alone
    else:
        assert escaped == "'" + value


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False)))
def test_numbers_are_never_formulas(value):
    assert escape_formula(value) == value


# --- import validators (real resources, real database) -------------------------------------

SAFE_TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='",\n\r'),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda s: s and not is_formula(s))
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=SAFE_TEXT)
def test_any_harmless_agency_name_round_trips_exactly(name):
    from agencies.models import Agency
    from agencies.resources import AgencyResource, import_file, result_messages

    Agency.objects.filter(acronym="PROP").delete()
    body = "acronym,name_es\nPROP," + '"' + name + '"\n'
    result = import_file(AgencyResource(), body.encode("utf-8"), "csv", dry_run=False)
    assert result_messages(result) == []
    assert Agency.objects.get(acronym="PROP").name_es == name


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(FORMULA_PREFIXES), rest=SAFE_TEXT)
def test_any_formula_cell_is_refused_and_nothing_is_written(prefix, rest):
    from agencies.models import Agency
    from agencies.resources import AgencyResource, import_file, result_messages

    before = Agency.objects.count()
    cell = prefix + rest
    body = 'acronym,name_es\nPROPA,Buena\nPROPB,"' + cell + '"\n'
    result = import_file(AgencyResource(), body.encode("utf-8"), "csv", dry_run=False)
    messages = "\n".join(result_messages(result))
    assert "fórmula" in messages
    assert Agency.objects.count() == before  # the good row is not imported either


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_importer(content):
    from agencies.models import Agency
    from agencies.resources import AgencyResource, ImportFileError, import_file, result_messages

    before = Agency.objects.count()
    try:
        result = import_file(AgencyResource(), content, "csv", dry_run=False)
    except ImportFileError as refused:
        assert str(refused)  # a message for the user
    else:
        result_messages(result)  # readable whatever happened
        if result.has_errors() or result.has_validation_errors():
            assert Agency.objects.count() == before
