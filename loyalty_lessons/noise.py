"""Is a change real, or within the noise of the figure? Tests for the monitoring verdicts.

A monthly figure moves even when nothing in the business changes: sixty new customers a
month on average means 52 one month and 67 the next. Calling every move "improving" or
"worsening" turns noise into news. Each function here compares a figure over two windows
(``before`` and ``after``) with the test that suits how the figure arises:

- :func:`count_change`: counts of events in periods, such as new customers per month, taken
  as Poisson; the exact conditional test compares the two rates (the ``after`` count given
  the total is binomial under no change).
- :func:`share_change`: shares of a group, such as the share of new customers lost after one
  or two purchases, taken as binomial; Fisher's exact test compares the two shares.
- :func:`mean_change`: means of many amounts, such as spend per order, compared by Welch's
  t-test from their standard deviations.
- :func:`spread_change`: the same two means, against how much the figure of one period moves
  from period to period (the spread of earlier periods' values), for a figure whose periods
  differ by more than the noise of their amounts (the months of a year, who still buys).

Each returns a :class:`Change`: both values, the difference, the ``band`` (half the width of
the range in which the difference falls with probability ``confidence`` when nothing
changed), the p-value and a ``direction``: ``"up"``, ``"down"`` or ``"within noise"``. A
direction other than "within noise" is the claim "this move is larger than chance would
make it at this confidence level". :func:`verdict` turns a direction into ``improving`` /
``worsening`` for a figure whose better side is known.

The tests are exact or standard (scipy.stats), and their false-alarm rate is checked by
simulation in ``tests/test_noise.py``.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from types import ModuleType

from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "CONFIDENCE",
    "Change",
    "count_change",
    "mean_change",
    "share_change",
    "spread_change",
    "verdict",
]


def _stats() -> ModuleType:
    """``scipy.stats``, imported when a test is run: it takes about 0.5 s and 40 MB to import,
    which every page of the workshop would pay for the monitoring page's tests."""
    from scipy import stats

    return stats


#: The confidence level of every verdict: a change is called only beyond the 95% band.
CONFIDENCE = 0.95

#: Directions a :class:`Change` can take.
_UP, _DOWN, _NOISE = "up", "down", "within noise"


@dataclass(frozen=True)
class Change:
    """A figure over two windows, and whether the move is beyond its noise.

    Attributes
    ----------
    before, after : float
        The figure in each window (a rate per period, a share or a mean).
    difference : float
        ``after - before``.
    band : float
        Half-width of the range of ``difference`` expected from noise alone at
        ``confidence``: a move within ``± band`` is normal variation.
    p_value : float
        Two-sided p-value of the test of "no change".
    direction : str
        ``"up"`` or ``"down"`` when ``p_value < 1 - confidence``, else ``"within noise"``.
    confidence : float
        The confidence level used.
    """

    before: float
    after: float
    difference: float
    band: float
    p_value: float
    direction: str
    confidence: float


def _check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise LoyaltyDataError(f"confidence={confidence} must be between 0 and 1, e.g. 0.95.")
    return confidence


def _z(confidence: float) -> float:
    return float(_stats().norm.ppf(0.5 + confidence / 2))


def _change(before: float, after: float, band: float, p_value: float, confidence: float) -> Change:
    difference = after - before
    if p_value < 1 - confidence and difference != 0:
        direction = _UP if difference > 0 else _DOWN
    else:
        direction = _NOISE
    return Change(before, after, difference, band, float(p_value), direction, confidence)


