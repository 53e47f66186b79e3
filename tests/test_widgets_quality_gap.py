import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.inputs import load_inputs  # noqa: E402
from loyalty_lessons.quality_gap.gaps import dimension_gaps  # noqa: E402
from loyalty_lessons.widgets.quality_gap import gap_explorer  # noqa: E402

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
