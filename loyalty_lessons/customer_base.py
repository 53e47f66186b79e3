"""Who is still a customer, and what each is worth: the BG/NBD and Gamma-Gamma models.

In a shop, a café or an online store nobody announces that they have left. The BG/NBD
model ("beta-geometric / negative binomial distribution", Fader, Hardie & Lee 2005,
"Counting your customers the easy way") tells it from each customer's purchase history
alone: while active, a customer buys at random at their own steady rate; after each
purchase they may leave for good, with their own probability. From how many repeat
purchases a customer made (``frequency``), when the last one was (``recency``) and how long
they have been a customer (``T``), it gives the probability that they are still active and
the purchases to expect from them. The Gamma-Gamma model (Fader, Hardie & Lee 2005; Fader &
Hardie 2013) adds what they spend per purchase. ``docs/customer-base.md`` explains both in
plain words, with their formulas and the checks against the literature.

- :func:`fit_bg_nbd` fits the purchase model to a per-customer summary
  (:func:`~loyalty_lessons.customers.customer_summary`) and returns a :class:`BetaGeoModel`,
  whose methods predict in the model's time unit (weeks by default);
- :func:`fit_gamma_gamma` fits the spend model to the repeat buyers (:class:`GammaGammaModel`);
- :func:`customer_predictions` gives, per customer, the probability of being active, the
  purchases and spend expected over a horizon in months, and their discounted value;
- :func:`alive_by_recency`: the probability of being active against the date of the last
  purchase, for a chart;
- :func:`simulate_customers`: summaries of customers who behave as the models say;
- :func:`model_check` (in :mod:`loyalty_lessons.customer_base_check`) fits on a calibration
  period and compares the predictions with what happened afterwards.

Parameter names and meanings are those of lifetimes (``BetaGeoFitter``,
``GammaGammaFitter``) and pymc-marketing (``BetaGeoModel``, ``GammaGammaModel``): ``r`` and
``alpha`` (shape and rate of the gamma spread of purchase rates), ``a`` and ``b`` (of the beta
spread of drop-out probabilities), ``p``, ``q`` and ``v`` (of the spend model).

When a model cannot be fitted, or its fit is not to be trusted, the functions raise
:class:`ModelFitError` (a :class:`~loyalty_lessons.errors.LoyaltyDataError`) saying why in
plain words, so that a caller can fall back to fixed rules; they never return a number
from a failed fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import digamma, expit, gammaln, hyp2f1

from loyalty_lessons.customers import TIME_UNITS
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "DAYS_PER_MONTH",
    "MODEL_RULES",
    "BetaGeoModel",
    "GammaGammaModel",
    "ModelFitError",
    "alive_by_recency",
    "customer_predictions",
    "customer_value",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "simulate_customers",
]

#: A month is a twelfth of a year of 365.25 days (30.44 days, 4.35 weeks).
DAYS_PER_MONTH = 365.25 / 12

#: When a fit is refused or judged. ``min_repeat_buyers``: customers with at least one
#: repeat purchase that either model needs (Gamma-Gamma is fitted on them alone);
#: ``parameter_range``: a fitted ``r``, ``a``, ``b``, ``p``, ``q`` or ``v`` outside it (and
#: ``alpha`` outside it once divided by the mean ``T``) is at the edge of what the fit
#: allows, a sign that the data are not those of the model (everyone buying at the same
#: fixed interval, nobody leaving); ``max_spend_frequency_correlation``: above this
#: absolute Pearson correlation between repeat buyers' purchase counts and their average
#: spend, Gamma-Gamma's assumption that they are independent is doubtful.
MODEL_RULES: dict[str, object] = {
    "min_repeat_buyers": 30,
    "parameter_range": (1e-4, 1e4),
    "max_spend_frequency_correlation": 0.3,
}

# The optimiser's limits, on the natural log of each parameter (alpha: of alpha / mean T).
_LOG_BOUND = np.log(1e6)


class ModelFitError(LoyaltyDataError):
    """The customer-base model cannot be fitted to these data, or its fit is not to be trusted.

    ``reason`` says which in one word, for a caller that picks its own wording:

    - ``"too_few_repeat_buyers"``: fewer repeat buyers than ``MODEL_RULES["min_repeat_buyers"]``;
    - ``"not_converged"``: the optimiser did not find the best parameters;
    - ``"does_not_fit"``: the best parameters are at the edge of what is possible (as for a
      subscription, where everyone buys at a fixed interval and nobody leaves), or do not
      make a model (a mean spend that would be infinite);
    - ``"not_identified"``: the data do not pin the parameters down (no standard errors).

    The message says it in plain words, and what to do: use the fixed rules instead.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


# ---------------------------------------------------------------------------------------
# Input


def _unit_days(time_unit: str, name: str) -> int:
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"{name}={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} (days or weeks)."
        )
    return TIME_UNITS[time_unit]


