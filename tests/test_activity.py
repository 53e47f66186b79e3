"""Tests of loyalty_lessons.activity: who bought in which month, and the month bitmask."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons._read import connect
from loyalty_lessons.activity import UNIT_ORDINALS, Activity, check_period, period_bits, period_ordinals
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import FUNCTIONS
from loyalty_lessons.scan import scan


@pytest.fixture
def shop() -> pd.DataFrame:
    """a: Jan 9 (10) and Mar 1 (5); b: a refund only (Mar 2); c: one order of two lines (Feb 10)."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c"],
            "date": pd.to_datetime(["2024-01-09", "2024-03-01", "2024-03-02", "2024-02-10", "2024-02-10"]),
            "amount": [10.0, 5.0, -8.0, 7.0, 3.0],
            "order_id": ["o1", "o2", "o3", "o4", "o4"],
        }
    )


def _summary(ids, orders, first, masks):
    """The ``customers`` table an engine hands over: the summary's columns and the bits."""
    first = pd.to_datetime(first)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "first_purchase": first,
            "last_purchase": first,
            "orders": orders,
            "revenue": [10.0] * len(ids),
            "average_order_value": [10.0] * len(ids),
            "days_since_last": [0] * len(ids),
            "tenure_days": [0] * len(ids),
            "frequency": [0] * len(ids),
            "recency": [0.0] * len(ids),
            "T": [0.0] * len(ids),
            "monetary_value": [0.0] * len(ids),
            "second_purchase": pd.NaT,
            "third_purchase": pd.NaT,
            "bought_0": masks,
        }
    )


def test_an_activity_from_the_tables_an_engine_hands_over():
    # Months 2024-01 (ordinal 648) to 2024-04; x bought in months 0 and 3, y none (a refund),
    # z in month 1. Lines and purchases come in several rows per month (one per share).
    customers = _summary(["x", "y", "z"], [2, 0, 1], ["2024-01-05", None, "2024-02-02"], [0b1001, 0, 0b10])
    lines = pd.DataFrame(
        {
            "ordinal": [648, 649, 651, 651],
            "revenue": [10.0, 10.0, 4.0, -1.0],
            "lines": [1, 1, 1, 1],
            "first_date": pd.to_datetime(["2024-01-05", "2024-02-02", "2024-04-01", "2024-04-03"]),
        }
    )
    purchases = pd.DataFrame(
        {
            "ordinal": [648, 649, 651],
            "orders": [1, 1, 1],
            "spend": [10.0, 10.0, 4.0],
            "spend_squares": [100.0, 100.0, 16.0],
        }
    )
    activity = Activity.from_tables(
        pd.Timestamp("2024-04-30"), "M", 648, 4, customers, ["bought_0"], lines, purchases, None
    )
    assert activity.first_date == pd.Timestamp("2024-01-05")
    assert activity.buyers.tolist() == [True, False, True]
    assert activity.bought.tolist() == [[True, False], [False, True], [False, False], [True, False]]
    assert list(activity.customers.columns) == list(customers.columns[:-1])
    assert activity.revenue.tolist() == [10.0, 10.0, 0.0, 3.0]
    assert activity.lines.tolist() == [1, 1, 0, 2]
    assert activity.orders.tolist() == [1, 1, 0, 1]
    assert activity.spend_squares.tolist() == [100.0, 100.0, 0.0, 16.0]
    assert activity.first_periods("M").tolist() == [0, 1]
    assert activity.calibration_purchases_by_day is None


def test_months_fold_into_quarters_and_years(shop):
    activity = scan(shop)
    assert activity.periods("Q").astype(str).tolist() == ["2024Q1"]
    assert activity.in_periods("Q").tolist() == [[True, True]]
    assert activity.per_period(activity.revenue, "Y").tolist() == [17.0]
    assert activity.first_periods("Y").tolist() == [0, 0]


def test_purchase_months_over_several_columns_of_bits_and_before_1970():
    # Month ordinals -1 (1969-12) to 65 (1975-06): 67 months, two columns of 64 bits.
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "amount": [5.0, 6.0, 7.0],
            "date": pd.to_datetime(["1969-12-15", "1975-06-01", "1972-01-01"]),
        }
    )
    activity = scan(tx)
    assert activity.first == -1 and activity.bought.shape == (67, 2)
    assert np.flatnonzero(activity.bought[:, 0]).tolist() == [0, 66]
    assert np.flatnonzero(activity.bought[:, 1]).tolist() == [25]
    assert activity.in_periods("Y").sum(axis=1).tolist() == [1, 0, 0, 1, 0, 0, 1]


def test_the_bits_sql_sets_the_bit_of_each_month_of_purchase():
    # Purchases in months 0, 63 and 64 from 2019-01 (ordinal 588), a refund in month 1.
    dates = ["2019-01-20", "2024-04-02", "2024-05-31", "2019-02-03"]
    sql, names = period_bits("M", 588, 65, "duckdb")
    assert names == ["bought_0", "bought_1"]
    con = connect()
    try:
        for definition in FUNCTIONS["duckdb"]:
            con.execute(definition)
        con.register(
            "orders", pd.DataFrame({"date": pd.to_datetime(dates).date, "amount": [1.0, 2.0, 3.0, -4.0]})
        )
        masks = con.execute(f"SELECT 0 AS o {sql} FROM orders").fetchone()[1:]
    finally:
        con.close()
    assert [int(m) for m in masks] == [1 | 1 << 63, 1]


@pytest.mark.parametrize("unit", sorted(UNIT_ORDINALS))
def test_the_sql_ordinals_are_pandas_ordinals(unit):
    dates = pd.to_datetime(["1969-12-28", "1969-12-29", "1970-01-01", "2023-01-01", "2024-02-29"])
    con = connect()
    try:
        for definition in FUNCTIONS["duckdb"]:
            con.execute(definition)
        con.register("days", pd.DataFrame({"date": dates.date}))
        ordinals = [row[0] for row in con.execute(f"SELECT {UNIT_ORDINALS[unit]} FROM days").fetchall()]
    finally:
        con.close()
    assert ordinals == [d.to_period(unit).ordinal for d in dates]


def test_weeks_run_monday_to_sunday():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "amount": [5.0, 6.0],
            "date": pd.to_datetime(["2023-01-01", "2023-01-02"]),
        }
    )  # a Sunday, a Monday
    activity = scan(tx, unit="W")
    assert activity.periods("W").astype(str).tolist() == ["2022-12-26/2023-01-01", "2023-01-02/2023-01-08"]
    assert activity.bought.tolist() == [[True], [True]]


@pytest.mark.parametrize("period", ["W", "M", "Q", "Y"])
def test_period_ordinals_are_pandas_ordinals(period):
    dates = pd.to_datetime(["1969-12-28", "1969-12-29", "1970-01-01", "2023-01-01", "2024-02-29"])
    expected = [d.to_period(period).ordinal for d in dates]
    assert period_ordinals(dates.to_numpy(), period).tolist() == expected


def test_a_scan_by_months_has_no_weeks(shop):
    with pytest.raises(LoyaltyDataError, match="unit='W'"):
        scan(shop).periods("W")


def test_only_the_four_periods_are_accepted():
    assert [check_period(p) for p in ("W", "M", "Q", "Y")] == ["W", "M", "Q", "Y"]
    with pytest.raises(LoyaltyDataError, match="period='D' is not supported"):
        check_period("D")
