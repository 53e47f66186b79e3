"""Tests of the loyalty-value charts, on the Agg backend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.loyalty_value import (  # noqa: E402
    customers_remaining,
    referral_growth,
    value_over_years,
)
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.loyalty_value import (  # noqa: E402
    nice_ceiling,
    plot_customers_remaining,
    plot_margin_earned,
    plot_referral_growth,
    plot_referred_spend,
    plot_value_over_years,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def seed_values():
    return value_over_years(monthly_spend_satisfied=50, monthly_spend_loyal=75, years=5)


def test_value_over_years_states_the_seed_004_gap(seed_values):
    ax = plot_value_over_years(seed_values)
    assert ax.get_title() == "Over 5 years a loyal customer brings $1,500 more than a satisfied one"
    loyal, satisfied = ax.get_lines()[:2]
    assert loyal.get_ydata().tolist() == [0, 900, 1800, 2700, 3600, 4500]
    assert satisfied.get_ydata().tolist() == [0, 600, 1200, 1800, 2400, 3000]
    assert "$1,500 more" in [text.get_text() for text in ax.texts]
    assert ax.get_ylabel() == "cumulative spend per customer ($)"


def test_value_over_years_without_a_currency_has_no_empty_brackets(seed_values):
    ax = plot_value_over_years(seed_values, currency="")
    assert ax.get_ylabel() == "cumulative spend per customer"


def test_value_over_years_uses_the_given_ax_and_currency(seed_values):
    fig, ax = plt.subplots()
    result = plot_value_over_years(seed_values, ax=ax, currency="€")
    assert result is ax
    assert "€1,500 more" in ax.get_title()
    assert len(fig.axes) == 1


def test_referral_growth_chart_titles_both_models():
    growth = referral_growth(2, people_told_per_month=5, conversion=0.2, yearly_spend=900)
    fig, ax = plt.subplots()
    result = plot_referral_growth(growth, ax=ax)
    assert result is ax
    compounding, linear = ax.get_lines()[:2]
    assert linear.get_ydata().tolist() == [10800.0, 10800.0]
    assert compounding.get_ydata().tolist() == pytest.approx([4095 * 900, (2**24 - 2**12) * 900])
    # $21,600 against (2**24 - 1) * 900 = $15.1 billion
    assert ax.get_title() == (
        "Referrals over 2 years: $21,600 if only the first customers refer,\n"
        "$15.1 billion if every new customer refers too"
    )
    assert ax.get_yscale() == "log"


def test_referral_growth_chart_stays_linear_when_models_are_close():
    growth = referral_growth(1, people_told_per_month=1, conversion=0.1, yearly_spend=100)
    ax = plot_referral_growth(growth, currency="£")
    assert ax.get_yscale() == "linear"
    assert ax.get_title().startswith("Referrals over 1 year: £120 if only")


def test_customers_remaining_chart():
    fig, ax = plt.subplots()
    result = plot_customers_remaining(customers_remaining(1000, 0.2, 3), ax=ax)
    assert result is ax
    assert [patch.get_height() for patch in ax.patches] == pytest.approx([1000, 800, 640, 512])
    assert ax.get_title() == "Losing 20% a year, 51% of customers are left after 3 years"
    assert ax.get_ylabel() == "customers remaining"


def test_charts_reject_a_frame_of_the_wrong_kind():
    with pytest.raises(LoyaltyDataError, match="value_over_years"):
        plot_value_over_years(pd.DataFrame({"year": [0, 1]}))


def test_value_over_years_redrawn_in_place_looks_like_a_fresh_chart(pixels):
    def values(satisfied, loyal):
        return value_over_years(monthly_spend_satisfied=satisfied, monthly_spend_loyal=loyal, years=5)

    def updated(ax):
        plot_value_over_years(values(50, 75), ax, currency="€")
        ax.set_ylim(0, 9000)
        assert ax.title in changed_artists(plot_value_over_years(values(80, 60), currency="€", ax=ax))

    def fresh(ax):
        plot_value_over_years(values(80, 60), ax, currency="€")
        ax.set_ylim(0, 9000)

    assert np.array_equal(pixels(updated), pixels(fresh))


def test_value_over_years_of_other_years_is_drawn_afresh():
    spends = {"monthly_spend_satisfied": 50, "monthly_spend_loyal": 75}
    ax = plot_value_over_years(value_over_years(**spends, years=5))
    assert changed_artists(plot_value_over_years(value_over_years(**spends, years=6), ax=ax)) is None


def test_customers_remaining_redrawn_in_place_looks_like_a_fresh_chart(pixels):
    def updated(ax):
        plot_customers_remaining(customers_remaining(100, 0.2, 10), ax)
        ax.set_ylim(0, 105)
        assert ax.title in changed_artists(plot_customers_remaining(customers_remaining(100, 0.35, 10), ax))

    def fresh(ax):
        plot_customers_remaining(customers_remaining(100, 0.35, 10), ax)
        ax.set_ylim(0, 105)

    assert np.array_equal(pixels(updated), pixels(fresh))


def test_customers_remaining_of_other_years_is_drawn_afresh():
    ax = plot_customers_remaining(customers_remaining(100, 0.2, 10))
    assert changed_artists(plot_customers_remaining(customers_remaining(100, 0.2, 12), ax=ax)) is None


def test_value_chart_names_its_two_customers_and_says_less_when_less():
    frame = value_over_years(monthly_spend_satisfied=75, monthly_spend_loyal=50, years=2)
    ax = plot_value_over_years(frame, currency="€", names=("regular", "occasional"))
    assert ax.get_title() == "Over 2 years a regular customer brings €600 less than an occasional one"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["regular customer", "occasional customer"]
    plt.close(ax.figure)


def test_referral_legend_hides_no_point_of_the_lines():
    # Capped growth peaks early, at the top left, where a legend inside the frame sat.
    growth = referral_growth(
        4,
        people_told_per_month=5,
        conversion=0.2,
        yearly_spend=900,
        yearly_retention=0.8,
        max_customers=10_000,
    )
    ax = plot_referral_growth(growth)
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    for line in ax.get_lines():
        for x, y in ax.transData.transform(line.get_xydata()):
            assert not legend.contains(x, y)
    plt.close(ax.figure)


def test_margin_earned_line_and_its_level():
    earned = pd.DataFrame({"year": [0, 1, 2], "margin_earned": [300.0, 540.0, 732.0]})
    ax = plot_margin_earned(earned, lifetime_value=1100.0, currency="€")
    assert ax.get_lines()[0].get_ydata().tolist() == [300.0, 540.0, 732.0]
    assert ax.get_ylim() == (0.0, 1500.0)  # 1.1 x 1100, rounded up
    assert any(text.get_text() == "lifetime value €1,100" for text in ax.texts)
    same_scale = earned.assign(margin_earned=[310.0, 550.0, 740.0])
    assert changed_artists(plot_margin_earned(same_scale, ax, lifetime_value=1200.0, currency="€"))
    assert ax.yaxis in changed_artists(plot_margin_earned(earned, ax, lifetime_value=5000.0, currency="€"))
    assert ax.get_ylim() == (0.0, 6000.0)  # rescaled in place
    plt.close(ax.figure)


def test_margin_earned_rescaled_in_place_looks_like_a_fresh_chart(pixels):
    earned = pd.DataFrame({"year": [0, 1, 2], "margin_earned": [300.0, 540.0, 732.0]})

    def updated(ax):
        plot_margin_earned(earned, ax, lifetime_value=1100.0, currency="€")
        assert changed_artists(
            plot_margin_earned(
                earned.assign(margin_earned=earned["margin_earned"] * 30),
                ax,
                lifetime_value=33_000.0,
                currency="€",
            )
        )

    def fresh(ax):
        plot_margin_earned(
            earned.assign(margin_earned=earned["margin_earned"] * 30),
            ax,
            lifetime_value=33_000.0,
            currency="€",
        )

    assert np.array_equal(pixels(updated), pixels(fresh))


@pytest.mark.parametrize("value, ceiling", [(434.0, 500.0), (570.0, 600.0), (2.0, 2.0), (0.0, 1.0)])
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_referred_spend_bars_and_their_scale():
    referred = pd.DataFrame({"year": [0, 1, 2], "referred_spend": [0.0, 10_800.0, 21_600.0]})
    ax = plot_referred_spend(referred, currency="€")
    assert [bar.get_height() for bar in ax.patches] == [0.0, 10_800.0, 21_600.0]
    assert ax.get_ylim() == (0.0, 25_000.0)  # 1.1 x 21,600, rounded up
    assert "(€)" in ax.get_ylabel()
    same_scale = referred.assign(referred_spend=[0.0, 11_000.0, 22_000.0])
    assert changed_artists(plot_referred_spend(same_scale, ax, currency="€"))
    assert ax.yaxis in changed_artists(
        plot_referred_spend(
            referred.assign(referred_spend=referred["referred_spend"] * 100), ax, currency="€"
        )
    )
    assert ax.get_ylim() == (0.0, 2_500_000.0)  # rescaled in place
    plt.close(ax.figure)


def test_referred_spend_rescaled_in_place_looks_like_a_fresh_chart(pixels):
    referred = pd.DataFrame({"year": [0, 1, 2], "referred_spend": [0.0, 10_800.0, 21_600.0]})

    def updated(ax):
        plot_referred_spend(referred, ax)
        assert changed_artists(
            plot_referred_spend(referred.assign(referred_spend=referred["referred_spend"] * 100), ax)
        )

    def fresh(ax):
        plot_referred_spend(referred.assign(referred_spend=referred["referred_spend"] * 100), ax)

    assert np.array_equal(pixels(updated), pixels(fresh))


# --- in the lesson's language -------------------------------------------------------------

from loyalty_lessons.plots.texts import chart_texts  # noqa: E402


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_value_over_years_names_its_customers_in_the_language(seed_values):
    ax = plot_value_over_years(seed_values, currency="€", texts=chart_texts("loyalty_value", "fr"))
    assert (
        ax.get_title()
        == "Sur 5 ans, un client fidèle rapporte 1\u202f500\xa0€ de plus qu’un client satisfait"
    )
    assert _legend(ax) == ["client fidèle", "client satisfait"]
    assert _legend(plot_value_over_years(seed_values)) == ["loyal customer", "satisfied customer"]


def test_referral_growth_in_french_and_english():
    growth = referral_growth(2, people_told_per_month=5, conversion=0.2, yearly_spend=900)
    ax = plot_referral_growth(growth, currency="€", texts=chart_texts("referral_growth", "fr"))
    first, second = ax.get_title().split("\n")
    assert first == "Recommandations sur 2 ans : 21\u202f600\xa0€ si seuls les premiers clients recommandent,"
    assert second.startswith("15,1 milliard") and second.endswith(
        " si chaque nouveau client recommande à son tour"
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("année", "dépense annuelle des clients gagnés (€)")
    assert _legend(ax) == [
        "chaque client recommandé recommande à son tour",
        "seuls les premiers clients recommandent",
    ]
    english = plot_referral_growth(growth, texts=chart_texts("referral_growth", "en"))
    assert (english.get_xlabel(), english.get_ylabel()) == (
        "year",
        "a year of spend of the customers won ($)",
    )
    assert _legend(english) == ["every referred customer refers too", "only the first customers refer"]


def test_customers_remaining_in_french_and_russian():
    remaining = customers_remaining(1000, 0.2, 10)
    ax = plot_customers_remaining(remaining, texts=chart_texts("customers_remaining", "fr"))
    assert ax.get_title() == "En perdant 20\xa0% des clients par an, il en reste 11\xa0% au bout de 10 ans"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("année", "clients restants")
    russian = plot_customers_remaining(
        customers_remaining(1000, 0.2, 3), texts=chart_texts("customers_remaining", "ru")
    )
    assert russian.get_title() == "Если терять 20\xa0% клиентов в год, через 3 года останется 51\xa0%"
    english = plot_customers_remaining(remaining)
    assert english.get_title() == "Losing 20% a year, 11% of customers are left after 10 years"
    assert (english.get_xlabel(), english.get_ylabel()) == ("year", "customers remaining")


def test_margin_earned_and_referred_spend_in_french():
    earned = pd.DataFrame({"year": [0, 1, 2], "margin_earned": [100.0, 180.0, 240.0]})
    ax = plot_margin_earned(
        earned, lifetime_value=500.0, currency="€", texts=chart_texts("margin_earned", "fr")
    )
    assert ax.get_ylabel() == "marge par client, actualisée (€)"
    assert _legend_free_texts(ax) == ["valeur vie client 500\xa0€"]
    assert ax.get_lines()[0].get_label() == "marge apportée par un client, actualisée"
    english = plot_margin_earned(earned, lifetime_value=500.0)
    assert english.get_ylabel() == "margin per customer, discounted ($)"
    assert _legend_free_texts(english) == ["lifetime value $500"]
    referred = pd.DataFrame({"year": [0, 1, 2], "referred_spend": [0.0, 900.0, 1800.0]})
    bars = plot_referred_spend(referred, currency="€", texts=chart_texts("referred_spend", "fr"))
    assert bars.get_ylabel() == "dépense cumulée des clients qu’il amène (€)"
    assert plot_referred_spend(referred).get_ylabel() == "spend of the customers they bring, added up ($)"


def _legend_free_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]


def test_a_chart_in_french_writes_its_axis_numbers_the_french_way():
    """The numeric axes take the language's formatter (decimal comma, its thousands
    separator); in English matplotlib writes them as it always did."""
    from matplotlib.ticker import ScalarFormatter

    from loyalty_lessons.plots.texts import chart_texts

    remaining = customers_remaining(1000, 0.35, 12)
    french = plot_customers_remaining(remaining, texts=chart_texts("customers_remaining", "fr"))
    english = plot_customers_remaining(remaining)
    assert type(english.yaxis.get_major_formatter()) is ScalarFormatter
    assert type(french.yaxis.get_major_formatter()) is not ScalarFormatter
    french.figure.canvas.draw()
    assert french.yaxis.get_major_formatter()(1234) == "1\u202f234"  # not 1,234 or 1234
    plt.close("all")
