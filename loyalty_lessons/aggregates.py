"""Everything the report needs from the transactions, aggregated by DuckDB in one go.

The client report never needs the transactions row by row: it needs the per-customer
summary, the monthly monitoring table, the cohorts, the annual retention and each year's
revenue. :func:`aggregate` computes them all from a DataFrame or from a Parquet file of any
size. The transactions are read once and grouped into orders; every table is counted from
those orders, a share of the customers at a time past ``PARTITION_ROWS`` rows so that
memory stays flat. The results are small pandas tables equal to what
:func:`~loyalty_lessons.customers.customer_summary`,
:func:`~loyalty_lessons.monitoring.monitoring_table`,
:func:`~loyalty_lessons.monitoring.cohort_counts` and
:func:`~loyalty_lessons.loyalty_value.annual_retention` give (``tests/test_aggregates.py``
checks it), and the same SQL runs in a warehouse (``docs/warehouse.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loyalty_lessons import customers as cs
from loyalty_lessons import loyalty_value as lv
from loyalty_lessons import monitoring as mon
from loyalty_lessons._read import connect
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

# Per month of the purchases of one share: purchases and (distinct) buying customers.
_ACTIVITY_SQL = """
SELECT {ordinal} AS ordinal, count(*) AS orders, count(DISTINCT customer_id) AS active
FROM share_orders WHERE amount > 0
GROUP BY ordinal
"""

# Customers of one share buying in each period, by cohort (period of the first purchase).
_COHORT_SQL = """
WITH pairs AS (SELECT DISTINCT customer_id, {ordinal} AS ordinal FROM share_orders WHERE amount > 0),
firsts AS (SELECT customer_id, min(ordinal) AS cohort FROM pairs GROUP BY customer_id)
SELECT cohort, ordinal - cohort AS since, count(*) AS customers
FROM pairs JOIN firsts USING (customer_id)
GROUP BY cohort, since
"""

# Buyers of one share in each calendar year, and how many of them bought the next year.
_YEARS_SQL = """
WITH buyers AS (SELECT DISTINCT customer_id, year(date) AS year FROM share_orders WHERE amount > 0)
SELECT b.year, count(*) AS customers, count(n.year) AS retained
FROM buyers b LEFT JOIN buyers n ON n.customer_id = b.customer_id AND n.year = b.year + 1
GROUP BY b.year
"""


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
        shares = max(1, -(-rows // cs.PARTITION_ROWS))
        activity, cohorts, years = [], [], []
        for share in range(shares):
            fields = cs._sql_fields(has_orders, "D", shares, share, "customer_id", "date", "amount", "order_id")
            orders = cs._ORDERS_SQL.format(**fields) + "SELECT * FROM orders"
            con.execute(f"CREATE OR REPLACE TEMP TABLE share_orders AS {orders}", {"end": parameters["end"]})
            per_customer = ("WITH orders AS (SELECT * FROM share_orders)" + cs._PER_CUSTOMER_SQL + cs._SUMMARY_SELECT)
            con.execute(f"CREATE TEMP TABLE customers_{share} AS " + per_customer.format(
                **fields, more_aggregates=", count(*) FILTER (amount > 0 AND date > $since) AS orders_in_window",
                more_columns=", orders_in_window"), parameters)
            activity.append(con.execute(_ACTIVITY_SQL.format(ordinal=_ORDINALS["M"])).df())
            cohorts.append(con.execute(_COHORT_SQL.format(ordinal=_ORDINALS[cohort_period])).df())
            years.append(con.execute(_YEARS_SQL).df())
        every = " UNION ALL ".join(f"SELECT * FROM customers_{share}" for share in range(shares))
        summary = cs._summary_types(con.execute(f"{every} ORDER BY customer_id").df())
    finally:
        con.close()

    buyers = summary[summary["orders"] > 0]
    new, early = mon._newcomers(buyers["first_purchase"], buyers["last_purchase"], buyers["orders"], end=end,
                                period="M", early_defection_days=early_defection_days)
    activity = _combine(activity, ["ordinal"])
    monthly = mon._monitoring_frame(
        first_day=pd.Timestamp(lines["first_date"].min()), new=new, active=_by_period(activity, "active", "M"),
        orders=_by_period(activity, "orders", "M"), revenue=_by_period(lines, "revenue", "M"), early=early,
        end=end, period="M", early_defection_days=early_defection_days)
    cohorts = _combine(cohorts, ["cohort", "since"])["customers"]
    yearly_revenue = lines["revenue"].groupby(lines.index // 12 + 1970).sum().rename_axis("year")
    years = _combine(years, ["year"])
    try:
        retention = lv._retention_frame(sorted(yearly_revenue.index), years["customers"], years["retained"])
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
