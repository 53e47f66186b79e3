"""The workshop's pages: one per subject of the lessons, the index page and its upload form.

Each page is a notebook of ``notebooks/workshop/`` whose one cell calls :func:`index_page`
or :func:`subject_page`; Voilà shows the widgets and hides the code. A subject page shows
the explorers of its lesson (:func:`subject_explorers`) on the active dataset of
:mod:`loyalty_lessons.workshop.store`; the index page links to them and holds the
:class:`UploadPanel`, whose callbacks are one-line adapters over the store.
"""

from __future__ import annotations

import html
import struct
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd

from loyalty_lessons import fit_bg_nbd, model_check
from loyalty_lessons.customer_types import classify_customers, type_profile
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.formatting import currency_symbol
from loyalty_lessons.loyalty_value import business_figures
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
from loyalty_lessons.workshop.store import (
    UPLOAD_SUFFIXES,
    ColumnsNotRecognised,
    Dataset,
    active_dataset,
    clear_dataset,
    load_client_data,
    save_dataset,
)

__all__ = [
    "INDEX_NOTEBOOK",
    "SUBJECTS",
    "IndexPage",
    "SubjectPage",
    "UploadPanel",
    "dataset_banner",
    "index_page",
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


def _loyalty_value_explorers(dataset: Dataset) -> tuple[list[Explorer], list[str]]:
    inputs, notes = dataset.inputs, []
    symbol = currency_symbol(dataset.currency)
    try:
        types = classify_customers(
            inputs.summary, transactions=inputs.transactions, observation_end=inputs.observation_end
        )
        figures = business_figures(
            inputs.summary, type_profile(types, inputs.summary), annual_retention(inputs.transactions)
        )
    except LoyaltyDataError as problem:
        notes.append(
            f"The business's own figures could not be estimated: {problem} "
            "The sliders start from the textbook example instead."
        )
        return [value_explorer(symbol=symbol), lifetime_explorer(symbol=symbol)], notes
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


#: Resolution of the charts on a workshop page (the explorers draw at 90 dpi for a
#: notebook; a projected page needs larger text).
_PAGE_DPI = 120


def _fit(explorer: Explorer) -> Explorer:
    """Lay an explorer out for a projected page: larger charts at their own size, whole labels.

    The chart is drawn at :data:`_PAGE_DPI` and shown at the size it was drawn (a browser
    would otherwise stretch it to the page's width, blurring it). Control labels get room
    enough not to be cut.
    """
    explorer.dpi = _PAGE_DPI
    explorer.update()
    png = explorer.image.value
    if png[:8] == b"\x89PNG\r\n\x1a\n":
        width = struct.unpack(">I", png[16:20])[0]
        explorer.image.layout = widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
    labels = [c.description for c in explorer.controls.values() if getattr(c, "description", "")]
    if labels:
        label_px = min(340, 20 + 7 * max(len(label) for label in labels))
        for control in explorer.controls.values():
            control.style.description_width = f"{label_px}px"
            control.layout.width = f"{label_px + 320}px"
    return explorer


def _nav(current: str | None) -> str:
    links = [("Home", INDEX_NOTEBOOK, current is None)] + [
        (title, notebook, key == current) for key, (title, notebook) in SUBJECTS.items()
    ]
    items = [
        f"<b>{html.escape(t)}</b>" if here else f"<a href='{n}'>{html.escape(t)}</a>" for t, n, here in links
    ]
    return f"<div class='ll-nav' style='font-size:1.05em'>{' &nbsp;|&nbsp; '.join(items)}</div>"


def _note(text: str, colour: str = "#5a4a00", background: str = "#fff7d6") -> widgets.HTML:
    return widgets.HTML(
        f"<div class='ll-note' style='padding:6px 10px;background:{background};"
        f"color:{colour};max-width:820px'>{html.escape(text)}</div>"
    )


def _error_html(text: str) -> str:
    # Monospaced, so that the table of example lines in a loader's message stays aligned.
    return (
        f"<div class='ll-error' style='padding:8px 12px;background:#fdecea;color:#8a1c12;"
        f"border-left:4px solid #c0392b;max-width:1000px;white-space:pre-wrap;line-height:1.4;"
        f"font-family:var(--jp-code-font-family, monospace);font-size:0.95em'>{html.escape(text)}</div>"
    )


class SubjectPage:
    """One subject's page: title, links, the active dataset, its explorers and a reload button.

    Attributes
    ----------
    widget : ipywidgets.VBox
    explorers : list of Explorer
    dataset : Dataset
    """

    def __init__(self, subject: str, folder: str | Path | None = None):
        if subject not in SUBJECTS:
            raise LoyaltyDataError(f"subject must be one of {list(SUBJECTS)}, got {subject!r}.")
        self.subject, self.folder = subject, folder
        self.banner = widgets.HTML()
        self.body = widgets.VBox()
        self.reload_button = widgets.Button(
            description="Reload data", tooltip="Show the dataset loaded last on the index page"
        )
        self.reload_button.on_click(lambda _: self.reload())
        title = widgets.HTML(f"<h1 style='margin:0.2em 0'>{html.escape(SUBJECTS[subject][0])}</h1>")
        self.widget = widgets.VBox(
            [
                widgets.HTML(_nav(subject)),
                title,
                widgets.HBox([self.banner, self.reload_button], layout=widgets.Layout(align_items="center")),
                self.body,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self.reload()

    def reload(self) -> None:
        """Read the active dataset again and rebuild the explorers on it."""
        self.explorers = []
        try:
            self.dataset = active_dataset(self.folder)
            self.banner.value = dataset_banner(self.dataset)
            self.explorers, notes = subject_explorers(self.subject, self.dataset)
        except LoyaltyDataError as problem:
            self.body.children = [widgets.HTML(_error_html(str(problem)))]
            return
        headings = _EXPLORER_HEADINGS.get(self.subject, [])
        parts = [_note(n) for n in notes]
        for i, explorer in enumerate(self.explorers):
            if i < len(headings):
                parts.append(
                    widgets.HTML(f"<h2 style='margin:0.8em 0 0.2em 0'>{html.escape(headings[i])}</h2>")
                )
            parts.append(_fit(explorer).widget)
        self.body.children = parts

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def subject_page(subject: str, folder: str | Path | None = None) -> SubjectPage:
    """The page of one subject, on the active dataset (what a workshop notebook displays)."""
    return SubjectPage(subject, folder)


# --------------------------------------------------------------------------- the upload form

_DATE_FORMATS = [
    ("detect", ""),
    ("day first: 31/12/2024", "%d/%m/%Y"),
    ("day first: 31.12.2024", "%d.%m.%Y"),
    ("month first: 12/31/2024", "%m/%d/%Y"),
    ("ISO: 2024-12-31", "%Y-%m-%d"),
]
_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "RUB", "JPY"]
_CHOOSE = "(choose a column)"


def _report_html(name: str, report: pd.DataFrame) -> str:
    rows = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'>{html.escape(str(i))}</td>"
        f"<td style='padding:2px 0'>{html.escape(str(v))}</td></tr>"
        for i, v in report.itertuples(index=False)
    )
    return (
        "<div class='ll-report' style='max-width:820px;overflow-wrap:anywhere'>"
        "<h4 style='margin:8px 0 2px 0'>"
        f"{html.escape(name.capitalize())}</h4><table>{rows}</table></div>"
    )


def _uploaded(control: widgets.FileUpload) -> tuple[str, bytes] | None:
    if not control.value:
        return None
    item = control.value[0]
    return item["name"], bytes(item["content"])


class UploadPanel:
    """The upload form: three file pickers, date order, currency, Load, and the load report.

    Loading calls :func:`load_client_data` then :func:`save_dataset`; a file whose headers
    are not recognised opens one dropdown per missing role (filled with the file's
    headers) and Load tries again with that mapping. A file that cannot be used shows the
    loader's message and changes nothing.

    Attributes
    ----------
    widget : ipywidgets.VBox
    uploads : dict of str to ipywidgets.FileUpload
    status : ipywidgets.HTML
        The load report, or the message of what went wrong.
    mapping : dict
        Table name -> role -> Dropdown, while a mapping is asked for.
    """

    def __init__(self, folder: str | Path | None = None, on_change: Callable[[], None] | None = None):
        self.folder, self.on_change = folder, on_change or (lambda: None)
        accept = ",".join(UPLOAD_SUFFIXES)
        self.uploads = {
            kind: widgets.FileUpload(
                accept=accept, description=label, icon="", layout=widgets.Layout(width="260px")
            )
            for kind, label in [
                ("transactions", "Transactions (required)"),
                ("survey", "Survey (optional)"),
                ("complaints", "Complaints (optional)"),
            ]
        }
        style = {"description_width": "110px"}
        self.date_format = widgets.Dropdown(
            options=_DATE_FORMATS,
            value="",
            description="Dates",
            style=style,
            layout=widgets.Layout(width="330px"),
        )
        self.currency = widgets.Dropdown(
            options=_CURRENCIES,
            value="EUR",
            description="Currency",
            style=style,
            layout=widgets.Layout(width="230px"),
        )
        self.load_button = widgets.Button(description="Load", button_style="primary")
        self.sample_button = widgets.Button(
            description="Back to the sample business", layout=widgets.Layout(width="240px")
        )
        self.load_button.on_click(lambda _: self.load())
        self.sample_button.on_click(lambda _: self.use_sample())
        self.mapping: dict[str, dict[str, widgets.Dropdown]] = {}
        self._mapped_files: dict[str, str] = {}
        self.mapping_box = widgets.VBox()
        self.chosen = widgets.HTML()
        for control in self.uploads.values():
            control.observe(lambda _: self._show_chosen(), names="value")
        self.status = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    "<h2 style='margin:0.6em 0 0.2em 0'>Use a client's data</h2>"
                    "<p style='max-width:820px'>Upload the client's transactions export (CSV or "
                    "Excel, as it comes out of the till or CRM) and, if there are any, the "
                    "survey and complaints. Every page opened or reloaded afterwards shows "
                    "the client's figures. The files stay on this computer.</p>"
                ),
                widgets.HBox(list(self.uploads.values())),
                self.chosen,
                widgets.HBox([self.date_format, self.currency]),
                self.mapping_box,
                widgets.HBox([self.load_button, self.sample_button]),
                self.status,
            ]
        )

    def files(self) -> dict[str, tuple[str, bytes]]:
        """Table name -> (file name, content) of the files chosen so far."""
        return {kind: got for kind, control in self.uploads.items() if (got := _uploaded(control))}

    def _show_chosen(self) -> None:
        self.chosen.value = (
            "<div class='ll-chosen'>"
            + "; ".join(f"{kind}: <b>{html.escape(name)}</b>" for kind, (name, _) in self.files().items())
            + "</div>"
        )

    def columns(self) -> dict[str, dict[str, str]]:
        """Table name -> role -> header chosen in the mapping dropdowns."""
        return {
            kind: {role: d.value for role, d in roles.items() if d.value != _CHOOSE}
            for kind, roles in self.mapping.items()
        }

    def _ask_mapping(self, problem: ColumnsNotRecognised) -> None:
        kept = self.mapping.get(problem.kind, {})
        roles = {
            role: kept.get(role)
            or widgets.Dropdown(
                options=[_CHOOSE] + problem.headers,
                value=_CHOOSE,
                description=role.replace("_", " "),
                style={"description_width": "110px"},
                layout=widgets.Layout(width="420px"),
            )
            for role in [*kept, *problem.missing]
        }
        self.mapping[problem.kind] = roles
        self._mapped_files[problem.kind] = problem.file_name
        self.mapping_box.children = [
            control
            for kind, dropdowns in self.mapping.items()
            for control in [
                widgets.HTML(
                    f"<b>{html.escape(self._mapped_files[kind])}</b> ({kind}): "
                    "which column holds each of these?"
                ),
                *dropdowns.values(),
            ]
        ]

    def load(self) -> Dataset | None:
        """Load the chosen files and make them the active dataset; report on the page."""
        files = self.files()
        if not files:
            self.status.value = _error_html("Choose the transactions export first.")
            return None
        try:
            dataset = load_client_data(
                files,
                columns=self.columns(),
                date_format=self.date_format.value or None,
                currency=self.currency.value,
            )
            save_dataset(dataset, self.folder)
        except ColumnsNotRecognised as problem:
            self._ask_mapping(problem)
            self.status.value = _error_html(str(problem))
            return None
        except LoyaltyDataError as problem:
            self.status.value = _error_html(str(problem))
            return None
        except Exception as problem:  # a file no reader understands: say so, keep the page alive
            names = ", ".join(name for name, _ in files.values())
            self.status.value = _error_html(
                f"{names} could not be read ({type(problem).__name__}: {problem}). Export it again "
                "as CSV or Excel."
            )
            return None
        self.mapping, self.mapping_box.children = {}, []
        self.status.value = (
            f"<div class='ll-loaded' style='color:#1d5e20;font-weight:bold;margin:6px 0'>Loaded "
            f"{html.escape(dataset.name)}: every page now uses it (reload pages already open).</div>"
            + "".join(_report_html(kind, report) for kind, report in dataset.reports.items())
        )
        self.on_change()
        return dataset

    def use_sample(self) -> None:
        """Make the sample business the active dataset again."""
        clear_dataset(self.folder)
        self.mapping, self.mapping_box.children = {}, []
        self.status.value = "<div class='ll-loaded' style='margin:6px 0'>Back to the sample business.</div>"
        self.on_change()


