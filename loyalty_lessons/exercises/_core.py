"""Declarative "your turn" exercises, checked against the lesson's own data.

An exercise names the variable the student assigns, computes the expected value from the
notebook's namespace (so it holds on the sample and on a client's data alike), and carries
a hint and a solution. In a notebook::

    top20_share = ____     # the student replaces ____
    q1.check()
    q1.hint()
    q1.solution()
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Blank", "____", "Exercise", "Feedback", "close_to", "equal"]


class Blank:
    """The placeholder a student replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


____ = Blank()


@dataclass(frozen=True)
class Feedback:
    """What a check, hint or solution says; truthy when the answer is right."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message


def close_to(tolerance: float = 0.005) -> Callable[[Any, Any], bool]:
    """Compare numbers within an absolute ``tolerance`` (a share within half a point)."""

    def compare(answer, expected) -> bool:
        try:
            return math.isclose(float(answer), float(expected), abs_tol=tolerance)
        except (TypeError, ValueError):
            return False

    return compare


def equal(answer, expected) -> bool:
    """Exact equality, for labels and counts."""
    return answer == expected


@dataclass(frozen=True)
class Exercise:
    """One question of a lesson.

    Parameters
    ----------
    variable : str
        The name the student assigns the answer to.
    question : str
        The question, in a sentence.
    expected : callable
        ``expected(namespace) -> value``: the right answer, computed from the notebook's
        variables (never a hard-coded figure).
    hint_text, solution_code : str
        A nudge (shown by :meth:`hint`), and code that answers (shown by :meth:`solution`,
        run by the tests).
    compare : callable
        ``compare(answer, expected) -> bool``; default numbers within 0.005.
    explain : callable, optional
        ``explain(expected) -> str``: what the right answer means, shown when correct.
    """

    variable: str
    question: str
    expected: Callable[[dict], Any]
    hint_text: str
    solution_code: str
    compare: Callable[[Any, Any], bool] = close_to()
    explain: Callable[[Any], str] | None = None

    def check(self, namespace: dict | None = None) -> Feedback:
        """Check the answer in the caller's namespace (the notebook's variables)."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        if self.variable not in namespace:
            return Feedback(False, f"Not answered yet: assign your answer to `{self.variable}` and run the check again.")
        answer = namespace[self.variable]
        if isinstance(answer, Blank):
            return Feedback(False, f"Not answered yet: replace `____` in `{self.variable} = ____` with your answer.")
        expected = self.expected(namespace)
        if self.compare(answer, expected):
            extra = f" {self.explain(expected)}" if self.explain else ""
            return Feedback(True, f"Correct!{extra}")
        return Feedback(False, f"Not quite: `{self.variable}` is {_show(answer)}, which is not the answer. "
                               "Call `.hint()` for a nudge, or `.solution()` to see one way to do it.")

    def solve(self, namespace: dict) -> Feedback:
        """Run :attr:`solution_code` in a copy of ``namespace`` and check the answer it gives.

        How a lesson tests its own solutions: ``namespace`` holds the lesson's variables
        before the exercise.
        """
        namespace = dict(namespace)
        exec(self.solution_code, namespace)
        return self.check(namespace)

    def hint(self) -> Feedback:
        return Feedback(True, f"Hint: {self.hint_text}")

    def solution(self) -> Feedback:
        return Feedback(True, f"Solution:\n\n```python\n{self.solution_code.strip()}\n```")


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."
