"""The loyalty signals of [fr-monitoring-loyalty], each judged against its noise
(:func:`loyalty_signals`).

A signal compares the last ``window`` periods it may use with the ``window`` periods before
them, in a table of :func:`~loyalty_lessons.monitoring.monitoring_table`, and calls a change
only beyond its band of normal variation (:mod:`loyalty_lessons.noise`). New customers come
mostly from acquisition, not from loyalty: they are judged beside the two signals of loyalty
(early defection, spend per order). The functions are re-exported by
:mod:`loyalty_lessons.monitoring`; ``docs/monitoring.md`` describes them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons.activity import PERIODS
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.noise import (
    CONFIDENCE,
    Change,
    count_change,
    mean_change,
    share_change,
    spread_change,
    verdict,
)

__all__ = ["LOYALTY_SIGNALS", "MIN_COUNT", "SPREAD_PERIODS", "loyalty_signals"]

#: The three signals of [fr-monitoring-loyalty]: how each is tested against its noise
#: (``test``: ``"count"`` of events per period, Poisson; ``"share"`` of ``events`` out of a
#: ``total``, binomial; ``"mean"`` with its ``sd`` and ``n`` per period), from which columns of
#: :func:`monitoring_table`, which direction is good, the column that shows it (``metric``)
#: and how values read in a message.
LOYALTY_SIGNALS: dict[str, dict[str, str]] = {
    "new_customers": {
        "test": "count",
        "count": "new_customers",
        "metric": "new_customers",
        "better": "higher",
        "label": "New customers per {period}",
        "format": "{:,.0f}",
    },
    "early_defection": {
        "test": "share",
        "events": "early_defections",
        "total": "new_customers",
        "metric": "early_defection_rate",
        "better": "lower",
        "label": "Share of new customers lost after one or two purchases",
        "format": "{:.0%}",
    },
    "spend_per_order": {
        "test": "mean",
        "mean": "spend_per_order",
        "sd": "spend_per_order_sd",
        "n": "orders",
        "metric": "spend_per_order",
        "better": "higher",
        "label": "Spend per order",
        "format": "{:,.2f}",
    },
}

#: The columns each kind of test reads, by their keys in a rule of :data:`LOYALTY_SIGNALS`.
_TESTS = {"count": ("count",), "share": ("events", "total"), "mean": ("mean", "sd", "n")}

#: Fewest new customers or orders a signal is judged from (see :func:`loyalty_signals`).
MIN_COUNT = 20

#: Most periods before the later window over which the period-to-period spread of a mean
#: (spend per order) is measured: a year of months. At least ``2 × window`` are needed.
SPREAD_PERIODS = 12

#: Periods in a year, to compare a window with the same periods a year earlier.
_PER_YEAR = {"W": 52, "M": 12, "Q": 4, "Y": 1}


def _period_word(table: pd.DataFrame) -> str:
    code = table.attrs.get("period")
    if code is None and "period" in table and isinstance(table["period"].dtype, pd.PeriodDtype):
        code = table["period"].dtype.freq.freqstr[0]
    return PERIODS.get(str(code), "period")


def _labels(table: pd.DataFrame) -> list[str]:
    """Each row's period as text ("2024-03"), or its index label for a table without periods."""
    source = table["period"] if "period" in table else table.index.to_series()
    return [str(value) for value in source]


def _span(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}"


def _sums(table: pd.DataFrame, rows: np.ndarray, column: str) -> float:
    return float(np.nansum(table[column].to_numpy(dtype="float64")[rows]))


def _pooled_mean_sd(table: pd.DataFrame, rows: np.ndarray, rule: dict) -> tuple[float, float, int]:
    """Mean, standard deviation and number of the values behind a window's per-period means."""
    n = table[rule["n"]].to_numpy(dtype="float64")[rows]
    means = table[rule["mean"]].to_numpy(dtype="float64")[rows]
    sds = table[rule["sd"]].to_numpy(dtype="float64")[rows]
    has = n > 0
    total = int(n[has].sum())
    if total == 0:
        return np.nan, np.nan, 0
    mean = float((n[has] * means[has]).sum() / total)
    if total < 2:
        return mean, np.nan, total
    # Spread within each period (periods of one value have none) and between their means.
    within = np.nansum(np.where(n > 1, (n - 1) * sds**2, 0.0))
    between = float((n[has] * (means[has] - mean) ** 2).sum())
    return mean, float(np.sqrt((within + between) / (total - 1))), total


