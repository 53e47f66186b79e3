"""Exercises of lesson 07, who is still a customer.

Source: [fader-hardie-lee-2005] (the BG/NBD model and its calibration/holdout check).

Each expected answer is computed from the lesson's own data and model (``inputs``, ``model``,
``check``), so the checks hold on the sample business and on a client's export alike. Each
question lists the likely mistakes it recognises, with what to say about each.
"""

from __future__ import annotations

from loyalty_lessons.customer_base import customer_predictions
from loyalty_lessons.customer_base_check import model_check
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to

__all__ = ["q1", "q2", "q3", "q4", "q5"]

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


# --------------------------------------------------------------------------- q1

q1 = Exercise(
    variable="total_repeat_purchases",
    question=(
        "How many repeat purchases did the customers of this business make in all, as the model "
        "counts them (the summary's `frequency`)?"
    ),
    expected=lambda ns: float(_summary(ns)["frequency"].sum()),
    hint_text=(
        "A repeat purchase is any purchase after a customer's first one: the summary's `frequency` "
        "column counts them per customer. Add it up."
    ),
    solution_code='total_repeat_purchases = inputs.summary["frequency"].sum()',
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: float(_summary(ns)["frequency"].sum() + len(_summary(ns))),
            "you counted each customer's first purchase as a repeat purchase. The model only counts "
            "the purchases after the first one: the first tells it when someone became a customer.",
        ),
        Mistake(
            lambda ns: float(_summary(ns)["orders"].sum()),
            "`orders` counts every order, the first one included; the model's `frequency` leaves "
            "out each customer's first purchase.",
        ),
        Mistake(
            lambda ns: float((_summary(ns)["frequency"] > 0).sum()),
            "that is the number of customers who came back (repeat buyers), not the number of "
            "repeat purchases they made.",
        ),
    ),
    explain=lambda value: f"{value:,.0f} repeat purchases: the first purchases are not among them.",
)

# --------------------------------------------------------------------------- q2

q2 = Exercise(
    variable="p_alive_example",
    question=(
        f"A customer bought {Q2_HISTORY['purchases']} times in all, each on a different day, the "
        f"last one in week {Q2_HISTORY['last_purchase_week']} after the first. They became a customer "
        f"{Q2_HISTORY['weeks_as_customer']} weeks ago. What probability does the model fitted on this "
        "business (`model`, in weeks) give that they are still a customer? Give it between 0 and 1."
    ),
    expected=lambda ns: _p_alive(
        ns, Q2_HISTORY["purchases"] - 1, Q2_HISTORY["last_purchase_week"], Q2_HISTORY["weeks_as_customer"]
    ),
    hint_text=(
        "`model.probability_alive(frequency, recency, T)`: `frequency` is the number of repeat "
        "purchases (the first one left out), `recency` the week of the last purchase counted from "
        "the first, `T` the weeks since the first purchase, all in weeks."
    ),
    solution_code="p_alive_example = float(model.probability_alive(5, 30, 52))",
    compare=close_to(0.005),
    mistakes=(
        Mistake(
            lambda ns: _p_alive(
                ns, Q2_HISTORY["purchases"], Q2_HISTORY["last_purchase_week"], Q2_HISTORY["weeks_as_customer"]
            ),
            f"you counted the first purchase as a repeat purchase: {Q2_HISTORY['purchases']} purchases "
            f"in all are {Q2_HISTORY['purchases'] - 1} repeat purchases.",
        ),
        Mistake(
            lambda ns: _p_alive(
                ns,
                Q2_HISTORY["purchases"] - 1,
                7 * Q2_HISTORY["last_purchase_week"],
                7 * Q2_HISTORY["weeks_as_customer"],
            ),
            "you gave the model days; it counts time in weeks (`model.time_unit` is 'W'), so give it weeks.",
        ),
        Mistake(
            lambda ns: _p_alive(
                ns,
                Q2_HISTORY["purchases"] - 1,
                Q2_HISTORY["weeks_as_customer"] - Q2_HISTORY["last_purchase_week"],
                Q2_HISTORY["weeks_as_customer"],
            ),
            "`recency` is the time from the first purchase to the last one "
            f"({Q2_HISTORY['last_purchase_week']} weeks), not the time since the last one.",
        ),
        Mistake(
            lambda ns: (
                100
                * _p_alive(
                    ns,
                    Q2_HISTORY["purchases"] - 1,
                    Q2_HISTORY["last_purchase_week"],
                    Q2_HISTORY["weeks_as_customer"],
                )
            ),
            "that is a percentage; give the probability between 0 and 1.",
        ),
    ),
    explain=lambda value: f"The model gives this customer a {value:.0%} chance of still being a customer.",
)

