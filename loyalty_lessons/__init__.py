"""loyalty-lessons: lessons, explorers and client reports on customer loyalty.

The names a student or consultant uses are importable from here; each module's
``__all__`` lists the rest.
"""

from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import (
    DIMENSIONS,
    SERVQUAL_ITEMS,
    LoadReport,
    load_complaints,
    load_survey,
    load_transactions,
)
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring import cohort_retention, loyalty_signals, monitoring_table
from loyalty_lessons.samples import SampleData, load_sample

__all__ = [
    "DIMENSIONS",
    "SERVQUAL_ITEMS",
    "LoadReport",
    "LoyaltyDataError",
    "SampleData",
    "cohort_retention",
    "customer_summary",
    "load_complaints",
    "load_sample",
    "load_survey",
    "load_transactions",
    "loyalty_signals",
    "monitoring_table",
]
__version__ = "0.1.0"
