"""A local copy of the ONS Postcode Directory, added once with ``surgery data add FILE``.

The kit cannot ship every postcode's neighbourhood (the full directory is over a gigabyte), so a
volunteer who wants exact neighbourhoods downloads the ONS Postcode Directory (ONSPD) or the
National Statistics Postcode Lookup (NSPL) from the ONS Open Geography portal once, and this
module keeps the few columns the kit needs in a compact cache outside the repository: one small
Parquet file per postcode area, so a run reads only the areas its postcodes are in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import secrets
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from helpers.errors import InputProblem
from helpers.spine.processes import process_is_alive  # the kit's one liveness check (portable)

#: Where the directory can be downloaded (shown in ``surgery data add --help``).
DOWNLOAD_ADDRESS = "https://geoportal.statistics.gov.uk (search: ONS Postcode Directory)"

CACHE_ENV = "SURGERY_DATA_DIR"

# The directory's column names have changed between editions: these are the ones seen so far.
_COLUMNS = {
    "postcode": ("pcds", "pcd", "pcd7", "pcd8"),
    "terminated": ("doterm",),
    "laua": ("laua", "oslaua", "lad25cd", "lad24cd", "lad23cd", "lad22cd", "lad21cd"),
    "lsoa": ("lsoa11", "lsoa11cd"),
    "easting": ("oseast1m", "east1m"),
    "northing": ("osnrth1m", "north1m"),
}
_REQUIRED = ("postcode", "laua", "lsoa")
_AREA = re.compile(r"^[A-Z]{1,2}")


def cache_folder() -> Path:
    """Where the added directory is kept: ``$SURGERY_DATA_DIR``, else ``~/.cache/data-surgery-kit``.

    Example:
        >>> cache_folder().name in ("postcode-directory",)
        True
    """
    root = Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "data-surgery-kit")
    return root / "postcode-directory"


def _pick(header: list[str]) -> dict[str, str]:
    folded = {name.strip().lower(): name for name in header}
    chosen = {}
    for role, names in _COLUMNS.items():
        for name in names:
            if name in folded:
                chosen[role] = folded[name]
                break
    return chosen


#: A postcode directory file refused unless ``--replace-small``: fewer postcodes or postcode areas than
#: these. The ONS Postcode Directory has about 2.7 million postcodes in 124 areas; a smaller file is
#: almost always a mistake (a test file, an excerpt) and would make every other postcode "not found".
FEWEST_POSTCODES = 1_000
FEWEST_AREAS = 2
#: Limits checked on a zip's CSV member *before* it is read. The published ONSPD CSV is about 1.5 GB,
#: compressed about eight to one; a "zip bomb" compresses hundreds to one.
MOST_UNZIPPED_BYTES = 8 * 2**30
MOST_COMPRESSION_RATIO = 50
MOST_ZIP_MEMBERS = 10_000
#: The longest header line read (the ONSPD header is under 1 kB).
MOST_HEADER_BYTES = 64_000
#: A built index's marker, written first in the folder being built: folders holding it are the kit's.
BUILD_MARKER = ".surgery-directory-build"
_GSS_CODE = re.compile(r"^[EWSNLMJ]\d{8}$")


class _SizeCheckedReader(io.RawIOBase):
    """A zip member's stream that stops with a sentence once it yields more bytes than declared."""

    def __init__(self, raw, declared: int, name: str):
        super().__init__()
        self._raw, self._left, self._name = raw, declared, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise InputProblem(f"The zip file is damaged ({error or 'it ends early'}) while reading {self._name}. "
                               f"Download the ONS Postcode Directory again from {DOWNLOAD_ADDRESS}.") from None
        self._left -= len(data)
        if self._left < 0:
            raise InputProblem(f"{self._name} in the zip holds more data than the zip declares for it: the file "
                               f"is damaged or not what it says. Download it again from {DOWNLOAD_ADDRESS}.")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _zip_member(path: Path):
    """The zip's largest CSV as a byte stream, after checking sizes and compression before reading.

    Raises:
        InputProblem: No CSV inside; too many members; a declared size over the limit; a
            compression ratio only a "zip bomb" has.
    """
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputProblem(f"{path.name} could not be opened as a zip file ({error}). Download the ONS Postcode "
                           f"Directory again from {DOWNLOAD_ADDRESS}.") from None
    if len(members) > MOST_ZIP_MEMBERS:
        raise InputProblem(f"{path.name} holds {len(members):,} files, more than the ONS Postcode Directory zip "
                           f"(the most the kit opens is {MOST_ZIP_MEMBERS:,}). Download it again from "
                           f"{DOWNLOAD_ADDRESS}.")
    csvs = [info for info in members if info.filename.lower().endswith(".csv")]
    if not csvs:
        raise InputProblem(f"{path.name} is a zip file without a CSV inside. Download the "
                           f"ONS Postcode Directory (CSV) from {DOWNLOAD_ADDRESS}.")
    biggest = max(csvs, key=lambda info: info.file_size)
    if biggest.file_size > MOST_UNZIPPED_BYTES:
        raise InputProblem(f"{biggest.filename} in {path.name} declares {biggest.file_size / 2**30:,.1f} GB "
                           f"unzipped, more than the {MOST_UNZIPPED_BYTES / 2**30:.0f} GB the kit reads. The ONS "
                           f"Postcode Directory's CSV is about 1.5 GB: download it again from {DOWNLOAD_ADDRESS}.")
    ratio = biggest.file_size / max(biggest.compress_size, 1)
    if ratio > MOST_COMPRESSION_RATIO:
        raise InputProblem(f"{biggest.filename} in {path.name} would unzip to {ratio:,.0f} times its size "
                           f"({biggest.compress_size:,} bytes to {biggest.file_size:,}); the kit stops above "
                           f"{MOST_COMPRESSION_RATIO} times, as no real postcode file compresses like that. "
                           f"Download the ONS Postcode Directory again from {DOWNLOAD_ADDRESS}.")
    return _SizeCheckedReader(archive.open(biggest), biggest.file_size, biggest.filename), biggest.file_size


