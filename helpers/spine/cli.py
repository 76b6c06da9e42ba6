"""The ``surgery`` command: list, describe, run and demo the playbooks.

Exit codes: 0 done; 1 a playbook failed (its error report is still written);
2 the input file or a parameter does not fit (the message says what to change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from pathlib import Path

from helpers import __version__
from helpers.errors import EXIT_INPUT_PROBLEM, EXIT_OK, EXIT_PLAYBOOK_FAILED, InputProblem


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="surgery",
        description="Data surgery playbooks: run a playbook on a charity's file and hand back a report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_KitParser)

    commands.add_parser("list", help="every playbook with its purpose")

    describe = commands.add_parser("describe", help="a playbook's parameters")
    describe.add_argument("playbook")

    run = commands.add_parser("run", help="run a playbook on a charity's file", epilog=playbooks_epilog,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("playbook", help="the playbook to run (the playbooks are listed below)")
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
    run.add_argument("--language", default="en", help="the language of the report's headings and labels: en or cy")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    rerun = commands.add_parser("rerun", help="repeat an earlier run on new data and compare")
    rerun.add_argument("bundle", type=Path, help="the folder of the earlier run")
    rerun.add_argument("--data", required=True, type=Path, help="the new file")
    rerun.add_argument("--sheet", help="the sheet to read (default: as last time)")
    rerun.add_argument("--out", type=Path, help="the new bundle folder")
    rerun.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="change a parameter, or name a file again (a rerun reads no other file outside the bundle)",
    )
    rerun.add_argument("--pdf", action="store_true", help="also print report.pdf")
    rerun.add_argument("--language", help="the report's language, en or cy (default: as last time)")
    rerun.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    session = commands.add_parser("session", help="start or close a data surgery session")
    session_commands = session.add_subparsers(dest="session_command", required=True, metavar="ACTION")
    start = session_commands.add_parser("start", help="make a session folder for a charity")
    start.add_argument("charity", help="the charity's name")
    start.add_argument("--root", type=Path, help="where to make it (default ~/data-surgery-sessions)")
    start.add_argument("--in-kit", action="store_true", help="make it under the kit's git-ignored sessions/")
    close = session_commands.add_parser("close", help="delete the charity's files, keep the bundles")
    close.add_argument("--session", type=Path, help="the session folder (default: the current one)")
    close.add_argument("--hand-over", type=Path, help="move the bundles here, then delete the whole session")
    close.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    lab = commands.add_parser("lab", help="open JupyterLab on the playbooks (the session's, else on sample data)")
    lab.add_argument("--session", type=Path, help="the session folder (default: the current one, if any)")
    lab.add_argument("--dry-run", action="store_true", help="prepare and print the command, do not start")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    lab.add_argument("--port", type=int, help="the port to serve on (default: JupyterLab's choice)")

    demo = commands.add_parser("demo", help="every playbook on its bundled sample data")
    demo.add_argument("--out", type=Path, help="folder for the demo bundles (default under reports/)")
    demo.add_argument("--pdf", action="store_true", help="also print each report.pdf")
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    add_data_parser(commands)
    return parser


def command_list(_args) -> int:
    from helpers.spine.catalogue import playbook_lines

    for line in playbook_lines():
        print(line)
    return EXIT_OK


def playbooks_epilog() -> str:
    """The end of ``surgery run --help``: every playbook, read only when the help is shown."""
    from helpers.spine.catalogue import playbook_lines

    lines = playbook_lines(minutes=False)
    if not lines:
        return "No playbooks were found (the kit's playbooks/ folder is missing or empty)."
    return "playbooks:\n" + "\n".join(f"  {line}" for line in lines) + "\n\n`surgery describe PLAYBOOK` lists its parameters."


def command_describe(args) -> int:
    from helpers.spine.catalogue import find_playbook
    from helpers.spine.parameters import read_parameters
    from helpers.spine.runner import RUNNER_OPTIONS

    playbook = find_playbook(args.playbook)
    print(f"{playbook.name}: {playbook.title}")
    if playbook.purpose:
        print(playbook.purpose)
    parameters = read_parameters(playbook.path)
    # The four the kit sets itself are refused by -p, so they are listed apart, with their option.
    kit_set = [name for name in RUNNER_OPTIONS if name in parameters]
    if kit_set:
        print(f"\nSet by the kit (set with {'/'.join(RUNNER_OPTIONS.values())}, not -p):")
        for name in kit_set:
            parameter = parameters[name]
            print(f"  {RUNNER_OPTIONS[name]} ({parameter.name}, default {parameter.default!r})")
            if parameter.help:
                print(f"      {parameter.help}")
    print("\nParameters (set with -p NAME VALUE):")
    others = [parameter for name, parameter in parameters.items() if name not in RUNNER_OPTIONS]
    for parameter in others:
        print(f"  {parameter.name} ({parameter.type_name}, default {parameter.default!r})")
        if parameter.help:
            print(f"      {parameter.help}")
    if not others:
        print("  (none)")
    return EXIT_OK


def default_reports_root() -> Path:
    """The open session's bundles folder, else ``reports/`` here."""
    from helpers.spine.session import current_session

    session = current_session()
    return session.bundles_dir if session else Path("reports")


