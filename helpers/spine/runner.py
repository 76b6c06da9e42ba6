"""One run of a playbook, end to end: check, execute, render, bundle.

``surgery run`` and ``surgery demo`` both come here. The run executes and renders
in this one process with one kernel, and the kernel is started first so that it
boots while the runner imports papermill and nbconvert.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import __version__
from helpers.spine.bundle import (BundleNotWritten, bundle_folder_of, file_sha256, load_small_json, load_small_yaml,
                                  not_written_message, open_bundle, write_json, write_params_yaml, write_whole)
from helpers.spine.catalogue import Playbook, find_playbook
from helpers.errors import EXIT_INPUT_PROBLEM, EXIT_OK, EXIT_PLAYBOOK_FAILED, InputProblem
from helpers.reading.inputfile import check_input_file
from helpers.spine.parameters import check_parameters, read_parameters

#: Parameters the runner sets itself; a playbook declares those it uses.
RUNNER_PARAMETERS = ("data_file", "sheet", "output_dir", "charity_name")

#: The command-line option that sets each runner parameter, for the refusal of ``-p data_file``.
RUNNER_OPTIONS = {"data_file": "--data", "sheet": "--sheet", "output_dir": "--out", "charity_name": "--charity"}


def refuse_runner_parameters(given: dict) -> None:
    """Refuse ``-p output_dir`` and the like: the runner sets them from its own options.

    Raises:
        InputProblem: Names the option to use instead.

    Example:
        >>> refuse_runner_parameters({"horizon_weeks": "8"})
        >>> refuse_runner_parameters({"output_dir": "/tmp/x"})
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: The kit sets output_dir itself; it cannot be given with -p. Use --out /tmp/x instead.
    """
    for name, option in RUNNER_OPTIONS.items():
        if name in given:
            raise InputProblem(
                f"The kit sets {name} itself; it cannot be given with -p. Use {option} {given[name]} instead."
            )


@dataclass
class RunOutcome:
    """How a run ended, for the command line to report."""

    exit_code: int
    bundle: Path | None
    message: str
    files: list[str] = field(default_factory=list)


def with_files_from_here(checked: dict, playbook: Playbook) -> dict:
    """File parameters given on the command line, made absolute from the folder the volunteer is in.

    The kernel runs in the playbooks' folder, so ``-p volunteers signups.csv`` would otherwise be looked
    for there. A file parameter is one whose name ends ``_file`` or that the playbook's metadata lists in
    ``file_parameters``; a value that names no file here is left as it is (the playbook says what is wrong).

    Example:
        >>> import tempfile, os
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "signups.csv").write_text("Name")
        >>> here = os.getcwd(); os.chdir(folder)
        >>> book = Playbook("p", folder / "p.ipynb", "", "", None, file_parameters=("volunteers",))
        >>> Path(with_files_from_here({"volunteers": "signups.csv", "rooms": 4}, book)["volunteers"]).is_absolute()
        True
        >>> os.chdir(here)
    """
    files = set(playbook.file_parameters)
    resolved = dict(checked)
    for name, value in checked.items():
        if (name.endswith("_file") or name in files) and isinstance(value, str) and value.strip():
            candidate = Path(value.strip()).expanduser()
            if not candidate.is_absolute() and candidate.is_file():
                resolved[name] = str(candidate.resolve())
    return resolved


def default_data_file(playbook: Playbook) -> Path:
    """The sample data a playbook's ``data_file`` default points at."""
    default = read_parameters(playbook.path)["data_file"].default
    return (playbook.folder / default).resolve()


