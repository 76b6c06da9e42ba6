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
from dataclasses import dataclass
from pathlib import Path

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
    facts = json.loads(record.read_text(encoding="utf-8"))
    return Session(folder, facts["charity"], facts["started"])


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
    session are kept when ``surgery lab`` is started again.
    """
    target = session.work_dir / "playbooks"
    target.mkdir(parents=True, exist_ok=True)
    for notebook in sorted(Path(playbooks_dir).glob("*.ipynb")):
        if not notebook.name.startswith("_") and not (target / notebook.name).exists():
            shutil.copy2(notebook, target / notebook.name)
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
    handed_over_to: Path | None


def personal_bundle_files(session: Session, personal_names: dict[str, list[str]]) -> list[Path]:
    """Bundle files that hold personal data, by each playbook's declared file names.

    Args:
        session: The session.
        personal_names: Playbook name to the file names it writes that hold personal data.
    """
    import yaml

    found = []
    for params in sorted(session.bundles_dir.rglob("params.yaml")):
        playbook = (yaml.safe_load(params.read_text(encoding="utf-8")) or {}).get("playbook", "")
        for name in personal_names.get(playbook, []):
            if (params.parent / name).exists():
                found.append(params.parent / name)
    return found


def close_session(session: Session, personal_names: dict[str, list[str]],
                  hand_over_to: Path | None = None) -> CloseReport:
    """Delete the charity's files and working copies; keep or hand over the bundles.

    Args:
        session: The session to close.
        personal_names: Playbook name to the bundle files that hold personal data.
        hand_over_to: A folder (the charity's drive) to move the bundles into;
            the whole session folder is then deleted.

    Returns:
        What was deleted, kept and handed over.
    """
    personal = personal_bundle_files(session, personal_names)
    deleted: list[Path] = []
    for folder in (session.data_dir, session.work_dir):
        if folder.exists():
            deleted.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
            shutil.rmtree(folder)
    kit_scratch = KIT_ROOT / "playbooks" / "output"  # where a playbook run by hand in the kit writes
    if kit_scratch.exists():
        deleted.extend(sorted(p for p in kit_scratch.rglob("*") if p.is_file()))
        shutil.rmtree(kit_scratch)

    kept: list[Path] = []
    if hand_over_to is not None:
        destination = Path(hand_over_to).expanduser() / session.folder.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(session.bundles_dir, destination, dirs_exist_ok=False)
        personal = [destination / p.relative_to(session.bundles_dir) for p in personal]
        deleted.extend(sorted(p for p in session.folder.rglob("*") if p.is_file()))
        shutil.rmtree(session.folder)
        kept = sorted(p for p in destination.rglob("*") if p.is_file())
    else:
        kept = sorted(p for p in session.bundles_dir.rglob("*") if p.is_file())
        (session.folder / SESSION_FILE).unlink(missing_ok=True)
    pointer = _pointer()
    if pointer.is_file() and pointer.read_text(encoding="utf-8").strip() == str(session.folder):
        pointer.unlink()
    return CloseReport(deleted, kept, personal, hand_over_to)
