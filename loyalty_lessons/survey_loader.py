"""Loading a SERVQUAL survey: wide or long exports into the long layout, with nothing lost.

:func:`load_survey` reads a survey export (CSV/TSV, XLSX, Parquet or a DataFrame), wide (one
row per respondent, ``E1..E22`` and ``P1..P22``, headers in six languages) or long (one row per
item), and returns the long table of ``docs/data.md`` with a
:class:`~loyalty_lessons.load_report.LoadReport`: a respondent with a score out of range is set
aside whole with its line and reason, an unanswered item is counted. The five dimensions and
the item map it uses are the survey's vocabulary, in :mod:`loyalty_lessons.survey`; the
transactions and complaints loaders are in :mod:`loyalty_lessons.data`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from loyalty_lessons import _parse
from loyalty_lessons._load_engine import reader_rejects
from loyalty_lessons._read import read_raw
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport, check_share
from loyalty_lessons.survey import DIMENSIONS, SERVQUAL_ITEMS

__all__ = ["load_survey"]


_SCORE = re.compile(
    r"^(e|exp|expectation|expectations|attente|attentes|aspettativa|aspettative|"
    r"ожидание|ожидания|erwartung|erwartungen|expectativa|expectativas)0*(\d+)$"
)
_PERCEPTION = re.compile(
    r"^(p|perc|perception|perceptions|percezione|percezioni|восприятие|"
    r"wahrnehmung|percepcion|percepciones)0*(\d+)$"
)
_IMPORTANCE = re.compile(
    r"^(importance|imp|i|importanza|важность|wichtigkeit|importancia)(" + "|".join(DIMENSIONS) + r")$"
)
_SURVEY_ROLES = ["respondent_id", "customer_id", "satisfaction", "recommend"]


def _scores(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Numbers from text cells (decimal comma accepted); non-numbers become NaN."""
    text = frame[columns].astype("str").apply(lambda s: s.str.strip().str.replace(",", ".", regex=False))
    return text.apply(pd.to_numeric, errors="coerce").where(frame[columns].notna())


