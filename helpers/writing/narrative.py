"""Words for the report: sentences built from the numbers, tables, the load log.

A playbook never types a figure into its prose. It computes the number, then
calls :func:`say` with an f-string, so the text and the data cannot disagree.

Text from the charity's file or the command line (a header, a sheet name, the
charity's name) is data, never markup. :func:`say` therefore renders its
Markdown to HTML itself, with raw HTML shown as text, no images, no autolinks
and no link but the kit's own (:data:`KIT_LINKS` and places on the same page):
whatever an f-string puts in, no script, event handler or link to anywhere the
charity's data names can reach the report. :func:`md_text` goes further for a
value that should not even be bold.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence

import pandas as pd

#: The only addresses a report may link to, besides a place on the same page ("#..."):
#: the kit's own. A link typed into the charity's data (a name, a header, a site) never
#: matches, so it stays text; add an address here only for a sentence the kit writes.
KIT_LINKS: frozenset[str] = frozenset()
#: Characters that start Markdown anywhere in a line (emphasis, links, code, HTML, entities,
#: tables, strikethrough); and what starts a block (list, heading underline) at a line's start.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!&|~#])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|(?=[-+=]))")


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt

    # "commonmark" with html off: raw HTML in the text is escaped and shown as text. Autolinks
    # (<https://...>) are off, and linkify (bare addresses) stays off as in commonmark.
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image", "autolink"])
    default_validate = renderer.validateLink
    renderer.validateLink = lambda url: default_validate(url) and is_kit_link(url)
    return renderer


def is_kit_link(url: str) -> bool:
    """Whether a report may link to ``url``: a place on the same page, or one of :data:`KIT_LINKS`.

    Everything else is refused, whatever its scheme: ``https://``, ``//host`` (a
    protocol-relative link, which a browser opens on the web), ``javascript:``, a file
    beside the report.

    Example:
        >>> is_kit_link("#main-points"), is_kit_link("//example.org"), is_kit_link("https://example.org")
        (True, False, False)
    """
    url = str(url).strip()
    return url in KIT_LINKS or (url.startswith("#") and not any(mark in url for mark in "\\/:"))


def markdown_html(markdown: str) -> str:
    r"""Render Markdown to HTML for the report, treating any HTML in it as text.

    Args:
        markdown: The Markdown, usually an f-string with figures and names in it.

    Returns:
        The HTML: raw HTML escaped, images dropped, no link but in-page ones and
        the kit's own (:func:`is_kit_link`); any other stays as plain text.

    Example:
        >>> markdown_html("We found **3** rows in <b>Town</b>.")
        '<p>We found <strong>3</strong> rows in &lt;b&gt;Town&lt;/b&gt;.</p>\n'
        >>> "href" in markdown_html("[click](javascript:alert(1))"), "href" in markdown_html("[Give](https://x.example)")
        (False, False)
    """
    return _markdown().render(str(markdown))


def md_text(value: object) -> str:
    r"""A value as literal text inside Markdown: no bold, link, heading or HTML from it.

    Use it for a name from the charity's file inside :func:`say`, so that a header
    such as ``**Town**`` or ``[x](https://example.org)`` is shown exactly as typed.

    Example:
        >>> print(md_text("[x](https://example.org) *Town* 2-3"), md_text("1. Rent"), md_text("- x"))
        \[x\](https://example.org) \*Town\* 2-3 1\. Rent \- x
        >>> markdown_html(f"Column {md_text('**Town**')}")
        '<p>Column **Town**</p>\n'
    """
    text = " ".join(str(value).splitlines())  # a line break in a header must not start a list
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(lambda found: found.group(0) + "\\", text, count=1)


def say(markdown: str) -> None:
    """Show a paragraph of Markdown in the notebook and in the report, as safe HTML.

    See :func:`markdown_html` for what is kept. Outside a notebook (a script,
    a doctest) the HTML is printed, as IPython does for any display.

    Example:
        >>> say(f"We found **{3}** duplicate rows in <i>Town</i>.")
        <IPython.core.display.HTML object>
    """
    from IPython.display import HTML, display

    display(HTML(markdown_html(markdown)))


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
    lines = "\n".join(f"- {md_text(line)}" for line in table.log)
    say(f"**What the kit did with the file “{md_text(table.source_name)}”**\n\n{lines}")


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
    from helpers.writing.language import kit_text  # in the run's language (report_language)

    cards = "".join(
        f'<div class="headline-figure"><span class="figure-value">{html.escape(str(value))}</span>'
        f'<span class="figure-label">{html.escape(str(label))}</span></div>'
        for value, label in figures
    )
    items = "".join(f"<li>{html.escape(str(sentence))}</li>" for sentence in sentences)
    return (
        '<section class="main-points" aria-labelledby="main-points-heading">'
        f'<h2 id="main-points-heading">{html.escape(kit_text("Main points"))}</h2>'
        f'<div class="headline-figures">{cards}</div><ul>{items}</ul></section>'
    )


def show_main_points(figures: Sequence[tuple[str, str]], sentences: Sequence[str]) -> None:
    """Show the Main points box (see :func:`main_points_html`) in the notebook and the report."""
    from IPython.display import HTML, display

    display(HTML(main_points_html(figures, sentences)))