def _band_text(rule: dict, band: float, word: str) -> str:
    if rule["test"] == "share":
        return f"{100 * band:.0f} points"
    text = rule.get("format", "{:,.2f}").format(band)
    return f"{text} a {word}" if rule["test"] == "count" else text


_REASONS = {
    "too_short": "only {usable} {unit} can be compared yet, {needed} are needed",
    "too_short_defection": (
        "only {usable} {unit} have had the {days} days it takes to judge their new customers, "
        "{needed} are needed"
    ),
    "closed_group": "no customer was acquired after {last}: this data is one closed group of customers",
    "no_new_customers": "no customer was acquired from {first} to {last}",
    "no_new_customers_one": "no customer was acquired in {first}",
    "too_few": (
        "too few new customers in these {unit} to judge ({before} and {after}; "
        "at least {minimum} are needed in each window)"
    ),
    "too_few_total": (
        "too few new customers in these {unit} to judge ({total}; at least {minimum} are needed)"
    ),
    "too_few_orders": (
        "too few orders in these {unit} to judge ({before} and {after}; "
        "at least {minimum} are needed in each window)"
    ),
}


def _not_applicable(
    table: pd.DataFrame,
    rule: dict,
    eligible: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    window: int,
    min_count: int,
) -> tuple[str, dict] | None:
    """Why a signal cannot be judged (a reason code and its values), or None when it can."""
    usable, needed = int(eligible.sum()), 2 * window
    if usable < needed:
        if rule["test"] == "share":
            return "too_short_defection", {
                "usable": usable,
                "needed": needed,
                "days": 2 * table.attrs.get("early_defection_days", 180),
            }
        return "too_short", {"usable": usable, "needed": needed}
    labels = _labels(table)
    if rule["test"] in ("count", "share"):
        column = rule["count"] if rule["test"] == "count" else rule["total"]
        counts = table[column].to_numpy(dtype="float64")
        in_before, in_after = _sums(table, before, column), _sums(table, after, column)
        empty = in_after == 0 and (rule["test"] == "share" or in_before == 0)
        if empty:
            acquired = np.flatnonzero(counts > 0)
            first_after = np.flatnonzero(after)[0]
            if len(acquired) and acquired[-1] < first_after:
                return "closed_group", {"last": labels[acquired[-1]], "count": int(counts[acquired[-1]])}
            rows = np.flatnonzero(after if in_before > 0 else before | after)
            first, last = labels[rows[0]], labels[rows[-1]]
            code = "no_new_customers" if first != last else "no_new_customers_one"
            return code, {"first": first, "last": last}
        if rule["test"] == "count" and in_before + in_after < min_count:
            return "too_few_total", {"total": int(in_before + in_after), "minimum": min_count}
        if rule["test"] == "share" and min(in_before, in_after) < min_count:
            return "too_few", {"before": int(in_before), "after": int(in_after), "minimum": min_count}
        return None
    in_before, in_after = _sums(table, before, rule["n"]), _sums(table, after, rule["n"])
    if min(in_before, in_after) < max(min_count, 2):
        return "too_few_orders", {
            "before": int(in_before),
            "after": int(in_after),
            "minimum": max(min_count, 2),
        }
    return None


def _history(table: pd.DataFrame, rule: dict, eligible: np.ndarray, after: np.ndarray, window: int):
    """The per-period means of up to :data:`SPREAD_PERIODS` usable periods before the later
    window, or None when fewer than ``2 × window`` have any order."""
    start = np.flatnonzero(after)[0]
    rows = np.flatnonzero(eligible[:start] & (table[rule["n"]].to_numpy(dtype="float64")[:start] > 0))
    rows = rows[-SPREAD_PERIODS:]
    return table[rule["mean"]].to_numpy(dtype="float64")[rows] if len(rows) >= 2 * window else None


