"""How long `surgery run health-check` takes as a volunteer runs it, and how much memory.

Each figure is one `surgery run health-check` process, timed end to end with the peak
memory of its whole process tree (kernel and render included), by ``measure.py``:

- the sample register (``datasets/register.xlsx``, about 500 rows);
- the same generator at about 10x and 100x the sample (5,000 and 50,000 clients);
- a 1,000,000-row CSV (the generator's older-style client list, 8 columns);
- a 30-row sheet with 10,000 columns (a wide questionnaire export).

Generated files go to a temporary folder (or ``--keep DIR``) and are never committed. The
machine is shared while the kit is built: figures taken then are a sanity check, not a
result. Run with the kit's environment active:

    python benchmarks/bench_health.py [--only sample 10x 100x 1m wide] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from measure import measure, surgery_run  # noqa: E402  (the benchmarks folder is not a package)

KIT = Path(__file__).resolve().parents[1]
SAMPLE = KIT / "datasets" / "register.xlsx"


def wide_workbook(path: Path, rows: int = 30, columns: int = 10_000, seed: int = 1) -> Path:
    """A questionnaire export: a name column, then answers 1-5 with one in ten left blank."""
    import openpyxl

    rng = np.random.default_rng(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    sheet.append(["Name", *[f"Question {number}" for number in range(1, columns)]])
    for row in range(rows):
        answers = rng.integers(1, 6, size=columns - 1)
        blank = rng.random(columns - 1) < 0.1
        sheet.append([f"Person {row + 1}", *[None if gap else int(a) for a, gap in zip(answers, blank, strict=True)]])
    workbook.save(path)
    return path


def inputs(folder: Path, only: list[str]) -> dict[str, Path]:
    """The files to time, generated on demand (the big ones take a while to make)."""
    from helpers.synthetic.register import write_register_csv, write_register_xlsx

    made = {}
    for label in only:
        if label == "sample":
            made["sample (datasets/register.xlsx)"] = SAMPLE
        elif label == "10x":
            path = folder / "register-5000.xlsx"
            made["about 10x the sample (5,000 clients)"] = path if path.exists() else write_register_xlsx(path, 5_000)
        elif label == "100x":
            path = folder / "register-50000.xlsx"
            made["about 100x the sample (50,000 clients)"] = path if path.exists() else write_register_xlsx(path, 50_000)
        elif label == "1m":
            path = folder / "register-1000000.csv"
            made["1,000,000-row CSV"] = path if path.exists() else write_register_csv(path, 1_000_000)
        elif label == "wide":
            path = folder / "wide-30x10000.xlsx"
            made["30 rows x 10,000 columns"] = path if path.exists() else wide_workbook(path)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=["sample", "10x", "100x", "1m", "wide"],
                        choices=["sample", "10x", "100x", "1m", "wide"])
    parser.add_argument("--keep", type=Path, help="folder for the generated inputs (kept between runs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'surgery run health-check on':<48} {'wall':>10}  {'peak memory':>10}")
        for label, path in inputs(folder, args.only).items():
            result = measure(surgery_run("health-check", path, Path(tmp) / "out"), cwd=KIT, check=False)
            print(result.line(label), flush=True)
            if result.returncode:
                print("   ", (result.stderr or result.stdout).strip().splitlines()[-1])


if __name__ == "__main__":
    main()
