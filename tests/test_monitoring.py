"""Tests of loyalty_lessons.monitoring on a hand-built shop (the ``shop`` of conftest.py) and on
random data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons.cohorts import cohort_counts, cohort_retention
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring import (
    LOYALTY_SIGNALS,
    loyalty_signals,
    monitoring_table,
    monitoring_table_from_activity,
)
from loyalty_lessons.noise import count_change, mean_change, share_change, spread_change
from loyalty_lessons.scan import scan

NAN = np.nan


def expected_shop_table() -> pd.DataFrame:
    """Every figure of the shop, worked out by hand (early_defection_days=30).

    Observation ends on May 20 (the last date). Early defection (H = 30 days): at most two
    purchases in the 30 days from the first, none in the 30 after. a (Jan 5, then Feb 10,
    36 days on) is not; b (Jan 20, Jan 25, nothing after) is, in January's cohort; c (Feb 3,
    Mar 1, 26 days on, nothing after) is, in February's. A period is judged when its last
    day + 59 days <= May 20: January (Mar 31) and February (Apr 28), not March (May 29).
    Spread of the purchases' amounts: January 50, 25, 15; February 40, 100 (the refund of
    Feb 20 is no purchase); March 50, 45, 70; May 10, 20.
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
            "spend_per_order_sd": [325**0.5, 1800**0.5, 175**0.5, NAN, 50**0.5],
            "sales_per_customer": [45.0, 55.0, 55.0, NAN, 15.0],
            "early_defections": [1.0, 1.0, NAN, NAN, NAN],
            "early_defection_rate": [0.5, 1.0, NAN, NAN, NAN],
            "complete": [True, True, True, True, False],
        }
    )


def test_monitoring_table_by_hand(shop):
    table = monitoring_table(shop, early_defection_days=30)
    pdt.assert_frame_equal(table, expected_shop_table())
    assert table.attrs["period"] == "M"
    assert table.attrs["observation_end"] == pd.Timestamp("2023-05-20")


def test_without_order_id_a_purchase_is_a_customer_day(shop):
    # In the shop no customer has two orders on a day, so dropping the order id changes
    # only a's order o6: its refund of Mar 20 becomes an order of its own, so March's
    # purchases are 60, 45 and 70 (the refund still counts in March's revenue).
    table = monitoring_table(shop.drop(columns="order_id"), early_defection_days=30)
    expected = expected_shop_table()
    expected.loc[2, "spend_per_order_sd"] = np.std([60, 45, 70], ddof=1)
    pdt.assert_frame_equal(table, expected)


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
    # January's customers have had their 60 days by Mar 31 exactly (Jan 31 + 59); February's
    # have not, whatever they did.
    assert table["early_defections"].iloc[0] == 1.0
    assert table["early_defections"].iloc[1:].isna().all()
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
        ({"early_defection_days": 0}, "zero"),
        ({"observation_end": "2022-01-01"}, "observation_end"),
    ],
    ids=["bad-period", "negative-days", "zero-days", "end-before-data"],
)
def test_bad_arguments(shop, kwargs, fragment):
    with pytest.raises(LoyaltyDataError, match=fragment):
        monitoring_table(shop, **kwargs)


def test_missing_column_and_text_dates(shop):
    with pytest.raises(LoyaltyDataError, match="amount"):
        monitoring_table(shop.drop(columns="amount"))
    with pytest.raises(LoyaltyDataError, match="datetime64"):
        monitoring_table(shop.assign(date=shop["date"].astype(str)))


def signal_table(new, defections=None, spend=None, *, orders=500, sd=25.0, complete=None) -> pd.DataFrame:
    """A monthly table for the signals: new customers, early defections, spend per order."""
    n = len(new)
    table = pd.DataFrame(
        {
            "period": pd.period_range("2024-01", periods=n, freq="M"),
            "new_customers": new,
            "early_defections": [0.3 * x for x in new] if defections is None else defections,
            "orders": [orders] * n if np.isscalar(orders) else orders,
            "spend_per_order": [40.0] * n if spend is None else spend,
            "spend_per_order_sd": [sd] * n if np.isscalar(sd) else sd,
        }
    )
    if complete is not None:
        table["complete"] = complete
    table.attrs["period"] = "M"
    return table


FLAT = [60] * 6


