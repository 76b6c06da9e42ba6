"""A workbook's XML read within limits, before openpyxl is allowed to see it.

An .xlsx file is a zip of XML parts, and a file under 2 MB can unpack to gigabytes: 20
million shared strings, a 1 GB XML comment, a row of millions of cells, one 300 MB cell.
openpyxl would build all of it in memory (or stall in its parser) before the kit could
say a word. :func:`check_workbook_parts` therefore streams every XML part once, a
megabyte at a time, and refuses the file by name, with what to do, as soon as a limit is
passed:

- each part's size, as declared in the zip and as counted while reading
  (:data:`MAX_PART_BYTES`; the shared strings :data:`MAX_SHARED_STRINGS_BYTES`);
- one cell's text (:data:`MAX_CELL_BYTES`), naming the cell;
- how many shared strings (:data:`MAX_SHARED_STRINGS`), rows (Excel's 1,048,576), cells in
  one row (Excel's 16,384) and cell elements in a sheet (:data:`MAX_CELL_ELEMENTS`);
- XML comments over :data:`MAX_CELL_BYTES`, and any DOCTYPE (Excel writes neither).

The scan is linear: each megabyte is searched once, and what is carried to the next is
at most one element (a cell), never the whole stretch read so far. Parts that are not XML
(pictures, printer settings) are skipped unread. The same pass finds what openpyxl's
read-only mode does not tell (:class:`SheetXml`): cells merged across columns, and
formulas never calculated.

Example:
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    ...     archive.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1">'
    ...                      '<c r="A1" t="inlineStr"><is><t>' + "x" * 2_000_000 + '</t></is></c></row></sheetData></worksheet>')
    >>> check_workbook_parts(zipfile.ZipFile(buffer), "big.xlsx")
    Traceback (most recent call last):
    ...
    helpers.errors.InputProblem: Cell A1 of the part xl/worksheets/sheet1.xml in 'big.xlsx' holds more than 1 MB, more than the kit reads in one cell (a whole novel fits in 1 MB). Delete or shorten that cell in a copy of the file, and use the copy.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from helpers.errors import InputProblem

#: The most one XML part of a workbook may unpack to (a sheet of about 15 million cells).
MAX_PART_BYTES = 512 << 20
#: The most the shared strings part (every distinct text of the workbook) may unpack to.
MAX_SHARED_STRINGS_BYTES = 256 << 20
#: The most distinct texts a workbook may hold: openpyxl keeps each as a Python string.
MAX_SHARED_STRINGS = 5_000_000
#: The most one cell may hold, and the longest stretch of XML between two cells or rows.
MAX_CELL_BYTES = 1 << 20
#: The most cell elements one sheet's XML may hold (filled or only formatted).
MAX_CELL_ELEMENTS = 40_000_000
#: Excel's own limits: no workbook Excel saved has more.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
#: How much of a part is read at a time.
CHUNK_BYTES = 1 << 20

_ROOT = re.compile(rb"<(\w+:)?(worksheet|sst)\b")
_CELL_REF = re.compile(rb'\br="\$?([A-Z]{1,4}\$?\d{1,8})"')
_ROW_NUMBER = re.compile(rb'\br="(\d{1,9})"')
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell ref="\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>((?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[ >/].*?)</(?:\w+:)?c>',
                           re.S)
_SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>")
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_RESAVE = "Open it in Excel and save it again (File > Save As), then use the new file."


@dataclass
class SheetXml:
    """What openpyxl's read-only mode does not tell: merged cells and formulas with no saved value."""

    merged_rows: set[int] = field(default_factory=set)  # rows with cells merged across columns
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas never calculated


class _Stretch(Exception):
    """More than :data:`MAX_CELL_BYTES` between two element starts; ``head`` is how it begins."""

    def __init__(self, head: bytes, has_comment: bool):
        super().__init__()
        self.head, self.has_comment = head, has_comment


