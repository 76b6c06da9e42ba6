"""Files for the charity: ``comments.xlsx`` (redacted, with the originals on a sheet marked personal) and
``ratings.xlsx`` (the tables behind the chart). Written with the kit's workbook writer, so nothing a
respondent typed becomes a formula.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.survey.comments import Comments
from helpers.survey.ratings import QuestionResult
from helpers.survey.words import group_table, pct, ratings_table
from helpers.writing.workbooks import write_frames

PERSONAL_SHEET = "PERSONAL DATA - originals"
COMMENTS_ABOUT = [
    "How to read this workbook",
    "Comments: every comment, with the row it came from in your file, its question, its main theme, its tone "
    "(positive, negative or neutral, from a word list: a rough guide only) and its text with names, emails, "
    "phone numbers, postcodes, addresses and long numbers replaced.",
    f"'{PERSONAL_SHEET}': the comments exactly as written. This sheet holds personal data: delete it before "
    "sharing this file, and keep the file only as long as you need it.",
]


def write_comments(folder: Path, comments: Comments) -> Path:
    """Write ``comments.xlsx``: the redacted comments, then the originals on a sheet marked as personal data."""
    table = comments.table
    redacted = pd.DataFrame({"row": table["row"].astype(int), "question": table["question"],
                             "theme": table["theme"], "tone": table["tone"], "comment (redacted)": table["redacted"]})
    if table["group"].notna().any():
        redacted.insert(2, "group", table["group"])
    originals = pd.DataFrame({"row": table["row"].astype(int), "question": table["question"],
                              "comment as written (PERSONAL DATA)": table["original"]})
    path = Path(folder) / "comments.xlsx"
    write_frames(path, {"Comments": redacted, PERSONAL_SHEET: originals,
                        "About": pd.DataFrame({"About this workbook": COMMENTS_ABOUT})})
    return path


def write_ratings(folder: Path, results: list[QuestionResult]) -> Path:
    """Write ``ratings.xlsx``: the summary per question, each question's counts per point, and by group."""
    sheets = {"Summary": ratings_table(results)}
    counts = [{"Question": r.header, "Answer": label, "Answers": count,
               "Share": pct(count / r.n) if r.n else ""} for r in results for label, count in r.counts.items()]
    sheets["Answers"] = pd.DataFrame(counts)
    groups = group_table(results)
    if groups is not None:
        sheets["By group"] = groups
    path = Path(folder) / "ratings.xlsx"
    write_frames(path, sheets)
    return path
