import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.reading.roles import (
    check_columns_exist,
    closest_column,
    explain_roles,
    guess_role,
    resolve_roles,
    split_column_list,
)


@pytest.mark.parametrize(
    "header, role",
    [
        ("Forename", "first_name"), ("First name", "first_name"), ("fname", "first_name"),
        ("Surname", "last_name"), ("D.O.B", "date_of_birth"), ("DOB", "date_of_birth"),
        ("Date of Birth", "date_of_birth"), ("E-mail", "email"), ("Email Address", "email"),
        ("Mobile", "phone"), ("Tel no.", "phone"), ("Post Code", "postcode"), ("POSTCODE", "postcode"),
        ("Client ID", "id"), ("Visit date", "date"), ("Client first name", "first_name"),
    ],
)
def test_guess_role_knows_common_export_headers(header, role):
    assert guess_role(header) == role


def test_guess_role_says_none_for_unknown_headers():
    assert guess_role("Favourite colour") is None
    assert guess_role("Member number") == "id"  # a member's number is their id, not a count
    assert guess_role("Last updated") is None and guess_role("First contact") is None
    assert guess_role("") is None


def test_blank_roles_are_detected_from_the_header():
    frame = pd.DataFrame(columns=["Forename", "Surname", "E-mail", "Post Code", "Notes"])
    roles = resolve_roles(
        frame,
        {"first_name_column": "", "last_name_column": None, "email_column": "",
         "postcode_column": "", "phone_column": ""},
    )
    assert roles == {
        "first_name_column": "Forename", "last_name_column": "Surname", "email_column": "E-mail",
        "postcode_column": "Post Code", "phone_column": None,
    }


def test_given_roles_match_ignoring_case_and_spacing_and_are_not_reused():
    frame = pd.DataFrame(columns=["Name", "Full Name"])
    roles = resolve_roles(frame, {"full_name_column": "full name", "first_name_column": ""})
    assert roles["full_name_column"] == "Full Name"
    # "Name" is a synonym of full_name, not first_name, so nothing else is claimed.
    assert roles["first_name_column"] is None


def test_a_missing_named_column_lists_the_columns_and_the_closest_match():
    frame = pd.DataFrame(columns=["First name", "Post Code", "Email"])
    with pytest.raises(InputProblem) as error:
        resolve_roles(frame, {"postcode_column": "Postcode area"})
    message = str(error.value)
    assert "'Postcode area'" in message and "postcode_column" in message
    assert "Did you mean 'Post Code'?" in message
    assert "'First name', 'Post Code', 'Email'" in message


def test_a_required_role_that_cannot_be_found_says_which():
    frame = pd.DataFrame(columns=["A", "B"])
    with pytest.raises(InputProblem, match="date_column"):
        resolve_roles(frame, {"date_column": ""}, required=("date_column",))


def test_list_parameters_split_and_check():
    frame = pd.DataFrame(columns=["Member no", "Ward"])
    assert split_column_list(" Member no, ward ,") == ["Member no", "ward"]
    assert check_columns_exist(frame, ["Member no", "ward"], "extra_columns") == ["Member no", "Ward"]
    with pytest.raises(InputProblem, match="Did you mean 'Ward'"):
        check_columns_exist(frame, ["Wards"], "extra_columns")


def test_closest_column_returns_none_when_nothing_is_close():
    assert closest_column("zzz", ["Email", "Phone"]) is None


# ---------------------------------------------------------------------------
# Issue 20: the ids, dates and people a person sees in a header
# ---------------------------------------------------------------------------


def test_patient_client_and_member_numbers_are_ids():
    for header in ("patient", "Patient", "Patient ID", "client", "Client no", "Member no", "Membership number"):
        assert guess_role(header) == "id", header
    # A bare noun names the id only as the whole header: "Client type" is a category.
    assert guess_role("Client type") is None and guess_role("Patient status") is None


def test_first_visit_and_date_of_first_contact_are_dates():
    for header in ("First visit", "Date of first contact", "date of first visit", "Date joined", "Start date"):
        assert guess_role(header) == "date", header
    assert guess_role("First contact") is None  # could be a person: left to the volunteer


def test_staff_and_attendee_headers_name_people():
    for header in ("Key worker", "Keyworker", "Case worker", "Support worker", "Attendee"):
        assert guess_role(header) == "full_name", header


def test_a_confident_role_is_used_and_the_load_log_says_how_to_change_it():
    frame = pd.DataFrame(columns=["patient", "First visit", "Wellbeing before", "Wellbeing after"])
    requested = {"id_column": "", "date_column": "", "group_column": ""}
    resolved = resolve_roles(frame, requested)
    assert resolved == {"id_column": "patient", "date_column": "First visit", "group_column": None}
    assert explain_roles(requested, resolved) == [
        "Took 'patient' as the id column, from its header. If that is wrong, run again with -p id_column and "
        "the right column's name.",
        "Took 'First visit' as the date column, from its header. If that is wrong, run again with -p date_column "
        "and the right column's name.",
    ]
    # A column the volunteer named needs no explanation.
    assert explain_roles({"id_column": "patient"}, {"id_column": "patient"}) == []


def test_patient_is_not_offered_as_a_score():
    from helpers.impact.collect import numeric_columns_left_out

    frame = pd.DataFrame({"patient": [101, 102, 103], "Score before": [20.1, 19.3, 22.0],
                          "Score after": [21.5, 20.7, 23.1], "Confidence": [3, 4, 5]})
    assert numeric_columns_left_out(frame, {"start": ["Score before"], "end": ["Score after"]}) == ["Confidence"]
