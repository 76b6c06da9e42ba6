"""Every playbook, executed on its sample data under pytest-notebook.

The notebooks are committed with the outputs their sample data gives. Each is
run again here and its outputs compared, images, timings and run dates aside,
so a change to a helper that alters what a report says shows up as a diff.
Regenerate after an intended change with ``--nb-force-regen``.
"""

from __future__ import annotations

import pytest

from helpers.catalogue import list_playbooks

PLAYBOOKS = list_playbooks()

IGNORED = (
    "/metadata",
    "/cells/*/metadata",
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/outputs/*/metadata",
    "/cells/*/outputs/*/data/image/png",
)
DATES = r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}"


@pytest.mark.slow
@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[p.name for p in PLAYBOOKS])
def test_playbook_runs_on_sample_data_as_stored(playbook, nb_regression):
    nb_regression.diff_ignore = IGNORED
    nb_regression.diff_replace = (
        ("/cells/*/outputs/*/data/text/markdown", DATES, "DATE"),
        ("/cells/*/outputs/*/data/text/html", DATES, "DATE"),
        ("/cells/*/outputs/*/text", DATES, "DATE"),
    )
    nb_regression.exec_timeout = 600
    nb_regression.check(str(playbook.path))
