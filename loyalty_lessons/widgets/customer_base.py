"""Explorers of lesson 07 (who is still a customer): one customer's history, the whole population.

- :func:`history_explorer`: sliders for a customer's repeat purchases, the week of the last
  one, how long they have been a customer and the weeks ahead; the probability that they are
  still active and the purchases to expect from them follow, on the curve of that
  probability against the week of the last purchase ([fader-hardie-lee-2005]).
- :func:`population_explorer`: sliders for the model's four parameters ``r``, ``alpha``,
  ``a``, ``b``; the repeat purchases expected of a thousand new customers follow, against
  what they would buy if nobody ever left.
- :func:`check_explorer`: the model check (calibration and holdout), one chart or the other.

Times are in weeks, as in Fader, Hardie & Lee (2005). The callbacks are one-line adapters
over the pure functions :func:`history_view` and :func:`population_view`.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.customer_base import BetaGeoModel, alive_by_recency
from loyalty_lessons.customer_base_check import ModelCheck
from loyalty_lessons.customers import TIME_UNITS
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say, say_count, write_significant, write_value
from loyalty_lessons.plots import (
    changed_artists,
    plot_customer_history,
    plot_holdout_by_frequency,
    plot_population_purchases,
    plot_tracking,
)
from loyalty_lessons.plots.texts import chart_texts
from loyalty_lessons.widgets._base import Explorer

__all__ = [
    "CheckView",
    "HistoryView",
    "PopulationView",
    "check_explorer",
    "describe_history",
    "describe_population",
    "describe_silence_rule",
    "history_explorer",
    "history_view",
    "population_explorer",
    "population_view",
]

#: Days in a week: the explorers speak in weeks whatever the model's time unit.
_WEEK = 7


def describe_silence_rule(
    summary: pd.DataFrame, predictions: pd.DataFrame, days: int = 180, language: str = DEFAULT_LANGUAGE
) -> str:
    """Where a fixed silence rule and the model disagree on a business's repeat buyers.

    Parameters
    ----------
    summary : pandas.DataFrame
        Customer summary with ``frequency`` (repeat purchases) and ``days_since_last``.
    predictions : pandas.DataFrame
        :func:`~loyalty_lessons.customer_base.customer_predictions` of the same customers
        (``p_alive``).
    days : int, default 180
        Days of silence after which the rule calls a customer lost.
    language : str, default "en"
        The language of the sentence.

    Returns
    -------
    str
        How many repeat buyers the rule writes off whom the model finds probably active
        (``p_alive`` of 0.5 or more), and how many it counts as active whom the model finds
        probably gone: the counts of these data, so the sentence holds on any business.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [3, 2, 5, 0], "days_since_last": [200, 30, 40, 400]})
    >>> sentence = describe_silence_rule(summary, pd.DataFrame({"p_alive": [0.8, 0.2, 0.9, 1.0]}))
    >>> sentence.startswith("On these records the 180-day rule writes off 1 repeat buyer whom")
    True
    >>> sentence.endswith("counts as active 1 repeat buyer whom it finds probably gone.")
    True
    """
    repeat = summary["frequency"].to_numpy() > 0
    silent = summary["days_since_last"].to_numpy() > days
    alive = predictions["p_alive"].to_numpy() >= 0.5
    written_off = int((repeat & silent & alive).sum())
    missed = int((repeat & ~silent & ~alive).sum())
    buyers = "explorers.customer_base.repeat_buyers"
    return say(
        "explorers.customer_base.silence_rule",
        language,
        days=days,
        written_off=say_count(buyers, written_off, language),
        missed=say_count(buyers, missed, language),
    )


#: Ranges of the population explorer's sliders: every value in them gives a finite,
#: increasing curve (``a`` stays away from 0, where nobody would ever leave after a purchase).
POPULATION_RANGES = {"r": (0.05, 3.0), "alpha": (0.5, 30.0), "a": (0.05, 3.0), "b": (0.2, 20.0)}
_CHART_MARGINS = {"left": 0.1, "right": 0.97, "bottom": 0.13, "top": 0.86}
_CONTROL_STYLE = {"description_width": "190px"}
_CONTROL_LAYOUT = {"width": "520px"}


def _in_model_unit(weeks: float, model: BetaGeoModel) -> float:
    return float(weeks) * _WEEK / TIME_UNITS[model.time_unit]


# --------------------------------------------------------------------------- one customer


class HistoryView(NamedTuple):
    """One customer's history and what the model makes of it (times in weeks)."""

    curve: pd.DataFrame
    repeat_purchases: int
    last_purchase_week: float
    weeks_as_customer: float
    horizon_weeks: float
    p_alive: float
    expected_purchases: float


