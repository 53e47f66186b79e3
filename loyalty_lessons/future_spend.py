"""What each type of customer spends next: the value of loyalty measured out of sample.

:func:`~loyalty_lessons.customer_types.spend_uplift` compares what loyal and satisfied
customers spent over the very months that made them loyal or satisfied. The behaviour rule
calls "loyal" whoever bought often and recently, so over those months loyal customers spent
more partly by definition: that comparison describes the customers, it measures nothing.

Here the customers are typed at a **split date** from their purchases before it only, and
what each type spends **after** it is compared: the calibration and holdout periods with
which [fader-hardie-lee-2005] check a model on data it was not fitted on. Nothing a customer
spends after the split helps make them loyal, so a difference there is not built into the
definition. It is still an association, not a cause: customers who bought often tend to keep
buying often, and the figure does not say that making a customer loyal would raise their
spending by as much.

:func:`future_spend` gives each customer's type at the split and their spend before and
after it, from one scan of the transactions; :func:`future_spend_from_summary` computes the
same from a summary of the customers as of the split, which the report's
:func:`~loyalty_lessons.aggregates.aggregate` gives from its own scan;
:func:`future_spend_uplift` compares two types out of sample, with a bootstrap
interval ([efron-1979], the one of :func:`~loyalty_lessons.customer_types.spend_uplift`),
next to the in-sample comparison of the same customers before the split.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons import formatting
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.customer_types.classify import TYPE_LABELS, TYPE_RULES, classify_customers
from loyalty_lessons.customer_types.profile import DAYS_PER_MONTH, SpendUplift, spend_uplift, type_profile
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.lesson_texts import say, write_value
from loyalty_lessons.orders import last_date
from loyalty_lessons.scan import scan, split_summary

__all__ = [
    "HOLDOUT_DAYS",
    "FutureSpendUplift",
    "future_spend",
    "future_spend_from_summary",
    "future_spend_uplift",
]

#: Default length of the period after the split in which spend is measured.
HOLDOUT_DAYS = 365


def future_spend(
    transactions: pd.DataFrame | str | Path,
    *,
    split: str | pd.Timestamp | None = None,
    holdout_days: int = HOLDOUT_DAYS,
    observation_end: str | pd.Timestamp | None = None,
    rules: dict | None = None,
    summary: pd.DataFrame | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
    one_line_orders: bool = False,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """Each customer's behaviour type at a split date, and what they spent before and after it.

    The type is :func:`~loyalty_lessons.customer_types.classify_customers`' behaviour rule
    applied at ``split`` to the purchases up to ``split`` only. The spend after the split is
    the net revenue (refunds included) from the day after ``split`` to ``observation_end``;
    a customer who did not come back spent 0 and counts as such.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
        A file is read by DuckDB, never loaded whole.
    split : date-like, optional
        The last day of the first period; defaults to ``holdout_days`` days before
        ``observation_end``.
    holdout_days : int, default 365
        Length of the period after the split, when ``split`` is not given.
    observation_end : date-like, optional
        The last day of the second period; defaults to the last transaction date.
    rules : dict, optional
        Overrides of :data:`~loyalty_lessons.customer_types.TYPE_RULES`.
    summary : pandas.DataFrame, optional
        Not used: the one scan gives the revenue at ``observation_end`` too (kept so that
        calls that pass it still work).
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names of ``transactions``.
    one_line_orders : bool
        Every row is an order of its own (see :func:`~loyalty_lessons.scan.scan`).
    engine : {"duckdb", "spark"}
        Where the transactions are scanned (see :func:`~loyalty_lessons.aggregates.aggregate`).

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase on or before ``split``, sorted by
        ``customer_id``: ``customer_id``, ``type`` (at the split), ``days_since_last`` and
        ``orders_in_window`` (at the split, what the rule looked at), ``revenue_before``,
        ``tenure_days_before`` (first purchase to split), ``monthly_spend_before`` (as
        :func:`~loyalty_lessons.customer_types.monthly_spend`), ``revenue_after`` and
        ``monthly_spend_after`` (``revenue_after`` per month of the second period).
        ``attrs``: ``split``, ``observation_end``, ``holdout_days``, ``holdout_months``
        and ``rule`` (the typing rule in words).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, the split is not after the first transaction, or the second
        period is shorter than a month.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a"] * 8 + ["b", "b"],
    ...     "date": pd.to_datetime(["2023-01-05", "2023-03-01", "2023-05-01", "2023-07-01",
    ...         "2023-09-01", "2023-12-01", "2024-03-01", "2024-06-01", "2023-10-01", "2024-02-01"]),
    ...     "amount": [10.0] * 8 + [30.0, 60.0]})
    >>> spend = future_spend(tx, split="2023-12-31", observation_end="2024-12-30")
    >>> spend[["customer_id", "type", "revenue_before", "revenue_after"]].values.tolist()
    [['a', 'loyal', 60.0, 20.0], ['b', 'satisfied', 30.0, 60.0]]
    """
    end = (
        pd.Timestamp(observation_end).normalize()
        if observation_end is not None
        else last_date(transactions, date_col)
    )
    cut = end - pd.Timedelta(days=int(holdout_days)) if split is None else pd.Timestamp(split).normalize()
    _days_after(cut, end)
    r = {**TYPE_RULES, **(rules or {})}
    if engine == "spark":
        from loyalty_lessons import spark

        scan_on = spark.scan
    else:
        scan_on = scan
    activity = scan_on(
        transactions,
        observation_end=end,
        window_days=int(r["loyal_window_days"]),
        split=cut,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
        one_line_orders=one_line_orders,
    )
    return future_spend_from_summary(
        split_summary(activity.customers), split=cut, observation_end=end, rules=rules
    )


def _days_after(split: pd.Timestamp, end: pd.Timestamp) -> int:
    """Days from the split to the end, or a :class:`LoyaltyDataError` when under a month."""
    days_after = int((end - split).days)
    if days_after < DAYS_PER_MONTH:
        raise LoyaltyDataError(
            f"The split {split:%Y-%m-%d} leaves {max(days_after, 0)} days before the end of the data "
            f"({end:%Y-%m-%d}); spend after it needs at least a month: choose an earlier split."
        )
    return days_after


def future_spend_from_summary(
    before: pd.DataFrame,
    *,
    split: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    rules: dict | None = None,
) -> pd.DataFrame:
    """:func:`future_spend` from the customers summarised as of the split.

    Parameters
    ----------
    before : pandas.DataFrame
        The customers with a purchase on or before ``split``, summarised as of it, as
        :func:`~loyalty_lessons.scan.split_summary` gives them (``Aggregates.before_split``):
        ``customer_id``, ``revenue``, ``days_since_last``, ``tenure_days``,
        ``orders_in_window`` (purchases in the ``loyal_window_days`` days up to the split) and
        ``revenue_after`` (net revenue after the split, up to ``observation_end``).
    split, observation_end : date-like
        The last days of the first and the second period.
    rules : dict, optional
        Overrides of :data:`~loyalty_lessons.customer_types.TYPE_RULES`; ``orders_in_window``
        must count the rules' ``loyal_window_days``.

    Returns
    -------
    pandas.DataFrame
        As :func:`future_spend`.

    Raises
    ------
    LoyaltyDataError
        If nobody bought on or before the split, or the second period is shorter than a month.
    """
    cut, end = pd.Timestamp(split).normalize(), pd.Timestamp(observation_end).normalize()
    days_after = _days_after(cut, end)
    customers = before.reset_index(drop=True)
    if customers.empty:
        raise LoyaltyDataError(
            f"No purchase on or before the split {cut:%Y-%m-%d}, so nobody can be typed before it: "
            "choose a later split or a shorter period after it."
        )
    types = classify_customers(
        customers, orders_in_window=customers.set_index("customer_id")["orders_in_window"], rules=rules
    )
    rule = types.attrs["rule"]
    ids = customers["customer_id"].astype("str")
    if not types["customer_id"].reset_index(drop=True).equals(ids):  # typed in another order
        types = types.set_index("customer_id").reindex(ids).reset_index()
    revenue_before = customers["revenue"].to_numpy(dtype="float64")
    revenue_after = customers["revenue_after"].to_numpy(dtype="float64")
    tenure = customers["tenure_days"].to_numpy(dtype="float64")
    holdout_months = days_after / DAYS_PER_MONTH
    out = pd.DataFrame(
        {
            "customer_id": ids.array,  # arrays, not NumPy: no million Python strings
            "type": types["type"].array,
            "days_since_last": types["days_since_last"].to_numpy(),
            "orders_in_window": types["orders_in_window"].to_numpy(),
            "revenue_before": revenue_before,
            "tenure_days_before": tenure,
            "monthly_spend_before": revenue_before / np.maximum(1.0, tenure / DAYS_PER_MONTH),
            "revenue_after": revenue_after,
            "monthly_spend_after": revenue_after / holdout_months,
        }
    )
    out.attrs.update(
        split=cut, observation_end=end, holdout_days=days_after, holdout_months=holdout_months, rule=rule
    )
    return out


@dataclass(frozen=True)
class FutureSpendUplift:
    """How much more one type spent than another after the split, and before it.

    Attributes
    ----------
    out_of_sample : SpendUplift
        Spend per month after the split, types from before it: the value of loyalty
        measured on months that played no part in the typing.
    in_sample : SpendUplift
        The same customers' spend per month before the split, over the months that typed
        them: partly true by definition, descriptive only.
    profile : pandas.DataFrame
        :func:`~loyalty_lessons.customer_types.type_profile` of the period after the split:
        customers of each type at the split, their revenue after it and their mean spend
        per month after it (``monthly_spend``).
    split, observation_end : Timestamp
        The last days of the first and the second period.
    holdout_months : float
        Length of the second period in months (of 365.25 / 12 days).
    """

    out_of_sample: SpendUplift
    in_sample: SpendUplift
    profile: pd.DataFrame
    split: pd.Timestamp
    observation_end: pd.Timestamp
    holdout_months: float

    def describe(self, reference: float = 46.0, language: str = DEFAULT_LANGUAGE) -> str:
        """The finding in words, each comparison read from the intervals.

        ``reference`` (in %) is set against the out-of-sample interval: by default the 46%
        of [it-loyalty-steps], which measures an attitude, not purchases. ``language`` is
        the language of the words (``[lessons.future_spend]`` of the catalogue).

        Examples
        --------
        >>> u = SpendUplift(30.0, 10.0, 40.0, 50, 80)
        >>> result = FutureSpendUplift(u, SpendUplift(90.0, 70.0, 110.0, 50, 80), pd.DataFrame(),
        ...     pd.Timestamp("2024-12-31"), pd.Timestamp("2025-12-31"), 12.0)
        >>> print(result.describe())  # doctest: +NORMALIZE_WHITESPACE
        Customers typed regular on 2024-12-31 spent 30% more per month than those typed occasional over
        the next 12 months (95% interval 10% to 40%: more); the interval lies below 46%. Over the
        months that typed them, 90% more (partly true by definition).
        >>> print(result.describe(language="it"))  # doctest: +NORMALIZE_WHITESPACE
        I clienti classificati abituali al 31 dicembre 2024 hanno speso il 30% in più al mese rispetto
        a quelli classificati occasionali nei 12 mesi successivi (intervallo al 95%: dal 10% al 40%:
        spesa più alta); l’intervallo sta sotto il 46%. Nei mesi che li hanno classificati: il 90% in
        più (in parte vero per definizione).
        """
        u, inside = self.out_of_sample, self.in_sample
        english = language == DEFAULT_LANGUAGE

        def points(value: float, decimals: int = 0) -> str:
            if english:
                return f"{value:.{decimals}f}%"
            return write_value(value, language, "points", decimals)

        def more(value: float) -> str:
            return entry(language, f"lessons.future_spend.{'more' if value >= 0 else 'less'}")

        if english:
            # typed from purchases alone: named for the behaviour ("regular", "occasional")
            of, over = (TYPE_LABELS["behaviour"][t].partition(" — ")[0] for t in (u.of, u.over))
            split, months = f"{self.split:%Y-%m-%d}", f"{self.holdout_months:.0f}"
        else:
            of, over = (entry(language, f"lessons.future_spend.typed.{t}") for t in (u.of, u.over))
            split = formatting.format_date(self.split, entry(language, "format.date"), locale=language)
            months = write_value(round(self.holdout_months), language)
        reference_text = points(reference, 0 if float(reference).is_integer() else 1)
        return say(
            "future_spend.describe",
            language,
            of=of,
            over=over,
            split=split,
            uplift=points(abs(u.uplift)),
            direction=more(u.uplift),
            months=months,
            confidence=points(100 * u.confidence),
            low=points(u.ci_low),
            high=points(u.ci_high),
            verdict=entry(language, f"lessons.future_spend.verdicts.{u.direction}"),
            place=say(f"future_spend.{u.versus(reference)}", language, reference=reference_text),
            in_sample=points(abs(inside.uplift)),
            in_direction=more(inside.uplift),
        )


def future_spend_uplift(
    spend: pd.DataFrame,
    *,
    of: str = "loyal",
    over: str = "satisfied",
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> FutureSpendUplift:
    """How much more ``of`` customers spent per month after the split than ``over`` customers.

    Both comparisons are :func:`~loyalty_lessons.customer_types.spend_uplift` (mean spend
    per month, percentile bootstrap interval of ``n_boot`` resamples with
    ``numpy.random.default_rng(seed)``): out of sample on the spend after the split (every
    customer over the same months, those who did not come back at 0), in sample on the
    spend before it.

    Parameters
    ----------
    spend : pandas.DataFrame
        From :func:`future_spend`.
    of, over : str
        The two types to compare.
    n_boot, seed, confidence
        As in :func:`~loyalty_lessons.customer_types.spend_uplift`.

    Returns
    -------
    FutureSpendUplift

    Raises
    ------
    LoyaltyDataError
        If a column is missing, a type has no customer at the split, or the ``over``
        customers spent nothing in a period.

    Examples
    --------
    >>> spend = pd.DataFrame({"customer_id": list("abcd"),
    ...     "type": ["loyal", "loyal", "satisfied", "satisfied"],
    ...     "revenue_before": [600.0, 600.0, 120.0, 120.0], "tenure_days_before": [365.25] * 4,
    ...     "revenue_after": [150.0, 150.0, 100.0, 100.0]})
    >>> spend.attrs.update(split=pd.Timestamp("2024-06-30"), observation_end=pd.Timestamp("2025-06-30"),
    ...                    holdout_days=365, holdout_months=365 / (365.25 / 12))
    >>> result = future_spend_uplift(spend)
    >>> round(result.out_of_sample.uplift, 1), round(result.in_sample.uplift, 1)
    (50.0, 400.0)
    """
    missing = [
        c
        for c in ("customer_id", "type", "revenue_before", "tenure_days_before", "revenue_after")
        if c not in spend.columns
    ]
    if missing or "holdout_days" not in spend.attrs:
        raise LoyaltyDataError(
            f"The frame lacks {missing or 'its split dates (attrs)'}; "
            "build it with future_spend(transactions)."
        )
    types = spend[["customer_id", "type"]]
    after = pd.DataFrame(
        {
            "customer_id": spend["customer_id"],
            "revenue": spend["revenue_after"],
            "tenure_days": float(spend.attrs["holdout_days"]),
        }
    )
    before = pd.DataFrame(
        {
            "customer_id": spend["customer_id"],
            "revenue": spend["revenue_before"],
            "tenure_days": spend["tenure_days_before"],
        }
    )
    options = {"of": of, "over": over, "n_boot": n_boot, "seed": seed, "confidence": confidence}
    return FutureSpendUplift(
        out_of_sample=spend_uplift(types, after, **options),
        in_sample=spend_uplift(types, before, **options),
        profile=type_profile(types, after),
        split=pd.Timestamp(spend.attrs["split"]),
        observation_end=pd.Timestamp(spend.attrs["observation_end"]),
        holdout_months=float(spend.attrs["holdout_months"]),
    )
