"""The exercise notebooks (``notebooks/exercises/NN-<lesson>-exercises.ipynb``, docs/exercises.md).

Each notebook is run top to bottom in this process with every ``answer = ____`` cell replaced
by its question's solution, and then:

- every solution passes its check;
- no answer is printed above its question: not in the lesson (outputs and text), nor in the
  exercise notebook's cells before the question;
- every listed mistake differs from the right answer and from the other mistakes beyond the
  question's tolerance, and ``check()`` answers it with its own message; every wrong option
  of a multiple choice is answered with its own explanation;
- ``check()`` answers any value (hypothesis) without raising, for every question of every
  lesson, with the notebook's data loaded and without, in English and in Russian;
- run in each language of the catalogue (``language`` set as papermill's ``-p`` would), every
  solution passes and every listed mistake and wrong option is answered in the language: not
  with the English text, with the language's own message, distinct from the others.

A translated exercise notebook (``notebooks/<lang>/exercises/``) is held to the layout too:
its questions and options are the catalogue's, in its language.

``make test`` also re-runs the notebooks as shipped with nbval and compares their outputs.
"""

from __future__ import annotations

import ast
import functools
import importlib
import math
import pkgutil
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loyalty_lessons.exercises as exercises_package
from loyalty_lessons.catalogue import available_languages
from loyalty_lessons.exercises import Exercise, Feedback, equal, message

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "notebooks"
NOTEBOOKS = sorted((LESSONS / "exercises").glob("[0-9][0-9]-*-exercises.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]
#: The languages of the texts but English, each of which every exercise notebook is run in.
TRANSLATIONS = [language for language in available_languages() if language != "en"]
#: The translated exercise notebooks there are (notebooks/<lang>/exercises/).
TRANSLATED = sorted(LESSONS.glob("[a-z][a-z]/exercises/[0-9][0-9]-*-exercises.ipynb"))
ANSWER = re.compile(r"^(?P<var>\w+) = ____.*\n(?P<q>q\d+)\.check\(\)\s*$")
HELP = re.compile(r"^# (?P<q>q\d+)\.hint\(\)\n# (?P=q)\.solution\(\)\s*$")
IMPORT = re.compile(r"^from loyalty_lessons\.exercises import (?P<module>\w+) as exercises$", re.M)
QUESTIONS_LINE = re.compile(r"^(?P<names>q\d+(?:, q\d+)*) = exercises\.questions\(language\)$", re.M)


def _lesson_of(path: Path) -> Path:
    return path.parent.parent / f"{path.stem.removesuffix('-exercises')}.ipynb"


def _language_of(nb) -> str:
    """The ``language`` of the notebook's parameters cell."""
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body}
    return values["language"]


def _imported_questions(nb) -> dict[str, Exercise]:
    """The questions the setup cell takes, ``q1, q2... = exercises.questions(language)``,
    in the notebook's language."""
    for cell in nb.cells:
        source = cell.source if cell.cell_type == "code" else ""
        module, names = IMPORT.search(source), QUESTIONS_LINE.search(source)
        if module and names:
            mod = importlib.import_module(f"loyalty_lessons.exercises.{module['module']}")
            return dict(zip(names["names"].split(", "), mod.questions(_language_of(nb)), strict=True))
    raise AssertionError("no `q1, ... = exercises.questions(language)` in the setup cell")


def _plain(text: str) -> str:
    """``text`` with its spaces and apostrophes written one way, to compare wordings."""
    return " ".join(text.replace("’", "'").split())


class Run:
    """An exercise notebook run with its solutions: its namespace and its questions in order.

    ``parameters`` replace the settings cell's values (as papermill's ``-p`` does).
    """

    def __init__(self, path: Path, parameters: dict | None = None):
        self.nb = nbformat.read(path, as_version=4)
        # display() is what a kernel gives every cell; here outputs are not looked at.
        self.namespace = {"__name__": "__main__", "display": lambda *args, **kwargs: None}
        self.questions = []  # (cell index, name, exercise, expected)
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            match = ANSWER.match(cell.source)
            if match is None:
                exec(compile(cell.source, f"{path.name}, cell {index}", "exec"), self.namespace)
                if "parameters" in cell.metadata.get("tags", []):
                    self.namespace.update(parameters or {})
                continue
            exercise = self.namespace[match["q"]]
            assert exercise.variable == match["var"], f"{match['q']} checks `{exercise.variable}`"
            expected = exercise.expected(self.namespace)
            self.questions.append((index, match["q"], exercise, expected))
            feedback = exercise.solve(self.namespace)
            assert feedback, f"{match['q']}: {feedback.message}"
            exec(compile(exercise.solution_code, f"{match['q']}.solution", "exec"), self.namespace)


@functools.cache
def _run(path: Path, language: str = "en") -> Run:
    return Run(path, {"language": language})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_on_a_client_transactions_alone(path, tmp_path):
    """With only a transactions file given (the sample's, written out as a client's export),
    the notebook runs to the end and every solution passes; a table it needs and was not
    given comes from the sample business, with a note."""
    from loyalty_lessons import load_sample

    export = tmp_path / "client-transactions.csv"
    load_sample().transactions.to_csv(export, index=False)
    nb = nbformat.read(path, as_version=4)
    settings_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {node.targets[0].id for node in ast.parse(settings_cell.source).body}
    given = {"transactions": str(export)} | {n: None for n in ("survey", "complaints") if n in names}
    run = Run(path, given)
    assert len(run.questions) >= 4


def test_there_are_exercise_notebooks():
    assert NOTEBOOKS, "notebooks/exercises/ holds no NN-<lesson>-exercises.ipynb"


@pytest.mark.parametrize(
    "path", NOTEBOOKS + TRANSLATED, ids=IDS + [f"{p.parent.parent.name}/{p.stem}" for p in TRANSLATED]
)
def test_layout(path):
    """Named after its lesson; a parameters cell of literals, with the language of the texts;
    4 to 6 questions, each shown verbatim above its answer cell (a multiple choice with its
    options) and followed by its hint and solution; at least one multiple choice; no IPython
    magic (the tests run the cells as plain Python)."""
    assert _lesson_of(path).is_file(), f"no lesson {_lesson_of(path).name} for {path.name}"
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters'"
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        ast.literal_eval(node.value)
    language = _language_of(nb)
    assert language == (path.parent.parent.name if path in TRANSLATED else "en"), language
    questions = _imported_questions(nb)
    answers = [(i, ANSWER.match(c.source)) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    answers = [(i, m) for i, m in answers if m]
    assert 4 <= len(answers) <= 6, f"{len(answers)} questions"
    assert any(questions[m["q"]].choices for _, m in answers), "no multiple-choice question"
    for index, match in answers:
        exercise = questions[match["q"]]
        above = nb.cells[index - 1]
        assert above.cell_type == "markdown", f"{match['q']}: no question above the answer cell"
        assert _plain(exercise.question) in _plain(above.source), match["q"]
        assert set(exercise.options or {}) == set(exercise.choices or {}), f"{match['q']}: options"
        for option, wording in (exercise.options or {}).items():
            assert _plain(f"**{option}** {wording}") in _plain(above.source), (match["q"], option)
        assert HELP.match(nb.cells[index + 1].source), f"{match['q']}: no hint/solution cell below"
        assert exercise.choices or exercise.mistakes, f"{match['q']} lists no likely mistake"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*[%!]", cell.source, re.M), "IPython magic in an exercise notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_solution_passes(path):
    run = _run(path)
    assert len(run.questions) >= 4


def _renderings(value) -> list[str]:
    """How a lesson or a notebook would print ``value``: only forms specific enough to give it away."""
    if isinstance(value, (str, bool)):
        return []
    value = float(value)
    if value == int(value):
        whole = int(value)
        return [f"{whole:,}", str(whole)] if abs(whole) >= 10 else []
    forms = [f"{value:.2f}", f"{value:,.2f}", f"{value:.3f}"]
    if abs(value) < 1:
        forms += [f"{value:.1%}", f"{value:.0%}", f"{value * 100:.1f}"]
    else:
        forms += [f"{value:.1f}", f"{value:+.1f}", f"{value:,.0f}"] if abs(value) >= 10 else [f"{value:.1f}"]
    return sorted(set(forms))


def _texts(cells) -> list[str]:
    texts = []
    for cell in cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        for output in cell.get("outputs", []):
            texts.append(str(output.get("text", "")))
            for kind, data in output.get("data", {}).items():
                if kind.startswith("text/"):
                    texts.append(data if isinstance(data, str) else "".join(data))
    return texts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_answer_is_printed_above_its_question(path):
    run = _run(path)
    lesson = _texts(nbformat.read(_lesson_of(path), as_version=4).cells)
    found = []
    for index, name, exercise, expected in run.questions:
        if exercise.choices:
            continue
        texts = lesson + _texts(run.nb.cells[:index])
        for form in _renderings(expected):
            pattern = re.compile(rf"(?<![\w.,]){re.escape(form)}(?![\d])")
            found += [f"{name} = {form}" for text in texts if pattern.search(text)]
    assert not found, f"answers printed above their question: {sorted(set(found))}"


def _tolerance(exercise: Exercise) -> float:
    return getattr(exercise.compare, "tolerance", 0.0)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_mistake_is_caught_with_its_own_message(path):
    run = _run(path)
    for _index, name, exercise, expected in run.questions:
        ns = {**run.namespace, exercise.variable: expected}
        assert exercise.check(ns), f"{name}: the right answer fails"
        if exercise.choices:
            for option in exercise.choices:
                if option != expected:
                    feedback = exercise.check({**ns, exercise.variable: option.upper()})
                    assert not feedback and feedback.message.startswith("Not quite"), (name, option)
            messages = [exercise.check({**ns, exercise.variable: o}).message for o in exercise.choices]
            assert len(set(messages)) == len(messages), f"{name}: two options explained alike"
            continue
        values = []
        for mistake in exercise.mistakes:
            value = mistake.answer(run.namespace)
            assert value is not None and not exercise.compare(value, expected), (
                f"{name}: the mistake {mistake.message!r} gives the right answer ({value} vs {expected})"
            )
            for other in values:
                assert not exercise.compare(value, other), f"{name}: two mistakes give {value}"
            values.append(value)
            feedback = exercise.check({**ns, exercise.variable: value})
            assert not feedback and mistake.message in feedback.message, (name, mistake.message, feedback)


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_mistake_is_answered_in_the_language(path, language):
    """Run with ``language``: the right answer passes; every listed mistake and every wrong
    option is answered with its own message, in the language and not in English."""
    english, run = _run(path), _run(path, language)
    correct = message(language, "correct")
    not_quite = message(language, "choice_wrong").split("{")[0]
    for (_, name, exercise, expected), (_, _, in_english, _) in zip(
        run.questions, english.questions, strict=True
    ):
        assert exercise.language == language and exercise.question != in_english.question, name
        ns = {**run.namespace, exercise.variable: expected}
        right = exercise.check(ns)
        assert right and right.message.startswith(correct), (name, right.message)
        if exercise.choices:
            messages = []
            for option in exercise.choices:
                feedback = exercise.check({**ns, exercise.variable: option.upper()})
                messages.append(feedback.message)
                in_en = in_english.check({**english.namespace, exercise.variable: option}).message
                assert feedback.message != in_en, (name, option, feedback.message)
                if option != expected:
                    assert not feedback and feedback.message.startswith(not_quite), (name, option)
            assert len(set(messages)) == len(messages), f"{name}: two options explained alike"
            continue
        mistakes = list(zip(exercise.mistakes, in_english.mistakes, strict=True))
        assert len({mistake.message for mistake in exercise.mistakes}) == len(mistakes), name
        for mistake, english_mistake in mistakes:
            assert mistake.message != english_mistake.message, (name, mistake.message)
            feedback = exercise.check({**ns, exercise.variable: mistake.answer(run.namespace)})
            assert not feedback and feedback.message.startswith(not_quite), (name, feedback.message)
            assert mistake.message in feedback.message, (name, mistake.message, feedback.message)


# --- any value, any question ---------------------------------------------------------------


#: The language the property tests try besides English (the longest words, another script).
OTHER_LANGUAGE = "ru"


def _all_questions() -> list[tuple[str, Exercise]]:
    """Every question of every lesson, found through the exercises package, in English and
    in :data:`OTHER_LANGUAGE`."""
    found = []
    for module in pkgutil.iter_modules(exercises_package.__path__):
        if module.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{exercises_package.__name__}.{module.name}")
        found += [
            (f"{module.name}.{name}", getattr(mod, name))
            for name in getattr(mod, "__all__", [])
            if isinstance(getattr(mod, name), Exercise)
        ]
        found += [
            (f"{module.name}.{OTHER_LANGUAGE}.q{number}", question)
            for number, question in enumerate(mod.questions(OTHER_LANGUAGE), start=1)
        ]
    return found


QUESTIONS = _all_questions()


def _namespaces_by_module() -> dict[str, dict]:
    """The namespace of each exercise notebook, by the module of its questions."""
    found = {}
    for path in NOTEBOOKS:
        run = _run(path)
        setup = next(IMPORT.search(c.source) for c in run.nb.cells if IMPORT.search(c.source))
        found[setup["module"]] = run.namespace
    return found


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["0.684", "68%", "Loyal", " A ", "(b)", "nan", "", "reliability", "1e400"]),
    st.lists(st.floats(allow_nan=True), max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.lists(st.floats(allow_nan=True), max_size=5).map(pd.Series),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(lambda v: pd.DataFrame({"a": v})),
    st.lists(st.text(max_size=5), max_size=3).map(np.array),
    st.just(pd.DataFrame()),
    st.just(np.float64("nan")),
    st.just(np.bool_(True)),
    st.just(object()),
)


@pytest.mark.parametrize("name, exercise", QUESTIONS, ids=[name for name, _ in QUESTIONS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANY_VALUE)
def test_check_answers_any_value_without_data(name, exercise, value):
    feedback = exercise.check({exercise.variable: value})
    assert isinstance(feedback, Feedback) and isinstance(feedback.message, str) and feedback.message


@pytest.mark.parametrize("name, exercise", QUESTIONS, ids=[name for name, _ in QUESTIONS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANY_VALUE)
def test_check_answers_any_value_on_the_notebook_data(name, exercise, value):
    namespace = _namespaces_by_module().get(name.split(".")[0])
    if namespace is None:
        return  # this lesson has no exercise notebook yet: only the test above applies
    feedback = exercise.check({**namespace, exercise.variable: value})
    assert isinstance(feedback, Feedback) and isinstance(feedback.message, str) and feedback.message
    expected = exercise.expected(namespace)
    if isinstance(value, str) and not exercise.choices and not isinstance(expected, str):
        assert not feedback, "a number written as text is not the number"
    if feedback and not exercise.choices and exercise.compare is not equal:
        assert not isinstance(value, (str, bool, type(None))) and math.isfinite(
            float(np.asarray(value).item())
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_lesson_points_to_its_exercises_and_asks_none_itself(path):
    """The questions live in the exercise notebook only: a question at the end of the lesson
    would sit below the outputs that answer it."""
    lesson = nbformat.read(_lesson_of(path), as_version=4)
    link = f"(exercises/{path.name})"
    assert any(link in c.source for c in lesson.cells if c.cell_type == "markdown"), f"no link {link}"
    assert not [
        c for c in lesson.cells if c.cell_type == "code" and re.search(r"\bq\d+\.check\(\)", c.source)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_with_the_installed_kernel_spec_and_no_dollar_in_markdown(path):
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from store_outputs import installed_kernelspec

    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"] == installed_kernelspec(), "store it with tools/store_outputs.py"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))
            assert "$" not in text, cell.source
