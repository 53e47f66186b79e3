"""The report's customer-types section: types named for what is known, the customers typed by a
survey answer counted, a survey that cannot type them named, and the value of loyalty measured
out of sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_lessons import report
from loyalty_lessons.customer_types.classify import basis_counts
from loyalty_lessons.future_spend import future_spend, future_spend_uplift
from loyalty_lessons.loyalty_value import SEED_FIGURES
from loyalty_lessons.report.figures import key_figures

CDNOW = Path(__file__).parent / "data" / "cdnow_sample.csv"


@pytest.fixture(scope="module")
def sample_data():
    return report.report_data()


@pytest.fixture(scope="module")
def cdnow_data():
    """CDNOW's customers: all acquired in early 1997, the data end on 30 June 1998."""
    return report.report_data(str(CDNOW), None, None)


def test_types_from_dates_alone_are_named_for_the_behaviour(cdnow_data):
    html = report.customer_types_section(cdnow_data)
    figures = key_figures(cdnow_data)
    assert figures["customer_types_basis_counts"] == {"behaviour": figures["customers"]}
    # The model says who has probably left: a long silence alone is not called dissatisfaction
    # (without the model, see test_report_customer_base.py).
    assert cdnow_data.model_usable
    assert "long silent" in html and "likely dissatisfied" not in html and "regular — likely loyal" in html
    assert "Only a survey can say what customers think" in html
    assert "<td>dissatisfied</td>" not in html  # the attitude alone, only in the prescriptions
    summary = report.summary_section(cdnow_data)
    assert "buy often and recently (likely loyal)" in summary and "are loyal" not in summary


def test_with_a_survey_the_customers_typed_by_answer_are_counted(sample_data):
    counts = basis_counts(sample_data.types)
    assert set(counts) == {"both", "behaviour"} and sum(counts.values()) == len(sample_data.summary)
    assert key_figures(sample_data)["customer_types_basis_counts"] == counts
    html = report.customer_types_section(sample_data)
    m = sample_data.m
    assert (
        m.text("types.basis", by_answer=m.number(counts["both"]), by_behaviour=m.number(counts["behaviour"]))
        in html
    )
    assert "lapsed or said dissatisfied" in html


def test_the_value_of_loyalty_is_measured_out_of_sample(sample_data):
    tx = sample_data.inputs.transactions
    expected = future_spend_uplift(future_spend(tx, observation_end=sample_data.end))
    got = sample_data.future_uplift
    for mine, theirs in ((got.out_of_sample, expected.out_of_sample), (got.in_sample, expected.in_sample)):
        assert (mine.uplift, mine.ci_low, mine.ci_high) == pytest.approx(
            (theirs.uplift, theirs.ci_low, theirs.ci_high), rel=1e-9
        )
        assert (mine.n_of, mine.n_over) == (theirs.n_of, theirs.n_over)
    figure = key_figures(sample_data)["loyalty_uplift_out_of_sample"]
    assert figure["uplift_percent"] == pytest.approx(expected.out_of_sample.uplift, abs=0.01)
    assert figure["split"] == f"{expected.split:%Y-%m-%d}"
    html = report.customer_types_section(sample_data)
    # the sentences are chosen from the interval, never written by hand
    gallup = 100 * SEED_FIGURES["connected_spend_uplift"]
    assert sample_data.m.text("types.gallup_" + got.out_of_sample.versus(gallup)) in html
    assert "true partly by definition" in html  # the in-sample comparison, labelled
    value = report.loyalty_value_section(sample_data)
    assert "over the next 12 months" in value and "undiscounted spending over a fixed five years" in value


def test_the_out_of_sample_sentence_follows_the_interval(sample_data):
    from dataclasses import replace

    from loyalty_lessons.customer_types import SpendUplift

    data = report.ReportData(sample_data.inputs, sample=True)
    unclear = SpendUplift(8.0, -5.0, 21.0, 100, 200)
    data.future_uplift = replace(sample_data.future_uplift, out_of_sample=unclear)  # a cached figure
    html = report.customer_types_section(data)
    assert "these data cannot tell whether regular customers go on to spend more" in html
    assert "below 46%" in html


def test_a_survey_that_cannot_type_customers_is_named_in_the_report(sample_data):
    survey = sample_data.inputs.survey.copy()
    survey.loc[survey["respondent_id"] == survey["respondent_id"].iloc[0], "recommend"] = 11.0
    data = report.ReportData(sample_data.inputs._replace(survey=survey), sample=True)
    assert data.survey_unused.startswith("Survey column 'recommend' must be a 0-10 score")
    assert set(data.types["basis"]) == {"behaviour"}  # typed by purchases alone, and said so
    html = report.customer_types_section(data)
    assert "The survey answers could not be used to type the customers" in html
    assert "must be a 0-10 score; respondent(s) [&#39;R001&#39;] have [11.0]" in html
    assert sample_data.survey_unused is None
    assert "could not be used" not in report.customer_types_section(sample_data)
