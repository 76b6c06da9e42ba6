import datetime as dt

import pytest

from helpers.spine.bundle import file_sha256, new_bundle_folder, slug, write_params_yaml
from helpers.errors import InputProblem

DAY = dt.date(2026, 3, 1)


def test_slug_makes_safe_folder_names():
    assert slug("St Mary's Food Bank (Hackney)") == "st-marys-food-bank-hackney"
    assert slug("   ") == "charity"


def test_default_bundles_are_numbered_never_reused(tmp_path):
    first = new_bundle_folder(tmp_path, "Youth Club", "health-check", DAY)
    second = new_bundle_folder(tmp_path, "Youth Club", "health-check", DAY)
    third = new_bundle_folder(tmp_path, "", "health-check", DAY)
    assert first.name == "youth-club-health-check-2026-03-01"
    assert second.name == "youth-club-health-check-2026-03-01-2"
    assert third.name == "charity-health-check-2026-03-01"


def test_an_out_folder_with_files_needs_overwrite(tmp_path):
    out = tmp_path / "mine"
    assert new_bundle_folder(tmp_path, "x", "y", DAY, out=out) == out  # new: fine
    (out / "report.html").write_text("old")
    with pytest.raises(InputProblem, match="--overwrite"):
        new_bundle_folder(tmp_path, "x", "y", DAY, out=out)
    assert new_bundle_folder(tmp_path, "x", "y", DAY, out=out, overwrite=True) == out


def test_sha256_matches_hashlib(tmp_path):
    import hashlib

    path = tmp_path / "f.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert file_sha256(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_params_yaml_round_trips(tmp_path):
    import yaml

    record = {"playbook": "impact-measurement", "parameters": {"scale": "swemwbs", "higher_is_better": True}}
    write_params_yaml(tmp_path, record)
    assert yaml.safe_load((tmp_path / "params.yaml").read_text()) == record
