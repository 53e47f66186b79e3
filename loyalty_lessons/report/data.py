"""What the client report computes: its inputs, who it is for, and every analysis it shows.

:func:`report_data` loads the client's files (or reads back a folder saved by
:meth:`~loyalty_lessons.inputs.Inputs.save`) into a :class:`ReportData`, which computes each
analysis on first use and keeps it, so that the sections and ``figures.json`` share them. The
transactions are never held row by row: every figure drawn from them comes from
:func:`~loyalty_lessons.aggregates.aggregate`, which DuckDB computes from the frame or the file
(``ReportData.tables``).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons import customer_types as ct
from loyalty_lessons import monitoring as mon
from loyalty_lessons import pareto
from loyalty_lessons.aggregates import Aggregates, aggregate
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.future_spend import (
    HOLDOUT_DAYS,
    FutureSpendUplift,
    future_spend_from_summary,
    future_spend_uplift,
)
from loyalty_lessons.inputs import SAMPLE, TABLES, Inputs, load_inputs
from loyalty_lessons.load_report import MAX_REJECTED_SHARE
from loyalty_lessons.loyalty_value import lifetime as lv
from loyalty_lessons.quality_gap import gaps as qg
from loyalty_lessons.report.model import CustomerBase, customer_base, default_calibration_end
from loyalty_lessons.report.text import Messages, messages
from loyalty_lessons.retention import retention_coverage

__all__ = [
    "MAX_HORIZON_MONTHS",
    "REPORT_ASSUMPTIONS",
    "TABLES",
    "ReportData",
    "rejected_rows",
    "report_data",
    "write_rejected_rows",
]

#: Choices the report makes for the client; stated in the report where they matter.
REPORT_ASSUMPTIONS: dict[str, float] = {
    "top_fraction": 0.2,  # the "20%" of the 80/20 rule
    "retention_points": 0.05,  # the retention rise that is valued
    "discount_rate_yearly": 0.10,  # to value future years of revenue
    "cohort_period": "Q",  # cohorts by quarter keep the heatmap readable
    "max_findings": 5,
}


#: The longest horizon of the model's predictions: beyond ten years they say little.
MAX_HORIZON_MONTHS = 120


def _file_name(source) -> str | None:
    """The file's name alone: the report never shows a folder of the machine that made it."""
    if source is None or isinstance(source, pd.DataFrame) or source == SAMPLE:
        return None
    return Path(source).name


