"""Tests for helpers.spark: one way to start Spark, one message when it cannot start."""

import sys

import pytest

from helpers.errors import InputProblem
from helpers.spark import local_spark


def test_without_pyspark_the_message_says_what_to_install_and_what_to_use_instead(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # an import of pyspark.sql now fails
    with pytest.raises(InputProblem) as refused:
        local_spark("test", "local[1]", "backend 'local'")
    message = str(refused.value)
    assert "pip install 'data-surgery-kit[spark]'" in message and "Java 17" in message
    assert message.endswith("Use backend 'local' on one machine.")
