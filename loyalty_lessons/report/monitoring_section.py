"""The report's monitoring section: the three loyalty signals judged against their noise, the
monthly KPIs and the quarterly cohorts (:func:`monitoring_section`)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from loyalty_lessons.cohorts import cohort_shares
from loyalty_lessons.formatting import format_date
from loyalty_lessons.noise import CONFIDENCE

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart

__all__ = ["monitoring_section"]


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
    for key in ("before", "after", "total", "usable", "needed", "minimum", "days"):
        if key in values:
            values[key] = m.number(values[key])
    return m.text("monitoring.reason_" + s.reason_code, **values)


def _signal_lines(data: ReportData) -> list[Markup]:
    """One sentence per signal: both levels and the months they cover, the band of normal
    variation and the verdict, or why the signal cannot be judged."""
    m, items = data.m, []
    for s in data.signals.itertuples():
        label = m.raw("signal_names." + s.metric)
        verdict = m.raw("verdicts." + s.verdict.replace(" ", "_"))
        if s.verdict == "not applicable":
            items.append(
                m.text(
                    "monitoring.signal_not_applicable",
                    label=label,
                    verdict=verdict,
                    reason=_signal_reason(m, s),
                )
            )
            continue
        if s.metric == "early_defection_rate":
            fmt = m.percent
            band = m.text("monitoring.band_share", band=m.number(100 * s.band))
        elif s.metric == "spend_per_order":
            fmt = lambda v: m.money(v, data.currency, 2)  # noqa: E731
            band = fmt(s.band)
        else:
            fmt = m.number
            band = m.text("monitoring.band_count", band=m.number(s.band))
        key = "monitoring.signal_noise" if s.verdict == "within noise" else "monitoring.signal"
        items.append(
            m.text(
                key,
                label=label,
                before=fmt(s.before),
                after=fmt(s.after),
                before_months=_months(m, s.before_periods),
                after_months=_months(m, s.after_periods),
                band=band,
                verdict=verdict,
            )
        )
    return items


def monitoring_section(data: ReportData) -> Markup:
    """The three loyalty signals judged against their noise, the monthly KPIs and the
    quarterly cohorts."""
    from loyalty_lessons.plots.monitoring import plot_cohort_heatmap, plot_kpis

    m, table = data.m, data.monthly
    complete = int(table["complete"].sum())
    window = data.signals.attrs["window"]
    kpis = None
    if len(table) >= 2:
        kpis = chart(
            m,
            lambda fig: plot_kpis(
                table,
                axes=fig.subplots(2, 2, sharex=True),
                signals=data.signals,
                texts=_texts(data, "monitoring"),
            ),
            (10.0, 6.0),
        )
    counts = data.tables.cohorts
    matrix = None if counts is None else cohort_shares(counts)
    cohorts = None
    if matrix is not None and matrix.shape[1] >= 2:
        size = (min(10.0, 2.5 + 0.6 * matrix.shape[1]), min(7.0, 1.6 + 0.42 * len(matrix)))

        def draw_cohorts(fig):
            plot_cohort_heatmap(matrix, ax=fig.subplots(), texts=_texts(data, "cohorts"))
            for ax in fig.axes:
                ax.grid(False)

        cohorts = chart(m, draw_cohorts, size)
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
        early_defection_days=table.attrs.get("early_defection_days", 180),
        cohort_chart=cohorts,
    )
