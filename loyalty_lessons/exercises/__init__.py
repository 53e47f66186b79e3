"""The lessons' exercises: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

One module per lesson holds its questions: ``questions(language)`` gives them in a language
of the message catalogue (``q1, q2, q3, q4, q5 = pareto.questions(language)`` in the
exercise notebooks of ``notebooks/exercises/``), and ``q1``, ``q2``... are the English ones,
listed in its ``__all__`` (docs/exercises.md).
"""

from loyalty_lessons.exercises._core import (
    LOOKALIKE_LETTERS,
    Blank,
    Exercise,
    Feedback,
    Mistake,
    ____,
    close_to,
    equal,
    message,
    same_text,
)

__all__ = [
    "____",
    "Blank",
    "Exercise",
    "Feedback",
    "LOOKALIKE_LETTERS",
    "Mistake",
    "close_to",
    "equal",
    "message",
    "same_text",
]
