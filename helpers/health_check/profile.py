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
import unicodedata
from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from helpers.reading.parsing import MISSING_TOKENS, header_says_identifier
from helpers.reading.roles import PERSON_HEADER_WORDS, PERSONAL_ROLES, guess_role, role_of_parameter
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

#: A text column holds people's names when at least this share of its cells are two or three
#: capitalised words ("Ava Nowak", "Mary-Jane O'Neill"), whatever its header ...
NAME_SHARE = 0.8
#: ... and most of its cells differ (at least this share are distinct values), or its header names
#: a person ("Member", "Key worker": see ``roles.PERSON_HEADER_WORDS``), where a few names repeat.
NAME_DISTINCT_SHARE = 0.5
#: Cells looked at, evenly spread, to judge whether a long column holds names.
NAME_SAMPLE = 5_000

#: Words that make a capitalised phrase a place, an organisation or a service rather than a person
#: ("Tower Hamlets", "Job Centre", "Citizens Advice"), so a list of those stays a category.
NOT_NAME_WORDS = frozenset({
    "advice", "agency", "association", "avenue", "bank", "borough", "care", "centre", "center", "church",
    "city", "close", "club", "college", "community", "council", "court", "crescent", "drive", "east",
    "fields", "food", "forest", "foundation", "fund", "gardens", "green", "group", "hall", "hamlets",
    "health", "heath", "hill", "hospital", "house", "housing", "job", "lane", "library", "london",
    "north", "office", "park", "partnership", "place", "plus", "project", "referral", "road", "school",
    "service", "services", "society", "south", "square", "street", "support", "surgery", "team",
    "town", "trust", "university", "vale", "village", "walk", "ward", "way", "west", "wood",
    "yes", "no", "not", "known", "other", "none", "unknown", "self", "friend", "family",
})

#: A text column holds ids from its values alone when at least this share of its cells are codes
#: of a few letters and digits ("C0042", "MEM-104") and this share of them are different.
ID_SHARE = 0.9

#: What each kind of checked format is called in the report.
FORMAT_NAMES = {"email": "an email address", "postcode": "a UK postcode", "phone": "a UK phone number"}

#: What each kind of personal data is called in the report.
PERSONAL_NAMES = {
    "first_name": "first names", "last_name": "surnames", "full_name": "names",
    "email": "email addresses", "phone": "phone numbers", "postcode": "postcodes",
    "address": "addresses", "date_of_birth": "dates of birth", "notes": "free-text notes",
    "id": "IDs that point at one person",
}

#: The kinds of personal data whose values are never shown, not even masked in part, and that
#: two rows must share to be copies of one another.
NAME_KINDS = frozenset({"first_name", "last_name", "full_name"})

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


