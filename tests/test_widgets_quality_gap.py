import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.inputs import load_inputs  # noqa: E402
from loyalty_lessons.quality_gap import (
    dimension_gaps,  # noqa: E402
    what_if_gap,  # noqa: E402
)
from loyalty_lessons.survey import DIMENSIONS  # noqa: E402
from loyalty_lessons.widgets.quality_gap import gap_explorer  # noqa: E402


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


# --------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def survey():
    return load_inputs(survey="sample", complaints=None).survey


@pytest.fixture()
def explorer(survey):
    return gap_explorer(survey, dimension="reliability")


def test_explorer_starts_on_the_survey_as_answered(explorer, survey):
    assert explorer.values() == {
        "dimension": "reliability",
        "perception_change": 0.0,
        "expectation_change": 0.0,
    }
    gaps = dimension_gaps(survey)
    assert np.allclose(explorer.result["gap"], gaps["gap"])
    worst = gaps.set_index("dimension")["gap"].idxmin()
    assert explorer.message.startswith(f"As answered, {worst} has the largest gap")


def test_default_dimension_is_the_worst(survey):
    gaps = dimension_gaps(survey).set_index("dimension")["gap"]
    assert gap_explorer(survey).controls["dimension"].value == gaps.idxmin()


def test_better_perception_narrows_the_gap_and_the_message_says_so(explorer):
    before = explorer.result.set_index("dimension").loc["reliability", "gap"]
    explorer.controls["perception_change"].value = 1.0
    row = explorer.result.set_index("dimension").loc["reliability"]
    assert before < row["gap"] <= before + 1.0
    assert row["share_unmet"] < row["share_unmet_before"]
    assert explorer.message == (
        f"If reliability were perceived 1.0 points higher, its gap would go from "
        f"{before:+.2f} to {row['gap']:+.2f} points, and the share of respondents let down "
        f"on it from {row['share_unmet_before']:.0%} to {row['share_unmet']:.0%}."
    )
    assert f"{row['gap']:+.2f}" in explorer.caption.value


def test_higher_expectations_widen_the_gap(explorer):
    explorer.controls["dimension"].value = "empathy"
    explorer.controls["expectation_change"].value = 0.5
    row = explorer.result.set_index("dimension").loc["empathy"]
    assert row["gap"] < row["gap_before"]
    assert "empathy were expected 0.5 points higher" in explorer.message


def test_the_chart_follows_the_controls(explorer):
    ax = explorer.figure.axes[0]
    bars = [p.get_width() for p in ax.patches]
    assert np.allclose(bars, explorer.result["gap"])
    explorer.controls["perception_change"].value = 2.0
    ax = explorer.figure.axes[0]
    assert np.allclose([p.get_width() for p in ax.patches], explorer.result["gap"])
    assert len(explorer.figure.axes) == 1


def test_an_unknown_starting_dimension_is_refused(survey):
    with pytest.raises(LoyaltyDataError, match="dimension must be one of"):
        gap_explorer(survey, dimension="price")


def test_white_labels_of_the_explorer_fit_inside_their_bars_on_screen():
    from loyalty_lessons import load_inputs
    from loyalty_lessons.widgets import gap_explorer

    # The sample business with one dimension's perception raised by two points.
    explorer = gap_explorer(load_inputs().survey)
    explorer.controls["perception_change"].value = 2.0
    ax = explorer.figure.axes[0]
    renderer = explorer.figure.canvas.get_renderer()
    for text, bar in zip(ax.texts, ax.patches):
        if text.get_color() == "white":
            inside = bar.get_window_extent(renderer)
            label = text.get_window_extent(renderer)
            assert inside.x0 <= label.x0 and label.x1 <= inside.x1
    explorer.figure.clear()
