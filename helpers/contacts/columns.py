"""Which columns of a contact list to compare, and each record's id.

The volunteer may name the columns (``email_column``...) or leave them blank;
blank ones are found from the header. A column with nothing in it is set aside
with a note, and a date column whose header reads like a name ("Last updated")
is passed over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from helpers.errors import InputProblem
from helpers.reading.roles import check_columns_exist, resolve_roles, split_column_list

#: Role parameters of the playbook, in the order the report lists them.
ROLE_PARAMETERS = (
    "id_column", "first_name_column", "last_name_column", "full_name_column", "email_column",
    "phone_column", "postcode_column", "address_column", "town_column", "date_of_birth_column",
)
#: Plain words for each role, for messages and the report.
ROLE_WORDS = {
    "first_name": "first name", "last_name": "last name", "full_name": "full name",
    "email": "email", "phone": "phone", "postcode": "postcode", "address": "address",
    "town": "town", "date_of_birth": "date of birth",
}
#: Plain words for each comparison the model can make.
COMPARISON_WORDS = {
    "name": "Name", "email": "Email", "phone": "Phone", "location": "Where they live",
    "dob": "Date of birth",
}

@dataclass
class ContactColumns:
    """Which column of the contact list plays which role.

    Attributes:
        roles: Role (``"first_name"``, ``"email"``...) -> column name, for the
            roles in use.
        id_column: The id column, or ``None`` when row numbers are the ids.
        extra_columns: Other columns compared exactly (such as a membership number).
        notes: Plain-English lines about what was found or set aside.

    Example:
        >>> ContactColumns({"email": "E-mail", "phone": "Tel"}, "ID").describe()
        "email ('E-mail'), phone ('Tel')"
    """

    roles: dict[str, str]
    id_column: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Details that were found but could not be compared (filled in by linking).
    left_out: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The roles in words: "first name ('Forename'), email ('E-mail')"."""
        parts = [f"{ROLE_WORDS[role]} ('{column}')" for role, column in self.roles.items()]
        parts += [f"'{column}'" for column in self.extra_columns]
        return ", ".join(parts) if parts else "none"


def find_contact_columns(
    frame: pd.DataFrame,
    requested: Mapping[str, str | None],
    extra_columns: str | Sequence[str] | None = None,
) -> ContactColumns:
    """Decide which columns to compare, from the parameters and the header.

    Blank role parameters are found from the header (``helpers.reading.roles``). A
    column with nothing in it is set aside with a note. A full-name column is
    used only for whichever of first and last name has no column of its own.

    Args:
        frame: The contact list.
        requested: Role parameters as the playbook received them
            (``{"email_column": "", "id_column": "Contact ID", ...}``).
        extra_columns: Comma-separated (or listed) other columns to compare.

    Returns:
        The columns in use.

    Raises:
        InputProblem: A named column is missing, or fewer than two roles have
            data to compare.

    Example:
        >>> table = pd.DataFrame({"Forename": ["Ann"], "Surname": ["Lee"], "Email": [None]})
        >>> found = find_contact_columns(table, {"first_name_column": "", "last_name_column": ""})
        >>> found.roles
        {'first_name': 'Forename', 'last_name': 'Surname'}
    """
    parameters = {name: requested.get(name) for name in ROLE_PARAMETERS}
    parameters.update({k: v for k, v in requested.items() if k not in parameters})
    row_numbers = wants_row_numbers(parameters.get("id_column"), frame)
    if row_numbers:
        parameters.pop("id_column")  # not looked for in the header either
    if isinstance(extra_columns, str) or extra_columns is None:
        extra_names = split_column_list(extra_columns)
    else:
        extra_names = [str(name) for name in extra_columns]
    extras = check_columns_exist(frame, extra_names, "extra_columns")
    resolved = _resolve_without_date_names(frame, parameters)
    # A column the volunteer named as an extra column to compare is not also taken for a role from its header.
    for parameter, column in list(resolved.items()):
        if column in extras and not str(parameters.get(parameter) or "").strip():
            resolved[parameter] = None
    if row_numbers:
        resolved["id_column"] = None
    notes: list[str] = []
    resolved = _choose_where_they_live(frame, parameters, resolved, notes)

    roles: dict[str, str] = {}
    for parameter, column in resolved.items():
        role = parameter.removesuffix("_column")
        if column is None or role == "id":
            continue
        if frame[column].isna().all():
            notes.append(f"The {ROLE_WORDS.get(role, role)} column '{column}' is empty, so it was not used.")
            continue
        roles[role] = column
    if "full_name" in roles and "first_name" in roles and "last_name" in roles:
        notes.append(f"First and last names have their own columns, so '{roles.pop('full_name')}' was not used.")
    usable_extras = []
    for column in extras:
        if frame[column].isna().all():
            notes.append(f"The extra column '{column}' is empty, so it was not used.")
        elif column not in roles.values():
            usable_extras.append(column)

    found = ContactColumns(roles, resolved.get("id_column"), usable_extras, notes)
    if len(roles) + len(usable_extras) < 2:
        empty = "".join(f"{note} " for note in notes)
        raise InputProblem(
            "To find duplicate contacts the kit needs at least two kinds of detail to compare "
            f"(such as name and email), but it found only: {found.describe()}. {empty}"
            f"The columns in the file are: {', '.join(repr(str(c)) for c in frame.columns)}. "
            "Name the right columns with the *_column parameters (for example "
            "email_column, phone_column, postcode_column)."
        )
    return found


