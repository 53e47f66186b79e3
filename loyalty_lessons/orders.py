"""Orders and customers in SQL: the per-order and per-customer layer every figure starts from.

An **order** is a customer's order id or, for a row without one, the customer's purchase
day (or week: ``TIME_UNITS``); a **purchase** is an order whose net amount, refund lines
included, is positive. This module holds the SQL that groups transactions into orders
(``ORDERS_SQL``) and orders into one row per customer (``PER_CUSTOMER_SQL``,
``SUMMARY_SELECT``, together ``SUMMARY_SQL``), the pieces a scan adds to them (the
``CALIBRATION_*`` and ``SPLIT_*`` templates), what DuckDB and Spark SQL write differently
(``DIALECTS``, ``FUNCTIONS``), and what fills the queries' slots (:func:`sql_fields`).

:func:`query` runs one of these queries over a DataFrame or a Parquet file of any size with
DuckDB (a share of the customers at a time past ``PARTITION_ROWS`` rows, so that memory stays
flat): :func:`~loyalty_lessons.customers.customer_summary` and
:func:`~loyalty_lessons.customers.purchases` are built on it. The scan that reads the
transactions once for every figure per period (:func:`~loyalty_lessons.scan.scan`) runs the
same SQL, and gives an :class:`~loyalty_lessons.activity.Activity`.

``docs/warehouse.md`` gives the per-customer and per-month figures as standard SQL.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loyalty_lessons._read import connect, frame
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "CALIBRATION_AGGREGATES",
    "CALIBRATION_COLUMNS",
    "CALIBRATION_ORDER",
    "CALIBRATION_SELECT",
    "DIALECTS",
    "FUNCTIONS",
    "ORDERS_SQL",
    "PARTITION_ROWS",
    "PER_CUSTOMER_SQL",
    "SPLIT_SHARES",
    "SPLIT_AGGREGATES",
    "SPLIT_COLUMNS",
    "SPLIT_ORDER",
    "SPLIT_SELECT",
    "SUMMARY_COLUMNS",
    "SUMMARY_SELECT",
    "SUMMARY_SQL",
    "TIME_UNITS",
    "last_date",
    "query",
    "register_transactions",
    "rows_by_share",
    "shape",
    "shares",
    "sql_fields",
    "summary_types",
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

#: From this many shares on, the rows of a Parquet file are first copied once into a file per
#: share (:func:`rows_by_share`), so that each share reads its own rows instead of the whole
#: file again. Measured on 100 M rows (2026-12-03): a pass over the file that picks one share
#: by the hash of the customer id costs about 4.6 CPU-seconds, the copy into 25 shares about
#: 25, so the copy pays from about six shares on (past 20 M rows).
SPLIT_SHARES = 6

#: The orders of the transactions up to ``$end`` (``{orders}``: grouped lines, or one line an
#: order), as the CTE ``orders``: a query over them follows.
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

#: Per customer, from its orders (a purchase is an order with a positive net amount), so
#: that one scan of the transactions feeds both; ``{more_aggregates}`` adds aggregates.
#: ``{period}`` and ``{last_line}`` name the orders' columns, or "date" when they hold the same
#: values (days; one line per order), so that DuckDB computes each aggregate once.
PER_CUSTOMER_SQL = """,
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

