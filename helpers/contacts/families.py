"""Keep families apart: a parent and a grown-up child can share a name, an address, a
landline and a family email, but not a date of birth; twins share a date of birth, but not a
first name.

After linking, a group holding two records that cannot be one person's (complete dates of
birth clearly apart, or first names with nothing in common) is split again along its surest
links; its records are listed for the charity as possible family members. A record that
cannot say which of them it belongs to (a blank date of birth linking to a parent and to a
child) is not merged into either: it goes to clerical review, a person decides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Complete dates of birth at least this many days apart (and not one slip of the keyboard)
#: are two people's. A year, as the model's "within a year" level.
CLEARLY_APART_DAYS = 366


def is_slip(a: str, b: str) -> bool:
    """Whether two ``YYYY-MM-DD`` dates differ by one typing slip.

    The same slips the model's date-of-birth levels grade as near matches: one character
    different, two neighbouring characters swapped, day and month swapped.

    Example:
        >>> is_slip("1970-02-01", "1907-02-01"), is_slip("1970-02-01", "1970-01-02"), is_slip("1970-02-01", "1971-03-01")
        (True, True, False)
    """
    if a == b:
        return True
    if len(a) != len(b):
        return False
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return True  # day and month swapped
    differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(differ) == 1:
        return True
    return (len(differ) == 2 and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])


def dates_clearly_differ(a: str | None, b: str | None) -> bool:
    """Whether two dates of birth (``YYYY-MM-DD``) are clearly two people's.

    Both must be complete, more than a year apart, and not one slip of the keyboard (one
    character off, two neighbouring digits swapped, day and month swapped): a sibling years
    younger, a parent. Dates within a year are left to the model: they are weak evidence, not
    a reason to split. A blank never differs.

    Example:
        >>> dates_clearly_differ("1970-02-01", "1970-01-02"), dates_clearly_differ("1970-02-01", "1907-02-01")
        (False, False)
        >>> dates_clearly_differ("1970-02-01", "1970-09-15"), dates_clearly_differ("1950-03-12", "1976-03-12")
        (False, True)
        >>> dates_clearly_differ(None, "1976-03-12")
        False
    """
    if not a or not b or is_slip(a, b):
        return False
    try:
        apart = abs((pd.Timestamp(a) - pd.Timestamp(b)).days)
    except ValueError:
        return False
    return apart >= CLEARLY_APART_DAYS


def _jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity, as the model's "nearly the same" name levels use it."""
    if a == b:
        return 1.0
    window = max(len(a), len(b)) // 2 - 1
    taken_b = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken_b[j] and b[j] == ch:
                taken_b[j] = True
                matched_a.append(ch)
                break
    if not matched_a:
        return 0.0
    matched_b = [b[j] for j in range(len(b)) if taken_b[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) / 2
    m = len(matched_a)
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


#: First names at least this alike (Jaro-Winkler, the model's "names alike" level) are one name.
NAME_ALIKE = 0.85


def _edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): typing slips between two words."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _alike(a: str | None, b: str | None) -> bool:
    """One name typed twice: the same, an initial or start, a near spelling, or a few slips."""
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a) or _jaro_winkler(a, b) >= NAME_ALIKE:
        return True
    return _edit_distance(a, b) <= (1 if min(len(a), len(b)) <= 4 else 2)


def names_clearly_differ(a: tuple, b: tuple, seen_once: frozenset = frozenset()) -> bool:
    """Whether two records' names are clearly two people's.

    Each name is ``(first name in formal form, last name read as a first name, first name as
    typed)``. The first names must :func:`clearly differ <first_names_clearly_differ>` both in
    formal form and as typed ("Roie" is a slip of "Rosie", though "rosemary" is far from
    "roie"), and the names must not be the same two names swapped ("Thornley Bethany").
    ``seen_once``: first names found on one record only (see :func:`first_names_clearly_differ`).

    Example:
        >>> names_clearly_differ(("bethany", "thornley", "bethany"), ("thornley", "bethany", "thornley"))
        False
        >>> names_clearly_differ(("roie", "waler", "roie"), ("rosemary", "walker", "rosie"))
        False
        >>> names_clearly_differ(("colin", "delacroix", "colin"), ("hamza", "delacroix", "hamza"))
        True
    """
    if not first_names_clearly_differ(a[0], b[0], seen_once) or not first_names_clearly_differ(a[2], b[2], seen_once):
        return False
    # the same names the other way round ("Thornley Bethany"), as the first-name rule reads them
    return not (_one_name(a[0], b[1], seen_once) or _one_name(a[1], b[0], seen_once))


