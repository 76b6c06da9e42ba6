"""Plant recognisable fake values in a file's personal columns, then look for them in a report.

The kit promises that no name, email, phone number, postcode, date of birth or note
from a charity's file reaches the charity's report or ``summary.json`` unmasked. To
test that promise, every personal cell of a sample file is replaced by a *marker*: a
made-up value that cannot occur by chance, so finding it in an output proves a leak.

Markers keep the shape of what they replace, so a playbook analyses the marked file
as it would the original (the same duplicates, the same invalid values):

- words in names, addresses, notes and email mailboxes go through one fixed letter
  substitution and end in ``qz`` ("John" -> "Xkvpqz"), so spelling slips, repeats
  and the name inside an email survive, and no real word ends that way;
- valid phone numbers become unused numbers in Ofcom's drama ranges, written in the
  original's layout ("07700-900-418" -> "07700-900-731");
- valid postcodes keep their outward code (which masks show) and get an unused
  inward code ("E8 1DY" -> "E8 4QT");
- valid dates of birth keep their year (ages stay right) on an unused day;
- invalid values stay invalid: their letters and digits are substituted.

The same original value gets the same marker everywhere (every column, every sheet).
Blank cells and placeholders such as "N/A" or "unknown" are left alone: they are not
personal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.reading.roles import PERSONAL_ROLES, guess_role
from helpers.reading.ukformats import normalise_email, normalise_phone, normalise_postcode

#: Every word marker ends with this; no English word or name does.
MARK = "qz"

#: Cell texts (compared stripped and case-folded) that hold no personal data.
PLACEHOLDERS = frozenset(
    {"", "n/a", "na", "n.a.", "#n/a", "none", "null", "nil", "unknown", "not known", "n/k",
     "-", "--", "?", "tbc", "refused", "prefer not to say", "not given"}
)

#: Words kept as they are inside names and addresses: titles and street types say
#: nothing about who someone is, and playbooks strip or expand them.
KEPT_WORDS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "prof", "sir",
     "road", "rd", "street", "st", "lane", "ln", "avenue", "ave", "close", "cl", "drive",
     "crescent", "cres", "gardens", "gdns", "way", "court", "ct", "place", "pl", "flat"}
)

#: Words in a header that mark a free-text column even when the roles table does not.
FREE_TEXT_WORDS = frozenset({"note", "notes", "comment", "comments", "remark", "remarks", "feedback", "text"})

#: Ofcom's drama ranges (national number without the 0, first seven digits); the last
#: three digits are free. Markers are drawn from these, so none can ring a real person.
DRAMA_MOBILE_PREFIXES = ("7700900",)
DRAMA_LANDLINE_PREFIXES = (
    "2079460", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960",
    "1314960", "1414960", "1514960", "1614960", "1914960", "1632960", "2920180",
)

#: Date layouts a date of birth may be typed in, tried in turn (UK day-first first).
DATE_FORMATS = (
    "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y",
    "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M",
)

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_MONTHS = {name.lower(): number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def personal_columns(columns: Iterable[str]) -> dict[str, str]:
    """Find the columns whose header names personal data, with the role of each.

    A column is personal when :func:`helpers.reading.roles.guess_role` gives one of
    :data:`helpers.reading.roles.PERSONAL_ROLES`, or when its header has a free-text word
    such as "notes" or "comments" (then its role is ``"notes"``).

    Args:
        columns: Headers, as a table's columns.

    Returns:
        Header -> role, in the order given.

    Example:
        >>> personal_columns(["Client ID", "Forename", "E-mail", "Case notes from visit", "Visits"])
        {'Forename': 'first_name', 'E-mail': 'email', 'Case notes from visit': 'notes'}
    """
    found = {}
    for column in columns:
        role = guess_role(str(column))
        words = set(re.findall(r"[a-z]+", str(column).lower()))
        if role in PERSONAL_ROLES:
            found[column] = role
        elif words & FREE_TEXT_WORDS:
            found[column] = "notes"
    return found


def strip_accents(text: str) -> str:
    """Drop accents, as some playbooks do before comparing names.

    Example:
        >>> strip_accents("Chloë Siân")
        'Chloe Sian'
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().casefold() in PLACEHOLDERS


