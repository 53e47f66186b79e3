"""Charts of loyalty-value math: value over the years, referral growth, defection.

Each takes a frame from :mod:`loyalty_lessons.loyalty_value` and ``ax=None``, draws only
through ``ax`` and returns it. Titles state the finding; money is written with the
``currency`` symbol given (dollars by default, as in seed 004_7d6861cfd578158f.txt), as
plain text (a ``$`` never starts matplotlib's math mode).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import require_result

__all__ = [
    "plot_customers_remaining",
    "plot_referral_growth",
    "plot_value_over_years",
    "update_customers_remaining",
    "update_value_over_years",
]



def _count(number: float) -> str:
    """A count for a title: 12, 4,096, 16.8 million."""
    if abs(number) >= 1e15:
        return f"{number:.1e}"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(number) >= size:
            return f"{number / size:,.1f} {word}"
    return f"{number:,.0f}"


def _money(amount: float, currency: str) -> str:
    """An amount for a title: $1,500, $3.7 million, -$20 (the sign before the symbol)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency}{_count(abs(amount))}"


def plot_value_over_years(
    value_frame: pd.DataFrame, ax: Axes | None = None, *, currency: str = "$"
) -> Axes:
    """Cumulative spend of a satisfied and a loyal customer, with the final gap marked.

    Parameters
    ----------
    value_frame : pandas.DataFrame
        From :func:`loyalty_lessons.loyalty_value.value_over_years`: ``year``,
        ``satisfied_value``, ``loyal_value``, ``difference``.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    currency : str, default "$"
        Symbol written before amounts.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    _require_value_frame(value_frame)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(value_frame["year"], value_frame["loyal_value"], marker="o", color="tab:green",
            label="loyal customer")
    ax.plot(value_frame["year"], value_frame["satisfied_value"], marker="o", color="tab:blue",
            label="satisfied customer")
    _mark_difference(ax, value_frame, currency)
    ax.set_xlabel("years as a customer")
    unit = f" ({currency.strip()})" if currency.strip() else ""  # no empty brackets without a currency
    ax.set_ylabel(f"cumulative spend per customer{unit}", parse_math=False)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    ax.set_title(_value_title(value_frame, currency), parse_math=False)
    return ax


def _require_value_frame(value_frame: pd.DataFrame) -> None:
    require_result(value_frame, ["year", "satisfied_value", "loyal_value", "difference"],
                   "value_over_years")


def _mark_difference(ax: Axes, value_frame: pd.DataFrame, currency: str) -> list[Artist]:
    """The arrow between the two lines in the last year, and how much it is."""
    last = value_frame.iloc[-1]
    arrow = ax.annotate("", xy=(last["year"], last["loyal_value"]),
                        xytext=(last["year"], last["satisfied_value"]),
                        arrowprops={"arrowstyle": "<->", "color": "grey"})
    label = ax.annotate(f"{_money(last['difference'], currency)} more",
                        ((last["year"]), (last["loyal_value"] + last["satisfied_value"]) / 2),
                        textcoords="offset points", xytext=(-8, 0), ha="right", va="center",
                        parse_math=False)
    return [arrow, label]


def _value_title(value_frame: pd.DataFrame, currency: str) -> str:
    last = value_frame.iloc[-1]
    years = int(last["year"])
    return (
        f"Over {years} year{'s' if years != 1 else ''} a loyal customer brings "
        f"{_money(last['difference'], currency)} more than a satisfied one"
    )


def update_value_over_years(
    ax: Axes, value_frame: pd.DataFrame, *, currency: str = "$"
) -> list[Artist] | None:
    """Show other spends on a chart drawn by :func:`plot_value_over_years`, in place.

    The two lines, the marked difference and the title change; the axis limits stay as
    they are, so fix them first (``ax.set_ylim(0, top)``) for the chart to look as
    ``plot_value_over_years(value_frame)`` with those limits. Nothing is drawn: draw the
    artists returned.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes that :func:`plot_value_over_years` drew on, with the same ``currency``.
    value_frame : pandas.DataFrame
        As for :func:`plot_value_over_years`, over the same years.
    currency : str, default "$"
        Symbol written before amounts.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, with those drawn over them (spines, legend), in the
        order to draw them; None when the years are not the ones on the chart.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or the frame is empty.
    """
    _require_value_frame(value_frame)
    years = value_frame["year"].to_numpy()
    lines = ax.get_lines()
    if len(lines) != 2 or any(not np.array_equal(line.get_xdata(), years) for line in lines):
        return None
    lines[0].set_ydata(value_frame["loyal_value"])
    lines[1].set_ydata(value_frame["satisfied_value"])
    for text in list(ax.texts):
        text.remove()
    marks = _mark_difference(ax, value_frame, currency)
    ax.set_title(_value_title(value_frame, currency), parse_math=False)
    return [*lines, *ax.spines.values(), *marks, ax.get_legend(), ax.title]


def plot_referral_growth(
    growth: pd.DataFrame,
    ax: Axes | None = None,
    *,
    currency: str = "$",
    log_scale: bool | None = None,
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

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    require_result(growth, ["year", "linear_new_revenue", "compounding_new_revenue"], "referral_growth")
    if ax is None:
        _, ax = plt.subplots()
    linear, compounding = growth["linear_new_revenue"], growth["compounding_new_revenue"]
    ax.plot(growth["year"], compounding, marker="o", color="tab:red",
            label="every referred customer refers too")
    ax.plot(growth["year"], linear, marker="o", color="tab:blue",
            label="only the first customers refer")
    if log_scale is None:
        low = linear[linear > 0].min() if (linear > 0).any() else np.nan
        log_scale = bool(np.isfinite(low) and compounding.max() > 100 * low)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xticks(growth["year"])
    ax.set_xlabel("year")
    ax.set_ylabel(f"a year of spend of the customers won ({currency})", parse_math=False)
    ax.legend(loc="upper left")
    years = int(growth["year"].iloc[-1])
    ax.set_title(
        f"Referrals over {years} year{'s' if years != 1 else ''}: "
        f"{_money(linear.sum(), currency)} if only the first customers refer,\n"
        f"{_money(compounding.sum(), currency)} if every new customer refers too",
        parse_math=False,
    )
    return ax


def plot_customers_remaining(remaining: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Customers left each year at a fixed yearly defection rate (bars).

    Parameters
    ----------
    remaining : pandas.DataFrame
        From :func:`loyalty_lessons.loyalty_value.customers_remaining`, at least two rows.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    _require_remaining(remaining)
    if ax is None:
        _, ax = plt.subplots()
    ax.bar(remaining["year"], remaining["customers"], color="tab:blue", alpha=0.8)
    ax.set_xticks(remaining["year"])
    ax.set_xlabel("year")
    ax.set_ylabel("customers remaining")
    ax.set_title(_remaining_title(remaining))
    return ax


def _require_remaining(remaining: pd.DataFrame) -> None:
    require_result(remaining, ["year", "customers", "share_remaining"], "customers_remaining")
    if len(remaining) < 2:
        raise LoyaltyDataError("customers_remaining() needs at least one year to chart.")


def _remaining_title(remaining: pd.DataFrame) -> str:
    defection = 1.0 - remaining["share_remaining"].iloc[1]
    last = remaining.iloc[-1]
    years = int(last["year"])
    return (
        f"Losing {defection:.0%} a year, {last['share_remaining']:.0%} of customers are "
        f"left after {years} year{'s' if years != 1 else ''}"
    )


def update_customers_remaining(ax: Axes, remaining: pd.DataFrame) -> list[Artist] | None:
    """Show another defection rate on a chart drawn by :func:`plot_customers_remaining`.

    The bar heights and the title change in place; the axis limits stay as they are, so
    fix them first (``ax.set_ylim(0, 105)`` for 100 customers) for the chart to look as
    ``plot_customers_remaining(remaining)`` with those limits. Nothing is drawn: draw the
    artists returned.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes that :func:`plot_customers_remaining` drew on.
    remaining : pandas.DataFrame
        As for :func:`plot_customers_remaining`, over the same years.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, with the spines drawn over them, in the order to draw
        them; None when the years are not the ones on the chart.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or there is less than one year.
    """
    _require_remaining(remaining)
    if len(ax.containers) != 1 or not np.array_equal(ax.get_xticks(), remaining["year"]):
        return None
    bars = ax.containers[0]
    for bar, height in zip(bars, remaining["customers"]):
        bar.set_height(height)
    ax.set_title(_remaining_title(remaining))
    return [*bars, *ax.spines.values(), ax.title]
