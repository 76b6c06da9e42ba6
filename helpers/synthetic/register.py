"""A messy client register for the health-check playbook (and the loader's tests).

``register.xlsx`` is the kind of workbook a small charity keeps by hand: the client list
of a fake food pantry in Hackney, with every everyday problem put in on purpose (see
``datasets/README.md``): title rows above the header, a blank row and a blank column,
a totals row, boroughs and referral routes typed several ways, repeated and
near-repeated people, bad postcodes, emails and phone numbers, dates of birth that are
text or impossible, future registration dates, "£12.50" typed as text, and "N/A" in
number columns. ``register-cp1252.csv`` is an older-style export of another client
list: Windows-1252 text, semicolons, day-first dates with two- and four-digit years,
amounts such as "£1,200.50" and "(12.00)", references with leading zeros.

All people are invented: names are drawn from common UK names, phone numbers from
Ofcom's drama range (07700 900xxx), emails use the reserved example domains. One seed
drives everything, and the workbook is written with fixed timestamps so that
:func:`write_sample` produces the same bytes on every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import pathlib
import random
import re
import zipfile

SEED = 20251003
CLIENT_ROWS = 480
CSV_ROWS = 150
XLSX_FILE = "register.xlsx"
CSV_FILE = "register-cp1252.csv"
EXPORTED = dt.datetime(2025, 10, 3, 9, 30)

#: The "Clients" sheet's columns, in order. ``None`` is the blank column left in by hand.
CLIENT_HEADER = (
    "Client ID", "First name", "Surname", "Date of birth", "Gender", "Email", "Phone", "Address", None,
    "Post Code", "Borough", "Referral route", "Date registered", "Household size", "Visits", "Donation", "Notes",
)
TITLE = "Hackney Community Pantry \u2014 client register"
SUBTITLE = f"Exported {EXPORTED:%d/%m/%Y}"

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Sophie", "Emily", "Aisha", "Fatima",
    "Zainab", "Priya", "Chloe", "Jessica", "Hannah", "Precious", "Blessing", "Niamh", "Oliver", "George",
    "Harry", "Noah", "Jack", "Leo", "Arthur", "Muhammad", "Oscar", "Charlie", "Jacob", "Thomas", "Ibrahim",
    "Yusuf", "Kwame", "Daniel", "Samuel", "Joseph", "Ethan", "Ryan", "Tomasz", "Mehmet", "Deniz", "Kofi",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Patel", "Khan", "Ahmed", "Ali", "Begum", "Hussain", "Okafor", "Mensah", "Adeyemi", "Campbell", "Clarke",
    "Lewis", "Kowalski", "Nowak", "Yilmaz", "Demir", "O'Brien", "Murphy", "Kelly", "Fernandes", "Santos",
)
STREETS = (
    "Mare Street", "Amhurst Road", "Dalston Lane", "Kingsland Road", "Morning Lane", "Well Street",
    "Chatsworth Road", "Lower Clapton Road", "Graham Road", "Homerton High Street", "Evering Road",
    "Rectory Road", "Sandringham Road", "Wilton Way", "Victoria Park Road", "Cazenove Road",
)
OUTWARD_CODES = ("E8", "E8", "E8", "E5", "E5", "E9", "N16", "N16", "N1", "E2")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
BOROUGHS = (("Hackney", 0.82), ("Islington", 0.07), ("Tower Hamlets", 0.06), ("Haringey", 0.05))
BOROUGH_TYPOS = ("hackney ", "Hackny", "HACKNEY", " Hackney", "Hackney.")
#: Referral routes, each with the ways people typed it.
REFERRAL_ROUTES = (
    ("GP", 0.25, ("G.P.", "gp", "GP surgery", "Gp")),
    ("Self-referral", 0.22, ("self referral", "Self", "self-referral")),
    ("Food bank voucher", 0.15, ("Foodbank voucher", "food bank voucher")),
    ("Social worker", 0.12, ("social worker", "Social Services")),
    ("Citizens Advice", 0.12, ("CAB", "Citizens advice")),
    ("School", 0.08, ("school",)),
    ("Housing officer", 0.06, ("housing officer",)),
)
GENDERS = (("Female", 0.44), ("Male", 0.38), ("F", 0.05), ("M", 0.04), ("female", 0.02), ("Non-binary", 0.02),
           ("Prefer not to say", 0.02), (None, 0.03))
NOTES = (
    "Needs halal food", "Prefers Tuesday collection", "Vegetarian", "Allergic to nuts",
    "Lives with mum \u2013 she is her carer", "Asked for \u201cno pork\u201d please", "Moved from Leeds in May",
    "Collects for a neighbour", "Needs large print letters", "Baby due in spring", "No cooker at the moment",
    "Speaks Turkish; son translates", "Can\u2019t manage stairs",
)
BAD_POSTCODES = ("E8 1XX1", "N/A", "E8", "EC8 1AB", "SW1A1AA1", "unknown")
BAD_EMAILS = ("{first}.{last}@example", "{first} {last}@example.com", "{first}{last}.example.com",
              "{first}@@example.org", "{first}.{last}@example,com")
UNREADABLE_BIRTH_DATES = ("31/02/1990", "last year", "30/02/1985", "1987?", "32/01/1979")
BAD_PHONES = ("07700 9001", "7700900", "077009001234", "n/a", "0207 946")
#: Household sizes typed as missing ("N/A"...) or as words that cannot be read as a number.
BAD_HOUSEHOLD_SIZES = ("N/A", "two", "unknown", "?", "3 or 4", "-", "lots")
TYPED_DONATIONS = ("£12.50", "£5", "£2.00", "N/A", "£1,000.00")


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return dt.datetime(day.year, day.month, day.day)


def fake_postcode(rng: random.Random) -> str:
    """A postcode in the real format, in and around Hackney (it may not exist)."""
    return f"{rng.choice(OUTWARD_CODES)} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def fake_phone(rng: random.Random, number: int | None = None) -> str:
    """A mobile number from Ofcom's drama range, written one of the ways people write them."""
    last = rng.randrange(1000) if number is None else number
    styles = (
        f"07700 900{last:03d}", f"07700 900{last:03d}", f"07700900{last:03d}", f"+44 7700 900{last:03d}",
        f"0044 7700 900{last:03d}", f"(07700) 900{last:03d}", f"07700-900-{last:03d}", f"+447700900{last:03d}",
    )
    return rng.choice(styles)


