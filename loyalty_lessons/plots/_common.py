"""What every chart checks before it draws, and what it keeps to be drawn again in place."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["changed_artists", "chart_on", "keep_chart", "local_ticks", "require_result"]


def require_result(table: pd.DataFrame, columns: list[str], made_by: str) -> pd.DataFrame:
    """Raise a clear error unless ``table`` is a non-empty DataFrame with ``columns``.

    ``made_by`` names the function that computes such a table, e.g. ``"type_profile(...)"``.
    """
    if not isinstance(table, pd.DataFrame):
        raise LoyaltyDataError(f"Expected a DataFrame from {made_by}, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LoyaltyDataError(
            f"The table has no column {', '.join(repr(c) for c in missing)}; compute it with {made_by}."
        )
    if table.empty:
        raise LoyaltyDataError(f"The table from {made_by} is empty: there is nothing to draw.")
    return table


# --------------------------------------------------------------------------- charts redrawn in place
#
# Each chart is drawn by one function, ``plot_x(result, ax=None)``. When ``ax`` already
# shows the chart that function drew there for the same frame (the same types, years,
# signals...), the function changes the artists that follow the result in place instead
# of drawing a second chart: a lesson explorer redraws only those (matplotlib's
# "blitting"), and the code that decides how the chart looks is the same either way.


class _Chart(NamedTuple):
    """What a drawing function keeps of the chart it drew on an Axes."""

    kind: str
    frame: Hashable
    artists: Any
    changed: list[Artist] | None


_CHARTS: WeakKeyDictionary[Axes, _Chart] = WeakKeyDictionary()


def chart_on(ax: Axes | None, kind: str, frame: Hashable) -> Any:
    """The artists kept by the ``kind`` of chart drawn on ``ax`` for this ``frame``, when
    ``ax`` still shows them (not cleared since); None otherwise."""
    chart = None if ax is None else _CHARTS.get(ax)
    if chart is None or chart.kind != kind or chart.frame != frame:
        return None
    anchor = chart.artists["anchor"]
    return chart.artists if anchor.axes is not None and anchor in anchor.axes.get_children() else None


def keep_chart(ax: Axes, kind: str, frame: Hashable, artists: dict, changed: list[Artist] | None) -> None:
    """Remember the chart drawn on ``ax``: ``artists`` (with an ``"anchor"`` artist that
    leaves the Axes when the chart does) and what this call changed in place (None when it
    drew the chart afresh)."""
    _CHARTS[ax] = _Chart(kind, frame, artists, changed)


def changed_artists(ax: Axes) -> list[Artist] | None:
    """The artists the last chart function called on ``ax`` changed in place.

    In the order to draw them over the rest of the chart, with those drawn over them
    (spines, legend, title); None when that call drew the chart afresh (``ax`` did not
    show this chart for the same frame), or when no chart function drew on ``ax``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from loyalty_lessons.customer_types import TYPES
    >>> from loyalty_lessons.plots import plot_type_profile
    >>> profile = pd.DataFrame({"type": list(TYPES), "customers": [1, 2, 1],
    ...     "share_of_customers": [0.25, 0.5, 0.25], "revenue_share": [0.1, 0.4, 0.5]})
    >>> ax = plot_type_profile(profile)
    >>> changed_artists(ax) is None  # drawn afresh
    True
    >>> ax = plot_type_profile(profile.assign(revenue_share=[0.1, 0.3, 0.6]), ax=ax)
    >>> ax.title in changed_artists(ax)  # the bars, their labels and the title moved
    True
    >>> plt.close(ax.figure)
    """
    chart = _CHARTS.get(ax)
    return None if chart is None else chart.changed


def local_ticks(ax: Axes, texts) -> None:
    """Write the numbers of ``ax``'s plain axes as ``texts``' language does (``−1,5``): the
    axes matplotlib formats itself, in a language other than English (English is left
    as matplotlib writes it)."""
    from matplotlib.ticker import ScalarFormatter

    from loyalty_lessons.catalogue import DEFAULT_LANGUAGE

    if texts.language == DEFAULT_LANGUAGE:
        return
    for axis in (ax.xaxis, ax.yaxis):
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(texts.tick_formatter())