def run_playbook(
    name: str,
    data_file: Path,
    sheet: str | None = None,
    parameters: dict[str, Any] | None = None,
    charity: str = "",
    out: Path | None = None,
    pdf: bool = False,
    overwrite: bool = False,
    reports_root: Path = Path("reports"),
    progress_bar: bool = True,
    previous_bundle: Path | None = None,
    language: str = "en",
) -> RunOutcome:
    """Run a playbook against a file and write the bundle the charity keeps.

    Args:
        name: The playbook's name (see ``surgery list``).
        data_file: The charity's file.
        sheet: The sheet to read from a workbook (default: the first with data).
        parameters: Other parameters, as strings from the command line or typed values.
        charity: The charity's name, for the report and the bundle's folder name.
        out: The bundle folder; default ``reports/<charity>-<playbook>-<date>``.
        pdf: Also print ``report.pdf`` with Chromium.
        overwrite: Allow ``out`` to hold an earlier run's files.
        reports_root: Where default bundle folders go.
        progress_bar: Show a progress bar while cells run.
        previous_bundle: An earlier bundle of the same playbook; the report then
            opens with the headline figures next to that bundle's.
        language: The language of the report's fixed words (``en`` or ``cy``; see
            :mod:`helpers.writing.language`); an unknown code is refused before the run.

    Returns:
        The exit code (0 done, 1 the playbook failed, 2 input or parameter
        problem), the bundle folder and a message for the terminal.
    """
    try:
        playbook = find_playbook(name)
        declared = read_parameters(playbook.path)
        refuse_runner_parameters(dict(parameters or {}))
        from helpers.writing.language import check_language

        language = check_language(language)
        checked = with_files_from_here(check_parameters(declared, dict(parameters or {})), playbook)
        data_path = check_input_file(data_file)
        if pdf:
            from helpers.spine.pdf import find_chromium, missing_chromium_message

            if find_chromium() is None:
                # Say so before the run, not only after it: the volunteer may want to stop.
                print(f"Note: {missing_chromium_message()}")
        if previous_bundle is not None:
            read_bundle_summary(previous_bundle)  # a broken earlier bundle is refused before the run
        today = dt.date.today()
        write = open_bundle(reports_root, charity, playbook.name, today, out, overwrite, input_file=data_path)
    except InputProblem as problem:
        return RunOutcome(EXIT_INPUT_PROBLEM, None, str(problem))

    try:
        outcome = _run_in_kernel(playbook, declared, checked, data_path, sheet, charity, write.staging,
                                 pdf, today, progress_bar, previous_bundle, language)
        bundle = write.finish()  # only a report written to its end is moved into place
    except BundleNotWritten as problem:  # a full disk: the earlier bundle stays, and the volunteer is told why
        write.abandon()
        return RunOutcome(EXIT_INPUT_PROBLEM, None, str(problem))
    except BaseException:  # Ctrl+C, or a bundle that cannot be moved into place: leave no half bundle
        write.abandon()
        raise
    outcome.message = outcome.message.replace(str(write.staging), str(bundle))
    outcome.files = _files(bundle)
    outcome.bundle = bundle if outcome.bundle is not None else None
    return outcome


def _run_in_kernel(playbook, declared, checked, data_path, sheet, charity, staging, pdf, today,
                   progress_bar, previous_bundle, language="en") -> RunOutcome:
    from helpers.spine.execute import collector_paused, import_lines, import_papermill, start_kernel, stop_kernel

    kernel = None
    try:
        with collector_paused():
            kernel = start_kernel(cwd=playbook.folder, preload=import_lines(playbook.path))
            # While the kernel boots: this process's own heavy imports, made once, here.
            import_papermill()
            import nbconvert  # noqa: F401
        try:
            return _execute_into_bundle(
                playbook, declared, checked, data_path, sheet, charity, staging, pdf, today,
                kernel, progress_bar, previous_bundle, language,
            )
        except OSError as error:
            if _disk_full(error):  # the bundle itself could not be written
                raise BundleNotWritten(not_written_message(bundle_folder_of(staging), error)) from None
            raise
    except BundleNotWritten:
        raise
    except Exception as error:  # noqa: BLE001 - the volunteer gets a sentence and a report, not a traceback
        return _unexpected(error, playbook, charity, data_path, today, staging)
    finally:
        try:
            stop_kernel(kernel)
        except Exception:  # noqa: BLE001 - a kernel that is already gone needs no stopping
            pass