def _verdicts(table, **kwargs) -> list[str]:
    return loyalty_signals(table, **kwargs)["verdict"].tolist()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (signal_table([50, 50, 50, 80, 80, 80]), ["improving", "within noise", "within noise"]),
        (signal_table([80, 80, 80, 50, 50, 50]), ["worsening", "within noise", "within noise"]),
        (signal_table([60, 62, 58, 59, 61, 60]), ["within noise"] * 3),
        (
            signal_table(FLAT, [30, 30, 30, 10, 10, 10], [40, 40, 40, 44, 44, 44]),
            ["within noise", "improving", "improving"],
        ),
        (
            signal_table(FLAT, [10, 10, 10, 30, 30, 30], [44, 44, 44, 40, 40, 40]),
            ["within noise", "worsening", "worsening"],
        ),
        (
            # 40 -> 40.5 with 500 orders a month and an sd of 25: within noise; with 20,000, not
            signal_table(FLAT, None, [40, 40, 40, 40.5, 40.5, 40.5], orders=20_000),
            ["within noise", "within noise", "improving"],
        ),
    ],
    ids=[
        "more-new",
        "fewer-new",
        "noise",
        "fewer-defections-more-spend",
        "more-defections-less-spend",
        "many-orders",
    ],
)
def test_loyalty_signal_verdicts(table, expected):
    signals = loyalty_signals(table, window=3)
    assert signals["verdict"].tolist() == expected
    assert signals["signal"].tolist() == list(LOYALTY_SIGNALS)


def test_loyalty_signals_use_the_noise_tests():
    table = signal_table([50, 50, 50, 80, 80, 80], [15, 15, 15, 20, 20, 20])
    signals = loyalty_signals(table).set_index("signal")
    new = count_change(150, 240, before_periods=3, after_periods=3)
    assert signals.loc["new_customers", ["before", "after", "band", "p_value"]].tolist() == pytest.approx(
        [50, 80, new.band, new.p_value]
    )
    share = share_change(45, 150, 60, 240)
    assert signals.loc["early_defection", ["before", "after", "band", "p_value"]].tolist() == pytest.approx(
        [0.3, 0.25, share.band, share.p_value]
    )
    assert signals.loc["new_customers", "message"] == (
        "New customers per month went from 50 (2024-01 to 2024-03) to 80 (2024-04 to 2024-06), "
        f"beyond normal variation (± {new.band:.0f} a month): improving."
    )
    assert signals.loc["early_defection", "message"] == (
        "Share of new customers lost after one or two purchases went from 30% (2024-01 to 2024-03) "
        f"to 25% (2024-04 to 2024-06): within normal variation (± {100 * share.band:.0f} points)."
    )
    assert signals.loc["new_customers", "before_periods"] == ["2024-01", "2024-02", "2024-03"]
    assert signals.loc["new_customers", "change"] == pytest.approx(0.6)
    assert signals["reason"].isna().all()


def test_spend_per_order_pools_the_orders_of_a_window():
    # before: amounts 9, 11 (mean 10, sd sqrt 2) and 18, 20, 22 (mean 20, sd 2);
    # after: 10, 12 and 19, 21, 23. The windows are the five amounts each.
    before, after = [9, 11, 18, 20, 22], [10, 12, 19, 21, 23]
    table = signal_table(
        [30] * 4, None, [10.0, 20.0, 11.0, 21.0], orders=[2, 3, 2, 3], sd=[2**0.5, 2.0, 2**0.5, 2.0]
    )
    row = loyalty_signals(table, window=2, min_count=2).set_index("signal").loc["spend_per_order"]
    expected = mean_change(
        np.mean(before), np.std(before, ddof=1), 5, np.mean(after), np.std(after, ddof=1), 5
    )
    assert [row["before"], row["after"], row["band"], row["p_value"]] == pytest.approx(
        [expected.before, expected.after, expected.band, expected.p_value]
    )


def test_signals_skip_incomplete_and_unjudged_periods():
    table = signal_table([60] * 8 + [500], [18] * 6 + [NAN] * 3, complete=[True] * 8 + [False])
    signals = loyalty_signals(table).set_index("signal")
    assert signals.loc["new_customers", "after_periods"] == ["2024-06", "2024-07", "2024-08"]
    assert signals.loc["early_defection", "before_periods"] == ["2024-01", "2024-02", "2024-03"]
    assert signals.loc["early_defection", "after_periods"] == ["2024-04", "2024-05", "2024-06"]
    assert signals.loc["spend_per_order", "after_periods"] == ["2024-06", "2024-07", "2024-08"]


def test_closed_group_is_not_applicable():
    # every customer came in January, as in CDNOW's sample
    table = signal_table([900] + [0] * 7, [300] + [0] * 7)
    signals = loyalty_signals(table).set_index("signal")
    for name in ("new_customers", "early_defection"):
        row = signals.loc[name]
        assert row["verdict"] == "not applicable" and row["reason_code"] == "closed_group"
        assert row["reason"] == (
            "no customer was acquired after 2024-01: this data is one closed group of customers"
        )
        assert np.isnan(row["before"]) and np.isnan(row["band"])
    assert signals.loc["new_customers", "message"] == (
        "New customers per month: not applicable, no customer was acquired after 2024-01: "
        "this data is one closed group of customers."
    )
    assert signals.loc["spend_per_order", "verdict"] == "within noise"


