"""Every chart of every demo report, drawn for the page and for a phone, can be read where it is shown.

``show_chart`` records, in each output's metadata, how wide each drawing is shown, its
smallest text, and any labels written over each other; a chart function marked
``@drawn_for_phones`` gets a second drawing laid out for a 330 px phone screen.
"""

from __future__ import annotations

import json

import pytest
from support.charts import drawn_problems

from helpers.spine.catalogue import list_playbooks

IDS = [p.name for p in list_playbooks()]


def _charts(notebook: dict) -> list[dict]:
    return [output for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_every_chart_reads_on_the_page_and_on_a_phone(name, demo_bundles):
    charts = _charts(json.loads((demo_bundles[name] / "notebook.ipynb").read_text(encoding="utf-8")))
    assert charts, "every playbook's report has at least one chart"
    problems = {output["metadata"]["image/png"]["alt"][:60]: drawn_problems(output["metadata"])
                for output in charts}
    assert {alt: found for alt, found in problems.items() if found} == {}


def test_drawn_problems_names_a_missing_phone_drawing_small_text_a_collision_and_a_shrunk_chart():
    page = {"width": 1200, "min_text_px": 11.0, "overlapping_text": ["'2023' / 'Forecast'"]}
    assert drawn_problems({"image/png": page}) == [
        "no phone drawing: mark the chart function with @drawn_for_phones",
        "page: 1200 px wide, more than the 1000 px it is shown at",
        "page: text of 11.0 px, under 12 px",
        "page: labels collide: '2023' / 'Forecast'",
    ]
    fine = {"width": 330, "min_text_px": 12.2, "overlapping_text": []}
    assert drawn_problems({"image/png": fine, "image/vnd.data-surgery.phone+png": fine}) == []
    assert drawn_problems({"image/png": fine, "image/vnd.data-surgery.phone+png": {**fine, "width": 331}}) == [
        "phone: 331 px wide, more than the 330 px it is shown at"]
