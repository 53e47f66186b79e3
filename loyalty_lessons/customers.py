"""One row per customer: the per-customer summary every lesson starts from.

The summary is computed by one SQL query (DuckDB over the pandas frame), so the same
query runs unchanged in a data warehouse on tables too big for a laptop; see
``docs/warehouse.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loyalty_lessons._read import connect, frame
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["customer_summary", "purchases", "SUMMARY_COLUMNS", "TIME_UNITS"]

#: Length of each supported time unit, in days.
TIME_UNITS = {"D": 1, "W": 7}

SUMMARY_COLUMNS = [
    "customer_id",
    "first_purchase",
    "last_purchase",
    "orders",
    "revenue",
    "average_order_value",
    "days_since_last",
    "tenure_days",
    "frequency",
    "recency",
    "T",
    "monetary_value",
]

# The orders of the transactions up to $end ({orders}: one of the two below).
_ORDERS_SQL = """
WITH tx AS NOT MATERIALIZED (
    SELECT CAST({customer} AS VARCHAR) AS customer_id,
           CAST({date} AS DATE) AS date,
           CAST({amount} AS DOUBLE) AS amount
           {order_select}
    FROM transactions
    WHERE CAST({date} AS DATE) <= $end {partition}
),
orders AS (
    {orders}
)
"""

# An order is the lines of a customer with one purchase key ({key}: an order id, or the
# period of the date; {period}: the date floored to the time unit), or, when the rows are
# known to be one per order, each line.
_GROUPED_ORDERS = """SELECT customer_id, {key} AS purchase_key,
           min({period}) AS period, min(date) AS date, max(date) AS last_line, sum(amount) AS amount
    FROM tx
    GROUP BY customer_id, purchase_key"""
_LINE_ORDERS = "SELECT customer_id, {period} AS period, date, date AS last_line, amount FROM tx"

# Per customer, from its orders (a purchase is an order with a positive net amount), so
# that one scan of the transactions feeds both; {more_aggregates} adds aggregates.
# {period} and {last_line} name the orders' columns, or "date" when they hold the same
# values (days; one line per order), so that DuckDB computes each aggregate once.
_PER_CUSTOMER_SQL = """,
per_customer AS (
    SELECT customer_id,
           count(*) FILTER (amount > 0) AS orders,
           min(date) FILTER (amount > 0) AS first_purchase,
           max(date) FILTER (amount > 0) AS last_purchase,
           min({period}) FILTER (amount > 0) AS first_period,
           max({period}) FILTER (amount > 0) AS last_period,
           -- Orders on the first day tie; the smaller one counts as the first purchase. The key
           -- sorts by day, then by amount: the bits of a positive DOUBLE, read as an integer,
           -- sort as the number does (the query takes a third less time than with a
           -- {{date, amount}} struct key).
           sum(amount) FILTER (amount > 0)
               - arg_min(amount, (date - DATE '1970-01-01')::HUGEINT * 4294967296 * 4294967296
                                 + CAST(CAST(amount AS BIT) AS BIGINT)) FILTER (amount > 0) AS repeat_amount,
           sum(amount) AS revenue,
           min(date) AS first_seen, max({last_line}) AS last_seen, min({period}) AS first_seen_period
           {more_aggregates}
    FROM orders
    GROUP BY customer_id
)
"""

# The summary's columns (SUMMARY_COLUMNS) from per_customer; {more_columns} adds columns.
_SUMMARY_SELECT = """
SELECT customer_id,
       coalesce(first_purchase, first_seen) AS first_purchase,
       coalesce(last_purchase, last_seen) AS last_purchase,
       orders,
       revenue,
       revenue / nullif(orders, 0) AS average_order_value,
       $end - coalesce(last_purchase, last_seen) AS days_since_last,
       $end - coalesce(first_purchase, first_seen) AS tenure_days,
       greatest(orders - 1, 0) AS frequency,
       coalesce(last_period - first_period, 0) / $unit AS recency,
       ({end_period} - coalesce(first_period, first_seen_period)) / $unit AS T,
       coalesce(repeat_amount / nullif(orders - 1, 0), 0) AS monetary_value
       {more_columns}
