"""The report's last section: the recommended actions, most urgent first, from what the data
show (:func:`actions_section`)."""

from __future__ import annotations

import math

from markupsafe import Markup

from loyalty_lessons.customer_types import classify as ct

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import complaint_categories as _categories
from loyalty_lessons.report._common import concentration_values as _concentration
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import short_dimensions as _short_dimensions
from loyalty_lessons.report.customer_base_section import care_text, model_values
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
        base = data.customer_base
        if base.slipping_count():
            values = model_values(data)
            values["care"] = care_text(data, "customer_base.care_list")
            key = "actions.call_slipping" if base.at_risk_count() else "actions.call_lost_only"
            actions.append(m.text(key, **values))
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
    # Sized to the client: a named contact for the top 1% (or the few biggest, when the top 1%
    # is fewer), not for the whole top 20%, which may be thousands of customers.
    few = _concentration(data)
    actions.append(m.text("actions.protect_small" if few["small"] else "actions.protect_few", **few))
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
