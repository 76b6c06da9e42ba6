"""Nothing from a charity's file may land in the repository.

Committed data lives only in datasets/ (fake, generated), and committed notebooks
carry only the outputs their bundled sample data gives. (That the stored outputs
are exactly what the sample data gives is checked by tests/test_playbooks.py,
which re-executes each playbook and compares.)
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATA_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".feather", ".sav",
                 ".dta", ".sqlite", ".db", ".pdf", ".docx", ".gz", ".zip"}
#: Public reference data (Open Government Licence, named in datasets/README.md) that ships with the
#: kit or tests it: never a charity's file. tests/outside/ holds the files the kit did not generate:
#: excerpts of public data that packages ship and hand-typed registers of made-up people, each named
#: with its source in tests/outside/cases/ (tests/test_outside_files.py checks every one is).
#: Anything else outside datasets/ is refused.
PUBLIC_REFERENCE = ("helpers/reach/data/", "tests/fixtures/reach/", "tests/outside/")
LOCAL_PATH = re.compile(r"(/home/|/Users/|/tmp/|/root/|/work/|[A-Z]:\\\\)")
#: How the loader's log names the file it read (see helpers.writing.narrative.show_load_log).
FILE_READ = re.compile(r"What the kit did with the file `([^`]+)`|\bRead (?:sheet '[^']*' of )?([^\s:,]+\.\w+)")


def tracked_files() -> list[Path]:
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the guard checks what git tracks")
    return [ROOT / name for name in listing.stdout.decode().split("\0") if name]


def test_no_data_file_is_committed_outside_datasets():
    outside = [
        str(p.relative_to(ROOT)) for p in tracked_files()
        if p.suffix.lower() in DATA_SUFFIXES and p.relative_to(ROOT).parts[0] != "datasets"
        and not p.relative_to(ROOT).as_posix().startswith(PUBLIC_REFERENCE)
    ]
    assert outside == [], f"data files outside datasets/: {outside}"


def _notebooks():
    return [p for p in tracked_files() if p.suffix == ".ipynb"]


def _output_texts(notebook: dict):
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for key in ("text", "evalue"):
                if key in output:
                    yield "".join(output[key]) if isinstance(output[key], list) else output[key]
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    yield "".join(value) if isinstance(value, list) else value


def test_committed_playbooks_are_not_run_outputs_of_a_charity_file():
    """No injected parameters, no local paths, and every file the outputs say was read is sample data."""
    datasets = {p.name for p in (ROOT / "datasets").iterdir()}
    for path in _notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        tags = [t for c in notebook["cells"] for t in c.get("metadata", {}).get("tags", [])]
        assert "injected-parameters" not in tags, f"{path.name} is a papermill output, not a playbook"
        assert "parameters" not in notebook["metadata"].get("papermill", {}), path.name
        read = []
        for text in _output_texts(notebook):
            assert not LOCAL_PATH.search(text), f"{path.name} output shows a local path: {text[:120]!r}"
            read += [(match.group(1) or match.group(2)).rstrip(".") for match in FILE_READ.finditer(text)]
        assert [name for name in read if name not in datasets] == [], f"{path.name} outputs come from non-sample data"
        if path.parent == ROOT / "playbooks":  # a stored playbook says which file it read, so the check bites
            assert read, f"{path.name}: no 'What the kit did with the file' line found in its outputs"


def test_playbook_defaults_point_at_bundled_sample_data():
    from helpers.spine.catalogue import list_playbooks
    from helpers.spine.runner import default_data_file

    for playbook in list_playbooks():
        data = default_data_file(playbook)
        assert data.is_file() and data.parent == (ROOT / "datasets").resolve(), playbook.name


def test_notebooks_outside_playbooks_carry_no_outputs():
    for path in _notebooks():
        if path.parent.name == "playbooks" and path.parent.parent == ROOT:
            continue
        notebook = json.loads(path.read_text(encoding="utf-8"))
        with_outputs = [i for i, c in enumerate(notebook["cells"]) if c.get("outputs")]
        assert with_outputs == [], f"{path.relative_to(ROOT)} has outputs in cells {with_outputs}"
