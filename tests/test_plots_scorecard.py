import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.scorecard import plot_scorecard  # noqa: E402
from loyalty_lessons.scorecard import fill_scorecard, score_summary  # noqa: E402

RATINGS = {"reliable_and_flexible": 5, "welcome_complaints": 1, "hire_right_people": 3}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_one_bar_per_practice_in_order_with_the_finding_in_the_title():
    card = fill_scorecard(RATINGS)
    ax = plot_scorecard(card)
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 17
    assert widths[0] == 3.0 and widths[6] == 1.0 and widths[12] == 5.0
    assert widths[1] == 0.0
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Hire the right people" and labels[-1] == "Customer retention"
    assert ax.get_title() == (
        "Strongest: keep promises, stay flexible (5); weakest: welcome complaints (1)\n"
        "3 of 17 practices rated"
    )
    assert ax.get_xlabel() == "score (1 = poor, 5 = excellent)"
    assert "not rated" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Seven steps to build loyalty",
        "Seven tips to earn loyalty",
        "Three components of customer care",
    ]


def test_bars_are_coloured_by_group():
    ax = plot_scorecard(fill_scorecard(RATINGS))
    colours = [tuple(p.get_facecolor()) for p in ax.patches]
    assert len(set(colours[:7])) == 1 and len(set(colours)) == 3


def test_a_summary_draws_one_bar_per_group():
    summary = score_summary(RATINGS)
    ax = plot_scorecard(summary)
    assert [p.get_width() for p in ax.patches] == pytest.approx([2.0, 5.0, 0.0])
    assert ax.get_title().startswith(
        "Strongest: seven tips to earn loyalty (5); weakest: seven steps to build loyalty (2)"
    )


@pytest.mark.parametrize(
    "ratings, title",
    [
        ({}, "No practice rated yet: rate each from 1 to 5"),
        (
            {"stable_terms": 4, "customer_service": 4},
            "Every rated practice scores 4\n2 of 17 practices rated",
        ),
    ],
    ids=["nothing-rated", "all-equal"],
)
def test_titles_without_a_contrast(ratings, title):
    assert plot_scorecard(fill_scorecard(ratings)).get_title() == title


def test_a_dict_is_accepted_and_a_given_ax_is_used():
    fig, ax = plt.subplots()
    assert plot_scorecard(RATINGS, ax=ax) is ax
    assert len(fig.axes) == 1 and len(ax.patches) == 17
    assert np.isclose(ax.get_xlim()[1], 5.5)


def test_a_frame_of_other_columns_is_refused():
    with pytest.raises(LoyaltyDataError, match="score_summary"):
        plot_scorecard(fill_scorecard(RATINGS).drop(columns="score"))


def test_scorecard_redrawn_in_place_looks_like_a_fresh_chart(pixels):
    before = fill_scorecard({"welcome_complaints": 2, "stable_terms": 4})
    after = fill_scorecard({"welcome_complaints": 5, "hire_right_people": 1})

    def updated(ax):
        plot_scorecard(before, ax)
        assert ax.title in changed_artists(plot_scorecard(after, ax=ax))

    def fresh(ax):
        plot_scorecard(after, ax)

    assert np.array_equal(pixels(updated), pixels(fresh))


def test_scorecard_of_other_bars_is_drawn_afresh():
    card = fill_scorecard({"welcome_complaints": 2})
    ax = plot_scorecard(card)
    assert changed_artists(plot_scorecard(score_summary(card), ax=ax)) is None


# --- in the lesson's language -------------------------------------------------------------

from loyalty_lessons.plots.texts import chart_texts  # noqa: E402


def test_the_scorecard_in_french_names_practices_and_groups_in_french():
    ax = plot_scorecard(fill_scorecard(RATINGS), texts=chart_texts("scorecard", "fr"))
    assert ax.get_title() == (
        "Point le plus fort : tenir parole, rester souple (5) ; le plus faible : bien accueillir "
        "les réclamations (1)\nPratiques notées : 3 sur 17"
    )
    assert ax.get_xlabel() == "note (1 = faible, 5 = excellent)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Recruter les bonnes personnes" and labels[-1] == "Fidélisation des clients"
    assert "non noté" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Sept étapes pour bâtir la fidélité",
        "Sept conseils pour gagner la fidélité",
        "Les trois piliers de la relation client",
    ]


def test_a_summary_in_russian_and_the_english_default():
    summary = score_summary(fill_scorecard({"stable_terms": 4, "customer_service": 4}))
    russian = plot_scorecard(summary, texts=chart_texts("scorecard", "ru"))
    assert russian.get_title() == "Все оценённые группы получили 4\nОценено групп: 2 из 3"
    english = plot_scorecard(fill_scorecard(RATINGS), texts=chart_texts("scorecard", "en"))
    assert english.get_title() == plot_scorecard(fill_scorecard(RATINGS)).get_title()
    assert english.get_title().startswith("Strongest: keep promises, stay flexible (5)")
    empty = plot_scorecard(fill_scorecard({}), texts=chart_texts("scorecard", "it"))
    assert empty.get_title() == "Ancora nessuna pratica valutata: date a ciascuna un voto da 1 a 5"