# --------------------------------------------------------------------------- q3


def _silent(ns: dict):
    return _summary(ns)["days_since_last"] > 180


def _predicted_p_alive(ns: dict):
    return customer_predictions(_summary(ns), ns["model"])["p_alive"]


q3 = Exercise(
    variable="expected_active_silent",
    question=(
        "The 180-day rule calls every customer whose last purchase is more than 180 days old "
        "(`days_since_last > 180`) lost. Among those who made at least one repeat purchase, how "
        "many does the model expect to be still active? (The sum of their probabilities.)"
    ),
    expected=lambda ns: float(_predicted_p_alive(ns)[_silent(ns) & (_summary(ns)["frequency"] > 0)].sum()),
    hint_text=(
        "Select the rows of `predictions` where `inputs.summary['days_since_last'] > 180` and "
        "`inputs.summary['frequency'] > 0`, then add up their `p_alive`."
    ),
    solution_code="""
silent = inputs.summary["days_since_last"] > 180
repeat_buyer = inputs.summary["frequency"] > 0
expected_active_silent = predictions.loc[silent & repeat_buyer, "p_alive"].sum()
""",
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: float(_predicted_p_alive(ns)[_silent(ns)].sum()),
            "you included the one-time buyers. Without a repeat purchase the model gives P(alive) = 1 by "
            "construction (one can only leave after a repeat purchase), so each of them adds a whole "
            "customer: keep only the rows with `frequency > 0`.",
        ),
        Mistake(
            lambda ns: float(
                (_predicted_p_alive(ns)[_silent(ns) & (_summary(ns)["frequency"] > 0)] > 0.5).sum()
            ),
            "you counted the customers more likely active than not. The expected number is the sum "
            "of their probabilities: two customers at 50% make one expected customer.",
        ),
        Mistake(
            lambda ns: float((_silent(ns) & (_summary(ns)["frequency"] > 0)).sum()),
            "that is how many repeat buyers have been silent for 180 days, all of them counted as "
            "active; weigh each by their probability `p_alive`.",
        ),
    ),
    explain=lambda value: (
        f"About {value:,.0f} of the customers the 180-day rule calls lost are probably still customers."
    ),
)

# --------------------------------------------------------------------------- q4


def _weekly_p(ns: dict) -> float:
    h = Q4_HISTORY
    return _p_alive(ns, h["repeat_purchases"], h["last_purchase_week"], h["weeks_as_customer"])


def _call_a(ns: dict) -> str:
    p = _weekly_p(ns)
    if p < 0.5:
        return (
            "ten weeks is short for an occasional buyer, but this one bought every week: the model gives "
            f"them only a {p:.0%} chance of still being a customer. The 180-day rule would notice "
            "sixteen weeks too late."
        )
    return f"on these data the model still gives them a {p:.0%} chance of being a customer: no hurry."


def _call_b(ns: dict) -> str:
    p = _weekly_p(ns)
    if p < 0.5:
        return (
            f"for a weekly buyer ten weeks of silence is alarming: the model gives them a {p:.0%} chance "
            "of still being a customer, and they bought fifty times a year. A call costs little "
            "against what you may lose."
        )
    return (
        f"on these data the model still gives them a {p:.0%} chance of being a customer: a call can "
        "wait until the probability falls."
    )


