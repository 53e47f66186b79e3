"""Charts of the customer-base model: the calibration/holdout check and the probability of being active.

Each takes a result of :mod:`loyalty_lessons.customer_base` or
:mod:`loyalty_lessons.customer_base_check` and ``ax=None``, draws only through ``ax`` and
returns it; the title states what the chart shows.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks, require_result
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = [
    "plot_customer_history",
    "plot_holdout_by_frequency",
    "plot_population_purchases",
    "plot_probability_alive",
    "plot_tracking",
]

_UNIT_WORDS = {"W": "weeks", "D": "days"}


def _table(result, name: str, columns: list[str], made_by: str) -> pd.DataFrame:
    """The ``name`` table of a :class:`~loyalty_lessons.customer_base_check.ModelCheck`, or the table."""
    table = getattr(result, name, result)
    return require_result(table, columns, made_by)


def plot_holdout_by_frequency(
    check, ax: Axes | None = None, *, texts: ChartTexts | Mapping[str, str] | None = None
) -> Axes:
    """Mean purchases per customer in the holdout period, actual against predicted, by calibration purchases.

    The customers are grouped by their repeat purchases in the calibration period (0, 1, ...,
    7+); bars show what each group bought on average in the holdout period, the line what the
    model predicted for it (Fader, Hardie & Lee 2005, Figure 4).

    Parameters
    ----------
    check : ModelCheck or pandas.DataFrame
        From :func:`~loyalty_lessons.customer_base_check.model_check`, or its ``by_frequency``
        table: ``frequency``, ``customers``, ``actual``, ``predicted``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    texts : ChartTexts or mapping, optional
        The chart's words (catalogue section ``charts.customer_base``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    table = _table(
        check, "by_frequency", ["frequency", "customers", "actual", "predicted"], "model_check(...)"
    )
    t = chart_texts("customer_base", texts=texts)
    if ax is None:
        _, ax = plt.subplots()
    positions = np.arange(len(table))
    ax.bar(positions, table["actual"], color="tab:blue", alpha=0.6, label=t("actual"))
    ax.plot(positions, table["predicted"], color="tab:orange", marker="o", label=t("model"))
    ax.set_xticks(positions, table["frequency"].astype(str))
    ax.set_xlabel(t("frequency_xlabel", until=_until(table, t)))
    ax.set_ylabel(t("frequency_ylabel", holdout=_holdout(table, t)))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    gap = float((table["predicted"] - table["actual"]).abs().max())
    ax.set_title(_wrap(t("frequency_title", gap=t.number(gap, 2))))
    local_ticks(ax, t)
    return ax


def plot_tracking(
    check, ax: Axes | None = None, *, texts: ChartTexts | Mapping[str, str] | None = None
) -> Axes:
    """Cumulative repeat purchases of the calibration customers, actual and expected by the model.

    The model's curve is what it expects of customers it knows only by the dates of their
    first purchases (Fader, Hardie & Lee 2005, Figure 2); the dotted line marks the end of the
    calibration period, after which the model had seen nothing.

    Parameters
    ----------
    check : ModelCheck or pandas.DataFrame
        From :func:`~loyalty_lessons.customer_base_check.model_check`, or its ``tracking``
        table: ``elapsed``, ``actual``, ``predicted``, ``holdout``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    texts : ChartTexts or mapping, optional
        As for :func:`plot_holdout_by_frequency`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    table = _table(check, "tracking", ["elapsed", "actual", "predicted", "holdout"], "model_check(...)")
    t = chart_texts("customer_base", texts=texts)
    if ax is None:
        _, ax = plt.subplots()
    unit = _UNIT_WORDS.get(table.attrs.get("time_unit"), "periods")
    ax.plot(table["elapsed"], table["actual"], color="tab:blue", label=t("actual"))
    ax.plot(table["elapsed"], table["predicted"], color="tab:orange", linestyle="--", label=t("model"))
    calibration = table[~table["holdout"]]
    if len(calibration) and table["holdout"].any():
        ax.axvline(
            calibration["elapsed"].iloc[-1], color="grey", linestyle=":", label=t("end_of_calibration")
        )
    ax.set_xlabel(t.name("tracking_xlabel", unit))
    ax.set_ylabel(t("tracking_ylabel"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    last = table.iloc[-1]
    change = last["predicted"] / last["actual"] - 1 if last["actual"] else float("nan")
    values = {
        "predicted": t.number(last["predicted"]),
        "actual": t.number(last["actual"]),
        "relative": _relative(change, t),
    }
    if "date" in table:
        title = t("tracking_title_date", date=f"{last['date']:%Y-%m-%d}", **values)
    else:
        title = t("tracking_title", **values)
    ax.set_title(_wrap(title))
    local_ticks(ax, t)
    return ax


def plot_probability_alive(
    curve: pd.DataFrame, ax: Axes | None = None, *, texts: ChartTexts | Mapping[str, str] | None = None
) -> Axes:
    """Probability that a customer is still active against the time of their last purchase.

    One line per number of repeat purchases, from
    :func:`~loyalty_lessons.customer_base.alive_by_recency`: the more often a customer bought,
    the faster a silence makes it likely that they have left.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``frequency``, ``recency``, ``time_since_last``, ``p_alive``; ``attrs`` with ``T`` and
        ``time_unit`` (as ``alive_by_recency`` sets them).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.customer_base``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(curve, ["frequency", "recency", "time_since_last", "p_alive"], "alive_by_recency(...)")
    t = chart_texts("customer_base", texts=texts)
    if ax is None:
        _, ax = plt.subplots()
    unit = _UNIT_WORDS.get(curve.attrs.get("time_unit"), "periods")
    for x, line in curve.groupby("frequency", sort=True):
        ax.plot(line["recency"], line["p_alive"], label=_purchases(x, t))
    T = curve.attrs.get("T", float(curve["recency"].max()))
    ax.set_xlabel(t(f"alive_xlabel.{unit}", T=t.number(T)))
    ax.set_ylabel(t("alive_ylabel"))
    ax.set_ylim(0, 1.05)
    ax.legend(loc="best")
    ax.set_title(_wrap(_alive_title(curve, unit, t)))
    local_ticks(ax, t)
    return ax


