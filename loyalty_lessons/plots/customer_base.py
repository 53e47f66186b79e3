"""Charts of the customer-base model: the calibration/holdout check and the probability of being active.

Each takes a result of :mod:`loyalty_lessons.customer_base` or
:mod:`loyalty_lessons.customer_base_check` and ``ax=None``, draws only through ``ax`` and
returns it; the title states what the chart shows.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.plots._common import require_result

__all__ = ["plot_holdout_by_frequency", "plot_probability_alive", "plot_tracking"]

_UNIT_WORDS = {"W": "weeks", "D": "days"}


def _table(result, name: str, columns: list[str], made_by: str) -> pd.DataFrame:
    """The ``name`` table of a :class:`~loyalty_lessons.customer_base_check.ModelCheck`, or the table."""
    table = getattr(result, name, result)
    return require_result(table, columns, made_by)


def plot_holdout_by_frequency(check, ax: Axes | None = None) -> Axes:
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

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    table = _table(
        check, "by_frequency", ["frequency", "customers", "actual", "predicted"], "model_check(...)"
    )
    if ax is None:
        _, ax = plt.subplots()
    positions = np.arange(len(table))
    ax.bar(positions, table["actual"], color="tab:blue", alpha=0.6, label="actual")
    ax.plot(positions, table["predicted"], color="tab:orange", marker="o", label="model")
    ax.set_xticks(positions, table["frequency"].astype(str))
    ax.set_xlabel(f"repeat purchases in the calibration period{_until(table)}")
    ax.set_ylabel(f"purchases per customer in the holdout period{_holdout(table)}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    gap = float((table["predicted"] - table["actual"]).abs().max())
    ax.set_title(
        _wrap(f"In every group, the model is within {gap:.2f} purchases per customer of what happened")
    )
    return ax


def plot_tracking(check, ax: Axes | None = None) -> Axes:
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

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    table = _table(check, "tracking", ["elapsed", "actual", "predicted", "holdout"], "model_check(...)")
    if ax is None:
        _, ax = plt.subplots()
    unit = _UNIT_WORDS.get(table.attrs.get("time_unit"), "periods")
    ax.plot(table["elapsed"], table["actual"], color="tab:blue", label="actual")
    ax.plot(table["elapsed"], table["predicted"], color="tab:orange", linestyle="--", label="model")
    calibration = table[~table["holdout"]]
    if len(calibration) and table["holdout"].any():
        ax.axvline(calibration["elapsed"].iloc[-1], color="grey", linestyle=":", label="end of calibration")
    ax.set_xlabel(f"{unit} since the first purchase in the data")
    ax.set_ylabel("cumulative repeat purchases")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    last = table.iloc[-1]
    change = last["predicted"] / last["actual"] - 1 if last["actual"] else float("nan")
    when = f"By {last['date']:%Y-%m-%d}, " if "date" in table else "In the end, "
    ax.set_title(
        _wrap(
            f"{when}the model expected {last['predicted']:,.0f} repeat purchases, "
            f"{_relative(change)} the {last['actual']:,.0f} made"
        )
    )
    return ax


def plot_probability_alive(curve: pd.DataFrame, ax: Axes | None = None) -> Axes:
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

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(curve, ["frequency", "recency", "time_since_last", "p_alive"], "alive_by_recency(...)")
    if ax is None:
        _, ax = plt.subplots()
    unit = _UNIT_WORDS.get(curve.attrs.get("time_unit"), "periods")
    for x, line in curve.groupby("frequency", sort=True):
        ax.plot(line["recency"], line["p_alive"], label=f"{x} repeat purchase{'s' if x != 1 else ''}")
    T = curve.attrs.get("T", float(curve["recency"].max()))
    ax.set_xlabel(f"{unit} from the first to the last purchase (customer for {T:,.0f} {unit})")
    ax.set_ylabel("probability still active")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="best")
    ax.set_title(_wrap(_alive_title(curve, unit)))
    return ax


def _alive_title(curve: pd.DataFrame, unit: str) -> str:
    longest = curve[curve["time_since_last"] == curve["time_since_last"].max()].sort_values("frequency")
    silence = float(longest["time_since_last"].iloc[0])
    first, last = longest.iloc[0], longest.iloc[-1]
    said = f"After {silence:,.0f} {unit} without a purchase"
    said = f"{said}, a customer with {_purchases(first['frequency'])} is active with probability"
    if len(longest) == 1:
        return f"{said} {_share(first['p_alive'])}"
    other = f"one with {_purchases(last['frequency'])}, {_share(last['p_alive'])}"
    return f"{said} {_share(first['p_alive'])}; {other}"


def _share(probability: float) -> str:
    """A probability in a title: 15%, under 1%, over 99%."""
    if probability < 0.005:
        return "under 1%"
    if probability > 0.995 and probability < 1:
        return "over 99%"
    return f"{probability:.0%}"


def _wrap(title: str) -> str:
    """A long title on lines of at most 60 characters."""
    return textwrap.fill(title, 60)


def _purchases(x) -> str:
    x = int(x)
    return f"{x} repeat purchase{'s' if x != 1 else ''}"


def _relative(change: float) -> str:
    """How the model's count compares: "12% fewer than", "as many as"."""
    if not np.isfinite(change):
        return "more than"
    if abs(change) < 0.005:
        return "as many as"
    return f"{abs(change):.0%} {'more' if change > 0 else 'fewer'} than"


def _until(table: pd.DataFrame) -> str:
    end = table.attrs.get("calibration_end")
    return f" (to {end:%Y-%m-%d})" if end is not None else ""


def _holdout(table: pd.DataFrame) -> str:
    start, end = table.attrs.get("calibration_end"), table.attrs.get("holdout_end")
    if start is None or end is None:
        return ""
    return f"\n({start + pd.Timedelta(days=1):%Y-%m-%d} to {end:%Y-%m-%d})"
