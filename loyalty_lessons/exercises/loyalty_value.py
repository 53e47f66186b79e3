"""Exercises of lesson 04, loyalty-value math ([fr-loyalty-value], [it-loyalty-steps] and [ru-loyalty-tips]).

The expected answers are computed from the exercise notebook's own variables: ``figures``
(the business's figures, :func:`loyalty_lessons.loyalty_value.business_figures`) and the
settings ``margin`` and ``discount_rate``, so the checks hold on a client's data too. The
questions ask for figures the lesson does not print (three years, not five; a regular
customer's lifetime value, not the average customer's), so that none can be copied from it.
Each question lists the mistakes a student is likely to make, each with its own feedback. The
texts are the catalogue's ``[exercises.loyalty_value]``; ``questions(language)`` gives the
questions in a language.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to
from loyalty_lessons.exercises._texts import Texts
from loyalty_lessons.loyalty_value.lifetime import customer_lifetime_value

__all__ = [
    "GAP_YEARS",
    "HORIZON_YEARS",
    "MARGIN_POINTS",
    "RETENTION_POINTS",
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "questions",
]

#: Years of q1's spending gap (the lesson shows five).
GAP_YEARS = 3
#: Years after which q2 counts the customers left.
HORIZON_YEARS = 3
#: q4's two levers: points of margin, points of yearly retention.
MARGIN_POINTS, RETENTION_POINTS = 10, 5


def _monthly_gap(ns: dict) -> float:
    figures = ns["figures"]
    return float(figures.monthly_spend_loyal - figures.monthly_spend_satisfied)


# --------------------------------------------------------------------------- q1

# --------------------------------------------------------------------------- q2


def _left(ns: dict, customers: float, retention: float, years: int) -> float:
    return float(customers * retention**years)


# --------------------------------------------------------------------------- q3


def _regular_margin(ns: dict) -> float:
    return 12 * float(ns["figures"].monthly_spend_loyal) * ns["margin"]


def _clv(ns: dict, yearly_margin: float, discount_rate: float | None = None) -> float:
    rate = ns["discount_rate"] if discount_rate is None else discount_rate
    return float(customer_lifetime_value(yearly_margin, float(ns["figures"].yearly_retention), rate))


# --------------------------------------------------------------------------- q4


def _lever_gains(ns: dict) -> tuple[float, float]:
    """What ten points of margin and five points of retention add to an average customer's value."""
    spend = 12 * float(ns["figures"].monthly_spend)
    margin, rate = ns["margin"], ns["discount_rate"]
    retention = float(ns["figures"].yearly_retention)
    now = customer_lifetime_value(spend * margin, retention, rate)
    more_margin = customer_lifetime_value(spend * (margin + MARGIN_POINTS / 100), retention, rate)
    # Capped below 1 on a client's data with a retention already above 95%.
    raised = min(retention + RETENTION_POINTS / 100, 0.99)
    more_retention = customer_lifetime_value(spend * margin, raised, rate)
    return float(more_margin - now), float(more_retention - now)


def _best_lever(ns: dict) -> str:
    by_margin, by_retention = _lever_gains(ns)
    if abs(by_margin - by_retention) < 0.05 * max(abs(by_margin), abs(by_retention), 1e-9):
        return "c"
    return "a" if by_margin > by_retention else "b"


