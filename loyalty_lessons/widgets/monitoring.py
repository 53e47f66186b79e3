"""Explorer of lesson 05: the period and window behind the KPI charts and the signal verdicts.

The monitoring table of each period length is computed once, when the explorer is built;
moving a control only re-judges the signals (:func:`~loyalty_lessons.monitoring.loyalty_signals`)
and redraws (:func:`~loyalty_lessons.plots.monitoring.plot_kpis` and
:func:`~loyalty_lessons.plots.monitoring.plot_signals`): all of it for another period, only
the signals for another window.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.lesson_texts import say
from loyalty_lessons.monitoring import loyalty_signals, monitoring_table
from loyalty_lessons.plots import changed_artists, plot_kpis, plot_signals
from loyalty_lessons.plots.texts import chart_texts
from loyalty_lessons.signal_texts import signal_sentences
from loyalty_lessons.widgets._base import Explorer

__all__ = ["MonitoringView", "monitoring_explorer"]

#: Period codes offered by the explorer (their labels: ``lessons.explorers.monitoring.periods``).
_PERIODS = ("W", "M", "Q")


class MonitoringView(NamedTuple):
    """What the explorer shows: the monitoring table of a period and its signals."""

    table: pd.DataFrame
    signals: pd.DataFrame
    window: int


class _Chart(NamedTuple):
    """The explorer's chart: the KPI panels of a monitoring table, and the signal bars."""

    table: pd.DataFrame
    signals_ax: Axes


def _draw(view: MonitoringView, ax: Axes, language: str) -> _Chart:
    # The explorer hands over one Axes; the view needs four KPI panels and the signal bars.
    figure = ax.figure
    ax.remove()
    grid = figure.add_gridspec(2, 2, hspace=0.7, wspace=0.3, left=0.09, right=0.97, top=0.96, bottom=0.36)
    kpi_axes = [figure.add_subplot(grid[row, col]) for row in range(2) for col in range(2)]
    plot_kpis(view.table, kpi_axes, texts=chart_texts("monitoring", language))
    signals_ax = figure.add_axes((0.22, 0.06, 0.75, 0.2))
    plot_signals(view.signals, signals_ax, texts=chart_texts("monitoring", language))
    return _Chart(view.table, signals_ax)


def _refresh(view: MonitoringView, chart: _Chart, language: str) -> list[Axes] | None:
    """Another window: the same KPI panels, new signal bars and bands, whose axis follows them."""
    texts = chart_texts("monitoring", language)
    if (
        view.table is not chart.table
        or changed_artists(plot_signals(view.signals, chart.signals_ax, texts=texts)) is None
    ):
        return None
    chart.signals_ax.relim()
    chart.signals_ax.autoscale_view()
    return [chart.signals_ax]


def _describe(view: MonitoringView, language: str) -> str:
    """Each signal's sentence: the compared periods, the band of normal variation and the
    verdict, or why it cannot be judged."""
    return " ".join(signal_sentences(view.signals, language, period=view.table.attrs.get("period", "M")))


def monitoring_explorer(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    window: int = 3,
    observation_end: pd.Timestamp | str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Period (week, month, quarter) and window controls over the KPIs and the three signals.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
    period : {"W", "M", "Q"}
        Period shown first.
    window : int
        Number of periods in each compared window, shown first (1 to 12).
    observation_end : Timestamp, str or None
        Last day observed; defaults to the last date in the data.
    language : str, default "en"
        The language of the labels, the charts and the sentences.

    Returns
    -------
    Explorer
        Controls ``period`` and ``window``; ``result`` is a :class:`MonitoringView`.

    Raises
    ------
    LoyaltyDataError
        From :func:`~loyalty_lessons.monitoring.monitoring_table` when the transactions
        cannot be used.
    """
    tables = {
        code: monitoring_table(transactions, period=code, observation_end=observation_end)
        for code in _PERIODS
    }
    labels = entry(language, "lessons.explorers.monitoring.periods")
    controls = {
        "period": widgets.Dropdown(
            options=list(zip(labels, _PERIODS, strict=True)),
            value=period,
            description=say("explorers.monitoring.period", language),
        ),
        "window": widgets.IntSlider(
            value=window,
            min=1,
            max=12,
            description=say("explorers.monitoring.window", language),
            continuous_update=False,
        ),
    }
    return Explorer(
        controls,
        compute=lambda period, window: MonitoringView(
            tables[period], loyalty_signals(tables[period], window=window), window
        ),
        draw=lambda view, ax: _draw(view, ax, language),
        refresh=lambda view, chart: _refresh(view, chart, language),
        key=lambda period, window: period,
        describe=lambda view: _describe(view, language),
        figsize=(9.0, 8.0),
    )
