"""The report's loyalty-value section: what a regular customer spends against an occasional one
over the years, the measured retention, the expected lifetime and what some points of
retention are worth, with the client's own figures (:func:`loyalty_value_section`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from loyalty_lessons.formatting import currency_symbol
from loyalty_lessons.loyalty_value.lifetime import expected_lifetime_years
from loyalty_lessons.loyalty_value.spend_and_referrals import value_difference, value_over_years

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import direction as _direction
from loyalty_lessons.report._common import next_year as _next_year
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart

__all__ = ["loyalty_value_section"]


def _spend_by_type(data: ReportData) -> dict:
    """What a regular customer spends against an occasional one over the years, and its chart:
    out of sample (types at a split date, spend after it) when the data allow, else since the
    first purchase, said to be descriptive."""
    from loyalty_lessons.plots.loyalty_value import plot_value_over_years

    m, result = data.m, data.future_uplift
    source = data.profile if result is None else result.profile
    profile = source.set_index(source["type"].astype("str"))
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    years = int(data.assumptions["value_years"])
    if not (np.isfinite(loyal) and np.isfinite(satisfied) and loyal >= 0 and satisfied >= 0):
        return {"spend": None}
    gap = value_difference(
        monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years
    )
    frame = value_over_years(
        monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years
    )
    symbol = currency_symbol(data.currency, locale=data.language)
    texts = _texts(data, "loyalty_value")
    values = {
        "loyal": m.money(loyal, data.currency, 2),
        "satisfied": m.money(satisfied, data.currency, 2),
        "difference": m.money(abs(gap.total_difference), data.currency),
        "direction": _direction(data, gap.total_difference),
    }
    if result is None:
        spend = m.text("value.spend", **values)
    else:
        spend = m.text(
            "value.spend_future", **values, split=m.date(result.split), months=m.number(result.holdout_months)
        )
    return {
        "spend": spend,
        "value_chart": chart(
            m,
            lambda fig: plot_value_over_years(
                frame,
                ax=fig.subplots(),
                currency=symbol,
                names=(texts("regular"), texts("occasional")),
                texts=texts,
            ),
            (7.5, 4.0),
        ),
    }


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
        return _section("loyalty_value", data, **spend, retention=None, years_seen=years_seen)
    rows = [
        [r.year, m.number(r.customers), m.number(r.retained), m.percent(r.retention)]
        for r in data.retention.itertuples()
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
            active=m.number(data.customer_base.expected_active),
            customers=m.number(len(data.summary)),
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
        **spend,
        retention=rows,
        latest=latest,
        model_active=model_active,
        lifetime=lifetime,
        churn=m.text("value.churn"),
        partial=_partial_notes(data, row),
        uplift=uplift,
        uplift_basis=basis,
    )
