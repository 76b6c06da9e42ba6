"""Column roles: which column of a charity's file plays which part in a playbook.

Every playbook names the roles it needs as parameters ending in ``_column``
(``date_column``, ``email_column``...). A blank role is found from the header with
one synonyms table shared by all playbooks, so "Forename", "First name" and "fname"
all mean the same thing wherever they turn up. A role the volunteer names but the
file lacks stops the run with the columns that are there and the closest match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from helpers.errors import InputProblem

#: Header spellings seen in real charity exports, by role. Matching ignores case,
#: punctuation and spacing, so "D.O.B" and "dob" are the same entry.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "client id", "contact id", "person id", "member id", "record id", "customer id",
        "supporter id", "participant id", "user id", "ref", "reference", "client ref",
        "client number", "urn", "unique id", "case id", "case number", "pseudo id",
        # A bare person noun over a column of codes is the record's id ("Patient": P0042).
        "patient", "patient id", "patient no", "patient number", "client", "client no",
        "member no", "member number", "membership no", "membership number", "member ref",
        "participant no", "service user id", "nhs number",
    ),
    "first_name": (
        "first name", "firstname", "forename", "forenames", "fname", "given name",
        "given names", "christian name", "first names",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "lname", "second name",
    ),
    "full_name": (
        "name", "full name", "fullname", "client name", "contact name", "person name",
        "customer name", "supporter name", "member name", "participant name",
        # Staff are people too: their names are personal data in a shared report.
        "key worker", "keyworker", "case worker", "caseworker", "support worker", "staff name",
        "attendee", "attendee name",
    ),
    "email": (
        "email", "e mail", "email address", "e mail address", "emailaddress", "mail",
        "contact email", "personal email",
    ),
    "phone": (
        "phone", "telephone", "tel", "phone number", "telephone number", "mobile",
        "mobile number", "mobile phone", "contact number", "mob", "cell", "tel no",
        "phone no", "landline",
    ),
    "postcode": (
        "postcode", "post code", "postal code", "zip", "zip code", "pcode", "pc",
    ),
    "address": (
        "address", "address 1", "address line 1", "address1", "street", "street address",
        "house", "home address", "addr",
    ),
    "town": ("town", "city", "town city", "locality", "borough", "area", "district", "suburb", "village"),
    "date_of_birth": (
        "date of birth", "dob", "d o b", "birth date", "birthdate", "birthday",
        "born", "date born",
    ),
    "gender": ("gender", "sex", "gender identity"),
    "ethnicity": ("ethnicity", "ethnic group", "ethnic origin", "ethnic background", "ethnicity group"),
    "disability": ("disability", "disabled", "has a disability", "disability status", "long term condition",
                   "disability or long term condition"),
    "age": ("age", "age at referral", "age at first contact", "age years", "age in years"),
    "date": (
        "date", "visit date", "date of visit", "session date", "day", "week", "week start",
        "week commencing", "w c", "date given", "parcel date", "attendance date",
        "referral date", "issued", "date issued",
        "first visit", "date of first visit", "date of first contact",
        "date first seen", "first seen", "start date", "date joined", "joined", "date of referral",
    ),
    # Not "number" or "total" alone: "Member number" and "Total score" are not counts.
    "count": (
        "count", "parcels", "number of parcels", "parcels given", "parcel count", "visits",
        "number of visits", "quantity", "qty", "vouchers", "vouchers fulfilled",
    ),
    "people": (
        "people", "people fed", "number of people", "household size", "household",
        "adults and children", "people helped", "total people",
    ),
    "group": (
        "group", "service", "programme", "program", "project", "team", "referral route",
        "referrer", "site", "cohort",
    ),
    "stage": ("stage", "time point", "timepoint", "wave", "visit", "assessment", "phase"),
    "score": ("score", "total score", "outcome score", "wellbeing score", "rating"),
    "before": (
        "before", "pre", "baseline", "score before", "pre score", "start score",
        "score at start", "entry score", "first score", "intake score",
    ),
    "after": (
        "after", "post", "follow up", "score after", "post score", "end score",
        "score at end", "exit score", "final score", "followup",
    ),
    "notes": ("notes", "note", "comments", "comment", "free text", "details", "remarks"),
}

#: Roles whose values identify a person: playbooks mask them in anything shared.
PERSONAL_ROLES = frozenset(
    {"first_name", "last_name", "full_name", "email", "phone", "postcode", "address",
     "date_of_birth", "notes"}
)


def fold_header(text: str) -> str:
    """Lower-case a header and reduce punctuation and runs of space to single spaces.

    Every reader that finds a column by its header compares folded headers, so "E-mail" and "e mail" agree.

    Example:
        >>> fold_header("  Do-Not-Contact?  "), fold_header("E_mail")
        ('do not contact', 'e mail')
    """
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


_LOOKUP: dict[str, str] = {
    fold_header(spelling): role for role, spellings in SYNONYMS.items() for spelling in spellings
}

#: Bare nouns that name a role only as the whole header: "Client" is the client's id, but
#: "Client type" and "Patient status" are categories, not ids with a word added.
WHOLE_HEADER_ONLY = frozenset({"client", "patient", "attendee", "joined"})

#: Header words that name a person. A column under such a header ("Member", "Key worker",
#: "Seen by") whose values look like people's names is a name column even when the same few
#: names repeat (staff, or members at every session); see ``helpers.health_check.profile``.
PERSON_HEADER_WORDS = frozenset({
    "attendee", "member", "client", "patient", "participant", "worker", "keyworker", "staff",
    "volunteer", "visitor", "guest", "resident", "tenant", "learner", "student", "pupil", "carer",
    "customer", "supporter", "donor", "contact", "person", "mentor", "mentee", "coach", "advisor",
    "adviser", "befriender", "counsellor", "therapist", "tutor", "seen", "child", "parent",
})


def guess_role(column_name: str) -> str | None:
    """Say which role a header names, using the shared synonyms table.

    Args:
        column_name: A header as it appears in the file.

    Returns:
        The role (such as ``"first_name"`` or ``"date_of_birth"``), or ``None``
        when the header is not a known spelling of any role.

    Example:
        >>> guess_role("D.O.B")
        'date_of_birth'
        >>> guess_role(" Forename ")
        'first_name'
        >>> guess_role("Favourite colour") is None
        True
        >>> guess_role("Patient"), guess_role("First visit"), guess_role("Client type") is None
        ('id', 'date', True)
    """
    folded = fold_header(column_name)
    if folded in _LOOKUP:
        return _LOOKUP[folded]
    # "Client first name", "Email address (home)": try the header without one
    # leading or trailing word, which is how most exports decorate a plain name.
    words = folded.split()
    for candidate in (" ".join(words[1:]), " ".join(words[:-1])):
        if candidate and candidate in _LOOKUP and candidate not in WHOLE_HEADER_ONLY:
            return _LOOKUP[candidate]
    return None


def role_of_parameter(parameter: str) -> str:
    """Turn a role parameter name into its role: ``"email_column"`` -> ``"email"``.

    Example:
        >>> role_of_parameter("date_of_birth_column")
        'date_of_birth'
    """
    return parameter.removesuffix("_column")


def closest_column(name: str, columns: Iterable[str]) -> str | None:
    """Find the header most like ``name``, for a "did you mean ...?" hint.

    Example:
        >>> closest_column("Postcode", ["First name", "Post Code", "Email"])
        'Post Code'
    """
    columns = [str(c) for c in columns]
    by_fold = {fold_header(c): c for c in columns}
    if fold_header(name) in by_fold:
        return by_fold[fold_header(name)]
    match = difflib.get_close_matches(fold_header(name), list(by_fold), n=1, cutoff=0.6)
    return by_fold[match[0]] if match else None


def missing_column_message(name: str, parameter: str, columns: Iterable[str]) -> str:
    """The message for a column the volunteer named that the file does not have."""
    columns = [str(c) for c in columns]
    hint = closest_column(name, columns)
    did_you_mean = f" Did you mean '{hint}'?" if hint else ""
    listing = ", ".join(f"'{c}'" for c in columns)
    return (
        f"The column '{name}' given for {parameter} is not in the file.{did_you_mean} "
        f"The columns in the file are: {listing}. "
        f"Set {parameter} to one of them, or leave it blank to let the kit find it."
    )


def resolve_roles(
    frame,
    requested: Mapping[str, str | None],
    required: Iterable[str] = (),
) -> dict[str, str | None]:
    """Map each role parameter to a column of ``frame``.

    A value given by the volunteer must name a column (matching ignores case and
    spacing, so ``"post code"`` finds ``"Post Code"``). A blank value is detected
    from the header through :data:`SYNONYMS`; a column is never given two roles.

    Args:
        frame: The loaded table (only its columns are read).
        requested: Role parameters as the playbook received them, such as
            ``{"email_column": "", "date_column": "Visit date"}``.
        required: Role parameters that must end up with a column.

    Returns:
        The same keys, each with a column name or ``None`` when none was found.

    Raises:
        InputProblem: A named column is not in the file, or a required role
            could not be found.

    Example:
        >>> import pandas as pd
        >>> table = pd.DataFrame(columns=["Forename", "Surname", "E-mail", "Post Code"])
        >>> resolve_roles(table, {"first_name_column": "", "postcode_column": "post code",
        ...                       "phone_column": None})
        {'first_name_column': 'Forename', 'postcode_column': 'Post Code', 'phone_column': None}
    """
    columns = [str(c) for c in frame.columns]
    by_fold = {fold_header(c): c for c in columns}
    resolved: dict[str, str | None] = {}
    taken: set[str] = set()

    for parameter, given in requested.items():
        if given is None or str(given).strip() == "":
            continue
        given = str(given).strip()
        column = given if given in columns else by_fold.get(fold_header(given))
        if column is None:
            raise InputProblem(missing_column_message(given, parameter, columns))
        resolved[parameter] = column
        taken.add(column)

    for parameter in requested:
        if parameter in resolved:
            continue
        role = role_of_parameter(parameter)
        found = next(
            (c for c in columns if c not in taken and guess_role(c) == role), None
        )
        resolved[parameter] = found
        if found is not None:
            taken.add(found)

    for parameter in required:
        if resolved.get(parameter) is None:
            listing = ", ".join(f"'{c}'" for c in columns)
            raise InputProblem(
                f"Could not find a column for {parameter}: no header looks like "
                f"{role_of_parameter(parameter).replace('_', ' ')}. The columns in the file are: "
                f"{listing}. Set {parameter} to the right one, for example "
                f"-p {parameter} \"{columns[0] if columns else 'Column name'}\"."
            )
    return {parameter: resolved.get(parameter) for parameter in requested}


def explain_roles(requested: Mapping[str, str | None], resolved: Mapping[str, str | None]) -> list[str]:
    """Lines for the load log: which column the kit took for each role, and how to change it.

    Only roles the kit found itself are explained (a column the volunteer named needs no
    explanation); a role with no column says how to name one.

    Args:
        requested: Role parameters as the playbook received them (blank = find it).
        resolved: What :func:`resolve_roles` returned for them.

    Example:
        >>> explain_roles({"id_column": "", "date_column": ""}, {"id_column": "Patient", "date_column": None})
        ["Took 'Patient' as the id column, from its header. If that is wrong, run again with -p id_column and the right column's name."]
    """
    lines = []
    for parameter, given in requested.items():
        column = resolved.get(parameter)
        if column is None or (given is not None and str(given).strip()):
            continue
        role = role_of_parameter(parameter).replace("_", " ")
        lines.append(f"Took '{column}' as the {role} column, from its header. If that is wrong, run again "
                     f"with -p {parameter} and the right column's name.")
    return lines


def split_column_list(value: str | None) -> list[str]:
    """Split a comma-separated parameter such as ``extra_columns`` into names.

    Example:
        >>> split_column_list(" Member no, Ward ,")
        ['Member no', 'Ward']
    """
    if not value:
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def check_columns_exist(frame, names: Iterable[str], parameter: str) -> list[str]:
    """Check every name in a list parameter is a column; return the real names.

    Raises:
        InputProblem: One of the names is not a column (with a closest match).
    """
    columns = [str(c) for c in frame.columns]
    by_fold = {fold_header(c): c for c in columns}
    found = []
    for name in names:
        column = name if name in columns else by_fold.get(fold_header(name))
        if column is None:
            raise InputProblem(missing_column_message(name, parameter, columns))
        found.append(column)
    return found
