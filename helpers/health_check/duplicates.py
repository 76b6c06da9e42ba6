"""Rows that repeat each other: exact copies, and near copies once text is tidied or
that differ in one field, found by hashing so that large files stay quick.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from helpers.health_check.profile import (
    _NORMALISERS,
    NAME_KINDS,
    TableProfile,
    _row_list,
    _text_values,
    fold_series,
    profile_columns,  # noqa: F401  (the examples use it)
)
from helpers.reading.ukformats import normalise_series


def comparable_values(frame: pd.DataFrame, profile: TableProfile, raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table with every cell folded so that trivial differences disappear.

    Text is lower-cased with spaces squeezed, categories take their one
    spelling, emails, phones and postcodes their standard form, dates their
    ISO form. Two rows that are equal here say the same thing.

    Example:
        >>> table = pd.DataFrame({"Name": ["Ann  Lee", "ann lee"], "Email": ["A@b.org", "a@b.org "]})
        >>> comparable_values(table, profile_columns(table)).duplicated().tolist()
        [False, True]
    """
    folded = {}
    for name, info in profile.columns.items():
        series = frame[name]
        if info.checked_as:
            # Placeholders ("not known") are blank here too, as in the loaded frame.
            typed = _text_values(frame, raw, name).where(series.notna())
            standard = normalise_series(typed, _NORMALISERS[info.checked_as])
            text = standard.fillna(fold_series(typed))
        elif info.type == "date":
            text = _per_distinct(pd.to_datetime(series, errors="coerce"),
                                 lambda dates: pd.Series(pd.DatetimeIndex(dates).strftime("%Y-%m-%d"), dtype=object))
        elif info.type in ("number", "whole number"):
            text = _per_distinct(pd.to_numeric(series, errors="coerce"),
                                 lambda numbers: pd.Series([repr(number) for number in numbers.tolist()], dtype=object))
        else:
            spelled = series.map(info.spellings).fillna(series) if info.spellings else series
            text = fold_series(spelled)
        folded[name] = text.astype(object).where(text.notna(), None)
    return pd.DataFrame(folded, index=frame.index)


def _per_distinct(series: pd.Series, convert) -> pd.Series:
    """``convert`` (distinct values -> an object Series of their text) run once per distinct
    value and spread over the column; missing cells stay missing (a long column repeats its
    dates and amounts many times over)."""
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    text = np.append(convert(distinct).to_numpy(dtype=object), np.nan)
    return pd.Series(text[codes], index=series.index, dtype=object)


