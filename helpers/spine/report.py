"""Render the charity's copy of a run: ``report.html`` without code, or a plain error page.

The executed notebook is the volunteer's lesson; the report is the charity's
statistical release, built from the same notebook. Cell tags decide where each
cell goes (playbooks/CONVENTIONS.md):

- ``lesson`` and ``facilitator`` (and the older ``remove-from-report``): kept in
  notebook.ipynb only;
- ``analysts``: moved, in notebook order, to a closing **For analysts** section;
- no tag: the report's body, in notebook order.

The renderer writes the header (the charity's name when given, the playbook's
question as the title, the date in words) and **About this report** at the end
(the provenance in words). Papermill's injected parameters, the parameters cell,
warnings and all notebook metadata are taken out, so the page carries the
analysis and nothing about the volunteer's machine.

No link from data, ever: whatever reaches the page (a name in a Main points box, a
re-run's comparison with an earlier bundle, a bare address that nbconvert's Markdown
would turn into a link), :func:`unlink_foreign` leaves only links to a place on the
same page and the kit's own (:func:`helpers.writing.narrative.is_kit_link`), as text.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import re
import threading
from pathlib import Path, PurePosixPath, PureWindowsPath

from helpers.spine.page_layout import add_break_points, keep_short_lists, label_cells_for_phones, size_columns
from helpers.writing import PHONE_MIMETYPE
from helpers.writing.language import DEFAULT_LANGUAGE, HTML_LANG, date_in_language, kit_text

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
REPORT_CSS = (TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")

#: Cells with any of these tags are kept in notebook.ipynb but left out of the report.
TAGS_LEFT_OUT = frozenset({"injected-parameters", "parameters", "lesson", "facilitator", "remove-from-report"})
#: Cells with this tag go, in notebook order, to the report's closing "For analysts" section.
ANALYSTS_TAG = "analysts"
ANALYSTS_HEADING = "For analysts"
ANALYSTS_INTRO = (
    "This part is for anyone who wants to check the method: the technical detail behind the "
    "figures above, with each technical term explained in a line."
)
#: Settings the report states elsewhere (the header, the file line) or that say nothing to a reader.
SETTINGS_NOT_LISTED = frozenset({"data_file", "output_dir", "sheet", "charity_name"})
#: Units read from the end of a parameter's name: ``horizon_weeks`` is a number of weeks.
NAME_UNITS = {"weeks": "weeks", "days": "days", "months": "months", "years": "years", "rows": "rows"}
#: The words for a few settings whose names do not read well on their own.
SETTING_LABELS = {"horizon_weeks": "Forecast horizon", "match_threshold": "How sure before joining two records"}
#: Words a report's body may still need, each explained in one line in "About this report"
#: when (and only when) the body uses it. Jargon proper belongs under "For analysts".
GLOSSARY = {
    "median": "the middle value when all the values are put in order: half are above it, half below.",
    "forecast": "an estimate of what is likely to happen, made from the pattern of the past.",
    "80% range": "the range the real figure should fall in about 8 times out of 10.",
    "95% range": "the range the real figure should fall in about 19 times out of 20.",
    "duplicate": "a second record of the same person or thing.",
    "personal data": "anything that could identify a living person, such as a name, email or date of birth.",
    "bank holiday": "a public holiday in the UK, when many services are closed.",
}
#: "Label: what it does" at the start of a help comment gives the setting's label.
_HELP_LABEL = re.compile(r"^([A-Z][\w'’ -]{1,40}):\s")


def prepare_for_charity(notebook, language: str = DEFAULT_LANGUAGE):
    """A copy of the executed notebook with only what the charity should see, in report order.

    Args:
        notebook: The executed notebook (an ``nbformat`` node).
        language: The report's language: the kit's headings (a Markdown line starting ``#`` whose
            words the catalogue holds) and the "For analysts" heading are written in it.

    Returns:
        A new notebook: cells tagged ``lesson``, ``facilitator``, ``remove-from-report``
        or ``parameters`` removed; cells tagged ``analysts`` moved to the end under a
        "For analysts" heading; stderr streams (warnings) removed; notebook and cell
        metadata cleared except each output's alt text.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook()
        >>> nb.cells = [nbformat.v4.new_markdown_cell(text, metadata={"tags": tags})
        ...             for text, tags in [("Objectives", ["lesson"]), ("Backtest", ["analysts"]),
        ...                                ("Main points", [])]]
        >>> [cell.source.splitlines()[0] for cell in prepare_for_charity(nb).cells]
        ['Main points', '## For analysts', 'Backtest']
    """
    from nbformat.v4 import new_markdown_cell

    trimmed = copy.deepcopy(notebook)
    trimmed.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    body, analysts = [], []
    for cell in trimmed.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if TAGS_LEFT_OUT & tags:
            continue
        cell.metadata = {}
        if cell.cell_type == "markdown" and language != DEFAULT_LANGUAGE:
            cell.source = translate_headings(cell.source, language)
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.get("outputs", []) if _shown_to_charity(output)]
        (analysts if ANALYSTS_TAG in tags else body).append(cell)
    if analysts:
        body.append(new_markdown_cell(f"## {kit_text(ANALYSTS_HEADING, language)}\n\n"
                                      f"{kit_text(ANALYSTS_INTRO, language)}"))
    trimmed.cells = body + analysts
    return trimmed


_HEADING_LINE = re.compile(r"^(#{1,6}[ \t]+)(.+?)[ \t]*$", re.MULTILINE)


def translate_headings(markdown: str, language: str) -> str:
    """The Markdown with each heading the catalogue knows written in ``language``; other text as it was.

    The playbooks' headings are the kit's own fixed words; their paragraphs (the method's
    sentences, and anything from the charity's file) are not looked up.

    Example:
        >>> translate_headings("## What to do next\\n\\n- Check the file.", "cy")
        '## Beth i’w wneud nesaf\\n\\n- Check the file.'
        >>> translate_headings("## A heading no catalogue holds", "cy")
        '## A heading no catalogue holds'
    """
    return _HEADING_LINE.sub(lambda found: found.group(1) + kit_text(found.group(2), language), markdown)


def _shown_to_charity(output) -> bool:
    """Leave out warnings and the bare repr of a cell's last value (``PosixPath(...)``)."""
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    if output.get("output_type") == "execute_result" and set(output.get("data", {})) == {"text/plain"}:
        return False
    return True


def _without_title_heading(notebook, title: str) -> None:
    """Drop a body heading that repeats the title: the renderer's header already gives it."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        if lines and lines[0].lstrip("# ").strip() == title.strip() and lines[0].startswith("# "):
            cell.source = "\n".join(lines[1:]).lstrip("\n")
        return


def _main_points_index(notebook) -> int | None:
    """The index of the cell that shows the Main points box, if any."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if 'class="main-points"' in str(output.get("data", {}).get("text/html", "")):
                return index
    return None


#: A cell that holds a number as a report writes it: "1,204", "-3.5", "12%", "£1,200", "under 1%", "none".
_NUMBER = re.compile(r"^(?:[-−+]?[£$€]?\d[\d,]*(?:\.\d+)?\s?%?|under 1%|none|—|–|-)$")
#: Tables longer than this may break across pages (header row repeated); shorter ones are kept whole.
SHORT_TABLE_ROWS = 15
#: Tables with this many columns print with equal columns, so that they fit the page instead of shrinking it.
WIDE_TABLE_COLUMNS = 5
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)


