import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from loyalty_lessons.customer_types import (  # noqa: E402
    TYPE_RULES,
    TYPES,
    classify_customers,
    complaints_by_type,  # noqa: E402
)
from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.inputs import load_inputs  # noqa: E402
from loyalty_lessons.widgets.customer_types import type_explorer  # noqa: E402

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


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None, complaints=None)


@pytest.fixture()
def explorer(inputs):
    return type_explorer(inputs.summary, inputs.transactions, observation_end=inputs.observation_end)


def _counts(explorer) -> dict:
    return dict(zip(explorer.result["type"].astype("str"), explorer.result["customers"]))


def test_explorer_starts_on_the_default_rule(explorer, inputs):
    assert explorer.values() == {k: TYPE_RULES[k] for k in explorer.controls}
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    assert _counts(explorer) == types["type"].astype("str").value_counts().to_dict()
    assert sum(_counts(explorer).values()) == len(inputs.summary)


def test_a_stricter_loyal_rule_gives_fewer_loyal_customers(explorer):
    before = _counts(explorer)
    explorer.controls["loyal_min_orders"].value = 12
    after = _counts(explorer)
    assert after["loyal"] < before["loyal"]
    assert after["satisfied"] == before["satisfied"] + before["loyal"] - after["loyal"]
    assert after["dissatisfied"] == before["dissatisfied"]
    loyal = explorer.result.set_index(explorer.result["type"].astype("str")).loc["loyal"]
    assert explorer.message.startswith(
        f"{after['loyal']:,} regular customers "
        f"({loyal['share_of_customers']:.0%}, likely loyal) bring "
        f"{loyal['revenue_share']:.0%} of revenue"
    )


def test_less_patience_gives_more_dissatisfied_customers(explorer, inputs):
    explorer.controls["lapsed_after_days"].value = 90
    expected = int((inputs.summary["days_since_last"] > 90).sum())
    assert _counts(explorer)["dissatisfied"] == expected
    assert f"{expected:,} customers" in explorer.message
    assert f"{expected:,} customers" in explorer.caption.value


def test_a_longer_recency_allowance_gives_more_loyal_customers(explorer):
    before = _counts(explorer)["loyal"]
    explorer.controls["loyal_max_days_since_last"].value = 150
    assert _counts(explorer)["loyal"] > before


def test_the_chart_follows_the_controls(explorer):
    explorer.controls["loyal_min_orders"].value = 3
    ax = explorer.figure.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights[:3], explorer.result["share_of_customers"] * 100)
    assert np.allclose(heights[3:], explorer.result["revenue_share"] * 100)
    # typed from purchases alone: named for the behaviour
    assert ax.get_title().startswith("Regular customers (likely loyal) are")


def test_every_slider_label_fits_its_width(explorer):
    """A label longer than its width is cut in JupyterLab ("Lapsed: no purchase for > d…");
    about 7.5 px a character at its font."""
    for name, control in explorer.controls.items():
        width = int(control.style.description_width.removesuffix("px"))
        assert len(control.description) * 7.5 <= width, (name, control.description)
