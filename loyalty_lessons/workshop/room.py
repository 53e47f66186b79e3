"""The scorecard together: participants rate the business, the facilitator sees the room live.

A participant's page shows one slider per practice of lesson 06's scorecard
(:data:`~loyalty_lessons.scorecard.PRACTICES`); every move is stored at once in the room's
votes (:mod:`~loyalty_lessons.workshop.votes`). The facilitator's page shows how the room
rated each practice, as bars of how many gave each score (the spread, not only the mean),
redrawn as votes arrive, and offers the table (CSV) and the chart (PNG) to download. Its
words, the chart's and the table's headers are those of ``workshop.room`` in the page's
language. (The practices are named as :data:`~loyalty_lessons.scorecard.PRACTICES` names them.)

The page itself (:func:`scorecard_page`, what ``notebooks/workshop/scorecard.ipynb``
displays) lives here rather than with the subject pages of
:mod:`~loyalty_lessons.workshop.pages`, so that a participant's kernel imports only what its
sliders need: ipywidgets, the page's words, the practices (:mod:`loyalty_lessons.practices`)
and :mod:`sqlite3`. pandas and matplotlib are imported by the facilitator's functions only
(the chart, the table, the downloads).
"""

from __future__ import annotations

import base64
import html
import io
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets

from loyalty_lessons.practices import PRACTICES, SCALE
from loyalty_lessons.workshop.navigation import nav_html, page_viewer
from loyalty_lessons.workshop.roles import FACILITATOR
from loyalty_lessons.workshop.texts import WorkshopTexts
from loyalty_lessons.workshop.votes import clear_votes, record_vote, room_summary, room_votes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "RoomScorecard",
    "ScorecardPage",
    "describe_room",
    "plot_room_scorecard",
    "room_csv",
    "scorecard_page",
]

#: Colours of the scores 1 to 5, from bad (red) to good (green); readable in grey too.
_SCORE_COLOURS = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"]
#: Seconds between two looks at the votes on the facilitator's page.
_POLL_S = 2.0
#: Text size of the room's chart, in points (18 px at its 100 dpi).
_CHART_PT = 13


def describe_room(summary: pd.DataFrame, language: str | None = None) -> str:
    """The room's verdict in one sentence: the practice rated lowest and the one it disagrees on most.

    Examples
    --------
    >>> import pandas as pd
    >>> from loyalty_lessons.workshop.votes import room_summary
    >>> describe_room(room_summary(pd.DataFrame({"practice_id": [], "score": []})), "en")
    'No ratings yet: the chart fills in as participants move their sliders.'
    """
    t = WorkshopTexts(language)
    rated = summary[summary["votes"] > 0]
    if rated.empty:
        return t("room.no_ratings")
    weakest = rated.loc[rated["mean"].idxmin()]
    spread = rated["highest"] - rated["lowest"]
    split = rated.loc[spread.idxmax()]
    values = {
        "practice": weakest["practice"],
        "mean": t.number(weakest["mean"], 1),
        "top": t.number(SCALE[1]),
        "ratings": t.count("counts.ratings", int(weakest["votes"])),
    }
    if spread.max() >= 2:
        return t(
            "room.verdict_split",
            **values,
            split=split["practice"],
            lowest=t.number(split["lowest"]),
            highest=t.number(split["highest"]),
        )
    return t("room.verdict", **values)


