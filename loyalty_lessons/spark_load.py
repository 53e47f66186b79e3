"""Reading and checking a transactions export on Spark, with the loaders' checks and reasons.

:func:`load_transactions` reads an export (Parquet or CSV, from any path the cluster can
read) and checks every row with the loaders' checks and reasons
(``data.TRANSACTION_CHECKS``); the rows set aside are counted by reason and can be written as
a dataset, so that ``rows_read == rows_kept + rows_rejected`` still holds. Only counts and a
few examples come back to the driver. :func:`transactions_to_parquet` writes the kept rows as
Parquet files, as the report's route on Spark does.

See Also
--------
loyalty_lessons.spark : the Spark engine, whose public home re-exports these names.
loyalty_lessons.data : the loaders of the DuckDB engine, whose checks these are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from loyalty_lessons._parse import match_roles
from loyalty_lessons.data import TRANSACTION_CHECKS, TRANSACTION_ROLES
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport, refund_note
from loyalty_lessons.spark_session import collect, session

__all__ = ["REJECTED_EXAMPLES", "load_transactions", "transactions_to_parquet"]

#: The canonical columns the Spark loader writes, and those the figures read.
_CANONICAL = ["customer_id", "date", "amount", "order_id", "channel"]

#: Rows set aside kept on the report itself (all of them go to the dataset).
REJECTED_EXAMPLES = 20


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
        "count_if(__c_amount = 0) AS zero_amounts",
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
        collect(rejected.limit(REJECTED_EXAMPLES)) if counts else pd.DataFrame({"reason": []}, dtype="str")
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
    report.zero_amounts = int(figures["zero_amounts"])
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
