"""Tests of what a loyal customer brings: spend against a satisfied one and referrals
([fr-loyalty-value]), with the figures of the sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.loyalty_value import SEED_FIGURES
from loyalty_lessons.loyalty_value.spend_and_referrals import (
    ReferralValue,
    ValueDifference,
    referral_growth,
    referral_value,
    value_difference,
    value_over_years,
)

SEED_REFERRAL = {"people_told_per_month": 5, "conversion": 0.2, "yearly_spend": 900}

# --------------------------------------------------------------------------- [fr-loyalty-value]


def test_seed_004_five_year_gain_of_a_loyal_customer():
    result = value_difference(monthly_spend_satisfied=50, monthly_spend_loyal=75, years=5)
    assert result == ValueDifference(600.0, 900.0, 300.0, 1500.0)


def test_seed_figures_reproduce_the_seed_004_example():
    result = value_difference(
        monthly_spend_satisfied=SEED_FIGURES["monthly_spend_satisfied"],
        monthly_spend_loyal=SEED_FIGURES["monthly_spend_loyal"],
        years=SEED_FIGURES["years"],
    )
    assert result.total_difference == 1500.0
    assert SEED_FIGURES["yearly_defection_rate"] == (0.15, 0.20)
    assert SEED_FIGURES["acquisition_to_retention_cost_ratio"] == (3.0, 10.0)


def test_value_over_years_is_cumulative():
    expected = pd.DataFrame(
        {
            "year": np.arange(4, dtype="int64"),
            "satisfied_value": [0.0, 600.0, 1200.0, 1800.0],
            "loyal_value": [0.0, 900.0, 1800.0, 2700.0],
            "difference": [0.0, 300.0, 600.0, 900.0],
        }
    )
    result = value_over_years(monthly_spend_satisfied=50, monthly_spend_loyal=75, years=3)
    assert_frame_equal(result, expected)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"monthly_spend_satisfied": -1, "monthly_spend_loyal": 75, "years": 5},
        {"monthly_spend_satisfied": 50, "monthly_spend_loyal": 75, "years": 0},
        {"monthly_spend_satisfied": 50, "monthly_spend_loyal": 75, "years": 2.5},
    ],
    ids=["negative-spend", "zero-years", "fractional-years"],
)
def test_value_difference_rejects_bad_arguments(kwargs):
    with pytest.raises(LoyaltyDataError):
        value_difference(**kwargs)


def test_seed_004_referral_example():
    assert referral_value(**SEED_REFERRAL) == ReferralValue(12.0, 10800.0)


def test_referral_value_over_six_months():
    result = referral_value(**SEED_REFERRAL, months=6)
    assert result == ReferralValue(6.0, 5400.0)


def test_referral_growth_first_year_matches_the_seed_and_compounds():
    growth = referral_growth(2, **SEED_REFERRAL)
    assert growth["year"].tolist() == [1, 2]
    assert growth["linear_new_customers"].tolist() == [12.0, 12.0]
    assert growth["linear_new_revenue"].tolist() == [10800.0, 10800.0]
    assert growth["linear_customers"].tolist() == [13.0, 25.0]
    # everyone refers: one new customer per customer per month doubles the base monthly
    assert growth["compounding_customers"].tolist() == [2.0**12, 2.0**24]
    assert growth["compounding_new_customers"].tolist() == [2.0**12 - 1, 2.0**24 - 2.0**12]
    assert growth["compounding_new_revenue"].iloc[0] == (2.0**12 - 1) * 900
    assert not growth["capped"].any()


def test_referral_growth_with_a_cap_stops_at_the_cap():
    growth = referral_growth(2, **SEED_REFERRAL, max_customers=1000)
    assert growth["compounding_customers"].tolist() == [1000.0, 1000.0]
    assert growth["compounding_new_customers"].tolist() == [999.0, 0.0]
    assert growth["capped"].tolist() == [True, True]  # the cap holds growth back in both


def test_referral_growth_with_retention_loses_customers():
    full = referral_growth(1, **SEED_REFERRAL)
    leaky = referral_growth(1, **SEED_REFERRAL, yearly_retention=0.5)
    assert leaky["linear_new_customers"].iloc[0] < full["linear_new_customers"].iloc[0]
    # with no referrals the start customer fades to the yearly retention
    alone = referral_growth(
        1, people_told_per_month=0, conversion=0.2, yearly_spend=900, yearly_retention=0.5
    )
    assert alone["linear_customers"].iloc[0] == pytest.approx(0.5)
    assert alone["compounding_customers"].iloc[0] == pytest.approx(0.5)


def test_referral_growth_refuses_to_overflow():
    with pytest.raises(LoyaltyDataError, match="max_customers"):
        referral_growth(100, **SEED_REFERRAL)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(min_value=0, max_value=10),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_compounding_never_trails_linear(told, conversion, retention):
    growth = referral_growth(
        3, people_told_per_month=told, conversion=conversion, yearly_spend=100, yearly_retention=retention
    )
    gap = growth["compounding_customers"] - growth["linear_customers"]
    assert (gap >= -1e-9 * growth["compounding_customers"].clip(lower=1)).all()
