"""Reporting periods as funders count them: years, quarters and months from any start date.

A funder's year is rarely January to December: the UK financial year starts on 1 April, a grant
year on the day the grant began. Every date in an activity log is given the label of the period it
falls in, counted from ``period_start`` (only its day and month matter):

- a year starting 1 April 2025 is ``2025-26``; a calendar year is ``2025``;
- quarters count from the year's start: with a 1 April start, ``2025-Q1`` is April to June 2025;
- months are labelled by their first day's year and month: ``2025-04``.

A period the log does not cover in full (it starts after the period began, or ends before the period
ends, by more than :data:`GRACE_DAYS`) is *part* of a period: its counts are shown but not compared
with whole ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.errors import InputProblem

KINDS = ("year", "quarter", "month")
MONTHS_IN = {"year": 12, "quarter": 3, "month": 1}
#: The UK financial year: the default start when ``period_start`` is blank.
FINANCIAL_YEAR_START = (4, 1)
#: A log that starts or ends within this many days of a period's edge still covers it whole
#: (a club that meets on Tuesdays has no record on the year's last Friday).
GRACE_DAYS = 14


@dataclass(frozen=True)
class PeriodScheme:
    """How dates are grouped into periods.

    Attributes:
        kind: ``"year"``, ``"quarter"`` or ``"month"``.
        start_month: The month each year starts (1-12).
        start_day: The day of that month it starts (1-28).
    """

    kind: str = "year"
    start_month: int = FINANCIAL_YEAR_START[0]
    start_day: int = FINANCIAL_YEAR_START[1]

    def in_words(self) -> str:
        """The scheme as the report says it.

        Example:
            >>> PeriodScheme("quarter", 4, 1).in_words()
            'quarters of years starting 1 April'
        """
        start = f"{self.start_day} {dt.date(2001, self.start_month, 1):%B}"  # %-d is not on Windows
        return {"year": f"years starting {start}", "quarter": f"quarters of years starting {start}",
                "month": "calendar months" if self.start_day == 1 else f"months starting on day {self.start_day}"}[self.kind]


def read_scheme(period: str, period_start: str) -> PeriodScheme:
    """Check the ``period`` and ``period_start`` parameters and give the scheme they describe.

    Args:
        period: ``year``, ``quarter`` or ``month``.
        period_start: A date the year starts on (``2025-04-01``, ``01/04/2025``, ``1 April``), or
            blank for the UK financial year (1 April).

    Raises:
        InputProblem: Either parameter cannot be read; the message says what to write.

    Example:
        >>> read_scheme("quarter", "2024-01-01")
        PeriodScheme(kind='quarter', start_month=1, start_day=1)
        >>> read_scheme("year", "")
        PeriodScheme(kind='year', start_month=4, start_day=1)
    """
    kind = str(period or "year").strip().lower()
    if kind not in KINDS:
        raise InputProblem(f"period is '{period}', but it must be one of: year, quarter, month. "
                           "For example: -p period quarter")
    text = str(period_start or "").strip()
    if not text:
        return PeriodScheme(kind, *FINANCIAL_YEAR_START)
    from helpers.reading.parsing import read_uk_dates

    reading = read_uk_dates(pd.Series([text if any(c.isdigit() for c in text[-4:]) else f"{text} 2001"]))
    day = reading.values.iloc[0]
    if pd.isna(day):
        raise InputProblem(f"period_start is '{text}', which is not a date the kit can read. Give the day a "
                           "year starts, for example -p period_start 2025-04-01 (or 01/04/2025).")
    if day.day > 28:
        raise InputProblem(f"period_start is '{text}': a period cannot start on day {day.day} of a month, "
                           "because some months have no such day. Choose a day from 1 to 28.")
    return PeriodScheme(kind, int(day.month), int(day.day))


def period_starts(dates: pd.Series, scheme: PeriodScheme) -> pd.Series:
    """The first day of the period each date falls in (dates stay missing where missing).

    Example:
        >>> days = pd.Series(pd.to_datetime(["2025-03-31", "2025-04-01", "2025-07-15"]))
        >>> period_starts(days, PeriodScheme("quarter", 4, 1)).dt.strftime("%Y-%m-%d").tolist()
        ['2025-01-01', '2025-04-01', '2025-07-01']
    """
    dates = pd.to_datetime(dates)
    year, month, day = dates.dt.year, dates.dt.month, dates.dt.day
    # Months since the start of the year this date's scheme-year began, counting a month from start_day.
    months_since = (month - scheme.start_month) - (day < scheme.start_day).astype("Int64")
    anchor_year = year + np.floor_divide(months_since, 12)
    months_into = months_since % 12
    step = MONTHS_IN[scheme.kind]
    first_month_index = (months_into // step) * step + scheme.start_month - 1  # 0-based from January of anchor
    start_year = anchor_year + first_month_index // 12
    start_month = first_month_index % 12 + 1
    frame = pd.DataFrame({"year": start_year, "month": start_month, "day": scheme.start_day})
    starts = pd.to_datetime(frame.where(dates.notna()), errors="coerce")
    return starts


def period_label(start: pd.Timestamp, scheme: PeriodScheme) -> str:
    """A period's label from its first day.

    Example:
        >>> scheme = PeriodScheme("year", 4, 1)
        >>> period_label(pd.Timestamp("2025-04-01"), scheme), period_label(pd.Timestamp("2025-01-01"), PeriodScheme("year", 1, 1))
        ('2025-26', '2025')
        >>> period_label(pd.Timestamp("2025-07-01"), PeriodScheme("quarter", 4, 1))
        '2025-Q2'
        >>> period_label(pd.Timestamp("2025-04-01"), PeriodScheme("month", 4, 1))
        '2025-04'
    """
    if scheme.kind == "month":
        return f"{start.year}-{start.month:02d}"
    year_start = year_start_of(start, scheme)
    if scheme.kind == "quarter":
        months = (start.year - year_start.year) * 12 + start.month - year_start.month
        return f"{year_start.year}-Q{months // 3 + 1}"
    if (scheme.start_month, scheme.start_day) == (1, 1):
        return str(year_start.year)
    return f"{year_start.year}-{(year_start.year + 1) % 100:02d}"


def year_start_of(start: pd.Timestamp, scheme: PeriodScheme) -> pd.Timestamp:
    """The first day of the scheme-year a period starting on ``start`` belongs to."""
    candidate = pd.Timestamp(start.year, scheme.start_month, scheme.start_day)
    return candidate if candidate <= start else pd.Timestamp(start.year - 1, scheme.start_month, scheme.start_day)


def period_end(start: pd.Timestamp, scheme: PeriodScheme) -> pd.Timestamp:
    """The last day of the period that starts on ``start``.

    Example:
        >>> period_end(pd.Timestamp("2025-04-01"), PeriodScheme("year", 4, 1)).date()
        datetime.date(2026, 3, 31)
        >>> period_end(pd.Timestamp("2024-01-01"), PeriodScheme("quarter", 1, 1)).date()
        datetime.date(2024, 3, 31)
    """
    return start + pd.DateOffset(months=MONTHS_IN[scheme.kind]) - pd.Timedelta(days=1)


def is_whole(start: pd.Timestamp, end: pd.Timestamp, first_record: pd.Timestamp, last_record: pd.Timestamp) -> bool:
    """Whether a log running from ``first_record`` to ``last_record`` covers a period whole.

    Example:
        >>> is_whole(pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31"),
        ...          pd.Timestamp("2025-04-03"), pd.Timestamp("2026-03-27"))
        True
        >>> is_whole(pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31"),
        ...          pd.Timestamp("2025-04-03"), pd.Timestamp("2026-02-27"))
        False
    """
    grace = pd.Timedelta(days=GRACE_DAYS)
    return first_record <= start + grace and last_record >= end - grace
