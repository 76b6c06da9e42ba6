"""A fake UK contact list with known duplicates, for the ``deduplicate-contacts`` playbook.

Each invented person is typed in once, and some of them again (up to three more
times) the way volunteers really do it: a nickname instead of the full first
name, a typo, first and last name swapped, the phone number in another format,
the email left out or in capitals, a title in the name box, a new address after
a house move. The person each row belongs to is kept in a separate "truth"
table, which the playbook never reads; tests and the benchmark score the
playbook's answer against it.

Everything is drawn with numpy from one seed, column by column, so a million
rows take a few seconds.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from helpers.contacts.tidy import NICKNAMES, map_distinct, strip_accents

SEED = 20240611
SAMPLE_ROWS = 1500
SAMPLE_FILE = "contacts.csv"
TRUTH_FILE = "contacts-truth.csv"

_MALE_NAMES = (
    "John David Michael Paul Andrew Mark James Richard Peter Robert Stephen Christopher "
    "Thomas William Daniel Matthew Anthony Simon Ian Gary Kevin Martin Alan Brian Graham "
    "Neil Colin Keith Philip Jonathan Edward Benjamin Samuel Joseph Alexander Nicholas "
    "Timothy Geoffrey Kenneth Raymond Trevor Barry Derek Frank Harold Leonard Ronald "
    "Oliver George Harry Jack Charlie Jacob Noah Oscar Leo Arthur Henry Freddie Alfie "
    "Theo Archie Isaac Lucas Ethan Logan Mohammed Muhammad Ali Omar Yusuf Ibrahim Hassan "
    "Tariq Imran Arjun Rohan Sanjay Rajesh Vikram Dylan Rhys Gareth Owen Dafydd Iwan "
    "Callum Euan Angus Hamish Fraser Ruaridh Sean Declan Ciaran Padraig Eoin Kwame Kofi "
    "Tunde Chidi Emeka Femi Jamal Tyrone Marcus Nathan Aaron Adam Luke Ryan Liam Connor "
    "Jordan Kieran Dominic Sebastian Rupert Hugo Felix Stanley Douglas Gordon Malcolm "
    "Stuart Vincent Lawrence Gerald Bernard Dennis Terence Clive Nigel Roger Howard José"
).split()
_FEMALE_NAMES = (
    "Mary Susan Margaret Sarah Elizabeth Patricia Jennifer Helen Linda Karen Julie "
    "Catherine Katherine Emma Rebecca Victoria Deborah Amanda Joanne Nicola Rachel Claire "
    "Lisa Jacqueline Michelle Alison Jane Anne Ruth Christine Valerie Pamela Maureen "
    "Barbara Jean Janet Sandra Carol Brenda Eileen Doreen Olivia Amelia Isla Ava Mia "
    "Ivy Lily Isabella Rosie Sophia Grace Freya Florence Poppy Evie Ella Charlotte "
    "Jessica Abigail Eleanor Hannah Chloë Zoë Lucy Megan Holly Bethany Siân Ffion "
    "Cerys Angharad Eilidh Morag Kirsty Fiona Aoife Niamh Siobhan Roisin Fatima Aisha "
    "Zainab Maryam Ayesha Priya Anjali Sunita Deepa Kavita Chioma Ngozi Amara Folake "
    "Renée Naomi Leah Tanya Kerry Donna Tracey Wendy Gillian Shirley Marion Irene "
    "Teresa Louise Natalie Samantha Hayley Gemma Kelly Stacey Danielle Jade Laura"
).split()
_COMMON_SURNAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts "
    "Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke "
    "Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker "
    "Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson "
    "Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen "
    "Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins "
    "Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews "
    "Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole "
    "Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan "
    "Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter "
    "Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland "
    "Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner "
    "Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson "
    "Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates "
    "Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers "
    "Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George "
    "Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson "
    "Stephenson Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan "
    "Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch Goodwin Barton Woodward "
    "Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings Holt "
    "Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson "
    "Banks French Okafor Adeyemi Mensah Nowak Kowalski Novak Rossi Silva Costa Nguyen "
    "Chen Wong Li Zhang Kim Müller Schmidt Dubois Fernández García Rodríguez Hernández"
).split()
# Built-up English surnames ("Ashworth", "Blackwood") widen the pool, so that a
# million rows do not crowd a few hundred surnames with strangers who share them.
_SURNAME_STARTS = (
    "Ash Black Brad Brook Cald Chad Clay Cran Crow Dal Dun East Els Fair Farn Gold "
    "Green Ham Hart Hay Hol Kings Lang Lock Mar Mid Mill New North Old Pen Red Rich "
    "Ship South Stan Ster Stock Thorn Wal Wat West Whit Wind Win Wood Wor"
).split()
_SURNAME_ENDS = (
    "worth wood ford field ley ton by ham well combe more den hurst stead wick bury "
    "land ridge brook thorpe cott stone fell gate burn"
).split()
_STREET_NAMES = (
    "High Station Church Park Victoria Green Manor Kings Queens Mill New School Grange "
    "Albert Windsor York Chapel Richmond Springfield Highfield Main Broad Castle West "
    "North South Market Bridge Hill Orchard Meadow Oak Elm Beech Cedar Willow Ash Holly "
    "Rose Primrose Clarence Stanley Grove Alexandra Balmoral Cromwell Nelson Wellington"
).split()
_STREET_TYPES = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Crescent", "Gardens"]
_STREET_ABBREVIATIONS = {"Road": "Rd", "Street": "St", "Lane": "Ln", "Avenue": "Ave",
                         "Close": "Cl", "Drive": "Dr", "Crescent": "Cres", "Gardens": "Gdns"}
# Real-format postcode districts and their post towns.
_DISTRICTS = [
    ("LS6", "Leeds"), ("LS11", "Leeds"), ("LS28", "Pudsey"), ("M14", "Manchester"),
    ("M20", "Manchester"), ("B15", "Birmingham"), ("B29", "Birmingham"), ("L8", "Liverpool"),
    ("L17", "Liverpool"), ("S10", "Sheffield"), ("S7", "Sheffield"), ("BS3", "Bristol"),
    ("BS6", "Bristol"), ("NE6", "Newcastle upon Tyne"), ("NG7", "Nottingham"),
    ("LE2", "Leicester"), ("CF24", "Cardiff"), ("CF5", "Cardiff"), ("SA1", "Swansea"),
    ("EH6", "Edinburgh"), ("EH11", "Edinburgh"), ("G12", "Glasgow"), ("G41", "Glasgow"),
    ("AB24", "Aberdeen"), ("DD1", "Dundee"), ("BT7", "Belfast"), ("BT9", "Belfast"),
    ("E8", "London"), ("N16", "London"), ("SE15", "London"), ("SW9", "London"),
    ("NW6", "London"), ("W12", "London"), ("SW1A", "London"), ("EC1V", "London"),
    ("OX4", "Oxford"), ("CB1", "Cambridge"), ("YO10", "York"), ("HU5", "Hull"),
    ("PL4", "Plymouth"), ("EX4", "Exeter"), ("NR2", "Norwich"), ("IP4", "Ipswich"),
    ("BN2", "Brighton"), ("PO4", "Southsea"), ("SO17", "Southampton"), ("RG1", "Reading"),
    ("MK9", "Milton Keynes"), ("CV1", "Coventry"), ("ST4", "Stoke-on-Trent"),
    ("DE1", "Derby"), ("LN2", "Lincoln"), ("PR1", "Preston"), ("BB2", "Blackburn"),
    ("BD8", "Bradford"), ("HX1", "Halifax"), ("HD1", "Huddersfield"), ("WF1", "Wakefield"),
    ("DN1", "Doncaster"), ("TS1", "Middlesbrough"), ("SR1", "Sunderland"), ("DH1", "Durham"),
    ("CA1", "Carlisle"), ("LA1", "Lancaster"), ("TR1", "Truro"), ("TA1", "Taunton"),
    ("GL1", "Gloucester"), ("WR1", "Worcester"), ("HR1", "Hereford"), ("SY1", "Shrewsbury"),
    ("LL57", "Bangor"), ("IV2", "Inverness"), ("KY1", "Kirkcaldy"), ("PA1", "Paisley"),
]
_INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
_EMAIL_DOMAINS = np.array(["example.com", "example.org", "example.net", "mail.example.com",
                           "post.example.org", "inbox.example.net"])
# Ofcom's drama ranges: 07700 900xxx mobiles and a handful of geographic ones.
# Stored as the national number without its leading 0; the last digits vary.
_PHONE_PREFIXES = [
    ("7700900", 3), ("1134960", 3), ("1144960", 3), ("1154960", 3), ("1164960", 3),
    ("1174960", 3), ("1214960", 3), ("1314960", 3), ("1414960", 3), ("1514960", 3),
    ("1614960", 3), ("1914960", 3), ("2079460", 3), ("2920180", 3), ("1632960", 3),
]
_PHONE_FORMATS = 8


def _phone_pool() -> np.ndarray:
    """Every fake number as a ten-digit national number, mobiles first."""
    pool = [prefix + str(tail).zfill(width)
            for prefix, width in _PHONE_PREFIXES for tail in range(10**width)]
    return np.array(pool)


def format_phone(national: str, style: int) -> str:
    """Write a ten-digit UK national number (no leading 0) in one of the common styles.

    Example:
        >>> [format_phone("7700900123", s) for s in range(3)]
        ['07700 900123', '07700900123', '+44 7700 900123']
    """
    if national.startswith("7") or national.startswith("1632"):
        head, tail = national[:4], national[4:]  # 07700 900123, 01632 960123
    elif national.startswith("2"):
        head, tail = national[:2], national[2:6] + " " + national[6:]  # 020 7946 0123
    else:
        head, tail = national[:3], national[3:6] + " " + national[6:]  # 0113 496 0123
    styles = [
        f"0{head} {tail}",
        f"0{national}",
        f"+44 {head} {tail}",
        f"+44{national}",
        f"0044 {head} {tail}",
        f"(0{head}) {tail}",
        f"0{head}-{tail.replace(' ', '-')}",
        f"+44 (0){head} {tail}",
    ]
    return styles[style]


def _typo(word: str, where: float, kind: int) -> str:
    """One keyboard slip: swap two letters, drop one, double one or change one."""
    if len(word) < 4:
        return word
    i = 1 + int(where * (len(word) - 2))  # never the first letter
    if kind == 0:
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    swap = "e" if word[i] != "e" else "a"
    return word[:i] + swap + word[i + 1:]


def _apply(values: np.ndarray, mask: np.ndarray, change) -> None:
    """Rewrite ``values[mask]`` in place with ``change(old, position)``."""
    positions = np.flatnonzero(mask)
    values[positions] = [change(values[p], p) for p in positions]


def make_contacts(n_rows: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Make a contact list of ``n_rows`` rows with known duplicates.

    Args:
        n_rows: How many rows (records) to make; about one in four people is
            typed in more than once, so there are roughly ``n_rows / 1.4`` people.
        seed: The random seed; the same seed gives the same list.

    Returns:
        ``(contacts, truth)``: the contact list as a CRM would export it (text
        columns, ids in column "Contact ID", rows shuffled), and a frame with
        "Contact ID" and "Person ID" saying which invented person each row is.

    Example:
        >>> contacts, truth = make_contacts(200, seed=1)
        >>> len(contacts), contacts["Contact ID"].is_unique
        (200, True)
        >>> bool(truth["Person ID"].nunique() < 200)
        True
    """
    rng = np.random.default_rng(seed)
    copies_extra = rng.choice(4, size=n_rows, p=[0.74, 0.17, 0.06, 0.03])
    rows_per_person = copies_extra + 1
    n_people = int(np.searchsorted(np.cumsum(rows_per_person), n_rows) + 1)
    rows_per_person = rows_per_person[:n_people]
    rows_per_person[-1] -= int(rows_per_person.sum() - n_rows)
    person = np.repeat(np.arange(n_people), rows_per_person)
    copy = np.arange(n_rows) - np.repeat(np.cumsum(rows_per_person) - rows_per_person, rows_per_person)
    duplicate = copy > 0

    # --- who each person is -------------------------------------------------
    surnames = np.array(_COMMON_SURNAMES + [s + e for s in _SURNAME_STARTS for e in _SURNAME_ENDS])
    n_common = len(_COMMON_SURNAMES)
    # common surnames are much more common, as in real lists (Zipf-like weights)
    weights = np.concatenate([1.0 / np.arange(1, n_common + 1) ** 0.6 * 6,
                              np.full(len(surnames) - n_common, 0.5)])
    person_surname = rng.choice(surnames, size=n_people, p=weights / weights.sum())
    female = rng.random(n_people) < 0.52
    first_pool = np.where(female, rng.choice(_FEMALE_NAMES, n_people), rng.choice(_MALE_NAMES, n_people))
    person_first = first_pool.astype(object)
    dob_days = rng.integers(np.datetime64("1935-01-01").astype(int),
                            np.datetime64("2006-12-31").astype(int), n_people)
    district = rng.integers(0, len(_DISTRICTS), n_people)
    abroad = rng.random(n_people) < 0.01
    pool = _phone_pool()
    phone_of_person = pool[rng.permutation(len(pool))[np.arange(n_people) % len(pool)]]

    def addresses(count: int):
        number = rng.integers(1, 240, count)
        street = rng.choice(_STREET_NAMES, count)
        street_type = rng.choice(_STREET_TYPES, count)
        place = rng.integers(0, len(_DISTRICTS), count)
        inward = (rng.integers(1, 10, count).astype(str).astype(object)
                  + rng.choice(_INWARD_LETTERS, count) + rng.choice(_INWARD_LETTERS, count))
        return number, street, street_type, place, inward

    number, street, street_type, _, inward = addresses(n_people)

    # --- each row starts as a faithful copy of its person --------------------
    first = person_first[person].copy()
    surname = person_surname[person].astype(object)
    dob = dob_days[person]
    phone_national = phone_of_person[person].copy()
    house, road, road_type = number[person], street[person], street_type[person]
    place, code_in = district[person], inward[person]

    email_style = rng.integers(0, 4, n_people)
    email_number = rng.integers(1, 100, n_people).astype(str).astype(object)
    email_domain = rng.choice(_EMAIL_DOMAINS, n_people)

    # --- what volunteers do to a second copy ---------------------------------
    def chance(p: float, among: np.ndarray | None = None) -> np.ndarray:
        hit = rng.random(n_rows) < p
        return hit & (duplicate if among is None else among)

    formal_of = {}
    for nickname, formal in NICKNAMES.items():
        formal_of.setdefault(formal.title(), []).append(nickname.title())
    nickname_draw = rng.random(n_rows)
    _apply(first, chance(0.25) & np.isin(first, list(formal_of)),
           lambda name, p: formal_of[name][int(nickname_draw[p] * len(formal_of[name]))])
    typo_where, typo_kind = rng.random(n_rows), rng.integers(0, 4, n_rows)
    _apply(first, chance(0.08), lambda name, p: _typo(name, typo_where[p], typo_kind[p]))
    _apply(surname, chance(0.08), lambda name, p: _typo(name, typo_where[p], typo_kind[p]))
    moved = chance(0.15)
    new_number, new_street, new_type, new_place, new_inward = addresses(int(moved.sum()))
    house[moved], road[moved], road_type[moved] = new_number, new_street, new_type
    place[moved], code_in[moved] = new_place, new_inward
    new_phone = moved & (rng.random(n_rows) < 0.4)  # a house move often brings a new landline
    phone_national[new_phone] = pool[rng.integers(0, len(pool), int(new_phone.sum()))]
    dob_typo = chance(0.03)
    # a slipped digit in the day, month or year
    dob[dob_typo] += rng.choice([-1, 1, 10, -10, 31, -31, 365, -365, 3653], int(dob_typo.sum()))

    # --- write the columns as a CRM export shows them ------------------------
    def email_word(names: np.ndarray) -> np.ndarray:
        return map_distinct(pd.Series(names), lambda n: strip_accents(n).lower().replace("'", "")).to_numpy()

    email_first, email_last = email_word(person_first), email_word(person_surname)
    initial = pd.Series(email_first).str[0].to_numpy(dtype=object)
    local = np.select(
        [email_style == 0, email_style == 1, email_style == 2],
        [email_first + "." + email_last, email_first + email_last + email_number,
         initial + email_last + email_number],
        email_first + "_" + email_last + "_" + email_number,
    )
    address_of_person = local + "@" + email_domain.astype(object)
    # a mailbox belongs to one person: a second John Smith gets his own number
    taken = pd.Series(address_of_person).duplicated().to_numpy()
    address_of_person[taken] = (local[taken] + "." + (np.flatnonzero(taken) + 1).astype(str).astype(object)
                                + "@" + email_domain[taken].astype(object))
    email = address_of_person[person].astype(object)
    new_email = chance(0.06)  # a new mailbox since the first record
    changed = int(new_email.sum())
    email[new_email] = (local[person[new_email]] + rng.integers(100, 999, changed).astype(str).astype(object)
                        + "@" + rng.choice(_EMAIL_DOMAINS, changed).astype(object))
    _apply(email, chance(0.10), lambda e, p: e.upper())
    _apply(email, chance(0.05), lambda e, p: f" {e} ")
    email[chance(0.02)] = "unknown"
    email[chance(0.30) | (rng.random(n_rows) < 0.12)] = None

    phone_style = np.where(duplicate, rng.integers(0, _PHONE_FORMATS, n_rows), rng.integers(0, 2, n_rows))
    # a number is written in few styles, so format each (number, style) pair once
    pair_text = pd.Series(phone_national).astype(object) + "|" + phone_style.astype(str).astype(object)
    phone_codes, phone_pairs = pd.factorize(pair_text)
    written = np.array([format_phone(pair[:10], int(pair[11:])) for pair in phone_pairs], dtype=object)
    phone = written[phone_codes]
    phone[chance(0.20) | (rng.random(n_rows) < 0.12)] = None

    district_names = np.array([d for d, _ in _DISTRICTS], dtype=object)
    towns = np.array([t for _, t in _DISTRICTS], dtype=object)
    postcode = district_names[place] + " " + code_in
    town = towns[place].copy()
    abroad_row = abroad[person] & ~moved
    eircode = ("D" + pd.Series(rng.integers(1, 25, n_rows)).astype(str).str.zfill(2)
               + " " + rng.choice(_INWARD_LETTERS, n_rows) + rng.integers(100, 999, n_rows).astype(str))
    postcode[abroad_row] = eircode.to_numpy(dtype=object)[abroad_row]
    town[abroad_row] = "Dublin"
    _apply(postcode, chance(0.20), lambda pc, p: pc.replace(" ", "").lower())
    postcode[chance(0.08) | (rng.random(n_rows) < 0.04)] = None

    street_word = np.where(chance(0.3), pd.Series(road_type).map(_STREET_ABBREVIATIONS).to_numpy(), road_type)
    address = house.astype(str).astype(object) + " " + road + " " + street_word.astype(object)
    address[rng.random(n_rows) < 0.04] = None
    town[chance(0.2) | (rng.random(n_rows) < 0.05)] = None

    dob_text = pd.Series(pd.to_datetime(dob, unit="D")).dt.strftime("%d/%m/%Y").to_numpy(dtype=object)
    dob_text[chance(0.30) | (rng.random(n_rows) < 0.20)] = None

    swapped = chance(0.05)
    first[swapped], surname[swapped] = surname[swapped], first[swapped].copy()
    titles = np.where(female[person], rng.choice(["Mrs", "Ms", "Miss", "Dr"], n_rows),
                      rng.choice(["Mr", "Mr", "Dr", "Rev"], n_rows))
    titled = chance(0.04, among=np.ones(n_rows, bool))
    first[titled] = titles[titled].astype(object) + " " + first[titled]
    _apply(first, chance(0.04), lambda name, p: strip_accents(name))
    _apply(surname, chance(0.05), lambda name, p: name.upper())

    added = (np.datetime64("2016-01-01").astype(int) + rng.integers(0, 365 * 4, n_people))[person]
    added = added + copy * rng.integers(30, 800, n_rows)
    kinds = rng.choice(["Donor", "Volunteer", "Member", "Donor", "Event attendee"], n_rows)

    order = rng.permutation(n_rows)
    contact_id = np.char.add("C", (np.arange(n_rows) + 10001).astype(str))
    contacts = pd.DataFrame(
        {
            "Contact ID": contact_id,
            "First name": first[order],
            "Surname": surname[order],
            "Email": email[order],
            "Phone": phone[order],
            "Address": address[order],
            "Town": town[order],
            "Postcode": postcode[order],
            "Date of birth": dob_text[order],
            "Supporter type": kinds[order],
            "Date added": pd.Series(pd.to_datetime(added[order], unit="D")).dt.strftime("%d/%m/%Y").to_numpy(),
        }
    )
    truth = pd.DataFrame({"Contact ID": contact_id, "Person ID": person[order] + 1})
    return contacts, truth


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``contacts.csv`` and its answer key ``contacts-truth.csv`` into ``folder``.

    Args:
        folder: Where to write (it must exist).

    Returns:
        The two paths written.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     [p.name for p in write_sample(pathlib.Path(tmp))]
        ['contacts.csv', 'contacts-truth.csv']
    """
    contacts, truth = make_contacts(SAMPLE_ROWS, SEED)
    folder = pathlib.Path(folder)
    contacts_path, truth_path = folder / SAMPLE_FILE, folder / TRUTH_FILE
    contacts.to_csv(contacts_path, index=False, lineterminator="\n")
    truth.to_csv(truth_path, index=False, lineterminator="\n")
    return [contacts_path, truth_path]


# --------------------------------------------------------------------------- small test lists

#: Error patterns of the small lists: chance per copy of each slip (a list is
#: one of these "styles", so the tests do not tune to one kind of mess).
SMALL_LIST_STYLES = {
    "careful": {"typo": 0.10, "nickname": 0.10, "blank": 0.10, "moved": 0.10, "dob_slip": 0.03, "swap": 0.02},
    "busy": {"typo": 0.25, "nickname": 0.15, "blank": 0.20, "moved": 0.20, "dob_slip": 0.06, "swap": 0.04},
    "messy": {"typo": 0.35, "nickname": 0.20, "blank": 0.30, "moved": 0.25, "dob_slip": 0.08, "swap": 0.05},
}
_CITIES = sorted({town for _, town in _DISTRICTS})


def make_small_list(n_rows: int = 1000, seed: int = 1, style: str = "busy",
                    names_only: bool = False) -> tuple[pd.DataFrame, pd.Series]:
    """A small UK-style contact list (first name, surname, date of birth, city, email).

    People are entered up to four times by different hands: a typo in a name, a
    nickname, a blank field, a move to another city, a new email, a date of
    birth with day and month swapped or one digit wrong, first and last name
    swapped. ``names_only`` keeps just the two name columns.

    Args:
        n_rows: Records to make.
        seed: Random seed.
        style: One of :data:`SMALL_LIST_STYLES` (how often each slip happens).
        names_only: Keep only "First name" and "Surname".

    Returns:
        ``(contacts, person)``: the list (rows from 2, as a spreadsheet numbers
        them) and the true person of each row.

    Example:
        >>> contacts, person = make_small_list(300, seed=3)
        >>> list(contacts.columns), len(contacts), bool(person.nunique() < 300)
        (['First name', 'Surname', 'Date of birth', 'City', 'Email'], 300, True)
    """
    rng = np.random.default_rng(seed)
    slips = SMALL_LIST_STYLES[style]
    nick_of = {}
    for nickname, formal in NICKNAMES.items():
        nick_of.setdefault(formal, []).append(nickname)
    records, people = [], []
    person = 0
    while len(records) < n_rows:
        female = rng.random() < 0.5
        first = str(rng.choice(_FEMALE_NAMES if female else _MALE_NAMES))
        surname = str(rng.choice(_COMMON_SURNAMES))
        born = pd.Timestamp("1935-01-01") + pd.Timedelta(days=int(rng.integers(0, 365 * 70)))
        city = str(rng.choice(_CITIES))
        email = f"{first.lower()}.{surname.lower()}{int(rng.integers(1, 99))}@{rng.choice(_EMAIL_DOMAINS)}"
        copies = 1 + int(rng.choice(4, p=[0.6, 0.25, 0.1, 0.05]))
        for copy in range(min(copies, n_rows - len(records))):
            f, s, d, c, e = first, surname, born.strftime("%d/%m/%Y"), city, email
            if copy:
                if rng.random() < slips["nickname"] and first.lower() in nick_of:
                    f = str(rng.choice(nick_of[first.lower()])).capitalize()
                if rng.random() < slips["typo"]:
                    if rng.random() < 0.5:
                        f = _typo(f, rng.random(), int(rng.integers(4)))
                    else:
                        s = _typo(s, rng.random(), int(rng.integers(4)))
                if rng.random() < slips["moved"]:
                    c = str(rng.choice(_CITIES))
                    if rng.random() < 0.5:
                        e = f"{first[0].lower()}{surname.lower()}@{rng.choice(_EMAIL_DOMAINS)}"
                if rng.random() < slips["dob_slip"]:
                    if born.day <= 12 and rng.random() < 0.5:
                        d = born.strftime("%m/%d/%Y")
                    else:
                        digits = list(d)
                        where = int(rng.choice([0, 1, 9]))
                        digits[where] = str((int(digits[where]) + 1) % 10) if where != 0 else "1"
                        d = "".join(digits)
                if rng.random() < slips["swap"]:
                    f, s = s, f
                for field in ("d", "c", "e"):
                    if rng.random() < slips["blank"] / 2:
                        d, c, e = (None if field == "d" else d, None if field == "c" else c,
                                   None if field == "e" else e)
                if rng.random() < 0.2:
                    e = e.upper() if e else e
            records.append([f, s, d, c, e])
            people.append(person)
        person += 1
    order = rng.permutation(len(records))
    table = pd.DataFrame([records[i] for i in order],
                         columns=["First name", "Surname", "Date of birth", "City", "Email"])
    table.index = pd.RangeIndex(2, 2 + len(table))
    truth = pd.Series([people[i] for i in order], index=table.index, name="person")
    if names_only:
        table = table[["First name", "Surname"]]
    return table, truth


def make_family_list(n_rows: int = 620, seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    """A contact list of households: families share an email, a landline and an address.

    In about a third of households a parent and a grown-up child share the
    whole name (and so everything but their date of birth, about 25 years
    apart). About a third of people are entered two or three times.

    Args:
        n_rows: Records to make.
        seed: Random seed.

    Returns:
        ``(contacts, person)`` as for :func:`make_small_list`.

    Example:
        >>> contacts, person = make_family_list(120, seed=2)
        >>> len(contacts), bool(contacts["Email"].duplicated().any())
        (120, True)
    """
    rng = np.random.default_rng(seed)
    pool = _phone_pool()
    records, people = [], []
    person = 0
    while len(records) < n_rows:
        surname = str(rng.choice(_COMMON_SURNAMES))
        district, town = _DISTRICTS[int(rng.integers(len(_DISTRICTS)))]
        postcode = f"{district} {int(rng.integers(1, 10))}{''.join(rng.choice(_INWARD_LETTERS, 2))}"
        address = f"{int(rng.integers(1, 200))} {rng.choice(_STREET_NAMES)} {rng.choice(_STREET_TYPES)}"
        landline = format_phone(str(rng.choice(pool[1000:])), 0)
        email = f"the{surname.lower()}s{int(rng.integers(1, 99))}@{rng.choice(_EMAIL_DOMAINS)}"
        parent_born = pd.Timestamp("1940-01-01") + pd.Timedelta(days=int(rng.integers(0, 365 * 30)))
        parent_first = str(rng.choice(_MALE_NAMES))
        members = [(parent_first, parent_born)]
        same_name_child = rng.random() < 0.35
        for _ in range(int(rng.integers(1, 4))):
            child_born = parent_born + pd.Timedelta(days=int(365.25 * rng.uniform(22, 30)))
            child_first = parent_first if same_name_child else str(rng.choice(_MALE_NAMES + _FEMALE_NAMES))
            same_name_child = False
            members.append((child_first, child_born))
        for first, born in members:
            copies = 1 + int(rng.choice(3, p=[0.67, 0.23, 0.10]))
            for copy in range(min(copies, n_rows - len(records))):
                f = first if not copy or rng.random() > 0.2 else _typo(first, rng.random(), int(rng.integers(4)))
                phone = landline if rng.random() > 0.1 else None
                records.append([f, surname, born.strftime("%d/%m/%Y"), address, postcode, town, phone,
                                email if rng.random() > 0.1 else None])
                people.append(person)
            person += 1
    order = rng.permutation(len(records))
    table = pd.DataFrame([records[i] for i in order], columns=["First name", "Surname", "Date of birth",
                                                               "Address", "Postcode", "Town", "Phone", "Email"])
    table.index = pd.RangeIndex(2, 2 + len(table))
    return table, pd.Series([people[i] for i in order], index=table.index, name="person")
