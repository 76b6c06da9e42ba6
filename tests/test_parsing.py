"""Tests for helpers.reading.parsing: UK dates, typed numbers, missing tokens and column kinds."""

from __future__ import annotations

import datetime as dt
import doctest
import time

import numpy as np
import pandas as pd
import pytest

import helpers.reading.parsing as parsing
from helpers.reading.parsing import (
    MISSING_TOKENS,
    cell_text,
    guess_column_type,
    header_says_identifier,
    is_missing_token,
    looks_month_first,
    missing_mask,
    parse_numbers,
    parse_uk_dates,
    read_column,
)


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_docstring_examples_run():
    result = doctest.testmod(parsing)
    assert result.attempted > 10 and result.failed == 0


# ----- missing tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["N/A", "n/a", "NA", "-", "", "unknown", "Unknown", "none", "?", "  N/A  "])
def test_missing_tokens_from_the_issue(token):
    assert is_missing_token(token)
    assert token.strip().lower() in MISSING_TOKENS


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, np.nan])
def test_missing_values_of_any_type(value):
    assert is_missing_token(value)


@pytest.mark.parametrize("value", ["0", 0, "Hackney", "Nathan", "?!", 12.5, dt.date(2024, 1, 1)])
def test_real_values_are_not_missing(value):
    assert not is_missing_token(value)


def test_missing_mask_matches_scalar_check():
    values = ["3", "N/A", None, "unknown", "two", "", " - ", 4.0, float("nan")]
    assert missing_mask(pd.Series(values, dtype=object)).tolist() == [is_missing_token(v) for v in values]


# ----- dates ------------------------------------------------------------------------------------


def test_day_first_four_and_two_digit_years():
    dates, failed = parse_uk_dates(pd.Series(["03/04/1987", "3/4/1987", "03/04/87", "25/12/2024", "01/02/24"]))
    assert dates.tolist() == [ts("1987-04-03"), ts("1987-04-03"), ts("1987-04-03"), ts("2024-12-25"), ts("2024-02-01")]
    assert not failed.any()


def test_ambiguous_dates_are_never_swapped_to_month_first():
    # 01/02/2024 is 1 February in the UK; a month-first reading would give 2 January.
    dates, _ = parse_uk_dates(pd.Series(["01/02/2024", "12/11/2023"]))
    assert [(d.day, d.month) for d in dates] == [(1, 2), (12, 11)]


def test_month_first_only_dates_fail_day_first():
    dates, failed = parse_uk_dates(pd.Series(["12/25/2024", "25/12/2024"]))
    assert failed.tolist() == [True, False]
    assert pd.isna(dates.iloc[0])


def test_iso_dashes_dots_month_names_and_times():
    values = ["2024-12-25", "2024/12/25", "25-12-2024", "25.12.2024", "25 Dec 2024", "25 December 2024",
              "25-Dec-24", "December 25, 2024", "25/12/2024 14:30", "2024-12-25T14:30:05", "2024-12-25 14:30"]
    dates, failed = parse_uk_dates(pd.Series(values))
    assert not failed.any()
    assert [d.date() for d in dates] == [dt.date(2024, 12, 25)] * len(values)
    assert dates.iloc[8] == ts("2024-12-25 14:30")
    assert dates.iloc[9] == ts("2024-12-25 14:30:05")


def test_two_digit_years_stay_within_five_years_of_today():
    this_year = dt.date.today().year
    near = str((this_year + 3) % 100).zfill(2)
    far = str((this_year + 10) % 100).zfill(2)
    dates, _ = parse_uk_dates(pd.Series([f"15/06/{near}", f"15/06/{far}", "15/06/52"]))
    assert dates.dt.year.tolist() == [this_year + 3, this_year + 10 - 100, 1952]


def test_impossible_and_unreadable_dates_fail_but_missing_tokens_do_not():
    values = ["31/02/1990", "last year", "32/01/1979", "N/A", "unknown", "", None, "01/01/0990", "13/13/2020"]
    dates, failed = parse_uk_dates(pd.Series(values, dtype=object))
    assert dates.isna().all()
    assert failed.tolist() == [True, True, True, False, False, False, False, True, True]


def test_result_is_nanosecond_datetime_on_the_callers_index():
    series = pd.Series(["03/04/1987", "bad", "03/04/1987"], index=[10, 10, 7])
    dates, failed = parse_uk_dates(series)
    assert dates.dtype == "datetime64[ns]"
    assert list(dates.index) == [10, 10, 7] and list(failed.index) == [10, 10, 7]
    assert failed.tolist() == [False, True, False]


