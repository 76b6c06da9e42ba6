"""Which columns of a contact list are compared, and each record's id (helpers.contacts.columns)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.contacts.columns import find_contact_columns, find_recency_column, record_ids
from helpers.errors import InputProblem
from support.contacts import BOB


def test_columns_are_found_from_the_header():
    found = find_contact_columns(BOB, {})
    assert found.id_column == "Contact ID"
    assert found.roles == {
        "first_name": "First name", "last_name": "Surname", "email": "Email", "phone": "Phone",
        "postcode": "Postcode", "address": "Address", "town": "Town", "date_of_birth": "Date of birth"}


def test_fewer_than_two_usable_roles_stop_the_run_naming_what_was_found():
    table = pd.DataFrame({"Email": ["a@example.com", "b@example.com"], "Notes": ["x", "y"]})
    with pytest.raises(InputProblem) as problem:
        find_contact_columns(table, {})
    message = str(problem.value)
    assert "at least two kinds of detail" in message and "email ('Email')" in message
    assert "'Notes'" in message  # lists the columns there are


def test_an_all_empty_column_is_set_aside_and_named():
    table = pd.DataFrame({"Email": ["a@example.com", "b@example.com"], "Phone": [None, None]})
    with pytest.raises(InputProblem, match="phone column 'Phone' is empty"):
        find_contact_columns(table, {})
    with_name = table.assign(Name=["Ann Lee", "Bo Chan"])
    found = find_contact_columns(with_name, {})
    assert "phone" not in found.roles and any("'Phone' is empty" in note for note in found.notes)


def test_a_named_column_that_is_not_there_is_reported():
    with pytest.raises(InputProblem, match="Did you mean 'Email'"):
        find_contact_columns(BOB, {"email_column": "Emial"})


def test_repeated_ids_are_reported_with_their_rows():
    table = pd.DataFrame({"ID": ["A1", "A2", "A1", "A3", "A3"]}, index=[2, 3, 4, 5, 6])
    with pytest.raises(InputProblem) as problem:
        record_ids(table, "ID")
    message = str(problem.value)
    assert "'A1' (rows 2, 4)" in message and "'A3' (rows 5, 6)" in message and "A2" not in message


def test_without_an_id_column_the_row_number_is_the_id():
    assert record_ids(pd.DataFrame({"x": [1, 2]}, index=[2, 3]), None).tolist() == ["2", "3"]
    assert record_ids(pd.DataFrame({"ID": [7.0, 8.0]}), "ID").tolist() == ["7", "8"]


def test_blank_ids_are_reported():
    with pytest.raises(InputProblem, match="blank in rows 3"):
        record_ids(pd.DataFrame({"ID": ["A", None]}, index=[2, 3]), "ID")


def test_the_newest_record_is_found_from_a_date_added_column_but_never_the_date_of_birth():
    columns = find_contact_columns(BOB, {})
    assert find_recency_column(BOB, "", columns) == "Date added"
    assert find_recency_column(BOB.drop(columns="Date added"), "", columns) is None
    assert find_recency_column(BOB, "supporter type", columns) == "Supporter type"
    with pytest.raises(InputProblem, match="updated_column"):
        find_recency_column(BOB, "Last updated", columns)


def test_a_date_column_whose_header_looks_like_a_name_is_passed_over():
    table = pd.DataFrame({
        "Last updated": pd.to_datetime(["2024-01-02", "2024-03-04"]),
        "First name": ["Ann", "Bo"], "Surname": ["Lee", "Chan"], "Email": ["a@example.com", "b@example.com"],
    })
    found = find_contact_columns(table, {})
    assert found.roles["last_name"] == "Surname"
    chosen = find_contact_columns(table, {"last_name_column": "Surname", "first_name_column": "First name"})
    assert chosen.roles["last_name"] == "Surname"
