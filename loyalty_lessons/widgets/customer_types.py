"""Explorer of the three customer types, and how each type shows up in the complaints.

:func:`type_explorer` puts the behaviour thresholds of
:func:`loyalty_lessons.customer_types.classify_customers` on sliders and redraws
:func:`loyalty_lessons.plots.plot_type_profile` with the counts and revenue of each type.
Each customer's orders in the window are counted once, from the transactions; a move
classifies again from those counts and the customer summary
(``classify_customers(summary, orders_in_window=...)``) and profiles the types
(:func:`~loyalty_lessons.customer_types.type_profile`).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.customer_types import TYPE_RULES, classify_customers, type_profile
from loyalty_lessons.lesson_texts import say
from loyalty_lessons.plots import changed_artists, plot_type_profile
from loyalty_lessons.plots.texts import ChartTexts, chart_texts
from loyalty_lessons.widgets._base import Explorer

__all__ = ["type_explorer"]


def _limits(profile: pd.DataFrame) -> tuple[float, float]:
    """Percent axis from 0 (or below, for a type that refunds more than it buys) to 110,
    the same whatever the thresholds, so that the bars can move without a redraw."""
    lowest = 100 * profile["revenue_share"].fillna(0.0).min()
    return min(0.0, 10 * math.floor(lowest / 10)), 110.0


def _draw(profile: pd.DataFrame, ax: Axes, t: ChartTexts) -> Axes:
    plot_type_profile(profile, ax, texts=t)
    ax.set_ylim(*_limits(profile))
    return ax


def _refresh(profile: pd.DataFrame, ax: Axes, t: ChartTexts):
    if ax.get_ylim() != _limits(profile):
        return None
    return changed_artists(plot_type_profile(profile, ax, texts=t))


def _describe(profile: pd.DataFrame, t: ChartTexts) -> str:
    rows = profile.set_index(profile["type"].astype("str"))
    loyal, unhappy = rows.loc["loyal"], rows.loc["dissatisfied"]
    # Typed from purchases alone: named for what they do, not for what they may think.
    return say(
        "explorers.customer_types.finding",
        t.language,
        regular=t.number(loyal["customers"]),
        regular_share=t.percent(loyal["share_of_customers"]),
        revenue_share=t.percent(loyal["revenue_share"]),
        lapsed=t.number(unhappy["customers"]),
        lapsed_share=t.percent(unhappy["share_of_customers"]),
    )


def type_explorer(
    summary: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    observation_end: str | pd.Timestamp | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Move the thresholds of the three customer types and watch counts and revenue change.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``customer_summary`` of the transactions at ``observation_end`` (``inputs.summary``).
    transactions : pandas.DataFrame
        Canonical transactions (``inputs.transactions``).
    observation_end : date-like, optional
        As in ``classify_customers`` (``inputs.observation_end``); defaults to the last date.
    language : str, default "en"
        The language of the labels, the chart and the sentence.

    Returns
    -------
    Explorer
        Sliders ``loyal_min_orders`` (orders in the last ``loyal_window_days`` days),
        ``loyal_max_days_since_last`` and ``lapsed_after_days`` (days), starting at
        :data:`~loyalty_lessons.customer_types.TYPE_RULES`; the result is
        :func:`~loyalty_lessons.customer_types.type_profile`.

    Raises
    ------
    LoyaltyDataError
        As :func:`~loyalty_lessons.customer_types.classify_customers`.
    """
    counted = classify_customers(summary, transactions=transactions, observation_end=observation_end)
    orders_in_window = counted.set_index("customer_id")["orders_in_window"]
    # Wide enough for the longest label at JupyterLab's font (about 7.5 px a character): a
    # narrower one cuts it ("Lapsed: no purchase for > d…").
    style = {"description_width": "270px"}
    layout = widgets.Layout(width="620px")
    window = int(TYPE_RULES["loyal_window_days"])
    t = chart_texts("customer_types", language)
    controls = {
        "loyal_min_orders": widgets.IntSlider(
            value=int(TYPE_RULES["loyal_min_orders"]),
            min=1,
            max=24,
            description=say("explorers.customer_types.min_orders", language, days=window),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "loyal_max_days_since_last": widgets.IntSlider(
            value=int(TYPE_RULES["loyal_max_days_since_last"]),
            min=10,
            max=180,
            step=5,
            description=say("explorers.customer_types.max_days", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "lapsed_after_days": widgets.IntSlider(
            value=int(TYPE_RULES["lapsed_after_days"]),
            min=30,
            max=720,
            step=10,
            description=say("explorers.customer_types.lapsed", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    return Explorer(
        controls,
        compute=lambda **rules: type_profile(
            classify_customers(summary, orders_in_window=orders_in_window, rules=rules), summary
        ),
        draw=lambda profile, ax: _draw(profile, ax, t),
        refresh=lambda profile, ax: _refresh(profile, ax, t),
        describe=lambda profile: _describe(profile, t),
        # Room above the chart for a title on two lines (a long one, on a small dataset), and
        # below it for the two-line type names and the axis label.
        margins={"left": 0.1, "right": 0.98, "bottom": 0.2, "top": 0.86},
    )
