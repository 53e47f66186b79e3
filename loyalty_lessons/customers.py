"""One row per customer: the per-customer summary every lesson starts from.

The summary is computed by one SQL query (DuckDB over the pandas frame or a Parquet file; the
query and the orders it starts from are in :mod:`~loyalty_lessons.orders`), so the same query
runs unchanged in a data warehouse on tables too big for a laptop; see ``docs/warehouse.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import (
    ORDERS_SQL,
    SUMMARY_COLUMNS,
    SUMMARY_SQL,
    TIME_UNITS,
    last_date,
    query,
    shape,
    summary_types,
)

__all__ = ["customer_summary", "purchases", "summary_for", "SUMMARY_COLUMNS", "TIME_UNITS"]


def purchases(
    transactions: pd.DataFrame | str | Path,
    *,
    observation_end: str | pd.Timestamp | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> pd.DataFrame:
    """One row per purchase, as :func:`customer_summary` counts them.

    A purchase is an order (an ``order_id``, or a customer's purchase day for rows without
    one) whose net amount is positive, dated by its first line, up to ``observation_end``.
    ``transactions`` is a DataFrame or a Parquet file, as for :func:`customer_summary`.

    Returns
    -------
    DataFrame
        ``customer_id``, ``date``, ``amount`` (the order's net amount), sorted by customer
        and date.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a"], "amount": [10.0, -10.0, 5.0],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"])})
    >>> purchases(tx)  # the first day's purchase was refunded whole
      customer_id       date  amount
    0           a 2024-01-02     5.0
    """
    end = pd.Timestamp(observation_end) if observation_end is not None else last_date(transactions, date_col)
    sql = ORDERS_SQL + (
        "SELECT customer_id, CAST(date AS TIMESTAMP) AS date, amount FROM orders WHERE amount > 0"
    )
    result = query(
        sql,
        transactions,
        order_by="customer_id, date, amount",
        observation_end=end,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    result["customer_id"] = result["customer_id"].astype("str")
    result["date"] = result["date"].astype("datetime64[us]")
    return result


def customer_summary(
    transactions: pd.DataFrame | str | Path,
    *,
    observation_end: str | pd.Timestamp | None = None,
    time_unit: str = "D",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """Summarise transactions into one row per customer.

    A *purchase* is an order (an ``order_id``) or, for rows without an order id, a
    customer's purchase period (a day by default), counted only when its net amount
    is positive: a refund is not a purchase, though it lowers ``revenue``. When several
    orders fall on a customer's first day, the smaller counts as the first purchase.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions with ``customer_id``, ``date``, ``amount`` and
        optionally ``order_id`` (see ``docs/data.md``). A Parquet file (as
        :func:`~loyalty_lessons.transactions_to_parquet` writes) is read by DuckDB
        directly, never loaded whole: the way to summarise millions of rows.
    observation_end : date-like, optional
        The day the observation ends; later transactions are left out of the summary.
        Defaults to the last date in the data.
    time_unit : {"D", "W"}
        Unit of ``frequency``, ``recency`` and ``T``: days or weeks (Monday to
        Sunday). Without an order id, purchases are counted once per customer and
        unit, as lifetimes does.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names. ``order_id_col`` is ignored when the column is absent.
    one_line_orders : bool
        Say that every row is an order of its own (no two rows have the same customer and
        order id), as the loading step finds out (``LoadReport.one_line_orders``): lines
        are then not grouped into orders, which is faster and gives the same summary. Leave
        it False when unsure: with orders of several lines, True would count each line as
        a purchase.
    engine : {"duckdb", "spark"}
        Where the SQL runs: embedded DuckDB, or Apache Spark (:mod:`loyalty_lessons.spark`,
        the session of :func:`~loyalty_lessons.spark.session`), which also takes a Spark
        DataFrame. Both give the same table.

    Returns
    -------
    DataFrame
        One row per customer, sorted by ``customer_id``:

        - ``customer_id``
        - ``first_purchase``, ``last_purchase``: dates of the first and last purchase
          (of the first and last transaction for a customer with none)
        - ``orders``: number of purchases
        - ``revenue``: net amount, refunds included
        - ``average_order_value``: revenue / orders
        - ``days_since_last``: days from the last purchase to observation end
        - ``tenure_days``: days from the first purchase to observation end
        - ``frequency``, ``recency``, ``T``, ``monetary_value``: as lifetimes'
          ``summary_data_from_transaction_data`` and pymc-marketing's ``rfm_summary``
          define them: repeat purchases, time from first to last purchase, time from
          first purchase to observation end (in ``time_unit``), and the mean value of
          the repeat purchases (0 without repeat purchases).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, the frame is empty or ``time_unit`` is unknown.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-11", "2024-01-06"]),
    ...     "amount": [10.0, 5.0, 30.0, 20.0],
    ... })
    >>> s = customer_summary(tx)
    >>> s[["customer_id", "orders", "revenue", "frequency", "recency", "T", "monetary_value"]]
      customer_id  orders  revenue  frequency  recency     T  monetary_value
    0           a       2     45.0          1     10.0  10.0            30.0
    1           b       1     20.0          0      0.0   5.0             0.0
    """
    if engine == "spark":
        from loyalty_lessons import spark

        return spark.customer_summary(
            transactions,
            observation_end=observation_end,
            time_unit=time_unit,
            customer_id_col=customer_id_col,
            date_col=date_col,
            amount_col=amount_col,
            order_id_col=order_id_col,
            one_line_orders=one_line_orders,
        )
    if engine != "duckdb":
        raise LoyaltyDataError(f"engine={engine!r} is not supported; use 'duckdb' or 'spark'.")
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"time_unit={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} (days or weeks)."
        )
    found, rows = shape(transactions)
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in found]
    if missing:
        raise LoyaltyDataError(
            f"The transactions have no column {', '.join(map(repr, missing))}; "
            f"columns found: {found}. Pass customer_id_col=, "
            "date_col= or amount_col= to name them, or load the file with load_transactions()."
        )
    if rows == 0:
        raise LoyaltyDataError("The transactions are empty: there is no customer to summarise.")

    end = pd.Timestamp(observation_end) if observation_end is not None else last_date(transactions, date_col)
    result = query(
        SUMMARY_SQL,
        transactions,
        order_by="customer_id",
        observation_end=end,
        time_unit=time_unit,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
        one_line_orders=one_line_orders,
    )
    return summary_types(result)[SUMMARY_COLUMNS]


def summary_for(
    transactions: pd.DataFrame,
    summary: pd.DataFrame | None,
    observation_end,
    needed: list[str],
    *,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The customer summary a typing rule works on, and the observation end.

    ``transactions`` is checked to have its columns; the observation end is
    ``observation_end`` or its last date; the summary is ``summary`` when given, else
    :func:`customer_summary` of ``transactions`` at that end, and is checked to hold the
    customer id and ``needed``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing, saying how to name it or how to build the summary.
    """
    from loyalty_lessons._checks import end_of_observation, require_columns

    require_columns(
        transactions,
        [customer_id_col, date_col, amount_col],
        "transactions table",
        "pass customer_id_col=, date_col= or amount_col= to name the columns.",
    )
    end = end_of_observation(transactions, date_col, observation_end)
    if summary is None:
        summary = customer_summary(
            transactions,
            observation_end=end,
            customer_id_col=customer_id_col,
            date_col=date_col,
            amount_col=amount_col,
            order_id_col=order_id_col,
        )
    require_columns(
        summary,
        [customer_id_col, *needed],
        "customer summary",
        "build it with customer_summary(transactions).",
    )
    return summary, end
