"""Who is still a customer: the BG/NBD model.

Fader, Hardie & Lee (2005), "Counting your customers the easy way".
While active, a customer buys at random at their own steady rate; after each purchase they
may leave for good, with their own probability. :func:`fit_bg_nbd` fits the model by maximum
likelihood to the per-customer summary (``frequency``, ``recency``, ``T``; identical
histories collapsed with weights, the likelihood and its gradient in log space, so that a
customer with hundreds of purchases neither overflows nor warns) and returns a
:class:`BetaGeoModel`, whose methods predict in the model's time unit. The parameters ``r``,
``alpha``, ``a`` and ``b`` are those of lifetimes' ``BetaGeoFitter`` and pymc-marketing's
``BetaGeoModel``. :mod:`~loyalty_lessons.customer_base` builds the per-customer figures on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import digamma, expit, gammaln, hyp2f1

from loyalty_lessons._model_fit import (
    LOG_BOUND,
    Fit,
    dot,
    judge,
    maximise,
    newton_steps,
    parameter_table,
    require_repeat_buyers,
    summary_columns,
    unit_days,
)
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["BetaGeoModel", "checked_history", "expected_if_active", "fit_bg_nbd"]


def checked_history(
    summary: pd.DataFrame, scale: float, frequency_col: str, recency_col: str, T_col: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``frequency``, ``recency`` and ``T`` of the summary, the times divided by ``scale``, checked."""
    x, t_x, T = summary_columns(summary, [frequency_col, recency_col, T_col])
    problems = {
        f"a negative {frequency_col!r}, {recency_col!r} or {T_col!r}": (x < 0) | (t_x < 0) | (T < 0),
        f"a {frequency_col!r} that is not a whole number": x != np.round(x),
        f"a {recency_col!r} after {T_col!r} (the last purchase after the end)": t_x > T * (1 + 1e-9),
        f"a {recency_col!r} without repeat purchases": (x == 0) & (t_x > 0),
    }
    for what, bad in problems.items():
        if bad.any():
            raise LoyaltyDataError(
                f"{int(bad.sum()):,} customers of the summary have {what}, e.g. row "
                f"{int(np.argmax(bad))}; compute the summary with customer_summary(...)."
            )
    return x, t_x / scale, T / scale


@dataclass
class _Histories:
    """Customers' histories with identical ones collapsed, in the shape the likelihood wants.

    ``x_values`` / ``x_weights``: the distinct numbers of repeat purchases and how many
    customers have each. ``T0`` / ``w0``: the distinct ``T`` of the customers without repeat
    purchases and their counts. The repeat buyers' distinct histories (x, t_x, T) are rows
    with count ``w1``, ``x1`` and indices into ``x_of``, ``t_of`` and ``T_of`` (their distinct
    x, t_x and T values), so that a logarithm is taken once per distinct value; ``T_weight``
    and ``T_x_weight`` sum ``w1`` and ``w1 * x1`` per distinct T.
    """

    x_values: np.ndarray
    x_weights: np.ndarray
    T0: np.ndarray
    w0: np.ndarray
    x_of: np.ndarray
    t_of: np.ndarray
    T_of: np.ndarray
    ix: np.ndarray
    it: np.ndarray
    iT: np.ndarray
    x1: np.ndarray
    w1: np.ndarray
    T_weight: np.ndarray
    T_x_weight: np.ndarray
    customers: int
    repeat_buyers: int
    total_x: float

    @property
    def exposure(self) -> float:
        """The customers' times from the first purchase to the end, summed."""
        return dot(self.w0, self.T0) + dot(self.T_weight, self.T_of)


