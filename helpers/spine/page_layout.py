"""How a report's tables read on a phone and break on paper: one rule for every table, not one per table.

A trustee reads the report on a phone as often as on paper. Two rules, applied by the renderer to
every table after nbconvert has written it:

- **Cards on a phone.** A table of more than :data:`MOST_COLUMNS_ON_A_PHONE` columns is marked
  ``cards-on-phone`` and each of its cells carries its column's name (``data-label``). Below 40rem
  the stylesheet shows each row as a block, each cell labelled, so that no column (the one with the
  finding, often the last) is hidden off the screen's edge.
- **Breaks at sensible points.** An email address or web-like token may break after ``@`` and
  before a ``.`` (a ``<wbr>``), never mid-word; a phone number never breaks (its spaces become
  non-breaking). The print stylesheet breaks inside a word only when nothing else fits.
"""

from __future__ import annotations

import re

#: Lists of up to this many items print whole ("What to do next" never breaks across pages).
LONGEST_KEPT_LIST = 8
_LIST = re.compile(r"<(ul|ol)>((?:(?!<(?:ul|ol)[ >]).)*?)</\1>", re.DOTALL)

#: Tables wider than this become labelled cards below 40rem.
MOST_COLUMNS_ON_A_PHONE = 3
#: The class the stylesheet's phone rule looks for.
CARDS_CLASS = "cards-on-phone"

#: A UK phone number as tables show it, masked or not: "07700 900 418", "+44 20 7946 0000", "07*** *** 418".
_PHONE = re.compile(r"(?<![\w*])(?:\+44\s?|0)[\d*](?:[\d*]|\s(?=[\d*])){8,13}(?![\w*])")
#: A token that holds an "@" or an inner "." (an email, a web-like name): long enough to need a break.
_BREAKABLE = re.compile(r"\S*[@.]\S*")
#: Tokens shorter than this never need a break point.
_LONG_TOKEN = 8


