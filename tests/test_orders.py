"""Tests of loyalty_lessons.orders: the order and per-customer SQL, and the query that runs it."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons import orders
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import (
    DIALECTS,
    ORDERS_SQL,
    SUMMARY_COLUMNS,
    SUMMARY_SQL,
    last_date,
    query,
    shape,
    shares,
    sql_fields,
    summary_types,
)


@pytest.fixture
def shop() -> pd.DataFrame:
    """a: one order of two lines and a refund line on it later; a line without an order id;
    b: two orders on one day."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "b"],
            "date": pd.to_datetime(
                ["2024-01-02", "2024-01-02", "2024-01-20", "2024-02-05", "2024-01-03", "2024-01-03"]
            ),
            "amount": [10.0, 5.0, -3.0, 7.0, 20.0, 4.0],
            "order_id": ["o1", "o1", "o1", None, "o2", "o3"],
        }
    )


def test_orders_are_the_net_of_their_lines(shop):
    result = query(
        ORDERS_SQL + "SELECT customer_id, date, amount FROM orders",
        shop,
        order_by="customer_id, date, amount",
        observation_end=pd.Timestamp("2024-12-31"),
    )
    assert result.values.tolist() == [
        ["a", pd.Timestamp("2024-01-02"), 12.0],
        ["a", pd.Timestamp("2024-02-05"), 7.0],
        ["b", pd.Timestamp("2024-01-03"), 4.0],
        ["b", pd.Timestamp("2024-01-03"), 20.0],
    ]


def test_the_summary_query_by_hand(shop):
    end = pd.Timestamp("2024-02-29")
    result = summary_types(
        query(SUMMARY_SQL + "ORDER BY customer_id", shop, order_by="customer_id", observation_end=end)
    )
    expected = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "first_purchase": pd.to_datetime(["2024-01-02", "2024-01-03"]).astype("datetime64[us]"),
            "last_purchase": pd.to_datetime(["2024-02-05", "2024-01-03"]).astype("datetime64[us]"),
            "orders": [2, 2],
            "revenue": [19.0, 24.0],
            "average_order_value": [9.5, 12.0],
            "days_since_last": [24, 57],
            "tenure_days": [58, 57],
            "frequency": [1, 1],
            "recency": [34.0, 0.0],
            "T": [58.0, 57.0],
            # b's first purchase is the smaller order of its first day: the repeat is 20.
            "monetary_value": [7.0, 20.0],
        }
    )
    assert list(result.columns) == SUMMARY_COLUMNS
    assert_frame_equal(result, expected)


def test_rows_after_the_observation_end_are_left_out(shop):
    result = query(
        ORDERS_SQL + "SELECT customer_id, amount FROM orders",
        shop,
        order_by="customer_id, amount",
        observation_end=pd.Timestamp("2024-01-10"),
    )
    # The refund of Jan 20 and the order of Feb 5 come later.
    assert result["amount"].tolist() == [15.0, 4.0, 20.0]


def test_a_share_of_the_customers_at_a_time_changes_nothing(shop, monkeypatch):
    sql, end = SUMMARY_SQL, pd.Timestamp("2024-02-29")
    whole = query(sql, shop, order_by="customer_id", observation_end=end)
    monkeypatch.setattr(orders, "PARTITION_ROWS", 2)
    assert shares(len(shop)) == 3
    assert_frame_equal(query(sql, shop, order_by="customer_id", observation_end=end), whole)


def test_shape_and_last_date_of_a_frame_and_of_a_parquet_file(shop, tmp_path):
    path = tmp_path / "tx.parquet"
    shop.to_parquet(path)
    assert shape(shop) == shape(path) == (["customer_id", "date", "amount", "order_id"], 6)
    assert last_date(shop) == last_date(path) == pd.Timestamp("2024-02-05")


def test_a_file_that_is_not_parquet_says_what_to_pass(tmp_path):
    (tmp_path / "tx.csv").write_text("customer_id,date,amount\n")
    with pytest.raises(
        LoyaltyDataError, match="could not be read as a Parquet file.*transactions_to_parquet"
    ):
        shape(tmp_path / "tx.csv")


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_the_fields_of_each_engine(dialect):
    quote = DIALECTS[dialect]["quote"]
    fields = sql_fields(True, "W", 4, 1, "N° carte", "jour", "CA", "ticket", dialect=dialect, split=True)
    assert fields["customer"] == f"{quote}N° carte{quote}"
    assert fields["order_select"] == f", CAST({quote}ticket{quote} AS STRING) AS order_id"
    assert f"{DIALECTS[dialect]['hash']}(order_id)" in fields["orders"]
    assert fields["partition"] == f"AND {DIALECTS[dialect]['hash']}({quote}N° carte{quote}) % 4 = 1"
    assert "date_trunc('week', $end)" in fields["end_period"]
    assert "split_amount" in fields["orders"] and "calibration_amount" not in fields["orders"]


def test_one_line_orders_are_not_grouped():
    fields = sql_fields(True, "D", 1, 0, "customer_id", "date", "amount", "order_id", one_line_orders=True)
    assert "GROUP BY" not in fields["orders"]
    assert fields["order_select"] == "" and fields["partition"] == ""
    assert fields["period"] == fields["last_line"] == "date"