def test_no_new_customers_in_the_compared_months_only():
    table = signal_table([50, 0, 0, 0, 0, 0, 0, 40], complete=[True] * 7 + [False])
    row = loyalty_signals(table).set_index("signal").loc["new_customers"]
    assert row["reason_code"] == "no_new_customers"
    assert row["reason"] == "no customer was acquired from 2024-02 to 2024-07"
    assert row["reason_values"] == {"first": "2024-02", "last": "2024-07"}


@pytest.mark.parametrize(
    ("table", "signal", "code", "reason"),
    [
        (
            signal_table([2, 1, 3, 2, 1, 2]),
            "new_customers",
            "too_few_total",
            "too few new customers in these months to judge (11; at least 20 are needed)",
        ),
        (
            signal_table([30, 30, 30, 5, 5, 5], [9, 9, 9, 1, 1, 1]),
            "early_defection",
            "too_few",
            "too few new customers in these months to judge "
            "(90 and 15; at least 20 are needed in each window)",
        ),
        (
            signal_table(FLAT, orders=5),
            "spend_per_order",
            "too_few_orders",
            "too few orders in these months to judge (15 and 15; at least 20 are needed in each window)",
        ),
        (
            signal_table(FLAT[:4]),
            "new_customers",
            "too_short",
            "only 4 months can be compared yet, 6 are needed",
        ),
        (
            signal_table(FLAT, [18] * 5 + [NAN]),
            "early_defection",
            "too_short_defection",
            "only 5 months have had the 360 days it takes to judge their new customers, 6 are needed",
        ),
    ],
    ids=["few-new", "few-intake", "few-orders", "short", "short-defection"],
)
def test_signals_too_thin_to_judge(table, signal, code, reason):
    row = loyalty_signals(table).set_index("signal").loc[signal]
    assert (row["verdict"], row["reason_code"], row["reason"]) == ("not applicable", code, reason)


def test_min_count_and_window():
    table = signal_table([2, 1, 3, 2, 1, 2])
    assert _verdicts(table, min_count=5)[0] == "within noise"
    assert _verdicts(table, window=2, min_count=5)[0] == "within noise"
    assert loyalty_signals(table, window=2)["before_periods"].iloc[0] == ["2024-03", "2024-04"]


def test_custom_rules():
    rules = {
        "orders": {
            "test": "count",
            "count": "orders",
            "metric": "orders",
            "better": "lower",
            "label": "Orders per {period}",
            "format": "{:,.0f}",
        }
    }
    table = signal_table(FLAT, orders=[100, 100, 100, 200, 200, 200])
    custom = loyalty_signals(table, signals=rules)
    assert custom["verdict"].tolist() == ["worsening"]
    assert custom["message"].iloc[0].startswith("Orders per month went from 100 (2024-01 to 2024-03)")


def test_loyalty_signals_on_monitoring_table(shop):
    table = monitoring_table(shop, early_defection_days=30)
    signals = loyalty_signals(table, window=1, min_count=1)
    # complete months Jan-Apr; new customers: Mar 1 -> Apr 0; early defection: judged Jan
    # (1 of 2) -> Feb (1 of 1); spend: April has no orders
    assert signals["verdict"].tolist() == ["within noise", "within noise", "not applicable"]
    assert signals["after_periods"].tolist() == [["2023-04"], ["2023-02"], ["2023-04"]]
    assert signals["reason_code"].iloc[2] == "too_few_orders"


def test_cdnow_is_one_closed_group():
    cdnow = pd.read_csv(Path(__file__).parent / "data" / "cdnow_sample.csv", parse_dates=["date"])
    signals = loyalty_signals(monitoring_table(cdnow)).set_index("signal")
    assert signals.loc["new_customers", "verdict"] == "not applicable"
    assert signals.loc["new_customers", "reason"] == (
        "no customer was acquired after 1997-03: this data is one closed group of customers"
    )
    assert signals.loc["early_defection", "reason_code"] == "closed_group"
    assert signals.loc["early_defection", "after_periods"] == ["1997-04", "1997-05", "1997-06"]
    assert signals.loc["spend_per_order", "verdict"] in ("improving", "worsening", "within noise")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"window": 0}, "window"),
        ({"min_count": 0}, "min_count"),
        (
            {"signals": {"x": {"test": "count", "count": "nope", "metric": "nope", "better": "higher"}}},
            "nope",
        ),
        (
            {"signals": {"x": {"test": "count", "count": "orders", "metric": "orders", "better": "up"}}},
            "better",
        ),
        ({"signals": {"x": {"test": "ratio", "metric": "orders", "better": "up"}}}, "test='ratio'"),
    ],
    ids=["window", "min-count", "missing-column", "bad-direction", "bad-test"],
)
def test_loyalty_signals_bad_arguments(kwargs, fragment):
    with pytest.raises(LoyaltyDataError, match=fragment):
        loyalty_signals(signal_table(FLAT), **kwargs)


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


