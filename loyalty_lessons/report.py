"""The client report: key figures, the report's sections as HTML, and its export.

The report is the notebook ``notebooks/client-report.ipynb``, run by
``loyalty-lessons report`` (see ``docs/report.md``). Its cells are thin: each displays one
function of this module, which computes with the package's analyses and writes with the
message catalogue of :mod:`loyalty_lessons.report_text`, so no sentence lives in the
notebook. :func:`key_figures` gives the same figures as ``figures.json``.

The command checks the client's files once, streams the transactions' kept rows into a
Parquet file and writes the other tables next to it (:func:`write_canonical`), then passes
the folder to the notebook, which reads it back (:func:`read_canonical`); run by hand, the
notebook loads the files itself. Either way the sections never hold the transactions row by
row: every figure drawn from them comes from :func:`~loyalty_lessons.aggregates.aggregate`,
which DuckDB computes from the frame or the file (``ReportData.tables``).
"""

from __future__ import annotations

import base64
import io
import json
import math
import textwrap
import warnings
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons import customer_types as ct
from loyalty_lessons import loyalty_value as lv
from loyalty_lessons import monitoring as mon
from loyalty_lessons import pareto
from loyalty_lessons import quality_gap as qg
from loyalty_lessons.aggregates import Aggregates, aggregate
from loyalty_lessons.data import LoadReport
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import SAMPLE, Inputs, load_inputs
from loyalty_lessons.report_text import Messages, Safe, html_table, messages
from loyalty_lessons.survey import DIMENSIONS

__all__ = [
    "REPORT_ASSUMPTIONS",
    "REPORT_STYLE",
    "TABLES",
    "ReportData",
    "actions_section",
    "customer_types_section",
    "data_quality_section",
    "html_exporter",
    "key_figures",
    "write_key_figures",
    "loyalty_value_section",
    "monitoring_section",
    "notebook_path",
    "notebook_to_html",
    "pareto_section",
    "quality_gap_section",
    "read_canonical",
    "rejected_rows",
    "report_data",
    "summary_section",
    "title_section",
    "write_canonical",
]

#: The three tables of the data contract, in report order.
TABLES = ("transactions", "survey", "complaints")

#: Choices the report makes for the client; stated in the report where they matter.
REPORT_ASSUMPTIONS: dict[str, float] = {
    "top_fraction": 0.2,  # the "20%" of the 80/20 rule
    "retention_points": 0.05,  # the retention rise that is valued
    "discount_rate_yearly": 0.10,  # to value future years of revenue
    "value_years": 5,  # years over which loyal and satisfied spend are compared
    "cohort_period": "Q",  # cohorts by quarter keep the heatmap readable
    "max_findings": 5,
}

