"""The real `surgery` command in a child process: exit codes, messages, bundles, the input untouched."""

from __future__ import annotations

import json

import pytest

from helpers.spine.bundle import file_sha256

pytestmark = pytest.mark.slow


def test_run_writes_the_bundle_and_leaves_the_input_untouched(echo_playbooks, small_csv, tmp_path, surgery):
    before = file_sha256(small_csv)
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "--charity", "Test Charity",
                         "--out", out, "-p", "scale", "2", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert {"report.html", "notebook.ipynb", "summary.json", "params.yaml", "echo.csv"} <= {
        p.name for p in out.iterdir()}
    assert file_sha256(small_csv) == before
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows"] == 3 and summary["scale"] == 2.0
    assert summary["provenance"]["input_sha256"] == before
    assert summary["provenance"]["input_file"] == "clients.csv"
    assert summary["provenance"]["charity"] == "Test Charity"


def test_default_bundles_are_never_overwritten(echo_playbooks, small_csv, tmp_path, surgery):
    first = surgery("run", "echo", "--data", small_csv, "--charity", "St Ann's", "--no-progress", cwd=tmp_path)
    second = surgery("run", "echo", "--data", small_csv, "--charity", "St Ann's", "--no-progress", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0
    folders = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert len(folders) == 2
    assert folders[0].startswith("st-anns-echo-") and folders[1].endswith("-2")


def test_an_out_folder_with_files_is_refused_without_overwrite(echo_playbooks, small_csv, tmp_path, surgery):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "report.html").write_text("earlier run")
    result = surgery("run", "echo", "--data", small_csv, "--out", out)
    assert result.returncode == 2
    assert "--overwrite" in result.stderr and "Traceback" not in result.stderr
    assert (out / "report.html").read_text() == "earlier run"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["-p", "scael", "2"], "no parameter called 'scael'. Did you mean 'scale'?"),
        (["-p", "repeat", "many"], "repeat takes a whole number"),
        (["-p", "scale", "big"], "scale takes a number"),
    ],
)
def test_bad_parameters_exit_2_before_any_cell_runs(echo_playbooks, small_csv, tmp_path, args, expected, surgery):
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "--out", out, *args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()  # refused before anything ran


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.csv", None, "'missing.csv' was not found"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old-style Excel file (.xls)"),
        ("empty.csv", b"", "is empty"),
        ("letter.docx", b"PK", "not a table the kit reads"),
    ],
)
def test_bad_input_files_exit_2_with_what_to_do(echo_playbooks, tmp_path, name, content, expected, surgery):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = surgery("run", "echo", "--data", path)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_an_input_problem_inside_the_playbook_exits_2_with_an_error_report(echo_playbooks, small_csv, tmp_path, surgery):
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "--out", out, "-p", "fail_with", "input", "--no-progress")
    assert result.returncode == 2
    assert "The column 'Amount' has text in rows 3 and 7" in result.stderr
    assert "Traceback" not in result.stderr
    report = (out / "report.html").read_text()
    assert "could not be finished" in report and "rows 3 and 7" in report
    assert "Check the input" in report  # names the step that stopped
    assert "Traceback" not in report
    assert (out / "notebook.ipynb").exists()


def test_a_crashing_playbook_exits_1_and_still_leaves_a_readable_report(echo_playbooks, small_csv, tmp_path, surgery):
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "--out", out, "-p", "fail_with", "crash", "--no-progress")
    assert result.returncode == 1
    report = (out / "report.html").read_text()
    assert "could not be finished" in report and "ZeroDivisionError" in report
    assert "What to try" in report and "Traceback" not in report
    notebook = json.loads((out / "notebook.ipynb").read_text())
    assert any(o.get("ename") == "ZeroDivisionError" for c in notebook["cells"] for o in c.get("outputs", []))


def test_pdf_without_chromium_exits_2_but_writes_the_html(echo_playbooks, small_csv, tmp_path, surgery):
    out = tmp_path / "bundle"
    result = surgery("run", "echo", "--data", small_csv, "--out", out, "--pdf", "--no-progress",
                         env={"SURGERY_CHROMIUM": str(tmp_path / "no-such-browser")})
    assert result.returncode == 2
    assert "Chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert (out / "report.html").exists() and not (out / "report.pdf").exists()


def test_unknown_playbook_lists_the_real_ones(echo_playbooks, small_csv, surgery):
    result = surgery("run", "ecko", "--data", small_csv)
    assert result.returncode == 2
    assert "Did you mean 'echo'?" in result.stderr


def test_list_and_describe_read_the_notebooks(echo_playbooks, surgery):
    listing = surgery("list")
    assert listing.returncode == 0 and "echo" in listing.stdout and "runner's tests use" in listing.stdout
    described = surgery("describe", "echo")
    assert described.returncode == 0
    assert "scale (float, default 1.0)" in described.stdout
    assert "a number to multiply by" in described.stdout
