"""How long `surgery run` takes per playbook on its sample, next to the floor of the plain tools.

The floor is what a volunteer would do by hand: the `papermill` command running a notebook
that only imports pandas and matplotlib, then `jupyter nbconvert --to html --no-input`
rendering it. Each playbook's run is alternated with a floor run (floor, run, floor, run...),
so that a busy machine slows both alike; the ratio printed is the median of the pairs'
ratios. Every figure is the wall time of the whole command as a user starts it, with the peak
memory of its process tree (the kernel included). Run with the kit's environment active:

    python benchmarks/bench_runner.py [--repeat 5] [--playbooks health-check ...] [--no-demo]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Measurement, measure, surgery, surgery_run  # noqa: E402

from helpers.spine.catalogue import list_playbooks  # noqa: E402
from helpers.spine.runner import default_data_file  # noqa: E402

BIN = Path(sys.executable).parent


def floor_run(work: Path) -> Measurement:
    """papermill on a notebook that imports pandas and matplotlib, then nbconvert --no-input."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("import pandas\nimport matplotlib.pyplot")]
    nbformat.write(notebook, work / "empty.ipynb")
    run = measure([str(BIN / "papermill"), "empty.ipynb", "executed.ipynb", "--no-progress-bar"], cwd=work)
    render = measure([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "executed.ipynb"], cwd=work)
    return Measurement(run.seconds + render.seconds, max(run.peak_bytes, render.peak_bytes), 0, "", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pairs per playbook (default 5)")
    parser.add_argument("--playbooks", nargs="*", help="default: all")
    parser.add_argument("--no-demo", action="store_true", help="skip timing `surgery demo`")
    args = parser.parse_args()

    playbooks = [p for p in list_playbooks() if not args.playbooks or p.name in args.playbooks]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor_run(work)  # the first run of anything fills the disk cache: not counted
        print(f"{'command':<48} {'wall':>10}  {'peak mem':>10}  vs floor (median of {args.repeat} pairs)")
        sum_of_runs = 0.0
        for playbook in playbooks:
            data = default_data_file(playbook)
            floors, runs = [], []
            for i in range(args.repeat):
                floors.append(floor_run(work))
                runs.append(measure(surgery_run(playbook.name, data, work / f"{playbook.name}-{i}")))
            ratio = statistics.median(r.seconds / f.seconds for r, f in zip(runs, floors, strict=True))
            run_median = statistics.median(r.seconds for r in runs)
            peak = max(r.peak_bytes for r in runs) / 2**30
            floor_median = statistics.median(f.seconds for f in floors)
            sum_of_runs += run_median
            print(f"{'surgery run ' + playbook.name:<48} {run_median:8.2f} s  {peak:6.2f} GiB  "
                  f"{ratio:4.2f} x floor ({floor_median:.2f} s)")
        if not args.no_demo and not args.playbooks:
            demos = [measure(surgery("demo", "--no-progress", "--out", str(work / f"demo-{i}"))) for i in range(args.repeat)]
            demo = statistics.median(d.seconds for d in demos)
            peak = max(d.peak_bytes for d in demos) / 2**30
            print(f"{f'surgery demo (all {len(playbooks)} playbooks)':<48} {demo:8.2f} s  {peak:6.2f} GiB  "
                  f"{demo / sum_of_runs:4.2f} x the {sum_of_runs:.2f} s of the runs one by one")


if __name__ == "__main__":
    main()
