"""A data surgery session: one folder for one charity's visit, closed down when it ends.

A data-sharing agreement usually says the charity's data is used for the session
and then deleted. The session folder makes that easy to keep: the charity's files
go in ``charity-files/``, JupyterLab's copies and scratch output in ``work/``, and
what the charity takes away in ``bundles/``. ``surgery session close`` deletes the
first two and says which bundle files hold personal data.

The folder is outside the kit's repository by default (``~/data-surgery-sessions``,
or ``SURGERY_SESSIONS_HOME``), or under the kit's git-ignored ``sessions/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from helpers.spine import owned
from helpers.spine.bundle import slug
from helpers.errors import InputProblem
from helpers.writing.playbook import KIT_ROOT

SESSION_FILE = "session.json"


def sessions_home() -> Path:
    """Where new sessions are made unless told otherwise."""
    return Path(os.environ.get("SURGERY_SESSIONS_HOME", Path.home() / "data-surgery-sessions"))


def _pointer() -> Path:
    return sessions_home() / ".current"


@dataclass(frozen=True)
class Session:
    """A session folder and what is known about it."""

    folder: Path
    charity: str
    started: str

    @property
    def data_dir(self) -> Path:
        """The charity's own files: deleted at close."""
        return self.folder / "charity-files"

    @property
    def work_dir(self) -> Path:
        """JupyterLab's copies of the playbooks and their scratch output: deleted at close."""
        return self.folder / "work"

    @property
    def bundles_dir(self) -> Path:
        """What the charity takes away: kept at close unless handed over."""
        return self.folder / "bundles"


def start_session(charity: str, root: Path | None = None, inside_kit: bool = False,
                  today: dt.date | None = None) -> Session:
    """Make a session folder and make it the current session.

    Args:
        charity: The charity's name.
        root: Where to make the folder (default :func:`sessions_home`).
        inside_kit: Make it under the kit's git-ignored ``sessions/`` folder instead.
        today: The date in the folder's name.

    Returns:
        The new session.

    Raises:
        InputProblem: The charity's name is blank.
    """
    if not charity.strip():
        raise InputProblem('Give the charity\'s name: surgery session start "Charity name".')
    base = (KIT_ROOT / "sessions") if inside_kit else Path(root or sessions_home())
    name = f"{slug(charity)}-{(today or dt.date.today()).isoformat()}"
    folder, number = base / name, 2
    while folder.exists():
        folder, number = base / f"{name}-{number}", number + 1
    session = Session(folder.resolve(), charity.strip(), dt.datetime.now().isoformat(timespec="seconds"))
    for sub in (session.data_dir, session.work_dir, session.bundles_dir):
        sub.mkdir(parents=True)
    owned.mark(session.folder, "session")  # close deletes only a folder bearing this mark
    (folder / SESSION_FILE).write_text(
        json.dumps({"charity": session.charity, "started": session.started}, indent=2), encoding="utf-8"
    )
    _pointer().parent.mkdir(parents=True, exist_ok=True)
    _pointer().write_text(str(session.folder), encoding="utf-8")
    return session


def load_session(folder: Path) -> Session:
    """Read a session folder made by :func:`start_session`.

    Raises:
        InputProblem: The folder is not a session folder.
    """
    folder = Path(folder).expanduser().resolve()
    record = folder / SESSION_FILE
    if not record.is_file():
        raise InputProblem(f"'{folder}' is not a session folder (it has no {SESSION_FILE}).")
    try:
        if record.stat().st_size > SESSION_FILE_LIMIT:
            raise ValueError("too large")
        facts = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        facts = None
    if not (isinstance(facts, dict) and isinstance(facts.get("charity"), str) and facts["charity"].strip()
            and isinstance(facts.get("started"), str)):
        raise InputProblem(
            f"The session record '{record}' is damaged or was edited: it is not what `surgery session start` "
            "wrote, so the kit will not use or delete this session. Move the bundles you need out of "
            f"'{folder / 'bundles'}', delete the folder yourself, and start a new session with "
            'surgery session start "Charity name".'
        )
    return Session(folder, facts["charity"], facts["started"])


#: The largest session.json the kit reads (its own is a hundred bytes).
SESSION_FILE_LIMIT = 64 * 1024


