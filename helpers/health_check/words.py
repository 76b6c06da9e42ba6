"""The health check's words and tables for the report: percentages, counts with their
verbs, findings tables, the top fixes, the problem counts and the figures for ``summary.json``.
"""

from __future__ import annotations

import pandas as pd

from helpers.health_check.findings import HealthReport, check_health  # noqa: F401  (the examples use check_health)
from helpers.health_check.profile import FORMAT_NAMES, MISSING_FIX_SHARE
from helpers.writing.claims import Claim
from helpers.writing.narrative import plural

GDPR_REMINDER = (
    "UK GDPR, the law on personal data, applies to them. Keep the file where only the people who "
    "need it can open it. Do not email it around or save copies on home computers. Keep only the "
    "columns you need, and delete records you no longer have a reason to keep. If someone asks what "
    "you hold about them, you must be able to find it."
)


def percent_text(part: float, whole: float) -> str:
    """A share as a whole percentage, with "under 1%" rather than a misleading "0%".

    Example:
        >>> percent_text(1, 494), percent_text(0, 494), percent_text(171, 494)
        ('under 1%', '0%', '35%')
    """
    if not whole or not part:
        return "0%"
    share = 100 * part / whole
    return "under 1%" if share < 1 else f"{share:.0f}%"


def count_with_verb(count: int, noun: str, verb: str) -> str:
    """A count, its noun and a verb that agree: "1 row has", "3 rows have".

    Args:
        count: How many.
        noun: The noun in the singular ("row"); "s" is added for more than one.
        verb: The verb as it goes with one thing ("has", "is", "looks").

    Example:
        >>> count_with_verb(1, "row", "has"), count_with_verb(3, "date", "looks"), count_with_verb(2, "cell", "is")
        ('1 row has', '3 dates look', '2 cells are')
    """
    if count == 1:
        return f"{plural(count, noun)} {verb}"
    verbs = {"is": "are", "has": "have", "was": "were", "does": "do"}
    return f"{plural(count, noun)} {verbs.get(verb, verb.removesuffix('s'))}"


def rows_in_words(rows, limit: int = 8) -> str:
    """Writes a list of row numbers for a sentence or a table cell.

    Example:
        >>> rows_in_words([4, 9, 12])
        '4, 9, 12'
        >>> rows_in_words(range(2, 20), limit=3)
        '2, 3, 4 and 15 more'
    """
    rows = [str(row) for row in rows]
    if len(rows) <= limit:
        return ", ".join(rows)
    return ", ".join(rows[:limit]) + f" and {len(rows) - limit} more"


