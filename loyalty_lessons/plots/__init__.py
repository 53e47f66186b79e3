"""Charts of the lessons: each takes a computed result and ``ax=None`` and returns the Axes.

A chart drawn again on an Axes that shows it for the same frame changes in place;
:func:`changed_artists` says what changed (what an explorer draws again).

The charts are imported on first use (PEP 562), as the package's own names are: a workshop
page that draws the 80/20 chart does not pay for the models (SciPy) the customer-base charts
need.
"""

from loyalty_lessons._lazy import lazy_exports

#: Module of this package -> the names importable from the package itself.
_EXPORTS = {
    "_common": ("changed_artists",),
    "customer_base": (
        "plot_customer_history",
        "plot_holdout_by_frequency",
        "plot_population_purchases",
        "plot_probability_alive",
        "plot_tracking",
    ),
    "customer_types": ("plot_rfm_segments", "plot_type_profile"),
    "loyalty_value": (
        "nice_ceiling",
        "plot_customers_remaining",
        "plot_margin_earned",
        "plot_referral_growth",
        "plot_referred_spend",
        "plot_value_over_years",
    ),
    "monitoring": ("plot_cohort_heatmap", "plot_kpis", "plot_signals"),
    "pareto": ("plot_concentration_curve", "plot_pareto_chart"),
    "quality_gap": ("plot_expectation_perception", "plot_gap_by_dimension", "plot_importance_performance"),
    "scorecard": ("plot_scorecard",),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
