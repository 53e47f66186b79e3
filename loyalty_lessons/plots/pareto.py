"""Charts of the 80/20 rule: the Pareto chart and the concentration curve.

Both take per-customer values or a curve from :func:`loyalty_lessons.pareto.concentration_curve`
and ``ax=None``, draw only through ``ax`` and return it. Titles state the finding, computed
from the data.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.pareto import (
    NegativePolicy,
    curve_shares,
    pareto_point,
    top_count,
)
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = ["plot_concentration_curve", "plot_pareto_chart"]


def _bin_label(bins: int, n: int, entity: str, t: ChartTexts) -> str:
    one = entity[:-1] if entity.endswith("s") else entity
    if bins == n:
        return t("per_one", one=one, entity=entity)
    if bins == 100:
        return t("per_percentile", entity=entity)
    if bins == 10:
        return t("per_decile", entity=entity)
    size = t.percent(1 / bins, 0 if float(100 / bins).is_integer() else 1)
    return t("per_share", size=size, entity=entity)


def plot_pareto_chart(
    values_or_curve: object,
    ax: Axes | None = None,
    *,
    fraction: float = 0.2,
    measure: str = "revenue",
    entity: str = "customers",
    max_bars: int = 50,
    bins: int | None = None,
    value_col: str = "revenue",
    negative: NegativePolicy = "warn",
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Bars of each customer's share, largest first, with the cumulative share on a twin axis.

    Up to ``max_bars`` customers get one bar each; with more, the customers are grouped
    into percentiles (``bins=100``) so the chart stays readable; pass ``bins=10`` for
    deciles. Guide lines mark the top ``fraction`` of customers and the 80% benchmark of
    the 80/20 rule, and a dot marks the actual share of the top ``fraction``.

    When ``ax`` already shows this chart of the same values (the same bars and curve, the
    same ``measure`` and ``entity``), only the top ``fraction`` moves, in place: the guide
    line, the dot, its label and the title; :func:`~loyalty_lessons.plots.changed_artists`
    lists them.

    Parameters
    ----------
    values_or_curve : array-like, pandas.Series, pandas.DataFrame or a concentration curve
        One value per customer, or the result of ``concentration_curve``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw the bars on; a new figure is made when None.
    fraction : float, default 0.2
        The top fraction named in the title, in (0, 1].
    measure : str, default "revenue"
        What the values are, for the title and labels ("revenue", "orders", "complaints").
    entity : str, default "customers"
        What is ranked, plural.
    max_bars : int, default 50
        The largest number of customers drawn one bar each when ``bins`` is None.
    bins : int or None
        Number of equal groups of customers; None chooses one bar per customer or
        percentiles.
    value_col, negative
        See :func:`loyalty_lessons.pareto.concentration_curve`.
    texts : ChartTexts or mapping, optional
        The chart's words (:func:`~loyalty_lessons.plots.texts.chart_texts`); by default the
        English ones of the catalogue section ``charts.pareto``, which put ``measure`` and
        ``entity`` into the labels. The report passes a section of its language whose texts
        already name what is ranked ("pareto_revenue", "pareto_complaints").

    Returns
    -------
    matplotlib.axes.Axes
        The primary Axes holding the bars. The cumulative line is on a twin Axes made with
        ``ax.twinx()``; reach it with ``ax.get_shared_x_axes().get_siblings(ax)`` or
        ``ax.figure.axes``. When ``ceil(fraction * N)`` customers are not exactly
        ``fraction`` of them, the title says how many ("(3 of 12)").

    Raises
    ------
    LoyaltyDataError
        If the values are unusable or ``bins`` is not a positive integer.
    """
    customer_share, value_share, bins = _chart_arrays(values_or_curve, max_bars, bins, value_col, negative)
    t = chart_texts("pareto", texts=texts)
    words = {"measure": measure, "entity": entity}
    n = customer_share.size - 1
    heights = _bar_heights(customer_share, value_share, bins)
    line_x, line_y = _line_points(customer_share, value_share)
    frame = (measure, entity, t.identity, bins, heights.tobytes(), line_x.tobytes(), line_y.tobytes())
    chart = chart_on(ax, "pareto_chart", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        edges = np.linspace(0.0, 1.0, bins + 1)
        bars = ax.bar(
            100 * edges[:-1],
            heights,
            width=100 / bins,
            align="edge",
            color="tab:blue",
            alpha=0.7,
            label=t("bars", per=_bin_label(bins, n, entity, t), **words),
        )
        guide = ax.axvline(100 * fraction, color="grey", linestyle="--", linewidth=1)
        ax.set_xlim(0, 100)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(t("xlabel", **words))
        ax.set_ylabel(t("ylabel", per=_bin_label(bins, n, entity, t), **words))
        twin = ax.twinx()
        (curve,) = twin.plot(line_x, line_y, color="tab:red", label=t("curve", **words))
        benchmark = twin.axhline(80, color="grey", linestyle=":", linewidth=1)
        (dot,) = twin.plot(*_top_point(customer_share, value_share, fraction), "o", color="tab:red")
        twin.set_ylim(0, 105)
        twin.set_ylabel(t("twin_ylabel", **words))
        chart = {
            "anchor": bars[0],
            "twin": twin,
            "guide": guide,
            "curve": curve,
            "benchmark": benchmark,
            "dot": dot,
            "label": None,
        }
    twin = chart["twin"]
    chart["guide"].set_xdata([100 * fraction] * 2)
    chart["dot"].set_data(*_top_point(customer_share, value_share, fraction))
    if chart["label"] is not None:
        chart["label"].remove()
    (x,), (y,) = _top_point(customer_share, value_share, fraction)
    share = float(value_share[top_count(fraction, n)])
    chart["label"] = twin.annotate(t.percent(share), (x, y), textcoords="offset points", xytext=(6, -12))
    ax.set_title(_pareto_title(customer_share, value_share, fraction, words, t))
    changed = [
        chart["guide"],
        *ax.spines.values(),
        chart["curve"],
        chart["benchmark"],
        chart["dot"],
        *twin.spines.values(),
        chart["label"],
        ax.title,
    ]
    keep_chart(ax, "pareto_chart", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


#: Above this many customers the cumulative line is drawn through evenly spaced points of
#: the exact curve: a million points cost seconds to draw and look the same.
_LINE_POINTS = 2000


def _line_points(customer_share: np.ndarray, value_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cumulative curve in percent, as drawn (every customer, or _LINE_POINTS points on it)."""
    if customer_share.size > 2 * _LINE_POINTS:
        grid = np.linspace(0.0, 1.0, _LINE_POINTS + 1)
        customer_share, value_share = grid, np.interp(grid, customer_share, value_share)
    return 100 * customer_share, 100 * value_share


def _chart_arrays(
    values_or_curve: object, max_bars: int, bins: int | None, value_col: str, negative: NegativePolicy
) -> tuple[np.ndarray, np.ndarray, int]:
    """The concentration curve's two columns, and the number of bars."""
    customer_share, value_share = curve_shares(values_or_curve, value_col=value_col, negative=negative)
    n = customer_share.size - 1
    if bins is None:
        bins = n if n <= max_bars else 100
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise LoyaltyDataError(f"bins must be a positive whole number, got {bins!r}.")
    return customer_share, value_share, bins


def _bar_heights(customer_share: np.ndarray, value_share: np.ndarray, bins: int) -> np.ndarray:
    edges = np.linspace(0.0, 1.0, bins + 1)
    return 100 * np.diff(np.interp(edges, customer_share, value_share))


def _top_point(
    customer_share: np.ndarray, value_share: np.ndarray, fraction: float
) -> tuple[list[float], list[float]]:
    """Where the top ``fraction`` of customers sits on the cumulative curve, in percent."""
    n = customer_share.size - 1
    top = top_count(fraction, n)
    return [100 * top / n], [100 * float(value_share[top])]


def _pareto_title(
    customer_share: np.ndarray, value_share: np.ndarray, fraction: float, words: dict, t: ChartTexts
) -> str:
    n = customer_share.size - 1
    top = top_count(fraction, n)
    values = {**words, "fraction": t.percent(fraction), "share": t.percent(float(value_share[top]))}
    if abs(top / n - fraction) > 1e-9:  # say how many when ceil(fraction * N) is not exact
        return t("title_count", top=t.number(top), n=t.number(n), **values)
    return t("title", **values)


def plot_concentration_curve(
    curve: object,
    ax: Axes | None = None,
    *,
    measure: str = "revenue",
    entity: str = "customers",
    value_col: str = "revenue",
    negative: NegativePolicy = "warn",
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """The concentration curve (largest customers first) against the line of equal shares.

    The further the curve bows above the diagonal, the more the total depends on a few
    customers. The title names the data's own "x/y rule" (see
    :func:`loyalty_lessons.pareto.pareto_point`), which is marked on the curve.

    Parameters
    ----------
    curve : pandas.DataFrame or per-customer values
        The result of ``concentration_curve`` (or values it accepts).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    measure, entity : str
        What the values are and what is ranked, for the title and labels.
    value_col, negative
        Used only when ``curve`` is values; see ``concentration_curve``.
    texts : ChartTexts or mapping, optional
        The chart's words (catalogue section ``charts.pareto``, or ``charts.pareto_revenue``
        and the like, with their ``concentration`` table); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    t = chart_texts("pareto", texts=texts)
    words = {"measure": measure, "entity": entity}
    customer_share, value_share = curve_shares(curve, value_col=value_col, negative=negative)
    point = pareto_point(curve, value_col=value_col, negative="clip")
    top_percent, value_percent = point.label.split("/")
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(*_line_points(customer_share, value_share), color="tab:red", label=t("curve", **words))
    ax.plot([0, 100], [0, 100], color="grey", linestyle="--", label=t("concentration.equal"))
    ax.plot([100 * point.customer_share], [100 * point.value_share], "o", color="tab:red")
    ax.annotate(
        point.label,
        (100 * point.customer_share, 100 * point.value_share),
        textcoords="offset points",
        xytext=(8, -14),
    )
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t("xlabel", **words))
    ax.set_ylabel(t("twin_ylabel", **words))
    ax.legend(loc="lower right")
    ax.set_title(
        t(
            "concentration.title",
            top=t.percent(float(top_percent) / 100),
            share=t.percent(float(value_percent) / 100),
            rule=point.label,
            **words,
        )
    )
    local_ticks(ax, t)
    return ax
