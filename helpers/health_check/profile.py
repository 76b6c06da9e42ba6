"""The profile of a table: what each column holds, and the spellings of each category.

Nothing here needs to know what the file is about. :func:`profile_columns`
gives each column a type (number, date, category, email address...), its
blank cells, an example (masked when the column holds personal data) and, for
categories, every spelling mapped to the one to use (:func:`spelling_groups`).
The small text helpers the other health-check modules share live here too.
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

from helpers.reading.roles import PERSONAL_ROLES, guess_role, role_of_parameter
from helpers.reading.ukformats import (
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_series,
)
from helpers.writing.privacy import mask_value

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

#: The most columns the health check reads from one file (the first ones). Each column
#: costs a few hundredths of a second; a 10,000-column export would take minutes, and the
#: report says how many were left out.
MAX_COLUMNS = 300

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
    # fold_text's steps as whole-column string operations (a big file has many distinct values).
    text = pd.Series(distinct, dtype=object).astype(str).str.casefold()
    text = text.str.replace(r"[.'’]", "", regex=True).str.replace(r"[\W_]+", " ", regex=True).str.strip()
    folded = np.array([*text.tolist(), np.nan], dtype=object)
    return pd.Series(folded[codes], index=series.index, dtype="str")


def tidy_spaces(value: object) -> str:
    """Removes spaces at the ends of a value and squeezes runs of spaces inside it.

    Example:
        >>> tidy_spaces("  Hackney   Wick ")
        'Hackney Wick'
    """
    return " ".join(str(value).split())


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
        uncalculated: Cells holding a formula Excel never calculated (they read as
            blank, but are not blank, so they are not counted in ``missing``).
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
    uncalculated: int = 0


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
    uncalculated: Mapping[str, list] | None = None,
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
        uncalculated: Column -> rows whose formula Excel never calculated, from the
            loader; those cells are not counted as blank.

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
        formulas = series.index.isin(list((uncalculated or {}).get(column, ())))
        if formulas.any():
            info.uncalculated = int((formulas & series.isna().to_numpy()).sum())
            info.missing -= info.uncalculated
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
