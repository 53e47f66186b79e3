"""The workshop's pages: one per subject of the lessons, the index page and the scorecard together.

Each page is a notebook of ``notebooks/workshop/`` whose one cell calls :func:`index_page`,
:func:`subject_page` or :func:`scorecard_page`; Voilà shows the widgets and hides the code.
A subject page shows the explorers of its lesson (:func:`subject_explorers`) on the active
dataset of :mod:`loyalty_lessons.workshop.store`; the index page links to them and, for the
facilitator only, holds the :class:`~loyalty_lessons.workshop.upload.UploadPanel`.

A page is built first and given to its viewer second (:meth:`SubjectPage.open_for`): a
kernel of Voilà's pool builds the page before anyone asks, then learns who asked
(:mod:`~loyalty_lessons.workshop.roles`) and reads the data again if they changed meanwhile.
"""

from __future__ import annotations

import html
import struct
from pathlib import Path

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
import pandas as pd

from loyalty_lessons import fit_bg_nbd, model_check
from loyalty_lessons.customer_types.classify import classify_customers
from loyalty_lessons.customer_types.profile import type_profile
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.formatting import currency_symbol
from loyalty_lessons.loyalty_value.business_figures import business_figures
from loyalty_lessons.retention import annual_retention
from loyalty_lessons.widgets import (
    Explorer,
    check_explorer,
    gap_explorer,
    history_explorer,
    lifetime_explorer,
    monitoring_explorer,
    pareto_explorer,
    type_explorer,
    value_explorer,
)
from loyalty_lessons.workshop.roles import FACILITATOR, page_link, page_request, role_from_query
from loyalty_lessons.workshop.room import RoomScorecard
from loyalty_lessons.workshop.store import Dataset, active_dataset, dataset_version
from loyalty_lessons.workshop.upload import UploadPanel, error_html

__all__ = [
    "INDEX_NOTEBOOK",
    "SUBJECTS",
    "ROOM_PAGE",
    "IndexPage",
    "ScorecardPage",
    "SubjectPage",
    "dataset_banner",
    "index_page",
    "scorecard_page",
    "subject_explorers",
    "subject_page",
]

#: Subject -> (page title, notebook file in notebooks/workshop/).
SUBJECTS: dict[str, tuple[str, str]] = {
    "quality-gap": ("The quality gap", "quality-gap.ipynb"),
    "customer-types": ("Customer types", "customer-types.ipynb"),
    "80-20": ("The 80/20 rule", "the-80-20-rule.ipynb"),
    "loyalty-value": ("The value of loyalty", "loyalty-value.ipynb"),
    "monitoring": ("Monitoring loyalty", "monitoring.ipynb"),
    "customer-base": ("Who is still a customer", "customer-base.ipynb"),
}

#: The home page's notebook in notebooks/workshop/.
INDEX_NOTEBOOK = "index.ipynb"

#: The scorecard together: (page title, notebook file in notebooks/workshop/).
ROOM_PAGE = ("The scorecard together", "scorecard.ipynb")

#: Headings above the explorers of a page that has more than one.
_EXPLORER_HEADINGS = {
    "loyalty-value": [
        "A loyal customer against a satisfied one, and word of mouth",
        "How long customers stay, and what that is worth",
    ],
    "customer-base": [
        "One customer: how likely are they still a customer?",
        "The model check: fitted on the past, compared with what came next",
    ],
}


# --------------------------------------------------------------------------- the pages' content


#: Fewer customers than this, and the loyalty-value page says its figures are rough.
FEW_CUSTOMERS = 100


def _partial_years(dates: pd.Series) -> dict[int, int]:
    """Calendar years the data cover only in part (the first, the last) -> months covered."""
    first, last = dates.min(), dates.max()
    partial = {}
    if first.month > 1 or first.day > 7:
        partial[first.year] = 13 - first.month
    if last.month < 12 or last.day < 24:
        partial[last.year] = last.month if last.year != first.year else last.month - first.month + 1
    return partial


