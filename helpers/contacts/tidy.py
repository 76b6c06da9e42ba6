"""Tidy contact details so that two records of one person look alike before linking.

Volunteers type the same supporter in many ways: "Bob Smith" and "Mr Robert
SMITH", "07700 900123" and "+44 (0)7700-900123", "sw1a1aa" and "SW1A 1AA". The
linkage model compares the tidied forms this module makes, so that a difference
in formatting never counts as a difference in the person.

Every function takes a whole column and works once per distinct value (a
contact list repeats its towns, first names and even phone numbers many times),
so a million-row export is tidied in seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.reading.parsing import map_distinct, parse_uk_dates
from helpers.reading.ukformats import normalise_email, normalise_phone, normalise_postcode, normalise_series

#: Titles dropped from the front of a name: "Dr Jane Smith" is Jane Smith.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "reverend", "prof", "professor",
     "sir", "dame", "lady", "lord", "fr", "sr", "master"}
)

#: Common English nicknames and spelling variants, each mapped to one formal first
#: name, so "Bob", "Rob" and "Robert" all compare as "robert". Names that shorten
#: two formal names about equally often (Sam, Chris, Alex, Pat, Jo) map to the
#: most common one; the model's other fields settle the rest.
NICKNAMES: dict[str, str] = {
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert",
    "liz": "elizabeth", "lizzie": "elizabeth", "lizzy": "elizabeth", "beth": "elizabeth",
    "betty": "elizabeth", "eliza": "elizabeth", "libby": "elizabeth", "elisabeth": "elizabeth",
    "bill": "william", "billy": "william", "will": "william", "willie": "william",
    "jim": "james", "jimmy": "james", "jamie": "james",
    "kate": "katherine", "katie": "katherine", "kathy": "katherine", "kath": "katherine",
    "cathy": "katherine", "cath": "katherine", "catherine": "katherine", "kathryn": "katherine",
    "katharine": "katherine", "kat": "katherine",
    "sue": "susan", "susie": "susan", "suzy": "susan", "suzanne": "susan",
    "dave": "david", "davey": "david", "davy": "david",
    "mike": "michael", "mick": "michael", "mikey": "michael", "micky": "michael",
    "tom": "thomas", "tommy": "thomas",
    "chris": "christopher", "kit": "christopher",
    "steve": "stephen", "steven": "stephen", "stevie": "stephen",
    "tony": "anthony", "antony": "anthony",
    "andy": "andrew", "drew": "andrew",
    "nick": "nicholas", "nicky": "nicholas", "nicolas": "nicholas",
    "dan": "daniel", "danny": "daniel",
    "ben": "benjamin", "benny": "benjamin",
    "sam": "samuel", "sammy": "samuel",
    "alex": "alexander", "sandy": "alexander",
    "jen": "jennifer", "jenny": "jennifer", "jenni": "jennifer",
    "maggie": "margaret", "meg": "margaret", "peggy": "margaret", "maisie": "margaret",
    "pete": "peter",
    "matt": "matthew", "matty": "matthew",
    "rich": "richard", "rick": "richard", "ricky": "richard", "dick": "richard", "richie": "richard",
    "ed": "edward", "eddie": "edward", "ted": "edward", "teddy": "edward", "ned": "edward",
    "harry": "henry", "hal": "henry",
    "jack": "john", "johnny": "john", "jon": "john",
    "vicky": "victoria", "vikki": "victoria", "tori": "victoria",
    "becky": "rebecca", "becca": "rebecca",
    "debbie": "deborah", "deb": "deborah", "debra": "deborah",
    "mandy": "amanda",
    "tim": "timothy", "timmy": "timothy",
    "fred": "frederick", "freddie": "frederick", "freddy": "frederick",
    "ron": "ronald", "ronnie": "ronald",
    "don": "donald", "donny": "donald",
    "ken": "kenneth", "kenny": "kenneth",
    "len": "leonard", "lenny": "leonard",
    "charlie": "charles", "chas": "charles", "chuck": "charles",
    "joe": "joseph", "joey": "joseph",
    "greg": "gregory",
    "phil": "philip", "phillip": "philip",
    "gerry": "gerald",
    "larry": "lawrence", "laurence": "lawrence",
    "terry": "terence",
    "val": "valerie",
    "pam": "pamela",
    "sally": "sarah", "sara": "sarah",
    "di": "diana",
    "jess": "jessica", "jessie": "jessica",
    "abby": "abigail", "abbie": "abigail",
    "ellie": "eleanor", "nell": "eleanor", "nellie": "eleanor", "elinor": "eleanor",
    "annie": "anne", "ann": "anne", "anna": "anne",
    "mo": "maureen",
    "geoff": "geoffrey", "jeff": "geoffrey", "jeffrey": "geoffrey",
    "jo": "joanne", "joanna": "joanne",
    "pat": "patricia", "patty": "patricia", "trish": "patricia",
    "jackie": "jacqueline",
    "nicki": "nicola", "nikki": "nicola",
    "mel": "melanie",
    "bex": "rebecca",
    "sid": "sidney", "sydney": "sidney",
    "stu": "stuart", "stewart": "stuart",
    "ray": "raymond",
    "reg": "reginald",
    "bernie": "bernard",
    "frank": "francis", "frankie": "francis",
    "gus": "angus",
    "izzy": "isabel", "isabelle": "isabel", "isobel": "isabel", "bella": "isabel",
    "kim": "kimberley", "kimberly": "kimberley",
    "lou": "louise", "louisa": "louise",
    "mags": "margaret",
    "rosie": "rosemary",
    "tess": "teresa", "tessa": "teresa", "theresa": "teresa",
}

# Common street words and their abbreviations: "12 High St." and "12 High Street"
# are one address.
_STREET_WORDS = {
    "rd": "road", "st": "street", "str": "street", "ave": "avenue", "av": "avenue",
    "ln": "lane", "cl": "close", "dr": "drive", "ct": "court", "cres": "crescent",
    "cresc": "crescent", "gdns": "gardens", "gdn": "gardens", "pl": "place", "sq": "square",
    "tce": "terrace", "terr": "terrace", "pk": "park", "grn": "green", "gr": "grove",
    "gro": "grove", "hse": "house", "apt": "flat", "apartment": "flat", "mt": "mount",
    "n": "north", "s": "south", "e": "east", "w": "west", "upr": "upper", "lwr": "lower",
}
_STREET_WORD_PATTERN = re.compile(r"\b(" + "|".join(sorted(_STREET_WORDS, key=len, reverse=True)) + r")\b")


def strip_accents(text: str) -> str:
    """Drop accents: "Zoë" -> "Zoe", "José" -> "Jose".

    Example:
        >>> strip_accents("Zoë Müller")
        'Zoe Muller'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_words(value: object) -> list[str]:
    """Lower-case, accent-free name words, titles and punctuation removed."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = strip_accents(str(value)).casefold()
    text = re.sub(r"['’`]", "", text)  # O'Brien, O’Brien and OBrien are one name
    words = re.sub(r"[^a-z]+", " ", text).split()
    while words and words[0] in TITLES:
        words = words[1:]
    return words


def tidy_name(value: object) -> str | None:
    """Tidy one name: lower case, no accents, no title, single spaces.

    Example:
        >>> tidy_name("  Mrs  Zoë O'BRIEN-Smith ")
        'zoe obrien smith'
        >>> tidy_name("Dr.") is None
        True
    """
    words = _name_words(value)
    return " ".join(words) or None


def tidy_first_name(value: object) -> str | None:
    """Tidy a first name to its first word in formal form ("Bob" -> "robert").

    Middle names are dropped because one volunteer types them and the next does not.

    Example:
        >>> tidy_first_name("Mr Bob"), tidy_first_name("LIZ ann"), tidy_first_name("Zoë")
        ('robert', 'elizabeth', 'zoe')
    """
    words = _name_words(value)
    if not words:
        return None
    return NICKNAMES.get(words[0], words[0])


def normalise_names(series: pd.Series) -> pd.Series:
    """Tidy a column of surnames (or whole names) with :func:`tidy_name`.

    Example:
        >>> normalise_names(pd.Series(["SMITH ", "Smíth", None])).tolist()
        ['smith', 'smith', None]
    """
    return map_distinct(series, tidy_name)


def normalise_first_names(series: pd.Series) -> pd.Series:
    """Tidy a column of first names with :func:`tidy_first_name` (nicknames resolved).

    Example:
        >>> normalise_first_names(pd.Series(["Bob", "Robert", "Dr Kate"])).tolist()
        ['robert', 'robert', 'katherine']
    """
    return map_distinct(series, tidy_first_name)


def _split_one_name(value: object) -> tuple[str | None, str | None]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    text = str(value).strip()
    if "," in text:
        # "Smith, John" is how many CRMs sort names
        last, _, first = text.partition(",")
        return first.strip() or None, last.strip() or None
    words = text.split()
    while words and tidy_name(words[0]) is None:
        words = words[1:]  # a title such as "Mr" on its own
    if not words:
        return None, None
    if len(words) == 1:
        return None, words[0]
    return words[0], " ".join(words[1:]) if len(words) == 2 else words[-1]


def split_full_names(series: pd.Series) -> pd.DataFrame:
    """Split a single name column into first and last names.

    "Smith, John" is read as last name first. A title in front is dropped; a
    middle name is dropped; a lone word is taken as the last name.

    Args:
        series: Full names as typed.

    Returns:
        A frame with the same index and columns ``first_name`` and ``last_name``
        (the words as typed, not yet tidied).

    Example:
        >>> split_full_names(pd.Series(["Mr John A Smith", "Smith, Jane", "Cher"])).values.tolist()
        [['John', 'Smith'], ['Jane', 'Smith'], [None, 'Cher']]
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    pairs = [_split_one_name(value) for value in distinct] + [(None, None)]
    firsts = np.array([first for first, _ in pairs], dtype=object)
    lasts = np.array([last for _, last in pairs], dtype=object)
    return pd.DataFrame(
        {"first_name": firsts[codes], "last_name": lasts[codes]}, index=series.index, dtype=object
    )


