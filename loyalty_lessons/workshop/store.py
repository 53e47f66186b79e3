"""The workshop's data: a client's uploaded files read by the package's loaders, and the dataset store.

Every Voilà page runs in its own kernel, so the active dataset lives on disk: the server's
private folder (named by the environment variable :data:`FOLDER_ENV`) holds the last
upload's canonical tables as Parquet, and :func:`active_dataset` reads them back, or gives
the sample business before any upload.

- :func:`read_upload` and :func:`load_client_data`: uploaded bytes -> canonical tables,
  through the loaders of :mod:`loyalty_lessons.data`; :class:`ColumnsNotRecognised` when
  a file's headers need a mapping;
- :func:`save_dataset`, :func:`clear_dataset`, :func:`active_dataset`,
  :func:`dataset_version`: the shared state. Only the active dataset is ever on disk: a
  replaced one is deleted as soon as the new one is in place, and :func:`clear_dataset` deletes
  the client's data.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from loyalty_lessons.data import load_complaints, load_transactions, match_columns
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import Inputs, load_inputs
from loyalty_lessons.load_report import LoadReport
from loyalty_lessons.survey_loader import load_survey
from loyalty_lessons.workshop.folder import FOLDER_ENV, data_folder

__all__ = [
    "FOLDER_ENV",
    "SAMPLE_NAME",
    "UPLOAD_SUFFIXES",
    "ColumnsNotRecognised",
    "Dataset",
    "active_dataset",
    "clear_dataset",
    "dataset_version",
    "load_client_data",
    "read_upload",
    "save_dataset",
]

#: The name shown on every page while no client file is loaded.
SAMPLE_NAME = "Sample business"

#: File suffixes an upload may have: CSV-like exports and Excel workbooks.
UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")

_LOADERS = {"transactions": load_transactions, "survey": load_survey, "complaints": load_complaints}
_POINTER = "dataset.json"


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
            f"Choose the column holding each one below, then load again."
        )


@contextmanager
def _upload_file(file_name: str, content: bytes) -> Iterator[Path]:
    """The uploaded bytes as a file in a private temporary folder, removed on exit."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise LoyaltyDataError(
            f"{file_name}: a workshop upload must be a CSV, TXT or TSV export or an Excel "
            f"workbook ({', '.join(UPLOAD_SUFFIXES)}). Export the data again in one of these formats."
        )
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
    if kind == "survey":  # recognised by its E1/P1 columns, which no mapping names
        return
    match = match_columns(path, kind, columns=columns)
    if match.missing:
        raise ColumnsNotRecognised(kind, file_name, match.headers, match.missing, match.found)


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


# --------------------------------------------------------------------------- the dataset store


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
                kind, file_name, content, columns=columns.get(kind), date_format=date_format
            )
    inputs = load_inputs(tables["transactions"], tables.get("survey"), tables.get("complaints"))
    inputs = inputs._replace(reports=reports)
    return Dataset(
        files["transactions"][0],
        inputs,
        currency,
        {kind: report.summary() for kind, report in reports.items()},
    )


def save_dataset(dataset: Dataset, folder: str | Path | None = None) -> Path:
    """Make ``dataset`` the one every page built from now on shows.

    The tables go to a new subfolder of ``folder`` (:meth:`Inputs.save
    <loyalty_lessons.inputs.Inputs.save>`, with the dataset's name and currency as its
    ``meta``), then the pointer file ``dataset.json`` is replaced in one step, so a page never
    reads half a dataset.

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
    root = data_folder(folder)
    if root is None or not root.is_dir():
        raise LoyaltyDataError(
            f"No workshop data folder ({FOLDER_ENV} is not set to a folder): start the dashboard "
            "with `make workshop` or `python -m loyalty_lessons.workshop`."
        )
    target = root / f"dataset-{uuid.uuid4().hex}"
    dataset.inputs._replace(meta={"name": dataset.name, "currency": dataset.currency}).save(target)
    pointer = {"folder": target.name}
    temporary = root / f".{_POINTER}.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(pointer), encoding="utf-8")
    os.replace(temporary, root / _POINTER)
    _delete_datasets(root, keep=target.name)
    return target


def _delete_datasets(root: Path, keep: str | None = None) -> None:
    """Delete every saved dataset of ``root`` but ``keep`` (the replaced uploads)."""
    for old in root.glob("dataset-*"):
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def clear_dataset(folder: str | Path | None = None) -> None:
    """Delete the client's data and go back to the sample business on every page built from now on."""
    root = data_folder(folder)
    if root is not None and root.is_dir():
        (root / _POINTER).unlink(missing_ok=True)
        _delete_datasets(root)


def dataset_version(folder: str | Path | None = None) -> str:
    """Which dataset is active, in one word: "" for the sample business, else its subfolder's name.

    A page compares it with the one it was built on to know whether to read the data again.

    Examples
    --------
    >>> dataset_version(folder="")
    ''
    """
    root = data_folder(folder)
    pointer = root / _POINTER if root is not None else None
    if pointer is None or not pointer.is_file():
        return ""
    try:
        return json.loads(pointer.read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError):
        return ""


def _sample() -> Dataset:
    inputs = load_inputs()
    return Dataset(
        SAMPLE_NAME, inputs, "EUR", {kind: report.summary() for kind, report in inputs.reports.items()}
    )


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
    root = data_folder(folder)
    for _ in range(3):  # a dataset replaced while it was read is read again, as the new one
        version = dataset_version(root if root is not None else "")
        if not version:
            return _sample()
        try:
            inputs = Inputs.load(root / version, read_transactions=True)
            break
        except (OSError, LoyaltyDataError):
            continue
    else:
        raise LoyaltyDataError("The data changed three times while this page read it: reload the page.")
    reports = {kind: report.summary() for kind, report in inputs.reports.items()}
    return Dataset(inputs.meta["name"], inputs, inputs.meta["currency"], reports)
