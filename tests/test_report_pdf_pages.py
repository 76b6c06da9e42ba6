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
_PAGE_NUMBER = re.compile(r"^Page \d+ of \d+$")
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
