"""What every section of the report shares: its template, the words of its charts, the lists
of biggest customers and the figures several sections quote.

Each section module (``report/*_section.py``) takes the
:class:`~loyalty_lessons.report.data.ReportData` and returns the section as HTML. The
sentences come from the message catalogue (:mod:`loyalty_lessons.report.text`), the markup
from ``templates/<section>.html.j2`` (:func:`~loyalty_lessons.report.render.render`), so
the section modules only choose what to say: which findings, which rows, which charts.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from babel import Locale
from markupsafe import Markup

from loyalty_lessons import pareto
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import render

__all__ = [
    "CONCENTRATION_RULE",
    "blank_answers",
    "TOP_ROWS",
    "biggest_spenders",
    "concentration_values",
    "chart_words",
    "complaint_categories",
    "customer_rows",
    "direction",
    "next_year",
    "section",
    "short_dimensions",
    "top_count",
    "spend_comparison",
]

#: How many customers the lists of biggest spenders show.
TOP_ROWS = 10


#: When the report says that a few customers carry the business: when its ``few`` biggest
#: customers bring ``fragile_share`` of net revenue or more. It also quotes the ``small_fraction``
#: biggest customers (the top 1%), so that a client sees how far down the concentration goes.
CONCENTRATION_RULE: dict[str, float] = {"few": 10, "fragile_share": 0.2, "small_fraction": 0.01}

#: A comparison of spend is written as "n times as much" from this ratio up, as a percentage
#: below it: "923% more" is hard to read, "about 10 times as much" is not.
TIMES_FROM = 2.0


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


def concentration_values(data: ReportData) -> dict:
    """How far down the concentration of revenue goes, for the summary and the actions.

    Returns
    -------
    dict
        ``fragile`` (bool: the ``few`` biggest customers bring at least ``fragile_share`` of
        net revenue, :data:`CONCENTRATION_RULE`), and the texts ``few``, ``few_share``,
        ``threshold``, ``small_fraction``, ``small_top`` (how many customers the top 1% is) and
        ``small_share``; ``small`` is False when the top 1% is no more customers than ``few``.
    """
    m, rule, n = data.m, CONCENTRATION_RULE, len(data.summary)
    few = min(int(rule["few"]), n)
    few_share = pareto.top_share(data.revenue_curve, few / n)
    small_top = pareto.top_count(rule["small_fraction"], n)
    return {
        "fragile": bool(few_share >= rule["fragile_share"]),
        "small": small_top > few,
        "few": m.number(few),
        "few_share": m.percent(few_share, 1 if few_share < 0.1 else 0),
        "threshold": m.percent(rule["fragile_share"]),
        "small_fraction": m.percent(rule["small_fraction"]),
        "small_top": m.number(small_top),
        "small_share": m.percent(pareto.top_share(data.revenue_curve, rule["small_fraction"])),
    }


def spend_comparison(data: ReportData, ratio: float, low: float, high: float) -> tuple[str, dict]:
    """The key suffix and values that compare one group's spend with another's.

    ``ratio``, ``low`` and ``high`` are the spend of the first group divided by the second's,
    and the ends of its interval. From :data:`TIMES_FROM` up the comparison is a ratio
    ("about 10 times as much", suffix ``_times``), below it a percentage ("71% more",
    no suffix), so that no percentage above 100% is written.
    """
    m = data.m
    if ratio >= TIMES_FROM:
        decimals = 0 if ratio >= 5 else 1
        shown = round(ratio, decimals)
        # "10 times", "10 fois", "в 10 раз" but "в 2,5 раза": the catalogue's plural forms.
        form = Locale.parse(m.language).plural_form(int(shown) if decimals == 0 else Decimal(str(shown)))
        form = form if form in m.raw("types.times") else "other"
        return "_times", {
            "times": m.text(f"types.times.{form}", count=m.number(ratio, decimals)),
            "low": m.number(low, decimals),
            "high": m.number(high, decimals),
        }
    uplift = 100 * (ratio - 1)
    return "", {
        "uplift": m.percent(abs(uplift) / 100),
        "direction": direction(data, uplift),
        "low": m.percent(low - 1),
        "high": m.percent(high - 1),
    }
