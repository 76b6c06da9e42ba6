"""Recognise and tidy UK postcodes, UK phone numbers and email addresses.

Each ``normalise_*`` function takes one cell value and returns the canonical
form, or ``None`` when the value is not a plausible example of that kind. The
``is_*`` functions are the matching yes/no checks. The scalar functions are
cached, so applying them to a column of 100,000 rows only does the real work
once per distinct value; ``normalise_series`` applies any of them to a column.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

import pandas as pd
import phonenumbers

from helpers.reading.parsing import map_distinct

# The Royal Mail pattern: outward code (area letters, district) and inward code
# (sector digit, two unit letters, never C I K M O V). GIR 0AA is Girobank's
# historic code, still in use.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|"
    r"(?P<out>[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y]))"
    r"(?P<in>[0-9][ABD-HJLNP-UW-Z]{2}))$"
)
_BFPO = re.compile(r"^BFPO(?P<number>[0-9]{1,4})$")

# One @, something before it, a dotted domain after it with a letter-only
# top-level part of two or more letters, and no spaces anywhere.
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
)

# Ofcom keeps these ranges free for TV, radio and examples, so they never ring a
# real person. phonenumbers calls some of them invalid, but the kit's sample
# data uses them, so they count as valid here. Each entry is the first seven
# digits of the ten-digit national number (without the leading 0); the last
# three digits may be anything.
_DRAMA_PREFIXES = frozenset(
    {
        "7700900",  # 07700 900000-900999 mobiles
        "2079460",  # 020 7946 0000-0999 London
        "1632960",  # 01632 960000-960999 fictional area code
        "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
        "1214960", "1314960", "1414960", "1514960", "1614960", "1914960",
        "2896496",  # 028 9649 6000-6999 Belfast
        "2920180",  # 029 2018 0000-0999 Cardiff
        "8081570",  # 0808 157 0000-0999 freephone
        "9098790",  # 0909 879 0000-0999 premium rate
        "3069990",  # 03069 990000-990999 non-geographic
    }
)


def _as_text(value: object) -> str | None:
    """Turns a cell into stripped text, or None for blanks and missing values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        # Excel often stores phone numbers as numbers: 7700900123.0 -> "7700900123".
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


@functools.lru_cache(maxsize=200_000)
def _normalise_postcode_text(text: str, allow_bfpo: bool) -> str | None:
    squashed = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.match(squashed)
    if match:
        if squashed == "GIR0AA":
            return "GIR 0AA"
        return f"{match['out']} {match['in']}"
    if allow_bfpo:
        bfpo = _BFPO.match(squashed)
        if bfpo:
            return f"BFPO {int(bfpo['number'])}"
    return None


def normalise_postcode(value: object, allow_bfpo: bool = True) -> str | None:
    """Returns a UK postcode in its canonical upper-case form with one space.

    Args:
        value: A cell value such as ``" sw1a1aa "``.
        allow_bfpo: Accept British Forces addresses such as ``"BFPO 105"``.

    Returns:
        The postcode as ``"SW1A 1AA"``, or None when the value is not a
        correctly shaped UK postcode. The shape is checked, not whether Royal
        Mail has issued the code.

    Example:
        >>> normalise_postcode(" sw1a  1aa ")
        'SW1A 1AA'
        >>> normalise_postcode("gir0aa")
        'GIR 0AA'
        >>> normalise_postcode("SW1A 1A") is None
        True
    """
    text = _as_text(value)
    if text is None:
        return None
    return _normalise_postcode_text(text, allow_bfpo)


def is_uk_postcode(value: object, allow_bfpo: bool = True) -> bool:
    """Says whether a value is a correctly shaped UK postcode.

    Args:
        value: A cell value.
        allow_bfpo: Accept British Forces addresses such as ``"BFPO 105"``.

    Returns:
        True when ``normalise_postcode`` can read it.

    Example:
        >>> is_uk_postcode("EH1 1YZ"), is_uk_postcode("12345")
        (True, False)
    """
    return normalise_postcode(value, allow_bfpo) is not None