def _columns(summary: pd.DataFrame, columns: Sequence[str]) -> list[np.ndarray]:
    """The columns of ``summary`` as float arrays, checked for presence and missing values."""
    if not isinstance(summary, pd.DataFrame):
        raise LoyaltyDataError(
            f"Expected the per-customer summary as a DataFrame (customer_summary(...)), "
            f"got {type(summary).__name__}."
        )
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        raise LoyaltyDataError(
            f"The summary has no column {', '.join(map(repr, missing))}; compute it with "
            "customer_summary(...), or name the columns with frequency_col=, recency_col=, ..."
        )
    out = []
    for c in columns:
        try:
            values = summary[c].to_numpy(dtype="float64")
        except (TypeError, ValueError):
            raise LoyaltyDataError(f"The summary's column {c!r} is not numeric.") from None
        bad = ~np.isfinite(values)
        if bad.any():
            raise LoyaltyDataError(
                f"The summary's column {c!r} has {int(bad.sum()):,} missing or infinite values "
                f"(first at row {int(np.argmax(bad))})."
            )
        out.append(values)
    return out


def _history(
    summary: pd.DataFrame, scale: float, frequency_col: str, recency_col: str, T_col: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``frequency``, ``recency`` and ``T`` of the summary, the times divided by ``scale``, checked."""
    x, t_x, T = _columns(summary, [frequency_col, recency_col, T_col])
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


# ---------------------------------------------------------------------------------------
# BG/NBD: the likelihood on collapsed histories, its gradient, predictions


def _dot(u: np.ndarray, w: np.ndarray) -> float:
    """Sum of u * w. Not ``u @ w``: a multi-threaded BLAS call is many times slower on a busy machine."""
    return float(np.einsum("i,i->", u, w))


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


def _collapse(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> _Histories:
    none = x == 0
    T0, w0 = _counted(T[none])
    repeat = ~none
    codes, values = zip(*(pd.factorize(c[repeat]) for c in (x, t_x, T)))
    sizes = [len(v) for v in values]
    if np.prod(np.array(sizes, dtype="float64")) >= 2**62:  # too many for one integer key: sort instead
        rows, inverse = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
        distinct = [rows[:, i] for i in range(3)]
    else:
        key = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
        inverse, keys = pd.factorize(key)
        distinct = [keys // (sizes[1] * sizes[2]), keys // sizes[2] % sizes[1], keys % sizes[2]]
    w1 = np.bincount(inverse.ravel(), minlength=len(distinct[0])).astype("float64")
    ix, it, iT = (d.astype("int32" if len(d) < 2**31 else "int64") for d in distinct)
    x_of, t_of, T_of = (np.asarray(v, dtype="float64") for v in values)
    x1 = x_of[ix]
    x_values, x_weights = np.unique(x, return_counts=True)
    return _Histories(
        x_values,
        x_weights.astype("float64"),
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
        customers=len(x),
        repeat_buyers=int(repeat.sum()),
        total_x=float(x.sum()),
    )


def _counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values and how many times each occurs."""
    codes, distinct = pd.factorize(values)
    return np.asarray(distinct, dtype="float64"), np.bincount(codes, minlength=len(distinct)).astype(
        "float64"
    )


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
        _dot(wx, gammaln(r + xv) + gammaln(b + xv) - gammaln(a + b + xv))
        + n * (-gammaln(r) + r * np.log(alpha) + gammaln(a + b) - gammaln(b))
        - r * _dot(h.w0, log_T0)
        - _dot(r * h.T_weight + h.T_x_weight, log_T)
        + _dot(h.w1, np.maximum(d, 0) + np.log1p(e))
    )
    if not gradient:
        return ll
    ws = h.w1 * np.where(d > 0, 1, e) / (1 + e)  # the count times e^d / (1 + e^d), the second term's weight
    inv_T = 1 / (alpha + h.T_of)
    d_r = (
        _dot(wx, digamma(r + xv))
        + n * (-digamma(r) + np.log(alpha))
        - _dot(h.w0, log_T0)
        - _dot(h.T_weight, log_T)
        - _dot(ws, log_ratio)
    )
    d_alpha = (
        n * r / alpha
        - r * _dot(h.w0, 1 / (alpha + h.T0))
        - _dot(r * h.T_weight + h.T_x_weight, inv_T)
        - _dot(ws * rx, (1 / (alpha + h.t_of))[h.it] - inv_T[h.iT])
    )
    d_ab = -_dot(wx, digamma(a + b + xv)) + n * digamma(a + b)
    d_a = d_ab + ws.sum() / a
    d_b = d_ab + _dot(wx, digamma(b + xv)) - n * digamma(b) - _dot(ws, np.exp(-log_bx)[h.ix])
    return ll, np.array([r * d_r, alpha * d_alpha, a * d_a, b * d_b])


def _start_bg_nbd(h: _Histories) -> np.ndarray:
    """Starting values: gamma of shape 1 with the observed mean rate; mean drop-out 1/3 a purchase."""
    exposure = _dot(h.w0, h.T0) + _dot(h.T_weight, h.T_of)
    rate = max(h.total_x, 1.0) / max(exposure, 1e-12)
    return np.log([1.0, 1.0 / rate, 1.0, 2.0])