def label_cells_for_phones(table, header_cells) -> None:
    """Mark a table to read as cards on a phone: each body cell labelled with its column's name.

    Args:
        table: A BeautifulSoup ``<table>`` (changed in place).
        header_cells: The header row's cells, one per column.

    Example:
        >>> from bs4 import BeautifulSoup
        >>> soup = BeautifulSoup("<table><tr><th>A</th><th>B</th><th>C</th><th>D</th></tr>"
        ...                      "<tr><td>1</td><td>2</td><td>3</td><td>4</td></tr></table>", "html.parser")
        >>> label_cells_for_phones(soup.table, soup.find_all("th"))
        >>> soup.table["class"], soup.find_all("td")[3]["data-label"]
        (['cards-on-phone'], 'D')
    """
    names = [" ".join(cell.get_text(" ").split()) for cell in header_cells]
    if len(names) <= MOST_COLUMNS_ON_A_PHONE:
        return
    table["class"] = [*table.get("class", []), CARDS_CLASS]
    for row in table.find_all("tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        if not row.find("td") or len(cells) != len(names):
            continue
        for name, cell in zip(names, cells):
            cell["data-label"] = name


def break_points(text: str) -> list[tuple[str, bool]]:
    """Split a cell's text where a line may break: after ``@``, before an inner ``.``.

    Phone numbers are kept whole (their spaces become non-breaking).

    Returns:
        ``(piece, break_after)`` pairs: join the pieces, with a ``<wbr>`` wherever ``break_after``.

    Example:
        >>> "".join(p + ("|" if b else "") for p, b in break_points("***@inbox.example.net"))
        '***@|inbox|.example|.net'
        >>> break_points("Call 07700 900 418")[0][0]
        'Call 07700\\xa0900\\xa0418'
    """
    text = _PHONE.sub(lambda found: found.group(0).replace(" ", "\u00a0"), text)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for token in _BREAKABLE.finditer(text):
        if len(token.group(0)) < _LONG_TOKEN:
            continue
        start, word = token.start(), token.group(0)
        pieces.append((text[at:start], False))
        cut = 0
        for index, char in enumerate(word):
            if char == "@" and index + 1 < len(word):
                pieces.append((word[cut:index + 1], True))
                cut = index + 1
            elif char == "." and 0 < index < len(word) - 1 and index > cut:
                pieces.append((word[cut:index], True))
                cut = index
        pieces.append((word[cut:], False))
        at = token.end()
    pieces.append((text[at:], False))
    return [(piece, wbr) for piece, wbr in pieces if piece or wbr]


def add_break_points(table) -> None:
    """Give every cell of a table the break points of :func:`break_points` (in place).

    Example:
        >>> from bs4 import BeautifulSoup
        >>> soup = BeautifulSoup("<table><tr><td>***@inbox.example.net</td></tr></table>", "html.parser")
        >>> add_break_points(soup.table)
        >>> str(soup.td)
        '<td>***@<wbr/>inbox<wbr/>.example<wbr/>.net</td>'
    """
    from bs4 import NavigableString

    for cell in table.find_all(["td", "th"]):
        for node in list(cell.find_all(string=True)):
            if type(node) is not NavigableString:  # comments and the like stay as they are
                continue
            pieces = break_points(str(node))
            if len(pieces) == 1 and pieces[0][0] == str(node):
                continue
            replacement = []
            for piece, wbr in pieces:
                replacement.append(NavigableString(piece))
                if wbr:
                    replacement.append(_wbr())
            node.replace_with(*replacement)


def _wbr():
    from bs4 import BeautifulSoup

    return BeautifulSoup("<wbr/>", "html.parser").wbr


def keep_short_lists(page: str) -> str:
    """Mark every list of up to :data:`LONGEST_KEPT_LIST` items ``short-list``: print keeps it on one page.

    Example:
        >>> keep_short_lists("<ul><li>Call</li><li>Write</li></ul>")
        '<ul class="short-list"><li>Call</li><li>Write</li></ul>'
        >>> keep_short_lists("<ol>" + "<li>x</li>" * 9 + "</ol>").startswith("<ol>")
        True
    """
    def mark(found: re.Match) -> str:
        kind, items = found.group(1), found.group(2)
        if items.count("<li") > LONGEST_KEPT_LIST:
            return found.group(0)
        return f'<{kind} class="short-list">{items}</{kind}>'

    return _LIST.sub(mark, page)


def longest_piece(text: str) -> int:
    """The length of the longest piece of a cell's text that must stay on one line.

    Example:
        >>> longest_piece("***@inbox.example.net")  # "***@", "inbox", ".example", ".net"
        8
        >>> longest_piece("Call 07700 900 418")  # a phone number never breaks
        13
    """
    longest = 0
    for piece, _ in break_points(text):
        for word in piece.split(" "):
            longest = max(longest, len(word))
    return longest


def size_columns(table, rows) -> None:
    """Give a wide table's columns printed widths by what they hold (a ``<colgroup>``).

    Print lays a wide table out with fixed columns so that it fits the page; equal columns would
    break a phone number or an email mid-word while a column of "yes" wastes its width. Each
    column gets a share of the width by its longest unbreakable piece and its typical length.

    Args:
        table: A BeautifulSoup ``<table>`` (changed in place).
        rows: Every row's cells (header included), as lists.
    """
    from bs4 import BeautifulSoup

    columns = max((len(row) for row in rows), default=0)
    weights = []
    for column in range(columns):
        texts = [" ".join(row[column].get_text(" ").split()) for row in rows if len(row) > column]
        longest = max((longest_piece(text) for text in texts), default=1)
        typical = sorted(len(text) for text in texts)[len(texts) // 2] if texts else 1
        weights.append(max(longest, min(typical, 24) / 2, 3))
    total = sum(weights)
    group = BeautifulSoup("<colgroup></colgroup>", "html.parser").colgroup
    for weight in weights:
        col = BeautifulSoup(f'<col style="width: {100 * weight / total:.1f}%">', "html.parser").col
        group.append(col)
    table.insert(1 if table.find("caption") else 0, group)