def _as_object(series: pd.Series) -> pd.Series:
    """A "str"-dtype column with NaN for missing turned into plain objects with None."""
    return series.astype(object).where(series.notna(), None)


def normalise_emails(series: pd.Series) -> pd.Series:
    """Lower-case and trim emails; a value that is not a plausible email becomes missing.

    Example:
        >>> normalise_emails(pd.Series([" Bob@Example.COM", "bob@", "n/a"])).tolist()
        ['bob@example.com', None, None]
    """
    return _as_object(normalise_series(series, normalise_email))


def _phone_text(series: pd.Series) -> pd.Series:
    """Phones as text; a number read as a number ("7700900123.0") loses its ".0"."""
    if pd.api.types.is_numeric_dtype(series):
        whole = series.round().astype("Int64").astype("str")
        return whole.where(series.notna(), None)
    return series


_PHONE_SHAPED = r"^\+?[\d\s().\-]+$"


def _phone_key(series: pd.Series) -> pd.Series:
    """Boil phone-shaped text down to its digits, so each number is checked once.

    "07700 900123", "07700-900123" and "(07700) 900123" all become
    "07700900123"; "+44 (0)7700 900123" and "0044 7700 900123" become
    "+447700900123". Text that is not just a phone number ("07700 900123 after
    6pm") is left as it is for the full check.
    """
    text = series.astype("str").str.strip()
    shaped = text.str.match(_PHONE_SHAPED).fillna(False)
    digits = text.str.replace("(0)", "", regex=False).str.replace(r"\D", "", regex=True)
    international = text.str.startswith("+").fillna(False) | digits.str.startswith("00").fillna(False)
    keyed = digits.where(~international, "+" + digits.str.removeprefix("00"))
    return text.where(~shaped, keyed).where(series.notna(), None)


