"""The playbooks the kit ships: where they are and what each is for."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import InputProblem
from helpers.writing.playbook import PLAYBOOKS_DIR
from helpers.reading.roles import closest_column


@dataclass(frozen=True)
class Playbook:
    """One playbook notebook and the facts its metadata gives about it."""

    name: str
    path: Path
    title: str
    purpose: str
    minutes: int | None
    personal_files: tuple[str, ...] = ()  # files it writes that hold personal data, for the charity only
    file_parameters: tuple[str, ...] = ()  # parameters naming a file (besides those ending _file)

    @property
    def folder(self) -> Path:
        return self.path.parent


def playbooks_dir() -> Path:
    """The folder of playbooks (``SURGERY_PLAYBOOKS`` overrides it, for tests)."""
    return Path(os.environ.get("SURGERY_PLAYBOOKS", PLAYBOOKS_DIR))


def read_playbook(path: Path) -> Playbook:
    """Read a playbook's catalogue entry from its ``surgery`` notebook metadata."""
    # Plain json, not nbformat: listing must stay instant, and nbformat's
    # schema validation is not needed to read three metadata fields.
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = notebook.get("metadata", {}).get("surgery", {})
    return Playbook(
        name=path.stem,
        path=Path(path),
        title=meta.get("title", path.stem),
        purpose=meta.get("purpose", ""),
        minutes=meta.get("minutes"),
        personal_files=tuple(meta.get("personal_files", ())),
        file_parameters=tuple(meta.get("file_parameters", ())),
    )


def list_playbooks() -> list[Playbook]:
    """Every playbook, in name order (files starting with ``_`` are drafts)."""
    paths = sorted(p for p in playbooks_dir().glob("*.ipynb") if not p.name.startswith("_"))
    return [read_playbook(p) for p in paths]


def playbook_lines(minutes: bool = True) -> list[str]:
    """One line per playbook, name then purpose (and its minutes): ``surgery list`` and ``run --help``."""
    playbooks = list_playbooks()
    width = max((len(p.name) for p in playbooks), default=10)
    return [f"{p.name:<{width}}  {p.purpose}" + (f" (~{p.minutes} min)" if minutes and p.minutes else "")
            for p in playbooks]


def find_playbook(name: str) -> Playbook:
    """Find a playbook by name.

    Raises:
        InputProblem: No playbook has that name; the message lists them.
    """
    playbooks = {p.name: p for p in list_playbooks()}
    key = name.removesuffix(".ipynb")
    if key in playbooks:
        return playbooks[key]
    hint = closest_column(key, playbooks)
    did_you_mean = f" Did you mean '{hint}'?" if hint else ""
    raise InputProblem(
        f"There is no playbook called '{name}'.{did_you_mean} "
        f"The playbooks are: {', '.join(playbooks) or 'none'} (see `surgery list`)."
    )
