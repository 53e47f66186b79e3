"""The value of loyalty out of sample: types at a split date, spend after it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons.aggregates import aggregate
from loyalty_lessons.customer_types import DAYS_PER_MONTH, SpendUplift, spend_uplift
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.future_spend import future_spend, future_spend_from_summary, future_spend_uplift
from loyalty_lessons.inputs import load_inputs


def _tx(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    ids, dates, amounts = zip(*rows)
    return pd.DataFrame(
        {"customer_id": list(ids), "date": pd.to_datetime(list(dates)), "amount": list(amounts)}
    )


@pytest.fixture
def small() -> pd.DataFrame:
    """a: six orders in 2023, the last in December (loyal at the split), then two more;
    b: one order in October 2023 (satisfied), then one after; c: one in January 2023 (lapsed
    at the split), then nothing; d: refunds part of an order after the split; e: first buys
    after the split, so is not typed."""
    a = [
        ("a", d, 10.0)
        for d in (
            "2023-01-05",
            "2023-03-01",
            "2023-05-01",
            "2023-07-01",
            "2023-09-01",
            "2023-12-01",
            "2024-03-01",
            "2024-06-01",
        )
    ]
    return _tx(
        a
        + [
            ("b", "2023-10-01", 30.0),
            ("b", "2024-02-01", 60.0),
            ("c", "2023-01-10", 50.0),
            ("d", "2023-11-20", 40.0),
            ("d", "2024-01-15", -15.0),
            ("e", "2024-05-01", 99.0),
        ]
    )


def test_future_spend_by_hand(small):
    spend = future_spend(small, split="2023-12-31", observation_end="2024-12-30")
    assert spend["customer_id"].tolist() == ["a", "b", "c", "d"]  # e bought only after the split
    assert spend["type"].astype(str).tolist() == ["loyal", "satisfied", "dissatisfied", "satisfied"]
    assert spend["orders_in_window"].tolist() == [6, 1, 1, 1]
    assert spend["days_since_last"].tolist() == [30.0, 91.0, 355.0, 41.0]
    assert spend["revenue_before"].tolist() == [60.0, 30.0, 50.0, 40.0]
    # after the split: a two orders of 10, b 60, c nothing, d a refund of 15
    assert spend["revenue_after"].tolist() == [20.0, 60.0, 0.0, -15.0]
    months = 365 / DAYS_PER_MONTH  # 2023-12-31 to 2024-12-30
    assert spend.attrs["holdout_days"] == 365
    assert spend["monthly_spend_after"].tolist() == pytest.approx(
        [20 / months, 60 / months, 0.0, -15 / months]
    )
    # a's first purchase on 2023-01-05: 360 days, 11.83 months, before the split
    assert spend.loc[0, "monthly_spend_before"] == pytest.approx(60 / (360 / DAYS_PER_MONTH))
    assert spend.attrs["split"] == pd.Timestamp("2023-12-31")


def test_the_split_defaults_to_a_year_before_the_end(small):
    spend = future_spend(small)  # the last transaction: 2024-06-01
    assert spend.attrs["split"] == pd.Timestamp("2023-06-02")
    assert spend.attrs["observation_end"] == pd.Timestamp("2024-06-01")


def test_the_summary_at_the_end_may_be_given(small):
    summary = pd.DataFrame({"customer_id": list("abcde"), "revenue": [80.0, 90.0, 50.0, 25.0, 99.0]})
    given = future_spend(small, split="2023-12-31", observation_end="2024-12-30", summary=summary)
    read = future_spend(small, split="2023-12-31", observation_end="2024-12-30")
    pd.testing.assert_frame_equal(given, read)


def test_future_spend_uplift_by_hand(small):
    spend = future_spend(small, split="2023-12-31", observation_end="2024-12-30")
    result = future_spend_uplift(spend)
    # after the split, per month of the same 365 days: loyal a 20, satisfied b 60 and d -15,
    # mean 22.5: 20 / 22.5 - 1 = -11.1%
    assert result.out_of_sample.uplift == pytest.approx((20 / 22.5 - 1) * 100)
    assert (result.out_of_sample.n_of, result.out_of_sample.n_over) == (1, 2)
    # before, per month since the first purchase: a 60 over 360 days, b 30 over 91, d 40 over 41
    a, b, d = 60 / (360 / DAYS_PER_MONTH), 30 / (91 / DAYS_PER_MONTH), 40 / (41 / DAYS_PER_MONTH)
    assert result.in_sample.uplift == pytest.approx((a / ((b + d) / 2) - 1) * 100)
    profile = result.profile.set_index(result.profile["type"].astype(str))
    assert profile.loc["dissatisfied", "customers"] == 1
    assert profile.loc["satisfied", "monthly_spend"] == pytest.approx(22.5 / (365 / DAYS_PER_MONTH))
    assert result.split == pd.Timestamp("2023-12-31")


@pytest.mark.parametrize(
    "split, match",
    [("2022-06-30", "No purchase on or before the split"), ("2024-12-20", "at least a month")],
    ids=["before-any-purchase", "too-little-time-after"],
)
def test_a_split_that_leaves_nothing_to_compare(small, split, match):
    with pytest.raises(LoyaltyDataError, match=match):
        future_spend(small, split=split, observation_end="2024-12-30")


def test_future_spend_uplift_needs_a_frame_of_future_spend():
    with pytest.raises(LoyaltyDataError, match="future_spend"):
        future_spend_uplift(pd.DataFrame({"customer_id": ["a"], "type": ["loyal"]}))


@pytest.mark.parametrize(
    "low, high, direction, versus_46",
    [
        (10.0, 40.0, "more", "below"),
        (-5.0, 60.0, "unclear", "inside"),
        (50.0, 90.0, "more", "above"),
        (-30.0, -2.0, "less", "below"),
    ],
    ids=["more-below-46", "unclear", "above-46", "less"],
)
def test_reading_an_interval(low, high, direction, versus_46):
    u = SpendUplift((low + high) / 2, low, high, 10, 10)
    assert (u.direction, u.versus(46)) == (direction, versus_46)


# --------------------------------------------------------------------------- simulation


def _business(
    seed: int, customers: int = 400, rates_per_month: tuple[float, ...] = (0.5,), spend: float = 20.0
) -> pd.DataFrame:
    """Two years of a shop whose customers each buy as a Poisson process at their own rate
    (cycling through ``rates_per_month``), every order ``spend``, nobody leaving; first
    purchases in the first 180 days."""
    rng = np.random.default_rng(seed)
    start, end = pd.Timestamp("2022-01-01"), pd.Timestamp("2023-12-31")
    days = (end - start).days
    rate = np.resize(np.asarray(rates_per_month), customers) / DAYS_PER_MONTH
    first = rng.integers(0, 180, customers)
    more = rng.poisson(rate * (days - first))
    offsets = np.concatenate([np.r_[f, rng.integers(f, days + 1, k)] for f, k in zip(first, more)])
    ids = np.repeat([f"C{i:04d}" for i in range(customers)], more + 1)
    return pd.DataFrame(
        {"customer_id": ids, "date": start + pd.to_timedelta(offsets, unit="D"), "amount": spend}
    )


def test_when_loyalty_has_no_effect_only_the_in_sample_uplift_is_large():
    """Every customer buys at the same rate: who looks loyal at the split is chance, so the
    spend after it does not depend on the type. In sample, loyal customers spend far more
    (they were typed loyal for buying more); out of sample the interval covers 0 about as
    often as a 95% interval should."""
    covers, in_sample_lows = 0, []
    runs = 20
    for seed in range(runs):
        spend = future_spend(_business(seed), split="2022-12-31", observation_end="2023-12-31")
        result = future_spend_uplift(spend, n_boot=500, seed=seed)
        covers += result.out_of_sample.ci_low <= 0 <= result.out_of_sample.ci_high
        in_sample_lows.append(result.in_sample.ci_low)
    assert covers >= 16, f"the out-of-sample interval covered 0 in only {covers} of {runs} businesses"
    assert min(in_sample_lows) > 25, in_sample_lows


def test_when_frequent_buyers_keep_buying_more_the_out_of_sample_uplift_shows_it():
    # half the customers buy once a month, half once in four months, for both years
    spend = future_spend(
        _business(1, rates_per_month=(1.0, 0.25)), split="2022-12-31", observation_end="2023-12-31"
    )
    result = future_spend_uplift(spend, n_boot=500)
    assert result.out_of_sample.direction == "more"
    assert result.out_of_sample.ci_low > 50


def test_the_in_sample_figure_is_spend_uplift_on_the_first_period(small):
    spend = future_spend(small, split="2023-12-31", observation_end="2024-12-30")
    summary = spend.rename(columns={"revenue_before": "revenue", "tenure_days_before": "tenure_days"})
    assert future_spend_uplift(spend).in_sample == spend_uplift(spend, summary)


def _from_the_report_tables(tx: pd.DataFrame, split: str, end: str) -> pd.DataFrame:
    """What the report computes: the split summarised by the one scan of ``aggregate``."""
    tables = aggregate(tx, observation_end=end, split=split)
    return future_spend_from_summary(
        tables.before_split, split=tables.split, observation_end=tables.observation_end
    )


def test_the_report_tables_give_the_same_future_spend(small):
    expected = future_spend(small, split="2023-12-31", observation_end="2024-12-30")
    got = _from_the_report_tables(small, "2023-12-31", "2024-12-30")
    pd.testing.assert_frame_equal(got, expected, rtol=1e-12)  # sums in any order
    assert got.attrs == expected.attrs
    assert got["revenue_after"].tolist() == [20.0, 60.0, 0.0, -15.0]


def test_the_report_tables_give_the_same_future_spend_of_the_sample_business():
    sample = load_inputs(survey=None, complaints=None).transactions
    end = sample["date"].max().normalize()
    split = end - pd.Timedelta(days=365)
    expected = future_spend(sample)
    got = _from_the_report_tables(sample, split, end)
    pd.testing.assert_frame_equal(got, expected, rtol=1e-12)  # sums in any order
    assert got.attrs == expected.attrs
    assert set(got["type"].astype(str)) == {"loyal", "satisfied", "dissatisfied"}


def test_the_split_summary_of_nobody_says_what_to_do():
    columns = ["customer_id", "orders", "revenue", "days_since_last", "tenure_days", "orders_in_window"]
    before = pd.DataFrame(columns=[*columns, "revenue_after"])
    with pytest.raises(LoyaltyDataError, match="No purchase on or before the split 2024-01-31"):
        future_spend_from_summary(before, split="2024-01-31", observation_end="2024-12-31")


def test_the_finding_is_written_in_the_language_asked():
    from loyalty_lessons.future_spend import FutureSpendUplift

    result = FutureSpendUplift(
        SpendUplift(-12.4, -20.0, -5.0, 50, 80),
        SpendUplift(90.0, 70.0, 110.0, 50, 80),
        pd.DataFrame(),
        pd.Timestamp("2024-12-31"),
        pd.Timestamp("2025-12-31"),
        12.0,
    )
    assert result.describe() == (
        "Customers typed regular on 2024-12-31 spent 12% less per month than those typed occasional over "
        "the next 12 months (95% interval -20% to -5%: less); the interval lies below 46%. Over the months "
        "that typed them, 90% more (partly true by definition)."
    )
    french = result.describe(language="fr")
    assert french.startswith("Les clients classés réguliers au 31 décembre 2024 ont dépensé 12\xa0% de moins")
    assert "(intervalle à 95\xa0% : de -20\xa0% à -5\xa0% : dépense plus faible)" in french
    assert "l’intervalle se situe en dessous de 46\xa0%" in french
    assert "typed" not in french and "interval " not in french