def _log_p_dead_odds(r, alpha, a, b, x, t_x, T):
    """ln of the odds of having left: ln[a/(b+x-1)] + (r+x) ln[(α+T)/(α+t_x)] (x > 0 only)."""
    x1 = np.maximum(x, 1)
    return np.log(a) - np.log(b + x1 - 1) + (r + x1) * (np.log(alpha + T) - np.log(alpha + t_x))


def _expected_if_active(r, alpha, a, b, t, x, T):
    """FHL (2005) eq. 10 without its denominator: purchases expected in (T, T+t] if still active.

    (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z)], z = t/(α+T+t).
    Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the
    product into (1-z)^(a-1) · 2F1(a+b-1-r, a-1; a+b+x-1; z): no parameter grows with x and
    no power overflows. At a = 1 the expression is 0/0; within 1e-4 of it, it is the mean of
    its values at a = 1 ± 2e-4 (the function is smooth in a: the error is of the order of 1e-8).
    """
    if abs(a - 1) < 1e-4:
        return (
            _expected_if_active(r, alpha, 1 - 2e-4, b, t, x, T)
            + _expected_if_active(r, alpha, 1 + 2e-4, b, t, x, T)
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
        return _parameter_table(self.params, self.standard_errors)

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
        return self.probability_alive(x, t_x, T) * _expected_if_active(
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
        return _expected_if_active(self.r, self.alpha, self.a, self.b, t, np.zeros_like(t), np.zeros_like(t))

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


# ---------------------------------------------------------------------------------------
# Fitting


@dataclass(frozen=True)
class _Fit:
    """What the optimiser found, in log-parameters."""

    log_params: np.ndarray
    log_likelihood: float
    log_standard_errors: np.ndarray  # NaN when the Hessian is not positive definite
    converged: bool
    iterations: int


def _maximise(loglik, start: np.ndarray, bounds: list[tuple[float, float]], n: int) -> _Fit:
    """Maximise ``loglik`` (log-parameters -> (value, gradient)) with L-BFGS-B from ``start``.

    The optimiser sees the mean log-likelihood per customer, so that its tolerances mean the
    same for 1,000 customers as for a million. Standard errors come from the Hessian, by
    central differences of the analytic gradient.
    """

    def objective(theta):
        ll, g = loglik(theta)
        return -ll / n, -g / n

    with np.errstate(all="ignore"):  # a trial step may leave the domain; its NaN is refused
        res = optimize.minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-9},
        )
    ll, g = loglik(res.x)
    # The gradient left once a parameter held at a bound by its pull outwards is set aside.
    low, high = np.array(bounds).T
    held = ((res.x <= low + 1e-9) & (g < 0)) | ((res.x >= high - 1e-9) & (g > 0))
    converged = bool(np.isfinite(ll) and (res.success or np.max(np.abs(np.where(held, 0, g))) / n < 1e-6))
    with np.errstate(all="ignore"):  # at an edge the Hessian may not be finite: then there are no SEs
        log_standard_errors = _log_standard_errors(loglik, res.x, g)
    return _Fit(res.x, float(ll), log_standard_errors, converged, int(res.nit))


