"""Workshop mode: the lesson explorers as a browser dashboard, on the sample or a client's data.

``python -m loyalty_lessons.workshop`` (or ``make workshop``) serves the notebooks of
``notebooks/workshop/`` with Voilà on 127.0.0.1: an index page with an upload form, and one
page per subject (quality gap, customer types, 80/20, loyalty value, monitoring). Voilà
hides the code; each page is a notebook whose one cell calls :func:`index_page` or
:func:`subject_page`.

Every Voilà page runs in its own kernel, so the active dataset lives on disk: at start the
server makes a private temporary folder (its path goes to the kernels in the environment
variable :data:`FOLDER_ENV`), an upload writes the loaded canonical tables there as
Parquet, and every page built afterwards reads them. The folder is removed when the server
stops. Nothing is sent anywhere: the server listens on the loopback address only.

The pieces a test can reach without a browser: :func:`read_upload` and
:func:`load_client_data` (uploaded bytes -> canonical tables, through the package's
loaders), :func:`save_dataset` / :func:`active_dataset` (the shared state),
:func:`subject_explorers` (the explorers of a page), :class:`UploadPanel` (the form, whose
callbacks are one-line adapters), and :func:`workshop_folder` / :func:`serve` (the server).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import ipywidgets as widgets
import pandas as pd

from loyalty_lessons import _parse
from loyalty_lessons._read import read_raw
from loyalty_lessons.customer_types import classify_customers, type_profile
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import LoadReport, load_complaints, load_survey, load_transactions
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import Inputs, load_inputs
from loyalty_lessons.loyalty_value import annual_retention, business_figures
from loyalty_lessons.widgets import (
    Explorer,
    gap_explorer,
    lifetime_explorer,
    monitoring_explorer,
    pareto_explorer,
    type_explorer,
    value_explorer,
)
from loyalty_lessons.widgets.loyalty_value import currency_symbol

__all__ = [
    "FOLDER_ENV",
    "SAMPLE_NAME",
    "SUBJECTS",
    "ColumnsNotRecognised",
    "Dataset",
    "UploadPanel",
    "active_dataset",
    "clear_dataset",
    "free_port",
    "index_page",
    "load_client_data",
    "main",
    "read_upload",
    "save_dataset",
    "serve",
    "subject_explorers",
    "subject_page",
    "voila_command",
    "workshop_folder",
]

#: Environment variable naming the server's data folder, read by every page's kernel.
FOLDER_ENV = "LOYALTY_WORKSHOP_DIR"

#: The name shown on every page while no client file is loaded.
SAMPLE_NAME = "Sample business"

#: Subject -> (page title, notebook file in notebooks/workshop/).
SUBJECTS: dict[str, tuple[str, str]] = {
    "quality-gap": ("The quality gap", "quality-gap.ipynb"),
    "customer-types": ("Customer types", "customer-types.ipynb"),
    "80-20": ("The 80/20 rule", "the-80-20-rule.ipynb"),
    "loyalty-value": ("The value of loyalty", "loyalty-value.ipynb"),
    "monitoring": ("Monitoring loyalty", "monitoring.ipynb"),
}

_INDEX = "index.ipynb"
#: Headings above the explorers of a page that has more than one.
_EXPLORER_HEADINGS = {"loyalty-value": ["A loyal customer against a satisfied one, and word of mouth",
                                        "How long customers stay, and what that is worth"]}
_LOADERS = {"transactions": load_transactions, "survey": load_survey, "complaints": load_complaints}
#: Roles a client file must have, per table (the survey is recognised by its E1/P1 columns).
_REQUIRED_ROLES = {"transactions": ["customer_id", "date", "amount"], "complaints": ["customer_id", "date"]}
_ALL_ROLES = {
    "transactions": ["date", "customer_id", "amount", "order_id", "discount", "promotion", "channel"],
    "complaints": ["date", "customer_id", "category"],
}
_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
_POINTER = "dataset.json"
_TEMPLATE = "loyalty-workshop"
_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks" / "workshop"


# --------------------------------------------------------------------------- reading uploads


class ColumnsNotRecognised(LoyaltyDataError):
    """A client file lacks recognisable headers for some required roles.

    Attributes
    ----------
    kind : str
        "transactions" or "complaints".
    file_name : str
    headers : list of str
        The file's headers, to choose from.
    missing : list of str
        Required roles with no header.
    found : dict
        Role -> header recognised so far.
    """

    def __init__(self, kind: str, file_name: str, headers: list[str], missing: list[str], found: dict):
        self.kind, self.file_name, self.headers = kind, file_name, headers
        self.missing, self.found = missing, found
        super().__init__(
            f"{file_name}: no column was recognised as the {kind}' {' / '.join(missing)}. "
            f"Choose the column holding each one below, then load again.")


@contextmanager
def _upload_file(file_name: str, content: bytes) -> Iterator[Path]:
    """The uploaded bytes as a file in a private temporary folder, removed on exit."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in _SUFFIXES:
        raise LoyaltyDataError(
            f"{file_name}: a workshop upload must be a CSV, TXT or TSV export or an Excel "
            f"workbook ({', '.join(_SUFFIXES)}). Export the data again in one of these formats.")
    with tempfile.TemporaryDirectory(prefix="loyalty-upload-") as folder:  # mode 700
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(bytes(content))
        try:
            yield path
        except LoyaltyDataError as problem:
            # Name the client's file, not the temporary copy.
            message = str(problem).replace(f"'{path}'", file_name).replace(str(path), file_name)
            if isinstance(problem, ColumnsNotRecognised):
                raise
            raise LoyaltyDataError(message) from None


