"""Tests of what to fix first: the importance–performance grid and the what-if of moved scores,
on hand-built surveys."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from scipy import stats
from servqual_surveys import make_survey, random_surveys

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap.gaps import dimension_gaps, survey_scores
from loyalty_lessons.quality_gap.what_to_fix import importance_performance, what_if_gap
from loyalty_lessons.survey import DIMENSIONS


@pytest.fixture
def survey() -> pd.DataFrame:
    return make_survey()


def test_importance_performance_quadrants(survey):
    got = importance_performance(survey)
    expected = pd.DataFrame(
        {
            "dimension": pd.Series(DIMENSIONS, dtype="str"),
            "importance": [10.0, 35.0, 25.0, 15.0, 15.0],
            "gap": [0.5, -1.0, -1.0, 0.0, 0.0],
            # cut at the mean importance, 20 points
            "quadrant": pd.Series(
                ["low priority", "fix first", "fix first", "low priority", "low priority"],
                dtype="str",
            ),
        }
    )
    assert_frame_equal(got, expected)


# --------------------------------------------------------------------------- what-if


def test_what_if_gap_by_hand(survey):
    # Reliability perceptions + 1.5 points: item 5 was 4, 4, 5, 4, 5, 6 and item 6 was
    # 4, 6, 5, 4, 5, 6 (r1..r6), so 5.5, 5.5, 6.5, 5.5, 6.5, 7 (ceiling) and 5.5, 7, 6.5,
    # 5.5, 6.5, 7; respondent means 5.5, 6.25, 6.5, 5.5, 6.5, 7 against expectations of 6
    # (r6: 5): gaps -0.5, 0.25, 0.5, -0.5, 0.5, 2.
    got = what_if_gap(survey, {"reliability": 1.5}).set_index("dimension")
    gaps = np.array([-0.5, 0.25, 0.5, -0.5, 0.5, 2.0])
    half = stats.t.ppf(0.975, 5) * gaps.std(ddof=1) / math.sqrt(6)
    row = got.loc["reliability"]
    assert row[["perception_change", "expectation_change"]].tolist() == [1.5, 0.0]
    assert row["expectation"] == pytest.approx(35 / 6)
    assert row["perception"] == pytest.approx(37.25 / 6)
    assert row["gap"] == pytest.approx(0.375)
    assert [row["ci_low"], row["ci_high"]] == pytest.approx([0.375 - half, 0.375 + half])
    assert row["respondents"] == 6
    assert row["share_unmet"] == pytest.approx(2 / 6)
    assert [row["gap_before"], row["share_unmet_before"]] == pytest.approx([-1.0, 5 / 6])
    # the other dimensions as answered
    assert_frame_equal(
        got.drop(index="reliability")[list(dimension_gaps(survey).columns[1:])],
        dimension_gaps(survey).set_index("dimension").drop(index="reliability"),
    )
    assert (got.drop(index="reliability")["gap"] == got.drop(index="reliability")["gap_before"]).all()


@pytest.mark.parametrize(
    "improvements, expectation_changes",
    [
        (None, None),
        ({"reliability": 1.0}, None),
        ({"reliability": 3.0}, {"reliability": -0.5}),  # perceptions reach the ceiling
        (None, {"empathy": -6.0}),  # expectations reach the floor
        ({"tangibles": 0.3, "assurance": -1.7}, {"tangibles": 0.0, "responsiveness": 1.1}),
    ],
    ids=["as-answered", "one-up", "ceiling", "floor", "several"],
)
def test_what_if_gap_of_the_scores_read_once_is_that_of_the_survey(survey, improvements, expectation_changes):
    survey.loc[0, "perception"] = np.nan  # an item without a score counts for neither
    expected = what_if_gap(survey, improvements, expectation_changes=expectation_changes)
    scores = survey_scores(survey)
    got = what_if_gap(scores, improvements, expectation_changes=expectation_changes)
    assert_frame_equal(got, expected)
    baseline = what_if_gap(scores)
    assert_frame_equal(
        what_if_gap(scores, improvements, expectation_changes=expectation_changes, baseline=baseline),
        expected,
    )


def _moved(survey: pd.DataFrame, column: str, dimension: str, points: float) -> pd.Series:
    on_dimension = survey["dimension"] == dimension
    return survey[column].where(~on_dimension | (points == 0), (survey[column] + points).clip(1.0, 7.0))


@settings(max_examples=50, deadline=None)
@given(
    survey=random_surveys(),
    dimension=st.sampled_from(DIMENSIONS),
    perception_points=st.integers(-12, 12),
    expectation_points=st.integers(-12, 12),
)
def test_what_if_gap_is_the_gap_of_the_moved_scores(survey, dimension, perception_points, expectation_points):
    changes = {dimension: perception_points / 4}, {dimension: expectation_points / 4}
    moved = survey.assign(
        perception=_moved(survey, "perception", dimension, perception_points / 4),
        expectation=_moved(survey, "expectation", dimension, expectation_points / 4),
    )
    got = what_if_gap(survey, changes[0], expectation_changes=changes[1])
    after, before = dimension_gaps(moved), dimension_gaps(survey)
    assert_frame_equal(got[after.columns], after, rtol=1e-12)
    assert_frame_equal(
        got[["gap_before", "share_unmet_before"]],
        before[["gap", "share_unmet"]].set_axis(["gap_before", "share_unmet_before"], axis=1),
    )
    got_from_scores = what_if_gap(survey_scores(survey), changes[0], expectation_changes=changes[1])
    assert_frame_equal(got_from_scores, got)


def test_what_if_gap_checks_the_survey_then_the_changes(survey):
    before = survey.copy()
    scores = survey_scores(survey)
    what_if_gap(scores, {"reliability": 2.0}, scale=(1, 5))
    assert_frame_equal(survey, before)
    with pytest.raises(LoyaltyDataError, match="unknown dimension"):
        what_if_gap(scores, {"speed": 1.0})
    with pytest.raises(LoyaltyDataError, match="must be below"):
        what_if_gap(scores, scale=(7, 1))
    with pytest.raises(LoyaltyDataError, match="confidence"):
        what_if_gap(scores, confidence=1.5)
    with pytest.raises(LoyaltyDataError, match="perception"):
        survey_scores(survey.drop(columns="perception"))


# --------------------------------------------------------------------------- what-if, one dimension


def _survey(expectations, perceptions, dimension="reliability"):
    """One item per respondent, all on one dimension."""
    n = len(expectations)
    return pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "item": [5] * n,
            "dimension": [dimension] * n,
            "expectation": [float(e) for e in expectations],
            "perception": [float(p) for p in perceptions],
        }
    )


TWO_DIMENSIONS = pd.DataFrame(
    {
        "respondent_id": ["r1", "r1", "r2", "r2", "r3", "r3"],
        "item": [1, 5, 1, 5, 1, 5],
        "dimension": ["tangibles", "reliability"] * 3,
        "expectation": [5.0, 7.0, 4.0, 6.0, 6.0, 6.0],
        "perception": [6.0, 4.0, 5.0, 5.0, 5.0, 6.5],
    }
)


def test_no_change_reproduces_dimension_gaps():
    result = what_if_gap(TWO_DIMENSIONS)
    expected = dimension_gaps(TWO_DIMENSIONS)
    columns = [
        "dimension",
        "expectation",
        "perception",
        "gap",
        "ci_low",
        "ci_high",
        "respondents",
        "share_unmet",
    ]
    pd.testing.assert_frame_equal(result[columns], expected[columns])
    assert result["gap_before"].equals(expected["gap"])
    assert (result[["perception_change", "expectation_change"]] == 0).all().all()


def test_columns_and_dtypes():
    result = what_if_gap(TWO_DIMENSIONS, {"reliability": 0.5})
    assert result.columns.tolist() == [
        "dimension",
        "perception_change",
        "expectation_change",
        "expectation",
        "perception",
        "gap",
        "ci_low",
        "ci_high",
        "respondents",
        "share_unmet",
        "gap_before",
        "share_unmet_before",
    ]
    assert result["dimension"].tolist() == list(DIMENSIONS)
    assert result["perception_change"].tolist() == [0.0, 0.5, 0.0, 0.0, 0.0]
    assert result["respondents"].dtype == "int64"


def test_raising_perception_moves_only_that_dimension():
    result = what_if_gap(TWO_DIMENSIONS, {"reliability": 0.5}).set_index("dimension")
    # reliability gaps -3, -1, +0.5 -> -2.5, -0.5, +1.0 (perceptions 4.5, 5.5, 7.0)
    assert result.loc["reliability", "gap_before"] == pytest.approx(-3.5 / 3)
    assert result.loc["reliability", "gap"] == pytest.approx(-2 / 3)
    assert result.loc["reliability", "share_unmet"] == pytest.approx(2 / 3)
    assert result.loc["tangibles", "gap"] == result.loc["tangibles", "gap_before"]


@pytest.mark.parametrize(
    "improvements, expectation_changes, gap, share_unmet",
    [
        ({"reliability": 1.0}, None, 0.0, 0.5),  # 6 - 7 and 7 (ceiling) - 6
        ({"reliability": 3.0}, None, 0.5, 0.0),  # 7 - 7 and 7 - 6: both at the ceiling
        ({"reliability": -5.0}, None, -5.25, 1.0),  # 1 (floor) - 7 and 1.5 - 6
        (None, {"reliability": 1.0}, -1.25, 1.0),  # 5 - 7 (ceiling) and 6.5 - 7
        ({"reliability": 1.0}, {"reliability": 1.0}, -0.5, 0.5),
    ],
    ids=["up-one", "ceiling", "floor", "expect-more", "both-up"],
)
def test_scores_stay_on_the_scale(improvements, expectation_changes, gap, share_unmet):
    survey = _survey([7, 6], [5, 6.5])
    row = what_if_gap(survey, improvements, expectation_changes=expectation_changes).iloc[1]
    assert row["dimension"] == "reliability"
    assert row["gap"] == pytest.approx(gap)
    assert row["share_unmet"] == pytest.approx(share_unmet)


def test_a_precomputed_baseline_gives_the_same_table():
    baseline = dimension_gaps(TWO_DIMENSIONS)
    pd.testing.assert_frame_equal(
        what_if_gap(TWO_DIMENSIONS, {"tangibles": -1.0}, baseline=baseline),
        what_if_gap(TWO_DIMENSIONS, {"tangibles": -1.0}),
    )


def test_another_scale():
    survey = _survey([5, 4], [4, 5])
    row = what_if_gap(survey, {"reliability": 1.0}, scale=(1, 5)).iloc[1]
    assert row["perception"] == pytest.approx(5.0)  # 5 and 6 -> 5 (ceiling)


def test_survey_is_not_changed():
    before = TWO_DIMENSIONS.copy()
    what_if_gap(TWO_DIMENSIONS, {"reliability": 2.0}, expectation_changes={"tangibles": -1})
    pd.testing.assert_frame_equal(TWO_DIMENSIONS, before)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"improvements": {"speed": 1.0}}, "unknown dimension"),
        ({"improvements": {"reliability": "a lot"}}, "must be a number"),
        ({"improvements": {"reliability": float("nan")}}, "finite"),
        ({"improvements": [("reliability", 1.0)]}, "must be a dict"),
        ({"expectation_changes": {"price": 1.0}}, "unknown dimension"),
        ({"scale": (7, 1)}, "must be below"),
        ({"scale": 7}, "pair of numbers"),
    ],
    ids=["dimension", "text", "nan", "list", "expectation-dimension", "scale-order", "scale"],
)
def test_bad_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(LoyaltyDataError, match=message):
        what_if_gap(TWO_DIMENSIONS, **kwargs)


def test_a_survey_without_scores_is_refused():
    with pytest.raises(LoyaltyDataError, match="perception"):
        what_if_gap(TWO_DIMENSIONS.drop(columns="perception"), {"reliability": 1.0})


@settings(max_examples=50, deadline=None)
@given(
    scores=st.lists(st.tuples(st.integers(1, 7), st.integers(1, 7)), min_size=2, max_size=12),
    points=st.floats(0.0, 6.0),
)
def test_raising_perception_never_lowers_the_gap_nor_raises_it_more_than_asked(scores, points):
    survey = _survey([e for e, _ in scores], [p for _, p in scores])
    row = what_if_gap(survey, {"reliability": points}).iloc[1]
    change = row["gap"] - row["gap_before"]
    assert -1e-9 <= change <= points + 1e-9
    assert row["share_unmet"] <= row["share_unmet_before"]
