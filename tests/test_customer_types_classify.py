"""Tests of the three customer types and their rules: typing on behaviour, on attitude and on
both, from transactions or from counts read once, on hand-built frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons.customer_types.classify import (
    TYPE_RULES,
    TYPES,
    basis_counts,
    classify_customers,
    describe_rule,
    type_labels,
)
from loyalty_lessons.customer_types.profile import type_profile
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.errors import LoyaltyDataError

TYPE_DTYPE = pd.CategoricalDtype(list(TYPES), ordered=True)
END = pd.Timestamp("2024-12-31")  # END - 365 days = 2024-01-01 (2024 is a leap year)


def _tx(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.Series([r[0] for r in rows], dtype="str"),
            "date": pd.to_datetime([r[1] for r in rows]),
            "amount": [float(r[2]) for r in rows],
            "order_id": pd.Series([r[3] for r in rows], dtype="str"),
        }
    )


def _orders(customer: str, dates: list[str], amount: float = 20.0) -> list[tuple]:
    return [(customer, d, amount, f"{customer}-{i}") for i, d in enumerate(dates)]


FIVE_IN_WINDOW = ["2024-02-01", "2024-04-01", "2024-06-01", "2024-08-01", "2024-10-01"]


def behaviour_transactions() -> pd.DataFrame:
    rows = (
        # a: 6 orders in the window, last 11 days ago -> loyal
        _orders("a", [*FIVE_IN_WINDOW, "2024-12-20"])
        # b: 6 orders in the window but the last 91 days ago -> satisfied
        + _orders("b", ["2024-01-15", *FIVE_IN_WINDOW])
        # c: only 5 orders, recent -> satisfied
        + _orders("c", ["2024-03-01", "2024-05-01", "2024-07-01", "2024-09-01", "2024-12-30"])
        # d: 181 days since the last purchase -> dissatisfied
        + _orders("d", ["2023-05-01", "2024-07-03"])
        # e: exactly 180 days -> still satisfied
        + _orders("e", ["2024-07-04"])
        # f: 2024-01-01 is 365 days before END, outside the window: 5 orders -> satisfied
        + _orders("f", ["2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-09-01", "2024-12-31"])
        # g: 6 orders, but the last one nets to -15 (a return): 5 purchases, the last
        # 91 days ago -> satisfied
        + _orders("g", FIVE_IN_WINDOW)
        + [("g", "2024-12-01", 10.0, "g-last"), ("g", "2024-12-01", -25.0, "g-last")]
    )
    return _tx(rows)


def test_classify_on_behaviour_by_hand():
    got = classify_customers(transactions=behaviour_transactions(), observation_end=END)
    types = ["loyal", "satisfied", "satisfied", "dissatisfied", "satisfied", "satisfied", "satisfied"]
    expected = pd.DataFrame(
        {
            "customer_id": pd.Series(list("abcdefg"), dtype="str"),
            "respondent_id": pd.Series([np.nan] * 7, dtype="str"),
            "type": pd.Series(types, dtype=TYPE_DTYPE),
            "basis": pd.Series(["behaviour"] * 7, dtype="str"),
            "behaviour_type": pd.Series(types, dtype=TYPE_DTYPE),
            "attitude_type": pd.Series([np.nan] * 7, dtype=TYPE_DTYPE),
            "days_since_last": [11.0, 91.0, 1.0, 181.0, 180.0, 0.0, 91.0],
            "orders_in_window": pd.array([6, 6, 5, 1, 1, 5, 5], dtype="Int64"),
            "recommend": [np.nan] * 7,
            "satisfaction": [np.nan] * 7,
            "gap": [np.nan] * 7,
        }
    )
    assert_frame_equal(got, expected)
    assert "more than 180 days" in got.attrs["rule"]


def test_classify_uses_a_given_summary_and_does_not_change_inputs():
    tx = behaviour_transactions()
    summary = customer_summary(tx, observation_end=END)
    before_tx, before_summary = tx.copy(), summary.copy()
    got = classify_customers(summary, transactions=tx, observation_end=END)
    assert got["type"].tolist()[:4] == ["loyal", "satisfied", "satisfied", "dissatisfied"]
    assert_frame_equal(tx, before_tx)
    assert_frame_equal(summary, before_summary)


@pytest.mark.parametrize(
    ("rules", "expected_b", "text"),
    [
        ({"loyal_max_days_since_last": 120}, "loyal", "at most 120 days"),
        ({"lapsed_after_days": 90}, "dissatisfied", "more than 90 days"),
    ],
    ids=["looser-loyal", "stricter-lapse"],
)
def test_classify_rules_override(rules, expected_b, text):
    got = classify_customers(transactions=behaviour_transactions(), observation_end=END, rules=rules)
    assert got.loc[got["customer_id"] == "b", "type"].item() == expected_b
    assert text in got.attrs["rule"]
    assert TYPE_RULES["lapsed_after_days"] == 180  # defaults untouched


def attitude_survey() -> pd.DataFrame:
    # one reliability item each; gap = perception - expectation
    rows = [
        # id, customer, recommend, satisfaction, expectation, perception
        ("r1", "a", 9.0, 2.0, 6.0, 3.0),  # recommend 9 -> loyal (wins over satisfaction)
        ("r2", "b", 7.0, 10.0, 6.0, 6.0),  # 7 -> satisfied
        ("r3", "c", 6.0, np.nan, 6.0, 7.0),  # 6 -> dissatisfied
        ("r4", "d", np.nan, 10.0, 6.0, 6.0),  # no recommend, satisfaction 10 -> loyal
        ("r5", "e", np.nan, np.nan, 6.0, 4.5),  # gap -1.5 -> dissatisfied
        ("r6", "f", np.nan, np.nan, 6.0, 5.0),  # gap -1.0 -> satisfied
        ("r7", "zz", np.nan, np.nan, 6.0, 6.5),  # gap 0.5 -> loyal; not a customer
    ]
    return pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "customer_id": [r[1] for r in rows],
            "item": 5,
            "dimension": "reliability",
            "expectation": [r[4] for r in rows],
            "perception": [r[5] for r in rows],
            "recommend": [r[2] for r in rows],
            "satisfaction": [r[3] for r in rows],
        }
    )


def test_classify_on_attitude_by_hand():
    got = classify_customers(survey=attitude_survey())
    assert got["respondent_id"].tolist() == [f"r{i}" for i in range(1, 8)]
    assert got["type"].tolist() == [
        "loyal",
        "satisfied",
        "dissatisfied",
        "loyal",
        "dissatisfied",
        "satisfied",
        "loyal",
    ]
    assert (got["basis"] == "attitude").all()
    assert got["gap"].tolist() == [-3.0, 0.0, 1.0, 0.0, -1.5, -1.0, 0.5]
    assert got["orders_in_window"].isna().all()
    assert got.attrs["rule"].startswith("Attitude:")


def test_attitude_without_recommend_uses_satisfaction():
    got = classify_customers(survey=attitude_survey().drop(columns="recommend"))
    # r1 satisfaction 2 -> dissatisfied, r2 10 -> loyal, r3 no score, gap +1 -> loyal
    assert got["type"].tolist()[:3] == ["dissatisfied", "loyal", "loyal"]


def test_classify_on_both_by_hand():
    tx = behaviour_transactions()
    survey = pd.concat(
        [
            attitude_survey(),
            # a second answer from customer a, recommend 8 -> satisfied
            attitude_survey().iloc[[0]].assign(respondent_id="r8", recommend=8.0),
        ]
    )
    got = classify_customers(survey=survey, transactions=tx, observation_end=END).set_index("customer_id")
    # a: behaviour loyal, answers loyal (r1) and satisfied (r8) -> satisfied
    assert got.loc["a", "type"] == "satisfied"
    assert got.loc["a", "respondent_id"] == "r1, r8"
    assert got.loc["a", "recommend"] == pytest.approx(8.5)
    # b: satisfied + satisfied; c: satisfied + dissatisfied; d: dissatisfied + loyal
    assert got.loc[["b", "c", "d"], "type"].tolist() == ["satisfied", "dissatisfied", "dissatisfied"]
    # g did not answer: behaviour only
    assert got.loc["g", "basis"] == "behaviour"
    assert got.loc["a", "basis"] == "both"
    assert len(got) == 7  # one row per customer
    assert got.attrs["unlinked_respondents"] == 1  # r7 (customer zz)
    assert "only when both rules say loyal" in got.attrs["rule"]


def test_the_basis_of_each_type_is_counted_and_names_the_types():
    tx = behaviour_transactions()
    by_behaviour = classify_customers(transactions=tx, observation_end=END)
    both = classify_customers(survey=attitude_survey(), transactions=tx, observation_end=END)
    by_answer = classify_customers(survey=attitude_survey())
    # 7 customers; a to f answered the survey (r1 to r6), g did not
    assert basis_counts(by_behaviour) == {"behaviour": 7}
    assert basis_counts(both) == {"both": 6, "behaviour": 1}
    assert basis_counts(both) == basis_counts(both.drop(columns=[]).reset_index(drop=True))
    assert basis_counts(pd.DataFrame({"basis": both["basis"]})) == {"behaviour": 1, "both": 6}
    assert basis_counts(by_answer) == {"attitude": len(by_answer)}
    # purchases alone show behaviour: the attitude is only likely
    assert type_labels(by_behaviour)["dissatisfied"] == "lapsed"
    # a to f by answer and purchases, g by purchases only
    assert type_labels(both)["dissatisfied"] == "lapsed or said dissatisfied"
    assert type_labels(by_answer) == {t: t for t in TYPES}
    summary = customer_summary(tx, observation_end=END)
    assert basis_counts(type_profile(by_behaviour, summary)) == {"behaviour": 7}
    assert (
        type_labels(type_profile(by_answer.assign(customer_id=list("abcdefg")[: len(by_answer)]), summary))[
            "satisfied"
        ]
        == "satisfied"
    )


def test_both_loyal_gives_loyal():
    tx = behaviour_transactions()
    survey = attitude_survey().iloc[[3]].assign(customer_id="a")  # satisfaction 10 -> loyal
    got = classify_customers(survey=survey, transactions=tx, observation_end=END)
    assert got.loc[got["customer_id"] == "a", "type"].item() == "loyal"


@pytest.mark.parametrize(
    ("make_kwargs", "message"),
    [
        (lambda: {}, "Nothing to classify"),
        (lambda: {"summary": pd.DataFrame({"customer_id": ["a"], "days_since_last": [3]})}, "transactions="),
        (lambda: {"survey": attitude_survey(), "rules": {"loyal_orders": 3}}, "Unknown rule"),
        (lambda: {"survey": attitude_survey().assign(recommend=11.0)}, "0-10"),
    ],
    ids=["no-input", "summary-only", "unknown-rule", "score-out-of-range"],
)
def test_classify_errors(make_kwargs, message):
    with pytest.raises(LoyaltyDataError, match=message):
        classify_customers(**make_kwargs())


def test_describe_rule_unknown_basis():
    with pytest.raises(LoyaltyDataError, match="basis"):
        describe_rule("mood")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 700), st.floats(-20, 200)),
        min_size=1,
        max_size=30,
    )
)
def test_every_customer_gets_exactly_one_type(rows):
    tx = _tx(
        [
            (f"c{c}", str(pd.Timestamp("2023-01-01") + pd.Timedelta(days=d)), a, f"o{i}")
            for i, (c, d, a) in enumerate(rows)
        ]
    )
    got = classify_customers(transactions=tx)
    assert sorted(got["customer_id"]) == sorted(tx["customer_id"].unique())
    assert got["type"].notna().all()
    assert set(got["type"]) <= set(TYPES)


def test_classify_with_counts_in_any_order_or_missing_gives_the_same_types():
    old = pd.DataFrame(_orders("z", ["2022-05-01"]), columns=["customer_id", "date", "amount", "order_id"])
    tx = pd.concat(
        [behaviour_transactions(), old.assign(date=pd.to_datetime(old["date"]))], ignore_index=True
    )
    summary = customer_summary(tx, observation_end=END)
    expected = classify_customers(summary, transactions=tx, observation_end=END)
    counts = expected.set_index("customer_id")["orders_in_window"].astype("int64")
    assert counts["z"] == 0
    assert_frame_equal(classify_customers(summary, orders_in_window=counts), expected)
    assert_frame_equal(classify_customers(summary, orders_in_window=counts.iloc[::-1]), expected)
    zeros_left_out = counts[counts > 0]
    assert_frame_equal(classify_customers(summary, orders_in_window=zeros_left_out), expected)


L, S, D = "loyal", "satisfied", "dissatisfied"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # a..g: days since the last purchase 11, 91, 1, 181, 180, 0, 91; orders in the window
        # 6, 6, 5, 1, 1, 5, 5 (see behaviour_transactions)
        (None, [L, S, S, D, S, S, S]),
        ({"loyal_max_days_since_last": 120}, [L, L, S, D, S, S, S]),
        ({"lapsed_after_days": 90}, [L, D, S, D, D, S, D]),
        ({"loyal_min_orders": 1, "loyal_max_days_since_last": 180}, [L, L, L, D, L, L, L]),
        ({"lapsed_after_days": 0}, [D, D, D, D, D, S, D]),
    ],
    ids=["defaults", "looser-loyal", "stricter-lapse", "all-loyal", "all-lapsed"],
)
def test_types_and_profile_of_other_thresholds_from_counts_read_once(rules, expected):
    tx = behaviour_transactions()
    summary = customer_summary(tx, observation_end=END)
    counts = classify_customers(summary, transactions=tx, observation_end=END).set_index("customer_id")[
        "orders_in_window"
    ]
    assert counts.tolist() == [6, 6, 5, 1, 1, 5, 5]
    types = classify_customers(summary, orders_in_window=counts, rules=rules)
    assert types["customer_id"].tolist() == list("abcdefg")
    assert types["type"].astype("str").tolist() == expected
    got = type_profile(types, summary)
    revenue = summary.set_index("customer_id")["revenue"]
    by_type = pd.Series(expected, index=list("abcdefg"))
    assert got["customers"].tolist() == [expected.count(t) for t in TYPES]
    assert got["revenue"].tolist() == pytest.approx([revenue[by_type == t].sum() for t in TYPES])
    assert got.attrs["left_out"] == 0


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 700), st.floats(-20, 200)), min_size=1, max_size=30
    ),
    loyal_min_orders=st.integers(1, 8),
    lapsed_after_days=st.integers(0, 400),
)
def test_counts_read_once_type_customers_as_the_transactions_do_on_any_purchases(
    rows, loyal_min_orders, lapsed_after_days
):
    tx = _tx(
        [
            (f"c{c}", str(pd.Timestamp("2023-01-01") + pd.Timedelta(days=d)), a, f"o{i}")
            for i, (c, d, a) in enumerate(rows)
        ]
    )
    summary = customer_summary(tx)
    rules = {"loyal_min_orders": loyal_min_orders, "lapsed_after_days": lapsed_after_days}
    expected = classify_customers(summary, transactions=tx, rules=rules)
    counts = classify_customers(summary, transactions=tx).set_index("customer_id")["orders_in_window"]
    got = classify_customers(summary, orders_in_window=counts, rules=rules)
    assert_frame_equal(got, expected)
    assert_frame_equal(type_profile(got, summary), type_profile(expected, summary))


def test_unknown_rules_are_named():
    tx = behaviour_transactions()
    summary = customer_summary(tx, observation_end=END)
    with pytest.raises(LoyaltyDataError, match="Unknown rule"):
        classify_customers(summary, transactions=tx, rules={"loyal_window": 90})


def test_survey_linked_to_no_customer_falls_back_to_behaviour_without_warnings():
    import warnings

    from loyalty_lessons import load_inputs

    inputs = load_inputs()
    survey = inputs.survey.assign(customer_id="nobody-" + inputs.survey["customer_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        types = classify_customers(inputs.summary, survey, transactions=inputs.transactions)
    alone = classify_customers(inputs.summary, transactions=inputs.transactions)
    assert (types["type"].astype(str).to_numpy() == alone["type"].astype(str).to_numpy()).all()
    assert set(types["basis"]) == {"behaviour"}


def test_describe_rule_in_french_names_the_rule_in_french_and_keeps_english_as_it_was():
    english = describe_rule("both", {"lapsed_after_days": 90, "loyal_gap_from": 0.25})
    assert english.startswith("Behaviour: dissatisfied if the last purchase is more than 90 days")
    assert "0.25 or more loyal" in english
    french = describe_rule("both", {"lapsed_after_days": 90, "loyal_gap_from": 0.25}, language="fr")
    assert french.startswith("Comportement : « dissatisfied » (mécontent) si le dernier achat remonte à")
    assert "plus de 90 jours" in french
    assert "0,25 ou plus : fidèle" in french
    assert "Un client qui a des achats et une réponse à l’enquête" in french
    assert "Behaviour" not in french and "otherwise" not in french
    with pytest.raises(LoyaltyDataError, match="basis must be one of"):
        describe_rule("mood", language="fr")


def test_basis_counts_and_type_labels_in_french():
    types = classify_customers(
        transactions=pd.DataFrame(
            {
                "customer_id": ["a", "b"],
                "amount": [20.0, 20.0],
                "date": pd.to_datetime(["2024-01-10", "2024-06-01"]),
            }
        )
    )
    assert basis_counts(types) == {"behaviour": 2}
    assert basis_counts(types, "fr") == {"achats seuls": 2}
    assert type_labels(types, "fr") == {
        "dissatisfied": "décroché",
        "satisfied": "occasionnel",
        "loyal": "régulier",
    }
    assert type_labels(types) == {
        "dissatisfied": "lapsed",
        "satisfied": "occasional",
        "loyal": "regular",
    }
    answered = pd.DataFrame().assign(x=[1])
    answered.attrs["basis_counts"] = {"attitude": 3}
    assert type_labels(answered, "fr")["loyal"] == "fidèle"