def _is_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    national = phonenumbers.national_significant_number(number)
    return len(national) == 10 and national[:7] in _DRAMA_PREFIXES


@functools.lru_cache(maxsize=200_000)
def _normalise_phone_text(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    # A UK number that lost its leading 0 in Excel: ten digits starting 1, 2, 3, 7, 8 or 9.
    if len(digits) == 10 and text[0].isdigit() and digits[0] in "123789" and digits == text.replace(" ", ""):
        text = "0" + digits
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 44:
        return None
    if not (phonenumbers.is_valid_number(number) or _is_drama_number(number)):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(value: object) -> str | None:
    """Returns a UK phone number in international E.164 form.

    Spaces, brackets, dashes and the ``+44`` / ``0044`` prefixes are all
    understood. A number must be valid for the UK (including the Channel
    Islands and the Isle of Man) by the ``phonenumbers`` rules, or sit in one
    of Ofcom's ranges kept for drama and examples (07700 900xxx, 020 7946 0xxx
    and others).

    Args:
        value: A cell value such as ``"(07700) 900-123"``; a number such as
            ``7700900123`` whose leading 0 Excel dropped is also read.

    Returns:
        The number as ``"+447700900123"``, or None when it is not a valid UK
        number (too short, too long, wrong prefix, another country's number).

    Example:
        >>> normalise_phone("0044 7700 900123")
        '+447700900123'
        >>> normalise_phone("020 7946 0018")
        '+442079460018'
        >>> normalise_phone("07700 90012") is None
        True
    """
    text = _as_text(value)
    if text is None:
        return None
    return _normalise_phone_text(text)


def is_uk_phone(value: object) -> bool:
    """Says whether a value is a valid UK phone number.

    Args:
        value: A cell value.

    Returns:
        True when ``normalise_phone`` can read it.

    Example:
        >>> is_uk_phone("+44 7700 900123"), is_uk_phone("123")
        (True, False)
    """
    return normalise_phone(value) is not None


@functools.lru_cache(maxsize=200_000)
def format_phone_national(e164: str) -> str:
    """Writes an E.164 UK number the way people in the UK write it.

    Args:
        e164: A number from ``normalise_phone``, such as ``"+447700900123"``.

    Returns:
        The national form with the usual spacing, such as ``"07700 900123"``.

    Raises:
        ValueError: When the text is not a phone number at all.

    Example:
        >>> format_phone_national("+447700900123")
        '07700 900123'
        >>> format_phone_national("+442079460018")
        '020 7946 0018'
    """
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"{e164!r} is not a phone number") from error
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@functools.lru_cache(maxsize=200_000)
def _normalise_email_text(text: str) -> str | None:
    email = text.lower()
    if email.count("@") != 1 or ".." in email:
        return None
    local, _, domain = email.partition("@")
    if local.startswith(".") or local.endswith("."):
        return None
    return email if _EMAIL.match(email) else None


def normalise_email(value: object) -> str | None:
    """Returns an email address stripped of spaces and lower-cased.

    Args:
        value: A cell value such as ``" Jane.Doe@Example.ORG "``.

    Returns:
        The lower-cased address, or None when it is not plausible: not exactly
        one @, no dot in the part after the @, spaces inside, or characters an
        address cannot hold. Whether the mailbox exists is not checked.

    Example:
        >>> normalise_email(" Jane.Doe@Example.ORG ")
        'jane.doe@example.org'
        >>> normalise_email("jane@example") is None
        True
        >>> normalise_email("jane @example.org") is None
        True
    """
    text = _as_text(value)
    if text is None:
        return None
    return _normalise_email_text(text)


def is_email(value: object) -> bool:
    """Says whether a value is a plausible email address.

    Args:
        value: A cell value.

    Returns:
        True when ``normalise_email`` can read it.

    Example:
        >>> is_email("a@b.co"), is_email("a@@b.co")
        (True, False)
    """
    return normalise_email(value) is not None


