"""The files the charity works from: suggested master records, the review
workbook (review.xlsx), the merged list (deduplicated.xlsx) and clusters.csv.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.contacts.columns import ContactColumns
from helpers.contacts.decisions import DECIDED_SHEET, REVIEW_SHEET, SAME_PERSON
from helpers.contacts.model import LinkageResult
from helpers.contacts.words import probability_words

# --------------------------------------------------------------------------- master records

#: Roles that describe where someone lives: taken together from one record.
LOCATION_ROLES = ("address", "town", "postcode")


def recency_order(frame: pd.DataFrame, recency_column: str | None = None) -> pd.Series:
    """A number per record that is larger for newer records.

    Uses ``recency_column`` (such as "Date added" or "Last updated") where it
    has a date, and the row order otherwise: exports usually list older records first.

    Example:
        >>> recency_order(pd.DataFrame({"x": [1, 2, 3]})).tolist()
        [0.0, 1.0, 2.0]
    """
    position = pd.Series(np.arange(len(frame), dtype=float), index=frame.index)
    if recency_column is None:
        return position
    dates = frame[recency_column]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        from helpers.reading.parsing import parse_uk_dates

        dates, _failed = parse_uk_dates(dates)
    # dates first; the row position breaks ties and places undated records oldest
    seconds = dates.astype("datetime64[s]").astype("int64").astype(float)
    seconds = seconds.where(dates.notna(), -1e12)
    return seconds + position / (len(frame) + 1)


def master_records(
    frame: pd.DataFrame,
    clusters: pd.DataFrame,
    columns: ContactColumns,
    recency_column: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suggest one record per cluster: the most complete, most recent values.

    Each field takes the newest non-empty value among the cluster's records,
    except address, town and postcode, which come together from the newest
    record that has any of them (so an old postcode is never paired with a new
    address). The master keeps the id of the cluster's most complete record
    (ties: the newest).

    Args:
        frame: The contact list.
        clusters: ``LinkageResult.clusters``.
        columns: The columns in use.
        recency_column: A column saying when each record was added or updated.

    Returns:
        ``(masters, id_map)``: the master records (the file's columns plus
        "Master ID" and "Records merged"), and for every old id its master id
        ("Old ID", "Master ID", "Cluster").

    Example:
        >>> table = pd.DataFrame({"Name": ["Bob Smith", "Robert Smith", "Ann Lee"],
        ...                       "Email": ["bob@example.com", None, None],
        ...                       "Postcode": ["LS6 1AA", "M1 1AA", None]}, index=[2, 3, 4])
        >>> found = ContactColumns({"full_name": "Name", "email": "Email", "postcode": "Postcode"})
        >>> groups = pd.DataFrame({"id": ["2", "3", "4"], "cluster_id": [1, 1, 2],
        ...                        "cluster_size": [2, 2, 1]}, index=[2, 3, 4])
        >>> masters, id_map = master_records(table, groups, found)
        >>> masters[["Master ID", "Name", "Email", "Postcode", "Records merged"]].values.tolist()
        [['2', 'Robert Smith', 'bob@example.com', 'M1 1AA', 2], ['4', 'Ann Lee', None, None, 1]]
    """
    recency = recency_order(frame, recency_column)
    filled = frame.notna().sum(axis=1)
    work = frame.copy()
    work["__cluster"] = clusters["cluster_id"]
    work["__recency"] = recency
    work["__filled"] = filled
    work["__id"] = clusters["id"]
    newest_first = work.sort_values(["__cluster", "__recency"], ascending=[True, False], kind="stable")
    grouped = newest_first.groupby("__cluster", sort=True)

    merged = grouped[list(frame.columns)].first()  # newest non-empty value of each column
    location = [c for role, c in columns.roles.items() if role in LOCATION_ROLES]
    if location:
        has_location = newest_first[location].notna().any(axis=1)
        newest_located = newest_first[has_location].groupby("__cluster").head(1).set_index("__cluster")
        merged.loc[:, location] = None
        merged.loc[newest_located.index, location] = newest_located[location].to_numpy()

    most_complete = work.sort_values(["__cluster", "__filled", "__recency"], ascending=[True, False, False],
                                     kind="stable").groupby("__cluster").head(1)
    master_id = pd.Series(most_complete["__id"].to_numpy(), index=most_complete["__cluster"].to_numpy())
    if columns.id_column is not None:
        merged[columns.id_column] = frame.loc[most_complete.index, columns.id_column].to_numpy()
    masters = merged.reset_index(drop=True)
    masters.insert(0, "Master ID", master_id.to_numpy())
    masters["Records merged"] = grouped.size().to_numpy()
    masters = masters.astype(object).where(masters.notna(), None)
    masters["Records merged"] = masters["Records merged"].astype(int)

    id_map = pd.DataFrame({
        "Old ID": clusters["id"].to_numpy(),
        "Master ID": master_id.reindex(clusters["cluster_id"]).to_numpy(),
        "Cluster": clusters["cluster_id"].to_numpy(),
    })
    return masters, id_map