def _unexpected(error, playbook, charity, data_path, today, staging) -> RunOutcome:
    """An error report and a sentence for what no playbook step raised on purpose."""
    from helpers.spine.execute import CellFailure, explain_kernel_problem
    from helpers.spine.report import render_error_report

    explained = explain_kernel_problem(error)
    if explained is not None:
        failure = CellFailure(-1, "InputProblem", explained, [], "")
        code, message = EXIT_INPUT_PROBLEM, explained
    else:
        failure = CellFailure(-1, type(error).__name__, str(error), [], "")
        code = EXIT_PLAYBOOK_FAILED
        message = (f"The run stopped with an error the kit did not expect ({type(error).__name__}: "
                   f"{error}). Nothing was changed in {data_path.name}; the error report says what to try.")
    provenance = {"playbook": playbook.name, "kit_version": __version__, "run_date": today.isoformat(),
                  "charity": charity, "input_file": data_path.name}
    try:
        write_whole(staging / "report.html", render_error_report(failure, provenance, playbook.title, None))
        write_json(staging / "summary.json", {"provenance": provenance, "error": {
            "step": None, "kind": failure.error_name, "message": message}})
    except OSError as problem:  # the error report itself did not fit: say so, never claim it was written
        raise BundleNotWritten(not_written_message(bundle_folder_of(staging), problem)) from None
    return RunOutcome(code, staging, message, _files(staging))


def _disk_full_message(error_name: str, message: str) -> bool:
    """Whether a playbook cell stopped because the disk is full (its error arrives as text from the kernel).

    Example:
        >>> _disk_full_message("OSError", "[Errno 28] No space left on device: 'cleaned.xlsx'")
        True
        >>> _disk_full_message("KeyError", "No space left on device")
        False
    """
    return error_name.split(".")[-1] in ("OSError", "IOError") and (
        "[Errno 28]" in message or "No space left on device" in message or "[Errno 122]" in message)