def normalise_phones(series: pd.Series) -> pd.Series:
    """Turn UK phone numbers in any common form into "+447700900123"; others become missing.

    A column that a spreadsheet stored as numbers (so "07700 900123" became
    7700900123) is read back with its leading zero.

    Example:
        >>> forms = ["07700 900123", "+44 7700 900123", "0044 (0)7700-900123", 7700900123, "n/a"]
        >>> normalise_phones(pd.Series(forms, dtype=object)).tolist()
        ['+447700900123', '+447700900123', '+447700900123', '+447700900123', None]
    """
    return _as_object(normalise_series(_phone_key(_phone_text(series)), normalise_phone))


def _tidy_postcode(value: object) -> str | None:
    uk = normalise_postcode(value)
    if uk is not None:
        return uk
    # Not a UK postcode (an Irish Eircode, a US ZIP, a typo): keep it, tidied,
    # so that lists from elsewhere still compare on it.
    text = " ".join(str(value).upper().split())
    return text or None


def normalise_postcodes(series: pd.Series) -> pd.Series:
    """Put UK postcodes in "SW1A 1AA" form; keep anything else, upper-cased and trimmed.

    Example:
        >>> normalise_postcodes(pd.Series(["sw1a1aa", " d02  x285 ", None])).tolist()
        ['SW1A 1AA', 'D02 X285', None]
    """
    return map_distinct(series, _tidy_postcode)


def _tidy_address(value: object) -> str | None:
    text = strip_accents(str(value)).casefold()
    text = re.sub(r"['’`]", "", text)
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    text = _STREET_WORD_PATTERN.sub(lambda match: _STREET_WORDS[match.group(1)], text)
    return text or None


def normalise_addresses(series: pd.Series) -> pd.Series:
    """Tidy address lines: lower case, no punctuation, street words spelt out.

    Example:
        >>> normalise_addresses(pd.Series(["12, High St.", "12 HIGH STREET"])).tolist()
        ['12 high street', '12 high street']
    """
    return map_distinct(series, _tidy_address)


