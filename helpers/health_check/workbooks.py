"""health-check's workbooks: the cleaned file with its change list, the data dictionary and
the capture template with drop-down lists and date and number rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.writing.bigsheets import write_big_frames
from helpers.writing.workbooks import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    MAX_WIDTH,
    write_frames,
)

#: How many empty rows of a capture template get the column's rules and format.
TEMPLATE_ROWS = 500

#: Longest list Excel accepts typed into a drop-down rule; longer lists go on a hidden sheet.
_INLINE_LIST_LIMIT = 255

# Excel's earliest and a far-future date, for "must be a date" rules.
_EARLIEST_DATE = "DATE(1900,1,1)"
_LATEST_DATE = "DATE(2099,12,31)"
_BIGGEST_NUMBER = 999_999_999


def write_cleaned_workbook(
    path, cleaned_frame: pd.DataFrame, changes: pd.DataFrame, row_label: str = "Original row"
) -> Path:
    """Writes a cleaned table and the list of every change made to it.

    Args:
        path: The ``.xlsx`` file to write.
        cleaned_frame: The cleaned table; its index is the row number in the
            original file and becomes the first column, so each row can be
            found in the original.
        changes: The change log (for example from :func:`helpers.health_check.cleaning.clean_table`).
        row_label: The header for the original row numbers.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> log = pd.DataFrame({"Row": [2], "Column": ["Town"], "Before": ["leeds"], "After": ["Leeds"],
        ...                     "Reason": ["one spelling"]})
        >>> write_cleaned_workbook(folder / "cleaned.xlsx", pd.DataFrame({"Town": ["Leeds"]}, index=[2]), log).name
        'cleaned.xlsx'
    """
    cleaned = cleaned_frame.rename_axis(row_label).reset_index()
    # Both sheets can be as long as the charity's file, or longer: the fast writer.
    return write_big_frames(path, {"Cleaned data": cleaned, "Changes made": changes})


def _allowed_values(info) -> list[str]:
    return list(getattr(info, "categories", None) or [])


def _describe_range(info) -> str:
    """The smallest and largest value: only the years for personal dates (an oldest
    date of birth points at one person), nothing for other personal columns."""
    low, high = getattr(info, "minimum", None), getattr(info, "maximum", None)
    if low is None or high is None:
        return ""
    if isinstance(low, (pd.Timestamp, dt.date)):
        if getattr(info, "personal", None):
            return f"{low.year} to {high.year}"
        return f"{low:%d/%m/%Y} to {high:%d/%m/%Y}"
    if getattr(info, "personal", None):
        return ""
    return f"{low:g} to {high:g}"


def write_data_dictionary(path, profile) -> Path:
    """Writes a data dictionary: one row per column, with a blank "Description" to fill in.

    Args:
        path: The ``.xlsx`` file to write.
        profile: A :class:`helpers.health_check.profile.TableProfile`.

    Returns:
        The path written. The sheet "Data dictionary" has the columns Column,
        Type, Allowed values (for categories), Range found (for numbers and
        dates; only the years for dates of birth), % missing, Example (masked when the column is personal),
        Personal data and Description.

    Example:
        >>> import tempfile
        >>> from helpers.health_check.profile import profile_columns
        >>> folder = Path(tempfile.mkdtemp())
        >>> write_data_dictionary(folder / "dictionary.xlsx", profile_columns(pd.DataFrame({"Age": [3]}))).name
        'dictionary.xlsx'
    """
    rows = profile.rows
    dictionary = pd.DataFrame(
        {
            "Column": [info.name for info in profile.columns.values()],
            "Type": [info.type for info in profile.columns.values()],
            "Allowed values": [", ".join(_allowed_values(info)) for info in profile.columns.values()],
            "Range found": [_describe_range(info) for info in profile.columns.values()],
            "% missing": [round(100 * info.missing / rows, 1) if rows else 0.0 for info in profile.columns.values()],
            "Example": [info.example for info in profile.columns.values()],
            "Personal data": ["yes" if info.personal else "no" for info in profile.columns.values()],
            "Description": ["" for _ in profile.columns],
        }
    )
    return write_frames(path, {"Data dictionary": dictionary})


#: Added to the help of a column holding personal data, so the template says so where it is typed.
PERSONAL_NOTE = "Personal data: keep this file where only the people who need it can open it."


def _help_text(info) -> str:
    """What to type in a column, for the header comment and the input message."""
    what = _what_to_type(info)
    return f"{what} {PERSONAL_NOTE}" if getattr(info, "personal", None) else what


def _what_to_type(info) -> str:
    kind = info.type
    allowed = _allowed_values(info)
    if allowed:
        return f"Pick one from the list ({len(allowed)} choices)."
    return {
        "date": "Type a date as dd/mm/yyyy, for example 05/03/2025.",
        "whole number": "Type a whole number, with no text or units.",
        "number": "Type a number, with no text or units (no £ sign).",
        "email address": "Type one email address, such as name@example.org.",
        "UK phone number": "Type one UK phone number, such as 07700 900123.",
        "UK postcode": "Type a UK postcode, such as SW1A 1AA.",
    }.get(kind, "Type text. Leave blank if not known.")


def _validation_for(info, letter: str, first_row: int, last_row: int, lists_range: str | None):
    """The Excel data-validation rule for one column, or an input message alone."""
    cell = f"{letter}{first_row}"
    allowed = _allowed_values(info)
    if allowed:
        if lists_range:
            rule = DataValidation(type="list", formula1=lists_range)
        else:
            rule = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"')
        rule.error = "Pick one of the values in the list."
    elif info.type == "date":
        rule = DataValidation(type="date", operator="between", formula1=_EARLIEST_DATE, formula2=_LATEST_DATE)
        if getattr(info, "role", None) == "date_of_birth":
            rule.formula2 = "TODAY()"
        rule.error = "Type a date as dd/mm/yyyy."
    elif info.type in ("whole number", "number"):
        kind = "whole" if info.type == "whole number" else "decimal"
        low = getattr(info, "minimum", None)
        if low is not None and low >= 0:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0")
            rule.error = f"Type a {info.type} of 0 or more."
        else:
            rule = DataValidation(type=kind, operator="between",
                                  formula1=str(-_BIGGEST_NUMBER), formula2=str(_BIGGEST_NUMBER))
            rule.error = f"Type a {info.type}."
    elif info.type == "email address":
        rule = DataValidation(type="custom",
                              formula1=f'AND(ISNUMBER(FIND("@",{cell})),ISNUMBER(FIND(".",{cell},FIND("@",{cell}))))')
        rule.error = "That does not look like an email address."
    elif info.type == "UK postcode":
        rule = DataValidation(type="textLength", operator="between", formula1="5", formula2="8")
        rule.error = "A UK postcode has 5 to 8 characters, such as SW1A 1AA."
    elif info.type == "UK phone number":
        rule = DataValidation(type="textLength", operator="between", formula1="10", formula2="17")
        rule.error = "A UK phone number has 10 or 11 digits, such as 07700 900123."
    else:
        rule = DataValidation()  # "any value": only the input message
    rule.allow_blank = True
    rule.showInputMessage = True
    rule.promptTitle = str(info.name)[:32]
    rule.prompt = _help_text(info)[:255]
    if rule.type is not None:
        rule.showErrorMessage = True
        rule.errorTitle = "Check this value"
    rule.add(f"{letter}{first_row}:{letter}{last_row}")
    return rule


def write_capture_template(path, profile, rows: int = TEMPLATE_ROWS) -> Path:
    """Writes an empty data-entry sheet whose cells only accept sensible values.

    Each column of the profiled table gets a header (with a comment saying what
    to type) and, over its first ``rows`` rows, an Excel data-validation rule:
    a drop-down for categories (the list kept on a hidden "Lists" sheet when it
    is long), a date range for dates (no future dates of birth), whole or
    decimal numbers for numbers, and simple checks for emails, postcodes and
    phone numbers. Cells are formatted to match: dates day-first, phone numbers
    and postcodes as text so Excel keeps their leading 0. A column holding
    personal data says so in its header comment and input message.

    Args:
        path: The ``.xlsx`` file to write.
        profile: A :class:`helpers.health_check.profile.TableProfile` of the table to copy.
        rows: How many rows to prepare.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> from helpers.health_check.profile import profile_columns
        >>> folder = Path(tempfile.mkdtemp())
        >>> table = pd.DataFrame({"Visits": [1, 2]})
        >>> write_capture_template(folder / "template.xlsx", profile_columns(table)).name
        'template.xlsx'
    """
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data entry"
    lists = None
    first_row, last_row = 2, rows + 1
    for position, info in enumerate(profile.columns.values(), start=1):
        letter = get_column_letter(position)
        header = sheet.cell(row=1, column=position, value=str(info.name))
        header.data_type = "s"  # a header from the charity's file is text, even when it starts with "="
        header.font = HEADER_FONT
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        header.comment = Comment(_help_text(info), "Data Surgery Kit", width=220, height=70)
        allowed = _allowed_values(info)
        lists_range = None
        if allowed and (len(",".join(allowed)) + 2 > _INLINE_LIST_LIMIT or any("," in v or '"' in v for v in allowed)):
            if lists is None:
                lists = workbook.create_sheet("Lists")
                lists.sheet_state = "hidden"
            lists_column = lists.max_column + 1 if lists["A1"].value is not None else 1
            lists.cell(row=1, column=lists_column, value=str(info.name)).data_type = "s"
            for offset, value in enumerate(allowed, start=2):
                lists.cell(row=offset, column=lists_column, value=value).data_type = "s"
            lists_letter = get_column_letter(lists_column)
            lists_range = f"{quote_sheetname('Lists')}!${lists_letter}$2:${lists_letter}${len(allowed) + 1}"
        sheet.add_data_validation(_validation_for(info, letter, first_row, last_row, lists_range))
        number_format = {"date": DATE_FORMAT, "whole number": "0", "number": "0.00",
                         "UK phone number": "@", "UK postcode": "@"}.get(info.type)
        if number_format:
            for row in range(first_row, last_row + 1):
                sheet.cell(row=row, column=position).number_format = number_format
        wanted = max(len(str(info.name)) + 4, 14, *(len(value) + 2 for value in allowed))
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, wanted)
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path
