"""Every playbook, executed on its sample data under pytest-notebook, as JupyterLab runs it in a session.

The notebooks are committed with the outputs their sample data gives. Each is
run again here, top to bottom with no edits, from a session's working folder
(not the kit's own folder, so the sample-data defaults must resolve from
anywhere), and its outputs compared exactly, images, execution counts and
metadata aside: a change to a helper that alters what a report says shows up as
a diff. Every date is compared too (no dates are masked): the notebook's outputs
carry no run date (the renderer adds that to the report), so a forecast
reported a week late fails here.
Regenerate after an intended change with ``--nb-force-regen``; a change to how charts
look (which the comparison ignores) with ``SURGERY_STORE_DRAWINGS=1`` set as well, so that
the stored charts are redrawn too.
"""

from __future__ import annotations

import json
import os

import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.writing.playbook import SESSION_OUTPUT_ENV

PLAYBOOKS = list_playbooks()

#: What is never compared: run metadata and execution counts.
IGNORED_ALWAYS = (
    "/metadata",
    "/cells/*/metadata",
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
)
#: The charts (page and phone drawings) and their measurements, compared only when redrawing them.
IGNORED = IGNORED_ALWAYS + (
    "/cells/*/outputs/*/metadata",
    "/cells/*/outputs/*/data/image/png",
    "/cells/*/outputs/*/data/image/vnd.data-surgery.phone+png",
)


@pytest.mark.slow
@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[p.name for p in PLAYBOOKS])
def test_playbook_runs_in_a_session_on_sample_data_as_stored(playbook, nb_regression, tmp_path, monkeypatch):
    lab_folder = tmp_path / "work" / "playbooks"
    lab_folder.mkdir(parents=True)
    monkeypatch.setenv(SESSION_OUTPUT_ENV, str(tmp_path / "work" / "output"))
    nb_regression.exec_cwd = str(lab_folder)
    nb_regression.diff_ignore = IGNORED_ALWAYS if os.environ.get("SURGERY_STORE_DRAWINGS") else IGNORED
    nb_regression.diff_replace = ()  # nothing masked: every date and figure compared as stored
    nb_regression.exec_timeout = 600
    nb_regression.check(str(playbook.path))

    summary = tmp_path / "work" / "output" / playbook.name / "summary.json"
    assert summary.is_file(), "a playbook run in a session writes into the session's output folder"
    assert json.loads(summary.read_text())
