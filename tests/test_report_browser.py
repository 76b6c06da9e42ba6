"""Every playbook's report.html as a trustee opens it: in a real browser, offline.

Each report made by ``surgery demo`` from the sample data is opened in headless
Chromium (the system browser: Playwright's own download does not work offline).
The page must load without reaching for the network and without a console error;
the headline figures of ``summary.json`` must be there as visible text; every chart
must be drawn, not blank. A full-page screenshot of each report is saved in
``test-artifacts/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.spine.pdf import find_chromium
from helpers.writing.language import LANGUAGES, kit_text

PLAYBOOKS = list_playbooks()
IDS = [p.name for p in PLAYBOOKS]
KIT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = KIT_ROOT / "test-artifacts"

#: The switches the kit's browser checks use: no sandbox (containers), no GPU, and
#: nothing that phones home at start-up.
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]

#: Headline figures per playbook: the summary.json keys (``a.b`` for a nested one) a
#: trustee must find in the report's text: the counts that say how much data there was,
#: and the results the report is about. A playbook not listed here (health-check, which
#: names its own in summary["headline"], and any new one) gets :func:`default_headline_keys`.
HEADLINE_KEYS: dict[str, tuple[str, ...]] = {
    "deduplicate-contacts": ("records", "clusters", "records_in_clusters", "surplus_records",
                             "estimated_duplicate_rate", "threshold", "pairs_at_or_above_threshold"),
    "food-bank-demand": ("history_weeks", "missing_weeks", "horizon_weeks", "forecast_total.central"),
    "our-year-in-numbers": ("headline.people", "headline.attendances", "headline.sessions", "headline.new_people"),
    "what-people-tell-us": ("responses", "comments", "redacted"),
    "plan-a-surgery-day": ("requests", "matched", "unmatched"),
    "match-to-crm": ("new_list_records", "already_in_crm", "new", "changed_details", "to_review"),
    "impact-measurement": ("n_pairs", "n_before_only", "mean_before", "mean_after", "mean_change",
                           "ci95_low", "ci95_high", "improved", "no_change", "worse", "dropout_rate"),
}

#: Integer keys that count things (rows, records, pairs, weeks...), always headline.
COUNT_KEY = re.compile(r"^(?:rows|records|people|pairs|n_\w+|\w+_(?:rows|records|pairs|weeks|count|people))$")

# Measures each <img> by drawing it onto a canvas: loaded, shown, and not one flat colour.
MEASURE_IMAGES = """() => Array.from(document.querySelectorAll('main img')).map(img => {
  const box = img.getBoundingClientRect();
  const result = {alt: img.alt, complete: img.complete, width: img.naturalWidth,
                  height: img.naturalHeight, shownWidth: box.width, shownHeight: box.height,
                  colours: 0, spread: 0};
  if (!img.complete || !img.naturalWidth) return result;
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  let n = 0, sum = 0, squares = 0;
  for (let i = 0; i < data.length; i += 4) {
    const grey = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    n += 1; sum += grey; squares += grey * grey;
    if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  result.colours = colours.size;
  result.spread = Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
  return result;
})"""


#: Headings and labels of the volunteer's lesson, which the charity's report never shows.
LESSON_WORDS = ("Objectives", "Key points", "Time in a session", "Who it is for", "Questions",
                "How to use this notebook", "Notes for the facilitator", "Facilitator notes", "Exercise")
#: Jargon that belongs under "For analysts" only (issue 11), each with the pattern that finds it.
TECHNICAL_TERMS = {
    "MASE": r"\bMASE\b", "MSTL": r"\bMSTL\b", "AutoETS": r"\bAuto(?:ETS|ARIMA|Theta)\b", "d_z": r"\bd_(?:z|av)\b",
    "Cohen's d": r"\bCohen[’']?s d\b", "Cronbach's alpha": r"\bCronbach", "splink": r"\bsplink\b",
    "bits": r"\bbits\b", "p-value": r"\bp[- ]values?\b", "t-test": r"\bt-tests?\b", "Wilcoxon": r"\bWilcoxon\b",
    "normal approximation": r"normal approximation", "continuity correction": r"continuity correction",
    "match weight": r"\bmatch weights?\b", "Jaro-Winkler": r"\bJaro", "Bayes factor": r"\bBayes factors?\b",
    "Fellegi-Sunter": r"\bFellegi", "(t) interval": r"interval \(t\)",
}
#: Python values written as code would show them.
#: "None" and "True" are English too ("None of the time"): only as a value, not followed by a lower-case word.
PYTHON_REPRS = re.compile(r"\b(?:None|True|False)\b(?!\s+[a-z])|\b(?:NaN|nan|NaT)\b|PosixPath\(|Timestamp\(|\{'|\['\w")
#: The width of an A4 page's printed area in CSS pixels (210 mm less 2 × 15 mm margins, at 96 px per inch).
PRINT_WIDTH_PX = 180 / 25.4 * 96

# Reads what the report contract checks from a loaded page (see contract_problems).
READ_CONTRACT = """(names) => {
  const main = document.querySelector('main');
  const clean = element => element.textContent.replace(/¶/g, '').trim();
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'));
  const mainPoints = headings.find(h => names.mainPoints.includes(clean(h)));
  const analysts = Array.from(main.querySelectorAll('h2')).find(h => names.analysts.includes(clean(h)));
  const before = node => !analysts || (node.compareDocumentPosition(analysts) & Node.DOCUMENT_POSITION_FOLLOWING);
  const range = document.createRange();
  range.setStart(main, 0);
  if (analysts) range.setEndBefore(analysts); else range.setEnd(main, main.childNodes.length);
  return {
    mainPointsBottom: mainPoints ? mainPoints.getBoundingClientRect().bottom + window.scrollY : null,
    mainPointsBox: !!document.querySelector('section.main-points'),
    headings: headings.map(clean),
    body: range.toString(),
    codeBeforeAnalysts: Array.from(main.querySelectorAll('code')).filter(before).map(clean),
    pageText: document.body.innerText,
    charts: Array.from(document.querySelectorAll('main img')).map(img => ({
      alt: img.alt, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
      minText: img.dataset.minTextPx ? parseFloat(img.dataset.minTextPx) : null, width: img.getAttribute('width'),
      svg: img.src.startsWith('data:image/svg') || img.src.endsWith('.svg')})),
  };
}"""
#: The two headings the contract reads, in each language a report can be written in (issue 28: Welsh).
CONTRACT_HEADINGS = {key: sorted({kit_text(english, code) for code in LANGUAGES})
                     for key, english in (("mainPoints", "Main points"), ("analysts", "For analysts"))}
WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
# Reads each chart as the browser chose to show it: the phone drawing (a <picture>'s <source>) or the page one.
READ_SHOWN_CHARTS = """() => Array.from(document.querySelectorAll('main img')).map(img => {
  const source = img.parentElement.tagName === 'PICTURE' ? img.parentElement.querySelector('source') : null;
  const phone = !!source && img.currentSrc === source.srcset;
  const chosen = phone ? source : img;
  return {alt: img.alt, phone: phone, hasPhone: !!source, natural: img.naturalWidth,
          shown: img.getBoundingClientRect().width, width: chosen.getAttribute('width'),
          minText: chosen.dataset.minTextPx ? parseFloat(chosen.dataset.minTextPx) : null};
})"""
#: A phone as the report's checks hold it: 390 CSS pixels wide (an iPhone 12 to 15), three device pixels to one.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3}


def contract_problems(read: dict, parameter_names=()) -> list[str]:
    """What keeps a page (read at 1280×900 with :data:`READ_CONTRACT`) from the report contract."""
    problems = []
    if read["mainPointsBottom"] is None or not read["mainPointsBox"]:
        problems.append("there is no Main points box (section.main-points with its heading)")
    elif read["mainPointsBottom"] > 900:
        problems.append(f"the Main points heading ends {read['mainPointsBottom']:.0f} px down, below the first screen")
    lesson = [h for h in read["headings"] if any(h.casefold().startswith(w.casefold()) for w in LESSON_WORDS)]
    lesson += [w for w in ("Time in a session", "Who it is for") if w.casefold() in read["pageText"].casefold()]
    if lesson:
        problems.append(f"lesson material in the report: {lesson}")
    body = read["body"]
    jargon = [term for term, pattern in TECHNICAL_TERMS.items() if re.search(pattern, body)]
    if jargon:
        problems.append(f"technical terms before 'For analysts': {jargon}")
    names = [name for name in parameter_names if "_" in name and re.search(rf"\b{re.escape(name)}\b", body)]
    if names:
        problems.append(f"parameter names before 'For analysts': {names}")
    if read["codeBeforeAnalysts"]:
        problems.append(f"code font before 'For analysts': {read['codeBeforeAnalysts'][:5]}")
    reprs = sorted(set(PYTHON_REPRS.findall(body)))
    if reprs:
        problems.append(f"Python values before 'For analysts': {reprs}")
    blurry = [f"{chart['alt'][:40]!r}: drawn {chart['natural']} px, shown {chart['shown']:.0f} px"
              for chart in read["charts"] if not chart["svg"] and chart["natural"] < 1.5 * chart["shown"]]
    if blurry:
        problems.append(f"charts drawn at less than 1.5x their shown width: {blurry}")
    return problems


def small_chart_text(read: dict, minimum: float = 12.0) -> list[str]:
    """Charts whose smallest text, at the size the page shows the chart, is under ``minimum`` pixels.

    ``show_chart`` records the smallest text's size at the chart's own width (``data-min-text-px``);
    a chart shown narrower than that width scales its text down with it.
    """
    problems = []
    for chart in read["charts"]:
        if chart["minText"] and chart["width"]:
            shown = chart["minText"] * min(1.0, chart["shown"] / float(chart["width"]))
            if shown < minimum - 0.05:
                problems.append(f"{chart['alt'][:40]!r}: smallest text {shown:.1f} px as shown")
    return problems


def widths(browser, path: Path) -> dict[str, float]:
    """The page's width on a 390 px phone, and printed on A4 (print styles, the printed area's width)."""
    found = {}
    for name, width, media in (("phone", 390, "screen"), ("print", round(PRINT_WIDTH_PX), "print")):
        page, _, _ = open_offline(browser, path, viewport={"width": width, "height": 844})
        page.emulate_media(media=media)
        found[name] = page.evaluate(WIDTH)
        page.context.close()
    return found


def shown_charts(browser, path: Path, phone: bool) -> list[dict]:
    """Open a report on a 390 px phone or a 1280 px screen and read each chart as it is shown."""
    page, _, _ = open_offline(browser, path, **(PHONE if phone else {"viewport": {"width": 1280, "height": 900}}))
    try:
        return page.evaluate(READ_SHOWN_CHARTS)
    finally:
        page.context.close()


def read_contract(browser, path: Path, screenshot: Path | None = None) -> dict:
    """Open a report at 1280×900 (offline) and read what the contract checks; save the first screen."""
    page, _, _ = open_offline(browser, path, viewport={"width": 1280, "height": 900})
    try:
        if screenshot is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(screenshot))
        return page.evaluate(READ_CONTRACT, CONTRACT_HEADINGS)
    finally:
        page.context.close()


def written_forms(value) -> set[str]:
    """The ways a report may write a figure: 1234 -> "1234", "1,234"; 0.1234 -> "0.12", "12%".

    Whole numbers are written whole (with or without thousands commas). Other numbers
    may be rounded to 1-3 decimals (at least 2 below 1, so that 0.1234 is not just
    "0.1"); a share between -1 and 1 may also be a percentage with 0-2 decimals.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return set()
    if float(value).is_integer():
        whole = int(value)
        return {f"{whole}", f"{whole:,}"}
    places = (2, 3) if abs(value) < 1 else (1, 2, 3)
    forms = {f"{value:,.{p}f}" for p in places} | {f"{value:.{p}f}" for p in places}
    if abs(value) >= 10:
        forms |= {f"{value:,.0f}", f"{value:.0f}"}
    if abs(value) <= 1:
        forms |= {f"{value * 100:.{p}f}%" for p in (0, 1, 2)}
    return forms