@dataclass
class Markers:
    """The markers planted in a file, by kind, each with the column it went into.

    Attributes:
        words: Case-folded word markers (``"xkvpqz"``), from names, addresses, notes
            and email mailboxes.
        phones: Digit strings: the national number (no leading 0) of each planted
            phone, and the digits of each substituted invalid phone (7 or more).
        postcodes: Planted postcodes in their normal form (``"E8 4QT"``).
        dates: Planted dates of birth.
        literals: Whole substituted invalid values (case-folded, spaces collapsed;
            five characters or more), such as a mistyped date of birth.
        columns: Column -> role, for every column that received markers.
        cells: How many cells were changed.
    """

    words: dict[str, str] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    postcodes: dict[str, str] = field(default_factory=dict)
    dates: dict[dt.date, str] = field(default_factory=dict)
    literals: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    cells: int = 0

    def __len__(self) -> int:
        return (len(self.words) + len(self.phones) + len(self.postcodes) + len(self.dates)
                + len(self.literals))

    def found_in(self, text: str) -> list[str]:
        """Say which planted markers appear in a text (see :func:`find_markers`)."""
        return find_markers(text, self)


class MarkerPlanter:
    """Turns personal values into markers, the same value always into the same marker.

    Call :meth:`observe` on every personal value first, so that new phone numbers,
    postcodes and dates are chosen among those the file does not already hold, then
    :meth:`mark` on each to get its replacement. :attr:`markers` collects what was planted.

    Args:
        seed: Seeds the letter substitution and the choice of new values.

    Example:
        >>> planter = MarkerPlanter(seed=1)
        >>> planter.observe("07700 900123", "phone")
        >>> marked = planter.mark("07700 900123", "phone", column="Phone")
        >>> marked != "07700 900123" and marked.startswith("07") and marked[5] == " "
        True
        >>> planter.mark("John", "first_name", column="First name").endswith("qz")
        True
    """

    def __init__(self, seed: int = 20251003) -> None:
        self._random = random.Random(seed)
        letters = list(string.ascii_lowercase)
        shuffled = letters[:]
        self._random.shuffle(shuffled)
        self._letters = dict(zip(letters, shuffled, strict=True))
        # 0 and 4 stay put so that a substituted invalid number still starts "0" or "+44".
        digits = list("12356789")
        moved = digits[:]
        self._random.shuffle(moved)
        self._digits = {"0": "0", "4": "4", **dict(zip(digits, moved, strict=True))}
        self._seen_phones: set[str] = set()
        self._seen_inward: dict[str, set[str]] = {}
        self._seen_dates: set[dt.date] = set()
        self._phone_map: dict[str, str] = {}
        self._postcode_map: dict[str, str] = {}
        self._date_map: dict[dt.date, dt.date] = {}
        self._free_phones: dict[bool, list[str]] | None = None
        self.markers = Markers()

    # --- what the file already holds -------------------------------------------------
    def observe(self, value: object, role: str) -> None:
        """Note an original value, so no marker can equal a real value of the file."""
        if _blank(value):
            return
        if role == "phone":
            # Every ten-digit stretch, so that no marker hides inside a long invalid number.
            digits = re.sub(r"\D", "", _cell_as_text(value))
            self._seen_phones.update(digits[i:i + 10] for i in range(len(digits) - 9))
        elif role == "postcode":
            postcode = normalise_postcode(value)
            if postcode and " " in postcode:
                outward, inward = postcode.split(" ")
                self._seen_inward.setdefault(outward, set()).add(inward)
        elif role == "date_of_birth":
            day = _as_date(value)[0]
            if day:
                self._seen_dates.update(_both_readings(day))

    # --- the replacement ---------------------------------------------------------------
    def mark(self, value: object, role: str, column: str = "") -> object:
        """The marker for one cell (blank cells and placeholders come back unchanged).

        Args:
            value: The cell as read (text, number or date).
            role: The column's role from :func:`personal_columns`.
            column: The column's header, recorded with each marker for messages.

        Returns:
            The marked value, of the same type as ``value`` where that matters (a
            date stays a date, a number stays a number).
        """
        if _blank(value):
            return value
        self.markers.columns[column] = role
        self.markers.cells += 1
        if role == "phone":
            return self._mark_phone(value, column)
        if role == "postcode":
            return self._mark_postcode(value, column)
        if role == "date_of_birth":
            return self._mark_date(value, column)
        if role == "email":
            return self._mark_email(value, column)
        return self._mark_words(str(value), column, keep=KEPT_WORDS if role != "notes" else frozenset())

    def _cipher_word(self, word: str) -> str:
        body = "".join(
            (self._letters[c.lower()].upper() if c.isupper() else self._letters[c]) if c.lower() in self._letters
            else c
            for c in word
        )
        return body + (MARK.upper() if word.isupper() and len(word) > 1 else MARK)

    def _mark_words(self, text: str, column: str, keep: frozenset = frozenset()) -> str:
        def replace(match: re.Match) -> str:
            word = match.group(0)
            if word.casefold() in keep:
                return word
            marker = self._cipher_word(word)
            self.markers.words.setdefault(marker.casefold(), column)
            return marker

        return _LETTER_RUN.sub(replace, text)

    def _mark_digits(self, text: str) -> str:
        return "".join(self._digits.get(c, c) for c in text)

    def _mark_invalid(self, text: str, column: str, role: str = "") -> str:
        marked = self._mark_words(self._mark_digits(text), column)
        digits = re.sub(r"\D", "", marked)
        if role == "phone" and len(digits) >= 7:
            self.markers.phones.setdefault(digits, column)
        literal = _collapse(marked)
        if len(literal.replace(" ", "")) >= 5:
            self.markers.literals.setdefault(literal, column)
        return marked

    def _mark_phone(self, value: object, column: str) -> object:
        text = _cell_as_text(value)
        phone = normalise_phone(text)
        if phone is None:
            return self._mark_invalid(text, column, role="phone")
        national = phone[3:]
        if national not in self._phone_map:
            self._phone_map[national] = self._new_phone(mobile=national.startswith("7"))
        new = self._phone_map[national]
        self.markers.phones.setdefault(new, column)
        digit_places = [i for i, c in enumerate(text) if c.isdigit()]
        if len(digit_places) < len(new):
            written = "0" + new
        else:  # put the new national number into the last digits, keeping +44, spaces and brackets
            chars = list(text)
            for place, digit in zip(digit_places[-len(new):], new, strict=True):
                chars[place] = digit
            written = "".join(chars)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(re.sub(r"\D", "", written))
        return written

    def _new_phone(self, mobile: bool) -> str:
        if self._free_phones is None:
            pools = {}
            for is_mobile, prefixes in ((True, DRAMA_MOBILE_PREFIXES), (False, DRAMA_LANDLINE_PREFIXES)):
                pool = [p + f"{tail:03d}" for p in prefixes for tail in range(1000)]
                pool = [n for n in pool if n not in self._seen_phones]
                self._random.shuffle(pool)
                pools[is_mobile] = pool
            self._free_phones = pools
        pool = self._free_phones[mobile] or self._free_phones[not mobile]
        if not pool:
            raise ValueError("No unused drama-range phone number is left for a marker.")
        return pool.pop()

    def _mark_postcode(self, value: object, column: str) -> object:
        text = str(value)
        postcode = normalise_postcode(text)
        if postcode is None or " " not in postcode:
            return self._mark_invalid(text, column)
        if postcode not in self._postcode_map:
            outward = postcode.split(" ")[0]
            used = self._seen_inward.setdefault(outward, set())
            letters = "ABDEFGHJLNPQRSTUWXYZ"
            free = [f"{digit}{a}{b}" for digit in range(10) for a in letters for b in letters]
            free = [inward for inward in free if inward not in used]
            if not free:
                raise ValueError(f"No unused postcode in {outward} is left for a marker.")
            inward = self._random.choice(free)
            used.add(inward)
            self._postcode_map[postcode] = f"{outward} {inward}"
        new = self._postcode_map[postcode]
        self.markers.postcodes.setdefault(new, column)
        stripped = text.strip()
        written = new if " " in stripped else new.replace(" ", "")
        if stripped.islower():
            written = written.lower()
        start = text.index(stripped[0])
        return text[:start] + written + text[start + len(stripped):]

    def _mark_date(self, value: object, column: str) -> object:
        day, layout = _as_date(value)
        if day is None:
            return self._mark_invalid(str(value), column)
        if day not in self._date_map:
            # The same year keeps ages right; the nearest year with a free day if that one is full.
            for year in sorted(range(day.year - 5, day.year + 6), key=lambda y: abs(y - day.year)):
                first = dt.date(year, 1, 1)
                free = [first + dt.timedelta(days=n) for n in range(365)]
                free = [d for d in free if not _both_readings(d) & self._seen_dates]
                if free:
                    break
            else:
                raise ValueError(f"No unused date near {day.year} is left for a marker.")
            candidate = self._random.choice(free)
            self._seen_dates.update(_both_readings(candidate))
            self._date_map[day] = candidate
        new = self._date_map[day]
        self.markers.dates.setdefault(new, column)
        if isinstance(value, pd.Timestamp):
            return pd.Timestamp(new)
        if isinstance(value, dt.datetime):
            return dt.datetime(new.year, new.month, new.day)
        if isinstance(value, dt.date):
            return new
        return new.strftime(layout)

    def _mark_email(self, value: object, column: str) -> str:
        text = str(value)
        if normalise_email(text) is None:
            return self._mark_invalid(text, column)
        mailbox, _, domain = text.rpartition("@")
        # The domain is kept: masks show it, and on its own it names no one.
        return self._mark_words(mailbox, column) + "@" + domain


