"""Own only what you made (issue 21): the kit deletes a folder only when it bears the kit's own mark.

Each test makes the folders a volunteer could have (``.vim.old-20240101``, a folder holding
``report.html`` beside a thesis, a copied or forged mark) and checks they survive, while the
kit's own leftovers (a killed run's staging folder, a Chromium profile) are cleared.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.spine import owned
from helpers.spine.bundle import sweep_stale

KIT_ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    """A state folder of the test's own: its key and journal, in this process and its children."""
    home = tmp_path / "state"
    monkeypatch.setenv("SURGERY_STATE_HOME", str(home))
    return home


def _dead_pid() -> int:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_a_mark_checks_only_with_this_users_key(tmp_path, monkeypatch):
    folder = tmp_path / "made"
    folder.mkdir()
    owned.mark(folder, "bundle", files=[])
    assert owned.owns(folder, "bundle") and not owned.owns(folder, "session")
    monkeypatch.setenv("SURGERY_STATE_HOME", str(tmp_path / "another-user"))
    assert not owned.owns(folder)  # another key: the same file is nobody's


@pytest.mark.parametrize("tamper", ["mac", "files", "kind", "not json", "deep", "huge", "link"])
def test_a_forged_or_edited_mark_is_not_the_kits(tmp_path, tamper):
    folder = tmp_path / "folder"
    folder.mkdir()
    owned.mark(folder, "bundle", files=["report.html"])
    marker = folder / owned.MARKER_NAME
    record = json.loads(marker.read_text())
    if tamper == "mac":
        record["mac"] = "0" * 64
    elif tamper == "files":
        record["files"].append("precious.txt")
    elif tamper == "kind":
        record["kind"] = "scratch"
    if tamper == "not json":
        marker.write_text("{")
    elif tamper == "deep":
        marker.write_text("[" * 100_000 + "]" * 100_000)
    elif tamper == "huge":
        marker.write_text(" " * (owned.MARKER_LIMIT + 1) + json.dumps(record))
    elif tamper == "link":
        real = tmp_path / "real-mark"
        real.write_text(marker.read_text())
        marker.unlink()
        marker.symlink_to(real)
    else:
        marker.write_text(json.dumps(record))
    assert not owned.owns(folder, "bundle")
    assert not owned.remove_if_owned(folder) and folder.exists()


def test_the_sweep_leaves_the_volunteers_look_alike_folders(tmp_path):
    """``mkdir -p X/.vim.old-20240101`` once lost the folder to the sweep (issue 21)."""
    dead = _dead_pid()
    users = [tmp_path / ".vim.old-20240101", tmp_path / f".notes.partial-{dead}"]
    for folder in users:
        folder.mkdir()
        (folder / "precious.txt").write_text("the volunteer's own")
    kits = tmp_path / f".b.partial-{dead}"
    kits.mkdir()
    owned.mark(kits, "bundle")
    assert sweep_stale(tmp_path) == [kits]
    assert all((folder / "precious.txt").read_text() == "the volunteer's own" for folder in users)


def test_a_whole_bundle_is_one_holding_only_the_files_it_wrote(tmp_path):
    folder = tmp_path / "bundle"
    (folder / "charts").mkdir(parents=True)
    (folder / "report.html").write_text("r")
    (folder / "charts" / "a.png").write_text("p")
    owned.mark(folder, "bundle", files=owned.files_in(folder))
    assert owned.is_whole_kit_bundle(folder)
    (folder / "charts" / "b.png").write_text("added by hand")
    assert not owned.is_whole_kit_bundle(folder)


def test_a_bundle_still_being_written_is_not_one_overwrite_may_replace(tmp_path):
    owned.mark(tmp_path, "bundle")  # a staging folder: no list of files yet
    assert owned.owns(tmp_path, "bundle") and not owned.is_whole_kit_bundle(tmp_path)


def _hold_scratch_folder(env: dict) -> tuple[subprocess.Popen, Path]:
    """A process inside ``owned_scratch_folder`` (as a PDF print is), waiting to be killed."""
    code = ("import time\nfrom helpers.spine.owned import owned_scratch_folder\n"
            "with owned_scratch_folder('surgery-chromium-') as folder:\n"
            "    print(folder, flush=True)\n    time.sleep(120)\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env,
                               cwd=KIT_ROOT)
    return process, Path(process.stdout.readline().strip())


def test_a_killed_runs_chromium_profile_goes_when_the_kit_next_starts(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    mine = temporary / "surgery-chromium-mine"  # a look-alike the kit did not make
    mine.mkdir()
    process, profile = _hold_scratch_folder(env)
    alive_process, alive_profile = _hold_scratch_folder(env)
    try:
        (profile / "History").write_text("file:///home/volunteer/report.html Youth Club report")
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert profile.is_dir()  # a killed process tidies nothing
        started = subprocess.run([sys.executable, "-m", "helpers", "list"], capture_output=True, text=True,
                                 env=env, cwd=KIT_ROOT, timeout=120)
        assert started.returncode == 0, started.stderr
        assert not profile.exists()
        assert mine.is_dir() and alive_profile.is_dir()  # not the kit's, or still in use
    finally:
        alive_process.kill()
        alive_process.wait()


def test_an_old_bundle_moved_aside_goes_back_if_the_swap_was_killed(tmp_path):
    bundle = tmp_path / "bundle"
    old = tmp_path / f".bundle.old-{_dead_pid()}"
    old.mkdir()
    (old / "report.html").write_text("the last good report")
    token = owned.mark(old, "bundle", files=["report.html"])
    entry = owned.track(old, token, restore_to=bundle)
    record = json.loads(entry.read_text())
    record["pid"] = int(old.name.rsplit("-", 1)[1])  # as if written by the killed run
    entry.write_text(json.dumps(record))
    owned.sweep_in_flight()
    assert (bundle / "report.html").read_text() == "the last good report" and not old.exists()
    assert not entry.exists()


def test_a_journal_entry_never_deletes_a_folder_that_lost_its_mark(tmp_path):
    folder = tmp_path / "somewhere"
    folder.mkdir()
    token = owned.mark(folder, "scratch")
    entry = owned.track(folder, token)
    record = json.loads(entry.read_text())
    record["pid"] = _dead_pid()
    entry.write_text(json.dumps(record))
    (folder / owned.MARKER_NAME).unlink()  # the volunteer reused the folder
    (folder / "mine.txt").write_text("keep")
    owned.sweep_in_flight()
    assert (folder / "mine.txt").exists()


def test_a_journal_that_is_damaged_is_left_alone(state_home):
    journal = state_home / "in-flight"
    journal.mkdir(parents=True)
    (journal / "x.json").write_text("not json")
    (journal / "y.json").write_text(json.dumps({"pid": "abc"}))
    assert owned.sweep_in_flight() == []


def test_the_key_is_private_and_made_once(state_home, tmp_path):
    owned.mark(tmp_path, "scratch")
    key = state_home / "marker-key"
    assert key.stat().st_mode & 0o077 == 0
    first = key.read_text()
    owned.mark(tmp_path, "scratch")
    assert key.read_text() == first


def test_the_sweep_is_quick_with_nothing_to_do(tmp_path):
    started = time.perf_counter()
    for _ in range(100):
        owned.sweep_in_flight()
    assert time.perf_counter() - started < 1.0
