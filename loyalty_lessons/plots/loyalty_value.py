"""Charts of loyalty-value math: value over the years, referral growth, defection.

Each takes a frame from :mod:`loyalty_lessons.loyalty_value` and ``ax=None``, draws only
through ``ax`` and returns it. Titles state the finding; money is written with the
``currency`` symbol given (dollars by default, as in [fr-loyalty-value]), as
plain text (a ``$`` never starts matplotlib's math mode).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks, require_result
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = [
    "nice_ceiling",
    "plot_customers_remaining",
    "plot_margin_earned",
    "plot_referred_spend",
    "plot_referral_growth",
    "plot_value_over_years",
]


def plot_value_over_years(
    value_frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    currency: str = "$",
    names: tuple[str, str] | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Cumulative spend of a satisfied and a loyal customer, with the final gap marked.

    When ``ax`` already shows this chart over the same years with the same ``currency``,
    the lines, the marked difference and the title change in place and the axis limits
    stay (an explorer fixes them): :func:`~loyalty_lessons.plots.changed_artists` lists
    what changed.

    Parameters
    ----------
    value_frame : pandas.DataFrame
        From :func:`loyalty_lessons.loyalty_value.value_over_years`: ``year``,
        ``satisfied_value``, ``loyal_value``, ``difference``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    currency : str, default "$"
        Symbol written before amounts.
    names : (str, str), optional
        What the two customers are called, the ``loyal_value`` one first: by default the
        source's example, loyal and satisfied customers (the catalogue's ``loyal`` and
        ``satisfied``); a business's purchases only show regular and occasional ones.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.loyalty_value``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(value_frame, ["year", "satisfied_value", "loyal_value", "difference"], "value_over_years")
    t = chart_texts("loyalty_value", texts=texts)
    if names is None:
        names = (t("loyal"), t("satisfied"))
    frame = (tuple(value_frame["year"].tolist()), currency, tuple(names), t.identity)
    chart = chart_on(ax, "value_over_years", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        (loyal,) = ax.plot(
            value_frame["year"],
            value_frame["loyal_value"],
            marker="o",
            color="tab:green",
            label=t("line", name=names[0]),
        )
        (satisfied,) = ax.plot(
            value_frame["year"],
            value_frame["satisfied_value"],
            marker="o",
            color="tab:blue",
            label=t("line", name=names[1]),
        )
        ax.set_xlabel(t("xlabel"))
        unit = f" ({currency.strip()})" if currency.strip() else ""  # no empty brackets without a currency
        ax.set_ylabel(t("ylabel", unit=unit), parse_math=False)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left")
        chart = {"anchor": loyal, "lines": (loyal, satisfied), "marks": []}
    chart["lines"][0].set_ydata(value_frame["loyal_value"])
    chart["lines"][1].set_ydata(value_frame["satisfied_value"])
    for mark in chart["marks"]:
        mark.remove()
    chart["marks"] = _mark_difference(ax, value_frame, currency, t)
    ax.set_title(_value_title(value_frame, currency, names, t), parse_math=False)
    changed = [*chart["lines"], *ax.spines.values(), *chart["marks"], ax.get_legend(), ax.title]
    keep_chart(ax, "value_over_years", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def _mark_difference(ax: Axes, value_frame: pd.DataFrame, currency: str, t: ChartTexts) -> list[Artist]:
    """The arrow between the two lines in the last year, and how much it is."""
    last = value_frame.iloc[-1]
    arrow = ax.annotate(
        "",
        xy=(last["year"], last["loyal_value"]),
        xytext=(last["year"], last["satisfied_value"]),
        arrowprops={"arrowstyle": "<->", "color": "grey"},
    )
    more = t("more" if last["difference"] >= 0 else "less")
    label = ax.annotate(
        t("mark", amount=t.money(abs(last["difference"]), currency), more=more),
        ((last["year"]), (last["loyal_value"] + last["satisfied_value"]) / 2),
        textcoords="offset points",
        xytext=(-8, 0),
        ha="right",
        va="center",
        parse_math=False,
    )
    return [arrow, label]


def _value_title(value_frame: pd.DataFrame, currency: str, names: tuple[str, str], t: ChartTexts) -> str:
    last = value_frame.iloc[-1]
    years = int(last["year"])
    return t(
        "title",
        years=t.plural("years", years, count=t.number(years)),
        first=names[0],
        second=names[1],
        a_first=_a(names[0]),
        a_second=_a(names[1]),
        amount=t.money(abs(last["difference"]), currency),
        more=t("more" if last["difference"] >= 0 else "less"),
    )


def _a(word: str) -> str:
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def plot_referral_growth(
    growth: pd.DataFrame,
    ax: Axes | None = None,
    *,
    currency: str = "$",
    log_scale: bool | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Yearly revenue from referred customers: only the first customers refer vs everyone does.

    Parameters
    ----------
    growth : pandas.DataFrame
        From :func:`loyalty_lessons.loyalty_value.referral_growth`.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    currency : str, default "$"
        Symbol written before amounts.
    log_scale : bool or None
        Logarithmic y axis; None chooses it when the two models differ more than
        a hundredfold (the compounding model soon dwarfs the linear one).
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.referral_growth``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(growth, ["year", "linear_new_revenue", "compounding_new_revenue"], "referral_growth")
    t = chart_texts("referral_growth", texts=texts)
    if ax is None:
        _, ax = plt.subplots()
    linear, compounding = growth["linear_new_revenue"], growth["compounding_new_revenue"]
    ax.plot(growth["year"], compounding, marker="o", color="tab:red", label=t("compounding"))
    ax.plot(growth["year"], linear, marker="o", color="tab:blue", label=t("linear"))
    if log_scale is None:
        low = linear[linear > 0].min() if (linear > 0).any() else np.nan
        log_scale = bool(np.isfinite(low) and compounding.max() > 100 * low)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xticks(growth["year"])
    ax.set_xlabel(t("xlabel"))
    unit = f" ({currency.strip()})" if currency.strip() else ""
    ax.set_ylabel(t("ylabel", unit=unit), parse_math=False)
    # Below the chart, where it cannot hide a line: the compounding line peaks early, at the
    # top left, where a legend inside the frame would sit.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False, fontsize="small")
    years = int(growth["year"].iloc[-1])
    ax.set_title(
        t(
            "title",
            years=t.plural("years", years, count=t.number(years)),
            linear=t.money(linear.sum(), currency),
            compounding=t.money(compounding.sum(), currency),
        ),
        parse_math=False,
    )
    local_ticks(ax, t)
    return ax


def plot_customers_remaining(
    remaining: pd.DataFrame, ax: Axes | None = None, *, texts: ChartTexts | Mapping[str, str] | None = None
) -> Axes:
    """Customers left each year at a fixed yearly defection rate (bars).

    When ``ax`` already shows this chart over the same years, the bar heights and the
    title change in place and the axis limits stay (an explorer fixes them):
    :func:`~loyalty_lessons.plots.changed_artists` lists what changed.

    Parameters
    ----------
    remaining : pandas.DataFrame
        From :func:`loyalty_lessons.loyalty_value.customers_remaining`, at least two rows.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section
        ``charts.customers_remaining``, :func:`~loyalty_lessons.plots.texts.chart_texts`);
        English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(remaining, ["year", "customers", "share_remaining"], "customers_remaining")
    if len(remaining) < 2:
        raise LoyaltyDataError("customers_remaining() needs at least one year to chart.")
    t = chart_texts("customers_remaining", texts=texts)
    years = (tuple(remaining["year"].tolist()), t.identity)
    chart = chart_on(ax, "customers_remaining", years)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        bars = ax.bar(remaining["year"], remaining["customers"], color="tab:blue", alpha=0.8)
        ax.set_xticks(remaining["year"])
        ax.set_xlabel(t("xlabel"))
        ax.set_ylabel(t("ylabel"))
        chart = {"anchor": bars[0], "bars": bars}
    for bar, height in zip(chart["bars"], remaining["customers"]):
        bar.set_height(height)
    ax.set_title(_remaining_title(remaining, t))
    changed = [*chart["bars"], *ax.spines.values(), ax.title]
    keep_chart(ax, "customers_remaining", years, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def _remaining_title(remaining: pd.DataFrame, t: ChartTexts) -> str:
    defection = 1.0 - remaining["share_remaining"].iloc[1]
    last = remaining.iloc[-1]
    years = int(last["year"])
    return t(
        "title",
        defection=t.percent(defection),
        share=t.percent(last["share_remaining"]),
        years=t.plural("years", years, count=t.number(years)),
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above ``value`` (1 for nothing to show).

    An axis limit that stays put while a figure moves a little, and rescales when it grows
    past it or falls well below it.

    Examples
    --------
    >>> nice_ceiling(434.0), nice_ceiling(2.0), nice_ceiling(0.0)
    (500.0, 2.0, 1.0)
    """
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def plot_margin_earned(
    earned: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lifetime_value: float | None = None,
    currency: str = "$",
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Margin a customer has brought so far, discounted, year after year (a line).

    Drawn over :func:`plot_customers_remaining` on a second y axis (``ax.twinx()``), it
    shows what spend, margin and discount rate do, where the bars show retention alone.
    When ``ax`` already shows this chart over the same years, the line, the level and the
    y axis (rescaled when the line needs it) change in place (see
    :func:`~loyalty_lessons.plots.changed_artists`); otherwise it is drawn afresh.

    Parameters
    ----------
    earned : pandas.DataFrame
        ``year`` and ``margin_earned`` (discounted margin brought up to that year by one
        starting customer, weighted by the chance they are still there).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    lifetime_value : float, optional
        Where the line leads over a lifetime: drawn as a dashed level.
    currency : str, default "$"
        Symbol written before amounts.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.margin_earned``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(earned, ["year", "margin_earned"], "lifetime_view(...).earned")
    t = chart_texts("margin_earned", texts=texts)
    top = nice_ceiling(1.1 * max(float(earned["margin_earned"].max()), float(lifetime_value or 0.0)))
    frame = (tuple(earned["year"].tolist()), currency, t.identity)
    chart = chart_on(ax, "margin_earned", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        (line,) = ax.plot(
            earned["year"],
            earned["margin_earned"],
            color="tab:orange",
            marker="o",
            markersize=3,
            label=t("line"),
        )
        level = ax.axhline(0.0, color="tab:orange", linestyle="--", linewidth=1)
        unit = f" ({currency.strip()})" if currency.strip() else ""
        ax.set_ylabel(t("ylabel", unit=unit), color="tab:orange", parse_math=False)
        ax.tick_params(axis="y", colors="tab:orange")
        note = ax.annotate(
            "",
            (1, 0),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 3),
            textcoords="offset points",
            color="tab:orange",
            fontsize=8,
            ha="right",
            va="bottom",
            parse_math=False,
        )
        chart = {"anchor": line, "line": line, "level": level, "note": note}
    chart["line"].set_ydata(earned["margin_earned"])
    ax.set_ylim(0, top)
    shown = lifetime_value is not None and np.isfinite(lifetime_value)
    height = float(lifetime_value) if shown else 0.0
    chart["level"].set_ydata([height, height])
    chart["level"].set_visible(shown)
    chart["note"].xy = (1, height)
    chart["note"].set_text(t("lifetime_value", amount=t.money(height, currency)) if shown else "")
    # A new scale changes only the y axis's ticks, so the axis is redrawn every time. In the
    # order a full draw paints them (by zorder: the axis under the lines by default).
    changed = sorted(
        [chart["level"], chart["line"], *ax.spines.values(), ax.yaxis, chart["note"]], key=Artist.get_zorder
    )
    keep_chart(ax, "margin_earned", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def plot_referred_spend(
    referred: pd.DataFrame,
    ax: Axes | None = None,
    *,
    currency: str = "$",
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """What the customers won by word of mouth spend, added up year after year (pale bars).

    Drawn under :func:`plot_value_over_years` on a second y axis (``ax.twinx()``), it shows
    what the referral figures move. When ``ax`` already shows this chart over the same years,
    the bars and the y axis (rescaled when the bars need it) change in place (see
    :func:`~loyalty_lessons.plots.changed_artists`); otherwise it is drawn afresh.

    Parameters
    ----------
    referred : pandas.DataFrame
        ``year`` and ``referred_spend`` (the first-year spend of the customers one loyal
        customer has brought by then).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    currency : str, default "$"
        Symbol written before amounts.
    texts : ChartTexts or mapping, optional
        The chart's words (catalogue section ``charts.referred_spend``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(referred, ["year", "referred_spend"], "value_view(...).referred")
    t = chart_texts("referred_spend", texts=texts)
    top = nice_ceiling(1.1 * float(referred["referred_spend"].max()))
    frame = (tuple(referred["year"].tolist()), currency, t.identity)
    chart = chart_on(ax, "referred_spend", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        bars = ax.bar(referred["year"], referred["referred_spend"], width=0.5, color="tab:green", alpha=0.18)
        unit = f" ({currency.strip()})" if currency.strip() else ""
        ax.set_ylabel(t("ylabel", unit=unit), color="tab:green", parse_math=False)
        ax.tick_params(axis="y", colors="tab:green")
        chart = {"anchor": bars[0], "bars": bars}
    for bar, height in zip(chart["bars"], referred["referred_spend"]):
        bar.set_height(height)
    ax.set_ylim(0, top)
    # The y axis redrawn every time, as for the margin, in the order a full draw paints them.
    changed = sorted([*chart["bars"], *ax.spines.values(), ax.yaxis], key=Artist.get_zorder)
    keep_chart(ax, "referred_spend", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax
