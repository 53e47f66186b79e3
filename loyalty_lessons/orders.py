"""Orders and purchase periods: the SQL that every figure of the transactions comes from.

An **order** is a customer's order id or, for a row without one, the customer's purchase
day (or week: ``TIME_UNITS``); a **purchase** is an order whose net amount, refund lines
included, is positive. This module holds the SQL that groups transactions into orders and
orders into one row per customer, run by DuckDB over a DataFrame or a Parquet file of any
size (a share of the customers at a time past ``PARTITION_ROWS`` rows, so that memory stays
flat), and the scan that every figure per period is counted from:

- :func:`query` runs one of these queries (``ORDERS_SQL``, ``SUMMARY_SQL``) over the
  transactions: :func:`~loyalty_lessons.customers.customer_summary` and
  :func:`~loyalty_lessons.customers.purchases` are built on it;
- :func:`scan` reads the transactions once and gives an :class:`Activity`: one row per
  customer (the customer summary) and, as a table of booleans, the months (or weeks) in
  which each customer bought, with the purchases, revenue and rows of each month. The
  monitoring table, the cohorts, the annual retention and the report's aggregates are all
  counted from an Activity (:mod:`~loyalty_lessons.monitoring`,
  :mod:`~loyalty_lessons.retention`, :mod:`~loyalty_lessons.aggregates`).

``docs/warehouse.md`` gives the per-customer and per-month figures as standard SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loyalty_lessons._read import connect, frame
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "Activity",
    "CALIBRATION_COLUMNS",
    "DIALECTS",
    "FUNCTIONS",
    "ORDERS_SQL",
    "PERIODS",
    "PARTITION_ROWS",
    "SUMMARY_COLUMNS",
    "SPLIT_COLUMNS",
    "SUMMARY_SQL",
    "ScanSQL",
    "TIME_UNITS",
    "check_period",
    "check_split",
    "checked_scan",
    "last_date",
    "lines_sql",
    "period_ordinals",
    "query",
    "require_columns",
    "scan",
    "scan_parameters",
    "scan_span",
    "scan_sql",
    "shape",
    "shares",
    "split_summary",
    "sql_fields",
    "summary_types",
    "used",
]

#: Length of each supported time unit, in days.
TIME_UNITS = {"D": 1, "W": 7}

#: The columns of the customer summary, in order (see ``customer_summary``).
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

#: What the engines write differently, as data; the rest of this module's SQL is the same
#: text on DuckDB and on Spark SQL (``docs/scale.md`` says why). ``quote``: quotes a column
#: name; ``not_materialized``: how a
#: CTE read once is inlined; ``hash``: a 64-bit hash of an order key; ``first_key``: the key
#: whose smallest value is the first day's smallest order (on DuckDB the day, then the bits of
#: the positive DOUBLE amount, which sort as the number does, as one HUGEINT: a third faster
#: than a {date, amount} struct); ``first_three``: each customer's first three purchase dates,
#: sorted; ``bit``: a BIGINT with bit ``{offset}`` set.
DIALECTS = {
    "duckdb": {
        "quote": '"',
        "not_materialized": "NOT MATERIALIZED",
        "hash": "hash",
        "first_key": "(date - DATE '1970-01-01')::HUGEINT * 4294967296 * 4294967296"
        " + CAST(CAST(amount AS BIT) AS BIGINT)",
        "first_three": "min(date, 3) FILTER (WHERE amount > 0)",
        # The shift is taken modulo 64, so that it never overflows on the rows the filter drops,
        # and as UBIGINT, so that the result stays UBIGINT (a BIGINT shift gives a HUGEINT,
        # which reaches pandas as float64 and loses the low bits).
        "bit": "1::UBIGINT << ((({offset}) & 63)::UBIGINT)",
    },
    "spark": {
        "quote": "`",
        "not_materialized": "",
        "hash": "xxhash64",
        "first_key": "named_struct('day', date, 'amount', amount)",
        "first_three": "slice(array_sort(collect_list(date) FILTER (WHERE amount > 0)), 1, 3)",
        "bit": "shiftleft(CAST(1 AS BIGINT), CAST({offset} AS INT))",
    },
}

#: The two functions the shared SQL calls that an engine does not have under that name, defined
#: on each connection or session before a query: days from one DATE to a later one, and the
#: ``i``-th element of a list (1-based; NULL past its end).
FUNCTIONS = {
    "duckdb": [
        "CREATE OR REPLACE TEMP MACRO days_between(later, earlier) AS later - earlier",
        "CREATE OR REPLACE TEMP MACRO try_element_at(list, i) AS list[i]",
    ],
    "spark": [
        "CREATE OR REPLACE TEMPORARY FUNCTION days_between(later DATE, earlier DATE) RETURNS INT "
        "RETURN date_diff(later, earlier)",
    ],
}

#: Rows grouped at once: bigger inputs are summarised a share of the customers at a time,
#: which keeps DuckDB's table of orders (one entry per order) small.
PARTITION_ROWS = 4_000_000

# The orders of the transactions up to $end ({orders}: one of the two below).
ORDERS_SQL = """
WITH tx AS {not_materialized} (
    SELECT CAST({customer} AS STRING) AS customer_id,
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
           {order_more}
    FROM tx
    GROUP BY customer_id, purchase_key"""
_LINE_ORDERS = "SELECT customer_id, {period} AS period, date, date AS last_line, amount {order_more} FROM tx"

# Per customer, from its orders (a purchase is an order with a positive net amount), so
# that one scan of the transactions feeds both; {more_aggregates} adds aggregates.
# {period} and {last_line} name the orders' columns, or "date" when they hold the same
# values (days; one line per order), so that DuckDB computes each aggregate once.
_PER_CUSTOMER_SQL = """,
per_customer AS (
    SELECT customer_id,
           count(*) FILTER (WHERE amount > 0) AS orders,
           min(date) FILTER (WHERE amount > 0) AS first_purchase,
           max(date) FILTER (WHERE amount > 0) AS last_purchase,
           min({period}) FILTER (WHERE amount > 0) AS first_period,
           max({period}) FILTER (WHERE amount > 0) AS last_period,
           -- Orders on the first day tie; the smaller one counts as the first purchase: the
           -- key ({first_key}) sorts by day, then by amount.
           sum(amount) FILTER (WHERE amount > 0)
               - min_by(amount, {first_key}) FILTER (WHERE amount > 0) AS repeat_amount,
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
       days_between($end, coalesce(last_purchase, last_seen)) AS days_since_last,
       days_between($end, coalesce(first_purchase, first_seen)) AS tenure_days,
       greatest(orders - 1, 0) AS frequency,
       coalesce(days_between(last_period, first_period), 0) / $unit AS recency,
       days_between({end_period}, coalesce(first_period, first_seen_period)) / $unit AS T,
       coalesce(repeat_amount / nullif(orders - 1, 0), 0) AS monetary_value
       {more_columns}
FROM per_customer
"""

SUMMARY_SQL = ORDERS_SQL.rstrip() + _PER_CUSTOMER_SQL + _SUMMARY_SELECT


#: The columns a scan with a ``calibration_end`` adds to its ``customers``: each customer as
#: ``customer_summary(observation_end=calibration_end)`` would summarise them (in days;
#: ``calibration_first_purchase`` NaT for a customer first seen after that day), and their
#: purchases after it (``holdout_purchases``).
CALIBRATION_COLUMNS = [
    "calibration_orders",
    "calibration_first_purchase",
    "calibration_recency",
    "calibration_T",
    "holdout_purchases",
]

# An order's net amount from its lines up to $calibration: what it was on that day (a refund
# line after it does not change whether the order was a purchase then).
_CALIBRATION_ORDER = {
    False: ", sum(amount) FILTER (WHERE date <= $calibration) AS calibration_amount",
    True: ", amount AS calibration_amount",
}

# Per customer, as of $calibration (what _PER_CUSTOMER_SQL and _SUMMARY_SELECT compute as of
# $end, for orders up to $calibration), and their purchases after it.
_CALIBRATION_AGGREGATES = """,
    count(*) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_orders,
    min(date) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_first,
    max(date) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_last,
    min(date) FILTER (WHERE date <= $calibration) AS calibration_seen,
    count(*) FILTER (WHERE amount > 0 AND date > $calibration) AS holdout_purchases"""
_CALIBRATION_SELECT = """,
    calibration_orders,
    coalesce(calibration_first, calibration_seen) AS calibration_first_purchase,
    coalesce(days_between(calibration_last, calibration_first), 0) AS calibration_recency,
    days_between($calibration, coalesce(calibration_first, calibration_seen)) AS calibration_T,
    holdout_purchases"""

#: The columns a scan with a ``split`` adds to its ``customers``: each customer as
#: ``customer_summary(observation_end=split)`` would summarise them (in days; 0 orders and
#: missing days for a customer without a purchase by then), with their purchases in the
#: ``window_days`` days up to the split: what the behaviour rule types a customer on at the
#: split (:func:`~loyalty_lessons.future_spend.future_spend`). See :func:`split_summary`.
SPLIT_COLUMNS = [
    "split_orders",
    "split_revenue",
    "split_days_since_last",
    "split_tenure_days",
    "split_orders_in_window",
]

# An order's net amount from its lines up to $split (as _CALIBRATION_ORDER).
_SPLIT_ORDER = {
    False: ", sum(amount) FILTER (WHERE date <= $split) AS split_amount",
    True: ", amount AS split_amount",
}

# Per customer, as of $split: what _PER_CUSTOMER_SQL and _SUMMARY_SELECT compute as of $end
# for the orders up to $split, and the purchases after $typing_since (the window's start).
_SPLIT_AGGREGATES = """,
    count(*) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_orders,
    min(date) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_first,
    max(date) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_last,
    sum(split_amount) FILTER (WHERE date <= $split) AS split_revenue,
    count(*) FILTER (WHERE split_amount > 0 AND date > $typing_since AND date <= $split)
        AS split_orders_in_window"""
_SPLIT_SELECT = """,
    split_orders,
    split_revenue,
    days_between($split, split_last) AS split_days_since_last,
    days_between($split, split_first) AS split_tenure_days,
    split_orders_in_window"""

# Purchases per day of one share's customers who were customers by $calibration: every
# purchase up to that day, and theirs after it. Two queries, not one with "date <= ... OR
# customer_id IN (...)": the OR made DuckDB test every order against the customers, which
# took most of the time of the scan's calibration.
_CALIBRATION_PURCHASES_SQL = """
SELECT date, count(*) AS purchases FROM share_orders
WHERE amount > 0 AND date <= $calibration
GROUP BY date
UNION ALL
SELECT date, count(*) AS purchases FROM share_orders
WHERE amount > 0 AND date > $calibration AND customer_id IN (
    SELECT customer_id FROM share_customers WHERE calibration_first_purchase IS NOT NULL)
GROUP BY date
"""


def _period_sql(column: str, time_unit: str) -> str:
    """SQL flooring a DATE to the start of its period (weeks end on Sunday, as in pandas)."""
    if time_unit == "D":
        return column
    # pandas' 'W' (W-SUN) periods run Monday to Sunday.
    return f"CAST(date_trunc('week', {column}) AS DATE)"


#: SQL giving the pandas ``Period`` ordinal of a DATE ``date`` for each period a scan can count
#: in: months, or weeks running Monday to Sunday (pandas' "W"; 1970-01-01 is a Thursday of week 1).
_UNIT_ORDINALS = {
    "M": "(year(date) - 1970) * 12 + month(date) - 1",
    "W": "CAST(floor((days_between(date, DATE '1970-01-01') + 3) / 7) AS BIGINT) + 1",
}

#: The periods each unit of a scan folds into, with their length in units.
_FOLDS = {"M": {"M": 1, "Q": 3, "Y": 12}, "W": {"W": 1}}

# Per period of the rows (every row up to $end, refunds included): net revenue and rows.
_LINES_SQL = """
SELECT {ordinal} AS ordinal, sum(amount) AS revenue, count(*) AS lines, min(date) AS first_date
FROM (SELECT CAST({date} AS DATE) AS date, CAST({amount} AS DOUBLE) AS amount
      FROM transactions WHERE CAST({date} AS DATE) <= $end)
GROUP BY ordinal
"""

# Purchases of one share of the customers per period, with the sum and the sum of squares of
# their amounts (the spread of the amounts, which tells a real change in spend per order
# from noise).
_PURCHASES_PER_PERIOD_SQL = """
SELECT {ordinal} AS ordinal, count(*) AS orders, sum(amount) AS spend, sum(amount * amount) AS spend_squares
FROM share_orders WHERE amount > 0
GROUP BY ordinal
"""

#: Periods a column of purchase bits holds.
_BITS = 64


def shape(transactions: pd.DataFrame | str | Path) -> tuple[list[str], int]:
    """Column names and number of rows of a DataFrame or a Parquet file (read from its metadata).

    Raises
    ------
    LoyaltyDataError
        If the file cannot be read as Parquet.
    """
    if isinstance(transactions, pd.DataFrame):
        return list(transactions.columns), len(transactions)
    try:
        meta = pq.read_metadata(transactions)
    except (OSError, pa.ArrowException) as exc:
        raise LoyaltyDataError(
            f"'{transactions}' could not be read as a Parquet file of transactions ({exc}). "
            "Pass a DataFrame, or a file written by transactions_to_parquet()."
        ) from None
    return meta.schema.names, meta.num_rows


def _register(con, transactions, needed: list[str | None]) -> None:
    """Make ``transactions`` (a DataFrame, or the path of a Parquet file) a view of ``con``, and
    define the functions of the shared SQL (``FUNCTIONS``)."""
    for definition in FUNCTIONS["duckdb"]:
        con.execute(definition)
    if isinstance(transactions, pd.DataFrame):
        columns = [c for c in dict.fromkeys(needed) if c is not None and c in transactions]
        # DuckDB scans Arrow faster than pandas' string columns; the conversion shares memory.
        con.register("transactions", pa.Table.from_pandas(transactions[columns], preserve_index=False))
        return
    shape(transactions)  # a clear error for a file that is not Parquet
    path = str(transactions).replace("'", "''")
    con.execute(f"CREATE VIEW transactions AS SELECT * FROM read_parquet('{path}')")


def last_date(transactions: pd.DataFrame | str | Path, date_col: str = "date") -> pd.Timestamp:
    """The last date of the transactions (a DataFrame or a Parquet file)."""
    if isinstance(transactions, pd.DataFrame):
        return transactions[date_col].max()
    con = connect()
    try:
        _register(con, transactions, [])
        return pd.Timestamp(con.execute(f'SELECT max("{date_col}") FROM transactions').fetchall()[0][0])
    finally:
        con.close()


def sql_fields(
    has_orders: bool,
    time_unit: str,
    shares: int,
    share: int,
    customer_id_col: str,
    date_col: str,
    amount_col: str,
    order_id_col: str | None,
    one_line_orders: bool = False,
    dialect: str = "duckdb",
    calibration: bool = False,
    split: bool = False,
) -> dict[str, str]:
    """What fills the slots of ``ORDERS_SQL``, ``SUMMARY_SQL`` and the scan's queries, for an
    engine (``DIALECTS``).

    ``shares``, ``share``: the customers are split into ``shares`` by a hash of their id, and
    the queries run on share number ``share``. ``one_line_orders``: every row is an order of
    its own, so lines are not grouped. ``calibration``: the orders also have
    ``calibration_amount`` (see ``_CALIBRATION_ORDER``); ``split``: ``split_amount``
    (``_SPLIT_ORDER``).
    """
    words = DIALECTS[dialect]
    mark = DIALECTS[dialect]["quote"]
    q = lambda name: mark + name.replace(mark, mark + mark) + mark  # noqa: E731
    period = _period_sql("date", time_unit)
    # Orders are grouped on a 64-bit hash of their id (much faster than on text); a
    # row without an order id is its own purchase of that period.
    hash_ = words["hash"]
    key = (
        f"CASE WHEN order_id IS NULL THEN {hash_}({period}) ELSE {hash_}(order_id) END"
        if has_orders
        else period
    )
    order_more = (_CALIBRATION_ORDER[one_line_orders] if calibration else "") + (
        _SPLIT_ORDER[one_line_orders] if split else ""
    )
    orders = (_LINE_ORDERS if one_line_orders else _GROUPED_ORDERS).format(
        key=key, period=period, order_more=order_more
    )
    return dict(
        customer=q(customer_id_col),
        date=q(date_col),
        amount=q(amount_col),
        order_select=f", CAST({q(order_id_col)} AS STRING) AS order_id"
        if has_orders and not one_line_orders
        else "",
        orders=orders,
        period="date" if time_unit == "D" else "period",
        last_line="date" if one_line_orders else "last_line",
        end_period=_period_sql("$end", time_unit),
        partition=f"AND {hash_}({q(customer_id_col)}) % {shares} = {share}" if shares > 1 else "",
        not_materialized=words["not_materialized"],
        first_key=words["first_key"],
    )


def shares(rows: int) -> int:
    """How many shares of the customers DuckDB groups ``rows`` rows in (``PARTITION_ROWS``)."""
    return max(1, -(-rows // PARTITION_ROWS))


def query(
    sql: str,
    transactions: pd.DataFrame | str | Path,
    *,
    order_by: str,
    observation_end: pd.Timestamp,
    time_unit: str = "D",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
) -> pd.DataFrame:
    """Run ``sql`` (``ORDERS_SQL`` or ``SUMMARY_SQL`` and a SELECT) over the transactions up to
    ``observation_end``, and sort its result by ``order_by``.

    Customers are split into shares by a hash of their id, each share is run on its own, and
    the results are put together. ``time_unit`` is the period of a purchase without an order id
    (and the unit of the summary's ``recency`` and ``T``); ``one_line_orders`` says that every
    row is an order of its own, so that rows are not grouped.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a"], "amount": [10.0, -4.0],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-01"])})
    >>> query(ORDERS_SQL + "SELECT customer_id, amount FROM orders", tx, order_by="customer_id",
    ...       observation_end=pd.Timestamp("2024-01-01"))
      customer_id  amount
    0           a     6.0
    """
    columns, rows = shape(transactions)
    has_orders = order_id_col is not None and order_id_col in columns
    count = shares(rows)
    parts = [
        sql.format(
            **sql_fields(
                has_orders,
                time_unit,
                count,
                share,
                customer_id_col,
                date_col,
                amount_col,
                order_id_col,
                one_line_orders,
            ),
            more_aggregates="",
            more_columns="",
        )
        for share in range(count)
    ]
    needed = [customer_id_col, date_col, amount_col, order_id_col if has_orders else None]
    con = connect()
    try:
        _register(con, transactions, needed)
        # The result is sorted at the end: rows need not keep their order on the way, which
        # lets DuckDB scan and group on all cores.
        con.execute("SET preserve_insertion_order = false")
        parameters = {"end": observation_end.date(), "unit": TIME_UNITS[time_unit]}
        parameters = {k: v for k, v in parameters.items() if f"${k}" in sql}
        for share, part in enumerate(parts):
            con.execute(f"CREATE TEMP TABLE share_{share} AS {part}", parameters)
        every = " UNION ALL ".join(f"SELECT * FROM share_{share}" for share in range(count))
        return frame(con, f"{every} ORDER BY {order_by}")
    finally:
        con.close()


def summary_types(result: pd.DataFrame) -> pd.DataFrame:
    """The summary query's result with the summary's dtypes (changed in place, and returned)."""
    for column in ("first_purchase", "last_purchase"):
        result[column] = result[column].astype("datetime64[us]")
    for column in ("orders", "frequency", "days_since_last", "tenure_days"):
        result[column] = result[column].astype("int64")
    for column in ("revenue", "average_order_value", "recency", "T", "monetary_value"):
        result[column] = result[column].astype("float64")
    result["customer_id"] = result["customer_id"].astype("str")
    return result


def period_ordinals(dates: np.ndarray, period: str) -> np.ndarray:
    """pandas ``Period`` ordinals of datetime64 values, for periods "W", "M", "Q" or "Y".

    Examples
    --------
    >>> dates = np.array(["1969-12-28", "2024-05-31"], dtype="datetime64[D]")
    >>> period_ordinals(dates, "Q").tolist() == [pd.Period(d, "Q").ordinal for d in dates]
    True
    """
    if period == "W":
        return (dates.astype("datetime64[D]").astype("int64") + 3) // 7 + 1
    return dates.astype("datetime64[M]").astype("int64") // _FOLDS["M"][period]


def _period_bits(unit: str, first: int, count: int, dialect: str) -> tuple[str, list[str]]:
    """Aggregates of the per-customer query giving the periods of each customer's purchases as
    bits, and the names of their columns.

    Bit ``j`` of column ``bought_k`` is set when the customer bought in the period of ordinal
    ``first + 64 * k + j``; one 64-bit column per 64 periods of data.
    """
    ordinal = _UNIT_ORDINALS[unit]
    sql, names = [], []
    for k in range(-(-count // _BITS)):
        low = first + _BITS * k
        bit = DIALECTS[dialect]["bit"].format(offset=f"{ordinal} - {low}")
        sql.append(
            f", coalesce(bit_or({bit}) "
            f"FILTER (WHERE amount > 0 AND {ordinal} BETWEEN {low} AND {low + _BITS - 1}), 0) AS bought_{k}"
        )
        names.append(f"bought_{k}")
    return "".join(sql), names


def _unpack(masks: np.ndarray, count: int) -> np.ndarray:
    """Periods x customers booleans from the UBIGINT columns of :func:`_period_bits`.

    Periods are rows, so that what follows (folding months into quarters or years, counting
    the buyers of a period) runs along contiguous rows of a million customers.
    """
    bought = np.empty((count, len(masks)), dtype=bool)
    for period in range(count):
        bit = np.uint64(1) << np.uint64(period % _BITS)
        np.not_equal(masks[:, period // _BITS] & bit, 0, out=bought[period])
    return bought


@dataclass(frozen=True)
class Activity:
    """Who bought in which period, and what each period sold: one :func:`scan` of the transactions.

    Every per-period array has one entry per period of the scan's ``unit`` from the period of
    the first transaction (ordinal ``first``) to the period of ``observation_end``, with
    periods where nothing happened included.

    Attributes
    ----------
    observation_end : Timestamp
        The day the figures are as of; later transactions are left out.
    first_date : Timestamp
        The first transaction date.
    unit : {"M", "W"}
        The period of the arrays: months, or weeks running Monday to Sunday.
    first : int
        The pandas ``Period`` ordinal of the arrays' first period.
    customers : DataFrame
        One row per customer, sorted by ``customer_id``: the columns of the customer summary
        (``SUMMARY_COLUMNS``, days as the time unit), ``second_purchase`` and
        ``third_purchase`` (the dates of the customer's second and third purchases, NaT when
        there are fewer; purchases on one day each count), and ``orders_in_window`` when the
        scan was given a ``window_days``.
    buyers : ndarray of bool
        Which rows of ``customers`` made a purchase (customers with refunds only did not).
    bought : ndarray of bool
        Periods x buyers: whether each buyer (the rows of ``customers[buyers]``, in order)
        made a purchase in each period.
    orders, revenue, lines : ndarray
        Per period: purchases (int64), net revenue of every row, refunds included
        (float64), and rows (int64).
    spend, spend_squares : ndarray
        Per period: the sum of the purchases' amounts and the sum of their squares (float64),
        from which the standard deviation of the amount of a purchase follows.
    calibration_end : Timestamp or None
        The day of the calibration summary, when the scan was given one.
    calibration_purchases_by_day : Series or None
        With a ``calibration_end``: purchases per day (index ``date``, days with purchases
        only) of the customers first seen by that day, up to observation end.
    """

    observation_end: pd.Timestamp
    first_date: pd.Timestamp
    unit: str
    first: int
    customers: pd.DataFrame
    buyers: np.ndarray
    bought: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray
    lines: np.ndarray
    spend: np.ndarray
    spend_squares: np.ndarray
    calibration_end: pd.Timestamp | None = None
    calibration_purchases_by_day: pd.Series | None = None

    @classmethod
    def from_tables(
        cls,
        observation_end: pd.Timestamp,
        unit: str,
        first: int,
        count: int,
        customers: pd.DataFrame,
        masks: list[str],
        lines: pd.DataFrame,
        purchases: pd.DataFrame,
        window_days: int | None,
        calibration_end: pd.Timestamp | None = None,
        calibration_purchases: pd.DataFrame | None = None,
    ) -> Activity:
        """An Activity from the results of the queries of :func:`scan_sql` (whichever engine ran
        them): ``customers`` sorted by id, with the 64-bit ``masks`` columns (signed or not);
        ``lines`` and ``purchases``, by ``ordinal``, possibly several rows per period; with a
        ``calibration_end``, ``calibration_purchases`` (``date``, ``purchases``, possibly
        several rows per day)."""
        buyers = (customers["orders"] > 0).to_numpy()
        bits = np.column_stack([customers[column].to_numpy().astype("uint64") for column in masks])
        bought = _unpack(bits[buyers], count)
        customers = summary_types(customers.drop(columns=masks))
        for column in ("second_purchase", "third_purchase"):
            customers[column] = customers[column].astype("datetime64[us]")
        if window_days is not None:
            customers["orders_in_window"] = customers["orders_in_window"].astype("int64")
        by_day = None
        if calibration_end is not None:
            for column in ("calibration_orders", "holdout_purchases"):
                customers[column] = customers[column].astype("int64")
            for column in ("calibration_recency", "calibration_T"):
                customers[column] = customers[column].astype("float64")
            customers["calibration_first_purchase"] = customers["calibration_first_purchase"].astype(
                "datetime64[us]"
            )
            days = calibration_purchases
            by_day = (
                days.assign(date=days["date"].astype("datetime64[us]"))
                .groupby("date")["purchases"]
                .sum()
                .astype("int64")
            )
        if "split_orders" in customers:
            for column in ("split_orders", "split_orders_in_window"):
                customers[column] = customers[column].astype("int64")
            for column in ("split_revenue", "split_days_since_last", "split_tenure_days"):
                customers[column] = customers[column].astype("float64")
        ordinals = pd.RangeIndex(first, first + count)
        lines, purchases = lines.set_index("ordinal"), purchases.set_index("ordinal")

        def per_unit(values: pd.Series, dtype: str) -> np.ndarray:
            return values.groupby(level=0).sum().reindex(ordinals, fill_value=0).to_numpy(dtype=dtype)

        return cls(
            observation_end=observation_end,
            first_date=pd.Timestamp(lines["first_date"].min()),
            unit=unit,
            first=first,
            customers=customers,
            buyers=buyers,
            bought=bought,
            orders=per_unit(purchases["orders"], "int64"),
            revenue=per_unit(lines["revenue"], "float64"),
            lines=per_unit(lines["lines"], "int64"),
            spend=per_unit(purchases["spend"], "float64"),
            spend_squares=per_unit(purchases["spend_squares"], "float64"),
            calibration_end=calibration_end,
            calibration_purchases_by_day=by_day,
        )

    def _size(self, period: str) -> int:
        size = _FOLDS[self.unit].get(period)
        if size is None:
            raise LoyaltyDataError(
                f"period={period!r} cannot be counted from a scan by {self.unit!r}; "
                f"use one of {sorted(_FOLDS[self.unit])}, or scan with unit='W' for weeks."
            )
        return size

    def _starts(self, period: str) -> tuple[np.ndarray, int]:
        """Where each period starts among the scan's rows, and the first period's ordinal."""
        ordinals = (self.first + np.arange(len(self.bought))) // self._size(period)
        return np.flatnonzero(np.r_[True, ordinals[1:] != ordinals[:-1]]), int(ordinals[0])

    def periods(self, period: str) -> pd.PeriodIndex:
        """The periods ("M", "Q", "Y" from a scan by months; "W" from a scan by weeks) the
        transactions cover, from the first transaction's to the observation end's."""
        starts, first = self._starts(period)
        return pd.PeriodIndex.from_ordinals(first + np.arange(len(starts)), freq=period)

    def in_periods(self, period: str) -> np.ndarray:
        """Periods x buyers: whether each buyer made a purchase in each of :meth:`periods`."""
        if self._size(period) == 1:
            return self.bought
        starts, _ = self._starts(period)
        ends = np.r_[starts[1:], len(self.bought)]
        # One OR over each period's rows (ten times faster than np.logical_or.reduceat here).
        return np.stack([self.bought[start:end].any(axis=0) for start, end in zip(starts, ends)])

    def per_period(self, values: np.ndarray, period: str) -> np.ndarray:
        """Per-unit ``values`` (``orders``, ``revenue``, ``lines``, ``spend`` or
        ``spend_squares``) added up per period."""
        if self._size(period) == 1:
            return values
        starts, _ = self._starts(period)
        return np.add.reduceat(values, starts)

    def first_periods(self, period: str) -> np.ndarray:
        """Each buyer's period of first purchase, as a row number of :meth:`periods`."""
        first_purchase = self.customers["first_purchase"].to_numpy()[self.buyers]
        return period_ordinals(first_purchase, period) - self.first // self._size(period)


def require_columns(columns: list[str], required: list[str]) -> None:
    """Raise a :class:`LoyaltyDataError` naming the ``required`` columns not in ``columns``."""
    missing = [c for c in required if c not in columns]
    if missing:
        raise LoyaltyDataError(
            f"The transactions have no column {', '.join(map(repr, missing))}; columns found: {columns}. "
            "Load the export with load_transactions() or transactions_to_parquet()."
        )


def lines_sql(unit: str, fields: dict[str, str]) -> str:
    """SQL of the revenue, rows and first date of each period (``unit``) over ``transactions``
    up to ``$end``, refunds included (``fields``: from :func:`sql_fields`).

    Raises
    ------
    LoyaltyDataError
        If ``unit`` is not one a scan counts in.
    """
    if unit not in _UNIT_ORDINALS:
        raise LoyaltyDataError(f"unit={unit!r} is not supported; use one of {sorted(_UNIT_ORDINALS)}.")
    return _LINES_SQL.format(ordinal=_UNIT_ORDINALS[unit], date=fields["date"], amount=fields["amount"])


def scan_span(lines: pd.DataFrame, end: pd.Timestamp | None, unit: str) -> tuple[int, int]:
    """The ordinal of the first period of a scan and its number of periods, from the result of
    :func:`lines_sql`.

    Raises
    ------
    LoyaltyDataError
        When there is no transaction up to ``end``.
    """
    if lines.empty:
        where = (
            ""
            if end is None
            else f" on or before observation_end={end.date()}; choose a later observation_end"
        )
        raise LoyaltyDataError(f"There are no transactions{where}: there is nothing to aggregate.")
    first = int(lines["ordinal"].min())
    return first, int(end.to_period(unit).ordinal) - first + 1