@dataclass
class ReportData:
    """Everything a report section needs: the inputs, who the report is for, and the words.

    Analyses are computed on first use and kept. Build it with :func:`report_data`.
    """

    inputs: Inputs
    client: str | None = None
    currency: str | None = None
    language: str = "en"
    sample: bool = False
    assumptions: dict = field(default_factory=lambda: dict(REPORT_ASSUMPTIONS))
    holdout_start: pd.Timestamp | None = None
    horizon_months: int = 12

    @property
    def m(self) -> Messages:
        return messages(self.language)

    @property
    def client_name(self) -> str:
        if self.client:
            return self.client
        return self.m.raw("title.sample_client") if self.sample else ""

    @property
    def engine(self) -> str:
        """Where the transactions' tables are computed: "duckdb", or "spark" when they were loaded there."""
        return (self.inputs.meta or {}).get("engine", "duckdb")

    @property
    def end(self) -> pd.Timestamp:
        return self.inputs.observation_end

    @cached_property
    def calibration_end(self) -> pd.Timestamp | None:
        """The last day before the holdout period of the model check: the day before
        ``holdout_start``, by default two thirds of the way from the first transaction to
        the observation end; None when the period is too short to be split."""
        if self.holdout_start is not None:
            return pd.Timestamp(self.holdout_start).normalize() - pd.Timedelta(days=1)
        loaded = self.inputs.reports.get("transactions")
        first = None if loaded is None else loaded.date_min
        if first is None:
            return None
        end = default_calibration_end(first, self.end)
        return end if pd.Timestamp(first).normalize() < end < self.end.normalize() else None

    @cached_property
    def tables(self) -> Aggregates:
        """What the report draws from the transactions, computed in DuckDB in one go (the
        model check's calibration summary and the customers as of a year before the end, for
        ``future_uplift``, included).

        Its ``summary`` (and ``orders_in_window``) hold the report's customers: the ids with
        at least one paid purchase (an order worth more than 0), as the monthly table, the
        cohorts and the retention count them. Ids with only rows of 0 or refunds are left out
        and counted in ``ids_without_purchase``."""
        tables = self.every_id_tables
        paid = (tables.summary["orders"] > 0).to_numpy()
        if paid.all():
            return tables
        return replace(
            tables,
            summary=tables.summary[paid].reset_index(drop=True),
            orders_in_window=tables.orders_in_window[paid],
        )

    @property
    def ids_without_purchase(self) -> int:
        """Customer ids of the transactions with no paid purchase, left out of the report's
        customers (:attr:`tables`)."""
        return len(self.every_id_tables.summary) - len(self.tables.summary)

    @cached_property
    def every_id_tables(self) -> Aggregates:
        """:attr:`tables` with every customer id of the transactions, those without a paid
        purchase included: what the customer-base models are fitted on."""
        loaded = self.inputs.reports.get("transactions")
        return aggregate(
            self.inputs.transactions,
            observation_end=self.end,
            cohort_period=self.assumptions["cohort_period"],
            window_days=ct.TYPE_RULES["loyal_window_days"],
            one_line_orders=loaded is not None and loaded.one_line_orders,
            calibration_end=self.calibration_end,
            split=self.end.normalize() - pd.Timedelta(days=HOLDOUT_DAYS),
            engine=self.engine,
        )

    @cached_property
    def customer_base(self) -> CustomerBase:
        """The BG/NBD and Gamma-Gamma models, their check and their predictions per customer.

        On Spark, the models are fitted from what the cluster computes, and the cluster writes
        every customer's predictions to ``inputs.meta["predictions_path"]`` when it is set
        (the ``report`` command sets it beside the report)."""
        on_spark = {}
        if self.engine == "spark":
            from loyalty_lessons import spark

            loaded = self.inputs.reports.get("transactions")
            on_spark["spark_summary"] = spark.summary_frame(
                self.inputs.transactions,
                observation_end=self.end,
                one_line_orders=loaded is not None and loaded.one_line_orders,
            )
            on_spark["spark_customers"] = on_spark["spark_summary"].where("orders > 0")  # as ``tables``
            on_spark["predictions_path"] = (self.inputs.meta or {}).get("predictions_path")
        # Fitted on every customer id with a transaction, as the published models count
        # customers (a purchase of 0 is still a purchase to them): on the CDNOW sample the fit
        # is Fader, Hardie & Lee's (2005), on their 2,357 customers, 8 of whom bought for 0
        # only; the predictions are for the report's customers, the ids with a paid purchase.
        return customer_base(
            self.every_id_tables,
            horizon_months=self.horizon_months,
            calibration_end=self.calibration_end,
            customers=self.tables.summary,  # predictions for the report's customers
            **on_spark,
        )

    @property
    def model_usable(self) -> bool:
        """The customer-base model fits and passed its check: the report uses it instead of
        the fixed 180-day rule."""
        return self.customer_base.usable

    @property
    def summary(self) -> pd.DataFrame:
        return self.tables.summary

    @cached_property
    def complaints(self) -> pd.DataFrame | None:
        cp = self.inputs.complaints
        if cp is None:
            return None
        cp = cp[cp["date"] <= self.end].reset_index(drop=True)
        return cp if len(cp) else None

    @cached_property
    def _typing(self) -> tuple[pd.DataFrame, str | None]:
        survey, why = self.inputs.survey, None
        if survey is not None and "customer_id" in survey and survey["customer_id"].notna().any():
            try:
                return ct.classify_customers(
                    self.summary, survey, orders_in_window=self.tables.orders_in_window
                ), None
            except LoyaltyDataError as err:
                why = str(err)  # answers that cannot be typed: behaviour alone, and the report says so
        return ct.classify_customers(self.summary, orders_in_window=self.tables.orders_in_window), why

    @property
    def types(self) -> pd.DataFrame:
        """Each customer's type: by behaviour, and by the survey answer where there is one."""
        return self._typing[0]

    @property
    def survey_unused(self) -> str | None:
        """Why the survey could not be used to type the customers; None when it was, or there is none."""
        return self._typing[1]

    @cached_property
    def profile(self) -> pd.DataFrame:
        return ct.type_profile(self.types, self.summary)

    @cached_property
    def uplift(self) -> ct.SpendUplift | None:
        try:
            return ct.spend_uplift(self.types, self.summary)
        except LoyaltyDataError:
            return None

    @cached_property
    def future_uplift(self) -> FutureSpendUplift | None:
        """Loyal against satisfied customers out of sample: types a year before the end, spend
        in the year after; None when the data cannot give both groups a year before the end."""
        tables = self.tables
        try:
            spend = future_spend_from_summary(
                tables.before_split, split=tables.split, observation_end=tables.observation_end
            )
            return future_spend_uplift(spend)
        except LoyaltyDataError:
            return None

    @cached_property
    def revenue_values(self) -> np.ndarray:
        return self.summary["revenue"].to_numpy(dtype=float)

    @cached_property
    def revenue_curve(self) -> pd.DataFrame:
        """The concentration curve of revenue, sorted once for every figure drawn from it."""
        return pareto.concentration_curve(self.revenue_values, negative="clip")

    @cached_property
    def lapsed(self) -> pd.DataFrame:
        """Customers whose last purchase is older than the dissatisfied rule allows."""
        return self.summary[self.summary["days_since_last"] > ct.TYPE_RULES["lapsed_after_days"]]

    @cached_property
    def retention(self) -> pd.DataFrame | None:
        """annual_retention, with the months of each pair of years the data cover
        (``retention_coverage``: ``months_observed``, ``months_observed_next``, ``complete``)."""
        if self.tables.retention is None:
            return None
        return retention_coverage(
            self.tables.retention, first_date=self.tables.first_date, observation_end=self.end
        )

    @cached_property
    def latest_retention(self) -> pd.Series | None:
        """The latest pair of years the data cover whole, else the latest pair (its
        ``complete`` says it is not a yearly figure)."""
        if self.retention is None:
            return None
        valid = self.retention.dropna(subset=["retention"])
        if valid.empty:
            return None
        whole = valid[valid["complete"]]
        return whole.iloc[-1] if len(whole) else valid.iloc[-1]

    @cached_property
    def retention_value(self) -> tuple[lv.RetentionUplift, float] | None:
        """Value of more retention for the buyers of the latest measured year, and their spend."""
        row = self.latest_retention
        if row is None or int(row["months_observed_next"]) < 12:  # not a yearly figure
            return None
        year = int(row["year"])
        spend = float(self.tables.yearly_revenue[year]) / int(row["customers"])
        try:
            value = lv.retention_uplift_value(
                customers=int(row["customers"]),
                yearly_margin=spend,
                yearly_retention=float(row["retention"]),
                discount_rate_yearly=self.assumptions["discount_rate_yearly"],
                points=self.assumptions["retention_points"],
            )
        except LoyaltyDataError:
            return None
        return value, spend

    @property
    def monthly(self) -> pd.DataFrame:
        return self.tables.monthly

    @cached_property
    def signals(self) -> pd.DataFrame:
        return mon.loyalty_signals(self.monthly)

    @cached_property
    def gaps(self) -> pd.DataFrame | None:
        return None if self.inputs.survey is None else qg.dimension_gaps(self.inputs.survey)

    def has(self, column: str) -> bool:
        """The survey has at least one value in ``column``."""
        survey = self.inputs.survey
        return survey is not None and column in survey and survey[column].notna().any()


