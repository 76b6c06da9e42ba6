"""who-we-reach's findings as facts: each computed once, with its numbers and the rule's decision.

The report's conclusion words come from these values only (the sentences are in
:mod:`helpers.reach.words`):

- :func:`representation`: do clients who *live in the served area* come from England's 20%
  most deprived neighbourhoods more or less often than that area's residents? Called different
  only when the residents' share lies outside the clients' 95% Wilson interval
  (:func:`helpers.writing.claims.compare_share`). Clients who live elsewhere are counted
  separately, never mixed into the share: their neighbourhoods are not the area's.
- :func:`compare_groups` and :func:`compare_years`: does one referral route (or year) bring a
  larger share from the most deprived neighbourhoods than another by more than noise
  (:func:`helpers.writing.claims.compare_two_shares`)?
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.writing.claims import (ABOUT_THE_SAME, FIRST_HIGHER, FIRST_LOWER, TOO_FEW, compare_share,
                                    compare_two_shares, wilson_interval)

#: The deciles that make up "England's 20% most deprived neighbourhoods" (1 = most deprived).
MOST_DEPRIVED = (1, 2)
#: The fewest people a share is given on (and compared from).
FEWEST = 10
#: The served area has no English neighbourhood, so there are no residents to compare with.
NO_RESIDENTS = "no_residents"
#: Decisions of :func:`compare_groups` and :func:`compare_years` beyond the shared ones.
GROUP_DIFFERS, YEAR_ROSE, YEAR_FELL = "group_differs", "year_rose", "year_fell"
NOT_RECORDED = "not recorded"


def in_most_deprived(deciles: pd.Series) -> pd.Series:
    """Whether each decile is among England's 20% most deprived (deciles 1 and 2); unknown is False.

    Example:
        >>> in_most_deprived(pd.Series([1, 2, 3, None], dtype="Int64")).tolist()
        [True, True, False, False]
    """
    return deciles.isin(MOST_DEPRIVED).fillna(False).astype(bool)


def living_in(clients: pd.DataFrame, areas: list[str]) -> pd.Series:
    """Whether each client lives in one of the served local authorities.

    Example:
        >>> living_in(pd.DataFrame({"local_authority_code": ["E09000012", "E09000019", ""]}), ["E09000012"]).tolist()
        [True, False, False]
    """
    return clients["local_authority_code"].isin(areas)


@dataclass(frozen=True)
class Representation:
    """Clients living in the served area against its residents, in the 20% most deprived neighbourhoods.

    Attributes:
        area_name: The served area in words.
        clients_in_area: Clients living in the served area with a deprivation decile.
        in_most_deprived: How many of those live in deciles 1 or 2.
        resident_share: The share of the area's residents (population-weighted) in deciles 1 or 2,
            or None when the area has no English neighbourhood.
        clients_outside: Clients whose postcode was placed outside the served area.
        clients_placed: All clients whose postcode was placed (in the area or not).
        decision: ``below``, ``about_the_same``, ``above``, ``too_few`` or ``no_residents``.
    """

    area_name: str
    clients_in_area: int
    in_most_deprived: int
    resident_share: float | None
    clients_outside: int
    clients_placed: int
    decision: str

    @property
    def share(self) -> float | None:
        """The clients' share, or None under :data:`FEWEST` people."""
        return self.in_most_deprived / self.clients_in_area if self.clients_in_area >= FEWEST else None

    @property
    def interval(self) -> tuple[float, float]:
        """The share's 95% Wilson interval."""
        return wilson_interval(self.in_most_deprived, self.clients_in_area)


def represent(in_area: int, most_deprived: int, resident_share: float | None) -> str:
    """The representation rule: the residents' share against the clients' 95% Wilson interval.

    Example:
        >>> represent(100, 20, 0.21), represent(100, 20, 0.35), represent(100, 40, 0.25), represent(9, 9, 0.1)
        ('about_the_same', 'below', 'above', 'too_few')
    """
    if resident_share is None:
        return NO_RESIDENTS
    return compare_share(most_deprived, in_area, resident_share, fewest=FEWEST)


def representation(clients: pd.DataFrame, areas: list[str], area_name: str,
                   resident_share: float | None) -> Representation:
    """Compare the clients who live in the served area with its residents.

    Args:
        clients: One row per person with a placed postcode (``local_authority_code``,
            ``deprivation_decile``).
        areas: The served local authority codes.
        area_name: Those in words.
        resident_share: The residents' share in the 20% most deprived neighbourhoods.

    Example:
        >>> rows = pd.DataFrame({"local_authority_code": ["E09000012"] * 50 + ["E07000223"] * 50,
        ...                      "deprivation_decile": pd.array([2] * 17 + [5] * 33 + [10] * 50, dtype="Int64")})
        >>> found = representation(rows, ["E09000012"], "Hackney", 0.33)
        >>> found.clients_in_area, found.in_most_deprived, found.clients_outside, found.decision
        (50, 17, 50, 'about_the_same')
    """
    inside = clients[living_in(clients, areas)]
    with_decile = inside[inside["deprivation_decile"].notna()]
    most = int(in_most_deprived(with_decile["deprivation_decile"]).sum())
    return Representation(area_name=area_name, clients_in_area=int(len(with_decile)), in_most_deprived=most,
                          resident_share=resident_share, clients_outside=int(len(clients) - len(inside)),
                          clients_placed=int(len(clients)),
                          decision=represent(len(with_decile), most, resident_share))


