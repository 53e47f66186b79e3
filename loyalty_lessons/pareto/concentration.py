"""Concentration: how much of a total the top customers hold (the 80/20 rule's figures).

Sources: [fr-monitoring-loyalty] (a fifth of the customers bring four fifths of the
sales) and [ru-loyalty-tips] (four fifths of the business comes from a stable fifth of the
customers). Whether a client's data follow 80/20, 70/30 or 95/5 is what these functions
measure: the concentration curve, the top share, the data's own Pareto point and the Gini
coefficient, and :func:`concentration_verdict` to compare two top shares in words.

Every function takes *values*: one number per customer (revenue, orders, complaint count),
given as a list, an array, a ``pandas.Series`` or a DataFrame with a ``value_col`` column
(``revenue`` by default, as in the customer summary). ``top_share``, ``pareto_point`` and
``gini`` also accept the curve returned by :func:`concentration_curve`.

Negative values (customers whose refunds exceed their purchases) cannot hold a share of a
total. They are counted as 0 and, by default, a ``UserWarning`` says how many there were;
pass ``negative="clip"`` to accept that quietly or ``negative="raise"`` to refuse such data
(:func:`clipped_values` applies the policy).
"""

from __future__ import annotations

import math
import warnings
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "NegativePolicy",
    "ParetoPoint",
    "clipped_values",
    "concentration_curve",
    "concentration_verdict",
    "curve_shares",
    "gini",
    "pareto_point",
    "top_count",
    "top_share",
]

NegativePolicy = Literal["warn", "clip", "raise"]
_CURVE_COLUMNS = ("rank", "customer_share", "value_share")


class ParetoPoint(NamedTuple):
    """The data's own "x/y rule": the top ``customer_share`` hold ``value_share``.

    The two shares add up to 1; ``label`` writes them as whole percentages ("23/77").
    """

    customer_share: float
    value_share: float
    label: str


# --------------------------------------------------------------------------- helpers


def _is_curve(values: object) -> bool:
    return isinstance(values, pd.DataFrame) and all(c in values.columns for c in _CURVE_COLUMNS)


def clipped_values(
    values: object, *, value_col: str = "revenue", negative: NegativePolicy = "warn"
) -> tuple[np.ndarray, int]:
    """The values as a float array with negatives set to 0, and how many were.

    What every measure here reads of its values, after the checks they all share.

    Parameters
    ----------
    values : array-like, pandas.Series or pandas.DataFrame
        One value per customer; a DataFrame must have the column ``value_col``.
    value_col : str, default "revenue"
        The value column when ``values`` is a DataFrame.
    negative : {"warn", "clip", "raise"}, default "warn"
        What to do with negative values: count them as 0 with a warning, count them as 0
        quietly, or raise.

    Returns
    -------
    (numpy.ndarray, int)
        The values, negatives set to 0, and how many were negative.

    Raises
    ------
    LoyaltyDataError
        If there are no values, some are missing or not numbers, the total is 0, or a
        negative value meets ``negative="raise"``.

    Examples
    --------
    >>> array, negatives = clipped_values([5, -2, 3], negative="clip")
    >>> array.tolist(), negatives
    ([5.0, 0.0, 3.0], 1)
    """
    if negative not in ("warn", "clip", "raise"):
        raise LoyaltyDataError(f"negative={negative!r} is not a policy: use 'warn', 'clip' or 'raise'.")
    if isinstance(values, pd.DataFrame):
        if value_col not in values.columns:
            raise LoyaltyDataError(
                f"The frame has no column {value_col!r} (columns: {list(values.columns)}); "
                "pass value_col= with the name of the per-customer value column."
            )
        values = values[value_col]
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as error:
        raise LoyaltyDataError(
            f"The values must be numbers, one per customer ({error}); "
            "convert the column with pandas.to_numeric first."
        ) from None
    if array.size == 0:
        raise LoyaltyDataError("There are no values: pass at least one customer's value.")
    if not np.isfinite(array).all():
        bad = int((~np.isfinite(array)).sum())
        raise LoyaltyDataError(
            f"{bad} value(s) are missing or infinite; fill them (e.g. with 0) or drop "
            "those customers before measuring concentration."
        )
    negatives = int((array < 0).sum())
    if negatives:
        if negative == "raise":
            raise LoyaltyDataError(
                f"{negatives} customer(s) have a negative value (refunds above purchases); "
                "pass negative='clip' to count them as 0."
            )
        if negative == "warn":
            warnings.warn(
                f"{negatives} customer(s) with a negative value (refunds above purchases) "
                "were counted as 0; pass negative='clip' to silence this warning.",
                UserWarning,
                stacklevel=4,
            )
        array = np.clip(array, 0.0, None)
    if array.sum() <= 0:
        raise LoyaltyDataError(
            "The values add up to 0, so they have no shares to compare; "
            "check that the right column was passed."
        )
    return array, negatives


