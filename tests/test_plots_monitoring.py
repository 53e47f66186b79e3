"""Tests of loyalty_lessons.plots.monitoring on the Agg backend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.cohorts import cohort_retention  # noqa: E402
from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.monitoring import (  # noqa: E402
    loyalty_signals,
    monitoring_table,
)
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.monitoring import (  # noqa: E402
    plot_cohort_heatmap,
    plot_kpis,
    plot_signals,
)

NAN = np.nan


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def matrix_of(rows, start="2023-01") -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        index=pd.period_range(start, periods=len(rows), freq="M", name="cohort"),
        columns=pd.Index(range(len(rows[0])), name="periods_since_first"),
        dtype="float64",
    )


MATRIX = matrix_of(
    [
        [1.0, 0.5, 0.4, 0.3],
        [1.0, 0.3, 0.2, NAN],
        [1.0, 0.4, NAN, NAN],
        [1.0, NAN, NAN, NAN],
    ]
)


@pytest.fixture
def shop() -> pd.DataFrame:
    rows = [
        ("a", "2023-01-05", 50.0),
        ("b", "2023-01-20", 25.0),
        ("a", "2023-02-10", 40.0),
        ("c", "2023-02-03", 100.0),
        ("a", "2023-03-15", 60.0),
        ("c", "2023-03-01", 45.0),
        ("d", "2023-03-10", 70.0),
        ("d", "2023-04-02", 10.0),
    ]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = pd.to_datetime(tx["date"])
    return tx


def test_heatmap_data_labels_and_mean_title():
    ax = plot_cohort_heatmap(MATRIX)
    data = ax.images[0].get_array()
    np.testing.assert_array_equal(data.mask, MATRIX.isna().to_numpy())
    np.testing.assert_allclose(data.filled(NAN), MATRIX.to_numpy())
    # default span: the longest up to 6 months reached by a cohort (3); only January has it
    assert ax.get_title() == "Of customers who joined in 2023-01, 30% bought 3 months later"
    assert ax.get_xlabel() == "months since first purchase"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("100%") == 4 and "50%" in texts and len(texts) == 10


@pytest.mark.parametrize(
    ("after", "title"),
    [
        (1, "On average 40% of new customers bought 1 month after joining (3 cohorts)"),
        (2, "On average 30% of new customers bought 2 months after joining (2 cohorts)"),
    ],
    ids=["one-month", "two-months"],
)
def test_heatmap_title_for_a_chosen_span(after, title):
    assert plot_cohort_heatmap(MATRIX, after_periods=after).get_title() == title


def test_heatmap_uses_given_ax_and_can_skip_annotations():
    fig, ax = plt.subplots()
    returned = plot_cohort_heatmap(MATRIX, ax=ax, annotate=False)
    assert returned is ax
    assert ax.figure is fig
    assert len(ax.texts) == 0


def test_heatmap_with_first_period_only_and_errors():
    ax = plot_cohort_heatmap(matrix_of([[1.0]]))
    assert ax.get_title() == "1 cohort so far: none observed beyond its first month"
    with pytest.raises(LoyaltyDataError, match="after_periods"):
        plot_cohort_heatmap(MATRIX, after_periods=5)
    with pytest.raises(LoyaltyDataError, match="empty"):
        plot_cohort_heatmap(MATRIX.iloc[:0])


def test_heatmap_of_computed_matrix(shop):
    matrix = cohort_retention(shop)
    ax = plot_cohort_heatmap(matrix)
    np.testing.assert_allclose(ax.images[0].get_array().filled(NAN), matrix.to_numpy())


def test_kpis_lines_and_titles(shop):
    table = monitoring_table(shop, early_defection_days=30)
    axes = plot_kpis(table)
    assert axes.shape == (4,)
    main_line = axes[0].get_lines()[0]
    np.testing.assert_allclose(main_line.get_ydata(), table["new_customers"].to_numpy())
    # April 2 is the last day observed: April is not over, March is the last complete month
    assert axes[0].get_title() == "New customers: 1 in 2023-03 (mean 1)"
    hollow = axes[0].get_lines()[1]
    assert list(hollow.get_ydata()) == [0.0]
    assert axes[2].get_title().startswith("Spend per order: 58.33 in 2023-03")
    assert axes[1].get_ylabel() == "Repeat-business rate"


def test_kpis_use_given_axes_and_metrics(shop):
    table = monitoring_table(shop)
    fig, grid = plt.subplots(1, 3)
    axes = plot_kpis(table, axes=grid, metrics=("orders", "revenue"))
    assert list(axes) == list(grid[:2])
    assert axes[1].get_lines()[0].get_ydata().tolist() == table["revenue"].tolist()
    assert len(grid[2].get_lines()) == 0
    with pytest.raises(LoyaltyDataError, match="one Axes per metric"):
        plot_kpis(table, axes=grid[:1], metrics=("orders", "revenue"))
    with pytest.raises(LoyaltyDataError, match="nope"):
        plot_kpis(table, metrics=("nope",))


def test_kpis_hides_spare_panel(shop):
    table = monitoring_table(shop)
    axes = plot_kpis(table, metrics=("orders", "revenue", "repeat_rate"))
    assert len(axes) == 3
    spare = [a for a in axes[0].figure.axes if a not in list(axes)]
    assert len(spare) == 1 and not spare[0].get_visible()


def signal_table(new, defections, spend=40.0) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "period": pd.period_range("2024-01", periods=len(new), freq="M"),
            "new_customers": new,
            "early_defections": defections,
            "orders": 500,
            "spend_per_order": spend,
            "spend_per_order_sd": 25.0,
        }
    )
    table.attrs["period"] = "M"
    return table


def test_signals_bars_bands_and_title():
    signals = loyalty_signals(signal_table([50, 50, 80, 80], [10, 10, 40, 40]), window=2)
    fig, ax = plt.subplots()
    assert plot_signals(signals, ax=ax) is ax
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([0.6, 1.5, 0.0])
    assert ax.get_title() == (
        "Improving: new customers; worsening: early defection; within noise: spend per order"
    )
    # each bar's line spans the band of normal variation relative to the earlier level
    band = signals["band"].iloc[0] / 50
    assert ax.lines[1].get_xdata() == pytest.approx([0.6 - band, 0.6 + band])
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "new customers",
        "early defection",
        "spend per order",
    ]
    with pytest.raises(LoyaltyDataError, match="loyalty_signals"):
        plot_signals(signals.iloc[:0])


def test_signals_not_applicable_have_no_bar_nor_band():
    signals = loyalty_signals(signal_table([90, 0, 0, 0, 0], [30, 0, 0, 0, 0]), window=2)
    ax = plot_signals(signals)
    assert [p.get_width() for p in ax.patches][:2] == [0.0, 0.0]
    assert len(ax.lines[1].get_xdata()) == 0
    assert ax.get_title() == "Within noise: spend per order; not applicable: new customers, early defection"


def test_signals_redrawn_in_place_looks_like_a_fresh_chart(pixels):
    table = signal_table(
        [80, 80, 50, 50, 50, 80, 80],
        [20, 20, 15, 15, 15, 24, NAN],
        [40.0, 38.0, 40.0, 40.0, 41.0, 40.0, 30.0],
    )
    before, after = loyalty_signals(table, window=2), loyalty_signals(table, window=3)
    assert list(before["verdict"]) != list(after["verdict"])

    def updated(ax):
        plot_signals(before, ax)
        ax.set_xlim(-0.5, 0.5)
        assert ax.title in changed_artists(plot_signals(after, ax=ax))

    def fresh(ax):
        plot_signals(after, ax)
        ax.set_xlim(-0.5, 0.5)

    assert np.array_equal(pixels(updated, size=(6, 3)), pixels(fresh, size=(6, 3)))


def test_other_signals_are_drawn_afresh():
    signals = loyalty_signals(signal_table([50, 50, 80, 80], [10, 10, 40, 40]), window=2)
    ax = plot_signals(signals)
    assert changed_artists(plot_signals(signals.iloc[:2], ax=ax)) is None


def test_kpis_show_the_compared_windows_and_the_band():
    table = signal_table([50, 50, 80, 80], [10, 10, 40, 40])
    table["repeat_rate"] = 0.5
    table["early_defection_rate"] = table["early_defections"] / table["new_customers"]
    signals = loyalty_signals(table, window=2)
    axes = plot_kpis(table, signals=signals)
    assert axes[0].get_title() == "New customers: 50 to 80, improving"
    assert axes[3].get_title() == "Early defection rate: 20% to 50%, worsening"
    band = axes[0].collections[-2].get_paths()[0].vertices[:, 1]  # the shaded band
    half = signals["band"].iloc[0]
    assert (band.min(), band.max()) == pytest.approx((50 - half, 50 + half))
    closed = loyalty_signals(signal_table([90, 0, 0, 0, 0], [30, 0, 0, 0, 0]), window=2)
    assert plot_kpis(table, signals=closed)[0].get_title() == "New customers: not applicable"


def test_repeat_rate_of_a_month_without_new_customers_says_it_is_true_by_definition():
    """In a closed group (no customer acquired any more), every buyer is a returning one."""
    table = pd.DataFrame(
        {
            "period": pd.period_range("2024-01", periods=3, freq="M"),
            "new_customers": [10, 4, 0],
            "repeat_rate": [0.0, 0.5, 1.0],
        }
    )
    axes = plot_kpis(table, metrics=("repeat_rate",))
    assert axes[0].get_title() == (
        "Repeat-business rate: 100% in 2024-03, true by definition (no new customers in 2024-03)"
    )
    table.loc[2, "new_customers"] = 3
    assert plot_kpis(table, metrics=("repeat_rate",))[0].get_title().endswith("(mean 50%)")
    plt.close("all")


def test_kpi_axes_of_figures_never_negative_start_at_zero():
    table = pd.DataFrame(
        {
            "period": pd.period_range("1997-01", periods=6, freq="M"),
            "early_defection_rate": [0.668, 0.674, 0.667, NAN, NAN, NAN],
            "spend_per_order": [39.0, 41.0, 40.0, 38.0, 37.0, 39.0],
        }
    )
    axes = plot_kpis(table, metrics=("early_defection_rate", "spend_per_order"))
    for ax in axes:
        assert ax.get_ylim()[0] == 0
    assert axes[0].get_ylim()[1] >= 0.674  # the highest point stays inside the axis


def test_a_signal_that_cannot_be_judged_gives_its_level_in_the_title():
    table = pd.DataFrame(
        {
            "period": pd.period_range("1997-01", periods=3, freq="M"),
            "early_defection_rate": [0.668, 0.674, 0.667],
        }
    )
    signals = pd.DataFrame(
        {
            "metric": ["early_defection_rate"],
            "verdict": ["not applicable"],
            "level": [0.6695],
            "level_periods": [["1997-01", "1997-02", "1997-03"]],
        }
    )
    ax = plot_kpis(table, metrics=("early_defection_rate",), signals=signals)[0]
    assert ax.get_title() == "Early defection rate: 67% (1997-01 to 1997-03), no change can be judged"


def test_heatmap_with_sizes_labels_rows_and_leaves_column_zero_uncoloured():
    matrix = matrix_of([[1.0, 0.23, 0.14], [1.0, 0.3, NAN]])
    sizes = pd.Series([23_500, 40], index=matrix.index)
    ax = plot_cohort_heatmap(matrix, sizes=sizes)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["2023-01 (n = 23,500)", "2023-02 (n = 40)"]
    shown = ax.images[0].get_array()
    assert shown.mask[:, 0].all() and not shown.mask[0, 1]
    assert ax.images[0].get_clim() == pytest.approx((0.0, 0.3))  # up to the largest later share
    assert "100%" in [t.get_text() for t in ax.texts]
