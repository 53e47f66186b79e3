"""Apache Spark as a second engine of the same figures, for transactions that outgrow one machine.

The order and per-customer SQL of :mod:`loyalty_lessons.orders` is one text for both engines:
what DuckDB and Spark SQL write differently is a handful of expressions declared as data
(``orders.DIALECTS``, ``orders.FUNCTIONS``). This module runs that text on a Spark session:

- :func:`session` opens the session: a master URL, Spark Connect through ``SPARK_REMOTE``,
  or ``local[*]`` (:mod:`~loyalty_lessons.spark_session`);
- :func:`load_transactions` reads an export (Parquet or CSV, from any path the cluster can
  read) and checks every row with the loaders' checks and reasons
  (``data.TRANSACTION_CHECKS``); the rows set aside are counted by reason and can be written
  as a dataset, so that ``rows_read == rows_kept + rows_rejected`` still holds
  (:mod:`~loyalty_lessons.spark_load`);
- :func:`customer_summary` and :func:`scan` compute on the cluster the per-customer summary
  and the :class:`~loyalty_lessons.activity.Activity` that every per-period table of the report
  is counted from. Only these small results (one row per customer, one per month) come back
  to the driver;
- :func:`summary_frame` is the same summary left on the cluster, as a Spark DataFrame, for
  what is computed there from it (the customer-base model of
  :mod:`~loyalty_lessons.spark_model`).

``pyspark`` is an optional dependency (``pip install loyalty-lessons[spark]``) and Spark
needs Java; ``docs/scale.md`` says when to use this engine and how to run it on a cluster.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from loyalty_lessons.activity import Activity
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import (
    FUNCTIONS,
    SUMMARY_COLUMNS,
    SUMMARY_SQL,
    TIME_UNITS,
    sql_fields,
    summary_types,
)
from loyalty_lessons.scan import (
    check_split,
    lines_sql,
    require_columns,
    scan_parameters,
    scan_span,
    scan_sql,
)
from loyalty_lessons.spark_load import REJECTED_EXAMPLES, load_transactions, transactions_to_parquet
from loyalty_lessons.spark_session import SESSION_CONFIG, collect, session, spark_classes

__all__ = [
    "ENGINES",
    "REJECTED_EXAMPLES",
    "SESSION_CONFIG",
    "customer_summary",
    "load_transactions",
    "scan",
    "session",
    "summary_frame",
    "transactions_to_parquet",
]

#: The engines a figure can be computed on.
ENGINES = ("duckdb", "spark")


#: The Spark SQL types of the summary's columns as :func:`summary_frame` leaves them (the
#: dates as the query gives them).
_SUMMARY_TYPES = {
    "customer_id": "STRING",
    "orders": "BIGINT",
    "revenue": "DOUBLE",
    "average_order_value": "DOUBLE",
    "days_since_last": "BIGINT",
    "tenure_days": "BIGINT",
    "frequency": "BIGINT",
    "recency": "DOUBLE",
    "T": "DOUBLE",
    "monetary_value": "DOUBLE",
}


def _literal(value) -> str:
    """A Python value as a Spark SQL literal."""
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    raise TypeError(f"no SQL literal for {value!r}")


def _bind(sql: str, parameters: dict) -> str:
    """``sql`` with its ``$name`` parameters replaced by literals (DuckDB binds them itself)."""
    return re.sub(r"\$(\w+)", lambda m: _literal(parameters[m.group(1)]), sql)


def _frame(spark, transactions, needed: list[str]):
    """``transactions`` as a Spark DataFrame: a Spark DataFrame as it is, a pandas one through
    Arrow, or a path of canonical Parquet files (as :func:`load_transactions` writes, or
    :func:`~loyalty_lessons.transactions_to_parquet`)."""
    _, spark_frame = spark_classes()
    if isinstance(transactions, pd.DataFrame):
        columns = [c for c in dict.fromkeys(needed) if c in transactions]
        table = pa.Table.from_pandas(transactions[columns], preserve_index=False)
        # Text as plain strings, and dates (midnight, by the data contract) as dates, whatever
        # the session's time zone.
        schema = [
            pa.field(f.name, pa.string())
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            else pa.field(f.name, pa.date32())
            if pa.types.is_timestamp(f.type)
            else f
            for f in table.schema
        ]
        return spark.createDataFrame(table.cast(pa.schema(schema)))
    if isinstance(transactions, str | Path):
        return spark.read.parquet(str(transactions))
    if isinstance(transactions, spark_frame) or hasattr(transactions, "sparkSession"):
        return transactions
    raise LoyaltyDataError(
        f"The Spark engine takes a Spark DataFrame, a pandas DataFrame or a path of Parquet files, "
        f"not {type(transactions).__name__}."
    )


def _prepare(spark, transactions, columns: dict[str, str | None]) -> tuple[bool, list[str]]:
    """Register the transactions as the view ``transactions`` and define the shared functions.

    Returns whether there is an order id column, and the columns found.
    """
    needed = [c for c in columns.values() if c is not None]
    frame = _frame(spark, transactions, needed)
    found = frame.columns
    require_columns(found, [columns["customer"], columns["date"], columns["amount"]])
    has_orders = columns["order"] is not None and columns["order"] in found
    frame.select(*[c for c in needed if c in found]).createOrReplaceTempView("transactions")
    for definition in FUNCTIONS["spark"]:
        spark.sql(definition)
    return has_orders, found


def _end(spark, fields: dict[str, str], observation_end) -> pd.Timestamp | None:
    if observation_end is not None:
        return pd.Timestamp(observation_end).normalize()
    last = spark.sql(f"SELECT max(CAST({fields['date']} AS DATE)) AS last FROM transactions").first()["last"]
    return None if last is None else pd.Timestamp(last)


def summary_frame(
    transactions,
    *,
    observation_end: str | pd.Timestamp | None = None,
    time_unit: str = "D",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
    spark=None,
):
    """The per-customer summary as a Spark DataFrame, computed on the cluster when used.

    The query of :func:`customer_summary`, not run and not collected: for what is computed
    from the summary where it is (the counts of histories, the scores of every customer of
    :mod:`~loyalty_lessons.spark_model`). Its rows are in no particular order.

    Parameters
    ----------
    transactions : Spark DataFrame, pandas DataFrame, or str or Path of Parquet files
        Canonical transactions, as for :func:`customer_summary`.
    spark : SparkSession, optional
        Defaults to :func:`session`.

    Other parameters are those of :func:`loyalty_lessons.customer_summary`.

    Returns
    -------
    pyspark.sql.DataFrame
        The columns of ``SUMMARY_COLUMNS``, one row per customer (``frequency``,
        ``orders``, ``days_since_last`` and ``tenure_days`` as integers; ``revenue``,
        ``average_order_value``, ``recency``, ``T`` and ``monetary_value`` as doubles).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, there are no transactions or ``time_unit`` is unknown.
    """
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"time_unit={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} (days or weeks)."
        )
    spark = spark or session()
    names = dict(customer=customer_id_col, date=date_col, amount=amount_col, order=order_id_col)
    has_orders, _ = _prepare(spark, transactions, names)
    fields = sql_fields(
        has_orders,
        time_unit,
        1,
        0,
        customer_id_col,
        date_col,
        amount_col,
        order_id_col,
        one_line_orders,
        dialect="spark",
    )
    end = _end(spark, fields, observation_end)
    if end is None:
        raise LoyaltyDataError("The transactions are empty: there is no customer to summarise.")
    sql = SUMMARY_SQL.format(**fields, more_aggregates="", more_columns="")
    # A classic session resolves the view "transactions" here, so that a later load that
    # replaces it does not change this frame.
    frame = spark.sql(_bind(sql, {"end": end.date(), "unit": TIME_UNITS[time_unit]}))
    return frame.selectExpr(
        *[
            f"CAST(`{c}` AS {_SUMMARY_TYPES[c]}) AS `{c}`" if c in _SUMMARY_TYPES else f"`{c}`"
            for c in SUMMARY_COLUMNS
        ]
    )


def customer_summary(
    transactions,
    *,
    observation_end: str | pd.Timestamp | None = None,
    time_unit: str = "D",
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
    spark=None,
) -> pd.DataFrame:
    """:func:`loyalty_lessons.customer_summary`, computed by Spark: the same SQL, the same table.

    Parameters
    ----------
    transactions : Spark DataFrame, pandas DataFrame, or str or Path of Parquet files
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id``), e.g. the kept rows of :func:`load_transactions`.
    spark : SparkSession, optional
        Defaults to :func:`session`.

    Other parameters are those of :func:`loyalty_lessons.customer_summary`.

    Returns
    -------
    DataFrame
        The columns of ``SUMMARY_COLUMNS``, one row per customer, sorted by ``customer_id``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing, there are no transactions or ``time_unit`` is unknown.
    """
    frame = summary_frame(
        transactions,
        observation_end=observation_end,
        time_unit=time_unit,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
        one_line_orders=one_line_orders,
        spark=spark,
    )
    return summary_types(collect(frame.orderBy("customer_id")))[SUMMARY_COLUMNS]


def scan(
    transactions,
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
    spark=None,
) -> Activity:
    """:func:`loyalty_lessons.scan.scan`, computed by Spark: the same queries, the same Activity.

    The orders are grouped once on the cluster (kept there, in memory or on disk, while the two
    queries over them run); the driver receives one row per customer (the summary, and the
    periods of their purchases as 64-bit masks) and one row per period.

    Parameters
    ----------
    transactions : Spark DataFrame, pandas DataFrame, or str or Path of Parquet files
        Canonical transactions.
    spark : SparkSession, optional
        Defaults to :func:`session`.

    Other parameters are those of :func:`loyalty_lessons.scan.scan`.

    Returns
    -------
    Activity
    """
    check_split(split, window_days)
    spark = spark or session()
    names = dict(customer=customer_id_col, date=date_col, amount=amount_col, order=order_id_col)
    has_orders, _ = _prepare(spark, transactions, names)
    fields = sql_fields(
        has_orders,
        "D",
        1,
        0,
        customer_id_col,
        date_col,
        amount_col,
        order_id_col,
        one_line_orders,
        dialect="spark",
        calibration=calibration_end is not None,
        split=split is not None,
    )
    end = _end(spark, fields, observation_end)
    end_date = None if end is None else end.date()
    lines = collect(spark.sql(_bind(lines_sql(unit, fields), {"end": end_date}))) if end is not None else None
    first, count = scan_span(lines if lines is not None else pd.DataFrame(), end, unit)
    calibration = None if calibration_end is None else pd.Timestamp(calibration_end).normalize()
    queries = scan_sql(
        unit,
        first,
        count,
        fields,
        window_days=window_days,
        dialect="spark",
        calibration=calibration is not None,
        split=split is not None,
    )
    split_day = None if split is None else pd.Timestamp(split).normalize()
    parameters = scan_parameters(end, window_days, calibration, split_day)
    orders = spark.sql(_bind(queries.orders, parameters)).persist()
    by_day = None
    try:
        orders.createOrReplaceTempView("share_orders")
        table = spark.sql(_bind(queries.customers, parameters)).persist()
        try:
            table.createOrReplaceTempView("share_customers")
            if queries.calibration_purchases is not None:
                by_day = collect(spark.sql(_bind(queries.calibration_purchases, parameters)))
            customers = collect(table.orderBy("customer_id"))
        finally:
            spark.catalog.dropTempView("share_customers")
            table.unpersist()
        purchases = collect(spark.sql(queries.purchases))
    finally:
        orders.unpersist()
    return Activity.from_tables(
        end, unit, first, count, customers, queries.masks, lines, purchases, window_days, calibration, by_day
    )
