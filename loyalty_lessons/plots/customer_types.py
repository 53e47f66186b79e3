"""Charts of customer types: who the customers are and what each group brings in.

Each function takes a table from :mod:`loyalty_lessons.customer_types` and ``ax=None``,
draws only on that Axes (a new figure when ``ax`` is None) and returns it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.customer_types.classify import type_labels
from loyalty_lessons.plots._common import chart_on, keep_chart, local_ticks, require_result
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

__all__ = ["plot_rfm_segments", "plot_type_profile"]

CUSTOMERS_COLOUR = "#95a5a6"
REVENUE_COLOUR = "#1f618d"


def _tick(label: str) -> str:
    """A type's name on the axis, on two or more short lines."""
    head, _, tail = label.partition(" — ")
    return f"{head}\n{tail}" if tail else textwrap.fill(label, 20)


def _group(label: str, t: ChartTexts) -> str:
    """ "regular" -> "regular customers"; "head — tail" -> "head customers (tail)"."""
    head, _, tail = label.partition(" — ")
    return t("group", head=head, tail=tail) if tail else t("group_plain", head=head)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _profile_title(profile: pd.DataFrame, labels: dict[str, str], t: ChartTexts) -> str:
    rows = profile.set_index(profile["type"].astype("str"))
    if "loyal" in rows.index and rows.loc["loyal", "customers"] > 0:
        r = rows.loc["loyal"]
        return t(
            "title",
            group=_first_upper(_group(labels.get("loyal", "loyal"), t)),
            customers=t.percent(r["share_of_customers"]),
            revenue=t.percent(r["revenue_share"]),
        )
    top = rows[rows["customers"] > 0].sort_values("revenue_share", ascending=False)
    r = top.iloc[0]
    loyal = labels.get("loyal", "loyal").partition(" — ")
    return t(
        "title_no_loyal",
        none=t("none", head=loyal[0], tail=loyal[2]) if loyal[2] else loyal[0],
        group=_group(labels.get(top.index[0], top.index[0]), t),
        customers=t.percent(r["share_of_customers"]),
        revenue=t.percent(r["revenue_share"]),
    )


def _fit_title(ax: Axes, text: str) -> None:
    """Set the title whole within the figure: on two lines when one is too wide, smaller
    only when two lines are still too wide (a long name of a type, a small chart)."""
    title = ax.set_title(text)
    get_renderer = getattr(ax.figure.canvas, "get_renderer", None)
    if get_renderer is None:
        return
    renderer = get_renderer()
    figure_px = ax.figure.get_figwidth() * ax.figure.dpi
    position = ax.get_position()
    centre = (position.x0 + position.x1) / 2
    available = 2 * min(centre, 1 - centre) * figure_px * 0.98
    if title.get_window_extent(renderer).width <= available:
        return
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    if splits:
        first, second = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
        title.set_text(f"{first}\n{second}")
    for _ in range(4):  # text does not shrink exactly in proportion to its size
        width = title.get_window_extent(renderer).width
        if width <= available:
            break
        title.set_fontsize(title.get_fontsize() * available / width * 0.98)


