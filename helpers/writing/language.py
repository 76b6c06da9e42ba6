"""The report's fixed wording in the charity's language: gettext catalogues, English or Welsh.

What the kit writes the same way in every report (its headings, the labels of "About this
report", the board page's and the charts folder's fixed lines, month names) is looked up in a
gettext catalogue: ``helpers/locale/report.pot`` holds the English source strings (the
English catalogue), ``helpers/locale/<code>/LC_MESSAGES/report.po`` a translation. Data is
never looked up: only text the kit itself wrote is a message id, so a value from the charity's
file stays as it was.

The ``.po`` file is compiled to a ``.mo`` in memory (with Babel, which JupyterLab already
installs) the first time a language is used, so the repository holds only text a translator
can read and review, and no compiled file can drift from its source.

A run chooses its language with ``surgery run ... --language cy``; the runner injects it into
the playbook as ``report_language`` (papermill) and hands it to the renderer. In a kernel,
:func:`running_language` reads that variable, so the kit's helpers speak the run's language.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from helpers.errors import InputProblem

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "report"
DEFAULT_LANGUAGE = "en"
#: The languages a report can be written in: code -> its name, in English and in itself.
LANGUAGES = {"en": "English", "cy": "Welsh (Cymraeg)"}
#: Each language's tag for ``<html lang>`` (screen readers choose their voice from it).
HTML_LANG = {"en": "en-GB", "cy": "cy"}
#: The notebook variable the runner injects with the run's language.
LANGUAGE_VARIABLE = "report_language"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def check_language(code: str | None) -> str:
    """The language code, checked; ``None`` or blank means English.

    Raises:
        InputProblem: The code is not one the kit has a catalogue for (names ``--language`` and the choices).

    Example:
        >>> check_language("CY"), check_language(None)
        ('cy', 'en')
        >>> check_language("fr")
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: --language fr is not a language the kit can write its report in. Choose one of: en (English), cy (Welsh (Cymraeg)).
    """
    cleaned = (code or DEFAULT_LANGUAGE).strip().lower()
    if cleaned not in LANGUAGES:
        choices = ", ".join(f"{key} ({name})" for key, name in LANGUAGES.items())
        raise InputProblem(f"--language {code} is not a language the kit can write its report in. "
                           f"Choose one of: {choices}.")
    return cleaned


def catalogue_path(code: str) -> Path:
    """The ``.po`` file of a language (English has none: its strings are the source)."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The gettext translations of a language, compiled from its ``.po`` in memory.

    Example:
        >>> translations("cy").gettext("Main points"), translations("en").gettext("Main points")
        ('Prif bwyntiau', 'Main points')
    """
    code = check_language(code)
    path = catalogue_path(code)
    if code == DEFAULT_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalogue = read_po(source, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def kit_text(message: str, language: str | None = None) -> str:
    """One of the kit's fixed strings in a language (the run's, in a kernel, when not given).

    A string without a translation stays English, so a partly translated catalogue still
    gives a whole report.

    Example:
        >>> kit_text("About this report", "cy"), kit_text("About this report", "en")
        ('Ynglŷn â’r adroddiad hwn', 'About this report')
    """
    if not message:  # gettext's "" is the catalogue's header, never a message
        return message
    return translations(language or running_language()).gettext(message)


def running_language() -> str:
    """The language the running notebook was given (``report_language``), else English.

    Example:
        >>> running_language()
        'en'
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover  (IPython comes with Jupyter)
        return DEFAULT_LANGUAGE
    shell = get_ipython()
    value = shell.user_ns.get(LANGUAGE_VARIABLE) if shell is not None else None
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def date_in_language(day, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as the report writes it, the month's name translated: "7 Rhagfyr 2026".

    Example:
        >>> import datetime as dt
        >>> date_in_language(dt.date(2026, 12, 7), "cy"), date_in_language(dt.date(2026, 12, 7))
        ('7 Rhagfyr 2026', '7 December 2026')
    """
    return f"{day.day} {kit_text(MONTHS[day.month - 1], language)} {day.year}"


def source_strings() -> list[str]:
    """The English catalogue's message ids (``report.pot``), in file order."""
    return [message.id for message in _read(LOCALE_DIR / f"{DOMAIN}.pot") if message.id]


def translated_strings(code: str) -> dict[str, str]:
    """A language's catalogue as ``{English: translation}`` (untranslated entries left out)."""
    return {message.id: message.string for message in _read(catalogue_path(code))
            if message.id and message.string}


def _read(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        return read_po(source, domain=DOMAIN)
