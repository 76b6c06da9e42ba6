"""The health check's charts: blank cells by column and rows with each kind of problem.

Both are bar charts with each bar's value written at its end. On a phone each column's or
problem's name sits above its bar, so that the bars keep the screen's width however long
the names are.
"""

from __future__ import annotations


import matplotlib.pyplot as plt
import pandas as pd

from helpers.health_check.profile import TableProfile, profile_columns  # noqa: F401  (the examples use it)
from helpers.health_check.words import percent_text
from helpers.writing.charts import drawn_for_phones

#: Columns shown at most in the blanks chart (the emptiest); the alt text gives the rest's count.
CHART_COLUMNS = 20
#: A column at least this share blank is drawn in the warning colour.
MOSTLY_BLANK = 50
#: The widest a bar's name is beside its bar on the page, in pixels as shown (wider names wrap);
#: on a phone a name sits above its bar and may take the screen's width.
LABEL_WIDTH_PX = 300
_SOURCE = "Source: the charity's file, checked by the Data Surgery Kit"

# The phone's rows, in inches: a line of a bar's name (9 points and its spacing), the bar, the gaps.
_PHONE_LINE = 0.17
_PHONE_BAR = 0.2
_PHONE_NAME_GAP = 0.04
_PHONE_ROW_GAP = 0.16
# What a phone drawing keeps clear at its sides, in pixels as shown: savefig's and the layout's padding.
_PHONE_MARGINS_PX = 36
# A line of the key, in inches, on the page (12 points) and on a phone (9 points).
_KEY_LINE = 0.25
_PHONE_KEY_LINE = 0.19


def _bar_chart(labels: list[str], values: list[float], texts: list[str], title: str, subtitle: str, colours,
               minimum_span: float = 1, key: list[tuple[str, str]] = ()):
    """A horizontal bar chart with each bar's value written at its end (no axis to read off);
    the axis reaches at least ``minimum_span`` so that tiny values look tiny.

    Args:
        labels: Each bar's name, first at the top; long names are wrapped.
        values: Each bar's length.
        texts: What is written at each bar's end.
        title: The finding.
        subtitle: What the bars count.
        colours: One colour, or one for each bar.
        minimum_span: The least the axis reaches.
        key: ``(colour, words)`` for a key above the bars, one line each; empty for none.

    Returns:
        A matplotlib figure.
    """
    from matplotlib.patches import Patch

    from helpers.writing.charts import chart_titles, new_chart, on_phone

    phone = on_phone()
    if phone:
        fig, ax, positions = _phone_bars([str(label) for label in labels], values, colours, key)
    else:
        fig, ax = new_chart(8, 2.4)
        names = _names_in_lines(fig, labels, LABEL_WIDTH_PX, 12)
        # One line a bar, more for wrapped names; the key takes lines of its own above the bars.
        pitch = 0.42 + 0.22 * (max((name.count("\n") for name in names), default=0))
        key_rows = (len(key) * _KEY_LINE + 0.05) / pitch if key else 0
        fig.set_figheight(max(2.4, pitch * (len(names) + key_rows) + 1.6))
        positions = list(range(len(names)))
        ax.barh(positions, values, color=colours)
        ax.set_yticks(positions, names)
        ax.tick_params(axis="y", labelsize=12)
        ax.set_ylim(len(names) - 0.5, -0.6 - key_rows)  # first item at the top, under the key
    right = max(max(values, default=0), minimum_span)
    ax.set_xlim(0, right * (1.3 if phone else 1.25))
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    for position, value, text in zip(positions, values, texts, strict=True):
        ax.text(value + right * (0.02 if phone else 0.01), position, text, va="center",
                fontsize=None if phone else 12)
    if key:
        ax.legend(handles=[Patch(color=colour, label=words) for colour, words in key], loc="upper left",
                  fontsize=None if phone else 12, frameon=False, borderaxespad=0.2)
    chart_titles(ax, title, subtitle, _SOURCE)
    return fig


def _names_in_lines(fig, labels, width_px: float, size: float | None = None) -> list[str]:
    """Bars' names wrapped to ``width_px`` pixels as shown, in lines of even length."""
    from matplotlib.font_manager import FontProperties

    from helpers.writing.charts import SHOWN_DPI, wrap_to_width

    font = FontProperties(size=size or plt.rcParams["font.size"])
    renderer = fig.canvas.get_renderer()
    return [wrap_to_width(str(label), width_px / SHOWN_DPI * fig.dpi, font, renderer) for label in labels]


def _phone_bars(labels: list[str], values: list[float], colours, key):
    """The phone's bars, each under its name, in a figure as tall as they need (data units are inches)."""
    from helpers.writing.charts import PHONE_SHOWN_PX, new_chart

    fig, ax = new_chart(8, 4)
    names = _names_in_lines(fig, labels, PHONE_SHOWN_PX - _PHONE_MARGINS_PX)
    top = len(key) * _PHONE_KEY_LINE + 0.1 if key else 0.0
    positions = []
    for name in names:
        centre = top + _PHONE_LINE * (name.count("\n") + 1) + _PHONE_NAME_GAP + _PHONE_BAR / 2
        positions.append(centre)
        top = centre + _PHONE_BAR / 2 + _PHONE_ROW_GAP
    fig.set_figheight(top + 1.6)
    ax.barh(positions, values, height=_PHONE_BAR, color=colours)
    for name, centre in zip(names, positions):
        ax.text(0, centre - _PHONE_BAR / 2 - _PHONE_NAME_GAP, name, va="bottom", ha="left")
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(top, 0)
    return fig, ax, positions


@drawn_for_phones
def missing_chart(profile: TableProfile):
    """A chart of the share of blank cells in each column, emptiest first.

    Columns at least :data:`MOSTLY_BLANK` % blank are drawn in a second colour, and a key
    above the bars says what each colour drawn means. At most :data:`CHART_COLUMNS` columns
    are drawn.

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
    shown = blank.head(CHART_COLUMNS)
    complete = int((shares == 0).sum())
    labels = list(shown.index) or ["(no blank cells)"]
    values = shown.round(1).tolist() or [0.0]
    texts = [f"{value:.0f}%" if value >= 1 else "under 1%" for value in values] if len(shown) else ["none"]
    colours = [PALETTE[3] if value >= MOSTLY_BLANK else PALETTE[0] for value in values]
    if len(blank) == 0:
        title = "No column has blank cells"
    elif (blank >= MOSTLY_BLANK).any():
        title = f"{count_columns(int((blank >= MOSTLY_BLANK).sum()))} blank in half the rows or more"
    else:
        title = f"{count_columns(len(blank))} some blank cells"
    more = f"; the {len(blank) - len(shown):,} other columns with blanks are not drawn" if len(blank) > len(shown) else ""
    # A key line only for the colours drawn, above the bars where no value can run into it.
    key = [(colour, words) for colour, words in ((PALETTE[3], f"Blank in {MOSTLY_BLANK}% of rows or more"),
                                                 (PALETTE[0], f"Blank in under {MOSTLY_BLANK}% of rows"))
           if colour in colours and len(shown)]
    fig = _bar_chart(labels, values, texts, title, f"Share of rows left blank, by column{more}", colours,
                     minimum_span=10, key=key)
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
