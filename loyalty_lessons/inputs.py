"""From a lesson's or report's parameters to loaded tables: one call for every notebook.

Notebook parameters hold only literals (papermill injects new ones after them): a path, or
``"sample"`` for the bundled sample business, or ``None`` for "not given".
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import (
    MAX_REJECTED_SHARE,
    LoadReport,
    load_complaints,
    load_survey,
    load_transactions,
    transactions_to_parquet,
)

__all__ = ["SAMPLE", "Inputs", "load_inputs"]

#: The parameter value that means "the bundled sample business".
SAMPLE = "sample"


class Inputs(NamedTuple):
    """The loaded inputs of a lesson or report.

    Attributes
    ----------
    transactions : DataFrame, or Path of a Parquet file
        The path when they were loaded with ``folder=``: millions of rows stay on disk.
    survey, complaints : DataFrame or None
        None when not given.
    summary : DataFrame or None
        :func:`~loyalty_lessons.customers.customer_summary` of the transactions at
        ``observation_end``; None when they were loaded with ``folder=`` (compute it from
        the file, with the report's other tables, by
        :func:`~loyalty_lessons.aggregates.aggregate`).
    reports : dict
        Table name -> :class:`~loyalty_lessons.data.LoadReport`, for each table loaded.
    observation_end : Timestamp
        The day the observation ends (the last transaction date unless given).
    """

    transactions: pd.DataFrame | Path
    survey: pd.DataFrame | None
    complaints: pd.DataFrame | None
    summary: pd.DataFrame | None
    reports: dict[str, LoadReport]
    observation_end: pd.Timestamp


def _load(loader, source, name, stack, **kwargs):
    if source is None:
        return None, None
    if _is_sample(source):
        path = stack.enter_context(as_file(files("loyalty_lessons.sample_data") / f"{name}.csv"))
        table, report = loader(path)
        report.source = f"the sample business ({name}.csv)"
        return table, report
    return loader(source, **kwargs)


def load_inputs(
    transactions=SAMPLE,
    survey=SAMPLE,
    complaints=SAMPLE,
    *,
    columns: dict[str, str] | None = None,
    survey_columns: dict[str, str] | None = None,
    complaint_columns: dict[str, str] | None = None,
    date_format: str | None = None,
    observation_end: str | pd.Timestamp | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
    folder: str | Path | None = None,
) -> Inputs:
    """Load transactions (required) and, when given, a survey and complaints.

    Parameters
    ----------
    transactions, survey, complaints : str, Path, DataFrame, "sample" or None
        A client file or frame, ``"sample"`` for the bundled sample business, or ``None``
        (survey and complaints only) when there is none. With a client's transactions,
        ``"sample"`` for the survey or complaints means none: the sample's would describe
        other customers (a note in the transactions' load report says so).
    columns, survey_columns, complaint_columns : dict, optional
        Role -> header mappings for each file (see the loaders).
    date_format : str, optional
        strptime format of the dates in the transactions and complaints files.
    observation_end : date-like, optional
        Ends the observation (later transactions are left out of the summary); defaults to
        the last transaction date.
    max_rejected_share : float
        Passed to each loader.
    folder : str or Path, optional
        Write the transactions' kept rows to ``folder/transactions.parquet`` with
        :func:`~loyalty_lessons.data.transactions_to_parquet` instead of loading them: for
        exports of millions of rows. ``transactions`` is then that path and ``summary`` None.

    Returns
    -------
    Inputs

    Raises
    ------
    LoyaltyDataError
        From the loaders, when a file cannot be used.

    Examples
    --------
    >>> inputs = load_inputs()
    >>> len(inputs.summary) == inputs.transactions["customer_id"].nunique()
    True
    >>> sorted(inputs.reports)
    ['complaints', 'survey', 'transactions']
    """
    common = {"max_rejected_share": max_rejected_share}
    notes = []
    if not _is_sample(transactions):
        # The sample's survey and complaints describe the sample's customers, not a client's.
        for name, value in (("survey", survey), ("complaints", complaints)):
            if _is_sample(value):
                notes.append(f"No {name} was given with the client's transactions, so there is none "
                             f"(the sample business's {name} would describe other customers).")
        survey = None if _is_sample(survey) else survey
        complaints = None if _is_sample(complaints) else complaints
    if folder is not None:
        path = Path(folder) / "transactions.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)

        def load_transactions_into_folder(source, **kwargs):
            return path, transactions_to_parquet(source, path, **kwargs)

    with ExitStack() as stack:
        tx, tx_report = _load(load_transactions if folder is None else load_transactions_into_folder, transactions,
                              "transactions", stack, columns=columns, date_format=date_format, **common)
        sv, sv_report = _load(load_survey, survey, "survey", stack, columns=survey_columns, **common)
        cp, cp_report = _load(load_complaints, complaints, "complaints", stack,
                              columns=complaint_columns, date_format=date_format, **common)
    end = pd.Timestamp(observation_end) if observation_end is not None else tx_report.date_max
    reports = {name: report for name, report in
               [("transactions", tx_report), ("survey", sv_report), ("complaints", cp_report)] if report}
    reports["transactions"].notes.extend(notes)
    summary = customer_summary(tx, observation_end=end, one_line_orders=tx_report.one_line_orders) \
        if folder is None else None
    return Inputs(tx, sv, cp, summary, reports, end)


def _is_sample(value) -> bool:
    return isinstance(value, str) and value == SAMPLE