def _disk_full(error: OSError) -> bool:
    import errno

    return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _execute_into_bundle(
    playbook, declared, checked, data_path, sheet, charity, bundle, pdf, today, kernel,
    progress_bar, previous_bundle, language="en",
) -> RunOutcome:
    from helpers.spine.execute import end_kernel, execute_playbook
    from helpers.spine.report import heading_before, render_error_report, render_report, warm_up

    injected = dict(checked)
    runner_values = {
        "data_file": str(data_path),
        "sheet": sheet or "",
        "output_dir": str(bundle.resolve()),
        "charity_name": charity,
    }
    for key, value in runner_values.items():
        if key in declared and (value or key not in injected):
            injected[key] = value
    if language != "en":  # the kernel's helpers write the kit's fixed words in it (helpers.writing.language)
        injected["report_language"] = language

    checksum_before = file_sha256(data_path)
    # The kernel does the work from here; meanwhile this process compiles the report templates.
    threading.Thread(target=warm_up, name="report-warm-up", daemon=True).start()
    execution = execute_playbook(
        playbook.path, bundle / "notebook.ipynb", injected, cwd=playbook.folder,
        kernel_manager=kernel, progress_bar=progress_bar,
    )
    end_kernel(kernel)  # the kernel's work is done; it exits while the report renders
    if file_sha256(data_path) != checksum_before:  # the promise to every charity
        raise RuntimeError(f"The input file {data_path.name} changed during the run.")

    summary_path = bundle / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    shown_parameters = {
        key: value for key, value in injected.items() if key not in ("data_file", "output_dir", "report_language")
    }
    provenance = {
        "playbook": playbook.name,
        "kit_version": __version__,
        "run_date": today.isoformat(),
        "charity": charity,
        "input_file": data_path.name,
        "input_sheet": summary.get("input", {}).get("sheet") or sheet or None,
        "input_sha256": checksum_before,
        "input_rows": summary.get("input", {}).get("rows"),
        "parameters": shown_parameters,
        "charts": sum(1 for _ in (bundle / "charts").glob("*.png")),
        "language": language,
    }
    write_params_yaml(
        bundle,
        {
            "playbook": playbook.name,
            "data_file": data_path.name,
            "sheet": sheet or None,
            "charity": charity,
            "parameters": {k: v for k, v in checked.items() if k not in RUNNER_PARAMETERS},
            "run_date": today.isoformat(),
            "kit_version": __version__,
            "language": language,
        },
    )

    if execution.failure is not None:
        failure = execution.failure
        if _disk_full_message(failure.error_name, failure.message):  # the playbook's own files did not fit
            raise BundleNotWritten(not_written_message(bundle_folder_of(bundle), OSError(28, failure.message)))
        step = heading_before(execution.notebook, failure.cell_index)
        write_whole(bundle / "report.html", render_error_report(failure, provenance, playbook.title, step))
        summary["provenance"] = provenance
        summary["error"] = {"step": step, "kind": failure.error_name,
                            "message": failure.message if failure.is_input_problem else None}
        write_json(summary_path, summary)
        code = EXIT_INPUT_PROBLEM if failure.is_input_problem else EXIT_PLAYBOOK_FAILED
        message = failure.message if failure.is_input_problem else (
            f"The playbook stopped at '{step or f'cell {failure.cell_index}'}' with "
            f"{failure.error_name}: {failure.message}. See notebook.ipynb in {bundle}."
        )
        return RunOutcome(code, bundle, message, _files(bundle))

    opening_note = None
    if previous_bundle is not None:
        from helpers.spine.compare import compare_summaries, comparison_markdown

        previous = read_bundle_summary(previous_bundle)
        changes = compare_summaries(previous, summary)
        previous_date = _text_or_none((previous.get("provenance") or {}).get("run_date"))
        opening_note = comparison_markdown(changes, previous_date)
        summary["compared_with_previous"] = {
            "previous_run_date": previous_date,
            "figures": {c.key: {"previous": c.previous, "now": c.now, "change": c.difference,
                                "percent_change": c.percent} for c in changes},
        }
    html_text = render_report(execution.notebook, provenance, playbook.title, opening_note, language=language)
    report_path = bundle / "report.html"
    write_whole(report_path, html_text)
    summary["provenance"] = provenance
    write_json(summary_path, summary)

    from helpers.spine.board_page import write_board_page

    if not pdf:
        write_board_page(bundle, pdf=False)
    if pdf:
        from helpers.spine.pdf import print_to_pdf

        try:
            print_to_pdf(report_path, bundle / "report.pdf")
            write_board_page(bundle, pdf=True)
        except InputProblem as problem:
            return RunOutcome(EXIT_INPUT_PROBLEM, bundle, str(problem), _files(bundle))
        except Exception as error:  # noqa: BLE001 - the HTML report is good; keep it, say what failed
            (bundle / "report.pdf").unlink(missing_ok=True)
            return RunOutcome(EXIT_PLAYBOOK_FAILED, bundle, (
                f"The report was written to {report_path}, but report.pdf could not be printed "
                f"({type(error).__name__}: {error}). Open report.html in a browser and print it from there."
            ), _files(bundle))
    return RunOutcome(EXIT_OK, bundle, f"Report written to {report_path}", _files(bundle))


def read_bundle_settings(bundle: Path) -> dict:
    """The ``params.yaml`` of an earlier bundle, for ``surgery rerun``.

    Read with limits (see :func:`helpers.spine.bundle.load_small_yaml`): a params.yaml with
    aliases, deep nesting or megabytes of text is refused in well under a second.

    Raises:
        InputProblem: The folder is not a bundle the kit wrote, or its params.yaml is damaged.
    """
    bundle = Path(bundle)
    path = bundle / "params.yaml"
    if not path.is_file() or not (bundle / "summary.json").is_file():
        raise InputProblem(
            f"'{bundle}' is not a report bundle from the kit (it needs params.yaml and summary.json). "
            "Give the folder of an earlier `surgery run`."
        )
    read_bundle_summary(bundle)
    try:
        settings = load_small_yaml(path)
    except ValueError as problem:
        raise InputProblem(
            f"The params.yaml in '{bundle}' cannot be used ({problem}), so the earlier run cannot be "
            "repeated. Run the playbook afresh with `surgery run`."
        ) from None
    if not isinstance(settings, dict) or not isinstance(settings.get("playbook"), str) or not isinstance(
            settings.get("parameters") or {}, dict):
        raise InputProblem(
            f"The params.yaml in '{bundle}' is damaged, so the earlier run cannot be repeated. "
            "Run the playbook afresh with `surgery run`."
        )
    for key in ("sheet", "charity", "language"):
        if settings.get(key) is not None and not isinstance(settings[key], str):
            raise InputProblem(
                f"The params.yaml in '{bundle}' gives {key} as {_shown(settings[key])}, not text, so the "
                "earlier run cannot be repeated. Run the playbook afresh with `surgery run`."
            )
    return settings


