"""The bundle a run leaves behind: its folder, its provenance, its params.yaml."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from helpers.errors import InputProblem


def slug(text: str) -> str:
    """Turn a charity or playbook name into a safe folder-name part.

    Example:
        >>> slug("St Mary's Food Bank (Hackney)")
        'st-marys-food-bank-hackney'
    """
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "charity"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (files can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_bundle_folder(
    reports_root: Path,
    charity: str,
    playbook: str,
    day: dt.date,
    out: Path | None = None,
    overwrite: bool = False,
) -> Path:
    """Create the folder a run writes into; never reuse a bundle silently.

    Args:
        reports_root: Where default bundles go (``reports/``).
        charity: The charity's name (may be blank).
        playbook: The playbook's name.
        day: The run date, part of the default name.
        out: A folder the volunteer chose (``--out``); must be new or empty
            unless ``overwrite`` is set.
        overwrite: Allow writing into a non-empty ``out``.

    Returns:
        The created folder. A default name already taken gets ``-2``, ``-3``...

    Raises:
        InputProblem: ``out`` already holds files and ``overwrite`` is not set.
    """
    if out is not None:
        out = Path(out)
        if out.exists() and any(out.iterdir()) and not overwrite:
            raise InputProblem(
                f"The folder '{out}' already holds files from an earlier run. Choose a new "
                "--out folder, or add --overwrite to replace what is there."
            )
        out.mkdir(parents=True, exist_ok=True)
        return out
    base = f"{slug(charity) if charity else 'charity'}-{playbook}-{day.isoformat()}"
    folder = Path(reports_root) / base
    number = 2
    while folder.exists():
        folder = Path(reports_root) / f"{base}-{number}"
        number += 1
    folder.mkdir(parents=True)
    return folder


def write_json(path: Path, data: dict) -> None:
    """Write a mapping as readable UTF-8 JSON."""
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_params_yaml(folder: Path, record: dict) -> Path:
    """Write ``params.yaml``: what ``surgery rerun`` needs to repeat this run."""
    import yaml

    path = Path(folder) / "params.yaml"
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
