"""Cohorts: customers grouped by the period of their first purchase, followed period by period.

The lesson on monitoring loyalty ([fr-monitoring-loyalty]) watches new customers and how
many of them stay; a cohort table shows the second part month by month:

- :func:`cohort_counts`: how many of each cohort's customers buy 0, 1, 2, ... periods after
  their first purchase (:func:`cohort_counts_from_activity` from transactions already scanned);
- :func:`cohort_retention` and :func:`cohort_shares`: the same as shares of each cohort's size.

Orders, purchases and first purchases are defined as in :mod:`~loyalty_lessons.monitoring`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons.activity import Activity, check_period
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scan import checked_scan

__all__ = [
    "MIN_COHORT_SIZE",
    "cohort_counts",
    "cohort_counts_from_activity",
    "cohort_retention",
    "cohort_shares",
]

#: Fewest customers a cohort needs for the client report to show its shares: below it, one
#: customer more or less moves a share by 5 points or more, and the row would read like a
#: finding.
MIN_COHORT_SIZE = 20


def cohort_counts(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    observation_end: pd.Timestamp | str | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str = "order_id",
) -> pd.DataFrame:
    """Number of each first-purchase cohort's customers buying 0, 1, 2, ... periods later.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
    period : {"W", "M", "Q", "Y"}
        Length of a period.
    observation_end : Timestamp, str or None
        Last day observed; defaults to the last date in the data.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``Period``: the period of the first purchase; only cohorts with
        at least one customer), columns ``0, 1, 2, ...`` (periods since the first purchase,
        named ``periods_since_first``), nullable ``Int64`` counts of customers with a
        purchase in that period. Column 0 is the cohort size. Cells after the period of
        ``observation_end`` are ``<NA>``, not 0.

    Raises
    ------
    LoyaltyDataError
        As :func:`~loyalty_lessons.monitoring.monitoring_table`.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"]),
    ...     "amount": [40.0, 20.0, 30.0],
    ... })
    >>> cohort_counts(tx)[0].tolist()
    [1, 1]
    """
    check_period(period)
    activity = checked_scan(
        transactions,
        observation_end=observation_end,
        unit="W" if period == "W" else "M",
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return cohort_counts_from_activity(activity, period=period)


def cohort_counts_from_activity(activity: Activity, *, period: str = "M") -> pd.DataFrame:
    """The :func:`cohort_counts` of transactions already scanned (by months for "M", "Q" and
    "Y", by weeks for "W"): what :func:`cohort_counts` and the client report count them with.

    Parameters
    ----------
    activity : Activity
        From :func:`~loyalty_lessons.scan.scan`.
    period : {"W", "M", "Q", "Y"}
        Length of a period.

    Returns
    -------
    pandas.DataFrame
        As :func:`cohort_counts`.

    Raises
    ------
    LoyaltyDataError
        If no customer made a purchase, or ``period`` is not supported.

    Examples
    --------
    >>> from loyalty_lessons.scan import scan
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [40.0, 20.0, 30.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"])})
    >>> cohort_counts_from_activity(scan(tx))[1].tolist()
    [1, <NA>]
    """
    check_period(period)
    if not activity.buyers.any():
        raise LoyaltyDataError(
            "no purchase (order with a positive net amount) before observation_end: "
            "there are no cohorts to follow."
        )
    bought = activity.in_periods(period)
    cohort = activity.first_periods(period)
    # Customers sorted by cohort: each cohort is then a run of columns of ``bought``, whose
    # buyers are counted from the cohort's own period on.
    order = np.argsort(cohort, kind="stable")
    cohorts, starts = np.unique(cohort[order], return_index=True)
    ends = np.r_[starts[1:], len(order)]
    width = len(bought)
    values = np.zeros((len(cohorts), width - cohorts[0]), dtype="int64")
    for row, (c, start, end) in enumerate(zip(cohorts, starts, ends)):
        values[row, : width - c] = np.count_nonzero(bought[c:, order[start:end]], axis=1)
    # Cells after the period of observation_end are unknown, not 0.
    future = np.arange(values.shape[1])[None, :] >= (width - cohorts)[:, None]
    counts = pd.DataFrame(values).astype("Int64").mask(future)
    counts.index = pd.PeriodIndex.from_ordinals(activity.periods(period).asi8[cohorts], freq=period)
    counts.index.name = "cohort"
    counts.columns = pd.Index(range(values.shape[1]), name="periods_since_first")
    return counts


def cohort_retention(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    observation_end: pd.Timestamp | str | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str = "order_id",
) -> pd.DataFrame:
    """Share of each first-purchase cohort still buying 0, 1, 2, ... periods later.

    :func:`cohort_counts` divided by each cohort's size (its column 0); use
    ``cohort_counts(...)[0]`` for the cohort sizes.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
    period : {"W", "M", "Q", "Y"}
        Length of a period.
    observation_end : Timestamp, str or None
        Last day observed; defaults to the last date in the data. The period holding it
        counts as observed even when it is not over yet.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``Period``), columns ``periods_since_first`` ``0, 1, 2, ...``,
        float64 shares in [0, 1]; column 0 is 1.0; future cells are NaN.

    Raises
    ------
    LoyaltyDataError
        As :func:`~loyalty_lessons.monitoring.monitoring_table`.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "b"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-01-09", "2024-01-20"]),
    ...     "amount": [40.0, 20.0, 30.0, 15.0],
    ... })
    >>> cohort_retention(tx).loc[pd.Period("2024-01", "M")].tolist()
    [1.0, 0.5]
    """
    counts = cohort_counts(
        transactions,
        period=period,
        observation_end=observation_end,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return cohort_shares(counts)


def cohort_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`cohort_counts` as shares of each cohort's size: what :func:`cohort_retention` gives.

    Examples
    --------
    >>> counts = pd.DataFrame({0: [4, 2], 1: [1, pd.NA]}, dtype="Int64")
    >>> cohort_shares(counts)[1].tolist()
    [0.25, nan]
    """
    values = counts.to_numpy(dtype="float64", na_value=np.nan)
    shares = values / values[:, [0]]
    return pd.DataFrame(shares, index=counts.index, columns=counts.columns)
