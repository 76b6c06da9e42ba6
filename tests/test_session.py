"""The session workflow: start, run inside it, re-run next quarter, close down leaving nothing personal."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

MARKER = "Zqx" + "marker Personname"  # built so this file does not hold it whole


@pytest.fixture
def sessions_home(tmp_path, monkeypatch):
    home = tmp_path / "sessions-home"
    monkeypatch.setenv("SURGERY_SESSIONS_HOME", str(home))
    return home


def _tree_contains(folder, text):
    hits = []
    for path in folder.rglob("*"):
        if path.is_file() and text.encode() in path.read_bytes():
            hits.append(path)
    return hits


def _kit_files_containing(text):
    """Files of the kit's own folder (not its environment or git store) that hold ``text``."""
    from helpers.writing.playbook import KIT_ROOT

    skipped = {".venv", ".git", "test-artifacts", ".pytest_cache"}
    return [
        path for path in KIT_ROOT.rglob("*")
        if path.is_file() and not skipped & set(path.relative_to(KIT_ROOT).parts)
        and path.stat().st_size < 20_000_000 and text.encode() in path.read_bytes()
    ]


def test_a_whole_session_leaves_no_personal_data_behind(echo_playbooks, sessions_home, tmp_path, surgery):
    started = surgery("session", "start", "St Ann's Pantry")
    assert started.returncode == 0, started.stderr
    folder = next(sessions_home.glob("st-anns-pantry-*"))
    assert "Copy the charity's file into" in started.stdout and str(folder) in started.stdout

    charity_file = folder / "charity-files" / "clients.csv"
    charity_file.write_text(f"Amount,Name\n1,{MARKER}\n2,Bob Example\n", encoding="utf-8")
    run = surgery("run", "echo", "--data", charity_file, "--no-progress", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    bundle = next((folder / "bundles").iterdir())
    assert bundle.name.startswith("st-anns-pantry-echo-")  # the session's charity, in its bundles folder
    assert not (tmp_path / "reports").exists()
    assert _tree_contains(bundle, MARKER) == [bundle / "echo.csv"]  # the playbook's personal file only

    lab = surgery("lab", "--dry-run")
    assert lab.returncode == 0 and (folder / "work" / "playbooks" / "echo.ipynb").exists()

    refused = surgery("session", "close")  # no terminal to confirm at, no --yes
    assert refused.returncode == 2 and charity_file.exists()

    closed = surgery("session", "close", "--yes")
    assert closed.returncode == 0, closed.stderr
    assert str(charity_file) in closed.stdout  # says what it deleted
    assert "echo.csv" in closed.stdout and "personal data" in closed.stdout
    assert not (folder / "charity-files").exists() and not (folder / "work").exists()
    left = _tree_contains(folder, MARKER)
    assert left == [bundle / "echo.csv"]  # only the file named as personal, for the charity
    assert _kit_files_containing(MARKER) == []
    practice = surgery("lab", "--dry-run")  # no session is open now: the practice folder, on sample data
    assert practice.returncode == 0 and "No session is open" in practice.stdout and str(folder) not in practice.stdout


def test_hand_over_moves_the_bundles_and_deletes_the_session(echo_playbooks, sessions_home, tmp_path, surgery):
    assert surgery("session", "start", "Youth Club").returncode == 0
    folder = next(sessions_home.glob("youth-club-*"))
    data = folder / "charity-files" / "members.csv"
    data.write_text(f"Amount,Name\n3,{MARKER}\n", encoding="utf-8")
    assert surgery("run", "echo", "--data", data, "--no-progress").returncode == 0
    usb = tmp_path / "charity-usb"
    usb.mkdir()  # a plugged-in drive: the kit never creates the hand-over folder
    closed = surgery("session", "close", "--yes", "--hand-over", usb)
    assert closed.returncode == 0, closed.stderr
    assert not folder.exists()
    assert list(usb.rglob("report.html"))
    assert not _tree_contains(sessions_home, MARKER)


def test_rerun_repeats_the_settings_and_compares_with_last_time(echo_playbooks, small_csv, tmp_path, surgery):
    first = tmp_path / "q1"
    assert surgery("run", "echo", "--data", small_csv, "--out", first, "--charity", "Food Bank",
                   "-p", "scale", "3", "--no-progress").returncode == 0
    params = (first / "params.yaml").read_text()
    assert "playbook: echo" in params and "scale: 3.0" in params and "clients.csv" in params

    newer = tmp_path / "q2.csv"
    newer.write_text("Amount,Name\n1,A\n2,B\n3,C\n4,D\n", encoding="utf-8")
    second = tmp_path / "q2"
    result = surgery("rerun", first, "--data", newer, "--out", second, "--no-progress")
    assert result.returncode == 0, result.stderr
    summary = json.loads((second / "summary.json").read_text())
    assert summary["scale"] == 3.0  # same parameters as last time
    assert summary["provenance"]["charity"] == "Food Bank"
    assert summary["compared_with_previous"]["figures"]["rows"] == {
        "previous": 3, "now": 4, "change": 1, "percent_change": pytest.approx(33.333, abs=0.01)}
    report = (second / "report.html").read_text()
    assert "Compared with last time" in report and "rows: 4, up 33% on last time&#x27;s 3" in report.replace("'", "&#x27;")


def test_rerun_of_a_folder_that_is_not_a_bundle_exits_2(tmp_path, small_csv, surgery):
    result = surgery("rerun", tmp_path, "--data", small_csv)
    assert result.returncode == 2 and "not a report bundle" in result.stderr


def test_lab_serves_the_session_playbooks_on_this_machine_only(echo_playbooks, sessions_home, surgery):
    import os
    import re
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    assert surgery("session", "start", "Lab Check").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    lab = subprocess.Popen(
        [sys.executable, "-m", "helpers", "lab", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ),
    )
    try:
        token, deadline, seen = None, time.monotonic() + 90, []
        while token is None and time.monotonic() < deadline:
            line = lab.stdout.readline()
            seen.append(line)
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab[^\s]*\?token=(\w+)", line)
            token = found.group(1) if found else None
        assert token, "".join(seen)[-2000:]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/contents/work/playbooks",
                                         headers={"Authorization": f"token {token}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
        for attempt in range(20):  # the URL can be printed a moment before the socket accepts
            try:
                listing = opener.open(request, timeout=30).read().decode()
                break
            except urllib.error.URLError:
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab printed its address but never answered")
        assert "echo.ipynb" in listing
    finally:
        lab.terminate()
        lab.wait(timeout=30)
