"""Careless hands on the command line (issue 10): each case ends with exit 2 (or 1 where the
playbook itself failed), a sentence saying what happened and what to do, an error report where a
run started, no traceback, and the charity's file unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.spine.execute import KERNEL_DIED, KERNEL_SILENT

KIT_ROOT = Path(__file__).parent.parent


def _no_traceback(result):
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_out_pointing_at_a_file_is_refused(echo_playbooks, small_csv, tmp_path, surgery):
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    result = surgery("run", "echo", "--data", small_csv, "--out", target, "--no-progress")
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr
    _no_traceback(result)
    assert target.read_text() == "mine"


def test_out_at_the_top_of_the_disk_is_refused_in_its_own_words(echo_playbooks, small_csv, surgery):
    result = surgery("run", "echo", "--data", small_csv, "--out", "/", "--overwrite", "--no-progress")
    assert result.returncode == 2 and "not a folder the kit can use" in result.stderr
    assert "earlier run" not in result.stderr
    _no_traceback(result)


def test_out_where_nothing_can_be_written_is_refused(echo_playbooks, small_csv, surgery):
    result = surgery("run", "echo", "--data", small_csv, "--out", "/proc/surgery-bundle", "--no-progress")
    assert result.returncode == 2 and "cannot write the bundle folder" in result.stderr
    _no_traceback(result)


def test_a_pdf_that_cannot_be_printed_keeps_the_html_report(echo_playbooks, small_csv, tmp_path, monkeypatch):
    from helpers.spine import pdf, runner

    def broken_printer(_html, _pdf):
        raise OSError("the browser crashed")

    monkeypatch.setattr(pdf, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(pdf, "print_to_pdf", broken_printer)
    outcome = runner.run_playbook("echo", small_csv, out=tmp_path / "b", pdf=True, progress_bar=False)
    assert outcome.exit_code == 1 and "could not be printed" in outcome.message
    assert "could not be finished" not in (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert str(tmp_path / "b") in outcome.message and ".partial-" not in outcome.message


def test_overwrite_never_replaces_a_folder_that_is_not_a_bundle(echo_playbooks, small_csv, tmp_path, surgery):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.docx").write_text("years of work")
    result = surgery("run", "echo", "--data", small_csv, "--out", documents, "--overwrite", "--no-progress")
    assert result.returncode == 2 and "not a report bundle" in result.stderr
    assert sorted(p.name for p in documents.iterdir()) == ["thesis.docx"]


def test_overwrite_replaces_the_whole_bundle(echo_playbooks, small_csv, tmp_path, surgery):
    out = tmp_path / "bundle"
    assert surgery("run", "echo", "--data", small_csv, "--out", out, "--no-progress").returncode == 0
    (out / "report.html").write_text("an earlier report, to be replaced")
    again = surgery("run", "echo", "--data", small_csv, "--out", out, "--overwrite", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "to be replaced" not in (out / "report.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bundle", "charity data"])  # no staging left


def test_overwrite_never_replaces_a_bundle_holding_a_file_it_did_not_write(echo_playbooks, small_csv, tmp_path,
                                                                          surgery):
    out = tmp_path / "bundle"
    assert surgery("run", "echo", "--data", small_csv, "--out", out, "--no-progress").returncode == 0
    (out / "notes-from-the-meeting.docx").write_text("the volunteer's own notes, saved in the bundle")
    again = surgery("run", "echo", "--data", small_csv, "--out", out, "--overwrite", "--no-progress")
    assert again.returncode == 2 and "not only the files its bundle wrote" in again.stderr
    assert (out / "notes-from-the-meeting.docx").exists()


def test_a_second_run_into_the_same_out_is_refused_while_the_first_writes(echo_playbooks, small_csv, tmp_path):
    out = tmp_path / "bundle"
    command = [sys.executable, "-m", "helpers", "run", "echo", "--data", str(small_csv), "--out", str(out),
               "--no-progress"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / ".bundle.surgery-lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 2 and "Another run is writing" in second.stderr
    _no_traceback(second)
    assert json.loads((out / "summary.json").read_text())["provenance"]["input_file"] == "clients.csv"
    assert not lock.exists()


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(echo_playbooks, small_csv, tmp_path, surgery):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".bundle.surgery-lock").write_text(str(dead.pid))
    result = surgery("run", "echo", "--data", small_csv, "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 0, result.stderr


def test_a_very_long_charity_name_gives_a_short_folder_name(echo_playbooks, small_csv, tmp_path, surgery):
    charity = "The Friends of the Community Garden " * 9  # over 300 characters
    assert len(charity) > 300
    result = surgery("run", "echo", "--data", small_csv, "--charity", charity, "--no-progress", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = next((tmp_path / "reports").iterdir())
    assert len(folder.name) <= 60 + len("-echo-2026-11-26")
    assert json.loads((folder / "summary.json").read_text())["provenance"]["charity"] == charity


@pytest.mark.parametrize("name, option", [("output_dir", "--out"), ("data_file", "--data"),
                                          ("charity_name", "--charity"), ("sheet", "--sheet")])
def test_runner_parameters_given_with_p_are_refused_in_words(echo_playbooks, small_csv, tmp_path, name, option,
                                                             surgery):
    result = surgery("run", "echo", "--data", small_csv, "-p", name, "x", "--out", tmp_path / "b", "--no-progress")
    assert result.returncode == 2 and f"Use {option} x instead" in result.stderr
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("value, code", [("0", 2), ("1", 0), ("100", 0), ("101", 2), ("10000", 2)])
def test_a_number_outside_its_declared_range_is_refused_before_the_run(echo_playbooks, small_csv, tmp_path,
                                                                        value, code, surgery):
    result = surgery("run", "echo", "--data", small_csv, "-p", "repeat", value, "--out", tmp_path / "b",
                     "--no-progress")
    assert result.returncode == code, result.stderr
    if code == 2:
        assert "repeat must be from 1 to 100" in result.stderr and not (tmp_path / "b").exists()


def test_horizon_weeks_declares_its_range():
    from helpers.spine.catalogue import find_playbook
    from helpers.spine.parameters import read_parameters

    weeks = read_parameters(find_playbook("food-bank-demand").path)["horizon_weeks"]
    assert weeks.bounds is not None and weeks.bounds[1] < 10000


def test_rerun_of_a_bundle_with_a_damaged_summary_is_refused_before_the_run(echo_playbooks, small_csv, tmp_path,
                                                                          surgery):
    first = tmp_path / "first"
    assert surgery("run", "echo", "--data", small_csv, "--out", first, "--no-progress").returncode == 0
    (first / "summary.json").write_text('{"provenance": {"run_date": "2026-')  # cut short
    started = time.monotonic()
    result = surgery("rerun", first, "--data", small_csv, "--out", tmp_path / "second", "--no-progress")
    assert result.returncode == 2 and "summary.json" in result.stderr and "damaged" in result.stderr
    assert not (tmp_path / "second").exists()
    _no_traceback(result)
    assert time.monotonic() - started < 30  # refused at once, not after a whole run


def test_rerun_of_a_bundle_with_damaged_settings_is_refused(echo_playbooks, small_csv, tmp_path, surgery):
    first = tmp_path / "first"
    assert surgery("run", "echo", "--data", small_csv, "--out", first, "--no-progress").returncode == 0
    (first / "params.yaml").write_text("playbook: [unclosed\n")
    result = surgery("rerun", first, "--data", small_csv, "--no-progress")
    assert result.returncode == 2 and "params.yaml" in result.stderr
    _no_traceback(result)


def test_a_dead_kernel_leaves_an_error_report_about_memory(echo_playbooks, small_csv, tmp_path, surgery):
    before = _sha(small_csv)
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "-p", "fail_with", "die", "--out", out, "--no-progress")
    assert result.returncode == 2
    assert "too big for this machine's memory" in result.stderr
    assert "Kernel died" not in result.stderr  # papermill's own line: the sentence above says it
    _no_traceback(result)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "too big for this machine" in page and "could not be finished" in page
    assert json.loads((out / "summary.json").read_text())["error"]["message"] == KERNEL_DIED
    assert _sha(small_csv) == before


def test_a_kernel_that_cannot_answer_is_explained(echo_playbooks, small_csv, tmp_path):
    """No loopback network (a new network namespace with ``lo`` down): the kernel cannot be reached."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("this test needs `unshare -n` (util-linux, run as root)")
        pytest.skip("cannot make a network namespace here")
    out = tmp_path / "bundle"
    env = {**os.environ, "SURGERY_KERNEL_START_TIMEOUT": "8"}
    result = subprocess.run(["unshare", "-n", sys.executable, "-m", "helpers", "run", "echo", "--data",
                             str(small_csv), "--out", str(out), "--no-progress"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 2 and KERNEL_SILENT in result.stderr
    assert "Error occurred" not in result.stderr
    _no_traceback(result)
    assert "did not start or did not answer" in (out / "report.html").read_text(encoding="utf-8")


def test_an_unexpected_error_is_a_sentence_not_a_traceback(tmp_path, monkeypatch, capsys):
    from helpers.spine import cli

    def broken(_args):
        raise KeyError("surprise")

    monkeypatch.setitem(cli.COMMANDS, "list", broken)
    monkeypatch.delenv("SURGERY_DEBUG", raising=False)
    assert cli.main(["list"]) == 1
    said = capsys.readouterr().err
    assert "KeyError" in said and "SURGERY_DEBUG=1" in said and "Traceback" not in said


def test_code_in_parameter_values_never_runs(echo_playbooks, small_csv, tmp_path, surgery):
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    result = surgery("run", "echo", "--data", small_csv, "-p", "fail_with", code, "--charity", code,
                     "--out", tmp_path / "b", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("weeks, refused", [("104", False), ("105", True), ("10000", True), ("0", True)])
def test_a_food_bank_horizon_out_of_range_is_refused_before_any_cell_runs(tmp_path, weeks, refused, surgery):
    from helpers.spine.catalogue import find_playbook

    out = tmp_path / "b"
    if not refused:  # the check passes; stop the run at the bundle folder instead of forecasting
        out.write_text("a file, so the run stops right after the parameter check")
    result = surgery("run", "food-bank-demand", "--data", find_playbook("food-bank-demand").folder.parent
                     / "datasets" / "foodbank-visits.csv", "-p", "horizon_weeks", weeks, "--out", out)
    assert result.returncode == 2
    assert ("horizon_weeks must be from 1 to 104" in result.stderr) is refused
    _no_traceback(result)


# --- issue 21: nothing lost, nothing linked, nothing hangs --------------------------------------

def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _measured(args, cwd=None, env=None):
    """Run the ``surgery`` command; return the result, its wall time (s) and its peak memory (MiB).

    The peak is the child's own ``ru_maxrss`` from ``wait4``, so nothing else the tests ran counts.
    """
    import tempfile
    from types import SimpleNamespace

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "helpers", *map(str, args)], stdout=out, stderr=err,
                                 cwd=cwd or KIT_ROOT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        result = SimpleNamespace(returncode=os.waitstatus_to_exitcode(status), stdout=out.read().decode(),
                                 stderr=err.read().decode())
    print(f"{' '.join(map(str, args[:2]))}: {seconds:.2f} s, peak {usage.ru_maxrss / 1024:.0f} MiB")
    return result, seconds, usage.ru_maxrss / 1024


def test_the_users_dot_old_folder_beside_out_survives_a_run(tmp_path, surgery):
    """`mkdir -p X/.vim.old-20240101; surgery run health-check ... --out X/bundle` once deleted it."""
    user = tmp_path / "X" / ".vim.old-20240101"
    user.mkdir(parents=True)
    (user / "undo-history").write_text("the volunteer's editor files")
    result = surgery("run", "health-check", "--data", KIT_ROOT / "datasets" / "register.xlsx",
                     "--out", tmp_path / "X" / "bundle", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert (user / "undo-history").read_text() == "the volunteer's editor files"


def test_a_folder_with_precious_files_and_a_report_survives_overwrite(echo_playbooks, small_csv, tmp_path,
                                                                      surgery):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "precious.txt").write_text("years of work")
    (folder / "report.html").write_text("<html>my own report</html>")
    before = _tree(folder)
    result = surgery("run", "echo", "--data", small_csv, "--out", folder, "--overwrite", "--no-progress")
    assert result.returncode == 2 and "not a report bundle from the kit" in result.stderr
    _no_traceback(result)
    assert _tree(folder) == before


def test_the_input_file_inside_the_bundle_to_overwrite_is_refused_and_kept(echo_playbooks, small_csv, tmp_path,
                                                                           surgery):
    """`--data bundle/cleaned.xlsx --out bundle --overwrite` once deleted its own input (exit 1)."""
    bundle = tmp_path / "bundle"
    assert surgery("run", "echo", "--data", small_csv, "--out", bundle, "--no-progress").returncode == 0
    data = bundle / "echo.csv"  # a file the bundle wrote, given back as the next run's input
    before = _tree(bundle)
    result = surgery("run", "echo", "--data", data, "--out", bundle, "--overwrite", "--no-progress")
    assert result.returncode == 2, result.stderr
    assert "input file 'echo.csv' is inside the --out folder" in result.stderr
    _no_traceback(result)
    assert _tree(bundle) == before


def test_the_input_file_reached_through_a_link_is_protected_too(echo_playbooks, small_csv, tmp_path, surgery):
    bundle = tmp_path / "bundle"
    assert surgery("run", "echo", "--data", small_csv, "--out", bundle, "--no-progress").returncode == 0
    link = tmp_path / "latest.csv"
    link.symlink_to(bundle / "echo.csv")
    result = surgery("run", "echo", "--data", link, "--out", bundle, "--overwrite", "--no-progress")
    assert result.returncode == 2 and "inside the --out folder" in result.stderr
    assert (bundle / "echo.csv").exists()


def _write_fails_for_the_report(real, *, silently):
    """A stand-in for ``write_whole`` that behaves like a full disk when the report is written."""
    import errno

    def write(path, text):
        if Path(path).name != "report.html":
            return real(path, text)
        if silently:  # a writer that does not notice: half the report, no error
            Path(path).write_text(text[: len(text) // 2], encoding="utf-8")
            return None
        Path(path).write_bytes(b"")
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


@pytest.mark.parametrize("silently", [False, True], ids=["error-raised", "cut-short-silently"])
def test_a_report_cut_short_by_a_full_disk_never_replaces_the_last_bundle(echo_playbooks, small_csv, tmp_path,
                                                                           monkeypatch, silently):
    from helpers.spine import runner

    out = tmp_path / "bundle"
    assert runner.run_playbook("echo", small_csv, out=out, progress_bar=False).exit_code == 0
    before = _tree(out)
    monkeypatch.setattr(runner, "write_whole", _write_fails_for_the_report(runner.write_whole, silently=silently))
    outcome = runner.run_playbook("echo", small_csv, out=out, overwrite=True, progress_bar=False)
    assert outcome.exit_code == 2 and outcome.bundle is None
    assert "could not be written in full" in outcome.message
    assert f"the earlier bundle in '{out}' is as it was" in outcome.message
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "charity data"]  # no staging left


def test_a_really_full_disk_keeps_the_last_bundle(echo_playbooks, small_csv, tmp_path, surgery):
    """A small tmpfs (where this machine lets the tests mount one): the disk fills during the second run."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); the fault-injection test covers the rule")
    try:
        out = disk / "bundle"
        first = surgery("run", "echo", "--data", small_csv, "--out", out, "--no-progress")
        assert first.returncode == 0, first.stderr
        before = _tree(out)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"x" * max(0, free - 20_000))  # a few kB left: less than a bundle
        second = surgery("run", "echo", "--data", small_csv, "--out", out, "--overwrite", "--no-progress")
        assert second.returncode == 2, second.stdout + second.stderr
        assert "could not be written in full" in second.stderr and "An error report was written" not in second.stderr
        _no_traceback(second)
        assert _tree(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["bundle", "filler"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_out_a_link_to_an_empty_folder_is_refused_in_words(echo_playbooks, small_csv, tmp_path, surgery):
    empty = tmp_path / "empty"
    empty.mkdir()
    link = tmp_path / "link"
    link.symlink_to(empty, target_is_directory=True)
    result = surgery("run", "echo", "--data", small_csv, "--out", link, "--no-progress")
    assert result.returncode == 2 and "is a link to" in result.stderr
    _no_traceback(result)
    assert link.is_symlink() and list(empty.iterdir()) == []


def test_out_with_a_300_character_name_is_refused_in_words(echo_playbooks, small_csv, tmp_path, surgery):
    result = surgery("run", "echo", "--data", small_csv, "--out", tmp_path / ("b" * 300), "--no-progress")
    assert result.returncode == 2 and "Give a shorter --out folder name" in result.stderr
    _no_traceback(result)


def test_the_kernel_keeps_no_history_of_what_it_ran(echo_playbooks, small_csv, tmp_path, surgery):
    """IPython's history.sqlite once kept every run's charity name, data path and code."""
    ipython = tmp_path / "ipython"
    result = surgery("run", "echo", "--data", small_csv, "--charity", "Zqx History Charity", "--out",
                     tmp_path / "b", "--no-progress", env={"IPYTHONDIR": str(ipython)})
    assert result.returncode == 0, result.stderr
    assert not list(ipython.rglob("history.sqlite*"))
    for path in (p for p in ipython.rglob("*") if p.is_file()):
        assert b"Zqx History Charity" not in path.read_bytes()


def test_a_killed_runs_staging_folder_goes_when_the_kit_next_starts(echo_playbooks, small_csv, tmp_path,
                                                                    surgery, monkeypatch):
    import signal

    monkeypatch.setenv("SURGERY_STATE_HOME", str(tmp_path / "state"))
    out = tmp_path / "bundle"
    run = subprocess.Popen([sys.executable, "-m", "helpers", "run", "echo", "--data", str(small_csv), "--out",
                            str(out), "--no-progress"], cwd=KIT_ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".bundle.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)  # the runner and its kernel, as a closed terminal would
    run.wait()
    left = list(tmp_path.glob(".bundle.partial-*"))
    assert left, "the run finished before it could be killed"
    (left[0] / "deduplicated.xlsx").write_text("a charity's contacts")
    listed = surgery("list")
    assert listed.returncode == 0, listed.stderr
    assert not list(tmp_path.glob(".bundle.partial-*"))


def test_two_demos_started_together_both_succeed(echo_playbooks, small_csv, tmp_path):
    playbooks = tmp_path / "playbooks"  # the echo playbook with its sample data beside it, as a demo needs
    shutil.copytree(echo_playbooks, playbooks)
    shutil.copy(small_csv, playbooks / "data.csv")
    command = [sys.executable, "-m", "helpers", "demo", "--no-progress"]
    env = {**os.environ, "SURGERY_PLAYBOOKS": str(playbooks)}
    first, second = (subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=env) for _ in range(2))
    said = [process.communicate(timeout=600) for process in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, said
    folders = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert len(folders) == 2 and all((tmp_path / "reports" / f / "echo" / "report.html").exists() for f in folders)


def test_a_second_demo_into_the_same_folder_says_so(echo_playbooks, tmp_path, surgery):
    out = tmp_path / "demo"
    (tmp_path / ".demo.surgery-demo-lock").write_text(str(os.getpid()))  # a demo still running
    result = surgery("demo", "--out", out, "--no-progress")
    assert result.returncode == 2 and "Another surgery demo is writing into" in result.stderr
    _no_traceback(result)


def _handmade_bundle(folder, parameters, summary=None):
    """An earlier bundle as rerun reads it: params.yaml and summary.json (what a volunteer could edit)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "params.yaml").write_text(yaml.safe_dump({"playbook": "echo", "data_file": "clients.csv",
                                                         "sheet": None, "charity": "Club",
                                                         "parameters": parameters}))
    (folder / "summary.json").write_text(json.dumps(summary or {"rows": 3, "provenance": {}}))
    return folder


def test_rerun_never_reads_a_file_outside_the_bundle_named_in_params_yaml(echo_playbooks, small_csv, tmp_path,
                                                                         surgery):
    private = tmp_path / "someone-elses-stock.csv"
    private.write_text("Item,Quantity\nZqx private line,1\n")
    bundle = _handmade_bundle(tmp_path / "earlier", {"stock_on_hand_file": str(private)})
    result = surgery("rerun", bundle, "--data", small_csv, "--out", tmp_path / "again", "--no-progress")
    assert result.returncode == 2
    assert "stock_on_hand_file" in result.stderr and "a file outside the bundle" in result.stderr
    assert "-p stock_on_hand_file PATH" in result.stderr and "Zqx private" not in result.stdout + result.stderr
    _no_traceback(result)
    assert not (tmp_path / "again").exists()


def test_rerun_says_which_files_it_reads(tmp_path):
    from helpers.spine.runner import rerun_parameters

    bundle = _handmade_bundle(tmp_path / "earlier", {"stock_on_hand_file": "stock.csv", "scale": 2.0})
    (bundle / "stock.csv").write_text("Item,Quantity\n")
    parameters, lines = rerun_parameters(bundle, {"parameters": {"stock_on_hand_file": "stock.csv"}}, {})
    assert lines == [f"stock_on_hand_file: {(bundle / 'stock.csv').resolve()} (inside the earlier bundle)"]
    escape = {"parameters": {"stock_on_hand_file": "../../etc/passwd"}}
    with pytest.raises(Exception, match="outside the bundle"):
        rerun_parameters(bundle, escape, {})
    parameters, lines = rerun_parameters(bundle, escape, {"stock_on_hand_file": "/new/stock.csv"})
    assert parameters["stock_on_hand_file"] == "/new/stock.csv"
    assert lines == ["stock_on_hand_file: /new/stock.csv (named on the command line)"]


#: Ten lines that expand to 10**9 items if aliases are followed (the "billion laughs").
ALIAS_BOMB = "\n".join(["playbook: echo", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
                       + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
                       + ["parameters: {scale: *a8}"]) + "\n"


def test_an_alias_bomb_in_params_yaml_is_refused_quickly(echo_playbooks, tmp_path, small_csv):
    """Before, the ten lines loaded (PyYAML shares the repeated parts) and the run expanded them: over 6 GiB."""
    bundle = _handmade_bundle(tmp_path / "earlier", {})
    (bundle / "params.yaml").write_text(ALIAS_BOMB)
    result, seconds, peak_mib = _measured(["rerun", bundle, "--data", small_csv, "--no-progress"])
    assert result.returncode == 2 and "YAML alias" in result.stderr, result.stderr
    _no_traceback(result)
    assert seconds < 30 and peak_mib < 1024


def test_a_100000_deep_summary_json_is_refused_quickly(echo_playbooks, tmp_path, small_csv):
    bundle = _handmade_bundle(tmp_path / "earlier", {})
    (bundle / "summary.json").write_text('{"rows": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result, seconds, peak_mib = _measured(["rerun", bundle, "--data", small_csv, "--no-progress"])
    assert result.returncode == 2 and "summary.json" in result.stderr and "damaged" in result.stderr
    _no_traceback(result)
    assert seconds < 30 and peak_mib < 1024


@pytest.mark.parametrize("yaml_text", ["repeat: [1, 2, 3]", "repeat: {a: 1}", "scale: .nan", "repeat: true",
                                       "repeat: 2.5"])
def test_a_parameter_of_the_wrong_type_in_params_yaml_is_a_sentence(echo_playbooks, tmp_path, small_csv, surgery,
                                                                    yaml_text):
    import yaml

    bundle = _handmade_bundle(tmp_path / "earlier", yaml.safe_load(yaml_text))
    result = surgery("rerun", bundle, "--data", small_csv, "--out", tmp_path / "again", "--no-progress")
    assert result.returncode == 2, result.stderr
    name = yaml_text.split(":")[0]
    assert f"The parameter {name} takes" in result.stderr
    _no_traceback(result)


@pytest.mark.parametrize("headline", [["rows"], {"rows": ["not", "a", "label"]}, "rows"])
def test_a_tampered_headline_in_summary_json_does_not_stop_the_rerun(echo_playbooks, tmp_path, small_csv, surgery,
                                                                     headline):
    bundle = _handmade_bundle(tmp_path / "earlier", {}, {"rows": 3, "headline": headline,
                                                          "provenance": {"run_date": ["2026"]}})
    result = surgery("rerun", bundle, "--data", small_csv, "--out", tmp_path / "again", "--no-progress")
    assert result.returncode == 0, result.stderr


def test_a_closure_over_every_forecast_week_is_a_sentence(tmp_path, surgery):
    result = surgery("run", "food-bank-demand", "--data", KIT_ROOT / "datasets" / "foodbank-visits.csv",
                     "-p", "closed_dates", "01/01/2000 to 01/01/2100", "--out", tmp_path / "b", "--no-progress")
    assert result.returncode == 2 and "closed_dates shuts the food bank for every week" in result.stderr
    _no_traceback(result)


def test_a_parcel_contents_file_repeating_an_item_is_a_sentence(tmp_path, surgery):
    contents = tmp_path / "parcels.csv"
    contents.write_text("Item,Unit,1 person,2 people\nSoup,tin,1,2\nPasta,bag,1,1\nsoup,tin,2,3\n")
    result = surgery("run", "food-bank-demand", "--data", KIT_ROOT / "datasets" / "foodbank-visits.csv",
                     "-p", "parcel_contents_file", contents, "--out", tmp_path / "b", "--no-progress")
    assert result.returncode == 2 and "lists the item 'soup' more than once" in result.stderr
    _no_traceback(result)


@pytest.mark.parametrize("where", ["parameter", "file name", "header"])
def test_terminal_escape_sequences_are_never_echoed_raw(echo_playbooks, small_csv, tmp_path, surgery, where):
    hostile = "Name\x1b]0;owned\x07\x1b[2J\x9b31m"
    if where == "parameter":
        result = surgery("run", "echo", "--data", small_csv, "-p", hostile, "1", "--no-progress")
    elif where == "header":  # who-we-reach names the file's headers when none looks like a postcode
        clients = tmp_path / "clients.csv"
        clients.write_text(f"{hostile},Visits\nE8 1AA,2\n", encoding="utf-8")
        result = surgery("run", "who-we-reach", "--data", clients, "--out", tmp_path / "b", "--no-progress",
                         env={"SURGERY_PLAYBOOKS": str(KIT_ROOT / "playbooks")})
    else:
        result = surgery("run", "echo", "--data", tmp_path / f"{hostile}.csv", "--no-progress")
    assert result.returncode == 2
    said = result.stdout + result.stderr
    assert not any(c in said for c in "\x1b\x07\x9b") and "Name\\x1b]0;owned\\x07" in said


def test_a_playbook_stopped_by_a_full_disk_keeps_the_last_bundle(echo_playbooks, small_csv, tmp_path, monkeypatch):
    """The kernel's own write (cleaned.xlsx) failing with ENOSPC: the small error report would still fit,
    but it must not replace the last good bundle."""
    from helpers.spine import execute, runner

    out = tmp_path / "bundle"
    assert runner.run_playbook("echo", small_csv, out=out, progress_bar=False).exit_code == 0
    before = _tree(out)
    real = execute.execute_playbook

    def disk_fills_in_a_cell(*args, **kwargs):
        done = real(*args, **kwargs)
        return execute.Execution(done.notebook, execute.CellFailure(
            5, "OSError", "[Errno 28] No space left on device: 'cleaned.xlsx'", [], ""))

    monkeypatch.setattr(execute, "execute_playbook", disk_fills_in_a_cell)
    outcome = runner.run_playbook("echo", small_csv, out=out, overwrite=True, progress_bar=False)
    assert outcome.exit_code == 2 and "could not be written in full" in outcome.message
    assert _tree(out) == before


def test_horizon_weeks_as_a_list_in_params_yaml_is_refused_before_the_run(tmp_path, small_csv):
    """`horizon_weeks: [1,2,3]` in an earlier food-bank bundle once ended in a traceback (exit 1)."""
    import yaml

    bundle = tmp_path / "earlier"
    bundle.mkdir()
    (bundle / "params.yaml").write_text(yaml.safe_dump({"playbook": "food-bank-demand", "charity": "Pantry",
                                                        "parameters": {"horizon_weeks": [1, 2, 3]}}))
    (bundle / "summary.json").write_text(json.dumps({"provenance": {}}))
    result, seconds, peak_mib = _measured(["rerun", bundle, "--data", KIT_ROOT / "datasets" / "foodbank-visits.csv",
                                           "--out", tmp_path / "again", "--no-progress"])
    assert result.returncode == 2 and "The parameter horizon_weeks takes a whole number, but was given [1, 2, 3]" \
        in result.stderr
    _no_traceback(result)
    assert seconds < 30 and not (tmp_path / "again").exists()