def _alive_title(curve: pd.DataFrame, unit: str, t: ChartTexts) -> str:
    longest = curve[curve["time_since_last"] == curve["time_since_last"].max()].sort_values("frequency")
    silence = float(longest["time_since_last"].iloc[0])
    first, last = longest.iloc[0], longest.iloc[-1]
    values = {
        "silence": _span(silence, unit, t),
        "first": _purchases(first["frequency"], t, "with_purchases"),
        "p_first": _share(first["p_alive"], t),
    }
    if len(longest) == 1:
        return t("alive_title", **values)
    return t(
        "alive_title_two",
        last=_purchases(last["frequency"], t, "with_purchases"),
        p_last=_share(last["p_alive"], t),
        **values,
    )


def _share(probability: float, t: ChartTexts) -> str:
    """A probability in a title: 15%, under 1%, over 99%."""
    if probability < 0.005:
        return t("share_under", share=t.percent(0.01))
    if probability > 0.995 and probability < 1:
        return t("share_over", share=t.percent(0.99))
    return t.percent(probability)


def _wrap(title: str) -> str:
    """A long title on lines of at most 60 characters."""
    return textwrap.fill(title, 60)


def _purchases(x, t: ChartTexts, table: str = "repeat_purchases") -> str:
    """ "2 repeat purchases", by the language's plural forms of ``table``."""
    x = int(x)
    return t.plural(table, x, count=t.number(x))


def _span(time: float, unit: str, t: ChartTexts) -> str:
    """ "26 weeks", in the plural form of the table ``spans.<unit>``."""
    time = round(time)
    return t.plural(f"spans.{unit}", time, count=t.number(time))


def _relative(change: float, t: ChartTexts) -> str:
    """How the model's count compares: "12% fewer than", "as many as"."""
    if not np.isfinite(change):
        return t("relative_unknown")
    if abs(change) < 0.005:
        return t("relative_same")
    return t("relative_more" if change > 0 else "relative_fewer", share=t.percent(abs(change)))


def _until(table: pd.DataFrame, t: ChartTexts) -> str:
    end = table.attrs.get("calibration_end")
    return t("until", end=f"{end:%Y-%m-%d}") if end is not None else ""


def _holdout(table: pd.DataFrame, t: ChartTexts) -> str:
    start, end = table.attrs.get("calibration_end"), table.attrs.get("holdout_end")
    if start is None or end is None:
        return ""
    return "\n" + t("holdout", start=f"{start + pd.Timedelta(days=1):%Y-%m-%d}", end=f"{end:%Y-%m-%d}")