def current_session() -> Session | None:
    """The session started last and not yet closed, if any."""
    pointer = _pointer()
    if not pointer.is_file():
        return None
    folder = Path(pointer.read_text(encoding="utf-8").strip())
    return load_session(folder) if (folder / SESSION_FILE).is_file() else None


def require_session(folder: Path | None) -> Session:
    """The session named, or the current one.

    Raises:
        InputProblem: No folder was named and no session is open.
    """
    if folder is not None:
        return load_session(folder)
    session = current_session()
    if session is None:
        raise InputProblem('No session is open. Start one with: surgery session start "Charity name"')
    return session


def next_steps(session: Session) -> str:
    """What the volunteer does next, printed by ``surgery session start``."""
    return f"""Session for {session.charity} started in {session.folder}

Next steps:
  1. Copy the charity's file into {session.data_dir}
     (pseudonymise it first where you can: drop names and contact details the question does not need).
  2. Explore in JupyterLab:      surgery lab
     or run a playbook directly: surgery run health-check --data "{session.data_dir}/<file>" --charity "{session.charity}"
     Reports and files for the charity are written to {session.bundles_dir}
  3. At the end: hand over the bundles, then run  surgery session close
     (deletes the charity's files and all working copies)."""


def copy_playbooks_for_lab(session: Session, playbooks_dir: Path) -> Path:
    """Copy the playbooks into the session so JupyterLab edits and outputs stay there.

    Copies only notebooks not already present, so a volunteer's edits during the
    session are kept when ``surgery lab`` is started again. Each copy names this
    Python's kernel as JupyterLab will (:func:`~helpers.spine.kernel.notebook_for_this_python`),
    so it opens without being marked unsaved.
    """
    from helpers.spine.kernel import notebook_for_this_python

    target = session.work_dir / "playbooks"
    target.mkdir(parents=True, exist_ok=True)
    for notebook in sorted(Path(playbooks_dir).glob("*.ipynb")):
        if not notebook.name.startswith("_") and not (target / notebook.name).exists():
            text = notebook_for_this_python(notebook.read_text(encoding="utf-8"))
            (target / notebook.name).write_text(text, encoding="utf-8", newline="\n")
    return target


#: JupyterLab settings for a session: no news pop-up, no update check (a session makes no web request).
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False}}


def lab_arguments(session: Session) -> list[str]:
    """JupyterLab switches for ``surgery lab``: the session's own settings, news and update checks off.

    Writes the settings into the session's ``work/lab-settings`` (deleted with the session),
    so the volunteer's own JupyterLab settings are left alone.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> arguments = lab_arguments(Session(folder, "Test", "2026-11-26"))
        >>> "--LabApp.news_url=None" in arguments
        True
        >>> (folder / "work/lab-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings").exists()
        True
    """
    settings = session.work_dir / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")
    return [f"--LabApp.user_settings_dir={settings}", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]


