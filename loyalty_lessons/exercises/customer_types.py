"""Exercises of lesson 02, customer types: ``q1`` to ``q5``.

Each expected answer is computed from the exercise notebook's data (``inputs``,
``complaints_inputs``), so the exercises hold on the sample business and on a client's
transactions alike. Notebook: ``notebooks/exercises/02-customer-types-exercises.ipynb``.
"""

from __future__ import annotations

from loyalty_lessons.customer_types.classify import classify_customers
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal

__all__ = ["LAPSED_AFTER_DAYS_Q1", "q1", "q2", "q3", "q4", "q5"]

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


q1 = Exercise(
    variable="lapsed_90",
    question=(
        f"If a customer counted as lapsed (likely dissatisfied) after more than {LAPSED_AFTER_DAYS_Q1} "
        "days without a purchase, instead of 180, how many customers would be lapsed?"
    ),
    expected=lambda ns: _lapsed(ns, LAPSED_AFTER_DAYS_Q1),
    hint_text=(
        "Count the customers of `inputs.summary` whose `days_since_last` is above "
        f"{LAPSED_AFTER_DAYS_Q1} (the lapsed rule is tried first), or classify again with "
        f'`ll.classify_customers(..., rules={{"lapsed_after_days": {LAPSED_AFTER_DAYS_Q1}}})` and '
        'count the "dissatisfied" rows.'
    ),
    solution_code=f'lapsed_90 = int((inputs.summary["days_since_last"] > {LAPSED_AFTER_DAYS_Q1}).sum())\n',
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: int((_days(ns) >= LAPSED_AFTER_DAYS_Q1).sum()),
            f"you counted the customers at exactly {LAPSED_AFTER_DAYS_Q1} days too: lapsed means "
            f"*more than* {LAPSED_AFTER_DAYS_Q1} days, so `>`, not `>=`.",
        ),
        Mistake(
            lambda ns: _lapsed(ns, 180),
            "that is the count at the default threshold of 180 days; the question changes it.",
        ),
        Mistake(
            lambda ns: int(len(ns["inputs"].summary) - (_days(ns) > LAPSED_AFTER_DAYS_Q1).sum()),
            "that is the customers who bought in the last days, the other side of the threshold.",
        ),
    ),
    explain=lambda value: (
        f"{value:,} customers: a shorter patience counts more customers as lost, which is why "
        "the threshold should match how often customers of the trade normally buy."
    ),
)

q2 = Exercise(
    variable="promotion_regulars_share",
    question=(
        "What share of the customers (between 0 and 1) bought on promotion at least twice? The "
        "`promotion` column of `inputs.transactions` is True for an order on promotion."
    ),
    expected=lambda ns: float((_promotion_orders(ns) >= 2).sum() / len(ns["inputs"].summary)),
    hint_text=(
        "Keep the rows on promotion, count them per customer with "
        '`.groupby("customer_id").size()` (or `["customer_id"].value_counts()`), keep the counts '
        "of 2 or more, and divide their number by the number of customers (`len(inputs.summary)`)."
    ),
    solution_code=(
        'on_promotion = inputs.transactions[inputs.transactions["promotion"]]\n'
        'per_customer = on_promotion["customer_id"].value_counts()\n'
        "promotion_regulars_share = (per_customer >= 2).sum() / len(inputs.summary)\n"
    ),
    compare=close_to(0.005),
    mistakes=(
        Mistake(
            lambda ns: float((_promotion_orders(ns) >= 1).sum() / len(ns["inputs"].summary)),
            "that is the share who bought on promotion at least once; the question asks for twice.",
        ),
        Mistake(
            lambda ns: float((_promotion_orders(ns) > 2).sum() / len(ns["inputs"].summary)),
            "you left out the customers with exactly two orders on promotion: at least twice "
            "includes two (`>= 2`).",
        ),
        Mistake(
            lambda ns: float(ns["inputs"].transactions["promotion"].mean()),
            "that is the share of rows (orders) on promotion, not of customers.",
        ),
        Mistake(
            lambda ns: float((_promotion_orders(ns) >= 2).sum()),
            "that is the number of customers; divide it by the number of all customers.",
        ),
    ),
    explain=lambda value: (
        f"{value:.1%} of the customers bought on promotion at least twice; whether they come "
        "*only* for promotions is another question (the discount behaviour of the lesson)."
    ),
)