def _collapse(text: str) -> str:
    """Case-folded, with each run of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _cell_as_text(value: object) -> str:
    """A cell as text; Excel phone numbers stored as numbers lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _both_readings(day: dt.date) -> set[dt.date]:
    """A date and, when it exists, the date its dd/mm written form means read as mm/dd."""
    readings = {day}
    if day.day <= 12:
        readings.add(dt.date(day.year, day.day, day.month))
    return readings


def _as_date(value: object) -> tuple[dt.date | None, str]:
    """A cell read as a date, with the layout to write a replacement in."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return (value.date(), "") if not pd.isna(value) else (None, "")
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip()
    for layout in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, layout).date(), layout
        except ValueError:
            continue
    return None, ""


def plant_markers(frame: pd.DataFrame, seed: int = 20251003) -> tuple[pd.DataFrame, Markers]:
    """Replace every personal value of a table with a marker.

    Args:
        frame: A table; its personal columns are found with :func:`personal_columns`.
        seed: Seeds the choice of markers (the same seed gives the same markers).

    Returns:
        A marked copy of ``frame`` and the :class:`Markers` planted.

    Example:
        >>> table = pd.DataFrame({"Name": ["Ann Lee", "N/A"], "Visits": [3, 4]})
        >>> marked, markers = plant_markers(table)
        >>> marked["Name"].tolist()[1], marked["Visits"].tolist(), markers.cells
        ('N/A', [3, 4], 1)
        >>> markers.found_in(f"Top visitor: {marked['Name'][0]}") != []
        True
    """
    planter = MarkerPlanter(seed)
    roles = personal_columns(frame.columns)
    marked = frame.copy()
    for column, role in roles.items():
        for value in frame[column]:
            planter.observe(value, role)
    for column in frame.select_dtypes("datetime").columns.difference(list(roles)):
        for value in frame[column].dropna():
            planter.observe(value, "date_of_birth")
    for column, role in roles.items():
        distinct = frame[column].dropna().unique()
        lookup = {value: planter.mark(value, role, column=str(column)) for value in distinct}
        marked[column] = frame[column].map(lambda v, lookup=lookup: lookup.get(v, v) if not _blank(v) else v)
    return marked, planter.markers


def plant_markers_in_file(source: Path, target: Path, seed: int = 20251003) -> Markers:
    """Write a copy of a charity's file with markers in every personal cell.

    The copy keeps the original's format and quirks, so the kit reads it the same way:
    a workbook keeps its sheets, title rows, formats and totals (cells are changed in
    place with openpyxl, in every sheet the loader can read); a CSV keeps its text
    encoding, separator and line ends. Only rows the loader reads as data are changed.

    Args:
        source: The original file (``.csv``, ``.tsv``, ``.txt``, ``.xlsx`` or ``.xlsm``);
            it is only read.
        target: Where to write the marked copy (its folder is created).
        seed: Seeds the choice of markers.

    Returns:
        The :class:`Markers` planted.

    Raises:
        ValueError: ``target`` is ``source``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "in.csv").write_text("Name;Visits\\nAnn Lee;3\\n")
        >>> markers = plant_markers_in_file(folder / "in.csv", folder / "out" / "in.csv")
        >>> (folder / "out" / "in.csv").read_text().startswith("Name;Visits"), markers.cells
        (True, 1)
    """
    from helpers.reading.loader import load_table

    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        raise ValueError("The marked copy must not overwrite the original file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    planter = MarkerPlanter(seed)
    if source.suffix.lower() in {".xlsx", ".xlsm"}:
        _plant_in_workbook(source, target, planter)
    else:
        _plant_in_delimited(source, target, planter, load_table(source))
    return planter.markers


def _plan(table) -> list[tuple[int, int, str, str]]:
    """(row number, 0-based column position, role, header) of every personal cell the loader reads."""
    from openpyxl.utils import column_index_from_string

    cells = []
    for column, role in personal_columns(table.frame.columns).items():
        position = column_index_from_string(table.source_columns[column]) - 1
        cells.extend((int(row), position, role, str(column)) for row in table.frame.index)
    return cells


def _observe_other_dates(table, planter: MarkerPlanter) -> None:
    """Note the dates of the table's other date columns, so no date of birth marker equals one."""
    personal = personal_columns(table.frame.columns)
    for column, kind in table.column_types.items():
        if kind == "date" and column not in personal:
            for value in table.frame[column].dropna():
                planter.observe(value, "date_of_birth")


