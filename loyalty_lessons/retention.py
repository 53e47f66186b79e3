"""Retention measured from the transactions: who buys again the next year, who is new.

The closed-form value of keeping customers (:mod:`~loyalty_lessons.loyalty_value`) needs a
yearly retention and a flow of new customers; this module measures both from a business's
own transactions, counted from one :func:`~loyalty_lessons.scan.scan`:

- :func:`annual_retention`: the share of a calendar year's buyers who buy again the next
  calendar year;
- :func:`acquisition_counts`: new customers per month or year, dated by their first purchase;
- :func:`retention_coverage`: which of those yearly figures rest on two whole years of data.

A purchase is an order (or, without order ids, a customer's day) whose net amount is
positive, as in the customer summary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons.activity import Activity
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scan import checked_scan

__all__ = ["acquisition_counts", "annual_retention", "annual_retention_from_activity", "retention_coverage"]


def annual_retention(
    transactions: pd.DataFrame,
    *,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> pd.DataFrame:
    """Share of a calendar year's buyers who buy again the next calendar year.

    For each pair of consecutive calendar years (Y, Y + 1) that both have transactions
    in the data, retention is the share of customers with a purchase in Y who also have
    one in Y + 1; yearly defection is 1 - retention. A purchase is an order (or, without
    order ids, a customer's day) whose net amount is positive, as in the customer summary.
    A year the data cover only in part (the first or the last) has fewer purchases, which
    lowers the retention of its pair: compare such pairs with care.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Required columns ``customer_id``, ``date``, ``amount``; optional ``order_id``.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names; ``order_id_col`` is ignored when the column is absent.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``year`` (Y), ``customers`` (buyers in Y), ``retained`` (of
        them, buyers in Y + 1) and ``retention`` (retained / customers; NaN when Y has
        no purchases, only refunds).

    Raises
    ------
    LoyaltyDataError
        If a column is missing or the data do not cover two consecutive calendar years.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [10.0, 5.0, 8.0],
    ...                    "date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01"])})
    >>> annual_retention(tx)["retention"].tolist()
    [0.5]
    """
    activity = checked_scan(
        transactions,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return annual_retention_from_activity(activity)


def annual_retention_from_activity(activity: Activity) -> pd.DataFrame:
    """The :func:`annual_retention` of transactions already scanned by months, up to the
    scan's observation end: what :func:`annual_retention` and the client report compute it with.

    Parameters
    ----------
    activity : Activity
        From :func:`~loyalty_lessons.scan.scan` with ``unit="M"``.

    Returns
    -------
    pandas.DataFrame
        As :func:`annual_retention`.

    Raises
    ------
    LoyaltyDataError
        If the scanned transactions do not cover two consecutive calendar years.

    Examples
    --------
    >>> from loyalty_lessons.scan import scan
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [10.0, 5.0, 8.0],
    ...                    "date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01"])})
    >>> annual_retention_from_activity(scan(tx))["retained"].tolist()
    [1]
    """
    in_year = activity.in_periods("Y")
    years = activity.periods("Y").year.to_numpy(dtype="int64")
    covered = years[activity.per_period(activity.lines, "Y") > 0].tolist()
    # A buyer of year Y is retained if the same customer bought in year Y + 1.
    customers = pd.Series(np.count_nonzero(in_year, axis=1), index=years)
    retained = pd.Series(np.r_[np.count_nonzero(in_year[:-1] & in_year[1:], axis=1), 0], index=years)
    years = [y for y in covered if y + 1 in covered]
    if not years:
        raise LoyaltyDataError(
            f"Annual retention needs two consecutive calendar years; the data cover {covered}."
        )
    customers = customers.reindex(years, fill_value=0)
    retained = retained.reindex(years, fill_value=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        retention = np.where(customers > 0, retained / customers.where(customers > 0), np.nan)
    return pd.DataFrame(
        {
            "year": years,
            "customers": customers.to_numpy(),
            "retained": retained.to_numpy(),
            "retention": retention,
        }
    ).astype({"year": "int64", "customers": "int64", "retained": "int64", "retention": "float64"})


def acquisition_counts(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> pd.DataFrame:
    """New customers per month or year, dated by their first purchase.

    Every period from the first to the last transaction appears, with 0 when nobody new
    bought. A customer with refunds only never made a purchase and is not counted.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Required columns ``customer_id``, ``date``, ``amount``; optional ``order_id``.
    period : {"M", "Y"}, default "M"
        Months or calendar years.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names; ``order_id_col`` is ignored when the column is absent.

    Returns
    -------
    pandas.DataFrame
        ``period`` (pandas Period) and ``new_customers`` (int).

    Raises
    ------
    LoyaltyDataError
        If ``period`` is not "M" or "Y", a column is missing or there are no purchases.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [10.0, 5.0, 8.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-03-01", "2024-03-09"])})
    >>> acquisition_counts(tx)["new_customers"].tolist()
    [1, 0, 1]
    """
    if period not in ("M", "Y"):
        raise LoyaltyDataError(f"period must be 'M' (months) or 'Y' (years), got {period!r}.")
    activity = checked_scan(
        transactions,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    if not activity.buyers.any():
        raise LoyaltyDataError("There are no purchases (positive amounts) in the transactions.")
    periods = activity.periods(period)
    new = np.bincount(activity.first_periods(period), minlength=len(periods))
    return pd.DataFrame({"period": periods, "new_customers": new.astype("int64")})


def retention_coverage(
    retention: pd.DataFrame, *, first_date: str | pd.Timestamp, observation_end: str | pd.Timestamp
) -> pd.DataFrame:
    """Which pairs of years of :func:`annual_retention` are whole years.

    A customer of year Y who has not bought again by the end of the data is not counted as
    retained; when the data end in June of Y + 1, they had six months to come back, not
    twelve, and the figure is not a yearly one. A month counts as observed when the data
    reach into it (from the month of ``first_date`` to that of ``observation_end``).

    Parameters
    ----------
    retention : pandas.DataFrame
        From :func:`annual_retention`; required column ``year``.
    first_date, observation_end : date-like
        The first transaction date and the day the data end.

    Returns
    -------
    pandas.DataFrame
        ``retention`` with ``months_observed`` (of year Y, 1-12), ``months_observed_next``
        (of Y + 1) and ``complete`` (both twelve).

    Examples
    --------
    >>> retention = pd.DataFrame({"year": [1997], "retention": [0.23]})
    >>> coverage = retention_coverage(retention, first_date="1997-01-01", observation_end="1998-06-30")
    >>> coverage[["months_observed", "months_observed_next", "complete"]].values.tolist()
    [[12, 6, False]]
    """
    if "year" not in retention.columns:
        raise LoyaltyDataError("The frame has no column 'year'; build it with annual_retention().")
    start, end = pd.Timestamp(first_date), pd.Timestamp(observation_end)
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1

    def observed(years: np.ndarray) -> np.ndarray:
        months = years[:, None] * 12 + np.arange(12)[None, :]
        return ((months >= first) & (months <= last)).sum(axis=1)

    years = retention["year"].to_numpy(dtype="int64")
    out = retention.copy()
    out["months_observed"] = observed(years).astype("int64")
    out["months_observed_next"] = observed(years + 1).astype("int64")
    out["complete"] = (out["months_observed"] == 12) & (out["months_observed_next"] == 12)
    return out
