"""Declarative exercises, checked against the notebook's own data (Kaggle Learn's manner).

An exercise names the variable the student assigns, computes the expected value from the
notebook's namespace (so it holds on the sample and on a client's data alike), and carries
a hint, a solution and the mistakes a student is likely to make, each answered with its own
feedback. In an exercise notebook (``notebooks/exercises/``, see docs/exercises.md)::

    top10_share = ____     # the student replaces ____
    q1.check()
    q1.hint()
    q1.solution()

:meth:`Exercise.check` accepts any value a student may assign (text, a Series, a frame,
``None``, NaN, a list...) and answers in words what shape of answer is wanted; it never
raises. Every word it says comes from the message catalogue (``[exercises.messages]`` of
``loyalty_lessons/messages/<language>.toml``), in the exercise's ``language``.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from loyalty_lessons.catalogue import entry
from loyalty_lessons.formatting import format_number

__all__ = [
    "Blank",
    "____",
    "Exercise",
    "Feedback",
    "LOOKALIKE_LETTERS",
    "Mistake",
    "close_to",
    "equal",
    "message",
    "same_text",
]

#: Cyrillic letters that look like (and on a Russian keyboard stand for) the option letters
#: a, b, c, e: an answer typed with them is read as the Latin letter.
LOOKALIKE_LETTERS = {"а": "a", "в": "b", "с": "c", "е": "e"}


def message(language: str, key: str) -> str:
    """What the checks say in a situation, from the catalogue's ``[exercises.messages]``.

    ``{variable}`` in it is the answer's name, ``{shown}`` a short rendering of the answer,
    ``{options}`` the options of a multiple choice.

    Examples
    --------
    >>> message("en", "correct"), message("fr", "correct")
    ('Correct!', 'Correct !')
    """
    return entry(language, f"exercises.messages.{key}")


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

    compare.tolerance = tolerance
    return compare


def equal(answer, expected) -> bool:
    """Exact equality, for counts (a whole float such as ``412.0`` equals ``412``)."""
    answer = _scalar(answer)
    if _is_number(answer) and _is_number(expected):
        return float(answer) == float(expected)
    return bool(answer == expected)


def same_text(answer, expected) -> bool:
    """Equality of names, whatever the case and the spaces around them."""
    answer = _scalar(answer)
    return isinstance(answer, str) and answer.strip().casefold() == str(expected).strip().casefold()


@dataclass(frozen=True)
class Mistake:
    """A likely wrong answer and what to say when a student gives it.

    Parameters
    ----------
    answer : callable
        ``answer(namespace) -> value``: the answer the mistake leads to, computed from the
        notebook's variables as the right one is.
    message : str
        What went wrong, in a sentence or two, in the exercise's language (shown after
        "Not quite: ").
    """

    answer: Callable[[dict], Any]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One question of an exercise notebook.

    Parameters
    ----------
    variable : str
        The name the student assigns the answer to.
    question : str
        The question, in a sentence or two; the exercise notebook shows it verbatim above the
        answer cell (and, for a multiple choice, its ``options`` below it).
    expected : callable
        ``expected(namespace) -> value``: the right answer, computed from the notebook's
        variables (never a hard-coded figure).
    hint_text, solution_code : str
        A nudge (shown by :meth:`hint`), and code that answers (shown by :meth:`solution`,
        run by the tests).
    compare : callable
        ``compare(answer, expected) -> bool``; default numbers within 0.005. Use
        :func:`equal` for counts and :func:`same_text` for names.
    explain : callable, optional
        ``explain(expected) -> str``: what the right answer means, shown when correct.
    mistakes : tuple of Mistake, optional
        Likely wrong answers, each recognised (with ``compare``) and answered with its own
        message.
    choices : mapping, optional
        For a multiple-choice question: option (lower case) -> its explanation (a string, or
        ``explanation(namespace) -> str``), shown whichever option is chosen; ``expected``
        then returns the right option.
    options : mapping, optional
        For a multiple choice: option -> its wording, as the notebook lists it under the
        question (``- **a** wording``).
    language : str, default "en"
        The language of the texts, whose catalogue gives the generic messages ("Correct!",
        "Not quite: ...", what shape of answer is wanted).
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
    options: Mapping[str, str] | None = field(default=None, hash=False)
    language: str = "en"

    def check(self, namespace: dict | None = None) -> Feedback:
        """Check the answer in the caller's namespace (the notebook's variables); never raises."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        try:
            return self._check(namespace)
        except Exception as error:  # an answer of any type is answered in words, never a traceback
            raised = message(self.language, "raised").format(error=type(error).__name__)
            return Feedback(False, self._say("wrong", shown=raised))

    def _check(self, namespace: dict) -> Feedback:
        if self.variable not in namespace:
            return Feedback(False, self._say("unanswered"))
        answer = namespace[self.variable]
        if isinstance(answer, Blank):
            return Feedback(False, self._say("blank"))
        try:
            expected = self.expected(namespace)
        except Exception as error:  # the notebook's data are not loaded (a restart, a skipped cell)
            return Feedback(False, self._text("no_data").format(error=f"{type(error).__name__}: {error}"))
        if self.choices is not None:
            return self._check_choice(answer, expected, namespace)
        problem = self._shape_problem(answer, expected)
        if problem:
            return Feedback(False, problem)
        if _safe(self.compare, answer, expected):
            extra = f" {self.explain(expected)}" if self.explain else ""
            return Feedback(True, f"{self._text('correct')}{extra}")
        for mistake in self.mistakes:
            if _safe(self.compare, answer, _safe_value(mistake.answer, namespace)):
                return Feedback(False, self._text("mistake").format(message=mistake.message))
        scale = self._scale_problem(answer, expected)
        if scale:
            return Feedback(False, scale)
        return Feedback(False, self._say("wrong", shown=_show(answer)))

    def _say(self, key: str, **values) -> str:
        return self._text(key).format(variable=self.variable, **values)

    def _text(self, key: str) -> str:
        return message(self.language, key)

    def _count(self, value: int) -> str:
        return format_number(value, locale=self.language)

    def _shape_problem(self, answer, expected) -> str | None:
        """What is wrong with the shape of ``answer`` for ``expected``, or None."""
        if isinstance(expected, str):
            value = _scalar(answer)
            if isinstance(value, str):
                return None
            return self._say("not_text", shown=_show(answer), kind=type(answer).__name__)
        if not _is_number(expected):
            return None
        wanted = self._text("wanted_count" if self.compare is equal else "wanted_number")
        value = _scalar(answer)
        if value is None:
            return self._say("none", wanted=wanted)
        if isinstance(value, bool) or _is_numpy_bool(value):
            return self._say("bool", shown=_show(value), wanted=wanted)
        if isinstance(value, str):
            return self._say("text_number", shown=_show(value))
        size = getattr(value, "size", None)
        if size is not None and not _is_number(value):
            shape = getattr(value, "shape", ())
            many = self._text("values").format(count=self._count(size))
            if len(shape) == 2:
                many = self._text("values_in_frame").format(
                    count=self._count(size), rows=self._count(shape[0]), columns=self._count(shape[1])
                )
            return self._say("many", size=many, kind=type(value).__name__, wanted=wanted)
        if isinstance(value, (list, tuple, set, dict)):
            many = self._text("values").format(count=self._count(len(value)))
            return self._say("many", size=many, kind=type(value).__name__, wanted=wanted)
        if not _is_number(value):
            return self._say("not_number", shown=_show(value), kind=type(value).__name__)
        if math.isnan(value):
            return self._say("nan")
        if math.isinf(value):
            return self._say("infinite")
        if self.compare is equal and float(value) != int(value):
            return self._say("not_whole", shown=_show(value))
        return None

    def _scale_problem(self, answer, expected) -> str | None:
        """A share given as a percentage, or the other way round."""
        value = _scalar(answer)
        if not (_is_number(value) and _is_number(expected)) or self.compare is equal or expected == 0:
            return None
        if 0 < abs(expected) <= 1 and _safe(self.compare, value / 100, expected):
            return self._say("percent", shown=_show(value))
        if abs(expected) > 1 and _safe(self.compare, value * 100, expected):
            return self._say("not_percent", shown=_show(value))
        return None

    def _check_choice(self, answer, expected, namespace: dict) -> Feedback:
        options = ", ".join(repr(option) for option in self.choices)
        example = repr(next(iter(self.choices)))
        key = answer.strip().strip("()[].'\" ").casefold() if isinstance(answer, str) else None
        key = LOOKALIKE_LETTERS.get(key, key)
        if key not in self.choices:
            return Feedback(
                False,
                self._say("choose", shown=_show(answer), options=options, example=example),
            )
        explanation = self.choices[key]
        text = explanation(namespace) if callable(explanation) else explanation
        if key == expected:
            return Feedback(
                True, self._text("choice_right").format(explanation=f"{text[:1].upper()}{text[1:]}")
            )
        return Feedback(False, self._text("choice_wrong").format(explanation=text))

    def solve(self, namespace: dict) -> Feedback:
        """Run :attr:`solution_code` in a copy of ``namespace`` and check the answer it gives.

        How the tests check an exercise's own solution: ``namespace`` holds the notebook's
        variables before the exercise.
        """
        namespace = dict(namespace)
        exec(self.solution_code, namespace)
        return self.check(namespace)

    def hint(self) -> Feedback:
        return Feedback(True, self._text("hint").format(hint=self.hint_text))

    def solution(self) -> Feedback:
        return Feedback(True, self._text("solution").format(code=self.solution_code.strip()))


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not _is_numpy_bool(value)


def _is_numpy_bool(value) -> bool:
    return type(value).__name__ == "bool_"


def _safe(compare: Callable[[Any, Any], bool], answer, expected) -> bool:
    """``compare(answer, expected)``, False for an answer it cannot compare."""
    if expected is None:
        return False
    try:
        return bool(compare(answer, expected))
    except Exception:  # an answer of any type is wrong, never a traceback
        return False


def _safe_value(answer: Callable[[dict], Any], namespace: dict):
    try:
        return answer(namespace)
    except Exception:  # a mistake that cannot be computed on these data is not recognised
        return None


def _scalar(value):
    """The value of a one-value array, Series or frame; anything else as it is."""
    try:
        if getattr(value, "size", None) == 1 and hasattr(value, "to_numpy"):
            return value.to_numpy().item()
        if getattr(value, "size", None) == 1 and hasattr(value, "item"):
            return value.item()
    except Exception:  # an object that only looks like an array
        return value
    return value


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    try:
        text = repr(value)
    except Exception:
        text = f"a {type(value).__name__}"
    text = " ".join(text.split())
    return text if len(text) < 60 else text[:57] + "..."
