"""Tests for helpers.health_check.duplicates: exact and near copies of rows."""

import time

import numpy as np
import pandas as pd

from helpers.health_check.duplicates import find_duplicate_rows, identifier_columns
from helpers.health_check.profile import profile_columns

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]



def test_duplicates_in_register(report):
    duplicates = report.duplicates
    assert duplicates.exact_copies == 1
    groups = duplicates.groups
    assert groups.loc[groups["Kind"] == "exact copy", "Row numbers"].tolist() == [[3, 7]]


def test_near_duplicates_after_tidying_and_in_one_field_agree_on_the_id():
    frame = pd.DataFrame(
        {
            "Name": ["Ann Lee", "ann  lee", "Bob Roy", "Bob Roy", "Cy Dee", "Cy Dee", "Di Fox", "Di Fox"],
            "Email": ["ann@x.org", "ANN@x.org", "bob@x.org", "bob@x.org", "cy@x.org", "cy@x.org",
                      "di@x.org", "di@x.org"],
            "Town": ["Leeds", "Leeds", "York", "York", "Hull", "Bath", "Ely", "Rye"],
            "Phone": ["07700 900001", "07700900001", "07700 900002", "+44 7700 900002", "07700 900003",
                      "07700 900003", "07700 900004", "07700 900005"],
            "Ref": ["1", "1", "3", "3", "5", "5", "7", "7"],
        },
        index=range(2, 10),
    )
    found = find_duplicate_rows(frame, profile_columns(frame))
    by_rows = {tuple(g["Row numbers"]): (g["Kind"], g["Differs in"]) for g in found.groups.to_dict("records")}
    assert by_rows == {
        (2, 3): ("same once tidied", ""),
        (4, 5): ("same once tidied", ""),
        (6, 7): ("differs in one column", "Town"),
    }
    assert found.exact_copies == 0
    assert found.near_copies == 3
    # Under a new ID each pair is two records of two people as far as the file says: no copies.
    frame["Ref"] = [str(number) for number in range(8)]
    assert find_duplicate_rows(frame, profile_columns(frame)).near_copies == 0


