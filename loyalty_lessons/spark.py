"""Apache Spark as a second engine of the same figures, for transactions that outgrow one machine.

The order and per-customer SQL of :mod:`loyalty_lessons.orders` is one text for both engines:
what DuckDB and Spark SQL write differently is a handful of expressions declared as data
(``orders.DIALECTS``, ``orders.FUNCTIONS``). This module runs that text on a Spark session:

- :func:`session` opens the session: a master URL, Spark Connect through ``SPARK_REMOTE``,
  or ``local[*]``;
- :func:`load_transactions` reads an export (Parquet or CSV, from any path the cluster can
  read) and checks every row with the loaders' checks and reasons
  (``data.TRANSACTION_CHECKS``); the rows set aside are counted by reason and can be written
  as a dataset, so that ``rows_read == rows_kept + rows_rejected`` still holds;
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
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa

from loyalty_lessons._parse import match_roles
from loyalty_lessons._read import arrow_frame
from loyalty_lessons.activity import Activity
from loyalty_lessons.data import TRANSACTION_CHECKS, TRANSACTION_ROLES
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport, refund_note
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

#: Settings of a session this module opens (a cluster's own settings are not changed): Arrow
#: carries results to the driver.
SESSION_CONFIG = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
}

#: The canonical columns the Spark loader writes, and those the figures read.
_CANONICAL = ["customer_id", "date", "amount", "order_id", "channel"]

#: Rows set aside kept on the report itself (all of them go to the dataset).
REJECTED_EXAMPLES = 20

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


def _pyspark():
    # pyspark 4 warns that it is not tested with pandas 3; this module hands it Arrow tables
    # only, and its results are checked against DuckDB's (tests/test_spark.py).
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    try:
        from pyspark.sql import DataFrame, SparkSession
    except ImportError:
        raise LoyaltyDataError(
            "The Spark engine needs pyspark: pip install 'loyalty-lessons[spark]' (and Java 17 "
            "or later, e.g. Debian's openjdk-17-jre-headless)."
        ) from None
    return SparkSession, DataFrame


def session(master: str | None = None, *, config: dict[str, str] | None = None):
    """The Spark session the figures are computed on.

    Parameters
    ----------
    master : str, optional
        A master URL (``spark://host:7077``, ``yarn``, ``local[4]``...). Without one, Spark
        Connect is used when ``SPARK_REMOTE`` is set (``sc://host:15002``), else the session
        that is already active (as under ``spark-submit`` or on Databricks), else the master
        of the ``MASTER`` environment variable (Spark's own convention; the command's
        ``--spark-master`` sets it for the report's kernel), else ``local[*]``.
    config : dict, optional
        More settings of a new session.

    Returns
    -------
    pyspark.sql.SparkSession
    """
    spark_session, _ = _pyspark()
    builder = spark_session.builder.appName("loyalty-lessons")
    if master is None:
        remote = os.environ.get("SPARK_REMOTE")
        if remote:
            builder = builder.remote(remote)
        else:
            active = spark_session.getActiveSession()
            if active is not None:
                return active
            master = os.environ.get("MASTER", "local[*]")
    if master is not None:
        builder = builder.master(master)
    settings = dict(SESSION_CONFIG)
    if master is not None and master.startswith("local"):
        # Spark's catalogue folder in the temporary folder, not in the report's folder.
        settings["spark.sql.warehouse.dir"] = str(
            Path(tempfile.gettempdir()) / "loyalty-lessons-spark-warehouse"
        )
        # The Python that scores customers (spark_model) is this one, with this package,
        # not whichever "python3" comes first on the PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in {**settings, **(config or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if master is not None and master.startswith("local"):
        spark.sparkContext.setLogLevel("ERROR")  # Spark's warnings are for the cluster's operators
    return spark


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


def _collect(frame) -> pd.DataFrame:
    """A small Spark result on the driver, by way of Arrow, with the types DuckDB's give."""
    return arrow_frame(frame.toArrow())


def _frame(spark, transactions, needed: list[str]):
    """``transactions`` as a Spark DataFrame: a Spark DataFrame as it is, a pandas one through
    Arrow, or a path of canonical Parquet files (as :func:`load_transactions` writes, or
    :func:`~loyalty_lessons.transactions_to_parquet`)."""
    _, spark_frame = _pyspark()
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
    return summary_types(_collect(frame.orderBy("customer_id")))[SUMMARY_COLUMNS]


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
    lines = (
        _collect(spark.sql(_bind(lines_sql(unit, fields), {"end": end_date}))) if end is not None else None
    )
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
                by_day = _collect(spark.sql(_bind(queries.calibration_purchases, parameters)))
            customers = _collect(table.orderBy("customer_id"))
        finally:
            spark.catalog.dropTempView("share_customers")
            table.unpersist()
        purchases = _collect(spark.sql(queries.purchases))
    finally:
        orders.unpersist()
    return Activity.from_tables(
        end, unit, first, count, customers, queries.masks, lines, purchases, window_days, calibration, by_day
    )


def _text(column: str) -> str:
    return f"nullif(trim(CAST({column} AS STRING)), '')"


def _parsed(name: str, kind: str, role: str, date_format: str) -> str:
    """Spark SQL of a role's canonical value from a column of type ``kind``."""
    column = f"`{name.replace('`', '``')}`"
    if role == "date":
        if kind in ("date", "timestamp", "timestamp_ntz"):
            return f"CAST({column} AS DATE)"
        if kind != "string":
            raise LoyaltyDataError(
                f"Column {name!r} holds {kind} values, not dates. Map the date role to the right "
                "column with columns={'date': ...}."
            )
        # The date part of the text ('2024-02-03 14:05' -> '2024-02-03').
        return f"try_to_date(regexp_extract(trim({column}), '^([^ T]+)', 1), '{date_format}')"
    if role in ("amount", "discount"):
        return f"try_cast(trim(CAST({column} AS STRING)) AS DOUBLE)"
    return _text(column)


def load_transactions(
    source: str | Path,
    *,
    spark=None,
    file_format: str | None = None,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    rejected_path: str | Path | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
):
    """Read and check a transactions export on Spark: the kept rows (lazily) and what became of all.

    Every row passes the loaders' checks, in their order (``data.TRANSACTION_CHECKS``): a row
    that fails one is set aside with that check's reason, the same words as
    :func:`~loyalty_lessons.load_transactions` uses. The export is read where it is; nothing
    but counts and a few examples comes to the driver.

    Parameters
    ----------
    source : str or Path
        A file or folder of Parquet or CSV files, on any file system the cluster reads
        (local, ``hdfs://``, ``s3a://``, ``abfss://``...).
    spark : SparkSession, optional
        Defaults to :func:`session`.
    file_format : {"parquet", "csv"}, optional
        Defaults to the source's extension, and Parquet for a folder without one.
    columns : dict, optional
        Role -> column, for columns whose names are not recognised (as the loaders take it).
    date_format : str, optional
        The strptime format of dates written as text, as the loaders take it (``%Y-%m-%d`` by
        default; ``%d/%m/%Y``...). Typed dates and timestamps need none.
    rejected_path : str or Path, optional
        Where to write the rows set aside (Parquet: ``reason`` and the columns used, as text),
        when there are some.
    max_rejected_share : float
        As the loaders: above this share of rows set aside, raise.

    Returns
    -------
    (pyspark.sql.DataFrame, LoadReport)
        The report's ``rejected`` holds the first rows set aside (``REJECTED_EXAMPLES``,
        without line numbers: a cluster reads a file in parts), ``reason_counts`` counts them
        all by reason, ``rejected_path`` says where they all are.
        The kept rows as canonical transactions (``customer_id``, ``date``, ``amount``, and
        ``order_id`` and ``channel`` when the export has them), computed when used; and the
        report of the load.

    Raises
    ------
    LoyaltyDataError
        If a required column is not found, a column cannot hold its role, or too many rows
        are set aside.
    """
    spark = spark or session()
    path = str(source)
    fmt = file_format or ("csv" if path.lower().endswith((".csv", ".csv.gz", ".txt")) else "parquet")
    if fmt == "csv":
        raw = spark.read.option("header", True).option("inferSchema", False).csv(path)
    elif fmt == "parquet":
        raw = spark.read.parquet(path)
    else:
        raise LoyaltyDataError(f"file_format={fmt!r} is not supported; use 'parquet' or 'csv'.")
    kinds = {f.name: f.dataType.typeName() for f in raw.schema.fields}
    used = match_roles(list(kinds), TRANSACTION_ROLES, columns, path)
    missing = [role for role in ("customer_id", "date", "amount") if role not in used]
    if missing:
        raise LoyaltyDataError(
            f"{path}: no column was recognised as the transactions' {' / '.join(missing)}. Columns found: "
            f"{list(kinds)}. Name them with columns={{{', '.join(f'{r!r}: ...' for r in missing)}}}."
        )
    roles = [role for role in _CANONICAL if role in used]
    pattern = _pattern(date_format or "%Y-%m-%d")
    parsed = {role: _parsed(used[role], kinds[used[role]], role, pattern) for role in roles}
    failing = {
        "empty": lambda role: f"{_text('`' + used[role].replace('`', '``') + '`')} IS NULL",
        "unusable": lambda role: f"__c_{role} IS NULL",
    }
    reason = (
        "CASE " + " ".join(f"WHEN {failing[k](r)} THEN '{why}'" for r, k, why in TRANSACTION_CHECKS) + " END"
    )
    raw.createOrReplaceTempView("raw_transactions")
    cells = ", ".join(f"CAST(`{h}` AS STRING) AS `{h}`" for h in dict.fromkeys(used[r] for r in roles))
    values = ", ".join(f"{expr} AS __c_{role}" for role, expr in parsed.items())
    checked = spark.sql(f"SELECT {reason} AS reason, * FROM (SELECT {values}, {cells} FROM raw_transactions)")
    # One pass counts the rows by reason and, of the kept ones, what the load report says.
    figures = [
        "count(*) AS n_rows",
        "min(__c_date) AS first",
        "max(__c_date) AS last",
        "count_if(__c_amount < 0) AS refunds",
        "sum(__c_amount) FILTER (WHERE __c_amount < 0) AS refunded",
    ]
    if "order_id" in roles:
        figures += [
            "count_if(__c_order_id IS NULL) AS no_order",
            "count(DISTINCT __c_customer_id, __c_order_id) AS orders",
        ]
    checked.createOrReplaceTempView("checked_transactions")
    by_reason = {
        row["reason"]: row
        for row in spark.sql(
            f"SELECT reason, {', '.join(figures)} FROM checked_transactions GROUP BY reason"
        ).collect()
    }
    kept_figures = by_reason.pop(None, None)
    counts = {reason: int(row["n_rows"]) for reason, row in by_reason.items()}
    kept = 0 if kept_figures is None else int(kept_figures["n_rows"])
    rejected = checked.where("reason IS NOT NULL").selectExpr(
        "reason", *[f"`{h}`" for h in _cells(used, roles)]
    )
    written = None
    if counts and rejected_path is not None:
        rejected.write.mode("overwrite").parquet(str(rejected_path))
        written = str(rejected_path)
    examples = (
        _collect(rejected.limit(REJECTED_EXAMPLES)) if counts else pd.DataFrame({"reason": []}, dtype="str")
    )
    # No line numbers: a cluster reads a file in parts.
    examples.insert(0, "line", pd.array([pd.NA] * len(examples), dtype="Int64"))
    transactions = checked.where("reason IS NULL").selectExpr(
        *["CAST(__c_date AS TIMESTAMP_NTZ) AS date" if r == "date" else f"__c_{r} AS {r}" for r in roles]
    )
    report = LoadReport(
        source=path,
        rows_read=kept + sum(counts.values()),
        rows_kept=kept,
        rejected=examples,
        columns={role: used[role] for role in roles},
        detected={"format": fmt, "engine": "spark"},
        reason_counts=counts,
        rejected_path=written,
    )
    report.detected["date_format"] = pattern
    if kept_figures is not None:
        _describe(transactions, kept_figures, report)
    if report.rows_read == 0:
        raise LoyaltyDataError(f"{path} has no transaction rows.")
    share = report.rows_rejected / report.rows_read
    if share > max_rejected_share:
        reasons = ", ".join(f"{r}: {n}" for r, n in report.reasons.items())
        raise LoyaltyDataError(
            f"{path}: {report.rows_rejected} of {report.rows_read} transaction rows ({share:.0%}) could not "
            f"be used ({reasons}), more than the {max_rejected_share:.0%} allowed. Columns used: {used}. Fix "
            "the mapping (columns=) or date_format=, or pass max_rejected_share=1.0 to load anyway."
        )
    return transactions, report


#: strptime directives of dates and Spark's datetime patterns for them.
_PATTERNS = {"%Y": "yyyy", "%y": "yy", "%m": "MM", "%d": "dd", "%%": "%"}


def _pattern(date_format: str) -> str:
    """Spark's datetime pattern of a strptime format of dates ('%d/%m/%Y' -> 'dd/MM/yyyy')."""
    parts = re.split(r"(%.)", date_format)
    unknown = [p for p in parts[1::2] if p not in _PATTERNS]
    if unknown or any(re.search(r"[A-Za-z']", p) for p in parts[0::2]):
        raise LoyaltyDataError(
            f"date_format={date_format!r} cannot be read by the Spark engine, which knows dates written "
            "with %Y, %y, %m and %d and separators (e.g. '%d/%m/%Y'); load the file with the DuckDB engine."
        )
    return "".join(_PATTERNS.get(p, p) if i % 2 else p for i, p in enumerate(parts))


def transactions_to_parquet(source, destination: str | Path, **kwargs) -> LoadReport:
    """:func:`load_transactions`, then the kept rows written as Parquet files to ``destination``
    (a folder, on any file system the cluster writes), as the report's route on Spark does.

    Returns
    -------
    LoadReport
    """
    transactions, report = load_transactions(source, **kwargs)
    transactions.write.mode("overwrite").parquet(str(destination))
    return report


def _cells(used: dict[str, str], roles: list[str]) -> list[str]:
    """The columns of the export a load used, once each, in the order of the roles."""
    return list(dict.fromkeys(used[role] for role in roles))


def _describe(transactions, figures, report: LoadReport) -> None:
    """Dates, refunds, one row per order and duplicates of the kept rows (``figures``: their
    row of the count by reason), into ``report``."""
    has_orders = "order_id" in transactions.columns
    if figures["first"] is not None:
        report.date_min, report.date_max = pd.Timestamp(figures["first"]), pd.Timestamp(figures["last"])
    report.refunds = int(figures["refunds"])
    report.one_line_orders = bool(
        has_orders and figures["no_order"] == 0 and figures["orders"] == report.rows_kept
    )
    if not report.one_line_orders:
        transactions.createOrReplaceTempView("kept_transactions")
        distinct = transactions.sparkSession.sql(
            "SELECT count(*) AS n FROM (SELECT DISTINCT * FROM kept_transactions)"
        )
        report.duplicates = report.rows_kept - int(distinct.first()["n"])
    if report.refunds:
        report.notes.append(refund_note(report.refunds, figures["refunded"]))