def figure_is_shown(value, text: str) -> bool:
    """Whether a figure appears in text in one of its :func:`written_forms`, as a whole number.

    "494" is not found inside "1494" or "494.5"; "12%" may be written "12 %"; a minus
    may be "-" or "−".
    """
    for form in written_forms(value):
        pattern = re.escape(form).replace("%", r"\s?%").replace(r"\-", "[-−]")
        if re.search(rf"(?<![\d.,]){pattern}(?![\d]|[.,]\d)", text):
            return True
    return False


def default_headline_keys(summary: dict) -> tuple[str, ...]:
    """The headline keys of a summary: those its ``headline`` mapping names, and integer counts."""
    named = summary.get("headline") if isinstance(summary.get("headline"), dict) else {}
    counts = [key for key, value in summary.items()
              if COUNT_KEY.match(key) and isinstance(value, int) and not isinstance(value, bool)]
    return tuple(dict.fromkeys([*named, *counts]))


def headline_figures(playbook: str, summary: dict) -> dict[str, object]:
    """The figures of ``summary.json`` that must be visible in the report."""
    keys = HEADLINE_KEYS.get(playbook) or default_headline_keys(summary)
    figures = {}
    for key in keys:
        value = summary
        for part in key.split("."):
            value = value[part]
        figures[key] = value
    return figures