def group_counts(clients: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Per group: clients with a decile (``people``) and how many are in the most deprived 20% (``most``).

    Args:
        clients: Lookup rows, one per person.
        groups: Each row's group (same index); blanks become "not recorded".

    Example:
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1, 2, 3, None], dtype="Int64")})
        >>> group_counts(rows, pd.Series(["A", "A", "B", "B"])).to_dict("records")
        [{'group': 'A', 'people': 2, 'most': 2}, {'group': 'B', 'people': 1, 'most': 0}]
    """
    labels = (groups.reindex(clients.index).astype("string").str.strip().replace("", pd.NA)
              .fillna(NOT_RECORDED))
    with_decile = clients["deprivation_decile"].notna()
    most = in_most_deprived(clients["deprivation_decile"])
    rows = [{"group": str(label), "people": int((with_decile & (labels == label)).sum()),
             "most": int((most & (labels == label)).sum())}
            for label in sorted(labels.unique(), key=str)]
    return pd.DataFrame(rows, columns=["group", "people", "most"])


@dataclass(frozen=True)
class GroupGap:
    """The highest and lowest share among groups (routes or years), and whether they differ.

    Attributes:
        kind: "route" or "year".
        high, low: ``(label, most, people)`` of the two groups compared (None when too few).
        comparisons: How many pairs the two were picked from (for the widened interval).
        decision: ``group_differs``, ``year_rose``, ``year_fell``, ``about_the_same`` or ``too_few``.
    """

    kind: str
    high: tuple | None
    low: tuple | None
    comparisons: int
    decision: str


def _eligible(counts: pd.DataFrame) -> pd.DataFrame:
    return counts[(counts["people"] >= FEWEST) & (counts["group"] != NOT_RECORDED)]


def compare_groups(counts: pd.DataFrame) -> GroupGap:
    """Does the route with the highest share differ from the lowest by more than noise?

    Only groups of at least 10 people take part; the interval is widened for the number of pairs
    the highest and lowest were picked from.

    Example:
        >>> counts = pd.DataFrame({"group": ["Food", "Befriending"], "people": [100, 100], "most": [36, 31]})
        >>> compare_groups(counts).decision
        'about_the_same'
        >>> compare_groups(counts.assign(most=[60, 31])).decision
        'group_differs'
    """
    usable = _eligible(counts)
    if len(usable) < 2:
        return GroupGap("route", None, None, 0, TOO_FEW)
    share = usable["most"] / usable["people"]
    high, low = usable.loc[share.idxmax()], usable.loc[share.idxmin()]
    pairs = len(usable) * (len(usable) - 1) // 2
    rule = compare_two_shares(int(high["most"]), int(high["people"]), int(low["most"]), int(low["people"]),
                              comparisons=pairs, fewest=FEWEST)
    return GroupGap("route", tuple(high[["group", "most", "people"]]), tuple(low[["group", "most", "people"]]),
                    pairs, GROUP_DIFFERS if rule == FIRST_HIGHER else ABOUT_THE_SAME)


def compare_years(counts: pd.DataFrame) -> GroupGap:
    """Did the share change between the first and the last year with at least 10 people?

    ``high`` is the last year and ``low`` the first (the names say which is compared with which).

    Example:
        >>> counts = pd.DataFrame({"group": ["2023", "2024", "2025"], "people": [200, 5, 200], "most": [60, 1, 100]})
        >>> gap = compare_years(counts)
        >>> gap.decision, gap.low[0], gap.high[0]
        ('year_rose', '2023', '2025')
    """
    usable = _eligible(counts)
    usable = usable[usable["group"].str.fullmatch(r"\d{4}")].sort_values("group")
    if len(usable) < 2:
        return GroupGap("year", None, None, 0, TOO_FEW)
    first, last = usable.iloc[0], usable.iloc[-1]
    rule = compare_two_shares(int(last["most"]), int(last["people"]), int(first["most"]), int(first["people"]),
                              comparisons=1, fewest=FEWEST)
    decision = {FIRST_HIGHER: YEAR_ROSE, FIRST_LOWER: YEAR_FELL}.get(rule, ABOUT_THE_SAME)
    return GroupGap("year", tuple(last[["group", "most", "people"]]), tuple(first[["group", "most", "people"]]),
                    1, decision)
