"""Charts of loyalty monitoring: the cohort heatmap, the KPI small multiples, the signals.

Each takes a result of :mod:`loyalty_lessons.monitoring` and ``ax=None`` (or ``axes=None``),
draws only through the given Axes and returns them. Titles state the finding, computed
from the data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring import PERIODS
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = ["KPI_STYLE", "plot_cohort_heatmap", "plot_kpis", "plot_signals"]

#: How each column of ``monitoring_table`` is named on a chart and how its values read.
#: Ratios formatted with ``%`` get a percent axis.
KPI_STYLE: dict[str, dict[str, str]] = {
    "new_customers": {"label": "New customers", "format": "{:,.0f}"},
    "active_customers": {"label": "Active customers", "format": "{:,.0f}"},
    "returning_customers": {"label": "Returning customers", "format": "{:,.0f}"},
    "repeat_rate": {"label": "Repeat-business rate", "format": "{:.0%}"},
    "orders": {"label": "Orders", "format": "{:,.0f}"},
    "revenue": {"label": "Revenue", "format": "{:,.0f}"},
    "spend_per_order": {"label": "Spend per order", "format": "{:,.2f}"},
    "sales_per_customer": {"label": "Sales per customer", "format": "{:,.2f}"},
    "early_defections": {"label": "Early defections", "format": "{:,.0f}"},
    "early_defection_rate": {"label": "Early defection rate", "format": "{:.0%}"},
}

_VERDICT_COLOURS = {
    "improving": "tab:green",
    "worsening": "tab:red",
    "within noise": "tab:gray",
    "not applicable": "lightgray",
}


def _unit(index: pd.Index) -> str:
    if isinstance(index, pd.PeriodIndex):
        return PERIODS.get(index.freqstr[0], "period")
    return "period"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _heatmap_title(matrix: pd.DataFrame, after_periods: int | None, t: ChartTexts) -> str:
    unit = _unit(matrix.index)
    observed = [int(k) for k in matrix.columns if int(k) >= 1 and matrix[k].notna().any()]
    if after_periods is None:
        candidates = [k for k in observed if k <= 6]
        after_periods = max(candidates) if candidates else None
    elif after_periods not in observed:
        raise LoyaltyDataError(
            f"after_periods={after_periods} is not observed for any cohort; choose one of "
            f"{observed or 'none (every cohort is in its first ' + unit + ')'}."
        )
    if after_periods is None:
        cohorts = t.plural("cohorts", len(matrix), count=t.number(len(matrix)))
        return t("title_none", cohorts=cohorts, unit=t.name("unit", unit))
    shares = matrix[after_periods].dropna()
    later = t.plural(f"spans.{unit}", after_periods, count=t.number(after_periods))
    if len(shares) == 1:
        return t("title_one", cohort=shares.index[0], share=t.percent(shares.iloc[0]), later=later)
    cohorts = t.plural("cohorts", len(shares), count=t.number(len(shares)))
    return t("title_mean", share=t.percent(shares.mean()), later=later, cohorts=cohorts)


def plot_cohort_heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    *,
    annotate: bool | None = None,
    after_periods: int | None = None,
    cmap: str = "Blues",
    sizes: pd.Series | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Heatmap of a cohort retention matrix, with a colour bar and a title stating a finding.

    The title reports the (unweighted) mean share of cohorts buying again
    ``after_periods`` periods after joining; by default the longest span up to 6 periods
    that at least one cohort has reached. With a single such cohort it names it.

    With ``sizes``, each row's label gives its cohort's number of customers, and column 0
    (the period of the first purchase, 100% by definition) is left uncoloured, so that the
    colour scale runs from 0 to the largest share observed later (rounded up to 10%).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`loyalty_lessons.cohorts.cohort_retention`: cohorts as rows,
        periods since the first purchase as columns, shares in [0, 1], NaN in the future.
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    annotate : bool or None
        Write each share as a percentage in its cell; None does it when the matrix has at
        most 200 cells.
    after_periods : int or None
        The span (in periods) the title reports.
    cmap : str
        Matplotlib colour map.
    sizes : pandas.Series or None
        Each cohort's number of customers, by the matrix's index (column 0 of
        :func:`~loyalty_lessons.cohorts.cohort_counts`).
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.cohorts``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the image (``ax.images[0]``); the colour bar has its own Axes.

    Raises
    ------
    LoyaltyDataError
        If the matrix is empty or ``after_periods`` is not observed.
    """
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise LoyaltyDataError("the cohort matrix is empty; build it with cohort_retention(transactions).")
    t = chart_texts("cohorts", texts=texts)
    title = _heatmap_title(matrix, after_periods, t)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.0 + 0.45 * matrix.shape[1], 1.0 + 0.35 * len(matrix)))
    values = matrix.to_numpy(dtype="float64")
    shown, top = values, 1.0
    if sizes is not None:  # column 0 is 100% by definition: it takes no colour
        shown = values.copy()
        shown[:, 0] = np.nan
        later = shown[~np.isnan(shown)]
        top = max(0.1, float(np.ceil(later.max() * 10) / 10)) if later.size else 1.0
    image = ax.imshow(np.ma.masked_invalid(shown), cmap=cmap, vmin=0.0, vmax=top, aspect="auto")
    colour_bar = ax.figure.colorbar(image, ax=ax, format=t.tick_formatter(percent=True))
    if top < 1.0:  # whole percentages on a scale cut at the largest share
        ticks = np.arange(0.0, top + 1e-9, 0.1 if top <= 0.5 else 0.2)
        colour_bar.set_ticks(ticks, labels=[t.percent(v) for v in ticks])
    colour_bar.set_label(t("colour_bar"))
    unit = _unit(matrix.index)
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns])
    rows = [str(i) for i in matrix.index]
    if sizes is not None:
        rows = [t("cohort_label", cohort=r, count=t.number(sizes.loc[i])) for r, i in zip(rows, matrix.index)]
    ax.set_yticks(range(len(matrix)), rows)
    ax.set_xlabel(t.name("xlabel", unit))
    ax.set_ylabel(t.name("ylabel", unit))
    if annotate is None:
        annotate = values.size <= 200
    if annotate:
        rows, cols = np.nonzero(~np.isnan(values))
        for r, c in zip(rows, cols):
            share = values[r, c]
            dark = np.isfinite(shown[r, c]) and shown[r, c] > 0.6 * top
            ax.text(
                c,
                r,
                t.percent(share),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else ("dimgray" if np.isnan(shown[r, c]) else "black"),
            )
    ax.set_title(title)
    local_ticks(ax, t)
    return ax


