"""Food bank demand week by week: from a visit log or period counts to one weekly series.

Rules the report repeats:

* A week starts on a **Monday**. When the file is already weekly (one row per week,
  all on the same weekday), its own weeks are kept instead. Weekly dates can label a
  week's start or its end (many food banks write "w/e" and a Saturday): the header's
  words ("ending", "w/e", "commencing", "w/c") decide, else a Friday or Saturday label
  is read as a week ending; the ``week_label`` parameter overrides. Inside, every week
  is indexed by its first day, so holidays and closures land on the week that holds
  them; the outputs label weeks the charity's way.
* A week with no rows is **missing, not zero**. Only a count of 0 typed into a file
  of counts is a real zero. A missing week is filled in for fitting the forecast only
  (from the weeks either side and, with two years or more, the same time of year)
  and is shown as a gap.
* A week the food bank was shut all week (``closed_dates``) is "closed": also a gap,
  also filled in for fitting, because people still needed food that week.
* The first and last weeks of a visit log are "incomplete" when the log starts after,
  or stops before, the food bank's usual opening days that week; they are left out,
  and the forecast starts with an incomplete last week, shown as partly recorded.
* Closure dates after the data ends are kept: those weeks are forecast as closed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import holidays
import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.reading.loader import describe_rows
from helpers.reading.parsing import looks_month_first, parse_numbers, parse_uk_dates
from helpers.writing.narrative import list_in_words, plural

WEEK_STARTS_ON = "Monday"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEASON_WEEKS = 52

#: The ``region`` parameter's values and the ``holidays`` package's UK subdivisions.
REGIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}

#: Week statuses, as the report names them.
COUNTED, NO_DATA, CLOSED, INCOMPLETE = "counted", "no data", "closed", "incomplete"

#: The ``week_label`` parameter's values.
WEEK_LABELS = ("auto", "start", "end")
_ENDING_WORDS = re.compile(r"(?<![a-z])(ending|ended|end|w/e|w\.e\.|we|wk end)(?![a-z])", re.IGNORECASE)
_STARTING_WORDS = re.compile(r"(?<![a-z])(commencing|starting|beginning|start|begins|w/c|w\.c\.|wc|wk comm)(?![a-z])",
                             re.IGNORECASE)

#: More rows than this share without a readable date means the wrong column was picked.
MAX_UNDATED_SHARE = 0.05


@dataclass
class WeeklyDemand:
    """A food bank's demand as one row per week.

    Attributes:
        weeks: One row per week from the first to the last week of data, indexed
            by ``week_start``. Columns: ``parcels`` (NaN where missing),
            ``people`` (only with a people column), ``status`` (counted, no data,
            closed, incomplete) and ``for_fitting`` (parcels with gaps filled in;
            NaN for incomplete edge weeks).
        input_kind: "visit log", "daily counts" or "weekly counts".
        week_day: The weekday each week starts on ("Monday" unless the file's
            own weeks run from another day).
        label: How the charity labels its weeks: "start" (week commencing) or
            "end" (week ending); outputs follow it.
        closed_ranges: The ``closed_dates`` as ``(first, last)`` pairs, future
            ones included.
        open_days: The food bank's usual opening weekdays (0 = Monday); empty for
            weekly counts (every day counts).
        log: Plain-English lines on what was done, for the report.
        household_sizes: For a visit log with a people column, how many parcels
            went to households of each size (index: people, value: parcels).
    """

    weeks: pd.DataFrame
    input_kind: str
    week_day: str = WEEK_STARTS_ON
    log: list[str] = field(default_factory=list)
    household_sizes: pd.Series | None = None
    label: str = "start"
    closed_ranges: list[tuple[pd.Timestamp, pd.Timestamp]] = field(default_factory=list)
    open_days: list[int] = field(default_factory=list)

    @property
    def freq(self) -> str:
        """The pandas frequency of the weeks, such as ``"W-MON"``."""
        return f"W-{self.week_day[:3].upper()}"

    @property
    def history(self) -> pd.DataFrame:
        """The weeks used for fitting: from the first to the last complete week."""
        usable = self.weeks["for_fitting"].notna()
        return self.weeks.loc[usable.idxmax(): usable[::-1].idxmax()] if usable.any() else self.weeks.iloc[:0]

    @property
    def history_weeks(self) -> int:
        """How many weeks of history the forecast learns from (gaps included)."""
        return len(self.history)

    @property
    def missing_weeks(self) -> list[pd.Timestamp]:
        """Weeks inside the history with no data (closed weeks not included)."""
        return list(self.history.index[self.history["status"] == NO_DATA])

    @property
    def closed_weeks(self) -> list[pd.Timestamp]:
        """Weeks inside the history when the food bank was shut all week."""
        return list(self.history.index[self.history["status"] == CLOSED])

    @property
    def first_forecast_week(self) -> pd.Timestamp:
        """The week the forecast starts: the week after the last complete one."""
        return self.history.index[-1] + pd.Timedelta(weeks=1)

    @property
    def partial_week(self) -> tuple[pd.Timestamp, float] | None:
        """The partly recorded last week and its parcels so far, or None when the last week is whole."""
        if self.weeks.empty or self.weeks["status"].iloc[-1] != INCOMPLETE or len(self.history) == 0:
            return None
        if self.weeks.index[-1] <= self.history.index[-1]:
            return None
        return self.weeks.index[-1], float(np.nan_to_num(self.weeks["parcels"].iloc[-1]))

    def closed_in(self, week_starts) -> np.ndarray:
        """Which of ``week_starts`` the food bank is shut all week (by ``closed_dates``), future weeks included.

        Example:
            >>> demand = WeeklyDemand(pd.DataFrame(), "weekly counts",
            ...                       closed_ranges=[(pd.Timestamp("2025-12-22"), pd.Timestamp("2025-12-28"))])
            >>> demand.closed_in(pd.DatetimeIndex(["2025-12-15", "2025-12-22"])).tolist()
            [False, True]
        """
        return _shut_all_week(pd.DatetimeIndex(week_starts), self.closed_ranges, self.open_days, self.week_day)

    def week_end(self, week_starts) -> pd.DatetimeIndex:
        """The last day of each week (its start plus six days)."""
        return pd.DatetimeIndex(week_starts) + pd.Timedelta(days=6)

    def label_of(self, week_starts) -> pd.DatetimeIndex:
        """Each week as the charity labels it: its first day, or its last with week-ending labels."""
        weeks = pd.DatetimeIndex(week_starts)
        return self.week_end(weeks) if self.label == "end" else weeks

    @property
    def label_words(self) -> str:
        """"Week starting" or "Week ending", for table headings."""
        return "Week ending" if self.label == "end" else "Week starting"


def date_words(date, year: bool = True, short: bool = False) -> str:
    """A date as the report writes it: no leading zero, month in words.

    Example:
        >>> date_words(pd.Timestamp("2025-04-07")), date_words(pd.Timestamp("2025-04-07"), year=False, short=True)
        ('7 April 2025', '7 Apr')
    """
    date = pd.Timestamp(date)
    month = f"{date:%b}" if short else f"{date:%B}"
    return f"{date.day} {month} {date.year}" if year else f"{date.day} {month}"


def region_code(region: str) -> str:
    """Turn the ``region`` parameter into the ``holidays`` package's UK subdivision.

    Args:
        region: "england", "wales", "scotland" or "northern-ireland" (case, spaces
            and underscores do not matter).

    Returns:
        "ENG", "WLS", "SCT" or "NIR".

    Raises:
        InputProblem: Any other value.

    Example:
        >>> region_code("Northern Ireland"), region_code("scotland")
        ('NIR', 'SCT')
    """
    key = re.sub(r"[\s_]+", "-", str(region or "").strip().lower())
    if key in REGIONS:
        return REGIONS[key]
    raise InputProblem(
        f"The region '{region}' is not one the kit knows. Set region to one of "
        f"{list_in_words(REGIONS)}: it decides whose bank holidays apply."
    )


def bank_holidays(region: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The bank holidays of a UK nation between two dates.

    Args:
        region: As for :func:`region_code`.
        first, last: The date range, inclusive.

    Returns:
        Columns ``date`` (datetime64) and ``name``, in date order.

    Example:
        >>> bank_holidays("scotland", dt.date(2025, 1, 1), dt.date(2025, 1, 31))["name"].tolist()
        ["New Year's Day", 'New Year Holiday']
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    calendar = holidays.UK(subdiv=region_code(region), years=range(first.year, last.year + 1))
    rows = sorted((pd.Timestamp(day), name) for day, name in calendar.items()
                  if first <= pd.Timestamp(day) <= last)
    return pd.DataFrame(rows, columns=["date", "name"]).astype({"date": "datetime64[ns]", "name": "str"})


def _parse_parameter_dates(parts: Sequence[str], parameter: str) -> list[pd.Timestamp]:
    dates, failed = parse_uk_dates(pd.Series(list(parts), dtype="str"))
    if failed.any() or dates.isna().any():
        bad = [part for part, ok in zip(parts, dates.notna() & ~failed, strict=True) if not ok]
        raise InputProblem(
            f"{parameter}: could not read {list_in_words(repr(b) for b in bad)} as a date. "
            "Write dates day first, like 25/12/2024, or as 2024-12-25; a range as "
            "22/07/2024 to 30/08/2024; separate them with commas."
        )
    return [pd.Timestamp(d) for d in dates]


def parse_date_ranges(value: str | Iterable | None, parameter: str) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Read a parameter holding dates and date ranges, such as ``closed_dates``.

    Args:
        value: Comma- or semicolon-separated items, each a date ("25/12/2024",
            "2024-12-25") or a range ("22/07/2024 to 30/08/2024",
            "22/07/2024-30/08/2024"); or a list of such items or of
            ``(first, last)`` pairs. Blank means none.
        parameter: The parameter's name, for messages.

    Returns:
        ``(first, last)`` pairs, inclusive; a single date gives first == last.

    Raises:
        InputProblem: An item is not a date, or a range ends before it starts.

    Example:
        >>> parse_date_ranges("25/12/2024, 22/07/2024 to 30/08/2024", "closed_dates")[1]
        (Timestamp('2024-07-22 00:00:00'), Timestamp('2024-08-30 00:00:00'))
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    items = re.split(r"[,;\n]+", value) if isinstance(value, str) else list(value)
    ranges = []
    for item in items:
        if isinstance(item, (tuple, list)):
            first, last = _parse_parameter_dates([str(item[0]), str(item[1])], parameter)
        else:
            text = str(item).strip()
            if not text:
                continue
            halves = re.split(r"\s+to\s+|\s*[–—]\s*|\s+-\s+|(?<=\d)-(?=\d{1,2}[/.])", text, maxsplit=1)
            first, last = _parse_parameter_dates(halves if len(halves) == 2 else [text, text], parameter)
        if last < first:
            raise InputProblem(f"{parameter}: the range '{item}' ends before it starts. Put the earlier date first.")
        ranges.append((first, last))
    return ranges


def week_of(dates: pd.Series | pd.DatetimeIndex, week_day: str = WEEK_STARTS_ON) -> pd.DatetimeIndex:
    """The first day of the week each date falls in: the date of its ``week_day`` on or before.

    Example:
        >>> week_of(pd.DatetimeIndex(["2025-03-26", "2025-03-30", "2025-03-31"])).strftime("%a %d %b").tolist()
        ['Mon 24 Mar', 'Mon 24 Mar', 'Mon 31 Mar']
    """
    dates = pd.DatetimeIndex(dates).normalize()
    offset = (dates.day_of_week - WEEKDAYS.index(week_day)) % 7
    return dates - pd.to_timedelta(offset, unit="D")


def read_dates(frame: pd.DataFrame, column: str, unreadable: Mapping[str, Sequence[int]], log: list[str]) -> pd.Series:
    """A column of dates read by the shared reader (day first; month first only when nothing else fits).

    Unreadable and blank dates become NaT, each said once in ``log``.

    Raises:
        InputProblem: More than :data:`MAX_UNDATED_SHARE` of the rows have no readable date.
    """
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values
        failed_rows = list(unreadable.get(column, []))
    else:
        month_first = looks_month_first(values)
        dates, failed = parse_uk_dates(values, month_first=month_first)
        failed_rows = list(frame.index[failed.to_numpy()])
        if month_first:
            log.append(f"WARNING: the dates in '{column}' only make sense month first (US style, like "
                       "12/25/2024), so they were read that way. Check that this is right.")
    undated = int(dates.isna().sum())
    if len(frame) and undated / len(frame) > MAX_UNDATED_SHARE:
        raise InputProblem(
            f"{plural(undated, 'row')} of {len(frame):,} in '{column}' have no date the kit can read "
            f"({describe_rows(frame.index[dates.isna().to_numpy()])}). Check that date_column names "
            "the column of visit dates, and that the dates are written like 25/12/2024."
        )
    if failed_rows:
        log.append(f"{plural(len(failed_rows), 'row')} had a date in '{column}' the kit could not read and "
                   f"{'was' if len(failed_rows) == 1 else 'were'} left out: {describe_rows(failed_rows)}.")
    blank = undated - len(failed_rows)
    if blank > 0:
        log.append(f"{plural(blank, 'row')} with no date in '{column}' left out.")
    return pd.to_datetime(dates).astype("datetime64[ns]")


def _read_count(frame: pd.DataFrame, column: str, unreadable: Mapping[str, Sequence[int]]) -> pd.Series:
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        bad_rows = list(unreadable.get(column, []))
    else:
        numbers, failed = parse_numbers(values)
        bad_rows = list(frame.index[failed.to_numpy()])
    if bad_rows:
        raise InputProblem(
            f"The count column '{column}' has text that is not a number in "
            f"{plural(len(bad_rows), 'row')}: {describe_rows(bad_rows)}. Correct those cells "
            "(a blank cell means no count that day), or set count_column to the right column."
        )
    negative = frame.index[(numbers < 0).to_numpy()]
    if len(negative):
        raise InputProblem(
            f"The count column '{column}' has negative numbers in {describe_rows(negative)}. "
            "A count of parcels cannot be below zero: correct those cells."
        )
    return numbers


def _detect_weekly(dates: pd.Series) -> str | None:
    """The weekday labelling a file that is already weekly, else None."""
    dates = pd.DatetimeIndex(dates.dropna()).normalize()
    if len(dates) < 3 or not dates.is_unique or dates.day_of_week.nunique() != 1:
        return None
    gaps = np.diff(np.sort(dates.asi8)) // (86_400 * 10**9)
    return WEEKDAYS[dates[0].day_of_week] if np.mean(gaps == 7) >= 0.8 else None


def week_convention(header: str, label_day: str | None, week_label: str = "auto") -> tuple[str, str]:
    """Whether a file's weekly dates label each week's first day or its last, and why.

    Args:
        header: The date column's header ("Week ending", "W/C", "Date").
        label_day: The weekday every weekly date falls on, or None for a visit log
            or daily counts (the kit makes the weeks: Monday to Sunday).
        week_label: The playbook's parameter: "auto", "start" or "end".

    Returns:
        ``("start" or "end", reason in words for the load log)``.

    Raises:
        InputProblem: ``week_label`` is not one of :data:`WEEK_LABELS`.

    Example:
        >>> week_convention("W/E", "Sunday")[0], week_convention("Week", "Saturday")[0]
        ('end', 'end')
        >>> week_convention("Week commencing", "Saturday")[0], week_convention("Week", "Monday")[0]
        ('start', 'start')
    """
    choice = str(week_label or "auto").strip().lower()
    if choice not in WEEK_LABELS:
        raise InputProblem(f"week_label is '{week_label}': set it to auto, start (dates are the first day of "
                           "each week) or end (dates are the last day, as in 'week ending').")
    if choice != "auto":
        return choice, f"week_label says each date is the {'last' if choice == 'end' else 'first'} day of its week"
    if label_day is None:
        return "start", "the kit makes the weeks itself"
    words = str(header or "")
    if _ENDING_WORDS.search(words):
        return "end", f"the header '{words}' says so"
    if _STARTING_WORDS.search(words):
        return "start", f"the header '{words}' says so"
    if label_day in ("Friday", "Saturday"):
        return "end", (f"every date is a {label_day}, which food banks use for the week's end; set week_label "
                       "to start if these are week beginnings")
    return "start", (f"every date is a {label_day}; set week_label to end if these are the last day of each "
                     "week")


def _usual_open_days(dates: pd.Series) -> list[int]:
    """Weekdays with data in at least a quarter of the weeks (the food bank's opening days)."""
    days = pd.DatetimeIndex(dates.dropna().unique())
    weeks = week_of(days).nunique()
    per_day = pd.Series(days.day_of_week).value_counts()
    return sorted(int(d) for d, n in per_day.items() if n >= 0.25 * weeks)


def _shut_all_week(weeks: pd.DatetimeIndex, closed: list[tuple[pd.Timestamp, pd.Timestamp]],
                   open_days: list[int], week_day: str) -> np.ndarray:
    if not closed:
        return np.zeros(len(weeks), dtype=bool)
    closed_days = pd.DatetimeIndex(np.concatenate(
        [pd.date_range(first, last, freq="D").to_numpy() for first, last in closed]))
    shift = WEEKDAYS.index(week_day)
    # Days of each week the food bank would normally be open, as offsets from the label.
    offsets = [(d - shift) % 7 for d in (open_days or range(7))]
    needed = weeks.to_numpy()[:, None] + np.array(offsets, dtype="timedelta64[D]")[None, :]
    return np.isin(needed, closed_days.to_numpy().astype(needed.dtype)).all(axis=1)


def fill_gaps_for_fitting(values: pd.Series) -> pd.Series:
    """Fill missing weeks so a forecasting model can be fitted; observed weeks stay as they are.

    Each gap gets the local level (a 13-week running median, drawn straight across
    the gap) times the usual size of that time of year relative to the level,
    learned when there are two years or more of observed weeks. With less, it is
    a straight line between the weeks either side. Gaps before the first or after
    the last observed week are left empty.

    Args:
        values: Weekly values indexed by week, NaN where missing.

    Returns:
        The same index, gaps filled in.

    Example:
        >>> weeks = pd.date_range("2024-01-01", periods=5, freq="W-MON")
        >>> fill_gaps_for_fitting(pd.Series([10.0, None, 14.0, None, 18.0], index=weeks)).tolist()
        [10.0, 12.0, 14.0, 16.0, 18.0]
    """
    observed = values.astype("float64")
    inside = observed.interpolate(limit_area="inside")
    if observed.notna().sum() < 2 * SEASON_WEEKS:
        return inside
    level = observed.rolling(13, center=True, min_periods=4).median().interpolate(limit_area="inside")
    position = np.minimum((observed.index.day_of_year - 1) // 7, SEASON_WEEKS - 1)
    ratio = (observed / level).groupby(position).median()
    seasonal = pd.Series(ratio.reindex(position).to_numpy(), index=observed.index)
    estimate = (level * seasonal).where(lambda s: s.notna(), inside)
    return observed.where(observed.notna(), estimate.where(inside.notna()))


def weekly_count_column(frame: pd.DataFrame, date_column: str, exclude=()) -> tuple[str, str]:
    """The count column of a weekly file given without ``count_column``, and the load log's line on it.

    A file with one row per week is a table of counts, not a visit log. Its count is the one
    column of numbers (other than the date, and the people or site columns in ``exclude``), or,
    among several, the one whose header the shared synonyms table calls a count ("Parcels",
    "Vouchers fulfilled"). Otherwise the kit cannot tell and asks.

    Raises:
        InputProblem: No column of numbers, or several and none headed as a count.

    Example:
        >>> weeks = pd.DataFrame({"Week": pd.date_range("2025-01-06", periods=3, freq="W-MON"), "Total": [5, 6, 7]})
        >>> weekly_count_column(weeks, "Week")[0]
        'Total'
    """
    from helpers.reading.roles import guess_role

    numeric = [str(c) for c in frame.columns
               if c != date_column and c not in set(exclude) and pd.api.types.is_numeric_dtype(frame[c])]
    headed = [c for c in numeric if guess_role(c) == "count"]
    if len(numeric) == 1:
        column, why = numeric[0], "the only column of numbers"
    elif len(headed) == 1:
        column, why = headed[0], "the column of numbers headed as a count"
    else:
        hint = f" (one of {list_in_words(repr(c) for c in numeric)})" if numeric else ""
        raise InputProblem(
            f"Each date in '{date_column}' appears once and they are a week apart, so this looks like a table "
            f"of weekly counts, not a log with one row per visit, and the kit cannot tell which column holds the "
            f"counts. Set count_column to that column{hint}."
        )
    return column, (f"Each date in '{date_column}' appears once and they are a week apart, so the file is a table "
                    f"of weekly counts. The counts were taken from '{column}', {why}; to use another column, set "
                    "count_column.")


def weekly_demand(
    frame: pd.DataFrame,
    date_column: str,
    count_column: str | None = None,
    people_column: str | None = None,
    closed_dates: str | Iterable | None = None,
    unreadable: Mapping[str, Sequence[int]] | None = None,
    week_label: str = "auto",
) -> WeeklyDemand:
    """Turn a visit log or a table of counts into one row per week.

    Args:
        frame: The charity's table (index = spreadsheet row numbers, as
            :func:`helpers.reading.loader.load_table` gives).
        date_column: The column of dates (visit dates, days or weeks).
        count_column: The column of counts per row; blank or None means every row
            is one parcel (a visit log).
        people_column: Optional column of people fed per row.
        closed_dates: Dates the food bank was shut (see :func:`parse_date_ranges`).
        unreadable: The loader's ``unreadable`` mapping (column -> row numbers
            whose cell could not be read), so that text in a count column is caught.
        week_label: "auto", "start" or "end": whether weekly dates are the first or
            the last day of their week (see :func:`week_convention`).

    Returns:
        A :class:`WeeklyDemand`.

    Raises:
        InputProblem: Text or negative numbers in the count column, most dates
            unreadable, or no weeks at all.

    Example:
        >>> log = pd.DataFrame({"Date": pd.to_datetime(["2025-03-03", "2025-03-05", "2025-03-17", "2025-03-19"])})
        >>> demand = weekly_demand(log, "Date")
        >>> demand.weeks[["parcels", "status"]].to_dict("list")
        {'parcels': [2.0, nan, 2.0], 'status': ['counted', 'no data', 'counted']}
    """
    unreadable = unreadable or {}
    count_column = count_column or None
    people_column = people_column or None
    for parameter, column in (("date_column", date_column), ("count_column", count_column),
                              ("people_column", people_column)):
        if column is not None and column not in frame.columns:
            raise InputProblem(f"The column '{column}' given for {parameter} is not in the file. "
                               f"The columns are: {list_in_words(frame.columns, limit=20)}.")
    log: list[str] = []
    dates = read_dates(frame, date_column, unreadable, log)
    counts = (_read_count(frame, count_column, unreadable) if count_column
              else pd.Series(1.0, index=frame.index))
    people = None
    if people_column:
        people, failed = parse_numbers(frame[people_column])
        no_people = list(unreadable.get(people_column, [])) + list(frame.index[failed.to_numpy()])
        if no_people:
            log.append(f"{plural(len(no_people), 'row')} had a number of people in '{people_column}' the kit "
                       f"could not read ({describe_rows(no_people)}); the people totals leave them out.")

    dated = dates.notna().to_numpy()
    dates, counts = dates[dated], counts[dated]
    people = people[dated] if people is not None else None
    if dates.empty:
        raise InputProblem(f"No row has a readable date in '{date_column}': check date_column.")

    if count_column is None and _detect_weekly(dates):
        count_column, chosen = weekly_count_column(frame, date_column, [people_column])
        log.append(chosen)
        counts = _read_count(frame, count_column, unreadable)[dated]
    weekly_label_day = _detect_weekly(dates) if count_column else None
    label, reason = week_convention(date_column, weekly_label_day, week_label)
    if weekly_label_day:
        # Week-ending labels move back six days: inside the kit a week is indexed by its first day.
        end_shift = 6 if label == "end" else 0
        week_day = WEEKDAYS[(WEEKDAYS.index(weekly_label_day) - end_shift) % 7]
        dates = dates - pd.Timedelta(days=end_shift)
    else:
        week_day = WEEK_STARTS_ON
    if count_column is None:
        input_kind = "visit log"
    else:
        input_kind = "weekly counts" if weekly_label_day else "daily counts"
    labels = week_of(dates, week_day)
    first_read, last_read = dates.min(), dates.max()
    if weekly_label_day and label == "end":
        first_read, last_read = first_read + pd.Timedelta(days=6), last_read + pd.Timedelta(days=6)
    log.append(f"Read as {'a ' if input_kind == 'visit log' else ''}{input_kind}: {plural(len(dates), 'row')} from "
               f"{date_words(first_read)} to {date_words(last_read)}.")
    if weekly_label_day and label == "end":
        log.append(f"The file is already weekly. Each date is the last day of its week ({reason}), so each week "
                   f"runs from a {week_day} to a {weekly_label_day}, and the outputs label weeks by their last day.")
    elif weekly_label_day and weekly_label_day != WEEK_STARTS_ON:
        log.append(f"The file is already weekly, with each week labelled by a {weekly_label_day} ({reason}); "
                   "the kit keeps those labels.")
    elif weekly_label_day:
        log.append(f"The file is already weekly; each date is the first day of its week ({reason}).")
    elif label == "end":
        log.append(f"Weeks run from Monday to Sunday and are labelled by the Sunday ({reason}).")
    else:
        log.append(f"Weeks start on a {WEEK_STARTS_ON} and are labelled by that date.")

    # A blank count is a missing value, not a zero: min_count=1 keeps it NaN.
    parcels = counts.groupby(labels).sum(min_count=1)
    all_weeks = pd.date_range(labels.min(), labels.max(), freq=f"W-{week_day[:3].upper()}")
    weeks = pd.DataFrame(index=pd.DatetimeIndex(all_weeks, name="week_start"))
    weeks["parcels"] = parcels.reindex(weeks.index).astype("float64")
    if people is not None:
        weeks["people"] = people.groupby(labels).sum(min_count=1).reindex(weeks.index).astype("float64")

    open_days = _usual_open_days(dates) if input_kind != "weekly counts" else []
    closed = parse_date_ranges(closed_dates, "closed_dates")
    shut = _shut_all_week(weeks.index, closed, open_days, week_day)
    status = np.where(weeks["parcels"].isna(), NO_DATA, COUNTED).astype(object)
    status[shut & (weeks["parcels"].fillna(0) == 0).to_numpy()] = CLOSED
    if open_days:
        first_day, last_day = dates.min(), dates.max()
        if first_day.day_of_week > min(open_days):
            status[0] = INCOMPLETE
        if last_day.day_of_week < max(open_days):
            status[-1] = INCOMPLETE
    weeks["status"] = pd.Series(status, index=weeks.index, dtype="str")
    usable = weeks["parcels"].where(weeks["status"] == COUNTED)
    weeks["for_fitting"] = fill_gaps_for_fitting(usable)

    demand = WeeklyDemand(weeks=weeks, input_kind=input_kind, week_day=week_day, log=log, label=label,
                          closed_ranges=closed, open_days=open_days)
    if open_days and input_kind == "visit log":
        log.append(f"The food bank usually opens on {list_in_words(WEEKDAYS[d] for d in open_days)}.")
    for position, which in ((0, "first"), (-1, "last")):
        if weeks["status"].iloc[position] == INCOMPLETE and (position == 0 or len(weeks) > 1):
            named = demand.label_of(weeks.index[[position]])[0]
            log.append(f"The {which} week ({'ending' if label == 'end' else 'starting'} {date_words(named)}) has "
                       "only part of its opening days in the data, so it was left out of fitting: a part week "
                       "would look too quiet."
                       + (" The forecast starts with that week, shown as partly recorded." if which == "last"
                          else ""))
    if demand.missing_weeks:
        n_missing = len(demand.missing_weeks)
        one = n_missing == 1
        log.append(f"{plural(n_missing, 'week')} with no data "
                   f"({list_in_words([date_words(w, short=True) for w in demand.missing_weeks], limit=6)}) "
                   f"{'is' if one else 'are'} treated as missing, not as zero. For the forecast only, "
                   f"{'it is' if one else 'they are'} filled in from the weeks around and the same time of year.")
    ahead = [(first, last) for first, last in closed if last > weeks.index[-1] + pd.Timedelta(days=6)]
    if ahead:
        log.append(f"{plural(len(ahead), 'closure')} in closed_dates {'falls' if len(ahead) == 1 else 'fall'} after "
                   "the data ends; weeks shut all week then are forecast as closed.")
    if demand.closed_weeks:
        n_closed = len(demand.closed_weeks)
        log.append(f"{plural(n_closed, 'week')} when the food bank was shut "
                   f"{'is' if n_closed == 1 else 'are'} filled in the same way for the forecast, "
                   "because people still needed food.")
    if people is not None and input_kind == "visit log":
        sizes = people.dropna()
        sizes = sizes[(sizes >= 1) & (sizes == sizes.round())].astype("int64")
        demand.household_sizes = sizes.value_counts().sort_index().rename("parcels").rename_axis("people")
    return demand


def week_markers(week_starts: Iterable, region: str = "england",
                 school_holidays: str | Iterable | None = None) -> pd.DataFrame:
    """What is special about each week: bank holidays, Christmas, school holidays.

    Args:
        week_starts: The week labels (each week is that day and the six after).
        region: Whose bank holidays apply (see :func:`region_code`).
        school_holidays: Optional date ranges (see :func:`parse_date_ranges`).

    Returns:
        Indexed by week: ``bank_holidays`` (names, "; "-joined, "" for none),
        ``christmas`` (the week holds 25 December) and ``school_holiday`` (any
        day of the week is in a school holiday).

    Example:
        >>> weeks = pd.DatetimeIndex(["2024-12-23", "2024-12-30", "2025-01-06"])
        >>> week_markers(weeks, "scotland")[["bank_holidays", "christmas"]].to_dict("list")
        {'bank_holidays': ['Christmas Day; Boxing Day', "New Year's Day; New Year Holiday", ''], 'christmas': [True, False, False]}
    """
    weeks = pd.DatetimeIndex(week_starts)
    markers = pd.DataFrame(index=pd.DatetimeIndex(weeks, name="week_start"))
    if weeks.empty:
        return markers.assign(bank_holidays="", christmas=False, school_holiday=False)
    days = bank_holidays(region, weeks.min().date(), (weeks.max() + pd.Timedelta(days=6)).date())
    label = days["date"] - pd.to_timedelta(
        (days["date"].dt.day_of_week - weeks[0].day_of_week) % 7, unit="D")
    names = days.groupby(label)["name"].agg("; ".join)
    markers["bank_holidays"] = names.reindex(weeks).fillna("").astype("str").to_numpy()
    christmas = pd.to_datetime({"year": weeks.year, "month": 12, "day": 25})
    markers["christmas"] = ((christmas >= weeks) & (christmas <= weeks + pd.Timedelta(days=6))).to_numpy()
    in_school_holiday = np.zeros(len(weeks), dtype=bool)
    for first, last in parse_date_ranges(school_holidays, "school_holidays"):
        in_school_holiday |= (weeks <= last) & (weeks + pd.Timedelta(days=6) >= first)
    markers["school_holiday"] = in_school_holiday
    return markers


def by_year(demand: WeeklyDemand) -> pd.DataFrame:
    """Parcels by week of the year, one column per calendar year, for the yearly pattern chart.

    Returns:
        Indexed by week of the year (1-53, counted from 1 January), one column
        per year; missing, closed and incomplete weeks are NaN.

    Example:
        >>> log = pd.DataFrame({"Date": pd.to_datetime(["2024-12-30", "2025-01-06"])})
        >>> by_year(weekly_demand(log, "Date")).columns.tolist()
        [2024, 2025]
    """
    weeks = demand.weeks
    values = weeks["parcels"].where(weeks["status"] == COUNTED)
    week_of_year = (weeks.index.day_of_year - 1) // 7 + 1
    table = pd.DataFrame({"year": weeks.index.year, "week": week_of_year, "parcels": values.to_numpy()})
    return table.pivot(index="week", columns="year", values="parcels")


def yearly_profile(demand: WeeklyDemand) -> pd.Series:
    """How busy each week of the year usually is, relative to the level around it.

    Each counted week is divided by the average of the year around it (a centred
    52-week mean, so a rising trend does not count as a season), then the ratios are
    averaged across years for each week of the year.

    Returns:
        Ratios indexed by week of the year (1-53; 1.2 = 20% busier than usual);
        empty with less than a year of counted weeks.

    Example:
        >>> weeks = pd.date_range("2022-01-03", periods=156, freq="W-MON")
        >>> counts = pd.DataFrame({"Week": weeks, "Parcels": np.where(weeks.month == 12, 150, 100)})
        >>> profile = yearly_profile(weekly_demand(counts, "Week", "Parcels"))
        >>> round(float(profile.loc[50] / profile.loc[20]), 1)
        1.5
    """
    weeks = demand.weeks
    counted = weeks["parcels"].where(weeks["status"] == COUNTED)
    if counted.notna().sum() < SEASON_WEEKS:
        return pd.Series(dtype="float64")
    level = counted.rolling(SEASON_WEEKS, center=True, min_periods=SEASON_WEEKS // 2).mean()
    ratio = counted / level
    week_of_year = (weeks.index.day_of_year - 1) // 7 + 1
    return ratio.groupby(week_of_year).mean().dropna()
