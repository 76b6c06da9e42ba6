"""Tests for helpers.health_check.charts: the report's charts."""


from helpers.health_check.charts import missing_chart, problems_chart
from helpers.health_check.words import problem_counts

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]



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
