"""Interactive explorers of the lessons (ipywidgets over the package's functions).

The explorers are imported on first use (PEP 562), as the package's own names are: a
workshop page that shows one explorer does not pay for the others' imports.
"""

from loyalty_lessons._lazy import lazy_exports

#: Module of this package -> the names importable from the package itself.
_EXPORTS = {
    "_base": ("Explorer",),
    "customer_base": ("check_explorer", "history_explorer", "population_explorer"),
    "customer_types": ("type_explorer",),
    "loyalty_value": ("lifetime_explorer", "value_explorer"),
    "monitoring": ("monitoring_explorer",),
    "pareto": ("pareto_explorer",),
    "quality_gap": ("gap_explorer",),
    "scorecard": ("scorecard_explorer",),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
