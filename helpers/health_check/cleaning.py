"""The safe fixes: the cleaned table and the list of every change made.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from helpers.health_check.findings import HealthReport, check_health  # noqa: F401  (the examples use check_health)
from helpers.health_check.profile import (
    _NORMALISERS,
    ColumnInfo,
    _row_list,
    blank_placeholders,
    tidy_spaces,
)
from helpers.reading.ukformats import format_phone_national

#: Why a cell was changed, as the "Changes made" sheet says it.
REASONS = {
    "spaces": "extra spaces removed",
    "spelling": "one spelling for each category",
    "email": "email address in lower case",
    "phone": "phone number written the standard UK way",
    "postcode": "postcode written the standard way",
    "date": "date stored as a real date",
    "number": "number stored as a real number",
    "placeholder": "placeholder for a blank cell removed",
    "control": "invisible control character removed",
}

# Characters Excel cannot store (tab, line break and carriage return are ordinary text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# How the change list shows them: the Unicode "control pictures" (NUL as ␀, vertical tab as ␋).
_VISIBLE = {code: 0x2400 + code for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}

_PLAIN_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


def _standard_text(value: object, info: ColumnInfo) -> tuple[object, list[str]]:
    """The safe fix for one text cell, with the reasons for each change made."""
    reasons = []
    typed = str(value)
    if _CONTROL.search(typed):
        reasons.append(REASONS["control"])
        typed = _CONTROL.sub(" ", typed)
    text = tidy_spaces(typed)
    if text != typed:
        reasons.append(REASONS["spaces"])
    if info.spellings:
        canonical = info.spellings.get(str(value), text)
        # Every cell the spellings table lists counts here, even one that only had spaces,
        # so that the report's count of other spellings and of these changes agree.
        if canonical != str(value):
            reasons.append(REASONS["spelling"])
        text = canonical
    elif info.checked_as:
        standard = _NORMALISERS[info.checked_as](value)
        if info.checked_as == "phone" and standard is not None:
            standard = format_phone_national(standard)
        if standard is not None and standard != text:
            reasons.append(REASONS[info.checked_as])
            text = standard
    return text, reasons


def _shown(value: object) -> str:
    """A cell as the change list shows it, with control characters made visible (a vertical tab as U+240B)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).translate(_VISIBLE)


