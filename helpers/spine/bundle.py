"""The bundle a run leaves behind: its folder, its provenance, its params.yaml."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import InputProblem


#: Longest charity part of a default folder name: a folder name may be at most 255 bytes.
MAX_SLUG = 60


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """Turn a charity or playbook name into a safe folder-name part, at most ``limit`` characters.

    Example:
        >>> slug("St Mary's Food Bank (Hackney)")
        'st-marys-food-bank-hackney'
        >>> len(slug("A very long name " * 20)) <= MAX_SLUG
        True
    """
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text)[:limit].strip("-") or "charity"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (files can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Files that mark a folder as a bundle the kit wrote, which ``--overwrite`` may replace.
BUNDLE_MARKS = ("params.yaml", "summary.json", "report.html", "notebook.ipynb")


def is_bundle(folder: Path) -> bool:
    """Whether a folder holds a bundle from an earlier run (so ``--overwrite`` may replace it)."""
    return any((Path(folder) / name).is_file() for name in BUNDLE_MARKS)


@dataclass
class BundleWrite:
    """A bundle being written: the run writes into ``staging``, and :meth:`finish` moves it
    to ``folder`` in one rename, so a bundle is either whole or absent, never half old, half new.
    """

    folder: Path
    staging: Path
    lock: Path | None = None

    def finish(self) -> Path:
        """Put the finished bundle in place (replacing an earlier one) and release the folder."""
        for path in (self.staging / "notebook.ipynb", self.staging / "summary.json"):
            if path.is_file():  # the notebook's parameters name the folder the run wrote into
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(json.dumps(str(self.staging))[1:-1],
                                             json.dumps(str(self.folder))[1:-1]), encoding="utf-8")
        old = None
        if self.folder.is_dir() and any(self.folder.iterdir()):
            old = self.folder.with_name(f".{self.folder.name}.old-{os.getpid()}")
            os.rename(self.folder, old)
        elif self.folder.is_dir():
            self.folder.rmdir()
        os.rename(self.staging, self.folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        self._release()
        return self.folder

    def abandon(self) -> None:
        """Remove what a stopped run wrote; leave the folder as it was before the run."""
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.lock is None and self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()  # the default folder reserved for this run
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def sweep_stale(folder: Path) -> list[Path]:
    """Remove what killed runs left in a folder: ``.NAME.partial-PID`` and ``.NAME.old-PID``
    folders whose process is gone (they may hold a charity's data, hidden by the dot).

    Returns:
        The folders removed.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / ".b.partial-999999999").mkdir(); (root / f".c.partial-{os.getpid()}").mkdir()
        >>> [p.name for p in sweep_stale(root)]
        ['.b.partial-999999999']
    """
    removed = []
    for path in sorted(Path(folder).glob(".*")):
        found = re.fullmatch(r"\..+\.(?:partial|old)-(\d+)", path.name)
        if found and path.is_dir() and not path.is_symlink() and not _alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _take_lock(lock: Path, out: Path) -> None:
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(lock.read_text(encoding="ascii").strip() or 0)
            except (ValueError, OSError):
                holder = 0
            if holder <= 0 or not _alive(holder):
                lock.unlink(missing_ok=True)  # left by a run that was killed
                continue
            raise InputProblem(
                f"Another run is writing the bundle in '{out}' right now. Wait for it to finish, "
                "or choose another --out folder."
            ) from None
        os.write(handle, str(os.getpid()).encode("ascii"))
        os.close(handle)
        return


def _folder_problem(error: OSError, folder: Path) -> InputProblem:
    return InputProblem(
        f"The kit cannot write the bundle folder '{folder}': {error.strerror or error}. "
        "Choose an --out folder you can write to, with a shorter name."
    )


def open_bundle(
    reports_root: Path,
    charity: str,
    playbook: str,
    day: dt.date,
    out: Path | None = None,
    overwrite: bool = False,
) -> BundleWrite:
    """Reserve the bundle folder for a run and make the staging folder the run writes into.

    Args:
        reports_root: Where default bundles go (``reports/``).
        charity: The charity's name (may be blank; cut to :data:`MAX_SLUG` in the name).
        playbook: The playbook's name.
        day: The run date, part of the default name.
        out: A folder the volunteer chose (``--out``); must be new or empty unless
            ``overwrite`` is set, and then must hold a bundle (nothing else is replaced).
        overwrite: Replace the bundle in ``out`` when the run finishes.

    Returns:
        The :class:`BundleWrite`; call ``finish()`` at the end, or ``abandon()``.

    Raises:
        InputProblem: ``out`` is a file, the top of a disk, holds files (without
            ``overwrite``) or files that are not a bundle, another run is writing
            into it, or the folder cannot be made.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> write = open_bundle(root, "Youth Club", "health-check", dt.date(2026, 3, 1))
        >>> (write.staging / "report.html").write_text("done")
        4
        >>> write.finish().name, sorted(p.name for p in root.iterdir())
        ('youth-club-health-check-2026-03-01', ['youth-club-health-check-2026-03-01'])
    """
    if out is None:
        if Path(reports_root).is_dir():
            sweep_stale(reports_root)
        base = f"{slug(charity) if charity else 'charity'}-{playbook}-{day.isoformat()}"
        folder, number = Path(reports_root) / base, 2
        while True:
            try:
                folder.mkdir(parents=True)  # atomic: two runs never get the same folder
                break
            except FileExistsError:
                folder, number = Path(reports_root) / f"{base}-{number}", number + 1
            except OSError as error:
                raise _folder_problem(error, folder) from None
        staging = folder.with_name(f".{folder.name}.partial-{os.getpid()}")
        try:
            staging.mkdir()
        except OSError as error:
            folder.rmdir()
            raise _folder_problem(error, staging) from None
        return BundleWrite(folder, staging)

    out = Path(out).expanduser().absolute()
    if out == Path(out.anchor) or out.name in ("", ".", ".."):
        raise InputProblem(
            f"--out '{out}' is not a folder the kit can use for one bundle. Give a new folder, "
            "for example --out reports/youth-club-march."
        )
    if out.exists() and not out.is_dir():
        raise InputProblem(
            f"--out '{out}' is a file, not a folder. Give the name of a new or empty folder for the bundle."
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = out.parent / f".{out.name}.surgery-lock"
        _take_lock(lock, out)
    except OSError as error:
        raise _folder_problem(error, out) from None
    write = BundleWrite(out, out.parent / f".{out.name}.partial-{os.getpid()}", lock)
    try:
        sweep_stale(out.parent)
        if out.is_dir() and any(out.iterdir()):
            if not overwrite:
                raise InputProblem(
                    f"The folder '{out}' already holds files from an earlier run. Choose a new "
                    "--out folder, or add --overwrite to replace that bundle."
                )
            if not is_bundle(out):
                raise InputProblem(
                    f"The folder '{out}' holds files that are not a report bundle from the kit, so "
                    "--overwrite will not replace them. Choose a new --out folder."
                )
        shutil.rmtree(write.staging, ignore_errors=True)
        write.staging.mkdir()
    except OSError as error:
        write._release()
        raise _folder_problem(error, out) from None
    except InputProblem:
        write._release()
        raise
    return write


def new_bundle_folder(
    reports_root: Path,
    charity: str,
    playbook: str,
    day: dt.date,
    out: Path | None = None,
    overwrite: bool = False,
) -> Path:
    """Create a bundle folder at once, with the checks of :func:`open_bundle` (for scripts
    that write a bundle in one step).

    Returns:
        The created folder. A default name already taken gets ``-2``, ``-3``...

    Raises:
        InputProblem: As :func:`open_bundle`.
    """
    write = open_bundle(reports_root, charity, playbook, day, out, overwrite)
    return write.finish()


def write_json(path: Path, data: dict) -> None:
    """Write a mapping as readable UTF-8 JSON."""
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_params_yaml(folder: Path, record: dict) -> Path:
    """Write ``params.yaml``: what ``surgery rerun`` needs to repeat this run."""
    import yaml

    path = Path(folder) / "params.yaml"
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
