"""Charts of the quality gap: where customers' expectations are not met.

Each function takes a table from :mod:`loyalty_lessons.quality_gap` and ``ax=None``, draws
only on that Axes (a new figure when ``ax`` is None) and returns it.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks, require_result
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = [
    "plot_expectation_perception",
    "plot_gap_by_dimension",
    "plot_importance_performance",
]

SHORT_COLOUR = "#c0392b"  # expectation not met
MET_COLOUR = "#2e7d32"  # expectation met or exceeded
EXPECTATION_COLOUR = "#7f8c8d"


def _answered(table: pd.DataFrame, columns: list[str], made_by: str) -> pd.DataFrame:
    """The dimensions that have a gap (a dimension no respondent answered has none)."""
    table = require_result(table, columns, made_by).dropna(subset=["gap"])
    if table.empty:
        raise LoyaltyDataError("No dimension has a gap to draw: the survey answered none.")
    return table


def _names(t: ChartTexts, codes) -> list[str]:
    return [t.name("dimensions", str(code)) for code in codes]


def _gap_title(table: pd.DataFrame, t: ChartTexts) -> str:
    short = _names(t, table[table["gap"] < 0].sort_values("gap")["dimension"])
    if not short:
        return t("title_met")
    if len(short) == len(table):
        return t("title_none_met", worst=short[0])
    return t("title_short", dimensions=t.join(short))


def plot_gap_by_dimension(
    dimension_gaps: pd.DataFrame,
    ax: Axes | None = None,
    *,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Diverging bars of the gap on each dimension, with confidence intervals.

    When ``ax`` already shows this chart for the same dimensions, the bars, their
    intervals and labels, and the title change in place and the axis limits stay (an
    explorer fixes them): :func:`~loyalty_lessons.plots.changed_artists` lists what
    changed.

    Parameters
    ----------
    dimension_gaps : pandas.DataFrame
        The output of :func:`loyalty_lessons.quality_gap.dimension_gaps` (columns
        ``dimension``, ``gap``, ``ci_low``, ``ci_high``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    texts : ChartTexts or mapping, optional
        The chart's words and the dimensions' names (catalogue section ``charts.quality_gap``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        Red bars for dimensions where perception falls short of expectation, green where
        it meets or beats it; the title names the dimensions that fall short (worst first).

    Raises
    ------
    LoyaltyDataError
        If a column is missing or no dimension has a gap.
    """
    table = _answered(dimension_gaps, ["dimension", "gap", "ci_low", "ci_high"], "dimension_gaps(survey)")
    t = chart_texts("quality_gap", texts=texts)
    dimensions = tuple(table["dimension"])
    gap, low, high = _gap_ends(table)
    y = np.arange(len(table))
    chart = chart_on(ax, "gap_by_dimension", (dimensions, t.identity))
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.5))
        bars = ax.barh(
            y,
            gap,
            color=_gap_colours(gap),
            xerr=[low, high],
            capsize=3,
            error_kw={"ecolor": "#333333", "elinewidth": 1},
        )
        zero = ax.axvline(0, color="#333333", linewidth=0.8)
        ax.margins(x=0.2)
        ax.set_yticks(y, _names(t, dimensions))
        ax.invert_yaxis()
        ax.set_xlabel(t("xlabel"))
        local_ticks(ax, t)
        _, (low_caps, high_caps), (intervals,) = bars.errorbar.lines
        chart = {
            "anchor": zero,
            "bars": bars,
            "zero": zero,
            "caps": (low_caps, high_caps),
            "intervals": intervals,
            "labels": [],
        }
    for bar, width, colour in zip(chart["bars"], gap, _gap_colours(gap)):
        bar.set_width(width)
        bar.set_facecolor(colour)
    chart["bars"].datavalues = gap
    chart["caps"][0].set_data(gap - low, y)
    chart["caps"][1].set_data(gap + high, y)
    chart["intervals"].set_segments([[(g - lo, i), (g + hi, i)] for i, g, lo, hi in zip(y, gap, low, high)])
    for label in chart["labels"]:
        label.remove()
    chart["labels"] = [
        ax.text(x, i, text, ha=ha, va="center", fontsize="small", color=colour)
        for i, (x, text, ha, colour) in enumerate(_gap_labels(gap, low, high, ax, t))
    ]
    ax.set_title(_gap_title(table, t))
    changed = [
        *chart["bars"],
        chart["intervals"],
        *chart["caps"],
        chart["zero"],
        *ax.spines.values(),
        *chart["labels"],
        ax.title,
    ]
    keep_chart(ax, "gap_by_dimension", (dimensions, t.identity), chart, None if fresh else changed)
    return ax