def expected_chart_count(notebook_path: Path) -> int:
    """How many charts the charity's copy of an executed notebook shows."""
    import nbformat

    from helpers.spine.report import prepare_for_charity

    notebook = prepare_for_charity(nbformat.read(notebook_path, as_version=4))
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (the kit uses Debian's `chromium` package; "
                    "`make browser` installs it where it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        yield launched
        launched.close()


def open_offline(browser, path: Path, viewport: dict | None = None, device_scale_factor: float | None = None):
    """Open a page with every network request blocked and recorded.

    Args:
        browser: The Playwright browser.
        path: The HTML file.
        viewport: The window size (1200×900 unless given).
        device_scale_factor: Device pixels to a CSS pixel (the browser's own unless given).

    Returns:
        ``(page, blocked, errors)``: the loaded page, the URLs it asked for that are
        not ``data:`` or ``file:``, and its console errors and uncaught exceptions.
    """
    options = {"device_scale_factor": device_scale_factor} if device_scale_factor else {}
    context = browser.new_context(viewport=viewport or {"width": 1200, "height": 900}, **options)
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("data:", "file:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page, blocked, errors


def chart_problems(measures: list[dict]) -> list[str]:
    """Charts that did not load, are not shown, or are one flat colour."""
    problems = []
    for number, image in enumerate(measures, start=1):
        name = f"chart {number} ({image['alt'][:50]!r})"
        if not image["complete"] or not image["width"]:
            problems.append(f"{name} did not load")
        elif image["shownWidth"] < 50 or image["shownHeight"] < 50:
            problems.append(f"{name} is shown {image['shownWidth']:.0f}x{image['shownHeight']:.0f} px")
        elif image["colours"] < 2 or image["spread"] < 1.0:
            problems.append(f"{name} is blank: {image['colours']} colour(s), spread {image['spread']:.2f}")
    return problems


# --- the matcher and checks themselves -------------------------------------------------

def test_figures_are_matched_in_their_usual_written_forms():
    assert figure_is_shown(1234, "We read 1,234 rows.") and figure_is_shown(1234, "We read 1234 rows.")
    assert figure_is_shown(0.1234, "A share of 12% matched.") and figure_is_shown(0.1234, "rate 0.12 each")
    assert figure_is_shown(0.1234, "12.3 % of rows") and figure_is_shown(-3.5, "a change of −3.5 points")
    assert figure_is_shown(12.0, "12 weeks")
    assert not figure_is_shown(494, "1494 rows or 494.5 or 4,94")
    assert not figure_is_shown(0.1234, "0.1 of them, 0 others")
    assert not figure_is_shown(True, "True 1")


def test_headline_keys_are_the_named_ones_and_the_counts():
    summary = {"rows": 494, "headline": {"invalid_emails": "emails not valid"}, "invalid_emails": 36,
               "n_pairs": 12, "history_weeks": 180, "horizon": 12, "mean": 2.5, "flag": True,
               "input": {"rows": 494}}
    assert default_headline_keys(summary) == ("invalid_emails", "rows", "n_pairs", "history_weeks")
    assert headline_figures("no-such-playbook", summary) == {
        "invalid_emails": 36, "rows": 494, "n_pairs": 12, "history_weeks": 180}
    assert headline_figures("food-bank-demand", {
        "history_weeks": 155, "missing_weeks": 3, "horizon_weeks": 12, "forecast_total": {"central": 1945}},
    )["forecast_total.central"] == 1945


def _png(pixels) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@pytest.mark.slow
def test_the_browser_check_catches_network_requests_console_errors_and_blank_charts(browser, tmp_path):
    import numpy as np

    blank = np.full((300, 400, 3), 255, dtype="uint8")
    drawn = blank.copy()
    drawn[100:200, 50:350] = (0, 114, 178)
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        "<!DOCTYPE html><html lang='en'><body><main>"
        f"<img alt='flat' src='data:image/png;base64,{_png(blank)}'>"
        f"<img alt='drawn' src='data:image/png;base64,{_png(drawn)}'>"
        "<img alt='remote' src='http://127.0.0.1:9/chart.png'>"
        "<script>console.error('broken script')</script></main></body></html>",
        encoding="utf-8",
    )
    page, blocked, errors = open_offline(browser, page_file)
    problems = chart_problems(page.evaluate(MEASURE_IMAGES))
    page.context.close()
    assert blocked == ["http://127.0.0.1:9/chart.png"]
    assert any("broken script" in error for error in errors)
    assert len(problems) == 2 and "flat" in problems[0] and "blank" in problems[0]
    assert "remote" in problems[1] and "did not load" in problems[1]


# --- every playbook's report ----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_opens_offline_shows_its_headline_figures_and_draws_every_chart(name, browser, demo_bundles):
    bundle = demo_bundles[name]
    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    page, blocked, errors = open_offline(browser, bundle / "report.html")
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot = ARTIFACTS / f"report-{name}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        visible = page.inner_text("main")
        measures = page.evaluate(MEASURE_IMAGES)
    finally:
        page.context.close()

    assert screenshot.stat().st_size > 10_000, "the screenshot is empty"
    assert blocked == [], f"the report asked for network resources: {blocked}"
    assert errors == [], f"console errors: {errors}"
    figures = headline_figures(name, summary)
    assert figures, "summary.json has no headline figure to look for"
    missing = {key: value for key, value in figures.items() if not figure_is_shown(value, visible)}
    assert missing == {}, f"headline figures not visible in the report: {missing}"
    assert len(measures) == expected_chart_count(bundle / "notebook.ipynb"), "charts missing from the page"
    assert chart_problems(measures) == []


# --- the report contract (issue 11) ---------------------------------------------------------------

#: The contract fixture: a small playbook built the way issue 11 asks (tests/fixtures/report_playbooks).
CONTRACT_PLAYBOOKS = Path(__file__).resolve().parent / "fixtures" / "report_playbooks"


@pytest.fixture(scope="session")
def contract_bundle(tmp_path_factory):
    """The contract fixture playbook run once on 1,234 visits, for the Calder Food & Friends charity."""
    from conftest import run_surgery

    tmp = tmp_path_factory.mktemp("contract")
    towns = ["Barnsley", "Castleford", "Dewsbury", "Halifax", "Keighley", "Pontefract", "Wakefield"]
    data = tmp / "visits.csv"
    data.write_text("Date,Town\n" + "".join(f"2024-01-{1 + n % 28:02d},{towns[(n * 5) % 7]}\n"
                                             for n in range(1234)), encoding="utf-8")
    out = tmp / "bundle"
    pdf = ["--pdf"] if find_chromium() else []
    result = run_surgery("run", "release", "--data", data, "--out", out, "--charity", "Calder Food & Friends",
                         "-p", "horizon_weeks", "8", "--no-progress", *pdf,
                         env={"SURGERY_PLAYBOOKS": str(CONTRACT_PLAYBOOKS)})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _parameter_names(notebook: Path) -> list[str]:
    from helpers.spine.parameters import read_parameters

    return list(read_parameters(notebook))


BAD_PAGE = """<!DOCTYPE html><html lang="en"><body><header><h1>Report</h1></header><main>
<h2>Who it is for</h2><p>Time in a session: 45 minutes.</p><div style="height:1200px"></div>
<section class="main-points"><h2>Main points</h2><p>We used MASE and the horizon_weeks setting, <code>x</code>: None.
None of the time is fine English.</p>
</section><img alt="blurry" src="data:image/png;base64,{png}" width="400">
<table><tr>{cells}</tr></table>
<h2>For analysts</h2><p>MASE is the scaled error.</p></main></body></html>"""


@pytest.mark.slow
def test_the_contract_checks_catch_a_lesson_shaped_report(browser, tmp_path):
    import numpy as np

    pixels = np.zeros((100, 400, 3), dtype="uint8")
    pixels[:, :200] = 200
    page_file = tmp_path / "bad.html"
    page_file.write_text(BAD_PAGE.format(png=_png(pixels), cells="<td>wide cell</td>" * 60), encoding="utf-8")
    problems = contract_problems(read_contract(browser, page_file), ["horizon_weeks", "region"])
    assert len(problems) == 7, problems
    assert "below the first screen" in problems[0] and "Who it is for" in problems[1]
    assert "'MASE'" in problems[2] and "horizon_weeks" in problems[3] and "'x'" in problems[4]
    assert problems[5] == "Python values before 'For analysts': ['None']" and "blurry" in problems[6]
    assert widths(browser, page_file)["phone"] > 390


@pytest.mark.slow
def test_a_report_built_to_the_contract_passes_its_checks(browser, contract_bundle):
    read = read_contract(browser, contract_bundle / "report.html", ARTIFACTS / "first-screen-contract.png")
    assert contract_problems(read, _parameter_names(CONTRACT_PLAYBOOKS / "release.ipynb")) == []
    assert read["mainPointsBottom"] < 400
    assert [h for h in read["headings"] if h in ("For analysts", "About this report")] == [
        "For analysts", "About this report"]
    assert len(read["charts"]) == 1 and read["charts"][0]["natural"] >= 2 * read["charts"][0]["shown"] - 2
    assert read["charts"][0]["minText"] >= 12 and small_chart_text(read) == []
    # The wide table (11 columns) scrolls in its frame on a phone; in print it fits the page.
    found = widths(browser, contract_bundle / "report.html")
    assert found["phone"] <= 390 and found["print"] <= PRINT_WIDTH_PX + 1


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_follows_the_contract_at_1280_by_900(name, browser, demo_bundles):
    """Needs the playbook restructured to the report contract (issue 11): tags, Main points first."""
    playbook = next(p for p in PLAYBOOKS if p.name == name)
    read = read_contract(browser, demo_bundles[name] / "report.html", ARTIFACTS / f"first-screen-{name}.png")
    assert contract_problems(read, _parameter_names(playbook.path)) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_is_never_wider_than_a_phone_or_the_printed_page(name, browser, demo_bundles):
    found = widths(browser, demo_bundles[name] / "report.html")
    assert found["phone"] <= 390, f"the page is {found['phone']} px wide on a 390 px phone"
    assert found["print"] <= PRINT_WIDTH_PX + 1, f"printed, the page is {found['print']} px wide: it would shrink"


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_chart_text_is_at_least_12_px_as_shown_at_1280(name, browser, demo_bundles):
    """Needs each playbook's charts redrawn to the chart rules (issue 11) where they are wider than the page."""
    read = read_contract(browser, demo_bundles[name] / "report.html")
    assert small_chart_text(read) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_chart_text_is_at_least_12_px_as_shown_on_a_390_px_phone(name, browser, demo_bundles):
    charts = shown_charts(browser, demo_bundles[name] / "report.html", phone=True)
    assert charts and all(chart["hasPhone"] for chart in charts), "every chart of a report has a phone drawing"
    assert [chart["alt"][:40] for chart in charts if not chart["phone"]] == [], "a phone shows the phone drawing"
    assert small_chart_text({"charts": charts}) == []


@pytest.mark.slow
def test_a_wide_screen_and_print_show_the_page_drawing_and_a_phone_the_phone_one(browser, tmp_path):
    import numpy as np

    page_png, phone_png = np.zeros((100, 1600, 3), dtype="uint8"), np.zeros((300, 660, 3), dtype="uint8")
    phone_png[:, :300] = 200
    page_file = tmp_path / "picture.html"
    page_file.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta name='viewport' content='width=device-width'>"
        "<style>img { max-width: 100%; height: auto; }</style></head><body><main><picture>"
        f"<source media='(max-width: 40rem)' srcset='data:image/png;base64,{_png(phone_png)}' width='330' "
        "data-min-text-px='12.2'>"
        f"<img src='data:image/png;base64,{_png(page_png)}' width='800' data-min-text-px='15.3' alt='chart'>"
        "</picture></main></body></html>", encoding="utf-8")
    on_phone = shown_charts(browser, page_file, phone=True)[0]
    assert on_phone["phone"] and on_phone["natural"] == 660 and on_phone["shown"] == 330
    assert small_chart_text({"charts": [on_phone]}) == []
    wide = shown_charts(browser, page_file, phone=False)[0]
    assert not wide["phone"] and wide["natural"] == 1600 and wide["minText"] == 15.3
    # Printed on A4 (the printed area is wider than 40rem), the page drawing is the one printed.
    page, _, _ = open_offline(browser, page_file, viewport={"width": round(PRINT_WIDTH_PX), "height": 1000})
    page.emulate_media(media="print")
    assert page.evaluate(READ_SHOWN_CHARTS)[0]["phone"] is False
    page.context.close()


