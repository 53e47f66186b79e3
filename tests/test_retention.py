"""Tests of retention measured from transactions, on a hand-built shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons import annual_retention as exported
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.retention import (
    acquisition_counts,
    annual_retention,
    annual_retention_from_activity,
    retention_coverage,
)
from loyalty_lessons.scan import scan


@pytest.fixture
def transactions():
    rows = [
        ("a", "2022-02-01", 10.0, "o1"),
        ("b", "2022-06-01", 20.0, "o2"),
        ("c", "2022-11-30", 15.0, "o3"),
        ("a", "2023-01-15", 12.0, "o4"),
        ("b", "2023-03-01", -20.0, "o5"),  # refund only: not a purchase
        ("c", "2023-07-01", 30.0, "o6"),
        ("c", "2023-07-01", -30.0, "o6"),  # the same order fully refunded
        ("d", "2023-09-01", 8.0, "o7"),
        ("a", "2024-02-01", 9.0, "o8"),
        ("d", "2024-05-05", 11.0, "o9"),
        ("e", "2024-05-06", 7.0, "o10"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_annual_retention_hand_computed(transactions):
    expected = pd.DataFrame(
        {
            "year": np.array([2022, 2023], dtype="int64"),
            "customers": np.array([3, 2], dtype="int64"),  # 2022: a b c; 2023: a d
            "retained": np.array([1, 2], dtype="int64"),  # a; a and d
            "retention": [1 / 3, 1.0],
        }
    )
    before = transactions.copy()
    assert_frame_equal(annual_retention(transactions), expected)
    assert_frame_equal(transactions, before)


def test_annual_retention_without_order_ids_uses_days(transactions):
    # Without order ids, c's 2023-07-01 lines are one day with net 0: still no purchase.
    result = annual_retention(transactions.drop(columns="order_id"))
    assert result["retained"].tolist() == [1, 2]


def test_annual_retention_skips_gaps_between_years(transactions):
    later = transactions.assign(
        date=transactions["date"].where(
            transactions["date"].dt.year < 2024, transactions["date"] + pd.DateOffset(years=2)
        )
    )
    assert annual_retention(later)["year"].tolist() == [2022]


def test_annual_retention_needs_two_consecutive_years(transactions):
    with pytest.raises(LoyaltyDataError, match="two consecutive calendar years"):
        annual_retention(transactions[transactions["date"].dt.year == 2022])


def test_annual_retention_names_missing_columns(transactions):
    with pytest.raises(LoyaltyDataError, match="amount"):
        annual_retention(transactions.drop(columns="amount"))


def test_acquisition_counts_by_year(transactions):
    expected = pd.DataFrame(
        {
            "period": pd.period_range("2022", "2024", freq="Y"),
            "new_customers": np.array([3, 1, 1], dtype="int64"),
        }
    )
    assert_frame_equal(acquisition_counts(transactions, period="Y"), expected)


def test_acquisition_counts_by_month_include_empty_months(transactions):
    result = acquisition_counts(transactions)
    assert len(result) == 28  # 2022-02 to 2024-05
    assert result["new_customers"].sum() == 5
    assert result.loc[result["period"] == pd.Period("2023-09", "M"), "new_customers"].item() == 1
    assert result.loc[result["period"] == pd.Period("2022-03", "M"), "new_customers"].item() == 0


def test_acquisition_counts_rejects_unknown_period(transactions):
    with pytest.raises(LoyaltyDataError, match="'M'"):
        acquisition_counts(transactions, period="W")


def test_lines_without_an_order_id_are_grouped_by_day(transactions):
    # o6's refund line lost its order id: it is then its own (refund) day, no purchase,
    # and c's 30.0 on o6 becomes a 2023 purchase: c is retained from 2022 and buys in 2023.
    blanked = transactions.assign(
        order_id=transactions["order_id"].where(
            ~((transactions["order_id"] == "o6") & (transactions["amount"] < 0)), None
        )
    )
    result = annual_retention(blanked)
    assert result["customers"].tolist() == [3, 3]  # 2022: a b c; 2023: a c d
    assert result["retained"].tolist() == [2, 2]  # a c; a d


def test_the_package_exports_it():
    assert exported is annual_retention


def test_from_a_scan_up_to_an_earlier_observation_end(transactions):
    # Up to 2023-12-31 only the pair (2022, 2023) is covered: 2022 a b c; 2023 a d; a retained.
    expected = pd.DataFrame({"year": [2022], "customers": [3], "retained": [1], "retention": [1 / 3]})
    result = annual_retention_from_activity(scan(transactions, observation_end="2023-12-31"))
    assert_frame_equal(result, expected)


def test_a_year_of_refunds_only_has_no_retention():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "amount": [-5.0, 8.0, 6.0],
            "date": pd.to_datetime(["2022-03-01", "2023-03-01", "2023-04-01"]),
        }
    )
    expected = pd.DataFrame({"year": [2022], "customers": [0], "retained": [0], "retention": [np.nan]})
    assert_frame_equal(annual_retention(tx), expected)


def test_acquisition_counts_need_a_purchase():
    tx = pd.DataFrame({"customer_id": ["a"], "amount": [-5.0], "date": pd.to_datetime(["2022-03-01"])})
    with pytest.raises(LoyaltyDataError, match="no purchases"):
        acquisition_counts(tx)


def test_retention_coverage_flags_a_partial_second_year():
    retention = pd.DataFrame({"year": [2022, 2023, 2024], "retention": [0.5, 0.6, 0.7]})
    coverage = retention_coverage(retention, first_date="2022-03-15", observation_end="2025-06-30")
    assert coverage["months_observed"].tolist() == [10, 12, 12]
    assert coverage["months_observed_next"].tolist() == [12, 12, 6]
    assert coverage["complete"].tolist() == [False, True, False]
    assert coverage["retention"].tolist() == [0.5, 0.6, 0.7]
