"""The argument checks shared by the loyalty-value modules: non-negative numbers, shares, years."""

from __future__ import annotations

import math

import numpy as np

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["check_non_negative", "check_share", "check_years"]


def check_non_negative(**numbers: float) -> None:
    for name, number in numbers.items():
        is_number = isinstance(number, (int, float, np.number)) and not isinstance(number, bool)
        if not (is_number and math.isfinite(number)) or number < 0:
            raise LoyaltyDataError(f"{name} must be a number of at least 0, got {number!r}.")


def check_share(name: str, value: float, *, below_one: bool = False) -> None:
    upper_ok = value < 1 if below_one else value <= 1
    if not (isinstance(value, (int, float, np.number)) and value >= 0 and upper_ok):
        bound = "[0, 1)" if below_one else "[0, 1]"
        raise LoyaltyDataError(f"{name} must be a share in {bound} (e.g. 0.8 for 80%), got {value!r}.")


def check_years(years: int, name: str = "years") -> None:
    if not isinstance(years, (int, np.integer)) or isinstance(years, bool) or years < 1:
        raise LoyaltyDataError(f"{name} must be a whole number of at least 1, got {years!r}.")
