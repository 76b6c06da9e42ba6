"""One page for the board (issue 28): summary.html and a one-page summary.pdf, cut from the report itself."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from helpers.spine.board_page import board_page_html, pdf_pages
from helpers.spine.catalogue import list_playbooks
from test_outside_files import figure_matches, summary_numbers

REPORT = """<html><head><title>How many parcels?</title></head><body>
<header class="report-banner"><p class="report-charity">Hackney Pantry</p><h1>How many parcels?</h1></header>
<main><section class="main-points"><h2>Main points</h2><div class="headline-figures">
<div class="headline-figure"><span class="figure-value">1,945</span><span class="figure-label">parcels</span></div></div>
<ul><li>Plan for about 1,945 parcels.</li></ul></section>
<h2>Your weekly numbers</h2><figure class="chart"><img alt="History" src="data:image/png;base64,AA=="></figure>
<h2>The forecast</h2><figure class="chart" data-main-finding><img alt="Forecast" src="data:image/png;base64,AA=="></figure>
<h2>What to stock</h2><p>A table of tins.</p>
<h2>What this analysis cannot tell you</h2><ul><li>A forecast only knows the past.</li><li>Ranges are normal ups and downs.</li>
<li>A third limit.</li></ul><h2>What to do next</h2><ul><li>Order tins.</li></ul></main></body></html>"""


def test_the_board_page_keeps_the_main_points_the_marked_chart_and_two_limits():
    page = BeautifulSoup(board_page_html(REPORT), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "Hackney Pantry" in text and "How many parcels?" in text and "Plan for about 1,945 parcels." in text
    assert [img["alt"] for img in page.find_all("img")] == ["Forecast"]
    assert "A forecast only knows the past." in text and "Ranges are normal ups and downs." in text
    assert "A third limit." not in text and "Order tins." not in text and "A table of tins." not in text
    assert "report.html" in text


def test_without_a_marked_chart_the_board_page_shows_the_first():
    page = BeautifulSoup(board_page_html(REPORT.replace(" data-main-finding", "")), "html.parser")
    assert [img["alt"] for img in page.find_all("img")] == ["History"]


def test_pages_are_counted_without_a_pdf_library(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(tmp_path / "three.pdf")
    assert pdf_pages(tmp_path / "three.pdf") == 3


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in list_playbooks()])
def test_every_demo_run_writes_a_one_page_summary_carrying_its_main_points(name, demo_bundles):
    pypdf = pytest.importorskip("pypdf")
    bundle = demo_bundles[name]
    assert (bundle / "summary.html").exists()
    pages = pypdf.PdfReader(bundle / "summary.pdf").pages
    assert len(pages) == 1
    text = " ".join(pages[0].extract_text().split())
    report = BeautifulSoup((bundle / "report.html").read_text(encoding="utf-8"), "html.parser")
    numbers = summary_numbers(json.loads((bundle / "summary.json").read_text(encoding="utf-8")))
    for figure in report.select("section.main-points .figure-value"):
        shown = " ".join(figure.get_text(" ").split())
        assert shown in text, f"{shown!r} is not on the board page"
    for figure in BeautifulSoup((bundle / "summary.html").read_text(encoding="utf-8"), "html.parser").select(
            ".figure-value"):
        value = figure.get_text(" ", strip=True).split(" ")[0]
        if value[:1].isdigit():
            assert figure_matches(value, numbers), f"{value} is not a summary.json figure"