def for_display(findings: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Turns a findings table's list cells (row numbers, examples) into short text.

    Example:
        >>> for_display(pd.DataFrame({"Rows": [2], "Row numbers": [[3, 5]]}))["Row numbers"].tolist()
        ['3, 5']
    """
    shown = findings.copy()
    for column in shown.columns:
        if shown[column].map(lambda cell: isinstance(cell, list)).any():
            shown[column] = shown[column].map(
                lambda cell: rows_in_words(cell, limit) if isinstance(cell, list) else cell
            )
    return shown


def hide_small_counts(findings: pd.DataFrame, column: str = "Rows", smallest: int = 5) -> pd.DataFrame:
    """Writes counts under ``smallest`` as "fewer than 5", so small groups of people are not shown.

    Row-number lists are dropped too, since they would give the count away.

    Example:
        >>> found = pd.DataFrame({"Spelling found": ["'F'", "'fem'"], "Rows": [30, 2], "Row numbers": [[], []]})
        >>> hide_small_counts(found)["Rows"].tolist()
        ['30', 'fewer than 5']
    """
    shown = findings.drop(columns=["Row numbers"], errors="ignore")
    shown[column] = shown[column].map(lambda count: f"{count:,}" if count >= smallest else f"fewer than {smallest}")
    return shown


def show_findings(findings: pd.DataFrame, caption: str, max_rows: int = 25, limit: int = 8) -> None:
    """Shows a findings table in the report, with lists cut short; shows nothing when it is empty.

    Args:
        findings: A table from one of the ``find_*`` functions (or any table).
        caption: What the table is, in a sentence.
        max_rows: Rows shown at most.
        limit: Row numbers shown at most in each cell.
    """
    from helpers.writing.narrative import show_table

    if len(findings):
        show_table(for_display(findings, limit), caption, max_rows=max_rows)


def top_fixes(report: HealthReport, limit: int = 6) -> pd.DataFrame:
    """The most useful fixes, in plain English, the ones touching most rows first.

    Args:
        report: From :func:`check_health`.
        limit: How many fixes to list at most.

    Returns:
        A table with "Fix" (a sentence) and "Rows affected".

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> top_fixes(report)["Fix"].tolist()[0]
        "Fix 1 value in 'Email' that is not an email address."
    """
    fixes: list[tuple[str, int]] = []
    rows = report.profile.rows
    for name, found in report.spellings.groupby("Column", sort=False):
        fixes.append((f"Use one spelling for each entry in '{name}' "
                      f"({plural(len(found), 'other spelling')} found).", int(found["Rows"].sum())))
    for record in report.formats.to_dict("records"):
        if record["Invalid"]:
            fixes.append((f"Fix {plural(record['Invalid'], 'value')} in '{record['Column']}' "
                          f"that {'is' if record['Invalid'] == 1 else 'are'} not {record['Should be']}.",
                          record["Invalid"]))
    for record in report.unreadable.to_dict("records"):
        fixes.append((f"Retype {plural(record['Rows'], 'cell')} in '{record['Column']}' "
                      f"as {record['Should be']}.", record["Rows"]))
    for record in report.dates.to_dict("records"):
        fixes.append((f"Check {plural(record['Rows'], 'date')} in '{record['Column']}': "
                      f"{record['Problem']}.", record["Rows"]))
    for name, info in report.profile.columns.items():
        if info.uncalculated:
            fixes.append((f"Open the file in Excel and save it: '{name}' holds "
                          f"{plural(info.uncalculated, 'formula')} Excel never calculated.", info.uncalculated))
    copies = report.duplicates.exact_copies + report.duplicates.near_copies
    if copies:
        fixes.append((f"Remove or merge {plural(copies, 'repeated row')}.", copies))
    for name, info in report.profile.columns.items():
        # A column blank in most rows (notes, donations) is probably optional; a
        # mostly filled one with gaps probably is not.
        if info.personal != "notes" and rows and MISSING_FIX_SHARE[0] <= info.missing / rows < MISSING_FIX_SHARE[1]:
            fixes.append((f"Fill in '{name}' where you can: {info.missing} of {rows} rows are blank.", info.missing))
    fixes.sort(key=lambda fix: -fix[1])
    return pd.DataFrame(fixes[:limit], columns=["Fix", "Rows affected"])


def problem_counts(report: HealthReport) -> pd.DataFrame:
    """How many rows have each kind of problem (a row can have several).

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> problem_counts(report).values.tolist()
        [['Email address not valid', 1], ['Row has a copy', 2]]
    """
    kinds: dict[str, set] = {}

    def add(kind: str, rows) -> None:
        kinds.setdefault(kind, set()).update(rows)

    for rows in report.spellings["Row numbers"]:
        add("Category typed another way", rows)
    for record in report.formats.to_dict("records"):
        kind = {"an email address": "Email address", "a UK postcode": "Postcode",
                "a UK phone number": "Phone number"}[record["Should be"]]
        add(f"{kind} not valid", record["Row numbers"])
    for rows in report.unreadable["Row numbers"]:
        add("Date or number unreadable", rows)
    for rows in report.dates["Row numbers"]:
        add("Date in the future or impossible", rows)
    for rows in report.duplicates.groups["Row numbers"]:
        add("Row has a copy", rows)
    counts = [(kind, len(rows)) for kind, rows in kinds.items() if rows]
    return pd.DataFrame(counts, columns=["Problem", "Rows"])


def rows_with_problems(report: HealthReport) -> list:
    """The row numbers with at least one problem of any kind, in order.

    Example:
        >>> rows_with_problems(check_health(pd.DataFrame({"Email": ["a@b.org", "nope"]})))
        [1]
    """
    rows: set = set()
    for table in (report.spellings, report.formats, report.unreadable, report.dates, report.duplicates.groups):
        for found in table["Row numbers"]:
            rows.update(found)
    return sorted(rows)


def summary_figures(report: HealthReport, changes: pd.DataFrame | None = None) -> dict:
    """The headline figures for ``summary.json``: counts and column names only, no values.

    Args:
        report: From :func:`check_health`.
        changes: The cleaned workbook's change list; its length is ``cells_tidied``.

    Example:
        >>> summary = summary_figures(check_health(pd.DataFrame({"Email": ["a@b.org", None]})))
        >>> summary["rows"], summary["missing"], summary["personal_data_columns"]
        (2, {'Email': 1}, ['Email'])
    """
    profile = report.profile
    formats = report.formats.set_index("Column")
    by_kind = {kind: 0 for kind in FORMAT_NAMES}
    for name, info in profile.columns.items():
        if info.checked_as:
            by_kind[info.checked_as] += int(formats.loc[name, "Invalid"])
    unreadable_dates = int(report.unreadable.loc[report.unreadable["Should be"] == "a date", "Rows"].sum())
    dates = report.dates
    return {
        "rows": profile.rows,
        "columns": len(profile.columns),
        "missing": {name: info.missing for name, info in profile.columns.items()},
        "column_types": {name: info.type for name, info in profile.columns.items()},
        "duplicate_rows": report.duplicates.exact_copies,
        "near_duplicate_rows": report.duplicates.near_copies,
        "spelling_variants": int(report.spellings["Rows"].sum()),
        "invalid_emails": by_kind["email"],
        "invalid_postcodes": by_kind["postcode"],
        "invalid_phones": by_kind["phone"],
        "unreadable_dates": unreadable_dates,
        "unreadable_numbers": int(report.unreadable["Rows"].sum()) - unreadable_dates,
        "future_dates": int(dates.loc[dates["Problem"] == "date in the future", "Rows"].sum()),
        "implausible_dates_of_birth": int(dates.loc[dates["Problem"] != "date in the future", "Rows"].sum()),
        "future_date_columns_not_checked": list(report.future_allowed),
        "personal_data_columns": report.personal["Column"].tolist(),
        "rows_with_problems": len(rows_with_problems(report)),
        "cells_tidied": 0 if changes is None else len(changes),
        "headline": {
            "rows": "rows of data",
            "rows_with_problems": "rows with at least one problem",
            "cells_tidied": "cells tidied in the cleaned workbook",
            "duplicate_rows": "rows that are exact copies",
            "near_duplicate_rows": "rows that are near copies",
            "spelling_variants": "cells with a category typed another way",
            "invalid_emails": "email addresses that are not valid",
            "invalid_postcodes": "postcodes that are not valid",
            "invalid_phones": "phone numbers that are not valid",
            "unreadable_dates": "dates that could not be read",
            "future_dates": "dates in the future",
        },
    }


#: How the report names the files the charity takes away.
FILE_NAMES = {
    "cleaned": "the cleaned workbook, cleaned.xlsx",
    "dictionary": "the data dictionary, data_dictionary.xlsx",
    "template": "the data-entry template, capture_template.xlsx",
}


#: The rule behind each of the health check's conclusions, as ``summary.json`` states it.
RULES = {
    "rows_with_problems": "A row has a problem when any check lists it: a category typed another way, a value "
                          "that is not a valid email, postcode or phone number, an unreadable date or number, a "
                          "date in the future or an impossible age, or a copy of another row.",
    "exact_copies": "Rows are exact copies when every cell is the same as typed.",
    "near_copies": "Rows are near copies only when they agree on every name and ID column and on every other "
                   "column once spaces, capitals and formats are tidied, or on all but one other column (with "
                   "at least three filled cells in common and one column where most values differ).",
    "personal_data": "A column holds personal data when its header names a person's name, contact details, "
                     "address, date of birth, ID or notes, or when its values look like them: emails, phone "
                     "numbers, postcodes, long free text, codes that are nearly all different, or two or three "
                     "capitalised words, mostly different or under a header that names a person.",
}


def copies_sentence(count: int, kind: str) -> str:
    """The sentence for exact or near copies, from their count (the claim's sentence).

    Example:
        >>> copies_sentence(1, "near"), copies_sentence(0, "exact")
        ('1 row is a near copy of another row, with the same names and IDs, so counts of people may be too high.', 'No row is an exact copy of another.')
    """
    if not count:
        return f"No row is {'an' if kind == 'exact' else 'a'} {kind} copy of another."
    detail = "" if kind == "exact" else ", with the same names and IDs"
    being = f"is {'an' if kind == 'exact' else 'a'} {kind} copy" if count == 1 else f"are {kind} copies"
    return f"{plural(count, 'row')} {being} of another row{detail}, so counts of people may be too high."


def health_claims(report: HealthReport) -> list[Claim]:
    """The health check's conclusions, each decided by its rule (see :data:`RULES`).

    Decisions: ``rows_with_problems`` is ``all_rows``, ``some_rows`` or ``no_rows``; ``exact_copies``
    is ``exact_copies`` or ``none``; ``near_copies`` is ``near_copies`` or ``none``; ``personal_data``
    is ``personal_data`` or ``no_personal_data`` (the only way the report may say "no personal data").

    Example:
        >>> claims = health_claims(check_health(pd.DataFrame({"Member": ["Ava Nowak", "Ben Okafor"], "Fee": [3, 3]})))
        >>> [(claim.key, claim.decision) for claim in claims]
        [('rows_with_problems', 'no_rows'), ('exact_copies', 'none'), ('near_copies', 'none'), ('personal_data', 'personal_data')]
    """
    rows = report.profile.rows
    problem_rows = len(rows_with_problems(report))
    if problem_rows == rows and rows:
        decision, sentence = "all_rows", "All of the rows in the file have at least one problem worth fixing."
    elif problem_rows:
        decision = "some_rows"
        sentence = (f"{percent_text(problem_rows, rows).capitalize()} of the rows in the file "
                    f"({problem_rows:,} of {rows:,}) have at least one problem worth fixing.")
    else:
        decision, sentence = "no_rows", "No row has a problem worth fixing."
    claims = [Claim("rows_with_problems", decision, sentence, {"rows": rows, "rows_with_problems": problem_rows},
                    RULES["rows_with_problems"])]
    copies = report.duplicates
    for kind, count in (("exact", copies.exact_copies), ("near", copies.near_copies)):
        claims.append(Claim(f"{kind}_copies", f"{kind}_copies" if count else "none", copies_sentence(count, kind),
                            {f"{kind}_copies": int(count)}, RULES[f"{kind}_copies"]))
    personal = report.personal["Column"].tolist()
    if personal:
        claim = Claim("personal_data", "personal_data",
                      f"{count_with_verb(len(personal), 'column', 'holds')} personal data, so the file must be "
                      "kept safe.", {"columns": len(report.profile.columns), "personal_columns": len(personal)},
                      RULES["personal_data"])
    else:
        claim = Claim("personal_data", "no_personal_data",
                      "We found no personal data: no column's header or values look like names, IDs, contact "
                      "details, dates of birth or notes.",
                      {"columns": len(report.profile.columns), "personal_columns": 0}, RULES["personal_data"])
    claims.append(claim)
    return claims


def claim_sentence(claims: list[Claim], key: str) -> str:
    """The sentence of the claim with this key.

    Example:
        >>> claim_sentence([Claim("near_copies", "none", "No row is a near copy of another.")], "near_copies")
        'No row is a near copy of another.'
    """
    return next(claim.sentence for claim in claims if claim.key == key)


def main_points(report: HealthReport, changes: pd.DataFrame,
                claims: list[Claim] | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """The report's Main points: three headline figures and up to five plain sentences.

    The sentences about problems, copies and personal data are the claims' own sentences
    (see :func:`health_claims`), so the Main points say exactly what the rules decided.

    Args:
        report: From :func:`check_health`.
        changes: The change list from :func:`helpers.health_check.cleaning.clean_table`.
        claims: From :func:`health_claims` (made here when not given).

    Returns:
        ``(figures, sentences)`` for :func:`helpers.writing.narrative.show_main_points`.

    Example:
        >>> report = check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]}))
        >>> figures, sentences = main_points(report, pd.DataFrame({"Row": [2]}))
        >>> figures
        [('3', 'rows checked'), ('3', 'rows with at least one problem'), ('1', 'cells tidied in the cleaned workbook')]
        >>> sentences[0]
        'All of the rows in the file have at least one problem worth fixing.'
    """
    claims = claims if claims is not None else health_claims(report)
    rows = report.profile.rows
    problem_rows = len(rows_with_problems(report))
    figures = [(f"{rows:,}", "rows checked"), (f"{problem_rows:,}", "rows with at least one problem"),
               (f"{len(changes):,}", "cells tidied in the cleaned workbook")]
    sentences = [claim_sentence(claims, "rows_with_problems")]
    counts = problem_counts(report).sort_values("Rows", ascending=False, kind="stable")
    if len(counts):
        kind, many = counts.iloc[0]["Problem"], int(counts.iloc[0]["Rows"])
        sentences.append(f"The most common problem is: {kind[0].lower()}{kind[1:]}, in {plural(many, 'row')}.")
    for claim in claims:
        if claim.decision in ("exact_copies", "near_copies", "personal_data", "no_personal_data"):
            sentences.append(claim.sentence)
    sentences.append(f"{FILE_NAMES['cleaned'][0].upper()}{FILE_NAMES['cleaned'][1:]}, makes the safe fixes "
                     "and lists every change; no row is removed.")
    return figures, sentences[:5]


def next_steps(report: HealthReport) -> list[str]:
    """What the charity can do next, in order, from what the check found.

    It does not repeat the fixes table of the summary: it says who does what, and where.

    Example:
        >>> steps = next_steps(check_health(pd.DataFrame({"Email": ["a@b.org", "a@b.org"]})))
        >>> steps[1]
        'Go through the groups of repeated rows with someone who knows the people: keep the best row of each group, then merge or delete the others.'
    """
    steps = [f"Open {FILE_NAMES['cleaned']}, and read its Changes made sheet. If the changes look right, make the "
             "same fixes where the data is kept (the database or the master spreadsheet), so that the next export "
             "is clean too."]
    if report.duplicates.exact_copies or report.duplicates.near_copies:
        steps.append("Go through the groups of repeated rows with someone who knows the people: keep the best row "
                     "of each group, then merge or delete the others.")
    if int(report.formats["Invalid"].sum()) if len(report.formats) else 0:
        steps.append("Correct the contact details that are not valid the next time you are in touch with each "
                     "person; until then, do not rely on them for mailings.")
    if len(report.unreadable) or len(report.dates):
        steps.append("Check the unreadable and impossible dates against your paper or email records.")
    if any(info.uncalculated for info in report.profile.columns.values()):
        steps.append("Open the file in Excel and save it, so that its formulas are calculated, then run this "
                     "check again.")
    steps.append(f"Fill in the Description column of {FILE_NAMES['dictionary']}, so that everyone means the same "
                 "thing by each column.")
    steps.append(f"Use {FILE_NAMES['template']} (or copy its drop-down lists) for new records, so they are typed "
                 "the same way each time.")
    steps.append("Run this check again in three months to see what has changed.")
    return steps
