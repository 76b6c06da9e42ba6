"""Print a report to PDF with a headless Chromium (Debian's ``chromium`` package).

Playwright's own browser download does not work offline, so the kit drives the
system browser directly with its ``--print-to-pdf`` switch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from helpers.errors import InputProblem

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Switches that keep a headless browser from reaching for the network at start-up.
QUIET_BROWSER_SWITCHES = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
)


def find_chromium() -> str | None:
    """The path of a Chromium to use (``SURGERY_CHROMIUM`` overrides), or ``None``."""
    chosen = os.environ.get("SURGERY_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_chromium_message() -> str:
    return (
        "A PDF needs the Chromium browser, which is not installed. The HTML report was still "
        "written. Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or print "
        "report.html from any browser."
    )


def print_to_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    """Print an HTML file to PDF.

    Raises:
        InputProblem: No Chromium is installed.
        RuntimeError: Chromium ran but wrote no PDF.
    """
    browser = find_chromium()
    if browser is None:
        raise InputProblem(missing_chromium_message())
    with tempfile.TemporaryDirectory(prefix="surgery-chromium-") as profile:
        subprocess.run(
            [
                browser,
                *QUIET_BROWSER_SWITCHES,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_path}",
                Path(html_path).resolve().as_uri(),
            ],
            check=False,
            capture_output=True,
            timeout=timeout,
        )
    if not Path(pdf_path).is_file() or Path(pdf_path).stat().st_size == 0:
        raise RuntimeError("Chromium did not write the PDF.")
    return Path(pdf_path)
