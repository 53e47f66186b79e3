"""Speed of the customer-base models: ``python benchmarks/customer_base.py [CUSTOMERS] [--repeats N]``.

Generates the per-customer summaries of CUSTOMERS customers (1,000,000 by default) as
``customer_summary`` gives them (whole days; first purchases spread over three years), who
behave as the BG/NBD and Gamma-Gamma models say, with about ten purchases a year while
active. It then times, in this process, the steps a report runs on them:

- fitting the BG/NBD model (collapsing identical histories, the fit, the standard errors);
- fitting the Gamma-Gamma model on the repeat buyers;
- predicting for every customer the probability of being active, the purchases and spend
  expected in the next 12 months and the discounted value (``customer_predictions``);

and prints a Markdown table: wall seconds (the median of ``--repeats`` runs, 3 by default,
with their range) and the total. Nothing is asserted: the table goes to docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd

from loyalty_lessons.customer_base import (
    customer_predictions,
    fit_bg_nbd,
    fit_gamma_gamma,
    simulate_customers,
)

#: The generated customers' parameters, in weeks: about ten purchases a year while active
#: (r / alpha = 0.2 a week), a fifth leaving after each purchase on average, CDNOW-like spend.
PARAMETERS = {"r": 0.8, "alpha": 4.0, "a": 0.8, "b": 3.2, "p": 6.0, "q": 3.7, "v": 15.0}


def generate(customers: int, seed: int = 0) -> pd.DataFrame:
    """Summaries in days, as ``customer_summary`` computes them: whole days, recency at most T."""
    rng = np.random.default_rng(seed)
    T_days = rng.integers(0, 3 * 365, customers).astype("float64")
    simulated = simulate_customers(T_days / 7, **PARAMETERS, seed=seed + 1)
    recency = np.minimum(np.round(simulated["recency"].to_numpy() * 7), T_days)
    return pd.DataFrame(
        {
            "customer_id": pd.Series(np.arange(customers)).astype("str"),
            "frequency": simulated["frequency"],
            "recency": np.where(simulated["frequency"] > 0, recency, 0.0),
            "T": T_days,
            "monetary_value": simulated["monetary_value"].round(2),
        }
    )


def timed(step) -> tuple[float, object]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def spread(seconds: list[float]) -> str:
    middle = f"{statistics.median(seconds):.2f}"
    return middle if len(seconds) == 1 else f"{middle} ({min(seconds):.2f}-{max(seconds):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("customers", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    summary = generate(args.customers)
    histories = len(summary[["frequency", "recency", "T"]].drop_duplicates())
    times: dict[str, list[float]] = {
        "fit BG/NBD": [],
        "fit Gamma-Gamma": [],
        "predict for every customer": [],
        "total": [],
    }
    for _ in range(args.repeats):
        t_bg, purchase_model = timed(lambda: fit_bg_nbd(summary))
        t_gg, spend_model = timed(lambda: fit_gamma_gamma(summary))
        t_pr, predictions = timed(
            lambda bg=purchase_model, gg=spend_model: customer_predictions(
                summary, bg, gg, horizon_months=12, discount_rate_yearly=0.10
            )
        )
        for name, seconds in zip(times, (t_bg, t_gg, t_pr, t_bg + t_gg + t_pr)):
            times[name].append(seconds)

    print(
        f"Customer-base models on {args.customers:,} customers ({histories:,} distinct histories, "
        f"{purchase_model.repeat_buyers:,} repeat buyers); {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores; median of {args.repeats} runs (range)\n"
    )
    print("| step | seconds |")
    print("|---|---:|")
    for name, seconds in times.items():
        print(f"| {name} | {spread(seconds)} |")
    bg = ", ".join(f"{k} = {v:.3f}" for k, v in purchase_model.params.items())
    gg = ", ".join(f"{k} = {v:.3f}" for k, v in spend_model.params.items())
    print(
        f"\nBG/NBD: {bg} (iterations: {purchase_model.iterations}); Gamma-Gamma: {gg} "
        f"(iterations: {spend_model.iterations}); generated with {PARAMETERS}."
    )
    print(
        "Expected purchases in the next 12 months, all customers: "
        f"{predictions['expected_purchases'].sum():,.0f}; "
        f"expected value: {predictions['expected_value'].sum():,.0f}."
    )


if __name__ == "__main__":
    main()
