"""Apache Spark for the playbooks that can run past one machine (deduplicate-contacts, food-bank-demand).

One way to start a session, so both playbooks say the same thing when pyspark or Java is missing and
both run Spark's Python workers on this environment's Python.
"""

from __future__ import annotations

import os
import sys

from helpers.errors import InputProblem


def local_spark(app_name: str, master: str, instead: str, **config: str):
    """Start (or reuse) a Spark session with no web UI and no progress bars.

    Args:
        app_name: The application's name, as Spark shows it.
        master: Where to run: ``"local[2]"``, ``"local[*]"`` or a cluster's address.
        instead: What the volunteer can use without Spark, for the messages ("backend 'local'").
        **config: Further Spark settings, with dots written as in Spark
            (pass them as ``**{"spark.driver.memory": "4g"}``).

    Returns:
        A ``pyspark.sql.SparkSession``.

    Raises:
        InputProblem: pyspark or Java is not installed, or Spark cannot start.

    Example:
        ``local_spark("data-surgery-kit-forecast", "local[*]", "backend 'local'")`` starts local Spark
        (a few seconds, so not run here; tests/test_network.py and tests/test_linkage.py do).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise InputProblem(f"The Spark back-end needs the pyspark package (pip install 'data-surgery-kit[spark]') "
                           f"and Java 17. Use {instead} on one machine.") from error
    # Spark's Python workers run this environment's Python (with pandas and the kit's packages), not
    # whatever `python3` comes first on PATH. PySpark reads only the variable.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in config.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # no Java, or Java too old
        raise InputProblem(f"Apache Spark could not start ({error}). Use {instead}.") from error
    session.sparkContext.setLogLevel("ERROR")
    return session