def _collapse(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, counts: np.ndarray | None = None) -> _Histories:
    """The histories collapsed, in a canonical order: every distinct value and every distinct
    history sorted, so that the sums of the likelihood, and so the fit, do not depend on the
    order of the rows. ``counts``: customers per row (one each by default)."""
    weights = counts
    none = x == 0
    T0, w0 = _counted(T[none], None if weights is None else weights[none])
    repeat = ~none
    codes, values = zip(*(pd.factorize(c[repeat], sort=True) for c in (x, t_x, T)))
    sizes = [len(v) for v in values]
    if np.prod(np.array(sizes, dtype="float64")) >= 2**62:  # too many for one integer key: sort instead
        rows, inverse = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
        distinct = [rows[:, i] for i in range(3)]
    else:
        key = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
        inverse, keys = pd.factorize(key, sort=True)
        distinct = [keys // (sizes[1] * sizes[2]), keys // sizes[2] % sizes[1], keys % sizes[2]]
    w1 = np.bincount(
        inverse.ravel(), weights=None if weights is None else weights[repeat], minlength=len(distinct[0])
    ).astype("float64")
    ix, it, iT = (d.astype("int32" if len(d) < 2**31 else "int64") for d in distinct)
    x_of, t_of, T_of = (np.asarray(v, dtype="float64") for v in values)
    x1 = x_of[ix]
    x_values, x_weights = _counted(x, weights)
    customers = float(x_weights.sum())
    return _Histories(
        x_values,
        x_weights,
        T0,
        w0,
        x_of,
        t_of,
        T_of,
        ix,
        it,
        iT,
        x1,
        w1,
        T_weight=np.bincount(iT, weights=w1, minlength=len(T_of)),
        T_x_weight=np.bincount(iT, weights=w1 * x1, minlength=len(T_of)),
        customers=int(customers),
        repeat_buyers=int(w1.sum()),
        total_x=dot(x_values, x_weights),
    )


def _counted(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and how many times each occurs (or the sum of their ``weights``)."""
    codes, distinct = pd.factorize(values, sort=True)
    counts = np.bincount(codes, weights=weights, minlength=len(distinct)).astype("float64")
    return np.asarray(distinct, dtype="float64"), counts


def _checked_counts(summary: pd.DataFrame, count_col: str) -> np.ndarray:
    """The numbers of customers of ``count_col``, checked: whole numbers of 0 or more."""
    (counts,) = summary_columns(summary, [count_col])
    bad = (counts < 0) | (counts != np.round(counts))
    if bad.any():
        raise LoyaltyDataError(
            f"{int(bad.sum()):,} rows of the summary have a {count_col!r} that is not a whole number "
            f"of customers of 0 or more, e.g. row {int(np.argmax(bad))}."
        )
    return counts


def _bg_nbd_loglik(log_params: np.ndarray, h: _Histories, gradient: bool = True):
    """Log-likelihood of FHL (2005) eq. 6 summed over customers, and its gradient in log-parameters.

    Per customer, with B the beta function:
    ln L = ln[Γ(r+x) α^r / Γ(r)] + ln[B(a, b+x) / B(a, b)]
           + ln[(α+T)^-(r+x) + [x>0] a/(b+x-1) (α+t_x)^-(r+x)].
    The last term is -(r+x) ln(α+T) + ln(1 + e^d), d = ln[a/(b+x-1)] - (r+x) ln[(α+t_x)/(α+T)],
    by ``logaddexp``: no power of (α+T) is ever formed. Terms that depend on x, t_x or T
    alone are computed once per distinct value.
    """
    r, alpha, a, b = np.exp(log_params)
    xv, wx, n = h.x_values, h.x_weights, h.customers
    log_T0, log_T = np.log(alpha + h.T0), np.log(alpha + h.T_of)
    log_ratio = np.log(alpha + h.t_of)[h.it] - log_T[h.iT]  # ln[(α+t_x)/(α+T)] <= 0
    rx = r + h.x1
    log_bx = np.log(b + h.x_of - 1)
    d = (np.log(a) - log_bx)[h.ix] - rx * log_ratio
    e = np.exp(-np.abs(d))  # ln(1 + e^d) = max(d, 0) + ln(1 + e^-|d|), faster than np.logaddexp
    ll = (
        dot(wx, gammaln(r + xv) + gammaln(b + xv) - gammaln(a + b + xv))
        + n * (-gammaln(r) + r * np.log(alpha) + gammaln(a + b) - gammaln(b))
        - r * dot(h.w0, log_T0)
        - dot(r * h.T_weight + h.T_x_weight, log_T)
        + dot(h.w1, np.maximum(d, 0) + np.log1p(e))
    )
    if not gradient:
        return ll
    ws = h.w1 * np.where(d > 0, 1, e) / (1 + e)  # the count times e^d / (1 + e^d), the second term's weight
    inv_T = 1 / (alpha + h.T_of)
    d_r = (
        dot(wx, digamma(r + xv))
        + n * (-digamma(r) + np.log(alpha))
        - dot(h.w0, log_T0)
        - dot(h.T_weight, log_T)
        - dot(ws, log_ratio)
    )
    d_alpha = (
        n * r / alpha
        - r * dot(h.w0, 1 / (alpha + h.T0))
        - dot(r * h.T_weight + h.T_x_weight, inv_T)
        - dot(ws * rx, (1 / (alpha + h.t_of))[h.it] - inv_T[h.iT])
    )
    d_ab = -dot(wx, digamma(a + b + xv)) + n * digamma(a + b)
    d_a = d_ab + ws.sum() / a
    d_b = d_ab + dot(wx, digamma(b + xv)) - n * digamma(b) - dot(ws, np.exp(-log_bx)[h.ix])
    return ll, np.array([r * d_r, alpha * d_alpha, a * d_a, b * d_b])


def _start_bg_nbd(h: _Histories) -> np.ndarray:
    """Starting values: gamma of shape 1 with the observed mean rate; mean drop-out 1/3 a purchase."""
    rate = max(h.total_x, 1.0) / max(h.exposure, 1e-12)
    return np.log([1.0, 1.0 / rate, 1.0, 2.0])


#: Past this many distinct histories of repeat buyers, the fit starts from the fit of the
#: histories with their times rounded to whole weeks, which are far fewer (on 1 M generated
#: customers in days, 93,000 instead of 737,000), and ends with Newton's steps on the exact
#: likelihood: the optimiser takes its long way to the estimate on the cheap likelihood
#: (docs/performance.md).
COARSE_START_HISTORIES = 50_000


def _fit(x, t_x, T, counts, histories: _Histories, week: float, bounds) -> Fit:
    """The BG/NBD maximum-likelihood fit of ``histories`` (log-parameters): by L-BFGS-B from
    :func:`_start_bg_nbd`, or, past ``COARSE_START_HISTORIES`` distinct histories that whole
    weeks (``week``: a week in the times' unit) make at least twice fewer, by Newton's steps
    from the fit of the histories in weeks (by L-BFGS-B from there if they fail)."""

    def loglik(histories):
        return lambda theta: _bg_nbd_loglik(theta, histories)

    start = _start_bg_nbd(histories)
    if len(histories.w1) > COARSE_START_HISTORIES:
        coarse = _collapse(x, np.round(t_x / week) * week, np.round(T / week) * week, counts)
        if 2 * len(coarse.w1) <= len(histories.w1):
            start = maximise(loglik(coarse), _start_bg_nbd(coarse), bounds, coarse.customers).log_params
            fit = newton_steps(loglik(histories), start, bounds, histories.customers)
            if fit is not None:
                return fit
    return maximise(loglik(histories), start, bounds, histories.customers)


def _log_p_dead_odds(r, alpha, a, b, x, t_x, T):
    """ln of the odds of having left: ln[a/(b+x-1)] + (r+x) ln[(α+T)/(α+t_x)] (x > 0 only)."""
    x1 = np.maximum(x, 1)
    return np.log(a) - np.log(b + x1 - 1) + (r + x1) * (np.log(alpha + T) - np.log(alpha + t_x))


def expected_if_active(r, alpha, a, b, t, x, T):
    """FHL (2005) eq. 10 without its denominator: purchases expected in (T, T+t] if still active.

    (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z)], z = t/(α+T+t).
    Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the
    product into (1-z)^(a-1) · 2F1(a+b-1-r, a-1; a+b+x-1; z): no parameter grows with x and
    no power overflows. At a = 1 the expression is 0/0; within 1e-4 of it, it is the mean of
    its values at a = 1 ± 2e-4 (the function is smooth in a: the error is of the order of 1e-8).
    """
    if abs(a - 1) < 1e-4:
        return (
            expected_if_active(r, alpha, 1 - 2e-4, b, t, x, T)
            + expected_if_active(r, alpha, 1 + 2e-4, b, t, x, T)
        ) / 2
    c = a + b + x - 1
    c = np.where(np.abs(c) < 1e-9, 1e-9, c)  # x = 0 and a + b = 1: a removable singularity
    z = t / (alpha + T + t)
    u = (a - 1) * np.log1p(-z)
    f = hyp2f1(a + b - 1 - r, a - 1, c, z)
    return c / (a - 1) * (-np.expm1(u) - np.exp(u) * (f - 1))


@dataclass(frozen=True)
class BetaGeoModel:
    """A fitted BG/NBD model: purchase rates and drop-out of a customer base.

    While active, each customer buys at random (Poisson) at a rate λ; the rates are spread
    across customers as a gamma distribution of shape ``r`` and rate ``alpha`` (mean
    ``r / alpha`` purchases per ``time_unit``). After each purchase a customer leaves for
    good with probability p; the p's are spread as a beta distribution with ``a`` and ``b``
    (mean ``a / (a + b)``). ``alpha`` and every time of the methods are in ``time_unit``.

    Attributes
    ----------
    r, alpha, a, b : float
        The parameters, as in lifetimes' ``BetaGeoFitter`` and pymc-marketing's ``BetaGeoModel``.
    standard_errors : Mapping[str, float]
        Standard error of each parameter, from the inverse of the Hessian of the
        log-likelihood at the estimate.
    log_likelihood : float
        Maximised log-likelihood, with times in ``time_unit``.
    customers, repeat_buyers : int
        Customers fitted on, and those among them with at least one repeat purchase.
    time_unit : str
        ``"W"`` (weeks) or ``"D"`` (days): unit of ``alpha`` and of the times of the methods.
    summary_time_unit : str
        Unit of ``recency`` and ``T`` in the summary fitted on, which frame-level functions
        such as :func:`customer_predictions` expect.
    converged : bool
        Whether the optimiser reported convergence (a fit that did not is never returned by
        :func:`fit_bg_nbd` unless asked with ``check=False``).
    iterations : int
        Iterations of the optimiser.
    """

    r: float
    alpha: float
    a: float
    b: float
    standard_errors: Mapping[str, float] = field(hash=False)
    log_likelihood: float
    customers: int
    repeat_buyers: int
    time_unit: str = "W"
    summary_time_unit: str = "D"
    converged: bool = True
    iterations: int = 0

    @property
    def params(self) -> dict[str, float]:
        """``{"r": ..., "alpha": ..., "a": ..., "b": ...}``."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def parameter_table(self) -> pd.DataFrame:
        """The parameters with their standard errors and 95% intervals (estimate ± 1.96 SE).

        Returns
        -------
        DataFrame
            ``parameter``, ``estimate``, ``standard_error``, ``lower_95``, ``upper_95``.
        """
        return parameter_table(self.params, self.standard_errors)

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that a customer is still active at ``T``.

        From Fader, Hardie & Lee's note "Computing P(alive) using the BG/NBD model":
        P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a / (b + x - 1) · ((α + T) / (α + t_x))^(r + x)).
        A customer without repeat purchases counts as active (probability 1): in the model
        one can only leave right after a repeat purchase.

        Parameters
        ----------
        frequency, recency, T : array-like
            Repeat purchases, time from the first to the last purchase, and from the first
            purchase to the end of observation, in ``time_unit``.

        Returns
        -------
        numpy.ndarray
            Probabilities in [0, 1].
        """
        x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype="float64") for v in (frequency, recency, T)))
        odds = _log_p_dead_odds(self.r, self.alpha, self.a, self.b, x, t_x, T)
        return np.where(x > 0, expit(-odds), 1.0)

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """Purchases expected in the next ``t`` from a customer with this history (FHL 2005 eq. 10).

        E[Y(t) | x, t_x, T] = P(alive) · (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x)
        · 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))], computed in a form that stays finite for
        hundreds of purchases (see ``docs/customer-base.md``).

        Parameters
        ----------
        t : float or array-like
            Length of the period ahead, in ``time_unit``.
        frequency, recency, T : array-like
            As for :meth:`probability_alive`, in ``time_unit``.

        Returns
        -------
        numpy.ndarray
            Expected purchases, broadcast over the arguments.
        """
        t, x, t_x, T = np.broadcast_arrays(
            *(np.asarray(v, dtype="float64") for v in (t, frequency, recency, T))
        )
        return self.probability_alive(x, t_x, T) * expected_if_active(
            self.r, self.alpha, self.a, self.b, t, x, T
        )

    def expected_purchases_new_customer(self, t) -> np.ndarray:
        """Repeat purchases expected from a customer in the first ``t`` after their first purchase.

        E[X(t)] = (a+b-1)/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b; a+b-1; t/(α+t))] (FHL 2005 eq. 9).

        Parameters
        ----------
        t : float or array-like
            Time since the first purchase, in ``time_unit``.
        """
        t = np.asarray(t, dtype="float64")
        return expected_if_active(self.r, self.alpha, self.a, self.b, t, np.zeros_like(t), np.zeros_like(t))

    def expected_repeat_purchases_population(self, times, first_purchase_times, counts=None) -> np.ndarray:
        """Repeat purchases expected from a group of customers up to each of ``times``, in total.

        The sum over customers of E[X(time - first purchase)] (zero before the first
        purchase): the model's side of the tracking curve of FHL (2005), Figure 2.

        Parameters
        ----------
        times : array-like
            Points in time, in ``time_unit`` from any fixed origin.
        first_purchase_times : array-like
            Each customer's (or group's) first purchase, from the same origin.
        counts : array-like, optional
            Customers at each of ``first_purchase_times`` (1 each by default).

        Returns
        -------
        numpy.ndarray
            One total per time.
        """
        times = np.atleast_1d(np.asarray(times, dtype="float64"))
        starts = np.asarray(first_purchase_times, dtype="float64").ravel()
        counts = np.ones_like(starts) if counts is None else np.asarray(counts, dtype="float64").ravel()
        starts, inverse = np.unique(starts, return_inverse=True)
        counts = np.bincount(inverse, weights=counts, minlength=len(starts))
        elapsed = np.maximum(times[:, None] - starts[None, :], 0.0)
        distinct, inverse = np.unique(elapsed, return_inverse=True)
        expected = self.expected_purchases_new_customer(distinct)[inverse].reshape(elapsed.shape)
        return np.einsum("ij,j->i", expected, counts)


def fit_bg_nbd(
    summary: pd.DataFrame,
    *,
    time_unit: str = "W",
    summary_time_unit: str = "D",
    check: bool = True,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
    count_col: str | None = None,
) -> BetaGeoModel:
    """Fit the BG/NBD model to a per-customer summary by maximum likelihood.

    Customers with the same history (x, t_x, T) are counted once with their number (the
    summary may also give one row per distinct history and its number of customers, with
    ``count_col``: the fit is the same); the histories are put in a canonical order
    (sorted), so that the fit does not depend on the order of the rows. The
    log-likelihood (FHL 2005 eq. 6) is maximised over the logs of ``r``, ``alpha``, ``a``,
    ``b`` with L-BFGS-B and its analytic gradient, in log space throughout, so that customers
    with hundreds of purchases neither overflow nor warn, from the fit of the histories in
    whole weeks when there are many (``COARSE_START_HISTORIES``). Standard errors come from
    the Hessian at the estimate.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer with ``frequency`` (repeat purchases), ``recency`` (from the
        first to the last purchase) and ``T`` (from the first purchase to the end), as
        :func:`~loyalty_lessons.customers.customer_summary` computes them.
    time_unit : {"W", "D"}, default "W"
        The model's time unit: of ``alpha`` and of every time given to or returned by its
        methods. Fader, Hardie & Lee (2005) measure time in weeks.
    summary_time_unit : {"D", "W"}, default "D"
        The unit of the summary's ``recency`` and ``T`` (``customer_summary(time_unit=...)``,
        days by default). Purchases are counted as the summary counts them: with its default,
        one a day for rows without an order id, as Fader, Hardie & Lee (2005) count them.
    check : bool, default True
        Raise :class:`ModelFitError` when the fit is not to be trusted (see Raises). With
        False the fit is returned whatever happened, ``converged`` saying whether the
        optimiser converged: for showing what goes wrong, never for decisions.
    frequency_col, recency_col, T_col : str
        Column names.
    count_col : str, optional
        A column of the number of customers with each row's history, for a summary of
        distinct histories (as :func:`loyalty_lessons.spark_model.history_counts` computes
        them on a cluster); without it, each row is one customer.

    Returns
    -------
    BetaGeoModel

    Raises
    ------
    ModelFitError
        With ``reason`` ``"too_few_repeat_buyers"`` (fewer than
        ``MODEL_RULES["min_repeat_buyers"]``, whatever ``check``), ``"not_converged"``,
        ``"does_not_fit"`` (parameters at the edge of what is possible, as for a business
        where everyone buys at a fixed interval) or ``"not_identified"``.
    LoyaltyDataError
        If a column is missing or holds impossible values (negative, recency after T, a
        count that is not a whole number of 0 or more).

    Examples
    --------
    >>> from loyalty_lessons.customer_base import simulate_customers
    >>> summary = simulate_customers(np.full(2000, 52.0), r=0.25, alpha=4.0, a=0.8, b=2.5, seed=1)
    >>> model = fit_bg_nbd(summary, time_unit="W", summary_time_unit="W")
    >>> model.time_unit, model.customers
    ('W', 2000)
    >>> model.parameter_table().round(2)
      parameter  estimate  standard_error  lower_95  upper_95
    0         r      0.23            0.01      0.21      0.26
    1     alpha      3.93            0.33      3.29      4.58
    2         a      0.96            0.18      0.62      1.31
    3         b      2.78            0.67      1.47      4.08
    """
    scale = unit_days(time_unit, "time_unit") / unit_days(summary_time_unit, "summary_time_unit")
    x, t_x, T = checked_history(summary, scale, frequency_col, recency_col, T_col)
    counts = None if count_col is None else _checked_counts(summary, count_col)
    if counts is not None:
        some = counts > 0
        x, t_x, T, counts = x[some], t_x[some], T[some], counts[some]
    histories = _collapse(x, t_x, T, counts)
    require_repeat_buyers(histories.repeat_buyers, "BG/NBD")
    mean_T = max(histories.exposure / max(histories.customers, 1), 1e-12)
    bounds = [(-LOG_BOUND, LOG_BOUND)] * 4
    bounds[1] = (np.log(mean_T) - LOG_BOUND, np.log(mean_T) + LOG_BOUND)
    fit = _fit(x, t_x, T, counts, histories, unit_days("W", "") / unit_days(time_unit, ""), bounds)
    values = np.exp(fit.log_params)
    if check:
        judge(fit, ["r", "alpha", "a", "b"], values, np.array([1, mean_T, 1, 1]), bounds, "BG/NBD")
    names = ("r", "alpha", "a", "b")
    errors = MappingProxyType(dict(zip(names, (values * fit.log_standard_errors).tolist())))
    return BetaGeoModel(
        *values.tolist(),
        standard_errors=errors,
        log_likelihood=fit.log_likelihood,
        customers=histories.customers,
        repeat_buyers=histories.repeat_buyers,
        time_unit=time_unit,
        summary_time_unit=summary_time_unit,
        converged=fit.converged,
        iterations=fit.iterations,
    )
