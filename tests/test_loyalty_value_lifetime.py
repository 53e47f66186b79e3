"""Tests of defection and lifetime value ([it-loyalty-steps], [ru-loyalty-tips]): customers
remaining, expected lifetime, lifetime value, retention budget and retention uplift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.loyalty_value.lifetime import (
    customer_lifetime_value,
    customer_lifetime_value_finite,
    customers_remaining,
    expected_lifetime_years,
    lifetime_value_conventions,
    retention_budget_whatif,
    retention_uplift_value,
)

# --------------------------------------------------------------------------- defection


def test_customers_remaining_hand_computed():
    expected = pd.DataFrame(
        {
            "year": np.arange(3, dtype="int64"),
            "customers": [1000.0, 800.0, 640.0],
            "lost": [0.0, 200.0, 160.0],
            "lost_total": [0.0, 200.0, 360.0],
            "share_remaining": [1.0, 0.8, 0.64],
        }
    )
    assert_frame_equal(customers_remaining(1000, 0.2, 2), expected)


@pytest.mark.parametrize("rate", [0.15, 0.20], ids=["seed-000-low", "seed-000-high"])
def test_seed_000_defection_halves_the_base_within_five_years(rate):
    remaining = customers_remaining(100, rate, 5)
    assert remaining["share_remaining"].iloc[-1] == pytest.approx((1 - rate) ** 5)
    assert remaining["share_remaining"].iloc[-1] < 0.5


@settings(max_examples=50, deadline=None)
@given(
    st.floats(min_value=1, max_value=1e6),
    st.floats(min_value=0.001, max_value=0.999),
    st.integers(min_value=1, max_value=30),
)
def test_customers_remaining_decreases(start, rate, years):
    remaining = customers_remaining(start, rate, years)
    assert (remaining["customers"].diff().dropna() < 0).all()
    left = remaining["customers"].iloc[-1]
    assert remaining["lost_total"].iloc[-1] == pytest.approx(start - left)


@pytest.mark.parametrize(
    "retention, years",
    [(0.0, 1.0), (0.5, 2.0), (0.8, 5.0), (0.9, 10.0)],
    ids=["none", "half", "80pct", "90pct"],
)
def test_expected_lifetime_years(retention, years):
    assert expected_lifetime_years(retention) == pytest.approx(years)


def test_expected_lifetime_needs_retention_below_one():
    with pytest.raises(LoyaltyDataError, match=r"\[0, 1\)"):
        expected_lifetime_years(1.0)


# --------------------------------------------------------------------------- lifetime value


def test_customer_lifetime_value_hand_computed():
    # margin at the start of each year, the first certain: 100 * (1 + 0.1) / (1 + 0.1 - 0.8) = 110 / 0.3
    assert customer_lifetime_value(100, 0.8, 0.1) == pytest.approx(366.6666667)
    assert customer_lifetime_value(100, 0.8, 0.1, acquisition_cost=50) == pytest.approx(316.6666667)
    # no discounting: m / (1 - r) = 100 / 0.5, two years of margin
    assert customer_lifetime_value(100, 0.5, 0.0) == pytest.approx(200.0)


def test_undiscounted_lifetime_value_is_the_margin_times_the_expected_lifetime():
    # 1 / (1 - 0.8) = 5 years of 300
    assert customer_lifetime_value(300, 0.8, 0.0) == pytest.approx(300 * expected_lifetime_years(0.8))
    assert customer_lifetime_value(300, 0.8, 0.0) == pytest.approx(1500.0)


def test_finite_lifetime_value_hand_computed():
    # years 1 and 2: 100 (certain, at the start) + 100 * 0.8 / 1.1
    assert customer_lifetime_value_finite(100, 0.8, 0.1, years=1) == pytest.approx(100.0)
    expected = 100 + 100 * 0.8 / 1.1
    assert customer_lifetime_value_finite(100, 0.8, 0.1, years=2) == pytest.approx(expected)


def test_the_two_conventions_by_hand():
    table = lifetime_value_conventions(300, 0.8, 0.1)
    # start of each year: 1 / 0.2 = 5 years, 300 * 5 = 1500 undiscounted, 300 * 1.1 / 0.3 = 1100
    # end of each year: 0.8 / 0.2 = 4 years, 1200 undiscounted, 300 * 0.8 / 0.3 = 800
    assert table["years_of_margin"].tolist() == pytest.approx([5.0, 4.0])
    assert table["undiscounted_value"].tolist() == pytest.approx([1500.0, 1200.0])
    assert table["lifetime_value"].tolist() == pytest.approx([1100.0, 800.0])
    assert table["lifetime_value"].iloc[0] == pytest.approx(customer_lifetime_value(300, 0.8, 0.1))
    # they differ by the first year's margin, paid at once
    assert table["lifetime_value"].iloc[0] - table["lifetime_value"].iloc[1] == pytest.approx(300.0)


@pytest.mark.parametrize(
    "margin, retention, rate",
    [(100, 0.8, 0.1), (250, 0.9, 0.05), (40, 0.5, 0.0)],
    ids=["typical", "sticky", "undiscounted"],
)
def test_finite_lifetime_value_converges_to_the_infinite_form(margin, retention, rate):
    infinite = customer_lifetime_value(margin, retention, rate, acquisition_cost=10)
    values = [
        customer_lifetime_value_finite(margin, retention, rate, years=n, acquisition_cost=10)
        for n in (5, 50, 500)
    ]
    assert values[0] < values[1] <= values[2]
    assert values[2] == pytest.approx(infinite, rel=1e-9)


def test_retention_budget_whatif_with_the_seed_ratios():
    result = retention_budget_whatif(customers=1000, yearly_defection_rate=0.2, cost_to_keep_per_customer=10)
    expected = pd.DataFrame(
        {
            "acquisition_to_retention_cost_ratio": [3.0, 10.0],
            "customers_lost": [200.0, 200.0],
            "customers_targeted": [200.0, 200.0],
            "customers_saved": [200.0, 200.0],
            "cost_to_keep": [2000.0, 2000.0],
            "cost_per_customer_saved": [10.0, 10.0],
            "cost_to_replace": [6000.0, 20000.0],
            "saving": [4000.0, 18000.0],
        }
    )
    assert_frame_equal(result, expected)


def test_retention_budget_whatif_with_targeting_and_a_success_rate():
    # One in four of the customers reached would really leave; the effort keeps 40% of those.
    result = retention_budget_whatif(
        customers=1000,
        yearly_defection_rate=0.2,
        cost_to_keep_per_customer=10,
        precision=0.25,
        success_rate=0.4,
    )
    assert result["customers_targeted"].tolist() == pytest.approx([800.0, 800.0])
    assert result["customers_saved"].tolist() == pytest.approx([80.0, 80.0])
    assert result["cost_to_keep"].tolist() == pytest.approx([8000.0, 8000.0])
    # 10 / (0.25 * 0.4) = 100 a customer kept, against 30 or 100 to win one.
    assert result["cost_per_customer_saved"].tolist() == pytest.approx([100.0, 100.0])
    assert result["cost_to_replace"].tolist() == pytest.approx([2400.0, 8000.0])
    assert result["saving"].tolist() == pytest.approx([-5600.0, 0.0])


@pytest.mark.parametrize("name", ["precision", "success_rate"])
@pytest.mark.parametrize("share", [0, 1.5], ids=["zero", "above-one"])
def test_retention_budget_whatif_refuses_a_share_outside_its_range(name, share):
    with pytest.raises(LoyaltyDataError, match=name):
        retention_budget_whatif(
            customers=1000, yearly_defection_rate=0.2, cost_to_keep_per_customer=10, **{name: share}
        )


def test_retention_budget_whatif_accepts_one_ratio():
    result = retention_budget_whatif(
        customers=500,
        yearly_defection_rate=0.15,
        cost_to_keep_per_customer=4,
        acquisition_to_retention_cost_ratio=5,
    )
    assert result["cost_to_replace"].tolist() == pytest.approx([1500.0])


def test_retention_uplift_value_hand_computed():
    uplift = retention_uplift_value(
        customers=1000, yearly_margin=100, yearly_retention=0.8, discount_rate_yearly=0.1
    )
    # 100 * 1.1 / 0.25 = 440 against 100 * 1.1 / 0.3 = 366.67
    assert uplift.yearly_retention_after == pytest.approx(0.85)
    assert uplift.lifetime_years_before == pytest.approx(5.0)
    assert uplift.lifetime_years_after == pytest.approx(20 / 3)
    assert uplift.lifetime_value_before == pytest.approx(1100 / 3)
    assert uplift.lifetime_value_after == pytest.approx(440.0)
    assert uplift.value_per_customer == pytest.approx(440 - 1100 / 3)
    assert uplift.total_value == pytest.approx(1000 * (440 - 1100 / 3))


def test_retention_uplift_must_stay_below_one():
    with pytest.raises(LoyaltyDataError, match="below 1"):
        retention_uplift_value(
            customers=10, yearly_margin=100, yearly_retention=0.97, discount_rate_yearly=0.1
        )


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("en", "start of each year, the first certain (this package)", "end of each year, if still there"),
        (
            "fr",
            "en début d’année, la première année acquise (convention de loyalty-lessons)",
            "en fin d’année, si le client est encore là",
        ),
        (
            "ru",
            "в начале каждого года, первый год гарантирован (соглашение loyalty-lessons)",
            "в конце каждого года, если клиент ещё остался",
        ),
    ],
    ids=["en", "fr", "ru"],
)
def test_the_conventions_are_named_in_the_language(language, first, second):
    table = lifetime_value_conventions(300, 0.8, 0.1, language=language)
    assert table["convention"].tolist() == [first, second]
    english = lifetime_value_conventions(300, 0.8, 0.1)
    pd.testing.assert_frame_equal(table.drop(columns="convention"), english.drop(columns="convention"))
