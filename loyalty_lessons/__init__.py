"""loyalty-lessons: lessons, explorers and client reports on customer loyalty.

The names a student or consultant uses are importable from here; charts are in
:mod:`loyalty_lessons.plots`, explorers in :mod:`loyalty_lessons.widgets`, and each
module's ``__all__`` lists the rest.

The names are imported on first use (PEP 562), so that ``import loyalty_lessons.cli`` does
not pay for pandas, DuckDB and matplotlib before the command knows what it will do.
"""

from loyalty_lessons._lazy import lazy_exports

#: Module of the package -> the names importable from the package itself.
_EXPORTS = {
    "bg_nbd": ("BetaGeoModel", "fit_bg_nbd"),
    "customer_base": (
        "ModelFitError",
        "alive_by_recency",
        "customer_predictions",
        "customer_value",
        "shrunk_average_spend",
        "simulate_customers",
    ),
    "customer_base_check": ("ModelCheck", "model_check"),
    "customer_types": ("classify_customers", "service_prescriptions", "spend_uplift", "type_profile"),
    "customers": ("customer_summary",),
    "data": ("load_complaints", "load_transactions", "transactions_to_parquet"),
    "errors": ("LoyaltyDataError",),
    "inputs": ("Inputs", "load_inputs"),
    "load_report": ("LoadReport",),
    "lesson_texts": (
        "check_sentence",
        "model_refusal",
        "prescriptions_table",
        "say",
        "spend_check_sentence",
        "table_in",
    ),
    "load_report_texts": ("load_report_in",),
    "loyalty_value": (
        "customer_lifetime_value",
        "customers_remaining",
        "referral_growth",
        "referral_value",
        "value_difference",
    ),
    "cohorts": ("cohort_retention",),
    "monitoring": ("loyalty_signals", "monitoring_table"),
    "pareto": ("concentration_curve", "gini", "pareto_point", "pareto_table", "top_share"),
    "quality_gap": ("dimension_gaps", "nps", "respondent_gaps", "servqual_score"),
    "retention": ("annual_retention",),
    "samples": ("SampleData", "generate_sample", "load_sample"),
    "scorecard": ("fill_scorecard", "score_summary", "scorecard_template"),
    "spend_model": ("GammaGammaModel", "fit_gamma_gamma"),
    "survey": ("DIMENSIONS", "SERVQUAL_ITEMS"),
    "survey_loader": ("load_survey",),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
__version__ = "0.1.0"
