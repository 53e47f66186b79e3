"""Tests of the loyalty-value inputs measured from a business's own figures, on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.loyalty_value.business_figures import (
    BusinessFigures,
    active_yearly_spend,
    business_figures,
)

# --------------------------------------------------------------------------- own figures


def _type_profile(satisfied=1, loyal=1):
    return pd.DataFrame(
        {
            "type": ["dissatisfied", "satisfied", "loyal"],
            "customers": [2, satisfied, loyal],
            "monthly_spend": [5.0, 50.0, 75.0],
        }
    )


def _retention(complete):
    """Three pairs of years; the last one's second year cut short (its buyers had less time)."""
    return pd.DataFrame(
        {
            "year": [2022, 2023, 2024],
            "customers": [10, 30, 50],
            "retained": [6, 26, 10],
            "complete": complete,
        }
    )


def test_business_figures_by_hand():
    summary = pd.DataFrame({"customer_id": list("abcd"), "days_since_last": [0, 365, 366, 20]})
    figures = business_figures(summary, _type_profile(), _retention([True, True, True]))
    assert figures == BusinessFigures(
        customers=4,
        active_customers=3,
        monthly_spend=(2 * 5 + 50 + 75) / 4,
        monthly_spend_satisfied=50.0,
        monthly_spend_loyal=75.0,
        yearly_retention=(6 + 26 + 10) / (10 + 30 + 50),
        retention_from_year=2022,
        retention_to_year=2025,
    )


def test_a_partial_last_year_is_left_out_of_the_yearly_retention():
    summary = pd.DataFrame({"customer_id": list("ab"), "days_since_last": [0, 400]})
    figures = business_figures(summary, _type_profile(), _retention([True, True, False]))
    # 2024-2025 is left out: pooled over 2022-2023 and 2023-2024 only, 32 of 40.
    assert figures.yearly_retention == pytest.approx(0.8)
    assert (figures.retention_from_year, figures.retention_to_year) == (2022, 2024)


def test_no_whole_pair_of_years_is_refused_with_the_pairs_named():
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1]})
    with pytest.raises(LoyaltyDataError, match=r"No pair .*2022-2023, 2023-2024, 2024-2025"):
        business_figures(summary, _type_profile(), _retention([False, False, False]))


def test_pairs_chosen_by_the_caller_are_pooled_as_given():
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1]})
    pooled = business_figures(
        summary, _type_profile(), _retention([True, True, False]), whole_years_only=False
    )
    assert pooled.yearly_retention == pytest.approx(42 / 90)
    assert (pooled.retention_from_year, pooled.retention_to_year) == (2022, 2025)


def test_business_figures_need_satisfied_and_loyal_customers():
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1]})
    with pytest.raises(LoyaltyDataError, match="No loyal customers"):
        business_figures(summary, _type_profile(loyal=0), _retention([True, True, True]))


def test_a_retention_without_its_coverage_is_refused():
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1]})
    without = _retention([True, True, True]).drop(columns="complete")
    with pytest.raises(LoyaltyDataError, match=r"no column\(s\) \['complete'\].*retention_coverage"):
        business_figures(summary, _type_profile(), without)
    with pytest.raises(LoyaltyDataError, match="retention_coverage"):
        business_figures(summary, _type_profile(), pd.DataFrame({"customers": [10]}), whole_years_only=False)


# --------------------------------------------------------------------------- active customers' spend


def _transactions():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", "d"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-06-30", "2024-12-31", "2025-01-05", "2023-12-31", "2024-09-01"]
            ),
            "amount": [40.0, 20.0, 30.0, 500.0, 99.0, -10.0],
        }
    )


def test_active_yearly_spend_counts_the_last_365_days_per_buyer():
    # Up to 2024-12-31: a (40 + 20) and b (30) bought; d's refund is subtracted; c's purchase
    # on 2023-12-31 is 366 days before the end; b's order of 2025 is after it.
    spend = active_yearly_spend(_transactions(), observation_end="2024-12-31")
    assert spend == pytest.approx((40 + 20 + 30 - 10) / 2)


def test_active_yearly_spend_ends_at_the_last_transaction_by_default():
    # Up to 2025-01-05: a's order of 2024-01-01 is 370 days old, so only a (20) and b (530).
    assert active_yearly_spend(_transactions()) == pytest.approx((20 + 30 + 500 - 10) / 2)


def test_active_yearly_spend_refuses_when_nobody_bought_recently():
    with pytest.raises(LoyaltyDataError, match="Nobody bought in the 365 days up to 2030-01-01"):
        active_yearly_spend(_transactions(), observation_end="2030-01-01")
