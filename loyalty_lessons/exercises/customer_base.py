"""Exercises of lesson 07, who is still a customer.

Source: [fader-hardie-lee-2005] (the BG/NBD model and its calibration/holdout check).

Each expected answer is computed from the lesson's own data and model (``inputs``, ``model``,
``check``), so the checks hold on the sample business and on a client's export alike. Each
question lists the likely mistakes it recognises, with what to say about each. The texts are
the catalogue's ``[exercises.customer_base]``; ``questions(language)`` gives the questions in
a language.
"""

from __future__ import annotations

from loyalty_lessons.customer_base import customer_predictions
from loyalty_lessons.customer_base_check import model_check
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to
from loyalty_lessons.exercises._texts import Texts

__all__ = ["describe_check", "q1", "q2", "q3", "q4", "q5", "questions"]

#: The history of q2: purchases in all (the first one included), week of the last one, weeks as a customer.
Q2_HISTORY = {"purchases": 6, "last_purchase_week": 30, "weeks_as_customer": 52}
#: The weekly buyer of q4: repeat purchases, week of the last one, weeks as a customer.
Q4_HISTORY = {"repeat_purchases": 50, "last_purchase_week": 52, "weeks_as_customer": 62}
#: The finance director's tolerance of q5.
Q5_TOLERANCE = 0.05
#: The model check's verdicts as q5's options.
_VERDICT_OPTION = {"good": "a", "fair": "b", "poor": "c", "not enough data": "d"}


def _summary(ns: dict):
    return ns["inputs"].summary


def _p_alive(ns: dict, frequency: float, recency: float, T: float) -> float:
    return float(ns["model"].probability_alive(frequency, recency, T))


# --------------------------------------------------------------------------- q3


def _silent(ns: dict):
    return _summary(ns)["days_since_last"] > 180


def _predicted_p_alive(ns: dict):
    return customer_predictions(_summary(ns), ns["model"])["p_alive"]


def _weekly_p(ns: dict) -> float:
    h = Q4_HISTORY
    return _p_alive(ns, h["repeat_purchases"], h["last_purchase_week"], h["weeks_as_customer"])


def _strict_check(ns: dict):
    check = ns["check"]
    return model_check(
        ns["inputs"].transactions,
        calibration_end=check.calibration_end,
        holdout_end=check.holdout_end,
        time_unit=check.time_unit,
        tolerance=Q5_TOLERANCE,
    )


# --------------------------------------------------------------------------- the questions


def describe_check(check, language: str = "en") -> str:
    """The line the exercise notebook prints under its setup: what the model check found."""
    t = Texts("customer_base", language)
    verdict = t(f"verdicts.{_VERDICT_OPTION[check.verdict]}")
    dates = {"calibration_end": t.date(check.calibration_end), "holdout_end": t.date(check.holdout_end)}
    if check.verdict == "not enough data":
        return t("check_not_enough", actual=t.number(check.actual_repeat_purchases), verdict=verdict, **dates)
    return t("check", error=_error(t, check), verdict=verdict, **dates)


