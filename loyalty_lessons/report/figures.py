"""The report's key figures, machine-readable: what ``figures.json`` holds.

:func:`key_figures` computes them from the same :class:`~loyalty_lessons.report.data.ReportData`
as the report's sections, so the file and the page never disagree.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from loyalty_lessons import pareto
from loyalty_lessons.customer_types import classify as ct
from loyalty_lessons.quality_gap import gaps as qg
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.model import MODEL_USE_RULES

__all__ = ["key_figures", "package_version", "write_key_figures"]


def package_version() -> str:
    """The installed version of loyalty-lessons ("unknown" in a checkout that was never installed)."""
    try:
        return version("loyalty-lessons")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _float(x, digits: int = 6) -> float | None:
    """A figure for JSON: rounded (shares and scores to 6 decimals), None when missing."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), digits)


def _future_uplift(data: ReportData) -> dict | None:
    """Loyal against satisfied spend per month after a split date, types from before it."""
    result = data.future_uplift
    if result is None:
        return None
    out, inside = result.out_of_sample, result.in_sample
    spend = result.profile.set_index(result.profile["type"].astype("str"))["monthly_spend"]
    return {
        "of": out.of,
        "over": out.over,
        "split": f"{result.split:%Y-%m-%d}",
        "observation_end": f"{result.observation_end:%Y-%m-%d}",
        "months_after": _float(result.holdout_months, 2),
        "uplift_percent": _float(out.uplift, 2),
        "ci_low_percent": _float(out.ci_low, 2),
        "ci_high_percent": _float(out.ci_high, 2),
        "customers_of": out.n_of,
        "customers_over": out.n_over,
        # What the report writes: both groups' spend a month after the split, and their ratio.
        "monthly_spend_of": _float(spend.get(out.of), 2),
        "monthly_spend_over": _float(spend.get(out.over), 2),
        "spend_ratio": _float(1 + out.uplift / 100, 2),
        # Over the months before the split, which typed them (true partly by definition).
        "in_sample_uplift_percent": _float(inside.uplift, 2),
    }


#: The model's time unit in figures.json, in words.
_TIME_UNITS = {"W": "weeks", "D": "days"}


def _customer_base(data: ReportData) -> dict:
    """The customer-base model's figures (see :func:`key_figures`); None where it has none.

    Parameters to 4 decimals, counts to 1 and revenue to whole units: DuckDB adds amounts in
    whatever order its threads finish, so the last digits of a fit can differ from run to run.
    """
    base = data.customer_base
    bg, gg, check = base.purchase_model, base.spend_model, base.check
    usable = base.usable
    return {
        "customer_base_model": None
        if bg is None
        else {
            "model": "BG/NBD",
            "time_unit": _TIME_UNITS[bg.time_unit],
            **{name: _float(value, 4) for name, value in bg.params.items()},
            "log_likelihood": _float(bg.log_likelihood, 2),
            "customers": bg.customers,
            "fit_end": f"{data.end:%Y-%m-%d}",
        },
        "spend_model": None
        if gg is None
        else {
            "model": "Gamma-Gamma",
            **{name: _float(value, 4) for name, value in gg.params.items()},
            "repeat_buyers": gg.repeat_buyers,
        },
        "model_check": None
        if check is None
        else {
            "calibration_end": f"{check.calibration_end:%Y-%m-%d}",
            "holdout_end": f"{check.holdout_end:%Y-%m-%d}",
            "actual_repeat_purchases": check.actual_repeat_purchases,
            "predicted_repeat_purchases": _float(check.predicted_repeat_purchases, 1),
        },
        "expected_active_customers": _float(base.expected_active, 1) if usable else None,
        **_model_groups(data),
        "expected_purchases_next_period": _float(base.expected_purchases, 1) if usable else None,
        "expected_revenue_next_period": _float(base.expected_revenue, 0) if usable else None,
        "customer_base_reason": _reason(data),
    }


