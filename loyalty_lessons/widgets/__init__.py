"""Interactive explorers of the lessons (ipywidgets over the package's functions)."""

from loyalty_lessons.widgets._base import Explorer

__all__ = ["Explorer"]
