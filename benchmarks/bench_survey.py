"""How long ``surgery run what-people-tell-us`` takes on 50,000 survey responses, end to end, with peak memory.

The survey is the seeded feedback-survey generator run for ``--responses`` responses (about 80,000
comments at 50,000), written as a CSV. Timed as the volunteer runs it (a process, kernel and report
included). Target (issue 26): at most 60 s on a 2-core machine.

    python benchmarks/bench_survey.py [--responses 50000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from measure import measure, surgery_run

from helpers.synthetic.survey import make_survey


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = folder / "survey.csv"
        make_survey(args.responses, seed=5).drop(columns=["_theme_like", "_theme_better"]).to_csv(data, index=False)
        result = measure(surgery_run("what-people-tell-us", data, folder / "bundle"))
        print(result.line(f"what-people-tell-us, {args.responses:,} responses"))


if __name__ == "__main__":
    main()
