"""A local copy of the ONS Postcode Directory, added once with ``surgery data add FILE``.

The kit cannot ship every postcode's neighbourhood (the full directory is over a gigabyte), so a
volunteer who wants exact neighbourhoods downloads the ONS Postcode Directory (ONSPD) or the
National Statistics Postcode Lookup (NSPL) from the ONS Open Geography portal once, and this
module keeps the few columns the kit needs in a compact cache outside the repository: one small
Parquet file per postcode area, so a run reads only the areas its postcodes are in.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from helpers.errors import InputProblem

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


def _open_csv(path: Path, progress: bool):
    """The directory's main CSV as a text stream (the file, or the largest CSV in a zip).

    With ``progress``, a bar counts the bytes read as pandas pulls them through.
    """
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        csvs = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
        if not csvs:
            raise InputProblem(f"{path.name} is a zip file without a CSV inside. Download the "
                               f"ONS Postcode Directory (CSV) from {DOWNLOAD_ADDRESS}.")
        biggest = max(csvs, key=lambda info: info.file_size)
        raw, size = archive.open(biggest), biggest.file_size
    else:
        raw, size = open(path, "rb"), path.stat().st_size
    if progress:
        from tqdm.auto import tqdm

        raw = tqdm.wrapattr(raw, "read", total=size, desc="Indexing postcodes")
        raw = raw.__enter__()
    return io.TextIOWrapper(raw, encoding="utf-8-sig")


def add_directory(path: Path, folder: Path | None = None, progress: bool = True) -> dict:
    """Index an ONS Postcode Directory or NSPL file into the local cache.

    Args:
        path: The downloaded file: the zip as published, or its main CSV.
        folder: The cache folder (default :func:`cache_folder`). Anything there is replaced.
        progress: Show a progress bar on the terminal.

    Returns:
        What was added: ``file``, ``postcodes``, ``areas``, ``terminated``, ``added``.

    Raises:
        InputProblem: The file is missing or lacks a postcode, local authority or LSOA column.

    Example:
        >>> import tempfile
        >>> source = Path(tempfile.mkdtemp()) / "onspd.csv"
        >>> _ = source.write_text("pcd,oslaua,lsoa11\\nE8 1DY,E09000012,E01001790\\n")
        >>> add_directory(source, source.parent / "cache", progress=False)["postcodes"]
        1
    """
    path = Path(path)
    if not path.is_file():
        raise InputProblem(f"There is no file at {path}. Download the ONS Postcode Directory "
                           f"from {DOWNLOAD_ADDRESS} and give the path to the zip or its CSV.")
    folder = cache_folder() if folder is None else Path(folder)
    stream = _open_csv(path, progress)
    with stream:
        header = stream.readline().rstrip("\r\n").split(",")
        chosen = _pick([name.strip('"') for name in header])
        missing = [role for role in _REQUIRED if role not in chosen]
        if missing:
            raise InputProblem(
                f"{path.name} does not look like the ONS Postcode Directory: it has no "
                f"{' or '.join(_COLUMNS[missing[0]])} column. Download the ONSPD or NSPL CSV "
                f"from {DOWNLOAD_ADDRESS}."
            )
        names = [name.strip('"') for name in header]
        reader = pd.read_csv(stream, names=names, header=None, usecols=list(chosen.values()),
                             dtype=str, chunksize=200_000, keep_default_na=False)
        renamed = {v: k for k, v in chosen.items()}
        parts = [_compact(chunk.rename(columns=renamed)) for chunk in reader]
    table = pd.concat(parts, ignore_index=True).drop_duplicates("key", keep="last")
    table["area"] = table["key"].str.extract(r"^([A-Z]{1,2})", expand=False).fillna("")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    for area, rows in table.groupby("area"):
        if area:
            rows.drop(columns="area").to_parquet(folder / f"{area}.parquet", index=False)
    about = {
        "file": path.name,
        "postcodes": int(len(table)),
        "areas": int(table["area"].nunique()),
        "terminated": int(table["terminated"].sum()),
        "added": dt.date.today().isoformat(),
    }
    (folder / "about.json").write_text(json.dumps(about, indent=1), encoding="utf-8")
    return about


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "key": frame["postcode"].str.replace(" ", "", regex=False).str.upper(),
        "laua": frame["laua"],
        "lsoa": frame["lsoa"],
    })
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
    return json.loads(about.read_text(encoding="utf-8")) if about.exists() else None


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
