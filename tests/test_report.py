"""The charity's copy: no code, no injected parameters, no local paths, no web addresses, alt text."""

from __future__ import annotations

import re

import pytest


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def echo_bundle(tmp_path_factory):
    from conftest import FIXTURES, run_surgery

    tmp = tmp_path_factory.mktemp("report")
    data = tmp / "private folder of the charity" / "clients.csv"
    data.parent.mkdir()
    data.write_text("Amount,Name\n1,Ann Example\n2,Bob Example\n", encoding="utf-8")
    out = tmp / "bundle"
    env = {"SURGERY_PLAYBOOKS": str(FIXTURES / "playbooks")}
    result = run_surgery("run", "echo", "--data", data, "--out", out, "--charity", "Test Charity",
                         "--no-progress", env=env)
    assert result.returncode == 0, result.stderr
    return out, data, (out / "report.html").read_text(encoding="utf-8")


def test_report_has_no_input_code_and_no_injected_parameters(echo_bundle):
    _, _, html = echo_bundle
    assert "resolve_data_path" not in html and "import pandas" not in html
    assert "Settings" in html  # About this report lists them in words...
    assert "injected-parameters" not in html and "fail_with" not in html and "charity_name" not in html  # ...not as code


def test_report_has_no_local_paths(echo_bundle):
    out, data, html = echo_bundle
    assert str(data.parent) not in html and str(out) not in html
    assert "private folder" not in html and "/home/" not in html and "/tmp/" not in html
    assert "clients.csv" in html  # the file by name


def test_report_is_self_contained(echo_bundle):
    _, _, html = echo_bundle
    assert not re.search(r"https?://", html)
    assert "<script" not in html and "<link" not in html


def test_every_chart_has_alt_text_and_facilitator_notes_are_left_out(echo_bundle):
    _, _, html = echo_bundle
    images = re.findall(r"<img [^>]*>", html)
    assert images and all(re.search(r'alt="[^"]{10,}"', img) for img in images)
    assert "Facilitator notes" not in html
    assert "noisy library warning" not in html  # stderr dropped


def test_about_this_report_gives_the_provenance_in_words(echo_bundle):
    import datetime as dt
    import json

    from helpers.spine.bundle import file_sha256

    out, data, html = echo_bundle
    footer = html[html.index('<footer class="provenance">'):]
    today = dt.date.today()
    for expected in ("About this report", "Test Charity", "echo", "clients.csv", file_sha256(data)[:12],
                     f"{today.day} {today:%B %Y}", "standard settings"):
        assert expected in footer
    # The short fingerprint only: the full SHA-256 is for summary.json, not for a trustee.
    assert file_sha256(data) not in html
    assert json.loads((out / "summary.json").read_text())["provenance"]["input_sha256"] == file_sha256(data)
    assert "{'" not in footer and "= '" not in footer  # no Python reprs


def test_header_names_the_charity_the_question_and_the_date_in_words(echo_bundle):
    import datetime as dt

    _, _, html = echo_bundle
    header = html[html.index('<header class="report-banner">'):html.index("</header>")]
    today = dt.date.today()
    assert '<p class="report-charity">Test Charity</p>' in header
    assert "<h1>Echo: does the runner work?</h1>" in header
    assert f"{today.day} {today:%B %Y}" in header
    assert html.count("<h1") == 1  # the notebook's own title heading is not repeated in the body


# --- the renderer on small notebooks (no run needed) ------------------------------------------

