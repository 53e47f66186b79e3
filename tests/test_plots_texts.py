"""Tests of the charts' texts: a language's words and numbers, a mapping over the English ones."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.plots.pareto import plot_pareto_chart  # noqa: E402
from loyalty_lessons.plots.quality_gap import plot_gap_by_dimension  # noqa: E402
from loyalty_lessons.plots.texts import ChartTexts, chart_texts  # noqa: E402

GAPS = pd.DataFrame(
    {
        "dimension": ["tangibles", "reliability", "empathy"],
        "gap": [0.5, -1.25, -0.25],
        "ci_low": [0.3, -1.5, -0.5],
        "ci_high": [0.7, -1.0, 0.0],
    }
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_a_chart_without_texts_is_in_english(ax):
    plot_gap_by_dimension(GAPS, ax=ax)
    assert ax.get_title() == "Customers' expectations are not met on reliability and empathy"
    assert [t.get_text() for t in ax.texts] == ["+0.50", "-1.25", "-0.25"]


@pytest.mark.parametrize(
    ("language", "title", "labels", "tick"),
    [
        ("fr", "Les attentes des clients ne sont pas satisfaites en matière de fiabilité et empathie",
         ["+0,50", "-1,25", "-0,25"], "fiabilité"),
        ("ru", "Ожидания клиентов не оправдываются: надёжность и эмпатия", ["+0,50", "-1,25", "-0,25"],
         "надёжность"),
    ],
    ids=["fr", "ru"],
)  # fmt: skip
def test_a_language_names_the_dimensions_and_writes_its_numbers(ax, language, title, labels, tick):
    plot_gap_by_dimension(GAPS, ax=ax, texts=chart_texts("quality_gap", language))
    assert ax.get_title() == title
    assert [t.get_text() for t in ax.texts] == labels
    assert tick in [t.get_text() for t in ax.get_yticklabels()]


def test_a_mapping_changes_only_the_texts_it_gives(ax):
    plot_gap_by_dimension(GAPS, ax=ax, texts={"xlabel": "Gap in points"})
    assert ax.get_xlabel() == "Gap in points"
    assert ax.get_title().startswith("Customers' expectations")


def test_the_report_names_what_a_pareto_chart_ranks(ax):
    values = np.array([50.0, 20, 10, 10, 5, 5])
    plot_pareto_chart(values, ax=ax, texts=chart_texts("pareto_complaints", "it"))
    assert ax.get_title() == "Il 20% dei clienti che reclamano di più (2 su 6) presenta il 70% dei reclami"
    default = plot_pareto_chart(values, fraction=0.5)
    assert default.get_title() == "The top 50% of customers bring 80% of revenue"
    plt.close(default.figure)


def test_a_chart_drawn_again_with_other_texts_is_drawn_afresh(ax):
    plot_gap_by_dimension(GAPS, ax=ax)
    plot_gap_by_dimension(GAPS, ax=ax, texts=chart_texts("quality_gap", "fr"))
    assert ax.get_xlabel().startswith("Écart")


def test_tick_labels_keep_the_decimals_of_the_finest_tick():
    formatter = ChartTexts("numbers", "fr").tick_formatter()
    formatter.set_locs([-1.0, -0.5, 0.0, 0.5])
    assert [formatter(v) for v in (-1.0, -0.5, 0.0)] == ["\u22121,0", "\u22120,5", "0,0"]
    share = ChartTexts("numbers", "fr").tick_formatter(percent=True)
    share.set_locs([0.0, 0.25])
    assert share(0.25) == "25\xa0%"


def test_money_and_large_counts_follow_the_language():
    assert ChartTexts("loyalty_value").money(1500, "$") == "$1,500"
    assert ChartTexts("loyalty_value", "fr").money(-3_700_000, "€") == "-3,7 millions\xa0€"
    assert ChartTexts("loyalty_value", "fr").count(1_500_000) == "1,5 million"  # French: singular below 2
    assert ChartTexts("loyalty_value", "fr").count(2_000_000_000) == "2,0 milliards"
    assert ChartTexts("loyalty_value", "it").money(1500, "€") == "1.500\xa0€"
