"""Interactive explorers of the lessons (ipywidgets over the package's functions)."""

from loyalty_lessons.widgets._base import Explorer
from loyalty_lessons.widgets.customer_base import check_explorer, history_explorer, population_explorer
from loyalty_lessons.widgets.customer_types import type_explorer
from loyalty_lessons.widgets.loyalty_value import lifetime_explorer, value_explorer
from loyalty_lessons.widgets.monitoring import monitoring_explorer
from loyalty_lessons.widgets.pareto import pareto_explorer
from loyalty_lessons.widgets.quality_gap import gap_explorer
from loyalty_lessons.widgets.scorecard import scorecard_explorer

__all__ = [
    "Explorer",
    "check_explorer",
    "gap_explorer",
    "history_explorer",
    "lifetime_explorer",
    "monitoring_explorer",
    "pareto_explorer",
    "population_explorer",
    "scorecard_explorer",
    "type_explorer",
    "value_explorer",
]