FROM per_customer
"""

_SUMMARY_SQL = _ORDERS_SQL.rstrip() + _PER_CUSTOMER_SQL + _SUMMARY_SELECT


def _period_sql(column: str, time_unit: str) -> str:
    """SQL flooring a DATE to the start of its period (weeks end on Sunday, as in pandas)."""
    if time_unit == "D":
        return column
    # pandas' 'W' (W-SUN) periods run Monday to Sunday.
    return f"CAST(date_trunc('week', {column}) AS DATE)"


#: Rows grouped at once: bigger inputs are summarised a share of the customers at a time,
#: which keeps DuckDB's table of orders (one entry per order) small.
PARTITION_ROWS = 4_000_000


def _run(sql: str, order_by: str, transactions, end: pd.Timestamp, time_unit: str, customer_id_col: str,
         date_col: str, amount_col: str, order_id_col: str | None, one_line_orders: bool = False) -> pd.DataFrame:
    """Run one of the queries above over the transactions (a frame or a Parquet file), up to ``end``.

    Customers are split into shares by a hash of their id, each share is run on its own,
    and the results are put together sorted by ``order_by``.
    """
    columns, rows = _shape(transactions)
    has_orders = order_id_col is not None and order_id_col in columns
    shares = max(1, -(-rows // PARTITION_ROWS))
    parts = [sql.format(**_sql_fields(has_orders, time_unit, shares, share, customer_id_col, date_col, amount_col,
                                      order_id_col, one_line_orders), more_aggregates="", more_columns="")
             for share in range(shares)]
    con = connect()
    try:
        _register(con, transactions, [customer_id_col, date_col, amount_col, order_id_col if has_orders else None])
        # The result is sorted at the end: rows need not keep their order on the way, which
        # lets DuckDB scan and group on all cores.
        con.execute("SET preserve_insertion_order = false")
        parameters = {"end": end.date(), "unit": TIME_UNITS[time_unit]}
        parameters = {k: v for k, v in parameters.items() if f"${k}" in sql}
        for share, part in enumerate(parts):
            con.execute(f"CREATE TEMP TABLE share_{share} AS {part}", parameters)
        every = " UNION ALL ".join(f"SELECT * FROM share_{share}" for share in range(shares))
        return frame(con, f"{every} ORDER BY {order_by}")
    finally:
        con.close()


def _sql_fields(has_orders: bool, time_unit: str, shares: int, share: int, customer_id_col: str,
               date_col: str, amount_col: str, order_id_col: str | None,
               one_line_orders: bool = False) -> dict[str, str]:
    """What fills the slots of ``_ORDERS_SQL``, ``_PER_CUSTOMER_SQL`` and ``_SUMMARY_SELECT``.

    ``one_line_orders``: every row is an order of its own, so lines are not grouped.
    """
    q = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    period = _period_sql("date", time_unit)
    # Orders are grouped on a 64-bit hash of their id (much faster than on text); a
    # row without an order id is its own purchase of that period.
    key = f"CASE WHEN order_id IS NULL THEN hash({period}) ELSE hash(order_id) END" if has_orders else period
    orders = (_LINE_ORDERS if one_line_orders else _GROUPED_ORDERS).format(key=key, period=period)
    return dict(
        customer=q(customer_id_col),
        date=q(date_col),
        amount=q(amount_col),
        order_select=f", CAST({q(order_id_col)} AS VARCHAR) AS order_id" if has_orders and not one_line_orders
        else "",
        orders=orders,
        period="date" if time_unit == "D" else "period",
        last_line="date" if one_line_orders else "last_line",
        end_period=_period_sql("$end", time_unit),
        partition=f"AND hash({q(customer_id_col)}) % {shares} = {share}" if shares > 1 else "",
    )


def _register(con, transactions, needed: list[str | None]) -> None:
    """Make ``transactions`` (a DataFrame, or the path of a Parquet file) a view of ``con``."""
    if isinstance(transactions, pd.DataFrame):
        columns = [c for c in dict.fromkeys(needed) if c is not None and c in transactions]
        # DuckDB scans Arrow faster than pandas' string columns; the conversion shares memory.
        con.register("transactions", pa.Table.from_pandas(transactions[columns], preserve_index=False))
        return
    _shape(transactions)  # a clear error for a file that is not Parquet
    path = str(transactions).replace("'", "''")
    con.execute(f"CREATE VIEW transactions AS SELECT * FROM read_parquet('{path}')")


def _shape(transactions) -> tuple[list[str], int]:
    """Column names and number of rows of a DataFrame or a Parquet file."""
    if isinstance(transactions, pd.DataFrame):
        return list(transactions.columns), len(transactions)
    try:
        meta = pq.read_metadata(transactions)
    except (OSError, pa.ArrowException) as exc:
        raise LoyaltyDataError(f"'{transactions}' could not be read as a Parquet file of transactions ({exc}). "
                               "Pass a DataFrame, or a file written by transactions_to_parquet().") from None
    return meta.schema.names, meta.num_rows


def _last_date(transactions, date_col: str) -> pd.Timestamp:
    if isinstance(transactions, pd.DataFrame):
        return transactions[date_col].max()
    con = connect()
    try:
        _register(con, transactions, [])
        return pd.Timestamp(con.execute(f'SELECT max("{date_col}") FROM transactions').fetchall()[0][0])
    finally:
        con.close()


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
    end = pd.Timestamp(observation_end) if observation_end is not None else _last_date(transactions, date_col)
    sql = _ORDERS_SQL + "SELECT customer_id, CAST(date AS TIMESTAMP) AS date, amount FROM orders " \
                        "WHERE amount > 0"
    result = _run(sql, "customer_id, date, amount", transactions, end, "D", customer_id_col, date_col,
                  amount_col, order_id_col)
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
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"time_unit={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} "
            "(days or weeks)."
        )
    found, rows = _shape(transactions)
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in found]
    if missing:
        raise LoyaltyDataError(
            f"The transactions have no column {', '.join(map(repr, missing))}; "
            f"columns found: {found}. Pass customer_id_col=, "
            "date_col= or amount_col= to name them, or load the file with load_transactions()."
        )
    if rows == 0:
        raise LoyaltyDataError("The transactions are empty: there is no customer to summarise.")

    end = pd.Timestamp(observation_end) if observation_end is not None else _last_date(transactions, date_col)
    result = _run(_SUMMARY_SQL, "customer_id", transactions, end, time_unit, customer_id_col, date_col,
                  amount_col, order_id_col, one_line_orders)
    return _summary_types(result)[SUMMARY_COLUMNS]


def _summary_types(result: pd.DataFrame) -> pd.DataFrame:
    """The summary query's result with the summary's dtypes."""
    for column in ("first_purchase", "last_purchase"):
        result[column] = result[column].astype("datetime64[us]")
    for column in ("orders", "frequency", "days_since_last", "tenure_days"):
        result[column] = result[column].astype("int64")
    for column in ("revenue", "average_order_value", "recency", "T", "monetary_value"):
        result[column] = result[column].astype("float64")
    result["customer_id"] = result["customer_id"].astype("str")
    return result