# --------------------------------------------------------------------------- review

#: Most groups put in review.xlsx (least sure first); the rest are in clusters.csv.
REVIEW_GROUP_LIMIT = 5000


def _comparable_text(frame: pd.DataFrame, prepared: pd.DataFrame, columns: ContactColumns) -> pd.DataFrame:
    """Each column as the model saw it (tidied), or as casefolded text for the others."""
    from helpers.contacts.tidy import LINKAGE_COLUMNS, normalise_text

    tidied_of = {column: LINKAGE_COLUMNS.get(role) for role, column in columns.roles.items()}
    tidied_of.update({column: f"extra_{n}" for n, column in enumerate(columns.extra_columns, start=1)})
    comparable = {}
    for column in frame.columns:
        source = tidied_of.get(column)
        if source in prepared.columns:
            comparable[column] = prepared[source]
        else:
            comparable[column] = normalise_text(frame[column])
    return pd.DataFrame(comparable, index=frame.index)


def review_table(frame: pd.DataFrame, result: LinkageResult, limit: int = REVIEW_GROUP_LIMIT) -> pd.DataFrame:
    """The records of each duplicate group, side by side, least sure group first.

    Args:
        frame: The contact list.
        result: From :func:`link_contacts`.
        limit: Most groups to include.

    Returns:
        One row per record in a group of two or more, with columns "Group",
        "Match probability" (this record's strongest link into its group),
        "Least sure link" (the group's weakest record), "Same person?" (blank,
        for the reviewer), "Row", then the file's columns (compared ones
        first). ``.attrs["differs"]`` is a same-shaped bool frame over the
        file's columns: True where the group's records disagree on that field
        after tidying (formatting differences do not count).

    Example:
        For a result with groups, ``review_table(frame, result).groupby("Group")["Least sure link"]``
        rises from group to group: the least sure group comes first (``tests/test_linkage.py``).
    """
    clusters = result.clusters
    in_groups = clusters[clusters["cluster_size"] >= 2]
    pairs = result.pairs[result.pairs["match_probability"] >= result.threshold]
    both_ways = pd.concat([
        pairs[["row_l", "match_probability"]].rename(columns={"row_l": "row"}),
        pairs[["row_r", "match_probability"]].rename(columns={"row_r": "row"}),
    ])
    best_link = both_ways.groupby("row")["match_probability"].max()
    record_link = best_link.reindex(in_groups.index)
    weakest = record_link.groupby(in_groups["cluster_id"]).min()
    order = weakest.sort_values(kind="stable").index[:limit]

    group_number = pd.Series(np.arange(1, len(order) + 1), index=order)
    chosen = in_groups[in_groups["cluster_id"].isin(order)]
    chosen = chosen.assign(group=group_number.reindex(chosen["cluster_id"]).to_numpy())
    chosen = chosen.sort_values(["group"], kind="stable")
    rows = chosen.index

    compared = list(columns_in_order(result.columns, frame))
    records = frame.loc[rows, compared]
    table = pd.DataFrame({
        "Group": chosen["group"].to_numpy(),
        "Match probability": record_link.reindex(rows).round(3).to_numpy(),
        "Least sure link": weakest.reindex(chosen["cluster_id"]).round(3).to_numpy(),
        SAME_PERSON: "",
        "Row": rows.to_numpy(),
    }, index=rows)
    table = pd.concat([table, records], axis=1).reset_index(drop=True)

    comparable = _comparable_text(frame, result.prepared, result.columns).loc[rows, compared]
    distinct = comparable.groupby(chosen["group"].to_numpy()).nunique()
    differs = (distinct > 1).reindex(chosen["group"].to_numpy()).reset_index(drop=True)
    table.attrs["differs"] = differs
    return table


