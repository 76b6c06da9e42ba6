"""One page for the board: ``summary.html`` (for email) and ``summary.pdf`` (one A4 page), from the report itself.

Trustees read one page. The board page is cut from the rendered report, not written again, so its
words cannot drift from the report's: the header (charity, question, date), the **Main points** box
as it stands, the report's first chart (the one that carries the main finding, placed first by
every playbook), the first two points of "What this cannot tell you", and where the full report is.

Everything on it was already escaped text in the report; nothing is re-read from the charity's file.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from helpers.spine.report import REPORT_CSS, TEMPLATES_DIR
from helpers.writing.language import DEFAULT_LANGUAGE, HTML_LANG, kit_text

#: The report's own stylesheet, then the board page's few changes: it looks like the report it came from.
BOARD_CSS = REPORT_CSS + (TEMPLATES_DIR / "report" / "board.css").read_text(encoding="utf-8")
LIMITS_HEADING = "What this cannot tell you"
#: The report's headings over its limits, in any language the report may be in.
LIMITS_HEADINGS = ("What this cannot tell you", "What this analysis cannot tell you")
#: How many of the report's limits the page keeps.
LIMITS_KEPT = 2
#: Print scales tried in turn until the page fits on one A4 sheet.
PRINT_ZOOMS = (1.0, 0.9, 0.8, 0.7, 0.6)
_PAGES = re.compile(rb"/Type\s*/Page(?!s)")


def board_page_html(report_html: str, zoom: float = 1.0) -> str:
    """The board page's HTML, cut from the report's.

    Args:
        report_html: The rendered ``report.html``.
        zoom: The print scale (below 1 when the page has to shrink to fit one sheet).

    Example:
        >>> report = ('<html><head><title>Q</title></head><body><header class="report-banner"><h1>Q</h1></header>'
        ...           '<main><section class="main-points"><h2>Main points</h2></section>'
        ...           '<h2>What this cannot tell you</h2><ul><li>One.</li><li>Two.</li><li>Three.</li></ul>'
        ...           '</main></body></html>')
        >>> page = board_page_html(report)
        >>> "Main points" in page, "Three." in page, "report.html" in page
        (True, False, True)
    """
    from bs4 import BeautifulSoup

    report = BeautifulSoup(report_html, "html.parser")
    language = report_language(report)
    page = BeautifulSoup(
        f"<!DOCTYPE html><html lang=\"{HTML_LANG[language]}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\"><title></title><style></style>"
        "</head><body><main class=\"board-page\"></main></body></html>", "html.parser")
    page.title.string = kit_text("Summary: {title}", language).format(
        title=report.title.get_text() if report.title else "").strip()
    page.style.string = BOARD_CSS + (f"\n@media print {{ html {{ zoom: {zoom}; }} }}\n" if zoom != 1.0 else "")
    main = page.main
    banner = report.select_one("header.report-banner")
    if banner is not None:
        main.append(copy.copy(banner))
    points = report.select_one("section.main-points")
    if points is not None:
        main.append(copy.copy(points))
    # The chart a playbook marked as carrying its main finding, else the report's first.
    chart = report.select_one("main figure.chart[data-main-finding]") or report.select_one("main figure.chart")
    if chart is not None:
        main.append(copy.copy(chart))
    limits = _limits(report, language)
    if limits:
        section = page.new_tag("section", attrs={"class": "limits"})
        heading = page.new_tag("h2")
        heading.string = kit_text(LIMITS_HEADING, language)
        section.append(heading)
        items = page.new_tag("ul")
        for item in limits:
            items.append(copy.copy(item))
        section.append(items)
        main.append(section)
    where = page.new_tag("p", attrs={"class": "full-report"})
    where.string = kit_text("This is a one-page summary. The full report, with every finding, chart and table and "
                            "how the figures were made, is report.html (and report.pdf) in the same folder.", language)
    main.append(where)
    return str(page)


def report_language(report) -> str:
    """The language a rendered report is written in, read from its ``<html lang>`` (English if unknown).

    Example:
        >>> from bs4 import BeautifulSoup
        >>> report_language(BeautifulSoup('<html lang="cy"></html>', "html.parser"))
        'cy'
    """
    tag = report.find("html")
    given = tag.get("lang", "") if tag is not None else ""
    return next((code for code, lang in HTML_LANG.items() if lang == given), DEFAULT_LANGUAGE)


def _limits(report, language: str = DEFAULT_LANGUAGE) -> list:
    """The first :data:`LIMITS_KEPT` points under the report's "What this cannot tell you" heading."""
    wanted = {kit_text(heading, language) for heading in LIMITS_HEADINGS}
    for heading in report.find_all(["h2", "h3"]):
        if " ".join(heading.get_text(" ").split()).startswith(tuple(wanted)):  # after it, the ¶ anchor
            listing = heading.find_next(["ul", "ol"])
            if listing is not None:
                return listing.find_all("li", recursive=False)[:LIMITS_KEPT]
    return []


def pdf_pages(pdf: Path) -> int:
    """How many pages a PDF has (its page objects counted: no PDF library needed at run time)."""
    return len(_PAGES.findall(Path(pdf).read_bytes()))


def write_board_page(bundle: Path, pdf: bool) -> list[Path]:
    """Write ``summary.html`` beside ``report.html``, and ``summary.pdf`` (one page) with ``pdf``.

    The PDF is printed at the largest scale in :data:`PRINT_ZOOMS` that fits one A4 page.

    Returns:
        The files written.
    """
    report_html = (bundle / "report.html").read_text(encoding="utf-8")
    html_path = bundle / "summary.html"
    html_path.write_text(board_page_html(report_html), encoding="utf-8")
    written = [html_path]
    if pdf:
        from helpers.spine.pdf import print_to_pdf

        pdf_path = bundle / "summary.pdf"
        printing = bundle / ".summary-print.html"
        try:
            for zoom in PRINT_ZOOMS:
                printing.write_text(board_page_html(report_html, zoom), encoding="utf-8")
                print_to_pdf(printing, pdf_path)
                if pdf_pages(pdf_path) <= 1:
                    break
        finally:
            printing.unlink(missing_ok=True)
        written.append(pdf_path)
    return written
