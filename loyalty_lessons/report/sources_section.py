"""The report's last section: the works its texts cite, in full (:func:`sources_section`).

A text of the report cites a work by a readable key in square brackets, such as
[fader-hardie-lee-2005], defined once in ``docs/sources.md``. The section lists the works
that the sections shown cite, in the order first cited, each with its full reference from
``references.toml`` (kept as ``docs/sources.md`` gives it) and, for a practitioners' article,
what kind of source it is (the catalogue's ``sources.notes``), so that a client can look up
every key without the repository.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files

from markupsafe import Markup

# What every section shares, under the names the section functions use.
from loyalty_lessons.report._common import section as _section
from loyalty_lessons.report.data import ReportData

__all__ = ["cited_keys", "references", "sources_section"]

#: A citation key as the texts write it: lower-case words and numbers joined by hyphens.
_KEY = re.compile(r"\[([a-z][a-z0-9]+(?:-[a-z0-9]+)+)\]")


@cache
def references() -> dict[str, str]:
    """The full reference of each work the report may cite, by its key (HTML)."""
    text = (files("loyalty_lessons.report") / "references.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)["works"])


def cited_keys(*texts: str) -> list[str]:
    """The keys of known works that ``texts`` cite, each once, in the order first cited.

    Examples
    --------
    >>> cited_keys("As [fader-hardie-2013] shows", "[parasuraman-1988], [fader-hardie-2013], [not-a-work]")
    ['fader-hardie-2013', 'parasuraman-1988']
    """
    known, found = references(), {}
    for text in texts:
        for key in _KEY.findall(str(text)):
            if key in known:
                found.setdefault(key, None)
    return list(found)


def sources_section(data: ReportData, *sections: str) -> Markup:
    """The works that ``sections`` (the report's other sections, as HTML) cite, in full.

    The report notebook passes every section it has shown; with none, the section says that
    nothing is cited.
    """
    m, notes = data.m, data.m.raw("sources.notes")
    works = [
        {
            "key": key,
            "work": Markup(references()[key]),
            "note": m.text(f"sources.notes.{key}") if key in notes else None,
        }
        for key in cited_keys(*sections)
    ]
    return _section("sources", data, works=works)
