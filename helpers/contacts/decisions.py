"""Apply the charity's decisions from a filled-in review.xlsx: merged.xlsx and merge_log.csv.

The round trip: a run writes ``review.xlsx``, one block per group of records the kit thinks are
one person, each record with a "Same person?" drop-down (Yes/No) and, under the records, a
"Merged record" row holding the values the merged record would take. The charity fills it in;
the next run with ``-p decisions review.xlsx`` applies it:

* **Yes** records of a group are merged into one; **No** records are kept apart; a group with
  no answer at all is left as it is (not merged) and listed again for review. A group split by
  hand (one record's Yes cleared or set to No) merges only its Yes records.
* A value the reviewer changed in the "Merged record" row is used instead of the kit's choice
  (the kit keeps its own suggestion on a hidden sheet, so it can tell a change from its own value);
  changing the id there chooses which record's id is kept.
* The workbook carries the fingerprint of the list it was made from (the file's SHA-256 and a
  fingerprint of each record it lists) on the hidden sheet :data:`KIT_SHEET`. A workbook whose
  records are not in this list, or that is not a review workbook at all, is refused.

Decisions accumulate: the new ``review.xlsx`` lists the groups still to decide on the sheet
"Review" and the groups already decided, answers and changed values kept, on the sheet
:data:`DECIDED_SHEET`; giving that workbook to the next run applies both.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.contacts.columns import ContactColumns
from helpers.errors import InputProblem

#: The hidden sheet holding the fingerprint of the list and the kit's own suggestions.
KIT_SHEET = "Kit data (do not edit)"
#: The first cell of :data:`KIT_SHEET`: says the workbook is a review workbook from the kit.
WORKBOOK_MARK = "Data Surgery Kit: deduplicate-contacts review workbook"
FORMAT_VERSION = 1
REVIEW_SHEET = "Review"
#: The sheet of groups decided in an earlier round, answers kept (read again by the next run).
DECIDED_SHEET = "Decided earlier"
SAME_PERSON = "Same person?"
MERGED_LABEL = "Merged record"
_MERGED_PATTERN = re.compile(r"^\s*Merged record \(group (\d+)\)")
_YES = {"yes", "y", "true", "1", "same", "same person", "merge"}
_NO = {"no", "n", "false", "0", "different", "not the same", "keep apart"}


def merged_row_label(group: int) -> str:
    """The first cell of a group's "Merged record" row.

    Example:
        >>> merged_row_label(3)
        'Merged record (group 3): change a value in this row to use it'
    """
    return f"{MERGED_LABEL} (group {group}): change a value in this row to use it"


def read_answer(value) -> str:
    """A "Same person?" cell as ``"Yes"``, ``"No"``, ``""`` (blank) or ``"?"`` (anything else).

    Example:
        >>> [read_answer(v) for v in ["Yes", " y ", "NO", None, "", "maybe", True]]
        ['Yes', 'Yes', 'No', '', '', '?', 'Yes']
    """
    if value is None:
        return ""
    text = str(value).strip().casefold()
    if text == "":
        return ""
    if text in _YES:
        return "Yes"
    if text in _NO:
        return "No"
    return "?"


def record_fingerprints(frame: pd.DataFrame) -> pd.Series:
    """A short fingerprint of each record's values (every column), to tell whether a record changed.

    Example:
        >>> table = pd.DataFrame({"Name": ["Ann Lee", "Ann Lee"], "Town": ["Leeds", "York"]})
        >>> prints = record_fingerprints(table)
        >>> len(prints[0]), prints[0] == prints[1]
        (16, False)
    """
    if frame.empty:
        return pd.Series(dtype=object, index=frame.index)
    # blanks as "", everything else as its text (pandas' string columns keep a blank as NaN)
    text = frame.astype(object).where(frame.notna(), "").map(str)
    joined = text.agg("\x1f".join, axis=1)
    return joined.map(lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


# --------------------------------------------------------------------------- writing the kit's sheet


def write_kit_sheet(workbook, about: dict, records: pd.DataFrame, suggestions: pd.DataFrame) -> None:
    """Add the hidden sheet :data:`KIT_SHEET` to a write-only review workbook.

    Args:
        workbook: An openpyxl ``Workbook(write_only=True)``.
        about: ``input_file``, ``input_sha256``, ``records`` and ``id_column`` of the list.
        records: One row per record listed: ``Group``, ``Row``, ``Id``, ``Fingerprint``.
        suggestions: One row per group: ``Group`` then the kit's own suggested merged values
            (the columns of the review sheet after "Row").
    """
    from helpers.contacts.review import _cell_values
    from helpers.writing.workbooks import looks_like_formula, text_cell

    sheet = workbook.create_sheet(KIT_SHEET)
    sheet.sheet_state = "hidden"

    def cells(values):
        return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]

    sheet.append(cells([WORKBOOK_MARK, FORMAT_VERSION]))
    for key in ("input_file", "input_sha256", "records", "id_column"):
        value = about.get(key)
        sheet.append(cells([key, "" if value is None else value]))
    sheet.append(cells(["Group", "Row", "Id", "Fingerprint"]))
    for row in zip(*(_cell_values(records[c]) for c in ("Group", "Row", "Id", "Fingerprint"))):
        sheet.append(cells(row))
    # The kit's suggestions, below a header row of their own: "Suggested" then the columns.
    sheet.append(cells(["Suggested", *[str(c) for c in suggestions.columns]]))
    columns = [_cell_values(suggestions[c]) for c in suggestions.columns]
    for row in zip(*columns):
        sheet.append(["Suggested", *[text_cell(sheet, v) if looks_like_formula(v) else v for v in row]])


# --------------------------------------------------------------------------- reading a filled-in workbook


@dataclass
class ReviewedGroup:
    """One group of a filled-in review workbook.

    Attributes:
        number: The group's number in the workbook.
        sheet: The sheet it is on (:data:`REVIEW_SHEET` or :data:`DECIDED_SHEET`).
        rows: The input row number of each record the kit listed in it.
        answers: Row -> "Yes", "No", "" (blank) or "?" (neither).
        shown: The "Merged record" row as the reviewer left it (column -> value).
        suggested: The kit's own suggestion for that row (column -> value).
    """

    number: int
    sheet: str
    rows: list[int]
    answers: dict[int, str] = field(default_factory=dict)
    shown: dict[str, object] = field(default_factory=dict)
    suggested: dict[str, object] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        """Whether a reviewer answered Yes or No for any record of the group."""
        return any(answer in ("Yes", "No") for answer in self.answers.values())

    @property
    def yes_rows(self) -> list[int]:
        return [row for row in self.rows if self.answers.get(row) == "Yes"]

    @property
    def no_rows(self) -> list[int]:
        return [row for row in self.rows if self.answers.get(row) == "No"]

    @property
    def edits(self) -> dict[str, object]:
        """The values the reviewer changed in the "Merged record" row."""
        return {column: value for column, value in self.shown.items()
                if column in self.suggested and not _same_value(value, self.suggested[column])}


@dataclass
class ReviewWorkbook:
    """What a filled-in review workbook says (see :func:`read_review_workbook`)."""

    name: str
    about: dict
    records: pd.DataFrame  # Group, Row, Id, Fingerprint
    groups: list[ReviewedGroup]
    unclear: list[str] = field(default_factory=list)  # cells that were neither Yes nor No


def _same_value(left, right) -> bool:
    if _blank(left) and _blank(right):
        return True
    if _blank(left) or _blank(right):
        return False
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return float(left) == float(right)
    if hasattr(left, "year") and hasattr(right, "year"):
        return pd.Timestamp(left) == pd.Timestamp(right)
    return str(left).strip() == str(right).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and np.isnan(value))


def _not_a_review_workbook(name: str, why: str) -> InputProblem:
    return InputProblem(
        f"The decisions file '{name}' is not a review workbook from the kit ({why}). Give the review.xlsx "
        "that a run of deduplicate-contacts wrote, filled in, with -p decisions PATH; or leave decisions "
        "blank to make a new review workbook."
    )


def read_review_workbook(path) -> ReviewWorkbook:
    """Read a filled-in review workbook without changing it.

    Args:
        path: The review.xlsx the charity filled in.

    Returns:
        A :class:`ReviewWorkbook`.

    Raises:
        InputProblem: The file is missing, not a workbook, or not a review workbook from the kit
            (no :data:`KIT_SHEET`, or a record row the kit did not write).

    Example:
        ``read_review_workbook("review.xlsx").groups[0].answers`` maps each input row of the
        first group to "Yes", "No" or "" (``tests/test_decisions.py``).
    """
    from openpyxl import load_workbook

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputProblem(f"The decisions file '{path}' was not found. Give the path of the filled-in "
                           "review.xlsx with -p decisions PATH.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise _not_a_review_workbook(name, f"it could not be read as an Excel workbook: {type(error).__name__}") \
            from None
    try:
        if KIT_SHEET not in workbook.sheetnames:
            raise _not_a_review_workbook(name, f"it has no sheet '{KIT_SHEET}'")
        about, records, suggestions = _read_kit_sheet(workbook[KIT_SHEET], name)
        groups: dict[int, ReviewedGroup] = {}
        for number, table in records.groupby("Group", sort=False):
            groups[int(number)] = ReviewedGroup(int(number), REVIEW_SHEET, [int(r) for r in table["Row"]],
                                                suggested=suggestions.get(int(number), {}))
        unclear: list[str] = []
        for sheet_name in (REVIEW_SHEET, DECIDED_SHEET):
            if sheet_name in workbook.sheetnames:
                _read_group_sheet(workbook[sheet_name], sheet_name, name, records, groups, unclear)
    finally:
        workbook.close()
    return ReviewWorkbook(name, about, records, list(groups.values()), unclear)


def _read_kit_sheet(sheet, name: str) -> tuple[dict, pd.DataFrame, dict[int, dict]]:
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if not rows or not rows[0] or rows[0][0] != WORKBOOK_MARK:
        raise _not_a_review_workbook(name, f"its sheet '{KIT_SHEET}' was changed")
    about, position = {}, 1
    while position < len(rows) and rows[position] and rows[position][0] != "Group":
        about[str(rows[position][0])] = rows[position][1] if len(rows[position]) > 1 else None
        position += 1
    position += 1
    records = []
    while position < len(rows) and rows[position] and rows[position][0] != "Suggested":
        group, row, record_id, fingerprint = (list(rows[position]) + [None] * 4)[:4]
        try:
            records.append((int(group), int(row), "" if record_id is None else str(record_id), str(fingerprint)))
        except (TypeError, ValueError):
            raise _not_a_review_workbook(name, f"its sheet '{KIT_SHEET}' was changed") from None
        position += 1
    suggestions: dict[int, dict] = {}
    if position < len(rows):
        header = [str(c) if c is not None else "" for c in rows[position][1:]]
        for values in rows[position + 1:]:
            if not values or values[0] != "Suggested":
                continue
            group = values[1]
            suggestions[int(group)] = dict(zip(header[1:], list(values[2:]) + [None] * len(header)))
    table = pd.DataFrame(records, columns=["Group", "Row", "Id", "Fingerprint"])
    return about, table, suggestions


def _read_group_sheet(sheet, sheet_name: str, name: str, records: pd.DataFrame,
                      groups: dict[int, ReviewedGroup], unclear: list[str]) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    header = [str(c) if c is not None else "" for c in header]
    if SAME_PERSON not in header or "Row" not in header:
        raise _not_a_review_workbook(name, f"the sheet '{sheet_name}' has no '{SAME_PERSON}' or 'Row' column; "
                                           "put back the header row")
    answer_at, row_at = header.index(SAME_PERSON), header.index("Row")
    data_columns = header[row_at + 1:]
    group_of_row = dict(zip(records["Row"].tolist(), records["Group"].tolist()))
    for line, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(header) - len(values))
        first = values[0]
        found = _MERGED_PATTERN.match(first) if isinstance(first, str) else None
        if found:
            group = groups.get(int(found.group(1)))
            if group is not None:
                group.shown = dict(zip(data_columns, values[row_at + 1:]))
                group.sheet = sheet_name
            continue
        row_value = values[row_at]
        if row_value is None or (isinstance(first, str) and first.startswith(("Group ", "Decided earlier"))):
            continue  # a band over a group, or an empty line
        try:
            row = int(row_value)
        except (TypeError, ValueError):
            row = None
        if row is None or row not in group_of_row:
            raise InputProblem(
                f"Line {line} of the sheet '{sheet_name}' in '{name}' has '{row_value}' in the column 'Row', "
                "which is not a record the kit listed there. Put back the row number the kit wrote (or "
                "delete that line), then run again."
            )
        answer = read_answer(values[answer_at])
        if answer == "?":
            unclear.append(f"'{sheet_name}' line {line}")
        group = groups[group_of_row[row]]
        group.answers[row] = answer
        group.sheet = sheet_name


# --------------------------------------------------------------------------- checking it belongs to this list


@dataclass
class Belonging:
    """How a review workbook matches the list it is applied to."""

    same_file: bool
    changed_groups: set[int]  # groups with a record whose details changed since the review
    row_of: dict[int, int]  # the workbook's row number -> the row in this list


def check_workbook_fits(review: ReviewWorkbook, frame: pd.DataFrame, ids: pd.Series, id_column: str | None,
                        input_sha256: str) -> Belonging:
    """Check a review workbook was made from this list (or an earlier version of it).

    The same file (SHA-256) always fits. Another version of the list fits when every record the
    workbook lists is still there under its id; a group with a record whose details changed
    since the review is set aside (listed for review again). A workbook whose ids are missing from
    this list, or most of whose records differ, belongs to another list and is refused.

    Raises:
        InputProblem: Names what does not match and what to do.
    """
    made_from = review.about.get("input_file") or "another file"
    same_file = str(review.about.get("input_sha256") or "") == input_sha256
    workbook_ids = str(review.about.get("id_column") or "")
    if workbook_ids != (id_column or ""):
        said = f"the ids in '{workbook_ids}'" if workbook_ids else "row numbers as ids"
        now = f"the ids in '{id_column}'" if id_column else "row numbers as ids"
        if not same_file:
            raise InputProblem(
                f"The decisions file '{review.name}' does not belong to this list: it was made from '{made_from}', "
                f"another file (its fingerprint differs from this one's), with {said}, and this list is read with "
                f"{now}. Give the review.xlsx made from this list, or leave decisions blank to make a new "
                "review workbook."
            )
        raise InputProblem(
            f"The decisions file '{review.name}' was made from '{made_from}' with {said}, but this run uses "
            f"{now}, so its records cannot be found in this list. Run with the same id_column as when the "
            "review workbook was made, or leave decisions blank to make a new review workbook."
        )
    records = review.records
    if id_column:
        # each id where it is used once; an id repeated by exact copies of a row: the row it was on
        unique = ids[~ids.duplicated(keep=False)]
        row_of_id = dict(zip(unique.to_numpy(), unique.index))
        found = pd.Series([row_of_id.get(record_id, row if row in ids.index and ids.at[row] == record_id else None)
                           for record_id, row in zip(records["Id"], records["Row"])], index=records.index, dtype=object)
    else:
        found = records["Row"].where(records["Row"].isin(frame.index)).astype(object)
    missing = records[found.isna()]
    if len(missing):
        shown = ", ".join(repr(v) for v in (missing["Id"] if id_column else missing["Row"]).head(5))
        more = f" and {len(missing) - 5:,} more" if len(missing) > 5 else ""
        kind = f"ids in '{id_column}':" if id_column else "row numbers"
        raise InputProblem(
            f"The decisions file '{review.name}' does not belong to this list: it was made from '{made_from}', and "
            f"{len(missing):,} of the {len(records):,} records it lists are not in this list ({kind} {shown}{more}). "
            "Give the review.xlsx made from this list, or leave decisions blank to make a new review workbook."
        )
    rows = found.astype(int)
    now = record_fingerprints(frame.loc[rows.unique()])
    changed = records["Fingerprint"].to_numpy() != now.reindex(rows).to_numpy()
    if changed.any() and (same_file is False) and changed.mean() > 0.5:
        raise InputProblem(
            f"The decisions file '{review.name}' does not belong to this list: it was made from '{made_from}', and "
            f"{int(changed.sum()):,} of the {len(records):,} records it lists have different details here. "
            "Give the review.xlsx made from this list, or leave decisions blank to make a new review workbook."
        )
    return Belonging(same_file, set(records.loc[changed, "Group"].astype(int)),
                     dict(zip(records["Row"].astype(int), rows)))


# --------------------------------------------------------------------------- applying


@dataclass
class AppliedDecisions:
    """The outcome of applying a review workbook (see :func:`apply_decisions`).

    Attributes:
        merged: The final list: one row per person, the input's columns in its order, then
            the column :attr:`absorbed_column` (the ids merged into that row).
        log: One row per merge: ``kept_id``, ``absorbed_ids``, ``review_groups``, ``decision``,
            ``fields_from`` (which record each field came from, or the reviewer).
        decided_groups: The workbook's groups that were applied.
        covered_rows: Input rows that belong to an applied group (not listed for review again).
        figures: Counts for summary.json.
    """

    merged: pd.DataFrame
    log: pd.DataFrame
    decided_groups: list[ReviewedGroup]
    covered_rows: set
    figures: dict
    absorbed_column: str
    row_of: dict = field(default_factory=dict)  # the workbook's row number -> the row in this list
    #: Workbook group -> (the kit's merged values, the values used): its next "Merged record" row.
    merged_values: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _components(rows: list, links: list[list]) -> dict:
    """Row -> the smallest row joined to it by the links (a union-find over Yes answers)."""
    parent = {row: row for row in rows}

    def root(row):
        while parent[row] != row:
            parent[row] = parent[parent[row]]
            row = parent[row]
        return row

    for linked in links:
        for other in linked[1:]:
            a, b = root(linked[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {row: root(row) for row in rows}


def apply_decisions(frame: pd.DataFrame, ids: pd.Series, columns: ContactColumns, review: ReviewWorkbook,
                    belonging: Belonging, recency_column: str | None = None) -> AppliedDecisions:
    """Merge the records the reviewer said Yes to; keep apart the rest.

    Args:
        frame: The contact list (index: row numbers).
        ids: Each record's id (:func:`helpers.contacts.columns.record_ids`).
        columns: The columns found.
        review: From :func:`read_review_workbook`.
        belonging: From :func:`check_workbook_fits`.
        recency_column: Which column says when a record was added or updated.

    Returns:
        An :class:`AppliedDecisions`.

    Raises:
        InputProblem: A "Merged record" row names an id that is not one of its Yes records.

    Example:
        ``apply_decisions(...).merged`` has one row per person; ``tests/test_decisions.py``
        fills a workbook as a charity would and checks it row by row.
    """
    from helpers.contacts.review import master_records, recency_order

    decided = [g for g in review.groups if g.decided and g.number not in belonging.changed_groups]
    set_aside = [g for g in review.groups if g.decided and g.number in belonging.changed_groups]
    row_of = belonging.row_of

    def here(rows):
        return [row_of[r] for r in rows if r in row_of]

    merging = [here(g.yes_rows) for g in decided if len(here(g.yes_rows)) >= 2]
    in_merges = sorted({row for rows in merging for row in rows})
    component = _components(in_merges, merging)
    labels = pd.Series(component, dtype="int64") if component else pd.Series(dtype="int64")
    absorbed_column = "Absorbed ids" if columns.id_column else "Absorbed rows"
    while absorbed_column in frame.columns:
        absorbed_column += " (kit)"
    merged_rows: dict = {}  # kept row -> (record, absorbed ids)
    merged_values: dict = {}
    log = []
    absorbed_rows: set = set()
    if len(labels):
        subset = frame.loc[labels.index]
        clusters = pd.DataFrame({"id": ids.loc[labels.index].to_numpy(), "cluster_id": labels.to_numpy(),
                                 "cluster_size": labels.map(labels.value_counts()).to_numpy()}, index=labels.index)
        masters, _ = master_records(subset, clusters, columns, recency_column)
        newest_first = recency_order(subset, recency_column).sort_values(ascending=False, kind="stable").index
        # each component's records, newest first, and the workbook groups behind it: looked up once
        members_of: dict = {}
        for row in newest_first:
            members_of.setdefault(component[row], []).append(row)
        groups_of_component: dict = {}
        for group in decided:
            yes_here = here(group.yes_rows)
            if len(yes_here) >= 2:
                groups_of_component.setdefault(component[yes_here[0]], []).append(group)
        for position, label in enumerate(sorted(labels.unique())):
            members = members_of[label]
            record = masters.iloc[position]
            kept_id = str(record["Master ID"])
            sources = {}
            for column in frame.columns:
                value = record[column]
                if _blank(value):
                    continue
                source = next((m for m in members if _same_value(frame.at[m, column], value)), None)
                sources[column] = str(ids.at[source]) if source is not None else ""
            values = {column: record[column] for column in frame.columns}
            kit_values = dict(values)
            their_groups = groups_of_component.get(label, [])
            for group in their_groups:
                for column, value in group.edits.items():
                    if column not in values:
                        continue
                    if column == columns.id_column:
                        member_ids = {str(ids.at[m]): m for m in members}
                        if str(value).strip() not in member_ids:
                            raise InputProblem(
                                f"In '{review.name}', the merged record of group {group.number} has the id "
                                f"'{value}' in '{column}', which is not one of the ids of the records marked Yes "
                                f"({', '.join(sorted(member_ids))}). Choose one of those ids (it is the one "
                                "kept), or put back the kit's choice, then run again."
                            )
                        kept_id = str(value).strip()
                        values[column] = frame.at[member_ids[kept_id], column]
                        sources[column] = kept_id
                        continue
                    values[column] = value
                    sources[column] = f"the reviewer (group {group.number})"
            for group in their_groups:
                merged_values[group.number] = (kit_values, values)
            kept_row = next(m for m in members if str(ids.at[m]) == kept_id)
            others = sorted(m for m in members if m != kept_row)
            absorbed = [str(ids.at[m]) for m in others]
            absorbed_rows.update(others)
            merged_rows[kept_row] = (values, absorbed)
            kept_apart = [str(ids.at[row_of[r]]) for g in their_groups for r in g.rows
                          if r in row_of and g.answers.get(r) != "Yes"]
            decision = "Yes" + (f"; kept apart: {', '.join(kept_apart)}" if kept_apart else "")
            log.append({
                "kept_id": kept_id,
                "absorbed_ids": "; ".join(absorbed),
                "review_groups": ", ".join(str(g.number) for g in their_groups),
                "decision": decision,
                "fields_from": "; ".join(f"{column}: {source}" for column, source in sources.items()),
            })

    output = []
    for row in frame.index:
        if row in absorbed_rows:
            continue
        if row in merged_rows:
            values, absorbed = merged_rows[row]
            output.append({**values, absorbed_column: ", ".join(absorbed)})
        else:
            output.append({**frame.loc[row].to_dict(), absorbed_column: ""})
    merged = pd.DataFrame(output, columns=[*frame.columns, absorbed_column])

    covered = set()
    for group in decided:
        covered.update(here(group.rows))
    log_table = pd.DataFrame(log, columns=["kept_id", "absorbed_ids", "review_groups", "decision", "fields_from"])
    undecided_in_workbook = [g for g in review.groups if not g.decided]
    figures = {
        "decisions_applied": len(decided),
        "decisions_set_aside": len(set_aside),
        "workbook_groups_undecided": len(undecided_in_workbook),
        "records_merged": len(absorbed_rows),
        "merged_records": len(merged_rows),
        "records_kept_apart": int(sum(len(here(g.no_rows)) for g in decided)),
        "records_after": len(merged),
        "answers_unclear": len(review.unclear),
        "decisions_file": review.name,
        "decisions_made_from": review.about.get("input_file"),
        "decisions_same_file": belonging.same_file,
        "edited_values": int(sum(len(g.edits) for g in decided)),
    }
    notes = []
    if review.unclear:
        notes.append(f"{len(review.unclear):,} answers in '{review.name}' were neither Yes nor No "
                     f"({', '.join(review.unclear[:5])}{' and more' if len(review.unclear) > 5 else ''}); "
                     "those records were left as they are.")
    return AppliedDecisions(merged, log_table, decided, covered, figures, absorbed_column, row_of, merged_values, notes)


def load_decisions(path: str | None, frame: pd.DataFrame, columns: ContactColumns, input_file):
    """Read a filled-in review workbook and check it belongs to this list, before any linking.

    Args:
        path: The ``decisions`` parameter: a review.xlsx path, or blank for none.
        frame: The contact list.
        columns: The columns found (its id column names the records).
        input_file: The charity's file (its SHA-256 is compared with the workbook's).

    Returns:
        ``(review, belonging)``, or ``None`` when ``path`` is blank.

    Raises:
        InputProblem: The workbook is missing, not a review workbook, or belongs to another list.

    Example:
        >>> load_decisions("", pd.DataFrame(), ContactColumns({}), None) is None
        True
    """
    from helpers.contacts.columns import record_ids
    from helpers.spine.bundle import file_sha256

    if path is None or not str(path).strip():
        return None
    review = read_review_workbook(Path(str(path).strip()).expanduser())
    ids = record_ids(frame, columns.id_column)
    return review, check_workbook_fits(review, frame, ids, columns.id_column, file_sha256(Path(input_file)))
