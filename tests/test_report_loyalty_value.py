"""The report's loyalty-value section: retention worded as a repurchase rate, partial years said
to be so, whole years preferred for the headline, and which type spends more over five years."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loyalty_lessons import report
from loyalty_lessons.report.figures import key_figures

CDNOW = Path(__file__).parent / "data" / "cdnow_sample.csv"


@pytest.fixture(scope="module")
def sample_data():
    return report.report_data()


@pytest.fixture(scope="module")
def cdnow_data():
    """CDNOW's customers: all acquired in early 1997, the data end on 30 June 1998."""
    return report.report_data(str(CDNOW), None, None)


def test_retention_is_a_repurchase_rate_and_a_partial_year_is_said_to_be_one(cdnow_data):
    figures = key_figures(cdnow_data)
    assert figures["annual_retention_year"] == 1997 and figures["annual_retention_complete"] is False
    assert figures["annual_retention_by_year"][0]["months_observed_next_year"] == 6
    assert cdnow_data.retention_value is None  # six months are not a year: nothing is valued from them
    html = report.loyalty_value_section(cdnow_data)
    assert "bought again in the first 6 months of 1998" in html
    assert "not a yearly figure" in html and "were lost" not in html
    assert "it is not the complement of a repurchase rate" in html
    summary = report.summary_section(cdnow_data)
    assert "were lost" not in summary


def test_whole_years_are_preferred_for_the_headline(sample_data):
    retention = sample_data.retention
    assert retention["complete"].all()
    assert int(sample_data.latest_retention["year"]) == int(retention["year"].iloc[-1])
    data = report.report_data(observation_end="2025-06-30")
    assert not bool(data.retention["complete"].iloc[-1])  # 2024 -> the first half of 2025
    assert int(data.latest_retention["year"]) == 2023 and bool(data.latest_retention["complete"])
    assert "Not whole years in the data" in report.loyalty_value_section(data)
    assert key_figures(data)["annual_retention_year"] == 2023


def test_the_five_year_comparison_says_which_spends_more(sample_data):
    profile = sample_data.future_uplift.profile.set_index("type")
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    direction = "more" if loyal >= satisfied else "less"
    html = report.loyalty_value_section(sample_data)
    difference = sample_data.m.money(abs(loyal - satisfied) * 60, sample_data.currency)
    assert f"would spend {difference} {direction} than an occasional one" in html
    assert not pd.isna(loyal)
