"""The Spark session: the active one when there is one."""

from __future__ import annotations

import pytest

spark_session = pytest.importorskip("loyalty_lessons.spark_session")
spark_engine = pytest.importorskip("loyalty_lessons.spark")


def test_the_session_is_the_active_one(spark):
    assert spark_session.session() is spark


def test_the_engines_home_offers_the_same_session():
    assert spark_engine.session is spark_session.session


def test_collect_brings_a_result_to_the_driver_with_duckdbs_types(spark):
    frame = spark.createDataFrame([("c1", 2), ("c2", 3)], "customer_id string, orders bigint")
    collected = spark_session.collect(frame)
    assert collected["customer_id"].tolist() == ["c1", "c2"] and collected["orders"].tolist() == [2, 3]
