"""health-check: is our spreadsheet in a fit state?

The playbook imports everything it uses from here; the modules behind it are the
method (``health``) and the charity's workbooks (``workbooks``).
"""

from helpers.health_check.health import (
    GDPR_REMINDER,
    changes_by_reason,
    check_loaded_table,
    clean_table,
    count_with_verb,
    hide_small_counts,
    missing_chart,
    parse_check_date,
    percent_text,
    problem_counts,
    problems_chart,
    show_findings,
    summary_figures,
    top_fixes,
)
from helpers.health_check.workbooks import write_capture_template, write_cleaned_workbook, write_data_dictionary

__all__ = [
    "GDPR_REMINDER", "changes_by_reason", "check_loaded_table", "clean_table", "count_with_verb",
    "hide_small_counts", "missing_chart", "parse_check_date", "percent_text", "problem_counts",
    "problems_chart", "show_findings", "summary_figures", "top_fixes",
    "write_capture_template", "write_cleaned_workbook", "write_data_dictionary",
]
