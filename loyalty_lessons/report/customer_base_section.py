"""The report's section "Who is still a customer", and the model's figures other sections quote.

The section shows what the customer-base model (:mod:`loyalty_lessons.report.model`) says:
how many customers are probably still customers, the purchases and revenue to expect over
the report's horizon, the valuable customers probably slipping away, and the model's check
on purchases it had not seen, with its verdict in plain words and its assumptions. Where the
model cannot be fitted or checked, or fails its check, the section says so and the report
keeps to the fixed rule of the customer types. :func:`model_values` gives the executive
summary, the customer types and the actions the same figures.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from loyalty_lessons import pareto
from loyalty_lessons.customer_base import SPEND_SHRINKAGE
from loyalty_lessons.customer_base_check import CHECK_RULES
from loyalty_lessons.customer_types import classify as ct
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.model import ALIVE_CHECK_RULES, MODEL_USE_RULES, top_slipping
from loyalty_lessons.report.render import chart, render

__all__ = ["CALL_ROWS", "care_text", "customer_base_section", "model_values", "slipping_rows"]

#: Customers listed as the first to call.
CALL_ROWS = 10


def model_values(data: ReportData) -> dict[str, str]:
    """The model's figures as the catalogue's texts put them (the model must be usable).

    ``active`` (every customer's probability added up, one-time buyers counted as 1),
    ``customers``; ``active_repeat``, ``repeat`` and ``one_time`` (the repeat buyers expected
    active, the repeat buyers, the one-time buyers); ``slipping`` (customers below
    ``threshold``), ``at_risk`` (from ``lost_threshold`` to ``threshold``) and ``lost``
    (below ``lost_threshold``); ``top`` (the top fraction of customers by revenue),
    ``top_at_risk`` and ``top_lost`` (those of them at risk, probably lost) and
    ``slipping_top`` (both); ``months`` (the horizon); ``listed`` (customers in the call
    list); ``care`` (a sentence when the model is to be used with care, else empty).
    """
    m, base, summary = data.m, data.customer_base, data.summary
    top = pareto.top_count(data.assumptions["top_fraction"], len(summary))
    top_at_risk, top_lost = top_slipping(summary, base, top)
    once = int((summary["frequency"] == 0).sum())
    at_risk = base.at_risk_count()
    return {
        "active": m.number(base.expected_active),
        "customers": m.number(len(summary)),
        "active_repeat": m.number(base.expected_active_repeat(summary)),
        "repeat": m.number(len(summary) - once),
        "one_time": m.number(once),
        "slipping": m.number(base.slipping_count()),
        "at_risk": m.number(at_risk),
        "lost": m.number(base.lost_count()),
        "top": m.number(top),
        "top_at_risk": m.number(top_at_risk),
        "top_lost": m.number(top_lost),
        "slipping_top": m.number(top_at_risk + top_lost),
        "threshold": m.percent(float(MODEL_USE_RULES["slipping_below"])),
        "lost_threshold": m.percent(float(MODEL_USE_RULES["lost_below"])),
        "months": m.number(base.horizon_months),
        "listed": m.number(min(at_risk, CALL_ROWS)),
        "care": care_text(data),
        "one_time_note": _one_time_note(data),
    }


def _one_time_note(data: ReportData) -> Markup:
    """What the holdout says of the one-time buyers, in brackets; empty without a check."""
    m, base = data.m, data.customer_base
    if base.one_time_check is None or base.one_time_check[0] == 0:
        return Markup("")
    before, returned = base.one_time_check
    end = base.check.calibration_end
    return m.text(
        "customer_base.one_time_note",
        share=m.percent(returned / before, 1),
        calibration_end=m.date(end),
        holdout_start=m.date(end + pd.Timedelta(days=1)),
        holdout_end=m.date(base.check.holdout_end),
    )


def care_text(data: ReportData, key: str = "customer_base.care") -> Markup:
    """Why the model's figures are to be used with care, in one sentence (the text at ``key``,
    ``customer_base.care`` or ``customer_base.care_list``); empty when they need not be."""
    m, base = data.m, data.customer_base
    reasons = []
    for code in base.care():
        if code == "total":
            error = base.check.relative_error
            reasons.append(
                m.text(
                    "customer_base.care_total",
                    error=m.percent(abs(error)),
                    direction=m.raw("customer_base.low" if error < 0 else "customer_base.high"),
                )
            )
        else:
            worst = base.alive_worst()
            reasons.append(
                m.text(
                    "customer_base.care_alive",
                    band=_band(m, worst),
                    expected=m.percent(worst["expected_share"]),
                    actual=m.percent(worst["actual_share"]),
                )
            )
    if not reasons:
        return Markup("")
    return m.text(key, reasons=Markup("; ").join(reasons))


def _band(m, row) -> str:
    return m.text("customer_base.band", low=m.percent(row["low"]), high=m.percent(row["high"]))


def slipping_rows(data: ReportData) -> list[list[object]]:
    """The ``CALL_ROWS`` customers at risk with the most revenue still expected, as table rows."""
    m = data.m
    return [
        [
            r.customer_id,
            m.money(r.revenue, data.currency),
            m.number(r.orders),
            f"{r.last_purchase:%Y-%m-%d}",
            m.number(r.days_since_last),
            m.percent(r.p_alive),  # at least the at-risk band's 10%
            m.money(r.expected_value, data.currency),
        ]
        for r in data.customer_base.at_risk(data.summary, limit=CALL_ROWS).itertuples()
    ]


def _why(m, code: str | None, message: str | None) -> str | None:
    """Why a model was not fitted or checked, in the report's language: the catalogue's words
    for a reason the library names in one word, else the library's message (in English, its
    details stay in ``figures.json``)."""
    if code is not None and code in m.raw("model_reasons"):
        return m.raw("model_reasons." + code)
    if message is None or m.language == "en":
        return message
    return m.raw("model_reasons.other")


def _spend_basis(data: ReportData) -> Markup:
    m, base = data.m, data.customer_base
    spend = base.spend_model
    prior = m.number(SPEND_SHRINKAGE["prior_orders"])
    if spend is None:
        return m.text(
            "customer_base.spend_refused",
            reason=_why(m, base.spend_refused_code, base.spend_refused),
            prior=prior,
        )
    if spend.spend_frequency_verdict == "correlated":
        return m.text(
            "customer_base.spend_correlated",
            correlation=m.number(spend.spend_frequency_correlation, 2),
            prior=prior,
        )
    return m.text("customer_base.spend_model", mean=m.money(spend.mean_spend, data.currency, 2))


def _verdict(data: ReportData) -> Markup:
    m, check = data.m, data.customer_base.check
    days = m.number(ct.TYPE_RULES["lapsed_after_days"])
    dates = {
        "holdout_start": m.date(check.calibration_end + pd.Timedelta(days=1)),
        "holdout_end": m.date(check.holdout_end),
    }
    if check.verdict == "not enough data":
        return m.text(
            "customer_base.check_not_enough",
            actual=m.number(check.actual_repeat_purchases),
            minimum=m.number(CHECK_RULES["min_holdout_purchases"]),
            days=days,
            **dates,
        )
    error = check.relative_error
    return m.text(
        "customer_base.check_" + check.verdict,
        predicted=m.number(check.predicted_repeat_purchases),
        actual=m.number(check.actual_repeat_purchases),
        error=m.percent(abs(error)),
        direction=m.raw("customer_base.low" if error < 0 else "customer_base.high"),
        tolerance=m.percent(check.tolerance),
        twice=m.percent(2 * check.tolerance),
        days=days,
        **dates,
    )


def _tracking_title(data: ReportData) -> str:
    """The tracking chart's title: its own holdout figures, right of the dotted line."""
    m, check = data.m, data.customer_base.check
    table = check.tracking
    before, last = table[~table["holdout"]].iloc[-1], table.iloc[-1]
    predicted = float(last["predicted"] - before["predicted"])
    actual = float(last["actual"] - before["actual"])
    error = predicted / actual - 1 if actual else 0.0
    return str(
        m.text(
            "customer_base.tracking_title",
            predicted=m.number(predicted),
            actual=m.number(actual),
            error=m.percent(abs(error)),
            direction=m.raw("customer_base.low" if error < 0 else "customer_base.high"),
        )
    )


