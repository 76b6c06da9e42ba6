"""A fake CRM export and a new sign-up list, for the ``match-to-crm`` playbook.

The people come from :func:`helpers.synthetic.contacts.make_contacts` (so the names, emails,
phones and postcodes look like a UK charity's). The CRM export holds each person once, with
consent columns (email, phone and post consent, Gift Aid, "do not contact"). The sign-up list
(an event's form) holds some of the CRM's people again, typed by themselves: a nickname or a
slip in the name, the phone in another format, a changed email, a new phone, a new postcode, a
different answer to "email updates?"; and people the CRM has never seen, one of whom ticked
"do not contact". The answer key (which CRM id each sign-up is) is returned, never written
next to the sample.

Example:
    >>> crm, signups, truth = make_crm_and_signups(200, 80, seed=1)
    >>> len(crm), len(signups), int(truth.notna().sum()) > 0
    (200, 80, True)
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from helpers.synthetic.contacts import _phone_pool, _typo, format_phone, make_contacts

SEED = 2  # a seed whose sample has pairs for a person to check as well as clear answers
SAMPLE_CRM_ROWS = 400
SAMPLE_NEW_ROWS = 160
CRM_FILE = "crm-export.xlsx"
NEW_FILE = "new-signups.csv"
#: Share of the sign-ups who are already in the CRM.
KNOWN_SHARE = 0.5
#: Chance per known sign-up of each change (applied independently).
CHANGES = {"email": 0.2, "phone": 0.15, "postcode": 0.1, "name_slip": 0.1, "consent": 0.12}


def _yes_no(rng, n: int, p_yes: float) -> np.ndarray:
    return np.where(rng.random(n) < p_yes, "Yes", "No").astype(object)


def make_crm_and_signups(n_crm: int, n_new: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Make a CRM export of ``n_crm`` people and a sign-up list of ``n_new`` records.

    Returns:
        ``(crm, signups, truth)``: truth has the sign-ups' index and holds the CRM's
        "Supporter ID" of each sign-up already in the CRM (``None`` for new people).
    """
    rng = np.random.default_rng(seed)
    n_known = int(round(n_new * KNOWN_SHARE))
    n_unknown = n_new - n_known
    contacts, truth_rows = make_contacts(int((n_crm + n_unknown) * 1.6) + 50, seed=seed)
    contacts = contacts.assign(person=truth_rows["Person ID"].to_numpy())
    firsts = contacts.drop_duplicates("person", keep="first")
    seconds = contacts[contacts.duplicated("person", keep="first")].drop_duplicates("person", keep="first")
    people = firsts["person"].to_numpy().copy()
    rng.shuffle(people)
    if len(people) < n_crm + n_unknown:
        raise ValueError("not enough invented people")
    crm_people, new_people = people[:n_crm], people[n_crm:n_crm + n_unknown]
    first_row = firsts.set_index("person")
    crm_base = first_row.loc[crm_people].reset_index()
    crm = pd.DataFrame({
        "Supporter ID": [f"S{100001 + i}" for i in range(n_crm)],
        "First name": crm_base["First name"], "Surname": crm_base["Surname"], "Email": crm_base["Email"],
        "Phone": crm_base["Phone"], "Address": crm_base["Address"], "Town": crm_base["Town"],
        "Postcode": crm_base["Postcode"], "Date of birth": crm_base["Date of birth"],
        "Email consent": _yes_no(rng, n_crm, 0.6), "Phone consent": _yes_no(rng, n_crm, 0.3),
        "Post consent": _yes_no(rng, n_crm, 0.5), "Gift Aid": _yes_no(rng, n_crm, 0.35),
        "Do not contact": np.where(rng.random(n_crm) < 0.03, "Yes", "").astype(object),
        "Date added": crm_base["Date added"],
    })
    crm_id_of = dict(zip(crm_people, crm["Supporter ID"]))
    email_consent_of = dict(zip(crm_people, crm["Email consent"]))

    known = rng.choice(crm_people, size=n_known, replace=False)
    second_row = seconds.set_index("person")
    # a known person signs up as they typed themselves elsewhere (their second record) when there is one
    known_rows = first_row.loc[known].copy()
    again = np.isin(known, second_row.index)
    known_rows.iloc[np.flatnonzero(again)] = second_row.loc[known[again], known_rows.columns].to_numpy()
    new_rows = first_row.loc[new_people]
    base = pd.concat([known_rows, new_rows]).reset_index(drop=True)
    persons = np.concatenate([known, new_people])
    first = base["First name"].to_numpy(dtype=object).copy()
    last = base["Surname"].to_numpy(dtype=object).copy()
    email = base["Email"].to_numpy(dtype=object).copy()
    phone = base["Phone"].to_numpy(dtype=object).copy()
    postcode = base["Postcode"].to_numpy(dtype=object).copy()
    is_known = np.arange(n_new) < n_known
    change = {name: is_known & (rng.random(n_new) < p) for name, p in CHANGES.items()}
    domains = np.array(["example.net", "mail.example.org", "example.co.uk"])
    for i in np.flatnonzero(change["email"]):
        who = f"{str(first[i] or 'x').lower()}.{str(last[i] or 'y').lower()}".replace(" ", "")
        email[i] = f"{who}{rng.integers(1, 99)}@{domains[rng.integers(3)]}"
    pool = _phone_pool()
    for i in np.flatnonzero(change["phone"]):
        phone[i] = format_phone(str(pool[rng.integers(len(pool))]), int(rng.integers(3)))
    other_postcodes = crm["Postcode"].dropna().to_numpy()
    for i in np.flatnonzero(change["postcode"]):
        postcode[i] = other_postcodes[rng.integers(len(other_postcodes))]
    for i in np.flatnonzero(change["name_slip"]):
        if isinstance(last[i], str):
            last[i] = _typo(last[i], float(rng.random()), int(rng.integers(4)))
    consent = np.array([email_consent_of.get(p, "") for p in persons], dtype=object)
    consent[~is_known] = _yes_no(rng, int((~is_known).sum()), 0.7)
    flip = change["consent"]
    consent[flip] = np.where(consent[flip] == "Yes", "No", "Yes")
    do_not_contact = np.full(n_new, "", dtype=object)
    if n_new - n_known:
        do_not_contact[n_known + int(rng.integers(n_new - n_known))] = "Yes"  # a new person asks not to be contacted
    if n_known:
        do_not_contact[int(rng.integers(n_known))] = "Yes"  # and someone the CRM already knows
    signups = pd.DataFrame({
        "First name": first, "Last name": last, "Email address": email, "Mobile": phone, "Postcode": postcode,
        "Email updates": consent, "Do not contact": do_not_contact,
    })
    order = rng.permutation(n_new)
    signups = signups.iloc[order].reset_index(drop=True)
    truth = pd.Series([crm_id_of.get(p) if k else None for p, k in zip(persons[order], is_known[order])],
                      dtype=object, name="Supporter ID")
    # spreadsheet row numbers, as the loader gives them (header on row 1)
    signups.index = truth.index = pd.RangeIndex(2, n_new + 2)
    crm.index = pd.RangeIndex(2, n_crm + 2)
    return crm, signups, truth


def write_pair(folder: pathlib.Path, n_crm: int, n_new: int, seed: int = SEED,
               crm_name: str = CRM_FILE, new_name: str = NEW_FILE) -> list[pathlib.Path]:
    """Write a CRM export (.xlsx or .csv by its name) and a sign-up list into ``folder``."""
    from helpers.writing.workbooks import write_csv, write_frames

    crm, signups, _ = make_crm_and_signups(n_crm, n_new, seed)
    folder = pathlib.Path(folder)
    crm_path, new_path = folder / crm_name, folder / new_name
    if crm_path.suffix == ".xlsx":
        write_frames(crm_path, {"Supporters": crm})
    else:
        write_csv(crm, crm_path)
    write_csv(signups, new_path)
    return [crm_path, new_path]


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``crm-export.xlsx`` and ``new-signups.csv`` into ``folder`` (a few hundred rows each).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     [p.name for p in write_sample(pathlib.Path(tmp))]
        ['crm-export.xlsx', 'new-signups.csv']
    """
    return write_pair(folder, SAMPLE_CRM_ROWS, SAMPLE_NEW_ROWS, SEED)