def default_charity(given: str) -> str:
    """The charity named on the command line, else the open session's charity."""
    from helpers.spine.session import current_session

    session = current_session()
    return given or (session.charity if session else "")


def command_run(args) -> int:
    from helpers.spine.runner import run_playbook

    outcome = run_playbook(
        args.playbook,
        args.data,
        sheet=args.sheet,
        parameters=dict(args.parameter),
        charity=default_charity(args.charity),
        out=args.out,
        pdf=args.pdf,
        overwrite=args.overwrite,
        progress_bar=not args.no_progress,
        reports_root=default_reports_root(),
        language=args.language,
    )
    return _report_outcome(outcome)


def command_rerun(args) -> int:
    from helpers.spine.runner import read_bundle_settings, rerun_parameters, run_playbook
    from helpers.spine.terminal import terminal_text

    settings = read_bundle_settings(args.bundle)
    parameters, read_lines = rerun_parameters(args.bundle, settings, dict(args.parameter))
    print(terminal_text(f"Reading the new data named on the command line: {args.data}"))
    for line in read_lines:
        print(terminal_text(f"Reading {line}"))
    outcome = run_playbook(
        settings["playbook"],
        args.data,
        sheet=args.sheet or settings.get("sheet"),
        parameters=parameters,
        charity=settings.get("charity") or "",
        out=args.out,
        pdf=args.pdf,
        progress_bar=not args.no_progress,
        reports_root=default_reports_root(),
        previous_bundle=args.bundle,
        language=args.language or settings.get("language") or "en",
    )
    return _report_outcome(outcome)


def command_session(args) -> int:
    from helpers.spine import session as sessions

    if args.session_command == "start":
        started = sessions.start_session(args.charity, root=args.root, inside_kit=args.in_kit)
        print(sessions.next_steps(started))
        return EXIT_OK
    from helpers.spine.catalogue import list_playbooks

    from helpers.spine.terminal import terminal_text

    current = sessions.require_session(args.session)
    print(terminal_text(f"Closing the session for {current.charity} in {current.folder}."))
    print(f"This deletes {current.data_dir} and {current.work_dir} (the charity's files and all working copies).")
    if args.hand_over:
        print(f"The bundles are moved to {args.hand_over} and the session folder is deleted.")
    if not args.yes:
        if not sys.stdin.isatty():
            print("Problem: add --yes to close a session without a terminal to confirm at.", file=sys.stderr)
            return EXIT_INPUT_PROBLEM
        if input("Type 'yes' to delete them: ").strip().lower() != "yes":
            print("Nothing was deleted.")
            return EXIT_OK
    personal = {p.name: list(p.personal_files) for p in list_playbooks()}
    report = sessions.close_session(current, personal, hand_over_to=args.hand_over)
    print(f"Deleted {len(report.deleted)} files:")
    for path in report.deleted:
        print(f"  {path}")
    if report.links:
        print(f"Removed {len(report.links)} links (what they point at was not touched):")
        for path in report.links:
            print(f"  {path}")
    where = report.handed_over_to or current.bundles_dir
    print(f"Kept {len(report.kept)} files for the charity in {where}.")
    for note in report.notes:
        print(f"Note: {note}")
    if report.personal_files:
        print("These files hold personal data: give them only to the charity, then delete your copy:")
        for path in report.personal_files:
            print(f"  {path}")
    return EXIT_OK


