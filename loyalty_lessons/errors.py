"""The one exception type of the package."""

from __future__ import annotations

__all__ = ["LoyaltyDataError"]


class LoyaltyDataError(ValueError):
    """A problem with the user's data or arguments, explained in plain words.

    The message names the file, the column and example lines where they apply,
    and says how to fix the problem. It subclasses ``ValueError`` so existing
    ``except ValueError`` code keeps working.
    """
