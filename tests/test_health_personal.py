"""Personal data found from values as well as headers, and never shown in anything the charity shares.

Issue 20: a members' register with names under "Member" showed "Ava Nowak" in full and said no
personal data was found; a staff name under "Key worker" and a client id appeared as examples in
the report, the data dictionary and the capture template's hidden list sheet.
"""

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.health_check import health_claims
from helpers.health_check.findings import check_health
from helpers.health_check.profile import (
    ID_SHARE,
    NAME_DISTINCT_SHARE,
    NAME_SHARE,
    looks_like_name,
    profile_columns,
)
from helpers.health_check.workbooks import write_capture_template, write_data_dictionary
from helpers.writing.claims import CONCLUSION_WORDS

MEMBERS = ["Avaqz Nowakqz", "Benqz Okaforqz", "Cerysqz Llewellynqz", "Dmitriqz Volkovqz", "Esmeqz Okonkwoqz",
           "Farahqz Siddiquiqz", "Gideonqz Hartqz", "Hildaqz Brennanqz", "Idrisqz Mensahqz", "Junoqz Petrovaqz"]


def _workbook_text(path) -> str:
    """Every cell of every sheet (hidden sheets too), and every drop-down list typed into a rule."""
    book = load_workbook(path)
    cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    lists = [str(rule.formula1) for sheet in book.worksheets for rule in sheet.data_validations.dataValidation]
    return "\n".join(cells + lists)


