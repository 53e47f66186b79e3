"""The workshop's notebooks, the links between its pages, and who a page is built for.

Every page of ``notebooks/workshop/`` shows the same line of links (:func:`nav_html`), which
keeps the facilitator's key and the page's language, and learns its viewer's role and
language from its request (:func:`page_viewer`). These pieces import no data library, so
that the scorecard page (:mod:`~loyalty_lessons.workshop.room`) shares them with the
subject pages (:mod:`~loyalty_lessons.workshop.pages`) and still starts light.
"""

from __future__ import annotations

import html

from loyalty_lessons.workshop.roles import page_link, page_request, role_from_query
from loyalty_lessons.workshop.texts import WorkshopTexts, language_from_query

__all__ = [
    "INDEX_NOTEBOOK",
    "ROOM_NOTEBOOK",
    "SUBJECTS",
    "nav_html",
    "page_notebooks",
    "page_viewer",
]

#: Subject -> notebook file in notebooks/workshop/. A page's title is ``workshop.pages.<subject>``
#: of the catalogue, what it shows ``workshop.blurbs.<subject>``, and the headings above its
#: explorers, when it has more than one, ``workshop.headings.<subject>``.
SUBJECTS: dict[str, str] = {
    "quality-gap": "quality-gap.ipynb",
    "customer-types": "customer-types.ipynb",
    "80-20": "the-80-20-rule.ipynb",
    "loyalty-value": "loyalty-value.ipynb",
    "monitoring": "monitoring.ipynb",
    "customer-base": "customer-base.ipynb",
}

#: The home page's notebook in notebooks/workshop/.
INDEX_NOTEBOOK = "index.ipynb"

#: The scorecard together's notebook in notebooks/workshop/ (its texts: ``workshop.pages.scorecard``).
ROOM_NOTEBOOK = "scorecard.ipynb"


def page_notebooks() -> dict[str, str]:
    """Every page but the home page, in the order of the links: key -> notebook.

    Examples
    --------
    >>> list(page_notebooks())[-1], page_notebooks()["scorecard"]
    ('scorecard', 'scorecard.ipynb')
    """
    return {**SUBJECTS, "scorecard": ROOM_NOTEBOOK}


def nav_html(current: str | None, role: str, t: WorkshopTexts) -> str:
    """The line of links to every page, ``current`` (a key of :func:`page_notebooks`; None:
    the home page) in bold, each link keeping ``role``'s key and ``t``'s language."""
    links = [(t("home"), INDEX_NOTEBOOK, current is None)] + [
        (t(f"pages.{key}"), notebook, key == current) for key, notebook in page_notebooks().items()
    ]
    items = [
        f"<b>{html.escape(title)}</b>"
        if here
        else f"<a href='{html.escape(page_link(n, role, language=t.language))}'>{html.escape(title)}</a>"
        for title, n, here in links
    ]
    return f"<div class='ll-nav'>{' &nbsp;|&nbsp; '.join(items)}</div>"


def page_viewer(role: str | None, language: str | None) -> tuple[str, str]:
    """The role and language given, or those the page's request gives (waiting for it in a
    pooled kernel)."""
    if role is not None and language is not None:
        return role, language
    query = page_request()
    return (
        role if role is not None else role_from_query(query),
        language if language is not None else language_from_query(query),
    )
