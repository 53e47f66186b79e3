"""Everything the report needs from the transactions, aggregated by DuckDB in one go.

The client report never needs the transactions row by row: it needs the per-customer
summary, the monthly monitoring table, the cohorts, the annual retention and each year's
revenue. :func:`aggregate` computes them all from a DataFrame or from a Parquet file of any
size. The transactions are read once and grouped into orders, a share of the customers at
a time past ``PARTITION_ROWS`` rows so that memory stays flat; one pass over the orders
gives the customer summary and, for each customer, the months in which they bought, as
bits. The counts of distinct customers per month, per cohort and per year then come from
those bits in NumPy, instead of from one more pass over the orders each. The results are
small pandas tables equal to what
:func:`~loyalty_lessons.customers.customer_summary`,
:func:`~loyalty_lessons.monitoring.monitoring_table`,
:func:`~loyalty_lessons.monitoring.cohort_counts` and
:func:`~loyalty_lessons.loyalty_value.annual_retention` give (``tests/test_aggregates.py``
checks it); ``docs/warehouse.md`` gives the per-customer and per-month tables as standard SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons import customers as cs
from loyalty_lessons import loyalty_value as lv
from loyalty_lessons import monitoring as mon
from loyalty_lessons._read import connect, frame
from loyalty_lessons.customer_types import TYPE_RULES
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["Aggregates", "aggregate"]

#: SQL giving the pandas ``Period`` ordinal of ``date`` for each supported period.
_ORDINALS = {
    "M": "(year(date) - 1970) * 12 + month(date) - 1",
    "Q": "(year(date) - 1970) * 4 + quarter(date) - 1",
    "Y": "year(date) - 1970",
}

# Per period of the lines (every row up to $end, refunds included): net revenue.
_LINES_SQL = """
SELECT {ordinal} AS ordinal, sum(amount) AS revenue, min(date) AS first_date
FROM (SELECT CAST(date AS DATE) AS date, CAST(amount AS DOUBLE) AS amount
      FROM transactions WHERE CAST(date AS DATE) <= $end)
GROUP BY ordinal
"""

# Purchases of one share per month.
_ORDERS_PER_MONTH_SQL = """
SELECT {ordinal} AS ordinal, count(*) AS orders
FROM share_orders WHERE amount > 0
GROUP BY ordinal
"""

#: Months in each supported period.
_MONTHS = {"M": 1, "Q": 3, "Y": 12}

#: Months a column of purchase-month bits holds.
_BITS = 64


def _month_bits(first_month: int, months: int) -> tuple[str, list[str]]:
    """Aggregates of the per-customer query giving the months of each customer's purchases as
    bits, and the names of their columns.

    Bit ``j`` of column ``months_k`` is set when the customer bought in month ordinal
    ``first_month + 64 * k + j``; one UBIGINT column per 64 months of data.
    """
    month = _ORDINALS["M"]
    sql, names = [], []
    for k in range(-(-months // _BITS)):
        low = first_month + _BITS * k
        # The shift is taken modulo 64, so that it never overflows on the rows the filter drops,
        # and as UBIGINT, so that the result stays UBIGINT (a BIGINT shift gives a HUGEINT,
        # which reaches pandas as float64 and loses the low bits).
        sql.append(f", coalesce(bit_or(1::UBIGINT << ((({month} - {low}) & {_BITS - 1})::UBIGINT)) "
                   f"FILTER (amount > 0 AND {month} BETWEEN {low} AND {low + _BITS - 1}), 0) AS months_{k}")
        names.append(f"months_{k}")
    return "".join(sql), names


def _bought(masks: np.ndarray, months: int) -> np.ndarray:
    """Months x customers booleans from the UBIGINT columns of :func:`_month_bits`.

    Months are rows, so that what follows (folding months into periods, counting the buyers of
    a period) runs along contiguous rows of a million customers.
    """
    bought = np.empty((months, len(masks)), dtype=bool)
    for month in range(months):
        bit = np.uint64(1) << np.uint64(month % _BITS)
        np.not_equal(masks[:, month // _BITS] & bit, 0, out=bought[month])
    return bought


def _by_periods(bought: np.ndarray, first_month: int, period: str) -> tuple[np.ndarray, int]:
    """Months of purchase folded into periods ("M", "Q" or "Y"), periods x customers; also the
    first period's ordinal."""
    size = _MONTHS[period]
    ordinals = (first_month + np.arange(len(bought))) // size
    starts = np.flatnonzero(np.r_[True, ordinals[1:] != ordinals[:-1]])
    ends = np.r_[starts[1:], len(ordinals)]
    # One OR over each period's rows (ten times faster than np.logical_or.reduceat here).
    return np.stack([bought[start:end].any(axis=0) for start, end in zip(starts, ends)]), int(ordinals[0])


