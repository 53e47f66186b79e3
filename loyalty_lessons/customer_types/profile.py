"""What each customer type is worth: how many there are, what they spend, and the uplift.

How many customers of each type there are and what they bring in (:func:`type_profile`),
each customer's spend per month (:func:`monthly_spend`), and how much more loyal customers
spend than satisfied ones, with its interval (:func:`spend_uplift`; [it-loyalty-steps]
cites Gallup's 46% more spent by emotionally connected customers). The types come from
:func:`~loyalty_lessons.customer_types.classify.classify_customers`.

The spend of loyal against satisfied customers computed here is descriptive (loyal
customers are those who bought often, so they spent more partly by definition); measured
out of sample it is in :mod:`loyalty_lessons.future_spend`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from loyalty_lessons._checks import require_columns as _require
from loyalty_lessons.customer_types.classify import TYPE_DTYPE, TYPES, sorted_unique
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "DAYS_PER_MONTH",
    "MAX_BOOTSTRAP_DRAWS",
    "SpendUplift",
    "monthly_spend",
    "spend_uplift",
    "type_profile",
]

#: Length of a month used for monthly figures: 365.25 / 12 = 30.4375 days.
DAYS_PER_MONTH: float = 365.25 / 12


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
    if ids.equals(cust["customer_id"]) and sorted_unique(ids):  # the types of this very summary
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
    out["type"] = out["type"].astype(TYPE_DTYPE)
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