def family_table(frame: pd.DataFrame, result: LinkageResult) -> pd.DataFrame:
    """The records kept apart as possible family members, for the charity to check.

    Args:
        frame: The contact list.
        result: From :func:`link_contacts`.

    Returns:
        "Possible family" (1, 2, ...), "Kept as group" (the record's group in
        clusters.csv), "Row", then the file's columns; empty when no group was split.

    Example:
        >>> from helpers.contacts.model import LinkageResult
        >>> table = pd.DataFrame({"Name": ["Jo Lee", "Jo Lee"], "DOB": ["01/01/1950", "02/02/1976"]}, index=[2, 3])
        >>> groups = pd.DataFrame({"id": ["2", "3"], "cluster_id": [1, 2], "cluster_size": [1, 1]}, index=[2, 3])
        >>> split = LinkageResult(groups, pd.DataFrame(), pd.DataFrame(), 0.01, 0.9, pd.DataFrame(), 1,
        ...     ContactColumns({"full_name": "Name", "date_of_birth": "DOB"}), pd.DataFrame(), [],
        ...     families=pd.DataFrame({"row": [2, 3], "family": [1, 1]}))
        >>> family_table(table, split)[["Possible family", "Kept as group", "Row", "Name"]].values.tolist()
        [[1, 1, 2, 'Jo Lee'], [1, 2, 3, 'Jo Lee']]
    """
    families = result.families
    if families is None or not len(families):
        return pd.DataFrame()
    rows = pd.Index(families["row"].to_numpy())
    table = pd.DataFrame({
        "Possible family": families["family"].to_numpy(),
        "Kept as group": result.clusters.loc[rows, "cluster_id"].to_numpy(),
        "Row": rows.to_numpy(),
    })
    records = frame.loc[rows, columns_in_order(result.columns, frame)].reset_index(drop=True)
    return pd.concat([table, records], axis=1).sort_values(["Possible family", "Row"], kind="stable") \
        .reset_index(drop=True)