def _model_groups(data: ReportData) -> dict:
    """The repeat and one-time buyers, the customers at risk and probably lost, and the
    holdout's word on the one-time buyers and on the probabilities (see :func:`key_figures`)."""
    base, summary = data.customer_base, data.summary
    usable = base.usable
    once = int((summary["frequency"] == 0).sum())
    one_time = None
    if base.one_time_check is not None:
        before, returned = base.one_time_check
        one_time = {
            "one_time_buyers": before,
            "bought_in_holdout": returned,
            "share": _float(returned / before, 6) if before else None,
        }
    alive = None
    if base.alive_table is not None:
        alive = [
            {
                "low": r.low,
                "high": r.high,
                "repeat_buyers": int(r.customers),
                "mean_p_alive": _float(r.p_alive, 6),
                "expected_share_buying": _float(r.expected_share, 6),
                "actual_share_buying": _float(r.actual_share, 6),
            }
            for r in base.alive_table.itertuples()
        ]
    return {
        "repeat_buyers": int(len(summary) - once),
        "one_time_buyers": once,
        "expected_active_repeat_buyers": _float(base.expected_active_repeat(summary), 1) if usable else None,
        "at_risk_customers": base.at_risk_count() if usable else None,
        "probably_lost_customers": base.lost_count() if usable else None,
        "at_risk_band": [float(MODEL_USE_RULES["lost_below"]), float(MODEL_USE_RULES["slipping_below"])],
        "model_check_one_time_buyers": one_time,
        "model_check_p_alive": alive,
    }


def _reason(data: ReportData) -> str | None:
    """Why the model's figures are missing, in words; None when the report uses the model."""
    base = data.customer_base
    if base.usable:
        return None
    words = {
        "not_fitted": "The customer-base model could not be fitted to these data",
        "not_checked": "The customer-base model could not be checked on a holdout period",
        "check_failed": "The customer-base model failed its check on a holdout period",
    }[base.reason]
    return f"{words}: {base.message}" if base.message else f"{words}."