def _page_retention(dataset: Dataset) -> tuple[pd.DataFrame, list[str]]:
    """The yearly retention the page starts from, on whole years when it can, and what to say of it.

    A pair of years where one is covered only in part counts as lost the customers who
    would still come back later that year: such pairs are left out when a whole pair
    remains, and the page warns when none does.
    """
    transactions = dataset.inputs.transactions
    retention = annual_retention(transactions)
    partial = _partial_years(transactions["date"])
    whole = retention[~retention["year"].isin(partial) & ~(retention["year"] + 1).isin(partial)]
    if partial and not whole.empty:
        kept = ", ".join(f"{y}-{y + 1}" for y in whole["year"])
        return whole, [f"Yearly retention is measured on whole years only ({kept}); {_covered(partial)}."]
    if partial:
        pooled = retention["retained"].sum() / max(retention["customers"].sum(), 1)
        return retention, [
            f"Careful: the yearly retention ({pooled:.0%}) compares years the data cover only in part "
            f"({_covered(partial)}). Customers who would still come back later in such a year count as "
            "lost, so retention, how long a customer stays and what they are worth are understated: "
            "read them as a floor."
        ]
    return retention, []


def _covered(partial: dict[int, int]) -> str:
    return ", ".join(
        f"{year} has {months} month{'s' if months != 1 else ''} of data" for year, months in partial.items()
    )


def _loyalty_value_explorers(dataset: Dataset) -> tuple[list[Explorer], list[str]]:
    inputs, notes = dataset.inputs, []
    symbol = currency_symbol(dataset.currency)
    try:
        types = classify_customers(
            inputs.summary, transactions=inputs.transactions, observation_end=inputs.observation_end
        )
        retention, notes = _page_retention(dataset)
        figures = business_figures(inputs.summary, type_profile(types, inputs.summary), retention)
    except LoyaltyDataError as problem:
        notes = [
            f"The business's own figures could not be estimated: {problem} "
            "The sliders start from the textbook example instead."
        ]
        return [value_explorer(symbol=symbol), lifetime_explorer(symbol=symbol)], notes
    if len(inputs.summary) < FEW_CUSTOMERS:
        notes.append(
            f"These figures rest on {len(inputs.summary):,} customers only: read them as an order of "
            "magnitude, not a measurement."
        )
    return [
        value_explorer(figures.monthly_spend_satisfied, figures.monthly_spend_loyal, symbol=symbol),
        lifetime_explorer(figures.monthly_spend, figures.yearly_retention, symbol=symbol),
    ], notes


def _customer_base_explorers(dataset: Dataset) -> tuple[list[Explorer], list[str]]:
    """The history explorer on the model fitted to the dataset, and the model check's charts.

    A model that cannot be fitted leaves the page with a note saying why in words; a check
    that cannot be run leaves the history explorer with a note.
    """
    inputs = dataset.inputs
    try:
        model = fit_bg_nbd(inputs.summary)
    except LoyaltyDataError as refusal:
        return [], [f"Who is still a customer cannot be estimated on {dataset.name}: {refusal}"]
    weeks = int(np.ceil(float(inputs.summary["T"].max()) / 7))
    explorers, notes = [history_explorer(model, max_weeks=max(weeks, 4))], []
    try:
        explorers.append(check_explorer(model_check(inputs.transactions, holdout_end=inputs.observation_end)))
    except LoyaltyDataError as problem:
        notes.append(
            f"The model could not be checked on a later period of {dataset.name}: {problem} "
            "Use its figures with care."
        )
    return explorers, notes


