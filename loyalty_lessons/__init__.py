"""loyalty-lessons: lessons, explorers and client reports on customer loyalty.

The names a student or consultant uses are importable from here; charts are in
:mod:`loyalty_lessons.plots`, explorers in :mod:`loyalty_lessons.widgets`, and each
module's ``__all__`` lists the rest.
"""

from loyalty_lessons.customer_types import (
    classify_customers,
    service_prescriptions,
    spend_uplift,
    type_profile,
)
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import (
    DIMENSIONS,
    SERVQUAL_ITEMS,
    LoadReport,
    load_complaints,
    load_survey,
    load_transactions,
    transactions_to_parquet,
)
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import Inputs, load_inputs
from loyalty_lessons.loyalty_value import (
    annual_retention,
    customer_lifetime_value,
    customers_remaining,
    referral_growth,
    referral_value,
    value_difference,
)
from loyalty_lessons.monitoring import cohort_retention, loyalty_signals, monitoring_table
from loyalty_lessons.pareto import concentration_curve, gini, pareto_point, pareto_table, top_share
from loyalty_lessons.quality_gap import dimension_gaps, nps, respondent_gaps, servqual_score
from loyalty_lessons.samples import SampleData, generate_sample, load_sample
from loyalty_lessons.scorecard import fill_scorecard, score_summary, scorecard_template

__all__ = [
    "DIMENSIONS",
    "SERVQUAL_ITEMS",
    "Inputs",
    "LoadReport",
    "LoyaltyDataError",
    "SampleData",
    "annual_retention",
    "classify_customers",
    "cohort_retention",
    "concentration_curve",
    "customer_lifetime_value",
    "customer_summary",
    "customers_remaining",
    "dimension_gaps",
    "fill_scorecard",
    "generate_sample",
    "gini",
    "load_complaints",
    "load_inputs",
    "load_sample",
    "load_survey",
    "load_transactions",
    "transactions_to_parquet",
    "loyalty_signals",
    "monitoring_table",
    "nps",
    "pareto_point",
    "pareto_table",
    "referral_growth",
    "referral_value",
    "respondent_gaps",
    "score_summary",
    "scorecard_template",
    "servqual_score",
    "service_prescriptions",
    "spend_uplift",
    "top_share",
    "type_profile",
    "value_difference",
]
__version__ = "0.1.0"