def _plant_in_workbook(source: Path, target: Path, planter: MarkerPlanter) -> None:
    import openpyxl

    from helpers.errors import InputProblem
    from helpers.reading.loader import load_table

    workbook = openpyxl.load_workbook(source)
    plans = {}
    for worksheet in workbook.worksheets:
        try:
            table = load_table(source, worksheet.title)
        except InputProblem:  # an empty sheet or one with no table: nothing to mark
            continue
        plans[worksheet.title] = _plan(table)
        _observe_other_dates(table, planter)
    for title, cells in plans.items():
        sheet = workbook[title]
        for row, position, role, _ in cells:
            planter.observe(sheet.cell(row, position + 1).value, role)
    for title, cells in plans.items():
        sheet = workbook[title]
        for row, position, role, column in cells:
            cell = sheet.cell(row, position + 1)
            cell.value = planter.mark(cell.value, role, column=column)
    workbook.save(target)


def _plant_in_delimited(source: Path, target: Path, planter: MarkerPlanter, table) -> None:
    data = source.read_bytes()
    encoding = table.encoding or "utf-8"
    text = data.decode(encoding)  # utf-8-sig and utf-16 drop their byte-order mark here
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter or ","))
    cells = _plan(table)
    _observe_other_dates(table, planter)
    for row, position, role, _ in cells:
        if position < len(rows[row - 1]):
            planter.observe(rows[row - 1][position], role)
    for row, position, role, column in cells:
        if position < len(rows[row - 1]):
            rows[row - 1][position] = planter.mark(rows[row - 1][position], role, column=column)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=table.delimiter or ",", lineterminator=newline).writerows(rows)
    target.write_bytes(buffer.getvalue().encode(encoding))


