"""report.pdf as a trustee turns its pages: headings with what they head, tokens whole (issue 28).

Checked on every playbook's demo PDF (``surgery demo --pdf``) and on a page built to tempt the
printer: no page ends with a heading, short lists are not split, and an email address or phone
number in a table cell breaks only after ``@`` or before a dot, never mid-word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.spine.catalogue import list_playbooks
from helpers.spine.pdf import find_chromium, print_to_pdf
from helpers.spine.report import REPORT_CSS, tidy_tables

pypdf = pytest.importorskip("pypdf")

IDS = [p.name for p in list_playbooks()]
_PAGE_NUMBER = re.compile(r"^(?:Page \d+ of|Tudalen \d+ o) \d+$")  # English or Welsh (--language cy)
_EMAIL = re.compile(r"[\w.*+-]+@[\w-]+(?:\.[\w-]+)+")


def _needs_chromium():
    if find_chromium() is None:
        pytest.skip("Chromium is not installed (`make browser` installs Debian's chromium)")


def page_lines(pdf: Path) -> list[list[str]]:
    """Each page's lines of body text (the running head and "Page N of M" taken off)."""
    pages = []
    for page in pypdf.PdfReader(pdf).pages:
        lines = [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines = lines[:-2]  # the running head (title and charity) and the page number
        pages.append(lines)
    return pages


def headings(html_path: Path) -> list[str]:
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(h.get_text(" ").split()) for h in soup.select("main h2, main h3, footer h2")]


def pages_ending_with_a_heading(pdf: Path, html_path: Path) -> list[str]:
    """Pages (not the last) whose last line, or last two lines, are a heading."""
    found = []
    titles = headings(html_path)
    pages = page_lines(pdf)
    for number, lines in enumerate(pages[:-1], start=1):
        tail = [" ".join(lines[-k:]) for k in (1, 2) if len(lines) >= k]
        for heading in titles:
            if any(text == heading or (len(heading) > 12 and text.endswith(heading)) for text in tail):
                found.append(f"page {number} ends with the heading {heading!r}")
    return found


def broken_tokens(pdf: Path, tokens: list[str]) -> list[str]:
    """Tokens printed across two lines at a point that is not after "@" or before a dot."""
    problems = []
    text = "\n".join(line for lines in page_lines(pdf) for line in lines)
    for token in tokens:
        if token in text.replace("\n", " ") or token not in text.replace("\n", ""):
            continue
        for cut in range(1, len(token)):
            if token[:cut] + "\n" + token[cut:] in text and not (token[cut - 1] == "@" or token[cut] == "."):
                problems.append(f"{token!r} broken as {token[:cut]!r} / {token[cut:]!r}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_no_page_of_a_demo_pdf_ends_with_a_heading_or_breaks_a_token(name, demo_bundles):
    _needs_chromium()
    bundle = demo_bundles[name]
    assert pages_ending_with_a_heading(bundle / "report.pdf", bundle / "report.html") == []
    soup = BeautifulSoup((bundle / "report.html").read_text(encoding="utf-8"), "html.parser")
    tokens = sorted({m.group(0) for cell in soup.find_all("td") for m in _EMAIL.finditer(cell.get_text())})
    assert broken_tokens(bundle / "report.pdf", tokens) == []


def _print(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>Check</title><style>{REPORT_CSS}</style></head>"
                    f"<body><main>{body}</main></body></html>", encoding="utf-8")
    return print_to_pdf(page, tmp_path / "page.pdf")


EMAILS = ["***@inbox.example.net", "***@community-pantry-volunteers.example.org.uk", "***@hackney.gov.example"]


def test_emails_in_a_wide_printed_table_break_only_at_sensible_points(tmp_path):
    _needs_chromium()
    frame = pd.DataFrame({f"Column {n}": ["x"] * 3 for n in range(6)})
    frame["Email"] = EMAILS
    frame["Phone"] = ["07700 900 418", "+44 20 7946 0000", "0113 496 0000"]
    pdf = _print(tmp_path, tidy_tables(frame.to_html(index=False, border=0)))
    text = "\n".join(line for lines in page_lines(pdf) for line in lines)
    assert broken_tokens(pdf, EMAILS) == []
    for phone in frame["Phone"]:
        assert phone.replace(" ", "") in text.replace(" ", "").replace("\u00a0", ""), phone
        assert not any(line.endswith(phone.split()[0]) for line in text.splitlines()), f"{phone} broken"


def test_the_check_catches_a_heading_at_the_foot_of_a_page(tmp_path):
    _needs_chromium()
    # A heading forced to the foot of page 1 (its next block pushed over by a hard break).
    body = ('<p style="height:880px">Spacer</p><h2>A map of the area</h2>'
            '<p style="break-before: page">The map.</p>')
    pdf = _print(tmp_path, body)
    (tmp_path / "page.html").write_text(f"<main>{body}</main>", encoding="utf-8")
    assert pages_ending_with_a_heading(pdf, tmp_path / "page.html")


def test_a_short_list_prints_whole(tmp_path):
    _needs_chromium()
    from helpers.spine.page_layout import keep_short_lists

    items = "".join(f"<li>Action {n}: something practical to do on Monday morning.</li>" for n in range(6))
    pdf = _print(tmp_path, keep_short_lists(f'<p style="height:820px">Spacer</p><h2>What to do next</h2><ul>{items}</ul>'))
    pages = page_lines(pdf)
    holding = [number for number, lines in enumerate(pages) if any(line.startswith("Action") for line in lines)]
    assert len(holding) == 1, f"the list is split across pages {holding}"


# --- no page more than half empty, unless what comes next would not fit anyway -------------------------

#: The printed page's content box (A4 less report.css's @page margins), in CSS pixels as Chromium lays it out.
CONTENT_WIDTH_PX, CONTENT_HEIGHT_PX = 180 / 25.4 * 96, 261 / 25.4 * 96
#: Pages are measured from a grey rendering at this resolution (one pixel is 0.7 mm).
FILL_DPI = 36
#: Ink: a pixel darker than this (of 255). The lightest tints (the Main points box) count as filled.
INK_BELOW = 250
#: Slack in the fit check, as a share of the page: the raster's and the layout's rounding.
FIT_SLACK = 0.02


def page_fills(pdf: Path) -> list[float]:
    """Each page's filled height: the lowest ink (text, image, rule or tint) in its content box, 0 to 1.

    The running head and "Page N of M" sit in the page's margins, outside the content box, so they are
    not counted. Measured on a rendering (``pdftoppm``), so that charts and tinted boxes count as text does.
    """
    import shutil
    import subprocess
    import tempfile

    import numpy as np
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    per_mm = FILL_DPI / 25.4
    fills = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(FILL_DPI), str(pdf), f"{folder}/page"], check=True)
        for path in sorted(Path(folder).glob("page-*.pgm"), key=lambda found: int(found.stem.rsplit("-", 1)[1])):
            pixels = np.asarray(Image.open(path))
            box = pixels[round(18 * per_mm): pixels.shape[0] - round(18 * per_mm)]
            inked = np.flatnonzero((box < INK_BELOW).any(axis=1))
            fills.append((inked.max() + 1) / box.shape[0] if inked.size else 0.0)
    return fills


