"""The report's 80/20 section: how concentrated revenue is among customers and, when complaints
are given, complaints among complainers (:func:`pareto_section`)."""

from __future__ import annotations

from markupsafe import Markup

from loyalty_lessons import pareto

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import biggest_spenders as _biggest_spenders
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import complaint_categories as _categories
from loyalty_lessons.report._common import customer_rows as _customer_rows
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import top_count as _top_count
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart, twin_without_grid

__all__ = ["pareto_section"]


def pareto_section(data: ReportData) -> Markup:
    """The 80/20 rule for revenue and, when given, for complaints."""
    from loyalty_lessons.plots.pareto import plot_pareto_chart

    m, fraction, values, curve = (
        data.m,
        data.assumptions["top_fraction"],
        data.revenue_values,
        data.revenue_curve,
    )
    point = pareto.pareto_point(curve)
    x, y = point.label.split("/")
    revenue = m.text(
        "pareto.revenue",
        top=m.number(_top_count(data)),
        customers=m.number(len(values)),
        fraction=m.percent(fraction),
        share=m.percent(pareto.top_share(curve, fraction)),
        rule=point.label,
        x=x,
        y=y,
        gini=m.number(pareto.gini(curve), 2),
    )
    negatives = int((values < 0).sum())

    def draw_revenue(fig):
        plot_pareto_chart(curve, ax=fig.subplots(), fraction=fraction, texts=_texts(data, "pareto_revenue"))
        twin_without_grid(fig)

    context = {
        "revenue": revenue,
        "revenue_chart": chart(m, draw_revenue, (8.0, 4.4)),
        "negatives": m.text("pareto.negatives", count=m.number(negatives)) if negatives else None,
        "top": _customer_rows(data, _biggest_spenders(data.summary)),
    }
    if data.complaints is None:
        return _section("pareto", data, complaints=None, **context)
    concentration = pareto.complaint_concentration(data.complaints, fraction=fraction).iloc[0]
    overlap = pareto.value_complaint_overlap(data.summary, data.complaints, fraction=fraction)
    categories = _categories(data)
    total = int(categories.sum())
    rows = [[name, m.number(n), m.percent(n / total)] for name, n in categories.head(8).items()]
    if len(categories) > 8:
        rest = int(categories.iloc[8:].sum())
        rows.append(
            [
                m.text("pareto.categories_more", count=len(categories) - 8),
                m.number(rest),
                m.percent(rest / total),
            ]
        )
    counts = data.complaints["customer_id"].astype("str").value_counts().to_numpy(dtype=float)

    def draw_complaints(fig):
        plot_pareto_chart(
            counts,
            ax=fig.subplots(),
            fraction=fraction,
            measure="complaints",
            entity="complaining customers",
            texts=_texts(data, "pareto_complaints"),
        )
        twin_without_grid(fig)

    return _section(
        "pareto",
        data,
        **context,
        complaints=m.text(
            "pareto.complaints",
            complainers=m.number(concentration["customers"]),
            fraction=m.percent(fraction),
            complaints=m.number(concentration["complaints"]),
            share=m.percent(concentration["complaint_share"]),
        ),
        overlap=m.text(
            "pareto.overlap", top=m.number(overlap.top_value_customers), both=m.number(overlap.both)
        ),
        categories=rows,
        complaints_chart=chart(m, draw_complaints, (8.0, 4.4)),
    )
