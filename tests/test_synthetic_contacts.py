"""The fake contact list has the duplicates it promises, and only fake people."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from helpers.contacts.tidy import normalise_emails, normalise_phones, tidy_first_name, tidy_name
from helpers.synthetic.contacts import SAMPLE_ROWS, format_phone, make_contacts, write_sample
from helpers.reading.ukformats import _DRAMA_PREFIXES


@pytest.fixture(scope="module")
def contacts():
    frame, truth = make_contacts(3000, seed=7)
    return frame, truth


def test_the_list_has_the_rows_asked_for_with_unique_ids(contacts):
    frame, truth = contacts
    assert len(frame) == len(truth) == 3000
    assert frame["Contact ID"].is_unique
    assert (frame["Contact ID"] == truth["Contact ID"]).all()
    assert "Person ID" not in frame.columns


def test_the_same_seed_gives_the_same_list_and_another_seed_another():
    first, _ = make_contacts(500, seed=3)
    again, _ = make_contacts(500, seed=3)
    other, _ = make_contacts(500, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_about_a_quarter_of_people_are_typed_in_more_than_once(contacts):
    _, truth = contacts
    rows_per_person = truth["Person ID"].value_counts()
    assert 0.18 < (rows_per_person > 1).mean() < 0.35
    assert rows_per_person.max() <= 4


def _pairs_of_one_person(frame, truth):
    merged = frame.assign(person=truth["Person ID"].to_numpy())
    pairs = merged.merge(merged, on="person", suffixes=("_a", "_b"))
    return pairs[pairs["Contact ID_a"] < pairs["Contact ID_b"]]


def test_duplicates_carry_the_usual_mistakes(contacts):
    frame, truth = contacts
    pairs = _pairs_of_one_person(frame, truth)
    first_a, first_b = pairs["First name_a"], pairs["First name_b"]
    nickname = (first_a.map(tidy_name) != first_b.map(tidy_name)) & (
        first_a.map(tidy_first_name) == first_b.map(tidy_first_name))
    swapped = (pairs["First name_a"].map(tidy_name) == pairs["Surname_b"].map(tidy_name)) & (
        pairs["Surname_a"].map(tidy_name) != pairs["Surname_b"].map(tidy_name))
    phone_a, phone_b = pairs["Phone_a"], pairs["Phone_b"]
    reformatted = phone_a.notna() & phone_b.notna() & (phone_a != phone_b) & (
        normalise_phones(phone_a).to_numpy() == normalise_phones(phone_b).to_numpy())
    moved = pairs["Postcode_a"].notna() & pairs["Postcode_b"].notna() & (
        pairs["Postcode_a"].str.replace(" ", "").str.upper() != pairs["Postcode_b"].str.replace(" ", "").str.upper())
    one_email_missing = pairs["Email_a"].isna() != pairs["Email_b"].isna()
    for name, found in {"nicknames": nickname, "swapped names": swapped, "phone formats": reformatted,
                        "house moves": moved, "missing emails": one_email_missing}.items():
        assert found.sum() >= 10, f"too few {name}: {found.sum()}"


def test_people_are_fake(contacts):
    frame, _ = contacts
    domains = normalise_emails(frame["Email"]).dropna().str.split("@").str[1]
    assert set(domains) <= {"example.com", "example.org", "example.net", "mail.example.com",
                            "post.example.org", "inbox.example.net"}
    national = normalise_phones(frame["Phone"]).dropna().str[3:]
    assert national.str[:7].isin(_DRAMA_PREFIXES).all()  # Ofcom's ranges kept for drama


def test_phone_styles_are_the_common_ones():
    assert [format_phone("1134960123", s) for s in range(8)] == [
        "0113 496 0123", "01134960123", "+44 113 496 0123", "+441134960123", "0044 113 496 0123",
        "(0113) 496 0123", "0113-496-0123", "+44 (0)113 496 0123"]
    assert format_phone("2079460123", 0) == "020 7946 0123"


def test_write_sample_writes_the_list_and_a_separate_answer_key(tmp_path):
    paths = write_sample(tmp_path)
    assert [p.name for p in paths] == ["contacts.csv", "contacts-truth.csv"]
    listed = pd.read_csv(paths[0])
    truth = pd.read_csv(paths[1])
    assert 1000 <= len(listed) == SAMPLE_ROWS <= 2000
    assert list(truth.columns) == ["Contact ID", "Person ID"]
    assert paths[0].read_bytes() == write_sample(tmp_path / ".." / tmp_path.name)[0].read_bytes()


@pytest.mark.slow
def test_a_million_rows_are_made_in_well_under_a_minute():
    started = time.perf_counter()
    frame, truth = make_contacts(1_000_000, seed=1)
    assert time.perf_counter() - started < 45
    assert len(frame) == 1_000_000 and truth["Person ID"].nunique() > 600_000