#: One look for every chart: a blue-grey palette, readable sizes, light grid.
REPORT_STYLE: dict[str, object] = {
    "font.size": 10,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 9.5,
    "axes.edgecolor": "#5d6b7a",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": True,
    "grid.color": "#d5dde5",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
_DPI = 100
_TITLE_CHARS_PER_INCH = 11.5
_LABEL_CHARS_PER_INCH = 13
#: Symbols written before amounts on charts; other codes are written out ("CHF 20").
_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def _version() -> str:
    try:
        return version("loyalty-lessons")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def notebook_path() -> Path:
    """The report notebook, ``notebooks/client-report.ipynb`` next to the package folder.

    Raises
    ------
    LoyaltyDataError
        If it is not there (the notebook ships with the repository, not the wheel).
    """
    path = Path(__file__).resolve().parents[1] / "notebooks" / "client-report.ipynb"
    if not path.is_file():
        raise LoyaltyDataError(
            f"The report notebook is missing: expected notebooks/client-report.ipynb in {path.parents[1]}. "
            "The report runs from a checkout of the loyalty-lessons repository; pass "
            "--notebook PATH to use a copy elsewhere.")
    return path


# --------------------------------------------------------------------------- the data

def _report_to_dict(report: LoadReport) -> dict:
    rejected = report.rejected.astype(object).where(report.rejected.notna(), None)
    return {
        "source": report.source, "rows_read": report.rows_read, "rows_kept": report.rows_kept,
        "rejected": {"columns": [str(c) for c in rejected.columns],
                     "rows": [[int(v) if c == "line" else (None if v is None else str(v))
                               for c, v in zip(rejected.columns, row)]
                              for row in rejected.itertuples(index=False)]},
        "columns": report.columns, "detected": {k: str(v) for k, v in report.detected.items()},
        "duplicates": report.duplicates, "refunds": report.refunds, "one_line_orders": report.one_line_orders,
        "date_min": None if report.date_min is None else f"{report.date_min:%Y-%m-%d}",
        "date_max": None if report.date_max is None else f"{report.date_max:%Y-%m-%d}",
        "notes": report.notes,
    }


def _report_from_dict(d: dict) -> LoadReport:
    rejected = pd.DataFrame(d["rejected"]["rows"], columns=d["rejected"]["columns"])
    rejected["line"] = rejected["line"].astype("int64")
    rejected["reason"] = rejected["reason"].astype("str")
    date = lambda v: None if v is None else pd.Timestamp(v)  # noqa: E731
    return LoadReport(source=d["source"], rows_read=d["rows_read"], rows_kept=d["rows_kept"],
                      rejected=rejected, columns=d["columns"], detected=d["detected"],
                      duplicates=d["duplicates"], refunds=d["refunds"],
                      one_line_orders=d.get("one_line_orders", False), date_min=date(d["date_min"]),
                      date_max=date(d["date_max"]), notes=d["notes"])


def write_canonical(inputs: Inputs, folder: str | Path) -> Path:
    """Write the loaded tables as Parquet and their load reports as JSON into ``folder``.

    Writes ``<table>.parquet`` for each table given (transactions already written there by
    ``load_inputs(..., folder=folder)`` are left as they are) and ``load_reports.json``
    (the reports and the observation end). :func:`read_canonical` reads them back.

    Returns
    -------
    Path
        The folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        table, path = getattr(inputs, name), folder / f"{name}.parquet"
        if isinstance(table, pd.DataFrame):
            table.to_parquet(path, index=False)
        elif table is not None and Path(table).resolve() != path.resolve():
            raise LoyaltyDataError(f"The {name} are in {table}, not in {folder}: load them with "
                                   f"load_inputs(..., folder={str(folder)!r}).")
    meta = {"observation_end": f"{inputs.observation_end:%Y-%m-%d}",
            "reports": {name: _report_to_dict(r) for name, r in inputs.reports.items()}}
    (folder / "load_reports.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


def read_canonical(folder: str | Path) -> Inputs:
    """Read back what :func:`write_canonical` wrote, without parsing any client file again.

    The transactions stay on disk: ``transactions`` is the path of their Parquet file and
    ``summary`` None (:class:`ReportData` computes it with its other tables).

    Raises
    ------
    LoyaltyDataError
        If the folder or its ``load_reports.json`` is missing.
    """
    folder = Path(folder)
    meta_path = folder / "load_reports.json"
    if not meta_path.is_file():
        raise LoyaltyDataError(f"{meta_path.name} is missing in {folder.name!r}: write the folder "
                               "with write_canonical(inputs, folder), or give the files instead.")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") if name in meta["reports"] else None
              for name in TABLES[1:]}
    end = pd.Timestamp(meta["observation_end"])
    reports = {name: _report_from_dict(d) for name, d in meta["reports"].items()}
    return Inputs(folder / "transactions.parquet", tables["survey"], tables["complaints"], None, reports, end)


def _file_name(source) -> str | None:
    if source is None or source == SAMPLE or isinstance(source, pd.DataFrame):
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

    @property
    def m(self) -> Messages:
        return messages(self.language)

    @property
    def client_name(self) -> str:
        if self.client:
            return self.client
        return self.m.raw("title.sample_client") if self.sample else ""

    @property
    def end(self) -> pd.Timestamp:
        return self.inputs.observation_end

    @cached_property
    def tables(self) -> Aggregates:
        """What the report draws from the transactions, computed in DuckDB in one go."""
        loaded = self.inputs.reports.get("transactions")
        return aggregate(self.inputs.transactions, observation_end=self.end,
                         cohort_period=self.assumptions["cohort_period"],
                         window_days=ct.TYPE_RULES["loyal_window_days"],
                         one_line_orders=loaded is not None and loaded.one_line_orders)

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
    def types(self) -> pd.DataFrame:
        survey = self.inputs.survey
        if survey is not None and "customer_id" in survey and survey["customer_id"].notna().any():
            try:
                return ct.classify_customers(self.summary, survey, orders_in_window=self.tables.orders_in_window)
            except LoyaltyDataError:
                pass  # answers that cannot be typed: fall back to behaviour alone
        return ct.classify_customers(self.summary, orders_in_window=self.tables.orders_in_window)

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

    @property
    def retention(self) -> pd.DataFrame | None:
        return self.tables.retention

    @cached_property
    def latest_retention(self) -> pd.Series | None:
        if self.retention is None:
            return None
        valid = self.retention.dropna(subset=["retention"])
        return None if valid.empty else valid.iloc[-1]

    @cached_property
    def retention_value(self) -> tuple[lv.RetentionUplift, float] | None:
        """Value of more retention for the buyers of the latest measured year, and their spend."""
        row = self.latest_retention
        if row is None:
            return None
        year = int(row["year"])
        spend = float(self.tables.yearly_revenue[year]) / int(row["customers"])
        try:
            value = lv.retention_uplift_value(
                customers=int(row["customers"]), yearly_margin=spend,
                yearly_retention=float(row["retention"]),
                discount_rate_yearly=self.assumptions["discount_rate_yearly"],
                points=self.assumptions["retention_points"])
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
    observation_end: str | None = None,
    client: str | None = None,
    currency: str | None = None,
    language: str = "en",
    assumptions: dict | None = None,
) -> ReportData:
    """Load the report's inputs, from the command's folder or from the files themselves.

    Parameters
    ----------
    transactions, survey, complaints : str, Path, "sample" or None
        As in :func:`~loyalty_lessons.inputs.load_inputs`; ignored when ``data_dir`` is given.
    data_dir : str or Path, optional
        A folder written by :func:`write_canonical`.
    columns, survey_columns, complaint_columns, date_format, observation_end
        As in :func:`~loyalty_lessons.inputs.load_inputs`.
    client : str, optional
        The client's name for the title page.
    currency : str, optional
        Currency code written after amounts (e.g. "EUR"); "EUR" for the sample business.
    language : str
        Language of the report's text.
    assumptions : dict, optional
        Overrides of :data:`REPORT_ASSUMPTIONS`, e.g. ``{"discount_rate_yearly": 0.08}``.

    Returns
    -------
    ReportData

    Raises
    ------
    LoyaltyDataError
        If a file cannot be used, the language has no catalogue or an assumption is unknown.

    Examples
    --------
    >>> data = report_data()
    >>> data.client_name, data.currency, len(data.summary)
    ('Lindenhof Coffee Roasters (the sample business)', 'EUR', 3000)
    """
    m = messages(language)  # fails early on an unknown language
    unknown = sorted(set(assumptions or {}) - set(REPORT_ASSUMPTIONS))
    if unknown:
        raise LoyaltyDataError(f"Unknown report assumption(s) {unknown}; the ones that can be changed are "
                               f"{sorted(REPORT_ASSUMPTIONS)}.")
    if data_dir is not None:
        inputs = read_canonical(data_dir)
        sample = all(r.source.startswith("the sample business") for r in inputs.reports.values())
    else:
        inputs = load_inputs(transactions, survey, complaints, columns=columns or None,
                             survey_columns=survey_columns or None,
                             complaint_columns=complaint_columns or None,
                             date_format=date_format, observation_end=observation_end)
        for name, source in zip(TABLES, (transactions, survey, complaints)):
            if name in inputs.reports and _file_name(source):
                inputs.reports[name].source = _file_name(source)
        sample = transactions == SAMPLE
    if currency is None and sample:
        currency = "EUR"
    return ReportData(inputs, client=client, currency=currency, language=m.language, sample=sample,
                      assumptions={**REPORT_ASSUMPTIONS, **(assumptions or {})})


def rejected_rows(inputs: Inputs) -> pd.DataFrame:
    """Every set-aside row of every table, with a ``table`` column first (empty if none)."""
    parts = [r.rejected.assign(table=name) for name, r in inputs.reports.items() if r.rows_rejected]
    if not parts:
        return pd.DataFrame({"table": pd.Series(dtype="str"), "line": pd.Series(dtype="int64"),
                             "reason": pd.Series(dtype="str")})
    out = pd.concat(parts, ignore_index=True)
    return out[["table", *[c for c in out.columns if c != "table"]]]


# --------------------------------------------------------------------------- figures.json

def _float(x, digits: int = 6) -> float | None:
    """A figure for JSON: rounded (shares and scores to 6 decimals), None when missing."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), digits)


def write_key_figures(data: ReportData, path) -> None:
    """Write :func:`key_figures` as JSON (``figures.json``), UTF-8, reproducibly."""
    Path(path).write_text(json.dumps(key_figures(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def key_figures(data: ReportData) -> dict:
    """The report's key figures, machine-readable (what ``figures.json`` holds).

    Returns
    -------
    dict
        ``client``, ``currency``, ``language``, ``observation_end``, ``generated_with``;
        ``customers``; ``transactions`` (rows kept), ``rows_read``, ``rows_rejected`` (of
        the transactions file) and ``tables`` (the same per table); ``revenue`` (net, up to
        the observation end, to the cent); ``top20_revenue_share`` (:func:`~loyalty_lessons.pareto.top_share`
        of net revenue per customer, negatives as 0), ``pareto_rule``, ``gini_revenue``;
        ``repeat_customer_rate`` (share of customers with 2 or more orders);
        ``annual_retention`` (the latest pair of calendar years, or None) and
        ``annual_retention_by_year``; ``customer_types`` (counts) and ``customer_types_basis``;
        with a survey ``servqual_unweighted``, ``servqual_weighted`` (None without
        importance points), ``gap_by_dimension``, ``nps`` (None without recommend scores),
        ``respondents``; with complaints ``complaints`` and ``top20_complaint_share`` (among
        complaining customers). Shares and scores are rounded to 6 decimals. No timestamp
        and no path: the same data give the same file.

    Examples
    --------
    >>> figures = key_figures(report_data())
    >>> figures["customers"], figures["rows_read"] == figures["transactions"] + figures["rows_rejected"]
    (3000, True)
    """
    inputs, summary = data.inputs, data.summary
    tx_report = inputs.reports["transactions"]
    fraction = 0.2  # the figures' names say 20%, whatever the report's assumptions
    figures: dict[str, object] = {
        "client": data.client_name or None,
        "currency": data.currency,
        "language": data.language,
        "observation_end": f"{data.end:%Y-%m-%d}",
        "generated_with": f"loyalty-lessons {_version()}",
        "customers": int(len(summary)),
        "transactions": int(tx_report.rows_kept),
        "rows_read": int(tx_report.rows_read),
        "rows_rejected": int(tx_report.rows_rejected),
        "tables": {name: {"rows_read": r.rows_read, "rows_kept": r.rows_kept, "rows_rejected": r.rows_rejected,
                          "reasons": {str(k): int(v) for k, v in r.reasons.items()}}
                   for name, r in inputs.reports.items()},
        "revenue": _float(summary["revenue"].sum(), 2),
        "top20_revenue_share": _float(pareto.top_share(data.revenue_curve, fraction)),
        "pareto_rule": pareto.pareto_point(data.revenue_curve).label,
        "gini_revenue": _float(pareto.gini(data.revenue_curve)),
        "repeat_customer_rate": _float((summary["orders"] >= 2).mean()),
        "annual_retention": None if data.latest_retention is None else _float(data.latest_retention["retention"]),
        "annual_retention_by_year": [] if data.retention is None else [
            {"year": int(r.year), "customers": int(r.customers), "retained": int(r.retained),
             "retention": _float(r.retention)} for r in data.retention.itertuples()],
        "customer_types": {str(r.type): int(r.customers) for r in data.profile.itertuples()},
        "customer_types_basis": sorted(data.types["basis"].unique().tolist()),
    }
    if inputs.survey is not None:
        figures["servqual_unweighted"] = _float(qg.servqual_score(inputs.survey))
        figures["servqual_weighted"] = (_float(qg.servqual_score(inputs.survey, weighted=True))
                                        if data.has("importance") else None)
        figures["gap_by_dimension"] = {r.dimension: _float(r.gap) for r in data.gaps.itertuples()}
        figures["nps"] = _float(qg.nps(inputs.survey)) if data.has("recommend") else None
        figures["respondents"] = int(inputs.survey["respondent_id"].nunique())
    if data.complaints is not None:
        concentration = pareto.complaint_concentration(data.complaints, fraction=fraction)
        figures["complaints"] = int(len(data.complaints))
        figures["top20_complaint_share"] = _float(concentration["complaint_share"].iloc[0])
    return figures


# --------------------------------------------------------------------------- charts

def _titles(ax) -> list[tuple[str, str]]:
    return [(loc, ax.get_title(loc=loc)) for loc in ("left", "center", "right") if ax.get_title(loc=loc)]


def _wrap_titles(fig) -> list[str]:
    """Wrap long titles and y labels to the size of their Axes; return the titles, unwrapped."""
    width_in, height_in = fig.get_size_inches()
    found = []
    for ax in fig.axes:
        box = ax.get_position()
        for loc, title in _titles(ax):
            found.append(title.replace("\n", " "))
            per_axes = max(30, int(width_in * box.width * _TITLE_CHARS_PER_INCH))
            ax.set_title("\n".join(textwrap.wrap(title.replace("\n", " "), per_axes)), loc=loc)
        label = ax.get_ylabel()
        per_label = max(20, int(height_in * box.height * _LABEL_CHARS_PER_INCH))
        if len(label) > per_label:
            ax.set_ylabel("\n".join(textwrap.wrap(label, per_label)))
    return found


def _currency_symbol(currency: str | None) -> str:
    if not currency:
        return ""
    return _CURRENCY_SYMBOLS.get(currency.upper(), f"{currency} ")


def _twin_without_grid(fig) -> None:
    """A twin y axis draws its own grid, which does not line up with the first one's."""
    for ax in fig.axes[1:]:
        ax.grid(False)
        ax.spines["right"].set_visible(True)


def _chart(data: ReportData, draw, size: tuple[float, float] = (8.0, 4.2)) -> Safe:
    """Draw a chart with ``draw(fig)`` and return it as an inline PNG in a <figure>."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(REPORT_STYLE), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = Figure(figsize=size, layout="constrained")
        draw(fig)
        titles = _wrap_titles(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=_DPI)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = data.m.text("charts.alt", title=" · ".join(titles[:1]))
    return Safe(f'<figure class="chart"><img src="data:image/png;base64,{png}" alt="{alt}"></figure>')


# --------------------------------------------------------------------------- helpers

def _section(key: str, body: str, m: Messages, css: str = "") -> Safe:
    return Safe(f'<section class="report-section {key} {css}" id="{key}">'
                f'<h2>{m.text("headings." + key)}</h2>{body}</section>')


def _p(text: str, css: str | None = None) -> str:
    return f'<p class="{css}">{text}</p>' if css else f"<p>{text}</p>"


def _missing(text: str) -> str:
    return f'<p class="missing">{text}</p>'


def _types_row(data: ReportData, name: str) -> pd.Series:
    return data.profile.set_index(data.profile["type"].astype("str")).loc[name]


def _top_count(data: ReportData) -> int:
    return max(1, math.ceil(round(data.assumptions["top_fraction"] * len(data.summary), 9)))


_TOP_ROWS = 10


def _customer_table(data: ReportData, customers: pd.DataFrame, header_key: str) -> str:
    m = data.m
    rows = [[r.customer_id, m.money(r.revenue, data.currency), m.number(r.orders), f"{r.last_purchase:%Y-%m-%d}",
             m.number(r.days_since_last)] for r in customers.itertuples()]
    return html_table(rows, m.raw(header_key), numeric={1, 2, 4})


def _short_dimensions(data: ReportData) -> pd.DataFrame:
    gaps = data.gaps.dropna(subset=["gap"])
    return gaps[gaps["gap"] < 0].sort_values("gap")


def _categories(data: ReportData) -> pd.Series:
    return data.complaints["category"].astype("str").value_counts()


# --------------------------------------------------------------------------- sections

def title_section(data: ReportData) -> Safe:
    """The title block: the report's name, the client, the period and the totals."""
    m = data.m
    client = _p(m.text("title.prepared_for", client=data.client_name), "client") if data.client_name else ""
    period = m.text("title.period", start=m.date(data.tables.first_date), end=m.date(data.end),
                    customers=m.number(len(data.summary)),
                    revenue=m.money(data.summary["revenue"].sum(), data.currency))
    made = m.text("title.made_with", version=_version(), end=m.date(data.end))
    keys = ["summary", "data_quality", "quality_gap", "customer_types", "pareto", "loyalty_value",
            "monitoring", "actions"]
    contents = "".join(f'<li><a href="#{k}">{m.text("headings." + k)}</a></li>' for k in keys)
    return Safe(f'<header class="title"><h1>{m.text("title.report")}</h1>{client}{_p(period)}'
                f'{_p(made, "note")}<nav><h3>{m.text("title.contents")}</h3><ol>{contents}</ol></nav></header>')


def _biggest_spenders(customers: pd.DataFrame) -> pd.DataFrame:
    """The ``_TOP_ROWS`` customers with the most revenue, ties by id. nlargest first, so that
    a million customers are not all sorted."""
    return (customers.nlargest(_TOP_ROWS, "revenue", keep="all")
            .sort_values(["revenue", "customer_id"], ascending=[False, True]).head(_TOP_ROWS))


def _findings(data: ReportData) -> list[str]:
    m, figures = data.m, []
    lapsed = data.lapsed
    loyal = _types_row(data, "loyal")
    common = {"dissatisfied": m.number(len(lapsed)), "dissatisfied_share": m.percent(len(lapsed) / len(data.summary)),
              "days": m.number(ct.TYPE_RULES["lapsed_after_days"])}
    if loyal["customers"] > 0:
        figures.append(m.text("summary.types", loyal_share=m.percent(loyal["share_of_customers"]),
                              loyal_revenue=m.percent(loyal["revenue_share"]), **common))
    else:
        figures.append(m.text("summary.types_no_loyal", **common))
    share = pareto.top_share(data.revenue_curve, data.assumptions["top_fraction"])
    figures.append(m.text("summary.concentration", share=m.percent(share), top=m.number(_top_count(data)),
                          fraction=m.percent(data.assumptions["top_fraction"]),
                          customers=m.number(len(data.summary))))
    if data.latest_retention is not None and data.retention_value is not None:
        row, (value, _) = data.latest_retention, data.retention_value
        figures.append(m.text("summary.retention", retention=m.percent(row["retention"]), year=int(row["year"]),
                              next_year=int(row["year"]) + 1, defection=m.percent(1 - row["retention"]),
                              value=m.money(value.total_value, data.currency)))
    else:
        repeat = float((data.summary["orders"] >= 2).mean())
        figures.append(m.text("summary.repeat", repeat=m.percent(repeat), one_time=m.percent(1 - repeat)))
    if data.gaps is not None:
        short = _short_dimensions(data)
        if len(short):
            names = [m.raw("dimension_names." + d) for d in short["dimension"]]
            figures.append(m.text("summary.gap_short", dimensions=m.join(names), worst=names[0],
                                  gap=m.signed(short["gap"].iloc[0])))
        else:
            figures.append(m.text("summary.gap_met", score=m.signed(qg.servqual_score(data.inputs.survey))))
    if data.complaints is not None:
        concentration = pareto.complaint_concentration(
            data.complaints, fraction=data.assumptions["top_fraction"]).iloc[0]
        categories = _categories(data)
        figures.append(m.text("summary.complaints", share=m.percent(concentration["complaint_share"]),
                              fraction=m.percent(data.assumptions["top_fraction"]),
                              complaints=m.number(concentration["complaints"]),
                              complainers=m.number(concentration["customers"]), category=categories.index[0]))
    return figures[: int(data.assumptions["max_findings"])]


def summary_section(data: ReportData) -> Safe:
    """The executive summary: the findings that matter, with their numbers."""
    m = data.m
    findings = _findings(data)
    intro = m.text("summary.intro", client=data.client_name, count=len(findings)) if data.client_name else ""
    items = "".join(f"<li>{f}</li>" for f in findings)
    return _section("summary", f'{_p(intro) if intro else ""}<ol class="findings">{items}</ol>', m)


def data_quality_section(data: ReportData) -> Safe:
    """Rows read, kept and set aside (and why) per table; how each file was read."""
    m, rows, details = data.m, [], []
    for name in TABLES:
        report = data.inputs.reports.get(name)
        if report is None:
            continue
        reasons = ", ".join(f"{reason}: {m.number(n)}" for reason, n in report.reasons.items()) or m.raw("data_quality.none")
        dates = (m.text("data_quality.dates", start=f"{report.date_min:%Y-%m-%d}", end=f"{report.date_max:%Y-%m-%d}")
                 if report.date_min is not None else m.raw("format.missing"))
        rows.append([m.raw("tables." + name), report.source, m.number(report.rows_read), m.number(report.rows_kept),
                     m.number(report.rows_rejected), reasons, m.number(report.duplicates),
                     m.number(report.refunds) if name == "transactions" else m.raw("format.missing"), dates])
        read = ", ".join(f"{k.replace('_', ' ')} {v!r}" if len(str(v)) <= 2 else f"{k.replace('_', ' ')} {v}"
                         for k, v in report.detected.items())
        details.append(m.text("data_quality.detected_one", table=m.raw("tables." + name), details=read))
    body = _p(m.text("data_quality.intro"))
    body += html_table(rows, m.raw("data_quality.header"), numeric={2, 3, 4, 6, 7})
    if "survey" in data.inputs.reports:
        body += _p(m.text("data_quality.survey_rows"), "note")
    rejected = rejected_rows(data.inputs)
    if len(rejected):
        body += _p(m.text("data_quality.rejected_file", count=m.number(len(rejected))))
        first = rejected.head(10)
        raw = first.drop(columns=["table", "line", "reason"]).astype(object)
        held = [" · ".join(str(v) for v in row if v is not None and v == v and str(v) != "")
                for row in raw.itertuples(index=False)]
        sample = [[m.raw("tables." + r.table), r.line, r.reason, h] for r, h in zip(first.itertuples(), held)]
        body += html_table(sample, m.raw("data_quality.rejected_header"), numeric={1}, css_class="data compact")
    else:
        body += _p(m.text("data_quality.all_used"))
    missing = [m.raw("tables." + n).lower() for n in TABLES if n not in data.inputs.reports]
    if missing:
        body += _p(m.text("data_quality.not_given", tables=m.join(missing)))
    body += _p(m.text("data_quality.detected", details=Safe("; ".join(details))), "note")
    return _section("data_quality", body, m)


def quality_gap_section(data: ReportData) -> Safe:
    """The quality gap per service dimension, the SERVQUAL score and the NPS."""
    from loyalty_lessons.plots.quality_gap import plot_gap_by_dimension, plot_importance_performance

    m, survey = data.m, data.inputs.survey
    if survey is None:
        return _section("quality_gap", _missing(m.text("missing.survey")), m)
    gaps = data.gaps
    body = _p(m.text("quality_gap.intro"))
    body += _p(m.text("quality_gap.respondents", respondents=m.number(survey["respondent_id"].nunique()),
                      score=m.signed(qg.servqual_score(survey))))
    if data.has("importance"):
        body += _p(m.text("quality_gap.weighted", score=m.signed(qg.servqual_score(survey, weighted=True))))
    if data.has("recommend"):
        body += _p(m.text("quality_gap.nps", nps=m.signed(qg.nps(survey), 0)))
    rows = [[m.raw("dimensions." + r.dimension), m.number(r.expectation, 2), m.number(r.perception, 2),
             m.signed(r.gap), m.text("quality_gap.interval", low=m.signed(r.ci_low), high=m.signed(r.ci_high)),
             m.percent(r.share_unmet)] for r in gaps.itertuples()]
    body += html_table(rows, m.raw("quality_gap.header"), numeric={1, 2, 3, 4, 5})
    body += _chart(data, lambda fig: plot_gap_by_dimension(gaps, ax=fig.subplots()), (8.0, 3.6))
    if data.has("importance"):
        grid = qg.importance_performance(survey)
        body += _p(m.text("quality_gap.importance"))
        body += _chart(data, lambda fig: plot_importance_performance(grid, ax=fig.subplots()), (7.0, 4.6))
    return _section("quality_gap", body, m)


def customer_types_section(data: ReportData) -> Safe:
    """The three customer types: counts, revenue, spend, and what each needs."""
    from loyalty_lessons.plots.customer_types import plot_type_profile

    m, rules, profile = data.m, ct.TYPE_RULES, data.profile
    body = _p(m.text("types.intro", lapsed=m.number(rules["lapsed_after_days"]), orders=m.number(rules["loyal_min_orders"]),
                     window=m.number(rules["loyal_window_days"]), recent=m.number(rules["loyal_max_days_since_last"])))
    if (data.types["basis"] == "both").any():
        body += _p(m.text("types.survey_rule"))
    rows = [[m.raw("type_names." + str(r.type)), m.number(r.customers), m.percent(r.share_of_customers),
             m.money(r.revenue, data.currency), m.percent(r.revenue_share),
             m.money(r.revenue_per_customer, data.currency), m.money(r.monthly_spend, data.currency, 2)]
            for r in profile.itertuples()]
    body += html_table(rows, m.raw("types.header"), numeric={1, 2, 3, 4, 5, 6})
    body += _p(m.text("types.monthly_note"), "note")
    def draw_profile(fig):
        ax = plot_type_profile(profile, ax=fig.subplots())
        top = 100 * float(np.nanmax(profile[["share_of_customers", "revenue_share"]].to_numpy()))
        ax.set_ylim(0, top * 1.3)
        ax.legend(loc="upper left", ncols=2)

    body += _chart(data, draw_profile, (7.5, 4.0))
    if data.uplift is not None:
        u = data.uplift
        body += _p(m.text("types.uplift", uplift=m.percent(u.uplift / 100), low=m.percent(u.ci_low / 100),
                          high=m.percent(u.ci_high / 100)))
    lapsed = _biggest_spenders(data.lapsed)
    if len(lapsed):
        body += _p(m.text("types.lapsed_top", count=len(lapsed), days=m.number(rules["lapsed_after_days"])))
        body += _customer_table(data, lapsed, "types.lapsed_header")
    body += f'<h3>{m.text("headings.prescriptions")}</h3>'
    rows = [[Safe(f"<strong>{m.text('type_names.' + t)}</strong>"), m.text(f"prescriptions.{t}.mind"),
             m.text(f"prescriptions.{t}.action")] for t in ct.TYPES]
    body += html_table(rows, m.raw("types.prescription_header"), css_class="data prescriptions")
    return _section("customer_types", body, m)


def pareto_section(data: ReportData) -> Safe:
    """The 80/20 rule for revenue and, when given, for complaints."""
    from loyalty_lessons.plots.pareto import plot_pareto_chart

    m, fraction, values, curve = data.m, data.assumptions["top_fraction"], data.revenue_values, data.revenue_curve
    point = pareto.pareto_point(curve)
    x, y = point.label.split("/")
    body = _p(m.text("pareto.revenue", top=m.number(_top_count(data)), customers=m.number(len(values)),
                     fraction=m.percent(fraction), share=m.percent(pareto.top_share(curve, fraction)),
                     rule=point.label, x=x, y=y, gini=m.number(pareto.gini(curve), 2)))
    negatives = int((values < 0).sum())
    if negatives:
        body += _p(m.text("pareto.negatives", count=m.number(negatives)), "note")
    def draw_revenue(fig):
        plot_pareto_chart(curve, ax=fig.subplots(), fraction=fraction)
        _twin_without_grid(fig)

    body += _chart(data, draw_revenue, (8.0, 4.4))
    top = _biggest_spenders(data.summary)
    body += _p(m.text("pareto.top_customers", count=len(top)))
    body += _customer_table(data, top, "pareto.top_header")
    body += f'<h3>{m.text("headings.complaints")}</h3>'
    if data.complaints is None:
        return _section("pareto", body + _missing(m.text("missing.complaints")), m)
    concentration = pareto.complaint_concentration(data.complaints, fraction=fraction).iloc[0]
    body += _p(m.text("pareto.complaints", complainers=m.number(concentration["customers"]), fraction=m.percent(fraction),
                      complaints=m.number(concentration["complaints"]),
                      share=m.percent(concentration["complaint_share"])))
    overlap = pareto.value_complaint_overlap(data.summary, data.complaints, fraction=fraction)
    body += _p(m.text("pareto.overlap", top=m.number(overlap.top_value_customers), both=m.number(overlap.both)))
    categories = _categories(data)
    total = int(categories.sum())
    rows = [[name, m.number(n), m.percent(n / total)] for name, n in categories.head(8).items()]
    if len(categories) > 8:
        rest = int(categories.iloc[8:].sum())
        rows.append([m.text("pareto.categories_more", count=len(categories) - 8), m.number(rest), m.percent(rest / total)])
    body += html_table(rows, m.raw("pareto.categories_header"), numeric={1, 2})
    counts = data.complaints["customer_id"].astype("str").value_counts().to_numpy(dtype=float)
    def draw_complaints(fig):
        plot_pareto_chart(counts, ax=fig.subplots(), fraction=fraction, measure="complaints",
                          entity="complaining customers")
        _twin_without_grid(fig)

    body += _chart(data, draw_complaints, (8.0, 4.4))
    return _section("pareto", body, m)


def loyalty_value_section(data: ReportData) -> Safe:
    """What loyalty is worth with the client's own figures: spend by type and retention."""
    from loyalty_lessons.plots.loyalty_value import plot_value_over_years

    m = data.m
    body = f'<h3>{m.text("headings.spend_by_type")}</h3>'
    profile = data.profile.set_index(data.profile["type"].astype("str"))
    loyal, satisfied = profile.loc["loyal", "monthly_spend"], profile.loc["satisfied", "monthly_spend"]
    years = int(data.assumptions["value_years"])
    if np.isfinite(loyal) and np.isfinite(satisfied) and loyal >= 0 and satisfied >= 0:
        gap = lv.value_difference(monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years)
        body += _p(m.text("value.spend", loyal=m.money(loyal, data.currency, 2),
                          satisfied=m.money(satisfied, data.currency, 2),
                          difference=m.money(gap.total_difference, data.currency)))
        frame = lv.value_over_years(monthly_spend_satisfied=float(satisfied), monthly_spend_loyal=float(loyal), years=years)
        symbol = _currency_symbol(data.currency)

        def draw_value(fig):
            plot_value_over_years(frame, ax=fig.subplots(), currency=symbol)

        body += _chart(data, draw_value, (7.5, 4.0))
    else:
        body += _missing(m.text("value.spend_missing"))
    body += f'<h3>{m.text("headings.retention")}</h3>'
    if data.retention is None or data.latest_retention is None:
        years_seen = ", ".join(str(y) for y in data.tables.yearly_revenue.index)
        return _section("loyalty_value", body + _missing(m.text("missing.retention", years=years_seen)), m)
    rows = [[r.year, m.number(r.customers), m.number(r.retained), m.percent(r.retention)]
            for r in data.retention.itertuples()]
    body += html_table(rows, m.raw("value.retention_header"), numeric={1, 2, 3})
    row = data.latest_retention
    r = float(row["retention"])
    body += _p(m.text("value.retention", year=int(row["year"]), next_year=int(row["year"]) + 1,
                      retention=m.percent(r), defection=m.percent(1 - r),
                      lifetime=m.number(lv.expected_lifetime_years(r), 1) if r < 1 else m.raw("format.missing")))
    body += _p(m.text("value.partial"), "note")
    if data.retention_value is not None:
        value, spend = data.retention_value
        body += _p(m.text("value.uplift", before=m.percent(value.yearly_retention_before),
                          after=m.percent(value.yearly_retention_after),
                          years_before=m.number(value.lifetime_years_before, 1),
                          years_after=m.number(value.lifetime_years_after, 1),
                          per_customer=m.money(value.value_per_customer, data.currency),
                          total=m.money(value.total_value, data.currency), customers=m.number(row["customers"]),
                          year=int(row["year"])))
        body += _p(m.text("value.uplift_basis", spend=m.money(spend, data.currency), year=int(row["year"]),
                          discount=m.percent(data.assumptions["discount_rate_yearly"])), "note")
    body += _p(m.text("value.cost"))
    return _section("loyalty_value", body, m)


def monitoring_section(data: ReportData) -> Safe:
    """The three loyalty signals, the monthly KPIs and the quarterly cohorts."""
    from loyalty_lessons.plots.monitoring import plot_cohort_heatmap, plot_kpis

    m, table = data.m, data.monthly
    body = _p(m.text("monitoring.intro"))
    body += f'<h3>{m.text("headings.signals")}</h3>'
    complete = int(table["complete"].sum())
    items = []
    for s in data.signals.itertuples():
        label = m.raw("signal_names." + s.metric)
        if s.verdict not in ("improving", "worsening", "steady"):
            items.append(m.text("monitoring.signal_unknown", label=label))
            continue
        ratio = s.metric == "early_defection_rate"
        fmt = (lambda v: m.percent(v)) if ratio else (
            (lambda v: m.money(v, data.currency, 2)) if s.metric == "spend_per_order" else m.number)
        change = m.signed(100 * s.change, 0) + "%" if np.isfinite(s.change) else m.raw("format.missing")
        items.append(m.text("monitoring.signal", label=label, before=fmt(s.before), after=fmt(s.after),
                            change=change, verdict=m.raw("verdicts." + s.verdict)))
    body += '<ul class="signals">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    if complete < 6:
        body += _missing(m.text("missing.monitoring", months=complete))
    if len(table) >= 2:
        def kpis(fig):
            plot_kpis(table, axes=fig.subplots(2, 2, sharex=True))
        body += _chart(data, kpis, (10.0, 6.0))
        body += _p(m.text("monitoring.kpi_note", days=table.attrs.get("early_defection_days", 180)), "note")
    body += f'<h3>{m.text("headings.cohorts")}</h3>'
    counts = data.tables.cohorts
    matrix = None if counts is None else mon.cohort_shares(counts)
    if matrix is None or matrix.shape[1] < 2:
        return _section("monitoring", body + _missing(m.text("missing.cohorts")), m)
    body += _p(m.text("monitoring.cohorts"))
    size = (min(10.0, 2.5 + 0.6 * matrix.shape[1]), min(7.0, 1.6 + 0.42 * len(matrix)))
    def draw_cohorts(fig):
        plot_cohort_heatmap(matrix, ax=fig.subplots())
        for ax in fig.axes:
            ax.grid(False)

    body += _chart(data, draw_cohorts, size)
    return _section("monitoring", body, m)


def actions_section(data: ReportData) -> Safe:
    """Recommended actions, most urgent first, from what the data show."""
    m, actions = data.m, []
    lapsed = data.lapsed
    if len(lapsed):
        actions.append(m.text("actions.win_back", count=m.number(len(lapsed)),
                              days=m.number(ct.TYPE_RULES["lapsed_after_days"]),
                              top=m.number(min(len(lapsed), max(10, math.ceil(0.1 * len(lapsed)))))))
    if data.gaps is not None and len(_short_dimensions(data)):
        worst = _short_dimensions(data).iloc[0]
        actions.append(m.text("actions.fix_gap", dimension=m.raw("dimension_names." + worst["dimension"]),
                              gap=m.signed(worst["gap"])))
    share = pareto.top_share(data.revenue_curve, data.assumptions["top_fraction"])
    actions.append(m.text("actions.protect", top=m.number(_top_count(data)), share=m.percent(share),
                          fraction=m.percent(data.assumptions["top_fraction"])))
    if data.complaints is not None:
        categories = _categories(data)
        actions.append(m.text("actions.complaints", category=categories.index[0], count=m.number(categories.iloc[0]),
                              total=m.number(categories.sum())))
    worsening = [m.raw("signal_names." + s.metric).lower() for s in data.signals.itertuples() if s.verdict == "worsening"]
    if worsening:
        actions.append(m.text("actions.worsening", signals=m.join(worsening)))
    actions.append(m.text("actions.monitor"))
    if data.inputs.survey is None:
        actions.append(m.text("actions.survey"))
    if data.complaints is None:
        actions.append(m.text("actions.log_complaints"))
    items = "".join(f"<li>{a}</li>" for a in actions)
    return _section("actions", _p(m.text("actions.intro")) + f'<ol class="actions">{items}</ol>', m)


# --------------------------------------------------------------------------- export

_CSS = """
:root { --ink: #1d2733; --muted: #5d6b7a; --accent: #1f618d; --line: #d5dde5; --soft: #f2f5f8; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #ffffff; color: var(--ink);
  font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; line-height: 1.55; }
main { max-width: 940px; margin: 0 auto; padding: 36px 32px 72px; }
header.title { border-bottom: 3px solid var(--accent); padding-bottom: 1em; margin-bottom: 1em; }
header.title h1 { font-size: 2.1em; margin: 0 0 .25em; color: var(--accent); letter-spacing: -.01em; }
header.title .client { font-size: 1.25em; font-weight: 600; margin: 0 0 .4em; }
header.title nav h3 { margin: 1.2em 0 .3em; font-size: 1em; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
header.title nav ol { margin: 0; padding-left: 1.4em; columns: 2; }
a { color: var(--accent); text-decoration: none; }
h2 { font-size: 1.5em; color: var(--accent); border-bottom: 1px solid var(--line); padding-bottom: .25em; margin: 2.2em 0 .7em; }
h3 { font-size: 1.12em; margin: 1.7em 0 .5em; }
p { margin: .55em 0; }
ol.findings li, ol.actions li, ul.signals li { margin: .5em 0; padding-left: .2em; }
ol.findings { font-size: 1.04em; }
table.data { border-collapse: collapse; width: 100%; font-size: .88em; margin: .9em 0 1.2em; }
table.data th { background: var(--soft); text-align: left; font-weight: 600; vertical-align: bottom;
  border-bottom: 2px solid var(--line); padding: 6px 8px; }
table.data td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.prescriptions td:first-child { white-space: nowrap; }
table.compact { width: auto; min-width: 60%; }
figure.chart { margin: 1.1em 0 1.5em; text-align: center; }
figure.chart img { max-width: 100%; height: auto; }
.missing { background: #fdf6e3; border-left: 4px solid #d4a017; padding: .7em 1em; }
.note { color: var(--muted); font-size: .9em; }
code { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: .92em; background: var(--soft); padding: 0 .25em; }
@media print {
  @page { size: A4; margin: 15mm 13mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; page-break-before: always; margin-top: 0; }
  section.summary h2 { break-before: avoid; page-break-before: avoid; margin-top: 1.2em; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.chart, tr, .missing, li { break-inside: avoid; page-break-inside: avoid; }
  figure.chart img { max-height: 235mm; }
  a { color: inherit; }
}
"""


@cache
def html_exporter():
    """The nbconvert exporter of :func:`notebook_to_html`, made once per process and ready to use.

    Importing nbconvert and compiling its templates take about 0.4 s; the report command calls
    this in a thread while the notebook runs, so that the export itself is quick.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # compiles the templates
    return exporter


def notebook_to_html(notebook, *, title: str, language: str = "en") -> str:
    """The executed report notebook as one self-contained HTML page.

    Only the cells' HTML and image outputs are kept: no code, no prompts, no parameters,
    no stream output (warnings); cells tagged ``remove`` are dropped. The page has its
    own inline stylesheet (with a print stylesheet) and loads nothing from the network.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        The page title (escaped here).
    language : str
        The page's ``lang`` attribute.

    Returns
    -------
    str
    """
    import html as html_lib

    import nbformat

    nb = nbformat.reads(nbformat.writes(notebook), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove" in cell.get("metadata", {}).get("tags", []):
            continue
        cell.outputs = [o for o in cell.get("outputs", [])
                        if o.get("output_type") in ("display_data", "execute_result")
                        and ({"text/html", "image/png"} & set(o.get("data", {})))]
        if cell.outputs:
            cells.append(cell)
    nb.cells = cells
    body, _ = html_exporter().from_notebook_node(nb)
    return (f'<!DOCTYPE html>\n<html lang="{html_lib.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html_lib.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
