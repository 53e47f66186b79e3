"""Interactive explorers of the lessons (ipywidgets over the package's functions).

The explorers are imported on first use (PEP 562), as the package's own names are: a
workshop page that shows one explorer does not pay for the others' imports.
"""

from importlib import import_module

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
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'loyalty_lessons.widgets' has no attribute {name!r}")
    value = getattr(import_module(f"loyalty_lessons.widgets.{module}"), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
