"""Specification of the readiness scores: weights, missing answers, stages, gaps,
recommendations, percentiles and change between assessments."""

import json
from pathlib import Path

import pytest

from metacluster.core.readiness import (
    InvalidAnswers,
    change,
    parse_instrument,
    percentile_rank,
    percentile_ranks,
    score,
    stage_for,
)

from .helpers import instrument_data

INSTRUMENT = parse_instrument(instrument_data())
SHIPPED = Path(__file__).parents[3] / "readiness" / "instruments"


def test_effective_weights_split_each_dimension_by_item_weight():
    # people (weight 1): p1 1/4, p2 3/4; offer (weight 2): o1 and o2 1 each.
    assert INSTRUMENT.effective_weights == pytest.approx({"p1": 0.25, "p2": 0.75, "o1": 1, "o2": 1})


def test_all_fives_score_100_and_all_zeros_score_0():
    assert score(INSTRUMENT, dict.fromkeys(["p1", "p2", "o1", "o2"], 5)).overall == 100
    assert score(INSTRUMENT, dict.fromkeys(["p1", "p2", "o1", "o2"], 0)).overall == 0


def test_item_weights_count_within_a_dimension():
    result = score(INSTRUMENT, {"p1": 5, "p2": 0, "o1": 5, "o2": 5})
    # people: (0.25·5 + 0.75·0) / (5 · 1) = 25 %
    assert result.dimensions["people"].score == pytest.approx(25)


def test_dimension_weights_count_in_the_overall_score():
    result = score(INSTRUMENT, {"p1": 0, "p2": 0, "o1": 5, "o2": 5})
    # offer weighs 2, people 1: 2/3 of the points.
    assert result.overall == pytest.approx(200 / 3)


def test_a_missing_answer_is_left_out_not_counted_as_zero():
    full = score(INSTRUMENT, {"p1": 4, "p2": 4, "o1": 4, "o2": 4})
    missing = score(INSTRUMENT, {"p1": 4, "p2": None, "o1": 4, "o2": 4})
    assert missing.overall == pytest.approx(full.overall) == pytest.approx(80)
    assert missing.dimensions["people"].answered == 1


def test_a_missing_answer_lowers_completeness_and_its_dimensions_weight():
    result = score(INSTRUMENT, {"p1": 0, "o1": 5, "o2": 5})
    # p2 (0.75 of 3) is missing: completeness 2.25 / 3.
    assert result.completeness == pytest.approx(0.75)
    assert result.dimensions["people"].completeness == pytest.approx(0.25)
    # people now counts 0.25 against offer's 2: overall 100 · 2 / 2.25.
    assert result.overall == pytest.approx(100 * 2 / 2.25)


def test_a_dimension_without_answers_has_no_score_rather_than_zero():
    result = score(INSTRUMENT, {"o1": 3, "o2": 3})
    assert result.dimensions["people"].score is None
    assert result.axes["organisational"] is None
    assert result.overall == pytest.approx(60)


def test_no_answers_at_all_give_no_score_and_no_stage():
    result = score(INSTRUMENT, {})
    assert result.overall is None
    assert result.completeness == 0
    assert result.stage is None
    assert not result.reliable


def test_below_the_minimum_completeness_no_stage_is_given():
    # Only p1 answered: completeness 0.25 / 3 < 0.5.
    result = score(INSTRUMENT, {"p1": 5})
    assert result.overall == 100
    assert not result.reliable
    assert result.stage is None


def test_axes_score_organisational_and_product_items_separately():
    result = score(INSTRUMENT, {"p1": 5, "p2": 5, "o1": 1, "o2": 0})
    assert result.axes == pytest.approx({"organisational": 100, "product": 10})


@pytest.mark.parametrize(
    ("overall", "stage"),
    [
        (0, "domestic"),
        (19.9, "domestic"),
        (20, "pre_export"),  # a threshold belongs to the stage it opens
        (39.99, "pre_export"),
        (40, "experimental"),
        (60, "active"),
        (79.9, "active"),
        (80, "committed"),
        (100, "committed"),
        (None, None),
    ],
)
def test_stage_thresholds(overall, stage):
    assert stage_for(INSTRUMENT, overall) == stage


def test_a_threshold_reached_through_rounding_still_counts():
    assert stage_for(INSTRUMENT, 60 - 1e-12) == "active"


def test_the_biggest_gaps_weigh_shortfall_by_effective_weight():
    result = score(INSTRUMENT, {"p1": 0, "p2": 3, "o1": 4, "o2": 1})
    # gaps: p1 0.25·5 = 1.25, p2 0.75·2 = 1.5, o1 1·1 = 1, o2 1·4 = 4
    assert [g.item for g in result.gaps] == ["o2", "p2", "p1"]
    assert result.gaps[0].gap == pytest.approx(4)


def test_full_marks_are_never_a_gap():
    result = score(INSTRUMENT, {"p1": 5, "p2": 5, "o1": 5, "o2": 4})
    assert [g.item for g in result.gaps] == ["o2"]


def test_low_answers_recommend_their_service_kind_most_needed_first():
    result = score(INSTRUMENT, {"p1": 2, "p2": 5, "o1": 1, "o2": 0})
    # coaching: p1 (0.25·3) + o2 (1·5) = 5.75; product_adaptation: o1 (1·4) = 4.
    assert [(r.service, r.items) for r in result.recommendations] == [
        ("coaching", ("p1", "o2")),
        ("product_adaptation", ("o1",)),
    ]
    assert result.recommendations[0].priority == pytest.approx(5.75)


