"""The report's customer-types section: how many customers of each type, what they bring in
and spend, what regular customers went on to spend against occasional ones, whom to call, and
the general guidance of [fr-monitoring-loyalty] for each type (:func:`customer_types_section`).

The spend of regular customers is compared with occasional ones only out of sample (typed on
one day, spend measured after it): the same comparison over the months that typed them is
true by definition, and is left to lesson 02."""

from __future__ import annotations

import numpy as np
from markupsafe import Markup

from loyalty_lessons.customer_types import classify as ct

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import biggest_spenders as _biggest_spenders
from loyalty_lessons.report._common import chart_words as _texts
from loyalty_lessons.report._common import customer_rows as _customer_rows
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report._common import spend_comparison
from loyalty_lessons.report.data import ReportData
from loyalty_lessons.report.render import chart

__all__ = ["customer_types_section"]


def _names(data: ReportData) -> str:
    """The catalogue section of the types' names in the report: for the behaviour when purchases
    typed any customer, and the model's "long silent" only when purchases typed them all."""
    counts = ct.basis_counts(data.types)
    if not counts.get("behaviour"):
        return "type_names"
    if not counts.get("both") and data.model_usable:
        return "type_labels_model"
    return "type_labels_mixed" if counts.get("both") else "type_labels"


def _future_uplift_text(data: ReportData) -> Markup:
    """What regular customers went on to spend against occasional ones: a ratio from twice as
    much up ("about 10 times as much"), a percentage below, with both groups' spend a month."""
    m, result = data.m, data.future_uplift
    if result is None:
        return m.text("types.future_missing")
    u = result.out_of_sample
    spend = result.profile.set_index(result.profile["type"].astype("str"))["monthly_spend"]
    suffix, values = spend_comparison(data, 1 + u.uplift / 100, 1 + u.ci_low / 100, 1 + u.ci_high / 100)
    values.update(
        split=m.date(result.split),
        months=m.number(result.holdout_months),
        n_of=m.number(u.n_of),
        n_over=m.number(u.n_over),
        loyal=m.money(spend.get(u.of, np.nan), data.currency, 2),
        satisfied=m.money(spend.get(u.over, np.nan), data.currency, 2),
    )
    key = "types.future_unclear" if u.direction == "unclear" else "types.future"
    return m.text(key + suffix, **values)


def _guidance_rows(data: ReportData, labels: dict[str, str]) -> list[list[object]]:
    """General guidance for each type, from the practitioners' article the lessons follow, under
    the report's own names of the types and with how many customers each holds."""
    m = data.m
    counts = data.profile.set_index(data.profile["type"].astype("str"))["customers"]
    return [[labels[t], m.number(counts.get(t, 0)), m.text("types.guidance." + t)] for t in ct.TYPES]


def customer_types_section(data: ReportData) -> Markup:
    """The three customer types: counts, revenue, spend, and general guidance for each."""
    from loyalty_lessons.plots.customer_types import plot_type_profile

    m, rules, profile = data.m, ct.TYPE_RULES, data.profile
    names = _names(data)
    labels = {t: m.raw(f"{names}.{t}") for t in ct.TYPES}
    intro = m.text(  # the intro names the silent type as the table does
        "types.intro_model" if names == "type_labels_model" else "types.intro",
        lapsed=m.number(rules["lapsed_after_days"]),
        orders=m.number(rules["loyal_min_orders"]),
        window=m.number(rules["loyal_window_days"]),
        recent=m.number(rules["loyal_max_days_since_last"]),
    )
    counts = ct.basis_counts(data.types)
    basis = None
    if counts.get("both"):
        basis = m.text(
            "types.basis",
            by_answer=m.number(counts["both"]),
            by_behaviour=m.number(counts.get("behaviour", 0)),
        )
    rows = [
        [
            labels[str(r.type)],
            m.number(r.customers),
            m.percent(r.share_of_customers),
            m.money(r.revenue, data.currency),
            m.percent(r.revenue_share),
            m.money(r.revenue_per_customer, data.currency),
            m.money(r.monthly_spend, data.currency, 2),
        ]
        for r in profile.itertuples()
    ]

    def draw_profile(fig):
        ax = plot_type_profile(
            profile, ax=fig.subplots(), labels=labels, texts=_texts(data, "customer_types")
        )
        top = 100 * float(np.nanmax(profile[["share_of_customers", "revenue_share"]].to_numpy()))
        ax.set_ylim(0, top * 1.3)
        ax.legend(loc="upper left", ncols=2)

    # Whom to call: with the model, the valuable customers it says are slipping away (listed
    # in its section), not everyone silent for a fixed number of days.
    lapsed = data.lapsed.iloc[:0] if data.model_usable else _biggest_spenders(data.lapsed)
    call = (
        m.text("types.call_model", days=m.number(rules["lapsed_after_days"])) if data.model_usable else None
    )
    return _section(
        "customer_types",
        data,
        intro=intro,
        survey_rule=bool(counts.get("both")),
        basis=basis,
        survey_unused=data.survey_unused,
        profile=rows,
        profile_chart=chart(m, draw_profile, (7.5, 4.0)),
        future=_future_uplift_text(data),
        lapsed=_customer_rows(data, lapsed),
        lapsed_intro=m.text("types.lapsed_top", count=len(lapsed), days=m.number(rules["lapsed_after_days"])),
        call=call,
        guidance=_guidance_rows(data, labels),
    )