class _CountedReader(io.RawIOBase):
    """A byte stream that moves a progress bar on as it is read (pandas pulls it through a text wrapper)."""

    def __init__(self, raw, bar):
        super().__init__()
        self._raw, self._bar = raw, bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._raw.readinto(buffer)
        self._bar.update(count or 0)
        return count

    def close(self) -> None:
        self._bar.close()
        self._raw.close()
        super().close()


def _open_csv(path: Path, progress: bool):
    """The directory's main CSV as a text stream (the file, or the largest CSV in a zip).

    With ``progress``, a bar counts the bytes read as pandas pulls them through.
    """
    if zipfile.is_zipfile(path):
        raw, size = _zip_member(path)
    else:
        raw, size = open(path, "rb", buffering=0), path.stat().st_size
    if progress:
        from tqdm.auto import tqdm

        raw = _CountedReader(raw, tqdm(total=size, desc="Indexing postcodes", unit="B", unit_scale=True))
    return io.TextIOWrapper(io.BufferedReader(raw, buffer_size=1 << 20), encoding="utf-8-sig", newline="")


def _header(stream, name: str) -> list[str]:
    line = stream.readline(MOST_HEADER_BYTES)
    if line and not line.endswith(("\n", "\r")):
        raise InputProblem(f"The first line of {name} is over {MOST_HEADER_BYTES:,} characters long, so it is not "
                           f"a CSV header. Download the ONS Postcode Directory CSV from {DOWNLOAD_ADDRESS}.")
    return next(csv.reader([line])) if line.strip() else []


