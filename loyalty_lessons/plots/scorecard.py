"""Chart of the workshop scorecard: one bar per practice, grouped by source, or one per group.

Takes a result of :mod:`loyalty_lessons.scorecard` and ``ax=None``, draws only through the
given Axes and returns it. The title names the strongest and the weakest practice.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks
from loyalty_lessons.plots.texts import ChartTexts, chart_texts
from loyalty_lessons.scorecard import SCALE, fill_scorecard
from loyalty_lessons.scorecard_texts import scorecard_in

__all__ = ["plot_scorecard"]

_GROUP_COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _score(value: float, t: ChartTexts, digits: int = 3) -> str:
    """A score with ``digits`` significant digits at most, as ``{:.<digits>g}`` writes it,
    with the language's separators: 4, 2.86."""
    rounded = f"{value:.{digits}g}"
    return t.number(float(rounded), len(rounded.partition(".")[2]))


def _title(names: pd.Series, values: pd.Series, what: str, t: ChartTexts) -> str:
    rated = values.notna()
    if not rated.any():
        return t(f"title_none.{what}", low=t.number(SCALE[0]), high=t.number(SCALE[1]))
    kept_names, kept = names[rated], values[rated]
    best, worst = kept.idxmax(), kept.idxmin()
    if kept.nunique() == 1:
        title = t(f"title_same.{what}", score=_score(kept.iloc[0], t, 6))
    else:
        title = t(
            "title",
            best=_lower_first(kept_names[best]),
            best_score=_score(kept[best], t),
            worst=_lower_first(kept_names[worst]),
            worst_score=_score(kept[worst], t),
        )
    if not rated.all():
        title += "\n" + t(f"rated.{what}", rated=t.number(int(rated.sum())), total=t.number(len(values)))
    return title


def plot_scorecard(
    scores_or_summary: pd.DataFrame | Mapping[str, float | None],
    ax: Axes | None = None,
    *,
    scale: tuple[float, float] = SCALE,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Horizontal bars of the scorecard, grouped and coloured by source, lowest scores visible.

    Given a scorecard (one row per practice), draws one bar per practice in the scorecard's
    order, from the top, coloured by group; a practice not rated has no bar and reads
    "not rated". Given the output of :func:`~loyalty_lessons.scorecard.score_summary`, draws
    one bar per group (its mean score). The title names the strongest and the weakest
    (the first in order on a tie), with their scores.

    When ``ax`` already shows this chart for the same practices (or groups) in the same
    order, the bar lengths, their labels and the title change in place:
    :func:`~loyalty_lessons.plots.changed_artists` lists what changed.

    Parameters
    ----------
    scores_or_summary : pandas.DataFrame or dict
        A scorecard (columns ``practice``, ``group`` and ``score``, e.g. from
        :func:`~loyalty_lessons.scorecard.fill_scorecard`), a dict of practice id -> score,
        or a summary (columns ``group`` and ``mean_score``).
    ax : matplotlib.axes.Axes or None
        The Axes to draw on; a new figure is made when None.
    scale : (number, number)
        The rating scale; the x axis runs from 0 to its highest score.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats (catalogue section ``charts.scorecard``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default. In another
        language, the practices and groups the catalogue knows are named in it too
        (:func:`~loyalty_lessons.scorecard_texts.scorecard_in`).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.patches`` holds one bar per row (width 0 when not rated).

    Raises
    ------
    LoyaltyDataError
        If the frame is empty or lacks the columns above.
    """
    t = chart_texts("scorecard", texts=texts)
    names, values, groups, what = _rows(scores_or_summary, scale, t.language)
    frame = (tuple(names), tuple(groups), what, tuple(scale), t.identity)
    chart = chart_on(ax, "scorecard", frame)
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots(figsize=(9.0, 1.2 + 0.3 * len(names)), layout="constrained")
        order = list(dict.fromkeys(groups))
        colour_of = {g: _GROUP_COLOURS[i % len(_GROUP_COLOURS)] for i, g in enumerate(order)}
        positions = np.arange(len(names))[::-1]
        bars = ax.barh(positions, values.fillna(0.0).to_numpy(), color=[colour_of[g] for g in groups])
        ax.set_yticks(positions, list(names))
        ax.set_xlim(0, scale[1] + 0.5)
        ax.set_xticks(np.arange(np.ceil(scale[0]), np.floor(scale[1]) + 1))
        ax.set_xlabel(t("xlabel", low=t.number(scale[0], 0), high=t.number(scale[1], 0)))
        if what == "practice" and len(order) > 1:
            ax.legend(
                handles=[Patch(color=colour_of[g], label=g) for g in order],
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                fontsize=8,
                frameon=False,
            )
        chart = {"anchor": bars[0], "bars": bars, "labels": []}
    widths = values.fillna(0.0).to_numpy()
    for bar, width in zip(chart["bars"], widths):
        bar.set_width(width)
    chart["bars"].datavalues = widths
    for label in chart["labels"]:
        label.remove()
    chart["labels"] = _label_scores(ax, values, t)
    ax.set_title(_title(names, values, what, t))
    changed = [*chart["bars"], *ax.spines.values(), *chart["labels"], ax.title]
    keep_chart(ax, "scorecard", frame, chart, None if fresh else changed)
    local_ticks(ax, t)
    return ax


def _rows(
    scores_or_summary: pd.DataFrame | Mapping[str, float | None], scale: tuple[float, float], language: str
) -> tuple[pd.Series, pd.Series, pd.Series, str]:
    """Names, scores and groups of the bars (named in ``language``), and what a bar is
    ("practice" or "group")."""
    data = scores_or_summary
    if isinstance(data, Mapping):
        data = fill_scorecard(data, scale=scale)
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise LoyaltyDataError("nothing to draw: pass a scorecard (fill_scorecard) or its score_summary().")
    data = scorecard_in(data, language)
    if {"practice", "group", "score"} <= set(data.columns):
        names, values, what = data["practice"], data["score"], "practice"
        groups = data["group"]
    elif {"group", "mean_score"} <= set(data.columns):
        names, values, what = data["group"], data["mean_score"], "group"
        groups = data["group"]
    else:
        raise LoyaltyDataError(
            f"the frame has columns {list(data.columns)}; pass a scorecard (columns practice, "
            "group, score) or a score_summary() (columns group, mean_score)."
        )
    names = names.astype(str).reset_index(drop=True)
    values = pd.to_numeric(values, errors="coerce").astype("float64").reset_index(drop=True)
    groups = groups.astype(str).reset_index(drop=True)
    return names, values, groups, what


def _label_scores(ax: Axes, values: pd.Series, t: ChartTexts) -> list[Artist]:
    positions = np.arange(len(values))[::-1]
    labels = []
    for position, value in zip(positions, values):
        label = t("not_rated") if np.isnan(value) else _score(value, t, 6)
        labels.append(
            ax.text(
                0.05 if np.isnan(value) else value + 0.05,
                position,
                label,
                va="center",
                fontsize=8,
                color="gray" if np.isnan(value) else "black",
            )
        )
    return labels
