"""The explorers of lesson 07: a customer's history, the population, the model check (no browser)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import loyalty_lessons as ll  # noqa: E402
from loyalty_lessons.customer_base import BetaGeoModel  # noqa: E402
from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.inputs import load_inputs  # noqa: E402
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.widgets import check_explorer, history_explorer, population_explorer  # noqa: E402
from loyalty_lessons.widgets.customer_base import (  # noqa: E402
    POPULATION_RANGES,
    describe_history,
    describe_population,
    history_view,
    population_view,
)

#: Fader, Hardie & Lee (2005), CDNOW, in weeks.
FHL = BetaGeoModel(
    r=0.243,
    alpha=4.414,
    a=0.793,
    b=2.426,
    standard_errors={},
    log_likelihood=-9582.4,
    customers=2357,
    repeat_buyers=946,
)


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None, complaints=None)


@pytest.fixture(scope="module")
def model(inputs):
    return ll.fit_bg_nbd(inputs.summary)


# --------------------------------------------------------------------------- the pure functions


def test_history_view_is_the_models_prediction():
    view = history_view(FHL, 2, 30.43, 38.86, horizon_weeks=39)
    assert view.expected_purchases == pytest.approx(1.226, abs=5e-4)  # FHL 2005, p. 281
    assert view.p_alive == pytest.approx(float(FHL.probability_alive(2, 30.43, 38.86)))
    assert set(view.curve["frequency"]) == {2} and view.curve.attrs["T"] == pytest.approx(38.86)


def test_history_view_in_a_model_of_days_converts_the_weeks():
    in_days = BetaGeoModel(
        r=0.243,
        alpha=4.414 * 7,
        a=0.793,
        b=2.426,
        standard_errors={},
        log_likelihood=0.0,
        customers=1,
        repeat_buyers=1,
        time_unit="D",
    )
    weeks, days = history_view(FHL, 3, 20, 40), history_view(in_days, 3, 20, 40)
    assert days.p_alive == pytest.approx(weeks.p_alive)
    assert days.expected_purchases == pytest.approx(weeks.expected_purchases)


def test_a_last_purchase_after_today_is_held_at_today_and_none_without_repeat_purchases():
    assert history_view(FHL, 3, 90, 40).last_purchase_week == 40
    assert history_view(FHL, 0, 25, 40).last_purchase_week == 0
    assert history_view(FHL, 0, 25, 40).p_alive == 1.0


@pytest.mark.parametrize(
    "args",
    [(-1, 10, 40), (2.5, 10, 40), (2, 10, 0), (2, -1, 40), ("2", 10, 40), (2, np.nan, 40)],
    ids=["negative", "fraction", "no-time", "negative-week", "text", "nan"],
)
def test_history_view_refuses_impossible_histories(args):
    with pytest.raises(LoyaltyDataError):
        history_view(FHL, *args)


def test_describe_history_speaks_of_one_time_buyers_apart():
    assert "by the model's construction" in describe_history(history_view(FHL, 0, 0, 40))
    assert describe_history(history_view(FHL, 1, 10, 40)).startswith("A customer with 1 repeat purchase,")


def test_population_view_is_the_expectation_of_new_customers():
    view = population_view(0.243, 4.414, 0.793, 2.426, weeks=52, customers=10)
    expected = 10 * FHL.expected_purchases_new_customer(np.arange(53.0))
    np.testing.assert_allclose(view.curve["expected_repeat_purchases"], expected)
    assert view.curve["without_dropout"].iloc[-1] == pytest.approx(10 * 0.243 / 4.414 * 52)
    assert view.mean_dropout == pytest.approx(0.793 / (0.793 + 2.426))
    assert "leaves for good with a probability of 25% on average" in describe_population(view)


def test_every_value_of_the_population_sliders_gives_a_sensible_curve():
    grid = [np.linspace(low, high, 5) for low, high in POPULATION_RANGES.values()]
    for r in grid[0]:
        for alpha in grid[1]:
            for a in [*grid[2], 1.0]:
                for b in grid[3]:
                    curve = population_view(r, alpha, a, b).curve
                    y, ceiling = curve["expected_repeat_purchases"], curve["without_dropout"]
                    assert np.isfinite(y).all() and y.iloc[0] == 0 and (np.diff(y) >= -1e-9).all()
                    assert (y <= ceiling + 1e-6).all()


def test_population_view_refuses_a_parameter_that_is_not_positive():
    with pytest.raises(LoyaltyDataError, match="above 0"):
        population_view(0.0, 4.0, 0.8, 2.4)


# --------------------------------------------------------------------------- the explorers


@pytest.fixture
def history(model):
    explorer = history_explorer(model)
    yield explorer
    plt.close(explorer.figure)


def test_the_history_explorer_starts_from_its_defaults(history, model):
    assert history.result == history_view(model, 10, 40, 78, 52)._replace(curve=history.result.curve)
    assert history.message == describe_history(history.result)
    assert history.figure.axes[0].get_title().startswith("With 10 repeat purchases")


@pytest.mark.parametrize(
    "control, value",
    [("repeat_purchases", 25), ("last_purchase_week", 70), ("weeks_as_customer", 120), ("horizon_weeks", 10)],
    ids=["purchases", "last-week", "weeks-as-customer", "horizon"],
)
def test_every_history_control_changes_the_result_and_the_chart(history, control, value):
    before, png = history.result, history.image.value
    history.controls[control].value = value
    after = history.result
    assert (after.p_alive, after.expected_purchases) != (before.p_alive, before.expected_purchases)
    assert history.image.value != png
    assert history.message == describe_history(after)


def test_more_repeat_purchases_make_the_same_silence_more_alarming(history):
    history.controls["repeat_purchases"].value = 2
    occasional = history.result.p_alive
    history.controls["repeat_purchases"].value = 30
    assert history.result.p_alive < occasional


def test_a_move_of_the_purchases_redraws_in_place(history):
    history.controls["repeat_purchases"].value = 20
    ax = history.figure.axes[0]
    moved = changed_artists(ax)
    assert moved is not None and ax.title in moved
    assert f"{history.result.p_alive:.0%}" in ax.get_title() or "under 1%" in ax.get_title()


def test_the_last_purchase_cannot_go_past_today(history):
    history.controls["last_purchase_week"].value = 70
    history.controls["weeks_as_customer"].value = 30
    assert history.controls["last_purchase_week"].max == 30
    assert history.controls["last_purchase_week"].value == 30
    assert history.result.last_purchase_week == 30 and history.result.weeks_as_customer == 30


@pytest.fixture
def population(model):
    explorer = population_explorer(**model.params)
    yield explorer
    plt.close(explorer.figure)


def test_the_population_explorer_starts_from_the_fitted_parameters(population, model):
    view = population.result
    assert (view.r, view.alpha, view.a, view.b) == pytest.approx(tuple(model.params.values()), abs=0.01)
    assert population.message == describe_population(view)


@pytest.mark.parametrize(
    "control, value, direction",
    [("r", 2.0, "more"), ("alpha", 20.0, "fewer"), ("a", 2.0, "fewer"), ("b", 0.5, "fewer")],
    ids=["r", "alpha", "a", "b"],
)
def test_every_population_control_moves_the_curve(population, control, value, direction):
    before, png = population.result.curve["expected_repeat_purchases"].iloc[-1], population.image.value
    population.controls[control].value = value
    after = population.result.curve["expected_repeat_purchases"].iloc[-1]
    assert (after > before) if direction == "more" else (after < before)
    assert population.image.value != png
    assert f"{after:,.0f} repeat purchases" in population.figure.axes[0].get_title().replace("\n", " ")


def test_population_sliders_cannot_leave_their_ranges(population):
    for name, (low, high) in POPULATION_RANGES.items():
        assert (population.controls[name].min, population.controls[name].max) == (low, high)


@pytest.fixture(scope="module")
def check(inputs):
    return ll.model_check(inputs.transactions)


def test_the_check_explorer_switches_between_its_two_charts(check):
    explorer = check_explorer(check)
    assert explorer.message == check.message
    assert explorer.figure.axes[0].get_title().startswith("In every group")
    explorer.controls["chart"].value = "tracking"
    assert explorer.figure.axes[0].get_title().startswith("By ")
    plt.close(explorer.figure)


def test_the_check_explorer_shows_a_chart_again_without_drawing_it(check, monkeypatch):
    explorer = check_explorer(check)
    first = explorer.image.value
    explorer.controls["chart"].value = "tracking"
    tracking = explorer.image.value
    drawn = []
    monkeypatch.setattr(explorer, "_draw", lambda *args: drawn.append(args))
    explorer.controls["chart"].value = "by_frequency"
    assert explorer.image.value == first and not drawn
    explorer.controls["chart"].value = "tracking"
    assert explorer.image.value == tracking and not drawn


def test_the_silence_rule_sentence_counts_both_disagreements():
    import pandas as pd

    from loyalty_lessons.widgets.customer_base import describe_silence_rule

    summary = pd.DataFrame({"frequency": [3, 2, 5, 0, 4], "days_since_last": [200, 30, 40, 400, 300]})
    predictions = pd.DataFrame({"p_alive": [0.8, 0.2, 0.9, 1.0, 0.6]})
    sentence = describe_silence_rule(summary, predictions)
    # Customers 1 and 5 silent but probably active; customer 2 active but probably gone; 4 bought once.
    assert (
        "writes off 2 repeat buyers whom" in sentence and "counts as active 1 repeat buyer whom" in sentence
    )
    assert "writes off 0 repeat buyers" in describe_silence_rule(summary, predictions, days=400)


# --------------------------------------------------------------------------- in the language


def _chart_words(explorer) -> list[str]:
    ax = explorer.figure.axes[0]
    legend = ax.get_legend()
    words = [
        ax.get_title().replace("\n", " "),
        ax.get_xlabel(),
        ax.get_ylabel(),
        *(t.get_text() for t in ax.texts),
    ]
    return words + ([t.get_text() for t in legend.get_texts()] if legend else [])


def test_the_history_explorer_draws_its_chart_in_french():
    explorer = history_explorer(FHL, language="fr")
    title, xlabel, ylabel = _chart_words(explorer)[:3]
    assert title.startswith(
        "Avec 10 achats répétés, le dernier il y a 38 semaines, le client est encore actif"
    )
    assert xlabel == "semaines entre le premier et le dernier achat (client depuis 78 semaines)"
    assert ylabel == "probabilité d’être encore actif"
    explorer.controls["repeat_purchases"].value = 1  # redrawn in place, still in French
    assert _chart_words(explorer)[0].startswith("Avec 1 achat répété, le dernier il y a 38 semaines")
    assert _chart_words(history_explorer(FHL))[0].startswith(
        "With 10 repeat purchases, the last one 38 weeks ago"
    )


def test_the_population_explorer_draws_its_chart_in_russian():
    words = _chart_words(population_explorer(language="ru"))
    assert words[0].startswith("От 1\xa0000 новых клиентов за 104 недели ожидается повторных покупок: ")
    assert words[1:3] == ["недели с первой покупки", "накопленные повторные покупки"]
    assert words[-2:] == ["ожидание с учётом ухода клиентов", "если бы никто не уходил"]
    assert _chart_words(population_explorer())[0].startswith("1,000 new customers are expected to make ")
