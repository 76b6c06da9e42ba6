"""Tests for helpers.writing.privacy: masks never show the hidden part of a value."""

import datetime as dt
import math

import pandas as pd
import pytest

from helpers.writing.privacy import (
    mask_date,
    mask_email,
    mask_name,
    mask_phone,
    mask_postcode,
    mask_shape,
    mask_value,
)


def test_mask_name_keeps_initials_only():
    assert mask_name("Jane Smith") == "J*** S***"
    assert "ane" not in mask_name("jane")


def test_mask_email_keeps_domain_only():
    assert mask_email(" Jane.Smith@Example.ORG ") == "***@example.org"
    assert mask_email("jane.smith") == "***"


def test_mask_phone_hides_the_middle_digits():
    masked = mask_phone("07700 900123")
    assert masked.startswith("07") and masked.endswith("23")
    assert "900" not in masked
    assert mask_phone("123") == "***"


def test_mask_postcode_keeps_outward_code():
    assert mask_postcode(" e1 6an") == "E1 ***"
    assert mask_postcode("not a postcode") == "***"


def test_mask_date_keeps_the_year():
    assert mask_date("12/03/1984") == "**/**/1984"
    assert mask_date(pd.Timestamp("1984-03-12")) == "**/**/1984"
    assert mask_date(dt.date(1950, 1, 1)) == "**/**/1950"
    assert mask_date("unknown") == "***"


def test_mask_shape_shows_only_the_pattern():
    assert mask_shape("SW1A 1A") == "AA9A 9A"
    assert mask_shape("Zoë 07") == "AAA 99"


@pytest.mark.parametrize("blank", [None, math.nan, "", "  ", pd.NA])
def test_every_mask_leaves_blanks_blank(blank):
    for mask in (mask_name, mask_email, mask_phone, mask_postcode, mask_date, mask_shape):
        assert mask(blank) == ""
    assert mask_value(blank, "notes") == ""


def test_mask_value_dispatches_on_kind_and_role_names():
    assert mask_value("Jane", "first_name") == "J***"
    assert mask_value("jane@example.org", "email") == "***@example.org"
    assert mask_value("1 High Street", "address") == "***"
    assert mask_value("Rang about rent", "notes") == "***"
    assert mask_value("Hackney", None) == "Hackney"


def test_mask_value_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="Unknown kind"):
        mask_value("x", "shoe size")


# --- the edges of each mask (issue 16) ---------------------------------------------------------


@pytest.mark.parametrize("value, expected", [("12345", "***"), ("123456", "12*******56"),
                                             ("(0)123 4", "***"), ("+44 1234", "+44*******34")])
def test_mask_phone_needs_six_digits_before_it_shows_any(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize("value, expected", [("a@b@example.org", "***"), ("@example.org", "***@example.org"),
                                             ("jane@", "***@")])
def test_mask_email_with_odd_at_signs_never_shows_the_mailbox(value, expected):
    assert mask_email(value) == expected


@pytest.mark.parametrize("value, expected", [("1799-01-01", "***"), ("1800-01-01", "**/**/1800"),
                                             ("2099-12-31", "**/**/2099"), ("2100-01-01", "***"),
                                             ("born 12/3/84", "***")])
def test_mask_date_keeps_only_a_four_digit_year_from_1800_to_2099(value, expected):
    assert mask_date(value) == expected


def test_masks_never_return_any_letter_after_the_first_of_a_word():
    for name in ["Anne-Marie O'Neill", "Zoë Ünal", "de la Cruz"]:
        masked = mask_name(name)
        assert all(word[1:] == "***" for word in masked.split())


def test_an_id_shows_only_its_pattern():
    from helpers.writing.privacy import mask_value

    assert mask_value("QZ-1042", "id") == "AA-9999"
    assert mask_value(10042.0, "id") == "99999"  # a number read from the file, shown as typed
    assert mask_value(None, "id") == ""
    assert "1042" not in mask_value("QZ-1042", "id")