def _error(t: Texts, check) -> str:
    return t(
        "error",
        predicted=t.number(check.predicted_repeat_purchases),
        actual=t.number(check.actual_repeat_purchases),
        off=t.percent(abs(check.relative_error), 1),
    )


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("customer_base", language)
    h2 = Q2_HISTORY
    q1 = Exercise(
        variable="total_repeat_purchases",
        question=t("q1.question"),
        expected=lambda ns: float(_summary(ns)["frequency"].sum()),
        hint_text=t("q1.hint"),
        solution_code='total_repeat_purchases = inputs.summary["frequency"].sum()',
        compare=close_to(0.5),
        mistakes=(
            Mistake(
                lambda ns: float(_summary(ns)["frequency"].sum() + len(_summary(ns))),
                t("q1.mistakes.first_purchase"),
            ),
            Mistake(lambda ns: float(_summary(ns)["orders"].sum()), t("q1.mistakes.orders")),
            Mistake(lambda ns: float((_summary(ns)["frequency"] > 0).sum()), t("q1.mistakes.repeat_buyers")),
        ),
        explain=lambda value: t("q1.explain", count=t.number(value)),
        language=language,
    )
    q2 = Exercise(
        variable="p_alive_example",
        question=t(
            "q2.question",
            purchases=h2["purchases"],
            last=h2["last_purchase_week"],
            weeks=h2["weeks_as_customer"],
        ),
        expected=lambda ns: _p_alive(
            ns, h2["purchases"] - 1, h2["last_purchase_week"], h2["weeks_as_customer"]
        ),
        hint_text=t("q2.hint"),
        solution_code="p_alive_example = float(model.probability_alive(5, 30, 52))",
        compare=close_to(0.005),
        mistakes=(
            Mistake(
                lambda ns: _p_alive(ns, h2["purchases"], h2["last_purchase_week"], h2["weeks_as_customer"]),
                t("q2.mistakes.first_purchase", purchases=h2["purchases"], repeat=h2["purchases"] - 1),
            ),
            Mistake(
                lambda ns: _p_alive(
                    ns, h2["purchases"] - 1, 7 * h2["last_purchase_week"], 7 * h2["weeks_as_customer"]
                ),
                t("q2.mistakes.days"),
            ),
            Mistake(
                lambda ns: _p_alive(
                    ns,
                    h2["purchases"] - 1,
                    h2["weeks_as_customer"] - h2["last_purchase_week"],
                    h2["weeks_as_customer"],
                ),
                t("q2.mistakes.recency", last=h2["last_purchase_week"]),
            ),
            Mistake(
                lambda ns: (
                    100 * _p_alive(ns, h2["purchases"] - 1, h2["last_purchase_week"], h2["weeks_as_customer"])
                ),
                t("q2.mistakes.percentage"),
            ),
        ),
        explain=lambda value: t("q2.explain", chance=t.percent(value)),
        language=language,
    )
    q3 = Exercise(
        variable="expected_active_silent",
        question=t("q3.question"),
        expected=lambda ns: float(
            _predicted_p_alive(ns)[_silent(ns) & (_summary(ns)["frequency"] > 0)].sum()
        ),
        hint_text=t("q3.hint"),
        solution_code="""
silent = inputs.summary["days_since_last"] > 180
repeat_buyer = inputs.summary["frequency"] > 0
expected_active_silent = predictions.loc[silent & repeat_buyer, "p_alive"].sum()
""",
        compare=close_to(0.5),
        mistakes=(
            Mistake(
                lambda ns: float(_predicted_p_alive(ns)[_silent(ns)].sum()), t("q3.mistakes.one_time_buyers")
            ),
            Mistake(
                lambda ns: float(
                    (_predicted_p_alive(ns)[_silent(ns) & (_summary(ns)["frequency"] > 0)] > 0.5).sum()
                ),
                t("q3.mistakes.more_likely"),
            ),
            Mistake(
                lambda ns: float((_silent(ns) & (_summary(ns)["frequency"] > 0)).sum()),
                t("q3.mistakes.all_active"),
            ),
        ),
        explain=lambda value: t("q3.explain", count=t.number(value)),
        language=language,
    )
    h4 = Q4_HISTORY

    def call(option: str):
        def explanation(ns: dict) -> str:
            p = _weekly_p(ns)
            likely_gone = "gone" if p < 0.5 else "alive"
            key = f"q4.choices.{option}" if option == "c" else f"q4.choices.{option}_{likely_gone}"
            return t(key, chance=t.percent(p))

        return explanation

    q4 = Exercise(
        variable="weekly_buyer_call",
        question=t(
            "q4.question",
            repeat=h4["repeat_purchases"],
            last=h4["last_purchase_week"],
            today=h4["weeks_as_customer"],
        ),
        expected=lambda ns: "b" if _weekly_p(ns) < 0.5 else "a",
        hint_text=t("q4.hint"),
        solution_code="""
p_weekly = float(model.probability_alive(50, 52, 62))
weekly_buyer_call = "b" if p_weekly < 0.5 else "a"
""",
        choices={option: call(option) for option in ("a", "b", "c")},
        options=t.table("q4.options"),
        language=language,
    )
    within, twice = t.percent(Q5_TOLERANCE), t.percent(2 * Q5_TOLERANCE)

    def verdict(option: str):
        def explanation(ns: dict) -> str:
            check = ns["check"]
            return t(
                f"q5.choices.{option}",
                within=within,
                twice=twice,
                error=_error(t, check),
                actual=t.number(check.actual_repeat_purchases),
            )

        return explanation

    q5 = Exercise(
        variable="act_at_5_percent",
        question=t("q5.question", within=within, lesson=t.percent(0.10)),
        expected=lambda ns: _VERDICT_OPTION[_strict_check(ns).verdict],
        hint_text=t("q5.hint", within=within, tolerance=Q5_TOLERANCE),
        solution_code=f"""
strict = ll.model_check(inputs.transactions, calibration_end=check.calibration_end,
                        holdout_end=check.holdout_end, tolerance={Q5_TOLERANCE})
act_at_5_percent = {{"good": "a", "fair": "b", "poor": "c", "not enough data": "d"}}[strict.verdict]
""",
        choices={option: verdict(option) for option in ("a", "b", "c", "d")},
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
