"""Customer types: who is dissatisfied, satisfied or loyal, and by which rule.

The three types of [fr-monitoring-loyalty] (dissatisfied, satisfied, loyal), from
purchase behaviour, from the survey, or from both (:func:`classify_customers`), with the
rule in words (:func:`describe_rule`).

The types are what customers think; purchases only show what they do. A type read from
purchase dates alone says what the customer did, not what they think, and is named for
that behaviour only (:data:`TYPE_LABELS`, :func:`type_labels`: "lapsed", "occasional",
"regular"); :func:`basis_counts` says how many
customers were typed by a survey answer and how many by their purchases only.

Every threshold lives in :data:`TYPE_RULES`, which a ``rules=`` argument can override.
What each type spends is in :mod:`loyalty_lessons.customer_types.profile`, the service
each type calls for and who complains in :mod:`loyalty_lessons.customer_types.prescriptions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The checks shared with behaviours.py and rfm.py, under the names this module's functions use.
from loyalty_lessons._checks import merge_rules as _merge_rules
from loyalty_lessons._checks import require_columns as _require
from loyalty_lessons._checks import rule_number as _fmt
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.customers import purchases, summary_for
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say, write_significant
from loyalty_lessons.quality_gap.gaps import respondent_gaps

__all__ = [
    "TYPES",
    "TYPE_DTYPE",
    "TYPE_LABELS",
    "TYPE_RULES",
    "basis_counts",
    "classify_customers",
    "describe_rule",
    "sorted_unique",
    "type_labels",
]

#: The three types of [fr-monitoring-loyalty], from worst to best.
TYPES: tuple[str, ...] = ("dissatisfied", "satisfied", "loyal")
#: The types as an ordered categorical: the ``type`` columns of this lesson's tables.
TYPE_DTYPE = pd.CategoricalDtype(list(TYPES), ordered=True)

#: How each type is named, by what it was read from. Purchases show what customers do, not
#: what they think: a type read from behaviour alone is named for the behaviour only (a
#: customer who buys twice a year is occasional, which says nothing sure of whether they are
#: satisfied). The type codes (``TYPES``) stay the same.
TYPE_LABELS: dict[str, dict[str, str]] = {
    "behaviour": {
        "dissatisfied": "lapsed",
        "satisfied": "occasional",
        "loyal": "regular",
    },
    # some customers typed by a survey answer and their purchases, the others by purchases alone
    "mixed": {
        "dissatisfied": "lapsed or said dissatisfied",
        "satisfied": "occasional or said satisfied",
        "loyal": "regular (and said loyal, if asked)",
    },
    "attitude": {t: t for t in TYPES},
}


#: Default thresholds of the three types (see ``docs/customer-types.md``).
TYPE_RULES: dict[str, float] = {
    # behaviour, at observation end
    "lapsed_after_days": 180,  # days_since_last > 180 -> dissatisfied
    "loyal_min_orders": 6,  # at least 6 orders ...
    "loyal_window_days": 365,  # ... in the 365 days up to observation end ...
    "loyal_max_days_since_last": 60,  # ... and days_since_last <= 60 -> loyal
    # attitude: recommend (else satisfaction) on 0-10
    "loyal_min_score": 9,  # 9-10 -> loyal
    "satisfied_min_score": 7,  # 7-8 -> satisfied, 0-6 -> dissatisfied
    # attitude without any 0-10 score: the respondent's mean gap (perception - expectation)
    "dissatisfied_gap_below": -1.0,  # gap < -1.0 -> dissatisfied
    "loyal_gap_from": 0.5,  # gap >= 0.5 -> loyal
}


# --------------------------------------------------------------------------- helpers


def _score_type(score: pd.Series, rules: dict) -> pd.Series:
    return pd.Series(
        np.select(
            [score >= rules["loyal_min_score"], score >= rules["satisfied_min_score"]],
            ["loyal", "satisfied"],
            default="dissatisfied",
        ),
        index=score.index,
    )


def _attitude(survey: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Per respondent: respondent_id, customer_id, recommend, satisfaction, gap, attitude_type."""
    resp = respondent_gaps(survey)
    out = pd.DataFrame(
        {
            "respondent_id": resp["respondent_id"],
            "customer_id": resp["customer_id"],
            "recommend": resp.get("recommend", np.nan),
            "satisfaction": resp.get("satisfaction", np.nan),
            "gap": resp["gap"],
        }
    )
    for col in ("recommend", "satisfaction"):
        bad = out[(out[col] < 0) | (out[col] > 10)]
        if not bad.empty:
            raise LoyaltyDataError(
                f"Survey column {col!r} must be a 0-10 score; respondent(s) "
                f"{bad['respondent_id'].tolist()[:5]} have {bad[col].tolist()[:5]}."
            )
    score = out["recommend"].fillna(out["satisfaction"])
    by_gap = pd.Series(
        np.select(
            [out["gap"] < rules["dissatisfied_gap_below"], out["gap"] >= rules["loyal_gap_from"]],
            ["dissatisfied", "loyal"],
            default="satisfied",
        ),
        index=out.index,
    )
    by_gap = by_gap.where(out["gap"].notna())
    out["attitude_type"] = _score_type(score, rules).where(score.notna(), by_gap)
    unclassified = out[out["attitude_type"].isna()]
    if not unclassified.empty:
        raise LoyaltyDataError(
            f"Respondent(s) {unclassified['respondent_id'].tolist()[:5]} have no recommend, "
            "satisfaction or expectation/perception scores, so they cannot be typed. "
            "Remove them from the survey."
        )
    return out


