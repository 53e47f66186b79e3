"""The report's loyalty-value section: retention worded as a repurchase rate, the months each
rate covers named, whole years preferred for the headline, no rule of thumb turned into a
conclusion, and what regular customers spent against occasional ones over the months measured,
never extrapolated."""

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
    # The table names the months the customers had to come back, never "the next year".
    assert "<th>Bought again in</th>" in html and '<th class="num">Repurchase rate</th>' in html
    assert '<td>1997</td><td class="num">' in html and "<td>the first 6 months of 1998</td>" in html
    assert "next year" not in html and "<th>Retention</th>" not in html
    # No unsourced rule of thumb, and no money conclusion drawn from one.
    assert "15–20%" not in html and "where the money is" not in html and "ru-loyalty-tips" not in html
    assert "three to ten times" not in html
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


def test_spend_by_type_is_what_was_measured_and_no_more(sample_data):
    """Regular against occasional customers over the months after the typing, in money: no
    five years at constant rates with nobody leaving, in the text or in a chart."""
    result = sample_data.future_uplift
    profile = result.profile.set_index(result.profile["type"].astype(str))
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    assert satisfied < loyal < 2 * satisfied  # a percentage, not a ratio, on the sample
    m, months = sample_data.m, float(result.holdout_months)
    html = report.loyalty_value_section(sample_data)
    difference = m.money((loyal - satisfied) * months, sample_data.currency)
    assert (
        f"{m.percent(loyal / satisfied - 1)} more, or {difference} more per customer over those "
        f"{m.number(months)} months"
    ) in html
    assert "five years" not in html.split("<h3>")[1] and "nobody leaving" not in html
    assert "<img" not in html  # the chart of the five-year extrapolation is gone
    assert not pd.isna(loyal)


def test_a_spend_ten_times_as_much_is_written_as_a_ratio(cdnow_data):
    result = cdnow_data.future_uplift
    profile = result.profile.set_index(result.profile["type"].astype(str))
    ratio = profile.loc["loyal", "monthly_spend"] / profile.loc["satisfied", "monthly_spend"]
    assert ratio >= 5
    html = report.loyalty_value_section(cdnow_data)
    assert f"about {round(ratio):.0f} times as much, or " in html and "%" not in html.split("<h3>")[1]
