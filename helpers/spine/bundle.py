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
from helpers.spine import owned
from helpers.spine.processes import process_is_alive


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


def is_bundle(folder: Path) -> bool:
    """Whether ``--overwrite`` may replace a folder: a finished bundle the kit wrote, bearing its
    mark (see :mod:`helpers.spine.owned`), holding nothing but the files that bundle wrote.

    A folder that merely holds a ``report.html`` (beside a thesis, say) is not one.
    """
    return owned.is_whole_kit_bundle(Path(folder))


def is_error_bundle(folder: Path) -> bool:
    """Whether a folder is a failed run's bundle the kit wrote: whole and marked (:func:`is_bundle`),
    its summary.json holding an ``error``. The next try replaces it instead of piling up beside it.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "summary.json").write_text('{"error": {"kind": "InputProblem"}}')
        >>> is_error_bundle(folder)  # not marked by the kit: never the kit's to replace
        False
        >>> _ = owned.mark(folder, "bundle", files=["summary.json"])
        >>> is_error_bundle(folder)
        True
    """
    if not is_bundle(folder):
        return False
    try:
        summary = load_small_json(Path(folder) / "summary.json")
    except (OSError, ValueError):
        return False
    return isinstance(summary, dict) and bool(summary.get("error"))


def _earlier_error_bundle(reports_root: Path, base: str) -> Path | None:
    """The first of ``base``, ``base-2``, ... that is a failed run's bundle (:func:`is_error_bundle`)."""
    folder, number = Path(reports_root) / base, 2
    while folder.is_dir():
        if is_error_bundle(folder):
            return folder
        folder, number = Path(reports_root) / f"{base}-{number}", number + 1
    return None


class BundleNotWritten(InputProblem):
    """The bundle could not be written in full (a full or failing disk): nothing was moved into place."""


#: What the last bytes of a whole report hold: a report cut short by a full disk lacks them.
REPORT_END = b"</html>"


def write_whole(path: Path, text: str) -> None:
    """Write a text file and check every byte reached the disk, or raise :class:`OSError`.

    A full disk can leave a file short, or empty, without every writer noticing; this
    flushes, syncs and compares the size on disk with what was meant to be written.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "report.html"
        >>> write_whole(path, "<html></html>"); path.read_text()
        '<html></html>'
    """
    data = text.encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        written = os.fstat(handle.fileno()).st_size
    if written != len(data):
        raise OSError(28, f"only {written:,} of {len(data):,} bytes of {Path(path).name} were written")


def report_is_whole(report: Path) -> bool:
    """Whether a report file was written to its end (the check before a bundle is moved into place)."""
    try:
        if report.is_symlink() or not report.is_file():
            return False
        size = report.stat().st_size
        with open(report, "rb") as handle:
            handle.seek(max(0, size - 256))
            return REPORT_END in handle.read()
    except OSError:
        return False


@dataclass
class BundleWrite:
    """A bundle being written: the run writes into ``staging``, and :meth:`finish` moves it
    to ``folder`` in one rename, so a bundle is either whole or absent, never half old, half new.
    The staging folder bears the kit's mark and is in the in-flight journal, so a killed run's
    staging folder is cleared when the kit next starts.
    """

    folder: Path
    staging: Path
    lock: Path | None = None
    token: str = ""
    journal: Path | None = None

    def finish(self, require_report: bool = True) -> Path:
        """Put the finished bundle in place (replacing an earlier one) and release the folder.

        Raises:
            BundleNotWritten: ``report.html`` is missing or cut short (a full disk): the staging
                folder is removed and an earlier bundle stays as it was.
        """
        try:
            for path in (self.staging / "notebook.ipynb", self.staging / "summary.json"):
                if path.is_file():  # the notebook's parameters name the folder the run wrote into
                    text = path.read_text(encoding="utf-8")
                    write_whole(path, text.replace(json.dumps(str(self.staging))[1:-1],
                                                   json.dumps(str(self.folder))[1:-1]))
            if require_report and not report_is_whole(self.staging / "report.html"):
                raise OSError(28, "report.html was not written in full")
            owned.mark(self.staging, "bundle", files=owned.files_in(self.staging), token=self.token)
        except OSError as error:
            self.abandon()
            raise BundleNotWritten(not_written_message(self.folder, error)) from None
        old, old_entry = None, None
        if self.folder.is_dir() and any(self.folder.iterdir()) and not is_bundle(self.folder):
            self.abandon()  # files were put in the folder while the run worked: they are not the kit's to delete
            raise BundleNotWritten(
                f"Files that are not the earlier bundle's were put in '{self.folder}' during the run, so the new "
                "bundle was not moved in and nothing there was changed. Move your files out of it, then run again."
            )
        if self.folder.is_dir() and any(self.folder.iterdir()):
            old = self.folder.with_name(f".{self.folder.name}.old-{os.getpid()}")
            record = owned.read_mark(self.folder)
            if record is not None:  # put back by the next start if this process dies mid-swap
                old_entry = owned.track(old, record["token"], restore_to=self.folder)
            os.rename(self.folder, old)
        elif self.folder.is_dir():
            self.folder.rmdir()
        os.rename(self.staging, self.folder)
        owned.untrack(self.journal)
        if old is not None:
            owned.remove_if_owned(old, "bundle")
            owned.untrack(old_entry)
        self._release()
        return self.folder

    def abandon(self) -> None:
        """Remove what a stopped run wrote; leave the folder as it was before the run."""
        owned.remove_if_owned(self.staging, "bundle", token=self.token or None)
        owned.untrack(self.journal)
        if self.lock is None and self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()  # the default folder reserved for this run
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.unlink(missing_ok=True)


