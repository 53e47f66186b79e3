"""Charts of customer types: who the customers are and what each group brings in.

Each function takes a table from :mod:`loyalty_lessons.customer_types` and ``ax=None``,
draws only on that Axes (a new figure when ``ax`` is None) and returns it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import require_result

__all__ = ["plot_rfm_segments", "plot_type_profile", "update_type_profile"]

CUSTOMERS_COLOUR = "#95a5a6"
REVENUE_COLOUR = "#1f618d"



def _profile_title(profile: pd.DataFrame) -> str:
    rows = profile.set_index(profile["type"].astype("str"))
    if "loyal" in rows.index and rows.loc["loyal", "customers"] > 0:
        r = rows.loc["loyal"]
        return (
            f"Loyal customers are {r['share_of_customers']:.0%} of customers "
            f"and bring {r['revenue_share']:.0%} of revenue"
        )
    top = rows[rows["customers"] > 0].sort_values("revenue_share", ascending=False)
    r = top.iloc[0]
    return (
        f"No customer is loyal yet; {top.index[0]} customers are {r['share_of_customers']:.0%} "
        f"of customers and bring {r['revenue_share']:.0%} of revenue"
    )


def plot_type_profile(type_profile: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of customers next to share of revenue, for each customer type.

    Parameters
    ----------
    type_profile : pandas.DataFrame
        The output of :func:`loyalty_lessons.customer_types.type_profile` (columns
        ``type``, ``customers``, ``share_of_customers``, ``revenue_share``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per type, in percent (customers first, revenue second); the title says
        what share of customers the loyal ones are and what share of revenue they bring.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or the table is empty.
    """
    _require_profile(type_profile)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x = np.arange(len(type_profile))
    width = 0.38
    customers, revenue = _percentages(type_profile)
    b1 = ax.bar(x - width / 2, customers, width, color=CUSTOMERS_COLOUR, label="% of customers")
    b2 = ax.bar(x + width / 2, revenue, width, color=REVENUE_COLOUR, label="% of revenue")
    _label_bars(ax, (b1, b2))
    ax.set_xticks(x, type_profile["type"].astype("str").tolist())
    ax.set_ylabel("% of total")
    ax.set_xlabel("Customer type")
    ax.legend(fontsize=8)
    ax.set_title(_profile_title(type_profile))
    return ax


def _require_profile(type_profile: pd.DataFrame) -> None:
    require_result(type_profile, ["type", "customers", "share_of_customers", "revenue_share"],
                   "type_profile(types, summary)")


def _percentages(type_profile: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (type_profile["share_of_customers"].to_numpy(dtype=float) * 100,
            type_profile["revenue_share"].to_numpy(dtype=float) * 100)


def _label_bars(ax: Axes, containers) -> list[Artist]:
    return [label for bars in containers
            for label in ax.bar_label(bars, fmt="%.0f%%", padding=2, fontsize=8)]


def update_type_profile(ax: Axes, type_profile: pd.DataFrame) -> list[Artist] | None:
    """Show another profile on a chart drawn by :func:`plot_type_profile`, in place.

    Bar heights, their labels and the title change; the axis limits stay as they are, so
    fix them first (``ax.set_ylim(0, 110)``) for the chart to look as
    ``plot_type_profile(type_profile)`` with those limits. Nothing is drawn: draw the
    artists returned (an explorer does, over the rest of the chart).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes that :func:`plot_type_profile` drew on.
    type_profile : pandas.DataFrame
        As for :func:`plot_type_profile`, with the same types.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, with those drawn over them (spines, legend), in the
        order to draw them; None when the types are not the ones on the chart.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or the table is empty.
    """
    _require_profile(type_profile)
    types = type_profile["type"].astype("str").tolist()
    bars = ax.containers
    if (len(bars) != 2 or any(len(b) != len(types) for b in bars)
            or [t.get_text() for t in ax.get_xticklabels()] != types):
        return None
    for container, heights in zip(bars, _percentages(type_profile)):
        for bar, height in zip(container, heights):
            bar.set_height(height)
        container.datavalues = heights
    for label in list(ax.texts):
        label.remove()
    labels = _label_bars(ax, bars)
    ax.set_title(_profile_title(type_profile))
    return [*bars[0], *bars[1], *ax.spines.values(), *labels, ax.get_legend(), ax.title]


def plot_rfm_segments(segments: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Number of customers in each RFM segment.

    Parameters
    ----------
    segments : pandas.DataFrame
        The output of :func:`loyalty_lessons.rfm.rfm_segments` (a ``segment``
        column; ``revenue`` is used for the title when present).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per segment (in the segment order, an empty "other" left out),
        labelled with the count and share of customers. The title gives the champions'
        shares of customers and revenue when both exist, else the largest segment.

    Raises
    ------
    LoyaltyDataError
        If the column is missing or the table is empty.
    """
    require_result(segments, ["segment"], "rfm_segments(rfm_scores(summary))")
    segment = segments["segment"]
    if isinstance(segment.dtype, pd.CategoricalDtype):
        counts = segment.value_counts(sort=False)
    else:
        counts = segment.astype("str").value_counts(sort=False)
    if counts.get("other", 0) == 0:
        counts = counts.drop("other", errors="ignore")
    total = int(counts.sum())
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    y = np.arange(len(counts))
    bars = ax.barh(y, counts.to_numpy(dtype=float), color=REVENUE_COLOUR)
    ax.bar_label(bars, labels=[f"{n} ({n / total:.0%})" for n in counts], padding=3, fontsize=8)
    ax.set_yticks(y, [str(s) for s in counts.index])
    ax.invert_yaxis()
    ax.set_xlabel("Customers")
    if counts.get("champions", 0) > 0 and "revenue" in segments.columns:
        revenue = pd.to_numeric(segments["revenue"])
        share = revenue[segment.astype("str") == "champions"].sum() / revenue.sum()
        title = (
            f"Champions are {counts['champions'] / total:.0%} of customers "
            f"and bring {share:.0%} of revenue"
        )
    else:
        largest = counts.idxmax()
        title = f"The largest segment is {largest}: {counts[largest] / total:.0%} of customers"
    ax.set_title(title)
    return ax
