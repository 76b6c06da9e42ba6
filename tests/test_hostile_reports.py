"""Hostile files and arguments (issue 10): text is never markup, a cell is never a formula.

Each playbook runs for real (``python -m helpers run``) on a small file built here from its
sample data, with script, ``on*`` handlers, ``javascript:`` links and Markdown/HTML planted in
everything the charity or the volunteer controls: the charity's name, the file's name, the
sheet's name, column headers, cell values and column names given with ``-p``. The report is
then opened in headless Chromium: no dialog may fire and no element may carry an ``on*``
handler, a ``javascript:`` URL or a ``<script>``. Every workbook and CSV the run wrote is
read back: no formula cell, no CSV field a spreadsheet would run.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from helpers.spine.pdf import find_chromium
from helpers.writing.workbooks import FORMULA_STARTS

pytestmark = pytest.mark.slow

KIT_ROOT = Path(__file__).resolve().parent.parent
DATASETS = KIT_ROOT / "datasets"

CHARITY = "Friends <script>alert('charity')</script> [x](javascript:alert('charity-link')) **Club**"
FILE_STEM = "list<img src=x onerror=alert('file')>"
SHEET = "<img src=x onerror=alert(9)>"
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "+1+1", "@SUM(1,1)", "-2+3"]


def hostile(label: str) -> str:
    """A header that is a real column name and also every kind of markup."""
    return (f"{label}<img src=x onerror=alert('{label}')>"
            f"<a href=\"javascript:alert('{label}')\">x</a>[y](javascript:alert(1))")


def _plant_values(frame: pd.DataFrame, column: str, every: int = 7) -> None:
    values = frame[column].astype("object")
    for position in range(0, len(frame), every):
        values.iloc[position] = FORMULAS[(position // every) % len(FORMULAS)]
    values.iloc[1] = "<script>alert('cell')</script>"
    values.iloc[2] = "<svg onload=alert('cell-svg')>"
    frame[column] = values


def _health_check(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_excel(DATASETS / "register.xlsx", sheet_name="Clients", header=3).head(80)
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed")]]
    town, email = hostile("Borough"), hostile("Email")
    frame = frame.rename(columns={"Borough": town, "Email": email, "Notes": "=Notes"})
    _plant_values(frame, "=Notes", every=3)
    frame.loc[frame.index[5], town] = frame.loc[frame.index[5], town].upper()  # several spellings
    path = folder / f"{FILE_STEM}.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            value = None if pd.isna(value) else value
            cells.append(value.to_pydatetime() if isinstance(value, pd.Timestamp) else value)
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # the charity's file holds text, not formulas
    workbook.save(path)
    return path, ["--sheet", SHEET, "-p", "email_column", email]


def _contacts(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_csv(DATASETS / "contacts.csv", dtype=str).head(300)
    town = hostile("Town")
    frame = frame.rename(columns={"Town": town})
    _plant_values(frame, "Contact ID", every=11)
    _plant_values(frame, town, every=5)
    frame["Contact ID"] = [f"{v}#{i}" if str(v).startswith(tuple("=+-@<")) else v
                           for i, v in enumerate(frame["Contact ID"])]  # ids stay unique
    path = folder / f"{FILE_STEM}.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "town_column", town]


def _impact(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_csv(DATASETS / "outcomes.csv", dtype=str)
    service = hostile("Service")
    frame = frame.rename(columns={"Service": service})
    frame.loc[frame.index[::2], service] = "<script>alert('group')</script>"
    _plant_values(frame, "Notes", every=3)
    path = folder / f"{FILE_STEM}.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "group_column", service]


def _food_bank(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_csv(DATASETS / "foodbank-visits.csv", dtype=str)
    date, partner = hostile("Visit date"), hostile("Referral partner")
    frame = frame.rename(columns={"Visit date": date, "Referral partner": partner})
    _plant_values(frame, partner, every=13)
    _plant_values(frame, "Notes", every=5)
    path = folder / f"{FILE_STEM}.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "date_column", date]


def _our_year(folder: Path) -> tuple[Path, list[str]]:
    from helpers.synthetic.activity import make_log

    frame = make_log(120, seed=3)
    service = hostile("Service")
    frame = frame.rename(columns={"Service": service})
    frame.loc[frame.index[::3], service] = "<script>alert('service')</script>"
    _plant_values(frame, "Ethnicity", every=2)
    path = folder / f"{FILE_STEM}.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "group_column", service]


def _survey(folder: Path) -> tuple[Path, list[str]]:
    from helpers.synthetic.survey import LIKE_MOST, make_survey

    frame = make_survey(120, seed=3).drop(columns=["_theme_like", "_theme_better"])
    service = hostile("Service")
    frame = frame.rename(columns={"Service": service})
    frame.loc[frame.index[::3], service] = "<script>alert('service')</script>"
    _plant_values(frame, LIKE_MOST, every=5)
    path = folder / f"{FILE_STEM}.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "group_column", service]


#: What each report must show as visible text: the planted headers that it names.
SHOWN = {
    "health-check": ["onerror=alert('Borough')", "onerror=alert('Email')", "onerror=alert(9)"],
    "deduplicate-contacts": ["onerror=alert('Town')"],
    "impact-measurement": ["onerror=alert('Service')", "<script>alert('group')</script>"],
    "food-bank-demand": ["onerror=alert('Visit date')"],
    "our-year-in-numbers": ["<script>alert('service')</script>"],
    "what-people-tell-us": ["<script>alert('service')</script>"],
}

BUILDERS = {
    "health-check": _health_check,
    "deduplicate-contacts": _contacts,
    "impact-measurement": _impact,
    "food-bank-demand": _food_bank,
    "our-year-in-numbers": _our_year,
    "what-people-tell-us": _survey,
}


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory):
    """Each playbook run once on its hostile file; name -> (completed process, bundle)."""
    from conftest import run_surgery

    runs = {}
    for name, build in BUILDERS.items():
        folder = tmp_path_factory.mktemp(name)
        data, extra = build(folder)
        bundle = folder / "bundle"
        result = run_surgery("run", name, "--data", data, "--charity", CHARITY, "--out", bundle,
                             "--no-progress", *extra)
        runs[name] = (result, bundle)
    return runs


@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_hostile_run_finishes_and_shows_the_text_as_text(hostile_runs, name):
    result, bundle = hostile_runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    page = (bundle / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;charity&#x27;)&lt;/script&gt;" in page or \
        "&lt;script&gt;alert('charity')&lt;/script&gt;" in page  # the charity's name, as text


def _browser():
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed for the hostile-report test: install it (apt-get install chromium).")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    return chromium, sync_playwright


#: Every element carrying an event handler, a javascript: URL, or a script.
FIND_ACTIVE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.toLowerCase().startsWith('on') || value.startsWith('javascript:')
          || value.startsWith('vbscript:') || (value.startsWith('data:text/html'))) {
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
      }
    }
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push(el.tagName);
  }
  return found;
}"""


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_script_runs_and_no_element_carries_a_handler(hostile_runs, name):
    result, bundle = hostile_runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    chromium, sync_playwright = _browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto((bundle / "report.html").as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # an onerror or onload handler would have fired by now
            active = page.evaluate(FIND_ACTIVE)
            text = page.inner_text("body")
        finally:
            browser.close()
    assert dialogs == []
    assert active == []
    # The planted text reached the page, as text (else the test proves nothing).
    for planted in [*SHOWN[name], "<script>alert('charity')</script>", "onerror=alert('file')"]:
        assert planted in text


def _formula_cells(path: Path) -> list[str]:
    workbook = load_workbook(path)  # not read-only: data_type is exact here
    return [f"{sheet.title}!{cell.coordinate}={cell.value!r}" for sheet in workbook.worksheets
            for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def _formula_fields(path: Path) -> list[str]:
    found = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            for field in row:
                if field.startswith(FORMULA_STARTS):
                    try:
                        float(field)  # a negative number is a number, not a formula
                    except ValueError:
                        found.append(f"row {number}: {field!r}")
    return found


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_output_workbook_or_csv_holds_a_formula(hostile_runs, name):
    result, bundle = hostile_runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    problems = {}
    for path in sorted(bundle.rglob("*")):
        if path.suffix == ".xlsx":
            cells = _formula_cells(path)
        elif path.suffix == ".csv":
            cells = _formula_fields(path)
        else:
            continue
        if cells:
            problems[path.name] = cells[:5] + ([f"... {len(cells)} in all"] if len(cells) > 5 else [])
    assert problems == {}, json.dumps(problems, indent=1)
