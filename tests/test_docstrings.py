"""Docstring examples run with the tests, so none may be skipped (a skipped example can never fail).

The examples still skipped when this test was written are listed with their count; the
list may only shrink (lower a count, or delete a file's entry, as its examples are made
to run on small inputs or turned into prose).
"""

from __future__ import annotations

from pathlib import Path

KIT_ROOT = Path(__file__).parent.parent
MARK = "+" + "SKIP"  # spelled in two parts so this file does not count itself

#: Files that still skip examples, and how many (issue 16): to be made to run or become prose.
STILL_SKIPPED = {
    "tests/support/readability.py": 1,  # test-only code: it scores a report file the example cannot ship
}


def test_no_new_skipped_docstring_example():
    counts = {}
    for folder in ("helpers", "tests", "tools"):
        for path in sorted((KIT_ROOT / folder).rglob("*.py")):
            count = path.read_text(encoding="utf-8").count(MARK)
            if count:
                counts[path.relative_to(KIT_ROOT).as_posix()] = count
    grown = {name: count for name, count in counts.items() if count > STILL_SKIPPED.get(name, 0)}
    assert grown == {}, f"docstring examples marked {MARK}: make them run on small inputs or write them as prose"
