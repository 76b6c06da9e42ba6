"""What keeps `surgery run` quick: nothing imported that the command does not use, no garbage
collection over import-made objects, a kernel whose collector is back on for the playbook."""

import subprocess
import sys
import threading

import nbformat

from helpers.spine import report
from helpers.spine.execute import execute_playbook, start_kernel, stop_kernel


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_command_line_parser_does_not_import_a_playbook_method():
    # who-we-reach's package imports pandas and matplotlib: seconds before every `surgery run`.
    loaded = _python("import sys\nfrom helpers.spine.cli import build_parser\nbuild_parser()\n"
                     "print(sorted(m for m in ('helpers.reach', 'pandas', 'matplotlib') if m in sys.modules))")
    assert loaded == "[]"


def test_data_add_help_still_names_the_download_address():
    shown = _python("from helpers.spine.cli import build_parser\n"
                    "try:\n    build_parser().parse_args(['data', 'add', '--help'])\nexcept SystemExit:\n    pass")
    assert "geoportal.statistics.gov.uk" in shown
    assert "{address}" not in shown


def test_papermill_is_imported_without_pyarrow_which_stays_importable():
    seen = _python("import sys\nfrom helpers.spine.execute import import_papermill\nimport_papermill()\n"
                   "print('pyarrow' in sys.modules, 'papermill' in sys.modules)\n"
                   "import pyarrow.fs\nprint(pyarrow.fs.__name__)")
    assert seen.splitlines() == ["False True", "pyarrow.fs"]


def test_the_playbook_runs_with_the_collector_on_and_the_preloaded_modules_frozen(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(
        "import gc, sys\nprint(gc.isenabled(), gc.get_freeze_count() > 10_000, 'pandas' in sys.modules)")]
    path = tmp_path / "check.ipynb"
    nbformat.write(notebook, path)
    kernel = start_kernel(cwd=tmp_path, preload=["import json"])
    try:
        execution = execute_playbook(path, tmp_path / "out.ipynb", {}, cwd=tmp_path,
                                     kernel_manager=kernel, progress_bar=False)
    finally:
        stop_kernel(kernel)
    assert execution.failure is None
    assert execution.notebook.cells[0].outputs[0]["text"].strip() == "True True True"


def test_the_report_warm_up_renders_once_however_many_runs_ask(monkeypatch):
    rendered = []
    monkeypatch.setattr(report, "_warmed", [])
    monkeypatch.setattr(report, "_render_sample", lambda: rendered.append(threading.get_ident()))
    callers = [threading.Thread(target=report.warm_up) for _ in range(3)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    report.warm_up()
    assert len(rendered) == 1


def test_a_kernel_killed_after_its_work_is_collected_without_a_trace(tmp_path):
    from pathlib import Path

    from helpers.spine.execute import end_kernel

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "answer.ipynb"
    nbformat.write(notebook, path)
    kernel = start_kernel(cwd=tmp_path)
    connection_file = Path(kernel.connection_file)
    process = kernel.provisioner.process
    execution = execute_playbook(path, tmp_path / "out.ipynb", {}, cwd=tmp_path, kernel_manager=kernel,
                                 progress_bar=False)
    end_kernel(kernel)
    stop_kernel(kernel)
    assert execution.notebook.cells[0].outputs[0]["text"] == "42\n"
    assert process.poll() is not None and not kernel.has_kernel
    assert not connection_file.exists()
