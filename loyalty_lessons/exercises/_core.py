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
raises.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Blank", "____", "Exercise", "Feedback", "MESSAGES", "Mistake", "close_to", "equal", "same_text"]

#: What the checks say, by situation; ``{variable}`` is the answer's name, ``{shown}`` a short
#: rendering of the answer, ``{options}`` the options of a multiple choice.
MESSAGES = {
    "unanswered": "Not answered yet: assign your answer to `{variable}` and run the check again.",
    "blank": "Not answered yet: replace `____` in `{variable} = ____` with your answer.",
    "no_data": (
        "Cannot check yet: this question is computed from the notebook's data, which is not "
        "here ({error}). If the cells above have not run (after a restart, say), run the "
        "notebook from the top (Run > Run All Cells) and check again; if your own file lacks "
        "what the question uses, it cannot be checked on that file."
    ),
    "correct": "Correct!",
    "mistake": "Not quite: {message} Call `.hint()` for a nudge.",
    "wrong": (
        "Not quite: `{variable}` is {shown}, which is not the answer. Call `.hint()` for a nudge, "
        "or `.solution()` to see one way to do it."
    ),
    "percent": (
        "Not quite: `{variable}` is {shown}, a percentage; give the share between 0 and 1 (divide by 100)."
    ),
    "not_percent": (
        "Not quite: `{variable}` is {shown}, a share; give the figure in points or percent (multiply by 100)."
    ),
    "text_number": (
        "Not quite: `{variable}` is the text {shown}; the answer is one number, written without "
        "quotes or a % sign (`{variable} = 0.5`, not `{variable} = '0.5'`)."
    ),
    "none": (
        "Not quite: `{variable}` is None: the expression gave no value (did you `print` it "
        "instead of assigning it?). The answer is {wanted}."
    ),
    "nan": (
        "Not quite: `{variable}` is NaN (not a number): a computation found nothing to work on; "
        "check the rows you selected. The answer is one number."
    ),
    "infinite": "Not quite: `{variable}` is infinite (a division by zero?); the answer is one number.",
    "bool": "Not quite: `{variable}` is {shown}, a yes/no; the answer is {wanted}.",
    "many": (
        "Not quite: `{variable}` holds {size} ({kind}); the answer is {wanted}: reduce it "
        "to one (`.sum()`, `.mean()`, `len(...)`, `.iloc[0]`)."
    ),
    "not_number": "Not quite: `{variable}` is {shown} ({kind}); the answer is one number.",
    "not_whole": "Not quite: `{variable}` is {shown}; the answer is a whole number (a count).",
    "not_text": (
        "Not quite: `{variable}` is {shown} ({kind}); the answer is a name, written as text in "
        'quotes (`{variable} = "..."`).'
    ),
    "choose": (
        "Not answered yet: `{variable}` is {shown}; choose one of {options}, as text in quotes "
        "(for example `{variable} = {example!r}`)."
    ),
    "choice_right": "Correct! {explanation}",
    "choice_wrong": "Not quite: {explanation}",
    "hint": "Hint: {hint}",
    "solution": "Solution:\n\n```python\n{code}\n```",
}


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
        What went wrong, in a sentence or two (shown after "Not quite: ").
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
        answer cell.
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
        """Check the answer in the caller's namespace (the notebook's variables); never raises."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        try:
            return self._check(namespace)
        except Exception as error:  # an answer of any type is answered in words, never a traceback
            return Feedback(False, self._say("wrong", shown=f"{type(error).__name__} raised"))

    def _check(self, namespace: dict) -> Feedback:
        if self.variable not in namespace:
            return Feedback(False, self._say("unanswered"))
        answer = namespace[self.variable]
        if isinstance(answer, Blank):
            return Feedback(False, self._say("blank"))
        try:
            expected = self.expected(namespace)
        except Exception as error:  # the notebook's data are not loaded (a restart, a skipped cell)
            return Feedback(False, MESSAGES["no_data"].format(error=f"{type(error).__name__}: {error}"))
        if self.choices is not None:
            return self._check_choice(answer, expected, namespace)
        problem = self._shape_problem(answer, expected)
        if problem:
            return Feedback(False, problem)
        if _safe(self.compare, answer, expected):
            extra = f" {self.explain(expected)}" if self.explain else ""
            return Feedback(True, f"{MESSAGES['correct']}{extra}")
        for mistake in self.mistakes:
            if _safe(self.compare, answer, _safe_value(mistake.answer, namespace)):
                return Feedback(False, MESSAGES["mistake"].format(message=mistake.message))
        scale = self._scale_problem(answer, expected)
        if scale:
            return Feedback(False, scale)
        return Feedback(False, self._say("wrong", shown=_show(answer)))

    def _say(self, key: str, **values) -> str:
        return MESSAGES[key].format(variable=self.variable, **values)

    def _shape_problem(self, answer, expected) -> str | None:
        """What is wrong with the shape of ``answer`` for ``expected``, or None."""
        if isinstance(expected, str):
            value = _scalar(answer)
            if isinstance(value, str):
                return None
            return self._say("not_text", shown=_show(answer), kind=type(answer).__name__)
        if not _is_number(expected):
            return None
        wanted = "a whole number (a count)" if self.compare is equal else "one number"
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
            many = f"{size:,} values"
            if len(shape) == 2:
                many += f" in {shape[0]:,} rows and {shape[1]:,} columns"
            return self._say("many", size=many, kind=type(value).__name__, wanted=wanted)
        if isinstance(value, (list, tuple, set, dict)):
            return self._say("many", size=f"{len(value):,} values", kind=type(value).__name__, wanted=wanted)
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
        key = answer.strip().strip("()[].'\" ").casefold() if isinstance(answer, str) else None
        if key not in self.choices:
            return Feedback(
                False,
                self._say("choose", shown=_show(answer), options=options, example=next(iter(self.choices))),
            )
        explanation = self.choices[key]
        text = explanation(namespace) if callable(explanation) else explanation
        if key == expected:
            return Feedback(
                True, MESSAGES["choice_right"].format(explanation=f"{text[:1].upper()}{text[1:]}")
            )
        return Feedback(False, MESSAGES["choice_wrong"].format(explanation=text))

    def solve(self, namespace: dict) -> Feedback:
        """Run :attr:`solution_code` in a copy of ``namespace`` and check the answer it gives.

        How the tests check an exercise's own solution: ``namespace`` holds the notebook's
        variables before the exercise.
        """
        namespace = dict(namespace)
        exec(self.solution_code, namespace)
        return self.check(namespace)

    def hint(self) -> Feedback:
        return Feedback(True, MESSAGES["hint"].format(hint=self.hint_text))

    def solution(self) -> Feedback:
        return Feedback(True, MESSAGES["solution"].format(code=self.solution_code.strip()))


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