# --------------------------------------------------------------------------- the curve


def top_count(fraction: float, n: int) -> int:
    """How many customers make the top ``fraction`` of ``n``: ``ceil(fraction * n)``, at least 1.

    Every figure of the top customers (:func:`top_share`, the charts, the explorer) counts
    them this way. The product is rounded to 9 decimals first, so that floating-point
    noise does not add a customer (0.2 * 15 = 3.0000000000000004 is 3, not 4).

    Parameters
    ----------
    fraction : float
        The top fraction of customers, in (0, 1].
    n : int
        The number of customers.

    Returns
    -------
    int

    Raises
    ------
    LoyaltyDataError
        If ``fraction`` is outside (0, 1].

    Examples
    --------
    >>> top_count(0.2, 15), top_count(0.2, 3), top_count(0.01, 50)
    (3, 1, 1)
    """
    if not 0 < fraction <= 1:
        raise LoyaltyDataError(f"fraction must be in (0, 1], got {fraction!r}; e.g. 0.2 for 20%.")
    return max(1, math.ceil(round(fraction * n, 9)))


def curve_shares(
    values: object, *, value_col: str = "revenue", negative: NegativePolicy = "warn"
) -> tuple[np.ndarray, np.ndarray]:
    """The concentration curve as two arrays, without building its DataFrame.

    What the charts and the explorer read of the curve, sorted once.

    Parameters
    ----------
    values : array-like, pandas.Series, pandas.DataFrame or a concentration curve
        See :func:`concentration_curve`.
    value_col, negative
        See :func:`concentration_curve`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The ``customer_share`` and ``value_share`` columns of :func:`concentration_curve`
        (a curve given is read in ``rank`` order).

    Raises
    ------
    LoyaltyDataError
        As :func:`concentration_curve`.

    Examples
    --------
    >>> customer_share, value_share = curve_shares([10, 30, 60])
    >>> customer_share.round(2).tolist(), value_share.round(2).tolist()
    ([0.0, 0.33, 0.67, 1.0], [0.0, 0.6, 0.9, 1.0])
    """
    if _is_curve(values):
        curve = values  # as concentration_curve gives it, or rows in another order
        if not curve["rank"].is_monotonic_increasing:  # type: ignore[index]
            curve = curve.sort_values("rank")  # type: ignore[union-attr]
        return (
            curve["customer_share"].to_numpy(dtype=float),
            curve["value_share"].to_numpy(dtype=float),
        )
    array, _ = clipped_values(values, value_col=value_col, negative=negative)
    cumulative = np.concatenate([[0.0], np.cumsum(np.sort(array)[::-1])])
    n = array.size
    return np.arange(n + 1) / n, cumulative / cumulative[-1]


def concentration_curve(
    values: object, *, value_col: str = "revenue", negative: NegativePolicy = "warn"
) -> pd.DataFrame:
    """Cumulative share of the total held by the top customers, from the largest down.

    Parameters
    ----------
    values : array-like, pandas.Series or pandas.DataFrame
        One value per customer; a DataFrame must have the column ``value_col``.
    value_col : str, default "revenue"
        The value column when ``values`` is a DataFrame.
    negative : {"warn", "clip", "raise"}, default "warn"
        What to do with negative values: count them as 0 with a warning, count them as 0
        quietly, or raise.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (int, 0..N), ``customer_share`` (rank / N) and ``value_share``
        (share of the total held by the ``rank`` largest customers). The first row is
        (0, 0.0, 0.0), the last (N, 1.0, 1.0); both shares never decrease.

    Raises
    ------
    LoyaltyDataError
        If there are no values, some are missing, the total is 0, or a negative value meets
        ``negative="raise"``.

    Examples
    --------
    >>> curve = concentration_curve([10, 30, 60])
    >>> [round(s, 2) for s in curve["value_share"]]
    [0.0, 0.6, 0.9, 1.0]
    """
    customer_share, value_share = curve_shares(values, value_col=value_col, negative=negative)
    return pd.DataFrame(
        {
            "rank": np.arange(customer_share.size, dtype="int64"),
            "customer_share": customer_share,
            "value_share": value_share,
        }
    )


