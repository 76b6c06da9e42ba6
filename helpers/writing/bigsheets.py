"""Big tables to Excel fast: the sheet's XML built a column at a time, streamed into the file.

openpyxl's write-only mode appends one cell object at a time (about 100,000 cells a
second here), so a cleaned copy of a 1,000,000-row file would take minutes. Here each
column becomes its cells' XML with whole-column pandas string operations, the rows are
joined and streamed into the zip in blocks, and nothing but the block in hand is held
twice. The result looks like :func:`helpers.writing.workbooks.write_frames`' (bold, shaded,
frozen header; readable widths; dates as real dates shown dd/mm/yyyy), and it is as safe:
every text is written as an inline string, which Excel never runs as a formula, and the
control characters XML cannot hold are written the way Excel writes them (``_x000B_``).
A table longer than Excel's 1,048,576 rows goes on as many sheets as it needs.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from helpers.writing.workbooks import MAX_WIDTH, MIN_WIDTH

#: Rows of data a sheet holds below its header (Excel's limit is 1,048,576 rows in all).
SHEET_ROWS = 1_048_575
# Rows joined and written at a time: big enough to be quick, small enough to stay lean.
_BLOCK_ROWS = 50_000
_EXCEL_EPOCH = np.datetime64("1899-12-30")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text that already looks like Excel's escape for a character must be escaped itself.
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NEEDS_ESCAPING = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_HEADER_STYLE, _DATE_STYLE = 1, 2


def xml_text(text: str) -> str:
    """Text ready for a cell's XML: markup characters escaped, control characters as Excel writes them.

    Example:
        >>> xml_text("=1+1 <b> & tab\\x0bhere _x0041_")
        '=1+1 &lt;b&gt; &amp; tab_x000B_here _x005F_x0041_'
    """
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    return escape(text)


def _text_cells(texts: pd.Series, refs: pd.Series, style: str = "") -> pd.Series:
    # Most text needs no escaping at all: one search over the whole block says so, and only
    # when it finds something are the cells looked at one by one.
    if _NEEDS_ESCAPING.search("\n".join(texts.tolist())):
        awkward = texts.str.contains(_NEEDS_ESCAPING)
        texts = texts.astype(object)
        texts[awkward] = texts[awkward].map(xml_text)
        texts = texts.astype("str")
    return '<c r="' + refs + f'"{style} t="inlineStr"><is><t xml:space="preserve">' + texts + "</t></is></c>"


def _number_cells(numbers: pd.Series, refs: pd.Series, style: str = "") -> pd.Series:
    finite = numbers[np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan))]
    if pd.api.types.is_float_dtype(finite.dtype):
        whole = (finite % 1 == 0) & (finite.abs() < 1e15)  # 3.0 as "3"; huge numbers keep their exponent
        shown = finite.astype(str).where(~whole, finite.where(whole, 0).astype("int64").astype(str))
    else:
        shown = finite.astype("int64").astype(str)
    return ('<c r="' + refs[finite.index] + f'"{style}><v>' + shown + "</v></c>").reindex(numbers.index)


def _date_cells(dates: pd.Series, refs: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(dates, errors="coerce")
    present = stamps.dropna()
    serial = (present.to_numpy(dtype="datetime64[ns]") - _EXCEL_EPOCH) / np.timedelta64(1, "D")
    cells = _number_cells(pd.Series(serial, index=present.index), refs, f' s="{_DATE_STYLE}"')
    return cells.reindex(dates.index)


def _kind(value: object) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, str):
        return "s"
    if isinstance(value, (bool, np.bool_)):
        return "b"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "" if value != value else "n"
    if isinstance(value, (dt.date, np.datetime64)):
        return "d"
    return "s"


def _column_cells(values: pd.Series, refs: pd.Series) -> pd.Series:
    """Each cell of a column as its XML; "" for a blank cell."""
    values = values.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(values.dtype):
        cells = '<c r="' + refs + '" t="b"><v>' + values.astype("int64").astype(str) + "</v></c>"
    elif pd.api.types.is_numeric_dtype(values.dtype):
        cells = _number_cells(values.astype("float64") if values.dtype.kind == "f" else values, refs)
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        cells = _date_cells(values, refs)
    elif pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # all text: no per-cell look
        present = values.notna()
        cells = _text_cells(values[present].astype(str), refs[present]).reindex(values.index)
    else:
        kinds = values.map(_kind)
        cells = pd.Series("", index=values.index, dtype=object)
        for kind in ("s", "n", "d", "b"):
            chosen = kinds == kind
            if not chosen.any():
                continue
            part = values[chosen]
            if kind == "s":
                cells[chosen] = _text_cells(part.astype(str), refs[chosen])
            elif kind == "n":
                cells[chosen] = _number_cells(pd.to_numeric(part), refs[chosen])
            elif kind == "d":
                cells[chosen] = _date_cells(part, refs[chosen])
            else:
                flags = part.astype(bool).astype(int).astype(str)
                cells[chosen] = '<c r="' + refs[chosen] + '" t="b"><v>' + flags + "</v></c>"
    # Text held by Arrow, so that joining the cells into rows runs in Arrow, not per cell in Python.
    return cells.astype(object).fillna("").astype("str") if cells.dtype == object else cells.fillna("")


def _width(header: str, values: pd.Series) -> float:
    sample = values.head(200).dropna()
    lengths = [10 if isinstance(v, (dt.date, pd.Timestamp, np.datetime64)) else len(str(v)) for v in sample]
    return float(min(MAX_WIDTH, max(MIN_WIDTH, max([len(str(header)), *lengths]) + 2)))


def _sheet_xml(handle, table: pd.DataFrame) -> None:
    """Stream one sheet's XML: the header row, then the data rows a block at a time."""
    letters = [get_column_letter(position) for position in range(1, len(table.columns) + 1)]
    widths = "".join(
        f'<col min="{position}" max="{position}" width="{_width(column, table[column])}" customWidth="1"/>'
        for position, column in enumerate(table.columns, start=1)
    )
    handle.write(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + widths + "</cols>" if widths else ""}<sheetData>'
        .encode()
    )
    header = "".join(
        f'<c r="{letter}1" s="{_HEADER_STYLE}" t="inlineStr"><is><t xml:space="preserve">{xml_text(str(column))}'
        "</t></is></c>" for letter, column in zip(letters, table.columns, strict=True)
    )
    handle.write(f'<row r="1">{header}</row>'.encode())
    for start in range(0, len(table), _BLOCK_ROWS):
        block = table.iloc[start:start + _BLOCK_ROWS]
        numbers = pd.Series(np.arange(start + 2, start + 2 + len(block)).astype(str), dtype="str")
        rows = '<row r="' + numbers + '">'
        for position, letter in enumerate(letters):
            rows = rows + _column_cells(block.iloc[:, position], letter + numbers)
        _write_text(handle, rows + "</row>")
    handle.write(b"</sheetData></worksheet>")


