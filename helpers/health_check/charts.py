"""The health check's charts: blank cells by column and rows with each kind of problem.
"""

from __future__ import annotations

import pandas as pd

from helpers.health_check.profile import TableProfile, profile_columns  # noqa: F401  (the examples use it)
from helpers.health_check.words import percent_text
from helpers.writing.charts import drawn_for_phones

#: Columns shown at most in the blanks chart (the emptiest); the alt text gives the rest's count.
CHART_COLUMNS = 20
#: A column at least this share blank is drawn in the warning colour.
MOSTLY_BLANK = 50
_SOURCE = "Source: the charity's file, checked by the Data Surgery Kit"


def _bar_chart(labels: list[str], values: list[float], texts: list[str], title: str, subtitle: str, colours,
               minimum_span: float = 1):
    """A horizontal bar chart with each bar's value written at its end (no axis to read off);
    the axis reaches at least ``minimum_span`` so that tiny values look tiny."""
    from helpers.writing.charts import chart_titles, new_chart

    fig, ax = new_chart(8, max(2.4, 0.42 * len(labels) + 1.6))
    positions = range(len(labels))
    ax.barh(list(positions), values, color=colours)
    ax.set_yticks(list(positions), labels)
    ax.tick_params(axis="y", labelsize=12)
    ax.invert_yaxis()  # first item at the top
    chart_titles(ax, title, subtitle, _SOURCE)
    right = max(max(values, default=0), minimum_span)
    ax.set_xlim(0, right * 1.25)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    for position, value, text in zip(positions, values, texts, strict=True):
        ax.text(value + right * 0.01, position, text, va="center", fontsize=12)
    return fig


@drawn_for_phones
def missing_chart(profile: TableProfile):
    """A chart of the share of blank cells in each column, emptiest first.

    Columns at least :data:`MOSTLY_BLANK` % blank are drawn in a second colour, and the
    key says what each colour means. At most :data:`CHART_COLUMNS` columns are drawn.

    Args:
        profile: From :func:`profile_columns`.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> fig, alt = missing_chart(profile_columns(pd.DataFrame({"A": [1, None], "B": [1, 2]})))
        >>> alt
        "Bar chart of blank cells by column. 'A' is 50% blank. 1 column has no blanks."
    """
    from matplotlib.patches import Patch

    from helpers.writing.charts import PALETTE

    shares = pd.Series({name: 100 * info.missing / profile.rows if profile.rows else 0.0
                        for name, info in profile.columns.items()})
    blank = shares[shares > 0].sort_values(ascending=False, kind="stable")
    shown = blank.head(CHART_COLUMNS)
    complete = int((shares == 0).sum())
    labels = list(shown.index) or ["(no blank cells)"]
    values = shown.round(1).tolist() or [0.0]
    texts = [f"{value:.0f}%" if value >= 1 else "under 1%" for value in values]
    colours = [PALETTE[3] if value >= MOSTLY_BLANK else PALETTE[0] for value in values]
    if len(blank) == 0:
        title = "No column has blank cells"
    elif (blank >= MOSTLY_BLANK).any():
        title = f"{count_columns(int((blank >= MOSTLY_BLANK).sum()))} blank in half the rows or more"
    else:
        title = f"{count_columns(len(blank))} some blank cells"
    more = f"; the {len(blank) - len(shown):,} other columns with blanks are not drawn" if len(blank) > len(shown) else ""
    fig = _bar_chart(labels, values, texts, title, f"Share of rows left blank, by column{more}", colours,
                     minimum_span=10)
    fig.axes[0].legend(handles=[Patch(color=PALETTE[3], label=f"Blank in {MOSTLY_BLANK}% of rows or more"),
                                Patch(color=PALETTE[0], label=f"Blank in under {MOSTLY_BLANK}% of rows")],
                       loc="lower right", fontsize=12, frameon=False)
    parts = [f"'{name}' is {value:.0f}% blank" for name, value in blank.head(3).items()]
    alt = "Bar chart of blank cells by column. " + (". ".join(parts) + ". " if parts else "No column has blanks. ")
    if more:
        alt += f"{len(blank):,} columns have blanks; the {CHART_COLUMNS} emptiest are drawn. "
    alt += f"{complete} {'column has' if complete == 1 else 'columns have'} no blanks."
    return fig, alt


def count_columns(count: int) -> str:
    """ "1 column has", "3 columns have" for a chart title.

    Example:
        >>> count_columns(1), count_columns(3)
        ('1 column has', '3 columns have')
    """
    return f"{count:,} column has" if count == 1 else f"{count:,} columns have"


@drawn_for_phones
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
        title = "No problems found"
    else:
        title = f"The most common problem: {labels[0][0].lower()}{labels[0][1:]}"
    fig = _bar_chart(labels, values, texts, title, f"Rows with each kind of problem, out of {rows:,} rows",
                     [PALETTE[0]] * len(values))
    described = ", ".join(f"{label} {text}" for label, text in zip(labels, texts, strict=True))
    return fig, f"Bar chart of rows with each kind of problem, out of {rows:,} rows: {described}."
