"""Contact details are tidied so that formatting never counts as a difference in the person."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.contacts import tidy as contacts
from helpers.contacts.tidy import (
    NICKNAMES,
    map_distinct,
    normalise_addresses,
    normalise_dates_of_birth,
    normalise_emails,
    normalise_first_names,
    normalise_names,
    normalise_phones,
    normalise_postcodes,
    normalise_text,
    prepare_contacts,
    split_full_names,
    tidy_first_name,
    tidy_name,
)

MOBILE_FORMS = [
    "07700 900123", "07700900123", "07700-900-123", "(07700) 900123", "+44 7700 900123",
    "+447700900123", "+44 (0)7700 900123", "0044 7700 900123", "00447700900123", "447700900123",
    " 07700 900 123 ", "7700900123",
]
LANDLINE_FORMS = ["0113 496 0123", "01134960123", "(0113) 496 0123", "+44 113 496 0123",
                  "0044 (0)113 496 0123", "0113-496-0123"]


@pytest.mark.parametrize("form", MOBILE_FORMS)
def test_every_common_form_of_a_mobile_number_is_one_number(form):
    assert normalise_phones(pd.Series([form])).tolist() == ["+447700900123"]


@pytest.mark.parametrize("form", LANDLINE_FORMS)
def test_every_common_form_of_a_landline_is_one_number(form):
    assert normalise_phones(pd.Series([form])).tolist() == ["+441134960123"]


def test_a_phone_column_read_as_numbers_gets_its_leading_zero_back():
    # Excel drops the 0 of "07700 900123" and the loader then reads a number
    assert normalise_phones(pd.Series([7700900123.0, None])).tolist() == ["+447700900123", None]


@pytest.mark.parametrize("junk", ["", "n/a", "123", "0", "07700", "call after 6pm", "+33 1 23 45 67 89"])
def test_values_that_are_not_uk_phone_numbers_are_missing(junk):
    assert normalise_phones(pd.Series([junk], dtype=object)).tolist() == [None]


@pytest.mark.parametrize("form", ["SW1A 1AA", "sw1a1aa", " sw1a  1aa ", "Sw1A 1aA", "SW1A1AA"])
def test_uk_postcodes_take_one_form(form):
    assert normalise_postcodes(pd.Series([form])).tolist() == ["SW1A 1AA"]


@pytest.mark.parametrize(("value", "kept"), [
    ("d02 x285", "D02 X285"),  # an Irish Eircode
    (" 10001 ", "10001"),  # a US ZIP code
    ("75008  Paris", "75008 PARIS"),
    ("SW1A 1A", "SW1A 1A"),  # a typo is kept, not thrown away
])
def test_values_that_are_not_uk_postcodes_are_kept_tidied(value, kept):
    assert normalise_postcodes(pd.Series([value])).tolist() == [kept]


def test_emails_ignore_case_and_spaces_and_drop_invalid_ones():
    values = pd.Series([" Jane.Smith@Example.COM ", "jane.smith@example.com", "jane@", "n/a", "no email", None])
    assert normalise_emails(values).tolist() == [
        "jane.smith@example.com", "jane.smith@example.com", None, None, None, None]


def test_names_lose_case_accents_spacing_punctuation_and_titles():
    values = ["  SMITH ", "Smíth", "Mrs Smith", "Dr. Zoë  O'Brien", "o’brien", "Smith-Jones", "Rev Canon"]
    assert [tidy_name(v) for v in values] == [
        "smith", "smith", "smith", "zoe obrien", "obrien", "smith jones", "canon"]
    assert tidy_name("Mr") is None


@pytest.mark.parametrize("title", ["Mr", "Mrs", "Ms", "Miss", "Dr", "Rev", "DR.", "mr"])
def test_each_title_is_dropped(title):
    assert tidy_first_name(f"{title} Jane") == "jane"


@pytest.mark.parametrize(("nickname", "formal"), [
    ("Bob", "Robert"), ("Liz", "Elizabeth"), ("Bill", "William"), ("Jim", "James"), ("Kate", "Katherine"),
    ("Sue", "Susan"), ("Dave", "David"), ("Mike", "Michael"), ("Tom", "Thomas"), ("Catherine", "Katherine"),
])
def test_nicknames_compare_as_the_formal_name(nickname, formal):
    assert tidy_first_name(nickname) == tidy_first_name(formal)


def test_every_nickname_maps_to_a_name_that_is_not_itself_a_nickname():
    # otherwise "Bob" and "Robert" could end up as two different keys
    assert not set(NICKNAMES.values()) & set(NICKNAMES)


def test_first_names_keep_only_the_first_word():
    assert normalise_first_names(pd.Series(["Mary Ann", "MARY", "Mr  Robert James"])).tolist() == [
        "mary", "mary", "robert"]


def test_full_names_are_split_into_first_and_last():
    split = split_full_names(pd.Series(["Mr John A Smith", "Smith, Jane", "Cher", "Dr Amir Khan", None]))
    assert split.values.tolist() == [
        ["John", "Smith"], ["Jane", "Smith"], [None, "Cher"], ["Amir", "Khan"], [None, None]]


def test_swapped_names_meet_through_the_surname_read_as_a_first_name():
    table = pd.DataFrame({"First": ["Bob", "Smith"], "Last": ["Smith", "Robert"]})
    tidy = prepare_contacts(table, {"first_name": "First", "last_name": "Last"})
    # record 0's first name is record 1's surname read as a first name, and the other way round
    assert tidy.at[0, "first_name"] == tidy.at[1, "surname_as_first"] == "robert"
    assert tidy.at[1, "first_name"] == tidy.at[0, "surname_as_first"] == "smith"


def test_street_words_are_spelt_out():
    values = pd.Series(["12 High St.", "12, HIGH STREET", "4 Oak Rd", "4 oak road", "Flat 2, 9 Elm Gdns"])
    assert normalise_addresses(values).tolist() == [
        "12 high street", "12 high street", "4 oak road", "4 oak road", "flat 2 9 elm gardens"]


def test_dates_of_birth_are_read_day_first_from_text_serials_and_dates():
    text = pd.Series(["03/05/1980", "3/5/1980", "1980-05-03", "03-May-1980", "not known", None], dtype=object)
    assert normalise_dates_of_birth(text).tolist() == ["1980-05-03"] * 4 + [None, None]
    serial = pd.Series([29344], dtype=object)  # Excel's day number for 3 May 1980
    assert normalise_dates_of_birth(serial).tolist() == ["1980-05-03"]
    already = pd.Series(pd.to_datetime(["1980-05-03", None]))
    assert normalise_dates_of_birth(already).tolist() == ["1980-05-03", None]


def test_other_columns_compare_as_tidy_text():
    assert normalise_text(pd.Series([" M-104 ", "m-104", 104.0, None], dtype=object)).tolist() == [
        "m-104", "m-104", "104", None]


def test_prepare_contacts_fills_missing_name_parts_from_a_full_name():
    table = pd.DataFrame({"Name": ["Mrs Kate Jones"], "First": [None], "Email": ["KATE@EXAMPLE.ORG"]})
    tidy = prepare_contacts(table, {"full_name": "Name", "email": "Email"}, extra_columns=["First"])
    assert tidy.loc[0, ["first_name", "surname", "email"]].tolist() == ["katherine", "jones", "kate@example.org"]
    assert list(tidy.columns) == ["first_name", "surname", "surname_as_first", "email", "extra_1"]


def test_prepare_contacts_keeps_the_row_numbers():
    table = pd.DataFrame({"Email": ["a@example.com", "b@example.com"]}, index=[2, 3])
    assert prepare_contacts(table, {"email": "Email"}).index.tolist() == [2, 3]


def test_tidying_works_once_per_distinct_value(monkeypatch):
    calls = []

    def counting(value):
        calls.append(value)
        return str(value).lower()

    column = pd.Series(["Leeds", "York", "Leeds", None] * 50_000)
    tidied = map_distinct(column, counting)
    assert sorted(calls) == ["Leeds", "York"]
    assert tidied.iloc[:4].tolist() == ["leeds", "york", "leeds", None]

    seen = []
    real = contacts.normalise_phone
    monkeypatch.setattr(contacts, "normalise_phone", lambda v: seen.append(v) or real(v))
    phones = pd.Series(["07700 900123", "07700-900-123", "+44 7700 900123", "0044 7700 900123"] * 1000)
    assert set(normalise_phones(phones)) == {"+447700900123"}
    # four spellings of one number reach the full check as two keys (national and international)
    assert len(seen) <= 2


def test_names_and_surnames_column_functions_agree_with_the_one_value_ones():
    values = pd.Series(["Dr Bob", "LIZ", None, "José"])
    assert normalise_first_names(values).tolist() == [tidy_first_name(v) for v in values[:2]] + [None, "jose"]
    assert normalise_names(values).tolist() == ["bob", "liz", None, "jose"]
