"""`make mutants`: plant each bug in tools/mutations.py in a copy of the kit and check a test notices.

The kit's files are copied once to a temporary folder. For each mutation in turn the
tool replaces ``old`` with ``new`` in one file of the copy, runs only that mutation's
tests there (``PYTHONPATH`` at the copy, ``-x``, no cache), and puts the file back.
It prints one line per mutation, ``caught`` (with the first test that failed) or
``missed``, and exits 1 if any was missed, its tests could not run, or an anchor is
stale (``old`` no longer in the file: update tools/mutations.py).

Before planting anything it runs every mutation's tests once on the unchanged copy:
a test that already fails would "catch" every bug (``--no-baseline`` skips this).

Usage:
    python tools/mutants.py                 # every mutation
    python tools/mutants.py -k postcode     # the mutations whose name contains "postcode"
    python tools/mutants.py --list          # the table, without running anything
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT_ROOT / "tools"))

from mutations import MUTATIONS, Mutation  # noqa: E402

#: Not copied: version control, environments, caches and run outputs.
IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", "reports", "output",
                                 "test-artifacts", "*.egg-info", ".ipynb_checkpoints")
TIMEOUT_SECONDS = 600
FAILED_LINE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


class StaleMutation(Exception):
    """The text a mutation replaces is not (exactly once) in its file any more."""


def check_anchor(root: Path, mutation: Mutation) -> str:
    """The file's text, after checking the mutation's ``old`` occurs in it exactly once."""
    path = root / mutation.file
    if not path.is_file():
        raise StaleMutation(f"stale mutation {mutation.name}: {mutation.file} does not exist")
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.old)
    if count != 1:
        found = "is no longer in" if count == 0 else f"occurs {count} times in"
        raise StaleMutation(f"stale mutation {mutation.name}: {mutation.old!r} {found} {mutation.file}; "
                            "update its anchor in tools/mutations.py")
    return text


def run_tests(root: Path, tests: tuple[str, ...], stop_at_first: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("CI", None)  # a skip is not a catch either way; keep the run about the bug
    command = [sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider", "-rfE",
               "--no-header", "-o", "addopts=", "-W", "ignore"]
    if stop_at_first:
        command.append("-x")
    try:
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        return subprocess.CompletedProcess(command, -1, str(error.stdout or ""), "timed out")


def closing_line(output: str) -> str:
    lines = [line.strip("= ") for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def try_mutation(root: Path, mutation: Mutation) -> tuple[str, str]:
    """Plant one bug, run its tests, restore the file. Returns (verdict, detail)."""
    path = root / mutation.file
    original = check_anchor(root, mutation)
    path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    try:
        result = run_tests(root, mutation.tests)
    finally:
        path.write_text(original, encoding="utf-8")
    if result.returncode == 0:
        return "missed", f"{closing_line(result.stdout)} with the bug planted"
    failed = FAILED_LINE.findall(result.stdout)
    if result.returncode in (1, 2) and failed:
        return "caught", f"by {failed[0]}"
    return "broken", f"its tests did not run (exit {result.returncode}): {closing_line(result.stdout + result.stderr)}"


def copy_kit(destination: Path) -> Path:
    root = destination / "kit"
    shutil.copytree(KIT_ROOT, root, ignore=IGNORED, symlinks=True)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="only", help="only mutations whose name contains this text")
    parser.add_argument("--list", action="store_true", help="print the mutations and their tests, run nothing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the check that the tests pass unmutated")
    args = parser.parse_args(argv)

    chosen = [m for m in MUTATIONS if not args.only or args.only in m.name]
    if not chosen:
        print(f"No mutation's name contains {args.only!r}.", file=sys.stderr)
        return 2
    if args.list:
        for m in chosen:
            print(f"{m.name}: {m.promise}\n    {m.file}: {m.old.strip()!r} -> {m.new.strip()!r}\n"
                  f"    tests: {' '.join(m.tests)}")
        return 0

    stale = []
    for m in chosen:
        try:
            check_anchor(KIT_ROOT, m)
        except StaleMutation as error:
            stale.append(str(error))
    if stale:
        print("\n".join(stale), file=sys.stderr)
        return 1

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="surgery-mutants-") as temporary:
        root = copy_kit(Path(temporary))
        if not args.no_baseline:
            tests = tuple(dict.fromkeys(test for m in chosen for test in m.tests))
            baseline = run_tests(root, tests, stop_at_first=False)
            if baseline.returncode != 0:
                print(f"The mutations' tests fail with no bug planted, so a catch would mean nothing:\n"
                      f"{baseline.stdout[-3000:]}{baseline.stderr[-2000:]}", file=sys.stderr)
                return 1
            print(f"baseline  {len(tests)} test files or tests pass unmutated "
                  f"({closing_line(baseline.stdout)})", flush=True)
        verdicts = []
        width = max(len(m.name) for m in chosen)
        for m in chosen:
            began = time.monotonic()
            verdict, detail = try_mutation(root, m)
            verdicts.append(verdict)
            print(f"{verdict:<7} {m.name:<{width}}  {m.file}  {detail}  ({time.monotonic() - began:.0f} s)",
                  flush=True)
    caught = verdicts.count("caught")
    print(f"{caught} of {len(verdicts)} planted bugs caught in {time.monotonic() - started:.0f} s.")
    return 0 if caught == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
