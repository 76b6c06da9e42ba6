"""Tables on a 390 px phone: no column of a table hidden off the screen's edge (issue 28).

Below 40rem a table of more than three columns reads as cards (each row a block, each cell named
by its column), by one rule in the template (helpers/spine/page_layout.py and report.css), so the
column that holds the finding is always seen. A table may still scroll sideways only if it shows a
visible scroll cue (an element marked ``data-scroll-cue``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.spine.report import REPORT_CSS, tidy_tables
from test_report_browser import PHONE, browser, open_offline  # noqa: F401  (browser is a fixture)

IDS = [p.name for p in list_playbooks()]

#: Each table frame's content against its width, and whether it shows a scroll cue.
MEASURE_TABLES = """() => Array.from(document.querySelectorAll('.table-frame')).map(frame => {
  const table = frame.querySelector('table');
  const cue = frame.querySelector('[data-scroll-cue]');
  const cueShown = !!cue && cue.getBoundingClientRect().width > 0;
  const cells = Array.from(frame.querySelectorAll('td'));
  const right = Math.max(0, ...cells.map(c => c.getBoundingClientRect().right));
  return {caption: (table.caption ? table.caption.textContent : '').slice(0, 60),
          content: frame.scrollWidth, width: frame.clientWidth, cue: cueShown,
          cellsRight: right, frameRight: frame.getBoundingClientRect().right,
          labelled: Array.from(frame.querySelectorAll('td[data-label]')).length};
})"""


def hidden_tables(page) -> list[str]:
    """Tables whose content runs past their frame with no visible scroll cue."""
    problems = []
    for table in page.evaluate(MEASURE_TABLES):
        if (table["content"] > table["width"] + 1 or table["cellsRight"] > table["frameRight"] + 1) and not table["cue"]:
            problems.append(f"table {table['caption']!r}: content {table['content']} px in {table['width']} px")
    return problems


def _page(tmp_path, frame: pd.DataFrame) -> str:
    body = tidy_tables(frame.to_html(index=False, border=0))
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><head><meta name='viewport' content='width=device-width, initial-scale=1'>"
                    f"<style>{REPORT_CSS}</style></head><body><main>{body}</main></body></html>", encoding="utf-8")
    return path


WIDE = pd.DataFrame({
    "Neighbourhood": ["Tower Hamlets 012A", "Hackney 034B"], "Clients": [12_345, 45],
    "Residents": [1_845_000, 1_622_000], "Clients per 1,000 residents": [66.7, 27.7],
    "Share of clients": ["12.5%", "0.4%"], "Share of residents": ["10.1%", "0.3%"],
    "Contact": ["***@inbox.example.net", "***@charity-mail.example.org"],
    "What is wrong": ["a date that does not exist", "an email with no @"],
})


def test_a_wide_table_reads_as_labelled_cards_on_a_phone(browser, tmp_path):
    page, _, _ = open_offline(browser, _page(tmp_path, WIDE), viewport=PHONE["viewport"])
    assert hidden_tables(page) == []
    tables = page.evaluate(MEASURE_TABLES)
    assert tables[0]["labelled"] == 16
    # The finding's column is on the screen, labelled with its name.
    assert "What is wrong" in page.inner_text("main") or page.locator("td[data-label='What is wrong']").count() == 2
    page.context.close()


def test_the_same_table_is_a_table_on_a_wide_screen(browser, tmp_path):
    page, _, _ = open_offline(browser, _page(tmp_path, WIDE), viewport={"width": 1280, "height": 900})
    display = page.evaluate("() => getComputedStyle(document.querySelector('tbody tr')).display")
    assert display == "table-row"
    page.context.close()


def test_the_check_catches_a_table_that_runs_off_a_phone(browser, tmp_path):
    # Without the cards rule (the class taken away), the same table scrolls with no cue.
    path = _page(tmp_path, WIDE)
    head, body = path.read_text().split("</style>")
    path.write_text(head + "</style>" + body.replace("cards-on-phone", "plain"), encoding="utf-8")
    page, _, _ = open_offline(browser, path, viewport=PHONE["viewport"])
    assert hidden_tables(page)
    page.context.close()


def test_three_columns_stay_a_table(tmp_path):
    html = tidy_tables(WIDE.iloc[:, :3].to_html(index=False, border=0))
    assert "cards-on-phone" not in html and "data-label" not in html


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_no_table_of_a_demo_report_hides_a_column_on_a_390_px_phone(name, browser, demo_bundles):
    page, _, _ = open_offline(browser, demo_bundles[name] / "report.html", viewport=PHONE["viewport"],
                              device_scale_factor=PHONE["device_scale_factor"])
    assert hidden_tables(page) == []
    page.context.close()
