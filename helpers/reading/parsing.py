"""Reading messy spreadsheet cells as UK dates and numbers, a whole column at a time.

Charity exports mix real Excel dates, text such as "03/04/1987", Excel serial numbers,
amounts like "£1,200.50" and placeholders like "N/A". The functions here turn a column of
such cells into proper values and say which cells could not be read, without guessing
silently: dates are day-first (UK) unless a column only makes sense month-first, and
identifiers such as phone numbers or "00123" are never turned into numbers.

Everything is vectorised (regular expressions and ``pd.to_datetime`` with explicit
formats tried in turn), so a 100,000-row column takes a fraction of a second. Cells may
be strings (CSV), or the typed values openpyxl returns (numbers, datetimes, strings).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Cell texts (compared stripped and lower-cased) that mean "no value" in a number or
#: date column. In a text column they stay as written.
MISSING_TOKENS = frozenset(
    {"", "n/a", "na", "n.a.", "#n/a", "-", "--", "unknown", "not known", "none", "null", "nan", "?"}
)

#: Share of a column's non-missing cells that must read as dates (or numbers) for the
#: column to be treated as dates (or numbers).
MAJORITY_SHARE = 0.6
#: The lower share that is enough when the header itself says "date", "DOB", "amount"...
HINTED_SHARE = 0.2

#: Excel's day zero for serial dates (the 1900 date system; workbooks made on old Macs
#: use the 1904 system, which the loader passes in instead).
EXCEL_ORIGIN = "1899-12-30"
# Excel cannot show serials past 31/12/9999; anything larger is not a date.
_LARGEST_SERIAL = 2_958_465
# Whole numbers in this range may be dates written YYYYMMDD (19560409).
_SMALLEST_COMPACT, _LARGEST_COMPACT = 18_000_101, 22_991_231

# Two-digit years go in the century that keeps them at most this many years ahead of
# today: "15/06/52" is a date of birth in 1952, "03/10/25" is 2025.
_TWO_DIGIT_YEAR_LEAD = 5

_NUMERIC_DATE_FORMATS_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y")
_ISO_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
_COMPACT_FORMAT = "%Y%m%d"
_MONTH_NAME_FORMATS = (
    "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%B-%Y", "%d-%b-%y", "%d %b %y", "%d %B %y",
    "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y",
)
_TIME_SUFFIXES = (" %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S", " %H:%M:%S.%f", "T%H:%M:%S.%f")

# Shapes that might be dates; only cells of these shapes reach pd.to_datetime, so text
# columns such as names cost one regular-expression pass.
_DATE_SHAPE = re.compile(
    r"(?:\d{8}|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\d{1,2}[ \-][A-Za-z]{3,9}[ \-]\d{2,4}"
    r"|[A-Za-z]{3,9} \d{1,2},? \d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TYPED_NUMBER_SHAPE = r"\(?[+-]?\s*(?:[£$€]|GBP)?\s*[+-]?\s*[\d.,]*\d[\d.,]*\s*%?\)?"
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
# Text that must stay text even though it is made of digits: a leading zero ("00123",
# "07700 900123"), an international prefix ("+44 ..."), or a long run of digits with
# phone punctuation. Turning these into numbers would lose the zero or the grouping.
_IDENTIFIER_SHAPE = r"^(?:\+\d|\(?0\d)[\d ()\-.]*$|^\d[\d ()\-]{10,}$"

# Header words that say what a column holds.
_DATE_HEADER = re.compile(r"(?<![a-z])(?:date|dob|d\.o\.b\.?|birth|born|birthday|birthdate|when)(?![a-z])", re.IGNORECASE)
_NOT_A_DATE_HEADER = re.compile(r"\b(?:year|month|age|time|days?|weeks?)\b", re.IGNORECASE)
_NUMBER_HEADER = re.compile(
    r"\b(?:amount|total|count|size|age|qty|quantity|donations?|income|cost|price|value|hours"
    r"|visits|spend|paid|balance|£)\b|\b(?:number|no\.?) of\b",
    re.IGNORECASE,
)
_IDENTIFIER_WORDS = frozenset(
    {"id", "ref", "reference", "phone", "mobile", "tel", "telephone", "postcode", "zip", "code",
     "account", "nino", "uprn", "urn", "barcode"}
)
_IDENTIFIER_LAST_WORDS = frozenset({"number", "no", "num"})


@dataclass
class ColumnReading:
    """What :func:`read_column` made of one column.

    Attributes:
        kind: "number", "date", "text" or "empty".
        values: The converted column: float64 for numbers, datetime64[ns] for dates,
            text (missing where the cell is blank) otherwise.
        failed: True where a non-missing cell could not be read as the column's kind
            (always False for text and empty columns).
        month_first: True when a date column was read month-first (US style) because
            it made no sense day-first.
        date_forms: For date columns, how many cells were read in each form
            ("dd/mm/yyyy", "YYYYMMDD", "Excel dates"...; see :data:`DATE_FORMS`).
    """

    kind: str
    values: pd.Series
    failed: pd.Series
    month_first: bool = False
    date_forms: dict[str, int] = field(default_factory=dict)


@dataclass
class _Cells:
    """A column split by what openpyxl (or the CSV reader) handed over."""

    text: pd.Series  # str cells (stripped), NaN elsewhere
    numbers: pd.Series  # float cells, NaN elsewhere
    stamps: pd.Series  # datetime cells, NaT elsewhere
    missing: pd.Series  # blank, None or a missing token


def is_missing_token(value) -> bool:
    """Whether a cell means "no value": blank, None, NaN, or text like "N/A" or "unknown".

    Args:
        value: One cell.

    Returns:
        True for missing values and the texts in :data:`MISSING_TOKENS` (any case,
        surrounding spaces ignored).

    Example:
        >>> [is_missing_token(v) for v in ["N/A", " unknown ", "-", "", None, "0", "Hackney"]]
        [True, True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in MISSING_TOKENS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_text(value) -> str:
    """A cell as the text a person sees in Excel (UK style), for before/after views.

    Args:
        value: A cell value as openpyxl returns it (or text).

    Returns:
        "" for an empty cell; whole numbers without ".0"; dates as dd/mm/yyyy (with the
        time when there is one); text unchanged.

    Example:
        >>> [cell_text(v) for v in [None, 12.0, 12.5, dt.datetime(1987, 4, 3), "N/A", True]]
        ['', '12', '12.5', '03/04/1987', 'N/A', 'TRUE']
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(float(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M:%S" if value.second else "%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


def _kind_of(value) -> str:
    """One letter per cell: t(ext), n(umber), d(ate), m(issing); other values count as text."""
    if value is None or value is pd.NaT:
        return "m"
    if isinstance(value, str):
        return "t"
    if isinstance(value, bool):
        return "t"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "m" if value != value else "n"
    if isinstance(value, (dt.datetime, dt.date, np.datetime64)):
        return "m" if pd.isna(value) else "d"
    return "t"


def _split_cells(series: pd.Series) -> _Cells:
    """Sort a column's cells into text, numbers and datetimes, and mark missing ones.

    The parts are indexed by position (0, 1, 2...), so that a caller's index may repeat
    labels; the public functions put the caller's index back.
    """
    series = series.reset_index(drop=True)
    index = series.index
    no_numbers = pd.Series(np.nan, index=index, dtype="float64")
    no_stamps = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if pd.api.types.is_bool_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.astype("float64")
        text = pd.Series(np.nan, index=index, dtype="str")
        return _Cells(text, numbers, no_stamps, numbers.isna())
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
        # Dates beyond what nanoseconds can hold (before 1677, after 2262) count as unreadable.
        in_range = (stamps >= pd.Timestamp.min) & (stamps <= pd.Timestamp.max)
        text = pd.Series(np.nan, index=index, dtype="str")
        return _Cells(text, no_numbers, stamps.where(in_range).astype("datetime64[ns]"), stamps.isna())
    if pd.api.types.is_string_dtype(series) and series.dtype != object:
        text = series
        numbers, stamps = no_numbers, no_stamps
    else:
        kinds = series.map(_kind_of)
        stamp_cells = series[kinds == "d"]
        stamps = pd.Series(pd.to_datetime(stamp_cells.tolist(), errors="coerce"), index=stamp_cells.index)
        # A datetime pandas cannot hold (such as the year 9999) is passed on as its text,
        # which then fails to read as a date like any other typo.
        in_range = (stamps >= pd.Timestamp.min) & (stamps <= pd.Timestamp.max)
        kinds = kinds.where(~kinds.index.isin(stamps.index[~in_range]), "t")
        stamps = stamps[in_range].astype("datetime64[ns]").reindex(index)
        text_cells = series[kinds == "t"]
        text = pd.Series(text_cells.map(cell_text), dtype="str").reindex(index)
        number_cells = series[kinds == "n"]
        numbers = pd.Series(number_cells, dtype="float64").reindex(index)
    text = text.str.strip()
    missing = numbers.isna() & stamps.isna() & (text.isna() | text.str.lower().isin(MISSING_TOKENS))
    text = text.where(~missing)
    return _Cells(text, numbers, stamps, missing)


def missing_mask(series: pd.Series) -> pd.Series:
    """Where a column's cells mean "no value" (see :func:`is_missing_token`), vectorised.

    Args:
        series: A column of cells.

    Returns:
        A bool Series on the same index.

    Example:
        >>> missing_mask(pd.Series(["3", "N/A", None, "unknown", "two"])).tolist()
        [False, True, True, True, False]
    """
    return _split_cells(series).missing.set_axis(series.index)


def looks_month_first(series: pd.Series) -> bool:
    """Whether a column of numeric dates only makes sense month-first (US style).

    True when no value has a first part above 12 and some value has a second part
    above 12 (for example 12/25/2024 and 03/31/2024). Any value such as 25/12/2024
    settles the column as day-first; so does a column where every value is ambiguous.

    Args:
        series: A column of cells (text and/or typed values).

    Returns:
        True if the column should be read month-first.

    Example:
        >>> looks_month_first(pd.Series(["12/25/2024", "03/31/2024", "01/02/2024"]))
        True
        >>> looks_month_first(pd.Series(["12/25/2024", "25/12/2024"]))
        False
    """
    return _looks_month_first(_split_cells(series).text)


def _looks_month_first(text: pd.Series) -> bool:
    text = text.dropna()
    first_above_12 = text.str.match(r"(?:1[3-9]|2\d|3[01])[/.\-]\d{1,2}[/.\-]\d")
    if text.empty or first_above_12.any():
        return False
    return bool(text.str.match(r"\d{1,2}[/.\-](?:1[3-9]|2\d|3[01])[/.\-]\d").any())


_DIRECTIVE_SHAPES = {
    "%d": r"\d{1,2}", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{2}", "%b": r"[A-Za-z]{3}",
    "%B": r"[A-Za-z]{3,9}", "%H": r"\d{1,2}", "%M": r"\d{2}", "%S": r"\d{2}", "%f": r"\d{1,9}",
}


@functools.cache
def _format_shape(fmt: str) -> str:
    """A regular expression for the text a strptime format can match (one or two digits for "%d"...)."""
    if fmt.startswith(_COMPACT_FORMAT):  # eight digits together: no room for one-digit days
        return r"\d{8}" + _format_shape(fmt[len(_COMPACT_FORMAT):]) if fmt != _COMPACT_FORMAT else r"\d{8}"
    parts = re.split(r"(%[a-zA-Z])", fmt)
    return "".join(_DIRECTIVE_SHAPES.get(part, re.escape(part)) for part in parts)


#: What each way of writing a date is called in the load log and the report.
DATE_FORMS = {
    "day_first": "dd/mm/yyyy",
    "day_first_short": "dd/mm/yy",
    "month_first": "mm/dd/yyyy (month first, US style)",
    "month_first_short": "mm/dd/yy (month first, US style)",
    "iso": "ISO (yyyy-mm-dd)",
    "compact": "YYYYMMDD",
    "month_name": "day, month name and year (3 Apr 1987)",
    "excel_serial": "Excel serial numbers",
    "excel_date": "Excel dates",
}


def _form_of(fmt: str, month_first: bool) -> str:
    """The :data:`DATE_FORMS` key of a strptime format."""
    if fmt.startswith(_COMPACT_FORMAT):
        return "compact"
    if fmt.startswith(_ISO_FORMATS):
        return "iso"
    if "%b" in fmt or "%B" in fmt:
        return "month_name"
    short = "_short" if "%y" in fmt else ""
    return ("month_first" if month_first else "day_first") + short


def _formats(month_first: bool) -> list[str]:
    numeric = _NUMERIC_DATE_FORMATS_DAY_FIRST
    if month_first:
        numeric = tuple(f.replace("%d", "%D").replace("%m", "%d").replace("%D", "%m") for f in numeric)
    return [*numeric, *_ISO_FORMATS, _COMPACT_FORMAT, *_MONTH_NAME_FORMATS]


def _tally(mask: pd.Series, weights: pd.Series | None) -> int:
    """How many cells a bool mask marks; with ``weights`` (cells per distinct value, on the
    same positional index), how many cells of the column its distinct values stand for."""
    if weights is None:
        return int(mask.sum())
    return int(weights.loc[mask.index[mask.to_numpy(dtype=bool)]].sum())


def _parse_date_text(
    text: pd.Series, month_first: bool, forms: Counter | None = None, weights: pd.Series | None = None
) -> pd.Series:
    """Read date-shaped text with each explicit format in turn; NaT where none fits.

    ``forms``, when given, counts the cells read in each form (keys of :data:`DATE_FORMS`),
    each weighted by ``weights`` when given (see :func:`_tally`).
    """
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    shaped = text[text.str.fullmatch(_DATE_SHAPE).fillna(False).astype(bool)]
    if shaped.empty:
        return result
    has_time = shaped.str.contains(":", regex=False)
    this_year = dt.date.today().year
    for timed, group in ((False, shaped[~has_time]), (True, shaped[has_time])):
        formats = _formats(month_first)
        if timed:
            formats = [f + suffix for f in formats for suffix in _TIME_SUFFIXES]
        remaining = group
        for fmt in formats:
            if remaining.empty:
                break
            # Only cells of this format's shape go to pd.to_datetime, which costs as much
            # for a cell that fails as for one that fits.
            fits = remaining[remaining.str.fullmatch(_format_shape(fmt))]
            if fits.empty:
                continue
            parsed = pd.to_datetime(fits, format=fmt, errors="coerce")
            if "%y" in fmt:
                # %y puts 69-99 in the 1900s and 00-68 in the 2000s; move far-future years back.
                too_late = parsed.dt.year > this_year + _TWO_DIGIT_YEAR_LEAD
                parsed = parsed.where(~too_late, parsed - pd.DateOffset(years=100))
            # Dates outside what pandas can hold in nanoseconds (before 1677, after
            # 2262) are typos such as 01/01/0990; leave them unread.
            in_range = (parsed >= pd.Timestamp.min) & (parsed <= pd.Timestamp.max)
            parsed = parsed.where(in_range)
            read = parsed.notna()
            if read.any():
                result.loc[parsed.index[read]] = parsed[read].astype("datetime64[ns]")
                if forms is not None:
                    forms[_form_of(fmt, month_first)] += _tally(read, weights)
            remaining = remaining.drop(index=read.index[read])
    return result


def _compact_numbers(numbers: pd.Series) -> pd.Series:
    """Whole numbers of eight digits that are real dates written YYYYMMDD (19560409),
    as dates; NaT elsewhere. They are far above any Excel serial, so the two never clash."""
    whole = numbers[(numbers >= _SMALLEST_COMPACT) & (numbers <= _LARGEST_COMPACT) & (numbers % 1 == 0)]
    parsed = pd.to_datetime(whole.astype("int64").astype(str), format=_COMPACT_FORMAT, errors="coerce")
    return parsed.reindex(numbers.index).astype("datetime64[ns]")


def _read_dates(
    cells: _Cells, month_first: bool, serial_origin: str, forms: Counter | None = None,
    weights: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series]:
    forms = forms if forms is not None else Counter()
    parsed = cells.stamps.copy()
    if parsed.notna().any():
        forms["excel_date"] += _tally(parsed.notna(), weights)
    serials = cells.numbers
    origin = pd.Timestamp(serial_origin)
    # Serials past what pandas can hold (the year 2262) are typos, not dates.
    largest = min(_LARGEST_SERIAL, (dt.date(2262, 4, 10) - origin.date()).days)
    is_serial = serials.notna() & (serials >= 1) & (serials <= largest)
    if is_serial.any():
        as_dates = origin + pd.to_timedelta(serials[is_serial].round(6), unit="D")
        parsed.loc[is_serial] = as_dates.astype("datetime64[ns]")
        forms["excel_serial"] += _tally(is_serial, weights)
    compact = _compact_numbers(serials)
    if compact.notna().any():
        parsed.loc[compact.notna()] = compact[compact.notna()]
        forms["compact"] += _tally(compact.notna(), weights)
    from_text = _parse_date_text(cells.text.dropna(), month_first, forms, weights)
    parsed.loc[from_text.index] = from_text
    failed = ~cells.missing & parsed.isna()
    return parsed, failed


@dataclass
class DateReading:
    """What :func:`read_uk_dates` made of a column of dates.

    Attributes:
        values: The dates as datetime64[ns]; NaT where missing or unreadable.
        failed: True where a non-missing cell could not be read as a date.
        forms: How many cells were read in each form, by the names in
            :data:`DATE_FORMS` ("dd/mm/yyyy", "YYYYMMDD", "Excel dates"...), commonest first.
        month_first: True when the column was read month-first (US style).
    """

    values: pd.Series
    failed: pd.Series
    forms: dict[str, int]
    month_first: bool = False

    def described(self) -> str:
        """The forms found, for a sentence: "YYYYMMDD", or "dd/mm/yyyy and Excel dates".

        Example:
            >>> read_uk_dates(pd.Series(["19560409", "2024-12-25", "2024-01-02"])).described()
            'ISO (yyyy-mm-dd) and YYYYMMDD'
        """
        return describe_date_forms(self.forms)


def describe_date_forms(forms: dict[str, int]) -> str:
    """The names of the date forms found, commonest first, joined for a sentence.

    Example:
        >>> describe_date_forms({"dd/mm/yyyy": 30, "Excel dates": 2, "YYYYMMDD": 5})
        'dd/mm/yyyy, YYYYMMDD and Excel dates'
        >>> describe_date_forms({})
        'no readable dates'
    """
    names = [name for name, _ in sorted(forms.items(), key=lambda item: -item[1])]
    if not names:
        return "no readable dates"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _named_forms(forms: Counter) -> dict[str, int]:
    return {DATE_FORMS[key]: count for key, count in forms.most_common() if count}


def read_uk_dates(
    series: pd.Series, month_first: bool = False, serial_origin: str = EXCEL_ORIGIN
) -> DateReading:
    """Read a column of dates the UK way, and say which forms they were written in.

    The one date reader every playbook uses. It understands dd/mm/yyyy and dd/mm/yy
    (also with "-" or "."), ISO yyyy-mm-dd, YYYYMMDD as text or as a number
    (19560409, as CRM and database exports write dates of birth), month names
    ("3 Apr 1987", "03-Apr-87"), an optional time, real datetime cells from Excel, and
    Excel serial numbers (numeric cells up to 2,958,465, counted from
    ``serial_origin``). Numeric dates are day-first; they are read month-first only
    when the caller asks (see :func:`looks_month_first`), and the reading then says so.
    Two-digit years land in the century that keeps them no more than five years ahead
    of today. Blank cells and missing tokens ("N/A", "unknown"...) are missing, not
    failures.

    Args:
        series: A column of cells.
        month_first: Read numeric dates as mm/dd/yyyy instead.
        serial_origin: Excel's day zero: "1899-12-30", or "1904-01-01" for workbooks in
            the 1904 date system.

    Returns:
        A :class:`DateReading`: the dates, the cells that failed, and the forms found.

    Example:
        >>> reading = read_uk_dates(pd.Series([19560409, "09/04/1956", "1956-04-09", "31/02/1990"]))
        >>> reading.values.dt.strftime("%d %B %Y").tolist()[:3], reading.failed.tolist()
        (['09 April 1956', '09 April 1956', '09 April 1956'], [False, False, False, True])
        >>> reading.forms
        {'YYYYMMDD': 1, 'dd/mm/yyyy': 1, 'ISO (yyyy-mm-dd)': 1}
    """
    forms: Counter = Counter()
    parsed, failed = _read_dates(_split_cells(series), month_first, serial_origin, forms)
    return DateReading(parsed.set_axis(series.index), failed.set_axis(series.index), _named_forms(forms),
                       month_first)


def parse_uk_dates(
    series: pd.Series, month_first: bool = False, serial_origin: str = EXCEL_ORIGIN
) -> tuple[pd.Series, pd.Series]:
    """Read a column of dates the UK way: :func:`read_uk_dates` without the forms found.

    Args:
        series: A column of cells.
        month_first: Read numeric dates as mm/dd/yyyy instead.
        serial_origin: Excel's day zero (see :func:`read_uk_dates`).

    Returns:
        ``(parsed, failed)``: the dates as datetime64[ns] (NaT where missing or
        unreadable), and a bool Series that is True where a non-missing cell could not
        be read as a date (such as "31/02/1990" or "last year").

    Example:
        >>> dates, failed = parse_uk_dates(pd.Series(["03/04/1987", "2024-12-25", "31/02/1990", "N/A"]))
        >>> [d.strftime("%d %B %Y") if pd.notna(d) else None for d in dates]
        ['03 April 1987', '25 December 2024', None, None]
        >>> failed.tolist()
        [False, False, True, False]
    """
    reading = read_uk_dates(series, month_first, serial_origin)
    return reading.values, reading.failed


def _read_numbers(cells: _Cells) -> tuple[pd.Series, pd.Series]:
    values = cells.numbers.copy()
    text = cells.text.dropna()
    plain = text.str.fullmatch(_PLAIN_NUMBER)
    if plain.any():
        values.loc[plain[plain].index] = pd.to_numeric(text[plain]).astype("float64")
    # Amounts as people type them ("£1,200.50", "(12.00)", "- 5", "15%"); the loose shape
    # keeps emails and addresses out of the cleaning below.
    typed = text[~plain]
    typed = typed[typed.str.fullmatch(_TYPED_NUMBER_SHAPE)]
    if not typed.empty:
        bracketed = typed.str.fullmatch(r"\(.*\)")
        cleaned = (
            typed.str.replace(r"^\((.*)\)$", r"\1", regex=True)
            .str.replace(r"[£$€]|GBP|%$", "", regex=True)
            .str.strip()
            .str.replace(r"^([+-])\s+", r"\1", regex=True)
        )
        thousands = cleaned.str.fullmatch(_THOUSANDS)
        cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
        readable = cleaned.str.fullmatch(_PLAIN_NUMBER)
        numbers = pd.to_numeric(cleaned.where(readable), errors="coerce").astype("float64")
        numbers = numbers.where(~bracketed, -numbers.abs())
        values.loc[numbers.index] = numbers
    failed = ~cells.missing & values.isna()
    return values, failed


def parse_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read a column of numbers as typed by people: "£1,200.50", "(12.00)", "1,234", "15%".

    Currency signs (£ $ €) and a trailing % are dropped, thousands separators removed
    when they are in the right places, and brackets mean a negative amount (the
    accountants' way). Blank cells and missing tokens are missing, not failures.

    Args:
        series: A column of cells.

    Returns:
        ``(values, failed)``: float64 values (NaN where missing or unreadable), and a
        bool Series that is True where a non-missing cell could not be read as a number.

    Example:
        >>> values, failed = parse_numbers(pd.Series(["£1,200.50", "(12.00)", "1,234", "n/a", "two"]))
        >>> values.tolist()[:3], failed.tolist()
        ([1200.5, -12.0, 1234.0], [False, False, False, False, True])
    """
    values, failed = _read_numbers(_split_cells(series))
    return values.set_axis(series.index), failed.set_axis(series.index)


def _header_words(header: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", str(header).lower())


def header_says_identifier(header: str) -> bool:
    """Whether a column name says it holds identifiers (IDs, phone numbers, postcodes...).

    Such columns stay text even when every value is made of digits.

    Example:
        >>> [header_says_identifier(h) for h in ["Client ID", "Phone", "Post Code", "Number of visits"]]
        [True, True, True, False]
    """
    words = _header_words(header)
    if not words:
        return False
    if any(word in _IDENTIFIER_WORDS for word in words) or "postcode" in "".join(words):
        return True
    return words[-1] in _IDENTIFIER_LAST_WORDS


def _header_says_date(header: str) -> bool:
    return bool(_DATE_HEADER.search(str(header))) and not _NOT_A_DATE_HEADER.search(str(header))


def read_column(series: pd.Series, header: str = "", serial_origin: str = EXCEL_ORIGIN) -> ColumnReading:
    """Decide whether a column holds dates, numbers or text, and convert it.

    A column is dates when at least 60% of its non-missing cells read as dates (or at
    least 20% when the header says "date", "DOB"...); numbers likewise (header words such
    as "amount", "total", "visits"). Numeric cells count as dates (Excel serials) only
    in a column whose header says date or whose other cells are mostly dates. Text with
    leading zeros, phone numbers and columns named like identifiers ("Client ID",
    "Phone", "Post Code") stay text. Dates are read day-first unless the column only
    makes sense month-first (:func:`looks_month_first`).

    Args:
        series: A column of cells (text and/or typed values from openpyxl).
        header: The column's name, used as a hint.
        serial_origin: Excel's day zero for serial numbers (see :func:`parse_uk_dates`).

    Returns:
        A :class:`ColumnReading` with the kind, converted values and failed mask.

    Example:
        >>> reading = read_column(pd.Series(["£12.50", "N/A", "3", "lots"]), "Donation")
        >>> reading.kind, reading.values.tolist()[:3], reading.failed.tolist()
        ('number', [12.5, nan, 3.0], [False, False, False, True])
        >>> read_column(pd.Series(["07700 900123", "07700900123"]), "Contact").kind
        'text'
    """
    if pd.api.types.is_string_dtype(series) and series.dtype != object and len(series) > _DISTINCT_FROM:
        return _read_distinct(series, header, serial_origin)
    return _read_column(series, header, serial_origin)


#: Columns of text longer than this are read one distinct value at a time (a 1,000,000-row
#: export repeats its dates and amounts many times over).
_DISTINCT_FROM = 1_000


def _read_distinct(series: pd.Series, header: str, serial_origin: str) -> ColumnReading:
    """:func:`read_column` on a text column's distinct values, each weighted by how many
    cells hold it, spread back over the rows: the same reading, the regexes and date
    formats run once per value instead of once per cell."""
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    if len(distinct) > len(series) // 2:  # mostly different values (IDs, names): nothing to save
        return _read_column(series, header, serial_origin)
    values = pd.Series(distinct, dtype=series.dtype, name=series.name)
    if (codes < 0).any():  # blank cells become one more distinct value, at the end
        values = pd.concat([values, pd.Series([np.nan], dtype=series.dtype, name=series.name)], ignore_index=True)
        codes = np.where(codes < 0, len(distinct), codes)
    weights = pd.Series(np.bincount(codes, minlength=len(values)), dtype="int64")
    reading = _read_column(values, header, serial_origin, weights)
    return ColumnReading(reading.kind, reading.values.iloc[codes].set_axis(series.index),
                         reading.failed.iloc[codes].set_axis(series.index), reading.month_first,
                         reading.date_forms)


def _read_column(series: pd.Series, header: str, serial_origin: str,
                 weights: pd.Series | None = None) -> ColumnReading:
    cells = _split_cells(series)
    present = ~cells.missing
    no_failures = pd.Series(False, index=series.index)
    if not present.any():
        empty = pd.Series(np.nan, index=series.index, dtype="str")
        return ColumnReading("empty", empty, no_failures)
    count = _tally(present, weights)
    text_cells = cells.text.dropna()

    def enough(read: pd.Series, hinted: bool) -> bool:
        share = _tally(read, weights) / count
        return share >= MAJORITY_SHARE or (hinted and share >= HINTED_SHARE)

    # Every date or number typed as text has a digit in it; a column of names or emails
    # is settled here without trying any formats.
    could_be = cells.numbers.notna() | cells.stamps.notna()
    could_be.loc[text_cells.index] |= text_cells.str.contains(r"\d")
    if not header_says_identifier(header) and _tally(could_be, weights) / count >= HINTED_SHARE:
        date_hint = _header_says_date(header)
        month_first = _looks_month_first(text_cells)
        forms: Counter = Counter()
        dates, failed = _read_dates(cells, month_first, serial_origin, forms, weights)
        # Plain numbers only look like dates where the header says so; otherwise amounts
        # such as 12.5 would pass for Excel serials. Eight-digit numbers that are real
        # YYYYMMDD dates (19560409) are evidence on their own: amounts are not like that.
        compact = _compact_numbers(cells.numbers).notna()
        evidence = dates.notna() if date_hint else dates.notna() & (cells.numbers.isna() | compact)
        if evidence.any() and enough(evidence, date_hint):
            return ColumnReading("date", dates.set_axis(series.index), failed.set_axis(series.index), month_first,
                                 _named_forms(forms))
        if not text_cells.str.contains(_IDENTIFIER_SHAPE).any():
            numbers, failed = _read_numbers(cells)
            if enough(numbers.notna(), bool(_NUMBER_HEADER.search(str(header)))):
                return ColumnReading("number", numbers.set_axis(series.index), failed.set_axis(series.index))
    return ColumnReading("text", _as_text(series), no_failures)


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as text as written (not stripped), with blank cells missing."""
    if pd.api.types.is_string_dtype(series) and series.dtype != object:
        text = series
    else:
        text = pd.Series(series.map(cell_text), index=series.index, dtype="str")
    return text.where(text.str.strip() != "")


def guess_column_type(series: pd.Series, header: str = "") -> str:
    """Whether a column "looks like" dates, numbers, text or nothing (see :func:`read_column`).

    Example:
        >>> [guess_column_type(pd.Series(v), h) for v, h in [
        ...     (["03/04/1987", "15/11/2001"], ""), (["1,234", "5"], ""), (["00123", "00124"], ""),
        ...     (["N/A", ""], "")]]
        ['date', 'number', 'text', 'empty']
    """
    return read_column(series, header).kind


def map_distinct(series: pd.Series, tidy: Callable[[object], object]) -> pd.Series:
    """Apply a one-value function to a column, calling it once per distinct value.

    Args:
        series: Any column.
        tidy: A function from one cell to its tidied value (``None`` for missing).

    Returns:
        An object Series with the same index, ``None`` where the input was
        missing or ``tidy`` returned ``None``.

    Example:
        >>> map_distinct(pd.Series(["a", "b", "a", None]), str.upper).tolist()
        ['A', 'B', 'A', None]
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    tidied = np.array([tidy(value) for value in distinct] + [None], dtype=object)
    # code -1 (missing input) picks the trailing None
    return pd.Series(tidied[codes], index=series.index, dtype=object)
