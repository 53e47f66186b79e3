"""Tests of loyalty_lessons.noise: hand-computed values, bad inputs, and by simulation the
false-alarm rate on unchanging figures and the power on real changes."""

import math

import numpy as np
import pytest
from scipy import stats

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.noise import count_change, mean_change, share_change, verdict

Z95 = 1.959963984540054


def test_count_change_hand_computed():
    # 10 events in one period against 20 in one period: under no change the 20 is
    # Binomial(30, 1/2); P(X >= 20) = sum_{k=20}^{30} C(30, k) / 2^30, doubled.
    tail = sum(math.comb(30, k) for k in range(20, 31)) / 2**30
    change = count_change(10, 20, before_periods=1, after_periods=1)
    assert change.before == 10 and change.after == 20 and change.difference == 10
    assert change.p_value == pytest.approx(2 * tail, rel=1e-9)
    assert change.band == pytest.approx(Z95 * math.sqrt(15 + 15))  # pooled 15 a period
    assert change.direction == "within noise"  # p = 0.099


def test_count_change_rates_per_period():
    change = count_change(90, 40, before_periods=3, after_periods=1)
    assert (change.before, change.after) == (30, 40)
    # under no change the after count is Binomial(130, 1/4)
    assert change.p_value == pytest.approx(stats.binomtest(40, 130, 0.25).pvalue)


def test_count_change_nothing_counted():
    change = count_change(0, 0, before_periods=3, after_periods=3)
    assert change.direction == "within noise" and change.p_value == 1


def test_share_change_hand_computed():
    # 2x2 table of 3/10 against 7/10: Fisher's two-sided p is 0.1789 (tables at least as
    # unlikely as the observed one, from the hypergeometric law)
    probs = [math.comb(10, k) * math.comb(10, 10 - k) / math.comb(20, 10) for k in range(11)]
    observed = probs[7]
    p = sum(q for q in probs if q <= observed * (1 + 1e-7))
    change = share_change(3, 10, 7, 10)
    assert change.p_value == pytest.approx(p, rel=1e-9)
    assert change.band == pytest.approx(Z95 * math.sqrt(0.25 * (1 / 10 + 1 / 10)))
    assert change.direction == "within noise"
    assert share_change(30, 100, 70, 100).direction == "up"


def test_mean_change_welch():
    change = mean_change(40.0, 10.0, 50, 45.0, 12.0, 60)
    se = math.sqrt(100 / 50 + 144 / 60)
    dof = se**4 / ((100 / 50) ** 2 / 49 + (144 / 60) ** 2 / 59)
    assert change.band == pytest.approx(stats.t.ppf(0.975, dof) * se)
    assert change.p_value == pytest.approx(2 * stats.t.sf(5 / se, dof))
    assert change.direction == "up"


def test_mean_change_without_spread():
    assert mean_change(5.0, 0.0, 3, 5.0, 0.0, 4).direction == "within noise"
    assert mean_change(5.0, 0.0, 3, 6.0, 0.0, 4).direction == "up"


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: count_change(-1, 3, before_periods=1, after_periods=1), "whole number"),
        (lambda: count_change(1.5, 3, before_periods=1, after_periods=1), "whole number"),
        (lambda: count_change(1, 3, before_periods=0, after_periods=1), "at least one period"),
        (lambda: share_change(3, 0, 1, 5), "group of at least one"),
        (lambda: share_change(6, 5, 1, 5), "no more events"),
        (lambda: mean_change(1.0, 1.0, 1, 2.0, 1.0, 5), "at least two values"),
        (lambda: mean_change(1.0, -1.0, 5, 2.0, 1.0, 5), "at least two values"),
        (lambda: count_change(1, 3, before_periods=1, after_periods=1, confidence=1.5), "between 0 and 1"),
    ],
    ids=[
        "negative-count",
        "fractional-count",
        "no-period",
        "empty-group",
        "events-over-group",
        "one-value",
        "negative-sd",
        "confidence",
    ],
)
def test_bad_inputs_say_what_is_wrong(call, words):
    with pytest.raises(LoyaltyDataError, match=words):
        call()


@pytest.mark.parametrize(
    "before, after, better, expected",
    [
        (180, 120, "higher", "worsening"),
        (180, 120, "lower", "improving"),
        (120, 180, "higher", "improving"),
        (180, 175, "higher", "within noise"),
    ],
)
def test_verdict(before, after, better, expected):
    assert verdict(count_change(before, after, before_periods=3, after_periods=3), better) == expected


def test_verdict_needs_a_direction():
    with pytest.raises(LoyaltyDataError, match="'higher' or 'lower'"):
        verdict(count_change(1, 2, before_periods=1, after_periods=1), "up")


# ----------------------------------------------------------------- simulation

RUNS = 2000


def _rate(directions) -> float:
    return float(np.mean([d != "within noise" for d in directions]))


def test_counts_false_alarms_and_power():
    rng = np.random.default_rng(20261202)
    # sixty new customers a month, three months against three, nothing changing
    months = rng.poisson(60, size=(RUNS, 6))
    still = [
        count_change(int(r[:3].sum()), int(r[3:].sum()), before_periods=3, after_periods=3).direction
        for r in months
    ]
    assert 0.02 <= _rate(still) <= 0.06
    # a real fall of 20% in the last three months
    after = rng.poisson(48, size=(RUNS, 3))
    fell = [
        count_change(int(b[:3].sum()), int(a.sum()), before_periods=3, after_periods=3).direction
        for b, a in zip(months, after)
    ]
    assert 0.4 <= _rate(fell) <= 0.7
    assert set(fell) <= {"down", "within noise"}


def test_shares_false_alarms_and_power():
    rng = np.random.default_rng(7)
    sizes = rng.poisson(180, size=(RUNS, 2))
    lost = rng.binomial(sizes, 0.30)
    still = [
        share_change(int(lo[0]), int(n[0]), int(lo[1]), int(n[1])).direction for lo, n in zip(lost, sizes)
    ]
    assert 0.02 <= _rate(still) <= 0.06  # Fisher's test is a little conservative
    worse = rng.binomial(sizes[:, 1], 0.45)
    rose = [
        share_change(int(lo[0]), int(n[0]), int(w), int(n[1])).direction
        for lo, n, w in zip(lost, sizes, worse)
    ]
    assert _rate(rose) >= 0.7


def test_means_false_alarms_and_power():
    rng = np.random.default_rng(11)
    runs = 1000
    directions, power = [], []
    for _ in range(runs):
        # about 1,000 orders a window, skewed amounts of mean 40
        a = rng.gamma(2.0, 20.0, size=rng.poisson(1000))
        b = rng.gamma(2.0, 20.0, size=rng.poisson(1000))
        c = rng.gamma(2.0, 18.0, size=rng.poisson(1000))  # spend per order -10%
        args = (a.mean(), a.std(ddof=1), len(a))
        directions.append(mean_change(*args, b.mean(), b.std(ddof=1), len(b)).direction)
        power.append(mean_change(*args, c.mean(), c.std(ddof=1), len(c)).direction)
    assert 0.02 <= _rate(directions) <= 0.08
    assert _rate(power) >= 0.9
