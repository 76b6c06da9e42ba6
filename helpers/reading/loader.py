"""Read a charity's CSV, TSV or Excel export into a clean table, and say what was done.

Real exports are messy: title rows above the header, blank rows and columns, a totals
row at the bottom, dates typed three ways, "N/A" in number columns, files saved in
Windows-1252. :func:`load_table` copes with all of these, never changes the file, and
keeps a short plain-English log of what it did for the report. Row numbers everywhere
are the ones the charity sees when it opens the file in Excel.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.reading.inputfile import (
    DELIMITED_SUFFIXES,
    EXCEL_SUFFIXES,
    OLE_SIGNATURE,
    SAVE_AS,
    check_input_file,
    ole_message,
    unsupported_message,
)
from helpers.reading.parsing import (
    cell_text,
    describe_date_forms,
    parse_numbers,
    read_column,
)
from helpers.reading.sheets import Grid, read_html_table, read_workbook
from helpers.writing.narrative import plural

#: File name endings the loader reads.

# How many rows at the top may hold titles before the header, and how many rows at the
# bottom may be totals.
_HEADER_SEARCH_ROWS = 30
_MAX_TOTALS_ROWS = 3
# A cell with more line breaks than this in a CSV is more likely an unclosed quote than a note.
_SUSPICIOUS_CELL_LINES = 20
#: The most characters one CSV cell may hold (as one workbook cell may hold 1 MB): more is an
#: unclosed quote, or not a table, and is refused naming the row before it costs memory.
MAX_CSV_CELL_CHARS = 1 << 20
#: The longest line (one row, unless a cell holds line breaks) a CSV may have.
MAX_CSV_LINE_CHARS = 8 << 20
_TOTAL_LABEL = re.compile(r"^(?:grand\s+|sub\s*-?\s*)?totals?\s*:?$", re.IGNORECASE)
_NUMBER_LIKE = re.compile(r"^[(+\-]*[£$€]?\s*-?[\d,]*\.?\d+\)?%?$")

_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": 'UTF-8 with a byte-order mark (Excel\'s "CSV UTF-8")',
    "utf-16": 'UTF-16 (Excel\'s "Unicode text")',
    "cp1252": 'Windows-1252 (older Excel "CSV")',
    "latin-1": "Latin-1",
}
_KIND_WORDS = {"date": ("date", "dates"), "number": ("number", "numbers")}



@dataclass
class LoadedTable:
    """A table read by :func:`load_table`, with a record of how it was read.

    Attributes:
        frame: The data. Its index (named "row") is the row number the spreadsheet
            shows (the Excel row, or the CSV line as Excel numbers it), so messages can
            cite ``frame.index`` values. Number columns are float64, date columns
            datetime64[ns], other columns text with blank cells missing.
        raw: Same index and columns: every cell as the text that was read ("" when
            blank), for before/after views.
        column_types: Column name -> "number", "date", "text" or "empty".
        unreadable: Column name -> row numbers whose cell could not be read as the
            column's type (only columns with at least one such row appear).
        log: What the loader did, as short plain-English lines.
        source_name: The file's name, without its folder.
        sheet: The sheet read from a workbook (None for CSV).
        encoding: The text encoding of a CSV ("utf-8", "utf-8-sig", "cp1252"...;
            None for Excel).
        delimiter: The CSV separator found (None for Excel).
        header_row: The row number of the header.
        totals_rows: Row numbers of totals rows found at the bottom and left out of
            ``frame``.
        sha256: Fingerprint of the file's bytes, to show the file was not changed.
        source_columns: Column name -> the column letter in the spreadsheet ("A", "B"...).
        month_first_columns: Date columns read month-first (US style) because they only
            made sense that way; the log says so too.
        header_doubt: A sentence for the report when the loader is unsure which row
            holds the column names (the log says it too), else None.
        date_forms: Date column -> how many cells were read in each form
            ("dd/mm/yyyy", "YYYYMMDD", "Excel dates"...); the log names them.
        uncalculated: Column -> row numbers of formulas Excel never calculated (no
            saved value): they read as blank but are not blank; the log says so.
        columns_left_out: Columns with data not read because of ``max_columns``.
    """

    frame: pd.DataFrame
    raw: pd.DataFrame
    column_types: dict[str, str]
    unreadable: dict[str, list[int]]
    log: list[str]
    source_name: str
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_row: int
    totals_rows: list[int]
    sha256: str
    source_columns: dict[str, str] = field(default_factory=dict)
    month_first_columns: list[str] = field(default_factory=list)
    header_doubt: str | None = None
    date_forms: dict[str, dict[str, int]] = field(default_factory=dict)
    uncalculated: dict[str, list[int]] = field(default_factory=dict)
    columns_left_out: int = 0

    def log_text(self) -> str:
        """The log as a few plain lines, one per step."""
        return "\n".join(self.log)

    def columns_of_type(self, kind: str) -> list[str]:
        """The columns read as ``kind`` ("number", "date", "text" or "empty"), in file order."""
        return [name for name, found in self.column_types.items() if found == kind]


def describe_rows(rows, limit: int = 5) -> str:
    """Row numbers for a message, shortened when there are many.

    Args:
        rows: Row numbers (any iterable of ints).
        limit: How many to name before "and N more".

    Returns:
        Text such as "row 14" or "rows 14, 27, 90 and 12 more".

    Example:
        >>> describe_rows([14])
        'row 14'
        >>> describe_rows(range(1, 10), limit=3)
        'rows 1, 2, 3 and 6 more'
    """
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:limit])
    if len(rows) > limit:
        return f"rows {shown} and {len(rows) - limit} more"
    if len(rows) == 2:
        return f"rows {rows[0]} and {rows[1]}"
    return f"rows {shown}"


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column position (1 -> "A", 28 -> "AB").

    Example:
        >>> [column_letter(n) for n in (1, 26, 27, 28)]
        ['A', 'Z', 'AA', 'AB']
    """
    letters = ""
    while position > 0:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def load_table(path, sheet: str | None = None, max_columns: int | None = None) -> LoadedTable:
    """Read a CSV/TSV/Excel export robustly; the file itself is never changed.

    CSV: the encoding (UTF-8, UTF-8 with a byte-order mark, UTF-16, Windows-1252) and
    the separator (comma, semicolon, tab, pipe) are worked out. Excel (.xlsx, .xlsm):
    ``sheet`` or else the first sheet with data. Then title rows above the header,
    blank rows and columns, and totals rows at the bottom are left out; each column is
    read as numbers, dates (UK day-first) or text (see
    :func:`helpers.reading.parsing.read_column`). Everything done is logged in ``.log``.

    Args:
        path: The charity's file.
        sheet: The workbook sheet to read; None or "" for the first with data.
            Ignored (and logged) for CSV.
        max_columns: Read at most this many columns (the first ones), saying so in
            the log and in ``columns_left_out``; None reads them all.

    Returns:
        A :class:`LoadedTable`.

    Raises:
        InputProblem: The file is missing, empty, not a table, an unsupported kind
            (such as old .xls), has no data rows, or the sheet does not exist. The
            message names the file (never its folder) and says what to do.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "visits.csv").write_text("Report\\n\\nName;Visits\\nAsha;3\\nBen;N/A\\n")
        >>> table = load_table(folder / "visits.csv")
        >>> table.frame["Visits"].tolist(), list(table.frame.index), table.header_row
        ([3.0, nan], [4, 5], 3)
    """
    path = Path(path)
    name = path.name
    data = _read_bytes(path)
    sha256 = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    sheet = sheet.strip() if isinstance(sheet, str) and sheet.strip() else None
    if suffix in EXCEL_SUFFIXES or suffix == ".xls":
        grid = _excel_or_text(data, name, suffix, sheet)
    elif suffix in DELIMITED_SUFFIXES:
        grid = _read_delimited(data, name, suffix)
    else:
        raise InputProblem(unsupported_message(name, suffix))
    if grid.sheet is None and sheet:
        grid.log.append(f"This file has no sheets, so sheet '{sheet}' was ignored.")
    return _build_table(grid, name, sha256, max_columns)