# --- finding markers ---------------------------------------------------------------------

_PHONE_RUN = re.compile(r"\+?\d[\d \-().]{5,}\d")
_POSTCODE_LIKE = re.compile(r"(?<![a-z0-9])([a-z]{1,2}\d[a-z\d]?)\s*(\d[a-z]{2})(?![a-z0-9])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")
_WORDY_DATE = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})(?!\d)")
_WORDY_DATE_US = re.compile(r"\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")


def find_markers(text: str, markers: Markers) -> list[str]:
    """Say which planted markers appear in a text, in any usual written form.

    Words are matched case-insensitively, with or without accents, also when a
    playbook has run them together ("Xkvpqzbgdqz"); phones in any spacing and with
    or without +44 or the leading 0; postcodes in any case, with or without the
    space; dates as ISO (1984-03-12), dd/mm/yyyy (also mm/dd/yyyy, with - or .) or
    in words (12 March 1984). Masked forms ("X***", "07*******23", "E8 ***",
    "**/**/1984") do not match.

    Args:
        text: An output's text (see :func:`output_text`).
        markers: What was planted.

    Returns:
        One line per marker found, saying what it is and which column it came from;
        empty when none is found.

    Example:
        >>> _, markers = plant_markers(pd.DataFrame({"Phone": ["07700 900123"]}))
        >>> planted = next(iter(markers.phones))
        >>> find_markers(f"Call +44 {planted[:4]} {planted[4:]} today", markers)  # doctest: +ELLIPSIS
        ["phone ... (column 'Phone')"]
        >>> find_markers("Call 07*******23", markers)
        []
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    found = []
    words = {strip_accents(w): column for w, column in markers.words.items()}
    for token in set(_LETTER_RUN.findall(folded)):
        if MARK not in token:
            continue
        plain = strip_accents(token)
        ends = [m.end() for m in re.finditer(MARK, plain)]
        for start in [0, *ends[:-1]]:
            for end in ends:
                piece = plain[start:end]
                if end > start and piece in words:
                    found.append(f"word '{piece}' (column '{words[piece]}')")
    if markers.phones:
        lengths = {len(p) for p in markers.phones}
        for run in set(_PHONE_RUN.findall(folded)):
            digits = re.sub(r"\D", "", run)
            for length in lengths:
                for i in range(len(digits) - length + 1):
                    window = digits[i:i + length]
                    if window in markers.phones:
                        found.append(f"phone {window} (column '{markers.phones[window]}')")
    for outward, inward in set(_POSTCODE_LIKE.findall(folded)):
        postcode = f"{outward} {inward}".upper()
        if postcode in markers.postcodes:
            found.append(f"postcode {postcode} (column '{markers.postcodes[postcode]}')")
    for day in _dates_in(folded):
        if day in markers.dates:
            found.append(f"date {day.isoformat()} (column '{markers.dates[day]}')")
    collapsed = _collapse(folded)
    found += [f"value '{literal}' (column '{column}')" for literal, column in markers.literals.items()
              if literal in collapsed]
    return sorted(set(found))


def _dates_in(folded: str) -> set[dt.date]:
    candidates = []
    candidates += [(int(y), int(m), int(d)) for y, m, d in _ISO_DATE.findall(folded)]
    for a, b, year in _NUMERIC_DATE.findall(folded):
        candidates += [(int(year), int(b), int(a)), (int(year), int(a), int(b))]
    for d, month, year in _WORDY_DATE.findall(folded):
        if month in _MONTHS:
            candidates.append((int(year), _MONTHS[month], int(d)))
    for month, d, year in _WORDY_DATE_US.findall(folded):
        if month in _MONTHS:
            candidates.append((int(year), _MONTHS[month], int(d)))
    days = set()
    for year, month, day in candidates:
        try:
            days.add(dt.date(year, month, day))
        except ValueError:
            continue
    return days


def output_text(path: Path) -> str:
    """The text of one output file, as a person or a program could read it.

    Args:
        path: ``report.html`` (markup kept, so alt text and attributes count;
            embedded ``data:`` images left out, as their base64 is not text),
            ``report.pdf`` (the text pypdf extracts), ``summary.json`` (its values,
            escapes undone), a ``.csv``/``.xlsx`` (every cell the loader reads, every
            sheet), or any other text file.

    Returns:
        The text.

    Example:
        >>> import tempfile
        >>> page = Path(tempfile.mkdtemp()) / "report.html"
        >>> _ = page.write_text('<img alt="A chart" src="data:image/png;base64,QUJD">&amp;')
        >>> output_text(page)
        '<img alt="A chart" src="data:">&'
    """
    import html

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        markup = path.read_text(encoding="utf-8")
        return html.unescape(re.sub(r"data:[^\"'\s)]+", "data:", markup))
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".json":
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    if suffix in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}:
        return _table_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def _table_text(path: Path) -> str:
    from helpers.errors import InputProblem
    from helpers.reading.loader import load_table

    sheets: list[str | None] = [None]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        sheets = workbook.sheetnames
        workbook.close()
    parts = []
    for sheet in sheets:
        try:
            table = load_table(path, sheet)
        except InputProblem:
            continue
        parts.append(table.raw.to_csv(index=False))
    return "\n".join(parts)
