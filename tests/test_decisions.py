"""deduplicate-contacts applies the charity's decisions from a filled-in review.xlsx (issue 23).

The end-to-end tests run ``surgery run`` as a process, fill review.xlsx with openpyxl as a charity
would (Yes, No, blank, a split group, a changed value in the merged record) and check merged.xlsx
and merge_log.csv row by row. The boundary tests apply a workbook in this process.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.contacts.columns import find_contact_columns, record_ids
from helpers.contacts.decisions import (KIT_SHEET, apply_decisions, check_workbook_fits, load_decisions,
                                        read_answer, read_review_workbook)
from helpers.errors import InputProblem
from helpers.reading.loader import load_table
from conftest import KIT_ROOT, run_surgery

CONTACTS = KIT_ROOT / "datasets" / "contacts.csv"
NEW_EMAIL = "new.address@example.org"
FORMULA_TOWN = "=1+1"


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def review_blocks(sheet) -> dict[int, dict]:
    """Group number -> {"records": [(sheet line, Row)], "merged": sheet line}, read as a person would."""
    header = [c.value for c in sheet[1]]
    row_at = header.index("Row")
    blocks, current = {}, None
    for line, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        first = values[0]
        if isinstance(first, str) and first.startswith("Group "):
            current = int(first.split()[1])
            blocks[current] = {"records": [], "merged": None}
        elif isinstance(first, str) and first.startswith("Merged record"):
            blocks[current]["merged"] = line
        elif values[row_at] is not None:
            blocks[current]["records"].append((line, int(values[row_at])))
    return blocks


def fill_as_a_charity(source: Path, target: Path) -> dict:
    """Answer some groups of review.xlsx; return what was answered (group -> rows by answer)."""
    workbook = load_workbook(source)
    sheet = workbook["Review"]
    header = [c.value for c in sheet[1]]
    answer_column = header.index("Same person?") + 1
    blocks = review_blocks(sheet)
    big = [g for g, block in blocks.items() if len(block["records"]) >= 3 and g > 3]
    chosen = {"yes": 1, "no": 2, "blank": 3, "cleared": big[0], "split_no": big[1],
              "edited": next(g for g in blocks if g > 3 and g not in big[:2])}
    answers = {}
    for kind, group in chosen.items():
        records = blocks[group]["records"]
        marks = {"yes": ["Yes"] * len(records), "no": ["No"] * len(records), "blank": [None] * len(records),
                 "cleared": ["Yes"] * (len(records) - 1) + [None], "split_no": ["Yes"] * (len(records) - 1) + ["No"],
                 "edited": ["Yes"] * len(records)}[kind]
        for (line, _), mark in zip(records, marks):
            # a charity first answers Yes throughout, then clears the one it doubts
            sheet.cell(line, answer_column).value = "Yes" if kind == "cleared" else mark
            if kind == "cleared" and mark is None:
                sheet.cell(line, answer_column).value = None
        answers[kind] = {"group": group, "rows": [row for _, row in records], "marks": marks}
    merged_line = blocks[chosen["edited"]]["merged"]
    sheet.cell(merged_line, header.index("Email") + 1).value = NEW_EMAIL
    town = sheet.cell(merged_line, header.index("Town") + 1)
    town.value, town.data_type = FORMULA_TOWN, "s"  # typed as text ('=1+1 in Excel): it must stay text
    workbook.save(target)
    return answers


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Run, fill in review.xlsx, run with decisions: the charity's round trip."""
    folder = tmp_path_factory.mktemp("decisions")
    first = run_surgery("run", "deduplicate-contacts", "--data", CONTACTS, "--out", folder / "first", "--no-progress")
    assert first.returncode == 0, first.stdout + first.stderr
    filled = folder / "filled review.xlsx"
    answers = fill_as_a_charity(folder / "first" / "review.xlsx", filled)
    before = {CONTACTS: _sha(CONTACTS), filled: _sha(filled)}
    second = run_surgery("run", "deduplicate-contacts", "--data", CONTACTS, "--out", folder / "second",
                         "--no-progress", "-p", "decisions", filled)
    assert second.returncode == 0, second.stdout + second.stderr
    return {"folder": folder, "filled": filled, "answers": answers, "before": before,
            "bundle": folder / "second", "first": folder / "first"}