def clerical_table(frame: pd.DataFrame, result: LinkageResult) -> pd.DataFrame:
    """Records that could belong to either of two people, with those people's records beside them.

    A record with a blank date of birth that links to a parent and to a child of the same
    name could be either; the kit merges it into neither and a person decides here.

    Returns:
        "To check" (1, 2, ...), "Decide" ("this record" for the record to place, "could be"
        for the records it could belong to), "Kept as group", "Row", then the file's
        columns; empty when there is nothing to check by hand.

    Example:
        >>> from helpers.contacts.model import LinkageResult
        >>> table = pd.DataFrame({"Name": ["Jo Lee"] * 3, "DOB": ["01/01/1950", None, "02/02/1976"]}, index=[2, 3, 4])
        >>> groups = pd.DataFrame({"id": ["2", "3", "4"], "cluster_id": [1, 2, 3], "cluster_size": [1, 1, 1]}, index=[2, 3, 4])
        >>> split = LinkageResult(groups, pd.DataFrame(), pd.DataFrame(), 0.01, 0.9, pd.DataFrame(), 1,
        ...     ContactColumns({"full_name": "Name", "date_of_birth": "DOB"}), pd.DataFrame(), [],
        ...     families=pd.DataFrame({"row": [2, 3, 4], "family": [1, 1, 1]}),
        ...     clerical=pd.DataFrame({"row": [3], "family": [1]}))
        >>> clerical_table(table, split)[["To check", "Decide", "Row"]].values.tolist()
        [[1, 'this record', 3], [1, 'could be', 2], [1, 'could be', 4]]
    """
    clerical = result.clerical
    if clerical is None or not len(clerical):
        return pd.DataFrame()
    blocks = []
    for number, (family, records) in enumerate(clerical.groupby("family", sort=True), start=1):
        to_place = records["row"].tolist()
        others = [r for r in result.families.loc[result.families["family"] == family, "row"] if r not in to_place]
        rows = to_place + others
        blocks.append(pd.DataFrame({
            "To check": number,
            "Decide": ["this record"] * len(to_place) + ["could be"] * len(others),
            "Kept as group": result.clusters.loc[rows, "cluster_id"].to_numpy(),
            "Row": rows,
        }))
    table = pd.concat(blocks, ignore_index=True)
    records = frame.loc[table["Row"], columns_in_order(result.columns, frame)].reset_index(drop=True)
    return pd.concat([table, records], axis=1)


def columns_in_order(columns: ContactColumns, frame: pd.DataFrame) -> list[str]:
    """The file's columns with the id and compared ones first.

    Example:
        >>> columns_in_order(ContactColumns({"email": "E"}, "ID"), pd.DataFrame(columns=["X", "E", "ID"]))
        ['ID', 'E', 'X']
    """
    first = ([columns.id_column] if columns.id_column else []) + list(columns.roles.values()) + columns.extra_columns
    return first + [c for c in frame.columns if c not in first]


def _cell_values(column: pd.Series) -> list:
    """A column as plain Python values for a write-only sheet (blanks as None), in one pass."""
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = column.dt.tz_localize(None) if getattr(column.dt, "tz", None) is not None else column
        return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        values = column.astype(object).where(column.notna(), None).tolist()
        return [None if isinstance(v, float) and not np.isfinite(v) else v for v in values]
    from helpers.writing.workbooks import excel_value

    return [excel_value(v) for v in column.tolist()]


