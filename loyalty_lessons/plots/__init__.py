"""Charts of the lessons: each takes a computed result and ``ax=None`` and returns the Axes.

A chart drawn again on an Axes that shows it for the same frame changes in place;
:func:`changed_artists` says what changed (what an explorer draws again).
"""

from loyalty_lessons.plots._common import changed_artists
from loyalty_lessons.plots.customer_base import (
    plot_customer_history,
    plot_holdout_by_frequency,
    plot_population_purchases,
    plot_probability_alive,
    plot_tracking,
)
from loyalty_lessons.plots.customer_types import plot_rfm_segments, plot_type_profile
from loyalty_lessons.plots.loyalty_value import (
    nice_ceiling,
    plot_customers_remaining,
    plot_margin_earned,
    plot_referral_growth,
    plot_referred_spend,
    plot_value_over_years,
)
from loyalty_lessons.plots.monitoring import plot_cohort_heatmap, plot_kpis, plot_signals
from loyalty_lessons.plots.pareto import plot_concentration_curve, plot_pareto_chart
from loyalty_lessons.plots.quality_gap import (
    plot_expectation_perception,
    plot_gap_by_dimension,
    plot_importance_performance,
)
from loyalty_lessons.plots.scorecard import plot_scorecard

__all__ = [
    "changed_artists",
    "nice_ceiling",
    "plot_cohort_heatmap",
    "plot_concentration_curve",
    "plot_customer_history",
    "plot_customers_remaining",
    "plot_expectation_perception",
    "plot_gap_by_dimension",
    "plot_holdout_by_frequency",
    "plot_importance_performance",
    "plot_kpis",
    "plot_margin_earned",
    "plot_pareto_chart",
    "plot_population_purchases",
    "plot_probability_alive",
    "plot_referral_growth",
    "plot_referred_spend",
    "plot_rfm_segments",
    "plot_scorecard",
    "plot_signals",
    "plot_tracking",
    "plot_type_profile",
    "plot_value_over_years",
]
