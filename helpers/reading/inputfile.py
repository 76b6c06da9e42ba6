"""The first look at a charity's file: is it there, and is it a kind the kit reads?

Kept apart from the loader (and free of pandas) so that ``surgery run`` can refuse a
missing or unreadable file at once, before it starts a kernel.
"""

from __future__ import annotations

from pathlib import Path

from helpers.errors import InputProblem

DELIMITED_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
#: .xls is let through only when it holds CSV text, as some web systems export it.
READABLE_SUFFIXES = DELIMITED_SUFFIXES | EXCEL_SUFFIXES | {".xls"}
#: The biggest file the kit reads: the loader holds the file in memory once (the runner
#: only streams it for its fingerprint), so a bigger or sparse file is refused by its size
#: before a byte of it is read.
MAX_INPUT_BYTES = 512 << 20
SAVE_AS = "Open it in Excel, save it as .xlsx or CSV (File > Save As), and use the new file."
#: How every Microsoft compound file starts: old .xls workbooks, and encrypted .xlsx ones.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# An encrypted .xlsx is a compound file holding a stream of this name.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def ole_message(data: bytes, name: str) -> str:
    """What to say about a Microsoft compound file: a workbook with a password, or an old .xls.

    Example:
        >>> ole_message(OLE_SIGNATURE + b"\\x00" * 64 + _ENCRYPTED_STREAM, "clients.xlsx")[:60]
        "'clients.xlsx' is an encrypted workbook: it has a password t"
    """
    if _ENCRYPTED_STREAM in data:
        return (f"'{name}' is an encrypted workbook: it has a password to open it, which the kit cannot "
                "read. Open it in Excel, save it without a password (File > Info > Protect Workbook > "
                "Encrypt with Password, clear the password, then save), and use that copy.")
    return f"'{name}' is an old-style Excel file (.xls), which the kit does not read. {SAVE_AS}"


def unsupported_message(name: str, suffix: str) -> str:
    """What to say about a file of a kind the kit does not read."""
    if suffix == ".ods":
        return (f"'{name}' is an OpenDocument spreadsheet (from LibreOffice, OpenOffice or an .ods export), "
                "which the kit does not read. Open it and save it as an Excel workbook (.xlsx) with "
                "File > Save As, then use the new file.")
    if suffix == ".numbers":
        return f"'{name}' is an Apple Numbers spreadsheet, which the kit does not read. Export it as .xlsx or CSV and use that."
    kind = f"a {suffix} file" if suffix else "a file with no type ending"
    return (
        f"'{name}' is {kind}, not a table the kit reads. Export the data as an Excel "
        "workbook (.xlsx) or a CSV file and use that."
    )


def check_input_file(path) -> Path:
    """Refuse a file that is missing, a folder, empty, too big, or of a kind the kit does not read.

    Args:
        path: The charity's file.

    Returns:
        The path, resolved.

    Raises:
        InputProblem: Naming the file (never its folder) and what to do.

    Example:
        >>> check_input_file("no-such-file.csv")
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: The file 'no-such-file.csv' was not found. Check the spelling and the folder, or drag the file into the terminal to paste its full path.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise InputProblem(
            f"The file '{path.name}' was not found. Check the spelling and the folder, "
            "or drag the file into the terminal to paste its full path."
        )
    if path.is_dir():
        raise InputProblem(f"'{path.name}' is a folder, not a file. Give the spreadsheet file itself.")
    if path.suffix.lower() not in READABLE_SUFFIXES:
        raise InputProblem(unsupported_message(path.name, path.suffix.lower()))
    size = path.stat().st_size
    if size == 0:
        raise InputProblem(f"The file '{path.name}' is empty. Export the data again and check the file has rows.")
    if size > MAX_INPUT_BYTES:
        raise InputProblem(
            f"The file '{path.name}' is {size / 2**20:,.0f} MB, more than the {MAX_INPUT_BYTES >> 20:,} MB the kit "
            "reads at once. Save only the rows and columns you need in a new file (or split the year into "
            "quarters), and use that."
        )
    if path.suffix.lower() == ".xls":
        _check_xls(path)
    return path.resolve()


def _check_xls(path: Path) -> None:
    """An .xls file is read when it is really CSV text or a web page's table (as some CRMs
    export them); say what to do otherwise."""
    with path.open("rb") as handle:  # read-only, like every look at the charity's file
        head = handle.read(2048)
        if head.startswith(OLE_SIGNATURE):
            raise InputProblem(ole_message(head + handle.read(), path.name))
    if head.startswith(b"PK\x03\x04"):
        raise InputProblem(f"'{path.name}' is a modern Excel workbook named .xls. Rename it to .xlsx and try again.")
    lowered = head.lower()
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype html" in lowered:
        return
    if b"\x00" in head:
        raise InputProblem(f"'{path.name}' is an old-style Excel file (.xls), which the kit does not read. {SAVE_AS}")