q3 = Exercise(
    variable="regular_median_revenue",
    question=(
        'What is the median net revenue, in euros, of the regular customers (type "loyal" in `types`)?'
    ),
    expected=lambda ns: float(_typed_revenue(ns).loc[lambda t: t["type"] == "loyal", "revenue"].median()),
    hint_text=(
        'Join the types to the summary with `types[["customer_id", "type"]].merge(inputs.summary, '
        'on="customer_id")`, keep the rows whose `type` is "loyal" and take the `.median()` of '
        "their `revenue`."
    ),
    solution_code=(
        'typed = types[["customer_id", "type"]].merge(inputs.summary, on="customer_id")\n'
        'regular_median_revenue = typed.loc[typed["type"] == "loyal", "revenue"].median()\n'
    ),
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: float(_typed_revenue(ns).loc[lambda t: t["type"] == "loyal", "revenue"].mean()),
            "that is the mean, which the few biggest customers pull up; the median is the customer "
            "in the middle.",
        ),
        Mistake(
            lambda ns: float(ns["inputs"].summary["revenue"].median()),
            'that is the median of every customer; keep the regular ones (type "loyal").',
        ),
        Mistake(
            lambda ns: float(_typed_revenue(ns).loc[lambda t: t["type"] == "satisfied", "revenue"].median()),
            'that is the median of the occasional customers (type "satisfied"); the regular '
            'ones are type "loyal".',
        ),
    ),
    explain=lambda value: (
        f"Half the regular customers brought more than {value:,.2f} euros, half less. Set it "
        "beside their mean: when a few regulars bring a lot, the mean is well above the median."
    ),
)

q4 = Exercise(
    variable="complainers_lapsed_share",
    question=(
        "Of the customers who complained at least once, what share (between 0 and 1) have lapsed "
        'by the end of the data (type "dissatisfied" in `complaint_types`)?'
    ),
    expected=lambda ns: float((_complaint_types(ns).loc[_complainers(ns)] == "dissatisfied").mean()),
    hint_text=(
        "Take the distinct complaining customers, "
        '`complaints_inputs.complaints["customer_id"].unique()`, look up their type in '
        '`complaint_types.set_index("customer_id")["type"]` and take the share that is "dissatisfied".'
    ),
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
            "that is the share of complaints made by lapsed customers; the question counts "
            "complainers, each once however often they complained.",
        ),
        Mistake(
            lambda ns: float((_complaint_types(ns) == "dissatisfied").mean()),
            "that is the share of all customers who have lapsed; keep those who complained.",
        ),
        Mistake(
            lambda ns: float(
                _complaint_types(ns).loc[lambda t: t == "dissatisfied"].index.isin(_complainers(ns)).mean()
            ),
            "that is the other way round: the share of lapsed customers who complained.",
        ),
    ),
    explain=lambda value: (
        f"{value:.1%} of the complainers have lapsed. The reverse share, the lapsed customers "
        "who ever complained, is another figure: the lapsed row of the lesson's complaints "
        "table gives it (`share_complained`)."
    ),
)

q5 = Exercise(
    variable="uplift_reading",
    question=(
        "The lesson's first uplift compares regular and occasional customers over the same months "
        "that typed them, and finds that regulars spent much more per month. What does that figure "
        "show?"
    ),
    expected=lambda ns: "c",
    hint_text="How was a customer typed regular in the first place?",
    solution_code='uplift_reading = "c"',
    choices={
        "a": (
            "only if the figure measured what loyalty does; but regulars were typed on buying "
            "often over those very months, so they spent more almost by definition, and an "
            "association is not a cause anyway."
        ),
        "b": (
            "the 46% was measured on emotional attachment, asked in a survey and quoted second-hand; "
            "this figure is about purchases, typed from the purchases themselves. Being close to it "
            "confirms nothing."
        ),
        "c": (
            "a customer is typed regular because they bought often, over the months compared, so "
            "the figure is partly true by definition. The fairer test types customers at a split "
            "date and compares what they spend after it, and even that shows an association."
        ),
        "d": (
            "a till records behaviour, and the figure describes it correctly; what it cannot do "
            "is measure the value of loyalty. It is not nothing: it is a description."
        ),
    },
)
