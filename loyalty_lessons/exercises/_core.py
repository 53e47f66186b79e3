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
import numbers
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Blank", "____", "Exercise", "Feedback", "Mistake", "close_to", "equal"]


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
            return math.isclose(float(_scalar(answer)), float(expected), abs_tol=tolerance)
        except (TypeError, ValueError):
            return False

    return compare


def equal(answer, expected) -> bool:
    """Exact equality, for labels and counts."""
    return answer == expected


@dataclass(frozen=True)
class Mistake:
    """A likely wrong answer and what to say when a student gives it.

    Parameters
    ----------
    answer : callable
        ``answer(namespace) -> value``: the answer the mistake leads to, computed from the
        notebook's variables as the right one is.
    message : str
        What went wrong, in a sentence or two (shown after "Not quite: ").
    """

    answer: Callable[[dict], Any]
    message: str


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
    mistakes : tuple of Mistake, optional
        Likely wrong answers, each recognised (with ``compare``) and answered with its own
        message.
    choices : mapping, optional
        For a multiple-choice question: option -> its explanation (a string, or
        ``explanation(namespace) -> str``), shown whichever option is chosen; ``expected``
        then returns the right option.
    """

    variable: str
    question: str
    expected: Callable[[dict], Any]
    hint_text: str
    solution_code: str
    compare: Callable[[Any, Any], bool] = close_to()
    explain: Callable[[Any], str] | None = None
    mistakes: tuple[Mistake, ...] = ()
    choices: Mapping[str, str | Callable[[dict], str]] | None = field(default=None, hash=False)

    def check(self, namespace: dict | None = None) -> Feedback:
        """Check the answer in the caller's namespace (the notebook's variables)."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        if self.variable not in namespace:
            return Feedback(
                False, f"Not answered yet: assign your answer to `{self.variable}` and run the check again."
            )
        answer = namespace[self.variable]
        if isinstance(answer, Blank):
            return Feedback(
                False, f"Not answered yet: replace `____` in `{self.variable} = ____` with your answer."
            )
        expected = self.expected(namespace)
        if self.choices is not None:
            return self._check_choice(answer, expected, namespace)
        unusable = _not_a_number(self.variable, answer) if _is_number(expected) else None
        if unusable:
            return Feedback(False, unusable)
        if _safe(self.compare, answer, expected):
            extra = f" {self.explain(expected)}" if self.explain else ""
            return Feedback(True, f"Correct!{extra}")
        for mistake in self.mistakes:
            if _safe(self.compare, answer, _safe_value(mistake.answer, namespace)):
                return Feedback(False, f"Not quite: {mistake.message} Call `.hint()` for a nudge.")
        return Feedback(
            False,
            f"Not quite: `{self.variable}` is {_show(answer)}, which is not the answer. "
            "Call `.hint()` for a nudge, or `.solution()` to see one way to do it.",
        )

    def _check_choice(self, answer, expected, namespace: dict) -> Feedback:
        options = ", ".join(repr(option) for option in self.choices)
        key = answer.strip().lower() if isinstance(answer, str) else answer
        if not isinstance(key, str) or key not in self.choices:
            return Feedback(
                False,
                f"Not answered yet: `{self.variable}` is {_show(answer)}; "
                f"choose one of {options} (with the quotes).",
            )
        explanation = self.choices[key]
        text = explanation(namespace) if callable(explanation) else explanation
        if key == expected:
            return Feedback(True, f"Correct! {text[:1].upper()}{text[1:]}")
        return Feedback(False, f"Not quite: {text}")

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


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _safe(compare: Callable[[Any, Any], bool], answer, expected) -> bool:
    """``compare(answer, expected)``, False for an answer it cannot compare."""
    try:
        return bool(compare(answer, expected))
    except Exception:  # an answer of any type is wrong, never a traceback
        return False


def _safe_value(answer: Callable[[dict], Any], namespace: dict):
    try:
        return answer(namespace)
    except Exception:  # a mistake that cannot be computed on these data is not recognised
        return None


def _not_a_number(variable: str, answer) -> str | None:
    """What is wrong with an answer that is not one number, or None when it is one."""
    if _is_number(answer):
        if math.isnan(answer):
            return (
                f"Not quite: `{variable}` is NaN (not a number): a computation found nothing to "
                "work on; check the rows you selected."
            )
        return None
    if isinstance(answer, bool):
        return f"Not quite: `{variable}` is {answer}; the answer is a number."
    if isinstance(answer, str):
        try:
            float(answer)
            return None  # a number written as text is compared as the number
        except ValueError:
            pass
        return (
            f"Not quite: `{variable}` is the text {answer!r}; give the number itself, without "
            "quotes or a % sign."
        )
    if answer is None:
        return (
            f"Not quite: `{variable}` is None: the expression gave no value (did you `print` "
            "it instead of assigning it?)."
        )
    size = getattr(answer, "size", None)
    if size is not None and not isinstance(answer, numbers.Number):
        if size == 1:
            return None  # a one-value array or Series is compared as its value
        return (
            f"Not quite: `{variable}` holds {size:,} values ({type(answer).__name__}); the answer "
            "is one number: sum, count or pick one (`.sum()`, `len(...)`, `.iloc[0]`)."
        )
    return None


def _scalar(value):
    """The value of a one-value array or Series; anything else as it is."""
    if getattr(value, "size", None) == 1 and hasattr(value, "to_numpy"):
        return value.to_numpy().item()
    if getattr(value, "size", None) == 1 and hasattr(value, "item"):
        return value.item()
    return value


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."