def bundle_folder_of(staging: Path) -> Path:
    """The bundle folder a staging folder ``.NAME.partial-PID`` becomes.

    Example:
        >>> bundle_folder_of(Path("/r/.club.partial-42"))
        PosixPath('/r/club')
    """
    return staging.with_name(re.sub(r"^\.(.*)\.partial-\d+$", r"\1", staging.name))


def not_written_message(folder: Path, error: OSError) -> str:
    """What the volunteer reads when a bundle could not be written in full."""
    earlier = (f"the earlier bundle in '{folder}' is as it was" if folder.is_dir() and any(folder.iterdir())
               else "no bundle was made")
    return (f"The report could not be written in full beside '{folder}' ({error.strerror or error}); "
            f"the disk may be full. Nothing was moved into place: {earlier}. Free some space on that "
            "disk (or choose an --out folder on another), then run again.")


def sweep_stale(folder: Path) -> list[Path]:
    """Remove what killed runs left in a folder: ``.NAME.partial-PID`` and ``.NAME.old-PID``
    folders whose process is gone (they may hold a charity's data, hidden by the dot), and
    only those bearing the kit's own mark: a folder of the volunteer's with such a name stays.

    Returns:
        The folders removed.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for name in (".b.partial-999999999", f".c.partial-{os.getpid()}"):
        ...     (root / name).mkdir(); _ = owned.mark(root / name, "bundle")
        >>> (root / ".vim.old-20240101").mkdir()  # the volunteer's own, unmarked
        >>> [p.name for p in sweep_stale(root)]
        ['.b.partial-999999999']
    """
    removed = []
    for path in sorted(Path(folder).glob(".*")):
        found = re.fullmatch(r"\..+\.(?:partial|old)-(\d+)", path.name)
        if found and not process_is_alive(int(found.group(1))) and owned.remove_if_owned(path, "bundle"):
            removed.append(path)
    return removed


def take_lock(lock: Path, busy_message: str) -> None:
    """Take a lock file holding this process id; one left by a process that is gone is taken over.

    Raises:
        InputProblem: ``busy_message``, when a live process holds it.
        OSError: The lock file cannot be made.
    """
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(lock.read_text(encoding="ascii")[:20].strip() or 0)
            except (ValueError, OSError):
                holder = 0
            if holder <= 0 or not process_is_alive(holder):
                lock.unlink(missing_ok=True)  # left by a run that was killed
                continue
            raise InputProblem(busy_message) from None
        os.write(handle, str(os.getpid()).encode("ascii"))
        os.close(handle)
        return


def _take_lock(lock: Path, out: Path) -> None:
    take_lock(lock, f"Another run is writing the bundle in '{out}' right now. Wait for it to finish, "
                    "or choose another --out folder.")


def _folder_problem(error: OSError, folder: Path) -> InputProblem:
    return InputProblem(
        f"The kit cannot write the bundle folder '{folder}': {error.strerror or error}. "
        "Choose an --out folder you can write to, with a shorter name."
    )


#: The longest folder name most disks take, in bytes (the staging folder adds ``.NAME.partial-PID``).
MAX_NAME_BYTES = 255
_STAGING_EXTRA = len(".") + len(".partial-") + 10