def _check_roles(kind: str, file_name: str, path: Path, columns: dict[str, str] | None) -> None:
    if kind not in _REQUIRED_ROLES:
        return
    table = read_raw(path)
    try:
        headers = list(table.columns)
    finally:
        table.close()
    found = _parse.match_roles(headers, _ALL_ROLES[kind], columns, file_name)
    missing = [role for role in _REQUIRED_ROLES[kind] if role not in found]
    if missing:
        raise ColumnsNotRecognised(kind, file_name, headers, missing, found)


def read_upload(
    kind: str,
    file_name: str,
    content: bytes,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load an uploaded file with the package's loader, as if it were a file on disk.

    The bytes are written to a private temporary folder (removed before returning), so
    separators, encodings, decimal commas, dates and headers are recognised exactly as
    :func:`~loyalty_lessons.data.load_transactions` and the other loaders do.

    Parameters
    ----------
    kind : {"transactions", "survey", "complaints"}
        Which table the file holds.
    file_name : str
        The client's file name (its suffix chooses CSV or Excel; it names the source in
        messages and in the report).
    content : bytes
        The file's content.
    columns : dict, optional
        Role -> header, for headers that are not recognised.
    date_format : str, optional
        strptime format of the dates (transactions and complaints); detected when None.

    Returns
    -------
    (DataFrame, LoadReport)
        As the loader returns them, with ``report.source`` set to ``file_name``.

    Raises
    ------
    ColumnsNotRecognised
        When a required role has no recognisable header (transactions, complaints): it
        lists the file's headers, to choose from.
    LoyaltyDataError
        When the file cannot be used, with the loader's message naming ``file_name``.

    Examples
    --------
    >>> csv = "Client;Date;Montant\\nA1;31/01/2025;12,50\\nA2;01/02/2025;3,00\\n".encode("cp1252")
    >>> tx, report = read_upload("transactions", "caisse.csv", csv)
    >>> tx["amount"].tolist(), report.source
    ([12.5, 3.0], 'caisse.csv')
    """
    if kind not in _LOADERS:
        raise LoyaltyDataError(f"kind must be one of {list(_LOADERS)}, got {kind!r}.")
    if not content:
        raise LoyaltyDataError(f"{file_name} is empty (0 bytes). Export the data again.")
    options = {"columns": columns or None}
    if kind != "survey":
        options["date_format"] = date_format or None
    with _upload_file(file_name, content) as path:
        _check_roles(kind, file_name, path, columns)
        table, report = _LOADERS[kind](path, **options)
    report.source = file_name
    return table, report


# --------------------------------------------------------------------------- the shared dataset


class Dataset(NamedTuple):
    """The data every page shows.

    Attributes
    ----------
    name : str
        :data:`SAMPLE_NAME`, or the client's transactions file name.
    inputs : Inputs
        Tables and per-customer summary, as :func:`~loyalty_lessons.inputs.load_inputs` gives.
    currency : str
        Currency code of the amounts ("EUR").
    reports : dict
        Table name -> load report as a two-column table (``item``, ``value``).
    """

    name: str
    inputs: Inputs
    currency: str
    reports: dict[str, pd.DataFrame]


def load_client_data(
    files: Mapping[str, tuple[str, bytes]],
    *,
    columns: Mapping[str, dict[str, str]] | None = None,
    date_format: str | None = None,
    currency: str = "EUR",
) -> Dataset:
    """A client's uploaded files as the dataset every page will use.

    Parameters
    ----------
    files : dict
        Table name ("transactions", required; "survey", "complaints", optional) ->
        ``(file_name, content)``.
    columns : dict, optional
        Table name -> role -> header, for headers that are not recognised.
    date_format : str, optional
        strptime format of the dates of the transactions and complaints.
    currency : str, default "EUR"
        Currency code of the amounts.

    Returns
    -------
    Dataset
        Named after the transactions file; a table not given is None.

    Raises
    ------
    ColumnsNotRecognised, LoyaltyDataError
        As :func:`read_upload`; also when no transactions file is given.
    """
    unknown = sorted(set(files) - set(_LOADERS))
    if unknown:
        raise LoyaltyDataError(f"Unknown table(s) {unknown}; upload {list(_LOADERS)}.")
    if "transactions" not in files:
        raise LoyaltyDataError("Upload the transactions export first: every page needs it.")
    columns = columns or {}
    tables, reports = {}, {}
    for kind in _LOADERS:
        if kind in files:
            file_name, content = files[kind]
            tables[kind], reports[kind] = read_upload(
                kind, file_name, content, columns=columns.get(kind), date_format=date_format)
    inputs = load_inputs(tables["transactions"], tables.get("survey"), tables.get("complaints"))
    inputs = inputs._replace(reports=reports)
    return Dataset(files["transactions"][0], inputs, currency,
                   {kind: report.summary() for kind, report in reports.items()})


def _folder(folder: str | Path | None) -> Path | None:
    folder = folder if folder is not None else os.environ.get(FOLDER_ENV)
    return Path(folder) if folder else None


def save_dataset(dataset: Dataset, folder: str | Path | None = None) -> Path:
    """Make ``dataset`` the one every page built from now on shows.

    The tables go to a new subfolder of ``folder`` as Parquet files, then the pointer file
    ``dataset.json`` is replaced in one step, so a page never reads half a dataset.

    Parameters
    ----------
    dataset : Dataset
    folder : str or Path, optional
        The server's data folder; defaults to the environment variable :data:`FOLDER_ENV`.

    Returns
    -------
    Path
        The subfolder written.

    Raises
    ------
    LoyaltyDataError
        If there is no data folder (the page is not served by the workshop server).
    """
    root = _folder(folder)
    if root is None or not root.is_dir():
        raise LoyaltyDataError(
            f"No workshop data folder ({FOLDER_ENV} is not set to a folder): start the dashboard "
            "with `make workshop` or `python -m loyalty_lessons.workshop`.")
    target = root / f"dataset-{uuid.uuid4().hex}"
    target.mkdir()
    inputs = dataset.inputs
    for kind in _LOADERS:
        table = getattr(inputs, kind)
        if table is not None:
            table.to_parquet(target / f"{kind}.parquet", index=False)
    for kind, report in dataset.reports.items():
        report.astype({"value": "str"}).to_parquet(target / f"{kind}-report.parquet", index=False)
    pointer = {"name": dataset.name, "currency": dataset.currency, "folder": target.name,
               "observation_end": inputs.observation_end.isoformat()}
    temporary = root / f".{_POINTER}.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(pointer), encoding="utf-8")
    os.replace(temporary, root / _POINTER)
    return target


def clear_dataset(folder: str | Path | None = None) -> None:
    """Go back to the sample business on every page built from now on."""
    root = _folder(folder)
    if root is not None:
        (root / _POINTER).unlink(missing_ok=True)


def _sample() -> Dataset:
    inputs = load_inputs()
    return Dataset(SAMPLE_NAME, inputs, "EUR",
                   {kind: report.summary() for kind, report in inputs.reports.items()})


def active_dataset(folder: str | Path | None = None) -> Dataset:
    """The dataset the pages show: the last one saved in ``folder``, or the sample business.

    Parameters
    ----------
    folder : str or Path, optional
        The server's data folder; defaults to the environment variable :data:`FOLDER_ENV`.
        Without one, or before any upload, the sample business.

    Returns
    -------
    Dataset

    Examples
    --------
    >>> active_dataset(folder="").name
    'Sample business'
    """
    root = _folder(folder)
    pointer = root / _POINTER if root is not None else None
    if pointer is None or not pointer.is_file():
        return _sample()
    saved = json.loads(pointer.read_text(encoding="utf-8"))
    data = root / saved["folder"]
    tables = {kind: pd.read_parquet(data / f"{kind}.parquet") if (data / f"{kind}.parquet").exists() else None
              for kind in _LOADERS}
    end = pd.Timestamp(saved["observation_end"])
    summary = customer_summary(tables["transactions"], observation_end=end)
    reports = {kind: pd.read_parquet(path) for kind in _LOADERS
               if (path := data / f"{kind}-report.parquet").exists()}
    inputs = Inputs(tables["transactions"], tables["survey"], tables["complaints"], summary, {}, end)
    return Dataset(saved["name"], inputs, saved["currency"], reports)


# --------------------------------------------------------------------------- the pages' content


def _loyalty_value_explorers(dataset: Dataset) -> tuple[list[Explorer], list[str]]:
    inputs, notes = dataset.inputs, []
    symbol = currency_symbol(dataset.currency)
    try:
        types = classify_customers(inputs.summary, transactions=inputs.transactions,
                                   observation_end=inputs.observation_end)
        figures = business_figures(inputs.summary, type_profile(types, inputs.summary),
                                   annual_retention(inputs.transactions))
    except LoyaltyDataError as problem:
        notes.append(f"The business's own figures could not be estimated: {problem} "
                     "The sliders start from the textbook example instead.")
        return [value_explorer(symbol=symbol), lifetime_explorer(symbol=symbol)], notes
    return [value_explorer(figures.monthly_spend_satisfied, figures.monthly_spend_loyal, symbol=symbol),
            lifetime_explorer(figures.monthly_spend, figures.yearly_retention, symbol=symbol)], notes


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
            return [], ["This dataset has no survey: upload a SERVQUAL survey export on the "
                        "index page to explore the quality gap."]
        return [gap_explorer(inputs.survey)], []
    if subject == "customer-types":
        return [type_explorer(inputs.summary, inputs.transactions,
                              observation_end=inputs.observation_end)], []
    if subject == "80-20":
        return [pareto_explorer(inputs.summary)], []
    if subject == "loyalty-value":
        return _loyalty_value_explorers(dataset)
    if subject == "monitoring":
        return [monitoring_explorer(inputs.transactions, observation_end=inputs.observation_end)], []
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
    return (f"<div class='ll-dataset' style='padding:6px 10px;background:#eef3f8;"
            f"border-left:4px solid #2c5d8a;margin:4px 0 10px 0'>Data: <b>{html.escape(dataset.name)}</b>"
            f" &mdash; {', '.join(tables)}, {first:%d %b %Y} to {last:%d %b %Y}.</div>")


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
    links = [("Home", _INDEX, current is None)] + [
        (title, notebook, key == current) for key, (title, notebook) in SUBJECTS.items()]
    items = [f"<b>{html.escape(t)}</b>" if here else f"<a href='{n}'>{html.escape(t)}</a>"
             for t, n, here in links]
    return f"<div class='ll-nav' style='font-size:1.05em'>{' &nbsp;|&nbsp; '.join(items)}</div>"


def _note(text: str, colour: str = "#5a4a00", background: str = "#fff7d6") -> widgets.HTML:
    return widgets.HTML(f"<div class='ll-note' style='padding:6px 10px;background:{background};"
                        f"color:{colour};max-width:820px'>{html.escape(text)}</div>")


def _error_html(text: str) -> str:
    # Monospaced, so that the table of example lines in a loader's message stays aligned.
    return (f"<div class='ll-error' style='padding:8px 12px;background:#fdecea;color:#8a1c12;"
            f"border-left:4px solid #c0392b;max-width:1000px;white-space:pre-wrap;line-height:1.4;"
            f"font-family:var(--jp-code-font-family, monospace);font-size:0.95em'>{html.escape(text)}</div>")


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
        self.reload_button = widgets.Button(description="Reload data", tooltip="Show the dataset loaded last on the index page")
        self.reload_button.on_click(lambda _: self.reload())
        title = widgets.HTML(f"<h1 style='margin:0.2em 0'>{html.escape(SUBJECTS[subject][0])}</h1>")
        self.widget = widgets.VBox(
            [widgets.HTML(_nav(subject)), title,
             widgets.HBox([self.banner, self.reload_button], layout=widgets.Layout(align_items="center")),
             self.body],
            layout=widgets.Layout(padding="0 0 24px 0"))
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
                parts.append(widgets.HTML(f"<h2 style='margin:0.8em 0 0.2em 0'>{html.escape(headings[i])}</h2>"))
            parts.append(_fit(explorer).widget)
        self.body.children = parts

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def subject_page(subject: str, folder: str | Path | None = None) -> SubjectPage:
    """The page of one subject, on the active dataset (what a workshop notebook displays)."""
    return SubjectPage(subject, folder)


# --------------------------------------------------------------------------- the upload form

_DATE_FORMATS = [("detect", ""), ("day first: 31/12/2024", "%d/%m/%Y"),
                 ("day first: 31.12.2024", "%d.%m.%Y"), ("month first: 12/31/2024", "%m/%d/%Y"),
                 ("ISO: 2024-12-31", "%Y-%m-%d")]
_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "RUB", "JPY"]
_CHOOSE = "(choose a column)"


def _report_html(name: str, report: pd.DataFrame) -> str:
    rows = "".join(f"<tr><td style='padding:2px 12px 2px 0'>{html.escape(str(i))}</td>"
                   f"<td style='padding:2px 0'>{html.escape(str(v))}</td></tr>"
                   for i, v in report.itertuples(index=False))
    return (f"<div class='ll-report' style='max-width:820px;overflow-wrap:anywhere'><h4 style='margin:8px 0 2px 0'>"
            f"{html.escape(name.capitalize())}</h4><table>{rows}</table></div>")


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
        accept = ",".join(_SUFFIXES)
        self.uploads = {
            kind: widgets.FileUpload(accept=accept, description=label, icon="",
                                     layout=widgets.Layout(width="260px"))
            for kind, label in [("transactions", "Transactions (required)"),
                                ("survey", "Survey (optional)"), ("complaints", "Complaints (optional)")]
        }
        style = {"description_width": "110px"}
        self.date_format = widgets.Dropdown(options=_DATE_FORMATS, value="", description="Dates",
                                            style=style, layout=widgets.Layout(width="330px"))
        self.currency = widgets.Dropdown(options=_CURRENCIES, value="EUR", description="Currency",
                                         style=style, layout=widgets.Layout(width="230px"))
        self.load_button = widgets.Button(description="Load", button_style="primary")
        self.sample_button = widgets.Button(description="Back to the sample business",
                                            layout=widgets.Layout(width="240px"))
        self.load_button.on_click(lambda _: self.load())
        self.sample_button.on_click(lambda _: self.use_sample())
        self.mapping: dict[str, dict[str, widgets.Dropdown]] = {}
        self._mapped_files: dict[str, str] = {}
        self.mapping_box = widgets.VBox()
        self.chosen = widgets.HTML()
        for control in self.uploads.values():
            control.observe(lambda _: self._show_chosen(), names="value")
        self.status = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HTML("<h2 style='margin:0.6em 0 0.2em 0'>Use a client's data</h2>"
                         "<p style='max-width:820px'>Upload the client's transactions export (CSV or "
                         "Excel, as it comes out of the till or CRM) and, if there are any, the "
                         "survey and complaints. Every page opened or reloaded afterwards shows "
                         "the client's figures. The files stay on this computer.</p>"),
            widgets.HBox(list(self.uploads.values())),
            self.chosen,
            widgets.HBox([self.date_format, self.currency]),
            self.mapping_box,
            widgets.HBox([self.load_button, self.sample_button]),
            self.status,
        ])

    def files(self) -> dict[str, tuple[str, bytes]]:
        """Table name -> (file name, content) of the files chosen so far."""
        return {kind: got for kind, control in self.uploads.items() if (got := _uploaded(control))}

    def _show_chosen(self) -> None:
        self.chosen.value = "<div class='ll-chosen'>" + "; ".join(
            f"{kind}: <b>{html.escape(name)}</b>" for kind, (name, _) in self.files().items()) + "</div>"

    def columns(self) -> dict[str, dict[str, str]]:
        """Table name -> role -> header chosen in the mapping dropdowns."""
        return {kind: {role: d.value for role, d in roles.items() if d.value != _CHOOSE}
                for kind, roles in self.mapping.items()}

    def _ask_mapping(self, problem: ColumnsNotRecognised) -> None:
        kept = self.mapping.get(problem.kind, {})
        roles = {role: kept.get(role) or widgets.Dropdown(
                     options=[_CHOOSE] + problem.headers, value=_CHOOSE,
                     description=role.replace("_", " "), style={"description_width": "110px"},
                     layout=widgets.Layout(width="420px"))
                 for role in [*kept, *problem.missing]}
        self.mapping[problem.kind] = roles
        self._mapped_files[problem.kind] = problem.file_name
        self.mapping_box.children = [
            control for kind, dropdowns in self.mapping.items()
            for control in [widgets.HTML(f"<b>{html.escape(self._mapped_files[kind])}</b> ({kind}): "
                                         "which column holds each of these?"), *dropdowns.values()]]

    def load(self) -> Dataset | None:
        """Load the chosen files and make them the active dataset; report on the page."""
        files = self.files()
        if not files:
            self.status.value = _error_html("Choose the transactions export first.")
            return None
        try:
            dataset = load_client_data(files, columns=self.columns(),
                                       date_format=self.date_format.value or None,
                                       currency=self.currency.value)
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
                "as CSV or Excel.")
            return None
        self.mapping, self.mapping_box.children = {}, []
        self.status.value = (
            f"<div class='ll-loaded' style='color:#1d5e20;font-weight:bold;margin:6px 0'>Loaded "
            f"{html.escape(dataset.name)}: every page now uses it (reload pages already open).</div>"
            + "".join(_report_html(kind, report) for kind, report in dataset.reports.items()))
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
        }
        links = "".join(f"<li><a href='{notebook}' style='font-size:1.1em'>{html.escape(title)}</a>: "
                        f"{html.escape(blurbs[key])}</li>" for key, (title, notebook) in SUBJECTS.items())
        self.widget = widgets.VBox([
            widgets.HTML("<h1 style='margin:0.2em 0'>Customer loyalty workshop</h1>"),
            self.banner,
            widgets.HTML(f"<ul class='ll-pages' style='line-height:1.8'>{links}</ul>"),
            self.upload.widget,
        ], layout=widgets.Layout(padding="0 0 24px 0"))
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


# --------------------------------------------------------------------------- the server


@contextmanager
def workshop_folder() -> Iterator[Path]:
    """A private temporary folder for the server's data, removed on exit (even on error)."""
    folder = Path(tempfile.mkdtemp(prefix="loyalty-workshop-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_FONT_LINKS = re.compile(r"^.*<link[^>]+https?://[^>]*>\s*$", re.MULTILINE)


def _voila_setup(folder: Path) -> tuple[Path, Path]:
    """Write the server's Voilà configuration and page template under ``folder``.

    The configuration raises the size of a websocket message (an upload travels in one)
    from 10 MB to 256 MB and stops the kernels of closed pages. The template is Voilà's own "lab" page without the stylesheets it
    fetches from a public CDN, so that the browser asks nothing of the internet.

    Returns
    -------
    (Path, Path)
        The configuration folder and the folder to put on ``JUPYTER_PATH``.
    """
    from voila.paths import collect_template_paths

    config = folder / ".voila" / "config"
    config.mkdir(parents=True)
    (config / "voila.json").write_text(json.dumps({
        "Voila": {"tornado_settings": {"websocket_max_message_size": 256 * 1024 * 1024}},
        # A closed page's kernel should stop, but Voilà's shutdown request is refused
        # (voila-dashboards/voila#1458): stop kernels no page is connected to after 10 minutes.
        "MappingKernelManager": {"cull_idle_timeout": 600, "cull_interval": 60},
    }))
    jupyter = folder / ".voila" / "jupyter"
    template = jupyter / "voila" / "templates" / _TEMPLATE
    template.mkdir(parents=True)
    (template / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    lab = next(Path(p) / "index.html.j2" for p in collect_template_paths(["voila"], "lab")
               if (Path(p) / "index.html.j2").is_file())
    (template / "index.html.j2").write_text(_FONT_LINKS.sub("", lab.read_text()))
    return config, jupyter


def voila_command(port: int, notebooks: str | Path | None = None,
                  config: str | Path | None = None) -> list[str]:
    """The command that serves the workshop notebooks with Voilà on 127.0.0.1:``port``.

    Parameters
    ----------
    port : int
    notebooks : str or Path, optional
        Default ``notebooks/workshop`` of the repository.
    config : str or Path, optional
        Folder of ``voila.json`` and the page template (see ``serve``); Voilà's defaults
        and its "lab" template when None.

    Examples
    --------
    >>> "--Voila.ip=127.0.0.1" in voila_command(8866)
    True
    """
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    command = [sys.executable, "-m", "voila", str(notebooks), f"--port={port}", "--no-browser",
               "--Voila.ip=127.0.0.1", "--show_tracebacks=False"]
    if config is not None:
        command += [f"--Voila.config_file_paths={config}", f"--template={_TEMPLATE}"]
    return command


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(port: int | None = None, *, notebooks: str | Path | None = None,
          launch: Callable[..., subprocess.Popen] = subprocess.Popen,
          out: Callable[[str], None] = print) -> int:
    """Serve the workshop until stopped (Ctrl+C); remove its data folder on the way out.

    Parameters
    ----------
    port : int, optional
        Port on 127.0.0.1; a free one when None.
    notebooks : str or Path, optional
        Folder of the workshop notebooks; default ``notebooks/workshop`` of the repository.
    launch : callable
        Starts the server process (``subprocess.Popen``; replaced in tests).
    out : callable
        Where the address is printed.

    Returns
    -------
    int
        The server's exit status (0 when stopped with Ctrl+C).

    Raises
    ------
    LoyaltyDataError
        If the notebooks folder does not exist.
    """
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    if not (notebooks / _INDEX).is_file():
        raise LoyaltyDataError(f"No workshop notebooks in {notebooks}: run the workshop from a copy "
                               "of the repository, or pass the folder holding index.ipynb.")
    port = port or free_port()
    with workshop_folder() as folder:
        config, jupyter = _voila_setup(folder)
        search = os.pathsep.join(filter(None, [str(jupyter), os.environ.get("JUPYTER_PATH")]))
        env = {**os.environ, FOLDER_ENV: str(folder), "JUPYTER_PATH": search}
        process = launch(voila_command(port, notebooks, config), env=env)
        out(f"Workshop dashboard: http://127.0.0.1:{port}/voila/render/{_INDEX}  (Ctrl+C to stop)")
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            _stop(process)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``loyalty-lessons workshop [--port N]``: serve the dashboard until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="loyalty-lessons workshop",
                                     description="Serve the lesson explorers as a dashboard on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument("--notebooks", default=None, help="folder of the workshop notebooks")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # so that a stopped server still cleans up
    try:
        return serve(args.port, notebooks=args.notebooks)
    except LoyaltyDataError as problem:
        print(problem, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