def test_chart_text_is_scaled_with_the_chart():
    charts = [{"alt": "fits", "minText": 12.2, "width": "800", "shown": 800.0},
              {"alt": "shrunk", "minText": 12.2, "width": "1000", "shown": 910.0},
              {"alt": "old output", "minText": None, "width": None, "shown": 910.0}]
    assert small_chart_text({"charts": charts}) == ["'shrunk': smallest text 11.1 px as shown"]


@pytest.mark.slow
def test_a_welsh_report_opens_offline_follows_the_contract_and_fits_a_phone(browser, welsh_bundles):
    """The checks above, on a report written with --language cy (issue 28): the Welsh words change no layout."""
    from conftest import WELSH_PLAYBOOK

    bundle = welsh_bundles["cy"]
    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    page, blocked, errors = open_offline(browser, bundle / "report.html")
    try:
        visible = page.inner_text("main")
        measures = page.evaluate(MEASURE_IMAGES)
    finally:
        page.context.close()
    assert blocked == [] and errors == []
    figures = headline_figures(WELSH_PLAYBOOK, summary)
    assert figures and {key: value for key, value in figures.items() if not figure_is_shown(value, visible)} == {}
    assert len(measures) == expected_chart_count(bundle / "notebook.ipynb") and chart_problems(measures) == []
    playbook = next(p for p in PLAYBOOKS if p.name == WELSH_PLAYBOOK)
    read = read_contract(browser, bundle / "report.html", ARTIFACTS / f"first-screen-{WELSH_PLAYBOOK}-cy.png")
    assert contract_problems(read, _parameter_names(playbook.path)) == []
    assert read["headings"][:2] == [kit_text(playbook.title, "cy"), "Prif bwyntiau"]
    found = widths(browser, bundle / "report.html")
    assert found["phone"] <= 390 and found["print"] <= PRINT_WIDTH_PX + 1
