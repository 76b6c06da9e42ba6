"""The health check's charts: blank cells by column and rows with each kind of problem.
"""

from __future__ import annotations

import pandas as pd

from helpers.health_check.profile import TableProfile, profile_columns  # noqa: F401  (the examples use it)
from helpers.health_check.words import percent_text


def _bar_chart(labels: list[str], values: list[float], texts: list[str], title: str, xlabel: str, colours,
               minimum_span: float = 1):
    """A horizontal bar chart with each bar's value written at its end; the axis
    reaches at least ``minimum_span`` so that tiny values look tiny."""
    from helpers.writing.charts import new_chart

    fig, ax = new_chart(8, max(2.2, 0.42 * len(labels) + 1.2))
    positions = range(len(labels))
    ax.barh(list(positions), values, color=colours)
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()  # first item at the top
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    right = max(max(values, default=0), minimum_span)
    ax.set_xlim(0, right * 1.18)
    for position, value, text in zip(positions, values, texts, strict=True):
        ax.text(value + right * 0.01, position, text, va="center", fontsize=10)
    return fig


def missing_chart(profile: TableProfile):
    """A chart of the share of blank cells in each column, emptiest first.

    Args:
        profile: From :func:`profile_columns`.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> fig, alt = missing_chart(profile_columns(pd.DataFrame({"A": [1, None], "B": [1, 2]})))
        >>> alt
        "Bar chart of blank cells by column. 'A' is 50% blank. 1 column has no blanks."
    """
    from helpers.writing.charts import PALETTE

    shares = pd.Series({name: 100 * info.missing / profile.rows if profile.rows else 0.0
                        for name, info in profile.columns.items()})
    blank = shares[shares > 0].sort_values(ascending=False, kind="stable")
    complete = int((shares == 0).sum())
    labels = list(blank.index) or ["(no blank cells)"]
    values = blank.round(1).tolist() or [0.0]
    texts = [f"{value:.0f}%" if value >= 1 else "under 1%" for value in values]
    colours = [PALETTE[3] if value >= 50 else PALETTE[0] for value in values]
    fig = _bar_chart(labels, values, texts, "How much of each column is blank",
                     "% of rows left blank", colours, minimum_span=10)
    parts = [f"'{name}' is {value:.0f}% blank" for name, value in blank.head(3).items()]
    alt = "Bar chart of blank cells by column. " + (". ".join(parts) + ". " if parts else "No column has blanks. ")
    alt += f"{complete} {'column has' if complete == 1 else 'columns have'} no blanks."
    return fig, alt


def problems_chart(counts: pd.DataFrame, rows: int):
    """A chart of how many rows have each kind of problem.

    Args:
        counts: From :func:`problem_counts`.
        rows: The number of rows in the table, for the percentages.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> counts = pd.DataFrame({"Problem": ["Row has a copy"], "Rows": [2]})
        >>> problems_chart(counts, 10)[1]
        'Bar chart of rows with each kind of problem, out of 10 rows: Row has a copy 2 (20%).'
    """
    from helpers.writing.charts import PALETTE

    ordered = counts.sort_values("Rows", ascending=False, kind="stable")
    values = ordered["Rows"].tolist()
    texts = [f"{value:,} ({percent_text(value, rows)})" for value in values]
    labels = ordered["Problem"].tolist()
    if not labels:
        labels, values, texts = ["(no problems found)"], [0], ["0"]
    fig = _bar_chart(labels, values, texts, "Rows with each kind of problem", "Number of rows",
                     [PALETTE[0]] * len(values))
    described = ", ".join(f"{label} {text}" for label, text in zip(labels, texts, strict=True))
    return fig, f"Bar chart of rows with each kind of problem, out of {rows:,} rows: {described}."
