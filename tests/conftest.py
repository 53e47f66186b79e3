import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def pixels():
    """``pixels(draw, size=(6, 4))``: what ``draw(ax)`` shows on a small figure, as RGBA pixels.

    A chart drawn again in place (its ``plot_*`` function called on the Axes that shows it) is
    tested by comparing its pixels with those of the same chart drawn afresh.
    """

    def draw_to_pixels(draw, size=(6, 4)) -> np.ndarray:
        fig, ax = plt.subplots(figsize=size, dpi=50)
        draw(ax)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    return draw_to_pixels


@pytest.fixture
def shop() -> pd.DataFrame:
    """The shop of the monitoring and cohort tests (a file may define a ``shop`` of its own).

    Five customers over January-May 2023; nothing happens in April.

    Purchases (orders with a positive net amount):
    a: o1 Jan 5 (30 + 20 = 50), o3 Feb 10 (40), o6 Mar 15 (60 - 10 refunded Mar 20 = 50)
    b: o2 Jan 20 (25), o10 Jan 25 (15)                -> 2 purchases, last Jan 25
    c: o4 Feb 3 (100), o7 Mar 1 (45); o5 Feb 20 is a refund of -30 on its own order
    d: o8 Mar 10 (70), o9 May 2 (10)                  -> 2 purchases, last May 2
    e: May 20, two lines without order id (15 + 5 = one order of 20)
    """
    rows = [
        ("a", "2023-01-05", 30.0, "o1"),
        ("a", "2023-01-05", 20.0, "o1"),
        ("b", "2023-01-20", 25.0, "o2"),
        ("b", "2023-01-25", 15.0, "o10"),
        ("a", "2023-02-10", 40.0, "o3"),
        ("c", "2023-02-03", 100.0, "o4"),
        ("c", "2023-02-20", -30.0, "o5"),
        ("a", "2023-03-15", 60.0, "o6"),
        ("a", "2023-03-20", -10.0, "o6"),
        ("c", "2023-03-01", 45.0, "o7"),
        ("d", "2023-03-10", 70.0, "o8"),
        ("d", "2023-05-02", 10.0, "o9"),
        ("e", "2023-05-20", 15.0, None),
        ("e", "2023-05-20", 5.0, None),
    ]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    tx["date"] = pd.to_datetime(tx["date"])
    return tx


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test run (two cores, no UI, few shuffle partitions),
    or a skip that says what is missing."""
    import os
    import shutil
    import sys

    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Java is missing: apt-get install openjdk-17-jre-headless (make test does it as root)")
    from pyspark.sql import SparkSession

    del pyspark
    # The executors' Python (mapInPandas) is the one running the tests, as spark.session() sets it.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("loyalty-lessons-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def answered_in_language():
    """``check(translated, english, namespace, language)``: the questions of a lesson in
    ``language`` (``questions(language)``) against the same questions in English, on
    ``namespace``. Each one's solution passes, with the language's "correct"; the placeholder
    is refused in the language; each listed mistake the data make visible, and each wrong
    option, is answered with its own message, in the language and not the English one."""
    from loyalty_lessons.exercises import ____, message

    def check(translated, english, namespace, language):
        assert len(translated) == len(english)
        not_quite = message(language, "choice_wrong").split("{")[0]
        for question, in_english in zip(translated, english, strict=True):
            assert question.language == language and question.variable == in_english.variable
            solved = question.solve(namespace)
            assert solved and solved.message.startswith(message(language, "correct")), solved.message
            blank = question.check({**namespace, question.variable: ____})
            blank_message = message(language, "blank").format(variable=question.variable)
            assert not blank and blank.message == blank_message
            expected = question.expected(namespace)
            if question.choices:
                explained = []
                for option in question.choices:
                    feedback = question.check({**namespace, question.variable: option})
                    english_feedback = in_english.check({**namespace, question.variable: option})
                    assert feedback.message != english_feedback.message, (option, feedback.message)
                    assert bool(feedback) is (option == expected)
                    if option != expected:
                        assert feedback.message.startswith(not_quite), feedback.message
                    explained.append(feedback.message)
                assert len(set(explained)) == len(explained), "two options explained alike"
                continue
            seen = [expected]
            for mistake, english_mistake in zip(question.mistakes, in_english.mistakes, strict=True):
                assert mistake.message != english_mistake.message, mistake.message
                value = mistake.answer(namespace)
                if any(question.compare(value, other) for other in seen):
                    continue  # these small data do not set this mistake apart
                seen.append(value)
                feedback = question.check({**namespace, question.variable: value})
                assert not feedback and feedback.message.startswith(not_quite), feedback.message
                assert mistake.message in feedback.message, feedback.message
            assert len({m.message for m in question.mistakes}) == len(question.mistakes)

    return check