def history_view(
    model: BetaGeoModel,
    repeat_purchases: int,
    last_purchase_week: float,
    weeks_as_customer: float,
    horizon_weeks: float = 52,
) -> HistoryView:
    """What the BG/NBD model says of a customer with this history.

    Parameters
    ----------
    model : BetaGeoModel
        From :func:`~loyalty_lessons.customer_base.fit_bg_nbd`.
    repeat_purchases : int
        Purchases after the first one (``frequency``), 0 or more.
    last_purchase_week : float
        Week of the last purchase, counted from the first one (``recency`` in weeks). It is
        held within ``weeks_as_customer``, and is 0 without repeat purchases (the last
        purchase is then the first).
    weeks_as_customer : float
        Weeks from the first purchase to today (``T`` in weeks), above 0.
    horizon_weeks : float, default 52
        Weeks ahead of the expected purchases, above 0.

    Returns
    -------
    HistoryView
        ``curve`` (:func:`~loyalty_lessons.customer_base.alive_by_recency` for this number of
        repeat purchases, in the model's time unit), the history as used (weeks), ``p_alive``
        and ``expected_purchases`` (in the next ``horizon_weeks``).

    Raises
    ------
    LoyaltyDataError
        If a figure is out of range.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> view = history_view(model, 2, 30.43, 38.86, horizon_weeks=39)
    >>> round(view.expected_purchases, 3)
    1.226
    """
    values = (repeat_purchases, last_purchase_week, weeks_as_customer, horizon_weeks)
    if not all(isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v) for v in values):
        raise LoyaltyDataError(f"history_view needs four numbers; got {values!r}.")
    if repeat_purchases < 0 or repeat_purchases != int(repeat_purchases):
        raise LoyaltyDataError(
            f"repeat_purchases must be a whole number, 0 or more; got {repeat_purchases!r}."
        )
    if weeks_as_customer <= 0 or horizon_weeks <= 0 or last_purchase_week < 0:
        raise LoyaltyDataError(
            "weeks_as_customer and horizon_weeks must be above 0, and last_purchase_week 0 or more; got "
            f"{weeks_as_customer!r}, {horizon_weeks!r} and {last_purchase_week!r}."
        )
    x = int(repeat_purchases)
    last = 0.0 if x == 0 else float(min(last_purchase_week, weeks_as_customer))
    t_x, T, t = (_in_model_unit(w, model) for w in (last, weeks_as_customer, horizon_weeks))
    return HistoryView(
        curve=alive_by_recency(model, T=T, frequency=x, points=121),
        repeat_purchases=x,
        last_purchase_week=last,
        weeks_as_customer=float(weeks_as_customer),
        horizon_weeks=float(horizon_weeks),
        p_alive=float(model.probability_alive(x, t_x, T)),
        expected_purchases=float(model.expected_purchases(t, x, t_x, T)),
    )