def _ids_of(frame: pd.DataFrame, rows: list[int]) -> list[str]:
    return [str(frame.at[row, "Contact ID"]) for row in rows]


def test_a_filled_in_review_workbook_is_applied_row_by_row(round_trip):
    frame = load_table(CONTACTS).frame
    answers, bundle = round_trip["answers"], round_trip["bundle"]
    merged = pd.read_excel(bundle / "merged.xlsx", dtype=str, keep_default_na=False)
    assert list(merged.columns) == [*frame.columns, "Absorbed ids"]  # the input's own columns, in order

    expected_merges = {}
    for kind in ("yes", "cleared", "split_no", "edited"):
        rows = [row for row, mark in zip(answers[kind]["rows"], answers[kind]["marks"]) if mark == "Yes"]
        expected_merges[kind] = set(_ids_of(frame, rows))
    kept_alone = set(_ids_of(frame, answers["no"]["rows"] + answers["blank"]["rows"]))
    kept_alone |= {_ids_of(frame, [r])[0] for kind in ("cleared", "split_no")
                   for r, mark in zip(answers[kind]["rows"], answers[kind]["marks"]) if mark != "Yes"}

    by_id = merged.set_index("Contact ID")
    assert by_id.index.is_unique
    absorbed_total = sum(len(ids) - 1 for ids in expected_merges.values())
    assert len(merged) == len(frame) - absorbed_total
    for kind, ids in expected_merges.items():
        holders = merged[merged["Contact ID"].isin(ids)]
        assert len(holders) == 1, kind  # one row per person
        absorbed = set(holders.iloc[0]["Absorbed ids"].split(", "))
        assert absorbed | {holders.iloc[0]["Contact ID"]} == ids, kind
    original = frame.astype(object).where(frame.notna(), "").astype(str).set_index(frame["Contact ID"].astype(str))
    for record_id in kept_alone:  # No, blank and the split-off records: each its own row, as it was
        assert by_id.at[record_id, "Absorbed ids"] == ""
        for column in ("First name", "Surname", "Email", "Phone", "Postcode"):
            assert by_id.at[record_id, column] == original.at[record_id, column], (record_id, column)
    merged_ids = set().union(*expected_merges.values())
    untouched = [i for i in original.index if i not in merged_ids]
    assert set(untouched) <= set(by_id.index)
    assert (by_id.loc[untouched, "Email"] == original.loc[untouched, "Email"]).all()

    edited = merged[merged["Contact ID"].isin(expected_merges["edited"])].iloc[0]
    assert edited["Email"] == NEW_EMAIL and edited["Town"] == FORMULA_TOWN
    cells = load_workbook(bundle / "merged.xlsx")["Merged list"]
    town_at = list(merged.columns).index("Town") + 1
    formula_cells = [row[town_at - 1] for row in cells.iter_rows(min_row=2) if row[town_at - 1].value == FORMULA_TOWN]
    assert formula_cells and all(cell.data_type == "s" for cell in formula_cells)  # text, never a formula

    with open(bundle / "merge_log.csv", newline="", encoding="utf-8") as handle:
        log = list(csv.DictReader(handle))
    assert len(log) == 4
    for kind, ids in expected_merges.items():
        entry = next(e for e in log if e["kept_id"] in ids)
        assert {entry["kept_id"], *entry["absorbed_ids"].split("; ")} == ids
        assert entry["review_groups"] == str(answers[kind]["group"])
        fields = dict(part.split(": ", 1) for part in entry["fields_from"].split("; "))
        if kind == "edited":
            assert fields["Email"] == f"the reviewer (group {answers[kind]['group']})"
            assert fields["Town"] == f"the reviewer (group {answers[kind]['group']})"
        else:
            assert set(fields.values()) <= ids  # every field came from one of the merged records
        if kind == "split_no":
            refused = _ids_of(frame, [answers[kind]["rows"][-1]])[0]
            assert entry["decision"] == f"Yes; kept apart: {refused}"
        elif kind == "yes":
            assert entry["decision"] == "Yes"


