"""The five shopping behaviours: discount, loyal, wandering, impulse and need-based.

[it-loyalty-steps] only mentions an article on "the five types of customers" without naming
them; the names are a common retail-marketing grouping and the rules are the toolkit's own.
:func:`behaviour_types` reads them from transactions alone (how often, how regularly, how
much on promotion, how large the baskets), one type per customer, with the thresholds in
:data:`BEHAVIOUR_RULES` that a ``rules=`` argument can override. The three types of the same lesson
(dissatisfied, satisfied, loyal) are in :mod:`loyalty_lessons.customer_types`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons._checks import merge_rules, rule_number
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.customers import purchases, summary_for
from loyalty_lessons.lesson_texts import say, write_significant, write_value

__all__ = ["BEHAVIOUR_RULES", "BEHAVIOUR_TYPES", "behaviour_types"]

#: The five shopping behaviours (the toolkit's names and rules), in the order the rules are tried.
BEHAVIOUR_TYPES: tuple[str, ...] = ("discount", "loyal", "wandering", "impulse", "need-based")

#: Default thresholds of :func:`behaviour_types`; rules are tried in BEHAVIOUR_TYPES order.
BEHAVIOUR_RULES: dict[str, float] = {
    # discount: at least half of the revenue bought on promotion
    "discount_min_promotion_share": 0.5,
    # loyal: at least 6 orders a year, at regular intervals
    "loyal_min_orders_per_year": 6.0,
    "loyal_max_interval_cv": 1.0,
    # wandering: a single purchase (or none)
    "wandering_max_orders": 1,
    # impulse: baskets 1.5 times the median customer's, or visits burstier than random
    # (purchases at random times have an interval CV of about 1)
    "impulse_min_basket_ratio": 1.5,
    "impulse_min_interval_cv": 1.5,
    # need-based: everyone else
}


def _rule_in_words(r: dict, promotion: tuple[str, str] | None, language: str) -> str:
    """The rule of :func:`behaviour_types` in ``language``; ``promotion`` says where the
    promotions were read from (the catalogue key and the column), None when nowhere."""

    def number(name: str) -> str:
        if language == DEFAULT_LANGUAGE:
            return rule_number(r[name])
        return write_significant(r[name], 6, language)

    if promotion is None:
        note = say("rules.no_promotion", language)
    else:
        note = say(f"rules.{promotion[0]}", language, column=repr(promotion[1]))
    return say(
        "rules.behaviours",
        language,
        promotion=write_value(r["discount_min_promotion_share"], language, "percent", 0),
        orders=number("loyal_min_orders_per_year"),
        loyal_cv=number("loyal_max_interval_cv"),
        wandering=number("wandering_max_orders"),
        basket=number("impulse_min_basket_ratio"),
        impulse_cv=number("impulse_min_interval_cv"),
        note=note,
    )


def behaviour_types(
    transactions: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    *,
    rules: dict | None = None,
    observation_end: str | pd.Timestamp | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    promotion_col: str = "promotion",
    discount_col: str = "discount",
    language: str = DEFAULT_LANGUAGE,
) -> pd.DataFrame:
    """Five shopping behaviours: loyal, discount, impulse, need-based, wandering.

    Each customer gets exactly one type; the rules are tried in this order and the first
    that applies wins (thresholds in :data:`BEHAVIOUR_RULES`):

    1. ``discount``: at least half of the customer's purchase revenue was bought on
       promotion (``promotion_share >= 0.5``);
    2. ``loyal``: at least 6 orders a year (``orders_per_year >= 6``) at regular intervals
       (``interval_cv <= 1.0``);
    3. ``wandering``: a single purchase or none (``orders <= 1``);
    4. ``impulse``: an average order at least 1.5 times the median customer's
       (``basket_ratio >= 1.5``) or very irregular visits (``interval_cv > 1.5``: burstier
       than purchases at random times, whose CV is about 1);
    5. ``need-based``: everyone else: comes now and then, buys an ordinary basket.

    Measures: ``orders_per_year = orders / max(1, tenure_days / 365.25)``; ``interval_cv`` is
    the standard deviation over the mean of the days between consecutive purchases (needs
    3 purchases, else missing and not used); ``promotion_share`` = revenue of positive lines on
    promotion / revenue of all positive lines, where "on promotion" is the ``promotion`` column,
    or ``discount > 0`` when there is no such column. Without either column the discount rule
    cannot apply: ``promotion_share`` is missing and ``result.attrs["rule"]`` says so.
    ``basket_ratio`` = average order value / median average order value of the customers.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions; required columns ``customer_id_col``, ``date_col``,
        ``amount_col``; optional ``order_id_col``, ``promotion_col``, ``discount_col``.
    summary : pandas.DataFrame, optional
        ``customer_summary`` of the same transactions (computed when absent); its columns
        ``orders``, ``tenure_days`` and ``average_order_value`` are used.
    rules : dict, optional
        Overrides of :data:`BEHAVIOUR_RULES`.
    observation_end : date-like, optional
        Defaults to the last date in ``transactions``.
    customer_id_col, date_col, amount_col, order_id_col, promotion_col, discount_col : str
        Column names of ``transactions``.
    language : str, default "en"
        The language of ``result.attrs["rule"]``, the rule in words (``[lessons.rules]`` of
        the catalogue); the ``type`` codes stay as they are.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by ``customer_id``: ``customer_id``, ``type``
        (categorical, categories in rule order), ``orders``, ``orders_per_year``,
        ``interval_cv``, ``promotion_share``, ``basket_ratio``; ``attrs["rule"]`` says the
        rule in words.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or a rule name is unknown.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-06-01"]),
    ...     "amount": [10.0, 10.0, 10.0]})
    >>> behaviour_types(tx)["type"].tolist()
    ['wandering', 'need-based']
    """
    r = merge_rules(BEHAVIOUR_RULES, rules, "BEHAVIOUR_RULES")
    summary, end = summary_for(
        transactions,
        summary,
        observation_end,
        ["orders", "tenure_days", "average_order_value"],
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )

    out = pd.DataFrame(
        {
            "customer_id": summary[customer_id_col].astype("str").to_numpy(),
            "orders": pd.to_numeric(summary["orders"]).astype("int64").to_numpy(),
            "tenure_days": pd.to_numeric(summary["tenure_days"]).astype("float64").to_numpy(),
            "aov": pd.to_numeric(summary["average_order_value"]).astype("float64").to_numpy(),
        }
    )
    out["orders_per_year"] = out["orders"] / (out["tenure_days"] / 365.25).clip(lower=1.0)

    bought = purchases(
        transactions,
        observation_end=end,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    gaps = bought.groupby("customer_id")["date"].diff().dt.days
    stats = gaps.groupby(bought["customer_id"]).agg(["mean", lambda g: g.std(ddof=0), "count"])
    stats.columns = ["mean", "std", "count"]
    cv = (stats["std"] / stats["mean"]).where((stats["count"] >= 2) & (stats["mean"] > 0))
    out["interval_cv"] = out["customer_id"].map(cv).astype("float64")

    tx = transactions[transactions[date_col] <= end]
    if promotion_col in tx.columns:
        on_promo = tx[promotion_col].fillna(False).astype(bool)
        promotion = ("promotion_column", promotion_col)
    elif discount_col in tx.columns:
        on_promo = pd.to_numeric(tx[discount_col], errors="coerce").fillna(0) > 0
        promotion = ("promotion_discount", discount_col)
    else:
        on_promo = None
        promotion = None
    if on_promo is not None:
        amount = pd.to_numeric(tx[amount_col], errors="coerce")
        positive = amount.clip(lower=0)
        ids = tx[customer_id_col].astype("str")
        share = (positive * on_promo).groupby(ids).sum() / positive.groupby(ids).sum()
        out["promotion_share"] = out["customer_id"].map(share).astype("float64")
    else:
        out["promotion_share"] = np.nan

    median_aov = out.loc[out["orders"] > 0, "aov"].median()
    out["basket_ratio"] = (out["aov"] / median_aov).astype("float64")

    discount = out["promotion_share"] >= r["discount_min_promotion_share"]
    loyal = (out["orders_per_year"] >= r["loyal_min_orders_per_year"]) & (
        out["interval_cv"] <= r["loyal_max_interval_cv"]
    )
    wandering = out["orders"] <= r["wandering_max_orders"]
    impulse = (out["basket_ratio"] >= r["impulse_min_basket_ratio"]) | (
        out["interval_cv"] > r["impulse_min_interval_cv"]
    )
    out["type"] = pd.Categorical(
        np.select([discount, loyal, wandering, impulse], list(BEHAVIOUR_TYPES[:4]), default="need-based"),
        categories=list(BEHAVIOUR_TYPES),
    )
    out = out.sort_values("customer_id", kind="stable").reset_index(drop=True)
    out = out[
        ["customer_id", "type", "orders", "orders_per_year", "interval_cv", "promotion_share", "basket_ratio"]
    ]
    out.attrs["rule"] = _rule_in_words(r, promotion, language)
    return out
