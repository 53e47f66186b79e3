"""Who is looking at a workshop page: the facilitator, or a participant of a shared room.

Alone (``make workshop``, loopback only) the person at the screen is the facilitator. With
``--share``, the server gives every page's kernel a secret facilitator key in the
environment variable :data:`FACILITATOR_ENV`: a page opened with ``?facilitator=<key>`` in its
address belongs to the facilitator (uploads, wiping the client's data, the room's votes),
any other page to a participant (read-only: no upload form, no raw rows). A link to
another page keeps the key and the page's language (``lang=fr``, see
:mod:`~loyalty_lessons.workshop.texts`).

A page's kernel may be started before anyone asks for it (Voilà's pre-started pool), so the
role is read once the request has arrived (:func:`page_request`).
"""

from __future__ import annotations

import hmac
import os
from urllib.parse import parse_qs, urlencode

__all__ = [
    "FACILITATOR",
    "FACILITATOR_ENV",
    "PARTICIPANT",
    "in_pool",
    "page_request",
    "page_link",
    "role_from_query",
]

#: Environment variable holding the facilitator's key while the room is shared.
FACILITATOR_ENV = "LOYALTY_WORKSHOP_FACILITATOR_KEY"

FACILITATOR = "facilitator"
PARTICIPANT = "participant"


def in_pool() -> bool:
    """Whether this kernel was started before anyone asked for its page (Voilà's pool)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def page_request() -> str:
    """The query string of the request that opened this page ("" outside Voilà).

    In a pre-started kernel, waits for the request (Voilà's ``wait_for_request``); otherwise
    Voilà has already put it in the environment.
    """
    if in_pool():
        from voila.utils import wait_for_request

        wait_for_request()
    return os.environ.get("QUERY_STRING", "")


def role_from_query(query: str, key: str | None = None) -> str:
    """The role a page's address gives.

    Parameters
    ----------
    query : str
        The address's query string (``token=...&facilitator=...``).
    key : str, optional
        The facilitator's key; default the environment variable :data:`FACILITATOR_ENV`.
        Without a key the room is not shared, and the one person at the screen is the
        facilitator.

    Examples
    --------
    >>> role_from_query("", key="")
    'facilitator'
    >>> [role_from_query(f"facilitator={given}", key="s3cret") for given in ("wrong", "s3cret")]
    ['participant', 'facilitator']
    """
    key = os.environ.get(FACILITATOR_ENV, "") if key is None else key
    if not key:
        return FACILITATOR
    given = parse_qs(query).get("facilitator", [""])[0]
    return FACILITATOR if hmac.compare_digest(given.encode(), key.encode()) else PARTICIPANT


def page_link(notebook: str, role: str, key: str | None = None, language: str | None = None) -> str:
    """The address of another page for this role (the facilitator's keeps the key), in ``language``.

    Examples
    --------
    >>> page_link("index.ipynb", "participant", key="k")
    'index.ipynb'
    >>> page_link("index.ipynb", "facilitator", key="k")
    'index.ipynb?facilitator=k'
    >>> page_link("index.ipynb", "facilitator", key="k", language="fr")
    'index.ipynb?facilitator=k&lang=fr'
    """
    key = os.environ.get(FACILITATOR_ENV, "") if key is None else key
    query = {}
    if role == FACILITATOR and key:
        query["facilitator"] = key
    if language:
        query["lang"] = language
    return f"{notebook}?{urlencode(query)}" if query else notebook
