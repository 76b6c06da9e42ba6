"""A health check for any spreadsheet: what is in each column and what needs fixing.

Nothing here needs to know what the file is about. Each ``find_*`` function
looks for one kind of problem and returns a small table that a playbook can
show, with the spreadsheet row numbers a volunteer can look up. The functions
take the pieces of a loaded file (``frame``, ``raw``, ``column_types`` and
``unreadable``, as :class:`helpers.reading.loader.LoadedTable` holds them), so they can be
tried on a hand-made DataFrame too. :func:`check_health` runs them all;
:func:`clean_table` makes the safe fixes and logs every change.

No personal data leaves this module unmasked: examples from columns that hold
names, contact details, dates of birth or notes go through :mod:`helpers.writing.privacy`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from helpers.errors import InputProblem
from helpers.writing.narrative import plural
from helpers.reading.parsing import header_says_identifier, parse_uk_dates
from helpers.writing.privacy import mask_shape, mask_value
from helpers.reading.roles import PERSONAL_ROLES, guess_role, role_of_parameter
from helpers.reading.ukformats import (
    email_fault,
    format_phone_national,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_series,
)

#: A text column with at most this many distinct values (after ignoring case
#: and spaces), each used twice on average, is treated as a list of categories.
CATEGORY_MAX_VALUES = 30

#: Two spellings of a category are merged only when they are this similar
#: (0-100, rapidfuzz ratio) ...
SPELLING_SIMILARITY = 85
#: ... and the rarer is used at most this share as often as the common one, so
#: that two real categories that happen to look alike are left apart.
SPELLING_RARITY = 1 / 3

#: A column is checked as emails, postcodes or phone numbers when at least this
#: share of its filled cells look like one, even if its header does not say so.
FORMAT_SHARE = 0.5

#: A column is suggested for filling in when this share of its cells is blank
#: (at least the first, less than the second).
MISSING_FIX_SHARE = (0.05, 0.5)

#: Dates of birth giving an age above this are reported as implausible.
OLDEST_AGE = 110

#: Header words that mean a date may properly lie in the future ("Next
#: appointment", "Due date", "Expiry", "Review by"...): matched at the start of a word.
FUTURE_WORDS = (
    "next", "due", "expir", "renew", "review", "follow", "until", "deadline", "plan", "schedul",
    "appointment", "book", "end", "expect", "upcoming", "future", "remind", "valid", "return",
)

#: What each kind of checked format is called in the report.
FORMAT_NAMES = {"email": "an email address", "postcode": "a UK postcode", "phone": "a UK phone number"}

#: What each kind of personal data is called in the report.
PERSONAL_NAMES = {
    "first_name": "first names", "last_name": "surnames", "full_name": "names",
    "email": "email addresses", "phone": "phone numbers", "postcode": "postcodes",
    "address": "addresses", "date_of_birth": "dates of birth", "notes": "free-text notes",
}

GDPR_REMINDER = (
    "UK GDPR, the law on personal data, applies to them. Keep the file where only the people who "
    "need it can open it. Do not email it around or save copies on home computers. Keep only the "
    "columns you need, and delete records you no longer have a reason to keep. If someone asks what "
    "you hold about them, you must be able to find it."
)

_NORMALISERS = {"email": normalise_email, "postcode": normalise_postcode, "phone": normalise_phone}


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def fold_text(value: object) -> str:
    """Reduces a value to what matters when comparing spellings.

    Capitals, spaces, full stops and apostrophes are ignored, and other
    punctuation counts as a space, so "G.P." is "gp" and "Self-referral" is
    "self referral".

    Example:
        >>> fold_text("  HACKNEY   Wick. "), fold_text("G.P."), fold_text("Self-referral")
        ('hackney wick', 'gp', 'self referral')
    """
    text = re.sub(r"[.'’]", "", str(value).casefold())
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def fold_series(series: pd.Series) -> pd.Series:
    """:func:`fold_text` for a whole column, once per distinct value; missing cells stay missing.

    Example:
        >>> fold_series(pd.Series(["  HACKNEY   Wick ", None, "hackney wick"])).tolist()
        ['hackney wick', nan, 'hackney wick']
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    folded = np.array([fold_text(value) for value in distinct] + [np.nan], dtype=object)
    return pd.Series(folded[codes], index=series.index, dtype="str")


def tidy_spaces(value: object) -> str:
    """Removes spaces at the ends of a value and squeezes runs of spaces inside it.

    Example:
        >>> tidy_spaces("  Hackney   Wick ")
        'Hackney Wick'
    """
    return " ".join(str(value).split())


def percent_text(part: float, whole: float) -> str:
    """A share as a whole percentage, with "under 1%" rather than a misleading "0%".

    Example:
        >>> percent_text(1, 494), percent_text(0, 494), percent_text(171, 494)
        ('under 1%', '0%', '35%')
    """
    if not whole or not part:
        return "0%"
    share = 100 * part / whole
    return "under 1%" if share < 1 else f"{share:.0f}%"


