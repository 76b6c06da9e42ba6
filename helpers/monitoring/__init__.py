"""our-year-in-numbers: the monitoring return a funder asks for, from the charity's own activity log.

Modules, one job each: ``periods`` (financial years, quarters, months), ``log`` (the columns that matter,
each row's person and period), ``counts`` (people not rows, attendances, sessions, new and returning,
services, demographics per person), ``suppression`` (small numbers hidden, complements too), ``targets``
(the grant agreement's table), ``words`` (Main points, claims, the funder's paragraph), ``charts`` and
``files``. This ``__init__`` is the notebook's one import.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.monitoring.charts import people_chart
from helpers.monitoring.counts import PeriodCounts, TargetResult, compare_targets, count_periods
from helpers.monitoring.files import write_monitoring_workbook, write_people
from helpers.monitoring.log import AGE_BANDS, FIELD_NAMES, ActivityLog, read_activity_log
from helpers.monitoring.periods import read_scheme
from helpers.monitoring.targets import read_targets, targets_sheet
from helpers.monitoring.words import (
    breakdown_table, caveats, funder_paragraph, headline, main_points, next_steps, not_recorded_sentence,
    periods_table, shown_periods, shown_totals, summary_figures,
)


@dataclass
class YearInNumbers:
    """Everything the report says, counted once: the log, the counts and the targets."""

    log: ActivityLog
    counts: PeriodCounts
    targets: list[TargetResult]


def count_activity(table, period: str = "year", period_start: str = "", columns: dict | None = None,
                   age_bands: str = AGE_BANDS, targets_table=None) -> YearInNumbers:
    """Read an activity log and count it by period (see the package docstring).

    Args:
        table: The loaded activity log.
        period: ``year``, ``quarter`` or ``month``.
        period_start: The day a year starts (blank: 1 April).
        columns: Role parameters (``id_column``...), blank to find from headers.
        age_bands: The ``age_bands`` parameter.
        targets_table: A loaded targets table, or ``None``.
    """
    log = read_activity_log(table, read_scheme(period, period_start), columns or {}, age_bands)
    counts = count_periods(log)
    services = list(counts.by_service.index) if counts.by_service is not None else []
    targets = []
    if targets_table is not None:
        targets = compare_targets(read_targets(targets_table.frame, services, log.notes), counts, log)
    return YearInNumbers(log, counts, targets)


__all__ = [
    "AGE_BANDS", "FIELD_NAMES", "YearInNumbers", "breakdown_table", "caveats", "count_activity", "funder_paragraph",
    "headline", "main_points", "next_steps", "not_recorded_sentence", "people_chart", "periods_table",
    "shown_periods", "shown_totals", "summary_figures", "targets_sheet", "write_monitoring_workbook", "write_people",
]