def _judge(
    table: pd.DataFrame,
    rule: dict,
    before: np.ndarray,
    after: np.ndarray,
    window: int,
    confidence: float,
    eligible: np.ndarray,
) -> tuple[Change, str]:
    """The change and what its band measures: ``"orders"`` (the amounts of the orders, the
    new customers, the intake) or ``"periods"`` (the spread of a mean from period to period,
    when it is the wider of the two)."""
    if rule["test"] == "count":
        return count_change(
            int(round(_sums(table, before, rule["count"]))),
            int(round(_sums(table, after, rule["count"]))),
            before_periods=window,
            after_periods=window,
            confidence=confidence,
        ), "orders"
    if rule["test"] == "share":
        return share_change(
            int(round(_sums(table, before, rule["events"]))),
            int(round(_sums(table, before, rule["total"]))),
            int(round(_sums(table, after, rule["events"]))),
            int(round(_sums(table, after, rule["total"]))),
            confidence=confidence,
        ), "orders"
    orders = mean_change(
        *_pooled_mean_sd(table, before, rule), *_pooled_mean_sd(table, after, rule), confidence=confidence
    )
    history = _history(table, rule, eligible, after, window)
    if history is None:
        return orders, "orders"
    months = spread_change(
        orders.before,
        orders.after,
        history,
        before_periods=window,
        after_periods=window,
        confidence=confidence,
    )
    return (months, "periods") if months.band > orders.band else (orders, "orders")


def _denominator(table: pd.DataFrame, rule: dict) -> np.ndarray:
    """Per period, what a signal's level is taken over: periods (a count), new customers (a
    share), orders (a mean)."""
    if rule["test"] == "count":
        return np.ones(len(table))
    return table[rule["total"] if rule["test"] == "share" else rule["n"]].to_numpy(dtype="float64")


def _level(table: pd.DataFrame, rule: dict, rows: np.ndarray) -> float:
    """A signal's level over some periods: per period, pooled share or pooled mean."""
    mask = np.zeros(len(table), dtype=bool)
    mask[rows] = True
    if rule["test"] == "count":
        return _sums(table, mask, rule["count"]) / len(rows)
    if rule["test"] == "share":
        return _sums(table, mask, rule["events"]) / _sums(table, mask, rule["total"])
    return _pooled_mean_sd(table, mask, rule)[0]