def subject_explorers(subject: str, dataset: Dataset) -> tuple[list[Explorer], list[str]]:
    """The explorers of one page, built on ``dataset``, and notes to show above them.

    Parameters
    ----------
    subject : str
        A key of :data:`SUBJECTS`.
    dataset : Dataset

    Returns
    -------
    (list of Explorer, list of str)
        The explorers (none when the dataset lacks a table the page needs) and notes
        saying what is missing or what was assumed.

    Raises
    ------
    LoyaltyDataError
        If ``subject`` is unknown, or an explorer cannot use the data.

    Examples
    --------
    >>> explorers, notes = subject_explorers("80-20", active_dataset(folder=""))
    >>> explorers[0].message.startswith("The top 20% of customers"), notes
    (True, [])
    """
    inputs = dataset.inputs
    if subject == "quality-gap":
        if inputs.survey is None:
            return [], [
                "This dataset has no survey: upload a SERVQUAL survey export on the "
                "index page to explore the quality gap."
            ]
        return [gap_explorer(inputs.survey)], []
    if subject == "customer-types":
        return [
            type_explorer(inputs.summary, inputs.transactions, observation_end=inputs.observation_end)
        ], []
    if subject == "80-20":
        return [pareto_explorer(inputs.summary)], []
    if subject == "loyalty-value":
        return _loyalty_value_explorers(dataset)
    if subject == "monitoring":
        return [monitoring_explorer(inputs.transactions, observation_end=inputs.observation_end)], []
    if subject == "customer-base":
        return _customer_base_explorers(dataset)
    raise LoyaltyDataError(f"subject must be one of {list(SUBJECTS)}, got {subject!r}.")


def dataset_banner(dataset: Dataset) -> str:
    """One line naming the active dataset and its size, as HTML.

    Examples
    --------
    >>> dataset_banner(active_dataset(folder="")).startswith("<div class='ll-dataset'")
    True
    """
    inputs = dataset.inputs
    tables = [f"{len(inputs.transactions):,} transactions", f"{len(inputs.summary):,} customers"]
    if inputs.survey is not None:
        tables.append(f"{inputs.survey['respondent_id'].nunique():,} survey respondents")
    if inputs.complaints is not None:
        tables.append(f"{len(inputs.complaints):,} complaints")
    first, last = inputs.transactions["date"].min(), inputs.transactions["date"].max()
    return (
        f"<div class='ll-dataset' style='padding:6px 10px;background:#eef3f8;"
        f"border-left:4px solid #2c5d8a;margin:4px 0 10px 0'>Data: <b>{html.escape(dataset.name)}</b>"
        f" &mdash; {', '.join(tables)}, {first:%d %b %Y} to {last:%d %b %Y}.</div>"
    )


#: Resolution of the charts on a workshop page: a 7.5-inch chart is 750 px wide, beside
#: its controls on a 1280-px projector.
_PAGE_DPI = 100
#: Text of the charts on a workshop page, in points: 13 pt at 100 dpi is 18 px, as the page's text.
_PAGE_FONT = {
    "font.size": 13,
    "axes.titlesize": 13,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
}
#: Width of the controls' column beside the chart, in pixels.
_CONTROLS_PX = 440


def _fit(explorer: Explorer) -> Explorer:
    """Lay an explorer out for a projector: controls beside the sentence and the chart, 18-px text.

    The chart is drawn at :data:`_PAGE_DPI` with text at :data:`_PAGE_FONT` and shown at the
    size it was drawn (a browser would otherwise stretch it, blurring it); its controls stand
    in a column on its left, labels above the sliders, so that controls, sentence and chart
    fit one 1280 x 800 screen.
    """
    explorer.dpi = _PAGE_DPI
    with mpl.rc_context(_PAGE_FONT):
        explorer.redraw()
    png = explorer.image.value
    if png[:8] == b"\x89PNG\r\n\x1a\n":
        width = struct.unpack(">I", png[16:20])[0]
        explorer.image.layout = widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
    labels = [getattr(c, "description", "") or "" for c in explorer.controls.values()]
    # Room for the longest label (about 9 px a character at 18 px) and 200 px of slider.
    column_px = max(_CONTROLS_PX, min(600, 9 * max(map(len, labels), default=0) + 230))
    for control in explorer.controls.values():
        control.style.description_width = "initial"
        control.layout.width = f"{column_px - 10}px"
        control.add_class("ll-control")
    controls, caption, image, *rest = explorer.widget.children
    explorer.widget.children = [
        widgets.HBox(
            [
                widgets.VBox(
                    list(explorer.controls.values()),
                    layout=widgets.Layout(width=f"{column_px}px", flex="0 0 auto"),
                ),
                widgets.VBox([caption, image], layout=widgets.Layout(flex="1 1 auto", min_width="0")),
            ]
        ),
        *rest,
    ]
    _keep_font(explorer)
    return explorer