def _cohort_counts(bought: np.ndarray, first: int, cohort: np.ndarray) -> pd.Series:
    """Buyers per (cohort ordinal, periods since), from periods x customers booleans and each
    customer's first period (its row in ``bought``)."""
    order = np.argsort(cohort, kind="stable")
    cohorts, starts = np.unique(cohort[order], return_index=True)
    ends = np.r_[starts[1:], len(order)]
    keys, counts = [], []
    for c, start, end in zip(cohorts, starts, ends):
        per_period = np.count_nonzero(bought[c:, order[start:end]], axis=1)
        keys += [(first + c, since) for since in range(len(per_period))]
        counts.append(per_period)
    index = pd.MultiIndex.from_tuples(keys, names=["cohort", "since"])
    return pd.Series(np.concatenate(counts).astype("int64"), index=index, name="customers")


@dataclass
class Aggregates:
    """The report's tables, computed by :func:`aggregate`.

    Attributes
    ----------
    observation_end : Timestamp
        The day the figures are as of; later transactions are left out of every table.
    first_date : Timestamp
        The first transaction date.
    summary : DataFrame
        ``customer_summary(transactions, observation_end=...)``.
    orders_in_window : Series
        Each customer's purchases in the ``window_days`` days up to observation end, by
        customer id (for ``classify_customers(summary, orders_in_window=...)``).
    window_days : int
    monthly : DataFrame
        ``monitoring_table(transactions, period="M", observation_end=...,
        early_defection_days=...)``.
    cohorts : DataFrame or None
        ``cohort_counts(transactions, period=cohort_period, observation_end=...)``; None
        when there is no purchase.
    retention : DataFrame or None
        ``annual_retention`` of the transactions up to observation end; None when they do
        not cover two consecutive calendar years.
    yearly_revenue : Series
        Net revenue of each calendar year (index ``year``).
    """

    observation_end: pd.Timestamp
    first_date: pd.Timestamp
    summary: pd.DataFrame
    orders_in_window: pd.Series
    window_days: int
    monthly: pd.DataFrame
    cohorts: pd.DataFrame | None
    retention: pd.DataFrame | None
    yearly_revenue: pd.Series


