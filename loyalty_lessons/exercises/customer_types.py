"""Exercises of lesson 02, customer types: ``q1`` to ``q5``.

Each expected answer is computed from the exercise notebook's data (``inputs``,
``complaints_inputs``), so the exercises hold on the sample business and on a client's
transactions alike. Notebook: ``notebooks/exercises/02-customer-types-exercises.ipynb``. The
texts are the catalogue's ``[exercises.customer_types]``; ``questions(language)`` gives the
questions in a language.
"""

from __future__ import annotations

from loyalty_lessons.customer_types.classify import classify_customers
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.exercises._texts import Texts

__all__ = ["LAPSED_AFTER_DAYS_Q1", "q1", "q2", "q3", "q4", "q5", "questions"]

#: The changed threshold of question 1, in days without a purchase.
LAPSED_AFTER_DAYS_Q1 = 90


def _types(inputs, rules: dict | None = None):
    return classify_customers(
        inputs.summary, transactions=inputs.transactions, rules=rules, observation_end=inputs.observation_end
    )


def _days(ns: dict):
    return ns["inputs"].summary["days_since_last"]


def _lapsed(ns: dict, days: int) -> int:
    types = _types(ns["inputs"], {"lapsed_after_days": days})
    return int((types["type"] == "dissatisfied").sum())


def _promotion_rows(ns: dict):
    tx = ns["inputs"].transactions
    return tx[tx["promotion"]]


def _promotion_orders(ns: dict):
    """The number of rows on promotion of each customer who has any."""
    return _promotion_rows(ns)["customer_id"].value_counts()


def _typed_revenue(ns: dict):
    return _types(ns["inputs"])[["customer_id", "type"]].merge(ns["inputs"].summary, on="customer_id")


def _complaint_types(ns: dict):
    """Each customer's type (lapsed, occasional, regular) in the complaints' business, by customer."""
    return _types(ns["complaints_inputs"]).set_index("customer_id")["type"].astype("str")


def _complainers(ns: dict):
    return ns["complaints_inputs"].complaints["customer_id"].unique()


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("customer_types", language)
    days = LAPSED_AFTER_DAYS_Q1
    q1 = Exercise(
        variable="lapsed_90",
        question=t("q1.question", days=days),
        expected=lambda ns: _lapsed(ns, days),
        hint_text=t("q1.hint", days=days),
        solution_code=f'lapsed_90 = int((inputs.summary["days_since_last"] > {days}).sum())\n',
        compare=equal,
        mistakes=(
            Mistake(lambda ns: int((_days(ns) >= days).sum()), t("q1.mistakes.at_threshold", days=days)),
            Mistake(lambda ns: _lapsed(ns, 180), t("q1.mistakes.default")),
            Mistake(
                lambda ns: int(len(ns["inputs"].summary) - (_days(ns) > days).sum()),
                t("q1.mistakes.other_side"),
            ),
        ),
        explain=lambda value: t("q1.explain", count=t.number(value)),
        language=language,
    )
    q2 = Exercise(
        variable="promotion_regulars_share",
        question=t("q2.question"),
        expected=lambda ns: float((_promotion_orders(ns) >= 2).sum() / len(ns["inputs"].summary)),
        hint_text=t("q2.hint"),
        solution_code=(
            'on_promotion = inputs.transactions[inputs.transactions["promotion"]]\n'
            'per_customer = on_promotion["customer_id"].value_counts()\n'
            "promotion_regulars_share = (per_customer >= 2).sum() / len(inputs.summary)\n"
        ),
        compare=close_to(0.005),
        mistakes=(
            Mistake(
                lambda ns: float((_promotion_orders(ns) >= 1).sum() / len(ns["inputs"].summary)),
                t("q2.mistakes.once"),
            ),
            Mistake(
                lambda ns: float((_promotion_orders(ns) > 2).sum() / len(ns["inputs"].summary)),
                t("q2.mistakes.more_than_twice"),
            ),
            Mistake(lambda ns: float(ns["inputs"].transactions["promotion"].mean()), t("q2.mistakes.rows")),
            Mistake(lambda ns: float((_promotion_orders(ns) >= 2).sum()), t("q2.mistakes.count")),
        ),
        explain=lambda value: t("q2.explain", share=t.percent(value, 1)),
        language=language,
    )
    q3 = Exercise(
        variable="regular_median_revenue",
        question=t("q3.question"),
        expected=lambda ns: float(_typed_revenue(ns).loc[lambda t: t["type"] == "loyal", "revenue"].median()),
        hint_text=t("q3.hint"),
        solution_code=(
            'typed = types[["customer_id", "type"]].merge(inputs.summary, on="customer_id")\n'
            'regular_median_revenue = typed.loc[typed["type"] == "loyal", "revenue"].median()\n'
        ),
        compare=close_to(0.5),
        mistakes=(
            Mistake(
                lambda ns: float(_typed_revenue(ns).loc[lambda t: t["type"] == "loyal", "revenue"].mean()),
                t("q3.mistakes.mean"),
            ),
            Mistake(lambda ns: float(ns["inputs"].summary["revenue"].median()), t("q3.mistakes.everyone")),
            Mistake(
                lambda ns: float(
                    _typed_revenue(ns).loc[lambda t: t["type"] == "satisfied", "revenue"].median()
                ),
                t("q3.mistakes.occasional"),
            ),
        ),
        explain=lambda value: t("q3.explain", amount=t.money(value)),
        language=language,
    )
    q4 = Exercise(
        variable="complainers_lapsed_share",
        question=t("q4.question"),
        expected=lambda ns: float((_complaint_types(ns).loc[_complainers(ns)] == "dissatisfied").mean()),
        hint_text=t("q4.hint"),
        solution_code=(
            'complainers = complaints_inputs.complaints["customer_id"].unique()\n'
            'type_of = complaint_types.set_index("customer_id")["type"]\n'
            'complainers_lapsed_share = (type_of.loc[complainers] == "dissatisfied").mean()\n'
        ),
        compare=close_to(0.005),
        mistakes=(
            Mistake(
                lambda ns: float(
                    (
                        _complaint_types(ns).loc[ns["complaints_inputs"].complaints["customer_id"]].to_numpy()
                        == "dissatisfied"
                    ).mean()
                ),
                t("q4.mistakes.complaints"),
            ),
            Mistake(
                lambda ns: float((_complaint_types(ns) == "dissatisfied").mean()), t("q4.mistakes.everyone")
            ),
            Mistake(
                lambda ns: float(
                    _complaint_types(ns)
                    .loc[lambda t: t == "dissatisfied"]
                    .index.isin(_complainers(ns))
                    .mean()
                ),
                t("q4.mistakes.reverse"),
            ),
        ),
        explain=lambda value: t("q4.explain", share=t.percent(value, 1)),
        language=language,
    )
    q5 = Exercise(
        variable="uplift_reading",
        question=t("q5.question"),
        expected=lambda ns: "c",
        hint_text=t("q5.hint"),
        solution_code='uplift_reading = "c"',
        choices=t.table("q5.choices"),
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