def report_data(
    transactions=SAMPLE,
    survey=SAMPLE,
    complaints=SAMPLE,
    *,
    data_dir: str | Path | None = None,
    columns: dict[str, str] | None = None,
    survey_columns: dict[str, str] | None = None,
    complaint_columns: dict[str, str] | None = None,
    date_format: str | None = None,
    observation_end: str | pd.Timestamp | None = None,
    client: str | None = None,
    currency: str | None = None,
    language: str = "en",
    assumptions: dict | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
    folder: str | Path | None = None,
    holdout_start: str | pd.Timestamp | None = None,
    horizon_months: int = 12,
    engine: str = "duckdb",
    rejected_path: str | Path | None = None,
) -> ReportData:
    """Load the report's inputs, from the files themselves or from a saved folder.

    The one way in for the notebook run by hand and for the ``report`` command alike.

    Parameters
    ----------
    transactions, survey, complaints : str, Path, "sample" or None
        As in :func:`~loyalty_lessons.inputs.load_inputs`; ignored when ``data_dir`` is given.
        Only the files' names reach the report, never their folders.
    data_dir : str or Path, optional
        A folder saved by :meth:`~loyalty_lessons.inputs.Inputs.save`.
    columns, survey_columns, complaint_columns, date_format, observation_end, max_rejected_share
        As in :func:`~loyalty_lessons.inputs.load_inputs`.
    folder : str or Path, optional
        Stream the transactions' kept rows into ``folder/transactions.parquet`` instead of
        loading them (``load_inputs(..., folder=folder)``): for exports of millions of rows.
    engine, rejected_path
        With ``folder``: check and aggregate the transactions on Apache Spark
        (``engine="spark"``), writing the rows set aside to ``rejected_path``; see
        :func:`~loyalty_lessons.inputs.load_inputs`.
    client : str, optional
        The client's name for the title page.
    currency : str, optional
        ISO code of the amounts' currency (e.g. "EUR"), written with them; "EUR" for the
        sample business; without one, amounts are plain numbers.
    language : str
        Language of the report's text, and locale of its numbers.
    assumptions : dict, optional
        Overrides of :data:`REPORT_ASSUMPTIONS`, e.g. ``{"discount_rate_yearly": 0.08}``.
    holdout_start : date-like, optional
        First day of the holdout period of the customer-base model's check (the model is
        fitted on the purchases before it and compared with those from it to the
        observation end); by default the start of the last third of the period.
    horizon_months : int, default 12
        Months ahead of the model's expected purchases and revenue (1 to
        :data:`MAX_HORIZON_MONTHS`).

    Returns
    -------
    ReportData

    Raises
    ------
    LoyaltyDataError
        If a file cannot be used, the observation end is before the first transaction, the
        language has no catalogue, an assumption is unknown, the holdout start is not
        inside the period or the horizon is not a whole number of months from 1 to
        :data:`MAX_HORIZON_MONTHS`.

    Examples
    --------
    >>> data = report_data()
    >>> data.client_name, data.currency, len(data.summary)
    ('Lindenhof Coffee Roasters (the sample business)', 'EUR', 2996)
    """
    m = messages(language)  # fails early on an unknown language
    horizon = _horizon_months(horizon_months)
    unknown = sorted(set(assumptions or {}) - set(REPORT_ASSUMPTIONS))
    if unknown:
        raise LoyaltyDataError(
            f"Unknown report assumption(s) {unknown}; the ones that can be changed are "
            f"{sorted(REPORT_ASSUMPTIONS)}."
        )
    if data_dir is not None:
        inputs = Inputs.load(data_dir)
        sample = all(r.source.startswith("the sample business") for r in inputs.reports.values())
    else:
        end = None if observation_end is None else pd.Timestamp(observation_end)
        inputs = load_inputs(
            transactions,
            survey,
            complaints,
            columns=columns or None,
            survey_columns=survey_columns or None,
            complaint_columns=complaint_columns or None,
            date_format=date_format,
            observation_end=end,
            max_rejected_share=max_rejected_share,
            folder=folder,
            engine=engine,
            rejected_path=rejected_path,
        )
        first = inputs.reports["transactions"].date_min
        if end is not None and first is not None and end < first:
            if folder is not None:
                shutil.rmtree(inputs.transactions, ignore_errors=True)  # a folder, when Spark wrote it
                Path(inputs.transactions).unlink(missing_ok=True)  # no report will be made of them
            raise LoyaltyDataError(
                f"The observation end {end:%Y-%m-%d} is before the first transaction "
                f"({first:%Y-%m-%d}); give a later date or leave it out."
            )
        for name, source in zip(TABLES, (transactions, survey, complaints), strict=True):
            if name in inputs.reports and _file_name(source):
                inputs.reports[name].source = _file_name(source)
        sample = isinstance(transactions, str) and transactions == SAMPLE
    if currency is None and sample:
        currency = "EUR"
    holdout = _holdout_start(holdout_start, inputs)
    return ReportData(
        inputs,
        client=client,
        currency=currency,
        language=m.language,
        sample=sample,
        assumptions={**REPORT_ASSUMPTIONS, **(assumptions or {})},
        holdout_start=holdout,
        horizon_months=horizon,
    )


