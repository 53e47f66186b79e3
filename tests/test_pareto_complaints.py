"""How concentrated complaints are, and the overlap of value and complaints ([fr-monitoring-loyalty])."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.pareto.complaints import (
    complaint_concentration,
    complaint_counts,
    value_complaint_overlap,
)


@pytest.fixture
def complaints():
    ids = ["a"] * 5 + ["b"] * 2 + ["c", "d", "e"]
    return pd.DataFrame({"customer_id": ids, "date": pd.Timestamp("2024-01-01")})


def test_complaint_concentration_among_complainers(complaints):
    expected = pd.DataFrame(
        {
            "base": ["complaining customers"],
            "customers": [5],
            "top_customers": [1],
            "complaints": [10],
            "top_complaints": [5],
            "complaint_share": [0.5],
        }
    )
    assert_frame_equal(complaint_concentration(complaints), expected)


def test_complaint_concentration_over_all_customers(complaints):
    customers = pd.DataFrame({"customer_id": list("abcdefghij")})
    result = complaint_concentration(complaints, customers)
    assert result["base"].tolist() == ["complaining customers", "all customers"]
    # 10 customers: the top 2 (a, b) made 7 of the 10 complaints
    assert result.loc[1, ["customers", "top_customers", "top_complaints"]].tolist() == [10, 2, 7]
    assert result.loc[1, "complaint_share"] == pytest.approx(0.7)


def test_complainers_missing_from_customers_are_added_with_a_warning(complaints):
    with pytest.warns(UserWarning, match="not in the customer list"):
        result = complaint_concentration(complaints, ["a", "b", "x"])
    assert result.loc[1, "customers"] == 6  # a, b, x plus c, d, e


def test_complaint_concentration_needs_complaints():
    with pytest.raises(LoyaltyDataError, match="no complaints"):
        complaint_concentration(pd.DataFrame({"customer_id": []}))


def test_value_complaint_overlap_counts_and_shares(complaints):
    summary = pd.DataFrame(
        {"customer_id": list("abcdefghij"), "revenue": [500, 20, 10, 400, 5, 5, 5, 5, 5, 5.0]}
    )
    result = value_complaint_overlap(summary, complaints, fraction=0.4)
    # top 4 by revenue: a, d, b, c; top 2 of 5 complainers: a, b
    assert result.top_value_customers == 4
    assert result.top_complainers == 2
    assert result.both == 2
    assert result.share_of_top_value == pytest.approx(0.5)
    assert result.share_of_top_complainers == pytest.approx(1.0)
    assert result.customer_ids == ("a", "b")


def test_value_complaint_overlap_breaks_ties_by_id():
    summary = pd.DataFrame({"customer_id": list("edcba"), "revenue": [1.0] * 5})
    complaints = pd.DataFrame({"customer_id": ["b", "a"]})
    result = value_complaint_overlap(summary, complaints)
    assert result.customer_ids == ("a",)


def test_complaint_counts_with_every_customer_and_the_unknown_added_last():
    complaints = pd.DataFrame({"customer_id": ["b", "z", "b", "a"]})
    with pytest.warns(UserWarning, match="1 complaining customer"):
        counts = complaint_counts(complaints, ["a", "b", "c"], "customer_id")
    assert counts.to_dict() == {"a": 1, "b": 2, "c": 0, "z": 1}
    assert list(counts.index) == ["a", "b", "c", "z"]


def test_complaint_counts_refuse_a_complaint_without_customer():
    with pytest.raises(LoyaltyDataError, match="no customer id"):
        complaint_counts(pd.DataFrame({"customer_id": ["a", None]}), None, "customer_id")
