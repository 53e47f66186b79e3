"""The lessons' "your turn" exercises: ``q1.check()``, ``q1.hint()``, ``q1.solution()``."""

from loyalty_lessons.exercises._core import Blank, Exercise, Feedback, Mistake, ____, close_to, equal

__all__ = ["____", "Blank", "Exercise", "Feedback", "Mistake", "close_to", "equal"]
