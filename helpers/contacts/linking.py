"""Who on a new list is already in the CRM? Link a new list against an existing export with splink.

Deduplication looks for one person twice in one list; this looks for each record of a new list
(event sign-ups, a petition, a partner's referrals) in the charity's CRM export. It is the same
model: the same tidying (:func:`helpers.contacts.model.tidy_for_linking`), the same comparisons,
blocking rules and training (:func:`helpers.contacts.model._run_splink`), run in splink's
``link_only`` mode so that only pairs of one new record and one CRM record are compared (two
sign-ups of one person are not the question here, and a CRM's own repeats are the
deduplicate-contacts playbook's job).

Each new record gets the CRM record it matches best and that pair's match probability:

* at or above the threshold (90% unless changed) it is **already in the CRM**;
* from :data:`REVIEW_FLOOR` (50%) up to the threshold it goes to a person to **check by hand**;
* below that, or with no CRM record sharing anything with it, it is **new**.

Consent columns (:mod:`helpers.contacts.consent`) are never compared and never copied over the
CRM's: a difference is reported, not applied.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.contacts.columns import ROLE_WORDS, ContactColumns, find_contact_columns, record_ids
from helpers.contacts.consent import CONSENT_WORDS, consent_value, find_consent_columns, says_do_not_contact
from helpers.contacts.model import (
    NEAR_MISS_FLOOR,
    SEED,
    _run_splink,
    _Stopwatch,
    check_threshold,
    compared_details,
    model_table,
    tidy_for_linking,
)
from helpers.errors import InputProblem
from helpers.reading.roles import fold_header

#: Pairs at least this likely but under the threshold go to a person to decide.
REVIEW_FLOOR = NEAR_MISS_FLOOR
IN_CRM, TO_REVIEW, NEW = "Already in the CRM", "Check by hand", "New"
#: Contact details whose difference is an update for the CRM, in the order files show them
#: (tidied column -> words). Names are not updates: a different spelling on a sign-up form
#: is more often a slip than a new name.
UPDATE_DETAILS = {"email": "changed email", "phone": "new phone", "postcode": "new postcode",
                  "address": "new address", "town": "new town"}

logger = logging.getLogger(__name__)

@dataclass
class MatchResult:
    """A new list matched against the CRM export.

    Attributes:
        new: The new list as read (index: its spreadsheet row numbers).
        existing: The CRM export as read.
        new_columns, existing_columns: The columns found in each (consent columns set aside).
        new_consent, existing_consent: Consent kind -> column, for each list.
        matches: One row per new record (index as ``new``): ``status`` (:data:`IN_CRM`,
            :data:`TO_REVIEW` or :data:`NEW`), ``crm_row`` (the best CRM record's row, or -1),
            ``crm_id`` (its id, or ``None``) and ``match_probability`` (0 when nothing was compared).
        changes: One row per new record already in the CRM: ``changed`` (the details that
            differ, in words, such as "changed email, new phone") and one ``<detail>`` column
            each, True where it differs.
        consent_changes: One row per matched new record whose consent differs from the CRM's:
            ``changed`` in words ("email consent: yes on the CRM, no on the new list").
        do_not_contact: Per new record, whether it says "do not contact".
        parameters: The trained model, one row per comparison level.
        prior, threshold, review_floor, compared_pairs, blocking_rules, timings: As deduplication's.
        prepared_new, prepared_existing: The tidied details compared.
    """

    new: pd.DataFrame
    existing: pd.DataFrame
    new_columns: ContactColumns
    existing_columns: ContactColumns
    new_consent: dict[str, str]
    existing_consent: dict[str, str]
    matches: pd.DataFrame
    changes: pd.DataFrame
    consent_changes: pd.DataFrame
    do_not_contact: pd.Series
    parameters: pd.DataFrame
    prior: float
    threshold: float
    review_floor: float
    compared_pairs: int
    blocking_rules: list[str]
    prepared_new: pd.DataFrame
    prepared_existing: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def already_in_crm(self) -> int:
        return int((self.matches["status"] == IN_CRM).sum())

    @property
    def new_count(self) -> int:
        return int((self.matches["status"] == NEW).sum())

    @property
    def to_review(self) -> int:
        return int((self.matches["status"] == TO_REVIEW).sum())

    @property
    def changed_details(self) -> int:
        return int(len(self.changes[self.changes["changed"] != ""]))

    @property
    def compared(self) -> dict[str, list[str]]:
        """The details compared, each with the CRM export's columns behind it (those the new list has too)."""
        both = {role for role in self.existing_columns.roles if role in self.new_columns.roles}
        if {"first_name", "last_name", "full_name"} & set(self.new_columns.roles):
            both |= {"first_name", "last_name", "full_name"}
        shown = {column for role, column in self.existing_columns.roles.items() if role in both}
        details = compared_details(self.parameters, self.existing_columns)
        return {words: [c for c in columns if c in shown] or columns for words, columns in details.items()}

def read_existing(path_text: str, sheet: str | None = None):
    """Read the CRM export named by the ``existing`` parameter, or say in a sentence what is wrong.

    Raises:
        InputProblem: Blank, not found or unreadable; the message names the ``existing`` parameter.

    Example:
        >>> read_existing("")
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: No CRM export was given: set the parameter existing to the CRM export (for example -p existing crm_export.xlsx).
    """
    from pathlib import Path

    from helpers.reading.loader import load_table
    from helpers.writing.playbook import PLAYBOOKS_DIR

    text = str(path_text or "").strip()
    if not text:
        raise InputProblem("No CRM export was given: set the parameter existing to the CRM export "
                           "(for example -p existing crm_export.xlsx).")
    candidate = Path(text).expanduser()
    found = next((p for p in (candidate, PLAYBOOKS_DIR / candidate) if p.is_file()), None)
    if found is None:
        raise InputProblem(f"The CRM export given as existing ('{candidate.name}') was not found. Check the name "
                           "and folder, and give it as -p existing FILE from the folder the file is in.")
    try:
        return load_table(found, sheet or None)
    except InputProblem as problem:
        raise InputProblem(f"The CRM export given as existing ('{found.name}') could not be used: {problem}") from None

def find_list_columns(frame: pd.DataFrame, requested: dict, which: str,
                      extra_columns: list[str] = ()) -> tuple[ContactColumns, dict[str, str]]:
    """The contact columns and the consent columns of one list (consent is never a detail to compare).

    Example:
        >>> table = pd.DataFrame({"Name": ["Jo Lee"], "Email": ["jo@example.org"], "Email consent": ["Yes"]})
        >>> found, consent = find_list_columns(table, {}, "new list")
        >>> found.roles, consent
        ({'full_name': 'Name', 'email': 'Email'}, {'email_consent': 'Email consent'})
    """
    consent = find_consent_columns(frame.columns)
    details = frame.drop(columns=list(consent.values()))
    try:
        found = find_contact_columns(details, requested, list(extra_columns))
    except InputProblem as problem:
        raise InputProblem(f"In the {which}: {problem}") from None
    return found, consent

def match_lists(
    new: pd.DataFrame,
    existing: pd.DataFrame,
    id_column: str | None = "",
    match_threshold: float | str | None = 0.9,
    seed: int = SEED,
) -> MatchResult:
    """Find each record of a new list in the CRM export.

    Args:
        new: The new list (index: spreadsheet row numbers).
        existing: The CRM export.
        id_column: The CRM export's id column (blank: found from the header; ``none``: row numbers).
        match_threshold: Probability at or above which a new record is the CRM record.
        seed: Seed for the random pairs splink learns from.

    Returns:
        A :class:`MatchResult`.

    Raises:
        InputProblem: Too few details in common, repeated CRM ids, an empty list.

    Example:
        >>> from helpers.synthetic.crm import make_crm_and_signups
        >>> crm, signups, truth = make_crm_and_signups(300, 120, seed=3)
        >>> result = match_lists(signups, crm)
        >>> result.already_in_crm + result.new_count + result.to_review == len(signups)
        True
    """
    threshold = check_threshold(match_threshold)
    if len(new) == 0 or len(existing) == 0:
        empty = "new list" if len(new) == 0 else "CRM export (existing)"
        raise InputProblem(f"The {empty} has no records, so there is nothing to match.")
    clock = _Stopwatch()
    existing_columns, existing_consent = find_list_columns(existing, {"id_column": id_column}, "CRM export (existing)")
    new_columns, new_consent = find_list_columns(new, {"id_column": "none"}, "new list")
    shared = shared_other_columns(existing, new, existing_columns, new_columns, existing_consent, new_consent)
    if shared:
        # compared exactly, like deduplication's extra columns, under the same numbers in both lists
        existing_columns, _ = find_list_columns(existing, {"id_column": id_column}, "CRM export (existing)",
                                                [crm for crm, _ in shared])
        new_columns, _ = find_list_columns(new, {"id_column": "none"}, "new list", [other for _, other in shared])
    crm_ids = record_ids(existing, existing_columns.id_column)
    prepared_existing = tidy_for_linking(existing, existing_columns)
    prepared_new = tidy_for_linking(new, new_columns)
    shared = [c for c in prepared_existing.columns if c in prepared_new.columns]
    compared = [c for c in shared if c != "surname_as_first"]
    if len(compared) < 2:
        raise InputProblem(
            "To match the new list against the CRM export, both need at least two kinds of detail in common "
            f"(such as name and email). The CRM export has {existing_columns.describe()}; the new list has "
            f"{new_columns.describe()}. Rename a column so both lists use a header the kit knows (such as "
            "'Email' or 'Postcode')."
        )
    clock.lap("tidying")
    # One table numbered across both lists: the CRM's records are 0 .. n-1, the new list's n .. n+m-1,
    # so a pair's two ids say which side each record is on; blocking helpers count values over both.
    both = model_table(pd.concat([prepared_existing[shared], prepared_new[shared]], ignore_index=True))
    n_existing = len(existing)
    inputs = [both.iloc[:n_existing].reset_index(drop=True), both.iloc[n_existing:].reset_index(drop=True)]
    splink_logger = logging.getLogger("splink")
    previous_level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        kept, _, parameters, prior, _, compared_pairs, rules = _run_splink(
            inputs, threshold, "duckdb", seed, None, clock, link_type="link_only")
    finally:
        splink_logger.setLevel(previous_level)
    # shared columns by the CRM export's own names in the report, not "extra_1"
    extra_names = {f"extra_{n}": str(c) for n, c in enumerate(existing_columns.extra_columns, start=1)}
    parameters["comparison"] = parameters["comparison"].replace(extra_names)
    matches = best_matches(kept, n_existing, existing.index, new.index, crm_ids, threshold)
    clock.lap("best matches")
    changes = detail_changes(matches, prepared_new, prepared_existing)
    consent_changes = consent_differences(matches, new, existing, new_consent, existing_consent)
    dnc = (says_do_not_contact(new[new_consent["do_not_contact"]]) if "do_not_contact" in new_consent
           else pd.Series(False, index=new.index))
    return MatchResult(
        new=new, existing=existing, new_columns=new_columns, existing_columns=existing_columns,
        new_consent=new_consent, existing_consent=existing_consent, matches=matches, changes=changes,
        consent_changes=consent_changes, do_not_contact=dnc, parameters=parameters, prior=prior,
        threshold=threshold, review_floor=min(REVIEW_FLOOR, threshold), compared_pairs=compared_pairs,
        blocking_rules=rules, prepared_new=prepared_new, prepared_existing=prepared_existing,
        timings=dict(clock.laps),
    )

def shared_other_columns(existing: pd.DataFrame, new: pd.DataFrame, existing_columns: ContactColumns,
                         new_columns: ContactColumns, existing_consent: dict[str, str],
                         new_consent: dict[str, str]) -> list[tuple[str, str]]:
    """Other columns both lists have under the same header, to compare as they are: ``(CRM's, new list's)``.

    A membership number, a Gift Aid reference or a house number kept in both systems says more than
    any name. Left out: columns already used for a role, the CRM's id, consent columns and dates (a
    "Date added" is about the record, not the person), and a column with nothing in it on either side.

    Example:
        >>> crm = pd.DataFrame({"ID": ["A"], "Name": ["Jo Lee"], "Member no": ["M1"], "Email": ["j@x.org"]})
        >>> new = pd.DataFrame({"Name": ["Jo Lee"], "member no.": ["M1"], "Email": ["j@x.org"]})
        >>> e, _ = find_list_columns(crm, {}, "CRM"); n, _ = find_list_columns(new, {"id_column": "none"}, "new")
        >>> shared_other_columns(crm, new, e, n, {}, {})
        [('Member no', 'member no.')]
    """
    from helpers.reading.roles import guess_role

    def taken(columns: ContactColumns, consent: dict[str, str]) -> set[str]:
        return {*map(str, columns.roles.values()), *consent.values(), str(columns.id_column)}

    used = taken(existing_columns, existing_consent) | taken(new_columns, new_consent)
    by_header = {fold_header(str(c)): str(c) for c in new.columns if str(c) not in used}
    pairs = []
    for column in map(str, existing.columns):
        other = by_header.get(fold_header(column))
        if column in used or other is None or guess_role(column) == "date":
            continue
        if pd.api.types.is_datetime64_any_dtype(existing[column]) or existing[column].isna().all() \
                or new[other].isna().all():
            continue
        pairs.append((column, other))
    return pairs


def best_matches(pairs: pd.DataFrame, n_existing: int, existing_rows: pd.Index, new_rows: pd.Index,
                 crm_ids: pd.Series, threshold: float) -> pd.DataFrame:
    """Each new record's likeliest CRM record, and whether that makes it in the CRM, to check, or new.

    ``pairs`` holds splink's ``unique_id_l``, ``unique_id_r`` (numbered across both lists, CRM first)
    and ``match_probability``.

    Example:
        >>> pairs = pd.DataFrame({"unique_id_l": [0, 1, 0], "unique_id_r": [2, 2, 3], "match_probability": [0.95, 0.99, 0.6]})
        >>> best_matches(pairs, 2, pd.Index([2, 3]), pd.Index([2, 3, 4]), pd.Series(["A", "B"], index=[2, 3]), 0.9)[["status", "crm_id"]].values.tolist()
        [['Already in the CRM', 'B'], ['Check by hand', 'A'], ['New', None]]
    """
    left = pairs["unique_id_l"].to_numpy(dtype=np.int64)  # also when no pair was compared at all
    right = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    crm_side = np.minimum(left, right)
    new_side = np.maximum(left, right) - n_existing
    table = pd.DataFrame({"new": new_side, "crm": crm_side, "p": pairs["match_probability"].to_numpy(dtype=float)})
    table = table[(table["new"] >= 0) & (table["crm"] < n_existing)]
    best = table.sort_values(["p", "crm"], ascending=[False, True], kind="stable").drop_duplicates("new")
    probability = np.zeros(len(new_rows))
    crm_position = np.full(len(new_rows), -1)
    probability[best["new"].to_numpy()] = best["p"].to_numpy()
    crm_position[best["new"].to_numpy()] = best["crm"].to_numpy()
    floor = min(REVIEW_FLOOR, threshold)
    status = np.where(probability >= threshold, IN_CRM, np.where(probability >= floor, TO_REVIEW, NEW))
    has = crm_position >= 0
    crm_row = np.where(has, existing_rows.to_numpy()[np.clip(crm_position, 0, None)], -1)
    ids = np.where(has, crm_ids.to_numpy()[np.clip(crm_position, 0, None)], None)
    frame = pd.DataFrame({"status": status, "crm_row": crm_row, "crm_id": ids, "match_probability": probability},
                         index=new_rows)
    # A record with nothing in common with any CRM record names no CRM record, even for review.
    frame["crm_id"] = pd.Series(np.where(status == NEW, None, ids), index=new_rows, dtype=object)
    return frame

def detail_changes(matches: pd.DataFrame, prepared_new: pd.DataFrame, prepared_existing: pd.DataFrame) -> pd.DataFrame:
    """For each new record in the CRM, which contact details differ from the CRM's, after tidying.

    A detail differs when the new list has a value and it is not the CRM's ("07700 900123" and
    "+44 7700 900123" are the same phone). A blank on the new list is never a change.

    Example:
        >>> matches = pd.DataFrame({"status": ["Already in the CRM"], "crm_row": [7]}, index=[2])
        >>> new = pd.DataFrame({"email": ["jo@new.org"], "phone": ["+447700900123"]}, index=[2])
        >>> old = pd.DataFrame({"email": ["jo@old.org"], "phone": [None]}, index=[7])
        >>> detail_changes(matches, new, old)["changed"].tolist()
        ['changed email, new phone']
    """
    matched = matches[matches["status"] == IN_CRM]
    changes = pd.DataFrame(index=matched.index)
    words = pd.Series("", index=matched.index, dtype=object)
    for detail, said in UPDATE_DETAILS.items():
        if detail not in prepared_new.columns:
            continue
        now = prepared_new.loc[matched.index, detail].to_numpy(dtype=object)
        if detail in prepared_existing.columns:
            before = prepared_existing.loc[matched["crm_row"].to_numpy(), detail].to_numpy(dtype=object)
        else:
            before = np.full(len(matched), None, dtype=object)
        has_now = pd.notna(now)
        differs = has_now & (pd.isna(before) | (now != before))
        changes[detail] = differs
        words = words.where(~differs, words.where(words == "", words + ", ") + said)
    changes["changed"] = words
    return changes

def consent_differences(matches: pd.DataFrame, new: pd.DataFrame, existing: pd.DataFrame,
                        new_consent: dict[str, str], existing_consent: dict[str, str]) -> pd.DataFrame:
    """Matched new records whose consent differs from the CRM's: reported, never applied.

    A blank on the new list says nothing (a form that did not ask). Only kinds both lists have
    are compared; each difference is described as "email consent: yes in the CRM, no on the new list".

    Example:
        >>> matches = pd.DataFrame({"status": ["Already in the CRM"], "crm_row": [5]}, index=[2])
        >>> new = pd.DataFrame({"Email OK?": ["No"]}, index=[2]); old = pd.DataFrame({"Email consent": ["Yes"]}, index=[5])
        >>> consent_differences(matches, new, old, {"email_consent": "Email OK?"}, {"email_consent": "Email consent"})["changed"].tolist()
        ['email consent: yes in the CRM, no on the new list']
    """
    matched = matches[matches["status"] == IN_CRM]
    words = pd.Series("", index=matched.index, dtype=object)
    for kind, new_column in new_consent.items():
        if kind not in existing_consent:
            continue
        now = new.loc[matched.index, new_column].map(consent_value).to_numpy(dtype=object)
        before = existing.loc[matched["crm_row"].to_numpy(), existing_consent[kind]].map(consent_value) \
            .to_numpy(dtype=object)
        differs = pd.notna(now) & (now != before)
        said = [f"{CONSENT_WORDS[kind]}: {'blank' if pd.isna(b) else b} in the CRM, {n} on the new list"
                for b, n in zip(before, now)]
        said = pd.Series(said, index=matched.index, dtype=object)
        words = words.where(~differs, words.where(words == "", words + "; ") + said)
    return pd.DataFrame({"changed": words[words != ""]})

def role_of_columns(columns: ContactColumns, consent: dict[str, str]) -> dict[str, str]:
    """Column -> what it holds (a role such as ``"email"`` or a consent kind), for lining two lists up."""
    held = {column: role for role, column in columns.roles.items()}
    held.update({column: kind for kind, column in consent.items()})
    if columns.id_column:
        held[columns.id_column] = "id"
    return held

def detail_words(role: str) -> str:
    """A role or consent kind in words ("email", "Gift Aid declaration")."""
    return ROLE_WORDS.get(role) or CONSENT_WORDS.get(role) or role

__all__ = ["IN_CRM", "NEW", "REVIEW_FLOOR", "TO_REVIEW", "MatchResult", "best_matches", "consent_differences",
           "detail_changes", "detail_words", "find_list_columns", "match_lists", "read_existing", "role_of_columns"]