def test_excel_cells_datetimes_and_serial_numbers():
    # 45000 is 15/03/2023 in Excel's 1900 date system (Excel shows it so); .5 is midday.
    values = [dt.datetime(1987, 4, 3), dt.date(2020, 1, 2), 45000, 45000.5, "03/04/1987", pd.Timestamp("2021-05-06")]
    dates, failed = parse_uk_dates(pd.Series(values, dtype=object))
    assert dates.tolist() == [ts("1987-04-03"), ts("2020-01-02"), ts("2023-03-15"), ts("2023-03-15 12:00"),
                              ts("1987-04-03"), ts("2021-05-06")]
    assert not failed.any()


def test_serials_in_the_1904_date_system():
    dates, _ = parse_uk_dates(pd.Series([0.0 + 43538]), serial_origin="1904-01-01")
    assert dates.iloc[0] == ts("2023-03-15")  # 1462 days earlier origin than the 1900 system


def test_datetimes_pandas_cannot_hold_are_unreadable_not_a_crash():
    dates, failed = parse_uk_dates(pd.Series([dt.datetime(9999, 12, 31), dt.datetime(2020, 1, 1)], dtype=object))
    assert failed.tolist() == [True, False]
    assert dates.iloc[1] == ts("2020-01-01")


def test_columns_that_are_already_dates_numbers_or_categories():
    stamps = pd.Series(pd.to_datetime(["2020-01-02", None, "9999-12-31"]).astype("datetime64[us]"))
    dates, failed = parse_uk_dates(stamps)
    assert dates.iloc[0] == ts("2020-01-02") and failed.tolist() == [False, False, True]
    categories = pd.Series(["03/04/1987", "N/A", "03/04/1987"], dtype="category")
    assert parse_uk_dates(categories)[0].iloc[2] == ts("1987-04-03")
    assert parse_numbers(pd.Series([1, None, 3], dtype="Int64"))[0].tolist()[::2] == [1.0, 3.0]
    assert read_column(pd.Series(["a", "b"], dtype="string"), "Name").kind == "text"


def test_month_first_reading_on_request():
    dates, failed = parse_uk_dates(pd.Series(["12/25/2024", "03/31/2024", "01/02/2024"]), month_first=True)
    assert dates.tolist() == [ts("2024-12-25"), ts("2024-03-31"), ts("2024-01-02")]
    assert not failed.any()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12/25/2024", "03/31/2024", "01/02/2024"], True),
        (["12/25/2024", "25/12/2024"], False),  # one day-first value settles it
        (["01/02/2024", "03/04/2024"], False),  # all ambiguous: stay UK
        (["2024-12-25", "hello"], False),
        ([], False),
    ],
)
def test_looks_month_first(values, expected):
    assert looks_month_first(pd.Series(values, dtype="str")) is expected


def test_dates_are_vectorised_fast_enough_for_big_files():
    rng = np.random.default_rng(0)
    days = pd.to_datetime("1940-01-01") + pd.to_timedelta(rng.integers(0, 30_000, 100_000), unit="D")
    text = pd.Series(days.strftime("%d/%m/%Y"))
    started = time.perf_counter()
    dates, failed = parse_uk_dates(text)
    elapsed = time.perf_counter() - started
    assert (dates.to_numpy() == days.to_numpy()).all() and not failed.any()
    assert elapsed < 3.0, f"100,000 dates took {elapsed:.2f}s"


# ----- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,200.50", 1200.5), ("(12.00)", -12.0), ("1,234", 1234.0), ("12", 12.0), ("-3.5", -3.5),
        ("£12.50", 12.5), ("-£5", -5.0), ("£-5", -5.0), ("(£1,200.50)", -1200.5), (" 7 ", 7.0),
        ("15%", 15.0), ("+4", 4.0), ("1,234,567.8", 1234567.8), (".5", 0.5), ("€3", 3.0), ("$3", 3.0),
    ],
)
def test_numbers_as_people_type_them(text, expected):
    values, failed = parse_numbers(pd.Series([text]))
    assert values.iloc[0] == pytest.approx(expected)
    assert not failed.iloc[0]


@pytest.mark.parametrize("text", ["two", "1,2", "12,34", "1.2.3", "3 or 4", "inf", "12 34", "£"])
def test_unreadable_numbers_fail(text):
    values, failed = parse_numbers(pd.Series([text]))
    assert np.isnan(values.iloc[0]) and failed.iloc[0]


def test_missing_tokens_and_typed_cells_in_numbers():
    series = pd.Series([3, 4.5, "N/A", None, "-", "unknown", "?", "£2", dt.datetime(2020, 1, 1), True], dtype=object)
    values, failed = parse_numbers(series)
    assert values.iloc[:2].tolist() == [3.0, 4.5] and values.iloc[7] == 2.0
    assert values.iloc[2:7].isna().all()
    # a date (or TRUE) in a number column cannot be read as a number
    assert failed.tolist() == [False] * 8 + [True, True]
    assert values.dtype == "float64"


# ----- column kinds -----------------------------------------------------------------------------