def test_the_report_and_summary_say_what_was_applied(round_trip):
    from test_outside_files import main_point_figures, report_text

    bundle = round_trip["bundle"]
    figures = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    first = json.loads((round_trip["first"] / "summary.json").read_text(encoding="utf-8"))
    assert figures["decisions_applied"] == 5  # yes, no, cleared, split_no, edited; blank is not a decision
    assert figures["groups_undecided"] == first["clusters"] - 5
    assert figures["records_merged"] == len(load_table(CONTACTS).frame) - figures["records_after"]
    assert main_point_figures(bundle) == [f"{figures['records']:,}", "5", f"{figures['records_merged']:,}",
                                          f"{figures['groups_undecided']:,}"]
    text = report_text(bundle)
    for claim in figures["claims"]:
        assert claim["sentence"] in text
    assert "Nothing was changed in contacts.csv" in text
    for path, before in round_trip["before"].items():
        assert _sha(path) == before  # the list and the filled-in workbook are never changed
    review = load_workbook(bundle / "review.xlsx")
    assert len(review_blocks(review["Review"])) == figures["groups_undecided"]  # only the groups left
    decided = [v for v in review["Decided earlier"].iter_rows(values_only=True)
               if isinstance(v[0], str) and v[0].startswith("Decided earlier")]
    assert len(decided) == 5