@dataclass(frozen=True)
class ScanSQL:
    """The queries of one scan, for one engine (from :func:`scan_sql`).

    Attributes
    ----------
    orders : str
        The orders of one share of the customers, over ``transactions`` (parameter ``$end``);
        the engine keeps them as the table ``share_orders``.
    customers : str
        Per customer of ``share_orders``: the summary's columns, ``second_purchase``,
        ``third_purchase``, ``orders_in_window`` (with a window) and the purchase bits
        ``masks`` (parameters: :func:`scan_parameters`).
    purchases : str
        Per period of ``share_orders``: purchases, their spend and its sum of squares.
    masks : list of str
        The columns of purchase bits, 64 periods each.
    calibration_purchases : str or None
        With a calibration end: purchases per day of the customers of ``share_customers``
        (the engine's table of the ``customers`` query) first seen by ``$calibration``.
    """

    orders: str
    customers: str
    purchases: str
    masks: list[str]
    calibration_purchases: str | None = None


def scan_sql(
    unit: str,
    first: int,
    count: int,
    fields: dict[str, str],
    *,
    window_days: int | None,
    dialect: str = "duckdb",
    calibration: bool = False,
    split: bool = False,
) -> ScanSQL:
    """The queries of a scan of ``count`` periods from ordinal ``first``, written for ``dialect``
    (``fields``: from :func:`sql_fields` with days as the time unit, and ``calibration`` and
    ``split`` as given here), with the columns of ``CALIBRATION_COLUMNS`` when ``calibration``
    and those of ``SPLIT_COLUMNS`` when ``split``."""
    # The first three purchase dates (a top-3 aggregate), for the early defections.
    more_aggregates = f", {DIALECTS[dialect]['first_three']} AS first_three"
    more_columns = (
        ", try_element_at(first_three, 2) AS second_purchase"
        ", try_element_at(first_three, 3) AS third_purchase"
    )
    if window_days is not None:
        more_aggregates += ", count(*) FILTER (WHERE amount > 0 AND date > $since) AS orders_in_window"
        more_columns += ", orders_in_window"
    if calibration:
        more_aggregates += _CALIBRATION_AGGREGATES
        more_columns += _CALIBRATION_SELECT
    if split:
        more_aggregates += _SPLIT_AGGREGATES
        more_columns += _SPLIT_SELECT
    bits, masks = _period_bits(unit, first, count, dialect)
    per_customer = "WITH orders AS (SELECT * FROM share_orders)" + _PER_CUSTOMER_SQL + _SUMMARY_SELECT
    return ScanSQL(
        orders=ORDERS_SQL.format(**fields) + "SELECT * FROM orders",
        customers=per_customer.format(
            **fields,
            more_aggregates=more_aggregates + bits,
            more_columns=more_columns + ", " + ", ".join(masks),
        ),
        purchases=_PURCHASES_PER_PERIOD_SQL.format(ordinal=_UNIT_ORDINALS[unit]),
        masks=masks,
        calibration_purchases=_CALIBRATION_PURCHASES_SQL if calibration else None,
    )


