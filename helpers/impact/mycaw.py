"""MYCaW scored as published: each concern compared with itself, and the profile score.

MYCaW (Measure Yourself Concerns and Wellbeing; Paterson and others, 2007, Complementary Therapies
in Medicine 15:38-45) asks each person to name one or two concerns and score each, and their
wellbeing, from 0 (as good as it could be) to 6 (as bad as it could be). The paper reports the
change in the first concern, the second concern and wellbeing separately. MYCaW is an adaptation
of MYMOP (Paterson 1996, BMJ 312:1016), whose profile score is the mean of the items scored.

What the kit computes, after pairing each person's start and end forms:

* **Concern 1** and **Concern 2**: each concern's own start and end score; a concern enters the
  comparison only where it was scored at both times.
* **Concerns**: per person, the mean of the concerns scored at *both* times (so a second concern
  scored at the start but not re-scored at the end cannot move the average).
* **MYCaW profile**: per person, the mean of the items (concern 1, concern 2, wellbeing) scored at
  both times, at the start and at the end: the MYMOP-style profile score, restricted to the items
  scored both times so that the two means cover the same items.
* A person whose concerns scored at the start differ from those scored at the end is counted and
  named by spreadsheet row in the notes, never silently mixed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.impact.scales import MYCAW_CHANGE_SOURCE, Item, rows_in_words
from helpers.writing.narrative import plural

#: Each concern analysed on its own (reported in the table of measures, without a chart).
CONCERN_ITEMS = {
    slot: Item(f"concern_{slot}", f"Concern {slot}", (), "", 0, 6, "lower", part_of="concerns",
               meaningful_change=1.0, change_source=MYCAW_CHANGE_SOURCE)
    for slot in (1, 2)
}
#: The profile score, worked out from the items after pairing.
PROFILE = Item("profile", "MYCaW profile", (), "", 0, 6, "lower", meaningful_change=1.0,
               change_source=MYCAW_CHANGE_SOURCE)
PROFILE_SOURCE = (
    "the mean of the items scored (concern 1, concern 2 and wellbeing), as MYMOP's profile score is "
    "defined (Paterson 1996, BMJ 312:1016; MYCaW adapts MYMOP, Paterson and others 2007); the kit "
    "averages only the items each person scored at both times, so the start and end cover the same items"
)


def concern_slots(columns) -> dict[int, str]:
    """Concern number -> its column: the number after "concern" in the header, else the order given.

    Example:
        >>> concern_slots(["Concern 2 score (start)", "Concern 1 score (start)"])
        {1: 'Concern 1 score (start)', 2: 'Concern 2 score (start)'}
        >>> concern_slots(["Main concern (start)"])
        {1: 'Main concern (start)'}
    """
    numbered, unnumbered = {}, []
    for column in columns:
        found = re.search(r"concern\D{0,4}?([12])\b", str(column).casefold())
        if found and int(found.group(1)) not in numbered:
            numbered[int(found.group(1))] = column
        else:
            unnumbered.append(column)
    for column in unnumbered:
        free = next((slot for slot in (1, 2) if slot not in numbered), None)
        if free is not None:
            numbered[free] = column
    return dict(sorted(numbered.items()))


def _paired_mean(befores: pd.DataFrame, afters: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per person, the mean of the items scored at both times, at the start and at the end.

    A person with no item in common gets the mean of what they scored at each time only when the
    other time is wholly blank (a drop-out, or an end form without a start); with items scored at
    both times but none in common, both are left blank and the person is flagged.
    """
    both = befores.notna().to_numpy() & afters.notna().to_numpy()
    common = both.any(axis=1)
    before = befores.where(both).mean(axis=1)
    after = afters.where(both).mean(axis=1)
    any_before, any_after = befores.notna().any(axis=1), afters.notna().any(axis=1)
    alone_before = ~common & any_before & ~any_after
    alone_after = ~common & any_after & ~any_before
    before = before.where(common, befores.mean(axis=1).where(alone_before))
    after = after.where(common, afters.mean(axis=1).where(alone_after))
    nothing_in_common = pd.Series(~common, index=befores.index) & any_before & any_after
    return before, after, nothing_in_common


