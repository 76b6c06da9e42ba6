"""Excel files for the charity: tidy sheets in the kit's house style.

Every playbook that hands the charity a spreadsheet writes it here, so they all
look alike: bold frozen header, columns wide enough to read, dates as real
Excel dates shown day-first. Text that starts with a formula character ("=",
"+", "-", "@", tab, carriage return) is written as a text cell, never as a
formula, so a cell in a charity's file cannot run anything in Excel; control
characters that an .xlsx file cannot hold are taken out, with a note.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd/mm/yyyy"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MIN_WIDTH, MAX_WIDTH = 8, 50


def excel_value(value: object) -> object:
    """A cell value openpyxl can write: Python scalars, datetimes, or None for blanks."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, (str, int, float, bool, dt.date, dt.datetime)):
        return value
    return str(value)


#: Text starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
#: when it opens a CSV file (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """Whether a spreadsheet would read this value as a formula rather than as text.

    Example:
        >>> looks_like_formula("=1+1"), looks_like_formula("-2+3"), looks_like_formula("Leeds"), looks_like_formula(-2)
        (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_text(text: str) -> str:
    r"""Text an .xlsx file can hold: control characters (NUL, vertical tab...) taken out.

    openpyxl refuses them with ``IllegalCharacterError``; Excel could not show them anyway.

    Example:
        >>> xlsx_text("Leeds\x0b"), xlsx_text("a\x00b"), xlsx_text("tab\tand line\nkept")
        ('Leeds', 'ab', 'tab\tand line\nkept')
    """
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def text_cell(sheet, text: str) -> WriteOnlyCell:
    r"""A write-only cell that holds ``text`` as text, even when it starts with "=".

    openpyxl stores any string that starts with "=" as a formula; a header or value from a
    charity's file must never run in Excel. Characters an .xlsx cannot hold are taken out
    (see :func:`xlsx_text`).

    Example:
        >>> from openpyxl import Workbook
        >>> cell = text_cell(Workbook(write_only=True).create_sheet(), "=1+1\x0b")
        >>> cell.value, cell.data_type
        ('=1+1', 's')
    """
    cell = WriteOnlyCell(sheet, xlsx_text(str(text)))
    cell.data_type = "s"
    return cell


def csv_safe(value: object) -> object:
    """A value ready for a CSV file a charity will open in Excel: formula-like text gets a
    leading apostrophe, as OWASP advises; numbers and other text are unchanged.

    Example:
        >>> csv_safe("=HYPERLINK(1)"), csv_safe("@SUM(1,1)"), csv_safe("Hackney"), csv_safe(-3)
        ("'=HYPERLINK(1)", "'@SUM(1,1)", 'Hackney', -3)
    """
    return "'" + value if looks_like_formula(value) else value


def _csv_field(value: object) -> object:
    # pandas quotes a field with a line feed but not one with a lone carriage return, which
    # a reader takes as the end of the row: a cell could then add rows of its own.
    if isinstance(value, str) and "\r" in value:
        value = csv_safe(value).replace("\r\n", "\n").replace("\r", "\n")
    return csv_safe(value)


def write_csv(frame: pd.DataFrame, path, index: bool = False, **to_csv) -> Path:
    """Write a table as CSV with every formula-like header and text value defused.

    A carriage return inside a text value becomes a line feed, so that the field is
    quoted and cannot end its row early.

    Args:
        frame: The table.
        path: The ``.csv`` file to write.
        index: Also write the index as the first column.
        **to_csv: Passed on to :meth:`pandas.DataFrame.to_csv`.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "ids.csv"
        >>> _ = write_csv(pd.DataFrame({"=id": ["=1+1", "A2"], "n": [1, -2]}), path)
        >>> path.read_text().splitlines()
        ["'=id,n", "'=1+1,1", 'A2,-2']
    """
    path = Path(path)
    table = frame.reset_index() if index else frame
    safe = table.copy(deep=False)
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_datetime64_any_dtype(safe[column])):
            safe[column] = safe[column].map(_csv_field)
    safe.columns = [csv_safe(str(column)) for column in safe.columns]
    safe.to_csv(path, index=False, **to_csv)
    return path


def _width(header: str, values: pd.Series) -> float:
    sample = values.head(200).map(lambda value: len(_shown(value)))
    longest = max([len(str(header)), *sample.tolist()]) if len(sample) else len(str(header))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _shown(value: object) -> str:
    value = excel_value(value)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "00/00/0000"
    return str(value)


def _column_cells(sheet, values: pd.Series, cleaned: list) -> list:
    """One column's values ready for ``sheet.append``: plain values where possible
    (fast), a text cell for formula-like text, a styled cell for dates. Text that held
    characters an .xlsx cannot store is appended to ``cleaned``."""
    cells = []
    for value in values.tolist():
        value = excel_value(value)
        if isinstance(value, (dt.date, dt.datetime)):
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = DATE_FORMAT
            value = cell
        elif isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):
                cleaned.append(value)
                value = xlsx_text(value)
            if looks_like_formula(value):
                value = text_cell(sheet, value)
        cells.append(value)
    return cells


def write_frames(path, sheets: Mapping[str, pd.DataFrame], index: bool = False,
                 notes: list | None = None) -> Path:
    """Writes tables to an Excel workbook, one sheet each, in the kit's house style.

    Fast enough for 100,000-row tables (openpyxl's write-only mode).

    Args:
        path: The ``.xlsx`` file to write (its folder must exist).
        sheets: Sheet name -> table, in the order the sheets should appear.
            Names longer than Excel's 31 characters are cut.
        index: Also write each table's index as its first column.
        notes: A list to append a sentence to when cells held control characters
            (NUL, vertical tab...) that an .xlsx cannot store and that were taken
            out; a warning says so too.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> write_frames(folder / "out.xlsx", {"Counts": pd.DataFrame({"Town": ["Leeds"], "People": [3]})}).name
        'out.xlsx'
    """
    path = Path(path)
    workbook = Workbook(write_only=True)
    cleaned: list = []
    for name, frame in sheets.items():
        table = frame.reset_index() if index else frame
        # Excel refuses these characters in a sheet name: backslash, slash, ? * [ ] and colon.
        sheet = workbook.create_sheet(re.sub(r"[\\/?*\[\]:]", "-", xlsx_text(str(name)))[:31] or "Sheet")
        sheet.freeze_panes = "A2"
        for position, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = _width(column, table.iloc[:, position - 1])
        header = []
        for column in table.columns:
            cell = text_cell(sheet, str(column))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            header.append(cell)
        sheet.append(header)
        columns = [_column_cells(sheet, table.iloc[:, position], cleaned)
                   for position in range(table.shape[1])]
        for row in zip(*columns, strict=True):
            sheet.append(row)
    if not sheets:
        workbook.create_sheet("Empty")
    workbook.save(path)
    if cleaned:
        note = (f"{len(cleaned):,} cells in {path.name} held control characters (such as a NUL or "
                "vertical tab) that Excel cannot store; those characters were left out.")
        warnings.warn(note, stacklevel=2)
        if notes is not None:
            notes.append(note)
    return path
