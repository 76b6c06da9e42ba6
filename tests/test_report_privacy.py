"""No personal value from a charity's file reaches the charity's copy of a report.

Each playbook is run once more on a copy of its sample data in which every personal
cell (names, emails, phones, postcodes, dates of birth, addresses, notes; found from
the headers with :func:`helpers.reading.roles.guess_role` plus free-text columns) holds a
marker: a fake value that keeps the original's shape but cannot occur by chance (see
:mod:`support.markers`). None of the markers may appear in ``report.html``,
``report.pdf`` or ``summary.json``, in any usual written form (upper or lower case,
phones as +44 or 0..., postcodes with or without the space, dates as ISO or
dd/mm/yyyy...). Masked values ("J***", "07*******23", "E8 ***") are not markers.

Two controls keep the test honest: no marker occurs in the original sample (so a
find can only be a leak), and every marker is found in the marked copy (so the
search would see a leak).

Where Chromium is installed the run prints ``report.pdf`` too, and the test fails if
it is missing. Without Chromium the HTML and JSON are still checked, then the test is
skipped (reason in the summary) for the PDF it could not check; under CI it fails.
"""

from __future__ import annotations

import json

import pytest

from helpers.spine.bundle import file_sha256
from helpers.spine.catalogue import list_playbooks
from helpers.reading.loader import load_table
from support.ci import missing_tool
from support.markers import find_markers, output_text, plant_markers_in_file
from helpers.spine.pdf import find_chromium
from helpers.writing.playbook import DATASETS_DIR
from helpers.spine.runner import default_data_file

PLAYBOOKS = list_playbooks()
#: Other bundled samples a playbook is meant for, checked as well as its default one.
EXTRA_SAMPLES = {"health-check": ["register-cp1252.csv"],
                 "impact-measurement": ["outcomes_ons4.csv", "outcomes_mycaw.csv"]}
#: Parameters a sample needs (its scale); the free-text MYCaW concerns are among the planted columns.
SAMPLE_PARAMETERS = {"outcomes_ons4.csv": ("-p", "scale", "ons4"), "outcomes_mycaw.csv": ("-p", "scale", "mycaw")}
CASES = [(p, default_data_file(p)) for p in PLAYBOOKS] + [
    (p, DATASETS_DIR / name) for p in PLAYBOOKS for name in EXTRA_SAMPLES.get(p.name, [])
]
IDS = [f"{p.name}-{sample.name}" for p, sample in CASES]

#: The files of a bundle the charity keeps that must carry no personal data.
CHARITY_COPY = ("report.html", "report.pdf", "summary.json")


@pytest.mark.slow
@pytest.mark.parametrize("playbook, sample", CASES, ids=IDS)
def test_no_planted_personal_value_reaches_the_charity_copy(playbook, sample, tmp_path, surgery):
    fingerprint = file_sha256(sample)
    marked = tmp_path / "input" / sample.name  # same name and format as the sample
    markers = plant_markers_in_file(sample, marked)
    assert file_sha256(sample) == fingerprint, "the sample data was changed"
    # Every sample carries the personal columns a real export of its kind has, so the check always bites.
    assert markers.cells, f"{sample.name} has no personal column to plant markers in: add one to its generator"

    assert find_markers(output_text(sample), markers) == [], "a marker occurs in the original sample"
    assert len(find_markers(output_text(marked), markers)) == len(markers), "the search misses planted markers"

    out = tmp_path / "bundle"
    chromium = find_chromium()
    pdf = ("--pdf",) if chromium else ()
    result = surgery("run", playbook.name, "--data", marked, "--out", out, "--no-progress",
                     "--charity", "Sample Community Charity", *pdf, *SAMPLE_PARAMETERS.get(sample.name, ()))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["rows"] == len(load_table(marked, summary["input"]["sheet"]).frame)

    expected = [name for name in CHARITY_COPY if chromium or name != "report.pdf"]
    assert [name for name in expected if not (out / name).is_file()] == [], "a file of the charity's copy is missing"
    leaks = {
        name: found for name in expected
        if (found := find_markers(output_text(out / name), markers))
    }
    assert leaks == {}, (
        f"personal values from columns {sorted(markers.columns)} reached the charity's copy: "
        + "; ".join(f"{name}: {', '.join(found[:10])}{' ...' if len(found) > 10 else ''}"
                    for name, found in leaks.items())
    )
    if not chromium:
        missing_tool("Chromium is not installed, so report.pdf was not printed or checked for personal values "
                     "(report.html and summary.json were)")
