"""Which columns of a contact list are compared, and each record's id (helpers.contacts.columns)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.contacts.columns import exact_copy_of, find_contact_columns, find_recency_column, is_number_only, record_ids
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
    table = pd.DataFrame({"ID": ["A1", "A2", "A1", "A3", "A3"], "Name": list("abcde")}, index=[2, 3, 4, 5, 6])
    with pytest.raises(InputProblem) as problem:
        record_ids(table, "ID")
    message = str(problem.value)
    assert "'A1' (rows 2 and 4)" in message and "'A3' (rows 5 and 6)" in message and "A2" not in message
    assert "2 ids are used by different records" in message


def test_one_repeated_id_is_named_in_the_singular_with_the_way_out_that_works():
    # Before: "1 ids are used more than once ... leave id_column blank", and blank meant
    # "find it from the header", so the same error came back: a dead end.
    table = pd.DataFrame({"Client ID": ["C1", "C2", "C1"], "Name": ["Jo Lee", "Al Roe", "Jo Leigh"]},
                         index=[2, 3, 4])
    with pytest.raises(InputProblem) as problem:
        record_ids(table, "Client ID")
    message = str(problem.value)
    assert "1 id is used by different records: 'C1' (rows 2 and 4)" in message
    assert "-p id_column none" in message and "1 ids" not in message and "leave id_column blank" not in message
    # ... and the way out it gives does work
    found = find_contact_columns(table.assign(Email=["a@x.org", "b@x.org", "a@x.org"]), {"id_column": "none"})
    assert found.id_column is None


@pytest.mark.parametrize("given", ["none", "None", " NONE ", "row numbers"])
def test_id_column_none_uses_row_numbers_even_when_the_header_has_an_id(given):
    table = BOB.copy()
    assert find_contact_columns(table, {"id_column": ""}).id_column == "Contact ID"  # the counterexample
    assert find_contact_columns(table, {"id_column": given}).id_column is None


def test_a_column_really_called_none_is_still_that_column():
    table = BOB.rename(columns={"Contact ID": "none"})
    assert find_contact_columns(table, {"id_column": "none"}).id_column == "none"


def test_an_exact_copy_may_repeat_its_rows_id():
    table = pd.concat([BOB, BOB.iloc[[0]]], ignore_index=True)
    table.index = table.index + 2
    ids = record_ids(table, "Contact ID")
    assert ids.tolist() == ["X1", "X2", "X3", "X1"]
    assert exact_copy_of(table, "Contact ID").to_dict() == {5: 2}


def test_rows_that_differ_only_in_their_id_are_exact_copies_but_not_rows_that_differ_elsewhere():
    table = pd.DataFrame({"ID": ["A", "B", "C"], "Name": ["Jo", "Jo", "Jo"], "Town": ["Leeds", "Leeds", "York"]},
                         index=[2, 3, 4])
    assert exact_copy_of(table, "ID").to_dict() == {3: 2}
    assert exact_copy_of(table).to_dict() == {}


def test_a_fuller_address_column_beats_a_house_number_and_the_suburb_is_the_town():
    # FEBRL's header: "street_number" reads as an address to the shared table ("street").
    table = pd.DataFrame({"rec_id": ["r1", "r2"], "given_name": ["jo", "al"], "surname": ["lee", "roe"],
                          "street_number": [12, 4], "address_1": ["mill lane", "quarry hill"],
                          "address_2": ["flat 2", None], "suburb": ["leeds", "york"], "postcode": ["2000", "2001"]})
    found = find_contact_columns(table, {})
    assert found.roles["address"] == "address_1" and found.roles["town"] == "suburb"
    assert any("'street_number' holds only numbers" in note for note in found.notes)


def test_a_lone_house_number_column_is_never_the_address():
    table = pd.DataFrame({"Name": ["Jo Lee", "Al Roe"], "Street": ["12", "4a"], "Email": ["a@x.org", "b@x.org"]})
    assert "address" not in find_contact_columns(table, {}).roles
    assert "address" not in find_contact_columns(table, {"address_column": "Street"}).roles
    text = table.assign(Street=["12 Mill Lane", "4a Quarry Hill"])  # the counterexample
    assert find_contact_columns(text, {}).roles["address"] == "Street"


@pytest.mark.parametrize(("values", "numbers"), [
    ([12, 4, None], True), (["12", "4a"], True), ([12.0, 3.0], True),
    (["12 Mill Lane", "4"], False), (["Flat 2"], False), ([None, None], False),
])
def test_number_only_columns(values, numbers):
    assert is_number_only(pd.Series(values, dtype=object)) is numbers


def test_the_town_prefers_the_most_local_column():
    table = pd.DataFrame({"Name": ["Jo Lee"], "District": ["Kirklees"], "Town": ["Dewsbury"], "Email": ["a@x.org"]})
    assert find_contact_columns(table, {}).roles["town"] == "Town"


def test_without_an_id_column_the_row_number_is_the_id():
    assert record_ids(pd.DataFrame({"x": [1, 2]}, index=[2, 3]), None).tolist() == ["2", "3"]
    assert record_ids(pd.DataFrame({"ID": [7.0, 8.0]}), "ID").tolist() == ["7", "8"]


def test_blank_ids_are_reported():
    with pytest.raises(InputProblem, match="blank in row 3. .*-p id_column none"):
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