def blank_placeholders(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with placeholder text ("not known", "N/A", "none", "-") in text columns made blank.

    The loader blanks these in number and date columns only; in a text column they stay as
    typed. The health check counts them as missing, never as an invalid postcode or a category.

    Example:
        >>> blank_placeholders(pd.DataFrame({"Postcode": ["E1 6AN", "Not known ", "n/a"]}))["Postcode"].tolist()
        ['E1 6AN', None, None]
    """
    blanked = {}
    for column in frame.columns:
        series = frame[column]
        hits = placeholder_mask(series)
        blanked[column] = series.astype(object).where(~hits, None) if hits.any() else series
    return pd.DataFrame(blanked, index=frame.index) if blanked else frame


def placeholder_mask(series: pd.Series) -> pd.Series:
    """Where a text column's cells are placeholders for "no value" (each distinct value checked once).

    Example:
        >>> placeholder_mask(pd.Series(["none", "Hackney", None, " N/A"])).tolist()
        [True, False, False, True]
    """
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return pd.Series(False, index=series.index)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(distinct, dtype=object).astype(str).str.strip().str.casefold()
    placeholder = np.append(text.isin(MISSING_TOKENS).to_numpy(dtype=bool), False)
    return pd.Series(placeholder[codes], index=series.index)


def fingerprint(value: object) -> str:
    """OpenRefine's fingerprint key: accents, capitals, punctuation and word order set aside.

    Two spellings with the same key are the same answer typed another way ("Tower Hamlets",
    "tower hamlets ", "Hamlets, Tower").

    Example:
        >>> fingerprint(" Tower  Hamlets."), fingerprint("Hamlets, tower"), fingerprint("Café")
        ('hamlets tower', 'hamlets tower', 'cafe')
    """
    text = _PUNCTUATION.sub("", _ascii(str(value)).strip().casefold())
    return " ".join(sorted(set(text.split())))


def ngram_fingerprint(value: object, size: int = 2) -> str:
    """OpenRefine's n-gram fingerprint: the sorted set of letter pairs, spaces removed.

    It joins spellings that differ in where the spaces fall ("jobcentre", "Job Centre").

    Example:
        >>> ngram_fingerprint("jobcentre") == ngram_fingerprint("Job Centre")
        True
        >>> ngram_fingerprint("Group A") == ngram_fingerprint("Group B")
        False
    """
    text = re.sub(r"\s+", "", _PUNCTUATION.sub("", _ascii(str(value)).casefold()))
    if len(text) <= size:
        return text
    return "".join(sorted({text[start:start + size] for start in range(len(text) - size + 1)}))


_PUNCTUATION = re.compile(r"[^\w\s]|[\x00-\x08\x0a-\x1f\x7f_]")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_NAME_WORD = re.compile(r"[A-Z][A-Za-z]*(?:['’\-][A-Za-z]+)*")


def looks_like_name(value: object) -> bool:
    """Whether a cell looks like a person's name: two or three capitalised words.

    Example:
        >>> [looks_like_name(v) for v in ["Ava Nowak", "Mary-Jane O'Neill", "Nowak, Ava", "Tower Hamlets", "GP", "lunch"]]
        [True, True, True, False, False, False]
    """
    words = [word for word in re.split(r"[\s,]+", str(value).strip()) if word]
    if not 2 <= len(words) <= 3:
        return False
    return all(
        _NAME_WORD.fullmatch(word) and any(letter.islower() for letter in word)
        and word.casefold() not in NOT_NAME_WORDS
        for word in words
    )


def _holds_names(values: pd.Series, header: str) -> bool:
    """A column of people's names, judged from its cells (see :data:`NAME_SHARE`).

    Spellings are taken together by their fingerprint, so "ava  nowak" typed again in lower
    case counts as the name "Ava Nowak" it repeats.
    """
    # An evenly spread sample keeps this quick on a million rows of different names.
    values = values.iloc[:: max(1, len(values) // NAME_SAMPLE)]
    counts = values.astype(str).value_counts()
    if counts.empty:
        return False
    people: dict[str, list] = {}
    for value, count in counts.items():
        person = people.setdefault(fingerprint(value), [0, False])
        person[0] += int(count)
        person[1] = person[1] or looks_like_name(value)
    named = sum(count for count, is_name in people.values() if is_name)
    if named < NAME_SHARE * len(values):
        return False
    if len(people) >= NAME_DISTINCT_SHARE * len(values):
        return True
    header_words = set(re.sub(r"[^0-9a-z]+", " ", str(header).lower()).split())
    return bool(header_words & PERSON_HEADER_WORDS)


_CODE = re.compile(r"[A-Za-z]{1,4}[-/ ]?\d{2,}[A-Za-z]?")


def _holds_ids(values: pd.Series, header: str, role: str | None) -> bool:
    """A column of record ids: its header says so, or its cells are distinct codes ("C0042")."""
    if role == "id":
        return True
    text = values.astype(str).str.strip()
    if text.empty:
        return False
    distinct = text.nunique() >= ID_SHARE * len(text)
    if header_says_identifier(header):
        return distinct
    return distinct and len(text) >= 5 and text.str.fullmatch(_CODE.pattern).mean() >= ID_SHARE


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
        kept_because: For categories: each spelling to use, with why it was kept.
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
    kept_because: dict[str, str] = dataclasses.field(default_factory=dict)
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


def _case_rank(text: str) -> int:
    """How well a spelling uses capitals: 2 proper ("Tower Hamlets", "Self referral", "GP"),
    1 shouting ("TOWER HAMLETS"), 0 none or out of place ("tower hamlets", "tOWER")."""
    letters = [letter for letter in text if letter.isalpha()]
    if not letters:
        return 2
    if all(letter.isupper() for letter in letters):
        # A short acronym ("GP", "NHS", "CAB") is written in capitals; a long phrase is shouted.
        return 2 if all(len(word) <= 4 for word in text.split()) else 1
    return 2 if letters[0].isupper() else 0


def _form_rank(spelling: str, count: int) -> tuple:
    """Orders spellings for the one to keep: a whole word before a lone letter ("Yes" before "Y"),
    proper capitals, no stray spaces, then the most used."""
    whole = len(fold_text(spelling)) > 1
    return (whole, _case_rank(tidy_spaces(spelling)), spelling == tidy_spaces(spelling), count, spelling)


def keep_best_formed(spellings: Mapping[str, int]) -> tuple[str, str]:
    """The spelling to keep from a group of spellings of one answer, and why, in words.

    The best-formed spelling is kept, not the most common: a whole word over a single letter,
    proper capitals over none, no stray spaces; the most used among equals.

    Args:
        spellings: Each spelling found, with how many cells use it.

    Returns:
        ``(kept, reason)``: the kept spelling with its spaces tidied, and a short reason.

    Example:
        >>> keep_best_formed({"tower hamlets": 40, "Tower Hamlets": 3})
        ('Tower Hamlets', "capital letters where they belong ('tower hamlets' is more common)")
        >>> keep_best_formed({"Y": 50, "Yes": 20, "yes": 4})
        ('Yes', "the whole word ('Y' is more common)")
        >>> keep_best_formed({"Hackney": 9, "hackney ": 2})
        ('Hackney', 'the most common spelling')
    """
    best = max(spellings.items(), key=lambda item: _form_rank(*item))[0]
    common = max(spellings.items(), key=lambda item: (item[1], _form_rank(*item)))[0]
    kept = tidy_spaces(best)
    if best == common:
        return kept, "the most common spelling" + (", stray spaces removed" if kept != best else "")
    more_common = f"('{tidy_spaces(common)}' is more common)"
    if len(fold_text(common)) <= 1 < len(fold_text(best)):
        return kept, f"the whole word {more_common}"
    if _case_rank(kept) > _case_rank(tidy_spaces(common)):
        return kept, f"capital letters where they belong {more_common}"
    return kept, f"no stray spaces {more_common}"


#: Single letters read as the answer they stand for, in a column that also holds the words.
YES_NO_LETTERS = {"y": "yes", "n": "no"}


def _key_collision_clusters(counts: pd.Series) -> list[Counter]:
    """Groups spellings whose OpenRefine keys collide: fingerprint first, then n-gram fingerprint.

    "Y" and "N" count as "yes" and "no" when the column holds either word.
    """
    keys = {spelling: fingerprint(spelling) for spelling in counts.index}
    if {"yes", "no"} & set(keys.values()):
        keys = {spelling: YES_NO_LETTERS.get(key, key) for spelling, key in keys.items()}
    by_key: dict[str, Counter] = {}
    for spelling, count in counts.items():
        by_key.setdefault(keys[spelling], Counter())[spelling] += int(count)
    # Fingerprint groups whose spellings' n-gram keys also collide join ("jobcentre" and
    # "Job Centre"), unless their numbers differ ("Year 10" and "Year 01").
    parent = {key: key for key in by_key}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_with: dict[tuple, str] = {}
    for key, spellings in by_key.items():
        for spelling in spellings:
            ngram = (ngram_fingerprint(spelling), tuple(re.findall(r"\d+", spelling)))
            if ngram in first_with:
                parent[root(key)] = root(first_with[ngram])
            else:
                first_with[ngram] = key
    merged: dict[str, Counter] = {}
    for key, spellings in by_key.items():
        merged.setdefault(root(key), Counter()).update(spellings)
    return list(merged.values())


def group_spellings(values: pd.Series) -> tuple[dict[str, str], dict[str, str]]:
    """Maps every spelling of a category column to the one to use, and says why each was kept.

    Spellings whose keys collide, as OpenRefine's key-collision clustering finds them, are
    one answer: same fingerprint (capitals, accents, punctuation, spaces and word order set
    aside: "Tower Hamlets", "tower hamlets "), or same n-gram fingerprint ("jobcentre",
    "Job Centre"); "Y" and "N" are "Yes" and "No". Then a rare group joins a much more common
    one it nearly matches (a typo such as "Hackny"), and a rare single letter joins the one
    common value it begins ("F" for "Female"). Values with different numbers, values one short
    word apart ("Group A"/"Group B") and two common values ("Male"/"Female") stay apart. The
    kept spelling is the best-formed one (see :func:`keep_best_formed`), never a typo's.

    Args:
        values: The filled cells of one column.

    Returns:
        ``(mapping, reasons)``: each spelling found -> the spelling to use, and each spelling
        to use -> why it was kept.

    Example:
        >>> values = pd.Series(["tower hamlets"] * 5 + ["Tower Hamlets", "Hackney", "Hackny"] + ["Hackney"] * 4)
        >>> mapping, reasons = group_spellings(values)
        >>> mapping["tower hamlets"], mapping["Hackny"], reasons["Hackney"]
        ('Tower Hamlets', 'Hackney', 'the most common spelling')
    """
    counts = values.astype(str).value_counts()
    clusters = sorted(_key_collision_clusters(counts), key=lambda cluster: (-sum(cluster.values()), min(cluster)))
    # Each cluster is matched on the folded form of its best-formed spelling.
    anchors: dict[str, dict] = {}
    for cluster in clusters:
        key = fold_text(keep_best_formed(cluster)[0])
        total = sum(cluster.values())
        target = None
        if len(key) == 1:
            # "F" for "Female": a letter that begins exactly one other value, a much commoner one.
            longer = [other for other in anchors if len(other) > 1 and other.startswith(key)]
            if len(longer) == 1 and total <= SPELLING_RARITY * anchors[longer[0]]["total"]:
                target = longer[0]
        elif len(key) >= 4 and anchors:
            choices = {anchor: anchor for anchor in anchors if len(anchor) >= 4}
            for anchor, _, _ in process.extract(
                key, choices, scorer=fuzz.ratio, score_cutoff=SPELLING_SIMILARITY, limit=3
            ):
                if (
                    total <= SPELLING_RARITY * anchors[anchor]["total"]
                    and _same_numbers(key, anchor)
                    and not _differ_only_in_short_words(key, anchor)
                ):
                    target = anchor
                    break
        if target is None:
            anchors.setdefault(key, {"own": Counter(), "joined": Counter(), "total": 0})
            anchors[key]["own"].update(cluster)
            anchors[key]["total"] += total
        else:
            anchors[target]["joined"].update(cluster)
            anchors[target]["total"] += total

    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for group in anchors.values():
        # A typo that joined never becomes the spelling to keep: only the group's own spellings compete.
        kept, reason = keep_best_formed(group["own"])
        reasons[kept] = reason
        mapping.update({spelling: kept for spelling in [*group["own"], *group["joined"]]})
    return mapping, reasons


def spelling_groups(values: pd.Series) -> dict[str, str]:
    """Maps every spelling of a category column to the one spelling to use (see :func:`group_spellings`).

    Example:
        >>> values = pd.Series(["Hackney"] * 5 + ["hackney ", "HACKNEY", "Hackny", "Camden", "Camden"])
        >>> groups = spelling_groups(values)
        >>> groups["Hackny"], groups["hackney "], groups["Camden"]
        ('Hackney', 'Hackney', 'Camden')
    """
    return group_spellings(values)[0]


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
    frame = blank_placeholders(frame)
    chosen = {column: role_of_parameter(parameter) for parameter, column in (roles or {}).items() if column}
    columns: dict[str, ColumnInfo] = {}
    for column in frame.columns:
        series = frame[column]
        values = _filled(series)
        if raw is not None and column in raw.columns:
            typed = _filled(raw[column][~placeholder_mask(raw[column])])
        else:
            typed = values  # the frame's placeholders are already blank
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
        elif column_type == "text" and _holds_names(typed, str(column)):
            # Names are names whatever the header says ("Member", "Key worker", "Attendee").
            personal, personal_reason = "full_name", "content"
        elif not checked_as and column_type in ("text", "number") and _holds_ids(typed, str(column), role):
            personal, personal_reason = "id", "header" if role == "id" else "content"
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
            info.spellings, info.kept_because = group_spellings(values)
            counts = values.astype(str).map(info.spellings).value_counts()
            info.categories = list(counts.index)
            info.example = info.categories[0]  # the answer as it should be typed
        columns[str(column)] = info
    return TableProfile(rows=int(len(frame)), columns=columns)
