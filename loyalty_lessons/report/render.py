"""From figures to the page: charts as inline images, the templates, and the HTML export.

The markup of the report lives in Jinja2 templates, ``loyalty_lessons/report/templates/``,
with its stylesheet ``report.css``: package files, as nbconvert's own exporters are built.
The environment escapes every value (autoescape on), so that a client's value (a customer
id, a category, a file name, the client's name) never reaches the page as markup; the
catalogue's texts come as :class:`markupsafe.Markup` and are put in as they are.
"""

from __future__ import annotations

import base64
import io
import textwrap
import warnings
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from loyalty_lessons import resources
from loyalty_lessons.report.text import DEFAULT_LANGUAGE, Messages

__all__ = [
    "REPORT_STYLE",
    "chart",
    "environment",
    "html_exporter",
    "localise_ticks",
    "notebook_path",
    "notebook_to_html",
    "render",
    "twin_without_grid",
]

#: One look for every chart: a blue-grey palette, readable sizes, light grid.
REPORT_STYLE: dict[str, object] = {
    "font.size": 10,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 9.5,
    "axes.edgecolor": "#5d6b7a",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": True,
    "grid.color": "#d5dde5",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
_DPI = 100
_TITLE_CHARS_PER_INCH = 11.5
_LABEL_CHARS_PER_INCH = 13


def notebook_path() -> Path:
    """The report notebook: ``client-report.ipynb`` of :func:`loyalty_lessons.resources.notebooks_folder`.

    Raises
    ------
    LoyaltyDataError
        If it is not there.
    """
    return resources.notebook_path(resources.REPORT_NOTEBOOK)


# --------------------------------------------------------------------------- templates


@cache
def environment() -> Environment:
    """The templates' environment: autoescape on, strict about undefined names."""
    return Environment(
        loader=PackageLoader("loyalty_lessons.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **context) -> Markup:
    """The template ``<template>.html.j2`` filled with ``context``, as HTML.

    Examples
    --------
    >>> str(render("actions", key="actions", m=Messages("en"), actions=["<b>"])).count("&lt;b&gt;")
    1
    """
    return Markup(environment().get_template(f"{template}.html.j2").render(**context))


# --------------------------------------------------------------------------- charts


def _titles(ax) -> list[tuple[str, str]]:
    return [(loc, ax.get_title(loc=loc)) for loc in ("left", "center", "right") if ax.get_title(loc=loc)]


def _wrap_titles(fig) -> list[str]:
    """Wrap long titles and y labels to the size of their Axes; return the titles, unwrapped."""
    width_in, height_in = fig.get_size_inches()
    found = []
    for ax in fig.axes:
        box = ax.get_position()
        for loc, title in _titles(ax):
            found.append(title.replace("\n", " "))
            per_axes = max(30, int(width_in * box.width * _TITLE_CHARS_PER_INCH))
            ax.set_title("\n".join(textwrap.wrap(title.replace("\n", " "), per_axes)), loc=loc)
        label = ax.get_ylabel()
        per_label = max(20, int(height_in * box.height * _LABEL_CHARS_PER_INCH))
        if len(label) > per_label:
            ax.set_ylabel("\n".join(textwrap.wrap(label, per_label)))
    return found


def twin_without_grid(fig) -> None:
    """A twin y axis draws its own grid, which does not line up with the first one's."""
    for ax in fig.axes[1:]:
        ax.grid(False)
        ax.spines["right"].set_visible(True)


def localise_ticks(fig, language: str) -> None:
    """Write the numbers of every plain numeric axis of ``fig`` for ``language`` (1,5 not 1.5);
    axes with their own labels (categories, dates, percentages) are left as they are."""
    if language == DEFAULT_LANGUAGE:
        return
    from matplotlib.ticker import ScalarFormatter

    from loyalty_lessons.plots.texts import chart_texts

    texts = chart_texts("numbers", language)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(texts.tick_formatter())


def chart(m: Messages, draw, size: tuple[float, float] = (8.0, 4.2)) -> dict[str, str]:
    """Draw a chart with ``draw(fig)`` in the report's style.

    Returns
    -------
    dict
        ``src``, the PNG as a ``data:`` URL, and ``alt``, its text (from the first title), for
        the templates' ``chart`` macro.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(REPORT_STYLE), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = Figure(figsize=size, layout="constrained")
        draw(fig)
        localise_ticks(fig, m.language)
        titles = _wrap_titles(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=_DPI)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"src": f"data:image/png;base64,{png}", "alt": m.text("charts.alt", title=" · ".join(titles[:1]))}


# --------------------------------------------------------------------------- export


@cache
def html_exporter():
    """The nbconvert exporter of :func:`notebook_to_html`, made once per process and ready to use.

    Importing nbconvert and compiling its templates take about 0.4 s; the report command calls
    this in a thread while the notebook runs, so that the export itself is quick.
    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # compiles the templates
    return exporter


def notebook_to_html(notebook, *, title: str, language: str = "en") -> str:
    """The executed report notebook as one self-contained HTML page.

    Only the cells' HTML and image outputs are kept: no code, no prompts, no parameters,
    no stream output (warnings); cells tagged ``remove`` are dropped. The page has its
    own inline stylesheet (``report.css``, with a print stylesheet) and loads nothing from
    the network.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        The page title (escaped).
    language : str
        The page's ``lang`` attribute.

    Returns
    -------
    str
    """
    import nbformat

    nb = nbformat.reads(nbformat.writes(notebook), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove" in cell.get("metadata", {}).get("tags", []):
            continue
        cell.outputs = [
            o
            for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result")
            and ({"text/html", "image/png"} & set(o.get("data", {})))
        ]
        if cell.outputs:
            cells.append(cell)
    nb.cells = cells
    body, _ = html_exporter().from_notebook_node(nb)
    css = (files("loyalty_lessons.report") / "templates" / "report.css").read_text(encoding="utf-8")
    # The body is nbconvert's HTML of the cells' outputs, which the sections escaped already.
    return str(render("page", language=language, title=title, css=Markup(css), body=Markup(body))) + "\n"