def load_survey(
    source,
    *,
    columns: dict[str, str] | None = None,
    item_map: dict[int, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a SERVQUAL survey, wide (``E1..E22``, ``P1..P22``) or long, into the long layout.

    Parameters
    ----------
    source : str, Path or DataFrame
        Wide: one row per respondent with expectation columns ``E1``, ``E2``... and
        perception columns ``P1``, ``P2``... (``E01``, ``Exp_1``, ``Attente 1`` also work),
        optional ``importance_<dimension>`` (points of 100), ``satisfaction`` and
        ``recommend`` (0-10), ``respondent_id``, ``customer_id``. Long: columns
        ``respondent_id, item, expectation, perception`` and the optional ones.
    columns : dict, optional
        Role -> header for ``respondent_id``, ``customer_id``, ``satisfaction``, ``recommend``.
    item_map : dict, optional
        Item number -> dimension; default the standard 22-item map :data:`SERVQUAL_ITEMS`.
    sheet, encoding, delimiter, max_rejected_share
        As in :func:`~loyalty_lessons.data.load_transactions`.

    Returns
    -------
    (DataFrame, LoadReport)
        Long layout: ``respondent_id, customer_id, item, dimension, expectation,
        perception, importance, satisfaction, recommend`` (see ``docs/data.md``). A
        respondent (wide) or row (long) with a score outside 1-7, a rating outside 0-10 or
        negative importance points is set aside whole. An unanswered item (no expectation or
        no perception) is not an error: it is left out of the table (a line of a long file
        still counts as kept) and counted in the report's notes, with the respondents who
        left items blank. Respondents are numbered by line when there is no respondent id.

    Examples
    --------
    >>> wide = pd.DataFrame({"id": ["r1"], "E1": ["6"], "P1": ["5,5"], "E5": [7], "P5": [7]})
    >>> survey, report = load_survey(wide, columns={"respondent_id": "id"})
    >>> survey[["respondent_id", "item", "dimension", "expectation", "perception"]]
      respondent_id  item    dimension  expectation  perception
    0            r1     1    tangibles          6.0         5.5
    1            r1     5  reliability          7.0         7.0
    """
    item_map = item_map or SERVQUAL_ITEMS
    table = read_raw(source, sheet=sheet, encoding=encoding, delimiter=delimiter)
    try:
        if table.csv:
            frame = table.con.sql(f"SELECT * FROM {table.scan()}").df()
            by_reader = table.set_aside_by_reader()
            table.settle_lines(len(frame), by_reader["line"])
            malformed = reader_rejects(by_reader)
        else:
            frame = table.con.execute("SELECT * FROM raw ORDER BY __row").df().drop(columns="__row")
            malformed = None
        lines = pd.Series(table.lines(np.arange(1, len(frame) + 1)), index=frame.index)
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(lambda v: None if v is None or str(v).strip() == "" else str(v))
        detected, notes, source_name = dict(table.detected), list(table.notes), table.source
    finally:
        table.close()
    used = _parse.match_roles(list(frame.columns), _SURVEY_ROLES, columns, source_name)
    norm = {h: _parse.normalise(h) for h in frame.columns}
    long_layout = {"item", "expectation", "perception"} <= set(norm.values())
    if long_layout:
        by_name = {v: h for h, v in norm.items()}
        items = frame.rename(
            columns={
                by_name["item"]: "item",
                by_name["expectation"]: "expectation",
                by_name["perception"]: "perception",
            }
        )
        detected["layout"] = "long"
        if "importance" in by_name:
            items["importance"] = items[by_name["importance"]]
    else:
        items, lines = _wide_to_long(frame, norm, item_map, source_name, lines)
        detected["layout"] = "wide"
    return _validate_survey(
        items,
        lines,
        used,
        item_map,
        malformed,
        source_name,
        detected,
        notes,
        max_rejected_share,
        long_layout,
        n_input=len(frame),
    )


def _wide_to_long(frame, norm, item_map, source, lines):
    e_cols = {int(m.group(2)): h for h, n in norm.items() if (m := _SCORE.match(n))}
    p_cols = {int(m.group(2)): h for h, n in norm.items() if (m := _PERCEPTION.match(n))}
    if not e_cols and not p_cols:
        raise LoyaltyDataError(
            f"{source}: no survey scores found. A wide survey needs expectation columns E1, E2, ... "
            f"and perception columns P1, P2, ...; a long one the columns item, expectation, "
            f"perception. Columns found: {list(frame.columns)}."
        )
    unpaired = sorted(set(e_cols) ^ set(p_cols))
    if unpaired:
        raise LoyaltyDataError(
            f"{source}: items {unpaired} have an expectation or a perception "
            "column but not both. Every item needs E<n> and P<n>."
        )
    unknown = sorted(set(e_cols) - set(item_map))
    if unknown:
        raise LoyaltyDataError(
            f"{source}: items {unknown} are not in the item map (items "
            f"{min(item_map)}-{max(item_map)}). Pass item_map={{item: dimension}}."
        )
    importance = {m.group(2): h for h, n in norm.items() if (m := _IMPORTANCE.match(n))}
    parts = []
    for item in sorted(e_cols):
        part = pd.DataFrame(
            {
                "row": frame.index,
                "item": item,
                "expectation": frame[e_cols[item]],
                "perception": frame[p_cols[item]],
            }
        )
        imp = importance.get(item_map[item])
        part["importance"] = frame[imp].to_numpy() if imp else None
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    others = frame.drop(columns=list(e_cols.values()) + list(p_cols.values()) + list(importance.values()))
    long = long.join(others, on="row")
    return long, lines


def _validate_survey(
    items, lines, used, item_map, malformed, source, detected, notes, max_rejected_share, long_layout, n_input
):
    if long_layout:
        items = items.assign(row=items.index)
    role = lambda r: items[used[r]] if r in used else pd.Series(None, index=items.index, dtype=object)  # noqa: E731
    scores = _scores(items, ["expectation", "perception"])
    ratings = _scores(
        pd.DataFrame(
            {
                "satisfaction": role("satisfaction"),
                "recommend": role("recommend"),
                "importance": items.get("importance", None),
            }
        ),
        ["satisfaction", "recommend", "importance"],
    )
    item_no = pd.to_numeric(items["item"], errors="coerce")
    text = items[["expectation", "perception"]]
    problems = pd.Series(None, index=items.index, dtype=object)

    def flag(mask, why):
        nonlocal problems
        problems = problems.where(problems.notna() | ~mask, why)

    flag(~item_no.isin(list(item_map)), "unknown item")
    for col in ("expectation", "perception"):
        flag(text[col].notna() & scores[col].isna(), f"non-numeric {col}")
        flag(scores[col].notna() & ~scores[col].between(1, 7), f"{col} outside 1-7")
    for col in ("satisfaction", "recommend"):
        flag(ratings[col].notna() & ~ratings[col].between(0, 10), f"{col} outside 0-10")
    flag(ratings["importance"].notna() & (ratings["importance"] < 0), "negative importance points")
    respondent = role("respondent_id").fillna(
        "R" + lines.reindex(items["row"]).astype(str).set_axis(items.index)
    )
    flag(role("respondent_id").isna() & long_layout, "missing respondent id")

    # A row of the input is set aside whole if any of its items has a problem.
    bad_rows = problems.groupby(items["row"]).first().dropna()
    rejected = pd.DataFrame(
        {
            "line": lines.loc[bad_rows.index].to_numpy(dtype=np.int64),
            "reason": bad_rows.to_numpy(dtype=object),
        }
    ).astype({"reason": "str"})
    if malformed is not None and len(malformed):
        rejected = pd.concat([rejected, malformed], ignore_index=True).sort_values("line", ignore_index=True)
    keep = ~items["row"].isin(bad_rows.index)
    answered = scores["expectation"].notna() & scores["perception"].notna()
    unanswered = int((keep & ~answered).sum())
    respondents = respondent[keep].nunique()
    partial = respondent[keep & ~answered].nunique()
    keep &= answered
    silent = respondents - respondent[keep].nunique()  # left every item blank
    survey = pd.DataFrame(
        {
            "respondent_id": respondent[keep].astype("str"),
            "customer_id": role("customer_id")[keep]
            .astype("str")
            .where(role("customer_id")[keep].notna(), None),
            "item": item_no[keep].astype("int64"),
            "dimension": item_no[keep].map(item_map).astype("str"),
            "expectation": scores.loc[keep, "expectation"].astype("float64"),
            "perception": scores.loc[keep, "perception"].astype("float64"),
            "importance": ratings.loc[keep, "importance"].astype("float64"),
            "satisfaction": ratings.loc[keep, "satisfaction"].astype("float64"),
            "recommend": ratings.loc[keep, "recommend"].astype("float64"),
        }
    ).reset_index(drop=True)
    n_read = n_input + (len(malformed) if malformed is not None else 0)
    if unanswered:
        notes.append(
            f"{unanswered} unanswered items (no expectation or no perception) are left out: "
            f"{partial} of {respondents} respondents left some items blank, and each respondent's "
            "averages are over the items they answered."
        )
    if silent:
        notes.append(
            f"{silent} respondents answered no item at all and are left out, with their "
            "satisfaction and recommendation scores."
        )
    report = LoadReport(
        source=source,
        rows_read=n_read,
        rows_kept=n_read - len(rejected),
        rejected=rejected,
        columns=used,
        detected=detected,
        notes=notes,
    )
    check_share(report, "survey", max_rejected_share)
    return survey, report