def _horizon_months(value) -> int:
    """The horizon, checked: a whole number of months from 1 to MAX_HORIZON_MONTHS."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not (whole and 1 <= value <= MAX_HORIZON_MONTHS):
        raise LoyaltyDataError(
            f"horizon_months={value!r} is not a horizon the report can use: give a whole number of "
            f"months from 1 to {MAX_HORIZON_MONTHS}, e.g. horizon_months=12 for the next year."
        )
    return int(value)


def _holdout_start(value, inputs: Inputs) -> pd.Timestamp | None:
    """The holdout start, checked against the period of the transactions."""
    if value is None:
        return None
    try:
        if isinstance(value, str):  # a date as the option gives it, not whatever pandas can read
            value = datetime.strptime(value, "%Y-%m-%d")
        start = pd.Timestamp(value).normalize()
    except (TypeError, ValueError):
        raise LoyaltyDataError(
            f"holdout_start={value!r} is not a date; write it as YYYY-MM-DD, e.g. holdout_start=2025-01-01."
        ) from None
    first = inputs.reports["transactions"].date_min
    end = inputs.observation_end.normalize()
    if first is None:
        return start
    first = pd.Timestamp(first).normalize()
    if not first + pd.Timedelta(days=1) < start <= end:
        raise LoyaltyDataError(
            f"holdout_start={start:%Y-%m-%d} is not inside the period of the transactions: the model is "
            f"fitted on the purchases before it and checked on those from it to the observation end, so "
            f"give a day after {first + pd.Timedelta(days=1):%Y-%m-%d} and on or before {end:%Y-%m-%d}, "
            "or leave it out (the start of the last third of the period)."
        )
    return start


def rejected_rows(inputs: Inputs) -> pd.DataFrame:
    """Every set-aside row of every table, with a ``table`` column first (empty if none)."""
    parts = [r.rejected.assign(table=name) for name, r in inputs.reports.items() if r.rows_rejected]
    if not parts:
        return pd.DataFrame(
            {
                "table": pd.Series(dtype="str"),
                "line": pd.Series(dtype="int64"),
                "reason": pd.Series(dtype="str"),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    return out[["table", *[c for c in out.columns if c != "table"]]]


#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(value):
    """A text cell that a spreadsheet would run as a formula, made text by a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rejected_rows(inputs: Inputs, path: str | Path) -> int:
    """Write :func:`rejected_rows` to a CSV file a spreadsheet opens safely, if there are any.

    The set-aside rows hold what the client's file held, as text: a cell that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel
    or LibreOffice (``+cmd|calc!A0``), so it is written with a single quote before it, as
    OWASP's advice on CSV injection says (a raw amount such as ``-3,50`` too: it is text
    here); every text cell is quoted. The line numbers are left as they are.

    Parameters
    ----------
    inputs : Inputs
    path : str or Path
        The CSV file; removed if it exists and no row was set aside (an earlier run's).

    Returns
    -------
    int
        The rows written.
    """
    rows = rejected_rows(inputs)
    path = Path(path)
    if not len(rows):
        path.unlink(missing_ok=True)
        return 0
    safe = rows.assign(**{c: rows[c].map(_neutralised) for c in rows.columns if c != "line"})
    safe.to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC)
    return len(rows)