def _read_table(path: Path, progress: bool) -> pd.DataFrame:
    """The directory's rows, compacted to the columns the kit keeps; bad text is a sentence, not a traceback."""
    try:
        with _open_csv(path, progress) as stream:
            names = [name.strip() for name in _header(stream, path.name)]
            repeated = sorted({name for name in names if names.count(name) > 1})
            if repeated:
                raise InputProblem(f"The header of {path.name} names the column '{repeated[0]}' more than once, "
                                   "so it is not the ONS Postcode Directory as published. Download it again "
                                   f"from {DOWNLOAD_ADDRESS}.")
            chosen = _pick(names)
            missing = [role for role in _REQUIRED if role not in chosen]
            if missing:
                raise InputProblem(
                    f"{path.name} does not look like the ONS Postcode Directory: it has no "
                    f"{' or '.join(_COLUMNS[missing[0]])} column. Download the ONSPD or NSPL CSV "
                    f"from {DOWNLOAD_ADDRESS}."
                )
            reader = pd.read_csv(stream, names=names, header=None, usecols=list(chosen.values()),
                                 dtype=str, chunksize=200_000, keep_default_na=False)
            renamed = {v: k for k, v in chosen.items()}
            parts = [_compact(chunk.rename(columns=renamed)) for chunk in reader]
    except UnicodeDecodeError as error:
        raise InputProblem(f"{path.name} is not UTF-8 text: a byte ({error.object[error.start:error.start + 1]!r}) "
                           "could not be read. The ONS Postcode Directory is published as UTF-8: download it "
                           f"again from {DOWNLOAD_ADDRESS}, or save the file as 'CSV UTF-8'.") from None
    except pd.errors.ParserError as error:
        # pandas counts from the first line after the header; the volunteer's editor counts from 1.
        fields = re.search(r"line (\d+), saw (\d+)", str(error))
        quote = re.search(r"EOF inside string starting at row (\d+)", str(error))
        if fields:
            where = f"line {int(fields.group(1)) + 1:,} has {fields.group(2)} fields where the header has {len(names)}"
        elif quote:
            where = f"a quote opened on line {int(quote.group(1)) + 2:,} is never closed"
        else:
            where = f"a row could not be read ({error})"
        raise InputProblem(f"{path.name} is not a regular CSV: {where}. The file may be damaged or cut short: "
                           f"download the ONS Postcode Directory again from {DOWNLOAD_ADDRESS}.") from None
    except pd.errors.EmptyDataError:
        parts = []
    if not parts:
        return _compact(pd.DataFrame(columns=["postcode", "laua", "lsoa"]))
    set_aside = sum(part.attrs.get("codes_set_aside", 0) for part in parts)
    table = pd.concat(parts, ignore_index=True).drop_duplicates("key", keep="last")
    table.attrs["codes_set_aside"] = set_aside
    return table


def _build_folder(folder: Path) -> Path:
    """A new, empty folder beside ``folder`` to build the index in, marked as the kit's."""
    token = secrets.token_hex(6)
    building = folder.parent / f".{folder.name}.new-{os.getpid()}-{token}"
    building.mkdir(parents=True)
    (building / BUILD_MARKER).write_text(json.dumps({"pid": os.getpid(), "token": token}), encoding="utf-8")
    return building


def _remove_index(folder: Path) -> None:
    """Delete an index the kit built: only its own files, and the folder if nothing else is left in it."""
    for pattern in ("*.parquet", "about.json", BUILD_MARKER):
        for path in folder.glob(pattern):
            path.unlink()
    try:
        folder.rmdir()
    except OSError:
        pass  # something the kit did not write is in it: leave it


