"""Tests of the RFM scores and segments on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.rfm import RFM_SEGMENTS, rfm_scores, rfm_segments


def test_rfm_scores_quintiles_by_hand():
    summary = pd.DataFrame(
        {
            "customer_id": list("abcdefghij"),
            "days_since_last": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "orders": [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
            "revenue": [5.0, 1, 2, 3, 4, 6, 7, 8, 9, 10],
        }
    )
    got = rfm_scores(summary)
    assert got["r_score"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert got["f_score"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert got["m_score"].tolist() == [3, 1, 1, 2, 2, 3, 4, 4, 5, 5]
    assert got.loc[0, "rfm_score"] == "553"


def test_rfm_scores_ties_share_a_score():
    summary = pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "days_since_last": [10] * 5,
            "orders": [1, 1, 1, 2, 5],
            "revenue": [10.0, 20, 30, 40, 50],
        }
    )
    got = rfm_scores(summary)
    # all recencies tie: average rank 3 -> ceil(3 * 5 / 5) = 3
    assert got["r_score"].tolist() == [3] * 5
    # orders ranks (2, 2, 2, 4, 5) -> scores (2, 2, 2, 4, 5)
    assert got["f_score"].tolist() == [2, 2, 2, 4, 5]


@pytest.mark.parametrize("bins", [1, 10, 2.5], ids=["one", "ten", "fraction"])
def test_rfm_scores_rejects_bad_bins(bins):
    summary = pd.DataFrame({"customer_id": ["a"], "days_since_last": [1], "orders": [1], "revenue": [1.0]})
    with pytest.raises(LoyaltyDataError, match="bins"):
        rfm_scores(summary, bins=bins)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 30), st.floats(0, 1e4)),
        min_size=1,
        max_size=40,
    ),
    st.integers(2, 6),
)
def test_rfm_scores_properties(rows, bins):
    summary = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(len(rows))],
            "days_since_last": [r[0] for r in rows],
            "orders": [r[1] for r in rows],
            "revenue": [r[2] for r in rows],
        }
    )
    got = rfm_scores(summary, bins=bins)
    for col in ("r_score", "f_score", "m_score"):
        assert got[col].between(1, bins).all()
    # more recent never scores lower; equal values score equally
    order = got.sort_values("days_since_last")
    assert order["r_score"].is_monotonic_decreasing
    order = got.sort_values("revenue")
    assert order["m_score"].is_monotonic_increasing
    segments = rfm_segments(got)
    assert len(segments) == len(summary)
    assert segments["segment"].notna().all()


def test_rfm_segments_by_hand():
    scores = pd.DataFrame(
        {
            "r_score": [5, 5, 5, 3, 1, 2, 3],
            "f_score": [5, 5, 1, 2, 4, 1, 3],
            "m_score": [5, 1, 3, 1, 4, 1, 3],
        }
    )
    got = rfm_segments(scores)
    assert got["segment"].tolist() == [
        "champions",
        "loyal",
        "new",
        "promising",
        "at risk",
        "hibernating",
        "loyal",
    ]
    assert list(got["segment"].cat.categories) == [*RFM_SEGMENTS, "other"]
    assert_frame_equal(got.drop(columns="segment"), scores)


def test_rfm_segments_custom_config_with_catch_all():
    scores = pd.DataFrame({"r_score": [5, 1], "f_score": [5, 1], "m_score": [5, 1]})
    got = rfm_segments(scores, segment_config={"best": {"r": (5, 5), "m": (4, 5)}})
    assert got["segment"].tolist() == ["best", "other"]


@pytest.mark.parametrize(
    "config",
    [{"x": {"q": (1, 2)}}, {"other": {"r": (1, 5)}}, {}],
    ids=["unknown-letter", "reserved-name", "empty"],
)
def test_rfm_segments_rejects_bad_config(config):
    scores = pd.DataFrame({"r_score": [5], "f_score": [5], "m_score": [5]})
    with pytest.raises(LoyaltyDataError):
        rfm_segments(scores, segment_config=config)
