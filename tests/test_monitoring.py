"""Tests of loyalty_lessons.monitoring on a hand-built shop and on random data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring import (
    LOYALTY_SIGNALS,
    cohort_counts,
    cohort_counts_from_activity,
    cohort_retention,
    loyalty_signals,
    monitoring_table,
    monitoring_table_from_activity,
)
from loyalty_lessons.orders import scan

NAN = np.nan


@pytest.fixture
def shop() -> pd.DataFrame:
    """Five customers over January-May 2023; nothing happens in April.

    Purchases (orders with a positive net amount):
    a: o1 Jan 5 (30 + 20 = 50), o3 Feb 10 (40), o6 Mar 15 (60 - 10 refunded Mar 20 = 50)
    b: o2 Jan 20 (25), o10 Jan 25 (15)                -> 2 purchases, last Jan 25
    c: o4 Feb 3 (100), o7 Mar 1 (45); o5 Feb 20 is a refund of -30 on its own order
    d: o8 Mar 10 (70), o9 May 2 (10)                  -> 2 purchases, last May 2
    e: May 20, two lines without order id (15 + 5 = one order of 20)
    """
    rows = [
        ("a", "2023-01-05", 30.0, "o1"),
        ("a", "2023-01-05", 20.0, "o1"),
        ("b", "2023-01-20", 25.0, "o2"),
        ("b", "2023-01-25", 15.0, "o10"),
        ("a", "2023-02-10", 40.0, "o3"),
        ("c", "2023-02-03", 100.0, "o4"),
        ("c", "2023-02-20", -30.0, "o5"),
        ("a", "2023-03-15", 60.0, "o6"),
        ("a", "2023-03-20", -10.0, "o6"),
        ("c", "2023-03-01", 45.0, "o7"),
        ("d", "2023-03-10", 70.0, "o8"),
        ("d", "2023-05-02", 10.0, "o9"),
        ("e", "2023-05-20", 15.0, None),
        ("e", "2023-05-20", 5.0, None),
    ]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    tx["date"] = pd.to_datetime(tx["date"])
    return tx


def expected_shop_table() -> pd.DataFrame:
    """Every figure of the shop, worked out by hand (early_defection_days=30).

    Observation ends on May 20 (the last date). Early defections: b (2 purchases, quiet
    since Jan 25 + 30 days = Feb 24) in January's cohort, c (2 purchases, quiet since
    Mar 1 + 30 = Mar 31) in February's; d's second purchase (May 2) is too recent. A
    period is judged when its last day + 30 days <= May 20: January to March.
    """
    return pd.DataFrame(
        {
            "period": pd.period_range("2023-01", "2023-05", freq="M"),
            "new_customers": [2, 1, 1, 0, 1],
            "active_customers": [2, 2, 3, 0, 2],
            "returning_customers": [0, 1, 2, 0, 1],
            "repeat_rate": [0.0, 1 / 2, 2 / 3, NAN, 1 / 2],
            "orders": [3, 2, 3, 0, 2],
            "revenue": [90.0, 110.0, 165.0, 0.0, 30.0],
            "spend_per_order": [30.0, 55.0, 55.0, NAN, 15.0],
            "sales_per_customer": [45.0, 55.0, 55.0, NAN, 15.0],
            "early_defections": [1.0, 1.0, 0.0, NAN, NAN],
            "early_defection_rate": [0.5, 1.0, 0.0, NAN, NAN],
            "complete": [True, True, True, True, False],
        }
    )


def test_monitoring_table_by_hand(shop):
    table = monitoring_table(shop, early_defection_days=30)
    pdt.assert_frame_equal(table, expected_shop_table())
    assert table.attrs["period"] == "M"
    assert table.attrs["observation_end"] == pd.Timestamp("2023-05-20")


def test_without_order_id_a_purchase_is_a_customer_day(shop):
    # In the shop every order falls on one day and no customer has two orders on a day,
    # so dropping the order id must change nothing.
    table = monitoring_table(shop.drop(columns="order_id"), early_defection_days=30)
    pdt.assert_frame_equal(table, expected_shop_table())


def test_two_orders_on_one_day_count_twice_with_order_ids():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "date": pd.to_datetime(["2023-01-05", "2023-01-05"]),
            "amount": [10.0, 30.0],
            "order_id": ["x", "y"],
        }
    )
    assert monitoring_table(tx)["orders"].tolist() == [2]
    assert monitoring_table(tx.drop(columns="order_id"))["orders"].tolist() == [1]


def test_input_is_not_changed(shop):
    before = shop.copy()
    monitoring_table(shop)
    cohort_retention(shop)
    pdt.assert_frame_equal(shop, before)


def test_observation_end_cuts_rows_and_sets_judged_periods(shop):
    table = monitoring_table(shop, observation_end="2023-03-31", early_defection_days=30)
    assert table["period"].astype(str).tolist() == ["2023-01", "2023-02", "2023-03"]
    # c is quiet from Mar 1 to Mar 31 exactly: 30 days, so already a defection.
    assert table["early_defections"].tolist()[:2] == [1.0, 1.0]
    assert np.isnan(table["early_defections"].iloc[2])
    assert table["revenue"].sum() == pytest.approx(365.0)


def test_default_horizon_leaves_recent_periods_unjudged(shop):
    table = monitoring_table(shop)  # 180 days: no period of the shop can be judged yet
    assert table["early_defections"].isna().all()
    assert table.attrs["early_defection_days"] == 180


@pytest.mark.parametrize(
    ("period", "labels", "new"),
    [
        ("Q", ["2023Q1", "2023Q2"], [4, 1]),
        ("Y", ["2023"], [5]),
    ],
    ids=["quarters", "years"],
)
def test_other_periods(shop, period, labels, new):
    table = monitoring_table(shop, period=period)
    assert table["period"].astype(str).tolist() == labels
    assert table["new_customers"].tolist() == new
    assert table.attrs["period"] == period


def test_weeks_run_monday_to_sunday(shop):
    table = monitoring_table(shop, period="W")
    assert table["period"].iloc[0].start_time == pd.Timestamp("2023-01-02")  # a Monday
    assert len(table) == 20  # Jan 2 .. May 21, continuous
    assert table["revenue"].sum() == pytest.approx(395.0)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"period": "D"}, "period='D'"),
        ({"early_defection_days": -1}, "negative"),
        ({"observation_end": "2022-01-01"}, "observation_end"),
    ],
    ids=["bad-period", "negative-days", "end-before-data"],
)
def test_bad_arguments(shop, kwargs, fragment):
    with pytest.raises(LoyaltyDataError, match=fragment):
        monitoring_table(shop, **kwargs)


def test_missing_column_and_text_dates(shop):
    with pytest.raises(LoyaltyDataError, match="amount"):
        monitoring_table(shop.drop(columns="amount"))
    with pytest.raises(LoyaltyDataError, match="datetime64"):
        monitoring_table(shop.assign(date=shop["date"].astype(str)))


def test_cohort_counts_by_hand(shop):
    counts = cohort_counts(shop)
    expected = pd.DataFrame(
        [[2, 1, 1, 0, 0], [1, 1, 0, 0, pd.NA], [1, 0, 1, pd.NA, pd.NA], [1] + [pd.NA] * 4],
        index=pd.PeriodIndex(["2023-01", "2023-02", "2023-03", "2023-05"], freq="M", name="cohort"),
        columns=pd.Index(range(5), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(counts, expected)


def test_cohort_retention_by_hand(shop):
    matrix = cohort_retention(shop)
    expected = pd.DataFrame(
        [
            [1.0, 0.5, 0.5, 0.0, 0.0],
            [1.0, 1.0, 0.0, 0.0, NAN],
            [1.0, 0.0, 1.0, NAN, NAN],
            [1.0, NAN, NAN, NAN, NAN],
        ],
        index=pd.PeriodIndex(["2023-01", "2023-02", "2023-03", "2023-05"], freq="M", name="cohort"),
        columns=pd.Index(range(5), name="periods_since_first"),
    )
    pdt.assert_frame_equal(matrix, expected)


def signal_table(new, rate, spend, complete=None) -> pd.DataFrame:
    table = pd.DataFrame(
        {"new_customers": new, "early_defection_rate": rate, "spend_per_order": spend}
    )
    if complete is not None:
        table["complete"] = complete
    table.attrs["period"] = "M"
    return table


FLAT = [10.0] * 6


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            signal_table([80, 84, 88, 95, 97, 99], FLAT, FLAT),
            ["improving", "steady", "steady"],
        ),
        (
            signal_table(FLAT, [0.2, 0.2, 0.2, 0.3, 0.3, 0.3], [40, 40, 40, 30, 30, 30]),
            ["steady", "worsening", "worsening"],
        ),
        (
            signal_table(
                [20, 20, 20, 15, 15, 15],
                [0.3, 0.3, 0.3, 0.2, 0.2, 0.2],
                [40, 40, 40, 44, 44, 44],
            ),
            ["worsening", "improving", "improving"],
        ),
        (
            signal_table([100, 100, 100, 101, 101, 102], FLAT, [50, 50, 50, 49.5, 49.5, 49.5]),
            ["steady", "steady", "steady"],
        ),
        (
            # the incomplete last period (a big one) and NaN rates are skipped
            signal_table(
                [10, 10, 10, 10, 12, 12, 12, 500],
                [0.5, 0.5, 0.5, 0.5, 0.4, 0.4, NAN, NAN],
                [5, 5, 5, 5, 5, 5, 5, 5],
                complete=[True] * 7 + [False],
            ),
            ["improving", "improving", "steady"],
        ),
    ],
    ids=[
        "more-new-customers",
        "more-defections-lower-spend",
        "mixed",
        "within-2pc",
        "skips-unusable",
    ],
)
def test_loyalty_signal_verdicts(table, expected):
    signals = loyalty_signals(table, window=3)
    assert signals["verdict"].tolist() == expected
    assert signals["signal"].tolist() == list(LOYALTY_SIGNALS)


def test_loyalty_signals_frame_and_message():
    table = signal_table([80, 84, 88, 95, 97, 99], [0.3, 0.3, 0.3, 0.2, 0.2, 0.25], FLAT)
    signals = loyalty_signals(table)
    first = signals.iloc[0]
    assert (first["before"], first["after"]) == (84.0, 97.0)
    assert first["change"] == pytest.approx(13 / 84)
    assert first["message"] == "New customers per month rose from 84 to 97 (+15%): improving."
    assert signals["message"].iloc[1] == (
        "Share of new customers who left after one or two purchases fell from 30% "
        "to 22% (-28%): improving."
    )
    assert list(signals.columns) == [
        "signal", "metric", "before", "after", "change", "verdict", "message"
    ]


def test_loyalty_signals_tolerance_and_window():
    table = signal_table([100, 100, 105, 105], FLAT[:4], FLAT[:4])
    assert loyalty_signals(table, window=2)["verdict"].iloc[0] == "improving"
    assert loyalty_signals(table, window=2, steady_tolerance=0.06)["verdict"].iloc[0] == "steady"
    short = loyalty_signals(table, window=3)
    assert (short["verdict"] == "not enough data").all()
    assert short["before"].isna().all()


def test_loyalty_signals_from_zero_and_custom_rules():
    table = signal_table(FLAT[:4], [0.0, 0.0, 0.1, 0.1], FLAT[:4])
    row = loyalty_signals(table, window=2).iloc[1]
    assert row["verdict"] == "worsening"
    assert np.isnan(row["change"])
    rules = {"orders": {"metric": "new_customers", "better": "lower", "label": "Orders"}}
    growing = signal_table([1, 1, 2, 2], FLAT[:4], FLAT[:4])
    custom = loyalty_signals(growing, window=2, signals=rules)
    assert custom["verdict"].tolist() == ["worsening"]


def test_loyalty_signals_on_monitoring_table(shop):
    table = monitoring_table(shop, early_defection_days=30)
    signals = loyalty_signals(table, window=1)
    # complete months Jan-Apr; new customers: Mar 1 -> Apr 0; rates: Feb 1.0 -> Mar 0.0;
    # spend: Feb 55 -> Mar 55 (April has no orders)
    assert signals["verdict"].tolist() == ["worsening", "improving", "steady"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"window": 0}, "window"),
        ({"steady_tolerance": -0.1}, "negative"),
        ({"signals": {"x": {"metric": "nope", "better": "higher"}}}, "nope"),
        ({"signals": {"x": {"metric": "new_customers", "better": "up"}}}, "better"),
    ],
    ids=["window", "tolerance", "missing-metric", "bad-direction"],
)
def test_loyalty_signals_bad_arguments(kwargs, fragment):
    with pytest.raises(LoyaltyDataError, match=fragment):
        loyalty_signals(signal_table(FLAT, FLAT, FLAT), **kwargs)


# ----- properties on random shops -------------------------------------------------------

@st.composite
def random_transactions(draw):
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    amounts = rng.choice([-20.0, 5.0, 12.5, 40.0, 100.0], size=n, p=[0.1, 0.3, 0.3, 0.2, 0.1])
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdefgh"), size=n),
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
            "amount": amounts,
            "order_id": [f"o{i}" for i in rng.integers(0, n + 5, n)],
        }
    )
    return tx


@settings(max_examples=50, deadline=None)
@given(tx=random_transactions(), period=st.sampled_from(["W", "M", "Q"]))
def test_monitoring_invariants(tx, period):
    table = monitoring_table(tx, period=period, early_defection_days=30)
    rate = table["repeat_rate"].dropna()
    assert ((rate >= 0) & (rate <= 1)).all()
    assert (table["returning_customers"] >= 0).all()
    assert (table["active_customers"] >= table["new_customers"]).all()
    assert table["revenue"].sum() == pytest.approx(tx["amount"].sum())
    assert (table["period"].diff().iloc[1:] == table["period"].iloc[0].freq).all()
    # every customer with at least one purchase (an order with a positive net sum) is new once
    net = tx.groupby(["customer_id", "order_id"])["amount"].sum()
    buyers = net[net > 0].index.get_level_values("customer_id").nunique()
    assert table["new_customers"].sum() == buyers
    judged = table["early_defections"].dropna()
    assert (judged <= table.loc[judged.index, "new_customers"]).all()


@settings(max_examples=50, deadline=None)
@given(tx=random_transactions(), period=st.sampled_from(["W", "M", "Q"]))
def test_cohort_invariants(tx, period):
    net = tx.groupby(["customer_id", "order_id"])["amount"].sum()
    if not (net > 0).any():
        with pytest.raises(LoyaltyDataError, match="no purchase"):
            cohort_retention(tx, period=period)
        return
    matrix = cohort_retention(tx, period=period)
    counts = cohort_counts(tx, period=period)
    assert (matrix[0] == 1.0).all()
    values = matrix.to_numpy()
    seen = values[~np.isnan(values)]
    assert ((seen >= 0) & (seen <= 1)).all()
    # cells are NaN exactly after the last observed period (a staircase)
    last = tx["date"].max().to_period(period).ordinal
    future = (matrix.index.asi8[:, None] + np.arange(matrix.shape[1])) > last
    assert (np.isnan(values) == future).all()
    table = monitoring_table(tx, period=period)
    assert counts[0].sum() == table["new_customers"].sum()


def test_signal_message_when_nothing_changed():
    table = pd.DataFrame({
        "period": pd.period_range("2024-01", periods=6, freq="M"),
        "new_customers": [0] * 6, "early_defection_rate": [0.1] * 6, "spend_per_order": [20.0] * 6,
        "complete": [True] * 6,
    })
    table.attrs["period"] = "M"
    messages = loyalty_signals(table, window=3)["message"].tolist()
    assert messages[0] == "New customers per month stayed at 0: steady."


# ----- from a scan ----------------------------------------------------------------------


def test_monitoring_table_by_quarter_by_hand(shop):
    """Q1: a b c d new (8 orders, 365); b and c defected early (judged: Mar 31 + 30 days is
    before May 20). Q2: e new, d returning (May 2, 10; e 20); not judged yet, not complete."""
    expected = pd.DataFrame(
        {
            "period": pd.period_range("2023Q1", "2023Q2", freq="Q"),
            "new_customers": [4, 1],
            "active_customers": [4, 2],
            "returning_customers": [0, 1],
            "repeat_rate": [0.0, 0.5],
            "orders": [8, 2],
            "revenue": [365.0, 30.0],
            "spend_per_order": [365 / 8, 15.0],
            "sales_per_customer": [365 / 4, 15.0],
            "early_defections": [2.0, NAN],
            "early_defection_rate": [0.5, NAN],
            "complete": [True, False],
        }
    )
    table = monitoring_table_from_activity(scan(shop), period="Q", early_defection_days=30)
    pdt.assert_frame_equal(table, expected)
    pdt.assert_frame_equal(monitoring_table(shop, period="Q", early_defection_days=30), expected)


def test_cohort_counts_by_quarter_by_hand(shop):
    # Q1: a b c d, of whom d buys again in Q2; Q2: e, whose next quarter is not observed.
    expected = pd.DataFrame(
        [[4, 1], [1, pd.NA]],
        index=pd.PeriodIndex(["2023Q1", "2023Q2"], freq="Q", name="cohort"),
        columns=pd.Index(range(2), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(cohort_counts_from_activity(scan(shop), period="Q"), expected)
    pdt.assert_frame_equal(cohort_counts(shop, period="Q"), expected)


def test_weekly_cohorts_by_hand():
    # Weeks run Monday to Sunday: Sunday Jan 1 and Monday Jan 2 are two weeks.
    tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 7.0, 9.0],
                       "date": pd.to_datetime(["2023-01-01", "2023-01-02", "2023-01-03"])})
    expected = pd.DataFrame(
        [[1, 1], [1, pd.NA]],
        index=pd.PeriodIndex(["2022-12-26/2023-01-01", "2023-01-02/2023-01-08"], freq="W", name="cohort"),
        columns=pd.Index(range(2), name="periods_since_first"),
        dtype="Int64",
    )
    pdt.assert_frame_equal(cohort_counts(tx, period="W"), expected)


def test_weeks_need_a_scan_by_weeks(shop):
    with pytest.raises(LoyaltyDataError, match="unit='W'"):
        monitoring_table_from_activity(scan(shop, unit="M"), period="W")


def test_a_scan_without_purchases_has_no_cohorts():
    tx = pd.DataFrame({"customer_id": ["a"], "amount": [-5.0], "date": pd.to_datetime(["2023-01-01"])})
    with pytest.raises(LoyaltyDataError, match="no purchase"):
        cohort_counts_from_activity(scan(tx))
