"""Explorer of lesson 06: one slider per practice, the scorecard chart, and a "Save to CSV" button.

Moving a slider refills the scorecard (:func:`~loyalty_lessons.scorecard.fill_scorecard`) and
redraws its bars and title in place (:func:`~loyalty_lessons.plots.scorecard.plot_scorecard`
on the chart it drew). The button writes the
current scorecard with :func:`~loyalty_lessons.scorecard.save_scorecard` to the file named in
the text box (by default ``scorecard.csv`` in the notebook's folder) and confirms with the
file name only.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say, write_value
from loyalty_lessons.plots import changed_artists, plot_scorecard
from loyalty_lessons.plots.texts import chart_texts
from loyalty_lessons.scorecard import (
    PRACTICES,
    fill_scorecard,
    save_scorecard,
    scorecard_template,
)
from loyalty_lessons.widgets._base import Explorer

__all__ = ["ScorecardExplorer", "scorecard_explorer"]


def _options(language: str) -> list[tuple[str, int]]:
    """Slider positions: "not rated" (value 0), then the scores 1 to 5."""
    return [(say("explorers.scorecard.not_rated", language), 0)] + [(str(s), s) for s in range(1, 6)]


def practice_name(practice_id: str, english: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A practice's name in ``language`` (``lessons.explorers.scorecard.practices``), else ``english``."""
    try:
        return say(f"explorers.scorecard.practices.{practice_id}", language)
    except KeyError:
        return english


def _describe(card: pd.DataFrame, language: str) -> str:
    rated = card.dropna(subset=["score"])
    if rated.empty:
        return say("explorers.scorecard.none_rated", language)
    weakest = rated.loc[rated["score"].idxmin()]
    return say(
        "explorers.scorecard.finding",
        language,
        rated=len(rated),
        practices=len(card),
        mean=write_value(rated["score"].mean(), language, "number", 1),
        weakest=practice_name(weakest["practice_id"], weakest["practice"], language),
        score=write_value(float(weakest["score"]), language),
    )


def _save_message(card: pd.DataFrame, file_name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Save and say so with the file name only (never a folder); or say what went wrong."""
    try:
        return say("explorers.scorecard.saved", language, file=save_scorecard(card, file_name.strip()).name)
    except (LoyaltyDataError, OSError) as problem:
        reason = problem.strerror if isinstance(problem, OSError) and problem.strerror else problem
        return say("explorers.scorecard.not_saved", language, reason=str(reason))


def _group_name(group: str, language: str) -> str:
    """A group of practices' heading in ``language``, by the English one; else the English one."""
    key = "lessons.explorers.scorecard.groups"
    return dict(zip(entry(DEFAULT_LANGUAGE, key), entry(language, key), strict=True)).get(group, group)


class ScorecardExplorer(Explorer):
    """An :class:`Explorer` with a file name box and a "Save to CSV" button below the chart.

    Attributes
    ----------
    file_name : ipywidgets.Text
        Where to save (relative to the notebook's folder).
    save_button : ipywidgets.Button
    save_status : ipywidgets.HTML
        The confirmation, or what went wrong.
    """

    def __init__(
        self,
        controls: dict,
        *,
        groups: Mapping[str, str],
        file_name: str,
        language: str = DEFAULT_LANGUAGE,
        **kwargs,
    ):
        super().__init__(controls, **kwargs)
        self.file_name = widgets.Text(
            value=file_name, description=say("explorers.scorecard.file_name", language)
        )
        self.save_button = widgets.Button(description=say("explorers.scorecard.save", language), icon="save")
        self.save_status = widgets.HTML()
        self.save_button.on_click(
            lambda _: setattr(
                self.save_status,
                "value",
                html.escape(_save_message(self.result, self.file_name.value, language)),
            )
        )
        sections = []
        for group in dict.fromkeys(groups.values()):
            sections.append(widgets.HTML(f"<b>{html.escape(group)}</b>"))
            sections.extend(c for pid, c in controls.items() if groups[pid] == group)
        save_row = widgets.HBox([self.file_name, self.save_button, self.save_status])
        self.widget = widgets.VBox([widgets.VBox(sections), self.caption, self.image, save_row])


def scorecard_explorer(
    scores: pd.DataFrame | Mapping[str, float | None] | None = None,
    *,
    file_name: str = "scorecard.csv",
    language: str = DEFAULT_LANGUAGE,
) -> ScorecardExplorer:
    """One slider per practice (not rated, 1-5), the scorecard chart, and a save button.

    Parameters
    ----------
    scores : pandas.DataFrame, dict or None
        Starting ratings: a scorecard or a dict of practice id -> score (whole numbers
        1-5; others are rounded); None starts with every practice not rated.
    file_name : str
        File name shown in the box; saved relative to the notebook's folder.
    language : str, default "en"
        The language of the labels, the practices' names and the sentences.

    Returns
    -------
    ScorecardExplorer
        One control per practice id of :data:`~loyalty_lessons.scorecard.PRACTICES`;
        ``result`` is the scorecard (as :func:`~loyalty_lessons.scorecard.fill_scorecard`).

    Raises
    ------
    LoyaltyDataError
        If a starting score is unknown or outside 1-5.
    """
    if scores is None:
        card = scorecard_template()
    elif isinstance(scores, pd.DataFrame):
        card = fill_scorecard(dict(zip(scores["practice_id"], scores["score"])))
    else:
        card = fill_scorecard(scores)
    start = {
        pid: 0 if np.isnan(score) else int(round(score))
        for pid, score in zip(card["practice_id"], card["score"])
    }
    texts = chart_texts("scorecard", language)
    controls = {
        entry["id"]: widgets.SelectionSlider(
            options=_options(language),
            value=start[entry["id"]],
            description=practice_name(entry["id"], entry["practice"], language),
            continuous_update=False,
            style={"description_width": "16em"},
            layout=widgets.Layout(width="32em"),
        )
        for entry in PRACTICES
    }
    return ScorecardExplorer(
        controls,
        groups={entry["id"]: _group_name(entry["group"], language) for entry in PRACTICES},
        file_name=file_name,
        language=language,
        compute=lambda **ratings: fill_scorecard({k: v or None for k, v in ratings.items()}),
        draw=lambda card, ax: plot_scorecard(card, ax, texts=texts),
        refresh=lambda card, ax: changed_artists(plot_scorecard(card, ax, texts=texts)),
        describe=lambda card: _describe(card, language),
        figsize=(9.0, 6.5),
        margins={"left": 0.29, "right": 0.7, "bottom": 0.075, "top": 0.9},
    )
