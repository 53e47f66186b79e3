"""Tests of loyalty_lessons.cohorts on the hand-built ``shop`` of conftest.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from loyalty_lessons.cohorts import cohort_counts, cohort_counts_from_activity, cohort_retention
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scan import scan

NAN = np.nan


def test_cohort_counts_by_hand(shop):
    counts = cohort_counts(shop)
    expected = pd.DataFrame(
        [[2, 1, 1, 0, 0], [1, 1, 0, 0, pd.NA], [1, 0, 1, pd.NA, pd.NA], [1] + [pd.NA] * 4],
        index=pd.PeriodIndex(["2023-01", "2023-02", "2023-03", "2023-05"], freq="M", name="cohort"),
        columns=pd.Index(range(5), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(counts, expected)


def test_cohort_retention_by_hand(shop):
    matrix = cohort_retention(shop)
    expected = pd.DataFrame(
        [
            [1.0, 0.5, 0.5, 0.0, 0.0],
            [1.0, 1.0, 0.0, 0.0, NAN],
            [1.0, 0.0, 1.0, NAN, NAN],
            [1.0, NAN, NAN, NAN, NAN],
        ],
        index=pd.PeriodIndex(["2023-01", "2023-02", "2023-03", "2023-05"], freq="M", name="cohort"),
        columns=pd.Index(range(5), name="periods_since_first"),
    )
    pdt.assert_frame_equal(matrix, expected)


def test_cohort_counts_by_quarter_by_hand(shop):
    # Q1: a b c d, of whom d buys again in Q2; Q2: e, whose next quarter is not observed.
    expected = pd.DataFrame(
        [[4, 1], [1, pd.NA]],
        index=pd.PeriodIndex(["2023Q1", "2023Q2"], freq="Q", name="cohort"),
        columns=pd.Index(range(2), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(cohort_counts_from_activity(scan(shop), period="Q"), expected)
    pdt.assert_frame_equal(cohort_counts(shop, period="Q"), expected)


def test_weekly_cohorts_by_hand():
    # Weeks run Monday to Sunday: Sunday Jan 1 and Monday Jan 2 are two weeks.
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "amount": [5.0, 7.0, 9.0],
            "date": pd.to_datetime(["2023-01-01", "2023-01-02", "2023-01-03"]),
        }
    )
    expected = pd.DataFrame(
        [[1, 1], [1, pd.NA]],
        index=pd.PeriodIndex(["2022-12-26/2023-01-01", "2023-01-02/2023-01-08"], freq="W", name="cohort"),
        columns=pd.Index(range(2), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(cohort_counts(tx, period="W"), expected)


def test_a_scan_without_purchases_has_no_cohorts():
    tx = pd.DataFrame({"customer_id": ["a"], "amount": [-5.0], "date": pd.to_datetime(["2023-01-01"])})
    with pytest.raises(LoyaltyDataError, match="no purchase"):
        cohort_counts_from_activity(scan(tx))