def tidy_table(table_html: str) -> str:
    """One table as the report shows it: no raw index column, numbers right-aligned, in a frame.

    The frame scrolls sideways on a narrow screen, so a wide table never widens the
    page; it can take the keyboard focus (a scrolling region must) and is named after
    the table's caption. A table of up to :data:`SHORT_TABLE_ROWS` rows is marked
    ``short-table`` so that print keeps it on one page; one of :data:`WIDE_TABLE_COLUMNS`
    columns or more is marked ``wide-table`` so that print fits it to the page's width
    (Chromium would otherwise shrink every page to fit the widest table).

    Args:
        table_html: One ``<table>`` element's HTML.

    Returns:
        The frame and the table, as HTML.

    Example:
        >>> import pandas as pd
        >>> raw = pd.DataFrame({"Town": ["Leeds"], "People": [1204]}).to_html(border=0)
        >>> tidy = tidy_table(raw)
        >>> "<th>0</th>" in tidy, '<td class="num">1204</td>' in tidy, 'class="table-frame short-table"' in tidy
        (False, True, True)
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(table_html, "html.parser")
    table = soup.find("table")
    if table is None or table.find(["table"]) or table.find(attrs={"colspan": True}) or table.find(
            attrs={"rowspan": True}):
        return table_html
    body_rows = [row for row in table.find_all("tr") if row.find("td")]
    head_rows = [row for row in table.find_all("tr") if not row.find("td")]
    _drop_raw_index(head_rows, body_rows)
    columns = max((len(row.find_all(["td", "th"])) for row in body_rows), default=0)
    for column in range(columns):
        cells = [row.find_all(["td", "th"])[column] for row in body_rows if len(row.find_all(["td", "th"])) > column]
        texts = [cell.get_text(" ", strip=True) for cell in cells]
        if any(texts) and all(_NUMBER.match(text) for text in texts if text):
            for cell in cells + [row.find_all("th")[column] for row in head_rows
                                 if len(row.find_all("th")) == columns]:
                cell["class"] = [*cell.get("class", []), "num"]
    caption = table.find("caption")
    short = len(body_rows) <= SHORT_TABLE_ROWS
    frame = soup.new_tag("div", attrs={
        "class": "table-frame short-table" if short else "table-frame",
        "role": "region", "tabindex": "0",
        "aria-label": caption.get_text(" ", strip=True) if caption else "Table"})
    if short:
        table["class"] = [*table.get("class", []), "short-table"]
    if columns >= WIDE_TABLE_COLUMNS:
        table["class"] = [*table.get("class", []), "wide-table"]
        size_columns(table, [row.find_all(["td", "th"]) for row in head_rows + body_rows])
    header = next((row.find_all("th") for row in reversed(head_rows) if len(row.find_all("th")) == columns), None)
    if header:
        label_cells_for_phones(table, header)
    add_break_points(table)
    table.wrap(frame)
    return str(soup)


def _drop_raw_index(head_rows, body_rows) -> None:
    """Remove pandas' row-number column: an empty corner over whole numbers counting up by one."""
    labels = [row.find(["td", "th"]) for row in body_rows]
    if not labels or any(label is None or label.name != "th" for label in labels):
        return
    texts = [label.get_text(strip=True) for label in labels]
    if not all(text.lstrip("-").isdigit() for text in texts):
        return
    numbers = [int(text) for text in texts]
    if any(later - earlier != 1 for earlier, later in zip(numbers, numbers[1:])):
        return
    corners = [row.find("th") for row in head_rows]
    if any(corner is not None and corner.get_text(strip=True) for corner in corners):
        return
    for cell in labels + [corner for corner in corners if corner is not None]:
        cell.decompose()