def _check_out_folder(out: Path, input_file: Path | None, overwrite: bool) -> None:
    """Refuse an ``--out`` the kit cannot or must not write: before any folder is made or locked."""
    if out == Path(out.anchor) or out.name in ("", ".", ".."):
        raise InputProblem(
            f"--out '{out}' is not a folder the kit can use for one bundle. Give a new folder, "
            "for example --out reports/youth-club-march."
        )
    if len(out.name.encode("utf-8")) + _STAGING_EXTRA > MAX_NAME_BYTES:
        raise InputProblem(
            f"The --out folder name is {len(out.name):,} characters long; folder names on most disks can "
            f"be at most {MAX_NAME_BYTES - _STAGING_EXTRA} here. Give a shorter --out folder name."
        )
    if out.is_symlink():
        raise InputProblem(
            f"--out '{out}' is a link to '{os.readlink(out)}', not a folder. The kit writes and replaces "
            "bundles only in real folders, so that it never deletes files through a link. Give the folder "
            "itself, or a new folder name."
        )
    if out.exists() and not out.is_dir():
        raise InputProblem(
            f"--out '{out}' is a file, not a folder. Give the name of a new or empty folder for the bundle."
        )
    if input_file is not None and overwrite:
        inside = Path(input_file).resolve()
        if out.resolve() in inside.parents:
            raise InputProblem(
                f"The input file '{inside.name}' is inside the --out folder '{out}', which --overwrite "
                "would replace, so it would be deleted with the old bundle. Copy the file out of that "
                "folder first, or give another --out folder. Nothing was changed."
            )


def open_bundle(
    reports_root: Path,
    charity: str,
    playbook: str,
    day: dt.date,
    out: Path | None = None,
    overwrite: bool = False,
    input_file: Path | None = None,
) -> BundleWrite:
    """Reserve the bundle folder for a run and make the staging folder the run writes into.

    Args:
        reports_root: Where default bundles go (``reports/``).
        charity: The charity's name (may be blank; cut to :data:`MAX_SLUG` in the name).
        playbook: The playbook's name.
        day: The run date, part of the default name.
        out: A folder the volunteer chose (``--out``); must be new or empty unless
            ``overwrite`` is set, and then must hold a whole bundle the kit wrote (see
            :func:`is_bundle`: nothing else is replaced).
        overwrite: Replace the bundle in ``out`` when the run finishes.
        input_file: The run's input file: a run never replaces the folder that holds it.

    Returns:
        The :class:`BundleWrite`; call ``finish()`` at the end, or ``abandon()``.

    Raises:
        InputProblem: ``out`` is a file, a link, the top of a disk, a name too long for a
            disk, holds files (without ``overwrite``), files that are not a kit bundle or the
            input file, another run is writing into it, or the folder cannot be made.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> write = open_bundle(root, "Youth Club", "health-check", dt.date(2026, 3, 1))
        >>> write_whole(write.staging / "report.html", "<html>done</html>")
        >>> write.finish().name, sorted(p.name for p in root.iterdir())
        ('youth-club-health-check-2026-03-01', ['youth-club-health-check-2026-03-01'])
    """
    if out is None:
        if Path(reports_root).is_dir():
            sweep_stale(reports_root)
        base = f"{slug(charity) if charity else 'charity'}-{playbook}-{day.isoformat()}"
        failed = _earlier_error_bundle(reports_root, base)
        if failed is not None:
            # A failed try's bundle is replaced by the next try (same charity, playbook and day),
            # as --overwrite would: failed tries do not pile up as -2, -3...
            return open_bundle(reports_root, charity, playbook, day, failed, True, input_file)
        folder, number = Path(reports_root) / base, 2
        while True:
            try:
                folder.mkdir(parents=True)  # atomic: two runs never get the same folder
                break
            except FileExistsError:
                folder, number = Path(reports_root) / f"{base}-{number}", number + 1
            except OSError as error:
                raise _folder_problem(error, folder) from None
        write = BundleWrite(folder, folder.with_name(f".{folder.name}.partial-{os.getpid()}"))
        try:
            _make_staging(write)
        except OSError as error:
            write.abandon()
            raise _folder_problem(error, write.staging) from None
        except InputProblem:
            write.abandon()
            raise
        return write

    out = Path(out).expanduser().absolute()
    try:
        _check_out_folder(out, input_file, overwrite)
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = out.parent / f".{out.name}.surgery-lock"
        _take_lock(lock, out)
    except OSError as error:
        raise _folder_problem(error, out) from None
    write = BundleWrite(out, out.parent / f".{out.name}.partial-{os.getpid()}", lock)
    try:
        sweep_stale(out.parent)
        if out.is_dir() and any(out.iterdir()):
            if not overwrite and not is_error_bundle(out):  # a failed try's bundle is replaced without asking
                raise InputProblem(
                    f"The folder '{out}' already holds files from an earlier run. Choose a new "
                    "--out folder, or add --overwrite to replace that bundle."
                )
            if not is_bundle(out):
                raise InputProblem(
                    f"The folder '{out}' holds files that are not a report bundle from the kit (or not only "
                    "the files its bundle wrote), so --overwrite will not replace them. Choose a new --out "
                    "folder, or move the files you want to keep out of it."
                )
        owned.remove_if_owned(write.staging, "bundle")  # this process id's, from a run long gone
        _make_staging(write)
    except OSError as error:
        write.abandon()
        raise _folder_problem(error, out) from None
    except InputProblem:
        write.abandon()
        raise
    return write


