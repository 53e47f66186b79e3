"""Tests of the customer-type charts (Agg backend)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.errors import LoyaltyDataError  # noqa: E402
from loyalty_lessons.plots import changed_artists  # noqa: E402
from loyalty_lessons.plots.customer_types import (  # noqa: E402
    plot_rfm_segments,
    plot_type_profile,
)
from loyalty_lessons.rfm import rfm_segments  # noqa: E402

TYPES = ["dissatisfied", "satisfied", "loyal"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def profile(customers, revenue) -> pd.DataFrame:
    n, r = sum(customers), sum(revenue)
    return pd.DataFrame(
        {
            "type": pd.Categorical(TYPES, categories=TYPES, ordered=True),
            "customers": customers,
            "share_of_customers": [c / n for c in customers],
            "revenue": revenue,
            "revenue_share": [x / r for x in revenue],
        }
    )


def test_type_profile_bars_and_title():
    table = profile([30, 52, 18], [1000.0, 3800.0, 5200.0])
    fig, ax = plt.subplots()
    assert plot_type_profile(table, ax=ax) is ax
    heights = [b.get_height() for b in ax.patches]
    # customers' shares first, then revenue shares, in percent
    assert heights == pytest.approx([30, 52, 18, 10, 38, 52])
    assert ax.get_title() == "Loyal customers are 18% of customers and bring 52% of revenue"
    assert [t.get_text() for t in ax.get_xticklabels()] == TYPES
    assert ax.get_ylabel() == "% of total"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["% of customers", "% of revenue"]


def test_type_profile_without_loyal_customers():
    table = profile([40, 60, 0], [1000.0, 3000.0, 0.0])
    ax = plot_type_profile(table)
    assert _whole(ax) == (
        "No customer is loyal yet; satisfied customers are 60% of customers and bring 75% of revenue"
    )


def test_type_profile_read_from_purchases_is_named_for_the_behaviour():
    table = profile([30, 52, 18], [1000.0, 3800.0, 5200.0])
    table.attrs["basis_counts"] = {"behaviour": 100}  # as type_profile keeps it from classify_customers
    ax = plot_type_profile(table)
    assert _whole(ax) == "Regular customers are 18% of customers and bring 52% of revenue"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["lapsed", "occasional", "regular"]
    table.attrs["basis_counts"] = {"attitude": 100}
    assert plot_type_profile(table).get_title().startswith("Loyal customers are 18%")
    no_loyal = profile([40, 60, 0], [1000.0, 3000.0, 0.0])
    no_loyal.attrs["basis_counts"] = {"behaviour": 100}
    assert _whole(plot_type_profile(no_loyal)) == (
        "No customer is regular yet; occasional customers are 60% of customers and bring 75% of revenue"
    )


def _whole(ax) -> str:
    """The title as one line, and a check that it stays within the figure."""
    ax.figure.canvas.draw()
    title = ax.title.get_window_extent()
    assert title.x0 >= 0 and title.x1 <= ax.figure.bbox.width, ax.get_title()
    return ax.get_title().replace("\n", " ")


@pytest.mark.parametrize("width_in", [2.5, 4.0, 7.5], ids=["tiny", "small", "explorer"])
def test_a_long_title_is_never_clipped(width_in):
    no_loyal = profile([40, 60, 0], [1000.0, 3000.0, 0.0])
    no_loyal.attrs["basis_counts"] = {"behaviour": 100}
    fig, ax = plt.subplots(figsize=(width_in, 3))
    assert _whole(plot_type_profile(no_loyal, ax)).startswith("No customer is regular yet;")
    plt.close(fig)


def test_type_profile_rejects_wrong_table():
    with pytest.raises(LoyaltyDataError, match="type_profile"):
        plot_type_profile(pd.DataFrame({"type": TYPES}))


def segments_table() -> pd.DataFrame:
    scores = pd.DataFrame(
        {
            "customer_id": list("abcdefgh"),
            "revenue": [500.0, 300.0, 100.0, 50.0, 20.0, 20.0, 10.0, 0.0],
            "r_score": [5, 5, 4, 3, 1, 1, 2, 5],
            "f_score": [5, 4, 3, 2, 4, 1, 1, 1],
            "m_score": [5, 5, 3, 1, 4, 1, 1, 1],
        }
    )
    # champions a, b; loyal c; promising d; at risk e; hibernating f, g; new h
    return rfm_segments(scores)


def test_rfm_segments_bars_and_champions_title():
    fig, ax = plt.subplots()
    assert plot_rfm_segments(segments_table(), ax=ax) is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["champions", "loyal", "new", "promising", "at risk", "hibernating"]
    assert [b.get_width() for b in ax.patches] == [2, 1, 1, 1, 1, 2]
    # champions: 2 of 8 customers, 800 of 1000 revenue
    assert ax.get_title() == "Champions are 25% of customers and bring 80% of revenue"
    assert ax.get_xlabel() == "Customers"


def test_rfm_segments_title_without_revenue_names_largest():
    table = segments_table().drop(columns="revenue")
    table = table[table["segment"] != "champions"]
    ax = plot_rfm_segments(table)
    assert ax.get_title() == "The largest segment is hibernating: 33% of customers"


def test_rfm_segments_keeps_non_empty_other():
    scores = pd.DataFrame({"r_score": [5, 1, 1], "f_score": [5, 1, 1], "m_score": [5, 1, 1]})
    table = rfm_segments(scores, segment_config={"best": {"r": (5, 5)}})
    ax = plot_rfm_segments(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["best", "other"]
    assert ax.get_title() == "The largest segment is other: 67% of customers"


@pytest.mark.parametrize(
    "before, after",
    [
        (([30, 52, 18], [1000.0, 3800.0, 5200.0]), ([10, 20, 70], [100.0, 900.0, 9000.0])),
        (([30, 52, 18], [1000.0, 3800.0, 5200.0]), ([50, 50, 0], [-200.0, 1200.0, 0.0])),
    ],
    ids=["more-loyal", "no-loyal-and-refunds"],
)
def test_type_profile_redrawn_in_place_looks_like_a_fresh_chart(before, after, pixels):
    def updated(ax):
        plot_type_profile(profile(*before), ax=ax)
        ax.set_ylim(-30, 110)
        artists = changed_artists(plot_type_profile(profile(*after), ax=ax))
        assert ax.title in artists and ax.get_legend() in artists and len(ax.texts) == 6

    def fresh(ax):
        plot_type_profile(profile(*after), ax=ax)
        ax.set_ylim(-30, 110)

    assert np.array_equal(pixels(updated), pixels(fresh))


def test_type_profile_of_other_types_is_drawn_afresh():
    _, ax = plt.subplots()
    plot_type_profile(profile([30, 52, 18], [1000.0, 3800.0, 5200.0]), ax=ax)
    assert changed_artists(plot_type_profile(profile([30, 52, 18], [1.0, 1.0, 1.0]).iloc[:2], ax=ax)) is None


def test_a_type_profile_is_drawn_afresh_on_a_fresh_or_cleared_axes():
    _, ax = plt.subplots()
    table = profile([30, 52, 18], [1000.0, 3800.0, 5200.0])
    plot_type_profile(table, ax=ax)
    assert changed_artists(ax) is None
    ax.cla()
    plot_type_profile(table, ax=ax)
    assert changed_artists(ax) is None and len(ax.containers) == 2 and len(ax.texts) == 6
    plot_type_profile(table, ax=ax)
    assert changed_artists(ax) is not None and len(ax.containers) == 2 and len(ax.texts) == 6
    plt.close(ax.figure)


def test_rfm_segments_labels_stay_inside_the_frame():
    # The longest bar's label ("1200 (60%)") once crossed the right edge of the chart.
    table = pd.DataFrame({"segment": ["champions"] * 1200 + ["loyal"] * 500 + ["new"] * 300})
    ax = plot_rfm_segments(table)
    ax.figure.canvas.draw()
    frame = ax.get_window_extent()
    labels = [text for text in ax.texts if text.get_text()]
    assert labels and all(text.get_window_extent().x1 <= frame.x1 for text in labels)
    plt.close(ax.figure)


def test_rfm_segments_in_french():
    from loyalty_lessons.plots.texts import chart_texts

    ax = plot_rfm_segments(segments_table(), texts=chart_texts("rfm_segments", "fr"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["champions", "fidèles", "nouveaux", "prometteurs", "à risque", "en sommeil"]
    assert (
        ax.get_title()
        == "Les champions représentent 25\xa0% des clients et apportent 80\xa0% du chiffre d’affaires"
    )
    assert ax.get_xlabel() == "Clients"
    assert [t.get_text() for t in ax.texts][0] == "2 (25\xa0%)"
    table = segments_table().drop(columns="revenue")
    table = table[table["segment"] != "champions"]
    title = plot_rfm_segments(table, texts=chart_texts("rfm_segments", "fr")).get_title()
    assert title == "Le segment le plus nombreux est « en sommeil » : 33\xa0% des clients"
    plt.close("all")


def test_type_profile_in_french_names_the_types_in_french():
    from loyalty_lessons.plots.texts import chart_texts

    table = profile([30, 52, 18], [1000.0, 3800.0, 5200.0])
    table.attrs["basis_counts"] = {"behaviour": 100}
    ax = plot_type_profile(table, texts=chart_texts("customer_types", "fr"))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["décroché", "occasionnel", "régulier"]
    assert "probablement" not in _whole(ax) and "régulier" in _whole(ax)
    plt.close("all")