def command_lab(args) -> int:
    import os

    from helpers.spine.catalogue import playbooks_dir
    from helpers.spine.kernel import DISPLAY_NAME, install_kernel
    from helpers.spine.lab import lab_environment, lab_switches, practice_session
    from helpers.writing.playbook import SESSION_OUTPUT_ENV
    from helpers.spine.session import copy_playbooks_for_lab, current_session, lab_arguments, require_session

    # No session: a practice folder, the playbooks on their sample data (no charity's file in sight).
    current = require_session(args.session) if args.session else current_session()
    practising = current is None
    if practising:
        current = practice_session()
    copies = copy_playbooks_for_lab(current, playbooks_dir())
    config = current.work_dir / "lab-config"
    # IPython's history of the lab's kernels stays in the session, and goes when it is closed.
    environment = {**lab_environment(config), SESSION_OUTPUT_ENV: str(current.work_dir / "output"),
                   "IPYTHONDIR": str(current.work_dir / "ipython")}
    # Served on this machine only: the session holds a charity's personal data.
    command = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.root_dir={current.folder}",
               f"--LabApp.default_url=/lab/tree/{copies.relative_to(current.folder).as_posix()}",
               *lab_arguments(current), *lab_switches()]
    if args.no_browser:
        command.append("--no-browser")
    if args.port:  # that port or none: a silent switch to another would confuse the volunteer
        command += [f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    if practising:
        print(f"No session is open: JupyterLab opens a practice folder, {current.folder},")
        print(f"  {copies.relative_to(current.folder)}/  copies of the playbooks, which run on the kit's sample data")
        print('For a charity\'s file, start a session first: surgery session start "Charity name"')
    else:
        print(f"JupyterLab opens on {current.folder}:")
        print(f"  {copies.relative_to(current.folder)}/  the playbooks (your copies for this session)")
        print(f"  {current.data_dir.relative_to(current.folder)}/  the charity's files")
        print(f"  {current.bundles_dir.relative_to(current.folder)}/  reports for the charity")
    print(f"Playbooks run here write their files to {current.work_dir / 'output'}.")
    if args.dry_run:
        print(" ".join(command))
        return EXIT_OK
    try:  # the playbooks name the kit's kernel; the first lab puts it in this environment
        install_kernel()
    except OSError as error:
        print(f"Note: the '{DISPLAY_NAME}' kernel could not be installed ({error}); choose Python 3 in JupyterLab.")
    sys.stdout.flush()
    if os.name != "posix":  # Windows has no exec: wait for JupyterLab instead (Ctrl+C reaches both)
        import subprocess

        return subprocess.call(command, env=environment)
    # Become JupyterLab rather than wait for it, so Ctrl+C and a stop signal reach the server itself.
    os.execve(command[0], command, environment)


def _report_outcome(outcome) -> int:
    from helpers.spine.terminal import terminal_text  # the message may quote the charity's headers

    if outcome.exit_code == EXIT_OK:
        print(terminal_text(outcome.message))
        print(terminal_text(f"Files in the bundle: {', '.join(outcome.files)}"))
    else:
        print(terminal_text(f"Problem: {outcome.message}"), file=sys.stderr)
        if outcome.bundle is not None:
            print(terminal_text(f"An error report was written to {outcome.bundle / 'report.html'}"), file=sys.stderr)
    return outcome.exit_code


def command_demo(args) -> int:
    from helpers.spine.demo import run_demo

    return run_demo(out=args.out, pdf=args.pdf, progress_bar=not args.no_progress,
                    day=dt.date.today())


class _KitParser(argparse.ArgumentParser):
    """A command's parser whose ``epilog`` may be a function, called only when the help is shown.

    ``surgery run --help`` lists the playbooks, which means reading each notebook: a cost
    that every other use of the parser (every ``surgery run`` above all) should not pay.
    """

    def format_help(self) -> str:
        if callable(self.epilog):
            self.epilog = self.epilog()
        return super().format_help()


class _DataAddParser(argparse.ArgumentParser):
    """The ``data add`` parser: its help names the download address, read only when help is shown.

    The address lives with who-we-reach's method, whose package imports pandas and matplotlib:
    two seconds that every other command (``surgery run`` above all) would pay to build its parser.
    """

    def format_help(self) -> str:
        from helpers.reach.directory import DOWNLOAD_ADDRESS

        self.description = self.description.replace("{address}", DOWNLOAD_ADDRESS)
        return super().format_help()


def add_data_parser(commands) -> None:
    """``surgery data add FILE``: keep a copy of the ONS Postcode Directory for who-we-reach."""
    data = commands.add_parser("data", help="add open reference data the playbooks can use offline")
    actions = data.add_subparsers(dest="data_command", required=True, metavar="ACTION",
                                  parser_class=_DataAddParser)
    add = actions.add_parser(
        "add", help="index a downloaded ONS Postcode Directory (ONSPD) or NSPL file",
        description=("Index the ONS Postcode Directory or National Statistics Postcode Lookup, downloaded "
                     "once from {address}, into a compact cache outside the kit, so that "
                     "who-we-reach finds each postcode's exact neighbourhood. Give the zip as "
                     "downloaded, or its main CSV."),
    )
    add.add_argument("file", type=Path, help="the downloaded ONSPD or NSPL zip, or its main CSV")
    add.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    add.add_argument("--replace-small", action="store_true",
                     help="accept a file of fewer than 1,000 postcodes or one postcode area (a test or an extract)")
    actions.add_parser("status", help="show the postcode directory installed: its source file, date and count",
                       description="Show the postcode directory added with 'surgery data add', if any.")


def command_data(args) -> int:
    from helpers.reach.directory import add_directory, cache_folder, directory_status

    if args.data_command == "status":
        print(directory_status())
        return EXIT_OK
    about = add_directory(args.file, progress=not args.no_progress, replace_small=args.replace_small)
    name = about["file"].encode("unicode_escape").decode("ascii")
    print(f"Indexed {about['postcodes']:,} postcodes in {about['areas']:,} postcode areas from {name} "
          f"into {cache_folder()}. who-we-reach now uses exact neighbourhoods.")
    return EXIT_OK


COMMANDS = {
    "list": command_list,
    "describe": command_describe,
    "run": command_run,
    "demo": command_demo,
    "rerun": command_rerun,
    "session": command_session,
    "lab": command_lab,
    "data": command_data,
}


def _clear_killed_runs() -> None:
    """What killed runs left (staging folders, Chromium profiles) goes as the kit starts: by mark only."""
    from helpers.spine.owned import sweep_in_flight

    sweep_in_flight()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``surgery`` console script and ``python -m helpers``."""
    try:
        try:
            return _command(argv)
        finally:
            # A reader that went away (`surgery describe x | head`) is noticed here, not by Python at exit.
            sys.stdout.flush()
    except BrokenPipeError:
        return _reader_went_away()
    finally:
        # Python's shutdown runs full garbage collections over every object the imports made
        # (papermill and nbconvert: some 180,000), over a second on a busy laptop. The command
        # is done, so those objects are taken out of the collector's sight; memory goes back at exit.
        gc.freeze()


def _reader_went_away() -> int:
    """The output was piped into a reader that stopped early (``| head``, ``q`` in ``less``): end quietly.

    Python would otherwise complain when it flushes stdout at exit; stdout now goes nowhere.
    """
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


def _command(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _clear_killed_runs()
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        return _reader_went_away()
    except InputProblem as problem:
        from helpers.spine.terminal import terminal_text

        print(terminal_text(f"Problem: {problem}"), file=sys.stderr)
        return EXIT_INPUT_PROBLEM
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a sentence for the volunteer, the traceback on request
        import os

        if os.environ.get("SURGERY_DEBUG"):
            raise
        from helpers.spine.terminal import terminal_text

        print(terminal_text(f"Problem: the kit stopped with an error it did not expect ({type(error).__name__}: "
                            f"{error}). Nothing in the charity's file was changed. Run the command again with "
                            "SURGERY_DEBUG=1 set to see the technical detail."), file=sys.stderr)
        return EXIT_PLAYBOOK_FAILED


if __name__ == "__main__":
    sys.exit(main())
