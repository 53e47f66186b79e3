"""The bundled sample business: shape, dtypes, and the findings each lesson relies on.

The findings are computed here directly from their definitions, so the sample is checked
independently of the analysis modules.
"""

from __future__ import annotations

import math
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.samples import PARTIAL_ANSWERS, SampleData, generate_sample, load_sample, write_sample

SERVQUAL = {
    **dict.fromkeys(range(1, 5), "tangibles"),
    **dict.fromkeys(range(5, 10), "reliability"),
    **dict.fromkeys(range(10, 14), "responsiveness"),
    **dict.fromkeys(range(14, 18), "assurance"),
    **dict.fromkeys(range(18, 23), "empathy"),
}
DTYPES = {
    "transactions": {
        "customer_id": "str",
        "date": "datetime64[us]",
        "amount": "float64",
        "order_id": "str",
        "discount": "float64",
        "promotion": "bool",
        "channel": "str",
    },
    "survey": {
        "respondent_id": "str",
        "customer_id": "str",
        "item": "int64",
        "dimension": "str",
        "expectation": "float64",
        "perception": "float64",
        "importance": "float64",
        "satisfaction": "float64",
        "recommend": "float64",
    },
    "complaints": {"customer_id": "str", "date": "datetime64[us]", "category": "str"},
}


@pytest.fixture(scope="module")
def sample() -> SampleData:
    return load_sample()


@pytest.fixture(scope="module")
def transactions(sample: SampleData) -> pd.DataFrame:
    return sample.transactions


def _top_share(counts: pd.Series, k: int) -> float:
    """Share of the total held by the k largest values."""
    return counts.sort_values(ascending=False).iloc[:k].sum() / counts.sum()


def _behaviour_types(transactions: pd.DataFrame) -> pd.DataFrame:
    """Per customer: behaviour type and monthly spend at the last date of the data.

    Mirrors the default ``customer_types.TYPE_RULES``: lapsed (> 180 days since the last
    purchase) is dissatisfied; at least 6 orders in the last 365 days and a purchase in the
    last 60 days is loyal; anyone else is satisfied. Monthly spend is net revenue per month
    (365.25 / 12 days) since the first purchase, at least one month.
    """
    end = transactions["date"].max()
    orders = transactions.groupby(["customer_id", "order_id"]).agg(
        net=("amount", "sum"), date=("date", "min")
    )
    purchases = orders[orders["net"] > 0].reset_index()
    last = purchases.groupby("customer_id")["date"].max()
    first = purchases.groupby("customer_id")["date"].min()
    days_since_last = (end - last).dt.days
    recent = purchases[purchases["date"] > end - pd.Timedelta(days=365)]
    orders_365 = recent.groupby("customer_id").size().reindex(last.index, fill_value=0)
    kind = np.where(
        days_since_last > 180,
        "dissatisfied",
        np.where((orders_365 >= 6) & (days_since_last <= 60), "loyal", "satisfied"),
    )
    revenue = transactions.groupby("customer_id")["amount"].sum().reindex(last.index)
    months = np.maximum(1, (end - first).dt.days / (365.25 / 12))
    return pd.DataFrame({"type": kind, "monthly_spend": revenue / months}, index=last.index)


# --- files, dtypes, determinism ---------------------------------------------------------


def test_generate_sample_is_deterministic():
    first = generate_sample(seed=7, n_customers=300)
    second = generate_sample(seed=7, n_customers=300)
    for name in SampleData._fields:
        assert_frame_equal(getattr(first, name), getattr(second, name))


def test_other_seed_gives_other_data():
    first = generate_sample(seed=7, n_customers=300)
    second = generate_sample(seed=8, n_customers=300)
    assert not first.transactions["amount"].equals(second.transactions["amount"])


def test_committed_files_equal_a_fresh_generation(sample):
    fresh = generate_sample()
    for name in SampleData._fields:
        assert_frame_equal(getattr(sample, name), getattr(fresh, name))


