"""The report's quality-gap section: the gap per service dimension with its interval, the
SERVQUAL score, the NPS and, with importance points, the importance–performance grid
(:func:`quality_gap_section`)."""

from __future__ import annotations

from markupsafe import Markup

from loyalty_lessons.quality_gap.gaps import nps, servqual_score
from loyalty_lessons.quality_gap.what_to_fix import importance_performance

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import blank_answers
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart

__all__ = ["quality_gap_section"]


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
        grid = importance_performance(survey)
        importance = chart(
            m,
            lambda fig: plot_importance_performance(
                grid, ax=fig.subplots(), texts=_texts(data, "quality_gap")
            ),
            (7.0, 4.6),
        )
    partial, blank = blank_answers(data)
    return _section(
        "quality_gap",
        data,
        gaps=rows,
        respondents=m.number(survey["respondent_id"].nunique()),
        partial=m.number(partial) if partial else None,
        blank=m.number(blank),
        score=m.signed(servqual_score(survey)),
        weighted=m.signed(servqual_score(survey, weighted=True)) if data.has("importance") else None,
        nps=m.signed(nps(survey), 0) if data.has("recommend") else None,
        gap_chart=chart(
            m,
            lambda fig: plot_gap_by_dimension(gaps, ax=fig.subplots(), texts=_texts(data, "quality_gap")),
            (8.0, 3.6),
        ),
        importance_chart=importance,
    )