def _write_text(handle, texts: pd.Series) -> None:
    """Write a column of Arrow-held text, every value one after another, as UTF-8: Arrow keeps
    them one after another already, so the bytes are written straight from its buffer."""
    for chunk in texts.array.__arrow_array__().chunks:
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets = offsets[chunk.offset:chunk.offset + len(chunk) + 1]
        handle.write(memoryview(chunk.buffers()[2])[offsets[0]:offsets[-1]])


def _pieces(name: str, table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A table as one sheet, or as several when it is longer than a sheet can hold."""
    if len(table) <= SHEET_ROWS:
        return [(name, table)]
    return [(name if start == 0 else f"{name[:26]} ({start // SHEET_ROWS + 1})", table.iloc[start:start + SHEET_ROWS])
            for start in range(0, len(table), SHEET_ROWS)]


def write_big_frames(path, sheets: Mapping[str, pd.DataFrame], index: bool = False) -> Path:
    """Write tables to an Excel workbook, one sheet each, as fast as pandas can make text.

    Args:
        path: The ``.xlsx`` file to write (its folder must exist).
        sheets: Sheet name -> table, in order. Names are cut to Excel's 31 characters; a
            table over :data:`SHEET_ROWS` rows continues on sheets named "Name (2)"...
        index: Also write each table's index as its first column.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> path = Path(tempfile.mkdtemp()) / "out.xlsx"
        >>> table = pd.DataFrame({"Town": ["Leeds", "=1+1"], "People": [3, 4.5], "On": pd.to_datetime(["2024-01-02", None])})
        >>> sheet = load_workbook(write_big_frames(path, {"Counts": table}))["Counts"]
        >>> [[cell.value for cell in row] for row in sheet.iter_rows()]
        [['Town', 'People', 'On'], ['Leeds', 3, datetime.datetime(2024, 1, 2, 0, 0)], ['=1+1', 4.5, None]]
        >>> sheet["A2"].data_type, sheet["A3"].data_type, sheet.freeze_panes
        ('s', 's', 'A2')
    """
    path = Path(path)
    named = []
    for name, frame in sheets.items():
        table = frame.reset_index() if index else frame
        named.extend(_pieces(str(name)[:31], table))
    if not named:
        named = [("Empty", pd.DataFrame())]
    sheet_list = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, (name, _) in enumerate(named, start=1))
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(named) + 1)
    ) + f'<Relationship Id="rId{len(named) + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(named) + 1)
    )
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", declaration + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"))
        archive.writestr("_rels/.rels", declaration + (
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", declaration + (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheet_list}</sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels",
                         declaration + f'<Relationships xmlns="{_PACKAGE_RELS}">{relations}</Relationships>')
        archive.writestr("xl/styles.xml", _STYLES)
        for number, (_, table) in enumerate(named, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as handle:
                _sheet_xml(handle, table)
    return path