def _personal_flags(path) -> dict:
    sheet = load_workbook(path)["Data dictionary"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    return {row[0]: row[header.index("Personal data")] for row in rows[1:]}


# ---------------------------------------------------------------------------
# Names from values
# ---------------------------------------------------------------------------


def test_a_member_column_of_names_is_personal_whatever_its_header():
    table = pd.DataFrame({"Member": MEMBERS, "Session": ["Lunch"] * 10})
    info = profile_columns(table).columns["Member"]
    assert info.personal == "full_name" and info.personal_reason == "content"
    assert info.example == "A*** N***"
    assert info.type == "text" and not info.categories  # never a drop-down list of people


def test_names_share_boundary():
    """8 of 10 cells name-like is a name column; 7 of 10 is not."""
    assert NAME_SHARE == 0.8
    eight = MEMBERS[:8] + ["lunch only", "tbc"]
    seven = MEMBERS[:7] + ["lunch only", "tbc", "see notes"]
    assert profile_columns(pd.DataFrame({"Who": eight})).columns["Who"].personal == "full_name"
    assert profile_columns(pd.DataFrame({"Who": seven})).columns["Who"].personal is None


def test_repeated_names_need_a_header_that_names_a_person():
    """Mostly distinct (half or more) is enough; fewer distinct names need a person header."""
    assert NAME_DISTINCT_SHARE == 0.5
    half = MEMBERS[:5] * 2  # 5 distinct of 10: exactly half
    fewer = MEMBERS[:4] * 2 + MEMBERS[:2]  # 4 distinct of 10
    assert profile_columns(pd.DataFrame({"Col": half})).columns["Col"].personal == "full_name"
    assert profile_columns(pd.DataFrame({"Col": fewer})).columns["Col"].personal is None
    for header in ("Key worker", "Seen by", "Volunteer", "Attendee"):
        assert profile_columns(pd.DataFrame({header: fewer})).columns[header].personal == "full_name", header


def test_places_and_services_in_capitals_are_categories_not_names():
    boroughs = ["Tower Hamlets", "Waltham Forest", "Job Centre", "Citizens Advice", "Self Referral"] * 2
    info = profile_columns(pd.DataFrame({"Where": boroughs})).columns["Where"]
    assert info.personal is None and info.type == "category"
    assert [looks_like_name(v) for v in ["Ava Nowak", "Mary-Jane O'Neill", "Nowak, Ava", "Tower Hamlets",
                                         "GP", "ava nowak", "Ava", "Ann Marie Lee Jones"]] == [
        True, True, True, False, False, False, False, False]


# ---------------------------------------------------------------------------
# IDs
# ---------------------------------------------------------------------------


def test_ids_from_the_header_and_from_distinct_codes():
    table = pd.DataFrame({
        "Patient": [f"P{n:04d}" for n in range(10)],
        "Code": [f"QZ-{1040 + n}" for n in range(10)],
        "Batch": ["B12"] * 10,
    })
    profile = profile_columns(table)
    assert profile.columns["Patient"].personal == "id" and profile.columns["Patient"].personal_reason == "header"
    assert profile.columns["Code"].personal == "id" and profile.columns["Code"].personal_reason == "content"
    assert profile.columns["Batch"].personal is None
    assert profile.columns["Code"].example == "AA-9999"


def test_id_share_boundary():
    """Codes in 9 of 10 cells, all different, is an id column; 8 of 10 is not."""
    assert ID_SHARE == 0.9
    nine = [f"C{n:03d}" for n in range(9)] + ["walk-in"]
    eight = [f"C{n:03d}" for n in range(8)] + ["walk-in", "phone"]
    assert profile_columns(pd.DataFrame({"Col": nine})).columns["Col"].personal == "id"
    assert profile_columns(pd.DataFrame({"Col": eight})).columns["Col"].personal is None


# ---------------------------------------------------------------------------
# Nothing shown, everything marked
# ---------------------------------------------------------------------------


@pytest.fixture
def visit_log():
    staff = ["Priyaqz Shahqz", "Tomqz Brennanqz", "Marthaqz Idowuqz"]
    return pd.DataFrame({
        "Client ID": [f"QZ-{1042 + n % 7}" for n in range(21)],
        "Key worker": [staff[n % 3] for n in range(21)],
        # Staff typed "Surname, Forename": with commas, a drop-down list goes on the hidden Lists sheet.
        "Seen by": [["Shahqz, Priyaqz", "Brennanqz, Tomqz", "Idowuqz, Marthaqz"][n % 3] for n in range(21)],
        "Service": [["Housing advice", "Debt advice", "Benefits check"][n % 3] for n in range(21)],
    })


def test_no_staff_name_or_client_id_reaches_the_shared_workbooks(visit_log, tmp_path):
    profile = check_health(visit_log).profile
    dictionary = write_data_dictionary(tmp_path / "data_dictionary.xlsx", profile)
    template = write_capture_template(tmp_path / "capture_template.xlsx", profile)
    shared = (_workbook_text(dictionary) + _workbook_text(template)).lower()
    shown = profile.as_frame().to_string().lower()
    for marker in ["priyaqz", "brennanqz", "idowuqz", "qz-104"]:
        assert marker not in shared and marker not in shown, marker
    assert _personal_flags(dictionary) == {"Client ID": "yes", "Key worker": "yes", "Seen by": "yes",
                                           "Service": "no"}
    # The service list, which is not personal, is still offered as a drop-down.
    assert "Housing advice" in _workbook_text(template)


def test_an_id_column_example_is_its_pattern_in_the_data_dictionary(tmp_path):
    table = pd.DataFrame({"Member no": [f"MQZ{n:05d}" for n in range(12)], "Town": ["Leeds"] * 12})
    dictionary = write_data_dictionary(tmp_path / "d.xlsx", profile_columns(table))
    sheet = load_workbook(dictionary)["Data dictionary"]
    rows = list(sheet.iter_rows(values_only=True))
    example = rows[1][list(rows[0]).index("Example")]
    assert example == "AAA99999" and "mqz" not in _workbook_text(dictionary).lower()


# ---------------------------------------------------------------------------
# "No personal data" only by the rule
# ---------------------------------------------------------------------------


def test_no_personal_data_is_said_only_when_no_column_holds_any():
    plain = pd.DataFrame({"Session": ["Lunch", "Tea"] * 5, "Fee": [3.5, 2.0] * 5})
    claim = [c for c in health_claims(check_health(plain)) if c.key == "personal_data"][0]
    assert claim.decision == "no_personal_data" and "no personal data" in claim.sentence
    assert CONCLUSION_WORDS["no personal data"] == "no_personal_data"

    members = plain.assign(Member=MEMBERS)
    claim = [c for c in health_claims(check_health(members)) if c.key == "personal_data"][0]
    assert claim.decision == "personal_data"
    assert "no personal data" not in claim.sentence.lower()
    assert claim.numbers == {"columns": 3, "personal_columns": 1}


def test_the_capture_template_marks_the_columns_that_hold_personal_data(visit_log, tmp_path):
    from helpers.health_check.workbooks import PERSONAL_NOTE

    template = write_capture_template(tmp_path / "capture_template.xlsx", check_health(visit_log).profile)
    sheet = load_workbook(template)["Data entry"]
    comments = {cell.value: cell.comment.text for cell in sheet[1]}
    assert [header for header, text in comments.items() if PERSONAL_NOTE in text] == [
        "Client ID", "Key worker", "Seen by"]
    prompts = {rule.promptTitle: rule.prompt for rule in sheet.data_validations.dataValidation}
    assert PERSONAL_NOTE in prompts["Key worker"] and PERSONAL_NOTE not in prompts["Service"]