def _log_standard_errors(loglik, theta: np.ndarray, at: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Standard errors of the log-parameters, from the Hessian.

    The Hessian comes from forward differences of the gradient (``at`` is the gradient at ``theta``).
    """
    hessian = np.empty((len(theta), len(theta)))
    for i in range(len(theta)):
        shift = np.zeros_like(theta)
        shift[i] = step
        hessian[i] = (loglik(theta + shift)[1] - at) / step
    information = -(hessian + hessian.T) / 2
    if not np.isfinite(information).all():
        return np.full(len(theta), np.nan)
    try:
        np.linalg.cholesky(information)
    except np.linalg.LinAlgError:
        return np.full(len(theta), np.nan)
    return np.sqrt(np.diag(np.linalg.inv(information)))


#: Per model: what to use instead when it is refused, and why its parameters may sit at an edge.
_FALLBACK = {
    "BG/NBD": "Use the fixed rules (days since the last purchase) for these customers instead.",
    "Gamma-Gamma": "Use each repeat buyer's own average spend instead.",
}
_AT_EDGE = {
    "BG/NBD": "The customers do not differ from one another as the model expects; this happens, "
    "for instance, "
    "in a subscription where everyone buys at a fixed interval.",
    "Gamma-Gamma": "What customers spend per purchase does not vary as the model expects "
    "(amounts spread around "
    "each customer's own mean, the means spread across customers).",
}


def _judge(
    fit: _Fit, names: Sequence[str], values: np.ndarray, scales: np.ndarray, bounds, model: str
) -> None:
    """Raise :class:`ModelFitError` unless ``fit`` converged to sensible, identified parameters."""
    fallback = _FALLBACK[model]
    low, high = MODEL_RULES["parameter_range"]
    for name, value, scale, theta, (lo, hi) in zip(names, values, scales, fit.log_params, bounds):
        if not low <= value / scale <= high or min(theta - lo, hi - theta) < 1e-3:
            raise ModelFitError(
                f"The {model} model does not fit these data: its parameter {name} = {value:.4g} "
                "is at the edge of "
                f"what is possible. {_AT_EDGE[model]} {fallback}",
                "does_not_fit",
            )
    if not fit.converged:
        raise ModelFitError(
            f"The {model} model could not be fitted: the optimiser did not converge after "
            f"{fit.iterations} iterations. {fallback}",
            "not_converged",
        )
    if not np.all(np.isfinite(fit.log_standard_errors)):
        raise ModelFitError(
            f"The {model} model's parameters are not pinned down by these data (the likelihood "
            f"is flat in some direction). {fallback}",
            "not_identified",
        )


def _require_repeat_buyers(repeat_buyers: int, model: str) -> None:
    needed = MODEL_RULES["min_repeat_buyers"]
    if repeat_buyers < needed:
        raise ModelFitError(
            f"The {model} model needs at least {needed} customers who bought more than once; these data have "
            f"{repeat_buyers:,}. Use the fixed rules (days since the last purchase) instead, "
            "or wait for more "
            "history.",
            "too_few_repeat_buyers",
        )


def _parameter_table(params: Mapping[str, float], errors: Mapping[str, float]) -> pd.DataFrame:
    estimate = np.array(list(params.values()))
    se = np.array([errors[name] for name in params])
    return pd.DataFrame(
        {
            "parameter": list(params),
            "estimate": estimate,
            "standard_error": se,
            "lower_95": estimate - 1.96 * se,
            "upper_95": estimate + 1.96 * se,
        }
    )


def fit_bg_nbd(
    summary: pd.DataFrame,
    *,
    time_unit: str = "W",
    summary_time_unit: str = "D",
    check: bool = True,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
) -> BetaGeoModel:
    """Fit the BG/NBD model to a per-customer summary by maximum likelihood.

    Customers with the same history (x, t_x, T) are counted once with their number; the
    log-likelihood (FHL 2005 eq. 6) is maximised over the logs of ``r``, ``alpha``, ``a``,
    ``b`` with L-BFGS-B and its analytic gradient, in log space throughout, so that customers
    with hundreds of purchases neither overflow nor warn. Standard errors come from the
    Hessian at the estimate.

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
        If a column is missing or holds impossible values (negative, recency after T).

    Examples
    --------
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
    scale = _unit_days(time_unit, "time_unit") / _unit_days(summary_time_unit, "summary_time_unit")
    x, t_x, T = _history(summary, scale, frequency_col, recency_col, T_col)
    histories = _collapse(x, t_x, T)
    _require_repeat_buyers(histories.repeat_buyers, "BG/NBD")
    mean_T = max(float(T.mean()), 1e-12)
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 4
    bounds[1] = (np.log(mean_T) - _LOG_BOUND, np.log(mean_T) + _LOG_BOUND)
    fit = _maximise(
        lambda theta: _bg_nbd_loglik(theta, histories), _start_bg_nbd(histories), bounds, histories.customers
    )
    values = np.exp(fit.log_params)
    if check:
        _judge(fit, ["r", "alpha", "a", "b"], values, np.array([1, mean_T, 1, 1]), bounds, "BG/NBD")
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


# ---------------------------------------------------------------------------------------
# Gamma-Gamma: spend per purchase


@dataclass(frozen=True)
class GammaGammaModel:
    """A fitted Gamma-Gamma model of what repeat buyers spend per purchase.

    Each purchase of a customer is worth a gamma-distributed amount of shape ``p`` and
    rate ν, so their mean spend is p / ν; the ν's are spread across customers as a gamma
    distribution of shape ``q`` and rate ``v`` (Fader & Hardie 2013). The model assumes that
    what a customer spends per purchase does not depend on how often they buy:
    ``spend_frequency_correlation`` checks it on the data.

    Attributes
    ----------
    p, q, v : float
        The parameters, as in lifetimes' ``GammaGammaFitter`` and pymc-marketing's
        ``GammaGammaModel``; ``v`` is in the currency of the spend.
    standard_errors : Mapping[str, float]
        Standard error of each parameter, from the Hessian of the log-likelihood.
    log_likelihood : float
        Maximised log-likelihood.
    repeat_buyers : int
        Customers fitted on: those with at least one repeat purchase.
    spend_frequency_correlation : float
        Pearson correlation, over the repeat buyers, of their number of repeat purchases and
        their average spend per repeat purchase.
    spend_frequency_verdict : str
        ``"independent"`` when its absolute value is at most
        ``MODEL_RULES["max_spend_frequency_correlation"]``, ``"correlated"`` otherwise.
    spend_frequency_message : str
        The check in one plain sentence.
    converged : bool
        Whether the optimiser reported convergence.
    iterations : int
        Iterations of the optimiser.
    """

    p: float
    q: float
    v: float
    standard_errors: Mapping[str, float] = field(hash=False)
    log_likelihood: float
    repeat_buyers: int
    spend_frequency_correlation: float
    spend_frequency_verdict: str
    spend_frequency_message: str
    converged: bool = True
    iterations: int = 0

    @property
    def params(self) -> dict[str, float]:
        """``{"p": ..., "q": ..., "v": ...}``."""
        return {"p": self.p, "q": self.q, "v": self.v}

    @property
    def mean_spend(self) -> float:
        """Mean spend per purchase over the population of customers: p · v / (q - 1)."""
        return self.p * self.v / (self.q - 1)

    def parameter_table(self) -> pd.DataFrame:
        """The parameters with their standard errors and 95% intervals, as for :class:`BetaGeoModel`."""
        return _parameter_table(self.params, self.standard_errors)

    def expected_average_spend(self, frequency, monetary_value) -> np.ndarray:
        """Expected spend per future purchase of a customer (Fader & Hardie 2013, eq. 5).

        E[M | x, m_x] = (p · v + p · x · m_x) / (p · x + q - 1): a weighted mean of the
        population mean and the customer's own average, the more their own the more purchases
        they made. A customer without repeat purchases (x = 0) gets the population mean.

        Parameters
        ----------
        frequency, monetary_value : array-like
            Repeat purchases and their average value (``monetary_value`` of the summary).
        """
        x, m = np.broadcast_arrays(
            np.asarray(frequency, dtype="float64"), np.asarray(monetary_value, dtype="float64")
        )
        m = np.where(x > 0, m, 0.0)
        return self.p * (self.v + x * m) / (self.p * x + self.q - 1)


def _gamma_gamma_loglik(
    log_params: np.ndarray,
    x: np.ndarray,
    log_m: np.ndarray,
    xm: np.ndarray,
    xv: np.ndarray,
    wx: np.ndarray,
    gradient: bool = True,
):
    """Log-likelihood of Fader & Hardie (2013) eq. 1a summed over repeat buyers, with its gradient.

    Per customer: ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + x m).
    """
    p, q, v = np.exp(log_params)
    n = len(x)
    log_v_xm = np.log(v + xm)
    sum_log_v_xm, x_log_v_xm = log_v_xm.sum(), _dot(x, log_v_xm)
    x_log_m = _dot(x, log_m)
    ll = (
        _dot(wx, gammaln(p * xv + q) - gammaln(p * xv) + p * xv * np.log(xv))
        - n * gammaln(q)
        + n * q * np.log(v)
        + p * x_log_m
        - log_m.sum()
        - p * x_log_v_xm
        - q * sum_log_v_xm
    )
    if not gradient:
        return ll
    inv = 1 / (v + xm)
    d_p = _dot(wx * xv, digamma(p * xv + q) - digamma(p * xv) + np.log(xv)) + x_log_m - x_log_v_xm
    d_q = _dot(wx, digamma(p * xv + q)) - n * digamma(q) + n * np.log(v) - sum_log_v_xm
    d_v = n * q / v - p * _dot(x, inv) - q * inv.sum()
    return ll, np.array([p * d_p, q * d_q, v * d_v])


def fit_gamma_gamma(
    summary: pd.DataFrame,
    *,
    check: bool = True,
    frequency_col: str = "frequency",
    monetary_value_col: str = "monetary_value",
) -> GammaGammaModel:
    """Fit the Gamma-Gamma spend model to the repeat buyers of a per-customer summary.

    Only customers with at least one repeat purchase take part, with their number of repeat
    purchases (``frequency``) and the average value of those purchases (``monetary_value``,
    the first purchase left out, as :func:`~loyalty_lessons.customers.customer_summary` and
    Fader & Hardie 2013 define it). The log-likelihood is maximised over the logs of ``p``,
    ``q``, ``v`` with L-BFGS-B and its analytic gradient; standard errors come from the
    Hessian. The model's assumption that spend and frequency are independent is checked and
    reported in ``spend_frequency_correlation`` and ``spend_frequency_verdict``, not enforced.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer with ``frequency`` and ``monetary_value``.
    check : bool, default True
        Raise :class:`ModelFitError` when the fit is not to be trusted, as for :func:`fit_bg_nbd`;
        also when q <= 1, for which the mean spend would be infinite.
    frequency_col, monetary_value_col : str
        Column names.

    Returns
    -------
    GammaGammaModel

    Raises
    ------
    ModelFitError
        As :func:`fit_bg_nbd`.
    LoyaltyDataError
        If a column is missing, or a repeat buyer's ``monetary_value`` is not positive.

    Examples
    --------
    >>> summary = simulate_customers(np.full(5000, 52.0), r=0.25, alpha=4.0, a=0.8, b=2.5,
    ...                              p=6.0, q=4.0, v=15.0, seed=2)
    >>> model = fit_gamma_gamma(summary)
    >>> model.repeat_buyers, model.spend_frequency_verdict
    (2432, 'independent')
    """
    frequency, monetary = _columns(summary, [frequency_col, monetary_value_col])
    repeat = frequency > 0
    x, m = frequency[repeat], monetary[repeat]
    bad = m <= 0
    if bad.any():
        raise LoyaltyDataError(
            f"{int(bad.sum()):,} repeat buyers of the summary have a {monetary_value_col!r} of "
            "zero or less; the spend model needs the positive average value of their repeat "
            "purchases (customer_summary(...) computes it)."
        )
    _require_repeat_buyers(len(x), "Gamma-Gamma")
    xv, wx = np.unique(x, return_counts=True)
    log_m, xm = np.log(m), x * m
    data = (x, log_m, xm, xv, wx.astype("float64"))
    mean_m = float(m.mean())
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 3
    bounds[2] = (np.log(mean_m) - _LOG_BOUND, np.log(mean_m) + _LOG_BOUND)
    fit = _maximise(
        lambda theta: _gamma_gamma_loglik(theta, *data), np.log([2.0, 3.0, mean_m]), bounds, len(x)
    )
    values = np.exp(fit.log_params)
    if check:
        if fit.converged and values[1] <= 1:
            raise ModelFitError(
                f"The Gamma-Gamma model does not fit these data: q = {values[1]:.3g} is not above 1, "
                "so the mean "
                "spend per purchase it implies is infinite (a few customers spend far more than the rest). "
                f"{_FALLBACK['Gamma-Gamma']}",
                "does_not_fit",
            )
        _judge(fit, ["p", "q", "v"], values, np.array([1, 1, mean_m]), bounds, "Gamma-Gamma")
    correlation, verdict, message = _spend_frequency_check(x, m)
    errors = MappingProxyType(dict(zip(("p", "q", "v"), (values * fit.log_standard_errors).tolist())))
    return GammaGammaModel(
        *values.tolist(),
        standard_errors=errors,
        log_likelihood=fit.log_likelihood,
        repeat_buyers=len(x),
        spend_frequency_correlation=correlation,
        spend_frequency_verdict=verdict,
        spend_frequency_message=message,
        converged=fit.converged,
        iterations=fit.iterations,
    )


def _spend_frequency_check(x: np.ndarray, m: np.ndarray) -> tuple[float, str, str]:
    """Pearson correlation of frequency and average spend, its verdict and the sentence saying it."""
    if np.ptp(x) == 0 or np.ptp(m) == 0:
        correlation = 0.0
    else:
        correlation = float(np.corrcoef(x, m)[0, 1])
    limit = MODEL_RULES["max_spend_frequency_correlation"]
    if abs(correlation) <= limit:
        return (
            correlation,
            "independent",
            (
                f"What repeat buyers spend per purchase hardly depends on how often they buy (correlation "
                f"{correlation:.2f}, within ±{limit:.2f}), as the spend model assumes."
            ),
        )
    direction = "more" if correlation > 0 else "less"
    return (
        correlation,
        "correlated",
        (
            f"Customers who buy more often spend {direction} per purchase (correlation "
            f"{correlation:.2f}, beyond ±{limit:.2f}): the spend model assumes they are independent, "
            "so its expected spend and value are "
            "doubtful; prefer each customer's own average."
        ),
    )


# ---------------------------------------------------------------------------------------
# Simulation


def simulate_customers(
    T,
    *,
    r: float,
    alpha: float,
    a: float,
    b: float,
    p: float | None = None,
    q: float | None = None,
    v: float | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Per-customer summaries of customers who behave exactly as the BG/NBD (and Gamma-Gamma) model says.

    Each customer draws a purchase rate λ ~ gamma(r, rate alpha) and a drop-out probability
    p ~ beta(a, b); they make repeat purchases at random at rate λ from their first purchase
    (time 0) until ``T``, and after each repeat purchase leave for good with probability p.
    With ``p``, ``q`` and ``v`` their purchases are worth gamma(p, rate ν) amounts, with
    ν ~ gamma(q, rate v). For lessons, tests and benchmarks.

    Parameters
    ----------
    T : array-like
        Each customer's time from the first purchase to the end of observation, in the
        time unit of ``alpha``; its length is the number of customers.
    r, alpha, a, b : float
        BG/NBD parameters.
    p, q, v : float, optional
        Gamma-Gamma parameters; all three or none.
    seed : int, optional
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency``, ``T`` (in the unit of ``T``) and, with ``p``, ``q``, ``v``,
        ``monetary_value`` (mean value of the repeat purchases, 0 without).

    Examples
    --------
    >>> summary = simulate_customers([52.0] * 3, r=0.25, alpha=4.0, a=0.8, b=2.5, seed=1)
    >>> list(summary.columns)
    ['frequency', 'recency', 'T']
    """
    T = np.asarray(T, dtype="float64").ravel()
    if (T < 0).any() or not np.isfinite(T).all() or min(r, alpha, a, b) <= 0:
        raise LoyaltyDataError("simulate_customers needs finite T of 0 or more and positive r, alpha, a, b.")
    rng = np.random.default_rng(seed)
    n = len(T)
    rate = rng.gamma(r, 1 / alpha, n)
    drop = rng.beta(a, b, n)
    events = rng.poisson(rate * T)  # purchases in (0, T] if they never left
    allowed = rng.geometric(np.maximum(drop, 1e-300))  # they leave right after this repeat purchase
    x = np.minimum(events, allowed)
    # The x-th of n uniform times on (0, T] is T times a beta(x, n - x + 1) draw.
    buyers = x > 0
    t_x = np.zeros(n)
    t_x[buyers] = T[buyers] * rng.beta(x[buyers], events[buyers] - x[buyers] + 1)
    out = pd.DataFrame({"frequency": x.astype("int64"), "recency": t_x, "T": T})
    if (p, q, v) != (None, None, None):
        if None in (p, q, v) or min(p, q, v) <= 0:
            raise LoyaltyDataError("simulate_customers needs all of p, q and v, positive, or none.")
        nu = rng.gamma(q, 1 / v, n)
        total = rng.gamma(p * np.maximum(x, 1), 1 / nu)
        out["monetary_value"] = np.where(buyers, total / np.maximum(x, 1), 0.0)
    return out


# ---------------------------------------------------------------------------------------
# Predictions on a summary


def _months_to_time(months, model: BetaGeoModel) -> np.ndarray:
    return np.asarray(months, dtype="float64") * DAYS_PER_MONTH / TIME_UNITS[model.time_unit]


def customer_predictions(
    summary: pd.DataFrame,
    purchase_model: BetaGeoModel,
    spend_model: GammaGammaModel | None = None,
    *,
    horizon_months: int = 12,
    discount_rate_yearly: float = 0.10,
    customer_id_col: str = "customer_id",
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
    monetary_value_col: str = "monetary_value",
) -> pd.DataFrame:
    """Per customer: probability of being active, expected purchases, spend and value over a horizon.

    The value is that of lifetimes' ``customer_lifetime_value``: month by month, the
    purchases expected in that month times the expected spend per purchase, discounted to
    today, summed over ``horizon_months``. A month is :data:`DAYS_PER_MONTH` days; month m's
    amount is divided by (1 + ``discount_rate_yearly``) ** (m / 12). It is revenue, not margin:
    multiply by a margin for a profit.

    Parameters
    ----------
    summary : pandas.DataFrame
        The per-customer summary the models were fitted on (or one computed the same way, in
        ``purchase_model.summary_time_unit``), with ``frequency``, ``recency``, ``T`` and, for
        the spend columns, ``monetary_value``.
    purchase_model : BetaGeoModel
        From :func:`fit_bg_nbd`.
    spend_model : GammaGammaModel or None
        From :func:`fit_gamma_gamma`; without it the spend and value columns are NaN.
    horizon_months : int, default 12
        Months ahead, at least 1.
    discount_rate_yearly : float, default 0.10
        Yearly discount rate, at least 0 (0.10 for 10%).
    customer_id_col, frequency_col, recency_col, T_col, monetary_value_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per row of ``summary``, with its index:

        - ``customer_id`` (when the summary has the column)
        - ``p_alive``: probability that the customer is still active
        - ``expected_purchases``: purchases expected in the next ``horizon_months`` months
        - ``expected_average_spend``: expected spend per future purchase
        - ``expected_value``: discounted expected spend over the horizon

        ``attrs`` holds ``horizon_months`` and ``discount_rate_yearly``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or holds impossible values, or an argument is out of range.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> summary = pd.DataFrame({"customer_id": ["a", "b"], "frequency": [2, 0],
    ...     "recency": [213.0, 0.0], "T": [272.0, 272.0]})
    >>> customer_predictions(summary, model)[["customer_id", "p_alive", "expected_purchases"]].round(3)
      customer_id  p_alive  expected_purchases
    0           a    0.727               1.563
    1           b    1.000               0.253
    """
    if not (isinstance(horizon_months, (int, np.integer)) and horizon_months >= 1):
        raise LoyaltyDataError(
            f"horizon_months must be a whole number of months, at least 1; got {horizon_months!r}."
        )
    if not (np.isfinite(discount_rate_yearly) and discount_rate_yearly >= 0):
        raise LoyaltyDataError(
            f"discount_rate_yearly must be at least 0 (0.10 for 10%); got {discount_rate_yearly!r}."
        )
    scale = TIME_UNITS[purchase_model.time_unit] / _unit_days(
        purchase_model.summary_time_unit, "summary_time_unit"
    )
    x, t_x, T = _history(summary, scale, frequency_col, recency_col, T_col)
    p_alive = purchase_model.probability_alive(x, t_x, T)
    codes, x_u, T_u = _pairs(x, T)
    months = np.arange(horizon_months + 1)
    m = purchase_model
    if_active = _expected_if_active(
        m.r, m.alpha, m.a, m.b, _months_to_time(months, m)[None, :], x_u[:, None], T_u[:, None]
    )
    out = pd.DataFrame(index=summary.index)
    if customer_id_col in summary.columns:
        out["customer_id"] = summary[customer_id_col]
    out["p_alive"] = p_alive
    out["expected_purchases"] = p_alive * if_active[codes, -1]
    if spend_model is None:
        out["expected_average_spend"] = np.nan
        out["expected_value"] = np.nan
    else:
        (monetary,) = _columns(summary, [monetary_value_col])
        spend = spend_model.expected_average_spend(x, monetary)
        discount = (1 + discount_rate_yearly) ** (-months[1:] / 12)
        discounted_purchases = np.einsum("ij,j->i", np.diff(if_active, axis=1), discount)
        out["expected_average_spend"] = spend
        out["expected_value"] = spend * p_alive * discounted_purchases[codes]
    out.attrs.update(horizon_months=int(horizon_months), discount_rate_yearly=float(discount_rate_yearly))
    return out


def _pairs(x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of the distinct (x, T) pairs, and the pairs: predictions are computed once per pair."""
    x_codes, x_u = pd.factorize(x)
    T_codes, T_u = pd.factorize(T)
    codes, keys = pd.factorize(x_codes * len(T_u) + T_codes)
    return codes, np.asarray(x_u)[keys // len(T_u)], np.asarray(T_u)[keys % len(T_u)]


def alive_by_recency(
    model: BetaGeoModel,
    *,
    T: float,
    frequency: int | Sequence[int] = (1, 3, 10),
    points: int = 101,
) -> pd.DataFrame:
    """Probability of being active against the time of the last purchase, for given purchase counts.

    Parameters
    ----------
    model : BetaGeoModel
        From :func:`fit_bg_nbd`.
    T : float
        Time from the first purchase to the end of observation, in ``model.time_unit``.
    frequency : int or sequence of int, default (1, 3, 10)
        Numbers of repeat purchases, one curve each.
    points : int, default 101
        Recencies per curve, evenly spaced from 0 to ``T``.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency`` (in ``model.time_unit``: from the first to the last
        purchase), ``time_since_last`` (``T - recency``), ``p_alive``; ``attrs`` holds ``T``
        and ``time_unit``.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> curve = alive_by_recency(model, T=38.86, frequency=2, points=3)
    >>> curve.round(3)
       frequency  recency  time_since_last  p_alive
    0          2     0.00            38.86    0.025
    1          2    19.43            19.43    0.532
    2          2    38.86             0.00    0.812
    """
    frequencies = np.atleast_1d(np.asarray(frequency))
    if not (np.isfinite(T) and T > 0) or frequencies.size == 0 or (frequencies < 0).any() or points < 2:
        raise LoyaltyDataError(
            "alive_by_recency needs T > 0, frequencies of 0 or more and at least 2 points."
        )
    recency = np.linspace(0.0, float(T), int(points))
    x = np.repeat(frequencies.astype("int64"), len(recency))
    t_x = np.tile(recency, len(frequencies))
    out = pd.DataFrame(
        {
            "frequency": x,
            "recency": t_x,
            "time_since_last": float(T) - t_x,
            "p_alive": model.probability_alive(x, t_x, float(T)),
        }
    )
    out.attrs.update(T=float(T), time_unit=model.time_unit)
    return out


class _OwnAverageSpend:
    """Stands in for a spend model: each customer's own average spend per purchase."""

    def __init__(self, spend: np.ndarray):
        self.spend = spend

    def expected_average_spend(self, frequency, monetary_value) -> np.ndarray:
        return self.spend


def customer_value(
    summary: pd.DataFrame,
    purchase_model: BetaGeoModel,
    spend_model: GammaGammaModel | None = None,
    *,
    horizon_months: int = 12,
    discount_rate_yearly: float = 0.10,
    revenue_col: str = "revenue",
    orders_col: str = "orders",
) -> pd.DataFrame:
    """:func:`customer_predictions` with a spend per purchase whether or not the spend model fits.

    With ``spend_model`` the expected spend is the model's (Fader & Hardie 2013); without it
    (the spend model was refused), or when its ``spend_frequency_verdict`` is ``"correlated"``
    (spend depends on frequency, against the model's assumption), each customer's own average
    spend per order, ``revenue / orders``, and for a customer without an order of positive
    value the average of all customers' orders. The value is then that spend times the
    discounted purchases expected over the horizon, as :func:`customer_predictions` computes it.

    Parameters
    ----------
    summary, purchase_model, spend_model, horizon_months, discount_rate_yearly
        As for :func:`customer_predictions`.
    revenue_col, orders_col : str
        Columns of the net revenue and of the orders of each customer (``customer_summary``'s).

    Returns
    -------
    DataFrame
        The columns of :func:`customer_predictions`; ``attrs`` also hold ``spend_basis``:
        ``"spend model"`` or ``"own average"``.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> summary = pd.DataFrame({"customer_id": ["a", "b"], "frequency": [2, 0],
    ...     "recency": [213.0, 0.0], "T": [272.0, 272.0], "revenue": [90.0, 0.0], "orders": [3, 1]})
    >>> value = customer_value(summary, model)
    >>> value["expected_average_spend"].tolist(), value.attrs["spend_basis"]
    ([30.0, 30.0], 'own average')
    """
    if spend_model is None or getattr(spend_model, "spend_frequency_verdict", None) == "correlated":
        revenue = summary[revenue_col].to_numpy(dtype="float64")
        orders = summary[orders_col].to_numpy(dtype="float64")
        bought = (orders > 0) & (revenue > 0)
        mean = revenue[bought].sum() / orders[bought].sum() if bought.any() else 0.0
        spend = np.where(bought, revenue / np.where(bought, orders, 1.0), mean)
        used, basis = _OwnAverageSpend(spend), "own average"
        columns = summary.assign(monetary_value=0.0) if "monetary_value" not in summary else summary
    else:
        used, basis, columns = spend_model, "spend model", summary
    out = customer_predictions(
        columns,
        purchase_model,
        used,
        horizon_months=horizon_months,
        discount_rate_yearly=discount_rate_yearly,
    )
    out.attrs["spend_basis"] = basis
    return out
