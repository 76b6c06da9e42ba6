"""Hostile files and arguments (issue 10): text is never markup, a cell is never a formula.

Each playbook runs for real (``python -m helpers run``) on a small file built here from its
sample data, with script, ``on*`` handlers, ``javascript:`` links and Markdown/HTML planted in
everything the charity or the volunteer controls: the charity's name, the file's name, the
sheet's name, column headers, cell values and column names given with ``-p``. The report is
then opened in headless Chromium: no dialog may fire and no element may carry an ``on*``
handler, a ``javascript:`` URL or a ``<script>``. Every workbook and CSV the run wrote is
read back: no formula cell, no CSV field a spreadsheet would run.

Issue 21, no link from data ever: the same places (and an ONS4 item header, a food bank's
name in a network, a parcel item, a bare address in an earlier bundle's summary.json on
``rerun``) hold Markdown links, autolinks, protocol-relative ``//host`` links and bare
addresses. The report (and its PDF) must hold no link but those to a place on the page.
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

#: Links of every kind a charity's text could hold; none may become a link in a report or PDF.
LINKS = ("[Donate here](https://evil.example/donate) <https://evil.example/auto> [p](//evil.example/pr) "
         "https://evil.example/bare www.evil.example")
CHARITY = f"Friends <script>alert('charity')</script> [x](javascript:alert('charity-link')) **Club** {LINKS}"
FILE_STEM = "list<img src=x onerror=alert('file')>"
SHEET = "<img src=x onerror=alert(9)>"
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "+1+1", "@SUM(1,1)", "-2+3"]


def hostile(label: str) -> str:
    """A header that is a real column name and also every kind of markup."""
    return (f"{label}<img src=x onerror=alert('{label}')>"
            f"<a href=\"javascript:alert('{label}')\">x</a>[y](javascript:alert(1))"
            f"[give](https://evil.example/{label.replace(' ', '-')})")


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
def _surgery_day(folder: Path) -> tuple[Path, list[str]]:
    from helpers.synthetic.surgery_day import make_requests, make_volunteers

    requests, _ = make_requests()
    requests.loc[requests.index[::4], "Organisation"] = [
        f"{hostile('Org')} {n}" for n in range(len(requests.index[::4]))]
    _plant_values(requests, "Describe your data challenge", every=3)
    path = folder / f"{FILE_STEM}.csv"
    requests.to_csv(path, index=False)
    volunteers = make_volunteers()
    volunteers.loc[0, "Name"] = "<script>alert('volunteer')</script>"
    signups = folder / "volunteers.csv"
    volunteers.to_csv(signups, index=False)
    return path, ["-p", "volunteers", str(signups)]


def _match_to_crm(folder: Path) -> tuple[Path, list[str]]:
    from helpers.synthetic.crm import make_crm_and_signups

    crm, signups, _ = make_crm_and_signups(200, 80, seed=3)
    consent = hostile("Email consent")
    crm = crm.rename(columns={"Email consent": consent})
    _plant_values(crm, "Town", every=5)
    _plant_values(signups, "Email address", every=7)
    existing = folder / "crm export.csv"
    crm.to_csv(existing, index=False)
    path = folder / f"{FILE_STEM}.csv"
    signups.to_csv(path, index=False)
    return path, ["-p", "existing", str(existing)]


#: What each report must show as visible text: the planted headers that it names.
SHOWN = {
    "health-check": ["onerror=alert('Borough')", "onerror=alert('Email')", "onerror=alert(9)"],
    "deduplicate-contacts": ["onerror=alert('Town')"],
    "impact-measurement": ["onerror=alert('Service')", "<script>alert('group')</script>"],
    "food-bank-demand": ["onerror=alert('Visit date')"],
    "our-year-in-numbers": ["<script>alert('service')</script>"],
    "what-people-tell-us": ["<script>alert('service')</script>"],
    "plan-a-surgery-day": ["onerror=alert('Org')"],
    "match-to-crm": ["onerror=alert('Email consent')"],
}

BUILDERS = {
    "health-check": _health_check,
    "deduplicate-contacts": _contacts,
    "impact-measurement": _impact,
    "food-bank-demand": _food_bank,
    "our-year-in-numbers": _our_year,
    "what-people-tell-us": _survey,
    "plan-a-surgery-day": _surgery_day,
    "match-to-crm": _match_to_crm,
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


# --- issue 21: no link from data, ever ---------------------------------------------------------

LINK = "[Give now](https://evil.example/{0}) //evil.example/{0}"


def _ons4(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_csv(DATASETS / "outcomes_ons4.csv", dtype=str)
    frame = frame.rename(columns={c: c.replace("Happy yesterday", f"Happy yesterday {LINK.format('ons4')}")
                                  for c in frame.columns})
    path = folder / "ons4.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "scale", "ons4"]


def _network(folder: Path) -> tuple[Path, list[str]]:
    frame = pd.read_csv(DATASETS / "foodbank-network.csv", dtype=str)
    first = frame["Food bank"].iloc[0]
    frame["Food bank"] = frame["Food bank"].replace(first, f"{first} {LINK.format('site')}")
    path = folder / "network.csv"
    frame.to_csv(path, index=False)
    return path, ["-p", "site_column", "Food bank", "-p", "count_column", "Parcels"]


def _parcels(folder: Path) -> tuple[Path, list[str]]:
    contents = pd.read_csv(DATASETS / "parcel-contents.csv", dtype=str)
    stock = pd.read_csv(DATASETS / "foodbank-stock.csv", dtype=str)
    item = f"Soup {LINK.format('item')}"
    contents["Item"] = contents["Item"].replace("Soup", item)
    stock["Item"] = stock["Item"].str.replace("^soup$", item, case=False, regex=True)
    contents.to_csv(folder / "contents.csv", index=False)
    stock.to_csv(folder / "stock.csv", index=False)
    return DATASETS / "foodbank-visits.csv", ["-p", "parcel_contents_file", folder / "contents.csv",
                                              "-p", "stock_on_hand_file", folder / "stock.csv"]


LINK_BUILDERS = {
    "impact-measurement": _ons4,
    "food-bank-demand": _network,
    "food-bank-demand ": _parcels,  # the trailing space keeps the two food-bank runs apart
}


@pytest.fixture(scope="module")
def link_runs(tmp_path_factory, hostile_runs):
    """Runs whose only hostile text is links: label -> (completed process, bundle). With a PDF
    where Chromium is; and a ``rerun`` of the health check whose earlier summary.json was edited."""
    from conftest import run_surgery

    pdf = ["--pdf"] if find_chromium() else []
    runs = {}
    for label, build in LINK_BUILDERS.items():
        folder = tmp_path_factory.mktemp("links")
        data, extra = build(folder)
        bundle = folder / "bundle"
        runs[label] = (run_surgery("run", label.strip(), "--data", data, "--charity", CHARITY, "--out", bundle,
                                   "--no-progress", *pdf, *map(str, extra)), bundle)
    # Rerun: an earlier bundle's summary.json holds a bare address, a Markdown link and an autolink
    # in the date the comparison names (nbconvert's Markdown made the bare address a link).
    result, earlier = hostile_runs["health-check"]
    summary = json.loads((earlier / "summary.json").read_text(encoding="utf-8"))
    summary["provenance"]["run_date"] = ("2026-01-05 https://evil.example/rerun [x](//evil.example/rerun-md) "
                                         "<https://evil.example/auto>")
    (earlier / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    folder = tmp_path_factory.mktemp("rerun")
    data = next(earlier.parent.glob(f"{FILE_STEM}.xlsx"))
    runs["rerun"] = (run_surgery("rerun", earlier, "--data", data, "--out", folder / "bundle", "--no-progress",
                                 *pdf), folder / "bundle")
    return runs


#: Every link on the page that does not lead to a place on the same page.
FIND_FOREIGN_LINKS = """() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
  .map(el => el.getAttribute('href') || el.getAttribute('action') || el.getAttribute('formaction')
             || (el.tagName === 'IMG' || el.tagName === 'SOURCE' ? '' : el.getAttribute('src')) || '')
  .filter(target => target && !target.startsWith('#') && !target.startsWith('data:image/png'))"""


def _open_report(bundle: Path):
    chromium, sync_playwright = _browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto((bundle / "report.html").as_uri(), wait_until="load")
            return page.evaluate(FIND_FOREIGN_LINKS), page.inner_text("body")
        finally:
            browser.close()


def _pdf_links(path: Path) -> list[str]:
    from pypdf import PdfReader

    found = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/URI"):
                found.append(str(action["/URI"]))
    return found


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_link_from_the_charity_s_name_headers_or_cells(hostile_runs, name):
    result, bundle = hostile_runs[name]
    assert result.returncode == 0, result.stderr[-3000:]
    links, text = _open_report(bundle)
    assert links == []
    assert "Donate here" in text and "evil.example" in text  # the planted links reached the page, as text


@pytest.mark.parametrize("label", [*LINK_BUILDERS, "rerun"])
def test_no_link_from_an_item_a_site_a_parcel_item_or_an_earlier_bundle(link_runs, label):
    result, bundle = link_runs[label]
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    links, text = _open_report(bundle)
    assert links == []
    # The planted text reached the page as text (the ONS4 report names its four measures in the
    # scale's own words, so only the charity's name carries links there).
    shown = {"impact-measurement": "evil.example/donate", "food-bank-demand": "evil.example/site",
             "food-bank-demand ": "evil.example/item", "rerun": "evil.example/rerun"}[label]
    assert shown in text, text[:3000]
    page = (bundle / "report.html").read_text(encoding="utf-8")
    assert 'href="https://evil' not in page and 'href="//' not in page
    if (bundle / "report.pdf").exists():
        assert _pdf_links(bundle / "report.pdf") == []