def _read_bytes(path: Path) -> bytes:
    check_input_file(path)
    try:
        with path.open("rb") as handle:  # read-only: the charity's file is never changed
            head = handle.read(8192)
            binary = _looks_binary(head) if path.suffix.lower() in DELIMITED_SUFFIXES else None
            if binary:  # said from its first bytes: a file of zeros is not read whole to say so
                raise InputProblem(_not_csv(path.name, binary))
            handle.seek(0)
            data = handle.read()  # once, whole: the file's size was checked first
    except OSError as error:
        raise InputProblem(
            f"The file '{path.name}' could not be opened ({error.strerror}). If it is open in "
            "Excel, close it and try again."
        ) from None
    if data.isspace():  # (without the copy data.strip() would make)
        raise InputProblem(f"The file '{path.name}' is empty. Export the data again and check the file has rows.")
    return data


def _looks_binary(data: bytes) -> str | None:
    """A plain description when the bytes are clearly not CSV text, else None."""
    if data.startswith(b"PK\x03\x04"):
        return "an Excel or Word file (a zipped package)"
    if data.startswith(OLE_SIGNATURE):
        return "an old-style Office file (.xls or .doc) or a password-protected workbook"
    if data.startswith(b"%PDF"):
        return "a PDF"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "a binary file"
    return None