def _keep_font(explorer: Explorer) -> None:
    """Draw the explorer's later charts with the page's text size too."""
    update = explorer.update

    def update_with_font() -> None:
        with mpl.rc_context(_PAGE_FONT):
            update()

    explorer.update = update_with_font


def _nav(current: str | None, role: str = FACILITATOR) -> str:
    links = [("Home", INDEX_NOTEBOOK, current is None)] + [
        (title, notebook, key == current) for key, (title, notebook) in SUBJECTS.items()
    ]
    links.append((ROOM_PAGE[0], ROOM_PAGE[1], current == "scorecard"))
    items = [
        f"<b>{html.escape(t)}</b>"
        if here
        else f"<a href='{html.escape(page_link(n, role))}'>{html.escape(t)}</a>"
        for t, n, here in links
    ]
    return f"<div class='ll-nav'>{' &nbsp;|&nbsp; '.join(items)}</div>"


def _note(text: str, colour: str = "#5a4a00", background: str = "#fff7d6") -> widgets.HTML:
    return widgets.HTML(
        f"<div class='ll-note' style='padding:6px 10px;background:{background};"
        f"color:{colour};max-width:1100px'>{html.escape(text)}</div>"
    )


def _viewer_role(role: str | None) -> str:
    """The role given, or the one the page's request gives (waiting for it in a pooled kernel)."""
    return role if role is not None else role_from_query(page_request())


