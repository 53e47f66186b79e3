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


def test_business_figures_by_hand():
    summary = pd.DataFrame({"customer_id": list("abcd"), "days_since_last": [0, 365, 366, 20]})
    retention = pd.DataFrame({"year": [2023, 2024], "customers": [10, 30], "retained": [6, 26]})
    figures = business_figures(summary, _type_profile(), retention)
    assert figures == BusinessFigures(
        customers=4,
        active_customers=3,
        monthly_spend=(2 * 5 + 50 + 75) / 4,
        monthly_spend_satisfied=50.0,
        monthly_spend_loyal=75.0,
        yearly_retention=0.8,
    )


def test_business_figures_need_satisfied_and_loyal_customers():
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1]})
    retention = pd.DataFrame({"customers": [10], "retained": [8]})
    with pytest.raises(LoyaltyDataError, match="No loyal customers"):
        business_figures(summary, _type_profile(loyal=0), retention)
    with pytest.raises(LoyaltyDataError, match="annual_retention"):
        business_figures(summary, _type_profile(), pd.DataFrame({"customers": [10]}))