#: Address headers, fullest first: the first line of the address beats a bare street name,
#: and a second address line ("address_2") is taken only when there is nothing better.
ADDRESS_HEADERS = ("address 1", "address line 1", "address1", "address", "street address", "home address",
                   "street", "addr", "address line", "house")
#: Locality headers, most local first (FEBRL's "suburb" is the town of an Australian address).
LOCALITY_HEADERS = ("suburb", "town", "city", "town city", "locality", "village", "borough", "district", "area")


def is_number_only(values: pd.Series) -> bool:
    """Whether every value in a column is a bare number ("12", "4a"): a house number, not an address.

    Example:
        >>> is_number_only(pd.Series([12, "4a", None])), is_number_only(pd.Series(["12 Mill Lane", "4"]))
        (True, False)
    """
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    return bool(len(text)) and bool(text.str.fullmatch(r"\d+(\.0)?[A-Za-z]?").all())


def _header_rank(column: str, preferred: tuple[str, ...]) -> int:
    from helpers.reading.roles import fold_header

    folded = fold_header(column)
    return preferred.index(folded) if folded in preferred else len(preferred)


def _choose_where_they_live(frame: pd.DataFrame, parameters: dict, resolved: dict, notes: list[str]) -> dict:
    """Take the fullest address column and the most local locality column, never a house number.

    The shared header table reads "street_number" as an address (its last word is "street") and
    takes the first address-like column it meets; on a FEBRL-style list that left "address_1"
    and "suburb" uncompared. Here every address-like column competes: a column holding only
    numbers is never the address; then the header order of :data:`ADDRESS_HEADERS` decides,
    then the longer values. The locality goes the same way through :data:`LOCALITY_HEADERS`.
    A column the volunteer named is kept, except a number-only address, which is set aside
    with a note.
    """
    from helpers.reading.roles import fold_header, guess_role

    chosen = dict(resolved)
    for parameter, role, preferred in (("address_column", "address", ADDRESS_HEADERS),
                                       ("town_column", "town", LOCALITY_HEADERS)):
        named = (parameters.get(parameter) or "").strip()
        current = chosen.get(parameter)
        if named:
            if role == "address" and current is not None and is_number_only(frame[current]):
                notes.append(f"The column '{current}' holds only numbers (house numbers), so it is not "
                             "compared as the address; name it in extra_columns to compare it.")
                chosen[parameter] = None
            continue
        taken = {c for p, c in chosen.items() if c is not None and p != parameter}
        candidates = [str(c) for c in frame.columns if str(c) not in taken
                      and (guess_role(str(c)) == role or fold_header(str(c)) in preferred)]
        numbers = [c for c in candidates if role == "address" and is_number_only(frame[c])]
        for column in numbers:
            notes.append(f"The column '{column}' holds only numbers (house numbers), so it was not taken "
                         "as the address; name it in extra_columns to compare it.")
        usable = [c for c in candidates if c not in numbers and not frame[c].isna().all()]
        if not usable:
            chosen[parameter] = None if current in numbers else current
            continue
        length = {c: frame[c].dropna().astype(str).str.len().mean() for c in usable}
        chosen[parameter] = min(usable, key=lambda c: (_header_rank(c, preferred), -length[c]))
    return chosen


def _resolve_without_date_names(frame: pd.DataFrame, parameters: dict) -> dict:
    """Resolve roles, passing over date columns that a header made look like names.

    "Last updated" and "First contact" read as last and first name; when such a
    column holds dates and the volunteer did not name it, the next candidate
    (such as "Surname") is taken instead.
    """
    skipped: list[str] = []
    while True:
        visible = frame.drop(columns=skipped)
        resolved = resolve_roles(visible, parameters)
        wrong = [
            column for parameter, column in resolved.items()
            if column is not None and not (parameters.get(parameter) or "").strip()
            and parameter not in ("date_of_birth_column", "id_column")
            and pd.api.types.is_datetime64_any_dtype(frame[column])
        ]
        if not wrong:
            return resolved
        skipped += wrong


#: What ``id_column`` may say to use row numbers as ids (blank means "find it from the header").
ROW_NUMBER_WORDS = frozenset({"none", "row", "rows", "row number", "row numbers"})
#: The way out that works, as the messages give it.
USE_ROW_NUMBERS = "-p id_column none"