def write_review_workbook(path, review: pd.DataFrame, families: pd.DataFrame | None = None,
                          clerical: pd.DataFrame | None = None, merged: pd.DataFrame | None = None,
                          decided: pd.DataFrame | None = None, kit: dict | None = None) -> Path:
    """Write ``review.xlsx``: one block per group, differing fields highlighted.

    Each block has a band saying how sure the model is, then its records one
    per row. The "Same person?" column has a Yes/No drop-down for the charity's
    decision. A second sheet explains how to use it. Written in openpyxl's
    write-only mode from whole columns, so 100,000 rows take seconds. Text that
    a spreadsheet would run as a formula (``=1+1``, ``@SUM(1,1)``) is stored as
    text, headers included.

    Args:
        path: Where to write.
        review: From :func:`review_table`.
        families: Records kept apart because their dates of birth differ
            strongly (:func:`family_table`), listed on a sheet "Possible family
            members"; ``None`` or empty for no such sheet.
        clerical: Records that could be either of two people (:func:`clerical_table`),
            on a sheet "Check by hand"; ``None`` or empty for no such sheet.
        merged: The "Merged record" row under each group: "Group" then the values of the
            file's columns (what the merged record would hold; the reviewer may change them).
        decided: Groups decided in an earlier round, shaped as ``review`` with their answers in
            "Same person?", for the sheet "Decided earlier" (their merged rows are in ``merged``).
        kit: For the hidden sheet that lets a later run apply the workbook
            (:func:`helpers.contacts.decisions.write_kit_sheet`): ``about``, ``records`` and
            ``suggestions``.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> review = pd.DataFrame({"Group": [1, 1], "Match probability": [0.97, 0.95],
        ...     "Least sure link": [0.95, 0.95], "Same person?": ["", ""], "Row": [2, 3],
        ...     "Name": ["Ann Lee", "=1+1"]})
        >>> path = write_review_workbook(Path(tempfile.mkdtemp()) / "review.xlsx", review)
        >>> from openpyxl import load_workbook
        >>> cell = load_workbook(path)["Review"]["E4"]
        >>> cell.value, cell.data_type
        ('=1+1', 's')
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _write_group_sheet(workbook, REVIEW_SHEET, review, merged)
    if decided is not None and len(decided):
        _write_group_sheet(workbook, DECIDED_SHEET, decided, merged, decided=True)
    if families is not None and len(families):
        _write_listing_sheet(workbook, "Possible family members", families, FAMILIES_NOTE)
    if clerical is not None and len(clerical):
        _write_listing_sheet(workbook, CLERICAL_SHEET, clerical, CLERICAL_NOTE)
    _write_guide(workbook)
    if kit is not None:
        from helpers.contacts.decisions import write_kit_sheet

        write_kit_sheet(workbook, kit["about"], kit["records"], kit["suggestions"])
    path = Path(path)
    workbook.save(path)
    return path


def _write_group_sheet(workbook, title: str, review: pd.DataFrame, merged: pd.DataFrame | None,
                       decided: bool = False) -> None:
    """One sheet of groups: a band per group, its records, then its "Merged record" row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from helpers.contacts.decisions import merged_row_label
    from helpers.writing.workbooks import DATE_FORMAT, HEADER_FILL, HEADER_FONT, looks_like_formula, text_cell

    sheet = workbook.create_sheet(title)
    headers = [c for c in review.columns if c != "Group"]
    for position, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _review_width(header, review[header])
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = text_cell(sheet, str(header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)

    band_fill = PatternFill("solid", fgColor="F2F2F2")
    differ_fill = PatternFill("solid", fgColor="FFE699")
    band_font = Font(bold=True)
    top = Border(top=Side(style="thin", color="808080"))
    choice = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                            promptTitle=SAME_PERSON, prompt="Yes: merge this record into its group. No: keep it apart.")
    sheet.data_validations.append(choice)
    same_column = get_column_letter(headers.index(SAME_PERSON) + 1)
    first_data = headers.index("Row") + 1

    values = [_cell_values(review[header]) for header in headers]
    differs = review.attrs.get("differs")
    marked = np.zeros((len(review), len(headers)), dtype=bool)
    if differs is not None and len(review):
        marked[:, first_data:] = differs[headers[first_data:]].to_numpy(dtype=bool)
    groups = review["Group"].to_numpy()
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(review) else np.array([], int)
    ends = np.r_[starts[1:], len(review)]
    least_sure = review["Least sure link"].to_numpy()
    total = len(starts)
    # Styles are set once on a template and copied: setting a style on each cell hashes it again.
    band_style = WriteOnlyCell(sheet)
    band_style.font, band_style.fill, band_style.border = band_font, band_fill, top
    differ_style = WriteOnlyCell(sheet)
    differ_style.fill = differ_fill

    def styled(value, template) -> WriteOnlyCell:
        cell = text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value)
        cell._style = copy(template._style)
        if isinstance(value, (dt.date, dt.datetime)):
            cell.number_format = DATE_FORMAT  # the copied style would show a date as a bare number
        return cell

    merged_style = WriteOnlyCell(sheet)
    merged_style.font, merged_style.fill = Font(italic=True), PatternFill("solid", fgColor="E2EFDA")
    data_headers = headers[first_data:]
    merged_of = {}
    if merged is not None and len(merged):
        merged_values = [_cell_values(merged[h]) if h in merged else [None] * len(merged) for h in data_headers]
        merged_of = {int(group): [column[n] for column in merged_values]
                     for n, group in enumerate(merged["Group"].tolist())}

    line = 1
    for start, end in zip(starts.tolist(), ends.tolist()):
        group = int(groups[start])
        if decided:
            title = f"Decided earlier: group {group}, {end - start} records (change an answer to change the decision)"
        else:
            title = (f"Group {group} of {total}: {end - start} records; the least sure link has a match "
                     f"probability of {probability_words(least_sure[start])}")
        sheet.append([styled(title, band_style)] + [styled(None, band_style) for _ in headers[1:]])
        line += 1
        for position in range(start, end):
            row = []
            for column, column_values in enumerate(values):
                value = column_values[position]
                if marked[position, column]:
                    value = styled(value, differ_style)
                elif looks_like_formula(value):
                    value = text_cell(sheet, value)
                row.append(value)
            sheet.append(row)
            line += 1
        # The drop-down only on record lines: the band and the merged record take no answer.
        choice.add(f"{same_column}{line - (end - start) + 1}:{same_column}{line}")
        if group in merged_of:
            # What the merged record would hold: the reviewer may change any value here.
            cells = [styled(merged_row_label(group), merged_style)] + [styled(None, merged_style)
                                                                     for _ in headers[1:first_data]]
            cells += [styled(value, merged_style) for value in merged_of[group]]
            sheet.append(cells)
            line += 1



