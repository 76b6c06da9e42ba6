"""Tests for helpers.reading.ukformats: UK postcodes, UK phone numbers and emails."""

import math

import pandas as pd
import pytest

from helpers.reading.ukformats import (
    email_fault,
    format_phone_national,
    is_email,
    is_uk_phone,
    is_uk_postcode,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_series,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("DN55 1PT", "DN55 1PT"),
        ("gir 0aa", "GIR 0AA"),
        ("BFPO 105", "BFPO 105"),
        ("bfpo0105", "BFPO 105"),
    ],
)
def test_normalise_postcode_reads_valid_shapes(value, expected):
    assert normalise_postcode(value) == expected
    assert is_uk_postcode(value)


@pytest.mark.parametrize(
    "value",
    ["", "   ", None, math.nan, "SW1A 1A", "SW1A 1AAA", "QA1 1AA", "12345", "SW1A 1CA", "London", 12345.0],
)
def test_normalise_postcode_rejects_bad_values(value):
    assert normalise_postcode(value) is None
    assert not is_uk_postcode(value)


def test_bfpo_can_be_refused():
    assert normalise_postcode("BFPO 105", allow_bfpo=False) is None


@pytest.mark.parametrize(
    "value",
    ["07700 900123", "+44 7700 900123", "0044 7700 900123", "(07700) 900-123", "07700-900-123", "07700900123"],
)
def test_normalise_phone_mobile_spellings_agree(value):
    assert normalise_phone(value) == "+447700900123"
    assert is_uk_phone(value)


def test_normalise_phone_reads_landlines_and_real_ranges():
    assert normalise_phone("020 7946 0018") == "+442079460018"
    assert normalise_phone("0161 496 0000") == "+441614960000"
    assert normalise_phone("07911 123456") == "+447911123456"
    assert normalise_phone("01632 960123") == "+441632960123"


def test_normalise_phone_restores_a_leading_zero_excel_dropped():
    assert normalise_phone(7700900123.0) == "+447700900123"
    assert normalise_phone(7700900123) == "+447700900123"


@pytest.mark.parametrize(
    "value",
    [None, math.nan, "", "123", "07700 90012", "07700 9001234", "+33 1 23 45 67 89", "+1 202 555 0143", "not known"],
)
def test_normalise_phone_rejects_bad_values(value):
    assert normalise_phone(value) is None
    assert not is_uk_phone(value)


def test_format_phone_national_round_trips():
    for text in ["07700 900123", "020 7946 0018"]:
        assert format_phone_national(normalise_phone(text)) == text


def test_format_phone_national_refuses_non_numbers():
    with pytest.raises(ValueError):
        format_phone_national("hello")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Jane.Doe@Example.ORG ", "jane.doe@example.org"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
    ],
)
def test_normalise_email_tidies(value, expected):
    assert normalise_email(value) == expected
    assert is_email(value)


@pytest.mark.parametrize(
    "value",
    [None, "", "jane", "jane@example", "jane@@example.org", "a@b@c.org", "jane @example.org", "jane@exa mple.org",
     "jane@.org", "jane@example..org", ".jane@example.org", "jane.@example.org", "@example.org"],
)
def test_normalise_email_rejects_implausible(value):
    assert normalise_email(value) is None
    assert not is_email(value)


def test_normalise_series_keeps_index_and_marks_failures_missing():
    column = pd.Series([" e1 6an", "nope", None, "E1 6AN"], index=[2, 3, 4, 5])
    result = normalise_series(column, normalise_postcode)
    assert result.index.tolist() == [2, 3, 4, 5]
    assert result[2] == "E1 6AN" and result[5] == "E1 6AN"
    assert result.isna().tolist() == [False, True, True, False]


def test_normalise_series_calls_once_per_distinct_value():
    calls = []

    def counting(value):
        calls.append(value)
        return normalise_email(value)

    column = pd.Series(["a@b.org"] * 1000 + ["bad"] * 1000)
    result = normalise_series(column, counting)
    assert sorted(calls) == ["a@b.org", "bad"]
    assert result.notna().sum() == 1000


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("jane.example.org", "no @"),
        ("jane@@example.org", "more than one @"),
        ("jane smith@example.org", "a space inside"),
        ("jane@example,org", "a comma"),
        ("@example.org", "nothing before the @"),
        ("jane@example", "no dot after the @"),
        ("jane@example..org", "a dot in the wrong place"),
        ("jane!@exa#mple.org", "a character an address cannot hold"),
        ("jane@example.org", None),
        (None, None),
    ],
)
def test_email_fault_names_the_problem(value, fault):
    assert email_fault(value) == fault
