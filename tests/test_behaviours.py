"""Tests of the five shopping behaviours on hand-built frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons.behaviours import BEHAVIOUR_TYPES, behaviour_types
from loyalty_lessons.errors import LoyaltyDataError


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


def five_behaviours() -> pd.DataFrame:
    monthly = [str(pd.Timestamp("2023-01-01") + pd.Timedelta(days=30 * k))[:10] for k in range(12)]
    rows = (
        _orders("loy", monthly, 30.0)  # 12 regular orders a year -> loyal
        + _orders("need", ["2023-01-01", "2023-05-01", "2023-09-01"], 30.0)  # -> need-based
        + _orders("imp", ["2023-02-01", "2023-03-01", "2023-04-01"], 100.0)  # basket 3.3x
        + _orders("wand", ["2023-06-01"], 30.0)  # one purchase -> wandering
        # intervals 1, 1, 1, 300 days: CV = 129.47 / 75.75 = 1.71 > 1.5 -> impulse
        + _orders("irr", ["2023-01-01", "2023-01-02", "2023-01-03", "2023-01-04", "2023-10-31"], 30.0)
        + _orders("disc", ["2023-03-01", "2023-06-01", "2023-09-01"], 30.0)
    )
    tx = _tx(rows)
    tx["promotion"] = (tx["customer_id"] == "disc") & (tx["date"] > "2023-04-01")
    tx["discount"] = np.where(tx["promotion"], 5.0, 0.0)
    return tx


def test_behaviour_types_by_hand():
    got = behaviour_types(five_behaviours(), observation_end="2024-01-01").set_index("customer_id")
    assert got["type"].to_dict() == {
        "disc": "discount",
        "imp": "impulse",
        "irr": "impulse",
        "loy": "loyal",
        "need": "need-based",
        "wand": "wandering",
    }
    assert got.loc["disc", "promotion_share"] == pytest.approx(2 / 3)
    assert got.loc["loy", "interval_cv"] == pytest.approx(0.0)
    assert got.loc["loy", "orders_per_year"] == pytest.approx(12.0)  # tenure under a year
    assert got.loc["irr", "interval_cv"] == pytest.approx(1.7091, abs=1e-4)
    assert math.isnan(got.loc["wand", "interval_cv"])
    assert got.loc["imp", "basket_ratio"] == pytest.approx(100 / 30)
    assert list(got.reset_index().columns) == [
        "customer_id",
        "type",
        "orders",
        "orders_per_year",
        "interval_cv",
        "promotion_share",
        "basket_ratio",
    ]
    assert list(got["type"].cat.categories) == list(BEHAVIOUR_TYPES)


def test_behaviour_types_discount_column_fallback():
    tx = five_behaviours().drop(columns="promotion")
    got = behaviour_types(tx, observation_end="2024-01-01").set_index("customer_id")
    assert got.loc["disc", "type"] == "discount"
    assert "'discount' > 0" in got.attrs["rule"]


def test_behaviour_types_without_promotion_data():
    tx = five_behaviours().drop(columns=["promotion", "discount"])
    got = behaviour_types(tx, observation_end="2024-01-01").set_index("customer_id")
    assert got.loc["disc", "type"] == "need-based"
    assert got["promotion_share"].isna().all()
    assert "no customer can be typed 'discount'" in got.attrs["rule"]


def test_behaviour_types_rules_override():
    got = behaviour_types(
        five_behaviours(), observation_end="2024-01-01", rules={"loyal_min_orders_per_year": 3}
    ).set_index("customer_id")
    assert got.loc["need", "type"] == "loyal"
    with pytest.raises(LoyaltyDataError, match="Unknown rule"):
        behaviour_types(five_behaviours(), rules={"vip": 1})


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 700), st.floats(-20, 200)),
        min_size=1,
        max_size=30,
    )
)
def test_every_customer_gets_exactly_one_behaviour(rows):
    tx = _tx(
        [
            (f"c{c}", str(pd.Timestamp("2023-01-01") + pd.Timedelta(days=d)), a, f"o{i}")
            for i, (c, d, a) in enumerate(rows)
        ]
    )
    behaviour = behaviour_types(tx)
    assert len(behaviour) == tx["customer_id"].nunique()
    assert behaviour["type"].notna().all()


def test_the_rule_in_words_is_in_the_language_asked_and_unchanged_in_english():
    tx = _tx(
        [("a", "2024-01-01", 10.0, "o1"), ("b", "2024-01-01", 10.0, "o2"), ("b", "2024-06-01", 10.0, "o3")]
    )
    english = behaviour_types(tx).attrs["rule"]
    assert english.startswith("First rule that applies: discount if at least 50% of revenue")
    assert "impulse if the average order is at least 1.5 times the median" in english
    assert english.endswith("so no customer can be typed 'discount'.")
    french = behaviour_types(tx, language="fr").attrs["rule"]
    assert french.startswith("La première règle qui s’applique l’emporte : « discount » (chasseur de")
    assert "au moins 1,5 fois le panier médian" in french
    assert french.endswith("aucun client ne peut donc être classé « discount ».")
    promoted = tx.assign(promotion=[True, False, False])
    assert (
        behaviour_types(promoted, language="fr")
        .attrs["rule"]
        .endswith("La promotion est lue dans la colonne 'promotion'.")
    )
    french_types = behaviour_types(promoted, language="fr")["type"].tolist()
    assert french_types == behaviour_types(promoted)["type"].tolist()