def plot_customer_history(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    *,
    recency: float,
    p_alive: float,
    label: str | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """One customer on the curve of the probability of being active against their last purchase.

    The curve is that of the customer's number of repeat purchases, from
    :func:`~loyalty_lessons.customer_base.alive_by_recency` with one ``frequency``; a dot marks
    the customer's own last purchase and probability, a dotted line the time of that purchase.

    When ``ax`` already shows this chart for the same ``T`` and time unit, the curve, the dot,
    the line and the title change in place (:func:`~loyalty_lessons.plots.changed_artists`
    lists them), as an explorer's slider moves them.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``frequency`` (one value), ``recency``, ``time_since_last``, ``p_alive``; ``attrs`` with
        ``T`` and ``time_unit`` (as ``alive_by_recency`` sets them).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    recency : float
        The customer's time from the first to the last purchase, in ``curve.attrs["time_unit"]``.
    p_alive : float
        The customer's probability of still being active.
    label : str, optional
        Written beside the dot (e.g. the purchases to expect).
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.customer_base``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(curve, ["frequency", "recency", "time_since_last", "p_alive"], "alive_by_recency(...)")
    frequencies = curve["frequency"].unique()
    if len(frequencies) != 1:
        raise LoyaltyDataError("plot_customer_history draws one customer: give a curve of one frequency.")
    t = chart_texts("customer_base", texts=texts)
    unit = _UNIT_WORDS.get(curve.attrs.get("time_unit"), "periods")
    T = float(curve.attrs.get("T", curve["recency"].max()))
    frame = (T, unit, t.identity)
    chart = chart_on(ax, "customer_history", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        (line,) = ax.plot(curve["recency"], curve["p_alive"], color="tab:blue")
        guide = ax.axvline(recency, color="grey", linestyle=":", linewidth=1)
        (dot,) = ax.plot([recency], [p_alive], "o", color="tab:red", markersize=9)
        ax.set_xlim(0, T)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(t(f"alive_xlabel.{unit}", T=t.number(T)))
        ax.set_ylabel(t("alive_ylabel"))
        note = ax.annotate(
            "", (recency, p_alive), textcoords="offset points", xytext=(0, 12), fontsize=9, color="tab:red"
        )
        chart = {"anchor": line, "line": line, "guide": guide, "dot": dot, "note": note}
    chart["line"].set_data(curve["recency"].to_numpy(), curve["p_alive"].to_numpy())
    chart["guide"].set_xdata([recency] * 2)
    chart["dot"].set_data([recency], [p_alive])
    chart["note"].xy = (recency, p_alive)
    chart["note"].set_text(label or "")
    chart["note"].set_horizontalalignment("right" if recency > T / 2 else "left")
    chart["note"].set_verticalalignment("top" if p_alive > 0.8 else "bottom")
    chart["note"].set_position((0, -12) if p_alive > 0.8 else (0, 12))
    ax.set_title(_wrap(_history_title(int(frequencies[0]), T - recency, p_alive, unit, t)))
    changed = [chart["line"], chart["guide"], chart["dot"], chart["note"], *ax.spines.values(), ax.title]
    keep_chart(ax, "customer_history", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def _history_title(frequency: int, silence: float, p_alive: float, unit: str, t: ChartTexts) -> str:
    if frequency == 0:
        return t("history_title_new")
    return t(
        "history_title",
        purchases=_purchases(frequency, t, "with_purchases"),
        silence=_span(silence, unit, t),
        p_alive=_share(p_alive, t),
    )


def plot_population_purchases(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    *,
    y_max: float | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Repeat purchases a group of new customers is expected to make over time, with and without drop-out.

    The solid line is what the BG/NBD model expects of customers who all made their first
    purchase at time 0 (Fader, Hardie & Lee 2005, eq. 9, times the number of customers); the
    dashed one what they would buy if nobody ever left (their mean rate times the time).

    When ``ax`` already shows this chart for the same times and ``y_max``, the lines and the
    title change in place (:func:`~loyalty_lessons.plots.changed_artists` lists them).

    Parameters
    ----------
    curve : pandas.DataFrame
        ``time``, ``expected_repeat_purchases``, ``without_dropout``; ``attrs`` with
        ``customers`` and ``time_unit``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    y_max : float, optional
        Top of the vertical axis; by default a little above the highest point. An explorer
        keeps it fixed, so that a move shows as a move of the lines, not of the axis.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.customer_base``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(curve, ["time", "expected_repeat_purchases", "without_dropout"], "population_view(...)")
    t = chart_texts("customer_base", texts=texts)
    unit = _UNIT_WORDS.get(curve.attrs.get("time_unit"), "periods")
    customers = curve.attrs.get("customers")
    time = curve["time"].to_numpy(dtype="float64")
    if y_max is None:
        y_max = 1.1 * float(
            max(curve["expected_repeat_purchases"].max(), curve["without_dropout"].max(), 1e-9)
        )
    frame = (time.tobytes(), float(y_max), unit, t.identity)
    chart = chart_on(ax, "population_purchases", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots()
        (model_line,) = ax.plot(
            time,
            curve["expected_repeat_purchases"],
            color="tab:blue",
            label=t("population_expected"),
        )
        (ceiling,) = ax.plot(
            time, curve["without_dropout"], color="grey", linestyle="--", label=t("population_ceiling")
        )
        ax.set_xlim(0, time.max())
        ax.set_ylim(0, y_max)
        ax.set_xlabel(t(f"population_xlabel.{unit}"))
        ax.set_ylabel(t("tracking_ylabel"))  # the title says of how many customers
        ax.legend(loc="upper left")
        chart = {"anchor": model_line, "model": model_line, "ceiling": ceiling}
    chart["model"].set_ydata(curve["expected_repeat_purchases"].to_numpy())
    chart["ceiling"].set_ydata(curve["without_dropout"].to_numpy())
    last = curve.iloc[-1]
    ax.set_title(
        _wrap(
            t(
                "population_title" if customers else "population_title_plain",
                customers=t.number(customers or 0),
                expected=t.number(last["expected_repeat_purchases"]),
                span=_span(last["time"], unit, t),
                without=t.number(last["without_dropout"]),
            )
        )
    )
    changed = [chart["ceiling"], chart["model"], *ax.spines.values(), ax.get_legend(), ax.title]
    keep_chart(ax, "population_purchases", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax
