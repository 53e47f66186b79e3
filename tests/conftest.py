import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
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


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test run (two cores, no UI, few shuffle partitions),
    or a skip that says what is missing."""
    import shutil

    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    if shutil.which("java") is None and not __import__("os").environ.get("JAVA_HOME"):
        pytest.skip("Java is missing: apt-get install openjdk-17-jre-headless (make test does it as root)")
    from pyspark.sql import SparkSession

    del pyspark
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