#: The summary's columns (``SUMMARY_COLUMNS``) from ``per_customer``; ``{more_columns}`` adds
#: columns.
SUMMARY_SELECT = """
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

#: The customer summary (``SUMMARY_COLUMNS``) of the transactions up to ``$end``, ``recency``
#: and ``T`` in periods of ``$unit`` days.
SUMMARY_SQL = ORDERS_SQL.rstrip() + PER_CUSTOMER_SQL + SUMMARY_SELECT

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

#: An order's net amount from its lines up to ``$calibration``: what it was on that day (a
#: refund line after it does not change whether the order was a purchase then); by
#: ``one_line_orders``.
CALIBRATION_ORDER = {
    False: ", sum(amount) FILTER (WHERE date <= $calibration) AS calibration_amount",
    True: ", amount AS calibration_amount",
}

#: Per customer, as of ``$calibration`` (what ``PER_CUSTOMER_SQL`` and ``SUMMARY_SELECT``
#: compute as of ``$end``, for orders up to ``$calibration``), and their purchases after it:
#: aggregates of ``PER_CUSTOMER_SQL`` and, in ``CALIBRATION_SELECT``, the columns they give
#: (``CALIBRATION_COLUMNS``).
CALIBRATION_AGGREGATES = """,
    count(*) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_orders,
    min(date) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_first,
    max(date) FILTER (WHERE calibration_amount > 0 AND date <= $calibration) AS calibration_last,
    min(date) FILTER (WHERE date <= $calibration) AS calibration_seen,
    count(*) FILTER (WHERE amount > 0 AND date > $calibration) AS holdout_purchases"""
CALIBRATION_SELECT = """,
    calibration_orders,
    coalesce(calibration_first, calibration_seen) AS calibration_first_purchase,
    coalesce(days_between(calibration_last, calibration_first), 0) AS calibration_recency,
    days_between($calibration, coalesce(calibration_first, calibration_seen)) AS calibration_T,
    holdout_purchases"""

#: The columns a scan with a ``split`` adds to its ``customers``: each customer as
#: ``customer_summary(observation_end=split)`` would summarise them (in days; 0 orders and
#: missing days for a customer without a purchase by then), with their purchases in the
#: ``window_days`` days up to the split: what the behaviour rule types a customer on at the
#: split (:func:`~loyalty_lessons.future_spend.future_spend`). See
#: :func:`~loyalty_lessons.scan.split_summary`.
SPLIT_COLUMNS = [
    "split_orders",
    "split_revenue",
    "split_days_since_last",
    "split_tenure_days",
    "split_orders_in_window",
]

#: An order's net amount from its lines up to ``$split`` (as ``CALIBRATION_ORDER``).
SPLIT_ORDER = {
    False: ", sum(amount) FILTER (WHERE date <= $split) AS split_amount",
    True: ", amount AS split_amount",
}

#: Per customer, as of ``$split``: what ``PER_CUSTOMER_SQL`` and ``SUMMARY_SELECT`` compute as
#: of ``$end`` for the orders up to ``$split``, and the purchases after ``$typing_since`` (the
#: window's start); ``SPLIT_SELECT`` gives their columns (``SPLIT_COLUMNS``).
SPLIT_AGGREGATES = """,
    count(*) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_orders,
    min(date) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_first,
    max(date) FILTER (WHERE split_amount > 0 AND date <= $split) AS split_last,
    sum(split_amount) FILTER (WHERE date <= $split) AS split_revenue,
    count(*) FILTER (WHERE split_amount > 0 AND date > $typing_since AND date <= $split)
        AS split_orders_in_window"""
SPLIT_SELECT = """,
    split_orders,
    split_revenue,
    days_between($split, split_last) AS split_days_since_last,
    days_between($split, split_first) AS split_tenure_days,
    split_orders_in_window"""


def _period_sql(column: str, time_unit: str) -> str:
    """SQL flooring a DATE to the start of its period (weeks end on Sunday, as in pandas)."""
    if time_unit == "D":
        return column
    # pandas' 'W' (W-SUN) periods run Monday to Sunday.
    return f"CAST(date_trunc('week', {column}) AS DATE)"


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


def register_transactions(con, transactions, needed: list[str | None]) -> None:
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
        register_transactions(con, transactions, [])
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
    ``calibration_amount`` (see ``CALIBRATION_ORDER``); ``split``: ``split_amount``
    (``SPLIT_ORDER``).
    """
    words = DIALECTS[dialect]
    q = lambda name: _quoted(name, DIALECTS[dialect]["quote"])  # noqa: E731
    period = _period_sql("date", time_unit)
    # Orders are grouped on a 64-bit hash of their id (much faster than on text); a
    # row without an order id is its own purchase of that period.
    hash_ = words["hash"]
    key = (
        f"CASE WHEN order_id IS NULL THEN {hash_}({period}) ELSE {hash_}(order_id) END"
        if has_orders
        else period
    )
    order_more = (CALIBRATION_ORDER[one_line_orders] if calibration else "") + (
        SPLIT_ORDER[one_line_orders] if split else ""
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


@contextmanager
def rows_by_share(
    con, transactions: pd.DataFrame | str | Path, count: int, customer_id_col: str, needed: list[str | None]
) -> Iterator[Callable[[int], tuple[int, int]]]:
    """Give, for each share of the customers, what :func:`sql_fields` needs to read its rows.

    Yields a function of the share's number that returns the ``(shares, share)`` to pass to
    :func:`sql_fields`. Below :data:`SPLIT_SHARES` shares, or for a DataFrame, every share's
    queries read the whole of ``transactions`` (the view of :func:`register_transactions`) and
    keep their customers by the hash of the id: the function returns ``(count, share)``.
    Otherwise the ``needed`` columns are first copied once into a Parquet file per share, in a
    temporary folder beside the transactions' file (removed on exit; when that folder cannot be
    written to, the shares read the whole file as above), and the function points
    the view ``transactions`` at the share's own file and returns ``(1, 0)``: the rows of a
    share are then those of the view, and are read without reading the others.
    """
    if count < SPLIT_SHARES or isinstance(transactions, pd.DataFrame):
        yield lambda share: (count, share)
        return
    columns = ", ".join(_quoted(c) for c in dict.fromkeys(needed) if c is not None)
    try:
        copies = tempfile.TemporaryDirectory(prefix=".shares-", dir=Path(transactions).parent)
    except OSError:  # a folder this process may not write to: each share reads the whole file
        yield lambda share: (count, share)
        return
    with copies as folder:
        rows = (Path(folder) / "rows").as_posix().replace("'", "''")
        # Each partition's rows are written a row group at a time (DuckDB's default buffers
        # four times as many per partition and thread: 1.5 GB at 100 M rows instead of 0.5).
        con.execute("SET partitioned_write_flush_threshold = 122880")
        con.execute(
            f"COPY (SELECT {columns}, hash({_quoted(customer_id_col)}) % {count} AS __share "
            f"FROM transactions) TO '{rows}' (FORMAT parquet, PARTITION_BY (__share))"
        )
        con.execute("RESET partitioned_write_flush_threshold")

        def share_view(share: int) -> tuple[int, int]:
            # A share without a row has no file: the hive filter then reads none, without error.
            con.execute(
                "CREATE OR REPLACE VIEW transactions AS SELECT * EXCLUDE (__share) FROM "
                f"read_parquet('{rows}/*/*.parquet', hive_partitioning = true) WHERE __share = {share}"
            )
            return 1, 0

        yield share_view


def _quoted(name: str, mark: str = '"') -> str:
    """A column name quoted for SQL (``mark``: the engine's quote, ``DIALECTS``)."""
    return mark + name.replace(mark, mark + mark) + mark


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

    Customers are split into shares by a hash of their id, each share is run on its own (on
    its own copy of the rows from :data:`SPLIT_SHARES` shares on: :func:`rows_by_share`), and
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

    def part(shares_: int, share: int) -> str:
        fields = sql_fields(
            has_orders,
            time_unit,
            shares_,
            share,
            customer_id_col,
            date_col,
            amount_col,
            order_id_col,
            one_line_orders,
        )
        return sql.format(**fields, more_aggregates="", more_columns="")

    # Order ids group lines into orders; rows that are orders of their own need none.
    grouped = has_orders and not one_line_orders
    needed = [customer_id_col, date_col, amount_col, order_id_col if grouped else None]
    con = connect()
    try:
        register_transactions(con, transactions, needed)
        # The result is sorted at the end: rows need not keep their order on the way, which
        # lets DuckDB scan and group on all cores.
        con.execute("SET preserve_insertion_order = false")
        parameters = {"end": observation_end.date(), "unit": TIME_UNITS[time_unit]}
        parameters = {k: v for k, v in parameters.items() if f"${k}" in sql}
        with rows_by_share(con, transactions, count, customer_id_col, needed) as rows_of:
            for share in range(count):
                con.execute(f"CREATE TEMP TABLE share_{share} AS {part(*rows_of(share))}", parameters)
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
