"""What a customer spends per purchase: the Gamma-Gamma model (Fader, Hardie & Lee 2005; Fader & Hardie 2013).

Each customer's purchases vary around a mean spend of their own, and those means vary across
customers; :func:`fit_gamma_gamma` fits the model to the repeat buyers' average spend and
checks its assumption that spend does not depend on how often a customer buys. The
parameters ``p``, ``q`` and ``v`` are those of lifetimes' ``GammaGammaFitter`` and
pymc-marketing's ``GammaGammaModel``. :mod:`~loyalty_lessons.customer_base` uses it for
each customer's expected value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from loyalty_lessons._model_fit import (
    FALLBACK,
    LOG_BOUND,
    MODEL_RULES,
    ModelFitError,
    dot,
    judge,
    maximise,
    parameter_table,
    require_repeat_buyers,
    summary_columns,
)
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["GammaGammaModel", "fit_gamma_gamma"]


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
        Customers fitted on: those with at least one repeat purchase (or a sample of them,
        see ``sampled_from``).
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
    sampled_from : int or None
        When the model was fitted on a uniform random sample of the repeat buyers (as the
        Spark engine does beyond ``spark_model.SPEND_FIT_LIMIT`` of them): how many repeat
        buyers there were in all; None when it was fitted on all of them.
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
    sampled_from: int | None = None

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
        return parameter_table(self.params, self.standard_errors)

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
    sum_log_v_xm, x_log_v_xm = log_v_xm.sum(), dot(x, log_v_xm)
    x_log_m = dot(x, log_m)
    ll = (
        dot(wx, gammaln(p * xv + q) - gammaln(p * xv) + p * xv * np.log(xv))
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
    d_p = dot(wx * xv, digamma(p * xv + q) - digamma(p * xv) + np.log(xv)) + x_log_m - x_log_v_xm
    d_q = dot(wx, digamma(p * xv + q)) - n * digamma(q) + n * np.log(v) - sum_log_v_xm
    d_v = n * q / v - p * dot(x, inv) - q * inv.sum()
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
    >>> from loyalty_lessons.customer_base import simulate_customers
    >>> summary = simulate_customers(np.full(5000, 52.0), r=0.25, alpha=4.0, a=0.8, b=2.5,
    ...                              p=6.0, q=4.0, v=15.0, seed=2)
    >>> model = fit_gamma_gamma(summary)
    >>> model.repeat_buyers, model.spend_frequency_verdict
    (2432, 'independent')
    """
    frequency, monetary = summary_columns(summary, [frequency_col, monetary_value_col])
    repeat = frequency > 0
    x, m = frequency[repeat], monetary[repeat]
    bad = m <= 0
    if bad.any():
        raise LoyaltyDataError(
            f"{int(bad.sum()):,} repeat buyers of the summary have a {monetary_value_col!r} of "
            "zero or less; the spend model needs the positive average value of their repeat "
            "purchases (customer_summary(...) computes it)."
        )
    require_repeat_buyers(len(x), "Gamma-Gamma")
    xv, wx = np.unique(x, return_counts=True)
    log_m, xm = np.log(m), x * m
    data = (x, log_m, xm, xv, wx.astype("float64"))
    mean_m = float(m.mean())
    bounds = [(-LOG_BOUND, LOG_BOUND)] * 3
    bounds[2] = (np.log(mean_m) - LOG_BOUND, np.log(mean_m) + LOG_BOUND)
    fit = maximise(
        lambda theta: _gamma_gamma_loglik(theta, *data), np.log([2.0, 3.0, mean_m]), bounds, len(x)
    )
    values = np.exp(fit.log_params)
    if check:
        if fit.converged and values[1] <= 1:
            raise ModelFitError(
                f"The Gamma-Gamma model does not fit these data: q = {values[1]:.3g} is not above 1, "
                "so the mean "
                "spend per purchase it implies is infinite (a few customers spend far more than the rest). "
                f"{FALLBACK['Gamma-Gamma']}",
                "does_not_fit",
            )
        judge(fit, ["p", "q", "v"], values, np.array([1, 1, mean_m]), bounds, "Gamma-Gamma")
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
            "doubtful; prefer each customer's own average, pulled towards everyone's."
        ),
    )
