"""Tests of the quality gap itself (SERVQUAL gap 5): per item, respondent and dimension, the
interval, the SERVQUAL score and the NPS, on hand-built surveys."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from scipy import stats
from servqual_surveys import RECOMMEND, RESPONDENT_GAP, SATISFACTION, make_survey, random_surveys

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap.gaps import (
    DIMENSIONS,
    _t_critical,
    answered_items,
    dimension_gaps,
    item_gaps,
    nps,
    respondent_gaps,
    servqual_score,
    survey_scores,
)


@pytest.fixture
def survey() -> pd.DataFrame:
    return make_survey()


def test_item_gaps_is_perception_minus_expectation(survey):
    items = item_gaps(survey)
    assert len(items) == 36
    assert list(items.columns) == [
        "respondent_id",
        "customer_id",
        "item",
        "dimension",
        "expectation",
        "perception",
        "gap",
    ]
    r1 = items[items["respondent_id"] == "r1"]
    assert r1["gap"].tolist() == [1.0, -2.0, -2.0, -1.0, 0.0, 1.0]


def test_item_gaps_does_not_change_input(survey):
    before = survey.copy()
    item_gaps(survey.sample(frac=1, random_state=1))
    assert_frame_equal(survey, before)


def test_item_gaps_without_customer_id_gives_missing_ids(survey):
    items = item_gaps(survey.drop(columns="customer_id"))
    assert items["customer_id"].isna().all()


def test_respondent_gaps_hand_computed(survey):
    got = respondent_gaps(survey)
    expected = pd.DataFrame(
        {
            "respondent_id": pd.Series([f"r{i}" for i in range(1, 7)], dtype="str"),
            "customer_id": pd.Series([f"c{i}" for i in range(1, 7)], dtype="str"),
            "gap_tangibles": [1.0, 0, 1, 0, 1, 0],
            "gap_reliability": [-2.0, -1, -1, -2, -1, 1],
            "gap_responsiveness": [-1.0, -1, 0, -1, -1, -2],
            "gap_assurance": [0.0] * 6,
            "gap_empathy": [1.0, -1, 1, -1, 0, 0],
            "gap": RESPONDENT_GAP,
            "satisfaction": [float(s) for s in SATISFACTION],
            "recommend": [float(s) for s in RECOMMEND],
        }
    )
    assert_frame_equal(got, expected)


def test_respondent_gaps_missing_dimension_is_nan(survey):
    got = respondent_gaps(survey[survey["dimension"] != "empathy"])
    assert got["gap_empathy"].isna().all()
    assert "recommend" in got.columns


def test_dimension_gaps_hand_computed(survey):
    got = dimension_gaps(survey)
    assert got["dimension"].tolist() == list(DIMENSIONS)
    assert got["gap"].tolist() == pytest.approx([0.5, -1.0, -1.0, 0.0, 0.0])
    assert got["share_unmet"].tolist() == pytest.approx([0, 5 / 6, 5 / 6, 0, 2 / 6])
    assert got["respondents"].tolist() == [6] * 5
    # expectation: five respondents at 6, one at 5
    assert got["expectation"].tolist() == pytest.approx([35 / 6] * 5)
    assert (got["perception"] - got["expectation"]).tolist() == pytest.approx(got["gap"].tolist())


def test_dimension_gaps_confidence_interval_by_hand(survey):
    got = dimension_gaps(survey).set_index("dimension")
    # reliability gaps [-2, -1, -1, -2, -1, 1]: mean -1, sample variance 6/5,
    # standard error sqrt(1.2 / 6) = sqrt(0.2); t(0.975, 5 df) = 2.5706 (table value)
    half = 2.5706 * math.sqrt(0.2)
    assert got.loc["reliability", "ci_low"] == pytest.approx(-1 - half, abs=1e-3)
    assert got.loc["reliability", "ci_high"] == pytest.approx(-1 + half, abs=1e-3)
    # assurance: every respondent has gap 0, so the interval collapses
    assert got.loc["assurance", ["ci_low", "ci_high"]].tolist() == [0.0, 0.0]


def test_dimension_gaps_single_respondent_has_no_interval(survey):
    got = dimension_gaps(survey[survey["respondent_id"] == "r1"])
    assert got["ci_low"].isna().all() and got["ci_high"].isna().all()
    assert got["gap"].tolist() == [1.0, -2.0, -1.0, 0.0, 1.0]


def test_dimension_gaps_unanswered_dimension_has_zero_respondents(survey):
    got = dimension_gaps(survey[survey["dimension"] != "tangibles"]).set_index("dimension")
    assert got.loc["tangibles", "respondents"] == 0
    assert math.isnan(got.loc["tangibles", "gap"])


def _r2_skips_items_5_and_10(survey: pd.DataFrame, form: str) -> pd.DataFrame:
    """r2 leaves item 5 blank and cannot judge item 10 (an expectation, no perception):
    as loaded (no rows for them) or as built by hand (NaN scores)."""
    blank = (survey["respondent_id"] == "r2") & survey["item"].isin([5, 10])
    if form == "loaded":
        return survey[~blank].reset_index(drop=True)
    out = survey.copy()
    out.loc[blank & (out["item"] == 5), ["expectation", "perception"]] = np.nan
    out.loc[blank & (out["item"] == 10), "perception"] = np.nan
    return out


@pytest.mark.parametrize("form", ["loaded", "nan"])
def test_partial_answers_average_each_respondent_over_the_items_answered(survey, form):
    """r2's reliability gap is now item 6's alone (0), and every respondent counts once:
    (-2 + 0 - 1 - 2 - 1 + 1) / 6 = -5/6, where the mean of the rows would be -10/11."""
    partial = _r2_skips_items_5_and_10(survey, form)
    got = dimension_gaps(partial).set_index("dimension")
    assert got.loc["reliability", "gap"] == pytest.approx(-5 / 6)
    assert got.loc["reliability", "respondents"] == 6
    assert got.loc["responsiveness", "respondents"] == 5
    assert got.loc["responsiveness", "gap"] == pytest.approx(-1.0)  # -1, 0, -1, -1, -2
    assert respondent_gaps(partial).set_index("respondent_id").loc["r2", "gap_reliability"] == 0.0
    assert nps(partial) == nps(survey)
    counts = answered_items(partial).set_index("respondent_id")
    assert counts.loc["r2"].tolist() == [4, 2]
    assert (counts.drop("r2")["unanswered"] == 0).all() and (counts.drop("r2")["answered"] == 6).all()


def test_partial_answers_give_the_same_figures_loaded_or_built_by_hand(survey):
    loaded, by_hand = (_r2_skips_items_5_and_10(survey, form) for form in ("loaded", "nan"))
    assert_frame_equal(dimension_gaps(loaded), dimension_gaps(by_hand))
    assert_frame_equal(answered_items(loaded), answered_items(by_hand))
    assert servqual_score(loaded, weighted=True) == pytest.approx(servqual_score(by_hand, weighted=True))


@pytest.mark.parametrize(
    ("confidence", "df", "expected"),
    [(0.95, 1, 12.706), (0.95, 5, 2.571), (0.95, 10, 2.228), (0.99, 20, 2.845), (0.90, 30, 1.697)],
    ids=["95%-1df", "95%-5df", "95%-10df", "99%-20df", "90%-30df"],
)
def test_t_critical_matches_the_table(confidence, df, expected):
    assert _t_critical(confidence, df) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.99, 0.999])
@pytest.mark.parametrize("df", [1, 2, 7, 30, 299, 10_000])
def test_t_critical_is_scipys_t_quantile(confidence, df):
    assert _t_critical(confidence, df) == pytest.approx(
        stats.t.ppf((1 + confidence) / 2, df), rel=0, abs=1e-9
    )


def test_servqual_unweighted_is_mean_of_dimension_gaps(survey):
    # (0.5 - 1 - 1 + 0 + 0) / 5
    assert servqual_score(survey) == pytest.approx(-0.3)


def test_servqual_weighted_worked_example(survey):
    # Mean importance points: tangibles (10*6)/6 = 10, reliability (30*3 + 40*3)/6 = 35,
    # responsiveness (20*3 + 30*3)/6 = 25, assurance (20*3 + 10*3)/6 = 15, empathy 15;
    # they add up to 100.
    # Score = (0.5*10 - 1*35 - 1*25 + 0*15 + 0*15) / 100 = -55 / 100 = -0.55
    assert servqual_score(survey, weighted=True) == pytest.approx(-0.55)


def test_servqual_weighted_needs_importance(survey):
    with pytest.raises(LoyaltyDataError, match="importance"):
        servqual_score(survey.drop(columns="importance"), weighted=True)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 9, 9, 7, 3, 6], (3 - 2) / 6 * 100),
        ([10, 10, 9], 100.0),
        ([0, 6, 5], -100.0),
        ([7, 8], 0.0),
    ],
    ids=["mixed", "all-promoters", "all-detractors", "all-passives"],
)
def test_nps_on_series(scores, expected):
    assert nps(pd.Series(scores, dtype="float64")) == pytest.approx(expected)


def test_nps_on_survey_counts_each_respondent_once(survey):
    assert nps(survey) == pytest.approx(100 / 6)


def test_nps_without_recommend_raises(survey):
    with pytest.raises(LoyaltyDataError, match="recommend"):
        nps(survey.drop(columns="recommend"))


def test_nps_out_of_range_raises():
    with pytest.raises(LoyaltyDataError, match="between 0 and 10"):
        nps(pd.Series([11.0, 5.0]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.drop(columns="perception"), "perception"),
        (lambda s: s.assign(dimension="speed"), "Unknown survey dimension"),
        (lambda s: s.assign(expectation="high"), "numbers"),
        (lambda s: s.iloc[0:0], "no rows"),
    ],
    ids=["missing-column", "unknown-dimension", "text-scores", "empty"],
)
def test_bad_surveys_raise_clear_errors(survey, change, message):
    with pytest.raises(LoyaltyDataError, match=message):
        dimension_gaps(change(survey))


def test_bad_confidence_raises(survey):
    with pytest.raises(LoyaltyDataError, match="confidence"):
        dimension_gaps(survey, confidence=95)


@settings(max_examples=50, deadline=None)
@given(random_surveys())
def test_dimension_gap_invariants(survey):
    got = dimension_gaps(survey)
    n = survey["respondent_id"].nunique()
    assert (got["respondents"] == n).all()
    assert got["share_unmet"].between(0, 1).all()
    assert np.allclose(got["perception"] - got["expectation"], got["gap"])
    if n >= 2:
        assert (got["ci_low"] <= got["gap"] + 1e-12).all()
        assert (got["gap"] <= got["ci_high"] + 1e-12).all()
    # the respondent table reconciles with the dimension table
    resp = respondent_gaps(survey)
    assert len(resp) == n
    assert np.allclose(resp[[f"gap_{d}" for d in DIMENSIONS]].mean().to_numpy(), got["gap"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=40))
def test_nps_is_between_minus_and_plus_100(scores):
    value = nps(pd.Series(scores))
    assert -100 <= value <= 100


def test_survey_scores_by_dimension(survey):
    survey.loc[0, "perception"] = np.nan  # r1's tangibles item: left out
    scores = survey_scores(survey)
    assert scores.starts == (0, 5, 17, 23, 29, 35)  # 5 tangibles, 12 reliability, 6 x 3
    tangibles = slice(*scores.starts[0:2])
    assert scores.respondent[tangibles].tolist() == [1, 2, 3, 4, 5]
    assert (scores.perception - scores.expectation)[tangibles].tolist() == [0, 1, 0, 1, 0]
    reliability = slice(*scores.starts[1:3])
    assert scores.respondent[reliability].tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
