"""The report's monitoring section: new customers beside the two signals of loyalty, each
judged against its noise, the monthly KPIs and the quarterly cohorts
(:func:`monitoring_section`)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from loyalty_lessons.cohorts import MIN_COHORT_SIZE, cohort_shares
from loyalty_lessons.formatting import format_date
from loyalty_lessons.noise import CONFIDENCE

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart

__all__ = ["closed_months", "month_name", "monitoring_section", "signal_format"]


def month_name(m, label: str) -> str:
    """A month of the monthly table ("1998-04") as the report writes it ("Apr 1998")."""
    return _month(m, label)


def _month(m, label: str) -> str:
    return format_date(pd.Period(label, "M").start_time, m.raw("monitoring.month_pattern"), locale=m.language)


def _months(m, labels: list[str]) -> Markup:
    if len(labels) == 1:
        return Markup.escape(_month(m, labels[0]))
    return m.text("monitoring.months", first=_month(m, labels[0]), last=_month(m, labels[-1]))


def _signal_reason(m, s) -> Markup:
    values = dict(s.reason_values)
    for key in ("last", "first"):
        if key in values:
            values[key] = _month(m, values[key])
    for key in ("before", "after", "total", "usable", "needed", "minimum", "days", "count"):
        if key in values:
            values[key] = m.number(values[key])
    return m.text("monitoring.reason_" + s.reason_code, **values)


def _sum_over(table: pd.DataFrame, column: str, labels: list[str]) -> float:
    """A column of the monthly table summed over the months named ``labels``."""
    return float(table.loc[table["period"].astype(str).isin(labels), column].sum())


def _level_line(data: ReportData, s, fmt) -> Markup | None:
    """The level of a signal that cannot be judged, over the last months that have one."""
    m = data.m
    if not s.level_periods or s.level != s.level:
        return None
    months = _months(m, s.level_periods)
    if s.metric == "early_defection_rate":
        return m.text(
            "monitoring.level_early_defection_rate",
            value=m.percent(s.level),
            months=months,
            events=m.number(_sum_over(data.monthly, "early_defections", s.level_periods)),
            total=m.number(_sum_over(data.monthly, "new_customers", s.level_periods)),
        )
    return m.text(
        "monitoring.level", label=m.raw("signal_names." + s.metric), value=fmt(s.level), months=months
    )


def signal_format(data: ReportData, metric: str):
    """How a signal's levels read, and its band of normal variation."""
    m = data.m
    if metric == "early_defection_rate":
        return m.percent, lambda band: m.text("monitoring.band_share", band=m.number(100 * band))
    if metric == "spend_per_order":
        money = lambda v: m.money(v, data.currency, 2)  # noqa: E731
        return money, money
    return m.number, lambda band: m.text("monitoring.band_count", band=m.number(band))


def _signal_lines(data: ReportData) -> list[Markup]:
    """One sentence per signal: both levels and the months they cover, the band of normal
    variation and the verdict, and the same months a year earlier; or why the signal cannot
    be judged, and its latest level. In a closed group, spend per order says that it moves
    with who still buys."""
    m, items = data.m, []
    closed = closed_months(data.monthly, data.signals.attrs["window"]) is not None
    for s in data.signals.itertuples():
        label = m.raw("signal_names." + s.metric)
        verdict = m.raw("verdicts." + s.verdict.replace(" ", "_"))
        fmt, band_of = signal_format(data, s.metric)
        if s.verdict == "not applicable":
            line = m.text(
                "monitoring.signal_not_applicable",
                label=label,
                verdict=verdict,
                reason=_signal_reason(m, s),
            )
            level = _level_line(data, s, fmt)
            items.append(line if level is None else Markup(" ").join([line, level]))
            continue
        band = band_of(s.band)
        if s.band_basis == "periods":
            band = m.text("monitoring.band_months", band=band)
        key = "monitoring.signal_noise" if s.verdict == "within noise" else "monitoring.signal"
        line = m.text(
            key,
            label=label,
            before=fmt(s.before),
            after=fmt(s.after),
            before_months=_months(m, s.before_periods),
            after_months=_months(m, s.after_periods),
            band=band,
            verdict=verdict,
        )
        if s.year_before_periods and s.year_before == s.year_before:
            earlier = m.text(
                "monitoring.year_before", months=_months(m, s.year_before_periods), value=fmt(s.year_before)
            )
            line = Markup(" ").join([line, earlier])
        if closed and s.metric == "spend_per_order":
            line = Markup(" ").join([line, m.text("monitoring.spend_mix")])
        items.append(line)
    return items


