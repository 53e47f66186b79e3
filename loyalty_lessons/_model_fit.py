"""What the customer-base models share: checking a summary, fitting by maximum likelihood, judging a fit.

:mod:`~loyalty_lessons.bg_nbd` and :mod:`~loyalty_lessons.spend_model` fit their models with
:func:`maximise` (L-BFGS-B on the log-parameters, standard errors from the Hessian; from
values near the estimate, :func:`newton_steps` first) and
refuse a fit with :func:`judge` or :func:`require_repeat_buyers`, raising
:class:`ModelFitError` with the reason in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from loyalty_lessons.customers import TIME_UNITS
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "FALLBACK",
    "LOG_BOUND",
    "MODEL_RULES",
    "Fit",
    "ModelFitError",
    "dot",
    "judge",
    "log_standard_errors",
    "maximise",
    "newton_steps",
    "parameter_table",
    "require_repeat_buyers",
    "summary_columns",
    "unit_days",
]


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
LOG_BOUND = np.log(1e6)


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


def unit_days(time_unit: str, name: str) -> int:
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"{name}={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} (days or weeks)."
        )
    return TIME_UNITS[time_unit]


def summary_columns(summary: pd.DataFrame, columns: Sequence[str]) -> list[np.ndarray]:
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


def dot(u: np.ndarray, w: np.ndarray) -> float:
    """Sum of u * w. Not ``u @ w``: a multi-threaded BLAS call is many times slower on a busy machine."""
    return float(np.einsum("i,i->", u, w))


@dataclass(frozen=True)
class Fit:
    """What the optimiser found, in log-parameters."""

    log_params: np.ndarray
    log_likelihood: float
    log_standard_errors: np.ndarray  # NaN when the Hessian is not positive definite
    converged: bool
    iterations: int


def maximise(loglik, start: np.ndarray, bounds: list[tuple[float, float]], n: int) -> Fit:
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
        errors = log_standard_errors(loglik, res.x, g)
    return Fit(res.x, float(ll), errors, converged, int(res.nit))


def _information(loglik, theta: np.ndarray, at: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Minus the Hessian of ``loglik`` at ``theta``, by forward differences of the gradient
    (``at`` is the gradient at ``theta``), made symmetric."""
    hessian = np.empty((len(theta), len(theta)))
    for i in range(len(theta)):
        shift = np.zeros_like(theta)
        shift[i] = step
        hessian[i] = (loglik(theta + shift)[1] - at) / step
    return -(hessian + hessian.T) / 2


def newton_steps(
    loglik, start: np.ndarray, bounds: list[tuple[float, float]], n: int, steps: int = 4
) -> Fit | None:
    """Maximise ``loglik`` by Newton's steps from ``start``, a point near the maximum (the fit
    of a coarser likelihood), as :func:`maximise` does from afar.

    Each step costs one gradient and a Hessian from differences of gradients: from such a
    start, two or three steps bring the gradient per customer under 1e-10, where L-BFGS-B
    spends some thirty gradients. None when the steps do not converge within ``steps``, leave
    ``bounds``, or do not rise (the start was not near enough): then :func:`maximise`.
    """
    low, high = np.array(bounds).T
    theta = np.asarray(start, dtype="float64")
    with np.errstate(all="ignore"):
        ll, g = loglik(theta)
        for done in range(steps + 1):
            if not np.isfinite(ll) or not np.all(np.isfinite(g)):
                return None
            information = _information(loglik, theta, g)
            if np.max(np.abs(g)) / n < 1e-10:
                errors = _standard_errors(information)
                return Fit(theta, float(ll), errors, True, done) if np.all(np.isfinite(errors)) else None
            if done == steps:
                return None
            try:
                np.linalg.cholesky(information)  # a maximum's neighbourhood: the step goes up
                nearer = theta + np.linalg.solve(information, g)
            except np.linalg.LinAlgError:
                return None
            if np.any(nearer <= low) or np.any(nearer >= high):
                return None
            new_ll, new_g = loglik(nearer)
            if not new_ll >= ll - 1e-9 * abs(ll):
                return None
            theta, ll, g = nearer, new_ll, new_g
    return None


def log_standard_errors(loglik, theta: np.ndarray, at: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Standard errors of the log-parameters, from the Hessian.

    The Hessian comes from forward differences of the gradient (``at`` is the gradient at ``theta``).
    """
    return _standard_errors(_information(loglik, theta, at, step))


def _standard_errors(information: np.ndarray) -> np.ndarray:
    """Standard errors from the information matrix; NaN when it is not positive definite."""
    if not np.isfinite(information).all():
        return np.full(len(information), np.nan)
    try:
        np.linalg.cholesky(information)
    except np.linalg.LinAlgError:
        return np.full(len(information), np.nan)
    return np.sqrt(np.diag(np.linalg.inv(information)))


#: Per model: what to use instead when it is refused, and why its parameters may sit at an edge.
FALLBACK = {
    "BG/NBD": "Use the fixed rules (days since the last purchase) for these customers instead.",
    "Gamma-Gamma": "Use each customer's own average spend, pulled towards everyone's, instead.",
}


_AT_EDGE = {
    "BG/NBD": "The customers do not differ from one another as the model expects; this happens, "
    "for instance, "
    "in a subscription where everyone buys at a fixed interval.",
    "Gamma-Gamma": "What customers spend per purchase does not vary as the model expects "
    "(amounts spread around "
    "each customer's own mean, the means spread across customers).",
}


def judge(fit: Fit, names: Sequence[str], values: np.ndarray, scales: np.ndarray, bounds, model: str) -> None:
    """Raise :class:`ModelFitError` unless ``fit`` converged to sensible, identified parameters."""
    fallback = FALLBACK[model]
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


def require_repeat_buyers(repeat_buyers: int, model: str) -> None:
    needed = MODEL_RULES["min_repeat_buyers"]
    if repeat_buyers < needed:
        raise ModelFitError(
            f"The {model} model needs at least {needed} customers who bought more than once; these data have "
            f"{repeat_buyers:,}. Use the fixed rules (days since the last purchase) instead, "
            "or wait for more "
            "history.",
            "too_few_repeat_buyers",
        )


def parameter_table(params: Mapping[str, float], errors: Mapping[str, float]) -> pd.DataFrame:
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