# Finds, in the report laid out for print, the unit that opens a page, from the previous page's last line
# (`last`) and the page's first line (`first`): the first block after the element holding `last` (a chart
# has no text, so the first line may come after the block), widened to its outermost ancestor that print
# keeps whole, and joined to the block after it when it is a heading or a caption (they keep with what
# follows). Returns its height with its top margin, in CSS pixels.
_OPENING_UNIT = """([last, first]) => {
  const squash = text => text.normalize('NFKC').replace(/[\\s\\u00ad\\u200b]+/g, '');
  const all = Array.from(document.querySelectorAll('main *, footer, footer *'));
  const holds = (element, needle) => squash(element.textContent).includes(needle);
  const matches = needle => all.filter(el => holds(el, needle) && !Array.from(el.children).some(c => holds(c, needle)));
  const follows = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) && !a.contains(b);
  const shown = el => { const d = getComputedStyle(el).display;
    return !['inline', 'none', 'contents'].includes(d) && el.getBoundingClientRect().height > 0; };
  const leaf = el => shown(el) && !Array.from(el.children).some(shown);
  const kept = el => ['avoid', 'avoid-page'].includes(getComputedStyle(el).breakInside);
  const firsts = matches(first), lasts = last ? matches(last) : [];
  const found = lasts.length ? firsts.find(f => f === lasts[0] || f.contains(lasts[0]) || lasts[0].contains(f) ||
                                                follows(lasts[0], f)) : firsts[0];
  if (!found) return null;
  const anchor = lasts.filter(l => l === found || l.contains(found) || found.contains(l) || follows(l, found)).pop();
  const widen = el => { let unit = el;
    for (let up = el.parentElement; up && !['MAIN', 'BODY'].includes(up.tagName); up = up.parentElement) {
      if (kept(up) && !(anchor && up.contains(anchor))) unit = up; }
    return unit; };
  const nextLeaf = after => all.find(el => follows(after, el) && leaf(el));
  const separate = anchor && anchor !== found && !anchor.contains(found) && !found.contains(anchor);
  const unit = widen(separate ? (nextLeaf(anchor) || found) : found);
  const box = unit.getBoundingClientRect();
  let bottom = box.bottom;
  if (/^(H[1-6]|CAPTION)$/.test(unit.tagName)) {
    const next = nextLeaf(unit);
    if (next) bottom = Math.max(bottom, widen(next).getBoundingClientRect().bottom);
  }
  const margin = parseFloat(getComputedStyle(unit).marginTop) || 0;
  return {tag: unit.tagName, text: unit.textContent.trim().slice(0, 60), height: bottom - box.top + margin};
}"""


