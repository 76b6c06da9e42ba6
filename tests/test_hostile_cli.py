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

import pytest

from helpers.spine.execute import KERNEL_DIED, KERNEL_SILENT


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
    (out / "cleaned.xlsx").write_text("left by another playbook's run")
    again = surgery("run", "echo", "--data", small_csv, "--out", out, "--overwrite", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert not (out / "cleaned.xlsx").exists() and (out / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bundle", "charity data"])  # no staging left


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
