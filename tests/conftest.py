"""Shared fixtures: the tiny `echo` playbook the runner's tests drive, and a CLI runner.

Also the rule that CI refuses to pass by skipping: when the ``CI`` environment variable
is set (as CI services set it), a test or test module that would be skipped (no
Chromium, no Java, a test extra missing) fails instead, with a message naming what to
install. Outside CI skips stay, and ``-ra`` prints each one's reason in the summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.ci import ci_failure_text, in_ci

FIXTURES = Path(__file__).parent / "fixtures"
KIT_ROOT = Path(__file__).parent.parent


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


#: A docstring example marked to skip is not a missing tool: tests/test_docstrings.py rations those.
DOCTEST_SKIP = "all tests skipped by +" "SKIP option"


def _fail_if_skipped_in_ci(report) -> None:
    if in_ci() and report.skipped and not hasattr(report, "wasxfail") and DOCTEST_SKIP not in _skip_reason(report):
        report.outcome = "failed"
        report.longrepr = ci_failure_text(_skip_reason(report))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_if_skipped_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    # A module skipped as a whole (pytest.importorskip at the top) is skipped at collection.
    outcome = yield
    _fail_if_skipped_in_ci(outcome.get_result())


@pytest.fixture
def echo_playbooks(monkeypatch):
    """Point the catalogue at the fixture playbooks (in this process and in children)."""
    monkeypatch.setenv("SURGERY_PLAYBOOKS", str(FIXTURES / "playbooks"))
    return FIXTURES / "playbooks"


@pytest.fixture
def small_csv(tmp_path):
    path = tmp_path / "charity data" / "clients.csv"
    path.parent.mkdir()
    path.write_text("Amount,Name\n1,Ann Example\n2,Bob Example\n3,Cy Example\n", encoding="utf-8")
    return path


@pytest.fixture
def surgery():
    """The ``surgery`` command as a function: ``surgery("run", "echo", ...)``."""
    return run_surgery


@pytest.fixture
def fixtures_dir():
    return FIXTURES


def run_surgery(*args, cwd=None, env=None):
    """Run the real ``surgery`` command (as ``python -m helpers``) and capture what it says."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "helpers", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or KIT_ROOT, env=full_env, timeout=600,
    )


@pytest.fixture(scope="session")
def demo_bundles(tmp_path_factory):
    """Every playbook run once on its sample data with ``surgery demo`` (``--pdf`` where Chromium is).

    Returns a mapping of playbook name to its bundle folder. Shared by every test
    that reads a rendered report, so the demo runs once per test session.
    """
    from helpers.spine.catalogue import list_playbooks
    from helpers.spine.pdf import find_chromium

    out = tmp_path_factory.mktemp("demo")
    pdf = ["--pdf"] if find_chromium() else []
    result = run_surgery("demo", *pdf, "--no-progress", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return {p.name: out / p.name for p in list_playbooks()}


#: The playbook the Welsh report's tests run (a quick one whose report has every kind of block).
WELSH_PLAYBOOK = "health-check"


@pytest.fixture(scope="session")
def welsh_bundles(tmp_path_factory):
    """health-check on its sample data twice, ``--language en`` and ``--language cy`` (``--pdf`` where Chromium is).

    Returns ``{"en": path, "cy": path}``.
    """
    from helpers.spine.catalogue import find_playbook
    from helpers.spine.runner import default_data_file

    from helpers.spine.pdf import find_chromium

    out = tmp_path_factory.mktemp("welsh")
    data = default_data_file(find_playbook(WELSH_PLAYBOOK))
    bundles = {}
    for language in ("en", "cy"):
        bundles[language] = out / language
        pdf = ["--pdf"] if language == "cy" and find_chromium() else []  # the Welsh report's pages are checked too
        result = run_surgery("run", WELSH_PLAYBOOK, "--data", data, "--out", bundles[language], "--charity",
                             "Cymdeithas Gymunedol Aberystwyth", "--language", language, "--no-progress", *pdf)
        assert result.returncode == 0, result.stdout + result.stderr
    return bundles
