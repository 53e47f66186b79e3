"""The concentration of values over customers: curve, top share, Pareto point, Gini, verdict
([fr-monitoring-loyalty] and [ru-loyalty-tips])."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.pareto.concentration import (
    ParetoPoint,
    clipped_values,
    concentration_curve,
    concentration_verdict,
    curve_shares,
    gini,
    pareto_point,
    top_count,
    top_share,
)

non_negative_values = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
).filter(lambda values: sum(values) > 0)


def test_concentration_curve_hand_computed():
    curve = concentration_curve([10.0, 60.0, 30.0])
    expected = pd.DataFrame(
        {
            "rank": np.array([0, 1, 2, 3], dtype="int64"),
            "customer_share": [0.0, 1 / 3, 2 / 3, 1.0],
            "value_share": [0.0, 0.6, 0.9, 1.0],
        }
    )
    assert_frame_equal(curve, expected)


def test_concentration_curve_reads_a_frame_column_and_leaves_it_unchanged():
    summary = pd.DataFrame({"customer_id": ["a", "b"], "orders": [3, 1]})
    before = summary.copy()
    curve = concentration_curve(summary, value_col="orders")
    assert curve["value_share"].tolist() == [0.0, 0.75, 1.0]
    assert_frame_equal(summary, before)


def test_negative_values_are_clipped_with_a_warning():
    with pytest.warns(UserWarning, match="1 customer"):
        curve = concentration_curve([50.0, -20.0, 50.0])
    assert curve["value_share"].tolist() == [0.0, 0.5, 1.0, 1.0]


def test_negative_clip_is_quiet_and_raise_refuses():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert top_share([50.0, -20.0, 50.0], 0.5, negative="clip") == 1.0
    with pytest.raises(LoyaltyDataError, match="negative"):
        gini([50.0, -20.0], negative="raise")


@pytest.mark.parametrize(
    "values, message",
    [
        ([], "no values"),
        ([1.0, np.nan], "missing"),
        ([0.0, 0.0], "add up to 0"),
        (["a", "b"], "numbers"),
    ],
    ids=["empty", "nan", "zero-total", "text"],
)
def test_unusable_values_raise(values, message):
    with pytest.raises(LoyaltyDataError, match=message):
        concentration_curve(values)


def test_missing_value_column_raises():
    with pytest.raises(LoyaltyDataError, match="value_col"):
        top_share(pd.DataFrame({"spend": [1.0]}))


@settings(max_examples=50, deadline=None)
@given(non_negative_values)
def test_curve_is_monotone_from_origin_to_one(values):
    curve = concentration_curve(values)
    assert curve.iloc[0].tolist() == [0, 0.0, 0.0]
    assert curve["customer_share"].iloc[-1] == 1.0
    assert curve["value_share"].iloc[-1] == 1.0
    assert (curve["value_share"].diff().dropna() >= 0).all()
    assert curve["value_share"].between(0, 1).all()
    # largest first: the curve never falls below the line of equal shares
    assert (curve["value_share"] >= curve["customer_share"] - 1e-12).all()


@pytest.mark.parametrize(
    "values, fraction, expected",
    [
        ([80, 5, 5, 5, 5], 0.2, 0.8),
        ([1] * 10, 0.2, 0.2),
        ([30, 20, 10] + [2] * 10 + [0, 0], 0.2, 0.75),  # ceil(0.2 * 15) = 3, not 4
        ([5, 3, 2], 0.2, 0.5),  # ceil(0.6) = 1 customer
        ([5, 3, 2], 1.0, 1.0),
    ],
    ids=["seed-80-20", "equal", "no-float-noise", "rounds-up", "everyone"],
)
def test_top_share_hand_computed(values, fraction, expected):
    assert top_share(values, fraction) == pytest.approx(expected)


def test_top_share_of_a_curve_equals_top_share_of_the_values():
    values = [7.0, 1.0, 3.0, 3.0, 9.0, 2.0, 0.0]
    assert top_share(concentration_curve(values), 0.3) == top_share(values, 0.3)


def test_every_figure_of_a_curve_in_any_row_order_equals_the_values_figure():
    values = [5.0, 1.0, 40.0, 12.0, 12.0, 0.0, 30.0]
    curve = concentration_curve(values)
    shuffled = curve.sample(frac=1.0, random_state=3)
    for frame in (curve, shuffled):
        assert top_share(frame, 0.3) == top_share(values, 0.3)
        assert pareto_point(frame) == pareto_point(values)
        assert gini(frame) == gini(values)


@pytest.mark.parametrize("fraction", [0, -0.1, 1.5], ids=["zero", "negative", "above-one"])
def test_top_share_rejects_bad_fraction(fraction):
    with pytest.raises(LoyaltyDataError, match="fraction"):
        top_share([1, 2, 3], fraction)


@settings(max_examples=50, deadline=None)
@given(non_negative_values, st.floats(min_value=0.01, max_value=1.0))
def test_top_share_is_at_least_the_fraction(values, fraction):
    share = top_share(values, fraction)
    assert fraction - 1e-9 <= share <= 1.0


@pytest.mark.parametrize(
    "values, customer_share, label",
    [
        ([5, 5, 5, 5], 0.5, "50/50"),
        ([100, 0, 0, 0], 0.2, "20/80"),  # one of N holds all: x = 1 / (N + 1)
        ([100, 0, 0, 0, 0, 0, 0, 0, 0], 0.1, "10/90"),
        ([3, 1], 0.4, "40/60"),  # curve (0.5, 0.75): 1.5x = 0.6 on the first segment
    ],
    ids=["equal", "one-of-four", "one-of-nine", "two-customers"],
)
def test_pareto_point_hand_computed(values, customer_share, label):
    point = pareto_point(values)
    assert isinstance(point, ParetoPoint)
    assert point.customer_share == pytest.approx(customer_share)
    assert point.value_share == pytest.approx(1 - customer_share)
    assert point.label == label


@settings(max_examples=50, deadline=None)
@given(non_negative_values)
def test_pareto_point_lies_on_the_curve(values):
    point = pareto_point(values)
    curve = concentration_curve(values)
    on_curve = np.interp(point.customer_share, curve["customer_share"], curve["value_share"])
    assert 0 < point.customer_share <= 0.5 + 1e-12
    assert on_curve == pytest.approx(point.value_share, abs=1e-9)
    x, y = (int(part) for part in point.label.split("/"))
    assert x + y == 100


def test_gini_of_an_equal_distribution_is_zero():
    assert gini([7.0] * 12) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n", [2, 4, 10], ids=["n2", "n4", "n10"])
def test_gini_of_all_in_one_is_one_minus_one_over_n(n):
    assert gini([0.0] * (n - 1) + [50.0]) == pytest.approx(1 - 1 / n)


def test_gini_hand_computed():
    # sorted 1, 2, 3, 4: sum((2i - 5) x_i) = -3 - 2 + 3 + 12 = 10; 10 / (4 * 10) = 0.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert gini(concentration_curve([4, 1, 3, 2])) == pytest.approx(0.25)


@settings(max_examples=50, deadline=None)
@given(non_negative_values)
def test_gini_matches_the_sorted_formula_and_stays_below_one(values):
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    formula = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * x.sum())
    result = gini(values)
    assert result == pytest.approx(formula, abs=1e-9)
    assert 0 <= result < 1


@pytest.mark.parametrize(
    ("fraction", "n", "expected"),
    [(0.2, 15, 3), (0.2, 12, 3), (0.2, 3, 1), (0.01, 50, 1), (1.0, 7, 7), (0.5, 1, 1)],
    ids=["0.2x15-no-float-noise", "0.2x12-rounds-up", "small-base", "at-least-one", "all", "one"],
)
def test_top_count_is_the_ceiling_of_the_fraction(fraction, n, expected):
    assert top_count(fraction, n) == expected


@pytest.mark.parametrize("fraction", [0, -0.1, 1.5])
def test_top_count_refuses_a_fraction_outside_0_1(fraction):
    with pytest.raises(LoyaltyDataError, match="fraction"):
        top_count(fraction, 10)


def test_curve_shares_are_the_columns_of_the_curve():
    values = pd.DataFrame({"revenue": [5.0, 50.0, 20.0, 25.0]})
    customer_share, value_share = curve_shares(values)
    assert customer_share.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert value_share.tolist() == [0.0, 0.5, 0.75, 0.95, 1.0]
    shuffled = concentration_curve(values).iloc[[3, 0, 4, 2, 1]]
    assert [a.tolist() for a in curve_shares(shuffled)] == [customer_share.tolist(), value_share.tolist()]


@pytest.mark.parametrize(
    "share, other, verdict",
    [(0.606, 0.684, "less"), (0.95, 0.70, "more"), (0.70, 0.71, "about as"), (0.70, 0.72, "less")],
    ids=["less", "more", "close", "at-the-margin"],
)
def test_concentration_verdict(share, other, verdict):
    assert concentration_verdict(share, other) == verdict


def test_clipped_values_read_a_frame_column_and_count_the_negatives():
    frame = pd.DataFrame({"orders": [3, -1, -4, 2]})
    array, negatives = clipped_values(frame, value_col="orders", negative="clip")
    assert array.tolist() == [3.0, 0.0, 0.0, 2.0] and negatives == 2


def test_clipped_values_refuse_an_unknown_policy():
    with pytest.raises(LoyaltyDataError, match="not a policy"):
        clipped_values([1.0], negative="ignore")
