"""The Spark engine gives the figures DuckDB gives: the same SQL, run by Spark in local mode."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons import aggregates, customers
from loyalty_lessons import scan as duckdb_scan
from loyalty_lessons.activity import Activity
from loyalty_lessons.data import transactions_to_parquet
from loyalty_lessons.samples import load_sample

spark_engine = pytest.importorskip("loyalty_lessons.spark")


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal tables: same columns, types and keys; numbers equal to 1e-9 relative."""
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=0)


def shop(seed: int, n: int = 400) -> pd.DataFrame:
    """A shop with refunds, several lines per order, lines without an order id and duplicates."""
    rng = np.random.default_rng(seed)
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice([f"c{i}" for i in range(25)], size=n),
            "date": pd.Timestamp("2022-11-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "amount": rng.choice([-30.0, -5.0, 4.5, 12.25, 60.1], size=n, p=[0.1, 0.1, 0.3, 0.3, 0.2]),
        }
    )
    ids = pd.Series([f"o{i}" for i in rng.integers(0, n // 3, n)])
    tx["order_id"] = ids.where(rng.random(n) > 0.2)
    tx = pd.concat([tx, tx.iloc[:15]], ignore_index=True)  # duplicate rows
    tx["date"] = tx["date"].astype("datetime64[us]")
    return tx


@pytest.fixture(scope="module")
def sample_tx():
    return load_sample().transactions


def test_the_sample_summary_equals_duckdbs(spark, sample_tx):
    assert_same(spark_engine.customer_summary(sample_tx, spark=spark), customers.customer_summary(sample_tx))


@pytest.mark.parametrize(
    "kwargs",
    [{"time_unit": "W"}, {"observation_end": "2023-09-30"}, {"observation_end": "2001-01-01"}],
    ids=["weeks", "earlier-end", "before-the-data"],
)
def test_weeks_and_an_earlier_end(spark, kwargs):
    tx = shop(7)
    assert_same(
        spark_engine.customer_summary(tx, spark=spark, **kwargs), customers.customer_summary(tx, **kwargs)
    )


@pytest.mark.parametrize("seed", [1, 2], ids=["shop-1", "shop-2"])
def test_a_shop_with_refunds_duplicates_and_multi_line_orders(spark, seed):
    tx = shop(seed)
    expected = customers.customer_summary(tx)
    assert (expected["orders"] == 0).any() or (tx["amount"] < 0).any()
    assert_same(customers.customer_summary(tx, engine="spark"), expected)


def test_rows_without_order_ids_are_the_days_purchases(spark):
    tx = shop(3).drop(columns="order_id")
    assert_same(spark_engine.customer_summary(tx, spark=spark), customers.customer_summary(tx))


def test_one_line_orders_and_a_parquet_path(spark, tmp_path):
    tx = shop(9)
    tx["order_id"] = [f"u{i}" for i in range(len(tx))]
    path = tmp_path / "transactions.parquet"
    report = transactions_to_parquet(tx, path)
    assert report.one_line_orders
    assert_same(
        spark_engine.customer_summary(str(path), spark=spark, one_line_orders=report.one_line_orders),
        customers.customer_summary(path, one_line_orders=report.one_line_orders),
    )


def assert_same_activity(left: Activity, right: Activity) -> None:
    assert_same(left.customers, right.customers)
    assert (left.observation_end, left.first_date, left.first) == (
        right.observation_end,
        right.first_date,
        right.first,
    )
    np.testing.assert_array_equal(left.buyers, right.buyers)
    np.testing.assert_array_equal(left.bought, right.bought)
    for name in ("orders", "lines"):
        np.testing.assert_array_equal(getattr(left, name), getattr(right, name))
    for name in ("revenue", "spend", "spend_squares"):
        np.testing.assert_allclose(getattr(left, name), getattr(right, name), rtol=1e-9)


@pytest.mark.parametrize("seed", [4, 5], ids=["shop-4", "shop-5"])
def test_the_scan_equals_duckdbs(spark, seed):
    tx = shop(seed)
    assert_same_activity(
        spark_engine.scan(tx, spark=spark, window_days=365), duckdb_scan.scan(tx, window_days=365)
    )


def test_a_long_history_over_several_columns_of_month_bits(spark):
    rng = np.random.default_rng(7)
    days = np.r_[0, rng.integers(0, 4500, 300), 4500]
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdefghij"), size=len(days)),
            "date": (pd.Timestamp("1962-01-01") + pd.to_timedelta(days, unit="D")).astype("datetime64[us]"),
            "amount": rng.choice([-8.0, 6.0, 25.0], size=len(days), p=[0.1, 0.5, 0.4]),
        }
    )
    assert_same_activity(spark_engine.scan(tx, spark=spark), duckdb_scan.scan(tx))


def test_the_reports_tables_equal_duckdbs(spark):
    tx = shop(8)
    left = aggregates.aggregate(tx, engine="spark", cohort_period="M")
    right = aggregates.aggregate(tx, cohort_period="M")
    for name in ("summary", "monthly", "cohorts", "retention"):
        assert_same(getattr(left, name), getattr(right, name))
    pd.testing.assert_series_equal(left.orders_in_window, right.orders_in_window)
    pd.testing.assert_series_equal(left.yearly_revenue, right.yearly_revenue, rtol=1e-9)


def test_the_customers_as_of_a_split_equal_duckdbs(spark):
    tx = shop(9)
    left = aggregates.aggregate(tx, engine="spark", split="2023-09-30", calibration_end="2023-06-30")
    right = aggregates.aggregate(tx, split="2023-09-30", calibration_end="2023-06-30")
    assert left.split == right.split == pd.Timestamp("2023-09-30")
    assert len(right.before_split) > 5
    assert_same(left.before_split, right.before_split)
    assert_same(left.calibration, right.calibration)


def test_no_transaction_before_the_end_says_so(spark):
    with pytest.raises(Exception, match="no transactions on or before"):
        spark_engine.scan(shop(1), spark=spark, observation_end="2001-01-01")


# --- the report and the command on Spark -------------------------------------------------------


def export(seed: int, path) -> None:
    """A CSV export with refunds, duplicate rows, several lines per order and a few bad rows."""
    tx = shop(seed, n=600)
    text = tx.assign(date=tx["date"].dt.strftime("%Y-%m-%d"), amount=tx["amount"].map("{:.2f}".format))
    bad = pd.DataFrame(
        {
            "customer_id": ["", "c1", "c2", "c3"],
            "date": ["2023-05-01", "2023-02-30", "2023-05-02", ""],
            "amount": ["5.00", "7.00", "n/a", "3.00"],
            "order_id": ["x1", "x2", "x3", "x4"],
        }
    )
    pd.concat([text, bad], ignore_index=True).to_csv(path, index=False)


def key_figures_on(engine: str, transactions, folder):
    from loyalty_lessons.report import key_figures, report_data

    options = {"engine": engine, "rejected_path": folder / "rejected"} if engine == "spark" else {}
    data = report_data(transactions, folder=folder / "data", max_rejected_share=1.0, **options)
    return key_figures(data)


def assert_same_figures(left, right, path="figures"):
    """Equal key figures: the same keys and lists, numbers equal to 1e-9 relative."""
    if isinstance(left, dict):
        assert sorted(left) == sorted(right), path
        for key in left:
            assert_same_figures(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list):
        assert len(left) == len(right), path
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_same_figures(a, b, f"{path}[{i}]")
    elif isinstance(left, float) and isinstance(right, int | float):
        assert left == pytest.approx(right, rel=1e-9, nan_ok=True), path
    else:
        assert left == right, path


@pytest.mark.parametrize("source", ["sample", "export"])
def test_the_reports_figures_equal_duckdbs(spark, tmp_path, source):
    transactions = "sample" if source == "sample" else tmp_path / "export.csv"
    if source == "export":
        export(6, transactions)
    on_spark = key_figures_on("spark", transactions, tmp_path / "spark")
    on_duckdb = key_figures_on("duckdb", transactions, tmp_path / "duckdb")
    assert on_spark["rows_rejected"] == (0 if source == "sample" else 4)
    assert_same_figures(on_spark, on_duckdb)
    if source == "export":
        written = pd.read_parquet(tmp_path / "spark" / "rejected")
        assert written["reason"].value_counts().to_dict() == on_duckdb["tables"]["transactions"]["reasons"]


def test_the_summary_command_on_spark(spark, capsys):
    from loyalty_lessons.cli import main

    assert main(["summary", "--engine", "spark", "--rows", "2"]) == 0
    on_spark = capsys.readouterr().out
    assert main(["summary", "--rows", "2"]) == 0
    on_duckdb = capsys.readouterr().out
    assert "engine: 'spark'" in on_spark
    assert on_spark.split("Per-customer summary")[1] == on_duckdb.split("Per-customer summary")[1]


def test_the_report_command_on_spark_has_the_predictions_written_beside_the_report(spark, tmp_path):
    from loyalty_lessons import cli, cli_report
    from loyalty_lessons.inputs import Inputs

    work = tmp_path / "work"
    work.mkdir()
    args = cli._parser().parse_args(
        ["report", "--sample", "--engine", "spark", "--output", str(tmp_path / "out")]
    )
    cli_report.load_for_report(args, work / "data")
    meta = Inputs.load(work / "data").meta
    assert meta == {
        "engine": "spark",
        "predictions_path": str((work / "customer_predictions.parquet").absolute()),
    }
    assert "customer_predictions.parquet" in cli_report.REPORT_FILES  # moved into place with the report


@pytest.mark.parametrize(
    "call", [customers.customer_summary, aggregates.aggregate], ids=["summary", "aggregate"]
)
def test_an_unknown_engine_is_named(call):
    with pytest.raises(Exception, match="engine='polars' is not supported"):
        call(shop(1), engine="polars")
