import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from loyalty_lessons import load_inputs
from loyalty_lessons.widgets import (
    Explorer,
    gap_explorer,
    lifetime_explorer,
    monitoring_explorer,
    pareto_explorer,
    scorecard_explorer,
    type_explorer,
    value_explorer,
)


def _explorer():
    slider = widgets.IntSlider(value=2, min=1, max=10, description="n")
    return Explorer(
        {"n": slider},
        compute=lambda n: list(range(n)),
        draw=lambda result, ax: ax.bar(range(len(result)), result),
        describe=lambda result: f"{len(result)} bars, the tallest {max(result)}.",
    )


def test_moving_a_control_recomputes_redraws_and_restates():
    explorer = _explorer()
    assert explorer.result == [0, 1] and explorer.message == "2 bars, the tallest 1."
    first_png = explorer.image.value
    explorer.controls["n"].value = 5
    assert explorer.result == [0, 1, 2, 3, 4]
    assert explorer.message == "5 bars, the tallest 4."
    assert "5 bars" in explorer.caption.value
    assert explorer.image.value != first_png
    assert len(explorer.figure.axes) == 1 and len(explorer.figure.axes[0].patches) == 5


def test_static_fallback_for_rendering_without_a_kernel():
    bundle = _explorer()._repr_mimebundle_()
    assert bundle["text/plain"] == "2 bars, the tallest 1."
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_twin_axes_stays_over_its_chart_after_a_move():
    slider = widgets.IntSlider(value=2, min=1, max=10)

    def draw(result, ax):
        ax.bar(range(len(result)), result)
        ax.twinx().plot(range(len(result)), result)

    explorer = Explorer({"n": slider}, compute=lambda n: list(range(n)), draw=draw, describe=str)
    slider.value = 6
    main, twin = explorer.figure.axes
    assert twin.get_position().bounds == main.get_position().bounds


# --------------------------------------------------------------------------- the lessons' explorers


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


#: For each explorer: how to build it, and moves that redraw some of the chart (a slider
#: within the axes), all of it (another period, measure or number of years, bars out of
#: the axes) or go back to a chart kept from before.
EXPLORER_MOVES = {
    "types": (
        lambda i: type_explorer(i.summary, i.transactions),
        [("loyal_min_orders", 2), ("lapsed_after_days", 90), ("loyal_max_days_since_last", 30)],
    ),
    "lifetime": (
        lambda i: lifetime_explorer(),
        [
            ("retention_percent", 60),
            ("years", 12),
            ("margin_percent", 50),
            ("retention_percent", 92),
            ("monthly_spend", 10.0),  # the margin's axis rescales
        ],
    ),
    "value": (
        lambda i: value_explorer(),
        [
            ("monthly_spend_loyal", 120.0),
            ("years", 8),
            ("monthly_spend_satisfied", 20.0),
            ("conversion_percent", 50),
            ("people_told_per_month", 20),  # "1e6" over the pale bars' axis lifts the title
            ("conversion_percent", 5),  # no longer
            ("conversion_percent", 60),  # again
        ],
    ),
    "monitoring": (
        lambda i: monitoring_explorer(i.transactions),
        [("window", 6), ("period", "W"), ("window", 2), ("period", "M"), ("window", 1)],
    ),
    "pareto": (
        lambda i: pareto_explorer(i.summary),
        [
            ("top_percent", 35),
            ("measure", "orders"),
            ("top_percent", 7),
            ("measure", "revenue"),
            ("top_percent", 50),
        ],
    ),
    "gap": (
        lambda i: gap_explorer(i.survey),
        [
            ("perception_change", 0.4),
            ("dimension", "empathy"),
            ("expectation_change", -0.3),
            ("perception_change", 2.0),
            ("expectation_change", -2.0),
        ],
    ),
    "scorecard": (
        lambda i: scorecard_explorer({"welcome_complaints": 2}),
        [("stable_terms", 4), ("welcome_complaints", 0), ("hire_right_people", 5)],
    ),
}


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("name", list(EXPLORER_MOVES))
def test_after_moves_the_chart_is_the_one_drawn_afresh(inputs, name):
    """Moves that redraw only part of a chart, or go back to a kept one, end on the chart a
    new explorer draws in full with the same values."""
    build, moves = EXPLORER_MOVES[name]
    moved = build(inputs)
    for control, value in moves:
        moved.controls[control].value = value
    fresh = build(inputs)
    for control, value in moved.values().items():
        fresh.controls[control].value = value
    fresh.redraw()
    assert fresh.message == moved.message
    differ = (_pixels(moved.image.value) != _pixels(fresh.image.value)).any(axis=-1)
    assert differ.sum() == 0, f"{differ.sum()} pixels differ"


@pytest.mark.parametrize("name", list(EXPLORER_MOVES))
def test_the_chart_shown_is_its_figure_as_matplotlib_draws_it(inputs, name):
    """Redrawing a few artists over a copy of the rest misses nothing and keeps them in
    their order (a bar under a spine, a guide line under the curve)."""
    build, moves = EXPLORER_MOVES[name]
    explorer = build(inputs)
    for control, value in moves:
        explorer.controls[control].value = value
    shown = _pixels(explorer.image.value)
    explorer.figure.canvas.draw()
    differ = (shown != np.asarray(explorer.figure.canvas.buffer_rgba())[..., :3]).any(axis=-1)
    assert differ.sum() == 0, f"{differ.sum()} pixels differ"
