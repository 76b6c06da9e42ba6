"""The playbooks `surgery lab` copies are prepared for the Python the lab runs, so JupyterLab opens them clean.

JupyterLab writes the kernel's ``language_info`` into a notebook it opens; a playbook stored by
another Python (its version, 3.11.7 when these were stored) is then marked unsaved before any
edit. The browser check is tests/test_lab_browser.py; these are the quick ones, with Jupyter
Server's own contents manager standing in for JupyterLab's save.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.spine.kernel import DISPLAY_NAME, KERNEL_NAME, kernel_language_info, notebook_for_this_python
from helpers.spine.session import Session, copy_playbooks_for_lab

PLAYBOOKS = list_playbooks()
IDS = [p.name for p in PLAYBOOKS]


def _stored_by(text: str, version: str) -> str:
    notebook = json.loads(text)
    notebook["metadata"]["language_info"]["version"] = version
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _saved_back_by_jupyter_server(folder, name: str) -> str:
    """What Jupyter Server writes when JupyterLab saves the opened notebook unchanged."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    manager = FileContentsManager(root_dir=str(folder))
    manager.save(manager.get(name, content=True), name)
    return (folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=IDS)
def test_a_playbook_stored_by_another_python_is_prepared_for_this_one(playbook):
    stored = _stored_by(playbook.path.read_text(encoding="utf-8"), "3.0.1")
    prepared = json.loads(notebook_for_this_python(stored))
    assert prepared["metadata"]["language_info"] == kernel_language_info()
    assert prepared["metadata"]["kernelspec"] == {"name": KERNEL_NAME, "display_name": DISPLAY_NAME,
                                                  "language": "python"}
    original = json.loads(stored)
    assert prepared["cells"] == original["cells"]  # the lesson and its stored outputs, untouched
    assert (prepared["nbformat"], prepared["nbformat_minor"]) == (original["nbformat"], original["nbformat_minor"])
    assert prepared["metadata"]["surgery"] == original["metadata"]["surgery"]


def test_the_language_info_is_what_this_pythons_kernel_reports():
    import platform

    info = kernel_language_info()
    assert info["name"] == "python" and info["version"] == platform.python_version()
    assert kernel_language_info() is not kernel_language_info()  # a copy: ipykernel's own stays as it is


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=IDS)
def test_a_prepared_playbook_is_laid_out_as_jupyter_server_saves_it(playbook, tmp_path):
    prepared = notebook_for_this_python(_stored_by(playbook.path.read_text(encoding="utf-8"), "3.0.1"))
    (tmp_path / "playbook.ipynb").write_text(prepared, encoding="utf-8", newline="\n")
    assert _saved_back_by_jupyter_server(tmp_path, "playbook.ipynb") == prepared
    assert notebook_for_this_python(prepared) == prepared


def test_a_plain_copy_of_a_notebook_stored_elsewhere_is_not_what_this_python_would_save():
    """The counterexample: the copy `surgery lab` used to make keeps the other Python's version."""
    stored = _stored_by(PLAYBOOKS[0].path.read_text(encoding="utf-8"), "3.0.1")
    assert notebook_for_this_python(stored) != stored


def test_the_lab_copies_are_prepared_and_a_volunteers_own_copy_is_kept(tmp_path):
    source = tmp_path / "playbooks"
    source.mkdir()
    for playbook in PLAYBOOKS[:2]:
        (source / playbook.path.name).write_text(
            _stored_by(playbook.path.read_text(encoding="utf-8"), "3.0.1"), encoding="utf-8")
    session = Session(tmp_path / "session", "Test", "2026-12-07")
    edited = session.work_dir / "playbooks" / PLAYBOOKS[1].path.name
    edited.parent.mkdir(parents=True)
    edited.write_text("the volunteer's own edits", encoding="utf-8")

    copies = copy_playbooks_for_lab(session, source)

    first = copies / PLAYBOOKS[0].path.name
    text = first.read_text(encoding="utf-8")
    assert text == notebook_for_this_python(text)
    assert nbformat.reads(text, as_version=4).metadata.language_info == kernel_language_info()
    assert edited.read_text(encoding="utf-8") == "the volunteer's own edits"
