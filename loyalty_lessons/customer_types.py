"""Customer types: who is dissatisfied, satisfied or loyal, and what each is worth.

The three types of [fr-monitoring-loyalty] (dissatisfied, satisfied, loyal), from
purchase behaviour, from the survey, or from both (:func:`classify_customers`), with the
service each type calls for (:func:`service_prescriptions`), what each type spends
(:func:`type_profile`, :func:`spend_uplift`; [it-loyalty-steps] cites Gallup's
46% more spent by emotionally connected customers) and who among them complains
(:func:`complaints_by_type`).

The types are what customers think; purchases only show what they do. A type read from
purchase dates alone is a guess at an attitude, and is named so (:data:`TYPE_LABELS`,
:func:`type_labels`: "lapsed — likely dissatisfied"); :func:`basis_counts` says how many
customers were typed by a survey answer and how many by their purchases only. The spend of
loyal against satisfied customers computed here is descriptive (loyal customers are those
who bought often, so they spent more partly by definition); measured out of sample it is in
:mod:`loyalty_lessons.future_spend`.

Every threshold lives in :data:`TYPE_RULES`, which a ``rules=`` argument can override.
The same lesson's other two views of the customers have modules of their own: the five
shopping behaviours in :mod:`loyalty_lessons.behaviours`, RFM scores and segments in
:mod:`loyalty_lessons.rfm`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The checks shared with behaviours.py and rfm.py, under the names this module's functions use.
from loyalty_lessons._checks import end_of_observation as _end_of
from loyalty_lessons._checks import merge_rules as _merge_rules
from loyalty_lessons._checks import require_columns as _require
from loyalty_lessons._checks import rule_number as _fmt
from loyalty_lessons.customers import customer_summary, purchases
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap import respondent_gaps

__all__ = [
    "complaints_by_type",
    "DAYS_PER_MONTH",
    "MAX_BOOTSTRAP_DRAWS",
    "TYPES",
    "TYPE_LABELS",
    "TYPE_RULES",
    "SpendUplift",
    "basis_counts",
    "classify_customers",
    "describe_rule",
    "monthly_spend",
    "service_prescriptions",
    "spend_uplift",
    "type_labels",
    "type_profile",
]

#: The three types of [fr-monitoring-loyalty], from worst to best.
TYPES: tuple[str, ...] = ("dissatisfied", "satisfied", "loyal")
_TYPE_DTYPE = pd.CategoricalDtype(list(TYPES), ordered=True)

#: How each type is named, by what it was read from. Purchases show what customers do, not
#: what they think: a type read from behaviour alone is named for the behaviour, and the
#: attitude it suggests is only likely. The type codes (``TYPES``) stay the same.
TYPE_LABELS: dict[str, dict[str, str]] = {
    "behaviour": {
        "dissatisfied": "lapsed — likely dissatisfied",
        "satisfied": "occasional — likely satisfied",
        "loyal": "regular — likely loyal",
    },
    # some customers typed by a survey answer and their purchases, the others by purchases alone
    "mixed": {
        "dissatisfied": "lapsed or said dissatisfied",
        "satisfied": "occasional or said satisfied",
        "loyal": "regular (and said loyal, if asked)",
    },
    "attitude": {t: t for t in TYPES},
}

#: Length of a month used for monthly figures: 365.25 / 12 = 30.4375 days.
DAYS_PER_MONTH: float = 365.25 / 12

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


def describe_rule(basis: str, rules: dict | None = None) -> str:
    """The typing rule in plain words, for a chart note or a report.

    Parameters
    ----------
    basis : {"behaviour", "attitude", "both"}
        Which rule to describe.
    rules : dict, optional
        Overrides of :data:`TYPE_RULES`.

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
    """
    r = _merge_rules(TYPE_RULES, rules, "TYPE_RULES")
    behaviour = (
        f"Behaviour: dissatisfied if the last purchase is more than {_fmt(r['lapsed_after_days'])} "
        f"days before observation end; loyal if at least {_fmt(r['loyal_min_orders'])} orders in "
        f"the {_fmt(r['loyal_window_days'])} days up to observation end and the last purchase at "
        f"most {_fmt(r['loyal_max_days_since_last'])} days before it; satisfied otherwise."
    )
    attitude = (
        f"Attitude: likelihood to recommend {_fmt(r['loyal_min_score'])}-10 loyal, "
        f"{_fmt(r['satisfied_min_score'])} to below {_fmt(r['loyal_min_score'])} satisfied, "
        f"below {_fmt(r['satisfied_min_score'])} dissatisfied; overall satisfaction with the same "
        "cut-offs where recommend is not answered; without either, the mean quality gap "
        f"(below {_fmt(r['dissatisfied_gap_below'])} dissatisfied, {_fmt(r['loyal_gap_from'])} or "
        "more loyal, satisfied in between)."
    )
    both = (
        "A customer with both purchases and a survey answer is loyal only when both rules say "
        "loyal, dissatisfied when either says dissatisfied, satisfied otherwise."
    )
    texts = {"behaviour": behaviour, "attitude": attitude, "both": f"{behaviour} {attitude} {both}"}
    if basis not in texts:
        raise LoyaltyDataError(f"basis must be one of {sorted(texts)}, got {basis!r}.")
    return texts[basis]


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
        _require(
            transactions,
            [customer_id_col, date_col, amount_col],
            "transactions table",
            "pass customer_id_col=, date_col= or amount_col= to name the columns.",
        )
        end = _end_of(transactions, date_col, observation_end)
        if summary is None:
            summary = customer_summary(
                transactions,
                observation_end=end,
                customer_id_col=customer_id_col,
                date_col=date_col,
                amount_col=amount_col,
                order_id_col=order_id_col,
            )
        _require(
            summary,
            [customer_id_col, "days_since_last"],
            "customer summary",
            "build it with customer_summary(transactions).",
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
            _behaviour_codes(behaviour, r), dtype=_TYPE_DTYPE
        )
        if not _sorted_unique(behaviour["customer_id"]):  # a summary in id order is kept as it is
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
            attitude_type=pd.Categorical.from_codes(np.full(n, -1), dtype=_TYPE_DTYPE),
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
        if out[col].dtype != _TYPE_DTYPE:  # the behaviour rule's types are categorical already
            out[col] = out[col].astype("object").astype(_TYPE_DTYPE)
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


def basis_counts(types: pd.DataFrame) -> dict[str, int]:
    """How many customers each rule typed: by purchases only, by answer and purchases, by answer only.

    Parameters
    ----------
    types : pandas.DataFrame
        From :func:`classify_customers` (its ``basis`` column, or the counts it keeps in
        ``attrs``), or a :func:`type_profile` of it.

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
    """
    known = types.attrs.get("basis_counts")
    if known is not None:
        return {k: int(v) for k, v in known.items() if v}
    if "basis" not in types.columns:
        raise LoyaltyDataError("The frame has no 'basis' column; build it with classify_customers(...).")
    counts = types["basis"].astype("str").value_counts()
    return {b: int(counts[b]) for b in ("behaviour", "both", "attitude") if counts.get(b, 0)}


def type_labels(types: pd.DataFrame | None = None) -> dict[str, str]:
    """The name of each type, for what the types were read from (:data:`TYPE_LABELS`).

    Types read from purchases alone are named for the behaviour ("lapsed — likely
    dissatisfied"); when some customers were typed by a survey answer as well, the names
    say both ("lapsed or said dissatisfied"); only when every customer was typed by an
    answer do the attitudes stand alone ("dissatisfied").

    Parameters
    ----------
    types : pandas.DataFrame, optional
        As in :func:`basis_counts`; None (or a frame that says nothing of its basis) gives
        the behaviour's names, the careful choice.

    Returns
    -------
    dict
        Type code (``TYPES``) to label.

    Examples
    --------
    >>> type_labels()["dissatisfied"]
    'lapsed — likely dissatisfied'
    """
    try:
        counts = {"behaviour": 1} if types is None else basis_counts(types)
    except LoyaltyDataError:
        counts = {"behaviour": 1}
    answered = counts.get("both", 0) + counts.get("attitude", 0) > 0
    if counts.get("behaviour", 0):
        return dict(TYPE_LABELS["mixed" if answered else "behaviour"])
    return dict(TYPE_LABELS["attitude"])


def _same_text(text: str | None, n: int) -> pd.api.extensions.ExtensionArray:
    """``n`` times ``text`` (None: missing) as a "str" array, without a Python object per row."""
    values = pa.nulls(n, pa.string()) if text is None else pa.array([text]).take(np.zeros(n, dtype=np.int64))
    return pd.array(values, dtype="str")


def monthly_spend(
    summary: pd.DataFrame, *, revenue_col: str = "revenue", tenure_col: str = "tenure_days"
) -> pd.Series:
    """Net revenue per month since the first purchase, counting at least one month.

    ``monthly_spend = revenue / max(1, tenure_days / (365.25 / 12))``: a month is 365.25 / 12
    = 30.4375 days; a customer seen for less than a month is counted over one month, so a
    first-week customer is not credited with a huge monthly figure.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer; required columns ``revenue_col`` and ``tenure_col`` (days).
    revenue_col, tenure_col : str
        Column names.

    Returns
    -------
    pandas.Series
        Named ``monthly_spend``, with the index of ``summary``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing.

    Examples
    --------
    >>> s = pd.DataFrame({"revenue": [600.0, 50.0], "tenure_days": [365.25, 10]})
    >>> monthly_spend(s).tolist()
    [50.0, 50.0]
    """
    _require(
        summary,
        [revenue_col, tenure_col],
        "customer summary",
        "build it with customer_summary(transactions).",
    )
    months = (pd.to_numeric(summary[tenure_col]) / DAYS_PER_MONTH).clip(lower=1.0)
    return (pd.to_numeric(summary[revenue_col]) / months).astype("float64").rename("monthly_spend")


def _typed_summary(
    types: pd.DataFrame, summary: pd.DataFrame, customer_id_col: str, revenue_col: str, tenure_col: str
) -> pd.DataFrame:
    _require(types, ["customer_id", "type"], "types table", "build it with classify_customers(...).")
    _require(
        summary,
        [customer_id_col, revenue_col, tenure_col],
        "customer summary",
        "build it with customer_summary(transactions).",
    )
    typed = types.dropna(subset=["customer_id"])
    ids = typed["customer_id"].astype("str").reset_index(drop=True)
    # Whole columns, never element by element: pandas' text columns convert slowly to numpy.
    cust = pd.DataFrame(
        {
            "customer_id": summary[customer_id_col].astype("str").reset_index(drop=True),
            "revenue": pd.to_numeric(summary[revenue_col]).astype("float64").to_numpy(),
            "monthly_spend": monthly_spend(
                summary, revenue_col=revenue_col, tenure_col=tenure_col
            ).to_numpy(),
        }
    )
    codes = _type_codes(typed["type"])
    if ids.equals(cust["customer_id"]) and _sorted_unique(ids):  # the types of this very summary
        return cust.assign(code=codes)[["customer_id", "code", "revenue", "monthly_spend"]]
    dup = ids[ids.duplicated()]
    if not dup.empty:
        raise LoyaltyDataError(
            f"Customer(s) {dup.unique().tolist()[:5]} appear more than once in the types table; "
            "classify by customer (pass transactions= to classify_customers)."
        )
    joined = pd.DataFrame({"customer_id": ids, "code": codes})
    return joined.merge(cust, on="customer_id", how="inner")


def _type_codes(types: pd.Series) -> np.ndarray:
    """Each type's position in TYPES (-1 for a type outside them), read from the categories
    of classify_customers' column without looking at a million texts."""
    if isinstance(types.dtype, pd.CategoricalDtype) and list(types.dtype.categories) == list(TYPES):
        return types.cat.codes.to_numpy()
    return pd.Categorical(types.astype("object"), categories=list(TYPES)).codes


def _sorted_unique(ids: pd.Series) -> bool:
    """Whether text ids are strictly increasing, hence unique (compared in Arrow, not hashed)."""
    values = pa.array(ids)
    return values.null_count == 0 and (len(values) < 2 or pc.all(pc.greater(values[1:], values[:-1])).as_py())


def type_profile(
    types: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    customer_id_col: str = "customer_id",
    revenue_col: str = "revenue",
    tenure_col: str = "tenure_days",
) -> pd.DataFrame:
    """How many customers of each type there are, and what they bring in.

    Parameters
    ----------
    types : pandas.DataFrame
        Columns ``customer_id`` and ``type`` (:func:`classify_customers`), one row per customer.
    summary : pandas.DataFrame
        One row per customer; required columns ``customer_id_col``, ``revenue_col``,
        ``tenure_col``.
    customer_id_col, revenue_col, tenure_col : str
        Column names of ``summary``.

    Returns
    -------
    pandas.DataFrame
        One row per type (dissatisfied, satisfied, loyal) with columns ``type`` (ordered
        categorical), ``customers``, ``share_of_customers`` (0-1), ``revenue``,
        ``revenue_share`` (0-1, of the net revenue of all typed customers),
        ``revenue_per_customer`` and ``monthly_spend`` (mean of :func:`monthly_spend`).
        Only customers present in both tables count; ``result.attrs["left_out"]`` says how
        many typed customers had no summary row.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or a customer appears twice in ``types``.

    Examples
    --------
    >>> types = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "type": ["loyal", "satisfied", "satisfied"]})
    >>> summary = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "revenue": [600.0, 300.0, 100.0], "tenure_days": [365.25] * 3})
    >>> type_profile(types, summary)["revenue_share"].tolist()
    [0.0, 0.4, 0.6]
    """
    joined = _typed_summary(types, summary, customer_id_col, revenue_col, tenure_col)
    out = _profile(
        joined["code"].to_numpy(), joined["revenue"].to_numpy(), joined["monthly_spend"].to_numpy()
    )
    out.attrs["left_out"] = int(types["customer_id"].notna().sum() - len(joined))
    if "basis_counts" in types.attrs:  # what the types were read from, for their names
        out.attrs["basis_counts"] = dict(types.attrs["basis_counts"])
    return out


def _profile(codes: np.ndarray, revenue: np.ndarray, monthly: np.ndarray) -> pd.DataFrame:
    """The rows of type_profile from each customer's type code (a position in TYPES, or -1
    for a type outside them, counted in the total only), revenue and monthly spend.

    Missing figures count for nothing (numpy's nansum and nanmean), with the NaNs looked
    for once rather than once per type and figure."""
    n_total = len(codes)
    known_revenue, known_monthly = ~np.isnan(revenue), ~np.isnan(monthly)
    revenue, monthly = np.where(known_revenue, revenue, 0.0), np.where(known_monthly, monthly, 0.0)
    revenue_total = revenue.sum()
    rows = []
    for code, t in enumerate(TYPES):
        of_type = codes == code
        n = int(of_type.sum())
        part_revenue, part_monthly = revenue[of_type].sum(), monthly[of_type].sum()
        with_revenue, with_monthly = known_revenue[of_type].sum(), known_monthly[of_type].sum()
        rows.append(
            {
                "type": t,
                "customers": n,
                "share_of_customers": n / n_total if n_total else np.nan,
                "revenue": float(part_revenue),
                "revenue_share": part_revenue / revenue_total if revenue_total else np.nan,
                "revenue_per_customer": part_revenue / with_revenue if with_revenue else np.nan,
                "monthly_spend": part_monthly / with_monthly if with_monthly else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["type"] = out["type"].astype(_TYPE_DTYPE)
    out["customers"] = out["customers"].astype("int64")
    floats = ["share_of_customers", "revenue", "revenue_share", "revenue_per_customer", "monthly_spend"]
    out[floats] = out[floats].astype("float64")
    return out


#: Above this many random draws, :func:`spend_uplift` uses the normal approximation.
MAX_BOOTSTRAP_DRAWS = 20_000_000


@dataclass(frozen=True)
class SpendUplift:
    """How much more (in %) one type of customer spends per month than another.

    ``uplift`` = (mean monthly spend of ``of`` / mean monthly spend of ``over`` - 1) × 100;
    ``ci_low`` and ``ci_high`` bound an interval at ``confidence``, found as ``method``
    says (see :func:`spend_uplift`); ``n_of`` and ``n_over`` are the group sizes.
    """

    uplift: float
    ci_low: float
    ci_high: float
    n_of: int
    n_over: int
    of: str = "loyal"
    over: str = "satisfied"
    method: str = "bootstrap"
    confidence: float = 0.95

    @property
    def direction(self) -> str:
        """ "more" when the whole interval is above 0, "less" when below, "unclear" when it holds 0.

        Examples
        --------
        >>> SpendUplift(30.0, 10.0, 50.0, 100, 100).direction
        'more'
        """
        if self.ci_low > 0:
            return "more"
        if self.ci_high < 0:
            return "less"
        return "unclear"

    def versus(self, value: float) -> str:
        """Where the interval stands against ``value`` (in %, e.g. 46): "above", "below" or "inside".

        Examples
        --------
        >>> SpendUplift(30.0, 10.0, 50.0, 100, 100).versus(46)
        'inside'
        >>> SpendUplift(30.0, 10.0, 40.0, 100, 100).versus(46)
        'below'
        """
        if self.ci_low > value:
            return "above"
        if self.ci_high < value:
            return "below"
        return "inside"


def spend_uplift(
    types: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    of: str = "loyal",
    over: str = "satisfied",
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    customer_id_col: str = "customer_id",
    revenue_col: str = "revenue",
    tenure_col: str = "tenure_days",
) -> SpendUplift:
    """How much more ``of`` customers spend per month than ``over`` customers, in percent.

    The point estimate compares mean :func:`monthly_spend`; the interval resamples each
    group with replacement ``n_boot`` times (``numpy.random.default_rng(seed)``) and takes
    the percentiles of the resampled uplifts. When that would take more than
    :data:`MAX_BOOTSTRAP_DRAWS` draws (about 10,000 customers at 2,000 resamples), the
    interval is the delta-method normal one instead, which the bootstrap approaches with
    groups that large; ``method`` says which. [it-loyalty-steps] cites a Gallup
    figure of 46% more spent by emotionally connected customers than by merely satisfied
    ones; [fr-loyalty-value]'s $75 against $50 a month is 50%.

    Parameters
    ----------
    types, summary : pandas.DataFrame
        As in :func:`type_profile`.
    of, over : str
        The two types to compare (from ``TYPES``).
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int, default 0
        Seed of the random generator, so the interval is reproducible.
    confidence : float, default 0.95
        Level of the interval, between 0 and 1.
    customer_id_col, revenue_col, tenure_col : str
        Column names of ``summary``.

    Returns
    -------
    SpendUplift
        ``uplift``, ``ci_low``, ``ci_high`` in percent, ``n_of``, ``n_over``.

    Raises
    ------
    LoyaltyDataError
        If a type is unknown or has no customer, the ``over`` group spends nothing on
        average, or an argument is out of range.

    Examples
    --------
    >>> types = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "type": ["loyal", "loyal", "satisfied", "satisfied"]})
    >>> summary = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "revenue": [800.0, 1000.0, 500.0, 700.0], "tenure_days": [365.25] * 4})
    >>> round(spend_uplift(types, summary).uplift, 1)
    50.0
    """
    for name, value in (("of", of), ("over", over)):
        if value not in TYPES:
            raise LoyaltyDataError(f"{name}={value!r} is not a type; use one of {list(TYPES)}.")
    if not 0.0 < confidence < 1.0:
        raise LoyaltyDataError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}.")
    if int(n_boot) < 1:
        raise LoyaltyDataError(f"n_boot must be a positive number of resamples, got {n_boot!r}.")
    joined = _typed_summary(types, summary, customer_id_col, revenue_col, tenure_col)
    a = joined.loc[joined["code"] == TYPES.index(of), "monthly_spend"].to_numpy(dtype="float64")
    b = joined.loc[joined["code"] == TYPES.index(over), "monthly_spend"].to_numpy(dtype="float64")
    for name, group in ((of, a), (over, b)):
        if len(group) == 0:
            raise LoyaltyDataError(f"There is no {name!r} customer to compare.")
    if b.mean() <= 0:
        raise LoyaltyDataError(
            f"The {over!r} customers spend {b.mean():.2f} a month on average: "
            "an uplift in percent of that is meaningless."
        )
    ratio = a.mean() / b.mean()
    if int(n_boot) * (len(a) + len(b)) <= MAX_BOOTSTRAP_DRAWS:
        low, high = _bootstrap_interval(a, b, int(n_boot), seed, confidence)
        method = "bootstrap"
    else:
        # Delta method for a ratio of two independent means: what the bootstrap converges
        # to with groups this large, at no cost in time or memory.
        sd = ratio * math.sqrt(
            a.var(ddof=1) / (len(a) * a.mean() ** 2) + b.var(ddof=1) / (len(b) * b.mean() ** 2)
        )
        z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
        low, high = ((ratio - z * sd) - 1.0) * 100.0, ((ratio + z * sd) - 1.0) * 100.0
        method = "normal approximation"
    return SpendUplift(
        method=method,
        uplift=float((ratio - 1.0) * 100.0),
        ci_low=float(low),
        ci_high=float(high),
        n_of=int(len(a)),
        n_over=int(len(b)),
        of=of,
        over=over,
        confidence=float(confidence),
    )


def _bootstrap_interval(
    a: np.ndarray, b: np.ndarray, n_boot: int, seed: int, confidence: float
) -> tuple[float, float]:
    """Percentile interval of the uplift over ``n_boot`` resamples of each group."""
    rng = np.random.default_rng(seed)
    boot_a = a[rng.integers(0, len(a), size=(n_boot, len(a)))].mean(axis=1)
    boot_b = b[rng.integers(0, len(b), size=(n_boot, len(b)))].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.where(boot_b > 0, (boot_a / boot_b - 1.0) * 100.0, np.nan)
    tail = (1.0 - confidence) / 2.0
    low, high = np.nanquantile(boot, [tail, 1.0 - tail])
    return float(low), float(high)


def service_prescriptions() -> pd.DataFrame:
    """What each type of customer thinks, and the service that answers it ([fr-monitoring-loyalty]).

    Returns
    -------
    pandas.DataFrame
        Columns ``type``, ``state_of_mind``, ``prescription``; one row per type, from
        dissatisfied to loyal.

    Examples
    --------
    >>> service_prescriptions()["type"].tolist()
    ['dissatisfied', 'satisfied', 'loyal']
    """
    return pd.DataFrame(
        {
            "type": pd.Series(TYPES, dtype="str"),
            "state_of_mind": pd.Series(
                [
                    "Got less value or service than they counted on. Most will not tell you: "
                    "they simply come less often, then stop, and complain to friends instead.",
                    "Have no complaint, but nothing has impressed them either. A lower price, "
                    "a handier location or a competitor who notices them is enough to pull "
                    "them away.",
                    "Feel at home with you and would not think of switching, as long as you "
                    "keep living up to the high standard they now take for granted.",
                ],
                dtype="str",
            ),
            "prescription": pd.Series(
                [
                    "Contact them in person, find out what went wrong and answer their "
                    "concerns. The damage may already be done, but try anyway.",
                    "Treat them as VIPs: show your appreciation, do them small favours, offer "
                    "added value, bend your rules for them, think one step ahead of their needs, "
                    "and so win their trust.",
                    "Protect them as your most valuable asset: give them even more of the "
                    "attention you give satisfied customers. Never take them for granted, keep "
                    "your internal problems away from them, and do not let them wait while you "
                    "chase new customers.",
                ],
                dtype="str",
            ),
        }
    )


def complaints_by_type(
    types: pd.DataFrame,
    complaints: pd.DataFrame | None,
    *,
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """How many customers of each type complained at least once, and how many stayed silent.

    Parameters
    ----------
    types : pandas.DataFrame
        Columns ``customer_id`` and ``type`` (:func:`~loyalty_lessons.customer_types.classify_customers`),
        one row per customer.
    complaints : pandas.DataFrame or None
        The canonical complaints table; required column ``customer_id_col``. None (no
        complaints file) counts as no complaint at all.
    customer_id_col : str, default "customer_id"
        Column of ``complaints`` naming who complained.

    Returns
    -------
    pandas.DataFrame
        One row per type (dissatisfied, satisfied, loyal) with columns ``type`` (str),
        ``customers``, ``complainers`` (customers of the type with at least one complaint),
        ``complaints`` (how many complaints they made), ``share_complained``
        (complainers / customers, 0-1, NaN for an empty type) and ``silent_per_complainer``
        (customers who never complained per customer who did, NaN when nobody complained).
        Complaints from customers absent from ``types`` are left out and counted in
        ``result.attrs["unmatched_complaints"]``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or a customer appears twice in ``types``.

    Examples
    --------
    >>> types = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "type": ["dissatisfied", "dissatisfied", "dissatisfied", "loyal"]})
    >>> complaints = pd.DataFrame({"customer_id": ["a", "a", "d", "z"]})
    >>> table = complaints_by_type(types, complaints)
    >>> table["complainers"].tolist(), table["silent_per_complainer"].tolist()[0]
    ([1, 0, 1], 2.0)
    >>> table.attrs["unmatched_complaints"]
    1
    """
    _require(types, ["customer_id", "type"], "types table", "build it with classify_customers(...).")
    if complaints is not None:
        _require(
            complaints,
            [customer_id_col],
            "complaints table",
            "pass customer_id_col= to name the column of who complained.",
        )
    ids = types["customer_id"].astype("str")
    duplicated = ids[ids.duplicated()]
    if not duplicated.empty:
        raise LoyaltyDataError(
            f"Customer(s) {duplicated.unique().tolist()[:5]} appear more than once in the types "
            "table; classify by customer (pass transactions= to classify_customers)."
        )
    if complaints is None:
        per_customer = pd.Series(dtype="int64")
    else:
        per_customer = complaints[customer_id_col].dropna().astype("str").value_counts()
    counts = ids.map(per_customer).fillna(0).astype("int64").to_numpy()
    kind = types["type"].astype("str").to_numpy()
    rows = []
    for t in TYPES:
        mine = counts[kind == t]
        n, complainers = len(mine), int((mine > 0).sum())
        rows.append(
            {
                "type": t,
                "customers": n,
                "complainers": complainers,
                "complaints": int(mine.sum()),
                "share_complained": complainers / n if n else np.nan,
                "silent_per_complainer": (n - complainers) / complainers if complainers else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["type"] = out["type"].astype("str")
    out[["customers", "complainers", "complaints"]] = out[["customers", "complainers", "complaints"]].astype(
        "int64"
    )
    out[["share_complained", "silent_per_complainer"]] = out[
        ["share_complained", "silent_per_complainer"]
    ].astype("float64")
    out.attrs["unmatched_complaints"] = int(per_customer.sum() - counts.sum())
    return out