def _alive(data: ReportData) -> tuple[Markup | None, list[list[object]]]:
    """The check of the probabilities, band by band: its sentence and its table rows."""
    m, base = data.m, data.customer_base
    table, worst = base.alive_table, base.alive_worst()
    if table is None or worst is None:
        return None, []
    rows = [
        [
            _band(m, r._asdict()),
            m.number(r.customers),
            m.percent(r.p_alive),
            m.percent(r.expected_share),
            m.percent(r.actual_share),
        ]
        for r in table.itertuples()
    ]
    values = {
        "band": _band(m, worst),
        "expected": m.percent(worst["expected_share"]),
        "actual": m.percent(worst["actual_share"]),
        "tolerance": m.number(100 * ALIVE_CHECK_RULES["tolerance"]),
        "minimum": m.number(ALIVE_CHECK_RULES["min_customers"]),
        "end": m.date(base.check.calibration_end),
    }
    key = "customer_base.alive_off" if "alive" in base.care() else "customer_base.alive_holds"
    return m.text(key, **values), rows


def _check(data: ReportData) -> dict:
    """The model check's paragraph, verdict, chart and check of the probabilities."""
    from loyalty_lessons.plots.customer_base import plot_holdout_by_frequency, plot_tracking
    from loyalty_lessons.plots.texts import chart_texts

    m, check = data.m, data.customer_base.check
    if check is None:
        return {"check_intro": None, "verdict": None, "check_chart": None, "alive": None, "alive_rows": []}

    def draw(fig):
        left, right = fig.subplots(1, 2)
        texts = chart_texts("customer_base", data.language)
        plot_tracking(check, ax=left, texts=texts)
        left.set_title(_tracking_title(data))
        plot_holdout_by_frequency(check, ax=right, texts=texts)

    start = check.calibration_end + pd.Timedelta(days=1)
    alive, alive_rows = _alive(data)
    return {
        "check_intro": m.text(
            "customer_base.check_intro",
            calibration_end=m.date(check.calibration_end),
            holdout_start=m.date(start),
            holdout_end=m.date(check.holdout_end),
        ),
        "verdict": _verdict(data),
        "check_chart": chart(m, draw, (11.0, 4.6)),
        "alive": alive,
        "alive_rows": alive_rows,
    }