def _one_name(a: str | None, b: str | None, seen_once: frozenset) -> bool:
    """Two names, both given, that the first-name rule reads as one name typed twice."""
    return bool(a) and bool(b) and not first_names_clearly_differ(a, b, seen_once)


def scrambled(a: str, b: str) -> bool:
    """Whether one name could be the other with its letters typed in the wrong order.

    The same letters, spaces aside, give or take one letter each way: "Eytr" for Tyler,
    "Ahots" for Thomas, "Ilez" for Eliza. Real names can be this close too (Leon and Noel), so
    this only ever counts for a first name found on one record of the list
    (:func:`first_names_clearly_differ`).

    Example:
        >>> scrambled("eytr", "tyler"), scrambled("ahots", "thomas"), scrambled("emeka", "colin")
        (True, True, False)
    """
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if min(len(a), len(b)) < 3:
        return False
    in_a, in_b = Counter(a), Counter(b)
    return sum((in_a - in_b).values()) <= 1 and sum((in_b - in_a).values()) <= 1


def first_names_clearly_differ(a: str | None, b: str | None, seen_once: frozenset = frozenset()) -> bool:
    """Whether two tidied first names (nicknames already resolved) are clearly two people's.

    Not when either is blank, one is an initial or the start of the other ("j", "john"),
    they are at least :data:`NAME_ALIKE` alike, or two slips of the keyboard apart (one for a
    name of four letters or fewer): "Loeisa" is Louise typed badly. Nor when one of them is
    found on one record only (``seen_once``) and is the other :func:`scrambled`: a name typed
    once with its letters out of order ("Eytr" beside Tyler) is a slip, not a twin; two names
    each typed on several records are the names people really go by, however alike their letters.

    Example:
        >>> first_names_clearly_differ("erin", "eirn"), first_names_clearly_differ("j", "john")
        (False, False)
        >>> first_names_clearly_differ("hamza", "colin"), first_names_clearly_differ(None, "colin")
        (True, False)
        >>> first_names_clearly_differ("eytr", "tyler"), first_names_clearly_differ("eytr", "tyler", frozenset({"eytr"}))
        (True, False)
    """
    if not a or not b or _alike(a, b):
        return False
    return not ((a in seen_once or b in seen_once) and scrambled(a, b))


@dataclass
class _Marks:
    """What a part of a group says about who it is: its dates of birth and first names."""

    dates: set
    names: set
    seen_once: frozenset = field(default=frozenset(), repr=False)

    def clash(self, other: _Marks) -> bool:
        return (any(dates_clearly_differ(x, y) for x in self.dates for y in other.dates)
                or any(names_clearly_differ(x, y, self.seen_once) for x in self.names for y in other.names))

    def absorb(self, other: _Marks) -> None:
        self.dates |= other.dates
        self.names |= other.names


def _record_marks(model_input: pd.DataFrame, typed) -> tuple[np.ndarray, np.ndarray]:
    """Each record's date of birth (text) and its names (tidied first name, last name), or None."""
    n = len(model_input)
    if "dob" in model_input:
        born = pd.to_datetime(model_input["dob"], errors="coerce").dt.strftime("%Y-%m-%d")
        dates = np.array([d if isinstance(d, str) else None for d in born.tolist()], dtype=object)
    else:
        dates = np.array([None] * n, dtype=object)
    if "first_name" in model_input:
        lasts = model_input["surname_as_first"].tolist() if "surname_as_first" in model_input else [None] * n
        typed = list(model_input["first_name"]) if typed is None else list(typed)
        names = np.empty(n, dtype=object)
        names[:] = [(first, last, as_typed or first) if isinstance(first, str) and first else None
                    for first, last, as_typed in zip(model_input["first_name"].tolist(), lasts, typed)]
    else:
        names = np.array([None] * n, dtype=object)
    return dates, names


