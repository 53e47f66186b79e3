"""loyalty-lessons: lessons, explorers and client reports on customer loyalty."""

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["LoyaltyDataError"]
__version__ = "0.1.0"
