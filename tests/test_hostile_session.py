"""Closing a session with careless hands (issue 10): the hand-over never loses or strands data.

Every refusal happens before anything is deleted; the copy is verified before the session goes;
links are never followed out of the session; only the session's own folders are touched.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections import namedtuple
from pathlib import Path

import pytest

from helpers.errors import InputProblem
from helpers.spine import session as sessions

Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def sessions_home(tmp_path, monkeypatch):
    home = tmp_path / "sessions-home"
    monkeypatch.setenv("SURGERY_SESSIONS_HOME", str(home))
    return home


@pytest.fixture
def session(sessions_home):
    """A session with a charity file, a working copy and one bundle, made by hand (no run needed)."""
    started = sessions.start_session("Youth Club")
    (started.data_dir / "members.csv").write_text("Name\nAnn\n", encoding="utf-8")
    (started.work_dir / "scratch.csv").write_text("Name\nAnn\n", encoding="utf-8")
    bundle = started.bundles_dir / "youth-club-health-check-2026-11-26"
    bundle.mkdir()
    (bundle / "report.html").write_text("<p>report</p>", encoding="utf-8")
    (bundle / "cleaned.xlsx").write_bytes(os.urandom(200_000))
    (bundle / "params.yaml").write_text("playbook: health-check\n", encoding="utf-8")
    return started


def _everything(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _mount_tmpfs(folder: Path, size: str, read_only: bool = False) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def mounts():
    made = []

    def mount(folder, size, read_only=False):
        if _mount_tmpfs(folder, size, read_only):
            made.append(folder)
            return True
        return False

    yield mount
    for folder in made:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_missing_drive_is_an_error_naming_the_path_and_nothing_is_deleted(session, tmp_path, surgery):
    before = _everything(session.folder)
    usb = tmp_path / "media" / "CHARITY-USB"
    closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", usb)
    assert closed.returncode == 2
    assert str(usb) in closed.stderr and "does not exist" in closed.stderr
    assert "Traceback" not in closed.stderr + closed.stdout
    assert not usb.exists() and not usb.parent.exists()  # never created
    assert _everything(session.folder) == before


def test_a_file_where_the_folder_should_be_is_refused(session, tmp_path, surgery):
    before = _everything(session.folder)
    usb = tmp_path / "usb"
    usb.write_text("not a folder")
    closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", usb)
    assert closed.returncode == 2 and "is a file" in closed.stderr and "Traceback" not in closed.stderr
    assert _everything(session.folder) == before


def test_a_read_only_drive_is_refused_before_anything_is_deleted(session, tmp_path, surgery, mounts):
    usb = tmp_path / "ro-usb"
    if not mounts(usb, "1m", read_only=True):
        usb = Path("/sys")  # refuses writes even for root where mounting is not allowed
    before = _everything(session.folder)
    closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", usb)
    assert closed.returncode == 2, closed.stderr
    assert "cannot write" in closed.stderr and "Nothing was deleted" in closed.stderr
    assert _everything(session.folder) == before


def test_a_full_drive_is_refused_before_anything_is_deleted(session, tmp_path, surgery, mounts, monkeypatch):
    usb = tmp_path / "small-usb"
    if not mounts(usb, "64k"):
        usb.mkdir()
        monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(100_000, 90_000, 10_000))
        with pytest.raises(InputProblem, match="bytes free"):
            sessions.close_session(session, {})
    else:
        closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", usb)
        assert closed.returncode == 2 and "bytes free" in closed.stderr and "Traceback" not in closed.stderr
    assert (session.data_dir / "members.csv").exists()
    assert not [p for p in usb.iterdir()]


def test_room_is_checked_at_the_boundary(session, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    needed = sum(p.stat().st_size for p in session.bundles_dir.rglob("*") if p.is_file())
    just_enough = needed + sessions.HAND_OVER_MARGIN
    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(10**9, 0, just_enough - 1))
    with pytest.raises(InputProblem, match=f"{just_enough - 1:,} bytes free"):
        sessions.check_hand_over_folder(usb, needed)
    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(10**9, 0, just_enough))
    assert sessions.check_hand_over_folder(usb, needed) == usb


def test_a_disk_that_fills_during_the_copy_deletes_nothing_and_a_retry_works(session, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    before = _everything(session.folder)
    real_copy = shutil.copyfile
    calls = []

    def copy_then_fill(source, target, **kwargs):
        calls.append(source)
        if len(calls) == 2:
            Path(target).write_bytes(b"")  # a zero-length partial copy, as a full disk leaves
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source, target, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy_then_fill)
    with pytest.raises(InputProblem, match="No space left on device.*nothing was deleted"):
        sessions.close_session(session, {"health-check": ["cleaned.xlsx"]}, hand_over_to=usb)
    assert _everything(session.folder) == before
    assert list(usb.iterdir()) == []  # the partial copy was removed

    monkeypatch.setattr(shutil, "copyfile", real_copy)
    report = sessions.close_session(session, {"health-check": ["cleaned.xlsx"]}, hand_over_to=usb)
    assert not session.folder.exists()
    copied = usb / session.folder.name
    assert _everything(copied) == {k.removeprefix("bundles/"): v for k, v in before.items()
                                   if k.startswith("bundles/")}
    assert report.personal_files == [copied / "youth-club-health-check-2026-11-26" / "cleaned.xlsx"]


def test_a_copy_that_differs_from_the_original_is_caught(session, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    real_copy = shutil.copyfile

    def corrupting_copy(source, target, **kwargs):
        real_copy(source, target, **kwargs)
        data = bytearray(Path(target).read_bytes())
        data[0] ^= 1  # same size, different content: only the checksum notices
        Path(target).write_bytes(bytes(data))

    monkeypatch.setattr(shutil, "copyfile", corrupting_copy)
    with pytest.raises(InputProblem, match="differs from the original"):
        sessions.close_session(session, {}, hand_over_to=usb)
    assert (session.data_dir / "members.csv").exists() and list(usb.iterdir()) == []


def test_an_earlier_hand_over_of_the_same_name_is_kept(session, tmp_path):
    usb = tmp_path / "usb"
    (usb / session.folder.name).mkdir(parents=True)
    (usb / session.folder.name / "older.txt").write_text("keep me")
    sessions.close_session(session, {}, hand_over_to=usb)
    assert (usb / session.folder.name / "older.txt").read_text() == "keep me"
    assert (usb / f"{session.folder.name}-2" / "youth-club-health-check-2026-11-26" / "report.html").exists()


def test_links_in_bundles_are_not_followed_and_deleted_links_are_listed_as_links(session, tmp_path):
    outside = tmp_path / "volunteer-documents"
    outside.mkdir()
    (outside / "private.txt").write_text("the volunteer's own file")
    (session.bundles_dir / "docs").symlink_to(outside, target_is_directory=True)
    (session.data_dir / "linked.txt").symlink_to(outside / "private.txt")
    usb = tmp_path / "usb"
    usb.mkdir()
    report = sessions.close_session(session, {}, hand_over_to=usb)
    assert (outside / "private.txt").read_text() == "the volunteer's own file"
    assert not list(usb.rglob("private.txt"))
    assert not [p for p in report.deleted if p.name == "private.txt" or "docs" in p.parts]
    assert sorted(p.name for p in report.links) == ["docs", "linked.txt"]


@pytest.mark.parametrize("which", ["data_dir", "bundles_dir", "work_dir"])
def test_a_session_folder_that_is_a_link_is_refused_and_nothing_deleted(session, tmp_path, which, surgery):
    outside = tmp_path / "elsewhere"
    real = getattr(session, which)
    shutil.move(real, outside)
    real.symlink_to(outside, target_is_directory=True)
    before = _everything(outside)
    closed = surgery("session", "close", "--yes", "--session", session.folder)
    assert closed.returncode == 2 and "is a link" in closed.stderr and "Traceback" not in closed.stderr
    assert _everything(outside) == before and before
    assert (session.folder / sessions.SESSION_FILE).exists()


def test_close_touches_only_the_session_not_the_kits_own_output(session, tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    scratch = kit / "playbooks" / "output"
    scratch.mkdir(parents=True)
    (scratch / "another-run.csv").write_text("not this session's")
    monkeypatch.setattr(sessions, "KIT_ROOT", kit)
    report = sessions.close_session(session, {})
    assert (scratch / "another-run.csv").exists()
    assert any(str(scratch) in note for note in report.notes)
    assert not session.data_dir.exists() and not session.work_dir.exists()
    assert (session.bundles_dir / "youth-club-health-check-2026-11-26" / "report.html").exists()


def test_the_terminal_names_the_folder_made_on_the_drive(session, tmp_path, surgery):
    usb = tmp_path / "usb"
    usb.mkdir()
    closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", usb)
    assert closed.returncode == 0, closed.stderr
    assert f"Kept 3 files for the charity in {usb / session.folder.name}." in closed.stdout


# --- issue 21: the hand-over never lands inside the session; close deletes only the kit's own ---------

@pytest.mark.parametrize("where", ["bundles", "session", "inside-bundle", "sessions-home"])
def test_a_hand_over_inside_the_session_or_holding_it_is_refused_before_anything(session, where, surgery):
    """`session close --yes --hand-over <the session's own bundles folder>` once said "Kept 7 files"
    and then deleted the whole session, copy included."""
    destination = {"bundles": session.bundles_dir, "session": session.folder,
                   "inside-bundle": session.bundles_dir / "youth-club-health-check-2026-11-26",
                   "sessions-home": session.folder.parent}[where]
    before = _everything(session.folder)
    closed = surgery("session", "close", "--yes", "--session", session.folder, "--hand-over", destination)
    assert closed.returncode == 2, closed.stdout + closed.stderr
    assert "closing deletes the whole session" in closed.stderr and "Nothing was copied or deleted" in closed.stderr
    assert "Traceback" not in closed.stderr and "Kept" not in closed.stdout
    assert _everything(session.folder) == before


def test_a_hand_over_through_a_link_into_the_session_is_refused(session, tmp_path):
    link = tmp_path / "looks-like-a-usb-stick"
    link.symlink_to(session.bundles_dir, target_is_directory=True)
    before = _everything(session.folder)
    with pytest.raises(InputProblem, match="is inside the session folder"):
        sessions.close_session(session, {}, hand_over_to=link)
    assert _everything(session.folder) == before


def test_the_inside_check_comes_before_the_copy(session, monkeypatch):
    copied = []
    monkeypatch.setattr(sessions, "_copy_verified", lambda *args: copied.append(args) or [])
    with pytest.raises(InputProblem):
        sessions.hand_over(session, session.bundles_dir)
    assert copied == []


def test_a_folder_without_the_kits_session_mark_is_never_deleted(sessions_home, tmp_path, surgery):
    """A pointer to a folder the kit did not make (a hand-written session.json in the volunteer's documents)."""
    documents = tmp_path / "documents"
    for name in ("charity-files", "work", "bundles"):
        (documents / name).mkdir(parents=True)
    (documents / "charity-files" / "letters.docx").write_text("the volunteer's own letters")
    (documents / sessions.SESSION_FILE).write_text(json.dumps({"charity": "X", "started": "2026-01-01"}))
    sessions_home.mkdir(parents=True, exist_ok=True)
    (sessions_home / ".current").write_text(str(documents))
    before = _everything(documents)
    closed = surgery("session", "close", "--yes")
    assert closed.returncode == 2 and "does not bear the mark" in closed.stderr and "Nothing was deleted" in closed.stderr
    assert _everything(documents) == before


@pytest.mark.parametrize("record", ["{broken", "[]", '{"charity": ["Club"], "started": 1}', '{"started": "x"}',
                                    '{"charity": "' + "[" * 100_000 + '"}', "\x00\xff"])
def test_a_broken_or_tampered_session_json_is_a_sentence(session, record, small_csv, tmp_path, surgery):
    (session.folder / sessions.SESSION_FILE).write_text(record, encoding="utf-8", errors="surrogateescape")
    run = surgery("run", "health-check", "--data", small_csv, "--out", tmp_path / "b", "--no-progress")
    closed = surgery("session", "close", "--yes")
    for result in (run, closed):
        assert result.returncode == 2, result.stderr
        assert "is damaged or was edited" in result.stderr and "Traceback" not in result.stderr
    assert (session.data_dir / "members.csv").exists()


def test_close_clears_a_killed_runs_leftovers(sessions_home, tmp_path, monkeypatch):
    from helpers.spine import owned

    monkeypatch.setenv("SURGERY_STATE_HOME", str(tmp_path / "state"))
    started = sessions.start_session("Youth Club")
    dead = subprocess.Popen(["true"])
    dead.wait()
    partial = started.bundles_dir / f".club-echo.partial-{dead.pid}"
    partial.mkdir()
    (partial / "deduplicated.xlsx").write_text("a charity's contacts")
    owned.mark(partial, "bundle")
    profile = tmp_path / "surgery-chromium-abc"
    profile.mkdir()
    entry = owned.track(profile, owned.mark(profile, "scratch"))
    entry.write_text(entry.read_text().replace(f'"pid": {os.getpid()}', f'"pid": {dead.pid}'))
    look_alike = started.bundles_dir / f".notes.partial-{dead.pid}"
    look_alike.mkdir()  # the volunteer's, unmarked
    sessions.close_session(started, {})
    assert not partial.exists() and not profile.exists() and look_alike.exists()


def test_a_look_alike_of_a_failed_hand_over_on_the_drive_is_kept(session, tmp_path):
    usb = tmp_path / "usb"
    theirs = usb / f".{session.folder.name}.partial-1"  # the charity's own folder, not a copy the kit began
    theirs.mkdir(parents=True)
    (theirs / "minutes.docx").write_text("the charity's")
    sessions.close_session(session, {}, hand_over_to=usb)
    assert (theirs / "minutes.docx").exists()
    copied = usb / session.folder.name
    assert not list(copied.rglob(".surgery-kit-owned"))  # the handed-over copy carries no mark
