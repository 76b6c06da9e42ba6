"""The files the charity works from after matching a new list against its CRM.

* ``matched.csv``: every record of the new list as it came, with its status (already in the
  CRM, check by hand, new), the CRM id it matches, the match probability, the details that
  differ, any consent difference (not applied) and a "do not contact" flag.
* ``new_contacts.xlsx``: the new people, in the CRM export's own column names and order, ready
  to import (the id left blank for the CRM to give), and a sheet listing any that say "do not contact".
* ``updates.xlsx``: people already in the CRM whose contact details differ, the CRM's value and
  the new list's side by side; consent differences in their own flagged columns, never applied.
* ``review.xlsx``: the uncertain pairs, the CRM record and the new record one under the other,
  with a "Same person?" column to fill in.

Every text cell is written as text, never a formula (:mod:`helpers.writing.bigsheets` writes inline
strings, fast enough for 100,000 rows; :func:`helpers.writing.workbooks.write_csv` defuses CSV fields). These
files hold personal data and are for the charity only (the playbook's ``personal_files``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.contacts.consent import CONSENT_WORDS
from helpers.contacts.linking import IN_CRM, NEW, TO_REVIEW, MatchResult, role_of_columns
from helpers.contacts.tidy import split_full_names
from helpers.reading.roles import fold_header
from helpers.writing.bigsheets import write_big_frames
from helpers.writing.workbooks import write_csv

DO_NOT_CONTACT_FLAG = "DO NOT CONTACT"
FLAG_COLUMN = "Do not contact (new list)"
CONSENT_FLAG_COLUMN = "Consent differs: not applied"
#: tidied detail -> the role that holds it
_ROLE_OF_DETAIL = {"email": "email", "phone": "phone", "postcode": "postcode", "address": "address", "town": "town"}


def _flag(result: MatchResult, rows) -> list[str]:
    return [DO_NOT_CONTACT_FLAG if flagged else "" for flagged in result.do_not_contact.loc[rows]]


def in_crm_layout(result: MatchResult, rows) -> pd.DataFrame:
    """New-list records laid out in the CRM export's columns, in its order.

    Each CRM column takes the new list's column that holds the same thing (the same role, such as
    email, or the same kind of consent), else the one with the same header; names are split or
    joined when one list has a full-name column and the other first and last names. The id column
    and columns the new list has nothing for are left blank.

    Example:
        ``list(in_crm_layout(result, rows).columns) == list(result.existing.columns)``
    """
    rows = list(rows)
    new = result.new.loc[rows]
    crm_holds = role_of_columns(result.existing_columns, result.existing_consent)
    new_by_role = {held: column for column, held in role_of_columns(result.new_columns, result.new_consent).items()
                   if held != "id"}
    new_by_header = {fold_header(str(c)): c for c in new.columns}
    split = None
    if "full_name" in new_by_role and not {"first_name", "last_name"} <= set(new_by_role):
        split = split_full_names(new[new_by_role["full_name"]])
    laid_out = {}
    for column in result.existing.columns:
        held = crm_holds.get(column)
        values = pd.Series(None, index=new.index, dtype=object)
        if held == "id":
            pass  # the CRM gives new people their ids
        elif held in new_by_role:
            values = new[new_by_role[held]]
        elif held in ("first_name", "last_name") and split is not None:
            values = split[held]
        elif held == "full_name" and {"first_name", "last_name"} <= set(new_by_role):
            first = new[new_by_role["first_name"]].fillna("").astype(str)
            last = new[new_by_role["last_name"]].fillna("").astype(str)
            values = (first + " " + last).str.strip().replace("", None)
        elif held is None and fold_header(str(column)) in new_by_header:
            values = new[new_by_header[fold_header(str(column))]]
        laid_out[column] = values.astype(object).where(values.notna(), None)
    return pd.DataFrame(laid_out, index=new.index)


def matched_table(result: MatchResult) -> pd.DataFrame:
    """``matched.csv``: every new record with its status, CRM id, probability and what differs."""
    table = result.new.copy()
    matches = result.matches
    table.insert(0, "Row on the new list", table.index)
    table["Status"] = matches["status"]
    table["CRM id"] = matches["crm_id"].where(matches["status"] != NEW, None)
    table["Match probability"] = matches["match_probability"].round(3).where(matches["match_probability"] > 0, None)
    table["Details that differ"] = result.changes["changed"].reindex(table.index).fillna("")
    table[CONSENT_FLAG_COLUMN] = result.consent_changes["changed"].reindex(table.index).fillna("")
    table[FLAG_COLUMN] = _flag(result, table.index)
    return table.reset_index(drop=True)


def new_contacts_table(result: MatchResult) -> pd.DataFrame:
    """``new_contacts.xlsx``'s first sheet: the new people, in the CRM export's columns and order."""
    rows = result.matches.index[result.matches["status"] == NEW]
    return in_crm_layout(result, rows).reset_index(drop=True)


def updates_table(result: MatchResult) -> pd.DataFrame:
    """``updates.xlsx``: people already in the CRM whose details or consent differ, old and new side by side.

    Also every matched record whose new-list entry says "do not contact", flagged.

    The contact details come in pairs of columns ("Email in the CRM", "Email on the new list");
    consent differences in pairs of their own and the column :data:`CONSENT_FLAG_COLUMN`, which
    says what differs and that it was not applied.
    """
    changed = result.changes.index[result.changes["changed"] != ""]
    # a matched record asking not to be contacted is listed even when nothing else differs
    flagged = result.matches.index[(result.matches["status"] == IN_CRM) & result.do_not_contact]
    wanted = {*changed, *result.consent_changes.index, *flagged}
    rows = [row for row in result.matches.index if row in wanted]
    matches = result.matches.loc[rows]
    crm = result.existing.loc[matches["crm_row"].to_numpy()].set_axis(rows)
    laid = in_crm_layout(result, rows)
    table = pd.DataFrame({"CRM id": matches["crm_id"], "Row on the new list": rows,
                          "Match probability": matches["match_probability"].round(3)}, index=rows)
    roles = result.existing_columns.roles
    for role in ("first_name", "last_name", "full_name"):
        if role in roles:
            table[roles[role]] = crm[roles[role]]
    table["What changed"] = result.changes["changed"].reindex(rows).fillna("")
    for detail, role in _ROLE_OF_DETAIL.items():
        if role in roles and role in result.new_columns.roles:
            column = roles[role]
            table[f"{column} in the CRM"] = crm[column]
            table[f"{column} on the new list"] = laid[column]
    for kind, consent_column in result.existing_consent.items():
        if kind in result.new_consent:
            table[f"{consent_column} in the CRM"] = crm[consent_column]
            table[f"{consent_column} on the new list"] = result.new.loc[rows, result.new_consent[kind]]
    table[CONSENT_FLAG_COLUMN] = result.consent_changes["changed"].reindex(rows).fillna("")
    table[FLAG_COLUMN] = _flag(result, rows)
    return table.reset_index(drop=True)


def review_table(result: MatchResult) -> pd.DataFrame:
    """``review.xlsx``: each uncertain pair, the CRM record above the new record, least certain first."""
    pending = result.matches[result.matches["status"] == TO_REVIEW].sort_values("match_probability", kind="stable")
    if pending.empty:
        columns = ["Pair", "From", "Match probability", "Same person?", *map(str, result.existing.columns), FLAG_COLUMN]
        return pd.DataFrame(columns=columns)
    crm = result.existing.loc[pending["crm_row"].to_numpy()].reset_index(drop=True)
    new = in_crm_layout(result, pending.index).reset_index(drop=True)
    crm_id = result.existing_columns.id_column
    if crm_id:
        new[crm_id] = None
    number = pd.Series(range(1, len(pending) + 1))
    top = crm.assign(**{"Pair": number, "From": "CRM", "Match probability": pending["match_probability"].round(3).to_numpy(),
                        "Same person?": "", FLAG_COLUMN: ""})
    bottom = new.assign(**{"Pair": number, "From": [f"New list, row {row}" for row in pending.index],
                           "Match probability": pending["match_probability"].round(3).to_numpy(), "Same person?": "",
                           FLAG_COLUMN: _flag(result, pending.index)})
    # the CRM record first, then the new record, pair by pair
    both = pd.concat([top.assign(_side=0), bottom.assign(_side=1)], ignore_index=True) \
        .sort_values(["Pair", "_side"], kind="stable").drop(columns="_side")
    lead = ["Pair", "From", "Match probability", "Same person?"]
    return both[lead + [c for c in both.columns if c not in lead and c != FLAG_COLUMN] + [FLAG_COLUMN]] \
        .reset_index(drop=True)


def write_match_files(folder: Path, result: MatchResult) -> dict[str, Path]:
    """Write matched.csv, new_contacts.xlsx, updates.xlsx and review.xlsx into ``folder``.

    Returns:
        File name -> path written.

    Example:
        ``write_match_files(folder, match_lists(signups, crm))["matched.csv"]`` is the matched list.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in ("matched.csv", "new_contacts.xlsx", "updates.xlsx", "review.xlsx")}
    write_csv(matched_table(result), paths["matched.csv"])
    new_people = new_contacts_table(result)
    flagged = result.do_not_contact.loc[result.matches.index[result.matches["status"] == NEW]].to_numpy()
    sheets = {"New contacts": new_people}
    if flagged.any():
        sheets["Do not contact"] = new_people[flagged].assign(**{FLAG_COLUMN: DO_NOT_CONTACT_FLAG})
    write_big_frames(paths["new_contacts.xlsx"], sheets)
    write_big_frames(paths["updates.xlsx"], {"Updates": updates_table(result), "Read me": _updates_note()})
    write_big_frames(paths["review.xlsx"], {"Check by hand": review_table(result)})
    return paths


def _updates_note() -> pd.DataFrame:
    lines = [
        "Each row is a person already in the CRM whose details on the new list differ.",
        "Columns ending 'in the CRM' hold the CRM export's value; 'on the new list' the new list's.",
        "Nothing here has been applied: change the CRM by hand, or import the columns you agree with.",
        f"'{CONSENT_FLAG_COLUMN}' lists consent answers that differ ("
        + ", ".join(CONSENT_WORDS.values()) + "). Check with the person before changing a consent record.",
        f"'{FLAG_COLUMN}' says {DO_NOT_CONTACT_FLAG} when the new list asks that the person is not contacted.",
    ]
    return pd.DataFrame({"About this workbook": lines})


__all__ = ["CONSENT_FLAG_COLUMN", "DO_NOT_CONTACT_FLAG", "FLAG_COLUMN", "in_crm_layout", "matched_table",
           "new_contacts_table", "review_table", "updates_table", "write_match_files"]
