"""Explorer of the quality gap: what if customers perceived (or expected) a dimension differently?

:func:`gap_explorer` puts :func:`loyalty_lessons.quality_gap.what_if_gap` (the real
survey with some dimensions' perceptions or expectations moved by a number of scale points)
behind a dimension picker and two sliders, drawn with
:func:`loyalty_lessons.plots.plot_gap_by_dimension`. The survey is read once
(:func:`~loyalty_lessons.quality_gap.survey_scores`); a move recomputes one dimension
and redraws the bars in place (``plot_gap_by_dimension`` on the chart it drew) on
an axis wide enough for any position of the sliders.

The idea of the gap comes from [fr-monitoring-loyalty]; what moves expectations
(advertising, past experience, what others say) from [it-customer-care].
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say
from loyalty_lessons.plots import changed_artists, plot_gap_by_dimension
from loyalty_lessons.plots.texts import ChartTexts, chart_texts
from loyalty_lessons.quality_gap import SurveyScores, survey_scores, what_if_gap
from loyalty_lessons.survey import DIMENSIONS
from loyalty_lessons.widgets._base import Explorer

__all__ = ["gap_explorer"]


#: The most scale points the sliders move a perception or an expectation, either way.
_MOST_POINTS = 2.0


def _reach(scores: SurveyScores, baseline: pd.DataFrame) -> tuple[float, float]:
    """The gap axis: every gap and interval the sliders can give, with a tenth more on each
    side, out to half points. The same whatever the sliders say, so that a bar grows or
    shrinks against a steady scale (and only the bars are drawn again)."""
    tables = [baseline] + [
        what_if_gap(
            scores,
            {dim: sign * _MOST_POINTS},
            expectation_changes={dim: -sign * _MOST_POINTS},
            baseline=baseline,
        )
        for dim in DIMENSIONS
        for sign in (-1.0, 1.0)
    ]
    ends = np.concatenate([t[["gap", "ci_low", "ci_high"]].to_numpy(dtype=float) for t in tables])
    low, high = min(0.0, np.nanmin(ends)), max(0.0, np.nanmax(ends))
    room = 0.1 * (high - low)
    return math.floor(2 * (low - room)) / 2, math.ceil(2 * (high + room)) / 2


def _describe(result: pd.DataFrame, t: ChartTexts) -> str:
    """One sentence on the dimension the controls changed (or on the worst one), in the
    language of ``t``."""
    language = t.language
    moved = result[(result["perception_change"] != 0) | (result["expectation_change"] != 0)]
    if moved.empty:
        worst = result.dropna(subset=["gap"]).sort_values("gap").iloc[0]
        return say(
            "explorers.quality_gap.as_answered",
            language,
            dimension=t.name("dimensions", worst["dimension"]),
            gap=t.signed(worst["gap"], 2),
            share=t.percent(worst["share_unmet"]),
        )
    row = moved.iloc[0]
    changes = []
    for kind in ("perception", "expectation"):
        points = row[f"{kind}_change"]
        if points != 0:
            way = "higher" if points > 0 else "lower"
            changes.append(
                say(f"explorers.quality_gap.{kind}_{way}", language, points=t.number(abs(points), 1))
            )
    return say(
        "explorers.quality_gap.what_if",
        language,
        dimension=t.name("dimensions", row["dimension"]),
        changes=t.join(changes),
        before=t.signed(row["gap_before"], 2),
        after=t.signed(row["gap"], 2),
        share_before=t.percent(row["share_unmet_before"]),
        share_after=t.percent(row["share_unmet"]),
    )


def gap_explorer(
    survey: pd.DataFrame, *, dimension: str | None = None, language: str = DEFAULT_LANGUAGE
) -> Explorer:
    """Move one dimension's perception and expectation and watch the gap chart.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (``inputs.survey``).
    dimension : str, optional
        The dimension selected at first; defaults to the one with the largest negative gap.
    language : str, default "en"
        The language of the labels, the chart and the sentence.

    Returns
    -------
    Explorer
        Controls ``dimension`` (dropdown), ``perception_change`` and ``expectation_change``
        (sliders, scale points from -2 to +2); the result is
        :func:`~loyalty_lessons.quality_gap.what_if_gap`. The gap axis stays the same
        whatever the sliders say.

    Raises
    ------
    LoyaltyDataError
        If ``dimension`` is unknown, or as
        :func:`~loyalty_lessons.quality_gap.survey_scores`.
    """
    scores = survey_scores(survey)
    baseline = what_if_gap(scores)
    limits = _reach(scores, baseline)
    if dimension is None:
        gaps = baseline.dropna(subset=["gap"])
        dimension = str(gaps.loc[gaps["gap"].idxmin(), "dimension"]) if len(gaps) else DIMENSIONS[0]
    if dimension not in DIMENSIONS:
        raise LoyaltyDataError(f"dimension must be one of {list(DIMENSIONS)}, got {dimension!r}.")

    t = chart_texts("quality_gap", language)

    def draw(result: pd.DataFrame, ax: Axes) -> Axes:
        plot_gap_by_dimension(result, ax, texts=t)
        ax.set_xlim(*limits)
        # Drawn again in place on the fixed axis, so that the value labels are placed by
        # their size at this scale.
        return plot_gap_by_dimension(result, ax, texts=t)

    style = {"description_width": "150px"}
    layout = widgets.Layout(width="480px")
    controls = {
        "dimension": widgets.Dropdown(
            options=[(t.name("dimensions", d), d) for d in DIMENSIONS],
            value=dimension,
            description=say("explorers.quality_gap.dimension", language),
            style=style,
            layout=layout,
        ),
        "perception_change": widgets.FloatSlider(
            value=0.0,
            min=-_MOST_POINTS,
            max=_MOST_POINTS,
            step=0.1,
            description=say("explorers.quality_gap.perception", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "expectation_change": widgets.FloatSlider(
            value=0.0,
            min=-_MOST_POINTS,
            max=_MOST_POINTS,
            step=0.1,
            description=say("explorers.quality_gap.expectation", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    return Explorer(
        controls,
        compute=lambda dimension, perception_change, expectation_change: what_if_gap(
            scores,
            {dimension: perception_change},
            expectation_changes={dimension: expectation_change},
            baseline=baseline,
        ),
        draw=draw,
        refresh=lambda result, ax: changed_artists(plot_gap_by_dimension(result, ax, texts=t)),
        describe=lambda result: _describe(result, t),
        # Room on the left for "responsiveness" at a projected page's text size.
        margins={"left": 0.22, "right": 0.98, "bottom": 0.12, "top": 0.92},
    )
