"""Charts of the lessons: each takes a computed result and ``ax=None`` and returns the Axes."""
