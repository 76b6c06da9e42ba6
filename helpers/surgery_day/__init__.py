"""plan-a-surgery-day: from the charities' requests to a matched, scheduled day with letters and briefs.

Modules, one job each: ``triage`` (each request's kind and playbook, by a table of words), ``schedule``
(slots, availability, the integer programme and its rule check), ``day`` (the two lists read and
matched), ``words`` (Main points, letters, briefs) and ``files``. This ``__init__`` is the notebook's import.
"""

from helpers.surgery_day.day import DayPlan, plan_day
from helpers.surgery_day.files import summary_figures, timetable, triage_table, write_day_files
from helpers.surgery_day.schedule import check_sessions
from helpers.surgery_day.triage import KIND_WORDS, read_kind_words
from helpers.surgery_day.words import KIND_WORDS_IN_REPORT, main_points

__all__ = ["KIND_WORDS", "KIND_WORDS_IN_REPORT", "DayPlan", "check_sessions", "main_points", "plan_day",
           "read_kind_words", "summary_figures", "timetable", "triage_table", "write_day_files"]
