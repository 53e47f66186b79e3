"""The workshop's pages: one per subject of the lessons and the index page.

Each page is a notebook of ``notebooks/workshop/`` whose one cell calls :func:`index_page`,
:func:`subject_page` or :func:`scorecard_page`; Voilà shows the widgets and hides the code.
The scorecard together's page is built in :mod:`~loyalty_lessons.workshop.room` (and
importable from here too), so that a participant's kernel does not import this module's data
libraries; the links between pages are in :mod:`~loyalty_lessons.workshop.navigation`.
A subject page shows the explorers of its lesson (:func:`subject_explorers`) on the active
dataset of :mod:`loyalty_lessons.workshop.store`; the index page links to them and, for the
facilitator only, holds the :class:`~loyalty_lessons.workshop.upload.UploadPanel`.

A page is built first and given to its viewer second (:meth:`SubjectPage.open_for`): a
kernel of Voilà's pool builds the page before anyone asks, then learns who asked
(:mod:`~loyalty_lessons.workshop.roles`) and reads the data again if they changed meanwhile.
Every text is read from the catalogue in the page's language
(:mod:`~loyalty_lessons.workshop.texts`), and every link keeps that language.
"""

from __future__ import annotations

import html
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
import pandas as pd

from loyalty_lessons import widgets as lesson_explorers
from loyalty_lessons.catalogue import available_languages
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.formatting import currency_symbol
from loyalty_lessons.workshop.navigation import (
    INDEX_NOTEBOOK,
    ROOM_NOTEBOOK,
    SUBJECTS,
    nav_html,
    page_notebooks,
    page_viewer,
)
from loyalty_lessons.workshop.roles import FACILITATOR, in_pool, page_link
from loyalty_lessons.workshop.room import ScorecardPage, scorecard_page
from loyalty_lessons.workshop.store import SAMPLE_NAME, Dataset, active_dataset, dataset_version
from loyalty_lessons.workshop.texts import WorkshopTexts
from loyalty_lessons.workshop.upload import UploadPanel, error_html
from loyalty_lessons.workshop.wording import in_page_terms

if TYPE_CHECKING:
    from loyalty_lessons.widgets import Explorer

__all__ = [
    "INDEX_NOTEBOOK",
    "SUBJECTS",
    "ROOM_NOTEBOOK",
    "IndexPage",
    "ScorecardPage",
    "SubjectPage",
    "dataset_banner",
    "index_page",
    "scorecard_page",
    "subject_explorers",
    "subject_page",
]

#: Pages whose explorers have headings above them (``workshop.headings.<subject>``).
_HEADED = ("loyalty-value", "customer-base")


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


def _page_retention(dataset: Dataset, t: WorkshopTexts) -> tuple[pd.DataFrame, list[str]]:
    """The yearly retention the page starts from, on whole years when it can, and what to say of it.

    A pair of years where one is covered only in part counts as lost the customers who
    would still come back later that year: such pairs are left out when a whole pair
    remains, and the page warns when none does.
    """
    from loyalty_lessons.retention import annual_retention

    transactions = dataset.inputs.transactions
    retention = annual_retention(transactions)
    partial = _partial_years(transactions["date"])
    whole = retention[~retention["year"].isin(partial) & ~(retention["year"] + 1).isin(partial)]
    if partial and not whole.empty:
        kept = t.join([f"{y}-{y + 1}" for y in whole["year"]])
        return whole, [t("notes.whole_years", years=kept, covered=_covered(partial, t))]
    if partial:
        pooled = retention["retained"].sum() / max(retention["customers"].sum(), 1)
        return retention, [
            t("notes.partial_years", retention=t.percent(pooled), covered=_covered(partial, t))
        ]
    return retention, []


def _covered(partial: dict[int, int], t: WorkshopTexts) -> str:
    return t.join(
        [
            t("notes.covered", year=year, months=t.count("counts.months", months))
            for year, months in partial.items()
        ]
    )


def _problem(problem: LoyaltyDataError, t: WorkshopTexts) -> str:
    """What the analysis said, in the page's language when it says it with a reason code
    (a model that cannot be fitted); the analysis's own words otherwise."""
    reason = getattr(problem, "reason", None)
    if t.language != "en" and reason:
        said = t.named("model_reasons", reason)
        return said[:1].upper() + said[1:]
    return str(problem)


