"""Explorer of lesson 03 (the 80/20 rule): how much the top x% of customers hold.

The concentration curve of each measure is computed once, when the explorer is built;
moving the slider only reads the curve at a new point and moves the marks of the top
share on the Pareto chart, in place (:func:`~loyalty_lessons.plots.plot_pareto_chart` on the
chart it drew).
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say
from loyalty_lessons.pareto import concentration_curve, top_count, top_share
from loyalty_lessons.plots import changed_artists, plot_pareto_chart
from loyalty_lessons.plots.texts import ChartTexts, chart_texts
from loyalty_lessons.widgets._base import Explorer

__all__ = ["MEASURE_CHARTS", "ParetoView", "describe_pareto", "pareto_explorer", "pareto_view"]

#: Bars of the explorer's chart: one per 5% of customers (one bar per percentile redraws
#: too slowly for a slider).
_BINS = 20
#: The chart texts of the measures the catalogue names (``charts.<section>``); another
#: column is drawn with the general texts and its own name.
MEASURE_CHARTS = {"revenue": "pareto_revenue", "orders": "pareto_orders"}


def _texts(measure: str, language: str) -> ChartTexts:
    return chart_texts(MEASURE_CHARTS.get(measure, "pareto"), language)


class ParetoView(NamedTuple):
    """What the explorer shows: the share of ``measure`` held by the top ``fraction``."""

    curve: pd.DataFrame
    measure: str
    fraction: float
    top_customers: int
    customers: int
    share: float


def pareto_view(curve: pd.DataFrame, top_percent: float, measure: str = "revenue") -> ParetoView:
    """Read a concentration curve at the top ``top_percent`` % of customers.

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`loyalty_lessons.pareto.concentration_curve`.
    top_percent : float
        The top share of customers, in percent (0 < top_percent <= 100).
    measure : str, default "revenue"
        What the curve measures, for the chart and the sentence.

    Returns
    -------
    ParetoView
        The curve, ``measure``, ``fraction`` (top_percent / 100), ``top_customers``
        (ceil(fraction * N)), ``customers`` (N) and ``share`` (held by the top customers).

    Raises
    ------
    LoyaltyDataError
        If ``top_percent`` is outside (0, 100].

    Examples
    --------
    >>> curve = concentration_curve([1, 1, 1, 1, 1, 1, 1, 1, 1, 11])
    >>> view = pareto_view(curve, 10)
    >>> view.top_customers, round(view.share, 2)
    (1, 0.55)
    """
    if not 0 < top_percent <= 100:
        raise LoyaltyDataError(f"top_percent must be in (0, 100], got {top_percent!r}; e.g. 20.")
    fraction = top_percent / 100
    customers = len(curve) - 1
    return ParetoView(
        curve=curve,
        measure=measure,
        fraction=fraction,
        top_customers=top_count(fraction, customers),
        customers=customers,
        share=top_share(curve, fraction),
    )


def describe_pareto(view: ParetoView, language: str = DEFAULT_LANGUAGE) -> str:
    """The finding in one sentence, in ``language``.

    Examples
    --------
    >>> describe_pareto(pareto_view(concentration_curve([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]), 10))
    'The top 10% of customers (1 of 10) bring 55% of revenue.'
    >>> describe_pareto(pareto_view(concentration_curve([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]), 10), "fr")
    'Les 10\xa0% de clients les plus importants (1 sur 10) réalisent 55\xa0% du chiffre d’affaires.'
    """
    t = _texts(view.measure, language)
    top = 100 * view.fraction
    return say(
        "explorers.pareto.finding",
        language,
        fraction=t.percent(view.fraction, 0 if float(top).is_integer() else 1),
        top=t.number(view.top_customers),
        customers=t.number(view.customers),
        share=t.percent(view.share),
        measure=_measure_words(view.measure, language)[1],
    )


def _measure_words(measure: str, language: str) -> tuple[str, str]:
    """How ``language`` names a measure in the menu and after "of" ("revenue", "du chiffre d’affaires")."""
    try:
        names = entry(language, f"lessons.explorers.pareto.measures.{measure}")
    except KeyError:
        return measure, measure
    return names[0], names[1]


def pareto_explorer(
    summary: pd.DataFrame,
    *,
    measures: tuple[str, ...] = ("revenue", "orders"),
    top_percent: int = 20,
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """A "top x%" slider and a measure menu driving the Pareto chart.

    The chart groups the customers into twentieths (5% each), largest first.

    Parameters
    ----------
    summary : pandas.DataFrame
        The customer summary; one column per entry of ``measures``. Negative values
        (refunds above purchases) count as 0, as in :func:`loyalty_lessons.pareto.pareto_table`.
    measures : tuple of str, default ("revenue", "orders")
        The columns offered in the menu; the first is shown first.
    top_percent : int, default 20
        The slider's starting value, 1-50.
    language : str, default "en"
        The language of the labels, the chart and the sentence.

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Controls ``top_percent`` (slider) and ``measure`` (menu).

    Raises
    ------
    LoyaltyDataError
        If a measure is not a column of ``summary`` or adds up to 0.
    """
    missing = [m for m in measures if m not in summary.columns]
    if missing or not measures:
        raise LoyaltyDataError(
            f"The summary has no column(s) {missing or 'given'}; pass measures= with columns "
            f"of the customer summary, e.g. ('revenue', 'orders')."
        )
    curves = {m: concentration_curve(summary, value_col=m, negative="clip") for m in measures}
    controls = {
        "top_percent": widgets.IntSlider(
            value=top_percent,
            min=1,
            max=50,
            step=1,
            description=say("explorers.pareto.top", language),
            continuous_update=False,
        ),
        "measure": widgets.Dropdown(
            options=[(_measure_words(m, language)[0], m) for m in measures],
            value=measures[0],
            description=say("explorers.pareto.measure", language),
        ),
    }
    return Explorer(
        controls,
        compute=lambda top_percent, measure: pareto_view(curves[measure], top_percent, measure),
        draw=lambda view, ax: _draw(view, ax, language),
        refresh=lambda view, ax: changed_artists(_draw(view, ax, language)),
        key=lambda top_percent, measure: measure,
        describe=lambda view: describe_pareto(view, language),
        margins={"left": 0.08, "right": 0.92, "bottom": 0.12, "top": 0.92},
    )


def _draw(view: ParetoView, ax, language: str):
    texts = _texts(view.measure, language)
    return plot_pareto_chart(
        view.curve, ax, fraction=view.fraction, measure=view.measure, bins=_BINS, texts=texts
    )