def plot_room_scorecard(summary: pd.DataFrame, ax: Axes, language: str | None = None) -> Axes:
    """One bar per practice, split by how many participants gave each score, with the mean marked.

    Parameters
    ----------
    summary : pandas.DataFrame
        As :func:`~loyalty_lessons.workshop.votes.room_summary` gives.
    ax : matplotlib.axes.Axes
    language : str, optional
        Language of the chart's words; default the server's.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import pandas as pd
    from matplotlib.ticker import MaxNLocator

    t = WorkshopTexts(language)
    rows = list(range(len(summary)))[::-1]  # the first practice at the top
    left = pd.Series(0, index=summary.index, dtype="float64")
    for score, colour in zip(range(SCALE[0], SCALE[1] + 1), _SCORE_COLOURS):
        counts = summary[f"score_{score}"].astype("float64")
        ax.barh(rows, counts, left=left, color=colour, edgecolor="white", label=f"{score}")
        left += counts
    most = max(float(left.max()), 1.0)
    for row, (_, entry) in zip(rows, summary.iterrows()):
        if entry["votes"]:
            ax.text(
                most * 1.01,
                row,
                t("room.mean", mean=t.number(entry["mean"], 1)),
                va="center",
                fontsize=_CHART_PT,
            )
    ax.set_yticks(rows, summary["practice"], fontsize=_CHART_PT)
    ax.set_xlim(0, most * 1.22)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # participants come whole
    ax.set_xlabel(t("room.xlabel"), fontsize=_CHART_PT)
    ax.tick_params(axis="x", labelsize=_CHART_PT)
    ax.legend(
        title=t("room.legend"),
        ncols=5,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        fontsize=_CHART_PT,
        title_fontsize=_CHART_PT,
        frameon=False,
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def room_csv(summary: pd.DataFrame, language: str | None = None) -> bytes:
    """The room's ratings as CSV for a spreadsheet (UTF-8 with its mark, so accents survive),
    its headers in ``language`` (``workshop.room.columns``; ``score_1``: ``score_column``)."""
    t = WorkshopTexts(language)
    columns = t.raw("room.columns")
    headers = {
        column: columns[column]
        if column in columns
        else t("room.score_column", score=column.removeprefix("score_"))
        for column in summary.columns
    }
    return summary.rename(columns=headers).to_csv(index=False, float_format="%.2f").encode("utf-8-sig")


def _png(summary: pd.DataFrame, language: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11.5, 5.4), dpi=100)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.3, right=0.98, top=0.88, bottom=0.1)
    plot_room_scorecard(summary, figure.add_subplot(), language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _download(label: str, name: str, mime: str, content: bytes) -> str:
    data = base64.b64encode(content).decode("ascii")
    return (
        f"<a class='ll-download' download='{html.escape(name)}' href='data:{mime};base64,{data}' "
        f"style='margin-right:24px'>{html.escape(label)}</a>"
    )


class RoomScorecard:
    """The scorecard page's body for one role.

    Attributes
    ----------
    widget : ipywidgets.VBox
    sliders : dict of str to ipywidgets.SelectionSlider
        Practice id -> slider (participants only; empty for the facilitator).
    image : ipywidgets.Image
        The room's chart (facilitator only).
    caption : ipywidgets.HTML
        The room's verdict, or the participant's progress.
    """

    def __init__(
        self, role: str, folder: str | Path | None = None, *, live: bool = True, language: str | None = None
    ):
        self.role, self.folder = role, folder
        self.texts = t = WorkshopTexts(language)
        self.participant = uuid.uuid4().hex
        self.caption = widgets.HTML()
        self.sliders: dict[str, widgets.SelectionSlider] = {}
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.downloads = widgets.HTML()
        self._seen = None
        self._stop = threading.Event()
        if role == FACILITATOR:
            self.refresh_button = widgets.Button(description=t("room.refresh"))
            self.refresh_button.on_click(lambda _: self.refresh(force=True))
            self.new_round_button = widgets.Button(description=t("room.new_round"))
            self.new_round_button.layout.width = "320px"
            self.new_round_button.on_click(lambda _: self.new_round())
            self.widget = widgets.VBox(
                [
                    self.caption,
                    self.image,
                    widgets.HBox([self.refresh_button, self.new_round_button]),
                    self.downloads,
                ]
            )
            self.refresh(force=True)
            if live:
                threading.Thread(target=self._watch, daemon=True).start()
        else:
            options = [(t("room.not_rated"), 0)] + [(str(s), s) for s in range(SCALE[0], SCALE[1] + 1)]
            for entry in PRACTICES:
                slider = widgets.SelectionSlider(
                    options=options,
                    value=0,
                    description=entry["practice"],
                    tooltip=entry["description"],
                    continuous_update=False,
                    style={"description_width": "340px"},
                    layout=widgets.Layout(width="720px"),
                )
                slider.observe(lambda change, pid=entry["id"]: self.vote(pid, change["new"]), names="value")
                self.sliders[entry["id"]] = slider
            sections = []
            for group in dict.fromkeys(entry["group"] for entry in PRACTICES):
                sections.append(widgets.HTML(f"<b>{html.escape(group)}</b>"))
                sections += [self.sliders[e["id"]] for e in PRACTICES if e["group"] == group]
            self._progress()
            self.widget = widgets.VBox([self.caption, *sections])

    def vote(self, practice_id: str, score: int) -> None:
        """Store this participant's rating of one practice (0: not rated)."""
        record_vote(self.participant, practice_id, score or None, self.folder)
        self._progress()

    def _progress(self) -> None:
        t = self.texts
        rated = sum(1 for s in self.sliders.values() if s.value)
        progress = t.html(
            "room.progress",
            rated=t.number(rated),
            practices=t.number(len(PRACTICES)),
            lowest=t.number(SCALE[0]),
            highest=t.number(SCALE[1]),
        )
        self.caption.value = f"<p class='ll-room'>{progress}</p>"

    def refresh(self, force: bool = False) -> bool:
        """Redraw the room's chart when votes arrived since the last look; True if redrawn."""
        votes = room_votes(self.folder)
        seen = (len(votes), int(votes["score"].sum()), votes["participant"].nunique())
        if seen == self._seen and not force:
            return False
        self._seen = seen
        summary = room_summary(votes)
        self.summary, t = summary, self.texts
        self.message = describe_room(summary, t.language)
        counts = t(
            "room.counts",
            participants=t.count("counts.participants", seen[2]),
            ratings=t.count("counts.ratings", seen[0]),
        )
        self.caption.value = (
            f"<p class='ll-room'><b>{html.escape(self.message)}</b> {html.escape(counts)}</p>"
        )
        png = _png(summary, t.language)
        self.image.value = png
        self.downloads.value = (
            html.escape(t("room.download"))
            + " "
            + _download(
                t("room.download_csv"), "room-scorecard.csv", "text/csv", room_csv(summary, t.language)
            )
            + _download(t("room.download_png"), "room-scorecard.png", "image/png", png)
        )
        return True

    def new_round(self) -> None:
        """Forget every vote and show the empty chart."""
        clear_votes(self.folder)
        self.refresh(force=True)

    def _watch(self) -> None:
        while not self._stop.wait(_POLL_S):
            try:
                self.refresh()
            except Exception:  # the folder is gone: the server is stopping
                return

    def close(self) -> None:
        """Stop watching the votes."""
        self._stop.set()


class ScorecardPage:
    """The scorecard together: a participant rates, the facilitator sees the room (:class:`RoomScorecard`)."""

    def __init__(
        self,
        folder: str | Path | None = None,
        role: str = FACILITATOR,
        *,
        live: bool = True,
        language: str | None = None,
    ):
        self.folder, self.role = folder, role
        self.texts = t = WorkshopTexts(language)
        self.room = RoomScorecard(role, folder, live=live, language=t.language)
        self.widget = widgets.VBox(
            [
                widgets.HTML(nav_html("scorecard", role, t)),
                widgets.HTML(f"<h1 style='margin:0.1em 0'>{html.escape(t('pages.scorecard'))}</h1>"),
                self.room.widget,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def scorecard_page(
    folder: str | Path | None = None,
    role: str | None = None,
    *,
    live: bool = True,
    language: str | None = None,
) -> ScorecardPage:
    """The scorecard page for whoever opened it (what ``notebooks/workshop/scorecard.ipynb`` displays).

    ``live``: the facilitator's chart follows the votes by itself (False: on Refresh only).
    ``role`` and ``language`` None: those the page's address gives.
    """
    role, language = page_viewer(role, language)
    return ScorecardPage(folder, role, live=live, language=language)
