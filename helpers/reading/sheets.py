"""The cells of a workbook, as the loader needs them, and files that only look like workbooks.

:func:`read_workbook` reads the chosen sheet's real used range: empty cells that only carry
formatting (one bold cell at XFD1048576 makes a 5 KB file claim 17 billion cells) are
trimmed as the rows stream in, and a sheet that truly holds more than :data:`MAX_CELLS`
cells is refused with its name and size. Before openpyxl sees the file, every XML part is
streamed once within limits (:func:`helpers.reading.xmlparts.check_workbook_parts`: part
sizes, one cell's size, shared strings, rows, comments), which also finds what openpyxl's
read-only mode does not tell: group names merged across columns, and formulas never
calculated. :func:`read_html_table` reads the web page some CRMs save as
".xls"; :func:`zip_problem` names a zip that is not a workbook.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from dataclasses import dataclass

from helpers.errors import InputProblem
from helpers.reading.inputfile import SAVE_AS
from helpers.reading.parsing import EXCEL_ORIGIN
from helpers.reading.xmlparts import SheetXml, check_workbook_parts
from helpers.writing.narrative import plural

#: The most cells (rows x columns of the used range) the loader expands from one sheet:
#: about 1,000,000 rows of 30 columns. Bigger sheets are refused, naming their size.
MAX_CELLS = 30_000_000


@dataclass
class Grid:
    """Cells as read from the file, before the table is found in them."""

    rows: list  # typed cell values (str for CSV), one list (or empty tuple) per spreadsheet row
    row_numbers: list[int]
    log: list[str]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    serial_origin: str = EXCEL_ORIGIN
    xml: SheetXml | None = None


def zip_problem(data: bytes, name: str) -> str | None:
    """What a zip file really is when it is not an Excel workbook, as a sentence; None for a workbook.

    Example:
        >>> buffer = io.BytesIO()
        >>> with zipfile.ZipFile(buffer, "w") as archive:
        ...     archive.writestr("clients.csv", "Name\\nAnn\\n")
        >>> zip_problem(buffer.getvalue(), "clients.xlsx")
        "'clients.xlsx' is a zip archive holding 1 file (clients.csv), not an Excel workbook. Unzip it and use the spreadsheet inside."
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # its first bytes only, whatever it claims to hold
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, OSError, ValueError):
        return f"'{name}' is damaged: it starts like a workbook but cannot be opened as one. {SAVE_AS}"
    if b"opendocument.spreadsheet" in mimetype:
        return (f"'{name}' is an OpenDocument spreadsheet (from LibreOffice, OpenOffice or an .ods export), "
                "which the kit does not read. Open it and save it as an Excel workbook (.xlsx) with "
                "File > Save As, then use the new file.")
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        return f"'{name}' is a word-processor document, not a spreadsheet. Export the data as .xlsx or CSV."
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        files = [n for n in names if not n.endswith("/")]
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        return (f"'{name}' is a zip archive holding {plural(len(files), 'file')} ({shown}), not an Excel "
                "workbook. Unzip it and use the spreadsheet inside.")
    return None


def read_html_table(data: bytes, name: str) -> Grid:
    """Read the largest table of a web page saved under a spreadsheet name, as CRMs export them.

    The cells stay as text (phone numbers keep their leading 0), exactly like a CSV's.

    Args:
        data: The file's bytes.
        name: The file's name, for messages.

    Returns:
        A :class:`Grid` with one row per table row (header rows included).

    Raises:
        InputProblem: The page holds no table.

    Example:
        >>> page = b"<html><table><tr><th>Name</th><th>Phone</th></tr><tr><td>Ann</td><td>07700 900001</td></tr></table>"
        >>> read_html_table(page, "export.xls").rows
        [['Name', 'Phone'], ['Ann', '07700 900001']]
    """
    import pandas as pd
    from bs4 import BeautifulSoup

    # html.parser ships with Python; pandas reads the chosen table with bs4 and html5lib.
    # (lxml is left out on purpose: installed, it changes how openpyxl writes every workbook.)
    tables = BeautifulSoup(data, "html.parser").find_all("table")
    if not tables:
        raise InputProblem(f"'{name}' is a web page with no table in it, not a spreadsheet. {SAVE_AS}")
    table = max(tables, key=lambda element: len(element.find_all("tr")))
    width = max((len(row.find_all(["td", "th"], recursive=False)) for row in table.find_all("tr")), default=0)
    frame = pd.read_html(io.StringIO(str(table)), flavor="bs4", header=None, keep_default_na=False,
                         na_values=[], thousands=None,
                         converters={position: str for position in range(width)})[0]
    header_rows = []
    if not isinstance(frame.columns, pd.RangeIndex):  # <th> rows became column labels
        levels = frame.columns.nlevels
        header_rows = [[str(label[level]) if levels > 1 else str(label) for label in frame.columns]
                       for level in range(levels)]
    rows = header_rows + [["" if pd.isna(cell) else str(cell) for cell in row] for row in frame.itertuples(index=False)]
    log = [f"'{name}' is really a web page holding a table (as some CRMs save their exports), not an Excel "
           "workbook, so its table was read with pandas' HTML reader."]
    return Grid(rows, list(range(1, len(rows) + 1)), log)


