"""Every playbook on files the kit did not generate: the report's claims hold on any charity's file.

The kit's own samples were written beside the code, so they flatter it. The files under
``tests/outside/`` were not: public data that packages ship, and small hand-typed registers with the
faults real files have. Each case in ``tests/outside/cases/<playbook>.yaml`` names a file, the
playbook and its parameters, the exit code it must end with (0, or 2 with a message fragment), and
markers: strings planted in the file that must never reach what the charity shares.

For every case, run as ``surgery run`` in its own process, the report must:

- end with the exit code given, and never with a traceback;
- carry ``claims`` in ``summary.json``, and print every claim's sentence as it stands there;
- print a conclusion phrase (``CONCLUSION_WORDS``) only when one of its claims reached that decision;
- show in its Main points box only big figures that equal a number in ``summary.json``;
- show none of the markers in the report, ``summary.json`` or the playbook's shared files;
- leave the input file exactly as it was.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import run_surgery
from helpers.writing.claims import CONCLUSION_WORDS

OUTSIDE = Path(__file__).parent / "outside"
CASE_KEYS = {"file", "playbook", "params", "sheet", "charity", "exit", "message", "markers", "source", "pdf"}

#: The files of a bundle a charity shares beyond its report (names relative to the bundle). The
#: charity's own working files (cleaned.xlsx, review.xlsx, ...) hold its people by design.
SHARED_FILES = {
    "health-check": ("data_dictionary.xlsx", "capture_template.xlsx"),
}

_MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_NUMBER = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?")
_SHOWN_NUMBER = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?%?")


def load_cases() -> list[dict]:
    """Every case of every playbook, each with an id made of its playbook and file."""
    cases = []
    for path in sorted((OUTSIDE / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}: unknown keys {sorted(unknown)} in {case.get('file')}"
            case.setdefault("params", {})
            case["id"] = f"{case['playbook']}:{case['file']}:{'-'.join(f'{k}={v}' for k, v in case['params'].items())}"
            cases.append(case)
    return cases


CASES = load_cases()
#: Cases that end with a report (exit 0): only these are read for claims, figures and markers.
REPORTED = [case for case in CASES if case["exit"] == 0]
_RUNS: dict[str, dict] = {}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_case(case: dict, tmp_path_factory) -> dict:
    """Run one case once per test session; later tests read the same bundle."""
    if case["id"] in _RUNS:
        return _RUNS[case["id"]]
    data = OUTSIDE / case["file"]
    before = _sha256(data)
    out = tmp_path_factory.mktemp("outside") / "bundle"
    args = ["run", case["playbook"], "--data", data, "--out", out, "--no-progress"]
    for name, value in case["params"].items():
        args += ["-p", name, "" if value is None else str(value)]
    if case.get("sheet"):
        args += ["--sheet", case["sheet"]]
    if case.get("charity"):
        args += ["--charity", case["charity"]]
    if case.get("pdf"):
        args += ["--pdf"]
    result = run_surgery(*args)
    _RUNS[case["id"]] = {"result": result, "out": out, "before": before, "after": _sha256(data)}
    return _RUNS[case["id"]]


def report_text(out: Path) -> str:
    """The report's visible text, whitespace collapsed (what a reader reads, not the markup)."""
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def _squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def main_point_figures(out: Path) -> list[str]:
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("section.main-points")
    assert box is not None, "the report has no Main points box"
    return [value.get_text(" ", strip=True) for value in box.select(".figure-value")]


