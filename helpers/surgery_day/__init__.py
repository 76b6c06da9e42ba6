"""plan-a-surgery-day: from the charities' requests to a matched, scheduled day with letters and briefs.

Modules, one job each: ``triage`` (each request's kind and playbook, by a table of words), ``schedule``
(slots, availability, the integer programme and its rule check), ``day`` (the two lists read and
matched), ``feedback`` (after the day: the feedback form joined to the sessions held, counted by the
survey playbook's code), ``words`` (Main points, letters, briefs, the programme report) and ``files``.
This ``__init__`` is the notebook's import.
"""

from helpers.surgery_day.charts import programme_chart, requests_chart
from helpers.surgery_day.day import DayPlan, plan_day
from helpers.surgery_day.feedback import Programme, read_sessions, review_day
from helpers.surgery_day.files import (
    programme_figures, sessions_table, summary_figures, timetable, triage_table, write_day_files,
    write_programme_files,
)
from helpers.surgery_day.schedule import check_sessions
from helpers.surgery_day.triage import KIND_WORDS, read_kind_words
from helpers.surgery_day.words import (
    KIND_WORDS_IN_REPORT, follow_ups_table, helped_table, main_points, not_in_requests_sentence, playbooks_table,
    programme_caveats, programme_lead, programme_next_steps, programme_points, quotes_or_reason, session_rows,
    written_sentence,
)

__all__ = [
    "KIND_WORDS", "KIND_WORDS_IN_REPORT", "DayPlan", "Programme", "check_sessions", "follow_ups_table",
    "helped_table", "main_points", "not_in_requests_sentence", "plan_day", "playbooks_table", "programme_caveats",
    "programme_chart", "programme_figures", "programme_lead", "programme_next_steps", "programme_points",
    "quotes_or_reason", "read_kind_words", "read_sessions", "requests_chart", "review_day", "session_rows",
    "sessions_table", "summary_figures", "timetable", "triage_table", "write_day_files", "write_programme_files",
    "written_sentence",
]
