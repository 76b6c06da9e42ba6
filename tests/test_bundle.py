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


# --- bundles written whole (issue 10) ---------------------------------------------------------

from helpers.spine.bundle import is_bundle, open_bundle  # noqa: E402


def test_a_run_writes_beside_the_bundle_and_appears_in_one_rename(tmp_path):
    write = open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    assert write.staging.parent == tmp_path and write.staging.name.startswith(".b.partial-")
    (write.staging / "report.html").write_text("new")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
    write.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_an_abandoned_run_leaves_the_earlier_bundle_as_it_was(tmp_path):
    out = tmp_path / "b"
    out.mkdir()
    (out / "report.html").write_text("old")
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    (write.staging / "report.html").write_text("half")
    write.abandon()
    assert (out / "report.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_an_abandoned_default_run_leaves_no_empty_folder(tmp_path):
    write = open_bundle(tmp_path, "Club", "echo", DAY)
    write.abandon()
    assert list(tmp_path.iterdir()) == []


def test_overwrite_leaves_nothing_of_the_old_bundle(tmp_path):
    out = tmp_path / "b"
    out.mkdir()
    (out / "params.yaml").write_text("old")
    (out / "cleaned.xlsx").write_text("old")
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    (write.staging / "report.html").write_text("new")
    write.finish()
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]


@pytest.mark.parametrize("names, expected", [([], False), (["notes.txt"], False), (["report.html"], True),
                                             (["summary.json", "x.csv"], True)])
def test_what_counts_as_a_bundle(tmp_path, names, expected):
    for name in names:
        (tmp_path / name).write_text("x")
    assert is_bundle(tmp_path) is expected


def test_the_lock_is_taken_and_released(tmp_path):
    write = open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    with pytest.raises(InputProblem, match="Another run is writing"):
        open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    write.finish()
    assert not (tmp_path / ".b.surgery-lock").exists()


def test_a_charity_name_of_any_length_makes_a_folder(tmp_path):
    write = open_bundle(tmp_path, "x" * 300, "deduplicate-contacts", DAY)
    assert write.finish().name == "x" * 60 + "-deduplicate-contacts-2026-03-01"


def test_what_a_killed_run_left_is_swept_and_a_live_runs_is_not(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".b.partial-{dead.pid}").mkdir()
    (tmp_path / f".b.partial-{dead.pid}" / "cleaned.xlsx").write_text("a charity's data")
    (tmp_path / f".c.old-{dead.pid}").mkdir()
    (tmp_path / f".d.partial-{os.getpid()}").mkdir()  # a run still going
    (tmp_path / ".hidden-of-the-user").mkdir()
    open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b").finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".d.partial-" + str(os.getpid()), ".hidden-of-the-user", "b"]
