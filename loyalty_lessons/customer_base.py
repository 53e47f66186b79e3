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

The two models live in modules of their own, :mod:`~loyalty_lessons.bg_nbd` and
:mod:`~loyalty_lessons.spend_model` (their shared fitting in ``_model_fit.py``); this module
builds the per-customer figures on them and re-exports their public names, so that a lesson
or a report imports the subject from one place.

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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from loyalty_lessons._model_fit import MODEL_RULES, ModelFitError, summary_columns, unit_days
from loyalty_lessons.bg_nbd import BetaGeoModel, checked_history, expected_if_active, fit_bg_nbd
from loyalty_lessons.customers import TIME_UNITS
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.spend_model import GammaGammaModel, fit_gamma_gamma

__all__ = [
    "DAYS_PER_MONTH",
    "MODEL_RULES",
    "SPEND_SHRINKAGE",
    "BetaGeoModel",
    "GammaGammaModel",
    "ModelFitError",
    "alive_by_recency",
    "customer_predictions",
    "customer_value",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "shrunk_average_spend",
    "simulate_customers",
]

#: A month is a twelfth of a year of 365.25 days (30.44 days, 4.35 weeks).
DAYS_PER_MONTH = 365.25 / 12

#: The spend per purchase when the spend model is not used (:func:`shrunk_average_spend`):
#: a customer's own average counts as their ``n`` orders, the average of all customers as
#: ``prior_orders`` more. This toolkit's choice, made for the case it serves: the spend model
#: is refused mostly because a few customers spend far more than the rest, and then how far
#: to trust a short history cannot be estimated from the model. Three orders pull a
#: customer with one or two orders most of the way to everyone's average (their own counts
#: 1/4 and 2/5), while a regular's history speaks for itself (10/13 of it with ten orders).
SPEND_SHRINKAGE: dict[str, float] = {"prior_orders": 3.0}


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
    scale = TIME_UNITS[purchase_model.time_unit] / unit_days(
        purchase_model.summary_time_unit, "summary_time_unit"
    )
    x, t_x, T = checked_history(summary, scale, frequency_col, recency_col, T_col)
    p_alive = purchase_model.probability_alive(x, t_x, T)
    codes, x_u, T_u = _pairs(x, T)
    months = np.arange(horizon_months + 1)
    m = purchase_model
    if_active = expected_if_active(
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
        (monetary,) = summary_columns(summary, [monetary_value_col])
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


def shrunk_average_spend(
    revenue,
    orders,
    *,
    overall: float | None = None,
    prior_orders: float | None = None,
) -> np.ndarray:
    """Each customer's spend per purchase, their own average pulled towards everyone's.

    (n · own + k · overall) / (n + k) = (revenue + k · overall) / (orders + k), where ``n``
    is the customer's number of orders, ``own`` their revenue per order, ``overall`` the
    average spend per order of all customers and ``k`` is ``prior_orders``. It is the
    weighted mean the Gamma-Gamma model computes too (Fader & Hardie 2013, eq. 5, where the
    weight of everyone's average is (q - 1) / p repeat purchases), with a weight fixed in
    advance, for when that model cannot be used. One large order then cannot put a customer
    with two orders above a steady customer with ten: their own average counts for 2 / (2 + k)
    of their spend. A customer without an order of positive value (``orders`` or
    ``revenue`` of 0 or less) gets ``overall``.

    Parameters
    ----------
    revenue, orders : array-like
        Each customer's net revenue and number of orders (``customer_summary``'s columns).
    overall : float, optional
        Average spend per order of all customers; by default the revenue over the orders of
        the customers given who have an order of positive value (give it when they are a part
        of all customers).
    prior_orders : float, optional
        ``k``, the weight of ``overall`` in orders, 0 or more; by default
        ``SPEND_SHRINKAGE["prior_orders"]``. With 0, each customer's own average.

    Returns
    -------
    numpy.ndarray
        The spend per purchase of each customer, in the order given.

    Raises
    ------
    LoyaltyDataError
        If ``prior_orders`` is negative or not a number.

    Examples
    --------
    >>> shrunk_average_spend([300.0, 300.0, 0.0], [2, 10, 1]).round(2).tolist()
    [90.0, 34.62, 50.0]
    >>> shrunk_average_spend([300.0, 300.0], [2, 10], prior_orders=0).tolist()
    [150.0, 30.0]
    """
    k = float(SPEND_SHRINKAGE["prior_orders"] if prior_orders is None else prior_orders)
    if not (np.isfinite(k) and k >= 0):
        raise LoyaltyDataError(f"prior_orders must be a number of 0 or more, not {prior_orders!r}.")
    revenue = np.asarray(revenue, dtype="float64")
    orders = np.asarray(orders, dtype="float64")
    bought = (orders > 0) & (revenue > 0)
    if overall is None:
        overall = revenue[bought].sum() / orders[bought].sum() if bought.any() else 0.0
    overall = float(overall)
    n = np.where(bought, orders, 0.0)
    total = np.where(bought, revenue, 0.0) + k * overall
    weight = n + k
    return np.divide(total, weight, out=np.full(len(n), overall), where=weight > 0)


class _AverageSpend:
    """Stands in for a spend model: a spend per purchase fixed for each customer."""

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
    average_spend: float | None = None,
    prior_orders: float | None = None,
) -> pd.DataFrame:
    """:func:`customer_predictions` with a spend per purchase whether or not the spend model fits.

    With ``spend_model`` the expected spend is the model's (Fader & Hardie 2013); without it
    (the spend model was refused), or when its ``spend_frequency_verdict`` is ``"correlated"``
    (spend depends on frequency, against the model's assumption), each customer's own average
    spend per order pulled towards the average of all customers' orders, the less the more
    orders they made (:func:`shrunk_average_spend`), so that one large order does not put a
    customer with two orders at the top. The value is then that spend times the discounted
    purchases expected over the horizon, as :func:`customer_predictions` computes it.

    Parameters
    ----------
    summary, purchase_model, spend_model, horizon_months, discount_rate_yearly
        As for :func:`customer_predictions`.
    revenue_col, orders_col : str
        Columns of the net revenue and of the orders of each customer (``customer_summary``'s).
    average_spend : float, optional
        Without the spend model: the average spend per order of all customers, towards which
        each customer's own is pulled. By default the average over the summary's customers;
        give the average over all customers when ``summary`` holds a part of them, as the
        Spark engine scores them batch by batch (:mod:`~loyalty_lessons.spark_model`).
    prior_orders : float, optional
        Without the spend model: the weight of that average, in orders; by default
        ``SPEND_SHRINKAGE["prior_orders"]`` (see :func:`shrunk_average_spend`).

    Returns
    -------
    DataFrame
        The columns of :func:`customer_predictions`; ``attrs`` also hold ``spend_basis``:
        ``"spend model"`` or ``"shrunk average"``.

    Examples
    --------
    >>> model = BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426, standard_errors={},
    ...     log_likelihood=-9582.4, customers=2357, repeat_buyers=946)
    >>> summary = pd.DataFrame({"customer_id": ["a", "b"], "frequency": [1, 9],
    ...     "recency": [213.0, 250.0], "T": [272.0, 272.0], "revenue": [300.0, 300.0],
    ...     "orders": [2, 10]})
    >>> value = customer_value(summary, model)
    >>> value["expected_average_spend"].round(2).tolist(), value.attrs["spend_basis"]
    ([90.0, 34.62], 'shrunk average')
    """
    if spend_model is None or getattr(spend_model, "spend_frequency_verdict", None) == "correlated":
        spend = shrunk_average_spend(
            summary[revenue_col], summary[orders_col], overall=average_spend, prior_orders=prior_orders
        )
        used, basis = _AverageSpend(spend), "shrunk average"
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
