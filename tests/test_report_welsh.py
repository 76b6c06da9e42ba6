"""Reports in Welsh: ``surgery run ... --language cy`` writes the kit's fixed words in Welsh, data untouched (issue 28).

The catalogues (helpers/locale: ``report.pot`` the English source strings, ``cy/LC_MESSAGES/report.po``
the Welsh) are checked against each other and against the playbooks' headings; a Welsh run of
health-check is compared with an English run of the same file: the same numbers, Welsh headings,
``<html lang="cy">``, and no heading of the translated set left in English.
"""

from __future__ import annotations

import json
import re
import string

import nbformat
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, strategies as st

from conftest import WELSH_PLAYBOOK, run_surgery
from helpers.spine.catalogue import list_playbooks
from helpers.writing.language import (LANGUAGES, check_language, kit_text, source_strings, translated_strings,
                                      translations)
from helpers.errors import InputProblem

WELSH = translated_strings("cy")
#: The headings the Welsh catalogue must hold, as the first screen and the frame of every report show them.
FRAME_HEADINGS = {"Main points": "Prif bwyntiau", "About this report": "Ynglŷn â’r adroddiad hwn",
                  "For analysts": "Ar gyfer dadansoddwyr", "What this cannot tell you": "Beth na all hyn ei ddweud wrthych",
                  "What to do next": "Beth i’w wneud nesaf"}


def _playbook_headings() -> set[str]:
    """Every heading a playbook's report shows (cells tagged lesson or facilitator are never shown)."""
    found = set()
    for playbook in list_playbooks():
        notebook = nbformat.read(playbook.path, as_version=4)
        for cell in notebook.cells:
            if {"lesson", "facilitator"} & set(cell.metadata.get("tags", [])):
                continue
            if cell.cell_type == "markdown":
                found |= {line.lstrip("#").strip() for line in cell.source.splitlines() if re.match(r"#{2,6} ", line)}
            elif cell.cell_type == "code":
                # A section shown only in one mode is written by the cell: say("## Heading\n\n...").
                found |= {heading.strip() for heading in re.findall(r'say\(\s*"#{2,6} ([^"\\]+)', cell.source)}
        found.add(playbook.title)
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- the catalogues ---------------------------------------------------------------------------------

def test_every_welsh_message_is_a_source_string_and_every_source_string_is_translated():
    source = source_strings()
    assert len(source) == len(set(source)), "a message appears twice in report.pot"
    assert set(WELSH) - set(source) == set(), "Welsh entries whose English is not in report.pot"
    assert set(source) - set(WELSH) == set(), "source strings with no Welsh"


