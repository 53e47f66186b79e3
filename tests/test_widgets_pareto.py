"""The explorer of lesson 03: the top x% slider and the measure menu."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.pareto import concentration_curve, top_share
from loyalty_lessons.widgets.pareto import describe_pareto, pareto_explorer, pareto_view


@pytest.fixture(scope="module")
def summary():
    return load_inputs(survey=None, complaints=None).summary


@pytest.fixture(scope="module")
def explorer(summary):
    built = pareto_explorer(summary)
    yield built
    plt.close(built.figure)


def test_starts_at_the_top_fifth_of_revenue(explorer, summary):
    view = explorer.result
    assert (view.measure, view.fraction, view.customers) == ("revenue", 0.2, len(summary))
    assert view.top_customers == 600
    assert view.share == pytest.approx(top_share(summary, 0.2))
    assert explorer.message == (f"The top 20% of customers (600 of 3,000) bring {view.share:.0%} of revenue.")
    assert explorer.figure.axes[0].get_title().startswith("The top 20% of customers bring")


@pytest.mark.parametrize("lower, higher", [(5, 10), (10, 30), (30, 50)], ids=["5-10", "10-30", "30-50"])
def test_a_larger_top_holds_a_larger_share(explorer, lower, higher):
    explorer.controls["top_percent"].value = lower
    low = explorer.result.share
    explorer.controls["top_percent"].value = higher
    assert explorer.result.share > low
    assert f"The top {higher}% of customers" in explorer.message
    assert f"{explorer.result.share:.0%} of revenue" in explorer.message


def test_the_menu_switches_to_orders(explorer, summary):
    explorer.controls["top_percent"].value = 20
    explorer.controls["measure"].value = "orders"
    assert explorer.result.measure == "orders"
    assert explorer.result.share == pytest.approx(top_share(summary, 0.2, value_col="orders"))
    assert explorer.message.endswith("of orders.")
    assert "orders" in explorer.figure.axes[0].get_title()
    explorer.controls["measure"].value = "revenue"


def test_view_and_sentence_on_a_hand_made_curve():
    view = pareto_view(concentration_curve([50.0, 30.0, 10.0, 5.0, 5.0]), 40, "orders")
    assert (view.top_customers, view.customers) == (2, 5)
    assert view.share == pytest.approx(0.8)
    assert describe_pareto(view) == "The top 40% of customers (2 of 5) bring 80% of orders."


@pytest.mark.parametrize("top_percent", [0, -5, 101], ids=["zero", "negative", "over-100"])
def test_view_rejects_a_top_percent_out_of_range(top_percent):
    with pytest.raises(LoyaltyDataError, match="top_percent"):
        pareto_view(concentration_curve([1.0, 2.0]), top_percent)


def test_unknown_measure_is_refused(summary):
    with pytest.raises(LoyaltyDataError, match="margin"):
        pareto_explorer(summary, measures=("revenue", "margin"))
