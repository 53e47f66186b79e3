import base64

import ipywidgets as widgets

from loyalty_lessons.widgets import Explorer


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
