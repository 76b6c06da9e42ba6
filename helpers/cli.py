"""The ``surgery`` command: list, describe, run and demo the playbooks.

Exit codes: 0 done; 1 a playbook failed (its error report is still written);
2 the input file or a parameter does not fit (the message says what to change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from helpers import __version__
from helpers.errors import EXIT_INPUT_PROBLEM, EXIT_OK, InputProblem


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="surgery",
        description="Data surgery playbooks: run a playbook on a charity's file and hand back a report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("list", help="every playbook with its purpose")

    describe = commands.add_parser("describe", help="a playbook's parameters")
    describe.add_argument("playbook")

    run = commands.add_parser("run", help="run a playbook on a charity's file")
    run.add_argument("playbook")
    run.add_argument("--data", required=True, type=Path, help="the charity's CSV or XLSX file")
    run.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    run.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="set a playbook parameter (repeat for several)",
    )
    run.add_argument("--charity", default="", help="the charity's name, shown in the report")
    run.add_argument("--out", type=Path, help="the bundle folder (default under reports/)")
    run.add_argument("--overwrite", action="store_true", help="allow --out to hold an earlier run")
    run.add_argument("--pdf", action="store_true", help="also print report.pdf (needs Chromium)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    demo = commands.add_parser("demo", help="every playbook on its bundled sample data")
    demo.add_argument("--out", type=Path, help="folder for the demo bundles (default under reports/)")
    demo.add_argument("--pdf", action="store_true", help="also print each report.pdf")
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def command_list(_args) -> int:
    from helpers.catalogue import list_playbooks

    playbooks = list_playbooks()
    width = max((len(p.name) for p in playbooks), default=10)
    for playbook in playbooks:
        minutes = f" (~{playbook.minutes} min)" if playbook.minutes else ""
        print(f"{playbook.name:<{width}}  {playbook.purpose}{minutes}")
    return EXIT_OK


def command_describe(args) -> int:
    from helpers.catalogue import find_playbook
    from helpers.parameters import read_parameters

    playbook = find_playbook(args.playbook)
    print(f"{playbook.name}: {playbook.title}")
    if playbook.purpose:
        print(playbook.purpose)
    print("\nParameters (set with -p NAME VALUE):")
    for parameter in read_parameters(playbook.path).values():
        print(f"  {parameter.name} ({parameter.type_name}, default {parameter.default!r})")
        if parameter.help:
            print(f"      {parameter.help}")
    return EXIT_OK


def command_run(args) -> int:
    from helpers.runner import run_playbook

    outcome = run_playbook(
        args.playbook,
        args.data,
        sheet=args.sheet,
        parameters=dict(args.parameter),
        charity=args.charity,
        out=args.out,
        pdf=args.pdf,
        overwrite=args.overwrite,
        progress_bar=not args.no_progress,
    )
    return _report_outcome(outcome)


def _report_outcome(outcome) -> int:
    if outcome.exit_code == EXIT_OK:
        print(outcome.message)
        print(f"Files in the bundle: {', '.join(outcome.files)}")
    else:
        print(f"Problem: {outcome.message}", file=sys.stderr)
        if outcome.bundle is not None:
            print(f"An error report was written to {outcome.bundle / 'report.html'}", file=sys.stderr)
    return outcome.exit_code


def command_demo(args) -> int:
    from helpers.demo import run_demo

    return run_demo(out=args.out, pdf=args.pdf, progress_bar=not args.no_progress,
                    day=dt.date.today())


COMMANDS = {
    "list": command_list,
    "describe": command_describe,
    "run": command_run,
    "demo": command_demo,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``surgery`` console script and ``python -m helpers``."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputProblem as problem:
        print(f"Problem: {problem}", file=sys.stderr)
        return EXIT_INPUT_PROBLEM
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