def tidy_tables(page: str) -> str:
    """Apply :func:`tidy_table` to every table of a rendered page."""
    return _TABLE.sub(lambda found: tidy_table(found.group(0)), page)


#: One exporter serves every render in the process; nbconvert exporters are not
#: documented as thread-safe, and `surgery demo` renders from several threads.
_RENDER_LOCK = threading.Lock()


@functools.cache
def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


def warm_up() -> None:
    """Build the exporter and compile what a render needs (about half a second).

    The runner calls this in a background thread while the kernel executes the
    playbook, when the process would otherwise only be waiting. The sample
    notebook touches each kind of output a report has, so that templates,
    Markdown rules and HTML entity tables are all ready for the real render.
    Once per process is enough: ``surgery demo`` runs every playbook from one.
    """
    with _WARM_UP_LOCK:  # a second caller waits for the first, then finds the work done
        if not _warmed:
            _render_sample()
            _warmed.append(True)


_WARM_UP_LOCK = threading.Lock()
_warmed: list[bool] = []


def _render_sample() -> None:
    import nbformat

    sample = nbformat.v4.new_notebook()
    sample.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome *text* &amp; a [link](#top).\n\n- a list"),
        nbformat.v4.new_code_cell(outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": "**Bold** &lt; 5"}),
            nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>1 &amp; 2</td></tr></table>"}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "chart"},
                                   metadata={"image/png": {"alt": "chart", "width": 10}}),
        ]),
    ]
    render_report(sample, {}, "")


