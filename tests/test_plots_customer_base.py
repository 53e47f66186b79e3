"""Tests of the customer-base charts, on the Agg backend, with the CDNOW sample of FHL (2005)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.customer_base import BetaGeoModel, alive_by_recency  # noqa: E402
from loyalty_lessons.customer_base_check import model_check  # noqa: E402
from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.plots import (  # noqa: E402
    plot_holdout_by_frequency,
    plot_probability_alive,
    plot_tracking,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def check():
    cdnow = pd.read_csv(DATA / "cdnow_sample.csv", parse_dates=["date"])
    return model_check(cdnow, calibration_end="1997-09-30", holdout_end="1998-06-30")


@pytest.fixture
def model():
    return BetaGeoModel(
        r=0.243,
        alpha=4.414,
        a=0.793,
        b=2.426,
        standard_errors={},
        log_likelihood=-9582.4,
        customers=2357,
        repeat_buyers=946,
    )


def _title(ax) -> str:
    return ax.get_title().replace("\n", " ")


def test_holdout_by_frequency_draws_actual_bars_and_the_model_line(check):
    ax = plot_holdout_by_frequency(check)
    table = check.by_frequency
    assert [bar.get_height() for bar in ax.patches] == pytest.approx(table["actual"].tolist())
    (line,) = ax.get_lines()
    assert line.get_ydata().tolist() == pytest.approx(table["predicted"].tolist())
    assert [label.get_text() for label in ax.get_xticklabels()] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    gap = (table["predicted"] - table["actual"]).abs().max()
    assert (
        _title(ax) == f"In every group, the model is within {gap:.2f} purchases per customer of what happened"
    )
    assert ax.get_xlabel() == "repeat purchases in the calibration period (to 1997-09-30)"
    assert "1997-10-01 to 1998-06-30" in ax.get_ylabel()


def test_holdout_by_frequency_takes_the_table_alone_and_honours_ax(check):
    fig, (left, right) = plt.subplots(1, 2)
    assert len(fig.axes) == 2
    table = check.by_frequency.copy()
    table.attrs = {}
    assert plot_holdout_by_frequency(table, ax=right) is right
    assert len(left.patches) == 0 and len(right.patches) == 8
    assert right.get_xlabel() == "repeat purchases in the calibration period"


def test_tracking_draws_both_curves_and_the_calibration_end(check):
    ax = plot_tracking(check)
    actual, model, end = ax.get_lines()
    tracking = check.tracking
    assert actual.get_ydata().tolist() == tracking["actual"].tolist()
    assert model.get_ydata().tolist() == pytest.approx(tracking["predicted"].tolist())
    assert end.get_xdata()[0] == 39  # the calibration period is the first 39 weeks
    last = tracking.iloc[-1]
    assert last["actual"] == 4339
    change = abs(last["predicted"] / last["actual"] - 1)
    assert _title(ax) == (
        f"By 1998-06-30, the model expected {last['predicted']:,.0f} repeat purchases, "
        f"{change:.0%} fewer than the 4,339 made"
    )
    assert ax.get_xlabel() == "weeks since the first purchase in the data"


def test_tracking_says_as_many_when_the_model_is_right(check):
    tracking = check.tracking.assign(predicted=check.tracking["actual"].astype(float))
    ax = plot_tracking(tracking)
    assert "as many as the 4,339 made" in _title(ax)


def test_probability_alive_one_line_per_frequency(model):
    curve = alive_by_recency(model, T=38.86, frequency=[1, 10], points=40)
    fig, ax = plt.subplots()
    assert plot_probability_alive(curve, ax=ax) is ax and len(fig.axes) == 1
    for line, x in zip(ax.get_lines(), (1, 10), strict=True):
        expected = curve.loc[curve["frequency"] == x, "p_alive"].tolist()
        assert line.get_ydata().tolist() == pytest.approx(expected)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1 repeat purchase", "10 repeat purchases"]
    silent_one = float(model.probability_alive(1, 0.0, 38.86))
    assert _title(ax) == (
        f"After 39 weeks without a purchase, a customer with 1 repeat purchase is active with "
        f"probability {silent_one:.0%}; one with 10 repeat purchases, under 1%"
    )
    assert ax.get_xlabel() == "weeks from the first to the last purchase (customer for 39 weeks)"
    assert ax.get_ylim() == (0, 1.05)


def test_probability_alive_for_a_single_frequency(model):
    ax = plot_probability_alive(alive_by_recency(model, T=52.0, frequency=3))
    assert len(ax.get_lines()) == 1
    p = float(model.probability_alive(3, 0.0, 52.0))
    assert _title(ax).endswith(
        f"3 repeat purchases is active with probability {p:.0%}"
        if p >= 0.005
        else "3 repeat purchases is active with probability under 1%"
    )


@pytest.mark.parametrize(
    "draw",
    [plot_holdout_by_frequency, plot_tracking, plot_probability_alive],
    ids=["by-frequency", "tracking", "alive"],
)
def test_charts_refuse_other_tables(draw):
    with pytest.raises(LoyaltyDataError, match="has no column"):
        draw(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(LoyaltyDataError, match="Expected a DataFrame"):
        draw(np.zeros(3))


# --- one customer's history, the population (the explorers' charts) -------------------------

from loyalty_lessons.plots import changed_artists, plot_customer_history, plot_population_purchases  # noqa: E402
from loyalty_lessons.widgets.customer_base import population_view  # noqa: E402


def _fhl():
    return BetaGeoModel(
        r=0.243,
        alpha=4.414,
        a=0.793,
        b=2.426,
        standard_errors={},
        log_likelihood=-9582.4,
        customers=2357,
        repeat_buyers=946,
    )


def test_customer_history_marks_the_customer_and_redraws_in_place():
    model = _fhl()
    curve = alive_by_recency(model, T=52.0, frequency=3)
    fig, ax = plt.subplots()
    assert plot_customer_history(curve, ax, recency=20.0, p_alive=0.4) is ax
    assert changed_artists(ax) is None
    assert ax.get_title().replace("\n", " ").startswith("With 3 repeat purchases, the last one 32 weeks ago")
    other = alive_by_recency(model, T=52.0, frequency=8)
    plot_customer_history(other, ax, recency=30.0, p_alive=0.2)
    assert ax.title in changed_artists(ax) and len(ax.lines) == 3
    assert ax.get_ylim() == (0, 1.05)
    plt.close(fig)


def test_customer_history_wants_one_frequency():
    with pytest.raises(LoyaltyDataError, match="one frequency"):
        plot_customer_history(alive_by_recency(_fhl(), T=52.0, frequency=(1, 3)), recency=1.0, p_alive=0.5)


def test_population_purchases_keeps_its_scale_and_redraws_in_place():
    fig, ax = plt.subplots()
    view = population_view(0.243, 4.414, 0.793, 2.426)
    plot_population_purchases(view.curve, ax, y_max=8000)
    assert ax.get_ylim() == (0, 8000) and ax.get_title().startswith("1,000 new customers")
    plot_population_purchases(population_view(0.243, 4.414, 2.0, 2.426).curve, ax, y_max=8000)
    assert ax.title in changed_artists(ax) and len(ax.lines) == 2
    plt.close(fig)


# --- in the lesson's language -------------------------------------------------------------

from loyalty_lessons.plots.texts import chart_texts  # noqa: E402


def _texts(ax) -> list[str]:
    """Every text of the chart a reader sees: title, axes' labels, legend, notes."""
    legend = ax.get_legend()
    return [
        _title(ax),
        ax.get_xlabel(),
        ax.get_ylabel(),
        *([t.get_text() for t in legend.get_texts()] if legend else []),
        *(t.get_text() for t in ax.texts),
    ]


