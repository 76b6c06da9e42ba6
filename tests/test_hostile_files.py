"""Files built to hurt (issue 10): XML bombs, external entities, control characters and headers
matplotlib would read as maths. Each run ends in words (exit 0, or 2/1 with an error report),
never a traceback, and nothing outside the file reaches the bundle."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

_LOLS = "".join(
    f'<!ENTITY lol{n} "{("&lol%d;" % (n - 1)) * 10}">' for n in range(2, 10))
_SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
          '<row r="2"><c r="A2" t="inlineStr"><is><t>{entity}</t></is></c></row></sheetData></worksheet>')
BOMB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<!DOCTYPE worksheet [<!ENTITY lol1 "lol">{_LOLS}]>\n' + _SHEET.format(entity="&lol9;"))
EXTERNAL = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
            + _SHEET.replace("{entity}", "&secret;"))


def _workbook_with_sheet_xml(path: Path, sheet_xml: str) -> Path:
    from openpyxl import Workbook

    plain = path.with_name("plain.xlsx")
    workbook = Workbook()
    workbook.active.append(["Name"])
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            target.writestr(item, data)
    return path


def _bundle_text(bundle: Path) -> bytes:
    return b"".join(p.read_bytes() for p in bundle.rglob("*") if p.is_file())


@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity"])
def test_xml_attacks_in_a_workbook_are_refused(kind, tmp_path, surgery):
    secret = tmp_path / "secret.txt"
    secret.write_text("Zqx-outside-secret")
    xml = BOMB if kind == "billion-laughs" else EXTERNAL.format(secret=secret)
    data = _workbook_with_sheet_xml(tmp_path / f"{kind}.xlsx", xml)
    before = hashlib.sha256(data.read_bytes()).hexdigest()
    out = tmp_path / "bundle"
    result = surgery("run", "health-check", "--data", data, "--out", out, "--no-progress")
    # Issue 21: refused by name before openpyxl parses it (Excel never writes a DOCTYPE).
    assert result.returncode == 2, result.stdout[-2000:]
    assert "DOCTYPE or ENTITY declaration, which Excel never writes" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (out / "report.html").exists()
    assert b"Zqx-outside-secret" not in _bundle_text(out)
    assert b"lollollol" not in _bundle_text(out)
    assert hashlib.sha256(data.read_bytes()).hexdigest() == before


def test_control_characters_and_maths_headers_do_not_crash_a_run(tmp_path, surgery):
    rows = [{"Name": f"Person {i}", "Town": "Leeds\x0b" if i % 3 else "York",
             "$$\\LaTeX$$ score": "" if i % 4 == 0 else str(i), "Price $#$": "" if i % 5 == 0 else "2",
             "Notes": "a\x0cb" if i % 2 else ""} for i in range(40)]
    data = tmp_path / "control.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    out = tmp_path / "bundle"
    result = surgery("run", "health-check", "--data", data, "--out", out, "--no-progress")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "$$\\LaTeX$$ score" in page  # the header shown as typed, not as maths
    for workbook in out.rglob("*.xlsx"):
        cells = [c.value for sheet in load_workbook(workbook).worksheets for row in sheet.iter_rows()
                 for c in row if isinstance(c.value, str)]
        assert not [v for v in cells if "\x0b" in v or "\x0c" in v]
        if workbook.name == "cleaned.xlsx":
            assert "Leeds" in cells


@pytest.mark.parametrize("kind", ["Original row", "control"])
def test_a_file_with_a_kit_column_name_or_a_control_character_in_a_header_runs(kind, tmp_path, surgery):
    # Issue 21: both ended in a traceback (pandas' "cannot insert Original row", openpyxl's
    # IllegalCharacterError); the loader now renames and cleans the header, and says so.
    header = "Original row,Name,Town" if kind == "Original row" else "Number,Name,To\x01wn\x1b[2J"
    data = tmp_path / f"{kind}.csv"
    data.write_text(header + "\n" + "".join(f"{i},Person {i},{'Leeds' if i % 2 else 'York'}\n" for i in range(30)),
                    encoding="utf-8")
    out = tmp_path / "bundle"
    result = surgery("run", "health-check", "--data", data, "--out", out, "--no-progress")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "Traceback" not in result.stdout + result.stderr and "\x1b" not in result.stdout + result.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert ("Original row (in the file)" if kind == "Original row" else "Town[2J") in page
    assert "\x01" not in page and "\x1b" not in page
    assert load_workbook(out / "cleaned.xlsx").active.cell(1, 1).value == "Original row"


def test_the_kit_s_own_cleaned_workbook_can_be_checked_again(tmp_path, surgery):
    first = tmp_path / "first"
    assert surgery("run", "health-check", "--data", "datasets/register.xlsx", "--out", first,
                   "--no-progress").returncode == 0
    again = tmp_path / "again"
    result = surgery("run", "health-check", "--data", first / "cleaned.xlsx", "--out", again, "--no-progress")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "Original row (in the file)" in (again / "report.html").read_text(encoding="utf-8")