def _tidy_text(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a membership number read as 1234.0 is "1234"
    text = " ".join(strip_accents(str(value)).casefold().split())
    return text or None


def normalise_text(series: pd.Series) -> pd.Series:
    """Tidy any other column for exact comparison: lower case, no accents, single spaces.

    Example:
        >>> normalise_text(pd.Series([" Leeds", "LEEDS ", 1234.0, None], dtype=object)).tolist()
        ['leeds', 'leeds', '1234', None]
    """
    return map_distinct(series, _tidy_text)


def normalise_dates_of_birth(series: pd.Series) -> pd.Series:
    """Dates of birth as ISO text ("1980-05-03"), read day-first; unreadable ones missing.

    A column the loader already read as dates is used as it is; text (and Excel
    serial numbers) go through :func:`helpers.reading.parsing.parse_uk_dates`.

    Example:
        >>> normalise_dates_of_birth(pd.Series(["03/05/1980", "1980-05-03", "soon"])).tolist()
        ['1980-05-03', '1980-05-03', None]
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series
    else:
        parsed, _failed = parse_uk_dates(series)
    text = parsed.dt.strftime("%Y-%m-%d")
    return _as_object(text)


def first_names_as_typed(frame: pd.DataFrame, columns: Mapping[str, str | None]) -> pd.Series:
    """Each record's first name tidied but not turned into its formal form ("rosie", not "rosemary").

    Keeping families apart compares these as well as the formal forms, so that a misspelt
    nickname ("Roie") is still seen as the name it was meant to be.

    Example:
        >>> first_names_as_typed(pd.DataFrame({"Name": ["Mrs Rosie Lee", None]}), {"full_name": "Name"}).tolist()
        ['rosie', None]
    """
    columns = {role: column for role, column in columns.items() if column}
    if "first_name" in columns:
        source = frame[columns["first_name"]]
    elif "full_name" in columns:
        source = split_full_names(frame[columns["full_name"]])["first_name"]
    else:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return map_distinct(source, lambda value: (_name_words(value) or [None])[0])


#: The linkage model's column for each role (the tidied values live under these names).
LINKAGE_COLUMNS: dict[str, str] = {
    "first_name": "first_name",
    "last_name": "surname",
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "address": "address",
    "town": "town",
    "date_of_birth": "dob",
}


def prepare_contacts(
    frame: pd.DataFrame,
    columns: Mapping[str, str | None],
    extra_columns: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Build the tidied table the linkage model compares.

    Args:
        frame: The contact list (its index is kept).
        columns: Role -> column name for the roles present: any of
            ``first_name``, ``last_name``, ``full_name``, ``email``, ``phone``,
            ``postcode``, ``address``, ``town``, ``date_of_birth``. A
            ``full_name`` column fills whichever of first and last name has no
            column of its own.
        extra_columns: Other columns compared as they are (after tidying), such
            as a membership number; they come out as ``extra_1``, ``extra_2``...

    Returns:
        A frame with the same index and one object column per role present,
        named as in :data:`LINKAGE_COLUMNS` (missing values are ``None``); with
        both names there is also ``surname_as_first``, the last name tidied
        like a first name, for spotting swapped names.

    Example:
        >>> table = pd.DataFrame({"Name": ["Mr Bob Smith", "Smith, Robert"],
        ...                       "Tel": ["07700 900123", "+44 7700 900123"]})
        >>> prepare_contacts(table, {"full_name": "Name", "phone": "Tel"}).values.tolist()
        [['robert', 'smith', 'smith', '+447700900123'], ['robert', 'smith', 'smith', '+447700900123']]
    """
    columns = {role: column for role, column in columns.items() if column}
    tidied: dict[str, pd.Series] = {}
    first_source = frame[columns["first_name"]] if "first_name" in columns else None
    last_source = frame[columns["last_name"]] if "last_name" in columns else None
    if "full_name" in columns and (first_source is None or last_source is None):
        split = split_full_names(frame[columns["full_name"]])
        first_source = split["first_name"] if first_source is None else first_source
        last_source = split["last_name"] if last_source is None else last_source
    if first_source is not None:
        tidied["first_name"] = normalise_first_names(first_source)
    if last_source is not None:
        tidied["surname"] = normalise_names(last_source)
    if first_source is not None and last_source is not None:
        # the surname read as a first name, to spot "Smith, Bob" typed as "Bob, Smith"
        tidied["surname_as_first"] = normalise_first_names(last_source)

    tidiers = {
        "email": normalise_emails,
        "phone": normalise_phones,
        "postcode": normalise_postcodes,
        "address": normalise_addresses,
        "town": normalise_text,
        "date_of_birth": normalise_dates_of_birth,
    }
    for role, tidy in tidiers.items():
        if role in columns:
            tidied[LINKAGE_COLUMNS[role]] = tidy(frame[columns[role]])
    for number, column in enumerate(extra_columns, start=1):
        tidied[f"extra_{number}"] = normalise_text(frame[column])
    return pd.DataFrame(tidied, index=frame.index, dtype=object)
