"""The real playbooks through the real command: wrong columns and sheets refused, files untouched."""

from __future__ import annotations

import json
import shutil

import pytest

from helpers.spine.bundle import file_sha256
from helpers.writing.playbook import DATASETS_DIR

pytestmark = pytest.mark.slow


@pytest.fixture
def register(tmp_path):
    """A copy of the sample register, so a run's effect on its input can be checked."""
    path = tmp_path / "Client register.xlsx"
    shutil.copy(DATASETS_DIR / "register.xlsx", path)
    return path


def test_health_check_on_a_workbook_writes_its_files_and_leaves_the_input_alone(register, tmp_path, surgery):
    before = file_sha256(register)
    out = tmp_path / "bundle"
    result = surgery("run", "health-check", "--data", register, "--sheet", "Clients", "--charity", "Pantry",
                     "--out", out, "--no-progress")
    assert result.returncode == 0, result.stderr
    assert file_sha256(register) == before
    for name in ("report.html", "notebook.ipynb", "summary.json", "params.yaml", "cleaned.xlsx",
                 "data_dictionary.xlsx", "capture_template.xlsx"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows"] == summary["provenance"]["input_rows"] > 0
    assert summary["columns"] == len(summary["missing"])
    assert {"Email", "Post Code", "Date of birth"} <= set(summary["missing"])
    assert all(isinstance(count, int) and 0 <= count <= summary["rows"] for count in summary["missing"].values())
    assert summary["provenance"]["input_sheet"] == "Clients"


def test_a_role_column_not_in_the_file_exits_2_with_a_suggestion(register, tmp_path, surgery):
    before = file_sha256(register)
    result = surgery("run", "health-check", "--data", register, "-p", "postcode_column", "Postcode",
                     "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2
    assert "Did you mean 'Post Code'?" in result.stderr and "postcode_column" in result.stderr
    assert "Traceback" not in result.stderr
    assert "could not be finished" in (tmp_path / "bundle" / "report.html").read_text()
    assert file_sha256(register) == before


def test_an_unknown_sheet_lists_the_real_ones(register, tmp_path, surgery):
    result = surgery("run", "health-check", "--data", register, "--sheet", "Clientz",
                     "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2
    assert "'Clients'" in result.stderr and "'Volunteers'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_windows_csv_export_runs(tmp_path, surgery):
    out = tmp_path / "bundle"
    result = surgery("run", "health-check", "--data", DATASETS_DIR / "register-cp1252.csv", "--out", out,
                     "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "Windows" in (out / "report.html").read_text() or "1252" in (out / "report.html").read_text()


def test_deduplicate_contacts_with_too_few_roles_says_which_it_found(tmp_path, surgery):
    data = tmp_path / "list.csv"
    data.write_text("Email address,Shoe size\nann@example.org,5\nbob@example.org,6\nann@example.org,5\n",
                    encoding="utf-8")
    before = file_sha256(data)
    result = surgery("run", "deduplicate-contacts", "--data", data, "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2, result.stderr
    # The one role it found, by role and column; the column it could not use, among the file's columns.
    assert "found only: email ('Email address')." in result.stderr
    assert "'Shoe size'" in result.stderr and "email_column" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_sha256(data) == before


def test_deduplicate_contacts_with_no_roles_says_it_found_none(tmp_path, surgery):
    data = tmp_path / "list.csv"
    data.write_text("Favourite colour,Shoe size\nred,5\nblue,6\nred,5\n", encoding="utf-8")
    result = surgery("run", "deduplicate-contacts", "--data", data, "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2, result.stderr
    assert "found only: none." in result.stderr
    assert "Traceback" not in result.stderr


def test_food_bank_demand_with_text_counts_names_the_column_and_rows(tmp_path, surgery):
    data = tmp_path / "weeks.csv"
    counts = {1: "1", 8: "8", 15: "lots", 22: "22", 29: "a few"}
    rows = ["Week,Parcels"] + [f"{day:02d}/01/2024,{count}" for day, count in counts.items()]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = surgery("run", "food-bank-demand", "--data", data, "-p", "count_column", "Parcels",
                     "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2, result.stdout + result.stderr
    # Spreadsheet rows: the header is row 1, so 15 and 29 January are rows 4 and 6.
    assert "'Parcels'" in result.stderr and "rows 4 and 6" in result.stderr
    assert "Traceback" not in result.stderr


def test_rerun_of_the_health_check_compares_the_headline_in_words(register, tmp_path, surgery):
    first = tmp_path / "spring"
    assert surgery("run", "health-check", "--data", register, "--out", first, "--no-progress").returncode == 0
    later = tmp_path / "summer"
    result = surgery("rerun", first, "--data", DATASETS_DIR / "register-cp1252.csv", "--out", later, "--no-progress")
    assert result.returncode == 0, result.stderr
    before = json.loads((first / "summary.json").read_text())
    after = json.loads((later / "summary.json").read_text())
    change = after["compared_with_previous"]["figures"]["rows"]
    assert change == {"previous": before["rows"], "now": after["rows"], "change": after["rows"] - before["rows"],
                      "percent_change": pytest.approx(100 * (after["rows"] - before["rows"]) / before["rows"])}
    report = (later / "report.html").read_text()
    percent = round(abs(change["percent_change"]))
    assert f"rows of data: {after['rows']:,}, down {percent}% on last time" in report
