"""Tests of the loyalty-value inputs measured from a business's own figures, on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.loyalty_value.business_figures import BusinessFigures, business_figures

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
