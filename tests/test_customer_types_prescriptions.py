"""Tests of what each customer type needs: the service prescriptions and who complains, on
hand-built frames."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons.customer_types.classify import TYPES
from loyalty_lessons.customer_types.prescriptions import complaints_by_type, service_prescriptions
from loyalty_lessons.errors import LoyaltyDataError

TYPES_TABLE = pd.DataFrame(
    {
        "customer_id": ["a", "b", "c", "d", "e", "f", "g"],
        "type": pd.Categorical(
            [
                "dissatisfied",
                "dissatisfied",
                "dissatisfied",
                "dissatisfied",
                "satisfied",
                "satisfied",
                "loyal",
            ],
            categories=list(TYPES),
            ordered=True,
        ),
    }
)
COMPLAINTS = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "e", "g", "zz"],
        "date": pd.to_datetime(["2025-01-01"] * 6),
        "category": ["late delivery"] * 6,
    }
)


def test_service_prescriptions_table():
    got = service_prescriptions()
    assert list(got.columns) == ["type", "state_of_mind", "prescription"]
    assert got["type"].tolist() == list(TYPES)
    assert (got["state_of_mind"].str.len() > 40).all()
    assert (got["prescription"].str.len() > 40).all()


def test_complaints_by_type_counts_complainers_and_the_silent():
    result = complaints_by_type(TYPES_TABLE, COMPLAINTS)
    expected = pd.DataFrame(
        {
            "type": pd.Series(["dissatisfied", "satisfied", "loyal"], dtype="str"),
            "customers": np.array([4, 2, 1], dtype="int64"),
            "complainers": np.array([1, 1, 1], dtype="int64"),
            "complaints": np.array([3, 1, 1], dtype="int64"),
            "share_complained": [0.25, 0.5, 1.0],
            "silent_per_complainer": [3.0, 1.0, 0.0],
        }
    )
    pd.testing.assert_frame_equal(result, expected)
    assert result.attrs["unmatched_complaints"] == 1


@pytest.mark.parametrize(
    "complaints",
    [None, COMPLAINTS.iloc[0:0], pd.DataFrame({"customer_id": ["zz"]})],
    ids=["no-file", "empty", "only-strangers"],
)
def test_no_complaint_means_nobody_complained(complaints):
    result = complaints_by_type(TYPES_TABLE, complaints)
    assert result["complainers"].tolist() == [0, 0, 0]
    assert result["share_complained"].tolist() == [0.0, 0.0, 0.0]
    assert result["silent_per_complainer"].isna().all()


def test_an_empty_type_has_no_share():
    result = complaints_by_type(TYPES_TABLE[TYPES_TABLE["type"] != "loyal"], COMPLAINTS)
    assert result.loc[2, "customers"] == 0 and np.isnan(result.loc[2, "share_complained"])


def test_another_id_column_and_inputs_unchanged():
    complaints = COMPLAINTS.rename(columns={"customer_id": "client"})
    before = complaints.copy()
    result = complaints_by_type(TYPES_TABLE, complaints, customer_id_col="client")
    assert result["complaints"].tolist() == [3, 1, 1]
    pd.testing.assert_frame_equal(complaints, before)


@pytest.mark.parametrize(
    "types, complaints, message",
    [
        (TYPES_TABLE.drop(columns="type"), COMPLAINTS, "no column 'type'"),
        (TYPES_TABLE, COMPLAINTS.drop(columns="customer_id"), "customer_id_col="),
        (pd.concat([TYPES_TABLE, TYPES_TABLE.head(1)]), COMPLAINTS, "more than once"),
        ([1, 2], COMPLAINTS, "must be a pandas DataFrame"),
    ],
    ids=["no-type", "no-customer", "duplicate", "not-a-frame"],
)
def test_bad_tables_say_what_is_wrong(types, complaints, message):
    with pytest.raises(LoyaltyDataError, match=message):
        complaints_by_type(types, complaints)


@settings(max_examples=50, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(TYPES), min_size=1, max_size=15),
    complainers=st.lists(st.integers(0, 20), max_size=30),
)
def test_counts_reconcile(kinds, complainers):
    types = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(kinds))], "type": kinds})
    complaints = pd.DataFrame({"customer_id": [f"c{i}" for i in complainers]})
    result = complaints_by_type(types, complaints)
    assert result["customers"].sum() == len(types)
    assert result["complaints"].sum() + result.attrs["unmatched_complaints"] == len(complaints)
    assert (result["complainers"] <= result["customers"]).all()
    assert result["complainers"].sum() == len({i for i in complainers if i < len(kinds)})


# --------------------------------------------------------------------------- the explorer
