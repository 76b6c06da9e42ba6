"""Forecasting past one machine: statsforecast's own distributed back-end, through fugue on Apache Spark.

The playbook's ``backend`` parameter chooses it (``spark``); the default, ``local``,
runs statsforecast in this process and its worker processes. On Spark the same
stacked panel (every backtest window and every site) is handed to
``StatsForecast.forecast`` as a Spark DataFrame; fugue partitions it by series and
each Spark task fits its share, so the results are the same as on one machine.
Here Spark runs locally (``local[*]``); pointing ``SPARK_MASTER`` at a cluster runs it there.
"""

from __future__ import annotations

import os

import pandas as pd

from helpers.spark import local_spark


def spark_for_forecasts():
    """A Spark session for forecasting (local, every core, no web UI), or an InputProblem saying what is missing.

    Returns:
        A ``pyspark.sql.SparkSession``.

    Raises:
        InputProblem: pyspark or Java is not installed, or Spark cannot start.
    """
    return local_spark("data-surgery-kit-forecast", os.environ.get("SPARK_MASTER", "local[*]"), "backend 'local'",
                       **{"spark.sql.execution.arrow.pyspark.enabled": "true"})


def forecast_on_spark(forecaster, frame: pd.DataFrame, horizon: int, levels: list[int]) -> pd.DataFrame:
    """Run ``forecaster.forecast`` on Spark over a long-format panel and bring the result back.

    Args:
        forecaster: A ``statsforecast.StatsForecast`` (its ``n_jobs`` is ignored: Spark
            decides the parallelism).
        frame: Columns ``unique_id`` (int), ``ds``, ``y``.
        horizon: Weeks ahead.
        levels: Prediction interval levels.

    Returns:
        The forecasts as a pandas DataFrame, as the local back-end gives them.
    """
    session = spark_for_forecasts()
    panel = frame.assign(unique_id=frame["unique_id"].astype("int64"),
                         ds=pd.to_datetime(frame["ds"]).astype("datetime64[us]"), y=frame["y"].astype("float64"))
    partitions = max(2, session.sparkContext.defaultParallelism * 2)
    spark_frame = session.createDataFrame(panel).repartition(partitions, "unique_id")
    result = forecaster.forecast(df=spark_frame, h=horizon, level=levels).toPandas()
    result["ds"] = pd.to_datetime(result["ds"]).astype(frame["ds"].dtype)
    return result
