"""The files the charity works from: suggested master records, the review
workbook (review.xlsx), the merged list (deduplicated.xlsx) and clusters.csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.contacts.columns import ContactColumns
from helpers.contacts.model import LinkageResult

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
SAME_PERSON = "Same person?"


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
        >>> review = review_table(frame, link_contacts(frame, columns))  # doctest: +SKIP
        >>> review.groupby("Group")["Least sure link"].first().is_monotonic_increasing  # doctest: +SKIP
        True
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


def columns_in_order(columns: ContactColumns, frame: pd.DataFrame) -> list[str]:
    """The file's columns with the id and compared ones first.

    Example:
        >>> columns_in_order(ContactColumns({"email": "E"}, "ID"), pd.DataFrame(columns=["X", "E", "ID"]))
        ['ID', 'E', 'X']
    """
    first = ([columns.id_column] if columns.id_column else []) + list(columns.roles.values()) + columns.extra_columns
    return first + [c for c in frame.columns if c not in first]


def write_review_workbook(path, review: pd.DataFrame) -> Path:
    """Write ``review.xlsx``: one block per group, differing fields highlighted.

    Each block has a band saying how sure the model is, then its records one
    per row. The "Same person?" column has a Yes/No drop-down for the charity's
    decision. A second sheet explains how to use it.

    Args:
        path: Where to write.
        review: From :func:`review_table`.

    Returns:
        The path written.

    Example:
        >>> write_review_workbook(folder / "review.xlsx", review_table(frame, result)).name  # doctest: +SKIP
        'review.xlsx'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from helpers.writing.workbooks import HEADER_FILL, HEADER_FONT, excel_value

    differs = review.attrs.get("differs")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Review"
    headers = [c for c in review.columns if c != "Group"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    band_fill = PatternFill("solid", fgColor="F2F2F2")
    differ_fill = PatternFill("solid", fgColor="FFE699")
    top = Border(top=Side(style="thin", color="808080"))
    choice = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                            promptTitle=SAME_PERSON, prompt="Yes: merge this record into its group. No: keep it apart.")
    sheet.add_data_validation(choice)
    same_column = get_column_letter(headers.index(SAME_PERSON) + 1)
    data_columns = headers[headers.index("Row") + 1:]

    groups = review.groupby("Group", sort=False)
    total = review["Group"].nunique()
    for number, block in groups:
        sure = block["Least sure link"].iloc[0]
        sheet.append([f"Group {number} of {total}: {len(block)} records; the least sure link has a "
                      f"match probability of {sure:.0%}"])
        band = sheet.max_row
        for cell in sheet[band]:
            cell.font, cell.fill, cell.border = Font(bold=True), band_fill, top
        sheet.cell(band, 1).fill = band_fill
        for position in block.index:
            values = [excel_value(review.at[position, c]) for c in headers]
            sheet.append(values)
            row = sheet.max_row
            for offset, column in enumerate(data_columns):
                if differs is not None and bool(differs.at[position, column]):
                    sheet.cell(row, headers.index("Row") + 2 + offset).fill = differ_fill
        choice.add(f"{same_column}{band + 1}:{same_column}{sheet.max_row}")
    for position, header in enumerate(headers, start=1):
        values = review[header].astype(str).str.len() if len(review) else pd.Series([0])
        width = max(len(str(header)), int(values.quantile(0.9)) if len(values) else 0) + 2
        sheet.column_dimensions[get_column_letter(position)].width = max(9, min(width, 40))

    guide = workbook.create_sheet("How to use")
    for line in [
        ["How to use this sheet"],
        [""],
        ["Each grey band starts a group of records that the kit thinks are one person."],
        ["The groups the kit is least sure about come first: check those most carefully."],
        ["Yellow cells are fields where the records in a group disagree (after tidying: "
         "'07700 900123' and '+44 7700 900123' agree)."],
        ["Match probability is how likely the kit thinks it is that the record is the same "
         "person as another record in its group."],
        [f"In the '{SAME_PERSON}' column choose Yes to merge the record into its group, or No to keep it apart."],
        ["deduplicated.xlsx holds the suggested merged records; change it to match your decisions."],
    ]:
        guide.append(line)
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    path = Path(path)
    workbook.save(path)
    return path


def write_outputs(
    folder,
    frame: pd.DataFrame,
    result: LinkageResult,
    recency_column: str | None = None,
) -> dict[str, Path]:
    """Write ``clusters.csv``, ``review.xlsx`` and ``deduplicated.xlsx`` into ``folder``.

    Args:
        folder: The playbook's output folder.
        frame: The contact list.
        result: From :func:`link_contacts`.
        recency_column: A column saying when each record was added or updated.

    Returns:
        File name -> path written.

    Example:
        >>> sorted(write_outputs(folder, frame, result))  # doctest: +SKIP
        ['clusters.csv', 'deduplicated.xlsx', 'review.xlsx']
    """
    from helpers.writing.workbooks import write_frames

    folder = Path(folder)
    written = {}
    clusters_path = folder / "clusters.csv"
    result.clusters[["id", "cluster_id", "cluster_size"]].to_csv(clusters_path, index=False, lineterminator="\n")
    written["clusters.csv"] = clusters_path
    review = review_table(frame, result)
    written["review.xlsx"] = write_review_workbook(folder / "review.xlsx", review)
    masters, id_map = master_records(frame, result.clusters, result.columns, recency_column)
    order = ["Master ID", *columns_in_order(result.columns, frame), "Records merged"]
    written["deduplicated.xlsx"] = write_frames(
        folder / "deduplicated.xlsx",
        {"Master records": masters[order], "Old to master ids": id_map},
    )
    return written