def _sweep_abandoned_builds(folder: Path) -> None:
    """Remove half-built indexes left by a ``data add`` that was killed: marked, and their process gone."""
    for building in folder.parent.glob(f".{folder.name}.new-*"):
        marker = building / BUILD_MARKER
        try:
            pid = int(json.loads(marker.read_text(encoding="utf-8"))["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not the kit's: leave it
        if not process_is_alive(pid):
            _remove_index(building)


def _recover(folder: Path) -> None:
    """Put the previous index back if a swap was cut off between its two renames."""
    if folder.exists():
        return
    for old in sorted(folder.parent.glob(f".{folder.name}.old-*")):
        if (old / "about.json").is_file():
            os.replace(old, folder)
            return


def _swap_in(built: Path, folder: Path) -> None:
    """Put the complete new index in place of the old one, which is removed only afterwards."""
    old = folder.parent / f".{folder.name}.old-{os.getpid()}-{secrets.token_hex(6)}"
    if folder.exists():
        os.replace(folder, old)
    try:
        os.replace(built, folder)
    except OSError:
        if old.exists():
            os.replace(old, folder)
        raise
    if old.exists():
        _remove_index(old)


def add_directory(path: Path, folder: Path | None = None, progress: bool = True, replace_small: bool = False) -> dict:
    """Index an ONS Postcode Directory or NSPL file into the local cache, replacing the old index whole.

    The new index is built in a folder beside the old one and swapped in only when complete, so
    a failure (a bad file, a full disk, Ctrl-C) leaves the old index as it was. A file with fewer
    than 1,000 postcodes or a single postcode area is refused unless ``replace_small``.

    Args:
        path: The downloaded file: the zip as published, or its main CSV.
        folder: The cache folder (default :func:`cache_folder`).
        progress: Show a progress bar on the terminal.
        replace_small: Accept a small file (a test or a local extract) all the same.

    Returns:
        What was added: ``file``, ``postcodes``, ``areas``, ``terminated``, ``codes_set_aside``, ``added``.

    Raises:
        InputProblem: The file is missing, damaged, not UTF-8, ragged, a zip bomb, lacks a postcode,
            local authority or LSOA column, or is too small without ``replace_small``.

    Example:
        >>> import tempfile
        >>> source = Path(tempfile.mkdtemp()) / "onspd.csv"
        >>> _ = source.write_text("pcd,oslaua,lsoa11\\nE8 1DY,E09000012,E01001790\\n")
        >>> add_directory(source, source.parent / "cache", progress=False, replace_small=True)["postcodes"]
        1
    """
    path = Path(path)
    if not path.is_file():
        raise InputProblem(f"There is no file at {path}. Download the ONS Postcode Directory "
                           f"from {DOWNLOAD_ADDRESS} and give the path to the zip or its CSV.")
    folder = cache_folder() if folder is None else Path(folder)
    _recover(folder)
    table = _read_table(path, progress)
    table["area"] = table["key"].str.extract(r"^([A-Z]{1,2})", expand=False).fillna("")
    postcodes, areas = int(len(table)), int(table.loc[table["area"] != "", "area"].nunique())
    if (postcodes < FEWEST_POSTCODES or areas < FEWEST_AREAS) and not replace_small:
        installed = directory_about(folder)
        keeping = (f"The postcode directory already added ({installed.get('postcodes', 0):,} postcodes) is kept. "
                   if installed else "")
        raise InputProblem(
            f"{path.name} holds {postcodes:,} postcode{'s' * (postcodes != 1)} in {areas:,} postcode "
            f"area{'s' * (areas != 1)}, far fewer than the ONS "
            f"Postcode Directory (about 2.7 million in 124 areas), so it was not added: with it, every other "
            f"postcode would be 'not found'. {keeping}Download the full directory from {DOWNLOAD_ADDRESS}, or, "
            "if you mean to use this small file, run the command again with --replace-small."
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned_builds(folder)
    building = _build_folder(folder)
    try:
        for area, rows in table.groupby("area"):
            if area:
                rows.drop(columns="area").to_parquet(building / f"{area}.parquet", index=False)
        about = {
            "file": path.name,
            "postcodes": postcodes,
            "areas": areas,
            "terminated": int(table["terminated"].sum()),
            "codes_set_aside": int(table.attrs.get("codes_set_aside", 0)),
            "added": dt.date.today().isoformat(),
        }
        # about.json last: a folder without it is not a complete index.
        (building / "about.json").write_text(json.dumps(about, indent=1), encoding="utf-8")
        (building / BUILD_MARKER).unlink()
        _swap_in(building, folder)
    except BaseException:
        _remove_index(building)
        raise
    return about


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    # Codes are data, not text to show: anything not shaped like an ONS code (E09000012) is set aside,
    # so a cell such as "[Donate](https://...)" can never reach a report as a council's name.
    laua = frame["laua"].str.strip()
    lsoa = frame["lsoa"].str.strip()
    good_laua, good_lsoa = laua.str.fullmatch(_GSS_CODE.pattern), lsoa.str.fullmatch(_GSS_CODE.pattern)
    out = pd.DataFrame({
        "key": frame["postcode"].str.replace(" ", "", regex=False).str.upper(),
        "laua": laua.where(good_laua, ""),
        "lsoa": lsoa.where(good_lsoa, ""),
    })
    out.attrs["codes_set_aside"] = int(((laua != "") & ~good_laua).sum() + ((lsoa != "") & ~good_lsoa).sum())
    out["terminated"] = frame["terminated"].str.strip().ne("") if "terminated" in frame else False
    for axis in ("easting", "northing"):
        values = pd.to_numeric(frame[axis], errors="coerce") if axis in frame else pd.Series(float("nan"), index=frame.index)
        out[axis] = values.astype("float32")
    return out


def directory_about(folder: Path | None = None) -> dict | None:
    """What ``surgery data add`` last indexed, or None when nothing has been added.

    Example:
        >>> directory_about(Path("/nowhere")) is None
        True
    """
    folder = cache_folder() if folder is None else Path(folder)
    about = folder / "about.json"
    try:
        found = json.loads(about.read_text(encoding="utf-8")) if about.is_file() else None
    except (OSError, ValueError):
        return None  # a damaged index is no index: the shipped estimate is used instead
    return found if isinstance(found, dict) else None


def directory_status(folder: Path | None = None) -> str:
    """What ``surgery data status`` says: the index installed, its source file, date and count.

    The file name is the volunteer's own text: control characters in it are shown escaped, so
    it cannot move the terminal's cursor or change its colours.

    Example:
        >>> directory_status(Path("/nowhere")).startswith("No postcode directory has been added")
        True
    """
    folder = cache_folder() if folder is None else Path(folder)
    _recover(folder)
    about = directory_about(folder)
    if about is None:
        return ("No postcode directory has been added, so who-we-reach estimates each postcode's neighbourhood "
                "from its position. For exact neighbourhoods, download the ONS Postcode Directory from "
                f"{DOWNLOAD_ADDRESS} and run: surgery data add FILE")
    try:
        added = dt.date.fromisoformat(str(about.get("added"))).strftime("%-d %B %Y")
    except ValueError:
        added = "on an unknown date"
    name = str(about.get("file", "an unknown file")).encode("unicode_escape").decode("ascii")
    from helpers.writing.narrative import plural

    counts = {key: int(about.get(key, 0)) for key in ("postcodes", "areas", "terminated")}
    return (f"Postcode directory installed: {plural(counts['postcodes'], 'postcode')} in "
            f"{plural(counts['areas'], 'postcode area')} ({counts['terminated']:,} no longer in use), "
            f"from {name}, added {added}. Kept in {folder}.")


def directory_postcodes(keys: pd.Series, folder: Path | None = None) -> pd.DataFrame | None:
    """Look postcodes up in the added directory, reading only the postcode areas they are in.

    Args:
        keys: Distinct tidied postcodes without spaces.
        folder: The cache folder (default :func:`cache_folder`).

    Returns:
        Rows indexed by key with ``laua``, ``lsoa``, ``terminated``, ``easting``, ``northing``;
        or None when no directory has been added.

    Example:
        >>> directory_postcodes(pd.Series(["E81DY"]), Path("/nowhere")) is None
        True
    """
    folder = cache_folder() if folder is None else Path(folder)
    _recover(folder)
    if directory_about(folder) is None:
        return None
    areas = sorted({m.group(0) for m in map(_AREA.match, keys) if m})
    wanted = set(keys)
    parts = []
    for area in areas:
        path = folder / f"{area}.parquet"
        if path.exists():
            part = pd.read_parquet(path)
            parts.append(part[part["key"].isin(wanted)])
    if not parts:
        return pd.DataFrame(columns=["laua", "lsoa", "terminated", "easting", "northing"],
                            index=pd.Index([], name="key"))
    found = pd.concat(parts, ignore_index=True).set_index("key")
    found["lsoa"] = found["lsoa"].replace("", None)
    found["laua"] = found["laua"].replace("", None)
    return found