def describe_history(view: HistoryView, language: str = DEFAULT_LANGUAGE) -> str:
    """The finding in one sentence, in ``language``.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> sentence = describe_history(history_view(model, 2, 30.43, 38.86, horizon_weeks=39))
    >>> sentence.startswith("A customer with 2 repeat purchases, the last one in week 30 of 39 (8 weeks ago)")
    True
    >>> sentence.endswith("probability 73% and is expected to make 1.2 purchases in the next 39 weeks.")
    True
    """
    ahead = say(
        "explorers.customer_base.ahead",
        language,
        expected=write_value(view.expected_purchases, language, "number", 1),
        weeks=write_value(round(view.horizon_weeks), language),
    )
    if view.repeat_purchases == 0:
        return say("explorers.customer_base.history_new", language, ahead=ahead)
    silence = view.weeks_as_customer - view.last_purchase_week
    return say(
        "explorers.customer_base.history",
        language,
        purchases=say_count("explorers.customer_base.repeat_purchases", view.repeat_purchases, language),
        last=write_value(round(view.last_purchase_week), language),
        weeks=write_value(round(view.weeks_as_customer), language),
        silence=write_value(round(silence), language),
        p_alive=write_value(view.p_alive, language, "percent", 0),
        ahead=ahead,
    )


def _slider(kind, value, low, high, step, description):
    return kind(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        style=dict(_CONTROL_STYLE),
        layout=widgets.Layout(**_CONTROL_LAYOUT),
        continuous_update=False,
    )


