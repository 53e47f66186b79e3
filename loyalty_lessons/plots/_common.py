"""What every chart checks before it draws."""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError


def require_result(table: pd.DataFrame, columns: list[str], made_by: str) -> pd.DataFrame:
    """Raise a clear error unless ``table`` is a non-empty DataFrame with ``columns``.

    ``made_by`` names the function that computes such a table, e.g. ``"type_profile(...)"``.
    """
    if not isinstance(table, pd.DataFrame):
        raise LoyaltyDataError(f"Expected a DataFrame from {made_by}, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LoyaltyDataError(f"The table has no column {', '.join(repr(c) for c in missing)}; "
                               f"compute it with {made_by}.")
    if table.empty:
        raise LoyaltyDataError(f"The table from {made_by} is empty: there is nothing to draw.")
    return table
