"""The report's sections: each computes its figures and fills its template.

One function per section of ``notebooks/client-report.ipynb``, each taking the
:class:`~loyalty_lessons.report.data.ReportData` and returning the section as HTML. The
sentences come from the message catalogue (:mod:`loyalty_lessons.report.text`), the markup
from ``templates/<section>.html.j2`` (:func:`~loyalty_lessons.report.render.render`), so
this module only chooses what to say: which findings, which rows, which charts.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from markupsafe import Markup

from loyalty_lessons import customer_types as ct
from loyalty_lessons import loyalty_value as lv
from loyalty_lessons import pareto
from loyalty_lessons import quality_gap as qg
from loyalty_lessons.cohorts import cohort_shares
from loyalty_lessons.formatting import currency_symbol, format_date
from loyalty_lessons.noise import CONFIDENCE
from loyalty_lessons.report.customer_base_section import CALL_ROWS, customer_base_section, model_values
from loyalty_lessons.report.data import TABLES, ReportData, rejected_rows
from loyalty_lessons.report.figures import package_version
from loyalty_lessons.report.render import chart, render, twin_without_grid

__all__ = [
    "actions_section",
    "customer_base_section",
    "customer_types_section",
    "data_quality_section",
    "loyalty_value_section",
    "monitoring_section",
    "pareto_section",
    "quality_gap_section",
    "summary_section",
    "title_section",
]

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
)
_TOP_ROWS = 10


# --------------------------------------------------------------------------- helpers


def _section(key: str, data: ReportData, **context) -> Markup:
    return render(key, key=key, m=data.m, **context)


def _texts(data: ReportData, section: str):
    """The words of a chart, in the report's language (``charts.<section>`` of the catalogue)."""
    from loyalty_lessons.plots.texts import chart_texts

    return chart_texts(section, data.language)


def _types_row(data: ReportData, name: str) -> pd.Series:
    return data.profile.set_index(data.profile["type"].astype("str")).loc[name]


def _top_count(data: ReportData) -> int:
    return pareto.top_count(data.assumptions["top_fraction"], len(data.summary))


def _biggest_spenders(customers: pd.DataFrame) -> pd.DataFrame:
    """The ``_TOP_ROWS`` customers with the most revenue, ties by id. nlargest first, so that
    a million customers are not all sorted."""
    return (
        customers.nlargest(_TOP_ROWS, "revenue", keep="all")
        .sort_values(["revenue", "customer_id"], ascending=[False, True])
        .head(_TOP_ROWS)
    )


def _customer_rows(data: ReportData, customers: pd.DataFrame) -> list[list[object]]:
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


def _short_dimensions(data: ReportData) -> pd.DataFrame:
    gaps = data.gaps.dropna(subset=["gap"])
    return gaps[gaps["gap"] < 0].sort_values("gap")


def _categories(data: ReportData) -> pd.Series:
    return data.complaints["category"].astype("str").value_counts()


