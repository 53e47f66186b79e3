"""The same sums with a business's own figures: the loyalty-value inputs measured from its data.

:func:`business_figures` estimates [fr-loyalty-value]'s inputs (monthly spend of satisfied
and loyal customers, yearly retention, active customers) from a customer summary, a type
profile (:func:`~loyalty_lessons.customer_types.profile.type_profile`) and the measured
retention (:func:`~loyalty_lessons.retention.annual_retention`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["BusinessFigures", "business_figures"]

#: A customer who bought in the last this many days counts as active.
_ACTIVE_WITHIN_DAYS = 365


class BusinessFigures(NamedTuple):
    """A business's own inputs to the loyalty-value math (money per month, shares per year)."""

    customers: int
    active_customers: int
    monthly_spend: float
    monthly_spend_satisfied: float
    monthly_spend_loyal: float
    yearly_retention: float


def business_figures(
    summary: pd.DataFrame, profile: pd.DataFrame, retention: pd.DataFrame
) -> BusinessFigures:
    """The figures of [fr-loyalty-value]'s example, estimated from a business's own data.

    Parameters
    ----------
    summary : pandas.DataFrame
        The customer summary; required columns ``customer_id`` and ``days_since_last``.
    profile : pandas.DataFrame
        From :func:`loyalty_lessons.customer_types.type_profile`; required columns ``type``,
        ``customers`` and ``monthly_spend``, with at least one satisfied and one loyal customer.
    retention : pandas.DataFrame
        From :func:`annual_retention`; required columns
        ``customers`` and ``retained``.

    Returns
    -------
    BusinessFigures
        ``customers`` (rows of ``summary``), ``active_customers`` (bought in the last 365
        days), ``monthly_spend`` (mean monthly spend of all typed customers, the mean of the
        types weighted by their counts), ``monthly_spend_satisfied`` and
        ``monthly_spend_loyal`` (per type), and ``yearly_retention``: the share of one
        calendar year's buyers who buy again the next year, pooled over all pairs of years
        (retained customers over customers, summed over the pairs).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, a type has no customers, or there are no buyers to measure
        retention on.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_id": ["a", "b", "c"], "days_since_last": [10, 400, 30]})
    >>> profile = pd.DataFrame({"type": ["dissatisfied", "satisfied", "loyal"],
    ...                         "customers": [1, 1, 1], "monthly_spend": [5.0, 50.0, 75.0]})
    >>> retention = pd.DataFrame({"year": [2023, 2024], "customers": [10, 30], "retained": [8, 24]})
    >>> figures = business_figures(summary, profile, retention)
    >>> figures.active_customers, round(figures.monthly_spend, 2), figures.yearly_retention
    (2, 43.33, 0.8)
    """
    for frame, columns, made_by in (
        (summary, ["customer_id", "days_since_last"], "customer_summary"),
        (profile, ["type", "customers", "monthly_spend"], "type_profile"),
        (retention, ["customers", "retained"], "annual_retention"),
    ):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise LoyaltyDataError(f"The frame has no column(s) {missing}; build it with {made_by}().")
    by_type = profile.assign(type=profile["type"].astype(str)).set_index("type")
    spends = {}
    for kind in ("satisfied", "loyal"):
        if kind not in by_type.index or by_type.loc[kind, "customers"] == 0:
            raise LoyaltyDataError(
                f"No {kind} customers in the profile, so their monthly spend is unknown; "
                "loosen the type rules (classify_customers(rules=...)) or give the figure by hand."
            )
        spends[kind] = float(by_type.loc[kind, "monthly_spend"])
    counted = by_type[by_type["customers"] > 0]
    weights = counted["customers"].to_numpy(dtype=float)
    monthly = float(np.average(counted["monthly_spend"].to_numpy(dtype=float), weights=weights))
    buyers = int(retention["customers"].sum())
    if buyers == 0:
        raise LoyaltyDataError("The retention table has no buyers; it needs two years of purchases.")
    active = int((pd.to_numeric(summary["days_since_last"]) <= _ACTIVE_WITHIN_DAYS).sum())
    return BusinessFigures(
        customers=len(summary),
        active_customers=active,
        monthly_spend=monthly,
        monthly_spend_satisfied=spends["satisfied"],
        monthly_spend_loyal=spends["loyal"],
        yearly_retention=int(retention["retained"].sum()) / buyers,
    )
