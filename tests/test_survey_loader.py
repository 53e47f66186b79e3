"""Tests of loyalty_lessons.survey_loader: SERVQUAL surveys, wide or long, into the long layout."""

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.survey_loader import load_survey


def _wide(n=3):
    rng = np.random.default_rng(1)
    data = {"respondent": [f"r{i}" for i in range(n)], "customer": [f"c{i}" for i in range(n)]}
    for k in range(1, 23):
        data[f"E{k}"] = rng.integers(4, 8, n)
        data[f"P{k}"] = rng.integers(1, 8, n)
    data["importance_reliability"] = [30] * n
    data["recommend"] = [9, 6, 10][:n]
    return pd.DataFrame(data)


def test_wide_survey_becomes_long(tmp_path):
    wide = _wide()
    path = tmp_path / "survey.csv"
    wide.to_csv(path, index=False, sep=";")
    survey, report = load_survey(path)
    assert len(survey) == 3 * 22
    assert survey["dimension"].value_counts().to_dict() == {
        "reliability": 15,
        "empathy": 15,
        "tangibles": 12,
        "responsiveness": 12,
        "assurance": 12,
    }
    row = survey[(survey["respondent_id"] == "r1") & (survey["item"] == 7)].iloc[0]
    assert row["expectation"] == wide.loc[1, "E7"] and row["perception"] == wide.loc[1, "P7"]
    assert row["importance"] == 30 and row["recommend"] == 6 and row["customer_id"] == "c1"
    assert survey.loc[survey["dimension"] == "tangibles", "importance"].isna().all()
    assert report.detected["layout"] == "wide" and report.rows_read == 3 and report.rows_kept == 3


def test_survey_sets_aside_out_of_range_respondents_and_counts_unanswered(tmp_path):
    wide = _wide().astype(object)
    wide.loc[0, "P3"] = 9  # outside 1-7
    wide.loc[1, "E4"] = None  # unanswered item
    survey, report = load_survey(wide, max_rejected_share=1.0)
    assert report.rejected[["line", "reason"]].values.tolist() == [[1, "perception outside 1-7"]]
    assert set(survey["respondent_id"]) == {"r1", "r2"}
    assert len(survey) == 2 * 22 - 1
    assert any("1 unanswered items" in n for n in report.notes)


def test_long_survey_counts_blank_answers_and_the_respondents_who_left_them():
    """A long export keeps a line for an item left blank: the line is read and kept (nothing
    is set aside), the item is left out of the table, and the notes say how many answers and
    respondents, and name a respondent who answered nothing at all."""
    long = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "a", "b", "b", "c", "c"],
            "item": [1, 2, 5, 1, 2, 1, 2],
            "expectation": ["6", "", "7", "5", "4", "", "6"],
            "perception": ["5", "6", "", "6", "4", "", None],
            "recommend": ["9", "9", "9", "3", "3", "7", "7"],
        }
    )
    survey, report = load_survey(long)
    assert survey[["respondent_id", "item"]].values.tolist() == [["a", 1], ["b", 1], ["b", 2]]
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (7, 7, 0)
    assert any(
        n.startswith("4 unanswered items") and "2 of 3 respondents left some items blank" in n
        for n in report.notes
    ), report.notes
    assert any(n.startswith("1 respondents answered no item") for n in report.notes), report.notes


def test_long_survey_and_custom_item_map():
    long = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "b"],
            "item": [1, 2, 1],
            "expectation": ["6,5", "7", "5"],
            "perception": ["5", "7", "6"],
        }
    )
    survey, report = load_survey(long, item_map={1: "tangibles", 2: "empathy"})
    assert survey["dimension"].tolist() == ["tangibles", "empathy", "tangibles"]
    assert survey["expectation"].tolist() == [6.5, 7.0, 5.0]
    assert report.detected["layout"] == "long"


@pytest.mark.parametrize(
    "frame, match",
    [
        (pd.DataFrame({"id": [1], "score": [3]}), "no survey scores found"),
        (pd.DataFrame({"E1": [3], "P1": [3], "E2": [4]}), r"items \[2\] have an expectation"),
        (pd.DataFrame({"E23": [3], "P23": [3]}), r"items \[23\] are not in the item map"),
    ],
    ids=["no-scores", "unpaired", "unknown-item"],
)
def test_survey_fatal_problems(frame, match):
    with pytest.raises(LoyaltyDataError, match=match):
        load_survey(frame)