def test_write_then_read_round_trips(tmp_path):
    small = generate_sample(seed=3, n_customers=200)
    write_sample(tmp_path, small)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["complaints.csv", "survey.csv", "transactions.csv"]
    read = pd.read_csv(tmp_path / "transactions.csv", dtype={"customer_id": str, "order_id": str})
    assert len(read) == len(small.transactions)
    assert read["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    np.testing.assert_array_equal(read["amount"], small.transactions["amount"])


@pytest.mark.parametrize(
    "arguments",
    [{"n_customers": 20}, {"years": 0}, {"start": "next spring"}],
    ids=["too-few-customers", "no-years", "start-not-a-date"],
)
def test_generate_sample_rejects_bad_arguments(arguments):
    with pytest.raises(LoyaltyDataError, match="generate_sample needs|is not a date"):
        generate_sample(**arguments)


def test_generate_sample_follows_start_and_years():
    small = generate_sample(seed=5, n_customers=150, start="2020-03-01", years=2)
    dates = small.transactions["date"]
    assert dates.min() >= pd.Timestamp("2020-03-01")
    assert dates.max() <= pd.Timestamp("2022-02-28")
    assert small.complaints["date"].max() <= pd.Timestamp("2022-02-28")


@pytest.mark.parametrize("name", list(DTYPES), ids=list(DTYPES))
def test_canonical_columns_and_dtypes(sample, name):
    table = getattr(sample, name)
    assert {column: str(dtype) for column, dtype in table.dtypes.items()} == DTYPES[name]
    blank_allowed = ["expectation", "perception"] if name == "survey" else []  # an item left blank
    assert not table.drop(columns=blank_allowed).isna().any().any()


def test_sample_size_and_period(transactions):
    assert 2000 <= transactions["customer_id"].nunique() <= 5000
    assert transactions["date"].min() == pd.Timestamp("2023-01-01")
    assert transactions["date"].max() == pd.Timestamp("2025-12-31")
    assert (transactions["amount"] == transactions["amount"].round(2)).all()
    assert set(transactions["channel"]) == {"shop", "online"}


def test_refunds_and_promotions_present(transactions):
    refunds = transactions[transactions["amount"] < 0]
    assert len(refunds) > 100
    assert refunds["order_id"].isin(transactions.loc[transactions["amount"] > 0, "order_id"]).all()
    assert 0.03 < transactions["promotion"].mean() < 0.3
    assert (transactions.loc[transactions["promotion"], "discount"] > 0).all()
    assert (transactions.loc[~transactions["promotion"], "discount"] == 0).all()


def test_survey_layout(sample):
    survey = sample.survey
    assert 200 <= survey["respondent_id"].nunique() <= 800
    per_respondent = survey.groupby("respondent_id")
    assert per_respondent["item"].apply(sorted).map(lambda items: items == list(range(1, 23))).all()
    assert (survey["dimension"] == survey["item"].map(SERVQUAL)).all()
    scores = survey[["expectation", "perception"]]
    assert (scores.isin(range(1, 8)) | scores.isna()).all().all()
    assert survey[["satisfaction", "recommend"]].isin(range(0, 11)).all().all()
    per_dimension = survey.drop_duplicates(["respondent_id", "dimension"])
    points = per_dimension.groupby("respondent_id")["importance"].sum()
    assert (points == 100).all()
    assert survey["customer_id"].isin(sample.transactions["customer_id"]).all()
    assert (per_respondent["customer_id"].nunique() == 1).all()


def test_survey_has_partial_answers(sample):
    """About a quarter of the respondents leave items blank, a few percent of all answers;
    some break off partway, some cannot judge an item (an expectation, no perception); all
    answer at least five items and the overall questions; the displeased leave more blank."""
    survey = sample.survey
    blank = survey["expectation"].isna() | survey["perception"].isna()
    by_respondent = blank.groupby(survey["respondent_id"])
    assert 0.15 <= by_respondent.any().mean() <= 0.35
    assert 0.02 <= blank.mean() <= 0.08
    assert (survey["expectation"].notna() & survey["perception"].isna()).sum() > 10
    assert ((~blank).groupby(survey["respondent_id"]).sum() >= 5).all()
    last_answered = survey[~blank].groupby("respondent_id")["item"].max()
    assert (last_answered < 22).sum() >= 10
    pleased = survey.groupby("respondent_id")["satisfaction"].first() >= 7
    share = by_respondent.any().groupby(pleased).mean()
    assert share[False] > share[True] + 0.1


def test_partial_answers_change_nothing_else():
    """Blanks come from their own random stream: without them the survey and the other
    tables are those of the same seed."""
    small = generate_sample(seed=11, n_customers=400)
    blank = small.survey["expectation"].isna() | small.survey["perception"].isna()
    assert blank.any()
    never = {"pleased": 0.0, "not pleased": 0.0}
    whole = generate_sample(
        seed=11, n_customers=400, partial_answers={**PARTIAL_ANSWERS, "break_off": never, "skip": never}
    )
    assert_frame_equal(small.transactions, whole.transactions)
    assert_frame_equal(small.complaints, whole.complaints)
    assert not whole.survey.isna().any().any()
    assert_frame_equal(small.survey[~blank], whole.survey[~blank])


def test_complaints_come_from_customers(sample):
    complaints = sample.complaints
    assert complaints["customer_id"].isin(sample.transactions["customer_id"]).all()
    assert complaints["date"].between(pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")).all()


def test_data_folder_is_small():
    folder = Path(__file__).resolve().parents[1] / "data" / "samples"
    size = sum(entry.stat().st_size for entry in folder.iterdir() if entry.is_file())
    assert size < 3_000_000


def test_sample_is_bundled_in_the_package():
    names = {entry.name for entry in files("loyalty_lessons.sample_data").iterdir()}
    assert {"transactions.csv", "survey.csv", "complaints.csv"} <= names


# --- what the lessons find ---------------------------------------------------------------


def test_top_fifth_of_customers_bring_most_revenue(transactions):
    revenue = transactions.groupby("customer_id")["amount"].sum()
    share = _top_share(revenue, math.ceil(0.2 * len(revenue)))
    assert 0.65 <= share <= 0.85


def test_few_customers_make_most_complaints(sample):
    counts = sample.complaints["customer_id"].value_counts()
    assert _top_share(counts, math.ceil(0.2 * len(counts))) >= 0.5
    customers = sample.transactions["customer_id"].nunique()
    assert _top_share(counts, math.ceil(0.2 * customers)) > 0.5


def test_quality_gap_has_weak_and_strong_dimensions(sample):
    survey = sample.survey
    gap = (survey["perception"] - survey["expectation"]).groupby(survey["dimension"]).mean()
    assert (gap < 0).sum() >= 2
    assert (gap > 0).sum() >= 1


def test_loyal_customers_spend_30_to_60_percent_more_than_satisfied(transactions):
    spend = _behaviour_types(transactions).groupby("type")["monthly_spend"].mean()
    assert 1.30 <= spend["loyal"] / spend["satisfied"] <= 1.60


def test_all_three_behaviour_types_are_well_represented(transactions):
    counts = _behaviour_types(transactions)["type"].value_counts(normalize=True)
    assert (counts.reindex(["dissatisfied", "satisfied", "loyal"]) > 0.15).all()


def test_fifteen_to_twenty_percent_defect_each_year(transactions):
    purchases = transactions[transactions["amount"] > 0]
    buyers = purchases.groupby(purchases["date"].dt.year)["customer_id"].apply(set)
    years = list(buyers.index)
    assert years == [2023, 2024, 2025]
    for year, following in zip(years, years[1:]):
        retention = len(buyers[year] & buyers[following]) / len(buyers[year])
        assert 0.15 <= 1 - retention <= 0.20, year


def test_promoters_are_mostly_behaviourally_loyal(sample):
    types = _behaviour_types(sample.transactions)["type"]
    respondents = sample.survey.drop_duplicates("respondent_id").set_index("customer_id")
    kind = types.reindex(respondents.index)
    mean_recommend = respondents["recommend"].groupby(kind).mean()
    assert mean_recommend["loyal"] > mean_recommend["satisfied"] + 1
    promoters = kind[respondents["recommend"] >= 9]
    assert (promoters == "loyal").mean() > 0.5


def test_load_sample_reads_nothing_at_import_and_caches_nothing():
    import loyalty_lessons.samples as module

    assert not any(isinstance(value, (pd.DataFrame, SampleData)) for value in vars(module).values())
    first, second = load_sample(), load_sample()
    assert first.transactions is not second.transactions
