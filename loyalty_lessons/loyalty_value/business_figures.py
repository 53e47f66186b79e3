"""The same sums with a business's own figures: the loyalty-value inputs measured from its data.

:func:`business_figures` estimates [fr-loyalty-value]'s inputs (monthly spend of satisfied
and loyal customers, yearly retention, active customers) from a customer summary, a type
profile (:func:`~loyalty_lessons.customer_types.profile.type_profile`) and the measured
retention (:func:`~loyalty_lessons.retention.annual_retention`, with the months of each pair
of years from :func:`~loyalty_lessons.retention.retention_coverage`). Only the pairs of years
the data cover whole go into the yearly retention: a pair whose second year is cut short
counts as lost the customers who would still come back later that year.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["BusinessFigures", "active_yearly_spend", "business_figures"]

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
    retention_from_year: int | None = None
    retention_to_year: int | None = None


def business_figures(
    summary: pd.DataFrame,
    profile: pd.DataFrame,
    retention: pd.DataFrame,
    *,
    whole_years_only: bool = True,
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
        From :func:`~loyalty_lessons.retention.retention_coverage` (the pairs of years of
        :func:`~loyalty_lessons.retention.annual_retention` with how many months of each the
        data cover); required columns ``year``, ``customers``, ``retained`` and ``complete``.
    whole_years_only : bool, default True
        Pool only the pairs of years whose ``complete`` is true. ``False`` pools every row
        given (``complete`` is then optional): for a caller that has chosen the pairs itself
        and tells its reader when they are not whole years, since the retention of a partial
        pair understates the yearly figure.

    Returns
    -------
    BusinessFigures
        ``customers`` (rows of ``summary``), ``active_customers`` (bought in the last 365
        days), ``monthly_spend`` (mean monthly spend of all typed customers, the mean of the
        types weighted by their counts), ``monthly_spend_satisfied`` and
        ``monthly_spend_loyal`` (per type), and ``yearly_retention``: the share of one
        calendar year's buyers who buy again the next year, pooled over the pairs of whole
        years (retained customers over customers, summed over the pairs), measured from
        ``retention_from_year`` (the first year of the first pair pooled) to
        ``retention_to_year`` (the second year of the last one).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, a type has no customers, no pair of years is covered whole
        (with ``whole_years_only``), or there are no buyers to measure retention on.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_id": ["a", "b", "c"], "days_since_last": [10, 400, 30]})
    >>> profile = pd.DataFrame({"type": ["dissatisfied", "satisfied", "loyal"],
    ...                         "customers": [1, 1, 1], "monthly_spend": [5.0, 50.0, 75.0]})
    >>> retention = pd.DataFrame({"year": [2023, 2024, 2025], "customers": [10, 30, 40],
    ...                           "retained": [8, 24, 10], "complete": [True, True, False]})
    >>> figures = business_figures(summary, profile, retention)
    >>> figures.active_customers, round(figures.monthly_spend, 2), figures.yearly_retention
    (2, 43.33, 0.8)
    >>> figures.retention_from_year, figures.retention_to_year
    (2023, 2025)
    """
    needed = ["year", "customers", "retained"] + (["complete"] if whole_years_only else [])
    for frame, columns, made_by in (
        (summary, ["customer_id", "days_since_last"], "customer_summary"),
        (profile, ["type", "customers", "monthly_spend"], "type_profile"),
        (retention, needed, "retention_coverage(annual_retention(...), ...)"),
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
    if whole_years_only:
        retention = _whole_years(retention)
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
        retention_from_year=int(retention["year"].min()),
        retention_to_year=int(retention["year"].max()) + 1,
    )


def _whole_years(retention: pd.DataFrame) -> pd.DataFrame:
    """The pairs of years the data cover whole, or a refusal that names the others."""
    whole = retention[retention["complete"].astype(bool)]
    if whole.empty:
        pairs = ", ".join(f"{y}-{y + 1}" for y in retention["year"].astype(int)) or "none"
        raise LoyaltyDataError(
            "No pair of calendar years is covered whole by the data (pairs measured: "
            f"{pairs}), so there is no yearly retention: a customer of the first year who "
            "would come back in the missing months of the second counts as lost. Measure it "
            "on data that cover two whole calendar years."
        )
    return whole


def active_yearly_spend(
    transactions: pd.DataFrame,
    *,
    observation_end: str | pd.Timestamp | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> float:
    """What an active customer spends in a year: the net revenue of the last 365 days per
    customer who bought in them.

    The yearly spend to weigh by retention for the customers who bought in the last 365 days
    (``BusinessFigures.active_customers``): ``monthly_spend`` averages every customer over
    the months since their first purchase, the long-silent ones and their months without a
    purchase included, so it already counts some of the leaving that retention counts again.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Required columns ``customer_id``, ``date`` (datetime) and ``amount``.
    observation_end : date-like or None, default None
        The last day of the data; None for the last transaction date.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    float
        Net revenue (refunds subtracted) dated from ``observation_end`` - 365 days to
        ``observation_end``, divided by the customers with a positive amount in those days.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or nobody bought in the last 365 days.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "amount": [10.0, 30.0, 20.0, 99.0],
    ...                    "date": pd.to_datetime(["2024-03-01", "2024-11-01", "2024-12-31", "2023-06-01"])})
    >>> active_yearly_spend(tx)
    30.0
    """
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in transactions.columns]
    if missing:
        raise LoyaltyDataError(f"The transactions have no column(s) {missing}.")
    dates = pd.to_datetime(transactions[date_col])
    end = pd.Timestamp(observation_end) if observation_end is not None else dates.max()
    recent = (dates >= end - pd.Timedelta(days=_ACTIVE_WITHIN_DAYS)) & (dates <= end)
    amounts = pd.to_numeric(transactions.loc[recent, amount_col])
    buyers = transactions.loc[recent, customer_id_col][amounts > 0].nunique()
    if buyers == 0:
        raise LoyaltyDataError(
            f"Nobody bought in the {_ACTIVE_WITHIN_DAYS} days up to {end:%Y-%m-%d}, "
            "so there is no active customer's yearly spend."
        )
    return float(amounts.sum()) / buyers
