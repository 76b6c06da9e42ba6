"""health-check: is our spreadsheet in a fit state?

The playbook imports everything it uses from here. Behind it, one module per job:
``profile`` (what each column holds, the spellings of each category), ``findings``
(formats, unreadable cells, dates, personal columns, and ``check_health`` running every
check), ``duplicates`` (exact and near copies), ``cleaning`` (the safe fixes and the
change list), ``words`` (the report's tables, sentences and ``summary.json`` figures),
``charts`` and ``workbooks`` (the charity's cleaned workbook, data dictionary and
data-entry template).
"""

from helpers.health_check.charts import missing_chart, problems_chart
from helpers.health_check.cleaning import changes_by_reason, clean_table
from helpers.health_check.findings import check_loaded_table, parse_check_date
from helpers.health_check.profile import MAX_COLUMNS
from helpers.health_check.words import (
    FILE_NAMES,
    GDPR_REMINDER,
    claim_sentence,
    count_with_verb,
    health_claims,
    hide_small_counts,
    main_points,
    next_steps,
    percent_text,
    problem_counts,
    show_findings,
    summary_figures,
    top_fixes,
)
from helpers.health_check.workbooks import (
    write_capture_template,
    write_cleaned_workbook,
    write_data_dictionary,
)

__all__ = [
    "FILE_NAMES", "GDPR_REMINDER", "MAX_COLUMNS", "changes_by_reason", "check_loaded_table", "claim_sentence",
    "clean_table", "count_with_verb", "health_claims",
    "hide_small_counts", "main_points", "missing_chart", "next_steps", "parse_check_date", "percent_text", "problem_counts",
    "problems_chart", "show_findings", "summary_figures", "top_fixes",
    "write_capture_template", "write_cleaned_workbook", "write_data_dictionary",
]