def _column_hashes(values: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per cell; every missing cell hashes alike (each distinct text hashed once)."""
    hashes = []
    for column in values.columns:
        codes, distinct = pd.factorize(values[column].fillna("\x00missing").astype(str), use_na_sentinel=True)
        hashes.append(pd.util.hash_array(np.append(np.asarray(distinct, dtype=object), "\x00missing"))[codes])
    return np.column_stack(hashes) if hashes else np.zeros((len(values), 0), dtype=np.uint64)


@dataclasses.dataclass
class DuplicateFindings:
    """Rows that repeat each other.

    Attributes:
        groups: One row per group of repeating rows: "Group", "Kind", "Rows",
            "Row numbers" (a list) and "Differs in" (the one column that
            differs, for near copies that differ in one field).
        exact_copies: Rows that are an exact copy of an earlier row.
        near_copies: Rows that repeat an earlier row once spaces, capitals and
            formats are tidied, or that differ from it in one field only
            (and are not exact copies).
    """

    groups: pd.DataFrame
    exact_copies: int
    near_copies: int


def identifier_columns(frame: pd.DataFrame, profile: TableProfile) -> list[str]:
    """The columns that hold a record's ID: a header from the roles table's ID spellings
    ("Client ID", "Patient"), a header that sounds like an identifier ("Voucher no") over
    values that are nearly all different, or distinct codes such as "C0042" (see
    :func:`helpers.health_check.profile.profile_columns`).

    Example:
        >>> table = pd.DataFrame({"Voucher no": ["V1", "V2", "V3"], "Batch no": ["A", "A", "B"], "Town": ["X", "Y", "Z"]})
        >>> identifier_columns(table, profile_columns(table))
        ['Voucher no']
    """
    return [name for name, info in profile.columns.items() if info.personal == "id"]


def person_columns(profile: TableProfile) -> list[str]:
    """The columns two rows must agree on to be copies: every name and every ID column.

    Two members at the same session paying the same fee differ only in their names; they
    are two people, not a copy.

    Example:
        >>> table = pd.DataFrame({"Member": ["Ava Nowak", "Ben Okafor"], "Client ID": ["C01", "C02"], "Fee": [3, 3]})
        >>> person_columns(profile_columns(table))
        ['Member', 'Client ID']
    """
    return [name for name, info in profile.columns.items() if info.personal in NAME_KINDS or info.personal == "id"]


def find_duplicate_rows(
    frame: pd.DataFrame, profile: TableProfile, raw: pd.DataFrame | None = None, min_shared: int = 3
) -> DuplicateFindings:
    """Finds exact copies of rows and near copies, by hashing (fast on large files).

    Exact copies match in every cell as typed. Near copies are rows that are
    the same once text is tidied (see :func:`comparable_values`), or, in
    tables of four or more columns, rows that agree on every column but one,
    with at least ``min_shared`` filled cells in common. Near copies always
    agree on every name and ID column (see :func:`person_columns`): the one
    column allowed to differ is never the one that says who the row is about,
    so two members at one session with the same fee are two people, not a
    copy. Rows only count as near
    copies when they agree on a *distinctive* column, one where most values
    differ (a name, an email, a date of birth; an ID does not count, as one
    client's visits share it): in a log of visits, two rows with the same
    date, count and category are two visits, not a copy.

    Args:
        frame: The table as loaded.
        profile: Its profile.
        raw: The cells as typed; exact copies are judged on these.
        min_shared: Filled cells two rows must share to be near copies.

    Returns:
        A :class:`DuplicateFindings`.

    Example:
        >>> table = pd.DataFrame({"Name": ["Ann", "Ann", "ann ", "Bo"], "Town": ["Leeds"] * 4})
        >>> found = find_duplicate_rows(table, profile_columns(table))
        >>> found.exact_copies, found.near_copies, found.groups["Row numbers"].tolist()
        (1, 1, [[0, 1, 2]])
    """
    typed = raw if raw is not None else frame
    exact_key = pd.Series(_column_hashes(typed.astype(object)).sum(axis=1, dtype=np.uint64)
                          if len(frame) else [], index=frame.index, dtype="uint64")
    who = set(person_columns(profile))
    folded = comparable_values(frame, profile, raw)

    filled = folded.notna().to_numpy()
    # An ID must agree, but is no evidence of a copy by itself: one client's visits share it.
    ids = set(identifier_columns(frame, profile))
    distinctive = np.array([c not in ids and folded[c].nunique() >= max(2, 0.5 * folded[c].notna().sum())
                            for c in folded.columns], dtype=bool)
    distinctive_filled = (filled & distinctive).sum(axis=1) if folded.shape[1] else np.zeros(len(folded), dtype=int)

    cell_hashes = _column_hashes(folded)
    # Weighted sums of per-cell hashes give a row hash from which one column's
    # part can be taken away: n rows x k columns work, never n x n.
    weights = np.random.default_rng(20240607).integers(1, 2**63, size=folded.shape[1], dtype=np.uint64) | np.uint64(1)
    with np.errstate(over="ignore"):
        weighted = cell_hashes * weights
        full = weighted.sum(axis=1, dtype=np.uint64)
    full_key = pd.Series(full, index=frame.index)

    records = []
    tidied_copies = 0

    def add(kind: str, members: pd.Index, column: str | None = None) -> None:
        rows = _row_list(members)
        records.append({"Kind": kind, "Rows": len(rows), "Row numbers": rows,
                        "Differs in": column or ""})

    keys = pd.DataFrame({"full": full_key, "exact": exact_key, "distinctive": distinctive_filled > 0})
    keys = keys[full_key.duplicated(keep=False).to_numpy()]
    per_group = keys.groupby("full").agg(spellings=("exact", "nunique"), distinctive=("distinctive", "all"))
    near_keys = per_group.index[(per_group["spellings"] > 1) & per_group["distinctive"]]
    in_near = keys["full"].isin(near_keys)
    for _, members in keys[in_near].groupby("full", sort=False):
        add("same once tidied", members.index)
        tidied_copies += int(members["exact"].nunique()) - 1
    # Other exact copies (rows not already in a group of near copies).
    rest = exact_key.drop(index=keys.index[in_near])
    copies = rest[rest.duplicated(keep=False)]
    for _, members in copies.groupby(copies, sort=False):
        add("exact copy", members.index)

    one_field_copies = 0
    if folded.shape[1] >= 4:
        filled_count = filled.sum(axis=1)
        for position, column in enumerate(folded.columns):
            if column in who:
                continue  # a different name or ID is a different person, never a near copy
            with np.errstate(over="ignore"):
                without = pd.Series(full - weighted[:, position], index=frame.index)
            shared_distinctive = distinctive_filled - (filled[:, position] & distinctive[position])
            eligible = ((filled_count - filled[:, position]) >= min_shared) & (shared_distinctive > 0)
            key = without[eligible]
            repeated = key[key.duplicated(keep=False)]
            for _, members in repeated.groupby(repeated, sort=False):
                distinct_rows = full_key[members.index]
                if distinct_rows.nunique() < 2:
                    continue
                add("differs in one column", members.index, column)
                # Rows already counted as tidied copies of each other are not counted again.
                one_field_copies += int(distinct_rows.nunique()) - 1
    groups = pd.DataFrame(records, columns=["Kind", "Rows", "Row numbers", "Differs in"])
    groups = groups.sort_values("Row numbers", key=lambda cells: cells.map(lambda rows: rows[0]), ignore_index=True)
    groups.insert(0, "Group", range(1, len(groups) + 1))
    return DuplicateFindings(groups=groups, exact_copies=int(exact_key.duplicated().sum()),
                             near_copies=tidied_copies + one_field_copies)