# --------------------------------------------------------------------------- the questions


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("loyalty_value", language)
    q1 = Exercise(
        variable="three_year_gap",
        question=t("q1.question", years=GAP_YEARS),
        expected=lambda ns: _monthly_gap(ns) * 12 * GAP_YEARS,
        hint_text=t("q1.hint"),
        solution_code=(
            "three_year_gap = (figures.monthly_spend_loyal - figures.monthly_spend_satisfied) * 12 * 3"
        ),
        compare=close_to(0.5),
        mistakes=(
            Mistake(lambda ns: _monthly_gap(ns) * GAP_YEARS, t("q1.mistakes.months")),
            Mistake(lambda ns: _monthly_gap(ns) * 12, t("q1.mistakes.one_year", years=GAP_YEARS)),
            Mistake(lambda ns: _monthly_gap(ns) * 12 * 5, t("q1.mistakes.five_years", years=GAP_YEARS)),
            Mistake(lambda ns: -_monthly_gap(ns) * 12 * GAP_YEARS, t("q1.mistakes.reversed")),
        ),
        explain=lambda value: t("q1.explain", years=GAP_YEARS, amount=t.number(value)),
        language=language,
    )
    q2 = Exercise(
        variable="customers_left",
        question=t("q2.question", years=HORIZON_YEARS),
        expected=lambda ns: _left(
            ns, ns["figures"].active_customers, ns["figures"].yearly_retention, HORIZON_YEARS
        ),
        hint_text=t("q2.hint"),
        solution_code="customers_left = figures.active_customers * figures.yearly_retention ** 3",
        compare=close_to(0.5),
        mistakes=(
            Mistake(
                lambda ns: _left(
                    ns, ns["figures"].active_customers, 1 - ns["figures"].yearly_retention, HORIZON_YEARS
                ),
                t("q2.mistakes.leavers"),
            ),
            Mistake(
                lambda ns: float(
                    ns["figures"].active_customers
                    * (1 - HORIZON_YEARS * (1 - ns["figures"].yearly_retention))
                ),
                t("q2.mistakes.same_number"),
            ),
            Mistake(
                lambda ns: _left(ns, ns["figures"].customers, ns["figures"].yearly_retention, HORIZON_YEARS),
                t("q2.mistakes.every_customer"),
            ),
            Mistake(
                lambda ns: _left(
                    ns, ns["figures"].active_customers, ns["figures"].yearly_retention, HORIZON_YEARS - 1
                ),
                t("q2.mistakes.one_year_short", fewer=HORIZON_YEARS - 1, years=HORIZON_YEARS),
            ),
        ),
        explain=lambda value: t("q2.explain", count=t.number(value)),
        language=language,
    )
    q3 = Exercise(
        variable="regular_lifetime_value",
        question=t("q3.question"),
        expected=lambda ns: _clv(ns, _regular_margin(ns)),
        hint_text=t("q3.hint"),
        solution_code="""
m = 12 * figures.monthly_spend_loyal * margin
r, i = figures.yearly_retention, discount_rate
regular_lifetime_value = m * (1 + i) / (1 + i - r)
""",
        compare=close_to(0.5),
        mistakes=(
            Mistake(
                lambda ns: (
                    _regular_margin(ns)
                    * ns["figures"].yearly_retention
                    / (1 + ns["discount_rate"] - ns["figures"].yearly_retention)
                ),
                t("q3.mistakes.end_of_year"),
            ),
            Mistake(
                lambda ns: _clv(ns, _regular_margin(ns), discount_rate=0.0), t("q3.mistakes.undiscounted")
            ),
            Mistake(lambda ns: _clv(ns, _regular_margin(ns) / 12), t("q3.mistakes.monthly")),
            Mistake(lambda ns: _clv(ns, _regular_margin(ns) / ns["margin"]), t("q3.mistakes.spend")),
            Mistake(
                lambda ns: _clv(ns, 12 * float(ns["figures"].monthly_spend) * ns["margin"]),
                t("q3.mistakes.average"),
            ),
        ),
        explain=lambda value: t("q3.explain", amount=t.number(value)),
        language=language,
    )

    def levers(ns: dict) -> str:
        by_margin, by_retention = _lever_gains(ns)
        return t(
            "q4.levers",
            margin=MARGIN_POINTS,
            retention=RETENTION_POINTS,
            by_margin=t.number(by_margin),
            by_retention=t.number(by_retention),
        )

    def bigger(ns: dict, option: str) -> str:
        return t("q4.bigger" if _best_lever(ns) == option else "q4.not_bigger")

    q4 = Exercise(
        variable="better_lever",
        question=t("q4.question", margin=MARGIN_POINTS, retention=RETENTION_POINTS),
        expected=_best_lever,
        hint_text=t("q4.hint"),
        solution_code=f"""
spend = 12 * figures.monthly_spend
r = figures.yearly_retention
now = ll.customer_lifetime_value(spend * margin, r, discount_rate)
by_margin = ll.customer_lifetime_value(spend * (margin + {MARGIN_POINTS / 100}), r, discount_rate) - now
by_retention = ll.customer_lifetime_value(spend * margin, r + {RETENTION_POINTS / 100}, discount_rate) - now
if abs(by_margin - by_retention) < 0.05 * max(abs(by_margin), abs(by_retention)):
    better_lever = "c"
else:
    better_lever = "a" if by_margin > by_retention else "b"
""",
        choices={
            "a": lambda ns: t("q4.choices.a", levers=levers(ns), bigger=bigger(ns, "a")),
            "b": lambda ns: t("q4.choices.b", levers=levers(ns), bigger=bigger(ns, "b")),
            "c": lambda ns: t("q4.choices.c", levers=levers(ns)),
        },
        options=t.table("q4.options", margin=MARGIN_POINTS, retention=RETENTION_POINTS),
        language=language,
    )
    q5 = Exercise(
        variable="what_the_gap_shows",
        question=t("q5.question"),
        expected=lambda ns: "b",
        hint_text=t("q5.hint"),
        solution_code='what_the_gap_shows = "b"',
        choices=t.table("q5.choices"),
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
