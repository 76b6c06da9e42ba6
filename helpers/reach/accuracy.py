"""How often the nearest-centre neighbourhood estimate is right, council by council.

Without an added postcode directory a postcode's neighbourhood (LSOA) is estimated from its grid
reference. Nationally that is right for 68% of English postcodes, but by council it runs from
about 42% to over 85%, so the report quotes the figure for the councils the charity's clients
live in. The shipped table ``data/nearest_accuracy.csv`` is built by
``datasets/reference/build_nearest_accuracy.py`` from a published sample of the ONS Postcode
Directory: for each council, the postcodes tested and how many got the directory's own LSOA
(and the right decile).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from helpers.reach.lookup import DATA, local_authority_names

#: Under this share of right neighbourhoods the report recommends ``surgery data add``.
GOOD_ENOUGH = 0.80
#: Fewer postcodes tested than this, and a council's figure is too rough to vouch for.
FEWEST_TESTED = 50
ENGLAND = "E92000001"


@functools.lru_cache(maxsize=1)
def accuracy_table() -> pd.DataFrame:
    """The shipped measurements, indexed by council code (England as a whole is ``E92000001``).

    Example:
        >>> table = accuracy_table()
        >>> round(float(table.loc["E92000001", "right_lsoa"] / table.loc["E92000001", "postcodes"]), 2)
        0.68
    """
    return pd.read_csv(DATA / "nearest_accuracy.csv", dtype={"code": str}).set_index("code")


@dataclass(frozen=True)
class CouncilAccuracy:
    """The estimate's measured accuracy in one council.

    Attributes:
        code, name: The council.
        tested: Postcodes the measurement rests on (0 when the council is not in the table).
        right_lsoa: Share given the right neighbourhood (None when not measured).
        right_decile: Share given the right deprivation decile (None when not measured).
    """

    code: str
    name: str
    tested: int
    right_lsoa: float | None
    right_decile: float | None

    @property
    def needs_directory(self) -> bool:
        """Whether exact neighbourhoods should be added: under 80% right, or too few tested to say.

        Example:
            >>> [CouncilAccuracy("x", "X", 300, right, 0.85).needs_directory for right in (0.79, 0.80)]
            [True, False]
            >>> CouncilAccuracy("x", "X", 49, 0.95, 0.95).needs_directory
            True
        """
        return self.tested < FEWEST_TESTED or self.right_lsoa is None or self.right_lsoa < GOOD_ENOUGH


def council_accuracy(code: str) -> CouncilAccuracy:
    """The measured accuracy for one council code.

    Example:
        >>> found = council_accuracy("E09000012")
        >>> found.name, found.tested, round(found.right_lsoa, 2)
        ('Hackney', 273, 0.8)
        >>> council_accuracy("S12000036").tested  # Scotland: no English neighbourhoods to estimate
        0
    """
    name = local_authority_names().get(code, code)
    table = accuracy_table()
    if code not in table.index:
        return CouncilAccuracy(code, name, 0, None, None)
    row = table.loc[code]
    tested = int(row["postcodes"])
    return CouncilAccuracy(code, name, tested, float(row["right_lsoa"] / tested), float(row["right_decile"] / tested))


def national_accuracy() -> CouncilAccuracy:
    """The figure for all English postcodes tested.

    Example:
        >>> round(national_accuracy().right_lsoa, 2), round(national_accuracy().right_decile, 2)
        (0.68, 0.76)
    """
    found = council_accuracy(ENGLAND)
    return CouncilAccuracy(ENGLAND, "England", found.tested, found.right_lsoa, found.right_decile)


def clients_councils_accuracy(clients: pd.DataFrame, fewest_clients: int = 5) -> list[CouncilAccuracy]:
    """The accuracy for each English council where at least ``fewest_clients`` clients live, largest first.

    Example:
        >>> rows = pd.DataFrame({"local_authority_code": ["E09000012"] * 6 + ["E09000019"] * 2,
        ...                      "deprivation_decile": pd.array([1] * 8, dtype="Int64")})
        >>> [found.name for found in clients_councils_accuracy(rows)]
        ['Hackney']
    """
    english = clients[clients["deprivation_decile"].notna()]
    counts = english["local_authority_code"].value_counts()
    return [council_accuracy(code) for code, n in counts.items() if n >= fewest_clients and code]