def clean_table(
    frame: pd.DataFrame, raw: pd.DataFrame | None, report: HealthReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Makes the safe fixes and lists every change.

    Safe fixes only: spaces trimmed and squeezed, one spelling per category,
    dates and numbers stored as real dates and numbers, postcodes and phone
    numbers in their standard UK form, emails in lower case, placeholders such
    as "N/A" blanked. Values that could not be read or are not valid are kept
    as they were typed, for a person to look at; rows are never removed.

    Args:
        frame: The table as loaded.
        raw: The cells as typed; defaults to ``frame``.
        report: From :func:`check_health` on the same table.

    Returns:
        The cleaned table (same rows, columns and row numbers) and the change
        log, a table with "Row", "Column", "Before", "After" and "Reason".

    Example:
        >>> table = pd.DataFrame({"Email": [" A@B.org", "c@d.org"]}, index=[2, 3])
        >>> cleaned, changes = clean_table(table, None, check_health(table))
        >>> cleaned["Email"].tolist(), changes[["Row", "After", "Reason"]].values.tolist()
        (['a@b.org', 'c@d.org'], [[2, 'a@b.org', 'extra spaces removed; email address in lower case']])
    """
    typed_frame = raw if raw is not None else frame
    # Placeholders in text columns ("not known") are blanked as the check counted them.
    frame = blank_placeholders(frame)
    unreadable_rows = {
        record["Column"]: set(record["Row numbers"]) for record in report.unreadable.to_dict("records")
    }
    cleaned = {}
    logs = []
    for name, info in report.profile.columns.items():
        loaded, typed = frame[name], typed_frame[name]
        keep_typed = pd.Series(typed.index.isin(list(unreadable_rows.get(name, ()))), index=typed.index)
        reasons = pd.Series("", index=frame.index, dtype=object)

        if info.type in ("number", "whole number", "date"):
            # Whole columns at once: these are the long ones in a big file.
            present = loaded.notna()
            as_typed = typed[present].astype(str).str.strip()
            if info.type == "date":
                dates = pd.to_datetime(loaded[present], errors="coerce")
                plain = pd.Series(False, index=as_typed.index)
                # Each distinct date written once per form (a long column repeats its dates).
                codes, distinct = pd.factorize(dates, use_na_sentinel=True)
                for form in _PLAIN_DATE_FORMATS:
                    written = np.append(pd.DatetimeIndex(distinct).strftime(form).to_numpy(dtype=object), None)
                    plain |= as_typed == pd.Series(written[codes], index=dates.index, dtype=object)
                reason = REASONS["date"]
            else:
                plain = pd.to_numeric(as_typed, errors="coerce") == loaded[present]
                reason = REASONS["number"]
            reasons[present & ~plain.reindex(frame.index, fill_value=True)] = reason
            after = loaded
            if keep_typed.any():
                after = loaded.astype(object).where(loaded.notna(), None)
        elif info.type != "empty":
            # Text-like columns: fix each distinct value once.
            after = pd.Series(None, index=frame.index, dtype=object)
            source = typed.where(~(loaded.isna() & ~keep_typed), None)
            present = source.notna()
            codes, distinct = pd.factorize(source[present])
            fixes = [_standard_text(value, info) for value in distinct]
            after[present] = np.array([fix[0] for fix in fixes], dtype=object)[codes]
            reasons[present] = np.array(["; ".join(fix[1]) for fix in fixes], dtype=object)[codes]
        else:
            after = pd.Series(None, index=frame.index, dtype=object)

        # Cells the loader could not read keep what was typed; placeholders become blank.
        if keep_typed.any():
            after = after.astype(object)
            after[keep_typed] = typed[keep_typed]
        blanked = loaded.isna() & ~keep_typed & _nonblank(typed)
        reasons[blanked] = REASONS["placeholder"]
        changed = reasons != ""
        if changed.any():
            logs.append(pd.DataFrame({
                "Row": _row_list(frame.index[changed]), "Column": name,
                "Before": _shown_all(typed[changed]),
                "After": _shown_all(after[changed]),
                "Reason": reasons[changed].to_numpy(),
            }))
        cleaned[name] = after.infer_objects() if after.dtype == object and not keep_typed.any() else after
    changes = (pd.concat(logs, ignore_index=True) if logs
               else pd.DataFrame(columns=["Row", "Column", "Before", "After", "Reason"]))
    changes = changes.sort_values(["Row"], kind="stable", ignore_index=True)
    return pd.DataFrame(cleaned, index=frame.index), changes


def _shown_all(values: pd.Series) -> np.ndarray:
    """:func:`_shown` for a column, once per distinct value (dates all at once)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%d/%m/%Y").fillna("").to_numpy(dtype=object)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    shown = np.array([_shown(value) for value in distinct] + [""], dtype=object)
    return shown[codes]


def _nonblank(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype(str).str.strip() != "")


def changes_by_reason(changes: pd.DataFrame) -> pd.DataFrame:
    """Counts the changes made, by reason, for the report.

    Example:
        >>> log = pd.DataFrame({"Reason": ["extra spaces removed", "extra spaces removed; email address in lower case"]})
        >>> changes_by_reason(log).values.tolist()
        [['extra spaces removed', 2], ['email address in lower case', 1]]
    """
    # Each distinct list of reasons is split once (a big file has millions of changes and a
    # handful of lists), its cells added to every reason in it; the reasons keep the order
    # they first appear in, as counting the split list would, before the same sort.
    tally: dict[str, int] = {}
    for listed, cells in changes["Reason"].value_counts(sort=False).items():
        for reason in listed.split("; "):
            tally[reason] = tally.get(reason, 0) + int(cells)
    counts = pd.Series(tally, dtype="int64").sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"Change": counts.index.tolist(), "Cells": counts.to_numpy().tolist()})