def _year_before(table: pd.DataFrame, rule: dict, eligible: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The rows of the periods a year before the later window, when the signal may use all of
    them and they hold something to take a level over; else empty."""
    rows = np.flatnonzero(after) - _PER_YEAR.get(str(table.attrs.get("period", "M")), 12)
    if not len(rows) or rows[0] < 0 or not eligible[rows].all():
        return np.array([], dtype=int)
    return rows if _denominator(table, rule)[rows].sum() > 0 else np.array([], dtype=int)


def _note_level(
    row: dict, key: str, rows: np.ndarray, table, rule: dict, labels: list[str], fmt: str
) -> None:
    """Put the signal's level over ``rows`` (if any) on ``row`` as ``key`` and ``key``_periods,
    and say it in the row's message: its latest level, or the same months a year earlier."""
    if not len(rows):
        return
    level, periods = _level(table, rule, rows), [labels[i] for i in rows]
    row.update({key: level, f"{key}_periods": periods})
    if key == "level":
        row["message"] += f" Its latest level: {fmt.format(level)} ({_span(periods)})."
    else:
        row["message"] += f" A year earlier ({_span(periods)}): {fmt.format(level)}."


def _latest(table: pd.DataFrame, rule: dict, eligible: np.ndarray, window: int) -> np.ndarray:
    """The last ``window`` periods a signal may use that hold new customers (a share) or
    orders (a mean): where its latest level is stated when no change can be judged."""
    if rule["test"] == "count":
        return np.array([], dtype=int)
    return np.flatnonzero(eligible & (_denominator(table, rule) > 0))[-window:]


def _eligible(table: pd.DataFrame, rule: dict) -> np.ndarray:
    """Rows a signal may compare: complete periods, and for a share those already judged."""
    rows = table["complete"].to_numpy(dtype=bool) if "complete" in table else np.ones(len(table), dtype=bool)
    if rule["test"] == "share":
        rows = rows & ~np.isnan(table[rule["events"]].to_numpy(dtype="float64"))
    return rows


_SIGNAL_COLUMNS = [
    "signal",
    "label",
    "metric",
    "before",
    "after",
    "change",
    "difference",
    "band",
    "p_value",
    "verdict",
    "before_periods",
    "after_periods",
    "band_basis",
    "year_before",
    "year_before_periods",
    "level",
    "level_periods",
    "reason_code",
    "reason_values",
    "reason",
    "message",
]


def loyalty_signals(
    table: pd.DataFrame,
    *,
    window: int = 3,
    min_count: int = MIN_COUNT,
    confidence: float = CONFIDENCE,
    signals: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Judge the three loyalty signals of [fr-monitoring-loyalty] against their noise.

    Each signal compares the last ``window`` periods it may use (``after``) with the
    ``window`` periods before them (``before``): complete periods, and for early defections
    the periods whose new customers have all been followed for the full time
    (``2 × early_defection_days``), so every compared month had the same chance to be
    counted. The change is called ``improving`` or ``worsening`` only when it is beyond the
    band of normal variation at ``confidence`` (:mod:`loyalty_lessons.noise`): new customers
    as Poisson counts, early defections as a binomial share of the compared intake, spend
    per order as a mean of order amounts with its standard error or, when it is wider, the
    spread of the per-period means over up to :data:`SPREAD_PERIODS` periods before the
    later window (at least ``2 × window``): a monthly spend per order moves with the season
    and with who still buys, not only with the noise of single orders. Otherwise it is
    ``within noise``. A signal that cannot be judged is ``not applicable``, with the reason
    and, for a share or a mean, its level over the last ``window`` periods that have one.
    New customers are counted beside the two signals of loyalty: they come mostly from
    acquisition, not from loyalty.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`monitoring_table`, or any frame in time order with the columns the
        rules name (by default ``new_customers``, ``early_defections``, ``spend_per_order``,
        ``spend_per_order_sd``, ``orders``) and optionally ``period`` and a boolean
        ``complete``.
    window : int
        Number of periods in each of the two compared windows.
    min_count : int
        Fewest new customers (in both windows together for the count, in each window for
        the share) or orders (in each window) a signal is judged from.
    confidence : float
        Confidence level of the band of normal variation (0.95: a change that nothing but
        chance would make is called one time in twenty).
    signals : dict or None
        Replaces :data:`LOYALTY_SIGNALS` (same keys); ``{period}`` in a label becomes
        "week", "month", ...

    Returns
    -------
    pandas.DataFrame
        One row per signal, columns ``signal``, ``label``, ``metric`` (the column that shows
        it), ``before`` and ``after`` (per period for a count, a share, a mean), ``change``
        (relative, NaN from 0), ``difference`` (``after - before``), ``band`` (half-width of
        normal variation of the difference), ``p_value``, ``verdict`` (``improving``,
        ``worsening``, ``within noise`` or ``not applicable``), ``before_periods`` and
        ``after_periods`` (lists of the compared periods as text), ``band_basis``
        (``"orders"``, or ``"periods"`` when the band is the spread from period to period;
        None when not judged), ``year_before`` and ``year_before_periods`` (the level of the
        same periods a year before the later window and those periods, when the signal may
        use them; NaN and an empty list otherwise), ``level`` and ``level_periods`` (when not
        applicable: the level of a share or a mean over the last ``window`` periods that have
        one, NaN and an empty list otherwise), ``reason_code``,
        ``reason_values`` (dict) and ``reason`` (why a signal is not applicable; None
        otherwise) and ``message`` (one plain sentence). ``attrs`` holds ``window``,
        ``confidence`` and ``min_count``.

    Raises
    ------
    LoyaltyDataError
        If ``window`` < 1, ``min_count`` < 1, a column is missing or a signal's ``better``
        is neither "higher" nor "lower".

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "period": pd.period_range("2024-01", periods=6, freq="M"),
    ...     "new_customers": [60, 55, 65, 40, 38, 42],
    ...     "early_defections": [18, 17, 19, 12, 11, 13],
    ...     "orders": [900] * 6,
    ...     "spend_per_order": [40.0, 40.5, 39.5, 40.2, 39.8, 40.1],
    ...     "spend_per_order_sd": [25.0] * 6,
    ... })
    >>> loyalty_signals(table)["verdict"].tolist()
    ['worsening', 'within noise', 'within noise']
    >>> print(loyalty_signals(table)["message"].iloc[0])
    New customers per month went from 60 (2024-01 to 2024-03) to 40 (2024-04 to 2024-06), \