def count_with_verb(count: int, noun: str, verb: str) -> str:
    """A count, its noun and a verb that agree: "1 row has", "3 rows have".

    Args:
        count: How many.
        noun: The noun in the singular ("row"); "s" is added for more than one.
        verb: The verb as it goes with one thing ("has", "is", "looks").

    Example:
        >>> count_with_verb(1, "row", "has"), count_with_verb(3, "date", "looks"), count_with_verb(2, "cell", "is")
        ('1 row has', '3 dates look', '2 cells are')
    """
    if count == 1:
        return f"{plural(count, noun)} {verb}"
    verbs = {"is": "are", "has": "have", "was": "were", "does": "do"}
    return f"{plural(count, noun)} {verbs.get(verb, verb.removesuffix('s'))}"


def rows_in_words(rows, limit: int = 8) -> str:
    """Writes a list of row numbers for a sentence or a table cell.

    Example:
        >>> rows_in_words([4, 9, 12])
        '4, 9, 12'
        >>> rows_in_words(range(2, 20), limit=3)
        '2, 3, 4 and 15 more'
    """
    rows = [str(row) for row in rows]
    if len(rows) <= limit:
        return ", ".join(rows)
    return ", ".join(rows[:limit]) + f" and {len(rows) - limit} more"


def for_display(findings: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Turns a findings table's list cells (row numbers, examples) into short text.

    Example:
        >>> for_display(pd.DataFrame({"Rows": [2], "Row numbers": [[3, 5]]}))["Row numbers"].tolist()
        ['3, 5']
    """
    shown = findings.copy()
    for column in shown.columns:
        if shown[column].map(lambda cell: isinstance(cell, list)).any():
            shown[column] = shown[column].map(
                lambda cell: rows_in_words(cell, limit) if isinstance(cell, list) else cell
            )
    return shown


def hide_small_counts(findings: pd.DataFrame, column: str = "Rows", smallest: int = 5) -> pd.DataFrame:
    """Writes counts under ``smallest`` as "fewer than 5", so small groups of people are not shown.

    Row-number lists are dropped too, since they would give the count away.

    Example:
        >>> found = pd.DataFrame({"Spelling found": ["'F'", "'fem'"], "Rows": [30, 2], "Row numbers": [[], []]})
        >>> hide_small_counts(found)["Rows"].tolist()
        ['30', 'fewer than 5']
    """
    shown = findings.drop(columns=["Row numbers"], errors="ignore")
    shown[column] = shown[column].map(lambda count: f"{count:,}" if count >= smallest else f"fewer than {smallest}")
    return shown


def show_findings(findings: pd.DataFrame, caption: str, max_rows: int = 25, limit: int = 8) -> None:
    """Shows a findings table in the report, with lists cut short; shows nothing when it is empty.

    Args:
        findings: A table from one of the ``find_*`` functions (or any table).
        caption: What the table is, in a sentence.
        max_rows: Rows shown at most.
        limit: Row numbers shown at most in each cell.
    """
    from helpers.writing.narrative import show_table

    if len(findings):
        show_table(for_display(findings, limit), caption, max_rows=max_rows)


def _text_values(frame: pd.DataFrame, raw: pd.DataFrame | None, column: str) -> pd.Series:
    """The cells of a column as the person typed them where known, else as loaded."""
    if raw is not None and column in raw.columns:
        return raw[column]
    return frame[column]


def _filled(series: pd.Series) -> pd.Series:
    """The non-blank cells of a column (blank text counts as missing)."""
    present = series.dropna()
    if present.dtype == object or pd.api.types.is_string_dtype(present.dtype):
        present = present[present.astype(str).str.strip() != ""]
    return present


def _row_list(index) -> list[int]:
    return [int(row) if isinstance(row, (int, np.integer)) else row for row in index]


# ---------------------------------------------------------------------------
# Column profile
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class ColumnInfo:
    """What one column holds.

    Attributes:
        name: The header.
        type: "empty", "whole number", "number", "date", "category", "text",
            "email address", "UK phone number" or "UK postcode".
        role: The role its header names (see :func:`helpers.reading.roles.guess_role`), if any.
        checked_as: "email", "postcode" or "phone" when its values are checked
            as that format, else None.
        personal: The kind of personal data it holds (a key of
            :data:`PERSONAL_NAMES`), else None.
        personal_reason: "header" or "content": how the personal data was spotted.
        missing: How many cells are blank or a placeholder such as "N/A".
        distinct: How many different values the filled cells hold.
        example: One value, masked when the column is personal.
        spellings: For categories: every spelling found, mapped to the one to use.
        categories: For categories: the spellings to use, most common first.
        minimum: For numbers and dates: the smallest value.
        maximum: For numbers and dates: the largest value.
    """

    name: str
    type: str
    role: str | None
    checked_as: str | None
    personal: str | None
    personal_reason: str | None
    missing: int
    distinct: int
    example: str
    spellings: dict[str, str] = dataclasses.field(default_factory=dict)
    categories: list[str] = dataclasses.field(default_factory=list)
    minimum: object = None
    maximum: object = None


@dataclasses.dataclass
class TableProfile:
    """Every column of a table, with the table's size.

    Attributes:
        rows: Number of data rows.
        columns: ColumnInfo by header, in the file's order.
    """

    rows: int
    columns: dict[str, ColumnInfo]

    def as_frame(self) -> pd.DataFrame:
        """The profile as a table for the report, one row per column.

        Example:
            >>> profile_columns(pd.DataFrame({"Age": [30, None]})).as_frame()["% missing"].tolist()
            [50.0]
        """
        return pd.DataFrame(
            {
                "Column": [info.name for info in self.columns.values()],
                "Type": [info.type for info in self.columns.values()],
                "% missing": [
                    round(100 * info.missing / self.rows, 1) if self.rows else 0.0
                    for info in self.columns.values()
                ],
                "Distinct values": [info.distinct for info in self.columns.values()],
                "Example": [info.example for info in self.columns.values()],
                "Personal data": [
                    "yes" if info.personal else "" for info in self.columns.values()
                ],
            }
        )

    def of_type(self, *types: str) -> list[str]:
        """Headers of the columns of the given types, in the file's order."""
        return [name for name, info in self.columns.items() if info.type in types]


def _detect_format(values: pd.Series, sample_size: int = 400) -> str | None:
    """Which format (email, postcode, phone) most of a column's values have, if any."""
    if values.empty:
        return None
    # An evenly spread sample keeps this quick on 100,000 rows.
    step = max(1, len(values) // sample_size)
    sample = values.iloc[::step].head(sample_size)
    for kind, normalise in _NORMALISERS.items():
        if normalise_series(sample, normalise).notna().mean() >= FORMAT_SHARE:
            return kind
    return None


def _looks_like_notes(values: pd.Series) -> bool:
    """Long, varied, many-word text: probably free-text notes about people."""
    if values.empty:
        return False
    text = values.astype(str)
    return text.str.len().median() >= 30 and text.str.count(" ").median() >= 4


def _is_category(values: pd.Series) -> bool:
    folded = fold_series(values)
    distinct = folded.nunique()
    return 1 <= distinct <= CATEGORY_MAX_VALUES and len(folded) >= 2 * distinct


def _same_numbers(first: str, second: str) -> bool:
    return re.findall(r"\d+", first) == re.findall(r"\d+", second)


def _differ_only_in_short_words(first: str, second: str) -> bool:
    """"Group A"/"Group B", "Year 7"/"Year 8": real categories one letter apart."""
    words_a, words_b = first.split(), second.split()
    if len(words_a) != len(words_b) or len(words_a) < 2:
        return False
    differing = [(a, b) for a, b in zip(words_a, words_b, strict=True) if a != b]
    return all(min(len(a), len(b)) <= 2 for a, b in differing)


def _clean_form_key(spelling: str, count: int) -> tuple:
    """Orders spellings for the canonical choice: cleanly typed, then common, then mixed case."""
    clean = spelling == tidy_spaces(spelling)
    mixed_case = spelling != spelling.lower() and spelling != spelling.upper()
    return (clean, count, mixed_case, spelling)


def spelling_groups(values: pd.Series) -> dict[str, str]:
    """Maps every spelling of a category column to the one spelling to use.

    Spellings that differ only in capitals, spaces or punctuation are grouped
    first (see :func:`fold_text`). Then a rare spelling joins a much more
    common one when they are nearly the same (a typo such as "Hackny"), and a
    rare single letter joins the one common value it is the first letter of
    ("F" for "Female"). Other short values, values with different numbers in
    them and values one short word apart ("Group A"/"Group B") are never joined,
    nor are two common values ("Male"/"Female").

    Args:
        values: The filled cells of one column.

    Returns:
        A dict from each spelling found to the spelling to use; the most common
        cleanly typed spelling of each group is the one to use.

    Example:
        >>> values = pd.Series(["Hackney"] * 5 + ["hackney ", "HACKNEY", "Hackny", "Camden", "Camden"])
        >>> groups = spelling_groups(values)
        >>> groups["Hackny"], groups["hackney "], groups["Camden"]
        ('Hackney', 'Hackney', 'Camden')
    """
    counts = values.astype(str).value_counts()
    by_fold: dict[str, Counter] = {}
    for spelling, count in counts.items():
        by_fold.setdefault(fold_text(spelling), Counter())[spelling] += int(count)

    folded_totals = sorted(by_fold.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    anchors: dict[str, Counter] = {}
    for key, spellings in folded_totals:
        total = sum(spellings.values())
        target = None
        if len(key) == 1:
            # "F" for "Female": a letter that begins exactly one other value, a much commoner one.
            longer = [other for other in by_fold if len(other) > 1 and other.startswith(key)]
            if len(longer) == 1 and longer[0] in anchors:
                if total <= SPELLING_RARITY * sum(anchors[longer[0]].values()):
                    target = longer[0]
        elif len(key) >= 4 and anchors:
            choices = {anchor: anchor for anchor in anchors if len(anchor) >= 4}
            for anchor, score, _ in process.extract(
                key, choices, scorer=fuzz.ratio, score_cutoff=SPELLING_SIMILARITY, limit=3
            ):
                anchor_total = sum(anchors[anchor].values())
                if (
                    total <= SPELLING_RARITY * anchor_total
                    and _same_numbers(key, anchor)
                    and not _differ_only_in_short_words(key, anchor)
                ):
                    target = anchor
                    break
        if target is None:
            anchors[key] = Counter(spellings)
        else:
            anchors[target].update(spellings)

    mapping: dict[str, str] = {}
    for spellings in anchors.values():
        best = max(spellings.items(), key=lambda item: _clean_form_key(*item))[0]
        canonical = tidy_spaces(best)
        mapping.update({spelling: canonical for spelling in spellings})
    return mapping


def _example(values: pd.Series, column_type: str, personal: str | None) -> str:
    if values.empty:
        return ""
    if personal:
        return mask_value(values.iloc[0], personal)
    if column_type == "date":
        value = values.iloc[0]
        return value.strftime("%d/%m/%Y") if isinstance(value, (pd.Timestamp, dt.date)) else str(value)
    if column_type == "number":
        return f"{values.mode().iloc[0]:g}"
    most_common = values.astype(str).value_counts().index[0]
    return tidy_spaces(most_common)


def _base_type(series: pd.Series, given: str | None) -> str:
    if given in ("number", "date", "text", "empty"):
        return given
    if series.isna().all():
        return "empty"
    if pd.api.types.is_bool_dtype(series.dtype):
        return "text"
    if pd.api.types.is_numeric_dtype(series.dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    return "text"


def profile_columns(
    frame: pd.DataFrame,
    raw: pd.DataFrame | None = None,
    column_types: dict[str, str] | None = None,
    roles: Mapping[str, str | None] | None = None,
) -> TableProfile:
    """Describes every column: type, missing cells, distinct values, an example.

    The type comes from the loader (``column_types``) or the column's dtype,
    refined: numbers that are all whole are "whole number"; text with few
    distinct values is "category"; a column whose header or most values say
    email, postcode or phone is checked as that format. Personal data is
    spotted from the header (names, contact details, address, date of birth,
    notes) or from the values (emails, phones, postcodes, long free text).

    Args:
        frame: The table as loaded (converted numbers and dates; blanks missing).
        raw: The same cells as typed, as text; defaults to ``frame``.
        column_types: Column -> "number" | "date" | "text" | "empty" from the loader.
        roles: Role parameters chosen by the volunteer, as
            :func:`helpers.reading.roles.resolve_roles` returns them (``{"email_column":
            "Contact"}``); they override what the headers suggest. Other
            columns get their role from the header.

    Returns:
        A :class:`TableProfile`.

    Example:
        >>> table = pd.DataFrame({"Email": ["a@b.org", None], "Visits": [1, 2]})
        >>> profile = profile_columns(table)
        >>> profile.columns["Email"].type, profile.columns["Email"].example, profile.columns["Visits"].type
        ('email address', '***@b.org', 'whole number')
    """
    column_types = column_types or {}
    chosen = {column: role_of_parameter(parameter) for parameter, column in (roles or {}).items() if column}
    columns: dict[str, ColumnInfo] = {}
    for column in frame.columns:
        series = frame[column]
        values = _filled(series)
        typed = _filled(_text_values(frame, raw, column))
        role = chosen.get(column) or guess_role(str(column))
        column_type = _base_type(series, column_types.get(column))
        if values.empty:
            column_type = "empty"

        checked_as = role if role in _NORMALISERS else None
        if checked_as is None and column_type in ("text", "number") and not values.empty:
            checked_as = _detect_format(typed)

        personal, personal_reason = None, None
        if role in PERSONAL_ROLES:
            personal, personal_reason = role, "header"
        elif checked_as:
            personal, personal_reason = checked_as, "content"
        elif column_type == "text" and _looks_like_notes(values):
            personal, personal_reason = "notes", "content"

        info = ColumnInfo(
            name=str(column), type=column_type, role=role, checked_as=checked_as,
            personal=personal, personal_reason=personal_reason,
            missing=int(len(series) - len(values)), distinct=int(values.astype(str).nunique()),
            example=_example(values, column_type, personal),
        )
        if checked_as:
            info.type = {"email": "email address", "phone": "UK phone number", "postcode": "UK postcode"}[checked_as]
        elif column_type == "number":
            numbers = pd.to_numeric(values, errors="coerce").dropna()
            if not numbers.empty:
                info.minimum, info.maximum = numbers.min(), numbers.max()
                if (numbers % 1 == 0).all():
                    info.type = "whole number"
        elif column_type == "date":
            dates = pd.to_datetime(values, errors="coerce").dropna()
            if not dates.empty:
                info.minimum, info.maximum = dates.min(), dates.max()
        elif column_type == "text" and not personal and _is_category(values):
            info.type = "category"
            info.spellings = spelling_groups(values)
            counts = values.astype(str).map(info.spellings).value_counts()
            info.categories = list(counts.index)
        columns[str(column)] = info
    return TableProfile(rows=int(len(frame)), columns=columns)


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
        "Column", "Use this spelling", "Spelling found" (quoted, so stray
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
                {"Column": name, "Use this spelling": canonical, "Spelling found": f"'{spelling}'",
                 "Rows": len(rows), "Row numbers": rows}
            )
    result = pd.DataFrame(records, columns=["Column", "Use this spelling", "Spelling found", "Rows", "Row numbers"])
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
        three faults: for emails what is wrong, in words; for postcodes and
        phone numbers the value's pattern of letters and digits, so no one
        can be identified).

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
        # Emails are described ("no @"); postcodes and phones shown as a pattern ("A9 9AA9").
        describe = email_fault if info.checked_as == "email" else mask_shape
        examples = list(dict.fromkeys(describe(value) for value in bad))[:3]
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
            examples = [mask_shape(text) if info.personal else str(text) for text in texts]
        records.append(
            {"Column": name, "Should be": "a date" if info.type == "date" else "a number",
             "Rows": len(rows), "Row numbers": list(rows), "Examples": examples}
        )
    return pd.DataFrame(records, columns=["Column", "Should be", "Rows", "Row numbers", "Examples"])


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
            typed = _text_values(frame, raw, name)
            standard = normalise_series(typed, _NORMALISERS[info.checked_as])
            text = standard.fillna(fold_series(typed))
        elif info.type == "date":
            text = pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d")
        elif info.type in ("number", "whole number"):
            text = pd.to_numeric(series, errors="coerce").map(repr, na_action="ignore")
        else:
            spelled = series.map(info.spellings).fillna(series) if info.spellings else series
            text = fold_series(spelled)
        folded[name] = text.astype(object).where(text.notna(), None)
    return pd.DataFrame(folded, index=frame.index)


def _column_hashes(values: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per cell; every missing cell hashes alike."""
    return np.column_stack(
        [pd.util.hash_array(values[column].fillna("\x00missing").astype(str).to_numpy(dtype=object))
         for column in values.columns]
    ) if len(values.columns) else np.zeros((len(values), 0), dtype=np.uint64)


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
    """The columns that hold a record's ID: a header from the roles table's ID
    spellings ("Client ID", "Ref"), or another header that sounds like an
    identifier ("Voucher no") over values that are nearly all different.

    Contact details are never IDs here, even when each is different.

    Example:
        >>> table = pd.DataFrame({"Voucher no": ["V1", "V2", "V3"], "Batch no": ["A", "A", "B"], "Town": ["X", "Y", "Z"]})
        >>> identifier_columns(table, profile_columns(table))
        ['Voucher no']
    """
    found = []
    for name, info in profile.columns.items():
        if info.role == "id":
            found.append(name)
        elif header_says_identifier(name) and not info.checked_as and not info.personal:
            filled = int(frame[name].notna().sum())
            if filled and info.distinct >= 0.9 * filled:
                found.append(name)
    return found


def find_duplicate_rows(
    frame: pd.DataFrame, profile: TableProfile, raw: pd.DataFrame | None = None, min_shared: int = 3
) -> DuplicateFindings:
    """Finds exact copies of rows and near copies, by hashing (fast on large files).

    Exact copies match in every cell as typed. Near copies are rows that are
    the same once text is tidied (see :func:`comparable_values`), or, in
    tables of four or more columns, rows that agree on every column but one,
    with at least ``min_shared`` filled cells in common. ID columns (see
    :func:`identifier_columns`) are left out of the near-copy comparison: the
    same person entered twice usually gets a new ID. Rows only count as near
    copies when they agree on a *distinctive* column, one where most values
    differ (a name, an email, a date of birth): in a log of visits, two rows
    with the same date, count and category are two visits, not a copy.

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
    id_columns = identifier_columns(frame, profile)
    folded = comparable_values(frame, profile, raw).drop(columns=id_columns)
    ids = frame[id_columns]

    def differs_in(members: pd.Index, column: str | None = None) -> str:
        changed = [name for name in id_columns if ids.loc[members, name].nunique(dropna=False) > 1]
        return ", ".join(([column] if column else []) + changed)

    filled = folded.notna().to_numpy()
    distinctive = np.array([folded[c].nunique() >= max(2, 0.5 * folded[c].notna().sum()) for c in folded.columns],
                           dtype=bool)
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
                        "Differs in": differs_in(members, column) if kind != "exact copy" else ""})

    keys = pd.DataFrame({"full": full_key, "exact": exact_key, "distinctive": distinctive_filled > 0})
    keys = keys[full_key.duplicated(keep=False).to_numpy()]
    per_group = keys.groupby("full").agg(spellings=("exact", "nunique"), distinctive=("distinctive", "all"))
    if folded.shape[1]:
        near_keys = per_group.index[(per_group["spellings"] > 1) & per_group["distinctive"]]
    else:  # nothing but IDs to compare: only exact copies can be told
        near_keys = per_group.index[:0]
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
# The whole check, its top fixes and its summary
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
) -> HealthReport:
    """Runs every check on a table.

    Args:
        frame: The table as loaded; its index is the spreadsheet row number.
        raw: The cells as typed, same shape; defaults to ``frame``.
        column_types: Column -> "number" | "date" | "text" | "empty" from the loader.
        unreadable: Column -> row numbers the loader could not read.
        today: The date to judge future dates and ages by; defaults to today.
        roles: Role parameters that override the headers (see :func:`profile_columns`).

    Returns:
        A :class:`HealthReport`.

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> report.duplicates.exact_copies, int(report.formats["Invalid"].sum())
        (1, 1)
    """
    profile = profile_columns(frame, raw, column_types, roles)
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
        >>> from helpers.reading.loader import load_table  # doctest: +SKIP
        >>> report = check_loaded_table(load_table("datasets/register.xlsx"))  # doctest: +SKIP
    """
    return check_health(table.frame, table.raw, table.column_types, table.unreadable, today, roles)


def top_fixes(report: HealthReport, limit: int = 6) -> pd.DataFrame:
    """The most useful fixes, in plain English, the ones touching most rows first.

    Args:
        report: From :func:`check_health`.
        limit: How many fixes to list at most.

    Returns:
        A table with "Fix" (a sentence) and "Rows affected".

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> top_fixes(report)["Fix"].tolist()[0]
        "Fix 1 value in 'Email' that is not an email address."
    """
    fixes: list[tuple[str, int]] = []
    rows = report.profile.rows
    for name, found in report.spellings.groupby("Column", sort=False):
        fixes.append((f"Use one spelling for each entry in '{name}' "
                      f"({plural(len(found), 'other spelling')} found).", int(found["Rows"].sum())))
    for record in report.formats.to_dict("records"):
        if record["Invalid"]:
            fixes.append((f"Fix {plural(record['Invalid'], 'value')} in '{record['Column']}' "
                          f"that {'is' if record['Invalid'] == 1 else 'are'} not {record['Should be']}.",
                          record["Invalid"]))
    for record in report.unreadable.to_dict("records"):
        fixes.append((f"Retype {plural(record['Rows'], 'cell')} in '{record['Column']}' "
                      f"as {record['Should be']}.", record["Rows"]))
    for record in report.dates.to_dict("records"):
        fixes.append((f"Check {plural(record['Rows'], 'date')} in '{record['Column']}': "
                      f"{record['Problem']}.", record["Rows"]))
    copies = report.duplicates.exact_copies + report.duplicates.near_copies
    if copies:
        fixes.append((f"Remove or merge {plural(copies, 'repeated row')}.", copies))
    for name, info in report.profile.columns.items():
        # A column blank in most rows (notes, donations) is probably optional; a
        # mostly filled one with gaps probably is not.
        if info.personal != "notes" and rows and MISSING_FIX_SHARE[0] <= info.missing / rows < MISSING_FIX_SHARE[1]:
            fixes.append((f"Fill in '{name}' where you can: {info.missing} of {rows} rows are blank.", info.missing))
    fixes.sort(key=lambda fix: -fix[1])
    return pd.DataFrame(fixes[:limit], columns=["Fix", "Rows affected"])


def problem_counts(report: HealthReport) -> pd.DataFrame:
    """How many rows have each kind of problem (a row can have several).

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> problem_counts(report).values.tolist()
        [['Email address not valid', 1], ['Row has a copy', 2]]
    """
    kinds: dict[str, set] = {}

    def add(kind: str, rows) -> None:
        kinds.setdefault(kind, set()).update(rows)

    for rows in report.spellings["Row numbers"]:
        add("Category typed another way", rows)
    for record in report.formats.to_dict("records"):
        kind = {"an email address": "Email address", "a UK postcode": "Postcode",
                "a UK phone number": "Phone number"}[record["Should be"]]
        add(f"{kind} not valid", record["Row numbers"])
    for rows in report.unreadable["Row numbers"]:
        add("Date or number unreadable", rows)
    for rows in report.dates["Row numbers"]:
        add("Date in the future or impossible", rows)
    for rows in report.duplicates.groups["Row numbers"]:
        add("Row has a copy", rows)
    counts = [(kind, len(rows)) for kind, rows in kinds.items() if rows]
    return pd.DataFrame(counts, columns=["Problem", "Rows"])


def rows_with_problems(report: HealthReport) -> list:
    """The row numbers with at least one problem of any kind, in order.

    Example:
        >>> rows_with_problems(check_health(pd.DataFrame({"Email": ["a@b.org", "nope"]})))
        [1]
    """
    rows: set = set()
    for table in (report.spellings, report.formats, report.unreadable, report.dates, report.duplicates.groups):
        for found in table["Row numbers"]:
            rows.update(found)
    return sorted(rows)


def summary_figures(report: HealthReport) -> dict:
    """The headline figures for ``summary.json``: counts and column names only, no values.

    Example:
        >>> summary = summary_figures(check_health(pd.DataFrame({"Email": ["a@b.org", None]})))
        >>> summary["rows"], summary["missing"], summary["personal_data_columns"]
        (2, {'Email': 1}, ['Email'])
    """
    profile = report.profile
    formats = report.formats.set_index("Column")
    by_kind = {kind: 0 for kind in FORMAT_NAMES}
    for name, info in profile.columns.items():
        if info.checked_as:
            by_kind[info.checked_as] += int(formats.loc[name, "Invalid"])
    unreadable_dates = int(report.unreadable.loc[report.unreadable["Should be"] == "a date", "Rows"].sum())
    dates = report.dates
    return {
        "rows": profile.rows,
        "columns": len(profile.columns),
        "missing": {name: info.missing for name, info in profile.columns.items()},
        "column_types": {name: info.type for name, info in profile.columns.items()},
        "duplicate_rows": report.duplicates.exact_copies,
        "near_duplicate_rows": report.duplicates.near_copies,
        "spelling_variants": int(report.spellings["Rows"].sum()),
        "invalid_emails": by_kind["email"],
        "invalid_postcodes": by_kind["postcode"],
        "invalid_phones": by_kind["phone"],
        "unreadable_dates": unreadable_dates,
        "unreadable_numbers": int(report.unreadable["Rows"].sum()) - unreadable_dates,
        "future_dates": int(dates.loc[dates["Problem"] == "date in the future", "Rows"].sum()),
        "implausible_dates_of_birth": int(dates.loc[dates["Problem"] != "date in the future", "Rows"].sum()),
        "future_date_columns_not_checked": list(report.future_allowed),
        "personal_data_columns": report.personal["Column"].tolist(),
        "rows_with_problems": len(rows_with_problems(report)),
        "headline": {
            "rows": "rows of data",
            "rows_with_problems": "rows with at least one problem",
            "duplicate_rows": "rows that are exact copies",
            "near_duplicate_rows": "rows that are near copies",
            "spelling_variants": "cells with a category typed another way",
            "invalid_emails": "email addresses that are not valid",
            "invalid_postcodes": "postcodes that are not valid",
            "invalid_phones": "phone numbers that are not valid",
            "unreadable_dates": "dates that could not be read",
            "future_dates": "dates in the future",
        },
    }


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------

#: Why a cell was changed, as the "Changes made" sheet says it.
REASONS = {
    "spaces": "extra spaces removed",
    "spelling": "one spelling for each category",
    "email": "email address in lower case",
    "phone": "phone number written the standard UK way",
    "postcode": "postcode written the standard way",
    "date": "date stored as a real date",
    "number": "number stored as a real number",
    "placeholder": "placeholder for a blank cell removed",
}

_PLAIN_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


def _standard_text(value: object, info: ColumnInfo) -> tuple[object, list[str]]:
    """The safe fix for one text cell, with the reasons for each change made."""
    reasons = []
    text = tidy_spaces(value)
    if text != str(value):
        reasons.append(REASONS["spaces"])
    if info.spellings:
        canonical = info.spellings.get(str(value), text)
        if canonical != text:
            reasons.append(REASONS["spelling"])
        text = canonical
    elif info.checked_as:
        standard = _NORMALISERS[info.checked_as](value)
        if info.checked_as == "phone" and standard is not None:
            standard = format_phone_national(standard)
        if standard is not None and standard != text:
            reasons.append(REASONS[info.checked_as])
            text = standard
    return text, reasons


def _is_plain_number(text: str, number: float) -> bool:
    try:
        return float(text) == float(number)
    except ValueError:
        return False


def _shown(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_table(
    frame: pd.DataFrame, raw: pd.DataFrame | None, report: HealthReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Makes the safe fixes and lists every change.

    Safe fixes only: spaces trimmed and squeezed, one spelling per category,
    dates and numbers stored as real dates and numbers, postcodes and phone
    numbers in their standard UK form, emails in lower case, placeholders such
    as "N/A" blanked. Values that could not be read or are not valid are kept
    as they were typed, for a person to look at; rows are never removed.

    Args:
        frame: The table as loaded.
        raw: The cells as typed; defaults to ``frame``.
        report: From :func:`check_health` on the same table.

    Returns:
        The cleaned table (same rows, columns and row numbers) and the change
        log, a table with "Row", "Column", "Before", "After" and "Reason".

    Example:
        >>> table = pd.DataFrame({"Email": [" A@B.org", "c@d.org"]}, index=[2, 3])
        >>> cleaned, changes = clean_table(table, None, check_health(table))
        >>> cleaned["Email"].tolist(), changes[["Row", "After", "Reason"]].values.tolist()
        (['a@b.org', 'c@d.org'], [[2, 'a@b.org', 'extra spaces removed; email address in lower case']])
    """
    typed_frame = raw if raw is not None else frame
    unreadable_rows = {
        record["Column"]: set(record["Row numbers"]) for record in report.unreadable.to_dict("records")
    }
    cleaned = {}
    logs = []
    for name, info in report.profile.columns.items():
        loaded, typed = frame[name], typed_frame[name]
        keep_typed = pd.Series(typed.index.isin(list(unreadable_rows.get(name, ()))), index=typed.index)
        after = pd.Series(None, index=frame.index, dtype=object)
        reasons = pd.Series("", index=frame.index, dtype=object)

        if info.type in ("number", "whole number", "date"):
            present = loaded.notna()
            after[present] = loaded[present].astype(object)
            typed_present = typed[present].astype(str)
            if info.type == "date":
                as_typed = typed_present.str.strip()
                dates = pd.to_datetime(loaded[present], errors="coerce")
                plain = pd.Series(False, index=as_typed.index)
                for form in _PLAIN_DATE_FORMATS:
                    plain |= as_typed == dates.dt.strftime(form)
                reasons[present & ~plain.reindex(frame.index, fill_value=True)] = REASONS["date"]
            else:
                plain = pd.Series(
                    [_is_plain_number(text, value) for text, value in zip(typed_present, loaded[present], strict=True)],
                    index=typed_present.index, dtype=bool)
                reasons[present & ~plain.reindex(frame.index, fill_value=True)] = REASONS["number"]
        elif info.type != "empty":
            # Text-like columns: fix each distinct value once.
            source = typed.where(~(loaded.isna() & ~keep_typed), None)
            fixes = {value: _standard_text(value, info) for value in source.dropna().unique()}
            present = source.notna()
            after[present] = source[present].map(lambda value: fixes[value][0])
            reasons[present] = source[present].map(lambda value: "; ".join(fixes[value][1]))

        # Cells the loader could not read keep what was typed; placeholders become blank.
        after[keep_typed] = typed[keep_typed]
        blanked = loaded.isna() & ~keep_typed & _nonblank(typed)
        reasons[blanked] = REASONS["placeholder"]
        changed = reasons != ""
        if changed.any():
            logs.append(pd.DataFrame({
                "Row": _row_list(frame.index[changed]), "Column": name,
                "Before": typed[changed].map(_shown).to_numpy(),
                "After": after[changed].map(_shown).to_numpy(),
                "Reason": reasons[changed].to_numpy(),
            }))
        cleaned[name] = after.infer_objects() if not keep_typed.any() else after
    changes = (pd.concat(logs, ignore_index=True) if logs
               else pd.DataFrame(columns=["Row", "Column", "Before", "After", "Reason"]))
    changes = changes.sort_values(["Row"], kind="stable", ignore_index=True)
    return pd.DataFrame(cleaned, index=frame.index), changes


def _nonblank(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype(str).str.strip() != "")


def changes_by_reason(changes: pd.DataFrame) -> pd.DataFrame:
    """Counts the changes made, by reason, for the report.

    Example:
        >>> log = pd.DataFrame({"Reason": ["extra spaces removed", "extra spaces removed; email address in lower case"]})
        >>> changes_by_reason(log).values.tolist()
        [['extra spaces removed', 2], ['email address in lower case', 1]]
    """
    reasons = changes["Reason"].str.split("; ").explode()
    counts = reasons.value_counts()
    return pd.DataFrame({"Change": counts.index.tolist(), "Cells": counts.to_numpy().tolist()})


# ---------------------------------------------------------------------------
# Charts for the report
# ---------------------------------------------------------------------------


def _bar_chart(labels: list[str], values: list[float], texts: list[str], title: str, xlabel: str, colours,
               minimum_span: float = 1):
    """A horizontal bar chart with each bar's value written at its end; the axis
    reaches at least ``minimum_span`` so that tiny values look tiny."""
    from helpers.writing.charts import new_chart

    fig, ax = new_chart(8, max(2.2, 0.42 * len(labels) + 1.2))
    positions = range(len(labels))
    ax.barh(list(positions), values, color=colours)
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()  # first item at the top
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    right = max(max(values, default=0), minimum_span)
    ax.set_xlim(0, right * 1.18)
    for position, value, text in zip(positions, values, texts, strict=True):
        ax.text(value + right * 0.01, position, text, va="center", fontsize=10)
    return fig


def missing_chart(profile: TableProfile):
    """A chart of the share of blank cells in each column, emptiest first.

    Args:
        profile: From :func:`profile_columns`.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> fig, alt = missing_chart(profile_columns(pd.DataFrame({"A": [1, None], "B": [1, 2]})))
        >>> alt
        "Bar chart of blank cells by column. 'A' is 50% blank. 1 column has no blanks."
    """
    from helpers.writing.charts import PALETTE

    shares = pd.Series({name: 100 * info.missing / profile.rows if profile.rows else 0.0
                        for name, info in profile.columns.items()})
    blank = shares[shares > 0].sort_values(ascending=False, kind="stable")
    complete = int((shares == 0).sum())
    labels = list(blank.index) or ["(no blank cells)"]
    values = blank.round(1).tolist() or [0.0]
    texts = [f"{value:.0f}%" if value >= 1 else "under 1%" for value in values]
    colours = [PALETTE[3] if value >= 50 else PALETTE[0] for value in values]
    fig = _bar_chart(labels, values, texts, "How much of each column is blank",
                     "% of rows left blank", colours, minimum_span=10)
    parts = [f"'{name}' is {value:.0f}% blank" for name, value in blank.head(3).items()]
    alt = "Bar chart of blank cells by column. " + (". ".join(parts) + ". " if parts else "No column has blanks. ")
    alt += f"{complete} {'column has' if complete == 1 else 'columns have'} no blanks."
    return fig, alt


def problems_chart(counts: pd.DataFrame, rows: int):
    """A chart of how many rows have each kind of problem.

    Args:
        counts: From :func:`problem_counts`.
        rows: The number of rows in the table, for the percentages.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> counts = pd.DataFrame({"Problem": ["Row has a copy"], "Rows": [2]})
        >>> problems_chart(counts, 10)[1]
        'Bar chart of rows with each kind of problem, out of 10 rows: Row has a copy 2 (20%).'
    """
    from helpers.writing.charts import PALETTE

    ordered = counts.sort_values("Rows", ascending=False, kind="stable")
    values = ordered["Rows"].tolist()
    texts = [f"{value:,} ({percent_text(value, rows)})" for value in values]
    labels = ordered["Problem"].tolist()
    if not labels:
        labels, values, texts = ["(no problems found)"], [0], ["0"]
    fig = _bar_chart(labels, values, texts, "Rows with each kind of problem", "Number of rows",
                     [PALETTE[0]] * len(values))
    described = ", ".join(f"{label} {text}" for label, text in zip(labels, texts, strict=True))
    return fig, f"Bar chart of rows with each kind of problem, out of {rows:,} rows: {described}."
