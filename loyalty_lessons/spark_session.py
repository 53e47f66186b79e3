"""The Spark session the Spark engine computes on, and how its small results reach the driver.

:func:`session` opens or finds the session: a master URL, Spark Connect through
``SPARK_REMOTE``, the session already active, the ``MASTER`` environment variable, or
``local[*]``. :func:`spark_classes` imports pyspark (an optional dependency) with a message
that says how to install it; :func:`collect` brings a small result to the driver through
Arrow, with the column types DuckDB's results have.

See Also
--------
loyalty_lessons.spark : the Spark engine, whose public home re-exports :func:`session`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from loyalty_lessons._read import arrow_frame
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["SESSION_CONFIG", "collect", "session", "spark_classes"]

#: Settings of a session this module opens (a cluster's own settings are not changed): Arrow
#: carries results to the driver.
SESSION_CONFIG = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
}


def spark_classes():
    """pyspark's ``SparkSession`` and ``DataFrame`` classes, imported when first needed.

    Returns
    -------
    (type, type)
        ``pyspark.sql.SparkSession`` and ``pyspark.sql.DataFrame``.

    Raises
    ------
    LoyaltyDataError
        If pyspark is not installed, saying how to install it.
    """
    # pyspark 4 warns that it is not tested with pandas 3; the engine hands it Arrow tables
    # only, and its results are checked against DuckDB's (tests/test_spark.py).
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    try:
        from pyspark.sql import DataFrame, SparkSession
    except ImportError:
        raise LoyaltyDataError(
            "The Spark engine needs pyspark: pip install 'loyalty-lessons[spark]' (and Java 17 "
            "or later, e.g. Debian's openjdk-17-jre-headless)."
        ) from None
    return SparkSession, DataFrame


def session(master: str | None = None, *, config: dict[str, str] | None = None):
    """The Spark session the figures are computed on.

    Parameters
    ----------
    master : str, optional
        A master URL (``spark://host:7077``, ``yarn``, ``local[4]``...). Without one, Spark
        Connect is used when ``SPARK_REMOTE`` is set (``sc://host:15002``), else the session
        that is already active (as under ``spark-submit`` or on Databricks), else the master
        of the ``MASTER`` environment variable (Spark's own convention; the command's
        ``--spark-master`` sets it for the report's kernel), else ``local[*]``.
    config : dict, optional
        More settings of a new session.

    Returns
    -------
    pyspark.sql.SparkSession
    """
    spark_session, _ = spark_classes()
    builder = spark_session.builder.appName("loyalty-lessons")
    if master is None:
        remote = os.environ.get("SPARK_REMOTE")
        if remote:
            builder = builder.remote(remote)
        else:
            active = spark_session.getActiveSession()
            if active is not None:
                return active
            master = os.environ.get("MASTER", "local[*]")
    if master is not None:
        builder = builder.master(master)
    settings = dict(SESSION_CONFIG)
    if master is not None and master.startswith("local"):
        # Spark's catalogue folder in the temporary folder, not in the report's folder.
        settings["spark.sql.warehouse.dir"] = str(
            Path(tempfile.gettempdir()) / "loyalty-lessons-spark-warehouse"
        )
        # The Python that scores customers (spark_model) is this one, with this package,
        # not whichever "python3" comes first on the PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in {**settings, **(config or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if master is not None and master.startswith("local"):
        spark.sparkContext.setLogLevel("ERROR")  # Spark's warnings are for the cluster's operators
    return spark


def collect(frame) -> pd.DataFrame:
    """A small Spark result on the driver, by way of Arrow, with the types DuckDB's give.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        A result small enough for the driver (one row per customer or per period).

    Returns
    -------
    pandas.DataFrame
    """
    return arrow_frame(frame.toArrow())
