"""Words for the report: sentences built from the numbers, tables, the load log.

A playbook never types a figure into its prose. It computes the number, then
calls :func:`say` with an f-string, so the text and the data cannot disagree.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd


def say(markdown: str) -> None:
    """Show a paragraph of Markdown in the notebook and in the report.

    Example:
        >>> say(f"We found **{3}** duplicate rows.")  # doctest: +SKIP
    """
    from IPython.display import Markdown, display

    display(Markdown(markdown))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Write a count with the right form of its noun.

    Example:
        >>> plural(1, "row"), plural(3, "row"), plural(2, "person", "people")
        ('1 row', '3 rows', '2 people')
    """
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def percent(part: float, whole: float, digits: int = 0) -> str:
    """Write ``part`` as a share of ``whole``; a zero whole gives "0%".

    Example:
        >>> percent(1, 3), percent(0, 0), percent(1, 8, digits=1)
        ('33%', '0%', '12.5%')
    """
    share = 0.0 if not whole else 100.0 * part / whole
    return f"{share:.{digits}f}%"


def list_in_words(items, limit: int = 5) -> str:
    """Join items as English: "a, b and c", cutting long lists.

    Example:
        >>> list_in_words(["Email", "Phone", "Post Code"])
        'Email, Phone and Post Code'
        >>> list_in_words([14, 27, 90, 91], limit=2)
        '14, 27 and 2 more'
    """
    items = [str(item) for item in items]
    if not items:
        return "none"
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def show_table(frame: pd.DataFrame, caption: str | None = None, max_rows: int = 25) -> None:
    """Show a small table in the report, without the index, with a caption.

    Args:
        frame: The table; only the first ``max_rows`` rows are shown.
        caption: A sentence saying what the table is.
        max_rows: How many rows to show at most; the caption says when more exist.
    """
    from IPython.display import HTML, display

    shown = frame.head(max_rows)
    note = caption or ""
    if len(frame) > max_rows:
        note = f"{note} (first {max_rows} of {len(frame):,} rows)".strip()
    table = shown.to_html(index=False, na_rep="", border=0, classes="report-table", escape=True)
    if note:
        # <caption> must be the table's first child for screen readers to announce it.
        opening_end = table.index(">") + 1
        table = table[:opening_end] + f"<caption>{html.escape(note)}</caption>" + table[opening_end:]
    display(HTML(table))


def show_load_log(table) -> None:
    """Show what the loader did with the charity's file, as a short list."""
    lines = "\n".join(f"- {line}" for line in table.log)
    say(f"**What the kit did with the file `{table.source_name}`**\n\n{lines}")


def main_points_html(figures: Sequence[tuple[str, str]], sentences: Sequence[str]) -> str:
    """The report's **Main points** box as HTML: headline figures large, then plain sentences.

    Everything is escaped: a figure, label or sentence is text, never markup, so text
    from the charity's file cannot change the page.

    Args:
        figures: Two or three ``(value, label)`` pairs, the value already in words or
            with thousands separators ("1,204", "parcels a week").
        sentences: Three to five plain sentences, the finding first.

    Returns:
        The HTML of one ``<section class="main-points">``.

    Example:
        >>> box = main_points_html([("1,204", "people reached")], ["Most came <back>."])
        >>> "Main points" in box, "&lt;back&gt;" in box
        (True, True)
    """
    cards = "".join(
        f'<div class="headline-figure"><span class="figure-value">{html.escape(str(value))}</span>'
        f'<span class="figure-label">{html.escape(str(label))}</span></div>'
        for value, label in figures
    )
    items = "".join(f"<li>{html.escape(str(sentence))}</li>" for sentence in sentences)
    return (
        '<section class="main-points" aria-labelledby="main-points-heading">'
        '<h2 id="main-points-heading">Main points</h2>'
        f'<div class="headline-figures">{cards}</div><ul>{items}</ul></section>'
    )


def show_main_points(figures: Sequence[tuple[str, str]], sentences: Sequence[str]) -> None:
    """Show the Main points box (see :func:`main_points_html`) in the notebook and the report."""
    from IPython.display import HTML, display

    display(HTML(main_points_html(figures, sentences)))
