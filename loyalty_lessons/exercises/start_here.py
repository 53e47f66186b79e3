"""Exercises of lesson 00, start here: reading a load report, counting customers, refunds.

The expected answers come from the exercise notebook's own variables (``report``, the load
report of the small export it writes, and ``inputs``), never from fixed figures. Notebook:
``notebooks/exercises/00-start-here-exercises.ipynb``.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal

__all__ = ["q1", "q2", "q3", "q4", "q5"]

#: The year of question 3.
YEAR_Q3 = 2025


def _transactions(ns: dict):
    return ns["inputs"].transactions


def _year(ns: dict):
    tx = _transactions(ns)
    return tx.loc[tx["date"].dt.year == YEAR_Q3, "amount"]


q1 = Exercise(
    variable="rows_set_aside",
    question=(
        "How many rows of the till export above did the loader set aside? Read it from the "
        "load report, `report`."
    ),
    expected=lambda ns: int(ns["report"].rows_rejected),
    hint_text=(
        "Display `report` in a cell of its own and read the line *rows set aside*; or count the "
        "rows of `report.rejected`. Duplicates and refunds are kept, only counted."
    ),
    solution_code="rows_set_aside = len(report.rejected)",
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: int(ns["report"].rows_kept),
            "that is the number of rows kept, not of the rows set aside.",
        ),
        Mistake(
            lambda ns: int(ns["report"].rows_rejected + ns["report"].duplicates),
            "you added the duplicate rows: they are kept (a repeated line may be a real second "
            "purchase), only counted.",
        ),
        Mistake(
            lambda ns: int(ns["report"].rows_rejected + ns["report"].refunds),
            "you added the refunds: a negative amount is kept, it lowers the customer's net revenue.",
        ),
    ),
    explain=lambda value: (
        f"{value} rows were set aside; `report.rejected` gives the line of the file of each and why."
    ),
)

q2 = Exercise(
    variable="online_customers",
    question=(
        "Back to the sample business (`inputs`): how many different customers bought online at "
        "least once? The `channel` column of `inputs.transactions` says where each order was placed."
    ),
    expected=lambda ns: int(
        _transactions(ns).loc[_transactions(ns)["channel"] == "online", "customer_id"].nunique()
    ),
    hint_text=(
        'Keep the rows whose `channel` is "online", then count the distinct values of their '
        "`customer_id` with `.nunique()`."
    ),
    solution_code=(
        'online = inputs.transactions[inputs.transactions["channel"] == "online"]\n'
        'online_customers = online["customer_id"].nunique()\n'
    ),
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: int((_transactions(ns)["channel"] == "online").sum()),
            "that is the number of online rows (orders and refunds), not of customers: a customer "
            "who ordered online ten times counts once.",
        ),
        Mistake(
            lambda ns: int(_transactions(ns)["customer_id"].nunique()),
            "that is every customer, in the shop or online: keep the online rows first.",
        ),
    ),
    explain=lambda value: f"{value:,} customers bought online at least once.",
)

q3 = Exercise(
    variable="net_revenue_year",
    question=(f"What was the sample business's net revenue in {YEAR_Q3}: purchases minus refunds, in euros?"),
    expected=lambda ns: float(_year(ns).sum()),
    hint_text=(
        f"Keep the rows of `inputs.transactions` whose `date` falls in {YEAR_Q3} "
        f"(`.dt.year == {YEAR_Q3}`) and add up their `amount`: a refund is a negative amount, "
        "so the plain sum is already net."
    ),
    solution_code=(
        "tx = inputs.transactions\n"
        f'net_revenue_year = tx.loc[tx["date"].dt.year == {YEAR_Q3}, "amount"].sum()\n'
    ),
    compare=close_to(1.0),
    mistakes=(
        Mistake(
            lambda ns: float(_year(ns).clip(lower=0).sum()),
            "you left the refunds out: they are negative amounts, and net revenue subtracts them.",
        ),
        Mistake(
            lambda ns: float(_year(ns).abs().sum()),
            "you counted the refunds as purchases (their amount without its minus sign).",
        ),
        Mistake(
            lambda ns: float(_transactions(ns)["amount"].sum()),
            f"that is the revenue of all the years: keep the rows of {YEAR_Q3} only.",
        ),
    ),
    explain=lambda value: f"{value:,.2f} euros, refunds subtracted.",
)

q4 = Exercise(
    variable="revenue_per_customer",
    question=(
        "On average, how much net revenue did one customer of the sample business bring over "
        "the whole period, in euros?"
    ),
    expected=lambda ns: float(ns["inputs"].summary["revenue"].mean()),
    hint_text=(
        "The customer summary, `inputs.summary`, has one row per customer and their net revenue "
        "in `revenue`: take its mean. (Or: the total of `amount` divided by the number of customers.)"
    ),
    solution_code='revenue_per_customer = inputs.summary["revenue"].mean()',
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: float(_transactions(ns)["amount"].mean()),
            "that is the average per row of the transactions (per order or refund), not per customer.",
        ),
        Mistake(
            lambda ns: float(ns["inputs"].summary["revenue"].median()),
            "that is the median customer; the question asks for the average (the mean), which "
            "the biggest customers pull up.",
        ),
    ),
    explain=lambda value: f"{value:,.2f} euros per customer over the period.",
)

q5 = Exercise(
    variable="ambiguous_dates",
    question=(
        "A client's export stops with a message: the dates are ambiguous, because no day in the "
        "file is above 12, so 03/01/2025 could be the 3rd of January or the 1st of March. "
        "What do you do?"
    ),
    expected=lambda ns: "b",
    hint_text=(
        "The loader refused to guess. Which option replaces a guess by knowing, and which ones "
        "only make the message go away?"
    ),
    solution_code='ambiguous_dates = "b"',
    choices={
        "a": (
            "a guess with a format is still a guess: if the till writes day first, every date "
            "becomes wrong without any message, and so does every figure by month or by recency."
        ),
        "b": (
            "the order of day and month is a fact about the till, not about the data: ask the "
            "client (or look at a later export with a day above 12), then pass it, e.g. "
            '`date_format="%d/%m/%Y"`.'
        ),
        "c": (
            "`max_rejected_share` is about rows that cannot be used; here no row was set aside, "
            "the loader stopped because it cannot know the order of day and month."
        ),
        "d": (
            "that would delete every row of this file, and lose the customers with them; "
            "nothing may be lost silently."
        ),
    },
)
