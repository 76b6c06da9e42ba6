"""``surgery demo``: every playbook on its bundled sample data, reports rendered.

The playbooks run side by side, one kernel each, from this one process: the
heavy lifting happens in the kernels, so on a two-core laptop running them
together roughly halves the wait, and the runner's own imports are paid once.
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from helpers.spine.bundle import take_lock
from helpers.spine.catalogue import list_playbooks
from helpers.errors import EXIT_OK, EXIT_PLAYBOOK_FAILED, InputProblem
from helpers.spine.owned import mark
from helpers.spine.terminal import terminal_text
from helpers.spine.runner import default_data_file, run_playbook

DEMO_CHARITY = "Sample Community Charity"
#: The most playbooks ``surgery demo`` runs at once, one kernel each (a few hundred MiB apiece).
MOST_AT_ONCE = 6


def demo_folder(out: Path | None, day: dt.date, reports_root: Path = Path("reports")) -> Path:
    """A new folder for this demo's bundles, made now (numbered when one exists for today).

    Made at once with an exclusive ``mkdir``, so two demos started together get two folders.
    A folder given with ``--out`` is used as it is (and locked by :func:`run_demo`).

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> first, second = (demo_folder(None, dt.date(2026, 3, 1), root) for _ in range(2))
        >>> first.name, second.name
        ('demo-2026-03-01', 'demo-2026-03-01-2')
    """
    if out is not None:
        return Path(out).resolve()
    base = Path(reports_root).resolve() / f"demo-{day.isoformat()}"
    folder, number = base, 2
    while True:
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            folder = base.with_name(f"{base.name}-{number}")
            number += 1
            continue
        mark(folder, "demo")
        return folder


def run_demo(out: Path | None, pdf: bool, progress_bar: bool, day: dt.date,
             workers: int | None = None) -> int:
    """Run every playbook on its sample data into one folder; print one line each, as each finishes.

    Args:
        out: The folder for the bundles (default ``reports/demo-<date>``).
        pdf: Also print each report to PDF.
        progress_bar: Show a per-cell progress bar (only when running one at a time).
        day: The run date, for the default folder name.
        workers: How many playbooks run at once (default: all of them, up to
            :data:`MOST_AT_ONCE`). With fewer at once than playbooks, the last to start
            sets the end: on five samples, two cores and three at a time, the demo took
            about a fifth longer than with all five at once, whose kernels together need
            about 1 GiB.

    Returns:
        0 when every playbook succeeded, else 1.
    """
    from helpers.spine.execute import collector_paused, import_papermill

    began = time.monotonic()
    print("Preparing the demo (loading Jupyter's tools)...", flush=True)
    with collector_paused():
        import nbconvert  # noqa: F401  (imported once here, not racing inside the threads)

        import_papermill()

    folder = demo_folder(out, day)
    lock = folder.parent / f".{folder.name}.surgery-demo-lock"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        take_lock(lock, f"Another surgery demo is writing into '{folder}' right now. Wait for it to finish, "
                        "or give this one another --out folder.")
    except OSError as error:
        raise InputProblem(f"The kit cannot write the demo folder '{folder}': {error.strerror or error}. "
                           "Give an --out folder you can write to.") from None
    try:
        return _run_all(folder, pdf, progress_bar, workers, began)
    finally:
        lock.unlink(missing_ok=True)


def _run_all(folder: Path, pdf: bool, progress_bar: bool, workers: int | None, began: float) -> int:
    playbooks = list_playbooks()
    workers = workers or max(1, min(MOST_AT_ONCE, len(playbooks)))

    def run_one(playbook):
        return playbook, run_playbook(
            playbook.name,
            default_data_file(playbook),
            charity=DEMO_CHARITY,
            out=folder / playbook.name,
            overwrite=True,
            pdf=pdf,
            progress_bar=progress_bar and workers == 1,
        )

    worst = EXIT_OK
    plural = "" if len(playbooks) == 1 else "s"
    print(f"Running {len(playbooks)} playbook{plural} on their sample data, {min(workers, len(playbooks))} at a time; "
          "each line appears as its playbook finishes.", flush=True)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = [pool.submit(run_one, playbook) for playbook in playbooks]
        for count, finished in enumerate(as_completed(running), start=1):
            playbook, outcome = finished.result()
            status = "ok" if outcome.exit_code == EXIT_OK else f"FAILED (exit {outcome.exit_code})"
            print(terminal_text(f"{playbook.name}: {status} - {outcome.message} "
                                f"[{count} of {len(playbooks)}, {time.monotonic() - began:.0f} s]"), flush=True)
            if outcome.exit_code != EXIT_OK:
                worst = EXIT_PLAYBOOK_FAILED
    print(f"Demo bundles are in {folder}")
    return worst