def _seen_once(names: np.ndarray, copies: np.ndarray | None = None) -> frozenset:
    """First names (formal or as typed) found on one record of the whole list only.

    ``copies``: how many rows of the list each record stands for (itself and its exact copies).
    """
    given = np.array([name is not None for name in names], dtype=bool)
    rows = np.ones(len(names), dtype=np.int64) if copies is None else np.asarray(copies, dtype=np.int64)
    formal = pd.Series([name[0] for name in names[given]], dtype=object)
    typed = pd.Series([name[2] for name in names[given]], dtype=object)
    # a record counts once for each different form of its name
    forms = pd.concat([pd.DataFrame({"form": formal, "rows": rows[given]}),
                       pd.DataFrame({"form": typed.where(typed != formal), "rows": rows[given]})])
    counts = forms[forms["form"].fillna("") != ""].groupby("form")["rows"].sum()
    return frozenset(counts.index[counts == 1])


def keep_people_apart(cluster_ids: pd.DataFrame, pairs: pd.DataFrame, threshold: float,
                      model_input: pd.DataFrame, typed_first_names=None, copies=None,
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split every group holding two records that cannot be one person's; send bridges to review.

    Two records clash when their complete dates of birth :func:`clearly differ
    <dates_clearly_differ>` or their first names :func:`clearly differ
    <first_names_clearly_differ>`. Inside a group with a clash:

    1. links between *complete* records (every compared mark present) are taken again,
       surest first, and two parts are joined only if nothing in one clashes with the
       other, or if the link agrees on an extra column (a personal identifier such as a
       membership number outweighs a date typed wrong);
    2. records missing a mark (a blank date of birth) are joined with each other the same
       way;
    3. each such part joins the complete parts it links to, unless those parts clash with
       each other: then it could be either person, and it is kept on its own for
       clerical review.

    Args:
        cluster_ids: ``unique_id`` (position) and ``cluster_id`` from splink.
        pairs: Scored pairs with ``unique_id_l``, ``unique_id_r``, ``match_probability``.
        threshold: The match threshold.
        model_input: The model's table (``dob`` and ``first_name`` when compared).
        typed_first_names: Each record's first name as typed
            (:func:`helpers.contacts.tidy.first_names_as_typed`), in the table's order.
        copies: How many rows of the list each record stands for (1 plus its exact copies),
            in the table's order; a first name found on one row only may be a scrambled slip.

    Returns:
        ``(cluster_ids, families, clerical)``: the groups after splitting; one row per
        record of a split group (``row`` position and ``family`` 1, 2, ...); and one row per
        record sent to clerical review (``row`` position, ``family`` it sat in).

    Example:
        >>> ids = pd.DataFrame({"unique_id": [0, 1, 2], "cluster_id": [0, 0, 0]})
        >>> links = pd.DataFrame({"unique_id_l": [0, 1], "unique_id_r": [1, 2], "match_probability": [0.99, 0.95]})
        >>> people = pd.DataFrame({"dob": ["1950-01-01", None, "1976-03-02"], "first_name": ["jo", "jo", "jo"],
        ...                        "surname_as_first": ["lee", "lee", "lee"]})
        >>> groups, families, clerical = keep_people_apart(ids, links, 0.9, people)
        >>> groups.sort_values("unique_id")["cluster_id"].nunique(), families["row"].tolist(), clerical["row"].tolist()
        (3, [0, 1, 2], [1])
    """
    empty = pd.DataFrame({"row": pd.Series(dtype=np.int64), "family": pd.Series(dtype=np.int64)})
    if "dob" not in model_input and "first_name" not in model_input:
        return cluster_ids, empty, empty.copy()
    ordered = cluster_ids.sort_values("unique_id").reset_index(drop=True)
    codes, _ = pd.factorize(ordered["cluster_id"].to_numpy())
    dates, names = _record_marks(model_input, typed_first_names)
    seen_once = _seen_once(names, copies)
    # Only a group with two different dates or first names can hold a clash: find those with
    # pandas first, so a million-row list is not walked group by group in Python.
    marks_table = pd.DataFrame({"code": codes, "date": dates,
                                "name": [n[0] if n is not None else None for n in names]})
    varied = marks_table.groupby("code").agg(dates=("date", "nunique"), names=("name", "nunique"))
    maybe = varied.index[(varied["dates"] > 1) | (varied["names"] > 1)].to_numpy()
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], maybe)
    ends = np.searchsorted(codes[order], maybe, side="right")
    split = []
    for code, start, end in zip(maybe, starts, ends):
        rows = order[start:end]
        found_dates = sorted(set(dates[rows]) - {None})
        found_names = sorted(set(names[rows]) - {None}, key=str)
        if any(dates_clearly_differ(x, y) for i, x in enumerate(found_dates) for y in found_dates[i + 1:]) or \
                any(names_clearly_differ(x, y, seen_once) for i, x in enumerate(found_names)
                    for y in found_names[i + 1:]):
            split.append(code)
    if not split:
        return cluster_ids, empty, empty.copy()
    in_split = np.isin(codes, split)
    links = pairs[pairs["match_probability"] >= threshold]
    ends_l, ends_r = links["unique_id_l"].to_numpy(), links["unique_id_r"].to_numpy()
    links = links[in_split[ends_l] & in_split[ends_r]].sort_values("match_probability", ascending=False,
                                                                    kind="stable")
    parent = {int(i): int(i) for i in np.flatnonzero(in_split)}
    marks = {i: _Marks({dates[i]} - {None}, {names[i]} - {None}, seen_once) for i in parent}
    dated = "dob" in model_input
    named = "first_name" in model_input
    complete = {i: (not dated or dates[i] is not None) and (not named or names[i] is not None) for i in parent}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[b] = a
        marks[a].absorb(marks[b])

    extras = [c for c in links.columns if str(c).startswith("mw_extra_")]
    vouched = (links[extras] > 0).any(axis=1).tolist() if extras else [False] * len(links)
    triples = list(zip(links["unique_id_l"].tolist(), links["unique_id_r"].tolist(), vouched))
    # links that agree on a personal identifier first: they join whatever the dates say
    triples = [t for t in triples if t[2]] + [t for t in triples if not t[2]]
    for left, right, same_id in triples:
        if same_id:
            a, b = root(left), root(right)
            if a != b:
                join(a, b)
    # 1 and 2: complete with complete, then incomplete with incomplete
    for wanted in (True, False):
        for left, right, _ in triples:
            if complete[left] != wanted or complete[right] != wanted:
                continue
            a, b = root(left), root(right)
            if a != b and not marks[a].clash(marks[b]):
                join(a, b)
    # 3: each incomplete part joins the complete parts it links to, unless they clash
    reached: dict[int, set[int]] = {}
    for left, right, _ in triples:
        a, b = root(left), root(right)
        if a != b and complete[left] != complete[right]:
            part, other = (b, a) if complete[left] else (a, b)
            reached.setdefault(part, set()).add(other)
    clerical_parts = []
    for part, others in reached.items():
        others = sorted({root(o) for o in others if not marks[root(part)].clash(marks[root(o)])})
        if any(marks[x].clash(marks[y]) for i, x in enumerate(others) for y in others[i + 1:]):
            clerical_parts.append(part)  # could be either person: a person decides
            continue
        for other in others:
            a, b = root(part), root(other)
            if a != b and not marks[a].clash(marks[b]):
                join(a, b)
    new_codes = codes.copy()
    fresh: dict[int, int] = {}
    for i in parent:
        new_codes[i] = fresh.setdefault(root(i), int(codes.max()) + 1 + len(fresh))
    parts = pd.Series(new_codes[in_split]).groupby(codes[in_split]).nunique()
    really_split = parts.index[parts > 1].to_numpy()
    rows = np.flatnonzero(np.isin(codes, really_split))
    if not len(rows):
        return cluster_ids, empty, empty.copy()
    family_of = dict(zip(really_split.tolist(), range(1, len(really_split) + 1)))
    families = pd.DataFrame({"row": rows.astype(np.int64),
                             "family": np.array([family_of[c] for c in codes[rows]], dtype=np.int64)})
    clerical_rows = np.array(sorted(i for i in parent if root(i) in {root(p) for p in clerical_parts}
                                    and codes[i] in family_of), dtype=np.int64)
    clerical = pd.DataFrame({"row": clerical_rows,
                             "family": np.array([family_of[codes[i]] for i in clerical_rows], dtype=np.int64)})
    return pd.DataFrame({"unique_id": ordered["unique_id"], "cluster_id": new_codes}), families, clerical