def _squashed(line: str, length: int = 24) -> str:
    """A line's first characters without spaces, soft hyphens or ligatures ("ﬁ"), to find it in the page."""
    import unicodedata

    return re.sub(r"[\s\u00ad\u200b]+", "", unicodedata.normalize("NFKC", line))[:length]


def half_empty_pages(pdf: Path, html_path: Path, browser) -> list[str]:
    """Pages (not the last) less than half filled although the block that opens the next page would fit.

    Each page's fill is measured on the PDF (:func:`page_fills`); the block that opens the next page is
    found, by its first line of text, in the report laid out in the browser for print at the page's
    width, and its height compared with the space the short page left.
    """
    fills, lines = page_fills(pdf), page_lines(pdf)
    problems = []
    context = browser.new_context(viewport={"width": round(CONTENT_WIDTH_PX), "height": round(CONTENT_HEIGHT_PX)})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        for number, fill in enumerate(fills[:-1], start=1):
            if fill >= 0.5 or not lines[number]:
                continue
            last = _squashed(lines[number - 1][-1]) if lines[number - 1] else ""
            opening = page.evaluate(_OPENING_UNIT, [last, _squashed(lines[number][0])])
            left = (1 - fill) * CONTENT_HEIGHT_PX
            if opening is None:
                problems.append(f"page {number} is {fill:.0%} full and page {number + 1}'s first block was not found")
            elif opening["height"] < left - FIT_SLACK * CONTENT_HEIGHT_PX:
                problems.append(f"page {number} is {fill:.0%} full, yet page {number + 1} opens with a "
                                f"{opening['tag']} {opening['height']:.0f} px tall ({opening['text']!r}) that fits "
                                f"the {left:.0f} px left")
    finally:
        context.close()
    return problems


@pytest.fixture(scope="module")
def print_browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (`make browser` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_no_page_of_a_demo_pdf_is_half_empty_unless_the_next_block_would_not_fit(name, demo_bundles, print_browser):
    bundle = demo_bundles[name]
    assert half_empty_pages(bundle / "report.pdf", bundle / "report.html", print_browser) == []


def test_the_fill_check_catches_a_short_block_pushed_to_the_next_page(tmp_path, print_browser):
    # Page 1 a quarter full; page 2 opens with a heading and a short paragraph that would have fitted.
    body = ('<p style="height:200px; background:#ccc">Spacer</p><h2 style="break-before: page">What to do next</h2>'
            '<p>Check the twelve rows the health check marked, then run it again.</p>')
    pdf = _print(tmp_path, body)
    fills = page_fills(pdf)
    assert len(fills) == 2 and 0.15 < fills[0] < 0.35
    problems = half_empty_pages(pdf, tmp_path / "page.html", print_browser)
    assert len(problems) == 1 and "page 1 is" in problems[0] and "H2" in problems[0], problems


def test_the_fill_check_lets_a_block_too_tall_for_what_is_left_open_the_next_page(tmp_path, print_browser):
    # Page 1 a third full; page 2 opens with a block kept whole that is taller than the two thirds left.
    body = ('<p style="height:300px; background:#ccc">Spacer</p>'
            '<div style="break-inside: avoid"><p>A block kept whole.</p><div style="height:800px; background:#ccc"></div></div>')
    pdf = _print(tmp_path, body)
    assert page_fills(pdf)[0] < 0.5
    assert half_empty_pages(pdf, tmp_path / "page.html", print_browser) == []


def test_short_sections_share_pages_rather_than_each_opening_one(tmp_path, print_browser):
    # Seven short sections, each a heading, a paragraph and a short list: nothing too tall for what a page has left.
    section = ("<h2>{n}. What the file holds</h2><p>The kit read the file and checked each column in turn; "
               "the list below says what it found and what to do about it.</p>"
               "<ul><li>Gaps in {n} columns.</li><li>Dates typed two ways.</li><li>Three rows entered twice.</li></ul>")
    from helpers.spine.page_layout import keep_short_lists

    pdf = _print(tmp_path, keep_short_lists("".join(section.format(n=n) for n in range(1, 8))))
    assert half_empty_pages(pdf, tmp_path / "page.html", print_browser) == []
    assert len(page_fills(pdf)) <= 2


@pytest.mark.slow
def test_a_welsh_pdf_keeps_headings_with_what_they_head_and_fills_its_pages(welsh_bundles, print_browser):
    bundle = welsh_bundles["cy"]  # Welsh headings run longer than English ones: the same rules hold
    assert pages_ending_with_a_heading(bundle / "report.pdf", bundle / "report.html") == []
    assert half_empty_pages(bundle / "report.pdf", bundle / "report.html", print_browser) == []
    assert "Prif bwyntiau" in "\n".join(line for lines in page_lines(bundle / "report.pdf") for line in lines)
    first_page = pypdf.PdfReader(bundle / "report.pdf").pages[0].extract_text()
    assert re.search(r"Tudalen 1 o \d+", first_page) and "Page 1 of" not in first_page
