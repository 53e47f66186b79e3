"""Tests of the 80/20 charts, on the Agg backend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.pareto import concentration_curve  # noqa: E402
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.pareto import (  # noqa: E402
    plot_concentration_curve,
    plot_pareto_chart,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _twin(ax):
    return next(other for other in ax.get_shared_x_axes().get_siblings(ax) if other is not ax)


def test_pareto_chart_one_bar_per_customer():
    values = [80.0, 5.0, 5.0, 5.0, 5.0]
    ax = plot_pareto_chart(values)
    heights = [patch.get_height() for patch in ax.patches]
    assert heights == pytest.approx([80, 5, 5, 5, 5])
    assert ax.get_title() == "The top 20% of customers bring 80% of revenue"
    assert ax.get_ylabel() == "share of revenue per customer (%)"
    line = _twin(ax).get_lines()[0]
    assert line.get_ydata().tolist() == pytest.approx([0, 80, 85, 90, 95, 100])


def test_pareto_chart_says_how_many_when_the_top_fraction_is_rounded_up():
    ax = plot_pareto_chart([5.0, 3.0, 2.0], measure="orders")
    assert ax.get_title() == "The top 20% of customers (1 of 3) bring 50% of orders"


def test_pareto_title_counts_with_thousands_separators():
    ax = plot_pareto_chart(np.arange(1.0, 4002.0), fraction=0.2)
    assert ax.get_title().startswith("The top 20% of customers (801 of 4,001) bring")


def test_pareto_chart_accepts_a_curve_and_uses_the_given_ax():
    fig, ax = plt.subplots()
    result = plot_pareto_chart(concentration_curve([3.0, 1.0]), ax=ax, fraction=0.5)
    assert result is ax
    assert ax.get_title() == "The top 50% of customers bring 75% of revenue"
    assert len(fig.axes) == 2  # the bars and the twin cumulative axis


def test_pareto_chart_bins_many_customers_into_percentiles():
    rng = np.random.default_rng(7)
    values = rng.pareto(1.5, 2000)
    ax = plot_pareto_chart(values, measure="revenue")
    heights = np.array([patch.get_height() for patch in ax.patches])
    assert len(heights) == 100
    assert heights.sum() == pytest.approx(100)
    assert (np.diff(heights) <= 1e-9).all()  # largest first
    assert ax.get_ylabel() == "share of revenue per percentile of customers (%)"


def test_pareto_chart_deciles_on_request():
    ax = plot_pareto_chart(np.arange(1.0, 101.0), bins=10)
    heights = [patch.get_height() for patch in ax.patches]
    # top 10 customers: 91..100 sum to 955 of 5050
    assert heights[0] == pytest.approx(100 * 955 / 5050)
    assert "per decile" in ax.get_ylabel()


def test_concentration_curve_chart():
    curve = concentration_curve([100.0, 0.0, 0.0, 0.0])
    fig, ax = plt.subplots()
    result = plot_concentration_curve(curve, ax=ax)
    assert result is ax
    assert ax.get_title() == "The top 20% of customers bring 80% of revenue (a 20/80 rule)"
    curve_line, diagonal = ax.get_lines()[:2]
    assert curve_line.get_ydata().tolist() == pytest.approx([0, 100, 100, 100, 100])
    assert diagonal.get_ydata().tolist() == [0, 100]
    assert ax.get_xlabel() == "customers ranked by revenue, largest first (%)"


VALUES = [50.0, 30.0, 10.0, 5.0, 5.0, 3.0, 2.0, 1.0, 1.0, 1.0, 0.5]


@pytest.mark.parametrize("bins", [None, 4], ids=["per-customer", "quarters"])
def test_pareto_chart_redrawn_in_place_moves_the_top_share_like_a_fresh_chart(bins, pixels):
    def updated(ax):
        plot_pareto_chart(VALUES, ax, fraction=0.2, measure="orders", bins=bins)
        artists = changed_artists(plot_pareto_chart(VALUES, ax, fraction=0.45, measure="orders", bins=bins))
        assert ax.title in artists and ax.get_title().startswith("The top 45% of customers")

    def fresh(ax):
        plot_pareto_chart(VALUES, ax, fraction=0.45, measure="orders", bins=bins)

    assert np.array_equal(pixels(updated), pixels(fresh))


@pytest.mark.parametrize(
    "change",
    [{"values_or_curve": VALUES[:-1]}, {"measure": "revenue"}, {"bins": 5}],
    ids=["other-values", "other-measure", "other-bins"],
)
def test_pareto_chart_of_other_bars_or_labels_is_drawn_afresh(change):
    ax = plot_pareto_chart(VALUES, fraction=0.2, measure="orders")
    kwargs = {"values_or_curve": VALUES, "fraction": 0.3, "measure": "orders", **change}
    assert changed_artists(plot_pareto_chart(**kwargs, ax=ax)) is None


@pytest.mark.parametrize("plot", [plot_pareto_chart, plot_concentration_curve])
def test_the_curve_of_many_customers_is_drawn_through_points_of_the_exact_curve(plot):
    values = np.random.default_rng(3).pareto(1.2, 50_000)
    curve = concentration_curve(values)
    x, y = 100 * curve["customer_share"].to_numpy(), 100 * curve["value_share"].to_numpy()
    ax = plot(values)
    line = next(line for a in ax.figure.axes for line in a.get_lines() if len(line.get_xdata()) > 2)
    drawn_x, drawn_y = line.get_xdata(), line.get_ydata()
    assert len(drawn_x) == 2001 and (drawn_x[0], drawn_x[-1]) == (0, 100)
    np.testing.assert_allclose(drawn_y, np.interp(drawn_x, x, y))  # on the curve, not an approximation of it
    assert drawn_y[-1] == pytest.approx(100)


def test_the_curve_of_a_few_customers_keeps_every_customer():
    ax = plot_concentration_curve([5.0, 3.0, 1.0])
    assert len(ax.get_lines()[0].get_xdata()) == 4  # the origin and one point per customer


def test_pareto_chart_of_many_customers_moves_in_place_like_a_fresh_chart(pixels):
    values = np.random.default_rng(5).pareto(1.3, 20_000)  # its curve is drawn through sampled points

    def updated(ax):
        plot_pareto_chart(values, ax, fraction=0.2)
        assert changed_artists(plot_pareto_chart(values, ax, fraction=0.3)) is not None  # not drawn afresh

    def fresh(ax):
        plot_pareto_chart(values, ax, fraction=0.3)

    assert np.array_equal(pixels(updated), pixels(fresh))