def test_exact_copies_keep_their_id_and_another_id_is_another_person():
    frame = pd.DataFrame({"Client ID": ["A1", "A1", "A2", "A3"], "Name": ["Ann", "Ann", "Ann", "Bob"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.exact_copies == 1 and found.near_copies == 0
    assert found.groups[["Kind", "Row numbers", "Differs in"]].values.tolist() == [["exact copy", [0, 1], ""]]


def test_repeats_in_a_visit_log_are_not_near_copies():
    # Two visits on one day by households of the same size from the same partner are two visits.
    frame = pd.DataFrame({
        "Visit date": pd.to_datetime(["2024-01-02"] * 4 + ["2024-01-03"] * 4),
        "Voucher no": [f"V{i}" for i in range(8)],
        "People fed": [2, 2, 3, 3, 2, 2, 1, 1],
        "Referral partner": ["CAB", "CAB", "GP", "GP", "CAB", "CAB", "CAB", "GP"],
        "Notes": [None] * 8,
    })
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty and found.near_copies == 0
    assert identifier_columns(frame, profile_columns(frame)) == ["Voucher no"]


def test_identifier_columns_by_header_and_values():
    frame = pd.DataFrame({"Batch no": ["A", "A", "B", "B"], "Member number": ["1", "2", "3", "4"],
                          "Ref": ["R1", "R1", "R2", "R3"],
                          "Phone": ["07700 900001", "07700 900002", "07700 900003", "07700 900004"]})
    # "Ref" is an ID by its header alone, repeats and all; "Batch no" repeats, so it is a category.
    assert identifier_columns(frame, profile_columns(frame)) == ["Member number", "Ref"]


def test_a_table_of_ids_only_has_exact_copies_only():
    frame = pd.DataFrame({"ID": ["1", "1", "2"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.exact_copies == 1 and found.near_copies == 0


def test_rows_differing_in_two_fields_are_not_near_copies():
    frame = pd.DataFrame({"A": ["x", "x"], "B": ["y", "y"], "C": ["p", "q"], "D": ["r", "s"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty and found.near_copies == 0


def test_nearly_empty_rows_are_not_near_copies():
    frame = pd.DataFrame({"A": ["x", "x"], "B": [None, None], "C": [None, None], "D": ["p", "q"]})
    assert find_duplicate_rows(frame, profile_columns(frame)).groups.empty


def test_three_columns_use_tidying_only():
    frame = pd.DataFrame({"A": ["x", "X "], "B": ["y", "y"], "C": ["p", "q"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty


def test_duplicates_scale_linearly():
    rng = np.random.default_rng(1)
    n = 50_000
    frame = pd.DataFrame({"Id": np.arange(n).astype(str), "A": rng.integers(0, 10**9, n).astype(str),
                          "B": rng.integers(0, 10**9, n).astype(str), "C": rng.integers(0, 10**9, n).astype(str)})
    frame.iloc[-1, :] = frame.iloc[0, :]
    frame.iloc[-1, 2] = "typed again"  # the same record (same Id) with one field typed differently
    profile = profile_columns(frame)
    started = time.perf_counter()
    found = find_duplicate_rows(frame, profile)
    assert time.perf_counter() - started < 10
    assert found.groups["Row numbers"].tolist() == [[0, n - 1]]


# ---------------------------------------------------------------------------
# Issue 20: near copies agree on every name and ID column
# ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.health_check.duplicates import person_columns  # noqa: E402

_FIRST = ["Avaqz", "Benqz", "Cerysqz", "Dmitriqz", "Esmeqz", "Farahqz", "Gideonqz", "Hildaqz", "Idrisqz", "Junoqz",
          "Kwameqz", "Lorcanqz"]
_LAST = ["Nowakqz", "Okaforqz", "Llewellynqz", "Volkovqz", "Okonkwoqz", "Siddiquiqz", "Hartqz", "Brennanqz"]


def test_two_members_at_one_session_with_one_fee_are_not_copies():
    """The issue's register: the one column that differed was the name."""
    frame = pd.DataFrame({
        "Member": [f"{first} {last}" for first, last in zip(_FIRST, _LAST * 2, strict=False)],
        "Session": ["Tuesday lunch"] * 12,
        "Fee": [3.5] * 12,
        "Date joined": pd.to_datetime([f"2024-03-{day:02d}" for day in range(1, 12)] + ["2024-03-11"]),
    }, index=range(2, 14))
    profile = profile_columns(frame)
    assert person_columns(profile) == ["Member"]
    found = find_duplicate_rows(frame, profile)
    assert found.near_copies == 0 and found.exact_copies == 0 and found.groups.empty
    # The same member typed again (capitals, spaces) on that row is a near copy.
    frame.loc[13, "Member"] = f" {frame.loc[12, 'Member'].lower()}"
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.near_copies == 1 and found.groups["Row numbers"].tolist() == [[12, 13]]


def test_a_visit_log_with_one_client_id_per_person_is_not_a_list_of_copies():
    """A client's second visit shares the ID, worker and service: the date differs, so two visits."""
    frame = pd.DataFrame({
        "Client ID": ["QZ-1042", "QZ-1043", "QZ-1042", "QZ-1044", "QZ-1043", "QZ-1045"],
        "Key worker": ["Priyaqz Shahqz", "Tomqz Brennanqz"] * 3,
        "Visit date": pd.to_datetime(["2025-01-06", "2025-01-06", "2025-01-13", "2025-01-13", "2025-01-20",
                                      "2025-01-20"]),
        "Service": ["Housing advice", "Benefits check"] * 3,
        "Outcome": ["Resolved"] * 6,
    })
    assert find_duplicate_rows(frame, profile_columns(frame)).groups.empty


names = st.tuples(st.sampled_from(_FIRST), st.sampled_from(_LAST)).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(people=st.lists(names, min_size=3, max_size=12, unique=True),
       shared=st.fixed_dictionaries({"Session": st.sampled_from(["Tuesday lunch", "Thursday tea"]),
                                     "Fee": st.sampled_from([2.0, 3.5]),
                                     "Town": st.sampled_from(["Leeds", "York"])}),
       pair=st.data(), with_ids=st.booleans())
def test_distinct_people_with_equal_other_columns_are_never_copies(people, shared, pair, with_ids):
    """Hypothesis: rows about different people (another name, another id) are never called copies,
    even when two of them share every other cell, a distinctive date included."""
    joined = list(pd.date_range("2024-01-01", periods=len(people), freq="D"))
    first, second = pair.draw(st.lists(st.integers(0, len(people) - 1), min_size=2, max_size=2, unique=True))
    joined[second] = joined[first]  # the two joined on the same day: every other column is equal
    frame = pd.DataFrame({"Member": people, "Joined": joined,
                          **{column: [value] * len(people) for column, value in shared.items()}})
    if with_ids:
        frame.insert(0, "Member no", [f"M{number:04d}" for number in range(len(people))])
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.exact_copies == 0 and found.near_copies == 0 and found.groups.empty


@settings(max_examples=40, deadline=None)
@given(people=st.lists(names, min_size=2, max_size=8, unique=True))
def test_same_name_under_another_id_is_not_a_copy(people):
    frame = pd.DataFrame({"Client ID": [f"C{n:03d}" for n in range(len(people) * 2)],
                          "Name": people * 2, "Town": ["Leeds"] * (2 * len(people)),
                          "Phone": ["07700 900123"] * (2 * len(people))})
    assert find_duplicate_rows(frame, profile_columns(frame)).near_copies == 0
