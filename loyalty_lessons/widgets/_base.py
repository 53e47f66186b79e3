"""The explorer: controls that drive a pure, tested function, and a chart of its result.

An explorer holds no logic of its own: ``compute(**control_values)`` is a function of the
package, ``draw(result, ax)`` one of its plot functions, ``describe(result)`` says the
finding in a sentence. Moving a control calls :meth:`Explorer.update`, so tests can set
``explorer.controls["top_percent"].value = 10`` and read ``explorer.result`` with no
browser. Shown in a notebook, it is a live widget; rendered without a kernel (a code host,
nbconvert), it falls back to its last chart and sentence.

Most of the time of a redraw goes into rendering text (tick labels, titles), which a move
mostly leaves as it was. So an explorer may also be given ``refresh(result, chart)``: it
changes in place the artists that follow the result (bar heights, a title) and returns
them; only those are drawn again, over a copy of the rest of the chart kept from the last
full draw (matplotlib's "blitting"). An axis that rescales in place may be one of them; but
matplotlib lifts a title clear of the offset an axis writes over its ticks ("1e6") in a
full draw only, so while an axis among them shows one or has just stopped, the figure is
painted again in full (though not built again).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["Explorer"]


class _Drawn(NamedTuple):
    """A figure drawn in full: what ``draw`` returned, and a copy of the figure without the
    artists ``refresh`` moves (None without a refresh)."""

    figure: Figure
    chart: Any
    background: Any


class Explorer:
    """Controls, a computation, a chart and a sentence, kept in step.

    Parameters
    ----------
    controls : dict of str to ipywidgets value widgets
        Keyword name of ``compute`` -> the control giving it.
    compute : callable
        ``compute(**values) -> result``.
    draw : callable
        ``draw(result, ax) -> chart``: draws on a fresh Axes; what it returns (the Axes,
        or anything that holds the chart's artists) is handed to ``refresh``.
    describe : callable
        ``describe(result) -> str``: the finding, in one sentence.
    refresh : callable, optional
        ``refresh(result, chart) -> artists or None``: shows a new result on the chart
        ``draw`` made by changing its artists in place, and returns the artists that follow
        the result (the same ones every time, in the order to draw them); None when the
        chart must be drawn afresh (a bar appears, an axis it does not return would
        rescale). Everything it does not return must look the same whatever the result.
        Without it, every move draws the chart afresh.
    key : callable, optional
        ``key(**values) -> hashable``: the part of the controls that changes the chart as
        a whole (a period, a measure). One figure is kept for each key, so that going back
        to a key shown before costs a refresh, not a full draw. One figure for all when None.
    figsize : (float, float)
        Chart size in inches.
    dpi : int
        Resolution of the chart (a projected page wants more); may be changed before
        calling :meth:`update`.
    margins : dict, optional
        Position of the chart in the figure, as for ``Figure.subplots_adjust`` (``left``,
        ``right``, ``bottom``, ``top``, fractions of the figure). Fixed, so that the chart
        sits in the same place whatever it shows; matplotlib's defaults when None.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure of the chart shown.
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        compute: Callable[..., Any],
        draw: Callable[[Any, Any], Any],
        describe: Callable[[Any], str],
        *,
        refresh: Callable[[Any, Any], Sequence[Artist] | None] | None = None,
        key: Callable[..., Hashable] | None = None,
        figsize: tuple[float, float] = (7.5, 4.0),
        dpi: int = 90,
        margins: dict[str, float] | None = None,
    ):
        self.controls, self.dpi = controls, dpi
        self._compute, self._draw, self._describe = compute, draw, describe
        self._refresh, self._key = refresh, key
        self._figsize, self._margins = figsize, margins or {}
        self._drawn: dict[Hashable, _Drawn] = {}
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
        values = self.values()
        self.result = self._compute(**values)
        key = self._key(**values) if self._key is not None else None
        drawn = self._drawn.get(key)
        moving = None
        if drawn is not None and drawn.background is not None and drawn.figure.dpi == self.dpi:
            moving = self._refresh(self.result, drawn.chart)
        if moving is None:
            drawn, moving = self._draw_afresh(key)
        elif any(_offset_shown(artist) for artist in moving):
            drawn = self._paint(key, drawn.figure, drawn.chart, moving)
        else:
            drawn.figure.canvas.restore_region(drawn.background)
        self.figure = drawn.figure
        for artist in moving:
            self.figure.draw_artist(artist)
        self.message = self._describe(self.result)
        self.caption.value = f"<p style='font-size:1.1em'><b>{html.escape(self.message)}</b></p>"
        self.image.value = self._png()

    def redraw(self) -> None:
        """Draw the chart afresh from the controls' current values, forgetting the figures
        kept (after a change of matplotlib's style, say)."""
        self._drawn.clear()
        self.update()

    def _draw_afresh(self, key: Hashable) -> tuple[_Drawn, Sequence[Artist]]:
        """Draw the whole chart; keep a copy of it without the artists a move changes."""
        if key in self._drawn:
            figure = self._drawn[key].figure
            figure.clear()  # which also forgets the margins
        else:
            figure = Figure(figsize=self._figsize)
            FigureCanvasAgg(figure)
        figure.subplots_adjust(**self._margins)
        figure.set_dpi(self.dpi)
        chart = self._draw(self.result, figure.add_subplot())
        moving = self._refresh(self.result, chart) if self._refresh is not None else None
        return self._paint(key, figure, chart, moving), moving or []

    def _paint(self, key: Hashable, figure: Figure, chart: Any, moving: Sequence[Artist] | None) -> _Drawn:
        """Draw the whole figure; keep a copy of it without the artists a move changes."""
        for artist in moving or []:
            artist.set_animated(True)
        figure.canvas.draw()
        for artist in moving or []:
            artist.set_animated(False)
        # Without moving artists to leave out, the copy would hold what a move changes.
        background = None if moving is None else figure.canvas.copy_from_bbox(figure.bbox)
        self._drawn[key] = _Drawn(figure, chart, background)
        return self._drawn[key]

    def _png(self) -> bytes:
        """The chart as PNG: RGB (the figure is opaque), quickly compressed."""
        canvas = self.figure.canvas
        width, height = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/plain"] = self.message
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def _offset_shown(artist: Artist) -> bool:
    """Whether ``artist`` is an axis that writes an offset over its ticks ("1e6") at its
    present limits, or did when drawn last."""
    if not isinstance(artist, Axis):
        return False
    formatter = artist.get_major_formatter()
    formatter.set_locs(artist.get_majorticklocs())
    return bool(formatter.get_offset() or artist.offsetText.get_text())