def test_a_rerun_applies_the_decisions_again_and_lists_only_the_new_groups(round_trip):
    bundle = round_trip["bundle"]
    again = round_trip["folder"] / "again"
    result = run_surgery("rerun", bundle, "--data", CONTACTS, "--out", again, "--no-progress",
                         "-p", "decisions", bundle / "review.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    assert pd.read_excel(again / "merged.xlsx").equals(pd.read_excel(bundle / "merged.xlsx"))
    now = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    before = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    for key in ("decisions_applied", "records_merged", "groups_undecided", "records_after"):
        assert now[key] == before[key], key
    # without naming the workbook again, a rerun does not read a file outside the earlier bundle
    refused = run_surgery("rerun", bundle, "--data", CONTACTS, "--out", round_trip["folder"] / "refused",
                          "--no-progress")
    assert refused.returncode == 2 and "-p decisions PATH" in refused.stdout + refused.stderr


def test_a_workbook_from_another_list_or_no_review_workbook_is_refused(round_trip, tmp_path):
    half = tmp_path / "half.csv"
    pd.read_csv(CONTACTS, dtype=str).iloc[::2].to_csv(half, index=False)
    other = run_surgery("run", "deduplicate-contacts", "--data", half, "--out", tmp_path / "a", "--no-progress",
                        "-p", "decisions", round_trip["filled"])
    said = other.stdout + other.stderr
    assert other.returncode == 2, said
    assert "does not belong to this list" in said and "made from 'contacts.csv'" in said and "Traceback" not in said
    plain = tmp_path / "plain.xlsx"
    pd.DataFrame({"Name": ["Ann"]}).to_excel(plain, index=False)
    refused = run_surgery("run", "deduplicate-contacts", "--data", CONTACTS, "--out", tmp_path / "b",
                          "--no-progress", "-p", "decisions", plain)
    assert refused.returncode == 2 and "is not a review workbook from the kit" in refused.stdout + refused.stderr


# --------------------------------------------------------------------------- boundaries, in this process


@pytest.fixture(scope="module")
def contact_list():
    frame = load_table(CONTACTS).frame
    columns = find_contact_columns(frame, {})
    return frame, columns, record_ids(frame, columns.id_column)


def _edit(source: Path, target: Path, change) -> Path:
    workbook = load_workbook(source)
    change(workbook)
    workbook.save(target)
    return target


def _apply(path: Path, contact_list, input_file=CONTACTS):
    frame, columns, ids = contact_list
    review, belonging = load_decisions(str(path), frame, columns, input_file)
    return apply_decisions(frame, ids, columns, review, belonging)


def _answer(group: int, marks: list, merged_values: dict | None = None):
    def change(workbook):
        sheet = workbook["Review"]
        header = [c.value for c in sheet[1]]
        block = review_blocks(sheet)[group]
        for (line, _), mark in zip(block["records"], marks):
            sheet.cell(line, header.index("Same person?") + 1).value = mark
        for column, value in (merged_values or {}).items():
            sheet.cell(block["merged"], header.index(column) + 1).value = value
    return change


def test_answers_are_read_loosely_but_never_guessed():
    assert [read_answer(v) for v in ["Yes", "yes ", "Y", "no", "N", "", None, "maybe", "?"]] == \
        ["Yes", "Yes", "Yes", "No", "No", "", "", "?", "?"]


def test_one_yes_alone_merges_nothing_and_a_blank_workbook_decides_nothing(round_trip, contact_list, tmp_path):
    blank = _apply(round_trip["first"] / "review.xlsx", contact_list)
    assert blank.figures["decisions_applied"] == 0 and blank.figures["records_merged"] == 0
    assert len(blank.merged) == len(contact_list[0])
    one = _edit(round_trip["first"] / "review.xlsx", tmp_path / "one.xlsx", _answer(1, ["Yes"]))
    applied = _apply(one, contact_list)
    assert applied.figures["decisions_applied"] == 1 and applied.figures["records_merged"] == 0
    two = _edit(round_trip["first"] / "review.xlsx", tmp_path / "two.xlsx", _answer(1, ["Yes", "Yes"]))
    assert _apply(two, contact_list).figures["records_merged"] == 1  # the boundary: two Yes records merge


def test_an_unclear_answer_leaves_the_record_as_it_is_and_is_named(round_trip, contact_list, tmp_path):
    path = _edit(round_trip["first"] / "review.xlsx", tmp_path / "unclear.xlsx", _answer(1, ["Yes", "maybe"]))
    applied = _apply(path, contact_list)
    assert applied.figures["records_merged"] == 0 and applied.figures["answers_unclear"] == 1
    assert "'Review' line" in applied.notes[0]


def test_the_reviewer_chooses_the_kept_id_among_the_yes_records_only(round_trip, contact_list, tmp_path):
    frame, _, ids = contact_list
    rows = review_blocks(load_workbook(round_trip["first"] / "review.xlsx")["Review"])[1]["records"]
    first_id = str(ids.at[rows[0][1]])
    chosen = _edit(round_trip["first"] / "review.xlsx", tmp_path / "id.xlsx",
                   _answer(1, ["Yes"] * len(rows), {"Contact ID": first_id}))
    applied = _apply(chosen, contact_list)
    assert applied.log.iloc[0]["kept_id"] == first_id
    assert first_id in set(applied.merged["Contact ID"])
    stranger = _edit(round_trip["first"] / "review.xlsx", tmp_path / "stranger.xlsx",
                     _answer(1, ["Yes"] * len(rows), {"Contact ID": "C99999"}))
    with pytest.raises(InputProblem, match="C99999.*not one of the ids"):
        _apply(stranger, contact_list)


def test_a_decision_on_a_record_changed_since_the_review_is_set_aside(round_trip, contact_list, tmp_path):
    frame, columns, ids = contact_list
    rows = review_blocks(load_workbook(round_trip["first"] / "review.xlsx")["Review"])[1]["records"]
    path = _edit(round_trip["first"] / "review.xlsx", tmp_path / "all.xlsx", _answer(1, ["Yes"] * len(rows)))
    changed = frame.copy()
    changed.at[rows[0][1], "Email"] = "moved@example.org"
    newer = tmp_path / "newer.csv"
    newer.write_text("another version of the list", encoding="utf-8")  # only its fingerprint is read
    review = read_review_workbook(path)
    belonging = check_workbook_fits(review, changed, ids, columns.id_column, _sha(newer))
    applied = apply_decisions(changed, ids, columns, review, belonging)
    assert applied.figures["decisions_set_aside"] == 1 and applied.figures["records_merged"] == 0
    same = check_workbook_fits(review, frame, ids, columns.id_column, _sha(CONTACTS))
    assert apply_decisions(frame, ids, columns, review, same).figures["records_merged"] == len(rows) - 1


def test_a_changed_kit_sheet_a_wrong_row_or_other_ids_are_refused(round_trip, contact_list, tmp_path):
    frame, columns, _ = contact_list
    source = round_trip["first"] / "review.xlsx"

    def no_kit(workbook):
        del workbook[KIT_SHEET]
    with pytest.raises(InputProblem, match="not a review workbook"):
        read_review_workbook(_edit(source, tmp_path / "nokit.xlsx", no_kit))

    def wrong_row(workbook):
        sheet = workbook["Review"]
        header = [c.value for c in sheet[1]]
        sheet.cell(review_blocks(sheet)[1]["records"][0][0], header.index("Row") + 1).value = 999999
    with pytest.raises(InputProblem, match="Line 3 of the sheet 'Review'.*999999"):
        read_review_workbook(_edit(source, tmp_path / "row.xlsx", wrong_row))

    with pytest.raises(InputProblem, match="row numbers as ids"):
        rows_as_ids = columns.__class__(columns.roles, None)
        load_decisions(str(source), frame, rows_as_ids, CONTACTS)


def test_input_files_are_opened_read_only(round_trip, contact_list):
    path = round_trip["first"] / "review.xlsx"
    before = (_sha(path), path.stat().st_mtime_ns)
    _apply(path, contact_list)
    assert (_sha(path), path.stat().st_mtime_ns) == before


# --------------------------------------------------------------------------- failed tries' bundles


def _bundle(root: Path, failed: bool, out: Path | None = None, overwrite: bool = False) -> Path:
    from helpers.spine.bundle import open_bundle, write_json, write_whole

    write = open_bundle(root, "Youth Club", "deduplicate-contacts", dt.date(2026, 3, 1), out, overwrite)
    write_whole(write.staging / "report.html", "<html>report</html>")
    write_json(write.staging / "summary.json", {"error": {"kind": "InputProblem"}} if failed else {"records": 1})
    return write.finish()


def test_a_failed_try_is_replaced_by_the_next_and_a_finished_report_never_is(tmp_path):
    first = _bundle(tmp_path, failed=True)
    assert _bundle(tmp_path, failed=True) == first  # failed tries do not pile up
    assert _bundle(tmp_path, failed=False) == first  # the run that works replaces the failed one
    assert json.loads((first / "summary.json").read_text())["records"] == 1
    second = _bundle(tmp_path, failed=True)
    assert second.name.endswith("-2")  # a finished report stays
    (second / "notes.txt").write_text("the volunteer's own file")
    third = _bundle(tmp_path, failed=True)
    assert third.name.endswith("-3") and (second / "notes.txt").is_file()  # not only the kit's files: kept
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, second.name, third.name]


