"""Charts to take away (issue 28): each report chart as a PNG and an SVG, signed with source and charity."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup

from helpers.spine.catalogue import list_playbooks
from helpers.writing.chart_export import README, export_chart, short_name
from helpers.writing.chart_style import new_chart
from helpers.writing.charts import chart_titles, png_width


def _chart(title="Visits rose in winter", source="Source: the food bank's visit log"):
    fig, ax = new_chart()
    ax.bar(["Jan", "Feb"], [3, 5])
    chart_titles(ax, title, "Visits a month", source=source)
    return fig


def test_an_exported_chart_carries_its_source_and_the_charity_and_the_figure_is_left_as_it_was(tmp_path):
    fig = _chart()
    before = fig._supxlabel.get_text()
    png = export_chart(fig, "Two bars: 3 visits in January, 5 in February.", tmp_path, charity="Hackney Pantry")
    svg = png.with_suffix(".svg").read_text(encoding="utf-8")
    assert "Hackney Pantry" in svg and "visit log" in svg
    assert fig._supxlabel.get_text() == before  # the report's own drawing is not signed twice
    assert png_width(png.read_bytes()) > 1000  # drawn at twice its shown size
    assert "Two bars: 3 visits in January" in (tmp_path / README).read_text(encoding="utf-8")
    plt.close(fig)


def test_a_chart_without_a_source_line_still_names_the_charity(tmp_path):
    fig = _chart(source=None)
    png = export_chart(fig, "Two bars.", tmp_path, charity="Hackney Pantry")
    assert "Hackney Pantry" in png.with_suffix(".svg").read_text(encoding="utf-8")
    assert not any("Hackney" in text.get_text() for text in fig.texts)
    plt.close(fig)


def test_charts_are_numbered_in_the_order_shown(tmp_path):
    names = []
    for title in ("First finding", "Second finding"):
        fig = _chart(title)
        names.append(export_chart(fig, "A chart.", tmp_path, charity="").name)
        plt.close(fig)
    assert names == ["01-first-finding.png", "02-second-finding.png"]


def test_a_charity_name_with_markup_is_text_in_the_svg(tmp_path):
    fig = _chart()
    svg = export_chart(fig, "A chart.", tmp_path, charity="<script>alert(1)</script> & Co").with_suffix(".svg")
    text = svg.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    plt.close(fig)


@pytest.mark.parametrize("title,name", [
    ("Café visits: 1,204 in 2025!", "cafe-visits-1-204-in-2025"),
    ("   ", "chart"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_short_names_are_safe_file_names(title, name):
    assert short_name(title) == name


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in list_playbooks()])
def test_every_chart_of_a_demo_report_is_in_its_charts_folder(name, demo_bundles):
    bundle = demo_bundles[name]
    shown = BeautifulSoup((bundle / "report.html").read_text(encoding="utf-8"), "html.parser").select("main img")
    pngs = sorted((bundle / "charts").glob("*.png"))
    assert len(pngs) == len(shown) > 0
    assert all(png.with_suffix(".svg").exists() for png in pngs)
    readme = (bundle / "charts" / README).read_text(encoding="utf-8")
    for image in shown:
        assert " ".join(image["alt"].split()) in readme
    assert "charts folder" in (bundle / "report.html").read_text(encoding="utf-8")
