"""Small numbers hidden so that no one can be picked out of a published table.

A count of 1 to 4 people in a group ("2 people aged 65+ from Ethiopia") can identify someone. So:

- **primary:** a count from 1 to :data:`FEWEST - 1` is hidden (0 is shown: it says no one);
- **secondary (complements):** where a table's total is shown, a single hidden cell could be worked
  out as the total minus the others, so the next smallest shown cell is hidden too;
- **percentages** are not shown on a base of fewer than :data:`FEWEST_FOR_PERCENT` people.

Hidden counts are ``None`` (``null`` in ``summary.json``), shown as "fewer than 5" in the report and
"<5" in the workbook.
"""

from __future__ import annotations

import pandas as pd

FEWEST = 5
FEWEST_FOR_PERCENT = 10
HIDDEN_IN_WORDS = "fewer than 5"
HIDDEN_IN_WORKBOOK = "<5"


def suppress_column(counts: pd.Series, total_shown: bool = True) -> pd.Series:
    """One breakdown's counts with small numbers hidden (``None``), complements included.

    Args:
        counts: Category -> people (one period's breakdown).
        total_shown: Whether the breakdown's total is published beside it (then one hidden cell alone
            could be worked out, and a second is hidden).

    Example:
        >>> suppress_column(pd.Series({"Women": 30, "Men": 25, "Non-binary": 4})).tolist()
        [30.0, nan, nan]
        >>> suppress_column(pd.Series({"Women": 30, "Men": 25, "Non-binary": 4, "Other": 2})).tolist()
        [30.0, 25.0, nan, nan]
        >>> suppress_column(pd.Series({"Women": 30, "Men": 0})).tolist()
        [30.0, 0.0]
    """
    counts = counts.astype(float)
    hidden = (counts > 0) & (counts < FEWEST)
    if total_shown and int(hidden.sum()) == 1:
        candidates = counts[~hidden & (counts > 0)]
        if not candidates.empty:
            hidden[candidates.sort_values(kind="stable").index[0]] = True
    return counts.mask(hidden)


def suppress_table(table: pd.DataFrame, totals: pd.Series | None = None) -> pd.DataFrame:
    """A category x period table with every period's column suppressed (:func:`suppress_column`).

    Args:
        table: Category (index) x period (columns) counts of people.
        totals: The period totals published beside it; a period whose total is under
            :data:`FEWEST` hides its whole column.

    Example:
        >>> t = pd.DataFrame({"2025-26": [40, 3, 12]}, index=["A", "B", "C"])
        >>> suppress_table(t)["2025-26"].tolist()
        [40.0, nan, nan]
    """
    shown = {}
    for period in table.columns:
        column = suppress_column(table[period])
        if totals is not None and 0 < float(totals.get(period, FEWEST)) < FEWEST:
            column[:] = float("nan")
        shown[period] = column
    return pd.DataFrame(shown, index=table.index)


def percent_shown(part: float | None, whole: float | None) -> str | None:
    """A whole percentage, or ``None`` where the part is hidden or the base is under 10 people.

    Example:
        >>> percent_shown(12, 40), percent_shown(3, 9), percent_shown(None, 40)
        ('30%', None, None)
    """
    if part is None or whole is None or pd.isna(part) or pd.isna(whole) or whole < FEWEST_FOR_PERCENT:
        return None
    share = 100 * part / whole
    return "under 1%" if 0 < share < 0.5 else f"{share:.0f}%"


def count_in_words(count) -> str:
    """A suppressed count as the report writes it.

    Example:
        >>> count_in_words(1204), count_in_words(None)
        ('1,204', 'fewer than 5')
    """
    return HIDDEN_IN_WORDS if count is None or pd.isna(count) else f"{int(count):,}"