def count_change(
    before_count: int,
    after_count: int,
    *,
    before_periods: int,
    after_periods: int,
    confidence: float = CONFIDENCE,
) -> Change:
    """Compare two Poisson counts as rates per period.

    Under no change, the ``after`` count given the total of both windows is binomial with
    the share of periods that are ``after`` periods; the p-value is that exact binomial
    test's. The band is the normal approximation of the noise of the difference of rates at
    the pooled rate.

    Parameters
    ----------
    before_count, after_count : int
        Events counted in each window (whole numbers >= 0).
    before_periods, after_periods : int
        Periods in each window (>= 1).
    confidence : float
        Confidence level of the band and the verdict.

    Returns
    -------
    Change
        ``before`` and ``after`` are rates per period.

    Raises
    ------
    LoyaltyDataError
        If a count is negative or not whole, or a window has no period.

    Examples
    --------
    >>> count_change(180, 171, before_periods=3, after_periods=3).direction
    'within noise'
    >>> count_change(180, 120, before_periods=3, after_periods=3).direction
    'down'
    """
    _check_confidence(confidence)
    for name, value in (("before_count", before_count), ("after_count", after_count)):
        if value < 0 or value != int(value):
            raise LoyaltyDataError(f"{name}={value} must be a whole number of events >= 0.")
    for name, value in (("before_periods", before_periods), ("after_periods", after_periods)):
        if value < 1:
            raise LoyaltyDataError(f"{name}={value} must be at least one period.")
    total = int(before_count) + int(after_count)
    before, after = before_count / before_periods, after_count / after_periods
    if total == 0:
        return _change(before, after, 0.0, 1.0, confidence)
    share = after_periods / (before_periods + after_periods)
    p_value = _stats().binomtest(int(after_count), total, share).pvalue
    pooled = total / (before_periods + after_periods)
    band = _z(confidence) * math.sqrt(pooled / before_periods + pooled / after_periods)
    return _change(before, after, band, p_value, confidence)


def share_change(
    before_events: int,
    before_total: int,
    after_events: int,
    after_total: int,
    *,
    confidence: float = CONFIDENCE,
) -> Change:
    """Compare two binomial shares (events out of a group) with Fisher's exact test.

    Parameters
    ----------
    before_events, before_total, after_events, after_total : int
        Events and group sizes in each window; ``0 <= events <= total``, ``total >= 1``.
    confidence : float
        Confidence level of the band and the verdict.

    Returns
    -------
    Change
        ``before`` and ``after`` are shares; the band is the normal approximation at the
        pooled share.

    Raises
    ------
    LoyaltyDataError
        If a group is empty or events exceed their group.

    Examples
    --------
    >>> share_change(54, 180, 45, 171).direction
    'within noise'
    >>> round(share_change(54, 180, 45, 171).before, 2)
    0.3
    """
    _check_confidence(confidence)
    for events, total, window in (
        (before_events, before_total, "before"),
        (after_events, after_total, "after"),
    ):
        if total < 1 or not 0 <= events <= total:
            raise LoyaltyDataError(
                f"the {window} window has {events} events out of {total}: a share needs a "
                "group of at least one and no more events than members."
            )
    before, after = before_events / before_total, after_events / after_total
    table = [[after_events, after_total - after_events], [before_events, before_total - before_events]]
    p_value = _stats().fisher_exact(table).pvalue
    pooled = (before_events + after_events) / (before_total + after_total)
    band = _z(confidence) * math.sqrt(pooled * (1 - pooled) * (1 / before_total + 1 / after_total))
    return _change(before, after, band, p_value, confidence)


def mean_change(
    before_mean: float,
    before_sd: float,
    before_n: int,
    after_mean: float,
    after_sd: float,
    after_n: int,
    *,
    confidence: float = CONFIDENCE,
) -> Change:
    """Compare two means from their standard deviations and sizes (Welch's t-test).

    Parameters
    ----------
    before_mean, before_sd, before_n, after_mean, after_sd, after_n : float
        Mean, standard deviation (with ``n - 1``) and number of values in each window;
        each ``n >= 2``.
    confidence : float
        Confidence level of the band and the verdict.

    Returns
    -------
    Change
        The band is the Student-t half-width of the difference of means with Welch's
        degrees of freedom.

    Raises
    ------
    LoyaltyDataError
        If a window has fewer than two values or a negative standard deviation.

    Examples
    --------
    >>> mean_change(39.7, 25.0, 2000, 37.3, 25.0, 1900).direction
    'down'
    >>> mean_change(39.7, 25.0, 200, 37.3, 25.0, 190).direction
    'within noise'
    """
    _check_confidence(confidence)
    for n, sd, window in ((before_n, before_sd, "before"), (after_n, after_sd, "after")):
        if n < 2 or sd < 0 or math.isnan(sd):
            raise LoyaltyDataError(
                f"the {window} window has {n} values with standard deviation {sd}: a mean "
                "is compared only from at least two values."
            )
    var = before_sd**2 / before_n + after_sd**2 / after_n
    if var == 0:
        p_value = 1.0 if after_mean == before_mean else 0.0
        return _change(before_mean, after_mean, 0.0, p_value, confidence)
    dof = var**2 / (
        (before_sd**2 / before_n) ** 2 / (before_n - 1) + (after_sd**2 / after_n) ** 2 / (after_n - 1)
    )
    p_value = (
        _stats()
        .ttest_ind_from_stats(
            after_mean, after_sd, after_n, before_mean, before_sd, before_n, equal_var=False
        )
        .pvalue
    )
    band = float(_stats().t.ppf(0.5 + confidence / 2, dof)) * math.sqrt(var)
    return _change(before_mean, after_mean, band, p_value, confidence)


