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