def _call_c(ns: dict) -> str:
    return (
        f"the model gives a probability, not a verdict: {_weekly_p(ns):.0%} of customers with this "
        "history are still customers. Striking them off loses them for certain; a call may keep them."
    )


q4 = Exercise(
    variable="weekly_buyer_call",
    question=(
        f"A customer bought almost every week for a year: {Q4_HISTORY['repeat_purchases']} repeat "
        f"purchases, the last one in week {Q4_HISTORY['last_purchase_week']}. Today is week "
        f"{Q4_HISTORY['weeks_as_customer']}: they have not bought for ten weeks, and the 180-day rule "
        "still counts them as active. What do you do? Answer 'a', 'b' or 'c'.\n\n"
        "- **a** Nothing yet: ten weeks is far below 180 days.\n"
        "- **b** Call them now: for a weekly buyer ten weeks of silence is alarming.\n"
        "- **c** Strike them off the list: they have left for good."
    ),
    expected=lambda ns: "b" if _weekly_p(ns) < 0.5 else "a",
    hint_text=(
        "Ask the model: `model.probability_alive(50, 52, 62)`, in weeks. Then think of what the "
        "customer was worth, and what a call costs."
    ),
    solution_code="""
p_weekly = float(model.probability_alive(50, 52, 62))
weekly_buyer_call = "b" if p_weekly < 0.5 else "a"
""",
    choices={"a": _call_a, "b": _call_b, "c": _call_c},
)

# --------------------------------------------------------------------------- q5


def _strict_check(ns: dict):
    check = ns["check"]
    return model_check(
        ns["inputs"].transactions,
        calibration_end=check.calibration_end,
        holdout_end=check.holdout_end,
        time_unit=check.time_unit,
        tolerance=Q5_TOLERANCE,
    )


def _error(ns: dict) -> str:
    check = ns["check"]
    return (
        f"the model predicted {check.predicted_repeat_purchases:,.0f} repeat purchases for the holdout "
        f"period and {check.actual_repeat_purchases:,} happened, {abs(check.relative_error):.1%} off"
    )


q5 = Exercise(
    variable="act_at_5_percent",
    question=(
        "The client's finance director will act on the model only if its prediction of the holdout "
        f"period's repeat purchases is within {Q5_TOLERANCE:.0%} of what happened, instead of the "
        "lesson's 10%; within twice that, they will use it with care. Reading the model check above, "
        "what does their rule say? Answer 'a', 'b', 'c' or 'd'.\n\n"
        "- **a** Good: act on the model.\n"
        "- **b** Fair: use its figures with care.\n"
        "- **c** Poor: do not act on it, use the fixed rules.\n"
        "- **d** The holdout period is too short to tell."
    ),
    expected=lambda ns: _VERDICT_OPTION[_strict_check(ns).verdict],
    hint_text=(
        "The check's message says how far off the total was (`check.relative_error`). Compare it "
        f"with {Q5_TOLERANCE:.0%} and with twice that; or run `ll.model_check(...)` again with "
        f"`tolerance={Q5_TOLERANCE}` and the same dates."
    ),
    solution_code=f"""
strict = ll.model_check(inputs.transactions, calibration_end=check.calibration_end,
                        holdout_end=check.holdout_end, tolerance={Q5_TOLERANCE})
act_at_5_percent = {{"good": "a", "fair": "b", "poor": "c", "not enough data": "d"}}[strict.verdict]
""",
    choices={
        "a": lambda ns: f"'good' needs the total within ±{Q5_TOLERANCE:.0%}: {_error(ns)}.",
        "b": lambda ns: (
            f"'fair' means within ±{2 * Q5_TOLERANCE:.0%} but not ±{Q5_TOLERANCE:.0%}: {_error(ns)}."
        ),
        "c": lambda ns: f"'poor' means more than ±{2 * Q5_TOLERANCE:.0%} off: {_error(ns)}.",
        "d": lambda ns: (
            "the check needs at least 30 repeat purchases in the holdout period to tell; "
            f"{ns['check'].actual_repeat_purchases:,} happened."
        ),
    },
)
