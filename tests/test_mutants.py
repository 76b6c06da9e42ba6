"""The mutation check's table stays current: every anchor is in its file once, every test exists.

`make mutants` (tools/mutants.py) plants the bugs in tools/mutations.py; this test fails
as soon as a change moves one of their anchors, so the table is fixed with the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

KIT_ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(KIT_ROOT / "tools"))

import mutants  # noqa: E402
from mutations import MUTATIONS, Mutation  # noqa: E402


def test_there_are_at_least_ten_mutations_with_distinct_names():
    names = [m.name for m in MUTATIONS]
    assert len(names) >= 10 and len(set(names)) == len(names)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_each_anchor_is_in_its_file_once_and_its_tests_exist(mutation):
    text = mutants.check_anchor(KIT_ROOT, mutation)
    assert mutation.new != mutation.old and text.count(mutation.old) == 1
    for test in mutation.tests:
        path, _, name = test.partition("::")
        assert (KIT_ROOT / path).is_file(), test
        if name:
            function = name.split("[")[0]
            assert f"def {function}(" in (KIT_ROOT / path).read_text(encoding="utf-8"), test


def test_a_stale_anchor_is_refused_loudly(tmp_path):
    (tmp_path / "module.py").write_text("x = 1\nx = 1\n", encoding="utf-8")
    gone = Mutation("gone", "", "module.py", "y = 2", "y = 3", ())
    twice = Mutation("twice", "", "module.py", "x = 1", "x = 2", ())
    with pytest.raises(mutants.StaleMutation, match="stale mutation gone: 'y = 2' is no longer in module.py"):
        mutants.check_anchor(tmp_path, gone)
    with pytest.raises(mutants.StaleMutation, match="occurs 2 times"):
        mutants.check_anchor(tmp_path, twice)


def test_a_planted_bug_is_put_back_and_a_passing_run_is_missed(tmp_path, monkeypatch):
    (tmp_path / "module.py").write_text("LIMIT = 5\n", encoding="utf-8")
    seen = []

    def fake_run(root, tests, stop_at_first=True):
        seen.append((root / "module.py").read_text(encoding="utf-8"))
        return mutants.subprocess.CompletedProcess([], 0, "1 passed in 0.1s\n", "")

    monkeypatch.setattr(mutants, "run_tests", fake_run)
    verdict, detail = mutants.try_mutation(tmp_path, Mutation("m", "", "module.py", "= 5", "= 4", ("t.py",)))
    assert seen == ["LIMIT = 4\n"]
    assert (tmp_path / "module.py").read_text(encoding="utf-8") == "LIMIT = 5\n"
    assert (verdict, detail) == ("missed", "1 passed in 0.1s with the bug planted")