def _shown(value: Any, limit: int = 60) -> str:
    """A value as the volunteer may read it in a message: short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def rerun_parameters(bundle: Path, settings: dict, given: dict[str, str]) -> tuple[dict, list[str]]:
    """The parameters a rerun uses, and a line for each file it will read besides the new data.

    ``rerun`` reads only files inside the earlier bundle or named again on the command line:
    a file parameter (a name ending ``_file``) from ``params.yaml`` that points anywhere else
    (``stock_on_hand_file: /home/volunteer/other-charity.xlsx``) is refused unless given again
    with ``-p``. A relative path is taken from the bundle folder.

    Args:
        bundle: The earlier bundle.
        settings: Its ``params.yaml`` (from :func:`read_bundle_settings`).
        given: ``-p NAME VALUE`` pairs from the rerun's command line; they win.

    Returns:
        The parameters, and the lines saying which files are read and why.

    Raises:
        InputProblem: A file parameter names a file outside the bundle.

    Example:
        >>> import tempfile
        >>> bundle = Path(tempfile.mkdtemp())
        >>> _ = (bundle / "stock.csv").write_text("Item,Quantity")
        >>> parameters, lines = rerun_parameters(bundle, {"parameters": {"stock_on_hand_file": "stock.csv"}}, {})
        >>> Path(parameters["stock_on_hand_file"]) == (bundle / "stock.csv").resolve(), lines[0].endswith("(inside the earlier bundle)")
        (True, True)
    """
    parameters = dict(settings.get("parameters") or {})
    lines = []
    inside = Path(bundle).resolve()
    files = _file_parameters(settings.get("playbook"))
    for name, value in list(parameters.items()):
        if name in given or not (name.endswith("_file") or name in files) or value in (None, "") or (
                isinstance(value, str) and not value.strip()):
            continue
        candidate = Path(str(value)).expanduser()
        candidate = (inside / candidate) if not candidate.is_absolute() else candidate
        resolved = candidate.resolve()
        if inside not in resolved.parents or not resolved.is_file():
            raise InputProblem(
                f"The earlier run's params.yaml sets {name} to '{value}', a file outside the bundle "
                f"'{bundle}'. A rerun reads only files inside the bundle or named again on the command line, "
                f"so it was not read. Give it again to use it: -p {name} PATH (or -p {name} '' for none)."
            )
        parameters[name] = str(resolved)
        lines.append(f"{name}: {resolved} (inside the earlier bundle)")
    for name, value in given.items():
        parameters[name] = value
        if (name.endswith("_file") or name in files) and str(value).strip():
            lines.append(f"{name}: {value} (named on the command line)")
    return parameters, lines


def _file_parameters(playbook_name) -> tuple[str, ...]:
    """The parameters a playbook's metadata says name a file (``file_parameters``), for a rerun's check."""
    try:
        return find_playbook(str(playbook_name)).file_parameters if playbook_name else ()
    except InputProblem:
        return ()


def read_bundle_summary(bundle: Path) -> dict:
    """The ``summary.json`` of an earlier bundle, read with limits (size and depth).

    Raises:
        InputProblem: It is missing, too large, too deeply nested or not readable JSON
            (a damaged or edited bundle).
    """
    path = Path(bundle) / "summary.json"
    try:
        summary = load_small_json(path)
    except (OSError, ValueError):
        summary = None
    if not isinstance(summary, dict) or not isinstance(summary.get("provenance") or {}, dict):
        raise InputProblem(
            f"The summary.json in '{bundle}' is missing or damaged, so this run cannot be compared "
            "with it. Run the playbook afresh with `surgery run`, or give another earlier bundle."
        )
    return summary


def _files(bundle: Path) -> list[str]:
    from helpers.spine.owned import MARKER_NAME

    return sorted(p.name for p in bundle.iterdir() if p.is_file() and p.name != MARKER_NAME)
