"""The scoring method by hand: every expected figure below is computed in the comment next to it."""

import pytest

from reports import scoring
from reports.scoring import Rating

V1 = scoring.get_method("cndh-2019-v1")


def ratings(*pairs):
    return [Rating(f"OB-{i}", component, status) for i, (component, status) in enumerate(pairs)]


def test_default_method_weights():
    assert scoring.DEFAULT_METHOD == "cndh-2019-v1"
    assert V1.value("complied") == 1
    assert V1.value("partially_complied") == 0.5
    assert V1.value("not_complied") == 0
    assert V1.value("no_information") == 0
    assert V1.value("not_applicable") is None


def test_mixed_statuses():
    card = scoring.score(
        ratings(
            ("prevention", "complied"),
            ("prevention", "partially_complied"),
            ("prevention", "not_complied"),
            ("assistance", "no_information"),
            ("assistance", "not_applicable"),
            ("assistance", "complied"),
        ),
        V1,
    )
    # applicable: 5 (the not_applicable one is out); points 1 + 0.5 + 0 + 0 + 1 = 2.5 → 0.5
    assert card.overall.score == pytest.approx(0.5)
    assert card.overall.applicable == 5
    assert card.overall.total == 6
    # with information: complied ×2, partially, not complied = 4 of 5
    assert card.overall.coverage == pytest.approx(0.8)
    assert card.overall.no_information == 1
    assert card.overall.no_information_share == pytest.approx(0.2)
    assert card.overall.counts["not_applicable"] == 1
    # prevention: (1 + 0.5 + 0) / 3 = 0.5; assistance: (0 + 1) / 2 = 0.5, coverage 1/2
    assert card.components["prevention"].score == pytest.approx(0.5)
    assert card.components["assistance"].score == pytest.approx(0.5)
    assert card.components["assistance"].coverage == pytest.approx(0.5)


def test_agency_score_is_mean_over_obligations_not_mean_of_components():
    card = scoring.score(
        ratings(("prevention", "complied"), ("assistance", "not_complied"), ("assistance", "not_complied")), V1
    )
    # obligations: (1 + 0 + 0) / 3 = 1/3, while the mean of component scores would be (1 + 0) / 2
    assert card.overall.score == pytest.approx(1 / 3)


def test_all_not_applicable_has_no_score():
    card = scoring.score(ratings(("prevention", "not_applicable"), ("prevention", "not_applicable")), V1)
    assert card.overall.score is None
    assert card.overall.coverage is None
    assert card.overall.applicable == 0
    assert card.overall.total == 2
    assert card.components["prevention"].score is None


def test_no_assessments_reports_every_requested_component_empty():
    card = scoring.score([], V1, ["prevention", "prosecution"])
    assert card.overall.score is None
    assert card.overall.total == 0
    assert set(card.components) == {"prevention", "prosecution"}
    assert card.components["prosecution"].score is None


def test_only_no_information_scores_zero_with_zero_coverage():
    card = scoring.score(ratings(("prevention", "no_information")), V1)
    assert card.overall.score == 0
    assert card.overall.coverage == 0
    assert card.overall.no_information == 1


def test_unrated_assessments_are_counted_but_never_scored():
    card = scoring.score(ratings(("prevention", ""), ("prevention", "complied")), V1)
    assert card.overall.score == 1
    assert card.overall.counts["unrated"] == 1
    assert card.overall.applicable == 1


def test_method_versioning(monkeypatch):
    strict = scoring.Method(
        version="strict-test",
        weights={**V1.weights, "partially_complied": 0.0},
        informative=V1.informative,
    )
    monkeypatch.setitem(scoring.METHODS, "strict-test", strict)
    data = ratings(("prevention", "complied"), ("prevention", "partially_complied"))
    assert scoring.score(data, scoring.get_method("cndh-2019-v1")).overall.score == pytest.approx(0.75)
    assert scoring.score(data, scoring.get_method("strict-test")).overall.score == pytest.approx(0.5)
    assert scoring.score(data, scoring.get_method("strict-test")).method == "strict-test"


def test_unknown_method_is_an_error():
    with pytest.raises(KeyError, match="no-such-method"):
        scoring.get_method("no-such-method")


@pytest.mark.parametrize(
    "current, previous, had_previous, expected",
    [
        (0.5, 0.25, True, "improved"),
        (0.25, 0.5, True, "worsened"),
        (0.5, 0.5, True, "unchanged"),
        (0.5, None, True, "new"),
        (0.5, 0.5, False, "new"),
        (None, 0.5, True, None),
    ],
)
def test_trend(current, previous, had_previous, expected):
    assert scoring.trend(current, previous, had_previous=had_previous) == expected


def test_obligation_trends():
    current = {"A": "complied", "B": "not_complied", "C": "partially_complied", "D": "complied", "E": "not_applicable"}
    previous = {"A": "partially_complied", "B": "partially_complied", "C": "partially_complied", "E": "complied"}
    assert scoring.obligation_trends(current, previous, V1) == {
        "A": "improved",
        "B": "worsened",
        "C": "unchanged",
        "D": "new",
        "E": None,
    }
    assert scoring.obligation_trends({"A": "complied"}, None, V1) == {"A": "new"}


def test_previously_not_applicable_is_new():
    assert scoring.obligation_trends({"A": "complied"}, {"A": "not_applicable"}, V1) == {"A": "new"}


def test_component_trends():
    before = scoring.score(ratings(("prevention", "not_complied"), ("assistance", "complied")), V1)
    after = scoring.score(
        ratings(("prevention", "complied"), ("assistance", "complied"), ("prosecution", "complied")), V1
    )
    trends = scoring.component_trends(after, before)
    assert trends == {"prevention": "improved", "assistance": "unchanged", "prosecution": "new", "overall": "improved"}
    assert scoring.component_trends(after, None)["overall"] == "new"


def test_summary_as_dict_is_json_ready():
    import json

    summary = scoring.summarize(["complied", "no_information"], V1).as_dict()
    assert json.loads(json.dumps(summary))["coverage"] == 0.5
    assert summary["score"] == 0.5
