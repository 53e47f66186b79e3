"""The report's last section: the recommended actions, most urgent first, from what the data
show (:func:`actions_section`)."""

from __future__ import annotations

import math

from markupsafe import Markup

from loyalty_lessons import pareto
from loyalty_lessons.customer_types import classify as ct

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import complaint_categories as _categories
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import short_dimensions as _short_dimensions
from loyalty_lessons.report._common import top_count as _top_count
from loyalty_lessons.report.customer_base_section import CALL_ROWS, model_values
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.monitoring_section import closed_months, month_name, signal_format

__all__ = ["actions_section"]


def _worsening(data: ReportData) -> list[Markup]:
    """One action per worsening signal: the move, and what to look at before acting on it."""
    m, actions = data.m, []
    for s in data.signals.itertuples():
        if s.verdict != "worsening":
            continue
        fmt = signal_format(data, s.metric)[0]
        actions.append(
            m.text(
                "actions.worsening_" + s.metric,
                before=fmt(s.before),
                after=fmt(s.after),
                months=month_name(m, s.after_periods[0]),
                last=month_name(m, s.after_periods[-1]),
            )
        )
    return actions


def actions_section(data: ReportData) -> Markup:
    """Recommended actions, most urgent first, from what the data show."""
    m, actions = data.m, []
    lapsed = data.lapsed
    if data.model_usable:
        slipping = data.customer_base.slipping_count()
        if slipping:
            actions.append(
                m.text(
                    "actions.call_slipping",
                    count=m.number(slipping),
                    threshold=model_values(data)["threshold"],
                    top=m.number(min(slipping, max(10, math.ceil(0.1 * slipping)))),
                    listed=m.number(min(slipping, CALL_ROWS)),
                )
            )
    elif len(lapsed):
        actions.append(
            m.text(
                "actions.win_back",
                count=m.number(len(lapsed)),
                days=m.number(ct.TYPE_RULES["lapsed_after_days"]),
                top=m.number(min(len(lapsed), max(10, math.ceil(0.1 * len(lapsed))))),
            )
        )
    if data.gaps is not None and len(_short_dimensions(data)):
        worst = _short_dimensions(data).iloc[0]
        actions.append(
            m.text(
                "actions.fix_gap",
                dimension=m.raw("dimension_names." + worst["dimension"]),
                gap=m.signed(worst["gap"]),
            )
        )
    share = pareto.top_share(data.revenue_curve, data.assumptions["top_fraction"])
    actions.append(
        m.text(
            "actions.protect",
            top=m.number(_top_count(data)),
            share=m.percent(share),
            fraction=m.percent(data.assumptions["top_fraction"]),
        )
    )
    if data.complaints is not None:
        categories = _categories(data)
        actions.append(
            m.text(
                "actions.complaints",
                category=categories.index[0],
                count=m.number(categories.iloc[0]),
                total=m.number(categories.sum()),
            )
        )
    actions += _worsening(data)
    closed = closed_months(data.monthly, data.signals.attrs["window"])
    if closed is None:
        actions.append(m.text("actions.monitor"))
    else:
        actions.append(m.text("actions.monitor_closed", first=month_name(m, closed[0])))
    if data.inputs.survey is None:
        actions.append(m.text("actions.survey"))
    if data.complaints is None:
        actions.append(m.text("actions.log_complaints"))
    return _section("actions", data, actions=actions)