class SubjectPage:
    """One subject's page: title, links, the active dataset, its explorers and a reload button.

    Attributes
    ----------
    widget : ipywidgets.VBox
    explorers : list of Explorer
    dataset : Dataset
    role : str
        Who the page is shown to (see :meth:`open_for`).
    """

    def __init__(self, subject: str, folder: str | Path | None = None):
        if subject not in SUBJECTS:
            raise LoyaltyDataError(f"subject must be one of {list(SUBJECTS)}, got {subject!r}.")
        self.subject, self.folder, self.role = subject, folder, FACILITATOR
        self.nav = widgets.HTML(_nav(subject))
        self.banner = widgets.HTML()
        self.body = widgets.VBox()
        self.reload_button = widgets.Button(
            description="Reload data",
            tooltip="Show the dataset the facilitator loaded last",
            layout=widgets.Layout(width="160px", margin="0 0 0 24px"),
        )
        self.reload_button.on_click(lambda _: self.reload())
        title = widgets.HTML(f"<h1 style='margin:0.1em 0'>{html.escape(SUBJECTS[subject][0])}</h1>")
        self.widget = widgets.VBox(
            [
                self.nav,
                widgets.HBox([title, self.reload_button], layout=widgets.Layout(align_items="center")),
                self.banner,
                self.body,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self.reload()

    def open_for(self, role: str) -> None:
        """Show the page to ``role``: its links keep the facilitator's key, and the data are
        read again if they changed since the page was built."""
        self.role = role
        self.nav.value = _nav(self.subject, role)
        if dataset_version(self.folder) != self._version:
            self.reload()

    def reload(self) -> None:
        """Read the active dataset again and rebuild the explorers on it."""
        self.explorers = []
        self._version = dataset_version(self.folder)
        try:
            self.dataset = active_dataset(self.folder)
            self.banner.value = dataset_banner(self.dataset)
            self.explorers, notes = subject_explorers(self.subject, self.dataset)
        except LoyaltyDataError as problem:
            self.body.children = [widgets.HTML(error_html(str(problem)))]
            return
        headings = _EXPLORER_HEADINGS.get(self.subject, [])
        parts = [_note(n) for n in notes]
        for i, explorer in enumerate(self.explorers):
            if i < len(headings):
                parts.append(
                    widgets.HTML(f"<h2 style='margin:0.6em 0 0.2em 0'>{html.escape(headings[i])}</h2>")
                )
            parts.append(_fit(explorer).widget)
        self.body.children = parts

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def subject_page(subject: str, folder: str | Path | None = None, role: str | None = None) -> SubjectPage:
    """The page of one subject, on the active dataset (what a workshop notebook displays).

    ``role`` None: the role the page's address gives (:mod:`~loyalty_lessons.workshop.roles`).
    """
    page = SubjectPage(subject, folder)
    page.open_for(_viewer_role(role))
    return page


_BLURBS = {
    "quality-gap": "what customers expect against what they get, dimension by dimension",
    "customer-types": "dissatisfied, satisfied and loyal customers, and what each brings",
    "80-20": "how much of the revenue the best customers bring",
    "loyalty-value": "what a loyal customer is worth over the years, and what retention adds",
    "monitoring": "the monthly figures and the three signals of loyalty",
    "customer-base": "who is probably still a customer, judged by their own rhythm of buying",
    "scorecard": "rate the business together on the practices of the sources",
}


class IndexPage:
    """The home page: what each page shows, links to them, the active dataset; for the
    facilitator, the upload form too.

    Attributes
    ----------
    upload : UploadPanel or None
        The upload form; None on a participant's page (their kernel never holds one).
    """

    def __init__(self, folder: str | Path | None = None):
        self.folder, self.role, self.upload = folder, FACILITATOR, None
        self.banner = widgets.HTML()
        self.links = widgets.HTML()
        self.extra = widgets.VBox()
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h1 style='margin:0.1em 0'>Customer loyalty workshop</h1>"),
                self.banner,
                self.links,
                self.extra,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self._links()
        self.refresh()

    def _links(self) -> None:
        pages = [(key, title, notebook) for key, (title, notebook) in SUBJECTS.items()]
        pages.append(("scorecard", *ROOM_PAGE))
        items = "".join(
            f"<li><a href='{html.escape(page_link(notebook, self.role))}'>{html.escape(title)}</a>: "
            f"{html.escape(_BLURBS[key])}</li>"
            for key, title, notebook in pages
        )
        self.links.value = f"<ul class='ll-pages' style='line-height:1.6'>{items}</ul>"

    def open_for(self, role: str) -> None:
        """Show the page to ``role``: the facilitator gets the upload form, a participant a note."""
        self.role = role
        self._links()
        if role == FACILITATOR:
            self.upload = UploadPanel(self.folder, on_change=self.refresh)
            self.extra.children = [self.upload.widget]
        else:
            self.extra.children = [
                _note(
                    "You are looking at the facilitator's data: move the controls as you like, "
                    "nobody else sees your moves. On the scorecard page your ratings join the room's.",
                    colour="#1d3c5e",
                    background="#eef3f8",
                )
            ]
        self.refresh()

    def refresh(self) -> None:
        """Restate the active dataset."""
        try:
            self.banner.value = dataset_banner(active_dataset(self.folder))
        except LoyaltyDataError as problem:
            self.banner.value = error_html(str(problem))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def index_page(folder: str | Path | None = None, role: str | None = None) -> IndexPage:
    """The home page of the workshop (what ``notebooks/workshop/index.ipynb`` displays).

    ``role`` None: the role the page's address gives (:mod:`~loyalty_lessons.workshop.roles`).
    """
    page = IndexPage(folder)
    page.open_for(_viewer_role(role))
    return page


class ScorecardPage:
    """The scorecard together: a participant rates, the facilitator sees the room (:class:`RoomScorecard`)."""

    def __init__(self, folder: str | Path | None = None, role: str = FACILITATOR, *, live: bool = True):
        self.folder, self.role = folder, role
        self.room = RoomScorecard(role, folder, live=live)
        self.widget = widgets.VBox(
            [
                widgets.HTML(_nav("scorecard", role)),
                widgets.HTML(f"<h1 style='margin:0.1em 0'>{html.escape(ROOM_PAGE[0])}</h1>"),
                self.room.widget,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def scorecard_page(
    folder: str | Path | None = None, role: str | None = None, *, live: bool = True
) -> ScorecardPage:
    """The scorecard page for whoever opened it (what ``notebooks/workshop/scorecard.ipynb`` displays).

    ``live``: the facilitator's chart follows the votes by itself (False: on Refresh only).
    """
    return ScorecardPage(folder, _viewer_role(role), live=live)
