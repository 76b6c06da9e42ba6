import json

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.writing.playbook import PLAYBOOKS_DIR, output_folder, resolve_data_path, save_summary, to_jsonable


def test_to_jsonable_makes_plain_json():
    value = {"n": np.int64(3), "x": np.float64(0.5), "nan": float("nan"), "day": pd.Timestamp("2026-01-05"),
             "missing": pd.NA, "items": (1, np.int32(2))}
    assert to_jsonable(value) == {"n": 3, "x": 0.5, "nan": None, "day": "2026-01-05T00:00:00",
                                  "missing": None, "items": [1, 2]}
    json.dumps(to_jsonable(value))


def test_resolve_data_path_tries_the_working_folder_then_the_playbooks_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.csv").write_text("a\n1\n")
    assert resolve_data_path("here.csv") == (tmp_path / "here.csv").resolve()
    sample = next((PLAYBOOKS_DIR.parent / "datasets").glob("*.csv"), None)
    if sample is not None:  # the sample-data defaults work from any working folder
        assert resolve_data_path(f"../datasets/{sample.name}") == sample.resolve()
    with pytest.raises(InputProblem, match="'nope.csv' was not found"):
        resolve_data_path("some/folder/nope.csv")
    with pytest.raises(InputProblem, match="No data file"):
        resolve_data_path("  ")


def test_output_folder_defaults_and_session_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SURGERY_OUTPUT_DIR", raising=False)
    assert output_folder("", "health-check") == tmp_path / "output" / "health-check"
    assert output_folder(str(tmp_path / "mine"), "x") == tmp_path / "mine"
    monkeypatch.setenv("SURGERY_OUTPUT_DIR", str(tmp_path / "session"))
    assert output_folder("", "x") == tmp_path / "session" / "x"
    assert (tmp_path / "session" / "x").is_dir()


def test_save_summary_adds_the_input_facts(tmp_path):
    class Table:
        source_name, sheet, sha256 = "clients.xlsx", "Clients", "abc"
        frame = pd.DataFrame({"a": [1, 2, 3]})

    save_summary(tmp_path, {"rows": np.int64(3), "missing": {"a": 0}}, table=Table())
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary == {"rows": 3, "missing": {"a": 0}, "claims": [],
                       "input": {"file": "clients.xlsx", "sheet": "Clients", "rows": 3, "columns": 1, "sha256": "abc"}}