def _fallback(data: ReportData) -> Markup | None:
    """Why the report does not use the model, when it does not (a failed check says it in its verdict)."""
    m, base = data.m, data.customer_base
    days = m.number(ct.TYPE_RULES["lapsed_after_days"])
    if base.reason == "not_fitted":
        return m.text("customer_base.not_fitted", days=days, reason=_why(m, base.message_code, base.message))
    if base.reason == "not_checked":
        if base.message is None:
            return m.text("customer_base.not_checked_short", days=days)
        return m.text("customer_base.not_checked", days=days, reason=_why(m, None, base.message))
    return None


def _one_time(data: ReportData, values: dict) -> Markup:
    """The one-time buyers, apart: what the model cannot say of them and what the data do."""
    m, base = data.m, data.customer_base
    if base.one_time_check is None or base.one_time_check[0] == 0:
        return m.text("customer_base.one_time", one_time=values["one_time"])
    before, returned = base.one_time_check
    check = base.check
    return m.text(
        "customer_base.one_time_checked",
        one_time=values["one_time"],
        before=m.number(before),
        returned=m.number(returned),
        share=m.percent(returned / before, 1),
        calibration_end=m.date(check.calibration_end),
        holdout_start=m.date(check.calibration_end + pd.Timedelta(days=1)),
        holdout_end=m.date(check.holdout_end),
    )


def _slipping_intro(data: ReportData, values: dict) -> Markup:
    base = data.customer_base
    if not base.slipping_count():
        return data.m.text("customer_base.slipping_none", threshold=values["threshold"])
    if not base.at_risk_count():
        return data.m.text("customer_base.slipping_lost_only", **values)
    return data.m.text("customer_base.slipping", **values)


def customer_base_section(data: ReportData) -> Markup:
    """Who is still a customer: the customer-base model's figures, its check and its assumptions."""
    m, base = data.m, data.customer_base
    figures, notes, slipping_intro, rows, header = [], [], None, [], []
    if base.usable:
        values = model_values(data)
        once = (data.summary["frequency"] == 0).to_numpy()
        if once.any():
            figures.append(m.text("customer_base.active_split", end=m.date(data.end), **values))
            figures.append(_one_time(data, values))
        else:
            figures.append(m.text("customer_base.active", end=m.date(data.end), **values))
        figures.append(
            m.text(
                "customer_base.expected",
                months=m.number(base.horizon_months),
                purchases=m.number(base.expected_purchases),
                revenue=m.money(base.expected_revenue, data.currency),
            )
        )
        if values["care"]:
            figures.append(values["care"])
        notes.append(_spend_basis(data))
        slipping_intro = _slipping_intro(data, values)
        if base.at_risk_count():
            rows = slipping_rows(data)
            header = [h.format(months=values["months"]) for h in m.raw("customer_base.slipping_header")]
    return render(
        "customer_base",
        key="customer_base",
        m=m,
        intro=m.text("customer_base.intro"),
        fallback=_fallback(data),
        figures=figures,
        notes=notes,
        slipping_intro=slipping_intro,
        slipping=rows,
        slipping_header=header,
        assumptions=m.text("customer_base.assumptions"),
        **_check(data),
    )
