"""Own only what you made: the kit's mark on every folder it creates, and the clean-up that trusts only it.

The kit makes folders beside the volunteer's own files: bundles, their staging copies
(``.NAME.partial-PID``), the old bundle while it is replaced (``.NAME.old-PID``), session
folders, demo folders and Chromium profiles in the temporary folder. Anything that deletes
(the stale-folder sweep, ``--overwrite``, ``session close``) first checks that the folder
bears the kit's own mark, so a folder the volunteer named ``.vim.old-20240101`` or a folder
holding ``report.html`` beside a thesis is never touched.

The mark is a small file, :data:`MARKER_NAME`, holding a random token and an HMAC of it
(with the folder's kind and, for a finished bundle, the list of its files) keyed by a secret
kept in the kit's state folder (:func:`state_home`, readable by this user only). Another
program, another user or a copied folder cannot make a mark that checks: only this kit, on
this computer, for this user. No list of folders has to be kept for the check itself.

Folders that exist only while a command runs (staging folders, the old bundle during the
swap, Chromium profiles) are also written in the state folder's ``in-flight/`` journal with
the process id; when the kit next starts (:func:`sweep_in_flight`), the entries of processes
that are gone are cleared, deleting each folder only if it still bears the same token.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from helpers.errors import InputProblem
from helpers.spine.processes import process_is_alive

#: The mark's file name inside each folder the kit makes.
MARKER_NAME = ".surgery-kit-owned"

#: The largest mark the kit reads (a finished bundle lists its files; a hand-edited mark may be anything).
MARKER_LIMIT = 256 * 1024

_KEY_FILE = "marker-key"


def state_home() -> Path:
    """The kit's state folder: ``SURGERY_STATE_HOME``, else ``$XDG_STATE_HOME/data-surgery-kit``
    (``~/.local/state/data-surgery-kit``)."""
    chosen = os.environ.get("SURGERY_STATE_HOME")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "data-surgery-kit"


def _state_problem(error: OSError) -> InputProblem:
    return InputProblem(
        f"The kit cannot use its state folder '{state_home()}' ({error.strerror or error}). It keeps the key "
        "that marks the folders it makes there. Make that folder writable, or set SURGERY_STATE_HOME to a "
        "folder you can write to."
    )


def _key() -> bytes:
    """The per-user secret the marks are signed with; made once, readable by this user only."""
    path = state_home() / _KEY_FILE
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                pass  # another run made it a moment ago
            else:
                with os.fdopen(handle, "w", encoding="ascii") as key_file:
                    key_file.write(secrets.token_hex(32))
        text = path.read_text(encoding="ascii").strip()
    except OSError as error:
        raise _state_problem(error) from None
    if len(text) != 64:
        raise InputProblem(
            f"The kit's key file '{path}' is damaged. Delete it (the kit makes a new one); folders the "
            "kit made before will then need deleting by hand."
        )
    return bytes.fromhex(text)


def _signature(kind: str, token: str, files: list[str] | None) -> str:
    message = json.dumps([kind, token, files], ensure_ascii=True).encode("ascii")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def mark(folder: Path, kind: str, files: list[str] | None = None, token: str | None = None) -> str:
    """Put the kit's mark in a folder it made.

    Args:
        folder: The folder (it exists).
        kind: What it is: ``bundle``, ``session``, ``demo``, ``scratch``.
        files: For a finished bundle, every file in it (relative paths): ``--overwrite``
            then replaces it only while it holds nothing else.
        token: Keep this token (when a staging folder's mark is rewritten as it finishes).

    Returns:
        The mark's token.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> token = mark(folder, "scratch")
        >>> read_mark(folder)["token"] == token, owns(folder, "bundle")
        (True, False)
    """
    token = token or secrets.token_hex(16)
    record = {"kit": "data-surgery-kit", "kind": kind, "token": token, "files": files,
              "mac": _signature(kind, token, files)}
    path = Path(folder) / MARKER_NAME
    temporary = path.with_name(f"{MARKER_NAME}.{os.getpid()}")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, path)
    return token


def read_mark(folder: Path) -> dict | None:
    """The folder's mark when it is the kit's own and checks, else ``None``.

    A missing, linked, oversized, unreadable or forged mark is simply not the kit's.
    """
    path = Path(folder) / MARKER_NAME
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MARKER_LIMIT:
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    kind, token, files, mac = (record.get(k) for k in ("kind", "token", "files", "mac"))
    if not (isinstance(kind, str) and isinstance(token, str) and isinstance(mac, str)):
        return None
    if files is not None and not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        return None
    try:
        expected = _signature(kind, token, files)
    except InputProblem:
        return None  # no key: nothing can be the kit's
    return record if hmac.compare_digest(expected, mac) else None


def owns(folder: Path, *kinds: str) -> bool:
    """Whether the kit made this folder (of one of ``kinds``, when given): a real folder with a mark that checks."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return False
    record = read_mark(folder)
    return record is not None and (not kinds or record["kind"] in kinds)


def files_in(folder: Path) -> list[str]:
    """Every file and link in a folder, as relative paths, never following a link; the mark left out."""
    found = []
    for root, folders, names in os.walk(folder, followlinks=False):
        for name in names + [f for f in folders if (Path(root) / f).is_symlink()]:
            relative = (Path(root) / name).relative_to(folder).as_posix()
            if relative != MARKER_NAME:
                found.append(relative)
    return sorted(found)


def is_whole_kit_bundle(folder: Path) -> bool:
    """A finished bundle the kit wrote here, holding nothing but the files it wrote (what ``--overwrite`` replaces).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "report.html").write_text("r")
        >>> is_whole_kit_bundle(folder)
        False
        >>> _ = mark(folder, "bundle", files=["report.html"])
        >>> is_whole_kit_bundle(folder)
        True
        >>> _ = (folder / "precious.txt").write_text("mine")
        >>> is_whole_kit_bundle(folder)
        False
    """
    if not owns(folder, "bundle"):
        return False
    listed = read_mark(folder)["files"]
    return listed is not None and set(files_in(folder)) <= set(listed)


def remove_if_owned(folder: Path, *kinds: str, token: str | None = None) -> bool:
    """Delete a folder only if it bears the kit's mark (and ``token``, when given). Returns whether it did."""
    if not owns(folder, *kinds):
        return False
    if token is not None and read_mark(folder)["token"] != token:
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return not Path(folder).exists()


# --- the in-flight journal -------------------------------------------------------------------

def _journal() -> Path:
    return state_home() / "in-flight"


def track(folder: Path, token: str, restore_to: Path | None = None) -> Path:
    """Write down a folder that exists only while this process runs, for :func:`sweep_in_flight`.

    Args:
        folder: The folder (bearing the mark with ``token``).
        token: Its mark's token.
        restore_to: For an old bundle moved aside during a swap: where it goes back if the
            process died before the new bundle took its place.

    Returns:
        The journal entry (give it to :func:`untrack`).
    """
    entry = _journal() / f"{token}-{os.getpid()}.json"
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        entry.write_text(json.dumps({"pid": os.getpid(), "path": str(Path(folder).absolute()), "token": token,
                                     "restore_to": str(restore_to) if restore_to else None}), encoding="utf-8")
    except OSError as error:
        raise _state_problem(error) from None
    return entry


def untrack(entry: Path | None) -> None:
    """Cross out a journal entry: its folder was renamed into place or deleted."""
    if entry is not None:
        Path(entry).unlink(missing_ok=True)


def sweep_in_flight() -> list[Path]:
    """Clear what killed runs left anywhere (staging folders, Chromium profiles): run as the kit starts.

    Each journal entry of a process that is gone names a folder and its token: the folder is
    deleted only if it still bears the kit's mark with that token; an old bundle moved aside
    is put back if its place is empty. Never raises: a journal that cannot be read is left alone.

    Returns:
        The folders removed.
    """
    removed = []
    try:
        entries = sorted(_journal().glob("*.json"))
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.stat().st_size > 64 * 1024:
                continue
            record = json.loads(entry.read_text(encoding="utf-8"))
            pid, folder, token = int(record["pid"]), Path(record["path"]), str(record["token"])
            restore_to = record.get("restore_to")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if process_is_alive(pid):
            continue
        try:
            if restore_to and owns(folder) and read_mark(folder)["token"] == token and not os.path.lexists(restore_to):
                os.rename(folder, restore_to)
            elif remove_if_owned(folder, token=token):
                removed.append(folder)
            entry.unlink(missing_ok=True)
        except OSError:
            continue
    return removed


@contextlib.contextmanager
def owned_scratch_folder(prefix: str):
    """A marked, journalled temporary folder, deleted afterwards (and by the next start if this process is killed).

    Example:
        >>> with owned_scratch_folder("surgery-example-") as folder:
        ...     owns(folder, "scratch")
        True
        >>> folder.exists()
        False
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    entry = None
    try:
        entry = track(folder, mark(folder, "scratch"))
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        untrack(entry)