def _email(rng: random.Random, first: str, last: str) -> str:
    plain_last = re.sub(r"[^A-Za-z]", "", last)
    domain = rng.choice(("example.com", "example.org", "example.net"))
    return f"{first}.{plain_last}{rng.randrange(100)}@{domain}".lower()


def make_clients(n_clients: int = CLIENT_ROWS, seed: int = SEED) -> list[list]:
    """The "Clients" sheet's data rows (cell values, with the blank column as None).

    Includes exact repeats and near-repeats of some people, but not the blank row or
    the totals row (:func:`write_register_xlsx` adds those).

    Args:
        n_clients: How many different people to invent (repeats are added on top).
        seed: The random seed.

    Returns:
        One list of cell values per row, in :data:`CLIENT_HEADER` order.
    """
    rng = random.Random(seed)
    # Each kind of mistake comes round in turn, so every one of them is in the file.
    mistakes = {name: itertools.cycle(values) for name, values in (
        ("birth", UNREADABLE_BIRTH_DATES), ("email", BAD_EMAILS), ("phone", BAD_PHONES),
        ("postcode", BAD_POSTCODES), ("borough", BOROUGH_TYPOS), ("household", BAD_HOUSEHOLD_SIZES),
        ("donation", TYPED_DONATIONS))}
    rows = []
    for number in range(1, n_clients + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        birth = _random_date(rng, dt.date(1936, 1, 1), dt.date(2006, 12, 31))
        roll = rng.random()
        if roll < 0.04:
            birth = birth.strftime("%d/%m/%Y")  # typed as text
        elif roll < 0.05:
            birth = next(mistakes["birth"])
        elif roll < 0.08:
            birth = rng.choice((None, None, "N/A", "unknown"))
        email = _email(rng, first, last)
        roll = rng.random()
        if roll < 0.05:
            email = next(mistakes["email"]).format(first=first.lower(), last=last.lower())
        elif roll < 0.12:
            email = None
        phone = fake_phone(rng)
        roll = rng.random()
        if roll < 0.04:
            phone = next(mistakes["phone"])
        elif roll < 0.08:
            phone = None
        flat = f"Flat {rng.randrange(1, 30)}, " if rng.random() < 0.3 else ""
        address = f"{flat}{rng.randrange(1, 250)} {rng.choice(STREETS)}"
        postcode = fake_postcode(rng)
        roll = rng.random()
        if roll < 0.03:
            postcode = next(mistakes["postcode"])
        elif roll < 0.08:
            postcode = postcode.replace(" ", "").lower()  # valid, but not tidy
        elif roll < 0.10:
            postcode = None
        borough = _weighted(rng, BOROUGHS)
        if borough == "Hackney" and rng.random() < 0.12:
            borough = next(mistakes["borough"])
        route, _, variants = rng.choices(REFERRAL_ROUTES, weights=[r[1] for r in REFERRAL_ROUTES])[0]
        if rng.random() < 0.25:
            route = rng.choice(variants)
        registered = _random_date(rng, dt.date(2019, 1, 7), dt.date(2025, 9, 30))
        if rng.random() < 0.03:
            registered = registered.strftime("%d/%m/%Y")
        household = rng.choices(range(1, 9), weights=(30, 22, 16, 13, 9, 5, 3, 2))[0]
        roll = rng.random()
        if roll < 0.06:
            household = next(mistakes["household"])
        visits = min(int(rng.expovariate(1 / 9)), 80)
        if rng.random() < 0.03:
            visits = rng.choice((None, "-", "N/A"))
        roll = rng.random()
        donation = None
        if roll < 0.15:
            donation = rng.choice((2.0, 5.0, 5.0, 10.0, 12.5, 20.0))
        elif roll < 0.22:
            donation = next(mistakes["donation"])
        notes = rng.choice(NOTES) if rng.random() < 0.18 else None
        rows.append([
            f"HCP-{number:04d}", first, last, birth, _weighted(rng, GENDERS), email, phone, address, None,
            postcode, borough, route, registered, household, visits, donation, notes,
        ])
    # A couple of registration dates in the future (typos for 2023 and 2025).
    for row, when in zip(rng.sample(rows, 2), (dt.datetime(2031, 7, 1), dt.datetime(2026, 3, 14))):
        row[12] = when
    _add_repeats(rng, rows)
    return rows


def _add_repeats(rng: random.Random, rows: list[list]) -> None:
    """Exact repeats (the same row pasted twice) and near-repeats (one field typed differently)."""
    originals = rng.sample(rows, 14)
    for row in originals[:5]:
        rows.insert(rng.randrange(rows.index(row) + 1, len(rows) + 1), list(row))
    next_id = len(rows) + 1
    changes = ("email_case", "phone_style", "surname_typo", "nickname", "postcode_style", "dob_text", "borough",
               "email_case", "phone_style")
    for row, change in zip(originals[5:], changes):
        copy = list(row)
        copy[0] = f"HCP-{next_id:04d}"
        next_id += 1
        if change == "email_case" and copy[5]:
            copy[5] = copy[5].upper()
        elif change == "phone_style" and copy[6] and re.search(r"900\d{3}$", copy[6]):
            copy[6] = fake_phone(rng, int(copy[6][-3:]))
        elif change == "surname_typo" and len(copy[2]) > 3:
            copy[2] = copy[2][:2] + copy[2][3] + copy[2][2] + copy[2][4:]
        elif change == "nickname":
            copy[1] = copy[1][:3]
        elif change == "postcode_style" and copy[9]:
            copy[9] = copy[9].replace(" ", "").lower()
        elif change == "dob_text" and isinstance(copy[3], dt.datetime):
            copy[3] = copy[3].strftime("%d/%m/%Y")
        else:
            copy[10] = "hackney "
        rows.insert(rng.randrange(len(rows) // 2, len(rows) + 1), copy)


def make_volunteers(seed: int = SEED) -> list[list]:
    """The smaller "Volunteers" table: header row first."""
    rng = random.Random(seed + 1)
    rows = [["Name", "Role", "Start date", "Phone", "DBS checked", "Hours last month"]]
    for _ in range(24):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        role = rng.choice(("Packer", "Packer", "Driver", "Welcome desk", "Stock", "Coordinator"))
        rows.append([name, role, _random_date(rng, dt.date(2018, 1, 1), dt.date(2025, 8, 31)),
                     fake_phone(rng), rng.choice(("Yes", "Yes", "Yes", "No", "yes")), rng.randrange(0, 40)])
    return rows


def write_register_xlsx(path: pathlib.Path, n_clients: int = CLIENT_ROWS, seed: int = SEED) -> pathlib.Path:
    """Write the messy register workbook (sheets "Clients", "Volunteers", "Lookup").

    Args:
        path: Where to write.
        n_clients: People on the "Clients" sheet before repeats (tests and benchmarks
            may ask for more).
        seed: The random seed.

    Returns:
        ``path``.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    clients = workbook.active
    clients.title = "Clients"
    clients.append([TITLE])
    clients.append([SUBTITLE])
    clients.append([])
    clients.append(list(CLIENT_HEADER))
    rows = make_clients(n_clients, seed)
    blank_at = len(rows) * 2 // 5
    for position, row in enumerate(rows):
        if position == blank_at:
            clients.append([])  # a row left empty by hand
        clients.append(row)
    totals = [None] * len(CLIENT_HEADER)
    totals[0] = "Total"
    for column in (13, 14, 15):  # like Excel's SUM, which skips text
        totals[column] = sum(r[column] for r in rows if isinstance(r[column], (int, float)))
    clients.append(totals)
    for column in ("D", "M"):
        for cell in clients[column][4:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy"
    for cell in clients["P"][4:]:
        if isinstance(cell.value, float):
            cell.number_format = '"£"#,##0.00'

    volunteers = workbook.create_sheet("Volunteers")
    for row in make_volunteers(seed):
        volunteers.append(row)
    for cell in volunteers["C"][1:]:
        cell.number_format = "dd/mm/yyyy"

    lookup = workbook.create_sheet("Lookup")
    lookup.append(["Borough", "Referral route"])
    for borough, route in zip([b for b, _ in BOROUGHS] + [None] * 3, [r[0] for r in REFERRAL_ROUTES]):
        lookup.append([borough, route])

    workbook.properties.creator = "Hackney Community Pantry"
    workbook.properties.created = EXPORTED
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = pathlib.Path(path)
    path.write_bytes(_fixed_timestamps(buffer.getvalue()))
    return path


def _fixed_timestamps(xlsx: bytes) -> bytes:
    """The same workbook with its save time and zip entry times fixed, so re-runs are byte-identical."""
    stamp = EXPORTED.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            info = zipfile.ZipInfo(item.filename, date_time=EXPORTED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


def make_csv_rows(n_rows: int = CSV_ROWS, seed: int = SEED) -> list[list[str]]:
    """The older-style client list's rows as text, header first."""
    rng = random.Random(seed + 2)
    rows = [["Ref", "Name", "Date of birth", "Last visit", "Phone", "Postcode", "Balance", "Notes"]]
    for number in range(1, n_rows + 1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        birth = _random_date(rng, dt.date(1940, 1, 1), dt.date(2005, 12, 31)).strftime("%d/%m/%Y")
        if number in (17, 88):
            birth = ("31/02/1990", "n/k")[number == 88]
        visit = _random_date(rng, dt.date(2023, 1, 1), dt.date(2025, 9, 30)).strftime("%d/%m/%y")
        if rng.random() < 0.05:
            visit = ""
        amount = rng.choice((0.0, 5.0, 12.0, 40.5, 120.0, 1200.5, -12.0, -3.75))
        balance = f"({abs(amount):,.2f})" if amount < 0 else f"£{amount:,.2f}"
        if rng.random() < 0.05:
            balance = rng.choice(("N/A", "-", ""))
        phone = f"07700 900{rng.randrange(1000):03d}"
        if rng.random() < 0.4:
            phone = phone.replace(" ", "")
        note = rng.choice(NOTES + ("Owes \u00a35 for the Christmas hamper", "\u2018Friend of the pantry\u2019"))
        rows.append([f"{number:05d}", name, birth, visit, phone, fake_postcode(rng), balance,
                     note if rng.random() < 0.3 else ""])
    return rows


def write_register_csv(path: pathlib.Path, n_rows: int = CSV_ROWS, seed: int = SEED) -> pathlib.Path:
    """Write the Windows-1252, semicolon-separated client list (Excel's older "CSV" format).

    Returns:
        ``path``.
    """
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(make_csv_rows(n_rows, seed))
    path = pathlib.Path(path)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``register.xlsx`` and ``register-cp1252.csv`` into ``folder``.

    Args:
        folder: Where to write (made if missing).

    Returns:
        The two paths written.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     [p.name for p in write_sample(pathlib.Path(tmp))]
        ['register.xlsx', 'register-cp1252.csv']
    """
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_register_xlsx(folder / XLSX_FILE), write_register_csv(folder / CSV_FILE)]
