"""The lessons' "your turn" exercises: ``q1.check()``, ``q1.hint()``, ``q1.solution()``."""

from loyalty_lessons.exercises._core import ____, Blank, Exercise, Feedback, close_to, equal

__all__ = ["____", "Blank", "Exercise", "Feedback", "close_to", "equal"]