def top_share(
    values: object,
    fraction: float = 0.2,
    *,
    value_col: str = "revenue",
    negative: NegativePolicy = "warn",
) -> float:
    """Share of the total held by the top ``ceil(fraction * N)`` customers by value.

    This is the figure quoted as "the top 20% of customers bring 71% of revenue". With
    non-negative values it is never below ``fraction``.

    Parameters
    ----------
    values : array-like, pandas.Series, pandas.DataFrame or a concentration curve
        See :func:`concentration_curve`.
    fraction : float, default 0.2
        The top fraction of customers, in (0, 1].
    value_col, negative
        See :func:`concentration_curve`.

    Returns
    -------
    float
        A share between 0 and 1.

    Raises
    ------
    LoyaltyDataError
        If ``fraction`` is outside (0, 1] or the values are unusable.

    Examples
    --------
    >>> round(top_share([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]), 2)
    0.6
    """
    customer_share, value_share = curve_shares(values, value_col=value_col, negative=negative)
    n = customer_share.size - 1
    return float(value_share[top_count(fraction, n)])


def pareto_point(
    values: object, *, value_col: str = "revenue", negative: NegativePolicy = "warn"
) -> ParetoPoint:
    """The data's own "x/y rule": where the top x% of customers hold y% and x + y = 100.

    The point is where the concentration curve crosses the line ``value_share = 1 -
    customer_share``, found by linear interpolation between the curve's points. Equal
    values give 50/50; one customer of four holding everything gives 20/80.

    Parameters
    ----------
    values : array-like, pandas.Series, pandas.DataFrame or a concentration curve
        See :func:`concentration_curve`.
    value_col, negative
        See :func:`concentration_curve`.

    Returns
    -------
    ParetoPoint
        ``customer_share`` (x), ``value_share`` (y = 1 - x) and ``label`` such as "23/77".

    Examples
    --------
    >>> pareto_point([100, 0, 0, 0]).label
    '20/80'
    """
    customer_share, value_share = curve_shares(values, value_col=value_col, negative=negative)
    # h(x) = value_share(x) + x - 1 rises strictly from -1 at x = 0 to +1 at x = 1.
    h = value_share + customer_share - 1.0
    i = int(np.argmax(h >= 0))  # first point at or past the crossing; i >= 1
    x0, x1, h0, h1 = customer_share[i - 1], customer_share[i], h[i - 1], h[i]
    x = float(x0 + (x1 - x0) * (-h0) / (h1 - h0))
    x_percent = round(100 * x)
    return ParetoPoint(x, 1.0 - x, f"{x_percent}/{100 - x_percent}")


def gini(values: object, *, value_col: str = "revenue", negative: NegativePolicy = "warn") -> float:
    """Gini coefficient of the values: 0 when all are equal, 1 - 1/N when one holds all.

    Computed as ``sum((2i - N - 1) * x_i) / (N * sum(x))`` over the values sorted from
    smallest to largest (i = 1..N), which equals one minus twice the area under the
    Lorenz curve.

    Parameters
    ----------
    values : array-like, pandas.Series, pandas.DataFrame or a concentration curve
        See :func:`concentration_curve`.
    value_col, negative
        See :func:`concentration_curve`.

    Returns
    -------
    float
        A number in [0, 1).

    Examples
    --------
    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([1, 2, 3, 4])
    0.25
    """
    customer_share, value_share = curve_shares(values, value_col=value_col, negative=negative)
    # Area under the curve of the largest first; Gini = 2 * area - 1 (trapezoids are exact).
    area = float(np.sum(np.diff(customer_share) * (value_share[1:] + value_share[:-1]) / 2))
    return max(0.0, 2.0 * area - 1.0)


def concentration_verdict(share: float, other: float, *, margin: float = 0.02) -> str:
    """Whether one top share is more, less or about as concentrated as another.

    How a lesson or a report compares two concentrations in words that stay true on any data
    (e.g. the top fifth's share of complaints against its share of revenue).

    Parameters
    ----------
    share, other : float
        Two top shares (such as ``top_share`` results), between 0 and 1.
    margin : float, default 0.02
        Shares closer than this (two points) are "about as" concentrated.

    Returns
    -------
    str
        ``"more"``, ``"less"`` or ``"about as"``: ``share`` compared with ``other``.

    Examples
    --------
    >>> concentration_verdict(0.606, 0.684), concentration_verdict(0.9, 0.7), concentration_verdict(0.7, 0.71)
    ('less', 'more', 'about as')
    """
    if abs(share - other) < margin:
        return "about as"
    return "more" if share > other else "less"
