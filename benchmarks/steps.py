"""One measured step of the benchmark, run in a fresh process by ``bench.py``.

``python benchmarks/steps.py STEP CSV OUT``: STEP is ``toolkit`` (check the file into
Parquet with ``transactions_to_parquet`` and summarise the Parquet file with
``customer_summary``, told what the loading step found about the orders, as the
report does), ``spark`` (the same on the Spark engine in local mode: the file checked by
``spark.load_transactions``, the kept rows summarised by ``spark.customer_summary``, JVM
start included) or ``pandas`` (the plain-pandas baseline:
``read_csv(engine="pyarrow")`` and groupby to the same summary). The summary is written
to OUT (Parquet) so that the two can be compared.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

COLUMNS = ["customer_id", "orders", "revenue", "frequency", "recency", "T", "monetary_value"]


def toolkit(path: str) -> pd.DataFrame:
    """The toolkit's way with a big export: checked into Parquet, summarised from the file."""
    from loyalty_lessons import customer_summary, transactions_to_parquet

    with tempfile.TemporaryDirectory() as folder:
        canonical = Path(folder) / "transactions.parquet"
        report = transactions_to_parquet(path, canonical)
        assert report.rows_kept + report.rows_rejected == report.rows_read
        return customer_summary(canonical, one_line_orders=report.one_line_orders)


def spark_engine(path: str) -> pd.DataFrame:
    """The same step on Apache Spark in local mode (every core of this machine)."""
    from loyalty_lessons import spark

    session = spark.session("local[*]")
    kept, report = spark.load_transactions(path, spark=session)
    assert report.rows_kept + report.rows_rejected == report.rows_read
    return spark.customer_summary(kept, one_line_orders=report.one_line_orders, spark=session)


def pandas_baseline(path: str) -> pd.DataFrame:
    """The same summary in plain pandas, written the way a pandas user would."""
    tx = pd.read_csv(path, engine="pyarrow", parse_dates=["date"])
    end = tx["date"].max()
    orders = (
        tx.groupby(["customer_id", "order_id"], sort=False)
        .agg(date=("date", "min"), amount=("amount", "sum"))
        .reset_index()
    )
    purchases = orders[orders["amount"] > 0]
    by_customer = purchases.groupby("customer_id")
    first, last = by_customer["date"].min(), by_customer["date"].max()
    on_first_day = purchases[purchases["date"] == purchases["customer_id"].map(first)]
    first_amount = on_first_day.groupby("customer_id")["amount"].min()
    n = by_customer.size()
    summary = pd.DataFrame({"revenue": tx.groupby("customer_id")["amount"].sum()})
    summary["orders"] = n.reindex(summary.index).fillna(0).astype("int64")
    summary["frequency"] = (summary["orders"] - 1).clip(lower=0)
    summary["recency"] = (last - first).dt.days.reindex(summary.index).fillna(0).astype(float)
    first_seen = first.reindex(summary.index).fillna(tx.groupby("customer_id")["date"].min())
    summary["T"] = (end - first_seen).dt.days.astype(float)
    repeat = (by_customer["amount"].sum() - first_amount).reindex(summary.index)
    summary["monetary_value"] = (repeat / summary["frequency"].where(summary["frequency"] > 0)).fillna(0.0)
    return summary.reset_index().sort_values("customer_id", ignore_index=True)


if __name__ == "__main__":
    step, path, out = sys.argv[1:4]
    summary = {"toolkit": toolkit, "spark": spark_engine, "pandas": pandas_baseline}[step](path)
    summary[COLUMNS].to_parquet(out)