def scan_parameters(
    end: pd.Timestamp,
    window_days: int | None,
    calibration_end: pd.Timestamp | None = None,
    split: pd.Timestamp | None = None,
) -> dict:
    """The parameters of the queries of :class:`ScanSQL`: ``end``, ``unit`` (days), ``since``,
    ``calibration``, ``split`` and ``typing_since`` (the start of the window before the split)
    (pass to each query those it names: :func:`used`)."""
    parameters = {"end": end.date(), "unit": 1}
    if window_days is not None:
        parameters["since"] = (end - pd.Timedelta(days=window_days)).date()
    if calibration_end is not None:
        parameters["calibration"] = calibration_end.date()
    if split is not None:
        parameters["split"] = split.date()
        parameters["typing_since"] = (split - pd.Timedelta(days=window_days)).date()
    return parameters


def split_summary(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers with a purchase by the split, summarised as of the split, from the
    ``customers`` of a scan with a ``split`` (``SPLIT_COLUMNS``).

    Returns
    -------
    pandas.DataFrame
        Sorted as ``customers`` (by ``customer_id``): ``customer_id``, ``orders``,
        ``revenue``, ``days_since_last``, ``tenure_days`` (as ``customer_summary`` at the
        split gives them, in days), ``orders_in_window`` (purchases in the ``window_days``
        days up to the split) and ``revenue_after`` (net revenue after the split, up to the
        scan's observation end: its ``revenue`` less theirs at the split).
    """
    known = customers[customers["split_orders"].to_numpy() > 0]
    revenue = known["split_revenue"].to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            "customer_id": known["customer_id"].to_numpy(),
            "orders": known["split_orders"].to_numpy(),
            "revenue": revenue,
            "days_since_last": known["split_days_since_last"].to_numpy().astype("int64"),
            "tenure_days": known["split_tenure_days"].to_numpy().astype("int64"),
            "orders_in_window": known["split_orders_in_window"].to_numpy(),
            "revenue_after": known["revenue"].to_numpy(dtype="float64") - revenue,
        }
    )


def check_split(split, window_days: int | None) -> None:
    """A :class:`LoyaltyDataError` when a scan is given a ``split`` without a ``window_days``."""
    if split is not None and window_days is None:
        raise LoyaltyDataError("A scan with a split= counts purchases in a window: pass window_days= too.")


def used(parameters: dict, sql: str) -> dict:
    """The ``parameters`` that ``sql`` names as ``$name``."""
    return {k: v for k, v in parameters.items() if f"${k}" in sql}


def scan(
    transactions: pd.DataFrame | str | Path,
    *,
    observation_end: str | pd.Timestamp | None = None,
    unit: str = "M",
    window_days: int | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
    calibration_end: str | pd.Timestamp | None = None,
    split: str | pd.Timestamp | None = None,
) -> Activity:
    """Read the transactions once into an :class:`Activity`: the customer summary and the
    periods in which each customer bought.

    The transactions are grouped into orders (a share of the customers at a time past
    ``PARTITION_ROWS`` rows), then one query over the orders gives each customer's summary
    and the periods of their purchases as the bits of 64-bit integers, which NumPy unpacks
    into a table of booleans. A purchase without an order id is the customer's purchase day.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id``). A file is read by DuckDB, never loaded whole.
    observation_end : date-like, optional
        Later transactions are left out; defaults to the last transaction date.
    unit : {"M", "W"}
        Count in months (which fold into quarters and years) or in weeks.
    window_days : int, optional
        Also count each customer's purchases in the ``window_days`` days up to observation end
        (column ``orders_in_window`` of ``customers``).
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names; ``order_id_col`` is ignored when the column is absent.
    one_line_orders : bool
        Every row is an order of its own, as ``LoadReport.one_line_orders`` says: rows are not
        grouped into orders.
    calibration_end : date-like, optional
        Also summarise each customer as of this day, for the calibration/holdout check of the
        customer-base model: the columns of ``CALIBRATION_COLUMNS`` in ``customers`` (NaT and
        0 for a customer first seen after it), and ``Activity.calibration_purchases_by_day``.
    split : date-like, optional
        Also summarise each customer as of this day, with their purchases in the
        ``window_days`` days up to it (which is then required): the columns of
        ``SPLIT_COLUMNS`` in ``customers`` (see :func:`split_summary`).

    Returns
    -------
    Activity

    Raises
    ------
    LoyaltyDataError
        If a column is missing or no transaction falls on or before ``observation_end``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, -8.0],
    ...                    "date": pd.to_datetime(["2024-01-09", "2024-03-01", "2024-03-02"])})
    >>> activity = scan(tx)
    >>> activity.periods("M").astype(str).tolist(), activity.bought[:, 0].tolist()
    (['2024-01', '2024-02', '2024-03'], [True, False, True])
    >>> activity.revenue.tolist(), activity.per_period(activity.revenue, "Q").tolist()
    ([10.0, 0.0, -3.0], [7.0])
    """
    if unit not in _UNIT_ORDINALS:
        raise LoyaltyDataError(f"unit={unit!r} is not supported; use one of {sorted(_UNIT_ORDINALS)}.")
    check_split(split, window_days)
    columns, rows = shape(transactions)
    require_columns(columns, [customer_id_col, date_col, amount_col])
    has_orders = order_id_col is not None and order_id_col in columns
    needed = [customer_id_col, date_col, amount_col, order_id_col if has_orders else None]
    con = connect()
    try:
        _register(con, transactions, needed)
        con.execute("SET preserve_insertion_order = false")  # results are sorted or keyed at the end
        fields = sql_fields(has_orders, "D", 1, 0, customer_id_col, date_col, amount_col, order_id_col)
        if observation_end is None:
            last = con.execute(f"SELECT max(CAST({fields['date']} AS DATE)) FROM transactions").fetchone()[0]
            end = pd.Timestamp(last) if last is not None else None
        else:
            end = pd.Timestamp(observation_end).normalize()
        lines = con.execute(lines_sql(unit, fields), {"end": None if end is None else end.date()}).df()
        first, count = scan_span(lines, end, unit)
        count_shares = shares(rows)
        calibration = None if calibration_end is None else pd.Timestamp(calibration_end).normalize()
        split_day = None if split is None else pd.Timestamp(split).normalize()
        parameters = scan_parameters(end, window_days, calibration, split_day)
        per_share, customers, by_day = [], [], []
        for share in range(count_shares):
            fields = sql_fields(
                has_orders,
                "D",
                count_shares,
                share,
                customer_id_col,
                date_col,
                amount_col,
                order_id_col,
                one_line_orders,
                calibration=calibration is not None,
                split=split is not None,
            )
            queries = scan_sql(
                unit,
                first,
                count,
                fields,
                window_days=window_days,
                calibration=calibration is not None,
                split=split is not None,
            )
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE share_orders AS {queries.orders}",
                used(parameters, queries.orders),
            )
            con.execute(
                f"CREATE TEMP TABLE customers_{share} AS {queries.customers}",
                used(parameters, queries.customers),
            )
            per_share.append(con.execute(queries.purchases).df())
            customers.append(f"SELECT * FROM customers_{share}")
            if queries.calibration_purchases is not None:
                con.execute(f"CREATE OR REPLACE TEMP VIEW share_customers AS SELECT * FROM customers_{share}")
                sql = queries.calibration_purchases
                by_day.append(con.execute(sql, used(parameters, sql)).df())
        customers = frame(con, f"{' UNION ALL '.join(customers)} ORDER BY customer_id")
    finally:
        con.close()
    return Activity.from_tables(
        end,
        unit,
        first,
        count,
        customers,
        queries.masks,
        lines,
        pd.concat(per_share),
        window_days,
        calibration,
        pd.concat(by_day) if by_day else None,
    )


#: Accepted ``period`` codes and the word used for one period in messages and titles.
PERIODS: dict[str, str] = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def check_period(period: str) -> str:
    """``period`` if it is one of :data:`PERIODS`, else a :class:`LoyaltyDataError`."""
    if period not in PERIODS:
        raise LoyaltyDataError(
            f"period={period!r} is not supported; use one of {sorted(PERIODS)} "
            "(W = weeks Monday-Sunday, M = months, Q = quarters, Y = years)."
        )
    return period


def checked_scan(
    transactions: pd.DataFrame,
    *,
    observation_end: pd.Timestamp | str | None = None,
    unit: str = "M",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> Activity:
    """Check a frame of transactions and :func:`scan` it, saying in words what is wrong.

    What the lesson functions scan frames with: the columns must exist, the dates be
    datetimes, the amounts numbers, nothing missing, and some row fall on or before
    ``observation_end`` (default: the last date). Purchases without an order id are
    counted per customer and day.

    Raises
    ------
    LoyaltyDataError
        Naming the column and how to fix it.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise LoyaltyDataError(f"transactions must be a pandas DataFrame, not {type(transactions).__name__}.")
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in transactions]
    if missing:
        raise LoyaltyDataError(
            f"transactions lack the column(s) {missing}; found {list(transactions.columns)}. "
            "Load the export with load_transactions() or pass customer_id_col=, date_col=, "
            "amount_col= to name them."
        )
    if not pd.api.types.is_datetime64_any_dtype(transactions[date_col]):
        raise LoyaltyDataError(
            f"column {date_col!r} must hold dates (datetime64), "
            f"not {transactions[date_col].dtype}; convert it with pandas.to_datetime "
            "or load the file with load_transactions()."
        )
    if not pd.api.types.is_numeric_dtype(transactions[amount_col]):
        raise LoyaltyDataError(
            f"column {amount_col!r} must be numeric, not {transactions[amount_col].dtype}; "
            "load the file with load_transactions() to set bad rows aside."
        )
    for col in (customer_id_col, date_col, amount_col):
        holes = int(transactions[col].isna().sum())
        if holes:
            raise LoyaltyDataError(
                f"column {col!r} has {holes} missing value(s); remove those rows or load the "
                "file with load_transactions(), which sets them aside with their line numbers."
            )
    dates = transactions[date_col]
    if observation_end is None:
        if dates.empty:
            raise LoyaltyDataError("transactions are empty: there is nothing to monitor.")
        end = dates.max().normalize()
    else:
        end = pd.Timestamp(observation_end).normalize()
    if not (dates.dt.normalize() <= end).any():
        raise LoyaltyDataError(
            f"no transaction falls on or before observation_end={end.date()}; choose a later observation_end."
        )
    return scan(
        transactions,
        observation_end=end,
        unit=unit,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