def add_mycaw_summaries(collected) -> None:
    """Add the Concerns and MYCaW profile measures to paired MYCaW scores, and say who changed concerns.

    Args:
        collected: :class:`~helpers.impact.collect.CollectedScores` whose measures include
            "Concern 1" (and perhaps "Concern 2") and perhaps "Wellbeing"; its ``scores`` carry a
            ``row`` column (the spreadsheet row of each person's first form). Changed in place.

    Example:
        >>> from helpers.impact.collect import CollectedScores
        >>> from helpers.impact.scales import SCALES
        >>> scores = pd.DataFrame({"id": ["a", "b"] * 2, "group": "Everyone", "row": [2, 3] * 2,
        ...     "measure": ["Concern 1"] * 2 + ["Concern 2"] * 2,
        ...     "before": [4.0, 5.0, 2.0, 3.0], "after": [4.0, 5.0, None, 3.0]})
        >>> collected = CollectedScores(scores, SCALES["mycaw"], "wide scores", ["Concern 1", "Concern 2"],
        ...     items={"Concern 1": CONCERN_ITEMS[1], "Concern 2": CONCERN_ITEMS[2]})
        >>> add_mycaw_summaries(collected)
        >>> collected.scores[collected.scores["measure"].eq("Concerns")][["before", "after"]].values.tolist()
        [[4.0, 4.0], [4.0, 4.0]]
        >>> collected.notes[-1][:58]
        '1 person scored different concerns at the start and at the'
    """
    scores = collected.scores
    concern_names = [f"Concern {slot}" for slot in (1, 2) if f"Concern {slot}" in collected.measures]
    if not concern_names:
        return
    people = scores.drop_duplicates("id").set_index("id")[["group", "row"]]

    def wide(names, stage):
        table = scores[scores["measure"].isin(names)].pivot(index="id", columns="measure", values=stage)
        return table.reindex(index=people.index, columns=names).astype("float64")

    c_before, c_after = wide(concern_names, "before"), wide(concern_names, "after")
    concerns_before, concerns_after, no_common = _paired_mean(c_before, c_after)
    changed = (c_before.notna() != c_after.notna()).any(axis=1) & c_before.notna().any(axis=1) & \
        c_after.notna().any(axis=1)
    parts = [scores]
    parts.append(people.reset_index().assign(measure="Concerns", before=concerns_before.to_numpy(),
                                             after=concerns_after.to_numpy()))
    items_names = [*concern_names, *(["Wellbeing"] if "Wellbeing" in collected.measures else [])]
    p_before, p_after, _ = _paired_mean(wide(items_names, "before"), wide(items_names, "after"))
    parts.append(people.reset_index().assign(measure=PROFILE.name, before=p_before.to_numpy(),
                                             after=p_after.to_numpy()))
    collected.scores = pd.concat(parts, ignore_index=True)[scores.columns]
    from helpers.impact.scales import SCALES

    concerns_item = next(i for i in SCALES["mycaw"].items if i.key == "concerns")
    rest = [m for m in collected.measures if m not in concern_names]
    collected.measures = ["Concerns", *concern_names, *rest, PROFILE.name]
    collected.items = {"Concerns": concerns_item, **collected.items, PROFILE.name: PROFILE}
    collected.different_concerns = int(changed.sum())
    collected.notes.append(
        "Concerns are compared only where the same concern was scored at the start and at the end: each "
        "person's concern score is the average of the concerns they scored at both times. Concern 1 and "
        "concern 2 are also shown on their own, and the MYCaW profile score is the average of the items "
        "(concerns and wellbeing) each person scored at both times."
    )
    if changed.any():
        rows = sorted(int(r) for r in people.loc[changed, "row"])
        lost = int((changed & no_common).sum())
        collected.notes.append(
            f"{plural(int(changed.sum()), 'person', 'people')} scored different concerns at the start and at "
            f"the end ({rows_in_words(rows, limit=12)}): only the concerns scored at both times are "
            f"compared for them"
            + (f", and {plural(lost, 'person', 'people')} with no concern scored at both times "
               f"{'is' if lost == 1 else 'are'} left out of the concern scores." if lost else ".")
        )


def first_rows(frame_index, keys) -> pd.Series:
    """The spreadsheet row of each person's first form (for naming people by row, never by id).

    Example:
        >>> first_rows(pd.Index([5, 6, 7]), pd.Series(["a", "b", "a"], index=[5, 6, 7])).to_dict()
        {'a': 5, 'b': 6}
    """
    rows = pd.Series(np.asarray(frame_index), index=np.asarray(keys))
    return rows[~rows.index.duplicated()]