def test_probability_alive_in_french_and_russian(model):
    curve = alive_by_recency(model, T=38.86, frequency=[1, 10], points=40)
    silent_one = float(model.probability_alive(1, 0.0, 38.86))
    ax = plot_probability_alive(curve, texts=chart_texts("customer_base", "fr"))
    percent = f"{silent_one * 100:.0f}\xa0%"
    assert _title(ax) == (
        f"Après 39 semaines sans achat, un client avec 1 achat répété est encore actif avec une "
        f"probabilité de {percent} ; un client avec 10 achats répétés, de moins de 1\xa0%"
    )
    assert ax.get_xlabel() == "semaines entre le premier et le dernier achat (client depuis 39 semaines)"
    assert ax.get_ylabel() == "probabilité d’être encore actif"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1 achat répété", "10 achats répétés"]
    russian = plot_probability_alive(curve, texts=chart_texts("customer_base", "ru"))
    assert _title(russian).startswith("Через 39 недель без покупок клиент с 1 повторной покупкой")
    assert [t.get_text() for t in russian.get_legend().get_texts()] == [
        "1 повторная покупка",
        "10 повторных покупок",
    ]


def test_probability_alive_in_english_is_the_default(model):
    curve = alive_by_recency(model, T=38.86, frequency=[1, 10], points=40)
    english = _texts(plot_probability_alive(curve, texts=chart_texts("customer_base", "en")))
    assert english == _texts(plot_probability_alive(curve))
    assert english[2] == "probability still active"


def test_customer_history_in_french():
    curve = alive_by_recency(_fhl(), T=52.0, frequency=3)
    ax = plot_customer_history(
        curve, recency=20.0, p_alive=0.4, label="x", texts=chart_texts("customer_base", "fr")
    )
    assert _title(ax) == (
        "Avec 3 achats répétés, le dernier il y a 32 semaines, le client est encore actif avec une "
        "probabilité de 40\xa0%"
    )
    assert ax.get_xlabel() == "semaines entre le premier et le dernier achat (client depuis 52 semaines)"
    new = plot_customer_history(
        alive_by_recency(_fhl(), T=52.0, frequency=0),
        recency=0.0,
        p_alive=1.0,
        texts=chart_texts("customer_base", "fr"),
    )
    assert _title(new).startswith("Aucun achat répété pour l’instant")
    english = plot_customer_history(curve, recency=20.0, p_alive=0.4)
    assert _title(english) == (
        "With 3 repeat purchases, the last one 32 weeks ago, the customer is still active "
        "with probability 40%"
    )


def test_population_purchases_in_french_and_english():
    curve = population_view(0.243, 4.414, 0.793, 2.426).curve
    ax = plot_population_purchases(curve, y_max=8000, texts=chart_texts("customer_base", "fr"))
    assert _title(ax).startswith("On attend de 1\u202f000 nouveaux clients ")
    assert "achats répétés en 104 semaines ; " in _title(ax) and _title(ax).endswith("si personne ne partait")
    assert ax.get_xlabel() == "semaines depuis le premier achat"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "attendu, avec les départs de clients",
        "si personne ne partait",
    ]
    english = plot_population_purchases(curve, y_max=8000)
    assert _title(english).startswith("1,000 new customers are expected to make ")
    assert "repeat purchases in 104 weeks; " in _title(english) and _title(english).endswith("if nobody left")
    assert english.get_xlabel() == "weeks since the first purchase"
    assert [t.get_text() for t in english.get_legend().get_texts()] == [
        "expected, with customers leaving",
        "if nobody ever left",
    ]