def spread_change(
    before: float,
    after: float,
    history,
    *,
    before_periods: int,
    after_periods: int,
    confidence: float = CONFIDENCE,
) -> Change:
    """Compare two windows' levels of a per-period figure against its period-to-period spread.

    Each period's value is taken as a draw around the figure's level with the standard
    deviation ``s`` of the ``history`` values (earlier periods' values, each period one
    value): the mean of ``k`` periods then varies by ``s / sqrt(k)``, and the difference of
    the two windows by ``s * sqrt(1 / before_periods + 1 / after_periods)``. The p-value and
    the band are Student's t with ``len(history) - 1`` degrees of freedom. This counts what
    moves a monthly figure besides the noise of its amounts: the season, who still buys, a
    few large orders.

    Parameters
    ----------
    before, after : float
        The figure in each window.
    history : array-like of float
        The figure in each of the periods its spread is measured over (at least three;
        NaN values are left out).
    before_periods, after_periods : int
        Periods in each window (>= 1).
    confidence : float
        Confidence level of the band and the verdict.

    Returns
    -------
    Change

    Raises
    ------
    LoyaltyDataError
        If fewer than three values of ``history`` are known, or a window has no period.

    Examples
    --------
    >>> months = [38.7, 38.2, 36.6, 43.0, 39.6, 36.9, 37.4, 44.1, 40.0, 39.1, 39.4, 40.7]
    >>> change = spread_change(39.8, 37.7, months, before_periods=3, after_periods=3)
    >>> change.direction, round(change.band, 1)
    ('within noise', 4.1)
    """
    _check_confidence(confidence)
    for name, value in (("before_periods", before_periods), ("after_periods", after_periods)):
        if value < 1:
            raise LoyaltyDataError(f"{name}={value} must be at least one period.")
    values = [float(v) for v in history if v == v]
    if len(values) < 3:
        raise LoyaltyDataError(
            f"history holds {len(values)} known values: the spread of a figure from period to "
            "period is measured from at least three periods."
        )
    spread = statistics.stdev(values)
    error = spread * math.sqrt(1 / before_periods + 1 / after_periods)
    dof = len(values) - 1
    difference = after - before
    if error == 0:
        return _change(before, after, 0.0, 1.0 if difference == 0 else 0.0, confidence)
    p_value = 2 * float(_stats().t.sf(abs(difference) / error, dof))
    band = float(_stats().t.ppf(0.5 + confidence / 2, dof)) * error
    return _change(before, after, band, p_value, confidence)


def verdict(change: Change, better: str) -> str:
    """``improving``, ``worsening`` or ``within noise``, for a figure whose better side is known.

    Parameters
    ----------
    change : Change
        A result of :func:`count_change`, :func:`share_change` or :func:`mean_change`.
    better : str
        ``"higher"`` or ``"lower"``.

    Examples
    --------
    >>> verdict(count_change(180, 120, before_periods=3, after_periods=3), "higher")
    'worsening'
    """
    if better not in ("higher", "lower"):
        raise LoyaltyDataError(f"better={better!r}: use 'higher' or 'lower'.")
    if change.direction == _NOISE:
        return _NOISE
    good = _UP if better == "higher" else _DOWN
    return "improving" if change.direction == good else "worsening"
