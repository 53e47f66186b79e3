"""Tests of loyalty_lessons.orders: the scan every figure per period is counted from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons import orders
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import period_ordinals, scan


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


def test_a_scan_by_months_by_hand(shop):
    activity = scan(shop)
    assert activity.observation_end == pd.Timestamp("2024-03-02")
    assert activity.first_date == pd.Timestamp("2024-01-09")
    assert activity.customers["customer_id"].tolist() == ["a", "b", "c"]
    assert activity.buyers.tolist() == [True, False, True]
    # Months x buyers (a, c).
    assert activity.bought.tolist() == [[True, False], [False, True], [True, False]]
    assert activity.periods("M").astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    assert activity.orders.tolist() == [1, 1, 1]
    assert activity.revenue.tolist() == [10.0, 10.0, -3.0]
    assert activity.lines.tolist() == [1, 2, 2]
    assert activity.first_periods("M").tolist() == [0, 1]


def test_months_fold_into_quarters_and_years(shop):
    activity = scan(shop)
    assert activity.periods("Q").astype(str).tolist() == ["2024Q1"]
    assert activity.in_periods("Q").tolist() == [[True, True]]
    assert activity.per_period(activity.revenue, "Y").tolist() == [17.0]
    assert activity.first_periods("Y").tolist() == [0, 0]


def test_an_earlier_observation_end_and_a_window(shop):
    activity = scan(shop, observation_end="2024-02-29", window_days=30)
    assert activity.customers["customer_id"].tolist() == ["a", "c"]
    assert activity.customers["orders_in_window"].tolist() == [0, 1]
    assert activity.bought.tolist() == [[True, False], [False, True]]


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


def test_a_share_of_the_customers_at_a_time_changes_nothing(shop, monkeypatch):
    whole = scan(shop)
    monkeypatch.setattr(orders, "PARTITION_ROWS", 2)  # three shares
    shared = scan(shop)
    assert_frame_equal(shared.customers, whole.customers)
    for name in ("buyers", "bought", "orders", "revenue", "lines"):
        np.testing.assert_array_equal(getattr(shared, name), getattr(whole, name), err_msg=name)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"observation_end": "2023-01-01"}, "no transactions on or before observation_end=2023-01-01"),
        ({"unit": "Q"}, "unit='Q' is not supported"),
        ({"amount_col": "total"}, "no column 'total'"),
    ],
    ids=["end-before-data", "unit", "missing-column"],
)
def test_bad_arguments_say_what_to_do(shop, kwargs, match):
    with pytest.raises(LoyaltyDataError, match=match):
        scan(shop, **kwargs)


def test_a_scan_by_months_has_no_weeks(shop):
    with pytest.raises(LoyaltyDataError, match="unit='W'"):
        scan(shop).periods("W")
