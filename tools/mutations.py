"""The bugs `make mutants` plants, one at a time, and the tests that must notice each.

Each entry is one promise the kit makes to a charity, broken on purpose: ``file`` (from
the kit's root), ``old`` (exact text that must occur once in that file), ``new`` (what
replaces it), and ``tests`` (pytest node ids or files: only these run, so keep them few
and fast). ``tools/mutants.py`` stops with "stale mutation" when ``old`` is no longer in
the file: after a change to one of these lines, update its anchor here (choose text on a
line unlikely to change, and keep the bug the same).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    name: str
    promise: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "group-of-4-shown",
        "groups of fewer than 5 people are not shown (suppression test off by one)",
        "helpers/impact/statistics.py",
        "small = counts.gt(0) & counts.lt(min_size)\n",
        "small = counts.gt(0) & counts.lt(min_size - 1)\n",
        ("tests/test_promises.py::test_impact_hides_a_group_of_4_and_shows_a_group_of_5",
         "tests/test_outcomes.py"),
    ),
    Mutation(
        "forecast-range-a-week-late",
        "the report's forecast range ends on the forecast's last week",
        "helpers/food_bank/words.py",
        'first, last = forecast["week_start"].iloc[0], forecast["week_start"].iloc[-1]',
        'first, last = forecast["week_start"].iloc[0], forecast["week_start"].iloc[-1] + pd.Timedelta(weeks=1)',
        ("tests/test_promises.py::test_the_forecast_covers_the_weeks_after_the_sample",
         "tests/test_playbooks.py::test_playbook_runs_in_a_session_on_sample_data_as_stored[food-bank-demand]"),
    ),
    Mutation(
        "mase-scale-from-whole-series",
        "MASE is scaled by the naive method's miss up to each backtest window's start only",
        "helpers/food_bank/backtest.py",
        'known = np.asarray(values, dtype="float64")[: end + 1]',
        'known = np.asarray(values, dtype="float64")',
        ("tests/test_backtest_scores.py", "tests/test_forecasting.py"),
    ),
    Mutation(
        "unpaired-t-test",
        "before and after scores of the same people are compared with a paired t-test",
        "helpers/impact/statistics.py",
        "stats.ttest_rel(after, before)",
        "stats.ttest_ind(after, before)",
        ("tests/test_promises.py::test_impact_headline_statistics_match_scipy_at_full_precision",
         "tests/test_outcomes.py"),
    ),
    Mutation(
        "header-written-as-formula",
        "a column header from the charity's file is written to a workbook as text, never a formula",
        "helpers/writing/workbooks.py",
        "cell = text_cell(sheet, str(column))",
        "cell = WriteOnlyCell(sheet, str(column))",
        ("tests/test_promises.py::test_formula_like_headers_and_values_stay_text_in_every_file_written[health-check]",
         "tests/test_workbooks.py"),
    ),
    Mutation(
        "value-written-as-formula",
        "a value from the charity's file is written to a workbook as text, never a formula",
        "helpers/writing/workbooks.py",
        "value = text_cell(sheet, value)",
        "value = value",
        ("tests/test_workbooks.py",
         "tests/test_promises.py::test_formula_like_headers_and_values_stay_text_in_every_file_written[health-check]"),
    ),
    Mutation(
        "csv-value-not-defused",
        "formula-like text in a CSV output gets a leading apostrophe",
        "helpers/writing/workbooks.py",
        """return "'" + value if looks_like_formula(value) else value""",
        "return value",
        ("tests/test_promises.py::test_write_csv_defuses_every_formula_start_in_headers_and_text_but_not_numbers",
         "tests/test_workbooks.py"),
    ),
    Mutation(
        "missing-weeks-counted-as-zero",
        "a week with no records is a gap filled in for fitting, not zero parcels (tolerance check)",
        "helpers/food_bank/weekly.py",
        'weeks["for_fitting"] = fill_gaps_for_fitting(usable)',
        'weeks["for_fitting"] = fill_gaps_for_fitting(usable.fillna(0))',
        ("tests/test_forecasting.py::test_missing_weeks_do_not_drag_the_forecast_down",),
    ),
    Mutation(
        "month-first-dates",
        "dates are read day first (03/04/1987 is 3 April)",
        "helpers/reading/parsing.py",
        "    if month_first:\n        numeric = tuple(",
        "    if not month_first:\n        numeric = tuple(",
        ("tests/test_parsing.py",),
    ),
    Mutation(
        "postcode-unmasked",
        "a postcode in a report keeps only its outward part",
        "helpers/writing/privacy.py",
        'return postcode.split(" ")[0] + " " + HIDDEN',
        "return postcode",
        ("tests/test_privacy.py",),
    ),
    Mutation(
        "email-unmasked",
        "an email address in a report keeps only its domain",
        "helpers/writing/privacy.py",
        'return HIDDEN + "@" + text.split("@")[1]',
        "return text",
        ("tests/test_privacy.py",),
    ),
    Mutation(
        "phone-unmasked-in-report",
        "no personal value from the charity's file reaches the report unmasked (phones keep 2+2 digits)",
        "helpers/writing/privacy.py",
        'return start + "*" * 7 + digits[-2:]',
        "return start + digits[2:-2] + digits[-2:]",
        ("tests/test_report_privacy.py::test_no_planted_personal_value_reaches_the_charity_copy"
         "[health-check-register.xlsx]",
         "tests/test_privacy.py"),
    ),
    Mutation(
        "unknown-parameter-accepted",
        "a parameter the playbook does not have is refused, not silently ignored",
        "helpers/spine/parameters.py",
        "        if name not in declared:\n",
        "        if name not in declared:\n            continue\n",
        ("tests/test_parameters.py",),
    ),
    Mutation(
        "input-change-not-noticed",
        "a run that changes the charity's input file fails (SHA-256 before and after)",
        "helpers/spine/runner.py",
        "if file_sha256(data_path) != checksum_before:",
        "if False:",
        ("tests/test_promises.py::test_a_run_that_changes_its_input_file_fails",),
    ),
    Mutation(
        "swemwbs-table-entry",
        "SWEMWBS raw totals convert with the published metric table",
        "helpers/impact/scales.py",
        "7.00, 9.51, 11.25, 12.40,",
        "7.00, 9.51, 11.52, 12.40,",
        ("tests/test_wellbeing.py",),
    ),
    Mutation(
        "phone-drawing-never-offered",
        "a phone is shown the chart drawn for its width, not the page's chart shrunk to 40%",
        "helpers/templates/report/index.html.j2",
        '<source media="(max-width: 40rem)"',
        '<source media="(max-width: 1px)"',
        ("tests/test_report.py::test_a_chart_drawn_for_phones_is_offered_to_phones_and_the_page_drawing_to_the_rest",),
    ),
    Mutation(
        "phone-drawing-page-wide",
        "a chart's phone drawing is laid out at the phone's width, so its text is 12 px or more as shown",
        "helpers/writing/chart_style.py",
        "return plt.subplots(figsize=(PHONE_WIDTH_INCHES, height), layout=\"constrained\")",
        "return plt.subplots(figsize=(width * 1.0, height), layout=\"constrained\")",
        ("tests/test_charts.py",),
    ),
    Mutation(
        "posix-import-at-start-up",
        "every module `surgery` imports at start-up imports on Windows (no fcntl, resource, pwd or grp)",
        "helpers/spine/catalogue.py",
        "import json\nimport os\n",
        "import fcntl  # noqa: F401\nimport json\nimport os\n",
        ("tests/test_portability.py",),
    ),
    Mutation(
        "run-help-without-playbooks",
        "`surgery run --help` names the playbooks it can run",
        "helpers/spine/cli.py",
        "epilog=playbooks_epilog,",
        "epilog=None,",
        ("tests/test_cli_agrees.py::test_run_help_lists_every_playbook_with_its_purpose",),
    ),
    Mutation(
        "rows-counted-as-people",
        "our-year-in-numbers counts people as distinct ids, never rows",
        "helpers/monitoring/counts.py",
        'people = rows.groupby("period")["person"].nunique()',
        'people = rows.groupby("period")["person"].size()',
        ("tests/test_monitoring.py::test_a_person_who_came_fifty_times_is_one_person_and_fifty_attendances",),
    ),
    Mutation(
        "monitoring-group-of-4-shown",
        "a monitoring table never shows a group of 1 to 4 people",
        "helpers/monitoring/suppression.py",
        "hidden = (counts > 0) & (counts < FEWEST)",
        "hidden = (counts > 0) & (counts < FEWEST - 1)",
        ("tests/test_monitoring.py::test_a_group_of_4_is_hidden_and_so_is_the_complement_that_would_reveal_it",),
    ),
    Mutation(
        "period-boundary-a-day-late",
        "a funder's period starts on its first day (1 April is in 2025-26, not 2024-25)",
        "helpers/monitoring/periods.py",
        "(day < scheme.start_day).astype(",
        "(day <= scheme.start_day).astype(",
        ("tests/test_monitoring.py::test_financial_year_boundaries",),
    ),
    Mutation(
        "wide-tables-scroll-on-phones",
        "a table of more than three columns reads as labelled cards on a phone",
        "helpers/spine/page_layout.py",
        "MOST_COLUMNS_ON_A_PHONE = 3",
        "MOST_COLUMNS_ON_A_PHONE = 99",
        ("tests/test_report_phone_tables.py::test_a_wide_table_reads_as_labelled_cards_on_a_phone",),
    ),
    Mutation(
        "survey-mean-of-labels",
        "what-people-tell-us gives a rating's middle answer as a label, never a mean of labels",
        "helpers/survey/ratings.py",
        "return int(ordered[(len(ordered) - 1) // 2])",
        "return int(round(ordered.mean()))",
        ("tests/test_survey.py::test_the_middle_answer_is_a_label_never_a_mean_of_labels",),
    ),
    Mutation(
        "survey-quote-from-group-of-4",
        "what-people-tell-us quotes no comment from a group of fewer than 5 responses",
        "helpers/survey/comments.py",
        'safe &= table["group"].astype("string").map(comments.group_sizes).fillna(0).ge(FEWEST_TO_QUOTE)',
        'safe &= table["group"].astype("string").map(comments.group_sizes).fillna(0).ge(FEWEST_TO_QUOTE - 1)',
        ("tests/test_survey.py::test_no_quote_from_a_group_of_4_and_quotes_from_a_group_of_5",),
    ),
    Mutation(
        "survey-email-left-in-quote",
        "what-people-tell-us replaces every email before a comment is quoted",
        "helpers/survey/redaction.py",
        'redacted = EMAIL.sub("[email]", original)',
        'redacted = original',
        ("tests/test_survey.py::test_every_planted_marker_is_redacted",),
    ),
)