def _notebook(*cells):
    """A notebook from ``(kind, source, tags)`` triples; a "code" cell shows its source as Markdown."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    notebook = new_notebook()
    for kind, source, tags in cells:
        if kind == "markdown":
            cell = new_markdown_cell(source)
        elif kind == "html":
            cell = new_code_cell(outputs=[new_output("display_data", data={"text/html": source})])
        elif kind == "parameters":
            cell = new_code_cell(source)
        else:
            cell = new_code_cell(outputs=[new_output("display_data", data={"text/markdown": source})])
        cell.metadata["tags"] = list(tags)
        notebook.cells.append(cell)
    return nbformat.from_dict(notebook)


PARAMETERS = "\n".join([
    'data_file: str = "x.csv"  # the file',
    'charity_name: str = ""  # the charity',
    "horizon_weeks: int = 12  # how many weeks ahead",
    'region: str = "england"  # Bank holidays: whose bank holidays apply',
    "higher_is_better: bool = True  # false when a fall is good",
])


def _render(notebook, provenance=None, title="How many parcels?", note=None):
    from bs4 import BeautifulSoup

    from helpers.spine.report import render_report

    page = render_report(notebook, provenance or {}, title, note)
    return page, BeautifulSoup(page, "html.parser")


CONTRACT = [
    ("markdown", "# How many parcels?\n\n**Who it is for:** food banks.\n\n## Objectives\n\n- Plan.", ["lesson"]),
    ("parameters", PARAMETERS, ["parameters"]),
    ("markdown", "Loaded 1,204 rows: the full load log.", ["lesson"]),
    ("html", '<section class="main-points"><h2>Main points</h2><p>Plan for 1,945 parcels.</p></section>', []),
    ("markdown", "## The forecast\n\nDemand rises in winter.", []),
    ("markdown", "### Model comparison\n\nMASE (mean absolute scaled error) is 0.8.", ["analysts"]),
    ("markdown", "## What this cannot tell you\n\nWho did not come.", []),
    ("markdown", "### Backtest\n\nThe backtest reruns the method on older weeks.", ["analysts"]),
    ("markdown", "## Notes for the facilitator\n\nAsk about winter.", ["facilitator"]),
    ("markdown", "## Old-style hidden cell\n\nGone.", ["remove-from-report"]),
    ("markdown", "## What to do next\n\n- Order stock.", []),
    ("markdown", "## Key points\n\n- Forecasts have ranges.", ["lesson"]),
]


def test_lesson_and_facilitator_cells_are_left_out_and_analysts_cells_close_the_report():
    page, soup = _render(_notebook(*CONTRACT))
    headings = [h.get_text(" ", strip=True).replace("¶", "").strip() for h in soup.find("main").find_all(["h2", "h3"])]
    assert headings == ["Main points", "The forecast", "What this cannot tell you", "What to do next",
                        "For analysts", "Model comparison", "Backtest"]
    for gone in ("Who it is for", "Objectives", "full load log", "Notes for the facilitator", "Ask about winter",
                 "Old-style hidden cell", "Key points", "horizon_weeks"):
        assert gone not in page


def test_the_comparison_with_the_last_report_goes_right_after_main_points():
    _, soup = _render(_notebook(*CONTRACT), note="**Since the last report:** parcels rose by 120.")
    main = soup.find("main").get_text(" ", strip=True)
    assert main.index("Main points") < main.index("Since the last report") < main.index("The forecast")


def test_without_a_main_points_box_the_comparison_opens_the_body():
    cells = [cell for cell in CONTRACT if "main-points" not in cell[1]]
    _, soup = _render(_notebook(*cells), note="**Since the last report:** parcels rose by 120.")
    assert soup.find("main").get_text(" ", strip=True).startswith("Since the last report")


def test_the_header_has_no_placeholder_without_a_charity():
    page, soup = _render(_notebook(*CONTRACT), {"run_date": "2026-11-26"})
    header = soup.find("header")
    assert header.find("h1").get_text() == "How many parcels?"
    assert header.find(class_="report-date").get_text() == "26 November 2026"
    assert header.find(class_="report-charity") is None and "the charity" not in page
    assert soup.find("title").get_text() == "How many parcels?"


def test_charity_name_and_title_are_text_never_markup():
    _, soup = _render(_notebook(*CONTRACT), {"charity": "<script>alert(1)</script> & Co", "run_date": "2026-11-26"},
                      title="<b>Question</b>?")
    assert soup.find("script") is None and soup.find("b") is None
    assert soup.find(class_="report-charity").get_text() == "<script>alert(1)</script> & Co"
    assert soup.find("title").get_text() == "<b>Question</b>? · <script>alert(1)</script> & Co"


def test_about_this_report_lists_changed_settings_in_words_from_their_help():
    provenance = {"input_file": "visits.xlsx", "input_sheet": "2024", "input_rows": 22697, "run_date": "2026-11-26",
                  "input_sha256": "0123456789abcdef" * 4, "charity": "Calder Food",
                  "parameters": {"sheet": "2024", "charity_name": "Calder Food", "horizon_weeks": 8,
                                 "region": "scotland", "higher_is_better": True}}
    _, soup = _render(_notebook(*CONTRACT), provenance)
    about = {dt.get_text(): dd.get_text() for dt, dd in zip(soup.footer.find_all("dt"), soup.footer.find_all("dd"))}
    assert about["File"] == "visits.xlsx" and about["Sheet"] == "2024"
    assert about["Rows read"] == "22,697" and about["Made on"] == "26 November 2026"
    assert about["File fingerprint"].startswith("0123456789ab (") and "0123456789abc" not in about["File fingerprint"]
    # Changed settings only (horizon and region), each as a reader would say it; defaults left out.
    assert about["Settings"] == "Forecast horizon: 8 weeks; Bank holidays: scotland"


def test_tables_lose_the_raw_index_right_align_numbers_and_scroll_in_their_own_frame():
    import pandas as pd

    frame = pd.DataFrame({"Town": ["Leeds", "York"], "People": [1204, 5], "Share": ["12%", "under 1%"],
                          "Note": ["busy", "12 Main St"]})
    _, soup = _render(_notebook(("html", frame.to_html(border=0), [])))
    table = soup.find("table")
    frame_div = table.parent
    assert "table-frame" in frame_div["class"] and frame_div["tabindex"] == "0" and frame_div["role"] == "region"
    assert [th.get_text() for th in table.find_all("th")] == ["Town", "People", "Share", "Note"]
    first = table.find("tbody").find("tr").find_all("td")
    assert [("num" in cell.get("class", [])) for cell in first] == [False, True, True, False]


def test_an_index_with_a_name_or_out_of_order_is_kept():
    import pandas as pd

    named = pd.DataFrame({"People": [3, 4]}, index=pd.Index(["Leeds", "York"], name="Town"))
    _, soup = _render(_notebook(("html", named.to_html(border=0), [])))
    assert "Leeds" in soup.find("table").get_text()
    jumbled = pd.DataFrame({"People": [3, 4]}, index=[7, 3])
    _, soup = _render(_notebook(("html", jumbled.to_html(border=0), [])))
    assert [th.get_text() for th in soup.find("tbody").find_all("th")] == ["7", "3"]


def test_a_long_table_may_break_across_pages_and_a_short_one_may_not():
    import pandas as pd

    from helpers.spine.report import SHORT_TABLE_ROWS

    for rows, short in ((SHORT_TABLE_ROWS, True), (SHORT_TABLE_ROWS + 1, False)):
        frame = pd.DataFrame({"Week": range(rows), "Parcels": range(rows)})
        _, soup = _render(_notebook(("html", frame.to_html(index=False), [])))
        assert ("short-table" in soup.find("table").get("class", [])) is short


def test_the_error_report_still_says_what_went_wrong_with_the_provenance_in_words():
    from types import SimpleNamespace

    from helpers.spine.report import render_error_report

    failure = SimpleNamespace(is_input_problem=True, message="The column 'Date' is <missing>.", error_name="InputProblem")
    page = render_error_report(failure, {"charity": "Calder", "input_file": "a.csv", "run_date": "2026-11-26",
                                         "input_sha256": "f" * 64}, "How many parcels?", "Load the file")
    assert "this report could not be finished" in page and "&lt;missing&gt;" in page
    assert "26 November 2026" in page and "f" * 12 in page and "f" * 13 not in page and "Calder" in page


def test_a_short_glossary_only_for_the_words_the_body_uses():
    cells = [*CONTRACT, ("markdown", "## The middle\n\nThe median visit was on a Tuesday.", [])]
    _, soup = _render(_notebook(*cells))
    glossary = soup.footer.find("dl", class_="glossary")
    assert [dt.get_text() for dt in glossary.find_all("dt")] == ["Median", "Forecast"]
    # A word used only under For analysts needs no entry; no word used, no glossary.
    plain = [cell for cell in CONTRACT if "forecast" not in cell[1].casefold()]
    analysts_only = [*plain, ("markdown", "The median of the errors.", ["analysts"])]
    _, soup = _render(_notebook(*analysts_only))
    assert soup.footer.find(class_="glossary") is None


def _chart_notebook(with_phone: bool):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from helpers.writing import PHONE_MIMETYPE

    data = {"image/png": "UEFHRQ==", "text/plain": "[Chart] Visits rose."}
    metadata = {"image/png": {"alt": "Visits rose.", "width": 800, "min_text_px": 15.3}}
    if with_phone:
        data[PHONE_MIMETYPE] = "UEhPTkU="
        metadata[PHONE_MIMETYPE] = {"width": 330, "min_text_px": 13.8}
    notebook = new_notebook(cells=[new_code_cell(outputs=[new_output("display_data", data=data, metadata=metadata)])])
    return nbformat.from_dict(notebook)


def test_a_chart_drawn_for_phones_is_offered_to_phones_and_the_page_drawing_to_the_rest():
    _, soup = _render(_chart_notebook(with_phone=True))
    picture = soup.find("figure", class_="chart").find("picture")
    source, img = picture.find("source"), picture.find("img")
    assert source["media"] == "(max-width: 40rem)" and source["srcset"] == "data:image/png;base64,UEhPTkU="
    assert (source["width"], source["data-min-text-px"]) == ("330", "13.8")
    assert img["src"] == "data:image/png;base64,UEFHRQ==" and img["width"] == "800" and img["alt"] == "Visits rose."


def test_a_chart_with_only_a_page_drawing_is_a_plain_image():
    _, soup = _render(_chart_notebook(with_phone=False))
    figure = soup.find("figure", class_="chart")
    assert figure.find("picture") is None and figure.find("img")["width"] == "800"


# --- issue 21: no link from data, ever ---------------------------------------------------------


@pytest.mark.parametrize("anchor, kept", [
    ('<a href="https://evil.example">Donate</a>', False), ("<a href='//evil.example'>x</a>", False),
    ('<a href=https://evil.example>x</a>', False), ('<A HREF="HTTPS://EVIL.EXAMPLE">x</A>', False),
    ('<a class="anchor-link" href="#Main-points">¶</a>', True), ('<a href="&#x2F;&#x2F;evil.example">x</a>', False),
    ('<a href="mailto:a@evil.example">x</a>', False), ('<a href="cleaned.xlsx">x</a>', False),
    ('<a name="here">x</a>', True),
])
def test_only_links_to_a_place_on_the_page_survive_the_report(anchor, kept):
    from helpers.spine.report import unlink_foreign

    assert (unlink_foreign(f"<p>{anchor}</p>") == f"<p>{anchor}</p>") is kept
    assert "x" in unlink_foreign(f"<p>{anchor}</p>") or "Donate" in unlink_foreign(f"<p>{anchor}</p>") or kept


def test_a_rerun_note_from_an_earlier_bundle_is_data_not_markup():
    import nbformat

    from helpers.spine.report import render_report

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Body text.")]
    note = "## Compared with last time\n\n- visits https://evil.example/bare <b>bold</b> [x](//evil.example)"
    page = render_report(notebook, {}, "Title", opening_note=note)
    assert "evil.example/bare" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="https://evil' not in page and 'href="//evil' not in page and "<b>bold" not in page


@pytest.mark.parametrize("value, shown", [
    ("/home/amina/Desktop/sign-ups.csv", "sign-ups.csv"),
    ("C:\\Users\\amina\\Documents\\feedback.xlsx", "feedback.xlsx"),
    ("~/feedback.xlsx", "feedback.xlsx"),
    ("feedback.xlsx", "feedback.xlsx"),
    ("scotland", "scotland"),
])
def test_a_file_setting_is_shown_by_its_name_never_its_folders(value, shown):
    """A path's folders can hold the volunteer's user name; About this report shows the file's name only."""
    from helpers.spine.report import setting_in_words

    assert setting_in_words("feedback", value) == f"Feedback: {shown}"
