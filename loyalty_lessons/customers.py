"""One row per customer: the per-customer summary every lesson starts from.

The summary is computed by one SQL query (DuckDB over the pandas frame), so the same
query runs unchanged in a data warehouse on tables too big for a laptop; see
``docs/warehouse.md``.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from loyalty_lessons._read import connect
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

# The orders of the transactions up to $end: {key} is what makes one order (an order id,
# or the period of the date), {period} the date floored to the time unit.
_ORDERS_SQL = """
WITH tx AS (
    SELECT CAST({customer} AS VARCHAR) AS customer_id,
           CAST({date} AS DATE) AS date,
           CAST({amount} AS DOUBLE) AS amount
           {order_select}
    FROM transactions
    WHERE CAST({date} AS DATE) <= $end
),
orders AS (
    SELECT customer_id, {key} AS purchase_key,
           min({period}) AS period, min(date) AS date, sum(amount) AS amount
    FROM tx
    GROUP BY customer_id, purchase_key
)
"""

_SUMMARY_SQL = _ORDERS_SQL.rstrip() + """,
per_purchase AS (
    SELECT customer_id,
           count(*) AS orders,
           min(date) AS first_purchase,
           max(date) AS last_purchase,
           min(period) AS first_period,
           max(period) AS last_period,
           -- Orders on the first day tie; the smaller one counts as the first purchase.
           sum(amount) - arg_min(amount, {{'date': date, 'amount': amount}}) AS repeat_amount
    FROM orders
    WHERE amount > 0
    GROUP BY customer_id
),
per_customer AS (
    SELECT customer_id, sum(amount) AS revenue,
           min(date) AS first_seen, max(date) AS last_seen, min({period}) AS first_seen_period
    FROM tx
    GROUP BY customer_id
)
SELECT c.customer_id,
       coalesce(p.first_purchase, c.first_seen) AS first_purchase,
       coalesce(p.last_purchase, c.last_seen) AS last_purchase,
       coalesce(p.orders, 0) AS orders,
       c.revenue,
       c.revenue / nullif(p.orders, 0) AS average_order_value,
       $end - coalesce(p.last_purchase, c.last_seen) AS days_since_last,
       $end - coalesce(p.first_purchase, c.first_seen) AS tenure_days,
       greatest(coalesce(p.orders, 0) - 1, 0) AS frequency,
       coalesce(p.last_period - p.first_period, 0) / $unit AS recency,
       ({end_period} - coalesce(p.first_period, c.first_seen_period)) / $unit AS T,
       coalesce(p.repeat_amount / nullif(p.orders - 1, 0), 0) AS monetary_value
FROM per_customer c LEFT JOIN per_purchase p USING (customer_id)
ORDER BY c.customer_id
"""


def _period_sql(column: str, time_unit: str) -> str:
    """SQL flooring a DATE to the start of its period (weeks end on Sunday, as in pandas)."""
    if time_unit == "D":
        return column
    # pandas' 'W' (W-SUN) periods run Monday to Sunday.
    return f"CAST(date_trunc('week', {column}) AS DATE)"


def _run(sql: str, transactions: pd.DataFrame, end: pd.Timestamp, time_unit: str, customer_id_col: str,
         date_col: str, amount_col: str, order_id_col: str | None) -> pd.DataFrame:
    """Run one of the queries above over the transactions, up to ``end``."""
    has_orders = order_id_col is not None and order_id_col in transactions
    q = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    period = _period_sql("date", time_unit)
    sql = sql.format(
        customer=q(customer_id_col),
        date=q(date_col),
        amount=q(amount_col),
        order_select=f", CAST({q(order_id_col)} AS VARCHAR) AS order_id" if has_orders else "",
        # Orders are grouped on a 64-bit hash of their id (much faster than on text); a
        # row without an order id is its own purchase of that period.
        key=f"CASE WHEN order_id IS NULL THEN hash({period}) ELSE hash(order_id) END" if has_orders else period,
        period=period,
        end_period=_period_sql("$end", time_unit),
    )
    con = connect()
    try:
        needed = [customer_id_col, date_col, amount_col] + ([order_id_col] if has_orders else [])
        # DuckDB scans Arrow faster than pandas' string columns; the conversion shares memory.
        con.register("transactions", pa.Table.from_pandas(transactions[needed], preserve_index=False))
        parameters = {"end": end.date(), "unit": TIME_UNITS[time_unit]}
        return con.execute(sql, {k: v for k, v in parameters.items() if f"${k}" in sql}).df()
    finally:
        con.close()


def purchases(
    transactions: pd.DataFrame,
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
    end = pd.Timestamp(observation_end) if observation_end is not None else transactions[date_col].max()
    sql = _ORDERS_SQL + "SELECT customer_id, CAST(date AS TIMESTAMP) AS date, amount FROM orders " \
                        "WHERE amount > 0 ORDER BY customer_id, date, amount"
    result = _run(sql, transactions, end, "D", customer_id_col, date_col, amount_col, order_id_col)
    result["customer_id"] = result["customer_id"].astype("str")
    result["date"] = result["date"].astype("datetime64[us]")
    return result


def customer_summary(
    transactions: pd.DataFrame,
    *,
    observation_end: str | pd.Timestamp | None = None,
    time_unit: str = "D",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> pd.DataFrame:
    """Summarise transactions into one row per customer.

    A *purchase* is an order (an ``order_id``) or, for rows without an order id, a
    customer's purchase period (a day by default), counted only when its net amount
    is positive: a refund is not a purchase, though it lowers ``revenue``. When several
    orders fall on a customer's first day, the smaller counts as the first purchase.

    Parameters
    ----------
    transactions : DataFrame
        Canonical transactions with ``customer_id``, ``date``, ``amount`` and
        optionally ``order_id`` (see ``docs/data.md``).
    observation_end : date-like, optional
        The day the observation ends; later transactions are left out of the summary.
        Defaults to the last date in the data.
    time_unit : {"D", "W"}
        Unit of ``frequency``, ``recency`` and ``T``: days or weeks (Monday to
        Sunday). Without an order id, purchases are counted once per customer and
        unit, as lifetimes does.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names. ``order_id_col`` is ignored when the column is absent.

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
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in transactions]
    if missing:
        raise LoyaltyDataError(
            f"The transactions have no column {', '.join(map(repr, missing))}; "
            f"columns found: {list(transactions.columns)}. Pass customer_id_col=, "
            "date_col= or amount_col= to name them, or load the file with load_transactions()."
        )
    if transactions.empty:
        raise LoyaltyDataError("The transactions are empty: there is no customer to summarise.")

    end = pd.Timestamp(observation_end) if observation_end is not None else transactions[date_col].max()
    result = _run(_SUMMARY_SQL, transactions, end, time_unit, customer_id_col, date_col, amount_col, order_id_col)
    for column in ("first_purchase", "last_purchase"):
        result[column] = result[column].astype("datetime64[us]")
    for column in ("orders", "frequency", "days_since_last", "tenure_days"):
        result[column] = result[column].astype("int64")
    for column in ("revenue", "average_order_value", "recency", "T", "monetary_value"):
        result[column] = result[column].astype("float64")
    result["customer_id"] = result["customer_id"].astype("str")
    return result[SUMMARY_COLUMNS]
