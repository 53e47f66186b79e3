"""The report's loyalty-value section: what a regular customer spent against an occasional one
over the months measured, the measured repurchase rate, and, from whole years only, the
expected lifetime and what some points of it are worth, with the client's own figures
(:func:`loyalty_value_section`).

Only figures the data support: no spend is extrapolated over years nobody has watched, and
the rules of thumb of the practitioners' articles (the 15–20% yearly defection, the cost of
keeping against winning a customer) are left to lesson 04, where they are discussed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from loyalty_lessons.loyalty_value.lifetime import expected_lifetime_years

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import direction as _direction
from loyalty_lessons.report._common import next_year as _next_year
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import spend_comparison
from loyalty_lessons.report.data import ReportData

__all__ = ["loyalty_value_section"]


def _spend_by_type(data: ReportData) -> Markup | None:
    """What a regular customer spends against an occasional one: out of sample (types at a split
    date, spend over the months after it) when the data allow, with what that difference came
    to over those months; else since the first purchase, said to be descriptive. Nothing is
    extrapolated beyond the months measured."""
    m, result = data.m, data.future_uplift
    source = data.profile if result is None else result.profile
    profile = source.set_index(source["type"].astype("str"))
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    if not (np.isfinite(loyal) and np.isfinite(satisfied) and loyal >= 0 and satisfied > 0):
        return None
    ratio = float(loyal / satisfied)
    suffix, values = spend_comparison(data, ratio, ratio, ratio)
    values.update(loyal=m.money(loyal, data.currency, 2), satisfied=m.money(satisfied, data.currency, 2))
    if result is None:
        return m.text("value.spend" + suffix, **values)
    months = float(result.holdout_months)
    return m.text(
        "value.spend_future" + suffix,
        **values,
        split=m.date(result.split),
        months=m.number(months),
        difference=m.money(abs(loyal - satisfied) * months, data.currency),
        gap_direction=_direction(data, loyal - satisfied),
    )


def _partial_notes(data: ReportData, row: pd.Series) -> list[Markup]:
    """Which measured pairs of years are not whole years, the headline's first."""
    m, notes = data.m, []
    if not bool(row["complete"]) and int(row["months_observed_next"]) < 12:
        notes.append(
            m.text(
                "value.partial",
                end=m.date(data.end),
                year=int(row["year"]) + 1,
                months=int(row["months_observed_next"]),
            )
        )
    others = data.retention[~data.retention["complete"] & (data.retention["year"] != row["year"])]
    if len(others):
        pairs = m.join([f"{int(y)}–{int(y) + 1}" for y in others["year"]])
        notes.append(m.text("value.partial_other", pairs=pairs))
    return notes


def loyalty_value_section(data: ReportData) -> Markup:
    """What loyalty is worth with the client's own figures: spend by type and retention."""
    m, spend = data.m, _spend_by_type(data)
    if data.retention is None or data.latest_retention is None:
        years_seen = ", ".join(str(y) for y in data.tables.yearly_revenue.index)
        return _section("loyalty_value", data, spend=spend, retention=None, years_seen=years_seen)
    # Each row names the months its customers had to come back: a year, or the part of it
    # the data hold ("the first 6 months of 1998"), never "the next year" for less.
    rows = [
        [
            int(r["year"]),
            m.number(r["customers"]),
            _next_year(data, r),
            m.number(r["retained"]),
            m.percent(r["retention"]),
        ]
        for _, r in data.retention.iterrows()
    ]
    row = data.latest_retention
    r = float(row["retention"])
    latest = m.text(
        "value.retention",
        year=int(row["year"]),
        next_year=_next_year(data, row),
        retention=m.percent(r),
        defection=m.percent(1 - r),
    )
    model_active = None
    if data.model_usable:  # the model's count of active customers, next to the repurchase rate
        model_active = m.text(
            "value.model_active",
            # Repeat buyers only: a one-time buyer's probability is 1 by the model's construction.
            active=m.number(data.customer_base.expected_active_repeat(data.summary)),
            customers=m.number(int((data.summary["frequency"] > 0).sum())),
            end=m.date(data.end),
        )
    yearly = int(row["months_observed_next"]) == 12
    if not yearly:
        lifetime = m.text("value.no_value")
    elif r < 1:
        lifetime = m.text("value.lifetime", lifetime=m.number(expected_lifetime_years(r), 1))
    else:
        lifetime = None
    uplift = basis = None
    if data.retention_value is not None:
        value, per_year = data.retention_value
        uplift = m.text(
            "value.uplift",
            before=m.percent(value.yearly_retention_before),
            after=m.percent(value.yearly_retention_after),
            years_before=m.number(value.lifetime_years_before, 1),
            years_after=m.number(value.lifetime_years_after, 1),
            per_customer=m.money(value.value_per_customer, data.currency),
            total=m.money(value.total_value, data.currency),
            customers=m.number(row["customers"]),
            year=int(row["year"]),
        )
        basis = m.text(
            "value.uplift_basis",
            spend=m.money(per_year, data.currency),
            year=int(row["year"]),
            discount=m.percent(data.assumptions["discount_rate_yearly"]),
        )
    return _section(
        "loyalty_value",
        data,
        spend=spend,
        retention=rows,
        latest=latest,
        model_active=model_active,
        lifetime=lifetime,
        partial=_partial_notes(data, row),
        uplift=uplift,
        uplift_basis=basis,
    )
