"""Masks for personal data, so a report can show what a column holds without showing who.

A mask keeps just enough to recognise the kind of value ("J***" is a name,
"***@example.org" an email) and hides the rest. Every playbook masks with these
functions, so the same value looks the same in every report.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from helpers.reading.ukformats import normalise_postcode

HIDDEN = "***"

#: The kinds of personal data ``mask_value`` knows, each with the mask it uses.
#: Address lines and free-text notes are hidden completely: any part of them may identify someone.
#: An id shows only its pattern ("C0042" as "A9999"): the id itself points at one person.
MASK_KINDS = ("name", "email", "phone", "postcode", "date", "address", "notes", "id")


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def mask_name(value: object) -> str:
    """Keeps the first letter of each word of a name.

    Example:
        >>> mask_name("Jane Smith")
        'J*** S***'
        >>> mask_name("o'brien")
        'O***'
    """
    if _blank(value):
        return ""
    return " ".join(word[0].upper() + HIDDEN for word in str(value).split())


def mask_email(value: object) -> str:
    """Keeps the domain of an email address and hides the mailbox.

    Example:
        >>> mask_email("Jane.Smith@Example.org")
        '***@example.org'
        >>> mask_email("not an email")
        '***'
    """
    if _blank(value):
        return ""
    text = str(value).strip().lower()
    if text.count("@") != 1:
        return HIDDEN
    return HIDDEN + "@" + text.split("@")[1]


def mask_phone(value: object) -> str:
    """Keeps the first two and the last two digits of a phone number.

    The start says whether it is a mobile (07...) or a landline (01..., 02...);
    the end helps a volunteer find the row the charity is looking at.

    Example:
        >>> mask_phone("07700 900123")
        '07*******23'
        >>> mask_phone("+44 20 7946 0018")
        '+44*******18'
    """
    if _blank(value):
        return ""
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        return HIDDEN
    start = "+" + digits[:2] if text.startswith("+") else digits[:2]
    return start + "*" * 7 + digits[-2:]


def mask_postcode(value: object) -> str:
    """Keeps the outward part of a postcode (the area and district).

    Example:
        >>> mask_postcode("sw1a1aa")
        'SW1A ***'
        >>> mask_postcode("nowhere")
        '***'
    """
    if _blank(value):
        return ""
    postcode = normalise_postcode(value)
    if postcode is None:
        return HIDDEN
    return postcode.split(" ")[0] + " " + HIDDEN


def mask_date(value: object) -> str:
    """Keeps the year of a date (enough to see an age band) and hides the day and month.

    Example:
        >>> mask_date("1984-03-12")
        '**/**/1984'
        >>> mask_date(dt.date(2001, 7, 4))
        '**/**/2001'
        >>> mask_date("last spring")
        '***'
    """
    if _blank(value):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"**/**/{value.year}"
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(value))
    return f"**/**/{match.group(1)}" if match else HIDDEN


def mask_shape(value: object) -> str:
    """Shows only the pattern of a value: every letter as A, every digit as 9.

    Useful for showing why a postcode or phone number is wrong without
    showing whose it is.

    Example:
        >>> mask_shape("SW1A 1A")
        'AA9A 9A'
        >>> mask_shape("07700 90012")
        '99999 99999'
    """
    if _blank(value):
        return ""
    text = re.sub(r"[^\W\d_]", "A", str(value).strip())
    return re.sub(r"\d", "9", text)


def mask_value(value: object, kind: str | None) -> str:
    """Masks one value according to the kind of personal data it is.

    Args:
        value: A cell value.
        kind: One of :data:`MASK_KINDS`; ``"first_name"``, ``"full_name"``
            and the other role names of :mod:`helpers.reading.roles` are understood
            too. ``None`` means the value is not personal and is shown as it is.

    Returns:
        The masked text ("" for a blank cell).

    Raises:
        ValueError: ``kind`` is not a kind of personal data this module knows.

    Example:
        >>> mask_value("Jane", "first_name"), mask_value("Hackney", None)
        ('J***', 'Hackney')
        >>> mask_value("Rang on Tuesday about rent", "notes"), mask_value("C-0042", "id")
        ('***', 'A-9999')
    """
    if kind is None:
        return "" if _blank(value) else str(value)
    masks = {
        "name": mask_name, "first_name": mask_name, "last_name": mask_name, "full_name": mask_name,
        "email": mask_email,
        "phone": mask_phone,
        "postcode": mask_postcode,
        "date": mask_date, "date_of_birth": mask_date,
    }
    if kind in masks:
        return masks[kind](value)
    if kind == "id":
        # A number read as 10042.0 shows as 99999, the shape the person typed.
        return mask_shape(int(value) if isinstance(value, float) and value.is_integer() else value)
    if kind in ("address", "notes"):
        return "" if _blank(value) else HIDDEN
    raise ValueError(f"Unknown kind of personal data {kind!r}: use one of {', '.join(MASK_KINDS)}.")