# ----- from a scan ----------------------------------------------------------------------


def test_monitoring_table_by_quarter_by_hand(shop):
    """Q1: a b c d new (8 orders, 365); not judged yet (Mar 31 + 59 days is after May 20).
    Q2: e new, d returning (May 2, 10; e 20); not judged yet, not complete."""
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
            "spend_per_order_sd": [np.std([50, 25, 15, 40, 100, 50, 45, 70], ddof=1), 50**0.5],
            "sales_per_customer": [365 / 4, 15.0],
            "early_defections": [NAN, NAN],
            "early_defection_rate": [NAN, NAN],
            "complete": [True, False],
        }
    )
    table = monitoring_table_from_activity(scan(shop), period="Q", early_defection_days=30)
    pdt.assert_frame_equal(table, expected)
    pdt.assert_frame_equal(monitoring_table(shop, period="Q", early_defection_days=30), expected)


def test_weeks_need_a_scan_by_weeks(shop):
    with pytest.raises(LoyaltyDataError, match="unit='W'"):
        monitoring_table_from_activity(scan(shop, unit="M"), period="W")


def test_spend_per_order_band_is_the_month_to_month_spread_when_it_is_wider():
    # Monthly means swing between 36 and 44 with thousands of orders a month: the orders alone
    # would call a fall of 2 "worsening"; the spread of the twelve earlier months does not.
    swing = [36.0, 44.0] * 6
    table = signal_table([60] * 18, None, [*swing, 40.0, 40.0, 40.0, 38.0, 38.0, 38.0], orders=5_000)
    row = loyalty_signals(table).set_index("signal").loc["spend_per_order"]
    orders = mean_change(40.0, 25.0, 15_000, 38.0, 25.0, 15_000)
    assert orders.direction == "down"  # what the order-level band alone said
    history = [*swing[3:], 40.0, 40.0, 40.0]  # the twelve months before the later window
    months = spread_change(40.0, 38.0, history, before_periods=3, after_periods=3)
    assert row["band_basis"] == "periods" and row["verdict"] == "within noise"
    assert row["band"] == pytest.approx(months.band) and row["band"] > orders.band
    assert f"(± {months.band:.2f} from month to month)" in row["message"]


def test_spend_per_order_keeps_the_order_band_when_months_are_steady():
    table = signal_table([60] * 18, None, [40.0] * 15 + [38.0] * 3, orders=5_000)
    row = loyalty_signals(table).set_index("signal").loc["spend_per_order"]
    assert (row["band_basis"], row["verdict"]) == ("orders", "worsening")


def test_signals_give_the_same_months_a_year_earlier():
    spend = [35.0] * 12 + [40.0] * 6
    spend[3:6] = [36.0, 37.0, 38.0]  # 2024-04 to 2024-06, a year before the later window
    table = signal_table([60] * 18, None, spend)
    signals = loyalty_signals(table).set_index("signal")
    row = signals.loc["spend_per_order"]
    assert row["after_periods"] == ["2025-04", "2025-05", "2025-06"]
    assert row["year_before_periods"] == ["2024-04", "2024-05", "2024-06"]
    assert row["year_before"] == pytest.approx(37.0)
    assert row["message"].endswith("A year earlier (2024-04 to 2024-06): 37.00.")
    assert signals.loc["new_customers", "year_before"] == pytest.approx(60.0)
    short = loyalty_signals(signal_table(FLAT)).set_index("signal")  # six months: no year before
    assert short["year_before"].isna().all() and short.loc["spend_per_order", "year_before_periods"] == []


def test_a_share_that_cannot_be_judged_gives_its_latest_level():
    table = signal_table([900, 100, 0, 0, 0, 0, 0, 0], [600, 70, 0, 0, 0, 0, 0, 0])
    row = loyalty_signals(table).set_index("signal").loc["early_defection"]
    assert row["verdict"] == "not applicable"
    assert row["level_periods"] == ["2024-01", "2024-02"]
    assert row["level"] == pytest.approx(670 / 1000)
    assert row["message"].endswith("Its latest level: 67% (2024-01 to 2024-02).")
    assert row["reason_values"] == {"last": "2024-02", "count": 100}
    new = loyalty_signals(table).set_index("signal").loc["new_customers"]
    assert np.isnan(new["level"]) and new["level_periods"] == []
