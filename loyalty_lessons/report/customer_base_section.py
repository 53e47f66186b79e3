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
from loyalty_lessons.customer_base_check import CHECK_RULES
from loyalty_lessons.customer_types import classify as ct
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.model import MODEL_USE_RULES, top_slipping
from loyalty_lessons.report.render import chart, render

__all__ = ["CALL_ROWS", "customer_base_section", "model_values", "slipping_rows"]

#: Customers listed as the first to call.
CALL_ROWS = 10


def model_values(data: ReportData) -> dict[str, str]:
    """The model's figures as the catalogue's texts put them (the model must be usable):
    ``active``, ``customers``, ``slipping`` (customers probably slipping away), ``top`` (the
    top fraction of customers by revenue), ``slipping_top`` (those of them slipping away),
    ``threshold``."""
    m, base, summary = data.m, data.customer_base, data.summary
    top = pareto.top_count(data.assumptions["top_fraction"], len(summary))
    return {
        "active": m.number(base.expected_active),
        "customers": m.number(len(summary)),
        "slipping": m.number(base.slipping_count()),
        "top": m.number(top),
        "slipping_top": m.number(top_slipping(summary, base, top)),
        "threshold": m.percent(float(MODEL_USE_RULES["slipping_below"])),
    }


def slipping_rows(data: ReportData) -> list[list[object]]:
    """The ``CALL_ROWS`` most valuable customers probably slipping away, as table rows."""
    m = data.m
    return [
        [
            r.customer_id,
            m.money(r.revenue, data.currency),
            m.number(r.orders),
            f"{r.last_purchase:%Y-%m-%d}",
            m.number(r.days_since_last),
            m.raw("customer_base.under_one") if r.p_alive < 0.005 else m.percent(r.p_alive),
        ]
        for r in data.customer_base.slipping(data.summary, limit=CALL_ROWS).itertuples()
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
    if spend is None:
        return m.text(
            "customer_base.spend_refused", reason=_why(m, base.spend_refused_code, base.spend_refused)
        )
    if spend.spend_frequency_verdict == "correlated":
        return m.text(
            "customer_base.spend_correlated", correlation=m.number(spend.spend_frequency_correlation, 2)
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
        direction=m.raw("customer_base.more" if error > 0 else "customer_base.fewer"),
        tolerance=m.percent(check.tolerance),
        days=days,
    )


def _check(data: ReportData) -> dict:
    """The model check's paragraph, verdict and chart."""
    from loyalty_lessons.plots.customer_base import plot_holdout_by_frequency, plot_tracking
    from loyalty_lessons.plots.texts import chart_texts

    m, check = data.m, data.customer_base.check
    if check is None:
        return {"check_intro": None, "verdict": None, "check_chart": None}

    def draw(fig):
        left, right = fig.subplots(1, 2)
        texts = chart_texts("customer_base", data.language)
        plot_tracking(check, ax=left, texts=texts)
        plot_holdout_by_frequency(check, ax=right, texts=texts)

    start = check.calibration_end + pd.Timedelta(days=1)
    return {
        "check_intro": m.text(
            "customer_base.check_intro",
            calibration_end=m.date(check.calibration_end),
            holdout_start=m.date(start),
            holdout_end=m.date(check.holdout_end),
        ),
        "verdict": _verdict(data),
        "check_chart": chart(m, draw, (11.0, 4.6)),
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


def customer_base_section(data: ReportData) -> Markup:
    """Who is still a customer: the customer-base model's figures, its check and its assumptions."""
    m, base = data.m, data.customer_base
    figures, notes, slipping_intro, rows = [], [], None, []
    if base.usable:
        values = model_values(data)
        once = (data.summary["frequency"] == 0).to_numpy()
        active = {"active": values["active"], "customers": values["customers"], "end": m.date(data.end)}
        if once.any():
            p_alive = base.predictions["p_alive"].to_numpy()
            active.update(
                active_repeat=m.number(p_alive[~once].sum()),
                repeat=m.number(int((~once).sum())),
                one_time=m.number(int(once.sum())),
            )
            figures.append(m.text("customer_base.active_split", **active))
        else:
            figures.append(m.text("customer_base.active", **active))
        figures.append(
            m.text(
                "customer_base.expected",
                months=m.number(base.horizon_months),
                purchases=m.number(base.expected_purchases),
                revenue=m.money(base.expected_revenue, data.currency),
            )
        )
        notes.append(_spend_basis(data))
        if base.slipping_count():
            slipping_intro = m.text("customer_base.slipping", **values)
            rows = slipping_rows(data)
        else:
            slipping_intro = m.text("customer_base.slipping_none", threshold=values["threshold"])
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
        assumptions=m.text("customer_base.assumptions"),
        **_check(data),
    )