def test_answers_above_the_low_answer_recommend_nothing():
    result = score(INSTRUMENT, {"p1": 3, "p2": 3, "o1": 3, "o2": 3})
    assert result.recommendations == []


def test_the_low_answer_threshold_comes_from_the_instrument():
    lenient = parse_instrument(instrument_data(low_answer=3))
    result = score(lenient, {"p1": 3, "p2": 5, "o1": 5, "o2": 5})
    assert [r.service for r in result.recommendations] == ["coaching"]


def test_missing_answers_recommend_nothing():
    assert score(INSTRUMENT, {"p1": None, "p2": 5, "o1": 5, "o2": 5}).recommendations == []


@pytest.mark.parametrize(
    "answers",
    [
        {"p1": 6},  # above the scale
        {"p1": -1},  # below it
        {"p1": 2.5},  # not a whole answer
        {"p1": "3"},  # a string
        {"p1": True},  # a boolean is not an answer
        {"zz": 3},  # not an item of the instrument
    ],
)
def test_invalid_answers_are_refused_with_the_item_named(answers):
    with pytest.raises(InvalidAnswers) as error:
        score(INSTRUMENT, answers)
    assert set(error.value.errors) == set(answers)


def test_a_new_version_scores_the_same_answers_by_its_own_weights():
    # Version 2 doubles p1 and moves the active threshold: old answers, new figures.
    v2 = parse_instrument(
        instrument_data(
            version="test-2",
            items=[
                {**instrument_data()["items"][0], "weight": 3},
                *instrument_data()["items"][1:],
            ],
            stages=[
                {"id": "domestic", "min": 0, "name": {"en": "D"}},
                {"id": "active", "min": 70, "name": {"en": "A"}},
            ],
        )
    )
    answers = {"p1": 5, "p2": 0, "o1": 4, "o2": 4}
    old, new = score(INSTRUMENT, answers), score(v2, answers)
    assert old.dimensions["people"].score == pytest.approx(25)
    assert new.dimensions["people"].score == pytest.approx(50)
    assert (old.version, new.version) == ("test-1", "test-2")
    assert old.stage == "active"  # 70.0 ≥ 60 under test-1
    assert new.stage == "active" and new.overall == pytest.approx(70)


def test_answers_to_an_item_a_version_dropped_are_refused_by_that_version():
    v2 = parse_instrument(instrument_data(version="test-2", items=instrument_data()["items"][1:]))
    with pytest.raises(InvalidAnswers):
        score(v2, {"p1": 3})


@pytest.mark.parametrize(
    ("value", "peers", "expected"),
    [
        (50, [10, 20, 30, 40], 100),
        (5, [10, 20, 30, 40], 0),
        (25, [10, 20, 30, 40], 50),
        (20, [10, 20, 30, 40], 37.5),  # a tie counts half
        (20, [20, 20], 50),
        (20, [], None),  # no peers, no position
    ],
)
def test_percentile_rank(value, peers, expected):
    assert percentile_rank(value, peers) == (None if expected is None else pytest.approx(expected))


def test_percentile_ranks_in_one_sort_agree_with_one_by_one():
    values = [10, 20, 20, 35, 50, 50, 50, 90]
    expected = [percentile_rank(v, values[:i] + values[i + 1 :]) for i, v in enumerate(values)]
    assert percentile_ranks(values) == pytest.approx(expected)
    assert percentile_ranks([42]) == [None]


def test_change_per_dimension_and_none_where_either_side_is_missing():
    assert change({"a": 40, "b": None, "c": 10}, {"a": 55, "b": 20, "d": 3}) == {
        "a": 15,
        "b": None,
        "d": None,
    }


def test_scores_always_lie_between_0_and_100():
    from hypothesis import given
    from hypothesis import strategies as st

    answers = st.fixed_dictionaries(
        {}, optional={k: st.one_of(st.none(), st.integers(0, 5)) for k in ["p1", "p2", "o1", "o2"]}
    )

    @given(answers)
    def check(answers):
        result = score(INSTRUMENT, answers)
        figures = [result.overall, *result.axes.values()]
        figures += [d.score for d in result.dimensions.values()]
        assert all(f is None or -1e-9 <= f <= 100 + 1e-9 for f in figures)
        assert 0 <= result.completeness <= 1 + 1e-9

    check()


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.json")), ids=lambda p: p.name)
def test_every_shipped_instrument_is_valid_and_has_30_to_40_items(path):
    instrument = parse_instrument(json.loads(path.read_text(encoding="utf-8")))
    assert instrument.version == path.stem
    assert 30 <= len(instrument.items) <= 40
    assert {d.id for d in instrument.dimensions} == {
        "competencies",
        "experience",
        "relationships",
        "offering",
        "resources",
        "engagement",
    }
    assert {item.axis for item in instrument.items} == {"organisational", "product"}
    assert [s.id for s in instrument.stages] == [
        "domestic",
        "pre_export",
        "experimental",
        "active",
        "committed",
    ]
    for item in instrument.items:
        assert item.service, f"{item.id} says which service helps"
        assert item.help_text() and item.advice_text(), f"{item.id} has help and advice"
