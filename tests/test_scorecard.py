import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scorecard import (
    PRACTICES,
    SCORECARD_COLUMNS,
    discussion_guide,
    fill_scorecard,
    load_scorecard,
    save_scorecard,
    score_summary,
    scorecard_template,
    weakest_practices,
)

SMALL = [
    {"id": "a", "source": "000.txt", "group": "Steps", "practice": "Alpha", "description": "A."},
    {
        "id": "b",
        "source": "000.txt",
        "group": "Steps",
        "practice": "Bravo",
        "description": "B.",
        "fact": "Ten per complaint.",
        "fact_source": "000.txt",
    },
    {"id": "c", "source": "003.txt", "group": "Tips", "practice": "Charlie", "description": "C."},
    {"id": "d", "source": "003.txt", "group": "Tips", "practice": "Delta", "description": "D."},
    {"id": "e", "source": "001.txt", "group": "Care", "practice": "Echo", "description": "E."},
]
IDS = [p["id"] for p in PRACTICES]


def test_catalogue_holds_the_three_lists_of_the_sources():
    card = scorecard_template()
    assert list(card.columns) == SCORECARD_COLUMNS
    counts = card.groupby("source", sort=False).size()
    assert counts.to_dict() == {"it-loyalty-steps": 7, "ru-loyalty-tips": 7, "it-customer-care": 3}
    assert card["practice_id"].is_unique and card["score"].isna().all()
    assert card["description"].str.endswith(".").all()


def test_facts_quote_the_source_figures():
    facts = " ".join(p.get("fact", "") for p in PRACTICES)
    for figure in ("15 to 20%", "94 of 100", "at least ten customers", "3 to 10 times", "46%"):
        assert figure in facts


def test_fill_scorecard_keeps_order_and_leaves_the_rest_blank():
    card = fill_scorecard({"c": 4, "a": 2, "e": None}, practices=SMALL)
    expected = pd.DataFrame(
        {
            "practice_id": ["a", "b", "c", "d", "e"],
            "source": ["000.txt", "000.txt", "003.txt", "003.txt", "001.txt"],
            "group": ["Steps", "Steps", "Tips", "Tips", "Care"],
            "practice": ["Alpha", "Bravo", "Charlie", "Delta", "Echo"],
            "description": ["A.", "B.", "C.", "D.", "E."],
            "score": [2.0, np.nan, 4.0, np.nan, np.nan],
        }
    )
    assert_frame_equal(card, expected)


@pytest.mark.parametrize(
    "ratings, message",
    [
        ({"a": 6}, "outside the scale 1-5"),
        ({"a": 0}, "outside the scale 1-5"),
        ({"zz": 3}, "unknown practice id(s) ['zz']"),
        ({"a": "good"}, "not numbers"),
    ],
    ids=["above", "below", "unknown-id", "not-a-number"],
)
def test_bad_ratings_are_refused_with_a_clear_message(ratings, message):
    with pytest.raises(
        LoyaltyDataError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]"),
    ):
        fill_scorecard(ratings, practices=SMALL)


def test_duplicate_ids_in_a_frame_are_refused():
    frame = pd.DataFrame({"practice_id": ["a", "a"], "score": [1, 2]})
    with pytest.raises(LoyaltyDataError, match="more than once"):
        score_summary(frame, practices=SMALL)


def test_other_scales_are_honoured():
    card = fill_scorecard({"a": 9}, practices=SMALL, scale=(0, 10))
    assert card.loc[0, "score"] == 9.0
    with pytest.raises(LoyaltyDataError, match="scale"):
        fill_scorecard({"a": 1}, practices=SMALL, scale=(5, 1))


def test_score_summary_per_group():
    summary = score_summary({"a": 2, "b": 4, "c": 3, "d": 3}, practices=SMALL)
    expected = pd.DataFrame(
        {
            "group": ["Steps", "Tips", "Care"],
            "source": ["000.txt", "003.txt", "001.txt"],
            "practices": [2, 2, 1],
            "rated": [2, 2, 0],
            "share_rated": [1.0, 1.0, 0.0],
            "mean_score": [3.0, 3.0, np.nan],
            "weakest_practice": ["Alpha", "Charlie", None],
            "weakest_score": [2.0, 3.0, np.nan],
        }
    )
    assert_frame_equal(summary, expected)


def test_weakest_practices_lowest_first_ties_in_order():
    weakest = weakest_practices({"a": 3, "b": 1, "c": 3, "d": 2, "e": 5}, n=3, practices=SMALL)
    assert weakest["practice_id"].tolist() == ["b", "d", "a"]
    assert list(weakest.columns) == SCORECARD_COLUMNS
    with pytest.raises(LoyaltyDataError, match="n=0"):
        weakest_practices({"a": 1}, n=0, practices=SMALL)


def test_discussion_guide_attaches_the_fact_or_the_general_one():
    guide = discussion_guide({"a": 2, "b": 1, "c": 5}, n=2, practices=SMALL)
    assert guide["practice"].tolist() == ["Bravo", "Alpha"]
    assert guide.loc[0, "why_it_matters"] == "Ten per complaint."
    assert "3 to 10 times" in guide.loc[1, "why_it_matters"]
    assert guide.loc[1, "fact_source"] == "ru-loyalty-tips"


def test_csv_round_trip_keeps_accents_and_blanks(tmp_path):
    practices = [dict(SMALL[0], practice="Qualité du café", description="Goût régulier.")]
    practices += SMALL[1:]
    card = fill_scorecard({"a": 4, "c": 2.5}, practices=practices)
    path = save_scorecard(card, tmp_path / "équipe.csv", practices=practices)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Qualité du café" in path.read_text(encoding="utf-8-sig")
    assert_frame_equal(load_scorecard(path, practices=practices), card)


def test_load_reads_a_spreadsheet_resave_with_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "resaved.csv"
    path.write_bytes("practice_id;practice;score\na;Qualité;3,5\nc;Charlie;\n".encode("cp1252"))
    card = load_scorecard(path, practices=SMALL)
    assert card.loc[0, "score"] == 3.5
    assert card["score"].notna().sum() == 1
    assert card.loc[0, "practice"] == "Alpha"


@pytest.mark.parametrize(
    "content, message",
    [
        ("practice_id,score\nzz,3\n", "unknown practice id"),
        ("practice_id,score\na,7\n", "outside the scale"),
        ("id,note\na,3\n", "lacks the column"),
    ],
    ids=["unknown-id", "outside-scale", "missing-column"],
)
def test_load_refuses_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoyaltyDataError, match=message):
        load_scorecard(path, practices=SMALL)


def test_save_and_load_explain_missing_folders_and_files(tmp_path):
    with pytest.raises(LoyaltyDataError, match="does not exist"):
        save_scorecard({"a": 1}, tmp_path / "missing" / "x.csv", practices=SMALL)
    with pytest.raises(LoyaltyDataError, match="no scorecard file named 'x.csv'"):
        load_scorecard(tmp_path / "x.csv", practices=SMALL)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.one_of(st.none(), st.integers(1, 5))))
def test_summary_invariants(ratings):
    summary = score_summary(ratings)
    rated = sum(v is not None for v in ratings.values())
    assert summary["rated"].sum() == rated
    assert summary["practices"].sum() == len(PRACTICES)
    assert summary["share_rated"].between(0, 1).all()
    means = summary["mean_score"].dropna()
    assert means.between(1, 5).all()
    assert (summary["weakest_score"].dropna() <= means).all()
    assert len(weakest_practices(ratings, n=3)) == min(3, rated)
