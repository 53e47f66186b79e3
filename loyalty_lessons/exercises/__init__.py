"""The lessons' exercises: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

One module per lesson holds its questions (``q1``, ``q2``...), listed in its ``__all__``; the
exercise notebooks of ``notebooks/exercises/`` import them (docs/exercises.md).
"""

from loyalty_lessons.exercises._core import (
    MESSAGES,
    Blank,
    Exercise,
    Feedback,
    Mistake,
    ____,
    close_to,
    equal,
    same_text,
)

__all__ = ["____", "Blank", "Exercise", "Feedback", "MESSAGES", "Mistake", "close_to", "equal", "same_text"]
