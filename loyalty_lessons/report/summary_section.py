"""The report's first page: its title block and the executive summary.

:func:`title_section` names the report, the client, the period and the totals;
:func:`summary_section` picks the findings that matter, each with its number, from what the
other sections show (types, concentration, retention, the quality gap, complaints).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from loyalty_lessons import pareto
from loyalty_lessons.customer_types import classify as ct
from loyalty_lessons.quality_gap import gaps as qg

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import complaint_categories as _categories
from loyalty_lessons.report._common import concentration_values as _concentration
from loyalty_lessons.report._common import next_year as _next_year
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import short_dimensions as _short_dimensions
from loyalty_lessons.report._common import top_count as _top_count
from loyalty_lessons.report.customer_base_section import model_values
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.figures import package_version
from loyalty_lessons.report.render import render

__all__ = ["summary_section", "title_section"]


#: The sections after the title, in report order (their keys in the catalogue's headings).
_CONTENTS = (
    "summary",
    "data_quality",
    "quality_gap",
    "customer_types",
    "customer_base",
    "pareto",
    "loyalty_value",
    "monitoring",
    "actions",
    "sources",
)


def _types_row(data: ReportData, name: str) -> pd.Series:
    return data.profile.set_index(data.profile["type"].astype("str")).loc[name]


def title_section(data: ReportData) -> Markup:
    """The title block: the report's name, the client, the period and the totals."""
    m = data.m
    period = m.text(
        "title.period",
        start=m.date(data.tables.first_date),
        end=m.date(data.end),
        customers=m.number(len(data.summary)),
        revenue=m.money(data.summary["revenue"].sum(), data.currency),
    )
    made = m.text("title.made_with", version=package_version(), end=m.date(data.end))
    return render("title", m=m, client=data.client_name, period=period, made_with=made, contents=_CONTENTS)


def _findings(data: ReportData) -> list[Markup]:
    m, figures = data.m, []
    lapsed = data.lapsed
    loyal = _types_row(data, "loyal")
    common = {
        "dissatisfied": m.number(len(lapsed)),
        "dissatisfied_share": m.percent(len(lapsed) / len(data.summary)),
        "days": m.number(ct.TYPE_RULES["lapsed_after_days"]),
    }
    if data.model_usable:  # who has probably left, from the model instead of a fixed silence
        common = model_values(data)
        key = "summary.types_model" if loyal["customers"] > 0 else "summary.types_model_no_loyal"
    else:
        key = "summary.types" if loyal["customers"] > 0 else "summary.types_no_loyal"
    if loyal["customers"] > 0:
        common.update(
            loyal_share=m.percent(loyal["share_of_customers"]),
            loyal_revenue=m.percent(loyal["revenue_share"]),
        )
    figures.append(m.text(key, **common))
    share = pareto.top_share(data.revenue_curve, data.assumptions["top_fraction"])
    few = _concentration(data)
    figures.append(
        m.text(
            "summary.concentration",
            share=m.percent(share),
            top=m.number(_top_count(data)),
            fraction=m.percent(data.assumptions["top_fraction"]),
            customers=m.number(len(data.summary)),
            detail=m.text(
                "summary.concentration_small" if few["small"] else "summary.concentration_few", **few
            ),
            verdict=m.text("summary.fragile" if few["fragile"] else "summary.not_fragile", **few),
        )
    )
    if data.latest_retention is not None and data.retention_value is not None:
        row, (value, _) = data.latest_retention, data.retention_value
        figures.append(
            m.text(
                "summary.retention",
                retention=m.percent(row["retention"]),
                year=int(row["year"]),
                next_year=_next_year(data, row),
                defection=m.percent(1 - row["retention"]),
                value=m.money(value.total_value, data.currency),
            )
        )
    else:
        repeat = float((data.summary["orders"] >= 2).mean())
        figures.append(m.text("summary.repeat", repeat=m.percent(repeat), one_time=m.percent(1 - repeat)))
    if data.gaps is not None:
        short = _short_dimensions(data)
        if len(short):
            names = [m.raw("dimension_names." + d) for d in short["dimension"]]
            figures.append(
                m.text(
                    "summary.gap_short",
                    dimensions=m.join(names),
                    worst=names[0],
                    gap=m.signed(short["gap"].iloc[0]),
                )
            )
        else:
            figures.append(m.text("summary.gap_met", score=m.signed(qg.servqual_score(data.inputs.survey))))
    if data.complaints is not None:
        concentration = pareto.complaint_concentration(
            data.complaints, fraction=data.assumptions["top_fraction"]
        ).iloc[0]
        categories = _categories(data)
        figures.append(
            m.text(
                "summary.complaints",
                share=m.percent(concentration["complaint_share"]),
                fraction=m.percent(data.assumptions["top_fraction"]),
                complaints=m.number(concentration["complaints"]),
                complainers=m.number(concentration["customers"]),
                category=categories.index[0],
            )
        )
    return figures[: int(data.assumptions["max_findings"])]


def summary_section(data: ReportData) -> Markup:
    """The executive summary: the findings that matter, with their numbers."""
    findings = _findings(data)
    intro = (
        data.m.text("summary.intro", client=data.client_name, count=len(findings))
        if data.client_name
        else None
    )
    return _section("summary", data, intro=intro, findings=findings)