def _combine(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Per-share counts added up (customers are in exactly one share)."""
    return pd.concat(parts, ignore_index=True).groupby(keys).sum()


def _by_period(frame: pd.DataFrame, column: str, period: str) -> pd.Series:
    ordinals = frame.index.to_numpy(dtype="int64")
    return pd.Series(frame[column].to_numpy(), index=pd.PeriodIndex.from_ordinals(ordinals, freq=period))


def aggregate(
    transactions: pd.DataFrame | str | Path,
    *,
    observation_end: str | pd.Timestamp | None = None,
    cohort_period: str = "Q",
    early_defection_days: int = 180,
    window_days: int = TYPE_RULES["loyal_window_days"],
    one_line_orders: bool = False,
) -> Aggregates:
    """Compute the report's tables from canonical transactions, in DuckDB.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id``), e.g. the file :func:`~loyalty_lessons.transactions_to_parquet`
        writes. A file is read by DuckDB, never loaded whole.
    observation_end : date-like, optional
        Defaults to the last transaction date.
    cohort_period : {"M", "Q", "Y"}
        Length of a cohort.
    early_defection_days : int
        As in :func:`~loyalty_lessons.monitoring.monitoring_table`.
    window_days : int
        Window of ``orders_in_window`` (the loyal rule's, by default).
    one_line_orders : bool
        Every row is an order of its own, as ``LoadReport.one_line_orders`` says: lines are
        not grouped into orders (see :func:`~loyalty_lessons.customers.customer_summary`).

    Returns
    -------
    Aggregates

    Raises
    ------
    LoyaltyDataError
        If a column is missing, ``cohort_period`` is not supported or no transaction falls
        on or before ``observation_end``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 8.0],
    ...                    "date": pd.to_datetime(["2023-03-01", "2024-02-01", "2024-02-03"])})
    >>> tables = aggregate(tx)
    >>> tables.summary["orders"].tolist(), tables.retention["retention"].tolist()
    ([2, 1], [1.0])
    >>> int(tables.monthly["new_customers"].sum()), tables.yearly_revenue.to_dict()
    (2, {2023: 10.0, 2024: 13.0})
    """
    if cohort_period not in _ORDINALS:
        raise LoyaltyDataError(f"cohort_period={cohort_period!r} is not supported; use one of {sorted(_ORDINALS)}.")
    columns, rows = cs._shape(transactions)
    missing = [c for c in ("customer_id", "date", "amount") if c not in columns]
    if missing:
        raise LoyaltyDataError(f"The transactions have no column {', '.join(map(repr, missing))}; columns found: "
                               f"{columns}. Load the export with load_transactions() or transactions_to_parquet().")
    has_orders = "order_id" in columns
    con = connect()
    try:
        cs._register(con, transactions, ["customer_id", "date", "amount", "order_id" if has_orders else None])
        con.execute("SET preserve_insertion_order = false")  # results are sorted or keyed at the end
        if observation_end is None:
            last = con.execute("SELECT max(CAST(date AS DATE)) FROM transactions").fetchall()[0][0]
            end = pd.Timestamp(last) if last is not None else None
        else:
            end = pd.Timestamp(observation_end).normalize()
        lines = con.execute(_LINES_SQL.format(ordinal=_ORDINALS["M"]),
                            {"end": None if end is None else end.date()}).df().set_index("ordinal")
        if lines.empty:
            raise LoyaltyDataError("There are no transactions" + ("" if end is None else
                                   f" on or before observation_end={end.date()}; choose a later observation_end")
                                   + ": there is nothing to aggregate.")
        parameters = {"end": end.date(), "unit": 1, "since": (end - pd.Timedelta(days=window_days)).date()}
        first_month = int(lines.index.min())
        months = int(pd.Timestamp(end).to_period("M").ordinal) - first_month + 1
        bits, mask_columns = _month_bits(first_month, months)
        shares = max(1, -(-rows // cs.PARTITION_ROWS))
        orders_per_month = []
        for share in range(shares):
            fields = cs._sql_fields(has_orders, "D", shares, share, "customer_id", "date", "amount", "order_id",
                                    one_line_orders)
            orders = cs._ORDERS_SQL.format(**fields) + "SELECT * FROM orders"
            con.execute(f"CREATE OR REPLACE TEMP TABLE share_orders AS {orders}", {"end": parameters["end"]})
            per_customer = ("WITH orders AS (SELECT * FROM share_orders)" + cs._PER_CUSTOMER_SQL + cs._SUMMARY_SELECT)
            con.execute(f"CREATE TEMP TABLE customers_{share} AS " + per_customer.format(
                **fields, more_aggregates=", count(*) FILTER (amount > 0 AND date > $since) AS orders_in_window"
                + bits, more_columns=", orders_in_window, " + ", ".join(mask_columns)), parameters)
            orders_per_month.append(con.execute(_ORDERS_PER_MONTH_SQL.format(ordinal=_ORDINALS["M"])).df())
        every = " UNION ALL ".join(f"SELECT * FROM customers_{share}" for share in range(shares))
        summary = frame(con, f"{every} ORDER BY customer_id")
    finally:
        con.close()

    buyers = (summary["orders"] > 0).to_numpy()  # customers with refunds only are left out
    masks = np.column_stack([summary[column].to_numpy(dtype="uint64") for column in mask_columns])
    bought = _bought(masks[buyers], months)
    summary = cs._summary_types(summary.drop(columns=mask_columns))
    month_index = pd.PeriodIndex.from_ordinals(first_month + np.arange(months), freq="M")
    # New customers and early defections (at most two purchases, the last one long enough
    # ago) per month of the first purchase, as monitoring._newcomers counts them.
    first_months = summary["first_purchase"].to_numpy()[buyers].astype("datetime64[M]").astype("int64") - first_month
    defected = ((summary["orders"] <= 2) & (summary["last_purchase"] + pd.Timedelta(days=early_defection_days)
                                             <= end)).to_numpy()[buyers]
    new = pd.Series(np.bincount(first_months, minlength=months), index=month_index)
    early = pd.Series(np.bincount(first_months, weights=defected, minlength=months), index=month_index)
    orders_per_month = _combine(orders_per_month, ["ordinal"])
    monthly = mon._monitoring_frame(
        first_day=pd.Timestamp(lines["first_date"].min()), new=new,
        active=pd.Series(np.count_nonzero(bought, axis=1), index=month_index),
        orders=_by_period(orders_per_month, "orders", "M"), revenue=_by_period(lines, "revenue", "M"),
        early=early, end=end, period="M", early_defection_days=early_defection_days)
    if buyers.any():
        in_cohort_period, first_period = _by_periods(bought, first_month, cohort_period)
        cohort = (first_month + first_months) // _MONTHS[cohort_period] - first_period
        cohorts = _cohort_counts(in_cohort_period, first_period, cohort)
    else:
        cohorts = pd.Series()
    yearly_revenue = lines["revenue"].groupby(lines.index // 12 + 1970).sum().rename_axis("year")
    in_year, first_year = _by_periods(bought, first_month, "Y")
    years = first_year + 1970 + np.arange(len(in_year))
    buyers_per_year = pd.Series(np.count_nonzero(in_year, axis=1), index=years)
    retained = pd.Series(np.r_[np.count_nonzero(in_year[:-1] & in_year[1:], axis=1), 0], index=years)
    try:
        retention = lv._retention_frame(sorted(yearly_revenue.index), buyers_per_year, retained)
    except LoyaltyDataError:
        retention = None
    return Aggregates(
        observation_end=end,
        first_date=pd.Timestamp(lines["first_date"].min()),
        summary=summary[cs.SUMMARY_COLUMNS],
        orders_in_window=summary.set_index("customer_id")["orders_in_window"].astype("int64"),
        window_days=window_days,
        monthly=monthly,
        cohorts=mon._cohort_frame(cohorts, end=end, period=cohort_period) if len(cohorts) else None,
        retention=retention,
        yearly_revenue=yearly_revenue,
    )
