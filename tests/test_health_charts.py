"""Tests for helpers.health_check.charts: the report's charts."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from support.charts import chart_problems

from helpers.health_check.charts import missing_chart, problems_chart
from helpers.health_check.profile import profile_columns
from helpers.health_check.words import problem_counts

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_missing_chart_alt_text_gives_the_numbers(report):
    fig, alt = missing_chart(report.profile)
    assert "'Visit date' is 12% blank" in alt  # 1 of 8
    assert "6 columns have no blanks" in alt
    labels = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert set(labels) == {"Visit date", "Date of birth"}


def test_problems_chart_orders_bars_and_describes_them(report):
    fig, alt = problems_chart(problem_counts(report), report.profile.rows)
    values = [patch.get_width() for patch in fig.axes[0].patches]
    assert values == sorted(values, reverse=True)
    assert alt.startswith("Bar chart of rows with each kind of problem, out of 8 rows:")
    assert "Row has a copy 2 (25%)" in alt


# --- drawn for the page and for a phone ---------------------------------------------------

# Forty characters, the longest column name the stress cases draw.
LONG_NAME = "Column {:02d}: how did you first hear of us?"


def test_missing_chart_reads_on_the_page_and_on_a_phone(report):
    fig, _ = missing_chart(report.profile)
    assert chart_problems(fig) == []


def test_missing_chart_of_25_columns_with_40_character_names_reads_on_the_page_and_on_a_phone():
    # Column n is blank in n rows out of 25: every share from none to 96%, in both colours.
    frame = pd.DataFrame({LONG_NAME.format(n): [None] * n + ["x"] * (25 - n) for n in range(25)})
    assert max(len(name) for name in frame.columns) == 40
    fig, alt = missing_chart(profile_columns(frame))
    assert "the 20 emptiest are drawn" in alt
    assert chart_problems(fig) == []


def test_missing_chart_with_no_blanks_says_none_and_has_no_key():
    fig, _ = missing_chart(profile_columns(pd.DataFrame({"A": [1, 2], "B": [3, 4]})))
    assert [text.get_text() for text in fig.axes[0].texts if text.get_text() == "none"] == ["none"]
    assert fig.axes[0].get_legend() is None
    assert chart_problems(fig) == []


def test_problems_chart_reads_on_the_page_and_on_a_phone(report):
    fig, _ = problems_chart(problem_counts(report), report.profile.rows)
    assert chart_problems(fig) == []


def test_problems_chart_of_25_problems_with_40_character_names_reads_on_the_page_and_on_a_phone():
    counts = pd.DataFrame({"Problem": [LONG_NAME.format(n) for n in range(25)],
                           "Rows": [1_000 * (25 - n) for n in range(25)]})
    fig, _ = problems_chart(counts, 25_000)
    assert chart_problems(fig) == []