def _behaviour(
    summary: pd.DataFrame,
    transactions: pd.DataFrame,
    end: pd.Timestamp,
    window_days: float,
    customer_id_col: str,
    date_col: str,
    amount_col: str,
    order_id_col: str | None,
) -> pd.DataFrame:
    """customer_id, days_since_last and orders_in_window, one row per row of ``summary``."""
    bought = purchases(
        transactions,
        observation_end=end,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    start = end - pd.Timedelta(days=window_days)
    recent = bought[bought["date"] > start].groupby("customer_id").size()
    return _behaviour_frame(summary, recent, customer_id_col)


def _behaviour_frame(summary: pd.DataFrame, recent: pd.Series, customer_id_col: str) -> pd.DataFrame:
    """customer_id, days_since_last and orders_in_window (``recent``, by customer id; else 0)."""
    ids = summary[customer_id_col].astype("str").reset_index(drop=True)
    if recent.index.equals(pd.Index(ids)):  # aggregate()'s counts come in the summary's order
        counts = recent.reset_index(drop=True)
    else:
        counts = ids.map(recent.set_axis(recent.index.astype("str")))
    return pd.DataFrame(
        {
            "customer_id": ids,
            "days_since_last": pd.to_numeric(summary["days_since_last"]).astype("float64").to_numpy(),
            "orders_in_window": counts.fillna(0).astype("int64").to_numpy(),
        }
    )


def _behaviour_codes(behaviour: pd.DataFrame, rules: dict) -> np.ndarray:
    """The behaviour rule: each customer's position in TYPES (0 dissatisfied ... 2 loyal)."""
    days = behaviour["days_since_last"].to_numpy(dtype="float64")
    orders = behaviour["orders_in_window"].to_numpy()
    lapsed = np.isnan(days) | (days > rules["lapsed_after_days"])
    loyal = (orders >= rules["loyal_min_orders"]) & (days <= rules["loyal_max_days_since_last"])
    return np.select(
        [lapsed, loyal], [TYPES.index("dissatisfied"), TYPES.index("loyal")], default=TYPES.index("satisfied")
    )


# --------------------------------------------------------------------------- three types


def _rule_number(x: float, language: str) -> str:
    """A threshold as a rule's text writes it in ``language``: ``180``, ``1.5``, ``1,5``."""
    return _fmt(x) if language == DEFAULT_LANGUAGE else write_significant(float(x), 6, language)


def describe_rule(basis: str, rules: dict | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """The typing rule in plain words, for a chart note or a report.

    Parameters
    ----------
    basis : {"behaviour", "attitude", "both"}
        Which rule to describe.
    rules : dict, optional
        Overrides of :data:`TYPE_RULES`.
    language : str, default "en"
        The language of the words (``[lessons.rules]`` of the catalogue); the type codes
        the tables show are named in quotes where the language's words differ.

    Returns
    -------
    str

    Raises
    ------
    LoyaltyDataError
        If ``basis`` is unknown or a rule name is unknown.

    Examples
    --------
    >>> describe_rule("behaviour")[:60]
    'Behaviour: dissatisfied if the last purchase is more than 18'
    >>> describe_rule("behaviour", language="fr")[:43]
    'Comportement : « dissatisfied » (mécontent)'
    """
    r = _merge_rules(TYPE_RULES, rules, "TYPE_RULES")
    if basis not in ("behaviour", "attitude", "both"):
        raise LoyaltyDataError(f"basis must be one of ['attitude', 'behaviour', 'both'], got {basis!r}.")

    def number(name: str) -> str:
        return _rule_number(r[name], language)

    behaviour = say(
        "rules.behaviour",
        language,
        lapsed=number("lapsed_after_days"),
        orders=number("loyal_min_orders"),
        window=number("loyal_window_days"),
        recent=number("loyal_max_days_since_last"),
    )
    if basis == "behaviour":
        return behaviour
    attitude = say(
        "rules.attitude",
        language,
        loyal=number("loyal_min_score"),
        satisfied=number("satisfied_min_score"),
        gap_below=number("dissatisfied_gap_below"),
        gap_from=number("loyal_gap_from"),
    )
    if basis == "attitude":
        return attitude
    return f"{behaviour} {attitude} {say('rules.both', language)}"


def classify_customers(
    summary: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    *,
    transactions: pd.DataFrame | None = None,
    orders_in_window: pd.Series | None = None,
    rules: dict | None = None,
    observation_end: str | pd.Timestamp | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> pd.DataFrame:
    """Sort customers into dissatisfied, satisfied and loyal ([fr-monitoring-loyalty]).

    The behaviour rule needs ``transactions`` (to count the orders in the last 365 days);
    ``summary`` is optional and computed with ``customer_summary`` when absent. The
    attitude rule needs the ``survey``. With both, customers who answered the survey are
    typed on both (the lower of the two types wins); the others on behaviour. The rules and
    their defaults are in :data:`TYPE_RULES`; ``result.attrs["rule"]`` says in words which
    rule was applied (see :func:`describe_rule`).

    Parameters
    ----------
    summary : pandas.DataFrame, optional
        One row per customer from ``customer_summary``; required columns
        ``customer_id_col`` and ``days_since_last``. Use the same ``observation_end`` as here.
    survey : pandas.DataFrame, optional
        The canonical long survey; ``customer_id`` links respondents to customers.
    transactions : pandas.DataFrame, optional
        Canonical transactions; required columns ``customer_id_col``, ``date_col``,
        ``amount_col``, optionally ``order_id_col``.
    orders_in_window : pandas.Series, optional
        Instead of ``transactions``, with ``summary``: each customer's purchases in the
        ``loyal_window_days`` days up to observation end, indexed by customer id (missing
        customers count 0), as :func:`~loyalty_lessons.aggregates.aggregate` counts them
        in DuckDB over millions of rows.
    rules : dict, optional
        Overrides of :data:`TYPE_RULES`, e.g. ``{"lapsed_after_days": 120}``.
    observation_end : date-like, optional
        Day the observation ends; defaults to the last date in ``transactions``.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names of ``transactions`` (and ``customer_id_col`` of ``summary``).

    Returns
    -------
    pandas.DataFrame
        One row per customer (sorted by ``customer_id``), or per respondent (sorted by
        ``respondent_id``) when only a survey is given. Columns:

        - ``customer_id``, ``respondent_id`` (the linked respondent(s), comma-separated;
          missing for customers who did not answer)
        - ``type``: ordered categorical dissatisfied < satisfied < loyal
        - ``basis``: "behaviour", "attitude" or "both"
        - ``behaviour_type``, ``attitude_type``: what each rule said (missing when not applied)
        - ``days_since_last``, ``orders_in_window`` (orders in the ``loyal_window_days`` days
          up to observation end), ``recommend``, ``satisfaction``, ``gap`` (the inputs; a
          customer with several answers gets their means)

        With transactions and a survey, respondents who cannot be linked to a customer are
        left out and counted in ``result.attrs["unlinked_respondents"]``.

    Raises
    ------
    LoyaltyDataError
        If neither transactions nor a survey is given, a summary comes without
        transactions, a column is missing, a rule name is unknown or a score is out of range.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a"] * 6 + ["b"],
    ...     "date": pd.to_datetime(["2024-01-10", "2024-03-01", "2024-05-01", "2024-07-01",
    ...                             "2024-09-01", "2024-12-01", "2024-01-05"]),
    ...     "amount": [20.0] * 7})
    >>> classify_customers(transactions=tx)["type"].tolist()
    ['loyal', 'dissatisfied']
    """
    r = _merge_rules(TYPE_RULES, rules, "TYPE_RULES")
    if transactions is None and orders_in_window is None and survey is None:
        raise LoyaltyDataError(
            "Nothing to classify: pass transactions= (behaviour), survey= (attitude) or both."
        )
    if summary is None and orders_in_window is not None:
        raise LoyaltyDataError(
            "orders_in_window= needs the customer summary it counts for: pass summary= too."
        )
    if summary is not None and transactions is None and orders_in_window is None:
        raise LoyaltyDataError(
            "The behaviour rule counts the orders of the last "
            f"{_fmt(r['loyal_window_days'])} days, which the customer summary does not hold: "
            "pass transactions= as well (or only survey= to type on attitude)."
        )

    behaviour = None
    if orders_in_window is not None and transactions is None:
        _require(
            summary,
            [customer_id_col, "days_since_last"],
            "customer summary",
            "build it with customer_summary(transactions).",
        )
        behaviour = _behaviour_frame(summary, orders_in_window, customer_id_col)
    elif transactions is not None:
        summary, end = summary_for(
            transactions,
            summary,
            observation_end,
            ["days_since_last"],
            customer_id_col=customer_id_col,
            date_col=date_col,
            amount_col=amount_col,
            order_id_col=order_id_col,
        )
        behaviour = _behaviour(
            summary,
            transactions,
            end,
            r["loyal_window_days"],
            customer_id_col,
            date_col,
            amount_col,
            order_id_col,
        )
    if behaviour is not None:
        behaviour["behaviour_type"] = pd.Categorical.from_codes(
            _behaviour_codes(behaviour, r), dtype=TYPE_DTYPE
        )
        if not sorted_unique(behaviour["customer_id"]):  # a summary in id order is kept as it is
            behaviour = behaviour.sort_values("customer_id", kind="stable").reset_index(drop=True)

    attitude = _attitude(survey, r) if survey is not None else None

    if behaviour is None:
        out = attitude.assign(
            days_since_last=np.nan,
            orders_in_window=pd.NA,
            behaviour_type=np.nan,
            type=attitude["attitude_type"],
            basis="attitude",
        )
        mode = "attitude"
        unlinked = 0
    elif attitude is None:
        n = len(behaviour)  # up to millions of customers: the columns are built whole, not per row
        out = behaviour.assign(
            respondent_id=_same_text(None, n),
            recommend=np.nan,
            satisfaction=np.nan,
            gap=np.nan,
            attitude_type=pd.Categorical.from_codes(np.full(n, -1), dtype=TYPE_DTYPE),
            type=behaviour["behaviour_type"],
            basis=_same_text("behaviour", n),
        )
        mode = "behaviour"
        unlinked = 0
    else:
        linked = attitude[attitude["customer_id"].isin(behaviour["customer_id"])].copy()
        unlinked = len(attitude) - len(linked)
        linked["code"] = linked["attitude_type"].map(TYPES.index)
        per_customer = linked.groupby("customer_id").agg(
            respondent_id=("respondent_id", lambda s: ", ".join(sorted(s))),
            recommend=("recommend", "mean"),
            satisfaction=("satisfaction", "mean"),
            gap=("gap", "mean"),
            code=("code", "min"),
        )
        out = behaviour.merge(per_customer, left_on="customer_id", right_index=True, how="left")
        answered = out["code"].notna()
        out["attitude_type"] = out["code"].map(lambda c: TYPES[int(c)] if pd.notna(c) else np.nan)
        behaviour_code = out["behaviour_type"].cat.codes
        # Codes run dissatisfied < satisfied < loyal: the lower of the two answers wins.
        combined = np.minimum(behaviour_code, out["code"].astype("float64").fillna(len(TYPES)).astype(int))
        out["type"] = [TYPES[int(c)] for c in combined]
        out["basis"] = np.where(answered, "both", "behaviour")
        mode = "both"

    columns = [
        "customer_id",
        "respondent_id",
        "type",
        "basis",
        "behaviour_type",
        "attitude_type",
        "days_since_last",
        "orders_in_window",
        "recommend",
        "satisfaction",
        "gap",
    ]
    out = out[columns].reset_index(drop=True)
    for col in ("customer_id", "respondent_id", "basis"):
        if out[col].dtype != "str":
            out[col] = out[col].astype("str")
    for col in ("type", "behaviour_type", "attitude_type"):
        if out[col].dtype != TYPE_DTYPE:  # the behaviour rule's types are categorical already
            out[col] = out[col].astype("object").astype(TYPE_DTYPE)
    out["orders_in_window"] = out["orders_in_window"].astype("Int64")
    for col in ("days_since_last", "recommend", "satisfaction", "gap"):
        out[col] = out[col].astype("float64")
    out.attrs["rule"] = describe_rule(mode, r)
    out.attrs["unlinked_respondents"] = int(unlinked)
    if mode == "both":
        typed_by_answer = int(answered.sum())
        out.attrs["basis_counts"] = {"both": typed_by_answer, "behaviour": len(out) - typed_by_answer}
    else:
        out.attrs["basis_counts"] = {mode: len(out)}
    return out


def basis_counts(types: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> dict[str, int]:
    """How many customers each rule typed: by purchases only, by answer and purchases, by answer only.

    Parameters
    ----------
    types : pandas.DataFrame
        From :func:`classify_customers` (its ``basis`` column, or the counts it keeps in
        ``attrs``), or a :func:`type_profile` of it.
    language : str, default "en"
        In English the keys are the bases' codes; in another language, what each basis
        is in its words (``[lessons.bases]`` of the catalogue: "achats seuls").

    Returns
    -------
    dict
        ``{"behaviour": n, "both": n, "attitude": n}``, the bases with no customer left out:
        "behaviour" is purchases alone, "both" a survey answer and purchases, "attitude" a
        survey answer alone.

    Raises
    ------
    LoyaltyDataError
        If the frame says nothing of its basis.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "amount": [20.0, 20.0],
    ...     "date": pd.to_datetime(["2024-01-10", "2024-06-01"])})
    >>> basis_counts(classify_customers(transactions=tx))
    {'behaviour': 2}
    >>> basis_counts(classify_customers(transactions=tx), "it")
    {'solo acquisti': 2}
    """
    known = types.attrs.get("basis_counts")
    if known is not None:
        counts = {k: int(v) for k, v in known.items() if v}
    elif "basis" not in types.columns:
        raise LoyaltyDataError("The frame has no 'basis' column; build it with classify_customers(...).")
    else:
        found = types["basis"].astype("str").value_counts()
        counts = {b: int(found[b]) for b in ("behaviour", "both", "attitude") if found.get(b, 0)}
    if language == DEFAULT_LANGUAGE:
        return counts
    return {entry(language, f"lessons.bases.{basis}"): n for basis, n in counts.items()}


def type_labels(types: pd.DataFrame | None = None, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The name of each type, for what the types were read from (:data:`TYPE_LABELS`).

    Types read from purchases alone are named for the behaviour only ("lapsed"); when some
    customers were typed by a survey answer as well, the names say both ("lapsed or said
    dissatisfied"); only when every customer was typed by an answer do the attitudes stand
    alone ("dissatisfied").

    Parameters
    ----------
    types : pandas.DataFrame, optional
        As in :func:`basis_counts`; None (or a frame that says nothing of its basis) gives
        the behaviour's names, the careful choice.
    language : str, default "en"
        The language of the labels (``[type_labels]``, ``[type_labels_mixed]`` and
        ``[type_names]`` of the catalogue); the keys stay the type codes.

    Returns
    -------
    dict
        Type code (``TYPES``) to label.

    Examples
    --------
    >>> type_labels()["dissatisfied"]
    'lapsed'
    >>> type_labels(language="fr")["dissatisfied"]
    'décroché'
    """
    try:
        counts = {"behaviour": 1} if types is None else basis_counts(types)
    except LoyaltyDataError:
        counts = {"behaviour": 1}
    answered = counts.get("both", 0) + counts.get("attitude", 0) > 0
    basis = ("mixed" if answered else "behaviour") if counts.get("behaviour", 0) else "attitude"
    if language == DEFAULT_LANGUAGE:
        return dict(TYPE_LABELS[basis])
    table = {"behaviour": "type_labels", "mixed": "type_labels_mixed", "attitude": "type_names"}[basis]
    return {code: entry(language, f"{table}.{code}") for code in TYPES}


def _same_text(text: str | None, n: int) -> pd.api.extensions.ExtensionArray:
    """``n`` times ``text`` (None: missing) as a "str" array, without a Python object per row."""
    kind = pa.large_string()  # pandas' own: no conversion
    values = pa.nulls(n, kind) if text is None else pa.repeat(pa.scalar(text, kind), n)
    return pd.array(values, dtype="str")


def sorted_unique(ids: pd.Series) -> bool:
    """Whether text ids are strictly increasing, hence unique (compared in Arrow, not hashed)."""
    values = pa.array(ids)
    return values.null_count == 0 and (len(values) < 2 or pc.all(pc.greater(values[1:], values[:-1])).as_py())
