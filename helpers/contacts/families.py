"""Keep families apart: a parent and a grown-up child can share a name, an address, a
landline and a family email, but not a date of birth.

After linking, a group holding two dates of birth that cannot be one person's is split
again along its surest links; its records are listed for the charity as possible family
members.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def dates_disagree(a: str | None, b: str | None) -> bool:
    """Whether two dates of birth (``YYYY-MM-DD``) are too different to be one person's.

    One mistyped digit, two neighbouring digits swapped, or day and month swapped
    are slips of one person's date; anything else (a sibling, a parent) is not.
    Blank dates never disagree.

    Example:
        >>> dates_disagree("1970-02-01", "1970-01-02"), dates_disagree("1970-02-01", "1971-02-01")
        (False, False)
        >>> dates_disagree("1970-02-01", "1970-20-01"), dates_disagree("1970-02-01", "1974-06-19")
        (False, True)
        >>> dates_disagree("1950-03-12", "1976-03-12"), dates_disagree(None, "1976-03-12")
        (True, False)
    """
    if not a or not b or a == b:
        return False
    if len(a) != len(b):
        return True
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return False  # day and month swapped
    differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(differ) == 1:
        return False
    if len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]:
        return False  # two neighbouring digits swapped
    return True


def keep_generations_apart(cluster_ids: pd.DataFrame, pairs: pd.DataFrame, threshold: float,
                            model_input: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split every group holding two dates of birth that cannot be one person's.

    Inside such a group the links above the threshold are taken again, surest
    first, and two parts are joined only if no date of birth in one
    :func:`disagrees <dates_disagree>` with one in the other (records without a
    date join freely), or if the link agrees on an extra column (a personal
    identifier such as a membership number).

    Args:
        cluster_ids: ``unique_id`` (position) and ``cluster_id`` from splink.
        pairs: Scored pairs with ``unique_id_l``, ``unique_id_r``, ``match_probability``.
        threshold: The match threshold.
        model_input: The model's table (``dob`` as dates, when compared).

    Returns:
        ``(cluster_ids, families)``: the groups after splitting, and one row per
        record of a split group: ``row`` (position) and ``family`` (1, 2, ...).

    Example:
        >>> ids = pd.DataFrame({"unique_id": [0, 1, 2], "cluster_id": [0, 0, 0]})
        >>> links = pd.DataFrame({"unique_id_l": [0, 1], "unique_id_r": [1, 2], "match_probability": [0.99, 0.95]})
        >>> people = pd.DataFrame({"dob": pd.to_datetime(["1950-01-01", None, "1976-03-02"])})
        >>> groups, families = keep_generations_apart(ids, links, 0.9, people)
        >>> groups.sort_values("unique_id")["cluster_id"].nunique(), families["row"].tolist()
        (2, [0, 1, 2])
    """
    no_families = pd.DataFrame({"row": pd.Series(dtype=np.int64), "family": pd.Series(dtype=np.int64)})
    if "dob" not in model_input:
        return cluster_ids, no_families
    ordered = cluster_ids.sort_values("unique_id").reset_index(drop=True)
    codes, _ = pd.factorize(ordered["cluster_id"].to_numpy())
    born = pd.to_datetime(model_input["dob"]).dt.strftime("%Y-%m-%d")
    dates = np.array([d if isinstance(d, str) else None for d in born.tolist()], dtype=object)
    several = pd.Series(dates).groupby(codes).nunique()
    candidates = several.index[several > 1].to_numpy()
    if not len(candidates):
        return cluster_ids, no_families
    members = pd.Series(np.arange(len(codes))).groupby(codes)
    split = [code for code in candidates
             if any(dates_disagree(x, y) for x, y in _pairs_of(set(dates[members.get_group(code)]) - {None}))]
    if not split:
        return cluster_ids, no_families
    in_split = np.isin(codes, split)
    links = pairs[pairs["match_probability"] >= threshold]
    ends_l, ends_r = links["unique_id_l"].to_numpy(), links["unique_id_r"].to_numpy()
    links = links[in_split[ends_l] & in_split[ends_r]].sort_values("match_probability", ascending=False,
                                                                    kind="stable")
    parent = {int(i): int(i) for i in np.flatnonzero(in_split)}
    known = {i: {dates[i]} - {None} for i in parent}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # A personal identifier (a membership or national insurance number, given as an extra
    # column) outweighs a date of birth typed wrong; household details do not.
    extras = [c for c in links.columns if str(c).startswith("mw_extra_")]
    same_id = (links[extras] > 0).any(axis=1).tolist() if extras else [False] * len(links)
    for left, right, vouched in zip(links["unique_id_l"].tolist(), links["unique_id_r"].tolist(), same_id):
        a, b = root(left), root(right)
        if a == b or (not vouched and any(dates_disagree(x, y) for x in known[a] for y in known[b])):
            continue  # joining these would put two people's dates of birth in one group
        parent[b] = a
        known[a] |= known[b]
    new_codes = codes.copy()
    fresh: dict[int, int] = {}
    for i in parent:
        new_codes[i] = fresh.setdefault(root(i), int(codes.max()) + 1 + len(fresh))
    parts = pd.Series(new_codes[in_split]).groupby(codes[in_split]).nunique()
    really_split = parts.index[parts > 1].to_numpy()
    rows = np.flatnonzero(np.isin(codes, really_split))
    if not len(rows):
        return cluster_ids, no_families
    family_number = pd.factorize(codes[rows])[0] + 1
    families = pd.DataFrame({"row": rows.astype(np.int64), "family": family_number.astype(np.int64)})
    return pd.DataFrame({"unique_id": ordered["unique_id"], "cluster_id": new_codes}), families


def _pairs_of(values: set) -> list[tuple]:
    ordered = sorted(values)
    return [(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:]]