class IndexPage:
    """The home page: what each page shows, links to them, the active dataset, the upload form."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = folder
        self.banner = widgets.HTML()
        self.upload = UploadPanel(folder, on_change=self.refresh)
        blurbs = {
            "quality-gap": "what customers expect against what they get, dimension by dimension",
            "customer-types": "dissatisfied, satisfied and loyal customers, and what each brings",
            "80-20": "how much of the revenue the best customers bring",
            "loyalty-value": "what a loyal customer is worth over the years, and what retention adds",
            "monitoring": "the monthly figures and the three signals of loyalty",
            "customer-base": "who is probably still a customer, judged by their own rhythm of buying",
        }
        links = "".join(
            f"<li><a href='{notebook}' style='font-size:1.1em'>{html.escape(title)}</a>: "
            f"{html.escape(blurbs[key])}</li>"
            for key, (title, notebook) in SUBJECTS.items()
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h1 style='margin:0.2em 0'>Customer loyalty workshop</h1>"),
                self.banner,
                widgets.HTML(f"<ul class='ll-pages' style='line-height:1.8'>{links}</ul>"),
                self.upload.widget,
            ],
            layout=widgets.Layout(padding="0 0 24px 0"),
        )
        self.refresh()

    def refresh(self) -> None:
        """Restate the active dataset."""
        try:
            self.banner.value = dataset_banner(active_dataset(self.folder))
        except LoyaltyDataError as problem:
            self.banner.value = _error_html(str(problem))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def index_page(folder: str | Path | None = None) -> IndexPage:
    """The home page of the workshop (what ``notebooks/workshop/index.ipynb`` displays)."""
    return IndexPage(folder)
