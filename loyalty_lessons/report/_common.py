"""What every section of the report shares: its template, the words of its charts, the lists
of biggest customers and the figures several sections quote.

Each section module (``report/*_section.py``) takes the
:class:`~loyalty_lessons.report.data.ReportData` and returns the section as HTML. The
sentences come from the message catalogue (:mod:`loyalty_lessons.report.text`), the markup
from ``templates/<section>.html.j2`` (:func:`~loyalty_lessons.report.render.render`), so
the section modules only choose what to say: which findings, which rows, which charts.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from loyalty_lessons import pareto
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import render

__all__ = [
    "blank_answers",
    "TOP_ROWS",
    "biggest_spenders",
    "chart_words",
    "complaint_categories",
    "customer_rows",
    "direction",
    "next_year",
    "section",
    "short_dimensions",
    "top_count",
]

#: How many customers the lists of biggest spenders show.
TOP_ROWS = 10


def section(key: str, data: ReportData, **context) -> Markup:
    """The section ``key`` (its template ``templates/<key>.html.j2``) filled with ``context``."""
    return render(key, key=key, m=data.m, **context)


def chart_words(data: ReportData, section: str):
    """The words of a chart, in the report's language (``charts.<section>`` of the catalogue)."""
    from loyalty_lessons.plots.texts import chart_texts

    return chart_texts(section, data.language)


def top_count(data: ReportData) -> int:
    """How many customers the report's top fraction holds."""
    return pareto.top_count(data.assumptions["top_fraction"], len(data.summary))


def biggest_spenders(customers: pd.DataFrame) -> pd.DataFrame:
    """The ``TOP_ROWS`` customers with the most revenue, ties by id. nlargest first, so that
    a million customers are not all sorted."""
    return (
        customers.nlargest(TOP_ROWS, "revenue", keep="all")
        .sort_values(["revenue", "customer_id"], ascending=[False, True])
        .head(TOP_ROWS)
    )


def customer_rows(data: ReportData, customers: pd.DataFrame) -> list[list[object]]:
    """The rows of a table of customers: id, revenue, orders, last purchase, days since."""
    m = data.m
    return [
        [
            r.customer_id,
            m.money(r.revenue, data.currency),
            m.number(r.orders),
            f"{r.last_purchase:%Y-%m-%d}",
            m.number(r.days_since_last),
        ]
        for r in customers.itertuples()
    ]


def short_dimensions(data: ReportData) -> pd.DataFrame:
    """The service dimensions whose gap is negative, the widest first."""
    gaps = data.gaps.dropna(subset=["gap"])
    return gaps[gaps["gap"] < 0].sort_values("gap")


def complaint_categories(data: ReportData) -> pd.Series:
    """How many complaints each category holds, the largest first."""
    return data.complaints["category"].astype("str").value_counts()


def direction(data: ReportData, uplift: float) -> str:
    """ "more" or "less", in the report's language, for an uplift of either sign."""
    return data.m.raw("types.more" if uplift >= 0 else "types.less")


def next_year(data: ReportData, row: pd.Series):
    """The year after a pair's first, or "the first 6 months of 1998" when the data stop short."""
    year = int(row["year"]) + 1
    if "months_observed_next" in row and int(row["months_observed_next"]) < 12:
        return data.m.text("value.next_year_partial", months=int(row["months_observed_next"]), year=year)
    return year


def blank_answers(data: ReportData) -> tuple[int, int]:
    """Respondents who left questionnaire items blank, and the items left blank in all."""
    from loyalty_lessons.quality_gap.gaps import answered_items

    if data.inputs.survey is None:
        return 0, 0
    blanks = answered_items(data.inputs.survey)["unanswered"]
    return int((blanks > 0).sum()), int(blanks.sum())