def _dataset_name(dataset: Dataset, t: WorkshopTexts) -> str:
    return t("sample_name") if dataset.name == SAMPLE_NAME else dataset.name


def _loyalty_value_explorers(dataset: Dataset, t: WorkshopTexts) -> tuple[list[Explorer], list[str]]:
    # Imported here, as every page's own analyses are: a kernel imports what its page shows.
    from loyalty_lessons.customer_types.classify import classify_customers
    from loyalty_lessons.customer_types.profile import type_profile
    from loyalty_lessons.loyalty_value.business_figures import business_figures

    inputs, notes = dataset.inputs, []
    symbol = currency_symbol(dataset.currency)
    try:
        types = classify_customers(
            inputs.summary, transactions=inputs.transactions, observation_end=inputs.observation_end
        )
        retention, notes = _page_retention(dataset, t)
        # _page_retention has chosen the pairs of years and says when they are not whole.
        figures = business_figures(
            inputs.summary, type_profile(types, inputs.summary), retention, whole_years_only=False
        )
    except LoyaltyDataError as problem:
        notes = [t("notes.no_figures", problem=_problem(problem, t))]
        return [
            lesson_explorers.value_explorer(symbol=symbol, language=t.language),
            lesson_explorers.lifetime_explorer(symbol=symbol, language=t.language),
        ], notes
    if len(inputs.summary) < FEW_CUSTOMERS:
        notes.append(t("notes.few_customers", customers=t.count("counts.customers", len(inputs.summary))))
    return [
        lesson_explorers.value_explorer(
            figures.monthly_spend_satisfied, figures.monthly_spend_loyal, symbol=symbol, language=t.language
        ),
        lesson_explorers.lifetime_explorer(
            figures.monthly_spend, figures.yearly_retention, symbol=symbol, language=t.language
        ),
    ], notes


def _customer_base_explorers(dataset: Dataset, t: WorkshopTexts) -> tuple[list[Explorer], list[str]]:
    """The history explorer on the model fitted to the dataset, and the model check's charts.

    A model that cannot be fitted leaves the page with a note saying why in words; a check
    that cannot be run leaves the history explorer with a note.
    """
    # Imported here: the model's fit (scipy.optimize) is this page's only, and every other
    # page's kernel would pay for its import.
    from loyalty_lessons import fit_bg_nbd, model_check

    inputs, name = dataset.inputs, _dataset_name(dataset, t)
    try:
        model = fit_bg_nbd(inputs.summary)
    except LoyaltyDataError as refusal:
        return [], [t("notes.no_model", name=name, problem=_problem(refusal, t))]
    weeks = int(np.ceil(float(inputs.summary["T"].max()) / 7))
    explorers, notes = (
        [lesson_explorers.history_explorer(model, max_weeks=max(weeks, 4), language=t.language)],
        [],
    )
    try:
        check = model_check(inputs.transactions, holdout_end=inputs.observation_end)
        explorers.append(lesson_explorers.check_explorer(check, language=t.language))
    except LoyaltyDataError as problem:
        notes.append(t("notes.no_check", name=name, problem=_problem(problem, t)))
    return explorers, notes


