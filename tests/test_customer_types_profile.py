"""Tests of what each customer type is worth: monthly spend, profile and spend uplift, on
hand-built frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons.customer_types.classify import TYPES, classify_customers
from loyalty_lessons.customer_types.profile import SpendUplift, monthly_spend, spend_uplift, type_profile
from loyalty_lessons.errors import LoyaltyDataError

TYPE_DTYPE = pd.CategoricalDtype(list(TYPES), ordered=True)


def profile_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    types = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e", "f"],
            "type": pd.Series(
                ["loyal", "loyal", "satisfied", "satisfied", "satisfied", "dissatisfied"],
                dtype=TYPE_DTYPE,
            ),
        }
    )
    summary = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e", "f"],
            "revenue": [900.0, 1800.0, 600.0, 300.0, 600.0, 300.0],
            # 1 year = 12 months; 730.5 days = 24 months; 15 days counts as 1 month
            "tenure_days": [365.25, 730.5, 365.25, 365.25, 730.5, 15.0],
        }
    )
    return types, summary


@pytest.mark.parametrize(
    ("revenue", "tenure_days", "expected"),
    [
        (600.0, 365.25, 50.0),
        (900.0, 730.5, 37.5),
        (80.0, 10.0, 80.0),
        (80.0, 0.0, 80.0),
        (-30.0, 365.25, -2.5),
    ],
    ids=["one-year", "two-years", "under-a-month", "first-day", "net-refunds"],
)
def test_monthly_spend(revenue, tenure_days, expected):
    got = monthly_spend(pd.DataFrame({"revenue": [revenue], "tenure_days": [tenure_days]}))
    assert got.name == "monthly_spend"
    assert got.iloc[0] == pytest.approx(expected)


def test_type_profile_by_hand():
    types, summary = profile_frames()
    got = type_profile(types, summary)
    # monthly spend: a 900/12 = 75, b 1800/24 = 75, c 50, d 25, e 25, f 300 (one month)
    expected = pd.DataFrame(
        {
            "type": pd.Series(list(TYPES), dtype=TYPE_DTYPE),
            "customers": [1, 3, 2],
            "share_of_customers": [1 / 6, 3 / 6, 2 / 6],
            "revenue": [300.0, 1500.0, 2700.0],
            "revenue_share": [300 / 4500, 1500 / 4500, 2700 / 4500],
            "revenue_per_customer": [300.0, 500.0, 1350.0],
            "monthly_spend": [300.0, (50 + 25 + 25) / 3, 75.0],
        }
    )
    assert_frame_equal(got, expected)
    assert got.attrs["left_out"] == 0


def test_type_profile_counts_reconcile_and_reports_left_out():
    types, summary = profile_frames()
    types = pd.concat([types, pd.DataFrame({"customer_id": ["zz"], "type": ["loyal"]})])
    got = type_profile(types, summary)
    assert got["customers"].sum() == len(summary)
    assert got["share_of_customers"].sum() == pytest.approx(1.0)
    assert got["revenue"].sum() == pytest.approx(summary["revenue"].sum())
    assert got.attrs["left_out"] == 1


def test_type_profile_is_the_same_whatever_the_order_of_the_types():
    # In the summary's order the types are taken as they are; in another, joined by id.
    types, summary = profile_frames()
    shuffled = types.iloc[[3, 0, 5, 1, 4, 2]]
    assert_frame_equal(type_profile(types, summary), type_profile(shuffled, summary))


def test_type_profile_rejects_duplicate_customers():
    types, summary = profile_frames()
    with pytest.raises(LoyaltyDataError, match="more than once"):
        type_profile(pd.concat([types, types.iloc[[0]]]), summary)


def test_spend_uplift_point_estimate_by_hand():
    types, summary = profile_frames()
    got = spend_uplift(types, summary)
    # loyal mean 75, satisfied mean (50 + 25 + 25) / 3 = 33.33: 75 / 33.33 - 1 = 125%
    assert isinstance(got, SpendUplift)
    assert got.uplift == pytest.approx(125.0)
    assert (got.n_of, got.n_over) == (2, 3)
    assert got.ci_low <= got.uplift <= got.ci_high


def test_spend_uplift_interval_is_reproducible_and_contains_estimate():
    rng = np.random.default_rng(7)
    n = 40
    types = pd.DataFrame(
        {"customer_id": [f"c{i}" for i in range(n)], "type": ["loyal", "satisfied"] * (n // 2)}
    )
    summary = pd.DataFrame(
        {
            "customer_id": types["customer_id"],
            "revenue": np.where(types["type"] == "loyal", 900.0, 600.0) * rng.uniform(0.5, 1.5, n),
            "tenure_days": 365.25,
        }
    )
    first = spend_uplift(types, summary, seed=3)
    again = spend_uplift(types, summary, seed=3)
    other = spend_uplift(types, summary, seed=4)
    assert first == again
    assert first.ci_low != other.ci_low
    assert first.ci_low < first.uplift < first.ci_high
    narrow = spend_uplift(types, summary, seed=3, confidence=0.5)
    assert first.ci_low < narrow.ci_low and narrow.ci_high < first.ci_high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"of": "fan"}, "not a type"),
        ({"over": "dissatisfied", "of": "satisfied"}, None),
        ({"confidence": 1.5}, "confidence"),
    ],
    ids=["unknown-type", "valid-other-pair", "bad-confidence"],
)
def test_spend_uplift_arguments(kwargs, message):
    types, summary = profile_frames()
    if message is None:
        got = spend_uplift(types, summary, **kwargs)
        # satisfied 33.33 vs dissatisfied 300 a month
        assert got.uplift == pytest.approx((100 / 3 / 300 - 1) * 100)
    else:
        with pytest.raises(LoyaltyDataError, match=message):
            spend_uplift(types, summary, **kwargs)


def test_spend_uplift_needs_both_groups():
    types, summary = profile_frames()
    types = types[types["type"] != "satisfied"]
    with pytest.raises(LoyaltyDataError, match="no 'satisfied' customer"):
        spend_uplift(types, summary)


def test_large_groups_use_the_normal_interval_which_agrees_with_the_bootstrap(monkeypatch):
    import loyalty_lessons.customer_types.profile as module
    from loyalty_lessons import load_inputs

    inputs = load_inputs(survey=None, complaints=None)
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    boot = spend_uplift(types, inputs.summary)
    monkeypatch.setattr(module, "MAX_BOOTSTRAP_DRAWS", 0)  # as if the groups were huge
    normal = spend_uplift(types, inputs.summary)
    assert (boot.method, normal.method) == ("bootstrap", "normal approximation")
    assert normal.uplift == boot.uplift
    assert abs(normal.ci_low - boot.ci_low) < 3 and abs(normal.ci_high - boot.ci_high) < 3  # points of %
