"""Exercises of lesson 00, start here: reading a load report, and counting customers.

The expected answers come from the lesson's own variables (``report``, the load report of
the messy export built in the lesson, and ``inputs``), never from fixed figures.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, equal

__all__ = ["q1", "q2"]

q1 = Exercise(
    variable="rows_set_aside",
    question=(
        "How many rows of the messy export did the loader set aside? (Read it from `report`, "
        "or count the rows of `report.rejected`.)"
    ),
    expected=lambda ns: int(ns["report"].rows_rejected),
    hint_text=(
        "Every row read is either kept or set aside: `report.rows_read - report.rows_kept`, "
        "or `len(report.rejected)`."
    ),
    solution_code="rows_set_aside = len(report.rejected)",
    compare=equal,
    explain=lambda value: (
        f"{value} rows were set aside; `report.rejected` says which line of the file each came from and why."
    ),
)

q2 = Exercise(
    variable="n_customers",
    question=(
        "How many different customers are there in the transactions of `inputs` "
        "(the sample business, unless you loaded your own file)?"
    ),
    expected=lambda ns: int(len(ns["inputs"].summary)),
    hint_text=(
        "Count the distinct values of `inputs.transactions['customer_id']` with `.nunique()`, "
        "or the rows of the customer summary, `inputs.summary`, which has one row per customer."
    ),
    solution_code='n_customers = inputs.transactions["customer_id"].nunique()',
    compare=equal,
    explain=lambda value: f"There are {value:,} customers, one row each in `inputs.summary`.",
)