def wants_row_numbers(given: object, frame: pd.DataFrame) -> bool:
    """Whether ``id_column`` asks for row numbers as ids ("none"), rather than a column.

    A file with a column really called "none" keeps that column.

    Example:
        >>> wants_row_numbers("None", pd.DataFrame(columns=["ID"])), wants_row_numbers("", pd.DataFrame(columns=["ID"]))
        (True, False)
    """
    text = str(given or "").strip()
    return text.casefold() in ROW_NUMBER_WORDS and text not in {str(c) for c in frame.columns}


def exact_copy_of(frame: pd.DataFrame, id_column: str | None = None) -> pd.Series:
    """The rows that repeat an earlier row in every column but the id, each with the row it copies.

    An exact copy (a row pasted twice, an export run twice, one person given two ids) is
    itself a duplicate: it joins its first row's group without being compared, and it may
    repeat that row's id.

    Example:
        >>> table = pd.DataFrame({"ID": ["A", "B", "A", "C"], "Name": ["Jo", "Al", "Jo", "Jo"]}, index=[2, 3, 4, 5])
        >>> exact_copy_of(table).to_dict(), exact_copy_of(table, "ID").to_dict()
        ({4: 2}, {4: 2, 5: 2})
    """
    if frame.empty:
        return pd.Series(dtype=object)
    compared = frame.drop(columns=[id_column]) if id_column in frame.columns else frame
    if compared.shape[1] == 0:
        return pd.Series(dtype=object)
    key = pd.util.hash_pandas_object(compared.astype(str).where(compared.notna(), "\x00"), index=False)
    first = pd.Series(frame.index, index=frame.index).groupby(key.to_numpy()).transform("first")
    copies = first[first != first.index]
    return copies


def _plural_ids(count: int) -> str:
    return "1 id is" if count == 1 else f"{count:,} ids are"


def record_ids(frame: pd.DataFrame, id_column: str | None) -> pd.Series:
    """The id of each record: the id column's values, or the row number when there is none.

    An id repeated only by exact copies of one row (every column the same) is allowed: the
    copies are one record typed twice, and join one group.

    Args:
        frame: The contact list (its index is the spreadsheet row number).
        id_column: The id column, or ``None``.

    Returns:
        A Series of ids as text, with the frame's index.

    Raises:
        InputProblem: An id is missing, or used by rows that differ (the message names
            the ids and their rows, and says how to use row numbers instead).

    Example:
        >>> record_ids(pd.DataFrame({"x": [1, 2]}, index=[2, 3]), None).tolist()
        ['2', '3']
    """
    if id_column is None:
        return pd.Series(frame.index.astype(str), index=frame.index, dtype=object)
    values = frame[id_column]
    if values.isna().any():
        rows = values.index[values.isna()].tolist()
        raise InputProblem(
            f"The id column '{id_column}' is blank in {_rows_words(rows)}. Fill in those ids, "
            f"or use row numbers as ids with {USE_ROW_NUMBERS}."
        )
    ids = values.map(_id_text).astype(object)
    distinct = ids.drop(index=exact_copy_of(frame, id_column).index)
    repeated = distinct[distinct.duplicated(keep=False)]
    if len(repeated):
        groups = ids[ids.isin(set(repeated))].groupby(ids[ids.isin(set(repeated))], sort=False).groups
        described = [f"'{value}' ({_rows_words(list(rows))})" for value, rows in list(groups.items())[:10]]
        more = f" and {len(groups) - 10:,} more" if len(groups) > 10 else ""
        raise InputProblem(
            f"The id column '{id_column}' should give each record its own id, but "
            f"{_plural_ids(len(groups))} used by different records: {', '.join(described)}{more}. "
            f"Fix the repeated ids, choose another id_column, or use row numbers as ids with "
            f"{USE_ROW_NUMBERS}."
        )
    return ids


def _rows_words(rows: list) -> str:
    """ "row 4" or "rows 4 and 9" or "rows 4, 9 and 12"."""
    shown = [str(r) for r in rows[:8]]
    if len(rows) > 8:
        return f"rows {', '.join(shown)} and {len(rows) - 8:,} more"
    if len(shown) == 1:
        return f"row {shown[0]}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def _id_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # id 1234 read as a number stays "1234"
    return str(value).strip()


def find_recency_column(frame: pd.DataFrame, given: str | None, columns: ContactColumns) -> str | None:
    """The column saying when each record was added or updated, if there is one.

    A blank ``given`` is found from the header (a date column such as "Date
    added" or "Updated on"), never the date of birth.

    Example:
        >>> table = pd.DataFrame(columns=["Name", "Date of birth", "Date added"])
        >>> find_recency_column(table, "", ContactColumns({"date_of_birth": "Date of birth"}))
        'Date added'
    """
    taken = set(columns.roles.values()) | {columns.id_column}
    if given and str(given).strip():
        return check_columns_exist(frame, [str(given).strip()], "updated_column")[0]
    from helpers.reading.roles import guess_role

    words = ("updated", "modified", "changed", "added", "created", "entered")
    for column in frame.columns:
        if column in taken:
            continue
        lowered = str(column).lower()
        if guess_role(str(column)) == "date" or any(word in lowered for word in words):
            return str(column)
    return None
