"""The explorers of lesson 04 and the business's own figures they start from."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from loyalty_lessons.customer_types import classify_customers, type_profile
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.loyalty_value.business_figures import business_figures
from loyalty_lessons.retention import annual_retention, retention_coverage
from loyalty_lessons.widgets.loyalty_value import (
    currency_symbol,
    describe_lifetime,
    describe_value,
    lifetime_explorer,
    lifetime_view,
    value_explorer,
    value_view,
)


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None, complaints=None)


@pytest.fixture(scope="module")
def figures(inputs):
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    retention = retention_coverage(
        annual_retention(inputs.transactions),
        first_date=inputs.transactions["date"].min(),
        observation_end=inputs.observation_end,
    )
    return business_figures(inputs.summary, type_profile(types, inputs.summary), retention)


# --------------------------------------------------------------------------- own figures


def test_business_figures_of_the_sample(figures, inputs):
    assert figures.customers == len(inputs.summary)
    assert 0 < figures.active_customers < figures.customers
    assert figures.monthly_spend_loyal > figures.monthly_spend_satisfied > 0
    assert 0.5 < figures.yearly_retention < 1


@pytest.mark.parametrize(
    "code, symbol",
    [("EUR", "€"), ("usd", "$"), ("GBP", "£"), ("CHF", "CHF "), ("€", "€")],
    ids=["eur", "usd-lower", "gbp", "chf", "symbol"],
)
def test_currency_symbol(code, symbol):
    assert currency_symbol(code) == symbol


# --------------------------------------------------------------------------- value explorer


def test_value_view_reproduces_seed_004():
    view = value_view(50, 75, 5, 5, 20)
    assert view.over_years["difference"].tolist() == [0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0]
    assert (view.referrals.new_customers, view.referrals.revenue) == (12.0, 10800.0)
    assert describe_value(view).startswith("Over 5 years a loyal customer brings $1,500 more")


@pytest.fixture(scope="module")
def values_explorer():
    explorer = value_explorer()
    yield explorer
    plt.close(explorer.figure)


def test_value_explorer_starts_at_the_seed_example(values_explorer):
    assert "$1,500 more" in values_explorer.message
    assert "12 new loyal customers a year, worth $10,800" in values_explorer.message
    assert "$1,500 more" in values_explorer.figure.axes[0].get_title()


@pytest.mark.parametrize(
    "control, value, expected",
    [
        ("years", 10, "Over 10 years a loyal customer brings $3,000 more"),
        ("monthly_spend_loyal", 100.0, "Over 5 years a loyal customer brings $3,000 more"),
        ("conversion_percent", 40, "24 new loyal customers a year, worth $21,600"),
        ("people_told_per_month", 10, "24 new loyal customers a year, worth $21,600"),
    ],
    ids=["more-years", "bigger-loyal-spend", "better-conversion", "more-people-told"],
)
def test_value_explorer_follows_its_controls(values_explorer, control, value, expected):
    start = values_explorer.controls[control].value
    values_explorer.controls[control].value = value
    try:
        assert expected in values_explorer.message
    finally:
        values_explorer.controls[control].value = start
    assert "$1,500 more" in values_explorer.message


def test_value_explorer_on_own_figures_writes_the_currency(figures):
    explorer = value_explorer(figures.monthly_spend_satisfied, figures.monthly_spend_loyal, symbol="€")
    gap = (figures.monthly_spend_loyal - figures.monthly_spend_satisfied) * 60
    assert f"€{gap:,.0f} more" in explorer.message
    plt.close(explorer.figure)


# --------------------------------------------------------------------------- lifetime explorer


def test_lifetime_view_by_hand():
    view = lifetime_view(100, 25, 80, 10, 5)
    assert view.remaining["customers"].round(2).tolist() == [100.0, 80.0, 64.0, 51.2, 40.96, 32.77]
    # margin at the start of each year, the first certain: 300 * 1.1 / 0.3 and 300 * 1.1 / 0.25
    assert (view.yearly_margin, view.lifetime_value) == (300.0, pytest.approx(1100.0))
    assert view.uplift.lifetime_value_after == pytest.approx(1320.0)
    assert describe_lifetime(view).endswith("five more points of retention add $220 per customer.")


def test_lifetime_view_refuses_retention_that_cannot_rise_five_points():
    with pytest.raises(LoyaltyDataError, match="below 1"):
        lifetime_view(100, 25, 96, 10, 5)


@pytest.fixture(scope="module")
def life_explorer():
    explorer = lifetime_explorer()
    yield explorer
    plt.close(explorer.figure)


def test_higher_retention_means_longer_lives_and_more_value(life_explorer):
    life_explorer.controls["retention_percent"].value = 70
    before = life_explorer.result
    assert "Keeping 70% of customers a year, a customer stays 3.3 years" in life_explorer.message
    life_explorer.controls["retention_percent"].value = 90
    after = life_explorer.result
    assert after.lifetime_years == pytest.approx(10.0)
    assert after.lifetime_value > before.lifetime_value
    assert "Keeping 90% of customers a year, a customer stays 10.0 years" in life_explorer.message
    assert life_explorer.figure.axes[0].get_title().startswith("Losing 10% a year")


def test_a_higher_discount_rate_lowers_the_lifetime_value(life_explorer):
    life_explorer.controls["discount_percent"].value = 0
    undiscounted = life_explorer.result.lifetime_value
    life_explorer.controls["discount_percent"].value = 20
    assert life_explorer.result.lifetime_value < undiscounted
    assert "discounted at 20% a year" in life_explorer.message


def test_margin_scales_the_value(life_explorer):
    life_explorer.controls["margin_percent"].value = 30
    value = life_explorer.result.lifetime_value
    life_explorer.controls["margin_percent"].value = 60
    assert life_explorer.result.lifetime_value == pytest.approx(2 * value)


# --------------------------------------------------------------------------- every control moves the chart


def test_loyal_spend_cannot_fall_below_satisfied_spend():
    explorer = value_explorer(50, 75)
    explorer.controls["monthly_spend_satisfied"].value = 90.0  # above the loyal spend
    assert explorer.controls["monthly_spend_satisfied"].value == 75.0
    explorer.controls["monthly_spend_satisfied"].value = 60.0
    explorer.controls["monthly_spend_loyal"].value = 10.0  # below the satisfied spend
    assert explorer.controls["monthly_spend_loyal"].value == 60.0
    assert "brings $0 more" in explorer.message and "-" not in explorer.message
    plt.close(explorer.figure)


def test_a_negative_gap_is_said_as_less():
    sentence = describe_value(value_view(75, 50, 5, 5, 20))
    assert sentence.startswith("Over 5 years a loyal customer brings $1,500 less than a satisfied one")


def test_figures_the_wrong_way_round_leave_the_sliders_free():
    explorer = value_explorer(80, 60)
    assert "brings $1,200 less" in explorer.message
    explorer.controls["monthly_spend_loyal"].value = 90.0
    assert "brings $600 more" in explorer.message
    plt.close(explorer.figure)


@pytest.mark.parametrize(
    "control, value",
    [("monthly_spend", 40.0), ("margin_percent", 60), ("retention_percent", 90), ("discount_percent", 25)],
    ids=["spend", "margin", "retention", "discount"],
)
def test_every_lifetime_control_moves_the_chart(control, value):
    explorer = lifetime_explorer(22.0, 0.83, margin_percent=40)
    money = explorer.figure.axes[1]
    line_before = money.get_lines()[0].get_ydata().copy()
    image_before = explorer.image.value
    explorer.controls[control].value = value
    money = explorer.figure.axes[1]  # the same Axes, or a new one when the axis rescaled
    assert explorer.image.value != image_before
    assert money.get_lines()[0].get_ydata().tolist() != line_before.tolist()
    # The line ends near the lifetime value the sentence gives, on a scale that shows it.
    assert money.get_ylim()[1] >= explorer.result.lifetime_value
    assert explorer.result.earned["margin_earned"].iloc[-1] <= explorer.result.lifetime_value + 1e-9
    plt.close(explorer.figure)


def test_margin_earned_tends_to_the_lifetime_value():
    view = lifetime_view(100, 25, 80, 10, 200)
    assert view.earned["margin_earned"].iloc[0] == pytest.approx(300.0)  # the first year, certain
    assert view.earned["margin_earned"].iloc[-1] == pytest.approx(view.lifetime_value)


@pytest.mark.parametrize(
    "control, value",
    [
        ("monthly_spend_satisfied", 30.0),
        ("monthly_spend_loyal", 90.0),
        ("years", 8),
        ("people_told_per_month", 10),
        ("conversion_percent", 40),
    ],
    ids=["satisfied", "loyal", "years", "people-told", "conversion"],
)
def test_every_value_control_moves_the_chart(control, value):
    explorer = value_explorer(50, 75)
    image_before = explorer.image.value
    bars_before = [bar.get_height() for bar in explorer.figure.axes[1].patches]
    lines_before = [line.get_ydata().tolist() for line in explorer.figure.axes[0].get_lines()]
    explorer.controls[control].value = value
    assert explorer.image.value != image_before
    bars_after = [bar.get_height() for bar in explorer.figure.axes[1].patches]
    lines_after = [line.get_ydata().tolist() for line in explorer.figure.axes[0].get_lines()]
    assert bars_after != bars_before or lines_after != lines_before
    # The pale bars are the first-year spend of the customers won by then.
    assert bars_after[-1] == pytest.approx(
        explorer.result.referrals.revenue * explorer.controls["years"].value
    )
    plt.close(explorer.figure)


# --------------------------------------------------------------------------- in the language


def _chart_words(explorer) -> list[str]:
    """The titles, axis labels, legends and notes of an explorer's chart."""
    words = []
    for ax in explorer.figure.axes:
        legend = ax.get_legend()
        words += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
        words += [t.get_text() for t in legend.get_texts()] if legend else []
    return [w for w in words if w]


def test_the_value_explorer_draws_its_chart_in_french():
    explorer = value_explorer(50, 75, symbol="€", language="fr")
    words = _chart_words(explorer)
    assert "dépense cumulée des clients qu’il amène (€)" in words
    assert "client fidèle" in words and "client satisfait" in words
    explorer.controls["people_told_per_month"].value = 8  # redrawn in place, still in French
    assert "dépense cumulée des clients qu’il amène (€)" in _chart_words(explorer)
    assert "spend of the customers they bring, added up ($)" in _chart_words(value_explorer(50, 75))


def test_the_lifetime_explorer_draws_its_chart_in_french():
    explorer = lifetime_explorer(75, 0.8, language="fr")
    words = _chart_words(explorer)
    assert words[0].startswith("En perdant 20\xa0% des clients par an")
    assert {"année", "clients restants", "marge par client, actualisée ($)"} <= set(words)
    assert any(w.startswith("valeur vie client ") for w in words)
    explorer.controls["retention_percent"].value = 85
    assert _chart_words(explorer)[0].startswith("En perdant 15\xa0% des clients par an")
    english = _chart_words(lifetime_explorer(75, 0.8))
    assert english[0].startswith("Losing 20% a year") and "customers remaining" in english