@dataclass
class CloseReport:
    """What closing a session did."""

    deleted: list[Path]
    kept: list[Path]
    personal_files: list[Path]
    handed_over_to: Path | None  # the folder made on the charity's drive
    links: list[Path] = field(default_factory=list)  # links removed; what they pointed at was not touched
    notes: list[str] = field(default_factory=list)


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files and the symbolic links under a folder, never following a link."""
    files, links = [], []
    for root, folders, names in os.walk(folder, followlinks=False):
        for name in folders + names:
            path = Path(root) / name
            if path.is_symlink():
                links.append(path)
            elif name in names and name != owned.MARKER_NAME:  # the kit's mark is not the charity's file
                files.append(path)
    return sorted(files), sorted(links)


def personal_bundle_files(session: Session, personal_names: dict[str, list[str]]) -> list[Path]:
    """Bundle files that hold personal data, by each playbook's declared file names.

    Args:
        session: The session.
        personal_names: Playbook name to the file names it writes that hold personal data.
    """
    from helpers.spine.bundle import load_small_yaml

    found = []
    files, _ = _walk(session.bundles_dir) if session.bundles_dir.is_dir() else ([], [])
    for params in (path for path in files if path.name == "params.yaml"):
        try:
            record = load_small_yaml(params) or {}
        except (OSError, ValueError):
            record = {}
        playbook = record.get("playbook", "") if isinstance(record, dict) else ""
        for name in personal_names.get(playbook, []):
            candidate = params.parent / name
            if candidate.exists() and not candidate.is_symlink():
                found.append(candidate)
    return found


def _refuse_linked_folders(session: Session) -> None:
    for folder in (session.data_dir, session.work_dir, session.bundles_dir):
        if folder.is_symlink():
            raise InputProblem(
                f"'{folder}' is a link to '{os.readlink(folder)}', not a folder of the session, and the "
                "kit never deletes or copies files outside the session. Nothing was deleted. Deal with "
                f"the files it points at yourself, delete the link (rm '{folder}'), then close again."
            )


def check_hand_over_folder(destination: Path, needed_bytes: int) -> Path:
    """Make sure the hand-over folder exists, takes files and has room, before anything is deleted.

    Args:
        destination: The folder given with ``--hand-over`` (the charity's USB stick...).
        needed_bytes: The size of the bundles to copy.

    Returns:
        The folder, with ``~`` expanded.

    Raises:
        InputProblem: It is missing (never created: a missing drive must not pass as a
            hand-over), not a folder, refuses writes or is too full.
    """
    import tempfile

    destination = Path(destination).expanduser()
    if not destination.exists():
        raise InputProblem(
            f"The hand-over folder '{destination}' does not exist. Is the charity's drive plugged in and "
            "open? The kit does not create it, so that files are never left on this laptop by mistake. "
            "Nothing was deleted."
        )
    if not destination.is_dir():
        raise InputProblem(f"The hand-over destination '{destination}' is a file, not a folder. Nothing was deleted.")
    try:
        handle, probe = tempfile.mkstemp(prefix=".surgery-write-test-", dir=destination)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise InputProblem(
            f"The kit cannot write to the hand-over folder '{destination}' ({error.strerror or error}). "
            "Is the drive read-only or locked? Nothing was deleted."
        ) from None
    free = shutil.disk_usage(destination).free
    if free < needed_bytes + HAND_OVER_MARGIN:
        raise InputProblem(
            f"The hand-over folder '{destination}' has {free:,} bytes free but the bundles need "
            f"{needed_bytes:,}. Free some space or use another drive. Nothing was deleted."
        )
    return destination


#: Room kept free on the hand-over drive beyond the bundles themselves (file system overhead).
HAND_OVER_MARGIN = 1 << 20


def _copy_verified(source_files: list[Path], source_root: Path, target: Path) -> list[Path]:
    """Copy files into ``target`` (a folder just made) and check each copy's size and SHA-256."""
    from helpers.spine.bundle import file_sha256

    copies = []
    for source in source_files:
        copy = target / source.relative_to(source_root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy, follow_symlinks=False)
        shutil.copystat(source, copy, follow_symlinks=False)
        if copy.stat().st_size != source.stat().st_size or file_sha256(copy) != file_sha256(source):
            raise OSError(f"the copy of {source.name} differs from the original")
        copies.append(copy)
    return copies


def refuse_hand_over_inside(session: Session, destination: Path) -> None:
    """Refuse a hand-over folder inside the session, or one that holds the session: closing
    deletes the session, and the copy with it. Checked before anything is copied or deleted.

    Raises:
        InputProblem: Naming both folders.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()).resolve()
        >>> session = Session(folder, "Club", "2026-11-26")
        >>> refuse_hand_over_inside(session, folder.parent / "usb-stick")
        >>> refuse_hand_over_inside(session, folder / "bundles")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: The hand-over folder ... Nothing was copied or deleted.
    """
    chosen = Path(destination).expanduser().resolve()
    session_folder = Path(session.folder).resolve()
    if chosen == session_folder or session_folder in chosen.parents or chosen in session_folder.parents:
        where = "holds the session folder" if chosen in session_folder.parents else "is inside the session folder"
        raise InputProblem(
            f"The hand-over folder '{chosen}' {where} '{session_folder}', and closing deletes the whole "
            "session: the copy for the charity would be deleted with it, or stay on this computer. Give "
            "the charity's own drive, for example --hand-over /media/CHARITY-USB. Nothing was copied or deleted."
        )


def hand_over(session: Session, destination: Path) -> tuple[Path, list[Path], list[Path]]:
    """Copy the session's bundles to the charity's folder, verified, under their final name.

    The copy is made under a temporary name, checked file by file (size and SHA-256) and only
    then renamed, so a folder with the session's name on the drive is always complete.
    Links inside ``bundles/`` are not followed or copied.

    Returns:
        The new folder, the files copied into it, and the links left out.

    Raises:
        InputProblem: The destination is not usable, or the copy failed (nothing is deleted;
            the partial copy is removed, so running close again works).
    """
    refuse_hand_over_inside(session, destination)
    files, links = _walk(session.bundles_dir)
    destination = check_hand_over_folder(destination, sum(path.stat().st_size for path in files))
    name = session.folder.name
    for stale in destination.glob(f".{name}.partial-*"):  # left by a hand-over that failed: the kit's own only
        owned.remove_if_owned(stale, "hand-over")
    partial = destination / f".{name}.partial-{os.getpid()}"
    made = False
    try:
        partial.mkdir()
        made = True
        owned.mark(partial, "hand-over")
        copies = _copy_verified(files, session.bundles_dir, partial)
        target, number = destination / name, 2
        while target.exists():  # an earlier hand-over of the same session is kept as it is
            target, number = destination / f"{name}-{number}", number + 1
        (partial / owned.MARKER_NAME).unlink()  # the charity's copy is theirs: it carries no mark of the kit's
        os.rename(partial, target)
    except OSError as error:
        if made:  # only the folder this hand-over made
            shutil.rmtree(partial, ignore_errors=True)
        raise InputProblem(
            f"Copying the bundles to '{destination}' failed ({error.strerror or error}). The partial copy "
            "was removed and nothing was deleted from the session. Fix the drive (room, write access), "
            "then run close again."
        ) from None
    return target, [target / copy.relative_to(partial) for copy in copies], links


def _refuse_unmarked_session(session: Session) -> None:
    if not owned.owns(session.folder, "session"):
        raise InputProblem(
            f"'{session.folder}' does not bear the mark `surgery session start` puts in the session folders it "
            "makes on this computer, so the kit will not delete anything in it. Nothing was deleted. Move the "
            "bundles you need out of it and delete the folder yourself."
        )


def close_session(session: Session, personal_names: dict[str, list[str]],
                  hand_over_to: Path | None = None) -> CloseReport:
    """Delete the charity's files and working copies; keep or hand over the bundles.

    Only the session's own folders are touched. Links inside them are removed as links; what
    they point at is never read, copied or deleted.

    Args:
        session: The session to close.
        personal_names: Playbook name to the bundle files that hold personal data.
        hand_over_to: An existing folder (the charity's drive) to copy the bundles into;
            after a verified copy the whole session folder is deleted.

    Returns:
        What was deleted, kept and handed over.

    Raises:
        InputProblem: A session folder is a link, or the hand-over folder is missing,
            read-only or full; nothing is deleted then.
    """
    _refuse_linked_folders(session)
    _refuse_unmarked_session(session)
    if hand_over_to is not None:
        refuse_hand_over_inside(session, hand_over_to)
    from helpers.spine.bundle import sweep_stale

    owned.sweep_in_flight()  # killed runs' staging folders and Chromium profiles, by their mark
    if session.bundles_dir.is_dir():
        sweep_stale(session.bundles_dir)
    personal = personal_bundle_files(session, personal_names)
    deleted: list[Path] = []
    links: list[Path] = []
    kept: list[Path] = []
    destination = None
    if hand_over_to is not None:
        destination, kept, _ = hand_over(session, hand_over_to)
        personal = [destination / p.relative_to(session.bundles_dir) for p in personal]
        files, links = _walk(session.folder)
        deleted = files
        shutil.rmtree(session.folder)
    else:
        for folder in (session.data_dir, session.work_dir):
            if folder.exists():
                files, found_links = _walk(folder)
                deleted += files
                links += found_links
                shutil.rmtree(folder)
        kept, _ = _walk(session.bundles_dir) if session.bundles_dir.is_dir() else ([], [])
        (session.folder / SESSION_FILE).unlink(missing_ok=True)
    notes = []
    kit_scratch = KIT_ROOT / "playbooks" / "output"  # runs by hand in the kit, outside any session
    if kit_scratch.is_dir() and any(kit_scratch.iterdir()):
        notes.append(f"The kit's own {kit_scratch} holds files from runs outside this session; they were "
                     "not touched. If any came from this charity's data, delete them yourself.")
    pointer = _pointer()
    if pointer.is_file() and pointer.read_text(encoding="utf-8").strip() == str(session.folder):
        pointer.unlink()
    return CloseReport(deleted, kept, personal, destination, links, notes)