def test_a_failed_try_in_an_out_folder_is_replaced_without_overwrite(tmp_path):
    from helpers.spine.bundle import open_bundle

    out = tmp_path / "bundle"
    _bundle(tmp_path, failed=True, out=out)
    _bundle(tmp_path, failed=False, out=out)
    assert json.loads((out / "summary.json").read_text())["records"] == 1
    with pytest.raises(InputProblem, match="--overwrite"):  # a finished report needs --overwrite
        open_bundle(tmp_path, "", "deduplicate-contacts", dt.date(2026, 3, 1), out, False)
    shutil.rmtree(out)


# --------------------------------------------------------------------------- a property over any answers

from dataclasses import replace  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marks=st.lists(st.lists(st.sampled_from(["Yes", "No", "", "?"]), min_size=5, max_size=5),
                      min_size=12, max_size=12))
def test_any_answers_keep_every_record_exactly_once_and_merge_only_yes(round_trip, contact_list, marks):
    frame, columns, ids = contact_list
    review = read_review_workbook(round_trip["first"] / "review.xlsx")
    belonging = check_workbook_fits(review, frame, ids, columns.id_column, _sha(CONTACTS))
    groups = [replace(g, answers=dict(zip(g.rows, answers)))
              for g, answers in zip(review.groups[:12], marks)] + review.groups[12:]
    applied = apply_decisions(frame, ids, columns, replace(review, groups=groups), belonging)
    merged = applied.merged
    absorbed = [i for text in merged["Absorbed ids"] if text for i in text.split(", ")]
    # every record of the list is in merged.xlsx exactly once: as a row of its own or absorbed into one
    assert sorted([*merged["Contact ID"].astype(str), *absorbed]) == sorted(ids.astype(str))
    yes_counts = [sum(1 for row in g.rows if g.answers.get(row) == "Yes") for g in groups[:12]]
    assert len(merged) == len(frame) - sum(max(0, count - 1) for count in yes_counts)
    refused = {str(ids.at[row]) for g in groups[:12] for row in g.rows if g.answers.get(row) != "Yes"}
    assert not refused & set(absorbed)  # a No, blank or unclear record is never merged away
    holders = merged[merged["Absorbed ids"] != ""]
    assert not refused & set(holders["Contact ID"].astype(str))
