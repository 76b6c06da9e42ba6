"""CI refuses to pass by skipping; outside CI a skip stays, with its reason in the summary.

A throwaway test module with the kit's kinds of skip (no Chromium in a fixture, no Java
in a ``skipif``, a test extra missing at import) is run by a real pytest with the
suite's own conftest, once with ``CI`` set and once without.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
KIT_ROOT = TESTS.parent

SKIPPING_TESTS = '''
import pytest


@pytest.fixture
def browser():
    pytest.skip("Chromium is not installed (the kit uses Debian's `chromium` package)")


def test_in_a_browser(browser):
    pass


@pytest.mark.skipif(True, reason="Java is not installed, and Spark needs it")
def test_on_spark():
    pass


def test_that_runs():
    assert True
'''
SKIPPED_MODULE = 'import pytest\n\npytest.importorskip("no_such_test_extra_xyz")\n\n\ndef test_never():\n    pass\n'


def run_pytest(folder: Path, ci: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "-o", "addopts=", str(folder)],
        capture_output=True, text=True, cwd=folder, env=env, timeout=300,
    )


@pytest.fixture
def suite(tmp_path):
    """A folder with the suite's conftest and support package, and tests that skip."""
    shutil.copy(TESTS / "conftest.py", tmp_path / "conftest.py")
    shutil.copytree(TESTS / "support", tmp_path / "support", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "test_skipping.py").write_text(SKIPPING_TESTS, encoding="utf-8")
    return tmp_path


def test_outside_ci_the_skips_stay_and_the_summary_gives_each_reason(suite):
    (suite / "test_needs_an_extra.py").write_text(SKIPPED_MODULE, encoding="utf-8")
    result = run_pytest(suite, ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"SKIPPED \[1\] .*Chromium is not installed", result.stdout)
    assert re.search(r"SKIPPED \[1\] .*Java is not installed", result.stdout)
    assert re.search(r"SKIPPED \[1\] .*no_such_test_extra_xyz", result.stdout)
    assert re.search(r"=+ 1 passed, 3 skipped.* in [\d.]+s", result.stdout), "pytest's closing line"


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_every_skip_fails_naming_what_to_install(suite, ci):
    result = run_pytest(suite, ci=ci)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert re.search(r"ERROR .*test_in_a_browser - CI refuses to pass by skipping.*Chromium is not installed", out)
    assert "sudo apt-get install chromium" in out
    assert re.search(r"ERROR .*test_on_spark - CI refuses to pass by skipping.*Java", out)
    assert "sudo apt-get install default-jre-headless" in out
    assert "SKIPPED" not in out
    assert re.search(r"=+ 1 passed.*, 2 errors in [\d.]+s", out), "pytest's closing line"


def test_under_ci_a_module_skipped_at_import_fails_naming_the_extras(suite):
    (suite / "test_needs_an_extra.py").write_text(SKIPPED_MODULE, encoding="utf-8")
    result = run_pytest(suite, ci="true")
    assert result.returncode != 0
    assert re.search(r"ERROR .*test_needs_an_extra.py - CI refuses to pass by skipping.*no_such_test_extra_xyz",
                     result.stdout)
    assert "pip install -e '.[test,spark]'" in result.stdout


@pytest.mark.parametrize("ci", ["", "0", "false"])
def test_ci_set_to_false_is_not_ci(suite, ci):
    assert run_pytest(suite, ci=ci).returncode == 0


def test_ci_calls_make_test_and_make_test_runs_pytest_plainly():
    """A failure anywhere reaches CI's exit code, and pytest's summary is printed."""
    ci_commands = [line.strip() for line in (KIT_ROOT / ".ci" / "run").read_text().splitlines()
                   if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in ci_commands and ci_commands[-1] == "make test"
    makefile = (KIT_ROOT / "Makefile").read_text()
    recipe = re.search(r"^test: .*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert recipe.strip() == "$(BIN)/python -m pytest"  # no `|| true`, no `-qq`, no `--no-summary`


def test_the_install_step_fails_loudly():
    makefile = (KIT_ROOT / "Makefile").read_text()
    browser = re.search(r"^browser:\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "|| echo" not in browser and "exit 1" in browser
    packages = re.search(r"^SYSTEM_PACKAGES := (.*)$", makefile, re.MULTILINE).group(1).split()
    assert {pair.split(":")[1] for pair in packages} == {"chromium", "default-jre-headless", "strace"}


def test_make_dry_run_of_test_installs_then_runs_pytest():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # Under `make test` this runs as a sub-make: without MAKELEVEL and MAKEFLAGS it prints exactly what a
    # volunteer's `make -n test` prints, with no "Entering directory" lines.
    env = {key: value for key, value in os.environ.items() if key not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    result = subprocess.run(["make", "--no-print-directory", "-n", "-B", "test", "VENV=/nonexistent-venv"],
                            capture_output=True, text=True, cwd=KIT_ROOT, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "/nonexistent-venv/bin/python -m pytest" in result.stdout.splitlines()[-1]
    assert "browser" in result.stdout