def plot_type_profile(
    type_profile: pd.DataFrame,
    ax: Axes | None = None,
    *,
    labels: dict[str, str] | None = None,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Share of customers next to share of revenue, for each customer type.

    The types are named by ``labels``; by default, when the profile says what its types
    were read from (``type_profile`` of ``classify_customers`` keeps it), by
    :func:`~loyalty_lessons.customer_types.type_labels`: a type read from purchases alone is
    named for the behaviour ("regular"), an attitude only when a survey
    answer typed every customer.

    When ``ax`` already shows this chart for the same types, the bars, their labels and
    the title change in place and the axis limits stay (an explorer fixes them):
    :func:`~loyalty_lessons.plots.changed_artists` lists what changed.

    Parameters
    ----------
    type_profile : pandas.DataFrame
        The output of :func:`loyalty_lessons.customer_types.type_profile` (columns
        ``type``, ``customers``, ``share_of_customers``, ``revenue_share``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    labels : dict, optional
        Type code to name, e.g. ``TYPE_LABELS["behaviour"]`` of :mod:`~loyalty_lessons.customer_types`.
    texts : ChartTexts or mapping, optional
        The chart's words (catalogue section ``charts.customer_types``,
        :func:`~loyalty_lessons.plots.texts.chart_texts`); English by default.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per type, in percent (customers first, revenue second); the title says
        what share of customers the loyal ones are and what share of revenue they bring.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or the table is empty.
    """
    require_result(
        type_profile,
        ["type", "customers", "share_of_customers", "revenue_share"],
        "type_profile(types, summary)",
    )
    t = chart_texts("customer_types", texts=texts)
    types = tuple(type_profile["type"].astype("str"))
    if labels is None:
        labels = type_labels(type_profile, t.language) if "basis_counts" in type_profile.attrs else {}
    heights = (
        type_profile["share_of_customers"].to_numpy(dtype=float) * 100,
        type_profile["revenue_share"].to_numpy(dtype=float) * 100,
    )
    chart = chart_on(ax, "type_profile", (types, t.identity))
    fresh = chart is None
    if fresh:
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        x = np.arange(len(types))
        width = 0.38
        bars = (
            ax.bar(x - width / 2, heights[0], width, color=CUSTOMERS_COLOUR, label=t("customers_bars")),
            ax.bar(x + width / 2, heights[1], width, color=REVENUE_COLOUR, label=t("revenue_bars")),
        )
        ax.set_xticks(x, [_tick(labels.get(t, t)) for t in types])
        ax.set_ylabel(t("ylabel"))
        ax.set_xlabel(t("xlabel"))
        ax.margins(y=0.1)  # room above the tallest bar for its label
        ax.legend(fontsize=8)
        chart = {"anchor": bars[0][0], "bars": bars, "labels": []}
    for container, values in zip(chart["bars"], heights):
        for bar, height in zip(container, values):
            bar.set_height(height)
        container.datavalues = values
    for label in chart["labels"]:
        label.remove()
    chart["labels"] = [
        label
        for bars in chart["bars"]
        for label in ax.bar_label(
            bars, labels=[t.percent(v / 100) for v in bars.datavalues], padding=2, fontsize=8
        )
    ]
    _fit_title(ax, _profile_title(type_profile, labels, t))
    changed = [
        *chart["bars"][0],
        *chart["bars"][1],
        *ax.spines.values(),
        *chart["labels"],
        ax.get_legend(),
        ax.title,
    ]
    keep_chart(ax, "type_profile", (types, t.identity), chart, None if fresh else changed)
    return ax


def plot_rfm_segments(
    segments: pd.DataFrame,
    ax: Axes | None = None,
    *,
    texts: ChartTexts | Mapping[str, str] | None = None,
) -> Axes:
    """Number of customers in each RFM segment.

    Parameters
    ----------
    segments : pandas.DataFrame
        The output of :func:`loyalty_lessons.rfm.rfm_segments` (a ``segment``
        column; ``revenue`` is used for the title when present).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    texts : ChartTexts or mapping, optional
        The chart's words and number formats, ``chart_texts("rfm_segments", language)``;
        a segment the catalogue does not name (one of a ``segment_config``) keeps its name.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per segment (in the segment order, an empty "other" left out),
        labelled with the count and share of customers. The title gives the champions'
        shares of customers and revenue when both exist, else the largest segment.

    Raises
    ------
    LoyaltyDataError
        If the column is missing or the table is empty.
    """
    require_result(segments, ["segment"], "rfm_segments(rfm_scores(summary))")
    segment = segments["segment"]
    if isinstance(segment.dtype, pd.CategoricalDtype):
        counts = segment.value_counts(sort=False)
    else:
        counts = segment.astype("str").value_counts(sort=False)
    if counts.get("other", 0) == 0:
        counts = counts.drop("other", errors="ignore")
    total = int(counts.sum())
    t = chart_texts("rfm_segments", texts=texts)
    english = t.language == DEFAULT_LANGUAGE
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    y = np.arange(len(counts))
    bars = ax.barh(y, counts.to_numpy(dtype=float), color=REVENUE_COLOUR)
    labels = [t("bar", count=str(n) if english else t.number(n), share=t.percent(n / total)) for n in counts]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    # Room right of the longest bar for its label, which would otherwise cross the frame.
    ax.set_xlim(0, 1.22 * max(float(counts.max()), 1.0))
    ax.set_yticks(y, [t.name("segments", str(s)) for s in counts.index])
    ax.invert_yaxis()
    ax.set_xlabel(t("xlabel"))
    local_ticks(ax, t)
    if counts.get("champions", 0) > 0 and "revenue" in segments.columns:
        revenue = pd.to_numeric(segments["revenue"])
        share = revenue[segment.astype("str") == "champions"].sum() / revenue.sum()
        title = t(
            "title_champions", customers=t.percent(counts["champions"] / total), revenue=t.percent(share)
        )
    else:
        largest = counts.idxmax()
        segment = t.name("segments", str(largest))
        title = t("title_largest", segment=segment, share=t.percent(counts[largest] / total))
    ax.set_title(title)
    return ax