def _formatter(fmt: str, t: ChartTexts):
    """A KPI's format of :data:`KPI_STYLE` ("{:,.2f}", "{:.0%}") in the language of ``t``."""
    decimals = int(fmt.split(".")[1][0]) if "." in fmt else 0
    if "%" in fmt:
        return lambda v: t.percent(v, decimals)
    return lambda v: t.number(v, decimals)


def _latest_title(table: pd.DataFrame, metric: str, label: str, fmt, t: ChartTexts) -> str:
    values = table[metric].astype("float64")
    usable = values.notna()
    if "complete" in table:
        usable &= table["complete"].astype(bool)
    if not usable.any():
        return t("title_none", label=label)
    last = usable[usable].index[-1]
    mean = values[usable].mean()
    period = table.loc[last, "period"] if "period" in table else last
    if metric == "repeat_rate" and "new_customers" in table and table.loc[last, "new_customers"] == 0:
        # Every buyer of a period without new customers is a returning one: 100% says nothing.
        return t("title_closed_group", label=label, value=fmt(values[last]), period=period)
    return t("title_latest", label=label, value=fmt(values[last]), period=period, mean=fmt(mean))


def _window_span(labels: list[str], freq: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From the start of a window's first period to the start of its last (to the end of a
    window of one period), where the points of those periods are drawn."""
    first, last = pd.Period(labels[0], freq), pd.Period(labels[-1], freq)
    return first.start_time, (last.end_time if first == last else last.start_time)


def _draw_signal(ax: Axes, signal, freq: str, fmt, label: str, t: ChartTexts) -> str:
    """The compared windows of a judged signal on its KPI panel, and the panel's title: the
    earlier level with its band of normal variation carried over the later months, and the
    later level, coloured by the verdict."""
    start, end = _window_span(signal.before_periods, freq)
    ax.hlines(signal.before, start, end, color="black", linewidth=1.5, label=t("earlier_level"))
    later_start, later_end = _window_span(signal.after_periods, freq)
    ax.fill_between(
        [start, later_end],
        signal.before - signal.band,
        signal.before + signal.band,
        color="tab:gray",
        alpha=0.2,
        linewidth=0,
        label=t("normal_variation", confidence=t.percent(0.95)),
    )
    colour = "dimgray" if signal.verdict == "within noise" else _VERDICT_COLOURS[signal.verdict]
    ax.hlines(signal.after, later_start, later_end, color=colour, linewidth=2.5, label=t("later_level"))
    verdict = t.name("verdicts", signal.verdict.replace(" ", "_"))
    return t("title_signal", label=label, before=fmt(signal.before), after=fmt(signal.after), verdict=verdict)


def _level_title(signal, fmt, label: str, t: ChartTexts) -> str:
    """The title of a signal that cannot be judged: its latest level where it has one."""
    periods = list(getattr(signal, "level_periods", None) or [])
    level = getattr(signal, "level", np.nan)
    if not periods or not np.isfinite(level):
        return t("title_not_applicable", label=label)
    span = periods[0] if len(periods) == 1 else t("periods", first=periods[0], last=periods[-1])
    return t("title_level", label=label, value=fmt(level), period=span)


def plot_kpis(
    table: pd.DataFrame,
    axes: Sequence[Axes] | np.ndarray | None = None,
    *,
    metrics: Sequence[str] = (
        "new_customers",
        "repeat_rate",
        "spend_per_order",
        "early_defection_rate",
    ),
    signals: pd.DataFrame | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> np.ndarray:
    """Small multiples of the monitoring KPIs, one line chart per metric.

    x is the start of each period. Periods not over yet (``complete`` is False) are drawn
    as hollow markers. The y-axis of a figure that is never negative starts at 0. Each
    panel's title gives the last complete value and the mean; on the panel of a signal given
    in ``signals``, it gives the two compared levels and the verdict, and the chart shows
    them: the earlier level (black) with its band of normal variation (grey, carried over the
    later periods) and the later level in the verdict's colour. A change is called when the
    later level leaves the band. A signal that cannot be judged gives its latest level in the
    title, where it has one (``level`` of :func:`~loyalty_lessons.monitoring.loyalty_signals`).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`loyalty_lessons.monitoring.monitoring_table` (column ``period``
        and the metric columns; ``complete`` optional).
    axes : array of matplotlib.axes.Axes or None
        At least ``len(metrics)`` Axes, used in order (a 2-D array is read row by row);
        a new figure with two columns is made when None.
    metrics : sequence of str
        Columns to draw; labels come from :data:`KPI_STYLE`.
    signals : pandas.DataFrame or None
        Output of :func:`loyalty_lessons.monitoring.loyalty_signals` on ``table``; a signal
        that is not applicable is named so in its panel's title.
    texts : ChartTexts or mapping, optional
        The panels' words and number formats (catalogue section ``charts.monitoring``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    numpy.ndarray
        One-dimensional array of the Axes drawn on, one per metric.

    Raises
    ------
    LoyaltyDataError
        If a metric or ``period`` column is missing, no metric is given, or too few Axes
        are passed.
    """
    t = chart_texts("monitoring", texts=texts)
    metrics = list(metrics)
    if not metrics:
        raise LoyaltyDataError("metrics is empty; name at least one column to draw.")
    missing = [m for m in ["period", *metrics] if m not in table]
    if missing:
        raise LoyaltyDataError(f"the table lacks the column(s) {missing}; build it with monitoring_table().")
    if axes is None:
        ncols = min(2, len(metrics))
        nrows = -(-len(metrics) // ncols)
        _, grid = plt.subplots(nrows, ncols, figsize=(5.0 * ncols, 3.0 * nrows), squeeze=False, sharex=True)
        flat = grid.ravel()
        for spare in flat[len(metrics) :]:
            spare.set_visible(False)
    else:
        flat = np.asarray(axes, dtype=object).ravel()
        if len(flat) < len(metrics):
            raise LoyaltyDataError(
                f"{len(flat)} Axes passed for {len(metrics)} metrics; pass one Axes per metric."
            )
    flat = flat[: len(metrics)]
    period = table["period"]
    x = period.dt.start_time if isinstance(period.dtype, pd.PeriodDtype) else period
    complete = table["complete"].to_numpy(dtype=bool) if "complete" in table else np.ones(len(table), bool)
    unit = PERIODS.get(str(table.attrs.get("period")), "period")
    judged = {} if signals is None else {s.metric: s for s in signals.itertuples()}
    freq = table.attrs.get("period", "M")
    for ax, metric in zip(flat, metrics):
        style = KPI_STYLE.get(metric, {"label": metric.replace("_", " "), "format": "{:,.2f}"})
        label = t.name("labels", metric) if metric in KPI_STYLE else style["label"]
        fmt = _formatter(style["format"], t)
        y = table[metric].to_numpy(dtype="float64")
        ax.plot(x, y, marker="o", color="tab:blue", label=label)
        if not complete.all():
            ax.plot(
                x[~complete],
                y[~complete],
                linestyle="none",
                marker="o",
                markerfacecolor="white",
                color="tab:blue",
                label=t.name("not_over", unit),
            )
        if "%" in style["format"]:
            ax.yaxis.set_major_formatter(t.tick_formatter(percent=True))
        elif t.language != DEFAULT_LANGUAGE:  # English keeps matplotlib's own tick labels
            ax.yaxis.set_major_formatter(t.tick_formatter())
        ax.set_ylabel(label)
        title = _latest_title(table, metric, label, fmt, t)
        signal = judged.get(metric)
        if signal is not None and signal.verdict == "not applicable":
            title = _level_title(signal, fmt, label, t)
        elif signal is not None:
            title = _draw_signal(ax, signal, freq, fmt, label, t)
        if np.isfinite(y).any() and np.nanmin(y) >= 0:  # no truncated axis: a share starts at 0
            ax.set_ylim(0, 1.05 * max(ax.get_ylim()[1], float(np.nanmax(y))))
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=30)
    if axes is None:  # a figure of our own: keep each panel's label clear of its neighbour
        flat[0].figure.tight_layout()
    return flat


def plot_signals(
    signals: pd.DataFrame,
    ax: Axes | None = None,
    *,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Horizontal bars of each loyalty signal's relative change, coloured by verdict, each
    with a line across its end as wide as the band of normal variation.

    A change is called (green when improving, red when worsening) only when that line does
    not reach 0; grey bars are within noise, and a signal that is not applicable has no bar.
    When ``ax`` already shows this chart for the same signals in the same order, the bars
    (length and colour), the lines and the title change in place and the axis limits stay (an
    explorer fixes them): :func:`~loyalty_lessons.plots.changed_artists` lists what
    changed.

    Parameters
    ----------
    signals : pandas.DataFrame
        Output of :func:`loyalty_lessons.monitoring.loyalty_signals` (columns ``signal``,
        ``change``, ``verdict``, and ``before`` and ``band`` for the lines).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.monitoring``,
        its ``signals`` table); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; bars in the order of ``signals`` from the top, a change without a value
        (not applicable, or a start from 0) drawn as 0 without a line.

    Raises
    ------
    LoyaltyDataError
        If a required column is missing or the frame is empty.
    """
    missing = [c for c in ("signal", "change", "verdict") if c not in signals]
    if missing or signals.empty:
        raise LoyaltyDataError(
            f"signals must be the non-empty output of loyalty_signals(); missing {missing}."
        )
    t = chart_texts("monitoring", texts=texts)
    names = tuple(signals["signal"])
    changes = signals["change"].astype("float64").fillna(0.0).to_numpy()
    colours = [_VERDICT_COLOURS.get(v, "lightgray") for v in signals["verdict"]]
    spread = np.full(len(signals), np.nan)
    if {"before", "band"} <= set(signals.columns):
        before = signals["before"].astype("float64").abs().to_numpy()
        np.divide(signals["band"].astype("float64").to_numpy(), before, out=spread, where=before > 0)
    chart = chart_on(ax, "signals", (names, t.identity))
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots(figsize=(6.0, 0.6 + 0.5 * len(signals)))
        positions = np.arange(len(signals))[::-1]
        bars = ax.barh(positions, changes, color=colours)
        ax.set_yticks(positions, [_signal_name(name, t) for name in names])
        zero = ax.axvline(0.0, color="black", linewidth=0.8)
        ax.xaxis.set_major_formatter(
            PercentFormatter(1.0) if t.language == DEFAULT_LANGUAGE else t.tick_formatter(True)
        )
        ax.set_xlabel(t("signals.xlabel"))
        lines = [ax.plot([], [], color="black", linewidth=1.5)[0] for _ in positions]
        chart = {"anchor": zero, "bars": bars, "zero": zero, "lines": lines}
    for bar, change, colour, line, half in zip(chart["bars"], changes, colours, chart["lines"], spread):
        bar.set_width(change)
        bar.set_facecolor(colour)
        y = bar.get_y() + bar.get_height() / 2
        line.set_data(([change - half, change + half], [y, y]) if np.isfinite(half) else ([], []))
    chart["bars"].datavalues = changes
    if fresh:  # the lines were made empty: the axis must also reach their ends
        ax.relim()
        ax.autoscale_view()
    ax.set_title(_signals_title(signals, t))
    changed = [*chart["bars"], *chart["lines"], chart["zero"], *ax.spines.values(), ax.title]
    keep_chart(ax, "signals", (names, t.identity), chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def _signal_name(name: str, t: ChartTexts) -> str:
    """A signal's name on the chart: its code in words in English (new customers), else the
    language's name of the figure it judges."""
    if t.language == DEFAULT_LANGUAGE:
        return name.replace("_", " ")
    return t.name("signals.names", name)


def _signals_title(signals: pd.DataFrame, t: ChartTexts) -> str:
    parts = []
    for verdict in ("improving", "worsening", "within noise", "not applicable"):
        names = signals.loc[signals["verdict"] == verdict, "signal"].tolist()
        if names:
            listed = ", ".join(_signal_name(name, t) for name in names)
            word = t.name("verdicts", verdict.replace(" ", "_"))
            parts.append(t("signals.part", verdict=word, names=listed))
    title = t("signals.separator").join(parts)
    return title[0].upper() + title[1:]