def _excel_or_text(data: bytes, name: str, suffix: str, sheet: str | None) -> Grid:
    """Read a workbook, or what a file with a workbook's name really holds: some systems
    save CSV text or a web page's table under an Excel name."""
    if data.startswith(b"PK\x03\x04"):
        return read_workbook(data, name, sheet)
    if data.startswith(OLE_SIGNATURE):
        raise InputProblem(ole_message(data, name))
    head = data[:4096].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head:
        return read_html_table(data, name)
    if _looks_binary(data):
        raise InputProblem(f"'{name}' is not a readable Excel workbook. {SAVE_AS}")
    grid = _read_delimited(data, name, suffix)
    grid.log.insert(0, f"'{name}' is really CSV text, not an Excel workbook, so it was read as CSV.")
    return grid


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str, suffix: str) -> str:
    """The separator that splits the first lines into the most consistent number of fields."""
    # The first 200 lines, without splitting a whole big file into lines to find them: a
    # prefix that holds more than 200 lines holds the first 200 whole.
    head = text[:1_000_000]
    found = head.splitlines()
    if len(head) < len(text):
        found = found[:-1]  # the last line may be cut short
    lines = [line for line in found[:200] if line.strip()][:100]
    best, best_score = ",", (0.0, 1)
    candidates = ["\t", ",", ";", "|"] if suffix == ".tsv" else [",", ";", "\t", "|"]
    for delimiter in candidates:
        counts = [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]
        widths = [c for c in counts if c > 1]
        if not widths:
            continue
        modal = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (round(counts.count(modal) / len(counts), 2), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Lines:
    """The lines of a text as ``io.StringIO(text, newline="")`` reads them, one at a time,
    without the copy StringIO makes (four bytes a character: 290 MB for a 70 MB CSV).
    ``end`` is where the last line handed over ends: where the next record starts."""

    def __init__(self, text: str):
        self.text, self.end = text, 0

    def __iter__(self):
        text, start, size = self.text, 0, len(self.text)
        if text.count("\r") == text.count("\r\n"):  # no lone carriage return: cut at each line feed
            while start < size:
                end = (text.find("\n", start) + 1) or size
                if end - start > MAX_CSV_LINE_CHARS:  # measured before it is copied
                    raise _LineTooLong()
                self.end = end
                yield text[start:end]
                start = end
            return
        # The next line feed and carriage return, each searched for again only once passed:
        # one linear pass, at the speed of str.find, whatever the lines' lengths.
        feed, carriage = text.find("\n"), text.find("\r")
        while start < size:
            if 0 <= feed < start:
                feed = text.find("\n", start)
            if 0 <= carriage < start:
                carriage = text.find("\r", start)
            breaks = [at for at in (feed, carriage) if at >= 0]
            if not breaks:
                end = size
            else:
                at = min(breaks)
                end = at + 2 if text.startswith("\r\n", at) else at + 1
            if end - start > MAX_CSV_LINE_CHARS:  # measured before it is copied
                raise _LineTooLong()
            self.end = end
            yield text[start:end]
            start = end


class _LineTooLong(Exception):
    """A line of the file longer than :data:`MAX_CSV_LINE_CHARS`."""


def _line_longer_than(data: bytes, limit: int) -> int | None:
    """The line number where a line of at least twice ``limit`` bytes starts, found before the
    file is decoded (a 300 MB cell is refused before it costs a 300 MB string); else None.

    Every ``limit`` bytes from the start are searched for a line break, stopping at the first:
    a window without one lies inside a line longer than ``limit``.

    Example:
        >>> _line_longer_than(b"a\\n" + b"x" * 50 + b"\\nb\\n", 10), _line_longer_than(b"a\\nb\\n" * 20, 10)
        (2, None)
    """
    for start in range(0, len(data), limit):
        end = start + limit
        if end > len(data):
            return None
        if data.find(b"\n", start, end) < 0 and data.find(b"\r", start, end) < 0:
            return data.count(b"\n", 0, start) + 1
    return None


def _line_too_long(name: str, where: str) -> InputProblem:
    return InputProblem(
        f"In '{name}', {where} runs on for more than {MAX_CSV_LINE_CHARS >> 20} MB without a line break, more "
        "than the kit reads in one row: the file is not a table the kit can read, or a cell in it holds a whole "
        f"document. Open the file in Excel, shorten or delete that row, save it as CSV and run again."
    )


def _quote_open_at_end(record: str, delimiter: str) -> bool:
    """Whether a record's quote mark is still open when the file ends."""
    try:
        for _ in csv.reader(_Lines(record), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _unclosed_quote(name: str, row: int) -> InputProblem:
    return InputProblem(
        f"In '{name}', a quote mark (\") opens a cell in row {row} and is never closed, so the rest of the "
        "file would read as one cell and every row after it would be lost. Open the file in a text editor "
        f"(or Excel), close or remove the quote mark in row {row}, save it as CSV and run again."
    )


def _not_csv(name: str, binary: str) -> str:
    return (f"'{name}' is {binary}, not a CSV table. If it opens in Excel, save it as .xlsx or CSV "
            "and use that; otherwise export the data again as a table.")


def _read_delimited(data: bytes, name: str, suffix: str) -> Grid:
    binary = _looks_binary(data)
    if binary:
        raise InputProblem(_not_csv(name, binary))
    long_line = _line_longer_than(data, MAX_CSV_LINE_CHARS)
    if long_line:
        raise _line_too_long(name, f"line {long_line:,}")
    text, encoding = _decode(data)
    # A long note may pass the csv module's default limit of 128 KB; a cell of more than
    # MAX_CSV_CELL_CHARS is a quote mark never closed (or not a table), and is refused.
    csv.field_size_limit(MAX_CSV_CELL_CHARS)
    lines = _Lines(text)
    rows: list = []
    record_start = last_start = 0
    try:
        delimiter = _sniff_delimiter(text, suffix)
        # Excel numbers records, not physical lines, so a cell with a line break inside
        # stays one row; blank lines are rows too.
        reader = csv.reader(lines, delimiter=delimiter)
        longest, longest_at, line = 0, 0, 0
        for row in reader:
            rows.append(row)
            if reader.line_num - line > longest:
                longest, longest_at = reader.line_num - line, len(rows)
            line = reader.line_num
            last_start, record_start = record_start, lines.end  # where this record began; the next begins
        if rows and _quote_open_at_end(text[last_start:], delimiter):
            raise _unclosed_quote(name, len(rows))
    except _LineTooLong:
        raise _line_too_long(name, f"row {len(rows) + 1:,}") from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            row = len(rows) + 1
            raise InputProblem(
                f"In '{name}', the cell that starts in row {row} runs on for more than "
                f"{MAX_CSV_CELL_CHARS:,} characters: a quote mark (\") opened there is probably never closed, "
                "which would hide every row after it. Open the file in a text editor (or Excel), close or "
                f"remove the quote mark in row {row}, save it as CSV and run again."
            ) from None
        raise InputProblem(
            f"'{name}' could not be read as CSV ({error}). Open it in Excel, check it looks right, "
            "and save it again as CSV or .xlsx."
        ) from None
    separated = f"separated by {_DELIMITER_NAMES[delimiter]}"
    if all(len(row) <= 1 for row in rows):
        separated = "one column (no separator found)"
    log = [f"Read {name}: text encoding {_ENCODING_NAMES[encoding]}, {separated}."]
    if longest > _SUSPICIOUS_CELL_LINES:
        log.append(
            f"WARNING: one cell in row {longest_at} runs over {longest} lines of the file. A quote mark (\") "
            "may never have been closed, which hides the rows after it: check the file in Excel."
        )
    return Grid(rows, list(range(1, len(rows) + 1)), log, encoding=encoding, delimiter=delimiter)


def _grid_frames(grid: Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed cells and their text, as two frames indexed by row number."""
    width = max((len(row) for row in grid.rows), default=0)
    # Most exports are rectangular already; copy only the rows that need padding.
    padded = [row if len(row) == width else [*row, *[None] * (width - len(row))] for row in grid.rows]
    # The rows are in the frames now: let them go (a 1,000,000-row file holds hundreds of MB in them).
    grid.rows = []
    index = pd.Index(grid.row_numbers, name="row", dtype="int64")
    columns = range(1, width + 1)
    if grid.sheet is None:  # CSV cells are already text
        text = pd.DataFrame(padded, index=index, columns=columns, dtype="str").fillna("")
        return text, text
    typed = pd.DataFrame(padded, index=index, columns=columns, dtype=object)
    text_rows = [[cell if type(cell) is str else cell_text(cell) for cell in row] for row in padded]
    text = pd.DataFrame(text_rows, index=index, columns=columns, dtype="str")
    return typed, text


# Cells that say a row holds someone's data, not column names: an email, a phone number,
# a postcode, an amount, a plain number other than a year, a yes/no answer.
_DATA_CELL = re.compile(
    r"^(?:[^@\s]+@[^@\s]+\.[^@\s]+"  # email
    r"|\+?\(?\d[\d ()\-]{6,}\d"  # phone (seven digits or more)
    r"|[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}"  # UK postcode
    r"|[(+\-]*[£$€]\s*-?[\d,]*\.?\d+\)?"  # money
    r"|yes|no|y|n|true|false|x|✓|✔)$",
    re.IGNORECASE,
)
# Numbers in a header are years ("2021") or dates (weeks of a register), which say nothing either way.
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def _data_cells(cells: list[str]) -> int:
    """How many cells of a row look like somebody's data rather than column names."""
    count = 0
    for cell in cells:
        if _DATA_CELL.match(cell) or (_NUMBER_LIKE.match(cell) and not _YEAR.match(cell)):
            count += 1
    return count


def _header_like(cells: list[str], width: int) -> bool:
    """Wide enough and made of names: fewer than half its cells look like data."""
    return len(cells) >= max(2, math.ceil(width / 2)) and _data_cells(cells) / len(cells) < 0.5


@dataclass
class _Header:
    """Where the header is, and what the loader is unsure of."""

    row: int
    group_rows: list[int] = field(default_factory=list)
    doubt: str | None = None


def _find_header(filled: pd.DataFrame, text: pd.DataFrame, merged_rows: set[int] = frozenset()) -> _Header:
    """The header: the first wide row of names, not of someone's data, below any group row.

    A row of a person's details (an email, a phone number, yes/no answers) is never
    taken as the header, while column names that are years ("2021") or repeat
    ("Attended", "Attended") are. A row of group names over the header ("Person" over
    First name and Last name, cells merged in Excel) is passed over: its names sit above
    some of the next row's names and leave gaps.
    """
    counts = filled.sum(axis=1)
    top = counts[counts > 0].head(_HEADER_SEARCH_ROWS * 3)
    width = int(top.max())
    if width <= 1:
        return _Header(int(top.index[0]))
    candidates = list(top.index[:_HEADER_SEARCH_ROWS])

    def cells_of(row_number) -> list[str]:
        return [c.strip() for c in text.loc[row_number] if c.strip()]

    for position, row_number in enumerate(candidates):
        cells = cells_of(row_number)
        if not _header_like(cells, width):
            continue
        chosen, groups = int(row_number), []
        for below in candidates[position + 1:]:
            here, under = filled.loc[chosen], filled.loc[below]
            gaps = under & ~here
            # Merged across columns in Excel, or at least one gap per group name (in a CSV).
            spans = chosen in merged_rows or int(gaps.sum()) >= int(here.sum())
            if below == chosen + 1 and spans and not (here & ~under).any() and gaps.any() \
                    and _header_like(cells_of(below), width) and _data_cells(cells_of(chosen)) == 0:
                groups.append(chosen)
                chosen = int(below)
            else:
                break
        header = _Header(chosen, groups)
        skipped = [int(r) for r in candidates[:position] if top[r] >= 2]
        if skipped:
            header.doubt = (
                f"The column names were taken from row {chosen}; row {skipped[0]} above it also has "
                f"several cells filled. If the column names look wrong, delete the rows above the real "
                "header in a copy of the file and run again."
            )
        return header
    first = int(top.index[0])
    return _Header(first, doubt=(
        f"No row looks clearly like column names, so row {first} was used. If the column names look "
        "like someone's details, add a row of column names above the data in a copy of the file and "
        "run again."
    ))


#: Column names the kit itself adds to a table or its output files (the row numbers in the
#: cleaned workbook, the index a playbook resets): a file's own column of that name (as in
#: the kit's own cleaned.xlsx) is renamed on reading, so the two never clash.
KIT_COLUMN_NAMES = ("Original row", "row", "unique_id", "postcode_status")
#: Control characters: invisible, refused by Excel, and able to drive a terminal (ESC).
_CONTROL_IN_NAME = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _header_names(cells: list[str], positions: list[int], log: list[str]) -> list[str]:
    """The column names: spaces folded, control characters removed, blanks named, repeats and
    the kit's own column names (:data:`KIT_COLUMN_NAMES`) made unique; each change logged.

    Example:
        >>> log = []
        >>> _header_names(["Name", "To\x01wn", "Original row", "name"], [1, 2, 3, 4], log)
        ['Name', 'Town', 'Original row (in the file)', 'name (2)']
        >>> print(log[0])
        Removed invisible control characters (which Excel cannot store) from 1 column name: 'Town' (column B).
    """
    names, renamed, unnamed, controlled, kits = [], [], [], [], []
    for cell, position in zip(cells, positions):
        cleaned = _CONTROL_IN_NAME.sub("", cell)
        name = " ".join(cleaned.split())  # also folds line breaks typed into header cells
        if cleaned != cell and name:
            controlled.append(f"'{name}' (column {column_letter(position)})")
        if name.casefold() in {kit.casefold() for kit in KIT_COLUMN_NAMES}:
            kits.append(f"'{name}' is read as '{name} (in the file)'")
            name = f"{name} (in the file)"
        if not name:
            name = f"Column {position}"
            unnamed.append(f"{column_letter(position)} ('{name}')")
        names.append(name)
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        key = name.casefold()
        if key in seen:
            suffix = seen[key] + 1
            while f"{name} ({suffix})".casefold() in {n.casefold() for n in names + unique}:
                suffix += 1
            seen[key] = suffix
            renamed.append(f"'{name} ({suffix})'")
            name = f"{name} ({suffix})"
        else:
            seen[key] = 1
        unique.append(name)
    if controlled:
        log.append(f"Removed invisible control characters (which Excel cannot store) from "
                   f"{plural(len(controlled), 'column name')}: {', '.join(controlled)}.")
    if kits:
        log.append(f"The file has a column named as one the kit adds to its own files, so {', '.join(kits)} "
                   "(the kit's cleaned.xlsx has one, for example).")
    if unnamed:
        log.append(f"Gave a name to {plural(len(unnamed), 'column')} with data but no header: {', '.join(unnamed)}.")
    if renamed:
        log.append(f"Renamed repeated column names so each is unique: {', '.join(renamed)}.")
    return unique


def _totals_rows(typed: pd.DataFrame, text: pd.DataFrame, filled: pd.DataFrame) -> list[int]:
    """Totals rows at the bottom: a "Total" label, or numbers that are the sums of the column above."""
    found: list[int] = []
    rows = list(typed.index)
    while len(found) < _MAX_TOTALS_ROWS and len(rows) - len(found) > 1:
        row_number = rows[len(rows) - len(found) - 1]
        cells = text.loc[row_number].str.strip()
        used = cells[filled.loc[row_number]]
        if used.str.fullmatch(_TOTAL_LABEL).any() or _is_sum_row(typed, row_number, used, found):
            found.append(row_number)
        else:
            break
    return sorted(found)


def _is_sum_row(typed: pd.DataFrame, row_number: int, used: pd.Series, found: list[int]) -> bool:
    if used.empty or not used.str.match(_NUMBER_LIKE).all():
        return False
    above = typed.loc[: row_number - 1].drop(index=found, errors="ignore")
    if len(above) < 2:
        return False
    for column in used.index:
        total, total_failed = parse_numbers(typed.loc[[row_number], column])
        values, _ = parse_numbers(above[column])
        if total_failed.any() or values.notna().sum() < 2:
            return False
        if not math.isclose(total.iloc[0], values.sum(), rel_tol=1e-9, abs_tol=0.005):
            return False
    return True


def _build_table(grid: Grid, name: str, sha256: str, max_columns: int | None = None) -> LoadedTable:
    log = grid.log
    typed, text = _grid_frames(grid)
    # One pass over the cells (not one pandas call per column: a sheet may have 10,000).
    if len(text) > len(text.columns):  # a long table: one vectorised strip per column
        filled = pd.DataFrame({c: (text[c].str.strip() != "").to_numpy(dtype=bool) for c in text.columns},
                              index=text.index, columns=text.columns)
    else:
        cells = text.to_numpy(dtype=object)
        filled = pd.DataFrame(np.frompyfunc(lambda cell: bool(cell.strip()), 1, 1)(cells).astype(bool)
                              if cells.size else np.zeros(cells.shape, dtype=bool),
                              index=text.index, columns=text.columns)
    if not filled.to_numpy().any():
        raise InputProblem(f"'{name}' has no data in it. Check it is the right file{' and sheet' if grid.sheet else ''}.")
    header = _find_header(filled, text, grid.xml.merged_rows if grid.xml else set())
    header_row = header.row
    above = filled.loc[: header_row - 1].any(axis=1)
    titles = int(above.sum()) - len(header.group_rows)
    if header.group_rows:
        groups = [c.strip() for r in header.group_rows for c in text.loc[r] if c.strip()]
        log.append(
            f"Row {describe_rows(header.group_rows).removeprefix('row ')} holds group names over the column "
            f"names ({', '.join(repr(g) for g in groups[:4])}); the column names are row {header_row}."
        )
    if titles:
        log.append(f"Skipped {plural(titles, 'title row')} above the header (the header is row {header_row}).")
    if header.doubt:
        log.append(f"WARNING: {header.doubt}")

    body = filled.loc[header_row + 1:]
    used_rows = body.any(axis=1)
    if not used_rows.any():
        raise InputProblem(
            f"'{name}' has column names (row {header_row}) but no rows of data under them. "
            "Check it is the right file" + (" and sheet." if grid.sheet else ".")
        )
    last_row = used_rows[used_rows].index[-1]
    inner_blank = [int(r) for r in used_rows.loc[:last_row][~used_rows.loc[:last_row]].index]
    data_rows = used_rows[used_rows].index

    header_cells = text.loc[header_row]
    has_data = filled.loc[data_rows].any(axis=0)
    has_name = header_cells.str.strip() != ""
    kept = [c for c in text.columns if has_data[c] or has_name[c]]
    first, last = kept[0], kept[-1]
    kept_set = set(kept)
    blank_columns = [c for c in text.columns if first < c < last and c not in kept_set]
    dropped = []
    if inner_blank:
        dropped.append(f"{plural(len(inner_blank), 'blank row')} ({describe_rows(inner_blank)})")
    if blank_columns:
        letters = ", ".join(column_letter(c) for c in blank_columns)
        dropped.append(f"{plural(len(blank_columns), 'blank column')} ({'column' if len(blank_columns) == 1 else 'columns'} {letters})")
    if dropped:
        log.append(f"Dropped {' and '.join(dropped)}.")

    left_out = 0
    if max_columns and len(kept) > max_columns:
        left_out = len(kept) - max_columns
        kept = kept[:max_columns]
        log.append(
            f"WARNING: the table has {len(kept) + left_out:,} columns. The kit reads the first {max_columns:,} "
            f"(columns {column_letter(kept[0])} to {column_letter(kept[-1])}) and leaves out the other "
            f"{left_out:,}. To check those, save them in a file of their own and run again."
        )
    names = _header_names([header_cells[c] for c in kept], kept, log)
    typed = typed.loc[data_rows, kept].set_axis(names, axis=1)
    text = text.loc[data_rows, kept].set_axis(names, axis=1)
    filled = filled.loc[data_rows, kept].set_axis(names, axis=1)

    totals = _totals_rows(typed, text, filled)
    if totals:
        log.append(f"{plural(len(totals), 'totals row')} ({describe_rows(totals)}) not counted as data.")
        typed, text = typed.drop(index=totals), text.drop(index=totals)

    controls = _control_characters(text)
    if controls:
        where = "; ".join(f"'{column}' ({describe_rows(rows)})" for column, rows in controls.items())
        log.append(
            f"{plural(sum(map(len, controls.values())), 'cell')} {'holds' if sum(map(len, controls.values())) == 1 else 'hold'} "
            f"invisible control characters (such as a vertical tab or a NUL) that Excel cannot store: {where}. "
            "They are kept as read here; check those cells in the file."
        )
    uncalculated = _uncalculated(grid, names, kept, set(typed.index))
    for column, rows in uncalculated.items():
        log.append(
            f"Column '{column}' holds formulas Excel never calculated ({plural(len(rows), 'cell')}, "
            f"{describe_rows(rows)}): open and save the file in Excel, then run again. They are not counted as blank."
        )
    frame, column_types, unreadable, month_first, date_forms = _read_columns(typed, grid.serial_origin, log)
    raw = text.copy()
    summary = ", ".join(
        f"{n} {kind}" for kind in ("number", "date", "text", "empty")
        if (n := sum(t == kind for t in column_types.values()))
    )
    log.append(f"Kept {plural(len(frame), 'row')} of data and {plural(len(names), 'column')}: {summary}.")
    return LoadedTable(
        frame=frame,
        raw=raw,
        column_types=column_types,
        unreadable=unreadable,
        log=log,
        source_name=name,
        sheet=grid.sheet,
        encoding=grid.encoding,
        delimiter=grid.delimiter,
        header_row=header_row,
        totals_rows=totals,
        sha256=sha256,
        source_columns={n: column_letter(c) for n, c in zip(names, kept)},
        month_first_columns=month_first,
        header_doubt=header.doubt,
        date_forms=date_forms,
        uncalculated=uncalculated,
        columns_left_out=left_out,
    )


_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _control_characters(text: pd.DataFrame) -> dict[str, list[int]]:
    """Column -> rows whose cell holds a control character Excel cannot store (tab, line
    break and carriage return are ordinary text)."""
    found = {}
    for column in text.columns:
        hits = text[column].str.contains(_CONTROL, regex=True)
        if hits.any():
            found[column] = [int(row) for row in hits.index[hits]]
    return found


def _uncalculated(grid: Grid, names: list[str], positions: list[int], rows: set[int]) -> dict[str, list[int]]:
    """Column -> data rows whose cell is a formula with no saved value (a workbook written by a
    script and never opened in Excel): they read as blank, though they are not."""
    if grid.xml is None or not grid.xml.uncalculated:
        return {}
    by_column: dict[int, list[int]] = {}
    for row, column in grid.xml.uncalculated:
        if row in rows:
            by_column.setdefault(column, []).append(row)
    return {name: sorted(by_column[position]) for name, position in zip(names, positions) if position in by_column}


def _read_columns(typed: pd.DataFrame, serial_origin: str, log: list[str]):
    """Convert each column to its kind, noting unreadable cells and month-first dates."""
    converted, column_types, unreadable, month_first, date_forms = {}, {}, {}, [], {}
    for column in typed.columns:
        reading = read_column(typed[column], column, serial_origin=serial_origin)
        converted[column] = reading.values
        column_types[column] = reading.kind
        if reading.kind == "date":
            date_forms[column] = reading.date_forms
            log.append(f"{column}: read as {describe_date_forms(reading.date_forms)}.")
        if reading.month_first:
            month_first.append(column)
            log.append(
                f"WARNING: the dates in '{column}' only make sense month-first (US style, such as "
                "12/25/2024), so they were read that way. Check with the charity that this is right."
            )
        bad_rows = [int(r) for r in reading.failed[reading.failed].index]
        if bad_rows:
            unreadable[column] = bad_rows
    log.extend(_unreadable_lines(unreadable, column_types))
    frame = pd.DataFrame(converted, index=typed.index)
    return frame, column_types, unreadable, month_first, date_forms


def _unreadable_lines(unreadable: dict[str, list[int]], column_types: dict[str, str]) -> list[str]:
    """One log line per set of columns with the same unreadable rows.

    Questionnaire exports often hold words in many answer columns on the same
    rows; fourteen near-identical lines would bury the rest of the log.
    """
    groups: dict[tuple, list[str]] = {}
    for column, rows in unreadable.items():
        groups.setdefault((column_types[column], tuple(rows)), []).append(column)
    lines = []
    for (kind, rows), columns in groups.items():
        singular, plural_word = _KIND_WORDS[kind]
        if len(columns) == 1:
            where = f"in '{columns[0]}'"
        else:
            where = f"in each of {len(columns)} columns ('{columns[0]}' to '{columns[-1]}')"
        lines.append(
            f"{plural(len(rows), singular, plural_word)} {where} could not be read: "
            f"{describe_rows(list(rows))} (left blank; the original text is kept)."
        )
    return lines