def normalise_series(series: pd.Series, normalise: Callable[[object], str | None]) -> pd.Series:
    """Applies one of the ``normalise_*`` functions to a column, once per distinct value.

    Args:
        series: The column, of any dtype.
        normalise: ``normalise_postcode``, ``normalise_phone`` or ``normalise_email``.

    Returns:
        A string Series with the same index; missing where the input was blank
        or could not be read.

    Example:
        >>> normalise_series(pd.Series([" e1 6an", "nope", None]), normalise_postcode).tolist()
        ['E1 6AN', nan, nan]
    """
    return map_distinct(series, normalise).astype("str")


def email_fault(value: object) -> str | None:
    """Says in a few words what is wrong with an email address, without repeating it.

    Args:
        value: A cell value.

    Returns:
        A short phrase ("no @", "a space inside", "no dot after the @", ...),
        or None when the address is plausible or the cell is blank.

    Example:
        >>> email_fault("jane.smith@example"), email_fault("jane smith@example.org"), email_fault("a@b.org")
        ('no dot after the @', 'a space inside', None)
    """
    text = _as_text(value)
    if text is None or normalise_email(text) is not None:
        return None
    if "@" not in text:
        return "no @"
    if text.count("@") > 1:
        return "more than one @"
    if re.search(r"\s", text):
        return "a space inside"
    if "," in text:
        return "a comma"
    local, _, domain = text.partition("@")
    if not local:
        return "nothing before the @"
    if "." not in domain:
        return "no dot after the @"
    if ".." in text or domain.startswith(".") or domain.endswith(".") or local.startswith(".") or local.endswith("."):
        return "a dot in the wrong place"
    return "a character an address cannot hold"


def postcode_fault(value: object) -> str | None:
    """Says in a few words what is wrong with a UK postcode, without repeating it.

    Args:
        value: A cell value.

    Returns:
        A short phrase ("too short", "only the first half", "a letter where a digit
        should be", ...), or None when the postcode is well shaped or the cell is blank.

    Example:
        >>> postcode_fault("E8"), postcode_fault("E8 1A"), postcode_fault("SW1A1AA1"), postcode_fault("E8 1AA")
        ('only the first half', 'too short', 'too long', None)
        >>> postcode_fault("SW1A 1A")
        'the last part should be a digit and two letters'

    """
    text = _as_text(value)
    if text is None or normalise_postcode(text) is not None:
        return None
    squashed = re.sub(r"\s+", "", text).upper()
    if not re.fullmatch(r"[A-Z0-9]+", squashed):
        return "characters a postcode cannot have"
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", squashed):
        return "only the first half"
    if len(squashed) < 5:
        return "too short"
    if len(squashed) > 7:
        return "too long"
    if not re.fullmatch(r".*\d[A-Z]{2}", squashed):
        return "the last part should be a digit and two letters"
    return "not a UK postcode's pattern"


def phone_fault(value: object) -> str | None:
    """Says in a few words what is wrong with a UK phone number, without repeating it.

    Args:
        value: A cell value.

    Returns:
        A short phrase ("too few digits (9)", "too many digits (12)", ...), or None when
        the number is valid or the cell is blank.

    Example:
        >>> phone_fault("07700 9001"), phone_fault("077009001234"), phone_fault("07700 900123")
        ('too few digits (9)', 'too many digits (12)', None)
    """
    text = _as_text(value)
    if text is None or normalise_phone(text) is not None:
        return None
    if re.search(r"[A-Za-z]", text):
        return "letters in the number"
    digits = re.sub(r"\D", "", text)
    national = digits[2:] if text.startswith("+44") else digits[4:] if digits.startswith("0044") else digits
    if text.startswith("+") and not text.startswith("+44"):
        return "not a UK number"
    expected = 10 if text.startswith(("+44", "0044")) else 11
    if len(national) < expected:
        return f"too few digits ({len(national)})"
    if len(national) > expected:
        return f"too many digits ({len(national)})"
    return "not a number in use in the UK"
