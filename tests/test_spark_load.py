"""Loading an export on Spark sets aside the rows the loaders set aside, with their reasons."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons import customers

spark_engine = pytest.importorskip("loyalty_lessons.spark")
spark_load = pytest.importorskip("loyalty_lessons.spark_load")


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal tables: same columns, types and keys; numbers equal to 1e-9 relative."""
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, atol=0)


BAD_EXPORT = """customer_id,date,amount,order_id
c1,2024-01-05,10.50,o1
c1,2024-01-05,2.00,o1
,2024-01-06,3.00,o2
c2,,4.00,o3
c2,2024-02-30,4.00,o4
c3,2024-03-01,,o5
c3,2024-03-01,abc,o6
c3,2024-03-02,-5.00,o7
c3,2024-03-02,-5.00,o7
c4,2024-03-03 10:30,20.00,
"""


def test_a_load_sets_aside_the_rows_the_loader_sets_aside_with_its_reasons(spark, tmp_path):
    from loyalty_lessons import load_transactions as duckdb_load

    path = tmp_path / "export.csv"
    path.write_text(BAD_EXPORT)
    kept, report = spark_load.load_transactions(
        str(path), spark=spark, rejected_path=tmp_path / "rejected", max_rejected_share=1.0
    )
    expected, duckdb_report = duckdb_load(path, max_rejected_share=1.0)
    assert report.rows_read == report.rows_kept + report.rows_rejected == 10
    assert (
        report.reasons.to_dict()
        == duckdb_report.reasons.to_dict()
        == {
            "missing customer id": 1,
            "missing date": 1,
            "unparseable date": 1,
            "missing amount": 1,
            "non-numeric amount": 1,
        }
    )
    assert (report.refunds, report.duplicates, report.one_line_orders) == (
        duckdb_report.refunds,
        duckdb_report.duplicates,
        duckdb_report.one_line_orders,
    )
    assert (report.date_min, report.date_max) == (duckdb_report.date_min, duckdb_report.date_max)
    written = pd.read_parquet(tmp_path / "rejected")
    assert sorted(written["reason"]) == sorted(duckdb_report.rejected["reason"])
    assert len(report.rejected) == 5 and report.rejected["line"].isna().all()  # examples, no line numbers
    assert_same(spark_engine.customer_summary(kept, spark=spark), customers.customer_summary(expected))


def test_too_many_rows_set_aside_raise(spark, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(BAD_EXPORT)
    with pytest.raises(Exception, match="5 of 10 transaction rows"):
        spark_load.load_transactions(str(path), spark=spark)


def test_a_missing_column_is_named(spark, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("customer_id,date\nc1,2024-01-01\n")
    with pytest.raises(Exception, match="amount"):
        spark_load.load_transactions(str(path), spark=spark)


@pytest.mark.parametrize(
    ("strptime", "pattern"),
    [("%Y-%m-%d", "yyyy-MM-dd"), ("%d/%m/%Y", "dd/MM/yyyy"), ("%m.%d.%y", "MM.dd.yy")],
    ids=["iso", "day-first", "two-digit-year"],
)
def test_date_formats_as_the_loaders_take_them(strptime, pattern):
    assert spark_load._pattern(strptime) == pattern


@pytest.mark.parametrize("strptime", ["%d %b %Y", "%Y-%m-%dT%H"], ids=["month-name", "hours"])
def test_a_date_format_spark_cannot_read_says_so(strptime):
    with pytest.raises(Exception, match="DuckDB engine"):
        spark_load._pattern(strptime)