def _gap_ends(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each gap, and how far its interval reaches below and above it (0 when unknown)."""
    gap = table["gap"].to_numpy(dtype=float)
    low = np.nan_to_num(gap - table["ci_low"].to_numpy(dtype=float))
    high = np.nan_to_num(table["ci_high"].to_numpy(dtype=float) - gap)
    return gap, low, high


def _gap_colours(gap: np.ndarray) -> list[str]:
    return [SHORT_COLOUR if g < 0 else MET_COLOUR for g in gap]


def _gap_labels(
    gap: np.ndarray, low: np.ndarray, high: np.ndarray, ax: Axes, t: ChartTexts
) -> list[tuple[float, str, str, str]]:
    """Where each bar's label goes (x, text, alignment, colour), judged by sizes on screen.

    A label goes inside its bar, in white, when it fits in the part of the bar its interval
    does not cover (measured in pixels at the chart's size, resolution and text size);
    otherwise past the end of the interval, in dark text.
    """
    x_low, x_high = ax.get_xlim()
    pixels_per_point = ax.figure.dpi / 72
    axes_px = ax.get_position().width * ax.figure.get_figwidth() * ax.figure.dpi
    px_per_unit = axes_px / max(x_high - x_low, 1e-9)
    size_pt = FontProperties(size="small").get_size_in_points()
    labels = []
    for g, lo, hi in zip(gap, low, high):
        text = t.signed(g)
        # Digits are about 0.6 em wide; a little room on each side.
        text_px = (0.6 * len(text) + 0.6) * size_pt * pixels_per_point
        free = (abs(g) - (lo if g >= 0 else hi)) * px_per_unit  # the bar before its interval
        if free >= text_px:
            inner_end = g - lo if g >= 0 else g + hi
            labels.append((inner_end / 2, text, "center", "white"))
        else:
            end = g + hi if g >= 0 else g - lo
            gap_units = 4 * pixels_per_point / px_per_unit
            labels.append(
                (end + (gap_units if g >= 0 else -gap_units), text, "left" if g >= 0 else "right", "#333333")
            )
    return labels


def plot_expectation_perception(
    dimension_gaps: pd.DataFrame,
    ax: Axes | None = None,
    *,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Dumbbell chart: expectation and perception side by side on each dimension.

    Parameters
    ----------
    dimension_gaps : pandas.DataFrame
        The output of :func:`loyalty_lessons.quality_gap.dimension_gaps` (columns
        ``dimension``, ``expectation``, ``perception``, ``gap``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    texts : ChartTexts or mapping, optional
        As for :func:`plot_gap_by_dimension` (``chart_texts("quality_gap", language)``).

    Returns
    -------
    matplotlib.axes.Axes
        One line per dimension from the expectation (grey dot) to the perception (red when
        short, green when met); the title counts the dimensions that fall short.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or no dimension has a gap.
    """
    table = _answered(
        dimension_gaps, ["dimension", "expectation", "perception", "gap"], "dimension_gaps(survey)"
    )
    t = chart_texts("quality_gap", texts=texts)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    y = np.arange(len(table))
    expectation = table["expectation"].to_numpy(dtype=float)
    perception = table["perception"].to_numpy(dtype=float)
    colours = [SHORT_COLOUR if p < e else MET_COLOUR for e, p in zip(expectation, perception)]
    for yi, e, p, c in zip(y, expectation, perception, colours):
        ax.plot([e, p], [yi, yi], color=c, linewidth=2, zorder=1)
    ax.scatter(expectation, y, color=EXPECTATION_COLOUR, zorder=2)
    ax.scatter(perception, y, color=colours, zorder=3)
    ax.set_yticks(y, _names(t, table["dimension"]))
    ax.invert_yaxis()
    ax.margins(x=0.1)
    ax.set_xlabel(t("mean_score"))
    local_ticks(ax, t)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=EXPECTATION_COLOUR, label=t("expectation")),
        Line2D([], [], marker="o", linestyle="", color=SHORT_COLOUR, label=t("perception_short")),
        Line2D([], [], marker="o", linestyle="", color=MET_COLOUR, label=t("perception_met")),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    short = int((perception < expectation).sum())
    if short:
        title = t("title_perception_short", short=t.number(short), dimensions=t.number(len(table)))
    else:
        title = t("title_perception_met")
    ax.set_title(title)
    return ax


def plot_importance_performance(
    importance_performance: pd.DataFrame,
    ax: Axes | None = None,
    *,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Importance-performance grid: how much each dimension matters against its gap.

    Parameters
    ----------
    importance_performance : pandas.DataFrame
        The output of :func:`loyalty_lessons.quality_gap.importance_performance` (columns
        ``dimension``, ``importance``, ``gap``, ``quadrant``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    texts : ChartTexts or mapping, optional
        As for :func:`plot_gap_by_dimension`.

    Returns
    -------
    matplotlib.axes.Axes
        One labelled point per dimension; a vertical line at gap 0 and a horizontal line
        at the mean importance split the four quadrants; the title names what to fix first.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or no dimension has a gap.
    """
    table = _answered(
        importance_performance,
        ["dimension", "importance", "gap", "quadrant"],
        "importance_performance(survey)",
    )
    t = chart_texts("quality_gap", texts=texts)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    gap = table["gap"].to_numpy(dtype=float)
    importance = table["importance"].to_numpy(dtype=float)
    colours = [SHORT_COLOUR if g < 0 else MET_COLOUR for g in gap]
    ax.scatter(gap, importance, color=colours, s=50, zorder=3)
    ax.margins(y=0.15)  # keep the points clear of the quadrant names in the corners
    for name, g, i in zip(_names(t, table["dimension"]), gap, importance):
        ax.annotate(name, (g, i), textcoords="offset points", xytext=(6, 4), fontsize=8)
    cut = float(np.nanmean(importance))
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.axhline(cut, color="#333333", linewidth=0.8, linestyle="--")
    span = max(1.0, float(np.nanmax(np.abs(gap))) * 1.3)
    ax.set_xlim(-span, span)
    for x, y, text, ha, va in [
        (0.02, 0.98, t("fix_first"), "left", "top"),
        (0.98, 0.98, t("keep_up"), "right", "top"),
        (0.02, 0.02, t("fix_later"), "left", "bottom"),
        (0.98, 0.02, t("low_priority"), "right", "bottom"),
    ]:
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=8, color="#555555")
    ax.set_xlabel(t("xlabel"))
    ax.set_ylabel(t("ylabel_importance"))
    local_ticks(ax, t)
    first = _names(t, table[table["quadrant"] == "fix first"].sort_values("gap")["dimension"])
    ax.set_title(t("title_fix", dimensions=t.join(first)) if first else t("title_fix_none"))
    return ax