def _make_staging(write: BundleWrite) -> None:
    """Make the staging folder, mark it as the kit's and write it in the in-flight journal."""
    write.staging.mkdir()
    write.token = owned.mark(write.staging, "bundle")
    write.journal = owned.track(write.staging, write.token)


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
    return write.finish(require_report=False)


#: The largest params.yaml and summary.json the kit reads back from a bundle (its own are a few kB).
SMALL_FILE_LIMIT = 4 * 1024 * 1024

#: The deepest nesting the kit reads back (its own files nest three or four levels).
SMALL_FILE_DEPTH = 64


def _read_small(path: Path) -> str:
    path = Path(path)
    if path.stat().st_size > SMALL_FILE_LIMIT:
        raise ValueError(f"it is over {SMALL_FILE_LIMIT // (1024 * 1024)} MB, far more than the kit writes")
    with open(path, "rb") as handle:
        data = handle.read(SMALL_FILE_LIMIT + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("it is not UTF-8 text") from None


def _depth_within(text: str, opening: str, closing: str) -> None:
    """Refuse nesting deeper than :data:`SMALL_FILE_DEPTH`, counted over brackets in one linear pass
    (before any parser recurses: strings holding brackets can only make the count too high)."""
    depth = 0
    for character in text:
        if character in opening:
            depth += 1
            if depth > SMALL_FILE_DEPTH:
                raise ValueError(f"it nests more than {SMALL_FILE_DEPTH} levels deep, far more than the kit writes")
        elif character in closing:
            depth -= 1


def load_small_json(path: Path):
    """Read a JSON file the kit wrote, with a size and nesting limit checked before parsing.

    Raises:
        OSError: It cannot be read.
        ValueError: Too large, too deep, not UTF-8 or not JSON.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "summary.json"
        >>> _ = path.write_text("[" * 100_000 + "]" * 100_000)
        >>> load_small_json(path)
        Traceback (most recent call last):
        ...
        ValueError: it nests more than 64 levels deep, far more than the kit writes
    """
    text = _read_small(path)
    _depth_within(text, "[{", "]}")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("it nests too deeply") from None


def load_small_yaml(path: Path):
    """Read a YAML file such as ``params.yaml`` with limits: size, nesting, and no aliases at all.

    An alias (``*name``) repeats an earlier part, so ten lines can expand to gigabytes (a
    "billion laughs"); the kit never writes one, so any alias is refused before it is expanded.

    Raises:
        OSError: It cannot be read.
        ValueError: Too large, too deep, an alias, or not YAML; the message says which.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "params.yaml"
        >>> _ = path.write_text("a: &x [1, 2]\\nb: *x\\n")
        >>> load_small_yaml(path)
        Traceback (most recent call last):
        ...
        ValueError: it uses a YAML alias (*name), which the kit never writes
    """
    import yaml

    text = _read_small(path)
    _depth_within(text, "[{", "]}")

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise ValueError("it uses a YAML alias (*name), which the kit never writes")
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader, aliases refused
    except yaml.YAMLError as error:
        raise ValueError(f"it is not valid YAML: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise ValueError("it nests too deeply") from None


def write_json(path: Path, data: dict) -> None:
    """Write a mapping as readable UTF-8 JSON, checked whole (see :func:`write_whole`)."""
    write_whole(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_params_yaml(folder: Path, record: dict) -> Path:
    """Write ``params.yaml``: what ``surgery rerun`` needs to repeat this run."""
    import yaml

    path = Path(folder) / "params.yaml"
    write_whole(path, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return path