def _review_width(header: str, values: pd.Series) -> float:
    lengths = values.dropna().astype(str).str.len() if values.notna().any() else pd.Series([0])
    return float(max(9, min(max(len(str(header)), int(lengths.quantile(0.9))) + 2, 40)))


#: The sheet of review.xlsx for records that could be either of two people.
CLERICAL_SHEET = "Check by hand"
FAMILIES_NOTE = ("These records share contact details, but their dates of birth are years apart or their first "
                 "names have nothing in common, so the kit kept them apart: they may be family members (a parent "
                 "and a grown-up child, twins). Check them before merging anything.")
CLERICAL_NOTE = ("Each record marked 'this record' links to two people the kit kept apart (for example it has no "
                 "date of birth, and a parent and a child share its name). The kit merged it into neither. Decide "
                 "which of the 'could be' records it belongs to, if any.")


def _write_listing_sheet(workbook, title: str, families: pd.DataFrame, note: str) -> None:
    from openpyxl.utils import get_column_letter

    from helpers.writing.workbooks import HEADER_FILL, HEADER_FONT, looks_like_formula, text_cell

    sheet = workbook.create_sheet(title)
    for position, header in enumerate(families.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _review_width(header, families[header])
    sheet.freeze_panes = "A3"
    sheet.append([text_cell(sheet, note)])
    header_cells = []
    for header in families.columns:
        cell = text_cell(sheet, str(header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    columns = [_cell_values(families[c]) for c in families.columns]
    for row in zip(*columns):
        sheet.append([text_cell(sheet, v) if looks_like_formula(v) else v for v in row])


def _write_guide(workbook) -> None:
    from openpyxl.styles import Font

    from helpers.writing.workbooks import text_cell

    guide = workbook.create_sheet("How to use")
    guide.column_dimensions["A"].width = 110
    title = text_cell(guide, "How to use this sheet")
    title.font = Font(bold=True, size=13)
    guide.append([title])
    for line in [
        "",
        "Each grey band starts a group of records that the kit thinks are one person.",
        "The groups the kit is least sure about come first: check those most carefully.",
        "Yellow cells are fields where the records in a group disagree (after tidying: "
        "'07700 900123' and '+44 7700 900123' agree).",
        "Match probability is how likely the kit thinks it is that the record is the same "
        "person as another record in its group.",
        f"In the '{SAME_PERSON}' column choose Yes to merge the record into its group, or No to keep it apart. "
        "To merge only some records of a group, answer Yes for those and No for the others.",
        "Leave a whole group blank to decide later: the kit leaves its records as they are.",
        "The green 'Merged record' row under each group shows what the merged record will hold. To use another "
        "value (a newer address, the right spelling), type it over the value in that row. To keep another "
        "record's id, type that id there.",
        "When you are done, save this workbook and give it back to the kit: "
        "surgery run deduplicate-contacts --data YOUR-LIST -p decisions review.xlsx. The kit then writes "
        "merged.xlsx (one row per person) and merge_log.csv (every merge), and never changes your list.",
        f"The sheet '{DECIDED_SHEET}' (when there is one) holds the groups decided before; the kit applies "
        "them again each time you give it this workbook.",
        "Do not change the hidden sheet or the 'Row' column: they tell the kit which list this workbook "
        "belongs to.",
        "The sheet 'Possible family members' (when there is one) lists records the kit kept apart because "
        "their dates of birth are years apart or their first names have nothing in common.",
        f"The sheet '{CLERICAL_SHEET}' (when there is one) lists records that could belong to either of two "
        "people; the kit merged them into neither.",
    ]:
        guide.append([line])


def write_outputs(
    folder,
    frame: pd.DataFrame,
    result: LinkageResult,
    recency_column: str | None = None,
    input_file=None,
    applied=None,
) -> dict[str, Path]:
    """Write ``clusters.csv``, ``review.xlsx`` and ``deduplicated.xlsx`` into ``folder``; with
    decisions applied, also ``merged.xlsx`` and ``merge_log.csv``.

    Args:
        folder: The playbook's output folder.
        frame: The contact list.
        result: From :func:`link_contacts`.
        recency_column: A column saying when each record was added or updated.
        input_file: The charity's file: its name and SHA-256 go on review.xlsx's hidden sheet, so
            that a later run can tell whether a filled-in workbook belongs to the list it is given.
        applied: Decisions from a filled-in review workbook
            (:func:`helpers.contacts.decisions.apply_decisions`): the groups they cover leave the
            sheet "Review" for the sheet "Decided earlier".

    Returns:
        File name -> path written.

    Example:
        ``sorted(write_outputs(folder, frame, result))`` is
        ``['clusters.csv', 'deduplicated.xlsx', 'review.xlsx']`` (``tests/test_linkage.py``).
    """
    from helpers.contacts.decisions import record_fingerprints
    from helpers.writing.workbooks import write_csv, write_frames

    folder = Path(folder)
    written = {}
    written["clusters.csv"] = write_csv(result.clusters[["id", "cluster_id", "cluster_size"]],
                                        folder / "clusters.csv", lineterminator="\n")
    masters, id_map = master_records(frame, result.clusters, result.columns, recency_column)
    masters.index = sorted(result.clusters["cluster_id"].unique())
    shown_columns = columns_in_order(result.columns, frame)
    decided_groups = list(applied.decided_groups) if applied is not None else []
    review = undecided_groups(review_table(frame, result, REVIEW_GROUP_LIMIT + len(decided_groups)),
                              applied.covered_rows if applied is not None else set())
    first_rows = review.drop_duplicates("Group")
    merged = masters.loc[result.clusters.loc[first_rows["Row"], "cluster_id"].to_numpy(), shown_columns]
    merged.insert(0, "Group", first_rows["Group"].to_numpy())
    merged = merged.reset_index(drop=True)
    suggestions = merged
    decided, decided_merged, decided_suggested = _decided_tables(frame, shown_columns, decided_groups,
                                                                 applied, start=len(first_rows) + 1)
    if len(decided):
        merged = pd.concat([merged, decided_merged], ignore_index=True)
        suggestions = pd.concat([suggestions, decided_suggested], ignore_index=True)
    listed = pd.concat([review[["Group", "Row"]], decided[["Group", "Row"]]], ignore_index=True) \
        if len(decided) else review[["Group", "Row"]]
    records = listed.assign(Id=result.clusters.loc[listed["Row"], "id"].astype(str).to_numpy(),
                            Fingerprint=record_fingerprints(frame.loc[listed["Row"].unique()])
                            .reindex(listed["Row"]).to_numpy())
    kit = {"about": _about(frame, result, input_file), "records": records, "suggestions": suggestions}
    written["review.xlsx"] = write_review_workbook(folder / "review.xlsx", review, family_table(frame, result),
                                                   clerical_table(frame, result), merged=merged,
                                                   decided=decided, kit=kit)
    order = ["Master ID", *shown_columns, "Records merged"]
    written["deduplicated.xlsx"] = write_frames(
        folder / "deduplicated.xlsx",
        {"Master records": masters[order], "Old to master ids": id_map},
    )
    if applied is not None:
        in_groups = result.clusters[result.clusters["cluster_size"] >= 2]
        done = in_groups.index.isin(list(applied.covered_rows))
        still_open = pd.Series(~done, index=in_groups.index).groupby(in_groups["cluster_id"]).any()
        applied.figures["groups_undecided"] = int(still_open.sum())  # every such group, listed or beyond the limit
        written["merged.xlsx"] = write_frames(folder / "merged.xlsx", {"Merged list": applied.merged})
        written["merge_log.csv"] = write_csv(applied.log, folder / "merge_log.csv", lineterminator="\n")
    return written


def undecided_groups(review: pd.DataFrame, covered: set) -> pd.DataFrame:
    """The review table without the groups whose every record a reviewer already decided on, renumbered.

    Example:
        >>> review = pd.DataFrame({"Group": [1, 1, 2, 2], "Row": [2, 3, 4, 5]})
        >>> undecided_groups(review, {2, 3, 4})[["Group", "Row"]].values.tolist()
        [[1, 4], [1, 5]]
    """
    if not covered or not len(review):
        return review
    done = review["Row"].isin(covered).groupby(review["Group"]).transform("all")
    keep = ~done.to_numpy()
    differs = review.attrs.get("differs")
    kept = review[keep].reset_index(drop=True)
    kept["Group"] = pd.factorize(kept["Group"])[0] + 1
    if differs is not None:
        kept.attrs["differs"] = differs[keep].reset_index(drop=True)
    return kept


def _about(frame: pd.DataFrame, result: LinkageResult, input_file) -> dict:
    """The fingerprint of the list a review workbook is made from."""
    sha = ""
    if input_file is not None and Path(input_file).is_file():
        from helpers.spine.bundle import file_sha256

        sha = file_sha256(Path(input_file))
    return {"input_file": Path(input_file).name if input_file is not None else "", "input_sha256": sha,
            "records": len(frame), "id_column": result.columns.id_column or ""}


def _decided_tables(frame: pd.DataFrame, shown_columns: list, groups: list, applied, start: int):
    """The sheet "Decided earlier": each decided group's records with their answers, and its merged row
    as the reviewer left it (changed values kept) beside the kit's own suggestion."""
    empty = pd.DataFrame(columns=["Group", "Row"])
    if not groups:
        return empty, empty, empty
    blocks, shown, suggested = [], [], []
    for number, group in enumerate(groups, start=start):
        pairs = [(row, applied.row_of[row]) for row in group.rows if row in applied.row_of]
        rows_now = [now for _, now in pairs]
        blocks.append(pd.concat([pd.DataFrame({
            "Group": number, "Match probability": None, "Least sure link": None,
            SAME_PERSON: [group.answers.get(old, "") for old, _ in pairs], "Row": rows_now,
        }), frame.loc[rows_now, shown_columns].reset_index(drop=True)], axis=1))
        if group.number in applied.merged_values:  # merged now: the kit's values and those used
            kit_used, used = applied.merged_values[group.number]
            kit_values = {c: kit_used.get(c) for c in shown_columns}
            reviewer_values = {c: used.get(c) for c in shown_columns}
        else:  # nothing merged (all No): the row as it was
            kit_values = {c: group.suggested.get(c) for c in shown_columns}
            reviewer_values = ({c: group.shown.get(c, kit_values[c]) for c in shown_columns} if group.shown
                               else kit_values)
        shown.append({"Group": number, **reviewer_values})
        suggested.append({"Group": number, **kit_values})
    return (pd.concat(blocks, ignore_index=True), pd.DataFrame(shown, columns=["Group", *shown_columns]),
            pd.DataFrame(suggested, columns=["Group", *shown_columns]))
