"""The report's data-quality section: rows read, kept and set aside (and why) per table, the
rows of 0 and who counts as a customer, and how each file was read
(:func:`data_quality_section`)."""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import blank_answers
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import TABLES, ReportData, rejected_rows

__all__ = ["data_quality_section"]


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
    loaded = data.inputs.reports.get("transactions")
    customers = []  # the rows of 0, and who the report counts as a customer
    if loaded is not None and loaded.zero_amounts:
        customers.append(m.text("data_quality.zero_amounts", rows=m.number(loaded.zero_amounts)))
    if loaded is not None and data.ids_without_purchase:
        customers.append(
            m.text(
                "data_quality.unpaid_ids",
                ids=m.number(data.ids_without_purchase),
                customers=m.number(len(data.summary)),
            )
        )
    return _section(
        "data_quality",
        data,
        tables=rows,
        survey_given="survey" in data.inputs.reports,
        survey_blank=[m.number(n) for n in blank_answers(data)] if any(blank_answers(data)) else None,
        rejected=sample,
        rejected_count=m.number(len(rejected)),
        not_given=m.join(missing) if missing else None,
        customers=Markup(" ").join(customers) if customers else None,
        detected=Markup(m.raw("format.group_separator")).join(details),
    )