# --------------------------------------------------------------------------- sections


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
    figures.append(
        m.text(
            "summary.concentration",
            share=m.percent(share),
            top=m.number(_top_count(data)),
            fraction=m.percent(data.assumptions["top_fraction"]),
            customers=m.number(len(data.summary)),
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


#: How the package names the files of its sample business in a load report
#: (:mod:`loyalty_lessons.inputs`, the CLI's ``--sample``): said in the report's language.
_SAMPLE_SOURCE = re.compile(r"the sample business \((?P<file>[^()]+)\)")


def _source(m, source: str) -> str:
    sample = _SAMPLE_SOURCE.fullmatch(str(source))
    return str(m.text("data_quality.sample_source", file=sample["file"])) if sample else source


def data_quality_section(data: ReportData) -> Markup:
    """Rows read, kept and set aside (and why) per table; how each file was read."""
    m, rows, details = data.m, [], []
    for name in TABLES:
        report = data.inputs.reports.get(name)
        if report is None:
            continue
        reasons = Markup(m.raw("format.list_separator")).join(
            m.text("data_quality.reason_count", reason=m.named("reasons", reason), count=m.number(n))
            for reason, n in report.reasons.items()
        ) or m.raw("data_quality.none")
        dates = (
            m.text(
                "data_quality.dates", start=f"{report.date_min:%Y-%m-%d}", end=f"{report.date_max:%Y-%m-%d}"
            )
            if report.date_min is not None
            else m.raw("format.missing")
        )
        rows.append(
            [
                m.raw("tables." + name),
                _source(m, report.source),
                m.number(report.rows_read),
                m.number(report.rows_kept),
                m.number(report.rows_rejected),
                reasons,
                m.number(report.duplicates),
                m.number(report.refunds) if name == "transactions" else m.raw("format.missing"),
                dates,
            ]
        )
        read = ", ".join(
            f"{m.named('detected', k)} {v!r}"
            if len(str(v)) <= 2
            else f"{m.named('detected', k)} {m.named('detected_values', str(v))}"
            for k, v in report.detected.items()
        )
        details.append(m.text("data_quality.detected_one", table=m.raw("tables." + name), details=read))
    rejected = rejected_rows(data.inputs)
    first = rejected.head(10)
    raw = first.drop(columns=["table", "line", "reason"]).astype(object)
    held = [
        " · ".join(str(v) for v in row if v is not None and v == v and str(v) != "")
        for row in raw.itertuples(index=False)
    ]
    sample = [
        [m.raw("tables." + r.table), "" if pd.isna(r.line) else r.line, m.named("reasons", r.reason), h]
        for r, h in zip(first.itertuples(), held, strict=True)
    ]
    missing = [m.raw("tables." + n).lower() for n in TABLES if n not in data.inputs.reports]
    return _section(
        "data_quality",
        data,
        tables=rows,
        survey_given="survey" in data.inputs.reports,
        survey_blank=[m.number(n) for n in _blank_answers(data)] if any(_blank_answers(data)) else None,
        rejected=sample,
        rejected_count=m.number(len(rejected)),
        not_given=m.join(missing) if missing else None,
        detected=Markup(m.raw("format.group_separator")).join(details),
    )


def _blank_answers(data: ReportData) -> tuple[int, int]:
    """Respondents who left questionnaire items blank, and the items left blank in all."""
    if data.inputs.survey is None:
        return 0, 0
    blanks = qg.answered_items(data.inputs.survey)["unanswered"]
    return int((blanks > 0).sum()), int(blanks.sum())


def quality_gap_section(data: ReportData) -> Markup:
    """The quality gap per service dimension, the SERVQUAL score and the NPS."""
    from loyalty_lessons.plots.quality_gap import plot_gap_by_dimension, plot_importance_performance

    m, survey = data.m, data.inputs.survey
    if survey is None:
        return _section("quality_gap", data, gaps=None)
    gaps = data.gaps
    rows = [
        [
            m.raw("dimensions." + r.dimension),
            m.number(r.expectation, 2),
            m.number(r.perception, 2),
            m.signed(r.gap),
            m.text("quality_gap.interval", low=m.signed(r.ci_low), high=m.signed(r.ci_high)),
            m.percent(r.share_unmet),
        ]
        for r in gaps.itertuples()
    ]
    importance = None
    if data.has("importance"):
        grid = qg.importance_performance(survey)
        importance = chart(
            m,
            lambda fig: plot_importance_performance(
                grid, ax=fig.subplots(), texts=_texts(data, "quality_gap")
            ),
            (7.0, 4.6),
        )
    partial, blank = _blank_answers(data)
    return _section(
        "quality_gap",
        data,
        gaps=rows,
        respondents=m.number(survey["respondent_id"].nunique()),
        partial=m.number(partial) if partial else None,
        blank=m.number(blank),
        score=m.signed(qg.servqual_score(survey)),
        weighted=m.signed(qg.servqual_score(survey, weighted=True)) if data.has("importance") else None,
        nps=m.signed(qg.nps(survey), 0) if data.has("recommend") else None,
        gap_chart=chart(
            m,
            lambda fig: plot_gap_by_dimension(gaps, ax=fig.subplots(), texts=_texts(data, "quality_gap")),
            (8.0, 3.6),
        ),
        importance_chart=importance,
    )


def _type_labels(data: ReportData) -> dict[str, str]:
    """Each type's name in the report: for the behaviour when purchases typed any customer."""
    counts = ct.basis_counts(data.types)
    if not counts.get("behaviour"):
        key = "type_names."
    elif not counts.get("both") and data.model_usable:
        key = "type_labels_model."
    else:
        key = "type_labels_mixed." if counts.get("both") else "type_labels."
    return {t: data.m.raw(key + t) for t in ct.TYPES}


def _direction(data: ReportData, uplift: float) -> str:
    return data.m.raw("types.more" if uplift >= 0 else "types.less")


def _uplift_values(data: ReportData, u: ct.SpendUplift) -> dict:
    m = data.m
    return {
        "uplift": m.percent(abs(u.uplift) / 100),
        "direction": _direction(data, u.uplift),
        "low": m.percent(u.ci_low / 100),
        "high": m.percent(u.ci_high / 100),
        "n_of": m.number(u.n_of),
        "n_over": m.number(u.n_over),
    }


def _future_uplift_texts(data: ReportData) -> list[Markup]:
    """What regular customers went on to spend against occasional ones, and the 46% beside it."""
    m, result = data.m, data.future_uplift
    if result is None:
        return [m.text("types.future_missing")]
    u = result.out_of_sample
    values = {
        **_uplift_values(data, u),
        "split": m.date(result.split),
        "months": m.number(result.holdout_months),
    }
    key = "types.future_unclear" if u.direction == "unclear" else "types.future"
    gallup = 100 * float(lv.SEED_FIGURES["connected_spend_uplift"])
    return [m.text(key, **values), m.text("types.gallup_" + u.versus(gallup))]


def customer_types_section(data: ReportData) -> Markup:
    """The three customer types: counts, revenue, spend, and what each needs."""
    from loyalty_lessons.plots.customer_types import plot_type_profile

    m, rules, profile = data.m, ct.TYPE_RULES, data.profile
    labels = _type_labels(data)
    intro = m.text(
        "types.intro_model" if data.model_usable else "types.intro",
        lapsed=m.number(rules["lapsed_after_days"]),
        orders=m.number(rules["loyal_min_orders"]),
        window=m.number(rules["loyal_window_days"]),
        recent=m.number(rules["loyal_max_days_since_last"]),
    )
    counts = ct.basis_counts(data.types)
    basis = None
    if counts.get("both"):
        basis = m.text(
            "types.basis",
            by_answer=m.number(counts["both"]),
            by_behaviour=m.number(counts.get("behaviour", 0)),
        )
    rows = [
        [
            labels[str(r.type)],
            m.number(r.customers),
            m.percent(r.share_of_customers),
            m.money(r.revenue, data.currency),
            m.percent(r.revenue_share),
            m.money(r.revenue_per_customer, data.currency),
            m.money(r.monthly_spend, data.currency, 2),
        ]
        for r in profile.itertuples()
    ]

    def draw_profile(fig):
        ax = plot_type_profile(
            profile, ax=fig.subplots(), labels=labels, texts=_texts(data, "customer_types")
        )
        top = 100 * float(np.nanmax(profile[["share_of_customers", "revenue_share"]].to_numpy()))
        ax.set_ylim(0, top * 1.3)
        ax.legend(loc="upper left", ncols=2)

    uplift = None
    if data.uplift is not None:
        uplift = m.text("types.uplift", **_uplift_values(data, data.uplift))
    # Whom to call: with the model, the valuable customers it says are slipping away (listed
    # in its section), not everyone silent for a fixed number of days.
    lapsed = data.lapsed.iloc[:0] if data.model_usable else _biggest_spenders(data.lapsed)
    call = (
        m.text("types.call_model", days=m.number(rules["lapsed_after_days"])) if data.model_usable else None
    )
    return _section(
        "customer_types",
        data,
        intro=intro,
        survey_rule=bool(counts.get("both")),
        basis=basis,
        survey_unused=data.survey_unused,
        profile=rows,
        profile_chart=chart(m, draw_profile, (7.5, 4.0)),
        future=_future_uplift_texts(data),
        uplift=uplift,
        lapsed=_customer_rows(data, lapsed),
        lapsed_intro=m.text("types.lapsed_top", count=len(lapsed), days=m.number(rules["lapsed_after_days"])),
        call=call,
        types=ct.TYPES,
    )


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


def _spend_by_type(data: ReportData) -> dict:
    """What a regular customer spends against an occasional one over the years, and its chart:
    out of sample (types at a split date, spend after it) when the data allow, else since the
    first purchase, said to be descriptive."""
    from loyalty_lessons.plots.loyalty_value import plot_value_over_years

    m, result = data.m, data.future_uplift
    source = data.profile if result is None else result.profile
    profile = source.set_index(source["type"].astype("str"))
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    years = int(data.assumptions["value_years"])
    if not (np.isfinite(loyal) and np.isfinite(satisfied) and loyal >= 0 and satisfied >= 0):
        return {"spend": None}
    gap = lv.value_difference(
        monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years
    )
    frame = lv.value_over_years(
        monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years
    )
    symbol = currency_symbol(data.currency, locale=data.language)
    texts = _texts(data, "loyalty_value")
    values = {
        "loyal": m.money(loyal, data.currency, 2),
        "satisfied": m.money(satisfied, data.currency, 2),
        "difference": m.money(abs(gap.total_difference), data.currency),
        "direction": _direction(data, gap.total_difference),
    }
    if result is None:
        spend = m.text("value.spend", **values)
    else:
        spend = m.text(
            "value.spend_future", **values, split=m.date(result.split), months=m.number(result.holdout_months)
        )
    return {
        "spend": spend,
        "value_chart": chart(
            m,
            lambda fig: plot_value_over_years(
                frame,
                ax=fig.subplots(),
                currency=symbol,
                names=(texts("regular"), texts("occasional")),
                texts=texts,
            ),
            (7.5, 4.0),
        ),
    }


def _next_year(data: ReportData, row: pd.Series):
    """The year after a pair's first, or "the first 6 months of 1998" when the data stop short."""
    year = int(row["year"]) + 1
    if "months_observed_next" in row and int(row["months_observed_next"]) < 12:
        return data.m.text("value.next_year_partial", months=int(row["months_observed_next"]), year=year)
    return year


def _partial_notes(data: ReportData, row: pd.Series) -> list[Markup]:
    """Which measured pairs of years are not whole years, the headline's first."""
    m, notes = data.m, []
    if not bool(row["complete"]) and int(row["months_observed_next"]) < 12:
        notes.append(
            m.text(
                "value.partial",
                end=m.date(data.end),
                year=int(row["year"]) + 1,
                months=int(row["months_observed_next"]),
            )
        )
    others = data.retention[~data.retention["complete"] & (data.retention["year"] != row["year"])]
    if len(others):
        pairs = m.join([f"{int(y)}–{int(y) + 1}" for y in others["year"]])
        notes.append(m.text("value.partial_other", pairs=pairs))
    return notes


def loyalty_value_section(data: ReportData) -> Markup:
    """What loyalty is worth with the client's own figures: spend by type and retention."""
    m, spend = data.m, _spend_by_type(data)
    if data.retention is None or data.latest_retention is None:
        years_seen = ", ".join(str(y) for y in data.tables.yearly_revenue.index)
        return _section("loyalty_value", data, **spend, retention=None, years_seen=years_seen)
    rows = [
        [r.year, m.number(r.customers), m.number(r.retained), m.percent(r.retention)]
        for r in data.retention.itertuples()
    ]
    row = data.latest_retention
    r = float(row["retention"])
    latest = m.text(
        "value.retention",
        year=int(row["year"]),
        next_year=_next_year(data, row),
        retention=m.percent(r),
        defection=m.percent(1 - r),
    )
    model_active = None
    if data.model_usable:  # the model's count of active customers, next to the repurchase rate
        model_active = m.text(
            "value.model_active",
            active=m.number(data.customer_base.expected_active),
            customers=m.number(len(data.summary)),
            end=m.date(data.end),
        )
    yearly = int(row["months_observed_next"]) == 12
    if not yearly:
        lifetime = m.text("value.no_value")
    elif r < 1:
        lifetime = m.text("value.lifetime", lifetime=m.number(lv.expected_lifetime_years(r), 1))
    else:
        lifetime = None
    uplift = basis = None
    if data.retention_value is not None:
        value, per_year = data.retention_value
        uplift = m.text(
            "value.uplift",
            before=m.percent(value.yearly_retention_before),
            after=m.percent(value.yearly_retention_after),
            years_before=m.number(value.lifetime_years_before, 1),
            years_after=m.number(value.lifetime_years_after, 1),
            per_customer=m.money(value.value_per_customer, data.currency),
            total=m.money(value.total_value, data.currency),
            customers=m.number(row["customers"]),
            year=int(row["year"]),
        )
        basis = m.text(
            "value.uplift_basis",
            spend=m.money(per_year, data.currency),
            year=int(row["year"]),
            discount=m.percent(data.assumptions["discount_rate_yearly"]),
        )
    return _section(
        "loyalty_value",
        data,
        **spend,
        retention=rows,
        latest=latest,
        model_active=model_active,
        lifetime=lifetime,
        churn=m.text("value.churn"),
        partial=_partial_notes(data, row),
        uplift=uplift,
        uplift_basis=basis,
    )


def _month(m, label: str) -> str:
    return format_date(pd.Period(label, "M").start_time, m.raw("monitoring.month_pattern"), locale=m.language)


def _months(m, labels: list[str]) -> Markup:
    if len(labels) == 1:
        return Markup.escape(_month(m, labels[0]))
    return m.text("monitoring.months", first=_month(m, labels[0]), last=_month(m, labels[-1]))


def _signal_reason(m, s) -> Markup:
    values = dict(s.reason_values)
    for key in ("last", "first"):
        if key in values:
            values[key] = _month(m, values[key])
    for key in ("before", "after", "total", "usable", "needed", "minimum", "days"):
        if key in values:
            values[key] = m.number(values[key])
    return m.text("monitoring.reason_" + s.reason_code, **values)


def _signal_lines(data: ReportData) -> list[Markup]:
    """One sentence per signal: both levels and the months they cover, the band of normal
    variation and the verdict, or why the signal cannot be judged."""
    m, items = data.m, []
    for s in data.signals.itertuples():
        label = m.raw("signal_names." + s.metric)
        verdict = m.raw("verdicts." + s.verdict.replace(" ", "_"))
        if s.verdict == "not applicable":
            items.append(
                m.text(
                    "monitoring.signal_not_applicable",
                    label=label,
                    verdict=verdict,
                    reason=_signal_reason(m, s),
                )
            )
            continue
        if s.metric == "early_defection_rate":
            fmt = m.percent
            band = m.text("monitoring.band_share", band=m.number(100 * s.band))
        elif s.metric == "spend_per_order":
            fmt = lambda v: m.money(v, data.currency, 2)  # noqa: E731
            band = fmt(s.band)
        else:
            fmt = m.number
            band = m.text("monitoring.band_count", band=m.number(s.band))
        key = "monitoring.signal_noise" if s.verdict == "within noise" else "monitoring.signal"
        items.append(
            m.text(
                key,
                label=label,
                before=fmt(s.before),
                after=fmt(s.after),
                before_months=_months(m, s.before_periods),
                after_months=_months(m, s.after_periods),
                band=band,
                verdict=verdict,
            )
        )
    return items


def monitoring_section(data: ReportData) -> Markup:
    """The three loyalty signals judged against their noise, the monthly KPIs and the
    quarterly cohorts."""
    from loyalty_lessons.plots.monitoring import plot_cohort_heatmap, plot_kpis

    m, table = data.m, data.monthly
    complete = int(table["complete"].sum())
    window = data.signals.attrs["window"]
    kpis = None
    if len(table) >= 2:
        kpis = chart(
            m,
            lambda fig: plot_kpis(
                table,
                axes=fig.subplots(2, 2, sharex=True),
                signals=data.signals,
                texts=_texts(data, "monitoring"),
            ),
            (10.0, 6.0),
        )
    counts = data.tables.cohorts
    matrix = None if counts is None else cohort_shares(counts)
    cohorts = None
    if matrix is not None and matrix.shape[1] >= 2:
        size = (min(10.0, 2.5 + 0.6 * matrix.shape[1]), min(7.0, 1.6 + 0.42 * len(matrix)))

        def draw_cohorts(fig):
            plot_cohort_heatmap(matrix, ax=fig.subplots(), texts=_texts(data, "cohorts"))
            for ax in fig.axes:
                ax.grid(False)

        cohorts = chart(m, draw_cohorts, size)
    return _section(
        "monitoring",
        data,
        signals=_signal_lines(data),
        window=window,
        confidence=m.percent(CONFIDENCE),
        too_few_months=complete < 2 * window,
        needed_months=2 * window,
        complete_months=complete,
        kpi_chart=kpis,
        early_defection_days=table.attrs.get("early_defection_days", 180),
        cohort_chart=cohorts,
    )


def actions_section(data: ReportData) -> Markup:
    """Recommended actions, most urgent first, from what the data show."""
    m, actions = data.m, []
    lapsed = data.lapsed
    if data.model_usable:
        slipping = data.customer_base.slipping_count()
        if slipping:
            actions.append(
                m.text(
                    "actions.call_slipping",
                    count=m.number(slipping),
                    threshold=model_values(data)["threshold"],
                    top=m.number(min(slipping, max(10, math.ceil(0.1 * slipping)))),
                    listed=m.number(min(slipping, CALL_ROWS)),
                )
            )
    elif len(lapsed):
        actions.append(
            m.text(
                "actions.win_back",
                count=m.number(len(lapsed)),
                days=m.number(ct.TYPE_RULES["lapsed_after_days"]),
                top=m.number(min(len(lapsed), max(10, math.ceil(0.1 * len(lapsed))))),
            )
        )
    if data.gaps is not None and len(_short_dimensions(data)):
        worst = _short_dimensions(data).iloc[0]
        actions.append(
            m.text(
                "actions.fix_gap",
                dimension=m.raw("dimension_names." + worst["dimension"]),
                gap=m.signed(worst["gap"]),
            )
        )
    share = pareto.top_share(data.revenue_curve, data.assumptions["top_fraction"])
    actions.append(
        m.text(
            "actions.protect",
            top=m.number(_top_count(data)),
            share=m.percent(share),
            fraction=m.percent(data.assumptions["top_fraction"]),
        )
    )
    if data.complaints is not None:
        categories = _categories(data)
        actions.append(
            m.text(
                "actions.complaints",
                category=categories.index[0],
                count=m.number(categories.iloc[0]),
                total=m.number(categories.sum()),
            )
        )
    worsening = [
        m.raw("signal_names." + s.metric).lower()
        for s in data.signals.itertuples()
        if s.verdict == "worsening"
    ]
    if worsening:
        actions.append(m.text("actions.worsening", signals=m.join(worsening)))
    actions.append(m.text("actions.monitor"))
    if data.inputs.survey is None:
        actions.append(m.text("actions.survey"))
    if data.complaints is None:
        actions.append(m.text("actions.log_complaints"))
    return _section("actions", data, actions=actions)
