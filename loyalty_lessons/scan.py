"""The scan: the transactions read once into an :class:`~loyalty_lessons.activity.Activity`.

:func:`scan` runs the order and per-customer SQL of :mod:`~loyalty_lessons.orders` with
DuckDB over a DataFrame or a Parquet file of any size (a share of the customers at a time past
``orders.PARTITION_ROWS`` rows, so that memory stays flat), and gives one row per customer (the
customer summary) and the months (or weeks) in which each customer bought, with the
purchases, revenue and rows of each month. :func:`checked_scan` first checks a frame and says
in words what is wrong: the lesson functions scan with it.

The queries of a scan (:func:`scan_sql`, :func:`lines_sql`, with :func:`scan_parameters`) are
written for either engine: :func:`loyalty_lessons.spark.scan` runs the same text on Spark.
With a ``calibration_end`` or a ``split``, a scan also summarises each customer as of that
day (:func:`split_summary`), for the customer-base model's check and the future spend.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loyalty_lessons._read import connect, frame
from loyalty_lessons.activity import UNIT_ORDINALS, Activity, period_bits
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import (
    CALIBRATION_AGGREGATES,
    CALIBRATION_SELECT,
    DIALECTS,
    ORDERS_SQL,
    PER_CUSTOMER_SQL,
    SPLIT_AGGREGATES,
    SPLIT_SELECT,
    SUMMARY_SELECT,
    register_transactions,
    rows_by_share,
    shape,
    shares,
    sql_fields,
)

__all__ = [
    "ScanSQL",
    "check_split",
    "checked_scan",
    "lines_sql",
    "require_columns",
    "scan",
    "scan_parameters",
    "scan_span",
    "scan_sql",
    "split_summary",
    "used",
]

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
    up to ``$end``, refunds included (``fields``: from :func:`~loyalty_lessons.orders.sql_fields`).

    Raises
    ------
    LoyaltyDataError
        If ``unit`` is not one a scan counts in.
    """
    if unit not in UNIT_ORDINALS:
        raise LoyaltyDataError(f"unit={unit!r} is not supported; use one of {sorted(UNIT_ORDINALS)}.")
    return _LINES_SQL.format(ordinal=UNIT_ORDINALS[unit], date=fields["date"], amount=fields["amount"])


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
    (``fields``: from :func:`~loyalty_lessons.orders.sql_fields` with days as the time unit, and
    ``calibration`` and ``split`` as given here), with the columns of
    ``orders.CALIBRATION_COLUMNS`` when ``calibration`` and those of ``orders.SPLIT_COLUMNS``
    when ``split``."""
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
        more_aggregates += CALIBRATION_AGGREGATES
        more_columns += CALIBRATION_SELECT
    if split:
        more_aggregates += SPLIT_AGGREGATES
        more_columns += SPLIT_SELECT
    bits, masks = period_bits(unit, first, count, dialect)
    per_customer = "WITH orders AS (SELECT * FROM share_orders)" + PER_CUSTOMER_SQL + SUMMARY_SELECT
    return ScanSQL(
        orders=ORDERS_SQL.format(**fields) + "SELECT * FROM orders",
        customers=per_customer.format(
            **fields,
            more_aggregates=more_aggregates + bits,
            more_columns=more_columns + ", " + ", ".join(masks),
        ),
        purchases=_PURCHASES_PER_PERIOD_SQL.format(ordinal=UNIT_ORDINALS[unit]),
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
    ``customers`` of a scan with a ``split`` (``orders.SPLIT_COLUMNS``).

    Returns
    -------
    pandas.DataFrame
        Sorted as ``customers`` (by ``customer_id``): ``customer_id``, ``orders``,
        ``revenue``, ``days_since_last``, ``tenure_days`` (as ``customer_summary`` at the
        split gives them, in days), ``orders_in_window`` (purchases in the ``window_days``
        days up to the split) and ``revenue_after`` (net revenue after the split, up to the
        scan's observation end: its ``revenue`` less theirs at the split).
    """
    known = customers["split_orders"].to_numpy() > 0

    def column(name: str):  # one column of the known customers, not a copy of them all
        return customers[name].to_numpy()[known]

    revenue = column("split_revenue").astype("float64")
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].array[known],  # text stays in Arrow
            "orders": column("split_orders"),
            "revenue": revenue,
            "days_since_last": column("split_days_since_last").astype("int64"),
            "tenure_days": column("split_tenure_days").astype("int64"),
            "orders_in_window": column("split_orders_in_window"),
            "revenue_after": column("revenue").astype("float64") - revenue,
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
    ``orders.PARTITION_ROWS`` rows), then one query over the orders gives each customer's summary
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
        customer-base model: the columns of ``orders.CALIBRATION_COLUMNS`` in ``customers`` (NaT and
        0 for a customer first seen after it), and ``Activity.calibration_purchases_by_day``.
    split : date-like, optional
        Also summarise each customer as of this day, with their purchases in the
        ``window_days`` days up to it (which is then required): the columns of
        ``orders.SPLIT_COLUMNS`` in ``customers`` (see :func:`split_summary`).

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
    if unit not in UNIT_ORDINALS:
        raise LoyaltyDataError(f"unit={unit!r} is not supported; use one of {sorted(UNIT_ORDINALS)}.")
    check_split(split, window_days)
    columns, rows = shape(transactions)
    require_columns(columns, [customer_id_col, date_col, amount_col])
    has_orders = order_id_col is not None and order_id_col in columns
    # Order ids group lines into orders; rows that are orders of their own need none.
    grouped = has_orders and not one_line_orders
    needed = [customer_id_col, date_col, amount_col, order_id_col if grouped else None]
    con = connect()
    try:
        register_transactions(con, transactions, needed)
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
        with rows_by_share(con, transactions, count_shares, customer_id_col, needed) as rows_of:
            for share in range(count_shares):
                fields = sql_fields(
                    has_orders,
                    "D",
                    *rows_of(share),
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
                    con.execute(
                        f"CREATE OR REPLACE TEMP VIEW share_customers AS SELECT * FROM customers_{share}"
                    )
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
