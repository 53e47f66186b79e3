"""What the customer analyses check at the door: rule overrides, required columns, the end date.

Shared by :mod:`loyalty_lessons.customer_types`, :mod:`loyalty_lessons.behaviours` and
:mod:`loyalty_lessons.rfm`, so that a wrong rule name or a missing column is worded the
same way in all three.
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["end_of_observation", "merge_rules", "require_columns", "rule_number"]


def merge_rules(defaults: dict, rules: dict | None, name: str) -> dict:
    """``defaults`` updated with ``rules``; an unknown rule name is refused.

    Parameters
    ----------
    defaults : dict
        The module-level rules (e.g. ``TYPE_RULES``).
    rules : dict or None
        The caller's overrides.
    name : str
        Name of ``defaults``, for the message.

    Returns
    -------
    dict
        A new dict.

    Raises
    ------
    LoyaltyDataError
        If ``rules`` names a rule that ``defaults`` does not have.

    Examples
    --------
    >>> merge_rules({"a": 1, "b": 2}, {"b": 3}, "RULES")
    {'a': 1, 'b': 3}
    """
    if rules is None:
        return dict(defaults)
    unknown = sorted(set(rules) - set(defaults))
    if unknown:
        raise LoyaltyDataError(
            f"Unknown rule(s) {unknown}; the rules that can be changed are {sorted(defaults)} (see {name})."
        )
    return {**defaults, **rules}


def require_columns(frame: pd.DataFrame, columns: list[str], what: str, hint: str) -> None:
    """Raise unless ``frame`` is a DataFrame with ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : list of str
    what : str
        What the table is, for the message ("customer summary").
    hint : str
        What to do about a missing column.

    Raises
    ------
    LoyaltyDataError
        If ``frame`` is not a DataFrame or lacks a column.
    """
    if not isinstance(frame, pd.DataFrame):
        raise LoyaltyDataError(f"The {what} must be a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LoyaltyDataError(f"The {what} has no column {', '.join(repr(c) for c in missing)}; {hint}")


def rule_number(x: float) -> str:
    """A threshold as a rule's text writes it: ``180``, ``1.5``.

    Examples
    --------
    >>> rule_number(180.0), rule_number(1.5)
    ('180', '1.5')
    """
    return f"{x:g}"


def end_of_observation(transactions: pd.DataFrame, date_col: str, observation_end) -> pd.Timestamp:
    """``observation_end`` as a Timestamp, or the last date in ``transactions`` when None."""
    if observation_end is not None:
        return pd.Timestamp(observation_end)
    return pd.Timestamp(transactions[date_col].max())
