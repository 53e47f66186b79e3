"""Tests of the quality-gap charts (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.quality_gap import (  # noqa: E402
    MET_COLOUR,
    SHORT_COLOUR,
    plot_expectation_perception,
    plot_gap_by_dimension,
    plot_importance_performance,
)

DIMS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]


def gaps_table(gaps: list[float]) -> pd.DataFrame:
    expectation = np.array([5.0, 6.5, 6.0, 5.5, 5.0])
    return pd.DataFrame(
        {
            "dimension": DIMS,
            "expectation": expectation,
            "perception": expectation + np.array(gaps),
            "gap": gaps,
            "ci_low": np.array(gaps) - 0.2,
            "ci_high": np.array(gaps) + 0.3,
            "respondents": 10,
            "share_unmet": 0.5,
        }
    )


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("gaps", "title"),
    [
        (
            [0.5, -1.2, -0.4, 0.1, 0.0],
            "Customers' expectations are not met on reliability and responsiveness",
        ),
        ([0.5, 0.2, 0.4, 0.1, 0.0], "Customers' expectations are met or exceeded on every dimension"),
        (
            [-0.5, -0.2, -1.4, -0.1, -0.3],
            "Customers' expectations are not met on any dimension, least of all on responsiveness",
        ),
        (
            [0.5, 0.2, -0.4, -0.1, -0.9],
            "Customers' expectations are not met on empathy, responsiveness and assurance",
        ),
    ],
    ids=["two-short", "none-short", "all-short", "three-short"],
)
def test_gap_by_dimension_title_states_the_finding(gaps, title):
    ax = plot_gap_by_dimension(gaps_table(gaps))
    assert ax.get_title() == title


def test_gap_by_dimension_bars_colours_and_labels():
    gaps = [0.5, -1.2, -0.4, 0.1, 0.0]
    fig, ax = plt.subplots()
    returned = plot_gap_by_dimension(gaps_table(gaps), ax=ax)
    assert returned is ax
    assert len(fig.axes) == 1
    bars = ax.patches
    assert [b.get_width() for b in bars] == pytest.approx(gaps)
    colours = [to_hex(b.get_facecolor()) for b in bars]
    assert colours == [MET_COLOUR, SHORT_COLOUR, SHORT_COLOUR, MET_COLOUR, MET_COLOUR]
    assert [t.get_text() for t in ax.get_yticklabels()] == DIMS
    assert "perception − expectation" in ax.get_xlabel()


def test_gap_by_dimension_skips_unanswered_dimension():
    table = gaps_table([0.5, -1.2, -0.4, 0.1, 0.0])
    table.loc[0, ["gap", "ci_low", "ci_high"]] = np.nan
    ax = plot_gap_by_dimension(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == DIMS[1:]


def test_gap_by_dimension_rejects_wrong_table():
    with pytest.raises(LoyaltyDataError, match="dimension_gaps"):
        plot_gap_by_dimension(pd.DataFrame({"dimension": DIMS, "gap": 0.0}))


def test_expectation_perception_points_and_title():
    gaps = [0.5, -1.2, -0.4, 0.1, 0.0]
    table = gaps_table(gaps)
    fig, ax = plt.subplots()
    assert plot_expectation_perception(table, ax=ax) is ax
    expected_points, perceived_points = ax.collections
    assert expected_points.get_offsets()[:, 0].tolist() == pytest.approx(table["expectation"])
    assert perceived_points.get_offsets()[:, 0].tolist() == pytest.approx(table["perception"])
    # one line per dimension, from expectation to perception
    assert [tuple(line.get_xdata()) for line in ax.lines] == [
        pytest.approx((e, p)) for e, p in zip(table["expectation"], table["perception"])
    ]
    assert ax.get_title() == "Perception falls short of expectation on 2 of 5 dimensions"
    assert ax.get_xlabel() == "Mean score (1-7)"


def test_expectation_perception_all_met():
    ax = plot_expectation_perception(gaps_table([0.1, 0.0, 0.2, 0.3, 0.4]))
    assert ax.get_title() == "Perception meets or beats expectation on every dimension"


def importance_table(importance, gaps, quadrants) -> pd.DataFrame:
    return pd.DataFrame({"dimension": DIMS, "importance": importance, "gap": gaps, "quadrant": quadrants})


def test_importance_performance_points_lines_and_title():
    table = importance_table(
        [10.0, 35.0, 25.0, 15.0, 15.0],
        [0.5, -1.0, -0.6, 0.0, 0.2],
        ["low priority", "fix first", "fix first", "low priority", "low priority"],
    )
    fig, ax = plt.subplots()
    assert plot_importance_performance(table, ax=ax) is ax
    offsets = ax.collections[0].get_offsets()
    assert offsets[:, 0].tolist() == pytest.approx(table["gap"])
    assert offsets[:, 1].tolist() == pytest.approx(table["importance"])
    # the quadrant lines: gap 0 and mean importance 20
    assert ax.lines[0].get_xdata()[0] == 0
    assert ax.lines[1].get_ydata()[0] == pytest.approx(20.0)
    assert ax.get_title() == ("Fix reliability and responsiveness first: important and below expectations")
    assert ax.get_ylabel() == "Importance (mean points of 100)"
    assert {t.get_text() for t in ax.texts} >= {
        "fix first",
        "keep up",
        "fix later",
        "low priority",
        "reliability",
    }


@pytest.mark.parametrize(
    ("quadrants", "title"),
    [
        (
            ["keep up", "keep up", "low priority", "fix later", "low priority"],
            "No important dimension falls short of expectations",
        ),
        (
            ["keep up", "fix first", "low priority", "fix later", "low priority"],
            "Fix reliability first: important and below expectations",
        ),
    ],
    ids=["nothing-to-fix", "one-to-fix"],
)
def test_importance_performance_titles(quadrants, title):
    table = importance_table([30.0, 30.0, 10.0, 15.0, 15.0], [0.2, -0.5, 0.1, -0.1, 0.3], quadrants)
    assert plot_importance_performance(table).get_title() == title


def test_short_bars_get_their_label_outside_in_dark_text():
    table = pd.DataFrame(
        {
            "dimension": ["reliability", "assurance"],
            "gap": [-1.0, 0.1],
            "ci_low": [-1.1, 0.05],
            "ci_high": [-0.9, 0.15],
        }
    )
    ax = plot_gap_by_dimension(table)
    labels = {t.get_text(): t for t in ax.texts}
    # Inside, centred on the part of the bar its interval leaves free (0 to -0.9).
    assert labels["-1.00"].get_color() == "white" and labels["-1.00"].get_position()[0] == -0.45
    assert labels["+0.10"].get_color() == "#333333" and labels["+0.10"].get_position()[0] > 0.15
    plt.close(ax.figure)


def test_gap_by_dimension_redrawn_in_place_looks_like_a_fresh_chart(pixels):
    before = gaps_table([0.5, -1.2, -0.4, 0.1, 0.0])
    middle = gaps_table([0.5, -0.2, -0.4, 0.1, 0.0])
    after = gaps_table([0.1, 0.3, -1.4, 0.1, -0.05])

    def updated(ax):
        plot_gap_by_dimension(before, ax)
        ax.set_xlim(-2, 1)
        for table in (middle, after):
            artists = changed_artists(plot_gap_by_dimension(table, ax=ax))
        assert ax.title in artists and len(ax.texts) == 5 and len(ax.containers) == 2

    def fresh(ax):  # as an explorer draws it: on its fixed axis, where the labels are placed
        plot_gap_by_dimension(after, ax)
        ax.set_xlim(-2, 1)
        plot_gap_by_dimension(after, ax)

    assert np.array_equal(pixels(updated), pixels(fresh))


def test_gap_by_dimension_of_other_dimensions_is_drawn_afresh():
    ax = plot_gap_by_dimension(gaps_table([0.5, -1.2, -0.4, 0.1, 0.0]))
    fewer = gaps_table([0.5, -1.2, -0.4, 0.1, np.nan])  # empathy not answered
    assert changed_artists(plot_gap_by_dimension(fewer, ax=ax)) is None


def test_a_label_goes_inside_only_where_it_fits_beside_the_interval_on_screen():
    # Bars of equal length on a wide axis: inside goes only the one whose interval leaves room.
    table = pd.DataFrame(
        {
            "dimension": ["reliability", "assurance", "empathy"],
            "gap": [-2.0, 0.3, 0.3],
            "ci_low": [-2.1, 0.25, 0.05],
            "ci_high": [-1.9, 0.35, 0.55],
        }
    )
    ax = plot_gap_by_dimension(table)
    colours = [t.get_color() for t in ax.texts]
    assert colours == ["white", "#333333", "#333333"]
    # Drawn narrower, the long bar keeps its label inside; on a tiny chart, even it goes out.
    ax.figure.set_size_inches(0.6, 2.0)
    ax = plot_gap_by_dimension(table, ax)
    assert ax.texts[0].get_color() == "#333333"
    plt.close(ax.figure)


def test_expectation_perception_in_french():
    from loyalty_lessons.plots.texts import chart_texts

    ax = plot_expectation_perception(
        gaps_table([0.5, -1.2, -0.4, 0.1, 0.0]), texts=chart_texts("quality_gap", "fr")
    )
    assert ax.get_title() == "La perception est en deçà des attentes sur 2 dimensions sur 5"
    assert ax.get_xlabel() == "Note moyenne (1-7)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "attente",
        "perception, en deçà",
        "perception, atteinte",
    ]
    assert [t.get_text() for t in ax.get_yticklabels()][1] == "fiabilité"
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert any("," in tick for tick in ticks) and not any("." in tick for tick in ticks)
    english = plot_expectation_perception(gaps_table([0.5, -1.2, -0.4, 0.1, 0.0]))
    assert [t.get_text() for t in english.get_yticklabels()] == DIMS
    plt.close("all")