def subject_explorers(
    subject: str, dataset: Dataset, language: str | None = None
) -> tuple[list[Explorer], list[str]]:
    """The explorers of one page, built on ``dataset``, and notes to show above them.

    Every page builds its explorers here. The notes and the explorers are in ``language``.

    Parameters
    ----------
    subject : str
        A key of :data:`SUBJECTS`.
    dataset : Dataset
    language : str, optional
        Language of the notes and the explorers; default the server's
        (:mod:`~loyalty_lessons.workshop.texts`).

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
    inputs, t = dataset.inputs, WorkshopTexts(language)
    if subject == "quality-gap":
        if inputs.survey is None:
            return [], [t("notes.no_survey")]
        return [lesson_explorers.gap_explorer(inputs.survey, language=t.language)], []
    if subject == "customer-types":
        return [
            lesson_explorers.type_explorer(
                inputs.summary,
                inputs.transactions,
                observation_end=inputs.observation_end,
                language=t.language,
            )
        ], []
    if subject == "80-20":
        return [lesson_explorers.pareto_explorer(inputs.summary, language=t.language)], []
    if subject == "loyalty-value":
        return _loyalty_value_explorers(dataset, t)
    if subject == "monitoring":
        return [
            lesson_explorers.monitoring_explorer(
                inputs.transactions, observation_end=inputs.observation_end, language=t.language
            )
        ], []
    if subject == "customer-base":
        return _customer_base_explorers(dataset, t)
    raise LoyaltyDataError(f"subject must be one of {list(SUBJECTS)}, got {subject!r}.")


def dataset_banner(dataset: Dataset, language: str | None = None) -> str:
    """One line naming the active dataset and its size, as HTML, in ``language``.

    Examples
    --------
    >>> dataset_banner(active_dataset(folder="")).startswith("<div class='ll-dataset'")
    True
    """
    inputs, t = dataset.inputs, WorkshopTexts(language)
    tables = [
        t.count("counts.transactions", len(inputs.transactions)),
        t.count("counts.customers", len(inputs.summary)),
    ]
    if inputs.survey is not None:
        tables.append(t.count("counts.respondents", inputs.survey["respondent_id"].nunique()))
    if inputs.complaints is not None:
        tables.append(t.count("counts.complaints", len(inputs.complaints)))
    first, last = inputs.transactions["date"].min(), inputs.transactions["date"].max()
    line = t.html(
        "banner.data",
        name=_dataset_name(dataset, t),
        tables=t.join(tables),
        start=t.date(first),
        end=t.date(last),
    )
    return (
        f"<div class='ll-dataset' style='padding:6px 10px;background:#eef3f8;"
        f"border-left:4px solid #2c5d8a;margin:4px 0 10px 0'>{line}</div>"
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


def _note(text: str, colour: str = "#5a4a00", background: str = "#fff7d6") -> widgets.HTML:
    return widgets.HTML(
        f"<div class='ll-note' style='padding:6px 10px;background:{background};"
        f"color:{colour};max-width:1100px'>{html.escape(text)}</div>"
    )


class SubjectPage:
    """One subject's page: title, links, the active dataset, its explorers and a reload button.

    Attributes
    ----------
    widget : ipywidgets.VBox
    explorers : list of Explorer
    dataset : Dataset
    role : str
        Who the page is shown to (see :meth:`open_for`).
    texts : WorkshopTexts
        The page's words, in its language.
    """

    def __init__(self, subject: str, folder: str | Path | None = None, language: str | None = None):
        if subject not in SUBJECTS:
            raise LoyaltyDataError(f"subject must be one of {list(SUBJECTS)}, got {subject!r}.")
        self.subject, self.folder, self.role = subject, folder, FACILITATOR
        self.texts = WorkshopTexts(language)
        self.nav = widgets.HTML()
        self.title = widgets.HTML()
        self.banner = widgets.HTML()
        self.body = widgets.VBox()
        self.reload_button = widgets.Button(layout=widgets.Layout(width="160px", margin="0 0 0 24px"))
        self.reload_button.on_click(lambda _: self.reload())
        self.widget = widgets.VBox(
            [
                self.nav,
                widgets.HBox([self.title, self.reload_button], layout=widgets.Layout(align_items="center")),
                self.banner,
                self.body,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self._words()
        self.reload()

    def _words(self) -> None:
        t = self.texts
        self.nav.value = nav_html(self.subject, self.role, t)
        self.title.value = f"<h1 style='margin:0.1em 0'>{html.escape(t(f'pages.{self.subject}'))}</h1>"
        self.reload_button.description = t("reload")
        self.reload_button.tooltip = t("reload_tooltip")

    def open_for(self, role: str, language: str | None = None) -> None:
        """Show the page to ``role`` in ``language`` (default: the page's): its links keep the
        facilitator's key and the language, and the page is built again if the data or the
        language changed since it was built."""
        self.role = role
        changed = language is not None and language != self.texts.language
        if changed:
            self.texts = WorkshopTexts(language)
        self._words()
        if changed or dataset_version(self.folder) != self._version:
            self.reload()

    def reload(self) -> None:
        """Read the active dataset again and rebuild the explorers on it."""
        t = self.texts
        self.explorers = []
        self._version = dataset_version(self.folder)
        try:
            self.dataset = active_dataset(self.folder)
            self.banner.value = dataset_banner(self.dataset, t.language)
            self.explorers, notes = subject_explorers(self.subject, self.dataset, t.language)
        except LoyaltyDataError as problem:
            self.body.children = [widgets.HTML(error_html(in_page_terms(str(problem), t.language)))]
            return
        headings = t.raw(f"headings.{self.subject}") if self.subject in _HEADED else []
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


def subject_page(
    subject: str, folder: str | Path | None = None, role: str | None = None, language: str | None = None
) -> SubjectPage:
    """The page of one subject, on the active dataset (what a workshop notebook displays).

    ``role`` and ``language`` None: those the page's address gives
    (:mod:`~loyalty_lessons.workshop.roles`, :mod:`~loyalty_lessons.workshop.texts`).
    """
    # In a kernel of the pool, built before the request (in the server's language), so that
    # the page is drawn by the time someone asks for it, and built again only if the data or
    # the language changed meanwhile; otherwise the request is known: built for it at once.
    if not in_pool():
        role, language = page_viewer(role, language)
    page = SubjectPage(subject, folder, language)
    page.open_for(*page_viewer(role, language))
    return page


class IndexPage:
    """The home page: the language choice, what each page shows, links to them, the active
    dataset; for the facilitator, the upload form too.

    Attributes
    ----------
    upload : UploadPanel or None
        The upload form; None on a participant's page (their kernel never holds one).
    languages : ipywidgets.HTML
        Links to this page in every language (keeping the facilitator's key).
    """

    def __init__(self, folder: str | Path | None = None, language: str | None = None):
        self.folder, self.role, self.upload = folder, FACILITATOR, None
        self.texts = WorkshopTexts(language)
        self.title = widgets.HTML()
        self.languages = widgets.HTML()
        self.banner = widgets.HTML()
        self.links = widgets.HTML()
        self.extra = widgets.VBox()
        self.widget = widgets.VBox(
            [self.title, self.languages, self.banner, self.links, self.extra],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self._words()
        self.refresh()

    def _words(self) -> None:
        t = self.texts
        self.title.value = f"<h1 style='margin:0.1em 0'>{html.escape(t('index.title'))}</h1>"
        choices = [
            f"<b>{html.escape(t.language_name(language))}</b>"
            if language == t.language
            else f"<a href='{html.escape(page_link(INDEX_NOTEBOOK, self.role, language=language))}' "
            f"hreflang='{language}' lang='{language}'>{html.escape(t.language_name(language))}</a>"
            for language in available_languages()
        ]
        self.languages.value = (
            f"<div class='ll-languages'>{html.escape(t('index.language'))} "
            f"{' &nbsp;|&nbsp; '.join(choices)}</div>"
        )
        items = "".join(
            f"<li><a href='{html.escape(page_link(notebook, self.role, language=t.language))}'>"
            f"{html.escape(t(f'pages.{key}'))}</a>: {html.escape(t(f'blurbs.{key}'))}</li>"
            for key, notebook in page_notebooks().items()
        )
        self.links.value = f"<ul class='ll-pages' style='line-height:1.6'>{items}</ul>"

    def open_for(self, role: str, language: str | None = None) -> None:
        """Show the page to ``role`` in ``language`` (default: the page's): the facilitator
        gets the upload form, a participant a note."""
        self.role = role
        if language is not None:
            self.texts = WorkshopTexts(language)
        self._words()
        if role == FACILITATOR:
            self.upload = UploadPanel(self.folder, on_change=self.refresh, language=self.texts.language)
            self.extra.children = [self.upload.widget]
        else:
            self.upload = None
            self.extra.children = [
                _note(self.texts("index.participant_note"), colour="#1d3c5e", background="#eef3f8")
            ]
        self.refresh()

    def refresh(self) -> None:
        """Restate the active dataset."""
        try:
            self.banner.value = dataset_banner(active_dataset(self.folder), self.texts.language)
        except LoyaltyDataError as problem:
            self.banner.value = error_html(in_page_terms(str(problem), self.texts.language))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def index_page(
    folder: str | Path | None = None, role: str | None = None, language: str | None = None
) -> IndexPage:
    """The home page of the workshop (what ``notebooks/workshop/index.ipynb`` displays).

    ``role`` and ``language`` None: those the page's address gives
    (:mod:`~loyalty_lessons.workshop.roles`, :mod:`~loyalty_lessons.workshop.texts`).
    """
    page = IndexPage(folder)
    page.open_for(*page_viewer(role, language))
    return page
