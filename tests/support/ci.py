"""CI refuses to pass by skipping: the rule the test suite's conftest applies, and its wording.

When the ``CI`` environment variable is set, a test that would be skipped for want of
a tool (Chromium, Java, a test extra) fails instead, with a message naming what to
install. Outside CI the skip stays and ``-ra`` prints its reason in the summary.
"""

from __future__ import annotations

import os
import re

import pytest

#: What to install for each kind of skip reason; the first that matches is named under CI.
INSTALL_HINTS = (
    (re.compile(r"chromium|browser", re.IGNORECASE),
     "Install Chromium: `sudo apt-get install chromium` (Debian's package; `make browser` does it as root). "
     "SURGERY_CHROMIUM, when set, must name an existing Chromium."),
    (re.compile(r"\bjava\b|spark", re.IGNORECASE),
     "Install a Java runtime for Spark: `sudo apt-get install default-jre-headless` (`make browser` does it as root)."),
    (re.compile(r"git checkout", re.IGNORECASE),
     "Run the tests from a git checkout of the kit."),
)
GENERAL_HINT = "Install the test extras: `pip install -e '.[test,spark]'` (`make install` does it)."


def in_ci() -> bool:
    """Whether the tests run under CI (``CI`` set to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def install_hint(reason: str) -> str:
    """What to install so that a test skipped for ``reason`` can run.

    Args:
        reason: The skip's reason, as the test gave it.

    Returns:
        One sentence naming the package or extra to install.

    Example:
        >>> install_hint("Java is not installed, and Spark needs it").split(":")[0]
        'Install a Java runtime for Spark'
    """
    return next((hint for pattern, hint in INSTALL_HINTS if pattern.search(reason)), GENERAL_HINT)


def ci_failure_text(reason: str) -> str:
    """The failure message for a skip under CI: the reason, then what to install."""
    return (f"CI refuses to pass by skipping (CI={os.environ.get('CI')!r}): {reason}\n"
            f"{install_hint(reason)}")


def missing_tool(reason: str) -> None:
    """Skip the test for want of a tool, or fail under CI, naming what to install.

    Args:
        reason: What is missing and what the test could therefore not check.
    """
    if in_ci():
        pytest.fail(ci_failure_text(reason), pytrace=False)
    pytest.skip(reason)