def test_column_of_dates_with_some_bad_ones():
    reading = read_column(pd.Series(["03/04/1987", "15/11/2001", "31/02/1990", "N/A", "1999-01-02"]), "When seen")
    assert reading.kind == "date" and not reading.month_first
    assert reading.failed.tolist() == [False, False, True, False, False]


def test_month_first_column_is_read_month_first_and_says_so():
    reading = read_column(pd.Series(["12/25/2024", "03/31/2024", "01/02/2024"]), "Visit")
    assert reading.kind == "date" and reading.month_first
    assert reading.values.iloc[2] == ts("2024-01-02")


def test_header_hint_makes_a_mostly_unreadable_column_dates():
    values = pd.Series(["03/04/1987", "last year", "ages ago", "not sure"])
    assert read_column(values, "Notes").kind == "text"
    reading = read_column(values, "Date of birth")
    assert reading.kind == "date" and reading.failed.sum() == 3
    assert read_column(values, "D.O.B").kind == "date"


def test_numbers_become_serial_dates_only_in_a_date_column():
    amounts = pd.Series([12.5, 30.0, 45000.0], dtype=object)
    assert read_column(amounts, "Amount").kind == "number"
    assert read_column(amounts, "Donation").kind == "number"
    serials = read_column(pd.Series([45000, 45001, None], dtype=object), "Date registered")
    assert serials.kind == "date" and serials.values.iloc[0] == ts("2023-03-15")
    # a year is not a serial date, even next to the word "birth"
    assert read_column(pd.Series([1987, 1990]), "Year of birth").kind == "number"
    # numeric cells among real dates are Excel serials of a date column
    mixed = read_column(pd.Series([dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2), 45000], dtype=object), "Seen")
    assert mixed.kind == "date" and mixed.values.iloc[2] == ts("2023-03-15")


def test_number_column_with_missing_tokens_and_bad_values():
    reading = read_column(pd.Series(["3", "N/A", "unknown", "4", "two", "1,234", "-"]), "Household size")
    assert reading.kind == "number"
    assert reading.values.iloc[[0, 3, 5]].tolist() == [3.0, 4.0, 1234.0]
    assert reading.failed.tolist() == [False, False, False, False, True, False, False]


def test_majority_rule_for_numbers_without_a_hint():
    assert read_column(pd.Series(["1", "2", "3", "x", "y"]), "Col").kind == "number"  # 60%
    assert read_column(pd.Series(["1", "2", "x", "y", "z"]), "Col").kind == "text"  # 40%


@pytest.mark.parametrize(
    ("values", "header"),
    [
        (["07700 900123", "07700900123", "+44 7700 900123"], "Contact"),
        (["07700900123", "07700900124"], "Mobile"),
        (["00123", "00124", "00125"], "Ref"),
        (["00123", "00124", "00125"], "Something"),
        (["447700900123", "447700900124"], "Something"),
        (["E8 1DY", "N16 7EF"], "Post Code"),
        (["1001", "1002"], "Client ID"),
        (["12", "13"], "Postcode"),
    ],
)
def test_identifiers_stay_text(values, header):
    reading = read_column(pd.Series(values), header)
    assert reading.kind == "text"
    assert reading.values.tolist() == values  # exactly as written, zeros and spaces kept


def test_text_column_keeps_tokens_and_spaces_but_blanks_are_missing():
    reading = read_column(pd.Series(["Hackney", "hackney ", "N/A", "", "  ", None], dtype=object), "Borough")
    assert reading.kind == "text"
    assert reading.values.iloc[:3].tolist() == ["Hackney", "hackney ", "N/A"]
    assert reading.values.iloc[3:].isna().all()
    assert not reading.failed.any()


def test_typed_numbers_in_a_text_column_read_as_excel_shows_them():
    reading = read_column(pd.Series(["HCP-1", 7700900123.0, 12.5, dt.datetime(2020, 1, 2)], dtype=object), "Code")
    assert reading.values.tolist() == ["HCP-1", "7700900123", "12.5", "02/01/2020"]


def test_empty_column():
    reading = read_column(pd.Series(["", "N/A", None], dtype=object), "Spare")
    assert reading.kind == "empty" and reading.values.isna().all() and not reading.failed.any()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Client ID", True), ("Phone", True), ("Tel.", True), ("Post Code", True), ("Postcode", True),
     ("Account number", True), ("Ref", True), ("Number of visits", False), ("Visits", False),
     ("Donation", False), ("", False)],
)
def test_header_says_identifier(header, expected):
    assert header_says_identifier(header) is expected


def test_guess_column_type_agrees_with_read_column():
    series = pd.Series(["£1", "£2", "n/a"])
    assert guess_column_type(series) == read_column(series).kind == "number"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), ("  x ", "  x "), (12, "12"), (12.0, "12"), (0.1, "0.1"), (float("nan"), ""), (False, "FALSE"),
     (dt.datetime(2024, 1, 5, 14, 30), "05/01/2024 14:30"), (dt.date(2024, 1, 5), "05/01/2024"),
     (dt.time(9, 5), "09:05")],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


