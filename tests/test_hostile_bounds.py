"""Unbounded work (issue 21): small hostile files that unpack to gigabytes end in exit 2, fast.

Each file is generated here, then ``surgery run health-check`` runs on it as a process,
timed and with the peak resident memory of its whole process tree (kernel included)
sampled as benchmarks/measure.py does. Each must end in exit 2 with a sentence saying
what is wrong and what to do, within 30 s and under 1 GiB. The figures are printed
(``pytest -s``) for the closing note.
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

pytestmark = pytest.mark.slow

KIT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT_ROOT / "benchmarks"))
from measure import measure, surgery_run  # noqa: E402

SECONDS = 30
MEMORY = 1 << 30
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MB = 1 << 20


def _base(path: Path) -> Path:
    """A small good workbook (a header, two rows of text) to plant a hostile part in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Clients"
    sheet.append(["Name", "Town"])
    sheet.append(["Ann", "Leeds"])
    sheet.append(["Ben", "York"])
    workbook.save(path)
    return path


def _with_part(path: Path, part: str, pieces) -> Path:
    """A copy of the base workbook whose ``part`` is written from ``pieces`` (bytes, streamed)."""
    base = _base(path.with_name("base.xlsx"))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == part:
                continue
            target.writestr(item, source.read(item.filename))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as member:
            for piece in pieces:
                member.write(piece)
    return path


def _repeat(unit: bytes, count: int):
    block = unit * max(1, _MB // len(unit))
    per_block = _MB // len(unit) or 1
    full, rest = divmod(count, per_block)
    for _ in range(full):
        yield block
    yield unit * rest


def _sheet(rows: bytes | None = None, before: bytes = b"", cells=()):
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">').encode()
    yield before
    yield b"<sheetData>"
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Town</t></is></c></row>'
    yield from cells
    if rows:
        yield rows
    yield b"</sheetData></worksheet>"


def shared_strings_20m(folder: Path) -> Path:
    """20 million shared strings in under 2 MB."""
    pieces = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="20000000">'.encode(),
              *_repeat(b"<si/>", 20_000_000), b"</sst>"]
    return _with_part(folder / "strings.xlsx", "xl/sharedStrings.xml", pieces)


def comment_1gb(folder: Path, megabytes: int = 1024) -> Path:
    """A 1 GB XML comment before the sheet's dimension (where openpyxl's dimension parse stalled)."""
    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><!--'.encode()
        yield from _repeat(b"a" * 1024, megabytes << 10)
        yield b'--><dimension ref="A1:B3"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row></sheetData></worksheet>'
    return _with_part(folder / "comment.xlsx", "xl/worksheets/sheet1.xml", sheet())


def row_without_end(folder: Path) -> Path:
    """One row of 4 million cells and no </row> or "/>" anywhere in it (the old scan was quadratic)."""
    cells = _repeat(b'<c t="n"><v>1</v></c>', 4_000_000)
    return _with_part(folder / "long-row.xlsx", "xl/worksheets/sheet1.xml",
                      _sheet(cells=[b'<row r="2">', *cells, b"</row>"]))


def cell_300mb(folder: Path) -> Path:
    """One inline cell of 300 MB."""
    cells = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="B2" t="inlineStr"><is><t>',
             *_repeat(b"y" * 1024, 300 * 1024), b"</t></is></c></row>"]
    return _with_part(folder / "cell.xlsx", "xl/worksheets/sheet1.xml", _sheet(cells=cells))


def shared_string_2mb(folder: Path) -> Path:
    """One shared string of 2 MB, shown in cell B3 of sheet 'Clients'."""
    pieces = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="4" uniqueCount="4">'.encode(),
              b"<si><t>Name</t></si><si><t>Town</t></si><si><t>Ann</t></si><si><t>", *_repeat(b"z" * 1024, 2048),
              b"</t></si></sst>"]
    path = _with_part(folder / "shared-cell.xlsx", "xl/sharedStrings.xml", pieces)
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="n"><v>3</v></c></row>'
             '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c></row>'
             '</sheetData></worksheet>').encode()
    rewritten = folder / "shared-cell-2.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return rewritten


def sparse_2gb(folder: Path) -> Path:
    """A sparse 2 GB CSV: nothing on disk, 2 GB to anyone who reads it."""
    path = folder / "sparse.csv"
    with open(path, "wb") as handle:
        handle.write(b"Name,Town\nAnn,Leeds\n")
        handle.truncate(2 << 30)
    return path


def csv_cell_300mb(folder: Path) -> Path:
    """A CSV whose second row holds one cell of 300 MB (quoted, so it is one cell)."""
    path = folder / "cell.csv"
    with open(path, "wb") as handle:
        handle.write(b'Name,Notes\nAnn,"')
        for block in _repeat(b"note " * 200, 300 * 1024):
            handle.write(block)
        handle.write(b'"\nBen,short\n')
    return path


def csv_unclosed_quote(folder: Path) -> Path:
    """Two million rows, and a quote opened in row 2 that is never closed."""
    path = folder / "unclosed.csv"
    with open(path, "wb") as handle:
        handle.write(b'Name,Town,Visits\nAnn,"Leeds,3\n')
        for block in _repeat(b"Ben,York,4\n", 2_000_000):
            handle.write(block)
    return path


#: name -> (builder, a fragment the message must hold)
CASES = {
    "20 million shared strings": (shared_strings_20m, "more than 5,000,000 different texts"),
    "a 1 GB XML comment": (comment_1gb, "sheet 'Clients' holds 1,024 MB when unpacked"),
    "a 400 MB XML comment": (lambda folder: comment_1gb(folder, 400), "an XML comment of more than 1 MB"),
    "a row of 4 million cells without </row>": (row_without_end, "a row (row 2) of more than 16,384 cells"),
    "one 300 MB cell (workbook)": (cell_300mb, "Cell B2 of sheet 'Clients'"),
    "one 2 MB shared string": (shared_string_2mb, "Cell B3 of sheet 'Clients'"),
    "a sparse 2 GB file": (sparse_2gb, "2,048 MB, more than the 512 MB"),
    "one 300 MB cell (CSV)": (csv_cell_300mb, "line 2 runs on"),
    "an unclosed quote in row 2 of 2 million rows": (csv_unclosed_quote, "row 2"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_ends_in_exit_2_within_30_s_and_1_gib(case, tmp_path):
    build, fragment = CASES[case]
    data = build(tmp_path)
    result = measure(surgery_run("health-check", data, tmp_path / "bundle"), cwd=KIT_ROOT,
                     env={**os.environ, "PYTHONPATH": str(KIT_ROOT)}, check=False)
    print(f"\n{result.line(case)}  [{data.stat().st_size / _MB:,.1f} MB on disk]")
    said = result.stdout + result.stderr
    assert result.returncode == 2, said[-3000:]
    assert "Traceback" not in said
    assert fragment in said, said[-2000:]
    assert result.seconds < SECONDS, result.line(case)
    assert result.peak_bytes < MEMORY, result.line(case)