def closed_months(table: pd.DataFrame, window: int) -> list[str] | None:
    """The last complete months when none of them had a new customer and they are at least
    ``2 × window``: the repeat-business rate is 100% in them by definition. None otherwise."""
    complete = table[table["complete"].astype(bool)]
    new = complete["new_customers"].to_numpy()
    run = len(new) - (new.nonzero()[0][-1] + 1 if new.any() else 0)
    if run < 2 * window:
        return None
    return [str(p) for p in complete["period"].iloc[len(new) - run :]]


def monitoring_section(data: ReportData) -> Markup:
    """The three loyalty signals judged against their noise, the monthly KPIs and the
    quarterly cohorts."""
    from loyalty_lessons.plots.monitoring import plot_cohort_heatmap, plot_kpis

    m, table = data.m, data.monthly
    complete = int(table["complete"].sum())
    window = data.signals.attrs["window"]
    closed = closed_months(table, window)
    kpis = None
    if len(table) >= 2:
        # The repeat-business rate is left out where it is 100% by definition (no newcomer).
        metrics = ["new_customers", "spend_per_order", "early_defection_rate"]
        layout, size = ((3, 1), (10.0, 8.0)) if closed else ((2, 2), (10.0, 6.0))
        if not closed:
            metrics.insert(1, "repeat_rate")
        kpis = chart(
            m,
            lambda fig: plot_kpis(
                table,
                axes=fig.subplots(*layout, sharex=True),
                metrics=metrics,
                signals=data.signals,
                texts=_texts(data, "monitoring"),
            ),
            size,
        )
    counts = data.tables.cohorts
    small = None
    if counts is not None:
        sizes = counts[0].astype("int64")
        small = sizes[sizes < MIN_COHORT_SIZE]
        counts = counts[sizes >= MIN_COHORT_SIZE]
    matrix = None if counts is None or counts.empty else cohort_shares(counts)
    cohorts = None
    if matrix is not None and matrix.shape[1] >= 2:
        size = (min(10.0, 2.5 + 0.6 * matrix.shape[1]), min(7.0, 1.6 + 0.42 * len(matrix)))

        def draw_cohorts(fig):
            plot_cohort_heatmap(
                matrix, ax=fig.subplots(), sizes=counts[0].astype("int64"), texts=_texts(data, "cohorts")
            )
            for ax in fig.axes:
                ax.grid(False)

        cohorts = chart(m, draw_cohorts, size)
    left_out = None
    if small is not None and len(small):
        left_out = m.text(
            "monitoring.cohorts_small",
            minimum=m.number(MIN_COHORT_SIZE),
            cohorts=m.join(
                [m.text("monitoring.cohort_size", cohort=str(c), count=m.number(n)) for c, n in small.items()]
            ),
        )
    return _section(
        "monitoring",
        data,
        signals=_signal_lines(data),
        window=window,
        confidence=m.percent(CONFIDENCE),
        too_few_months=complete < 2 * window,
        needed_months=2 * window,
        complete_months=complete,
        kpi_chart=kpis,
        repeat_rate_left_out=None
        if closed is None
        else m.text("monitoring.repeat_rate_closed", months=_months(m, closed)),
        early_defection_days=table.attrs.get("early_defection_days", 180),
        cohort_chart=cohorts,
        cohorts_left_out=left_out,
    )
