"""The findings of the health check: categories typed another way, invalid formats,
unreadable cells, impossible dates and personal columns, and :func:`check_health`, which runs
every check (with :mod:`helpers.health_check.duplicates` for repeated rows).

Each ``find_*`` function looks for one kind of problem and returns a small
table that a playbook can show, with the spreadsheet row numbers a volunteer
can look up. The functions take the pieces of a loaded file (``frame``,
``raw``, ``column_types`` and ``unreadable``, as
:class:`helpers.reading.loader.LoadedTable` holds them), so they can be tried
on a hand-made DataFrame too. No personal data leaves unmasked: examples from
personal columns go through :mod:`helpers.writing.privacy`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

import pandas as pd

from helpers.errors import InputProblem
from helpers.health_check.duplicates import DuplicateFindings, find_duplicate_rows
from helpers.health_check.profile import (
    _NORMALISERS,
    FORMAT_NAMES,
    FUTURE_WORDS,
    OLDEST_AGE,
    PERSONAL_NAMES,
    TableProfile,
    _filled,
    blank_placeholders,
    _row_list,
    _text_values,
    fold_text,
    profile_columns,
)
from helpers.reading.parsing import parse_uk_dates
from helpers.reading.ukformats import (
    email_fault,
    normalise_series,
    phone_fault,
    postcode_fault,
)

# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------


def find_spelling_variants(frame: pd.DataFrame, profile: TableProfile) -> pd.DataFrame:
    """Lists the other spellings of each category ("hackney ", "Hackny" for "Hackney").

    Args:
        frame: The table as loaded.
        profile: Its profile from :func:`profile_columns`.

    Returns:
        One row per spelling that is not the one to use, with columns
        "Column", "Use this spelling", "Why this one" (see
        :func:`helpers.health_check.profile.keep_best_formed`), "Spelling found" (quoted, so stray
        spaces show), "Rows" and "Row numbers" (a list): columns in the
        file's order, most rows first within a column.

    Example:
        >>> table = pd.DataFrame({"Borough": ["Hackney"] * 4 + ["hackney", "Camden", "Camden"]})
        >>> find_spelling_variants(table, profile_columns(table))[["Spelling found", "Rows"]].values.tolist()
        [["'hackney'", 1]]
    """
    records = []
    for name, info in profile.columns.items():
        if not info.spellings:
            continue
        values = _filled(frame[name]).astype(str)
        for spelling, canonical in info.spellings.items():
            if spelling == canonical:
                continue
            rows = _row_list(values.index[values == spelling])
            records.append(
                {"Column": name, "Use this spelling": canonical, "Why this one": info.kept_because.get(canonical, ""),
                 "Spelling found": f"'{spelling}'", "Rows": len(rows), "Row numbers": rows}
            )
    result = pd.DataFrame(records, columns=["Column", "Use this spelling", "Why this one", "Spelling found", "Rows",
                                            "Row numbers"])
    order = {name: position for position, name in enumerate(profile.columns)}
    result["_order"] = result["Column"].map(order)
    result = result.sort_values(["_order", "Rows", "Spelling found"], ascending=[True, False, True], ignore_index=True)
    return result.drop(columns="_order")


def find_invalid_formats(
    frame: pd.DataFrame, raw: pd.DataFrame | None, profile: TableProfile
) -> pd.DataFrame:
    """Lists the emails, UK postcodes and UK phone numbers that are not valid.

    Args:
        frame: The table as loaded.
        raw: The cells as typed (used so that phone numbers keep their leading 0).
        profile: Its profile; the columns with ``checked_as`` set are checked.

    Returns:
        One row per checked column, with "Column", "Should be", "Checked"
        (filled cells), "Invalid", "Row numbers" (a list) and "Examples" (up to
        three faults, each said in words, such as "no @" or "too few digits
        (9)", so no one can be identified).

    Example:
        >>> table = pd.DataFrame({"Postcode": ["E1 6AN", "E1 6A", None]})
        >>> find_invalid_formats(table, None, profile_columns(table))[["Checked", "Invalid"]].values.tolist()
        [[2, 1]]
    """
    records = []
    for name, info in profile.columns.items():
        if not info.checked_as:
            continue
        # Placeholders such as "N/A" are missing, not invalid: check only cells the loader kept.
        values = _filled(_text_values(frame, raw, name)[frame[name].notna()])
        valid = normalise_series(values, _NORMALISERS[info.checked_as]).notna()
        bad = values[~valid]
        # Each fault said in words ("no @", "too few digits (9)"), never the value itself.
        examples = list(dict.fromkeys(_FAULTS[info.checked_as](value) for value in bad))[:3]
        records.append(
            {"Column": name, "Should be": FORMAT_NAMES[info.checked_as], "Checked": len(values),
             "Invalid": len(bad), "Row numbers": _row_list(bad.index), "Examples": examples}
        )
    return pd.DataFrame(records, columns=["Column", "Should be", "Checked", "Invalid", "Row numbers", "Examples"])


def find_unreadable_values(
    raw: pd.DataFrame | None, profile: TableProfile, unreadable: dict[str, list] | None
) -> pd.DataFrame:
    """Lists the cells the loader could not read as their column's type.

    Args:
        raw: The cells as typed.
        profile: The table's profile (for the column types and personal data).
        unreadable: Column -> row numbers, from the loader.

    Returns:
        One row per column with unreadable cells: "Column", "Should be" ("a
        date" or "a number"), "Rows", "Row numbers" and "Examples" (masked for
        personal columns).

    Example:
        >>> table = pd.DataFrame({"Visit date": pd.to_datetime(["2024-01-02", None])}, index=[2, 3])
        >>> raw = pd.DataFrame({"Visit date": ["02/01/2024", "31/02/2024"]}, index=[2, 3])
        >>> found = find_unreadable_values(raw, profile_columns(table, raw), {"Visit date": [3]})
        >>> found[["Rows", "Examples"]].values.tolist()
        [[1, ['31/02/2024']]]
    """
    records = []
    for name, rows in (unreadable or {}).items():
        if not rows or name not in profile.columns:
            continue
        info = profile.columns[name]
        examples: list[str] = []
        if raw is not None and name in raw.columns:
            texts = raw.loc[raw.index.isin(rows), name].dropna().drop_duplicates().head(3)
            # Personal columns: what is wrong, in words; others: the text as typed.
            examples = list(dict.fromkeys(unreadable_fault(text, info.type) if info.personal else str(text)
                                          for text in texts))
        records.append(
            {"Column": name, "Should be": "a date" if info.type == "date" else "a number",
             "Rows": len(rows), "Row numbers": list(rows), "Examples": examples}
        )
    return pd.DataFrame(records, columns=["Column", "Should be", "Rows", "Row numbers", "Examples"])


_FAULTS = {"email": email_fault, "postcode": postcode_fault, "phone": phone_fault}


def unreadable_fault(text: object, column_type: str) -> str:
    """Says in words why a cell could not be read as a date or number, without repeating it.

    Example:
        >>> [unreadable_fault(t, "date") for t in ["31/02/1990", "last year", "1987?", "32/01/1979"]]
        ['a day that does not exist', 'words instead of a date', 'a sign that does not belong in a date', 'a day that does not exist']
        >>> unreadable_fault("3 or 4", "whole number")
        'words instead of a number'
    """
    text = str(text).strip()
    if column_type != "date":
        return "words instead of a number" if re.search(r"[A-Za-z]", text) else "not written as one number"
    if re.search(r"[A-Za-z]{3,}", text) and not re.search(r"\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}", text):
        return "words instead of a date"
    parts = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", text)
    if parts:
        day, month = int(parts[1]), int(parts[2])
        return "a month that does not exist" if month > 12 and day <= 12 else "a day that does not exist"
    if re.search(r"[^\w\s/.\-:]", text):
        return "a sign that does not belong in a date"
    return "not a date the kit can read"


def allows_future_dates(column_name: str) -> bool:
    """Says whether a date column is about the future, judging by its header.

    Example:
        >>> allows_future_dates("Next appointment"), allows_future_dates("Visit date")
        (True, False)
    """
    words = fold_text(re.sub(r"[^0-9A-Za-z]+", " ", column_name)).split()
    return any(word.startswith(prefix) for word in words for prefix in FUTURE_WORDS)


def parse_check_date(text: str | None) -> pd.Timestamp | None:
    """Reads the playbook's ``check_date`` parameter: the day to judge "in the future" by.

    Args:
        text: A date as dd/mm/yyyy (or yyyy-mm-dd); blank means today.

    Returns:
        The date, or None for blank (the checks then use today).

    Raises:
        InputProblem: The text is not a date.

    Example:
        >>> parse_check_date("03/10/2025")
        Timestamp('2025-10-03 00:00:00')
        >>> parse_check_date("") is None
        True
    """
    if text is None or not str(text).strip():
        return None
    parsed, failed = parse_uk_dates(pd.Series([str(text).strip()]))
    if failed.iloc[0] or pd.isna(parsed.iloc[0]):
        raise InputProblem(
            f"The check_date parameter '{text}' is not a date. Write it as dd/mm/yyyy, "
            "for example 03/10/2025, or leave it blank to use today's date."
        )
    return pd.Timestamp(parsed.iloc[0]).normalize()


def _today(today: dt.date | str | None) -> pd.Timestamp:
    return pd.Timestamp(today).normalize() if today is not None else pd.Timestamp.today().normalize()


def find_date_problems(
    frame: pd.DataFrame, profile: TableProfile, today: dt.date | str | None = None
) -> pd.DataFrame:
    """Lists dates in the future and dates of birth that give an impossible age.

    A column whose header is about the future ("Next appointment", "Due",
    "Expiry"...; see :func:`allows_future_dates`) is not checked for future
    dates. A date-of-birth column is checked for ages over
    :data:`OLDEST_AGE` and for births after today instead.

    Args:
        frame: The table as loaded, with date columns as dates.
        profile: Its profile.
        today: The date to compare with; defaults to today.

    Returns:
        One row per column and problem: "Column", "Problem", "Rows" and
        "Row numbers" (a list).

    Example:
        >>> table = pd.DataFrame({"Visit date": pd.to_datetime(["2024-01-02", "2031-05-01"])})
        >>> find_date_problems(table, profile_columns(table), today="2025-01-01")[["Problem", "Rows"]].values.tolist()
        [['date in the future', 1]]
    """
    now = _today(today)
    records = []

    def add(name: str, problem: str, hits: pd.Series) -> None:
        if hits.any():
            rows = _row_list(hits.index[hits])
            records.append({"Column": name, "Problem": problem, "Rows": len(rows), "Row numbers": rows})

    for name in profile.of_type("date"):
        dates = pd.to_datetime(frame[name], errors="coerce")
        if profile.columns[name].role == "date_of_birth":
            oldest = now - pd.DateOffset(years=OLDEST_AGE)
            add(name, f"age over {OLDEST_AGE}", dates < oldest)
            add(name, "born after today", dates > now)
        elif not allows_future_dates(name):
            add(name, "date in the future", dates > now)
    return pd.DataFrame(records, columns=["Column", "Problem", "Rows", "Row numbers"])


def future_date_columns(profile: TableProfile) -> list[str]:
    """The date columns left out of the future-date check because of their header.

    Example:
        >>> table = pd.DataFrame({"Due date": pd.to_datetime(["2030-01-01"])})
        >>> future_date_columns(profile_columns(table))
        ['Due date']
    """
    return [
        name for name in profile.of_type("date")
        if profile.columns[name].role != "date_of_birth" and allows_future_dates(name)
    ]


def find_personal_columns(profile: TableProfile) -> pd.DataFrame:
    """Lists the columns that hold personal data, with a masked example.

    Example:
        >>> table = pd.DataFrame({"Forename": ["Jane"], "Borough": ["Hackney"]})
        >>> find_personal_columns(profile_columns(table)).values.tolist()
        [['Forename', 'first names', 'its header', 'J***']]
    """
    records = [
        {"Column": name, "Holds": PERSONAL_NAMES[info.personal],
         "Spotted from": "its header" if info.personal_reason == "header" else "its contents",
         "Example (masked)": info.example}
        for name, info in profile.columns.items() if info.personal
    ]
    return pd.DataFrame(records, columns=["Column", "Holds", "Spotted from", "Example (masked)"])


# ---------------------------------------------------------------------------
# The whole check
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class HealthReport:
    """Everything the health check found.

    Attributes:
        profile: Each column's type, missing cells and example.
        spellings: From :func:`find_spelling_variants`.
        formats: From :func:`find_invalid_formats`.
        unreadable: From :func:`find_unreadable_values`.
        dates: From :func:`find_date_problems`.
        future_allowed: Date columns not checked for future dates.
        duplicates: From :func:`find_duplicate_rows`.
        personal: From :func:`find_personal_columns`.
    """

    profile: TableProfile
    spellings: pd.DataFrame
    formats: pd.DataFrame
    unreadable: pd.DataFrame
    dates: pd.DataFrame
    future_allowed: list[str]
    duplicates: DuplicateFindings
    personal: pd.DataFrame


def check_health(
    frame: pd.DataFrame,
    raw: pd.DataFrame | None = None,
    column_types: dict[str, str] | None = None,
    unreadable: dict[str, list] | None = None,
    today: dt.date | str | None = None,
    roles: Mapping[str, str | None] | None = None,
    uncalculated: Mapping[str, list] | None = None,
) -> HealthReport:
    """Runs every check on a table.

    Args:
        frame: The table as loaded; its index is the spreadsheet row number.
        raw: The cells as typed, same shape; defaults to ``frame``.
        column_types: Column -> "number" | "date" | "text" | "empty" from the loader.
        unreadable: Column -> row numbers the loader could not read.
        today: The date to judge future dates and ages by; defaults to today.
        roles: Role parameters that override the headers (see :func:`profile_columns`).
        uncalculated: Column -> rows of formulas Excel never calculated, from the loader.

    Returns:
        A :class:`HealthReport`.

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> report.duplicates.exact_copies, int(report.formats["Invalid"].sum())
        (1, 1)
    """
    # "not known", "N/A", "none" are missing everywhere, never an invalid postcode or a category.
    frame = blank_placeholders(frame)
    profile = profile_columns(frame, raw, column_types, roles, uncalculated)
    return HealthReport(
        profile=profile,
        spellings=find_spelling_variants(frame, profile),
        formats=find_invalid_formats(frame, raw, profile),
        unreadable=find_unreadable_values(raw, profile, unreadable),
        dates=find_date_problems(frame, profile, today),
        future_allowed=future_date_columns(profile),
        duplicates=find_duplicate_rows(frame, profile, raw),
        personal=find_personal_columns(profile),
    )


def check_loaded_table(
    table, today: dt.date | str | None = None, roles: Mapping[str, str | None] | None = None
) -> HealthReport:
    """Runs :func:`check_health` on a :class:`helpers.reading.loader.LoadedTable`.

    Example:
        >>> import tempfile, pathlib
        >>> from helpers.reading.loader import load_table
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "clients.csv"
        >>> _ = path.write_text("Email,Visits\\na@b.org,1\\nnope,2\\n")
        >>> table = load_table(path)
        >>> int(check_loaded_table(table, today="2025-06-01").formats["Invalid"].sum())
        1
    """
    return check_health(table.frame, table.raw, table.column_types, table.unreadable, today, roles,
                        getattr(table, "uncalculated", None))
