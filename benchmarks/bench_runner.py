"""How long `surgery run` takes per playbook, next to the floor of the plain tools.

The floor is what a volunteer would do by hand: the `papermill` command running a
notebook that only imports pandas and matplotlib, then `jupyter nbconvert --no-input`
rendering it. Each figure is the median of --repeat runs, wall time of the whole
command as a user would start it. Run with the kit's environment active:

    python benchmarks/bench_runner.py [--repeat 3] [--playbooks health-check ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from helpers.spine.catalogue import list_playbooks
from helpers.spine.runner import default_data_file

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def floor_seconds(work: Path) -> float:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("import pandas\nimport matplotlib.pyplot")]
    nbformat.write(notebook, work / "empty.ipynb")
    run = timed([str(BIN / "papermill"), "empty.ipynb", "executed.ipynb", "--no-progress-bar"], work)
    render = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "executed.ipynb"], work)
    return run + render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--playbooks", nargs="*", help="default: all")
    parser.add_argument("--no-demo", action="store_true", help="skip timing `surgery demo`")
    args = parser.parse_args()

    playbooks = [p for p in list_playbooks() if not args.playbooks or p.name in args.playbooks]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor = statistics.median(floor_seconds(work) for _ in range(args.repeat))
        print(f"floor (papermill + nbconvert --no-input, empty notebook): {floor:6.2f} s")
        total = 0.0
        for playbook in playbooks:
            data = default_data_file(playbook)
            times = [
                timed([str(BIN / "surgery"), "run", playbook.name, "--data", str(data), "--no-progress",
                       "--out", str(work / f"{playbook.name}-{i}")], work)
                for i in range(args.repeat)
            ]
            median = statistics.median(times)
            total += median
            print(f"surgery run {playbook.name:<22} {median:6.2f} s  = {median / floor:4.2f} x floor")
        if not args.no_demo and not args.playbooks:
            demo = statistics.median(
                timed([str(BIN / "surgery"), "demo", "--no-progress", "--out", str(work / f"demo-{i}")], work)
                for i in range(args.repeat)
            )
            print(f"surgery demo (all {len(playbooks)} playbooks)  {demo:6.2f} s  "
                  f"vs {total:.2f} s run one by one = {demo / total:4.2f} x")


if __name__ == "__main__":
    main()