class _Refused(Exception):
    """A limit passed; ``what`` says which, to be put in a sentence naming the file."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def xml_blocks(source, starts: tuple[bytes, ...], budget: int = MAX_PART_BYTES, stretch: int = MAX_CELL_BYTES):
    """Blocks of whole elements from a part, a megabyte at a time, in one linear pass.

    A block ends just before the last of ``starts`` (element starts such as ``<c ``) in
    what has been read, so no element is ever split; the rest (one element at most) is
    carried to the next read. Only the newly read bytes are searched, and what is carried
    is bounded by ``stretch``, so the work is linear in the part's size.

    Args:
        source: A binary file object.
        starts: The byte strings that open an element a block may end before.
        budget: The most bytes to read; more raises :class:`_Refused`.
        stretch: The most bytes from one element start to the next; more raises :class:`_Stretch`.

    Example:
        >>> import io
        >>> [len(b) for b in xml_blocks(io.BytesIO(b"<a/><a/><a/>"), (b"<a",))]
        [8, 4]
    """
    tail = b""
    read = 0
    size = min(CHUNK_BYTES, stretch)  # two starts within one read are never further apart than this
    while True:
        chunk = source.read(size)
        read += len(chunk)
        if read > budget:
            raise _Refused(f"more than {budget >> 20:,} MB when unpacked")
        data = tail + chunk if tail else chunk
        if not chunk:
            if data:
                yield data
            return
        # Search only what is new (and a few bytes before it, for a start split between reads).
        since = max(0, len(tail) - 16)
        cut = max(data.rfind(start, since) for start in starts)
        # What was carried began at an element start: the next start must come within the stretch.
        following = [at for start in starts if (at := data.find(start, max(since, 1))) >= 0]
        if following and min(following) > stretch:
            raise _Stretch(data[:300], b"<!--" in data[:min(following)])
        if cut <= 0:  # no new element start: what is carried grows, up to the stretch allowed
            if len(data) > stretch:
                raise _Stretch(data[:300], b"<!--" in data)
            tail = data
            continue
        block, tail = data[:cut], data[cut:]
        if len(tail) > stretch:
            raise _Stretch(tail[:300], b"<!--" in tail)
        yield block


class _Markup:
    """Comments (measured across blocks) and declarations (refused), one block at a time."""

    def __init__(self):
        self.comment: int | None = None  # bytes inside the comment still open, if any

    def check(self, block: bytes) -> bytes:
        """The block without its comments (the same block when it has none)."""
        if self.comment is None and b"<!" not in block:
            return block
        kept: list[bytes] = []
        position = 0
        while True:
            if self.comment is not None:
                end = block.find(b"-->", position)
                self.comment += (len(block) if end < 0 else end) - position
                if self.comment > MAX_CELL_BYTES:
                    raise _Refused("an XML comment of more than 1 MB, which Excel never writes")
                if end < 0:
                    return b"".join(kept)
                self.comment, position = None, end + 3
            found = block.find(b"<!", position)
            if found < 0:
                kept.append(block[position:])
                return b"".join(kept)
            kept.append(block[position:found])
            if block.startswith(b"<!--", found):
                self.comment, position = 0, found + 4
            elif block.startswith(b"<![CDATA[", found):
                kept.append(b"<![CDATA[")
                position = found + 9
            else:
                raise _Refused("a DOCTYPE or ENTITY declaration, which Excel never writes (it can make a "
                               "small file expand without end, or read other files)")


def _prefixed(prefix: bytes, *names: bytes) -> tuple[bytes, ...]:
    return tuple(b"<" + prefix + name for name in names)


class _SheetScan:
    """The running counts of one worksheet's XML, block by block."""

    def __init__(self, prefix: bytes):
        self.cells = _prefixed(prefix, b"c ", b"c>", b"c/")
        self.rows = _prefixed(prefix, b"row ", b"row>", b"row/")
        self.found = SheetXml()
        self.cell_total = self.row_total = self.open_row_cells = 0
        self.row = 0  # the row open at the end of the last block

    def _count(self, block: bytes, start: int = 0, end: int | None = None) -> int:
        end = len(block) if end is None else end
        return sum(block.count(token, start, end) for token in self.cells)

    def _row_number(self, block: bytes, at: int) -> int:
        found = _ROW_NUMBER.search(block, at, at + 60)
        return int(found.group(1)) if found else self.row + 1

    def _too_wide(self, row: int) -> _Refused:
        return _Refused(f"a row (row {row:,}) of more than {EXCEL_COLUMNS:,} cells, more than Excel allows in a row")

    def _long_row_between(self, block: bytes, first: int, last: int) -> bool:
        """Whether a row between ``first`` and ``last`` may be long enough to pass Excel's width.

        Such a row spans at least 4 bytes a cell (``<c/>``); every window of half that,
        stepped by a quarter, holds a row start unless a row that long is there. Each
        search stops at the first row start, so a block of ordinary rows costs little.
        """
        window = max(64, EXCEL_COLUMNS * 2)
        for start in range(first + 1, last, window // 2):
            end = min(start + window, last)
            if end - start < window // 2:
                break
            if all(block.find(token, start, end) < 0 for token in self.rows):
                return True
        return False

    def feed(self, block: bytes) -> None:
        cells = self._count(block)
        starts = [at for token in self.rows if (at := block.find(token)) >= 0]
        rows = sum(block.count(token) for token in self.rows)
        self.cell_total += cells
        self.row_total += rows
        if self.cell_total > MAX_CELL_ELEMENTS:
            raise _Refused(f"more than {MAX_CELL_ELEMENTS:,} cells")
        if self.row_total > EXCEL_ROWS:
            raise _Refused(f"more than {EXCEL_ROWS:,} rows, more than Excel allows")
        if not rows:
            self.open_row_cells += cells
        else:
            first = min(starts)
            last = max(block.rfind(token) for token in self.rows)
            if self.open_row_cells + self._count(block, 0, first) > EXCEL_COLUMNS:
                raise self._too_wide(self.row)
            if cells > EXCEL_COLUMNS and self._long_row_between(block, first, last):
                bounds = sorted(at.start() for at in re.finditer(b"|".join(re.escape(t) for t in self.rows), block))
                for begin, end in zip(bounds, [*bounds[1:], len(block)]):
                    if self._count(block, begin, end) > EXCEL_COLUMNS:
                        raise self._too_wide(self._row_number(block, begin))
            self.row = self._row_number(block, last)
            self.open_row_cells = self._count(block, last)
        if self.open_row_cells > EXCEL_COLUMNS:
            raise self._too_wide(self.row)
        if b"mergeCell" in block:
            for first_col, first_row, last_col, last_row in _MERGE_CELL.findall(block):
                if first_col != last_col:
                    self.found.merged_rows.update(range(int(first_row), int(last_row) + 1))
        if b"<f" in block or b":f" in block:
            for letters, row, inner in _FORMULA_CELL.findall(block):
                if not _SAVED_VALUE.search(inner):
                    self.found.uncalculated.add((int(row), _column_number(letters)))


def scan_sheet_xml(source, budget: int = MAX_PART_BYTES, prefix: bytes = b"") -> SheetXml:
    """One linear, bounded pass over a worksheet's XML: its merged rows and uncalculated formulas.

    Raises:
        _Refused: A limit passed (see the module's list).
        _Stretch: One cell, or a stretch between cells, over :data:`MAX_CELL_BYTES`.

    Example:
        >>> import io
        >>> xml = b'<worksheet><sheetData><row r="2"><c r="B2"><f>1+1</f></c></row></sheetData></worksheet>'
        >>> scan_sheet_xml(io.BytesIO(xml)).uncalculated
        {(2, 2)}
    """
    sheet, markup = _SheetScan(prefix), _Markup()
    starts = (*sheet.cells, *sheet.rows, *_prefixed(prefix, b"mergeCell", b"/sheetData"), b"<!--")
    for block in xml_blocks(source, starts, budget):
        sheet.feed(markup.check(block))
    return sheet.found


def _scan_shared_strings(source, prefix: bytes, budget: int = MAX_SHARED_STRINGS_BYTES) -> None:
    """Count the shared strings within :data:`MAX_SHARED_STRINGS`; one over 1 MB raises _Stretch
    with ``index`` set to its position (0-based), so that the cell using it can be named."""
    starts = (*_prefixed(prefix, b"si>", b"si ", b"si/"), b"<!--")
    markup, count = _Markup(), 0
    try:
        for block in xml_blocks(source, starts, budget):
            block = markup.check(block)
            count += sum(block.count(token) for token in starts[:3])
            if count > MAX_SHARED_STRINGS:
                raise _Refused(f"more than {MAX_SHARED_STRINGS:,} different texts")
    except _Stretch as stretch:
        stretch.index = count
        raise


def _generic_scan(source, budget: int = MAX_PART_BYTES) -> None:
    markup = _Markup()
    for block in xml_blocks(source, (b"<",), budget):
        markup.check(block)


def _attributes(tag: bytes) -> dict[str, str]:
    return {key.decode().split(":")[-1]: value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(tag)}


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet1.xml") -> the sheet's name, from the workbook's own list.

    Read without openpyxl (the parts are small: each is checked before it is read).
    """
    try:
        workbook = _small_part(archive, "xl/workbook.xml")
        relations = _small_part(archive, "xl/_rels/workbook.xml.rels")
    except (KeyError, _Refused):
        return {}
    targets = {}
    for tag in _RELATIONSHIP.findall(relations):
        found = _attributes(tag)
        target = found.get("Target", "")
        targets[found.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in _SHEET_ENTRY.findall(workbook):
        found = _attributes(tag)
        if found.get("id") in targets:
            names[targets[found["id"]]] = found.get("name", "")
    return names


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 16 << 20:
        raise _Refused("a workbook list over 16 MB")
    with archive.open(info) as source:
        return source.read(16 << 20)


def _kind(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheets: dict[str, str]) -> tuple[str | None, bytes]:
    """"sheet", "strings", "xml" or None (not XML: skipped), and the part's namespace prefix.

    Known by the part's name (the workbook's list of sheets, the usual names) or by its root element.
    """
    with archive.open(info) as source:
        head = source.read(1 << 16)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None, b""
    root = _ROOT.search(head)
    prefix = (root.group(1) or b"") if root else b""
    part = info.filename
    if part in sheets or (part.startswith("xl/worksheets/") and part.count("/") == 2) or (
            root and root.group(2) == b"worksheet"):
        return "sheet", prefix
    if part.endswith("sharedStrings.xml") or (root and root.group(2) == b"sst"):
        return "strings", prefix
    return "xml", b""


def _cell_using_string(archive: zipfile.ZipFile, sheets: list[str], index: int) -> tuple[str, str] | None:
    """(part, cell reference) of the first cell showing shared string ``index``, if any."""
    value = b"<v>%d</v>" % index
    for part in sheets:
        try:
            with archive.open(part) as source:
                for block in xml_blocks(source, (b"<c ", b"<c>", b"<row")):
                    at = block.find(value)
                    while at >= 0:
                        start = max(block.rfind(b"<c ", 0, at), block.rfind(b"<c>", 0, at))
                        tag = block[start: block.find(b">", start) + 1]
                        if b't="s"' in tag:
                            reference = _CELL_REF.search(tag)
                            return part, reference.group(1).decode() if reference else "?"
                        at = block.find(value, at + 1)
        except (_Stretch, _Refused):
            continue
    return None


def check_workbook_parts(archive: zipfile.ZipFile, name: str) -> dict[str, SheetXml]:
    """Stream every XML part of a workbook within the limits; refuse the file by name if one is passed.

    Args:
        archive: The workbook, opened as a zip.
        name: The file's name, for messages.

    Returns:
        Worksheet part name ("xl/worksheets/sheet1.xml") -> its :class:`SheetXml`.

    Raises:
        InputProblem: Naming the file, the sheet (and the cell or row) and the limit, with what to do.
    """
    names = sheet_names(archive)
    found: dict[str, SheetXml] = {}
    infos = [info for info in archive.infolist() if not info.is_dir()]
    for info in infos:
        part = info.filename
        where = f"sheet '{names[part]}'" if part in names else f"the part {part}"
        try:
            kind, prefix = _kind(archive, info, names)
            if kind == "strings":
                where = f"its list of texts ({part})"
            if kind is None:
                continue  # a picture or printer settings: openpyxl's read-only mode never reads it
            budget = MAX_SHARED_STRINGS_BYTES if kind == "strings" else MAX_PART_BYTES
            if info.file_size > budget:
                raise _Refused(f"{info.file_size >> 20:,} MB when unpacked, more than the "
                               f"{budget >> 20:,} MB the kit reads from one part")
            with archive.open(info) as source:
                if kind == "sheet":
                    found[part] = scan_sheet_xml(source, budget, prefix)
                elif kind == "strings":
                    _scan_shared_strings(source, prefix, budget)
                else:
                    _generic_scan(source, budget)
        except _Refused as refused:
            raise InputProblem(f"'{name}' cannot be read: {where} holds {refused.what}. {_RESAVE} If it is "
                               "really that big, copy the part you need into a new workbook and use that.") from None
        except _Stretch as stretch:
            raise InputProblem(_stretch_message(archive, names, name, part, where, stretch)) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise InputProblem(f"'{name}' is damaged: its part {part} cannot be unpacked "
                               f"({type(error).__name__}). {_RESAVE}") from None
    return found


_TOO_BIG = ("holds more than 1 MB, more than the kit reads in one cell (a whole novel fits in 1 MB). Delete "
            "or shorten that cell in a copy of the file, and use the copy.")


def _stretch_message(archive, names: dict[str, str], name: str, part: str, where: str, stretch: _Stretch) -> str:
    if stretch.has_comment:
        return f"'{name}' cannot be read: {where} holds an XML comment of more than 1 MB, which Excel never writes. {_RESAVE}"
    if hasattr(stretch, "index"):  # one shared string over the limit: name a cell that shows it
        sheets = [p for p in names if p in archive.namelist()] or [
            n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        cell = _cell_using_string(archive, sheets, stretch.index)
        if cell:
            return f"Cell {cell[1]} of sheet '{names.get(cell[0], cell[0])}' in '{name}' {_TOO_BIG}"
        return f"One text in '{name}' (number {stretch.index + 1:,} of its shared texts) {_TOO_BIG}"
    reference = _CELL_REF.search(stretch.head[:200]) if stretch.head[:3] in (b"<c ", b"<c>") or re.match(
        rb"<\w+:c[ >]", stretch.head) else None
    if reference:
        return f"Cell {reference.group(1).decode()} of {where} in '{name}' {_TOO_BIG}"
    return (f"'{name}' cannot be read: {where} holds a stretch of more than 1 MB with no new cell in it, "
            f"which Excel never writes. {_RESAVE}")