def write_key_figures(data: ReportData, path) -> None:
    """Write :func:`key_figures` as JSON (``figures.json``), UTF-8, reproducibly."""
    Path(path).write_text(
        json.dumps(key_figures(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _signals(data: ReportData) -> list[dict]:
    """The loyalty signals as the report judges them: one entry per signal with ``signal``,
    ``verdict`` ("improving", "worsening", "within noise" or "not applicable"), ``before``
    and ``after`` (new customers a month, a share, an amount), ``band`` (half-width of the
    normal variation of ``after - before`` at 95%), ``p_value``, ``months_compared``
    (``{"before": [...], "after": [...]}``, months as "YYYY-MM"), ``band_basis``
    ("orders", or "periods" when the band is the month-to-month spread), ``year_before``
    with ``year_before_months`` (the same months a year earlier; None and [] without them),
    ``level`` with ``level_months`` (the latest level of a signal that cannot be judged) and
    ``reason`` (why a signal is not applicable, with ``reason_code``; None otherwise)."""
    return [
        {
            "signal": s.signal,
            "verdict": s.verdict,
            "before": _float(s.before),
            "after": _float(s.after),
            "band": _float(s.band),
            "p_value": _float(s.p_value),
            "months_compared": {"before": list(s.before_periods), "after": list(s.after_periods)},
            "band_basis": s.band_basis,
            "year_before": _float(s.year_before),
            "year_before_months": list(s.year_before_periods),
            "level": _float(s.level),
            "level_months": list(s.level_periods),
            "reason": s.reason,
            "reason_code": s.reason_code,
        }
        for s in data.signals.itertuples()
    ]


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
        ``annual_retention`` (the latest pair of calendar years the data cover whole, else the
        latest pair, or None), ``annual_retention_year`` and ``annual_retention_complete``
        (whether both years are whole) when there is one, and ``annual_retention_by_year``
        (each pair with ``months_observed_next_year``); ``customer_types`` (counts),
        ``customer_types_basis`` and ``customer_types_basis_counts`` (customers typed by
        purchases only, "behaviour", or by a survey answer and purchases, "both");
        ``loyalty_uplift_out_of_sample`` (types a year before the end, spend per month in the
        year after, with its 95% interval and the in-sample figure; None when the data
        cannot give it);
        with a survey ``servqual_unweighted``, ``servqual_weighted`` (None without
        importance points), ``gap_by_dimension``, ``nps`` (None without recommend scores),
        ``respondents``; with complaints ``complaints`` and ``top20_complaint_share`` (among
        complaining customers); ``loyalty_signals`` (:func:`_signals`);
        the customer-base model (``docs/customer-base.md``): ``customer_base_model`` (the
        BG/NBD fitted on every customer up to the observation end: ``model``, ``time_unit``,
        ``r``, ``alpha``, ``a``, ``b``, ``log_likelihood``, ``customers``, ``fit_end``),
        ``spend_model`` (Gamma-Gamma: ``model``, ``p``, ``q``, ``v``, ``repeat_buyers``),
        ``model_check`` (``calibration_end``, ``holdout_end``, ``actual_repeat_purchases``,
        ``predicted_repeat_purchases``), ``expected_active_customers`` (every customer's
        probability added up, one-time buyers at 1 by construction), ``repeat_buyers``,
        ``one_time_buyers``, ``expected_active_repeat_buyers`` (the repeat buyers'
        probabilities added up: the report's headline), ``at_risk_customers`` and
        ``probably_lost_customers`` (``at_risk_band``: the band of probability of the first,
        the second below it), ``model_check_one_time_buyers`` (the calibration period's
        one-time buyers, how many bought in the holdout, the share) and
        ``model_check_p_alive`` (:func:`~loyalty_lessons.report.model.alive_check`, per band),
        ``expected_purchases_next_period`` and ``expected_revenue_next_period`` (over the
        report's horizon in months, revenue not discounted), each None where the model
        could not be fitted or checked, or failed its check, with ``customer_base_reason``
        saying why (None when the report uses the model). Shares and scores are
        rounded to 6 decimals. No timestamp
        and no path: the same data give the same file.

    Examples
    --------
    >>> from loyalty_lessons.report.data import report_data
    >>> figures = key_figures(report_data())
    >>> figures["customers"], figures["rows_read"] == figures["transactions"] + figures["rows_rejected"]
    (2996, True)
    """
    inputs, summary = data.inputs, data.summary
    tx_report = inputs.reports["transactions"]
    fraction = 0.2  # the figures' names say 20%, whatever the report's assumptions
    figures: dict[str, object] = {
        "client": data.client_name or None,
        "currency": data.currency,
        "language": data.language,
        "observation_end": f"{data.end:%Y-%m-%d}",
        "generated_with": f"loyalty-lessons {package_version()}",
        "customers": int(len(summary)),
        "transactions": int(tx_report.rows_kept),
        "rows_read": int(tx_report.rows_read),
        "rows_rejected": int(tx_report.rows_rejected),
        "tables": {
            name: {
                "rows_read": r.rows_read,
                "rows_kept": r.rows_kept,
                "rows_rejected": r.rows_rejected,
                "reasons": {str(k): int(v) for k, v in r.reasons.items()},
            }
            for name, r in inputs.reports.items()
        },
        "revenue": _float(summary["revenue"].sum(), 2),
        "top20_revenue_share": _float(pareto.top_share(data.revenue_curve, fraction)),
        "pareto_rule": pareto.pareto_point(data.revenue_curve).label,
        "gini_revenue": _float(pareto.gini(data.revenue_curve)),
        "repeat_customer_rate": _float((summary["orders"] >= 2).mean()),
        "annual_retention": None
        if data.latest_retention is None
        else _float(data.latest_retention["retention"]),
        "annual_retention_by_year": []
        if data.retention is None
        else [
            {
                "year": int(r.year),
                "customers": int(r.customers),
                "retained": int(r.retained),
                "retention": _float(r.retention),
            }
            for r in data.retention.itertuples()
        ],
        "customer_types": {str(r.type): int(r.customers) for r in data.profile.itertuples()},
        "customer_types_basis": sorted(data.types["basis"].unique().tolist()),
        "customer_types_basis_counts": ct.basis_counts(data.types),
        "loyalty_uplift_out_of_sample": _future_uplift(data),
        "loyalty_signals": _signals(data),
        **_customer_base(data),
    }
    if data.latest_retention is not None:
        row = data.latest_retention
        figures["annual_retention_year"] = int(row["year"])
        figures["annual_retention_complete"] = bool(row["complete"])
    for entry, r in zip(
        figures["annual_retention_by_year"], [] if data.retention is None else data.retention.itertuples()
    ):
        entry["months_observed_next_year"] = int(r.months_observed_next)
    if inputs.survey is not None:
        figures["servqual_unweighted"] = _float(qg.servqual_score(inputs.survey))
        figures["servqual_weighted"] = (
            _float(qg.servqual_score(inputs.survey, weighted=True)) if data.has("importance") else None
        )
        figures["gap_by_dimension"] = {r.dimension: _float(r.gap) for r in data.gaps.itertuples()}
        figures["nps"] = _float(qg.nps(inputs.survey)) if data.has("recommend") else None
        figures["respondents"] = int(inputs.survey["respondent_id"].nunique())
    if data.complaints is not None:
        concentration = pareto.complaint_concentration(data.complaints, fraction=fraction)
        figures["complaints"] = int(len(data.complaints))
        figures["top20_complaint_share"] = _float(concentration["complaint_share"].iloc[0])
    return figures