def history_explorer(
    model: BetaGeoModel,
    *,
    repeat_purchases: int = 10,
    last_purchase_week: int = 40,
    weeks_as_customer: int = 78,
    horizon_weeks: int = 52,
    max_weeks: int = 156,
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Sliders for one customer's history; the probability that they are still active follows.

    Parameters
    ----------
    model : BetaGeoModel
        From :func:`~loyalty_lessons.customer_base.fit_bg_nbd`.
    repeat_purchases, last_purchase_week, weeks_as_customer, horizon_weeks : int
        Where the sliders start.
    max_weeks : int, default 156
        The longest history the sliders offer (three years).
    language : str, default "en"
        The language of the labels and the sentence.

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Controls ``repeat_purchases`` (0-60), ``last_purchase_week`` (0 to the weeks as a
        customer, which it follows), ``weeks_as_customer`` (4 to ``max_weeks``) and
        ``horizon_weeks`` (1-104); the chart is
        :func:`~loyalty_lessons.plots.plot_customer_history`.
    """
    max_weeks = max(int(max_weeks), 4)

    def label(name: str) -> str:
        return say(f"explorers.customer_base.labels.{name}", language)

    weeks_as_customer = int(min(max(weeks_as_customer, 4), max_weeks))
    controls = {
        "repeat_purchases": _slider(
            widgets.IntSlider, int(min(max(repeat_purchases, 0), 60)), 0, 60, 1, label("repeat_purchases")
        ),
        "last_purchase_week": _slider(
            widgets.IntSlider,
            int(min(max(last_purchase_week, 0), weeks_as_customer)),
            0,
            weeks_as_customer,
            1,
            label("last_purchase_week"),
        ),
        "weeks_as_customer": _slider(
            widgets.IntSlider, weeks_as_customer, 4, max_weeks, 1, label("weeks_as_customer")
        ),
        "horizon_weeks": _slider(
            widgets.IntSlider, int(min(max(horizon_weeks, 1), 104)), 1, 104, 1, label("horizon_weeks")
        ),
    }
    # The last purchase cannot come after today: the slider's end follows the weeks as a
    # customer (observed before the explorer's own observer, so that it sees a valid value).
    controls["weeks_as_customer"].observe(
        lambda change: setattr(controls["last_purchase_week"], "max", change["new"]), names="value"
    )
    texts = chart_texts("customer_base", language)

    def draw(view: HistoryView, ax: Axes) -> Axes:
        return plot_customer_history(
            view.curve,
            ax,
            recency=_point(view, model),
            p_alive=view.p_alive,
            label=_label(view, language),
            texts=texts,
        )

    return Explorer(
        controls,
        compute=lambda **values: history_view(model, **values),
        draw=draw,
        refresh=lambda view, ax: changed_artists(draw(view, ax)),
        describe=lambda view: describe_history(view, language),
        margins=_CHART_MARGINS,
    )


def _label(view: HistoryView, language: str = DEFAULT_LANGUAGE) -> str:
    return say(
        "explorers.customer_base.expected_label",
        language,
        expected=write_value(view.expected_purchases, language, "number", 1),
        weeks=write_value(round(view.horizon_weeks), language),
    )


def _point(view: HistoryView, model: BetaGeoModel) -> float:
    return _in_model_unit(view.last_purchase_week, model)


# --------------------------------------------------------------------------- the population


class PopulationView(NamedTuple):
    """The model's parameters and what they mean for a group of new customers (times in weeks)."""

    curve: pd.DataFrame
    r: float
    alpha: float
    a: float
    b: float
    customers: int
    weeks: int
    mean_weekly_rate: float
    mean_dropout: float


def population_view(
    r: float, alpha: float, a: float, b: float, *, weeks: int = 104, customers: int = 1000
) -> PopulationView:
    """The repeat purchases a group of new customers is expected to make, for given parameters.

    Parameters
    ----------
    r, alpha : float
        Shape and rate (per week) of the gamma spread of purchase rates.
    a, b : float
        Of the beta spread of the probabilities of leaving after a purchase.
    weeks : int, default 104
        Weeks after the first purchase.
    customers : int, default 1000
        Customers who all made their first purchase at week 0.

    Returns
    -------
    PopulationView
        ``curve`` with ``time`` (weeks 0 to ``weeks``), ``expected_repeat_purchases`` (the
        group's, FHL 2005 eq. 9) and ``without_dropout`` (r / alpha x weeks x customers);
        ``attrs`` ``customers`` and ``time_unit``; the parameters; ``mean_weekly_rate``
        (r / alpha) and ``mean_dropout`` (a / (a + b)).

    Raises
    ------
    LoyaltyDataError
        If a parameter is not above 0, or ``weeks`` or ``customers`` is below 1.

    Examples
    --------
    >>> view = population_view(0.243, 4.414, 0.793, 2.426, weeks=78, customers=2357)
    >>> round(float(view.curve["expected_repeat_purchases"].iloc[-1]))
    4385
    """
    params = (r, alpha, a, b)
    if not all(np.isfinite(p) and p > 0 for p in params) or weeks < 1 or customers < 1:
        raise LoyaltyDataError(
            f"population_view needs r, alpha, a, b above 0 and at least one week and customer; got "
            f"{params!r}, weeks={weeks!r}, customers={customers!r}."
        )
    model = BetaGeoModel(
        r=r,
        alpha=alpha,
        a=a,
        b=b,
        standard_errors={},
        log_likelihood=float("nan"),
        customers=0,
        repeat_buyers=0,
        time_unit="W",
    )
    time = np.arange(int(weeks) + 1, dtype="float64")
    curve = pd.DataFrame(
        {
            "time": time,
            "expected_repeat_purchases": customers * model.expected_purchases_new_customer(time),
            "without_dropout": customers * r / alpha * time,
        }
    )
    curve.attrs.update(customers=int(customers), time_unit="W")
    return PopulationView(
        curve,
        float(r),
        float(alpha),
        float(a),
        float(b),
        int(customers),
        int(weeks),
        mean_weekly_rate=r / alpha,
        mean_dropout=a / (a + b),
    )


def describe_population(view: PopulationView, language: str = DEFAULT_LANGUAGE) -> str:
    """The parameters in words, in one sentence, in ``language``.

    Examples
    --------
    >>> sentence = describe_population(population_view(0.243, 4.414, 0.793, 2.426, weeks=78, customers=2357))
    >>> sentence.startswith("While active, a customer buys 0.055 times a week on average (once every 18")
    True
    >>> sentence.endswith("2,357 new customers are expected to make 4,385 repeat purchases in 78 weeks.")
    True
    """
    last = view.curve.iloc[-1]
    return say(
        "explorers.customer_base.population",
        language,
        rate=write_significant(view.mean_weekly_rate, 2, language),
        every=write_value(round(1 / view.mean_weekly_rate), language),
        dropout=write_value(view.mean_dropout, language, "percent", 0),
        customers=write_value(view.customers, language),
        purchases=write_value(round(last["expected_repeat_purchases"]), language),
        weeks=write_value(view.weeks, language),
    )


def _scale(r: float, alpha: float, weeks: int, customers: int) -> float:
    """Top of the population chart: a power of two above the purchases if nobody left.

    The chart keeps it while a move stays below it, so that a move shows as the lines moving.
    """
    ceiling = customers * r / alpha * weeks
    return float(2.0 ** np.ceil(np.log2(max(ceiling, 1.0) * 1.05)))


def population_explorer(
    r: float = 0.243,
    alpha: float = 4.414,
    a: float = 0.793,
    b: float = 2.426,
    *,
    weeks: int = 104,
    customers: int = 1000,
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Sliders for the model's parameters; a thousand new customers' expected purchases follow.

    The sliders start from the given parameters (FHL 2005's CDNOW estimates by default, or
    a fitted model's ``params``), within :data:`POPULATION_RANGES`.

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Controls ``r``, ``alpha``, ``a`` and ``b``; the chart is
        :func:`~loyalty_lessons.plots.plot_population_purchases`.
    """
    labels = {name: say(f"explorers.customer_base.labels.{name}", language) for name in POPULATION_RANGES}
    steps = {"r": 0.01, "alpha": 0.1, "a": 0.01, "b": 0.05}
    start = {"r": r, "alpha": alpha, "a": a, "b": b}
    controls = {
        name: _slider(
            widgets.FloatSlider, float(min(max(start[name], low), high)), low, high, steps[name], labels[name]
        )
        for name, (low, high) in POPULATION_RANGES.items()
    }
    texts = chart_texts("customer_base", language)

    def draw(view: PopulationView, ax: Axes) -> Axes:
        return plot_population_purchases(
            view.curve, ax, y_max=_scale(view.r, view.alpha, weeks, customers), texts=texts
        )

    return Explorer(
        controls,
        compute=lambda **values: population_view(**values, weeks=weeks, customers=customers),
        draw=draw,
        refresh=lambda view, ax: changed_artists(draw(view, ax)),
        key=lambda r, alpha, **_: _scale(r, alpha, weeks, customers),
        describe=lambda view: describe_population(view, language),
        margins=_CHART_MARGINS,
    )


# --------------------------------------------------------------------------- the model check


class CheckView(NamedTuple):
    """The model check and which of its two charts to show."""

    check: ModelCheck
    chart: str


#: The check's charts, as the menu names them.
CHECK_CHARTS = {"by number of purchases": "by_frequency", "week by week": "tracking"}


def check_explorer(check: ModelCheck, *, language: str = DEFAULT_LANGUAGE) -> Explorer:
    """The model check's two charts, one at a time, with its verdict in words.

    Parameters
    ----------
    check : ModelCheck
        From :func:`~loyalty_lessons.customer_base_check.model_check`.
    language : str, default "en"
        The language of the menu and the charts (the verdict is the check's own message).

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Control ``chart``: ``"by_frequency"`` (:func:`~loyalty_lessons.plots.plot_holdout_by_frequency`)
        or ``"tracking"`` (:func:`~loyalty_lessons.plots.plot_tracking`).
    """
    charts = {"by_frequency": plot_holdout_by_frequency, "tracking": plot_tracking}
    texts = chart_texts("customer_base", language)
    names = entry(language, "lessons.explorers.customer_base.check_charts")
    controls = {
        "chart": widgets.Dropdown(
            options=list(zip(names, CHECK_CHARTS.values(), strict=True)),
            value="by_frequency",
            description=say("explorers.customer_base.labels.chart", language),
            style=dict(_CONTROL_STYLE),
            layout=widgets.Layout(**_CONTROL_LAYOUT),
        )
    }
    return Explorer(
        controls,
        compute=lambda chart: CheckView(check, chart),
        draw=lambda view, ax: charts[view.chart](view.check, ax, texts=texts),
        # Each chart depends on the menu alone: nothing moves, so going back to a chart shown
        # before shows the figure kept for it instead of drawing it again.
        refresh=lambda view, chart: [],
        key=lambda chart: chart,
        describe=lambda view: view.check.message,
        figsize=(7.5, 4.6),
        margins={"left": 0.1, "right": 0.97, "bottom": 0.2, "top": 0.86},
    )