def date_in_words(day, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as a report writes it: "26 November 2026" (no leading zero).

    Args:
        day: A :class:`datetime.date` or an ISO date string ("2026-11-26"); anything
            else is returned as text.
        language: The language of the month's name ("7 Rhagfyr 2026" in Welsh).

    Example:
        >>> date_in_words("2026-11-05"), date_in_words(dt.date(2026, 11, 26))
        ('5 November 2026', '26 November 2026')
    """
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day[:10])
        except ValueError:
            return day
    if isinstance(day, dt.date):
        return date_in_language(day, language)
    return "" if day is None else str(day)


def setting_in_words(name: str, value, help_text: str = "") -> str:
    """One setting as a reader would say it: "Forecast horizon: 12 weeks", never a repr.

    The label is the help comment's own label when it starts "Label: ..." (see
    playbooks/CONVENTIONS.md), else a known label, else the name in words; a unit at
    the end of the name (``_weeks``) follows the number.

    Args:
        name: The parameter's name.
        value: Its value.
        help_text: Its help comment.

    Example:
        >>> setting_in_words("horizon_weeks", 12)
        'Forecast horizon: 12 weeks'
        >>> setting_in_words("email_column", "E-mail"), setting_in_words("higher_is_better", False)
        ('Email column: E-mail', 'Higher is better: no')
        >>> setting_in_words("region", "scotland", "Bank holidays: whose bank holidays apply")
        'Bank holidays: scotland'
        >>> setting_in_words("volunteers", "/home/amina/Desktop/sign-ups.csv")
        'Volunteers: sign-ups.csv'
    """
    found = _HELP_LABEL.match(help_text or "")
    words = name.split("_")
    unit = NAME_UNITS.get(words[-1]) if len(words) > 1 else None
    if found:
        label = found.group(1).strip()
    elif name in SETTING_LABELS:
        label = SETTING_LABELS[name]
    else:
        label = " ".join(words[:-1] if unit else words).capitalize()
    if isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, int):
        shown = f"{value:,}" + (f" {unit}" if unit else "")
    elif isinstance(value, float):
        shown = f"{value:,.10g}" + (f" {unit}" if unit else "")
    else:
        shown = _file_name_only(str(value))
    return f"{label}: {shown}"


def _file_name_only(text: str) -> str:
    r"""A full path shown as its file name: the folders may hold the user's name (``/home/amina``, ``C:\\Users\\amina``).

    Example:
        >>> _file_name_only("C:\\Users\\amina\\feedback.xlsx"), _file_name_only("england")
        ('feedback.xlsx', 'england')
    """
    for flavour in (PurePosixPath, PureWindowsPath):
        path = flavour(text)
        if path.is_absolute() or text.startswith("~"):
            return path.name
    return text


def settings_in_words(given: dict, declared: dict) -> list[str]:
    """The settings that differ from the playbook's defaults, each in words.

    Args:
        given: The values the run used, by parameter name.
        declared: The playbook's :class:`~helpers.spine.parameters.Parameter` objects by name
            (their defaults and help); a name not declared is listed as given.

    Returns:
        One line per changed setting, in the order given; blank text counts as unset.

    Example:
        >>> from helpers.spine.parameters import parse_parameters
        >>> declared = parse_parameters("horizon_weeks: int = 12  # weeks\\nregion: str = 'england'  # holidays")
        >>> settings_in_words({"horizon_weeks": 8, "region": "england", "charity_name": "X"}, declared)
        ['Forecast horizon: 8 weeks']
    """
    lines = []
    for name, value in given.items():
        if name in SETTINGS_NOT_LISTED or value is None or value == "":
            continue
        parameter = declared.get(name)
        if parameter is not None and value == parameter.default:
            continue
        lines.append(setting_in_words(name, value, parameter.help if parameter is not None else ""))
    return lines


def about_rows(provenance: dict, declared: dict | None = None,
               language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """The "About this report" lines: the provenance in words, label and text.

    Args:
        provenance: What the runner knows about the run (``input_file``, ``input_rows``,
            ``input_sha256``, ``run_date``, ``parameters``...).
        declared: The playbook's parameters (for the settings' defaults and help).
        language: The language of the labels and the kit's sentences (the settings' own
            labels come from the playbook's help comments, in English).

    Returns:
        ``(label, text)`` pairs in reading order.

    Example:
        >>> rows = about_rows({"input_file": "visits.csv", "input_rows": 22697, "run_date": "2026-11-26",
        ...                    "input_sha256": "ab" * 32, "parameters": {}})
        >>> dict(rows)["Rows read"], dict(rows)["Made on"], dict(rows)["Settings"]
        ('22,697', '26 November 2026', "The playbook's standard settings")
        >>> dict(rows)["File fingerprint"][:12]
        'abababababab'
    """
    _ = functools.partial(kit_text, language=language)
    rows = []
    if provenance.get("charity"):
        rows.append((_("Charity"), str(provenance["charity"])))
    if provenance.get("input_file"):
        rows.append((_("File"), str(provenance["input_file"])))
    if provenance.get("input_sheet"):
        rows.append((_("Sheet"), str(provenance["input_sheet"])))
    if isinstance(provenance.get("input_rows"), int):
        rows.append((_("Rows read"), f"{provenance['input_rows']:,}"))
    if provenance.get("run_date"):
        rows.append((_("Made on"), date_in_words(provenance["run_date"], language)))
    if provenance.get("input_sha256"):
        rows.append((_("File fingerprint"), _(
            "{fingerprint} (the start of the file's SHA-256 checksum: a different file gives a different "
            "fingerprint; the full value is in summary.json)").format(fingerprint=str(provenance['input_sha256'])[:12])))
    if provenance.get("charts"):
        many = int(provenance["charts"]) > 1
        rows.append((_("Charts to paste"), _(
            "Each chart of this report is also in the charts folder beside it, as a PNG for documents and an SVG "
            "for designers, with its source and the charity's name on it; charts/README.txt gives each one's "
            "description.") if many else _(
            "The chart of this report is also in the charts folder beside it, as a PNG for documents and an SVG "
            "for designers, with its source and the charity's name on it; charts/README.txt gives its "
            "description.")))
    if "parameters" in provenance:
        changed = settings_in_words(provenance.get("parameters") or {}, declared or {})
        rows.append((_("Settings"), "; ".join(changed) if changed else _("The playbook's standard settings")))
    made_by = " ".join(str(provenance[key]) for key in ("playbook",) if provenance.get(key))
    if made_by:
        version = _(", version {version}").format(version=provenance["kit_version"]) if provenance.get(
            "kit_version") else ""
        rows.append((_("Made with"), _("the {playbook} playbook of the Data Surgery Kit{version}").format(
            playbook=made_by, version=version)))
    return rows


def glossary_for(text: str) -> list[tuple[str, str]]:
    """The :data:`GLOSSARY` entries whose words the report's body uses, in glossary order.

    Args:
        text: The body's text (before "For analysts").

    Returns:
        ``(word, meaning)`` pairs; empty when the body needs none.

    Example:
        >>> [word for word, _ in glossary_for("The median visit count; a forecast of 1,945.")]
        ['median', 'forecast']
        >>> glossary_for("Nothing to explain here.")
        []
    """
    return [(word, meaning) for word, meaning in GLOSSARY.items()
            if re.search(rf"\b{re.escape(word)}s?\b", text, re.IGNORECASE)]


_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_OPENING_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def unlink_foreign(page: str) -> str:
    """The page with every link that is not the kit's own turned into its text.

    Text from the charity's file, the command line, an added directory or an earlier
    bundle may hold ``[Donate](https://...)``, a bare address or ``//host``: whatever
    renderer made a link of it, the link goes and its words stay.

    Example:
        >>> unlink_foreign('<p><a href="https://x.example">Donate</a> <a href="#top">Top</a></p>')
        '<p>Donate <a href="#top">Top</a></p>'
        >>> unlink_foreign("<a href='//x.example'>x</a><a name='here'>y</a>")
        "x<a name='here'>y</a>"
        >>> unlink_foreign('<p><a href="https://x.example">never closed</p>')
        '<p>never closed</p>'
    """
    unlinked = _ANCHOR.sub(lambda found: found.group(2) if _foreign(found.group(1)) else found.group(0), page)
    # An <a ...> left without its </a> loses its opening tag.
    return _OPENING_ANCHOR.sub(lambda found: "" if _foreign(found.group(1)) else found.group(0), unlinked)


def _foreign(attributes: str) -> bool:
    """Whether an <a> tag's attributes hold a link that is not the kit's own."""
    from helpers.writing.narrative import is_kit_link

    target = _HREF.search(attributes)
    if target is None:
        return False
    url = html.unescape(next(part for part in target.groups() if part is not None)).strip()
    return not is_kit_link(url)


def _body_text(page: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The text of the rendered body, up to the "For analysts" heading."""
    start = page.find("<main>")
    end = page.find(f">{html.escape(kit_text(ANALYSTS_HEADING, language))}<")
    body = page[start: end if end > start else page.find("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', "", body)))


def _with_glossary(page: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Add "Words used in this report" to About this report, for the words the body uses.

    The glossary's words and meanings stay English: they explain the English method sentences.
    """
    words = glossary_for(_body_text(page, language))
    if not words:
        return page
    entries = "".join(f"<dt>{html.escape(word.capitalize())}</dt><dd>{html.escape(meaning)}</dd>"
                      for word, meaning in words)
    heading = html.escape(kit_text("Words used in this report", language))
    block = f'<h3 class="glossary">{heading}</h3>\n<dl class="glossary">{entries}</dl>\n'
    return page.replace("</footer>", block + "</footer>", 1)


def _declared_parameters(notebook) -> dict:
    from helpers.spine.parameters import parameters_cell_source, parse_parameters

    try:
        return parse_parameters(parameters_cell_source(notebook))
    except (ValueError, SyntaxError):
        return {}


def _resources(provenance: dict, title: str, declared: dict, language: str = DEFAULT_LANGUAGE) -> dict:
    charity = str(provenance.get("charity") or "")
    return {
        "lang": HTML_LANG[language],
        "about_heading": kit_text("About this report", language),
        "chart_alt": kit_text("Chart", language),
        "title": title,
        "page_title": f"{title} · {charity}" if charity else title,
        "charity": charity,
        "date": date_in_words(provenance.get("run_date"), language),
        "css": REPORT_CSS,
        "about": about_rows(provenance, declared, language),
        "phone_mimetype": PHONE_MIMETYPE,
    }


def render_report(notebook, provenance: dict, title: str, opening_note: str | None = None,
                  language: str = DEFAULT_LANGUAGE) -> str:
    """Render the charity's report as one self-contained HTML page.

    Args:
        notebook: The executed notebook.
        provenance: Facts for the header and "About this report" (see :func:`about_rows`).
        title: The playbook's question, the report's title.
        opening_note: Markdown placed right after the Main points box (a re-run's
            comparison with the last report); at the top of the body when there is no box.
            It comes from an earlier bundle, so it is rendered as :func:`~helpers.writing.
            narrative.say` renders data: no raw HTML, no link.
        language: The language of the kit's fixed words (``<html lang>``, the title, headings,
            labels; see :mod:`helpers.writing.language`). The data and the method's sentences
            are as the notebook wrote them.

    Returns:
        The HTML text.
    """
    declared = _declared_parameters(notebook)
    title = kit_text(title, language)
    trimmed = prepare_for_charity(notebook, language)
    _without_title_heading(trimmed, title)
    if opening_note:
        from nbformat.v4 import new_code_cell, new_output

        from helpers.writing.narrative import markdown_html

        at = _main_points_index(trimmed)
        note = new_code_cell(outputs=[new_output("display_data", data={"text/html": markdown_html(opening_note)})])
        trimmed.cells.insert(0 if at is None else at + 1, note)
    with _RENDER_LOCK:
        body, _ = _exporter().from_notebook_node(
            trimmed, resources={"report": _resources(provenance, title, declared, language)}
        )
    return unlink_foreign(_with_glossary(keep_short_lists(tidy_tables(body)), language))


def _header_html(provenance: dict, title: str, heading: str) -> str:
    charity = provenance.get("charity")
    who = f'<p class="report-charity">{html.escape(str(charity))}</p>' if charity else ""
    day = date_in_words(provenance.get("run_date"))
    when = f'<p class="report-date">{html.escape(day)}</p>' if day else ""
    return f'<header class="report-banner">{who}<h1>{heading}</h1>{when}</header>'


def render_error_report(failure, provenance: dict, title: str, step: str | None) -> str:
    """A short page that says in plain English why the report could not be made.

    Args:
        failure: The :class:`~helpers.spine.execute.CellFailure`.
        provenance: Facts for "About this run".
        title: The playbook's title.
        step: The heading of the section that failed, when known.

    Returns:
        The HTML text (same look as a report, no traceback).
    """
    where = f" at the step “{html.escape(step)}”" if step else ""
    if failure.is_input_problem:
        what = html.escape(failure.message)
        advice = (
            "<p>This usually means the file is not in the shape the playbook expects. "
            "The message above says which column, row or setting to change. Fix it and run "
            "the playbook again; the file itself has not been changed.</p>"
        )
    else:
        what = (
            "The analysis hit a problem it did not expect "
            f"(a <code>{html.escape(failure.error_name)}</code> error)."
        )
        advice = (
            "<ul><li>Check that this is the file you meant to use, and that it has a header row.</li>"
            "<li>Run the <em>health-check</em> playbook on the file first: it points out problems "
            "that stop other playbooks.</li>"
            "<li>Your volunteer can open <code>notebook.ipynb</code> in this folder: it shows the "
            "step that failed and the full technical detail.</li></ul>"
        )
    rows = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>" for label, value in about_rows(provenance)
    )
    header = _header_html(provenance, title, f"{html.escape(title)}: this report could not be finished")
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}: not finished</title>
<style>
{REPORT_CSS}
</style></head>
<body>
{header}
<main>
<div class="error-box" role="alert"><p><strong>What went wrong{where}:</strong> {what}</p></div>
<h2>What to try</h2>
{advice}
</main>
<footer class="provenance"><h2>About this run</h2><dl>{rows}</dl></footer>
</body>
</html>
"""


def heading_before(notebook, cell_index: int) -> str | None:
    """The last Markdown heading above a cell: the step a volunteer would recognise."""
    for cell in reversed(notebook.cells[: cell_index + 1]):
        if cell.cell_type != "markdown":
            continue
        for line in reversed(cell.source.splitlines()):
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return None