# ----- one date reader, every common form (issue 12) ----------------------------------------------

from helpers.reading.parsing import DATE_FORMS, describe_date_forms, read_uk_dates  # noqa: E402


@pytest.mark.parametrize(
    ("cell", "form"),
    [
        ("09/04/1956", "dd/mm/yyyy"),
        ("09-04-1956", "dd/mm/yyyy"),
        ("09/04/56", "dd/mm/yy"),
        ("1956-04-09", "ISO (yyyy-mm-dd)"),
        ("19560409", "YYYYMMDD"),
        (19560409, "YYYYMMDD"),
        (19560409.0, "YYYYMMDD"),
        (20554, "Excel serial numbers"),  # 9 April 1956 is day 20,554 counted from 30/12/1899
        (dt.datetime(1956, 4, 9), "Excel dates"),
        ("9 Apr 1956", "day, month name and year (3 Apr 1987)"),
    ],
)
def test_every_common_form_reads_as_the_same_day_and_is_named(cell, form):
    reading = read_uk_dates(pd.Series([cell], dtype=object))
    assert reading.values.iloc[0] == pd.Timestamp("1956-04-09")
    assert reading.forms == {form: 1}
    assert not reading.failed.any()


def test_yyyymmdd_that_is_not_a_date_fails_rather_than_becoming_a_serial():
    reading = read_uk_dates(pd.Series(["19561304", 19560231, 1234567]))
    # 1234567 would be an Excel serial in the year 5280: unreadable, not a crash.
    assert reading.failed.tolist() == [True, True, True]
    assert reading.values.isna().all()


def test_ambiguous_dates_are_day_first_and_month_first_only_when_asked_and_then_named():
    assert read_uk_dates(pd.Series(["03/04/2024"])).values.iloc[0] == pd.Timestamp("2024-04-03")
    us = read_uk_dates(pd.Series(["03/04/2024"]), month_first=True)
    assert us.values.iloc[0] == pd.Timestamp("2024-03-04")
    assert us.forms == {"mm/dd/yyyy (month first, US style)": 1} and us.month_first


def test_mixed_forms_are_counted_commonest_first():
    reading = read_uk_dates(pd.Series(["01/02/2020", "02/02/2020", "20200203", None, "N/A"]))
    assert reading.forms == {"dd/mm/yyyy": 2, "YYYYMMDD": 1}
    assert reading.described() == "dd/mm/yyyy and YYYYMMDD"
    assert describe_date_forms({DATE_FORMS["excel_date"]: 1}) == "Excel dates"


@pytest.mark.parametrize("header", ["date_of_birth", "DateOfBirth", "", "Birthdate"])
def test_a_column_of_yyyymmdd_numbers_is_read_as_dates_whatever_its_header(header):
    reading = read_column(pd.Series([19560409, 19871231, 20010101, None]), header)
    assert reading.kind == "date"
    assert reading.date_forms == {"YYYYMMDD": 3}
    assert reading.values.iloc[0] == pd.Timestamp("1956-04-09")


def test_yyyymmdd_as_csv_text_is_a_date_column():
    reading = read_column(pd.Series(["19560409", "19871231", "20010101"]), "dob")
    assert reading.kind == "date" and reading.date_forms == {"YYYYMMDD": 3}


def test_amounts_of_eight_digits_that_are_not_dates_stay_numbers():
    reading = read_column(pd.Series([12345678, 87654321, 55555555]), "Income")
    assert reading.kind == "number"


def test_header_with_underscores_is_a_date_hint_for_excel_serials():
    assert read_column(pd.Series([20556, 20557]), "date_of_birth").kind == "date"
    assert read_column(pd.Series([20556, 20557]), "Visits").kind == "number"


def test_long_text_column_read_by_distinct_values_counts_every_cell():
    # Over 1,000 rows a text column is read one distinct value at a time; the forms and
    # the failures must still be counted per cell, and on the caller's index.
    cells = ["03/04/1987", "2024-12-25", "31/02/1990", "N/A", None, "03/04/1987"] * 300
    series = pd.Series(cells, dtype="str", index=range(10, 10 + len(cells)))
    reading = read_column(series, "Date of birth")
    assert reading.kind == "date"
    assert reading.date_forms == {"dd/mm/yyyy": 600, "ISO (yyyy-mm-dd)": 300}
    assert list(reading.failed.index) == list(series.index)
    assert int(reading.failed.sum()) == 300 and bool(reading.failed.loc[12])
    assert reading.values.loc[15] == pd.Timestamp("1987-04-03") and pd.isna(reading.values.loc[14])