def _kit_strings() -> set[str]:
    """Every string constant in the kit's Python (adjacent literals joined, as Python joins them)."""
    import ast
    from pathlib import Path

    import helpers

    found = set()
    for path in Path(helpers.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_source_string_is_still_written_by_the_kit():
    # A message whose English changed in the code (or in a playbook's heading) would never be looked up again.
    written = _kit_strings() | _playbook_headings()
    assert [message for message in source_strings() if message not in written] == []


def test_the_welsh_catalogue_holds_the_frame_and_every_playbook_heading():
    for english, welsh in FRAME_HEADINGS.items():
        assert WELSH[english] == welsh
    assert _playbook_headings() - set(source_strings()) == set(), "headings missing from report.pot"


def test_each_translation_keeps_the_placeholders_and_line_breaks_of_its_source():
    for english, welsh in WELSH.items():
        assert _placeholders(welsh) == _placeholders(english), english
        assert welsh.count("\n") == english.count("\n"), english


def test_a_language_is_checked_and_english_is_the_source():
    assert check_language("cy") == "cy" and check_language("") == "en"
    with pytest.raises(InputProblem, match="--language"):
        check_language("xx")
    assert kit_text("Main points", "en") == "Main points" and kit_text("Main points", "cy") == "Prif bwyntiau"
    assert kit_text("A sentence no catalogue holds", "cy") == "A sentence no catalogue holds"
    assert kit_text("", "cy") == ""  # never the catalogue's header
    assert translations("cy") is translations("cy")  # compiled once per process


def test_an_unknown_language_stops_the_run_naming_the_option_and_the_choices(small_csv, echo_playbooks, tmp_path):
    result = run_surgery("run", "echo", "--data", small_csv, "--language", "fr", "--out", tmp_path / "b")
    assert result.returncode == 2, result.stderr
    assert "--language fr" in result.stderr and all(code in result.stderr for code in LANGUAGES)
    assert "Traceback" not in result.stderr and not (tmp_path / "b").exists()


# --- a Welsh run against an English one ----------------------------------------------------------------

def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _headings(soup) -> list[str]:
    return [" ".join(h.get_text(" ").replace("¶", "").split()) for h in soup.select("h1, h2, h3")]


def _without_language(summary: dict) -> dict:
    provenance = dict(summary.get("provenance", {}))
    provenance.pop("language", None)
    return {**summary, "provenance": provenance}


@pytest.mark.slow
def test_a_welsh_report_has_welsh_headings_and_the_same_numbers(welsh_bundles):
    english, welsh = welsh_bundles["en"], welsh_bundles["cy"]
    page = _soup(welsh / "report.html")
    assert page.html["lang"] == "cy" and _soup(english / "report.html").html["lang"] == "en-GB"
    shown = _headings(page)
    for heading in ("Prif bwyntiau", "Ynglŷn â’r adroddiad hwn", "Ar gyfer dadansoddwyr", "Beth i’w wneud nesaf",
                    "Beth na all y dadansoddiad hwn ei ddweud wrthych"):
        assert heading in shown
    assert set(shown) & set(source_strings()) == set(), "English headings left in the Welsh report"
    assert page.h1.get_text(strip=True) == WELSH["Is our spreadsheet in a fit state?"]
    labels = [dt.get_text(strip=True) for dt in page.select("footer.provenance dl:not(.glossary) dt")]
    assert labels[:3] == ["Elusen", "Ffeil", "Taflen"] and "Lluniwyd ar" in labels
    assert re.search(r"\b\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|"
                     r"Rhagfyr) \d{4}\b", page.select_one(".report-date").get_text())
    # The data is untouched: summary.json is the English run's, figures, tables and claims alike.
    en_summary = json.loads((english / "summary.json").read_text(encoding="utf-8"))
    cy_summary = json.loads((welsh / "summary.json").read_text(encoding="utf-8"))
    assert cy_summary["provenance"]["language"] == "cy" and en_summary["provenance"]["language"] == "en"
    assert _without_language(cy_summary) == _without_language(en_summary)
    # The Main points' big figures and sentences, and every table cell, are the English run's.
    figures = [[span.get_text() for span in _soup(bundle / "report.html").select(".figure-value, .main-points li, td")]
               for bundle in (english, welsh)]
    assert figures[0] == figures[1] and figures[0]


@pytest.mark.slow
def test_the_board_page_and_the_charts_readme_are_welsh_too(welsh_bundles):
    board = _soup(welsh_bundles["cy"] / "summary.html")
    assert board.html["lang"] == "cy" and board.title.get_text().startswith("Crynodeb: ")
    assert [h.get_text(strip=True) for h in board.select("h2")] == ["Prif bwyntiau", "Beth na all hyn ei ddweud wrthych"]
    assert board.select_one(".full-report").get_text().startswith("Crynodeb un dudalen yw hwn.")
    if (welsh_bundles["cy"] / "summary.pdf").exists():  # printed where Chromium is
        from helpers.spine.board_page import pdf_pages

        assert pdf_pages(welsh_bundles["cy"] / "summary.pdf") == 1
    readme = (welsh_bundles["cy"] / "charts" / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("Siartiau o’r adroddiad hwn") and "Charts from this report" not in readme
    notebook = (welsh_bundles["cy"] / "notebook.ipynb").read_text(encoding="utf-8")
    assert 'report_language = \\"cy\\"' in notebook, "the language was not injected into the papermill run"


@pytest.mark.slow
def test_a_rerun_keeps_the_language_and_can_change_it(welsh_bundles, tmp_path):
    from helpers.spine.catalogue import find_playbook
    from helpers.spine.runner import default_data_file

    data = default_data_file(find_playbook(WELSH_PLAYBOOK))
    kept = run_surgery("rerun", welsh_bundles["cy"], "--data", data, "--out", tmp_path / "again", "--no-progress")
    assert kept.returncode == 0, kept.stderr
    assert _soup(tmp_path / "again" / "report.html").html["lang"] == "cy"
    assert "language: cy" in (tmp_path / "again" / "params.yaml").read_text(encoding="utf-8")
    changed = run_surgery("rerun", welsh_bundles["cy"], "--data", data, "--out", tmp_path / "english",
                          "--language", "en", "--no-progress")
    assert changed.returncode == 0, changed.stderr
    assert "Main points" in _headings(_soup(tmp_path / "english" / "report.html"))


# --- data is never looked up ---------------------------------------------------------------------------


_LINES = st.lists(st.one_of(st.sampled_from(sorted(WELSH)), st.text(max_size=40)), max_size=8)


@given(_LINES)
def test_only_heading_lines_change_and_text_is_never_looked_up(lines):
    from helpers.spine.report import translate_headings

    text = "\n".join(line.replace("\n", " ") for line in lines)
    translated = translate_headings(text, "cy")
    before, after = text.split("\n"), translated.split("\n")
    assert len(before) == len(after)
    for old, new in zip(before, after):
        if not re.match(r"#{1,6}[ \t]+\S", old):
            assert new == old  # a sentence that happens to equal a catalogue entry is still not translated
        else:
            assert new == re.match(r"#{1,6}[ \t]+", old).group(0) + kit_text(old.lstrip("#").strip(" \t"), "cy")


def test_a_heading_from_a_catalogue_is_translated_and_one_with_data_in_it_is_not():
    from helpers.spine.report import translate_headings

    assert translate_headings("## Main points", "cy") == "## Prif bwyntiau"
    assert translate_headings("Main points", "cy") == "Main points"
    assert translate_headings("## Main points for Hackney Pantry", "cy") == "## Main points for Hackney Pantry"
    assert translate_headings("## Main points", "en") == "## Main points"
