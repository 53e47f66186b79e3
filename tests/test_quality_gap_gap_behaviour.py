"""Tests of what customers with a small or a large quality gap buy, on hand-built surveys."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from servqual_surveys import make_survey

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap.gap_behaviour import gap_behaviour


@pytest.fixture
def survey() -> pd.DataFrame:
    return make_survey()


def _one_item_survey(gaps: list[float], customers: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(len(gaps))],
            "customer_id": pd.Series(customers, dtype="str"),
            "item": 5,
            "dimension": "reliability",
            "expectation": 6.0,
            "perception": [6.0 + g for g in gaps],
        }
    )


def test_gap_behaviour_by_band():
    # gaps -2, -1.5 (below -1), -1, -0.5 (-1 to 0), 0, 1 (0 and above); r6 is not a customer
    survey = _one_item_survey([-2, -1.5, -1, -0.5, 0, 1, 1], ["a", "b", "c", "d", "e", "f", "zz"])
    summary = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e", "f"],
            "revenue": [10.0, 30.0, 40.0, 60.0, 100.0, 300.0],
            "orders": [1, 1, 2, 1, 3, 5],
        }
    )
    got = gap_behaviour(survey, summary)
    expected = pd.DataFrame(
        {
            "band": pd.Series(["below -1", "-1 to 0", "0 and above"], dtype="str"),
            "respondents": [2, 2, 2],
            "mean_revenue": [20.0, 50.0, 200.0],
            "mean_orders": [1.0, 1.5, 4.0],
            "repeat_rate": [0.0, 0.5, 1.0],
        }
    )
    assert_frame_equal(got, expected)
    assert got.attrs["unlinked_respondents"] == 1
    assert got.attrs["outside_bands"] == 0


def test_gap_behaviour_custom_bands_and_empty_band():
    survey = _one_item_survey([-2, 1], ["a", "b"])
    summary = pd.DataFrame({"customer_id": ["a", "b"], "revenue": [5.0, 9.0], "orders": [1, 2]})
    got = gap_behaviour(survey, summary, bands={"short": (-10, 0), "gone": (5, 6)})
    assert got["respondents"].tolist() == [1, 0]
    assert math.isnan(got.loc[1, "mean_revenue"])
    assert got.attrs["outside_bands"] == 1


def test_gap_behaviour_rejects_overlapping_bands():
    survey = _one_item_survey([-2], ["a"])
    summary = pd.DataFrame({"customer_id": ["a"], "revenue": [5.0], "orders": [1]})
    with pytest.raises(LoyaltyDataError, match="overlap"):
        gap_behaviour(survey, summary, bands={"x": (-3, 0), "y": (-1, 2)})


def test_gap_behaviour_needs_customer_id(survey):
    summary = pd.DataFrame({"customer_id": ["c1"], "revenue": [5.0], "orders": [1]})
    with pytest.raises(LoyaltyDataError, match="customer_id"):
        gap_behaviour(survey.drop(columns="customer_id"), summary)