def read_workbook(data: bytes, name: str, sheet: str | None) -> Grid:
    """Read the cells of one sheet of an .xlsx workbook: ``sheet``, or the first with data.

    Args:
        data: The file's bytes.
        name: The file's name, for messages and the log.
        sheet: The sheet to read; None for the first (visible) sheet with data.

    Returns:
        A :class:`Grid` of the sheet's used range, with its merged rows and uncalculated formulas.

    Raises:
        InputProblem: Not a workbook (naming what it is), no such sheet, no data, or a sheet
            too big to read (naming it and its size).
    """
    import openpyxl  # imported here so CSV-only sessions start faster

    problem = zip_problem(data, name)
    if problem:
        raise InputProblem(problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scans = check_workbook_parts(archive, name)  # within limits, before openpyxl allocates anything
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputProblem(f"'{name}' could not be read as an Excel workbook ({type(error).__name__}). {SAVE_AS}") from None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        names = [ws.title for ws in sheets]
        origin = "1904-01-01" if workbook.epoch.year == 1904 else EXCEL_ORIGIN
        log: list[str] = []
        if sheet is not None:
            chosen = _find_sheet(sheet, names, name)
            if chosen != sheet:
                log.append(f"There is no sheet '{sheet}' exactly; read sheet '{chosen}'.")
            rows = _sheet_rows(sheets[names.index(chosen)], name)
            if not _any_cell(rows):
                raise InputProblem(f"Sheet '{chosen}' of '{name}' is empty. Its sheets are: {_quoted(names)}.")
        else:
            # Hidden sheets (often lookups) only when no visible sheet has data.
            for worksheet in sorted(sheets, key=lambda ws: ws.sheet_state != "visible"):
                rows = _sheet_rows(worksheet, name)
                if _any_cell(rows):
                    chosen = worksheet.title
                    break
            else:
                raise InputProblem(f"'{name}' has no data in any sheet. Check it is the right file.")
        worksheet = sheets[names.index(chosen)]
        xml = scans.get(worksheet._worksheet_path.lstrip("/"), SheetXml())
        others = [n for n in names if n != chosen]
        also = f" (the file also has {plural(len(others), 'sheet')}: {_quoted(others)})" if others else ""
        log.insert(0, f"Read sheet '{chosen}' of {name}{also}.")
    finally:
        workbook.close()
    return Grid(rows, list(range(1, len(rows) + 1)), log, sheet=chosen, serial_origin=origin, xml=xml)


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _find_sheet(sheet: str, names: list[str], file_name: str) -> str:
    if sheet in names:
        return sheet
    folded = [n for n in names if n.strip().casefold() == sheet.casefold()]
    if len(folded) == 1:
        return folded[0]
    close = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InputProblem(f"There is no sheet '{sheet}' in '{file_name}'. Its sheets are: {_quoted(names)}.{hint}")


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet_rows(worksheet, file_name: str) -> list:
    """The sheet's rows, each cut after its last filled cell, up to the last filled row.

    Cells that only carry formatting are not data: a bold empty cell at XFD1048576
    costs nothing here. Rows stream in one at a time, so a sheet is refused as soon
    as its filled range passes :data:`MAX_CELLS`.
    """
    # Some exporters write a wrong size into the file; forget it and read every row.
    worksheet.reset_dimensions()
    rows: list = []
    last = width = 0
    for row in worksheet.iter_rows(min_row=1, min_col=1, values_only=True):
        end = len(row)
        while end and _blank(row[end - 1]):
            end -= 1
        rows.append(list(row[:end]) if end else ())
        if end:
            last, width = len(rows), max(width, end)
            if last * width > MAX_CELLS:
                raise InputProblem(
                    f"Sheet '{worksheet.title}' of '{file_name}' has data across at least {last:,} rows and "
                    f"{width:,} columns ({last * width:,} cells), more than the kit reads at once "
                    f"({MAX_CELLS:,} cells). Delete the rows and columns you do not need, or copy the part "
                    "you need into a new workbook, and use that."
                )
    del rows[last:]
    return rows


def _any_cell(rows: list[list]) -> bool:
    return any(cell is not None and (not isinstance(cell, str) or cell.strip()) for row in rows for cell in row)
