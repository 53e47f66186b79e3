"""Tests of loyalty_lessons.scan: the transactions read once into an Activity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons import orders
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scan import checked_scan, scan, scan_parameters, split_summary, used


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


def test_an_earlier_observation_end_and_a_window(shop):
    activity = scan(shop, observation_end="2024-02-29", window_days=30)
    assert activity.customers["customer_id"].tolist() == ["a", "c"]
    assert activity.customers["orders_in_window"].tolist() == [0, 1]
    assert activity.bought.tolist() == [[True, False], [False, True]]


def test_a_share_of_the_customers_at_a_time_changes_nothing(shop, monkeypatch):
    whole = scan(shop)
    monkeypatch.setattr(orders, "PARTITION_ROWS", 2)  # three shares
    shared = scan(shop)
    assert_frame_equal(shared.customers, whole.customers)
    for name in ("buyers", "bought", "orders", "revenue", "lines"):
        np.testing.assert_array_equal(getattr(shared, name), getattr(whole, name), err_msg=name)


def test_a_split_summarises_each_customer_as_of_that_day(shop):
    # On Feb 15, with a 30-day window: a has bought once (Jan 9, outside the window), c once
    # (Feb 10, inside it); b has not bought yet and is left out.
    activity = scan(shop, split="2024-02-15", window_days=30)
    expected = pd.DataFrame(
        {
            "customer_id": ["a", "c"],
            "orders": [1, 1],
            "revenue": [10.0, 10.0],
            "days_since_last": [37, 5],
            "tenure_days": [37, 5],
            "orders_in_window": [0, 1],
            "revenue_after": [5.0, 0.0],
        }
    )
    assert_frame_equal(split_summary(activity.customers), expected, check_dtype=False)


def test_a_calibration_end_counts_the_purchases_after_it(shop):
    activity = scan(shop, calibration_end="2024-02-01")
    customers = activity.customers.set_index("customer_id")
    assert customers["calibration_orders"].to_dict() == {"a": 1, "b": 0, "c": 0}
    assert customers["holdout_purchases"].to_dict() == {"a": 1, "b": 0, "c": 1}
    assert customers.loc["a", "calibration_T"] == 23.0
    # Only a was a customer by Feb 1: its purchases on Jan 9 and Mar 1.
    assert activity.calibration_purchases_by_day.to_dict() == {
        pd.Timestamp("2024-01-09"): 1,
        pd.Timestamp("2024-03-01"): 1,
    }


def test_the_parameters_of_a_scan_and_those_a_query_names():
    parameters = scan_parameters(pd.Timestamp("2024-03-31"), 30, split=pd.Timestamp("2024-02-29"))
    assert parameters == {
        "end": pd.Timestamp("2024-03-31").date(),
        "unit": 1,
        "since": pd.Timestamp("2024-03-01").date(),
        "split": pd.Timestamp("2024-02-29").date(),
        "typing_since": pd.Timestamp("2024-01-30").date(),
    }
    assert used(parameters, "SELECT 1 WHERE date > $since AND date <= $end") == {
        "end": parameters["end"],
        "since": parameters["since"],
    }


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"observation_end": "2023-01-01"}, "no transactions on or before observation_end=2023-01-01"),
        ({"unit": "Q"}, "unit='Q' is not supported"),
        ({"amount_col": "total"}, "no column 'total'"),
        ({"split": "2024-02-01"}, "pass window_days= too"),
    ],
    ids=["end-before-data", "unit", "missing-column", "split-without-window"],
)
def test_bad_arguments_say_what_to_do(shop, kwargs, match):
    with pytest.raises(LoyaltyDataError, match=match):
        scan(shop, **kwargs)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda tx: tx.drop(columns="amount"), "lack the column"),
        (lambda tx: tx.assign(date=tx["date"].astype(str)), "must hold dates"),
        (lambda tx: tx.assign(amount=tx["amount"].astype(str)), "must be numeric"),
        (lambda tx: tx.assign(customer_id=[None, "a", "b", "c", "c"]), "1 missing value"),
        (lambda tx: tx.iloc[:0], "transactions are empty"),
    ],
    ids=["column", "dates", "amounts", "missing", "empty"],
)
def test_a_checked_scan_says_what_is_wrong_with_a_frame(shop, change, match):
    with pytest.raises(LoyaltyDataError, match=match):
        checked_scan(change(shop))


def test_a_checked_scan_is_the_scan_of_a_good_frame(shop):
    checked, plain = (
        checked_scan(shop, observation_end="2024-02-29"),
        scan(shop, observation_end="2024-02-29"),
    )
    assert_frame_equal(checked.customers, plain.customers)
    np.testing.assert_array_equal(checked.bought, plain.bought)
