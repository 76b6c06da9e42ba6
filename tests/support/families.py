"""A family list written for the tests, apart from the kit's own generators (``helpers/synthetic``).

Households of two parents and one to three children (some of them twins, some a junior with the
parent's first name) share a surname, an address, a landline and a family email. Each person is
typed in one to three times, the way a busy front desk does it: a typo in the first name, the date of
birth with two digits swapped, day and month swapped or one digit off, the date left blank, the
phone or email left out. The truth (who is who) is returned beside the list and never read by
the kit.

Example:
    >>> table, person = family_list(households=10, seed=1)
    >>> list(table.columns)[:3], len(table) == len(person)
    (['Forename', 'Surname', 'DOB'], True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_FIRST = (
    "Aisha Alan Amara Angus Anjali Arjun Barbara Bethan Callum Carys Chidi Ciara Colin Deepa Declan "
    "Dorota Eilidh Emeka Erin Esther Farid Fiona Florin Gemma Gideon Hamza Hannah Ibrahim Imogen Ines "
    "Isaac Jamal Janet Jasper Joanna Kacper Kavita Keith Kofi Lena Leon Lowri Malik Marek Maria Marta "
    "Milo Nadia Naomi Nia Olu Oscar Owain Petra Piotr Priya Rafael Rhian Rory Ruth Sade Samir Selin "
    "Shona Sian Soren Tamsin Tariq Thea Tomasz Una Vera Wiktor Yara Yusuf Zofia Zain"
).split()
_SURNAMES = (
    "Achterberg Adeyemi Barrowclough Bellamy Chowdhury Dimitriou Entwistle Fairweather Gallagher "
    "Hargreaves Ibekwe Jankowski Kaczmarek Lindqvist Mahmood Nakamura Okonkwo Pennington Quigley "
    "Rasmussen Sandoval Thistlethwaite Underwood Vasquez Whitfield Yilmaz Zielinski Ashworth Brannigan "
    "Castellano Delacroix Ekwueme Fitzgerald Greenhalgh Holloway"
).split()
_STREETS = ("Mill Lane", "Church Road", "Station Road", "Park Avenue", "Victoria Street", "Quarry Hill",
            "Orchard Close", "Beech Grove", "Canal Side", "Moor View")
_TOWNS = (("LS6", "Leeds"), ("M14", "Manchester"), ("BS5", "Bristol"), ("NE6", "Newcastle"),
          ("CF24", "Cardiff"), ("G31", "Glasgow"), ("B12", "Birmingham"), ("L8", "Liverpool"))


def _slip(born: pd.Timestamp, rng: np.random.Generator) -> str:
    """A date of birth typed with one slip: two digits swapped, day and month swapped, one digit off."""
    text = born.strftime("%d/%m/%Y")
    kind = int(rng.integers(3))
    if kind == 0 and born.day <= 12 and born.day != born.month:
        return born.strftime("%m/%d/%Y")
    if kind == 1:
        year = text[6:]
        swapped = year[:2] + year[3] + year[2]
        if swapped != year:
            return text[:6] + swapped
    day = born.day % 9 + 1 if born.day < 10 else born.day - 1
    return f"{day:02d}" + text[2:]


def _typo(name: str, rng: np.random.Generator) -> str:
    at = int(rng.integers(1, len(name) - 1))
    return name[:at] + name[at + 1] + name[at] + name[at + 2:]


def family_list(households: int = 120, seed: int = 2022) -> tuple[pd.DataFrame, pd.Series]:
    """A family list with its truth: ``(table, person)``, the table indexed by spreadsheet row.

    Args:
        households: How many households to make (about 4 people and 7 records each).
        seed: Random seed.
    """
    rng = np.random.default_rng(seed)
    records: list[list] = []
    people: list[int] = []
    person = 0
    for house in range(households):
        surname = _SURNAMES[house % len(_SURNAMES)]
        district, town = _TOWNS[int(rng.integers(len(_TOWNS)))]
        postcode = f"{district} {int(rng.integers(1, 10))}{'ABDEFGHJLNPQRSTUWXYZ'[int(rng.integers(20))]}" \
                   f"{'ABDEFGHJLNPQRSTUWXYZ'[int(rng.integers(20))]}"
        address = f"{int(rng.integers(1, 150))} {_STREETS[int(rng.integers(len(_STREETS)))]}"
        landline = f"0{int(rng.integers(113, 192))} 496 {int(rng.integers(0, 10000)):04d}"
        email = f"{surname.lower()}.family{int(rng.integers(1, 99))}@example.org"
        firsts = iter(rng.permutation(_FIRST))
        parent_born = pd.Timestamp("1945-01-01") + pd.Timedelta(days=int(rng.integers(0, 365 * 30)))
        members = [(next(firsts), parent_born),
                   (next(firsts), parent_born + pd.Timedelta(days=int(rng.integers(-900, 900))))]
        child_born = parent_born + pd.Timedelta(days=int(365.25 * rng.uniform(23, 34)))
        for child in range(int(rng.integers(1, 4))):
            if child and rng.random() < 0.3:
                members.append((next(firsts), members[-1][1]))  # a twin: same day, another name
                continue
            first = members[0][0] if child == 0 and rng.random() < 0.25 else next(firsts)  # a junior
            members.append((first, child_born))
            child_born += pd.Timedelta(days=int(365.25 * rng.uniform(1.5, 5)))
        for first, born in members:
            mobile = f"07{int(rng.integers(100, 999))} {int(rng.integers(0, 999999)):06d}"
            for copy in range(1 + int(rng.choice(3, p=[0.45, 0.4, 0.15]))):
                name = _typo(first, rng) if copy and rng.random() < 0.15 else first
                date = born.strftime("%d/%m/%Y")
                if copy and rng.random() < 0.12:
                    date = _slip(born, rng)
                elif copy and rng.random() < 0.2:
                    date = None  # left blank at the front desk
                phone = landline if rng.random() < 0.6 else mobile
                records.append([name, surname, date, address, postcode, town,
                                phone if rng.random() > 0.1 else None,
                                email if rng.random() > 0.25 else None])
                people.append(person)
            person += 1
    order = rng.permutation(len(records))
    table = pd.DataFrame([records[i] for i in order],
                         columns=["Forename", "Surname", "DOB", "Address", "Postcode", "Town", "Phone", "Email"])
    table.index = pd.RangeIndex(2, 2 + len(table))
    return table, pd.Series([people[i] for i in order], index=table.index, name="person")
