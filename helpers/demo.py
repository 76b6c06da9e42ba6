"""``surgery demo``: every playbook on its bundled sample data, reports rendered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers.catalogue import list_playbooks
from helpers.errors import EXIT_OK, EXIT_PLAYBOOK_FAILED
from helpers.runner import default_data_file, run_playbook

DEMO_CHARITY = "Sample Community Charity"


def demo_folder(out: Path | None, day: dt.date) -> Path:
    """A new folder for this demo's bundles (numbered when one exists for today)."""
    if out is not None:
        return Path(out)
    base = Path("reports") / f"demo-{day.isoformat()}"
    folder, number = base, 2
    while folder.exists():
        folder = base.with_name(f"{base.name}-{number}")
        number += 1
    return folder


def run_demo(out: Path | None, pdf: bool, progress_bar: bool, day: dt.date) -> int:
    """Run every playbook on its sample data into one folder; print one line each.

    Returns:
        0 when every playbook succeeded, else 1.
    """
    folder = demo_folder(out, day)
    worst = EXIT_OK
    for playbook in list_playbooks():
        outcome = run_playbook(
            playbook.name,
            default_data_file(playbook),
            charity=DEMO_CHARITY,
            out=folder / playbook.name,
            overwrite=True,
            pdf=pdf,
            progress_bar=progress_bar,
        )
        status = "ok" if outcome.exit_code == EXIT_OK else f"FAILED (exit {outcome.exit_code})"
        print(f"{playbook.name}: {status} - {outcome.message}")
        if outcome.exit_code != EXIT_OK:
            worst = EXIT_PLAYBOOK_FAILED
    print(f"Demo bundles are in {folder}")
    return worst
