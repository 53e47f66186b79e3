"""The explorer: controls that drive a pure, tested function, and a chart of its result.

An explorer holds no logic of its own: ``compute(**control_values)`` is a function of the
package, ``draw(result, ax)`` one of its plot functions, ``describe(result)`` says the
finding in a sentence. Moving a control calls :meth:`Explorer.update`, so tests can set
``explorer.controls["top_percent"].value = 10`` and read ``explorer.result`` with no
browser. Shown in a notebook, it is a live widget; rendered without a kernel (a code host,
nbconvert), it falls back to its last chart and sentence.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Explorer"]


class Explorer:
    """Controls, a computation, a chart and a sentence, kept in step.

    Parameters
    ----------
    controls : dict of str to ipywidgets value widgets
        Keyword name of ``compute`` -> the control giving it.
    compute : callable
        ``compute(**values) -> result``.
    draw : callable
        ``draw(result, ax)``: draws on a fresh Axes.
    describe : callable
        ``describe(result) -> str``: the finding, in one sentence.
    figsize : (float, float)
        Chart size in inches.
    dpi : int
        Resolution of the chart (a projected page wants more).
    """

    def __init__(self, controls: dict[str, widgets.ValueWidget], compute: Callable[..., Any],
                 draw: Callable[[Any, Any], Any], describe: Callable[[Any], str],
                 *, figsize: tuple[float, float] = (7.5, 4.0), dpi: int = 90):
        self.controls, self.dpi = controls, dpi
        self._compute, self._draw, self._describe = compute, draw, describe
        self.figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.caption = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.widget = widgets.VBox([widgets.VBox(list(controls.values())), self.caption, self.image])
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute, redraw, and restate the finding from the controls' current values."""
        self.result = self._compute(**self.values())
        # Reuse the main Axes (and so the layout found on the first draw); drop any twin
        # Axes a chart added, since the chart adds them again.
        axes = self.figure.axes
        for extra in axes[1:]:
            extra.remove()
        if axes:
            axes[0].clear()
        self._draw(self.result, axes[0] if axes else self.figure.add_subplot())
        self.message = self._describe(self.result)
        self.caption.value = f"<p style='font-size:1.1em'><b>{html.escape(self.message)}</b></p>"
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi, pil_kwargs={"compress_level": 1})
        # Laying out again on every move costs a second draw: keep the first layout, unless
        # the chart adds Axes of its own (a twin), which only a live layout places right.
        if len(self.figure.axes) == 1:
            self.figure.set_layout_engine("none")
        self.image.value = buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/plain"] = self.message
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