beyond normal variation (± 11 a month): worsening.
    """
    if window < 1:
        raise LoyaltyDataError(f"window={window} must be a whole number of periods >= 1.")
    if min_count < 1:
        raise LoyaltyDataError(f"min_count={min_count} must be at least 1 (customers or orders).")
    rules = LOYALTY_SIGNALS if signals is None else signals
    word = _period_word(table)
    labels = _labels(table)
    rows = []
    for name, rule in rules.items():
        test = rule.get("test")
        if test not in _TESTS:
            raise LoyaltyDataError(f"signal {name!r} has test={test!r}; use one of {sorted(_TESTS)}.")
        missing = [rule[key] for key in _TESTS[test] if rule[key] not in table]
        if missing:
            raise LoyaltyDataError(
                f"signal {name!r} needs the column(s) {missing}, which the table lacks; "
                "build the table with monitoring_table()."
            )
        better = rule["better"]
        if better not in ("higher", "lower"):
            raise LoyaltyDataError(f"signal {name!r} has better={better!r}; use 'higher' or 'lower'.")
        eligible = _eligible(table, rule)
        chosen = np.flatnonzero(eligible)[-2 * window :]
        before, after = np.zeros(len(table), dtype=bool), np.zeros(len(table), dtype=bool)
        if len(chosen) == 2 * window:
            before[chosen[:window]], after[chosen[window:]] = True, True
        label = rule.get("label", rule["metric"]).format(period=word)
        fmt = rule.get("format", "{:,.2f}")
        row = {
            "signal": name,
            "label": label,
            "metric": rule["metric"],
            "before": np.nan,
            "after": np.nan,
            "change": np.nan,
            "difference": np.nan,
            "band": np.nan,
            "p_value": np.nan,
            "verdict": "not applicable",
            "before_periods": [labels[i] for i in np.flatnonzero(before)],
            "after_periods": [labels[i] for i in np.flatnonzero(after)],
            "band_basis": None,
            "year_before": np.nan,
            "year_before_periods": [],
            "level": np.nan,
            "level_periods": [],
            "reason_code": None,
            "reason_values": None,
            "reason": None,
        }
        why = _not_applicable(table, rule, eligible, before, after, window, min_count)
        if why is not None:
            code, values = why
            unit = f"{word}s"
            row.update(
                reason_code=code, reason_values=values, reason=_REASONS[code].format(unit=unit, **values)
            )
            row["message"] = f"{label}: not applicable, {row['reason']}."
            _note_level(row, "level", _latest(table, rule, eligible, window), table, rule, labels, fmt)
            rows.append(row)
            continue
        change, basis = _judge(table, rule, before, after, window, confidence, eligible)
        row.update(
            before=change.before,
            after=change.after,
            difference=change.difference,
            band=change.band,
            p_value=change.p_value,
            verdict=verdict(change, better),
            change=change.difference / abs(change.before) if change.before else np.nan,
            band_basis=basis,
        )
        spans = (
            f"{label} went from {fmt.format(change.before)} ({_span(row['before_periods'])}) "
            f"to {fmt.format(change.after)} ({_span(row['after_periods'])})"
        )
        band = _band_text(rule, change.band, word)
        if basis == "periods":
            band += f" from {word} to {word}"
        if row["verdict"] == "within noise":
            row["message"] = f"{spans}: within normal variation (± {band})."
        else:
            row["message"] = f"{spans}, beyond normal variation (± {band}): {row['verdict']}."
        _note_level(row, "year_before", _year_before(table, rule, eligible, after), table, rule, labels, fmt)
        rows.append(row)
    result = pd.DataFrame(rows, columns=_SIGNAL_COLUMNS)
    for column in ("band_basis", "reason_code", "reason_values", "reason"):  # None, not NaN
        result[column] = result[column].astype(object).where(result[column].notna(), None)
    result.attrs = {"window": window, "confidence": confidence, "min_count": min_count}
    return result
