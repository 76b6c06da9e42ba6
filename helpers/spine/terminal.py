"""Text for the terminal: what the kit prints never carries a control character from the charity's data.

A column header, a sheet name or a charity's name can hold terminal escape sequences
(``\\x1b]8;;…`` makes a link, ``\\x1b[2J`` clears the screen, ``\\x1b]0;…`` retitles the
window). Echoed raw, the file would drive the volunteer's terminal; every message the
``surgery`` command prints goes through :func:`terminal_text` first, which shows such
characters as visible escapes instead.
"""

from __future__ import annotations

import re

#: C0 controls except tab and newline, DEL, and the C1 controls (``\\x9b`` is an escape by itself).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: object) -> str:
    """``text`` with every control character but tab and newline shown as ``\\xNN``.

    Example:
        >>> terminal_text("Column 'Name\\x1b[31m' not found")
        "Column 'Name\\\\x1b[31m' not found"
        >>> terminal_text("two\\nlines\\tand a tab")
        'two\\nlines\\tand a tab'
    """
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", str(text))