def summary_numbers(value) -> list[float]:
    """Every number anywhere in ``summary.json`` (the claims' numbers included)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in summary_numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in summary_numbers(v)]
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return [float(value.strip().replace(",", "").replace("−", "-"))]
    return []


def figure_matches(shown: str, numbers: list[float]) -> bool:
    """Whether a number as printed ("1,204", "43%", "+2.5", "0.6") is one of the summary's numbers.

    A percentage matches a fraction or a percentage; a number matches at the decimals printed.
    """
    percent = shown.endswith("%")
    text = shown.rstrip("%").replace(",", "").replace("−", "-").lstrip("+")
    value = float(text)
    decimals = len(text.split(".")[1]) if "." in text else 0
    for number in numbers:
        candidates = [number, abs(number)]
        if percent:
            candidates += [number * 100, abs(number) * 100]
        if any(round(c, decimals) == pytest.approx(value, abs=1e-9) for c in candidates):
            return True
    return False


def _ids(cases):
    return [case["id"] for case in cases]


def _summary(run) -> dict:
    return json.loads((run["out"] / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_ends_as_expected_without_a_traceback_and_leaves_the_input_alone(case, tmp_path_factory):
    run = run_case(case, tmp_path_factory)
    said = run["result"].stdout + run["result"].stderr
    assert "Traceback" not in said, said[-3000:]
    assert run["result"].returncode == case["exit"], said[-3000:]
    if case["exit"] == 2 and case.get("message"):
        assert _squash(case["message"]) in _squash(said), said[-3000:]
    assert run["after"] == run["before"], "the input file was changed"


@pytest.mark.slow
@pytest.mark.parametrize("case", REPORTED, ids=_ids(REPORTED))
class TestReportOnAnOutsideFile:
    def test_every_claim_is_printed_as_it_stands(self, case, tmp_path_factory):
        run = run_case(case, tmp_path_factory)
        summary = _summary(run)
        assert "claims" in summary
        text = report_text(run["out"])
        for claim in summary["claims"]:
            assert _squash(claim["sentence"]) in text, f"claim {claim['key']} not printed: {claim['sentence']!r}"

    def test_no_conclusion_word_without_its_rule(self, case, tmp_path_factory):
        run = run_case(case, tmp_path_factory)
        decisions = {claim["decision"] for claim in _summary(run)["claims"]}
        text = report_text(run["out"]).lower()
        for phrase, decision in CONCLUSION_WORDS.items():
            if phrase in text:
                assert decision in decisions, f"'{phrase}' printed, but no claim decided '{decision}'"

    def test_main_points_figures_are_summary_figures(self, case, tmp_path_factory):
        run = run_case(case, tmp_path_factory)
        numbers = summary_numbers(_summary(run))
        for figure in main_point_figures(run["out"]):
            if _MONTHS.search(figure):
                continue  # a date ("12 May") is checked by its playbook's own tests
            for shown in _SHOWN_NUMBER.findall(figure):
                assert figure_matches(shown, numbers), f"Main points shows {figure!r}, not in summary.json"

    def test_no_marker_reaches_what_the_charity_shares(self, case, tmp_path_factory):
        run = run_case(case, tmp_path_factory)
        out = run["out"]
        shared = [out / "report.html", out / "summary.json"]
        shared += [out / name for name in SHARED_FILES.get(case["playbook"], ()) if (out / name).exists()]
        if (out / "report.pdf").exists():
            shared.append(out / "report.pdf")
        for path in shared:
            text = _file_text(path).lower()
            for marker in case.get("markers") or ():
                assert marker.lower() not in text, f"{marker!r} found in {path.name}"


def _file_text(path: Path) -> str:
    """A shared file's text: every cell of a workbook (hidden sheets too), a PDF's text, else the file."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            if cell is not None
        )
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return html.unescape(path.read_text(encoding="utf-8"))


def test_every_case_names_a_file_that_is_there_and_says_where_it_came_from():
    assert CASES, "no outside-file cases: tests/outside/cases/*.yaml"
    for case in CASES:
        assert (OUTSIDE / case["file"]).is_file(), case["file"]
        assert case["exit"] in (0, 2), case["id"]
        assert case.get("source"), f"{case['id']}: say where the file came from"


def test_every_file_in_the_outside_folder_is_a_case_with_its_source():
    # The repository guard lets data files live here only because each is named with its source.
    named = {case["file"] for case in CASES}
    # A second file a case names in a parameter (a volunteers list beside the requests) is named too.
    named |= {Path(str(value)).name for case in CASES for value in case["params"].values()
              if str(value).startswith("tests/outside/")}
    files = {p.name for p in OUTSIDE.iterdir() if p.is_file() and p.suffix.lower() not in (".md", ".yaml")}
    assert files <= named, f"files in tests/outside/ with no case: {sorted(files - named)}"


def test_figure_matching_reads_numbers_as_printed():
    assert figure_matches("1,204", [1204.0])
    assert figure_matches("43%", [0.43])
    assert figure_matches("43%", [43.2])
    assert figure_matches("+2.5", [2.46])
    assert not figure_matches("2.6", [2.46])
    assert not figure_matches("1,205", [1204.0])
