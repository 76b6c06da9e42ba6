"""Run a playbook notebook with papermill, and say plainly how it ended.

The kernel can be started before papermill is even imported (see
:func:`start_kernel`), so that the kernel's start-up overlaps the runner's own
imports: most of a short playbook's wall time is start-up, not analysis.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# jsonschema imports the optional rfc3987_syntax package when it is installed,
# and building its grammar costs one to two seconds at start-up (jsonschema issue
# #1428). Only the "iri" string format uses it, and no notebook schema does, so
# the kit tells Python the package is absent before nbformat pulls jsonschema in.
sys.modules.setdefault("rfc3987_syntax", None)

#: The fallback kernel; the kit's own "Data Surgery Kit" spec is used when installed (helpers/spine/kernel.py).
KERNEL_NAME = "python3"

#: Imported by the kernel as it boots. The runner starts the kernel before importing
#: papermill and nbconvert itself, so these imports overlap the runner's own instead
#: of adding to the playbook's first cell.
KERNEL_PRELOAD = ("import pandas", "import matplotlib.pyplot", "import helpers.writing.charts", "import helpers.reading.loader")


def _kernel_name() -> str:
    from helpers.spine.kernel import kernel_name

    return kernel_name()


@dataclass
class CellFailure:
    """Where and how a playbook stopped."""

    cell_index: int
    error_name: str
    message: str
    traceback: list[str]
    source: str

    @property
    def is_input_problem(self) -> bool:
        """True when the playbook refused the charity's file or a parameter."""
        return self.error_name.split(".")[-1] == "InputProblem"


#: What a volunteer is told when the kernel process dies mid-run (the operating system
#: killed it, nearly always for want of memory).
KERNEL_DIED = (
    "The analysis stopped part-way because Python was shut down, almost always because the "
    "file is too big for this machine's memory. Try a smaller extract of the file (fewer rows, "
    "or only the columns the question needs), close other programs, or use a machine with more memory."
)

#: What a volunteer is told when the kernel never answers (no loopback network, a stuck machine).
KERNEL_SILENT = (
    "The Python kernel that runs the playbook did not start or did not answer. It talks to the "
    "kit over this machine's own network address (127.0.0.1); check that local networking is "
    "not switched off or blocked, that the machine is not overloaded, then run the command again."
)


def explain_kernel_problem(error: BaseException) -> str | None:
    """A plain sentence for a kernel that died or never answered; ``None`` for other errors.

    Example:
        >>> explain_kernel_problem(RuntimeError("Kernel didn't respond in 60 seconds")) == KERNEL_SILENT
        True
        >>> explain_kernel_problem(ValueError("x")) is None
        True
    """
    from nbclient.exceptions import DeadKernelError

    if isinstance(error, DeadKernelError):
        return KERNEL_DIED
    if isinstance(error, RuntimeError) and any(
        words in str(error) for words in ("didn't respond", "died before replying", "Kernel died")
    ):
        return KERNEL_SILENT
    return None


def start_timeout() -> int:
    """Seconds to wait for a kernel to answer: ``SURGERY_KERNEL_START_TIMEOUT``, else 60."""
    import os

    try:
        return max(1, int(os.environ.get("SURGERY_KERNEL_START_TIMEOUT", "60")))
    except ValueError:
        return 60


@dataclass
class Execution:
    """The executed notebook and, if it stopped early, the failure."""

    notebook: Any
    failure: CellFailure | None


def import_lines(notebook_path: Path) -> list[str]:
    """The import statements of a notebook's code cells, for the kernel to run as it boots.

    Imports are safe to run early and twice, and they are most of a short
    playbook's first-cell time.
    """
    import ast
    import json

    lines = []
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return list(dict.fromkeys(lines))


#: Run by the kernel around its preload: imports make hundreds of thousands of long-lived
#: objects and no garbage, so the collector's full passes over them are wasted; afterwards
#: they are frozen out of its sight, and the playbook's cells pay only for their own objects.
KERNEL_COLLECTOR_OFF = "__import__('gc').disable()"
KERNEL_COLLECTOR_ON = ("__import__('gc').enable()", "__import__('gc').freeze()")


@contextmanager
def collector_paused():
    """Switch Python's cyclic garbage collector off for a block of imports, then back on.

    Importing papermill, nbconvert and jupyter_client makes some 200,000 objects that live
    as long as the process; the collector's full passes over them while they are being
    made cost the runner about a fifth of its import time, and find nothing to free.

    Example:
        >>> import gc
        >>> with collector_paused():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache
def _ready_client_class():
    """jupyter_client's asynchronous client, without the wait for silence after the kernel answers.

    jupyter_client's ``wait_for_ready`` ends by draining IOPub until it has been quiet
    for 0.2 s: a fixed fifth of a second before every playbook's first cell. Papermill's
    client reads only the IOPub messages that answer its own requests, so nothing needs
    draining; the rest of the check (a ``kernel_info`` reply on shell, then a message on
    IOPub to show that channel is connected) is kept as it is, and so are its error texts,
    which :func:`explain_kernel_problem` recognises.
    """
    import time
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if reply["msg_type"] == "kernel_info_reply":
                        try:
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass  # IOPub not connected yet: ask again
                        else:
                            self._handle_kernel_info_reply(reply)
                            return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)

    return ReadyClient


#: The kernel keeps no record of what it ran: IPython's history.sqlite would otherwise hold every
#: run's charity name, data path and code, in the volunteer's home folder, after the session is closed.
KERNEL_PRIVACY_SWITCHES = ("--HistoryManager.enabled=False",)


def start_kernel(cwd: Path, preload: list[str] = ()):
    """Start a Python kernel now and return its manager, for :func:`execute_playbook`.

    Launching the kernel process returns at once; the kernel boots, and runs the
    ``preload`` statements, while the caller carries on importing and preparing.

    Args:
        cwd: The kernel's working folder.
        preload: Statements (imports) to run as the kernel boots, after
            :data:`KERNEL_PRELOAD`.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    manager = AsyncKernelManager(kernel_name=_kernel_name())
    manager.client_factory = _ready_client_class()
    # The kernel's own start-up chatter (transport warnings) is noise to a volunteer.
    statements = (KERNEL_COLLECTOR_OFF, *KERNEL_PRELOAD, *preload, *KERNEL_COLLECTOR_ON)
    lines = [f"--IPKernelApp.exec_lines={line}" for line in statements]
    run_sync(manager.start_kernel)(
        cwd=str(cwd), extra_arguments=["--IPKernelApp.log_level=ERROR", *KERNEL_PRIVACY_SWITCHES, *lines]
    )
    return manager


def end_kernel(manager) -> None:
    """Kill a kernel whose work is done, without waiting for it to exit.

    :func:`stop_kernel` then only collects it. Stopping a running kernel waits for it in
    steps of 0.1 s; killed before the report is rendered, it is gone by the time it is collected.
    """
    from jupyter_core.utils import run_sync

    try:
        if manager is not None and manager.has_kernel and manager.provisioner is not None:
            run_sync(manager.provisioner.kill)()
    except Exception:  # noqa: BLE001 - a kernel already gone needs no killing; stop_kernel tidies up
        pass


def stop_kernel(manager) -> None:
    """Shut down a kernel started by :func:`start_kernel`."""
    from jupyter_core.utils import run_sync

    if manager is not None and manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)


def import_papermill():
    """Import papermill without pyarrow, and return it.

    Papermill offers HDFS paths through ``pyarrow.fs`` when pyarrow is installed (the
    kit installs it for pandas), and importing pyarrow and numpy for that costs the
    runner most of a second on a laptop. The kit only reads and writes local paths, so
    pyarrow is hidden while papermill is first imported (papermill then leaves HDFS out,
    as when pyarrow is missing) and is importable again afterwards.

    Example:
        >>> import_papermill().__name__
        'papermill'
    """
    if "papermill" in sys.modules or "pyarrow.fs" in sys.modules:
        import papermill

        return papermill
    sys.modules["pyarrow.fs"] = None
    try:
        import papermill
    finally:
        del sys.modules["pyarrow.fs"]
    return papermill


def execute_playbook(
    playbook_path: Path,
    output_path: Path,
    parameters: dict[str, Any],
    cwd: Path,
    kernel_manager=None,
    progress_bar: bool = True,
) -> Execution:
    """Execute a playbook with papermill and write the executed notebook.

    Args:
        playbook_path: The playbook notebook.
        output_path: Where to write the executed notebook (written on failure too).
        parameters: Checked parameter values to inject.
        cwd: The working folder for the kernel.
        kernel_manager: A kernel from :func:`start_kernel`, or ``None`` to let
            papermill start one.
        progress_bar: Show papermill's progress bar on the terminal.

    Returns:
        The executed notebook and the failure, if a cell raised.
    """
    import nbformat
    from nbclient.exceptions import DeadKernelError

    papermill = import_papermill()
    from papermill.exceptions import PapermillExecutionError

    if kernel_manager is not None:
        # The kernel already runs in cwd. Papermill's own cwd option would chdir the
        # whole process, which is unsafe when `surgery demo` runs playbooks in threads.
        engine_options, working_folder = {"km": kernel_manager}, None
    else:
        engine_options, working_folder = {}, str(cwd)
    # Papermill logs a dead or silent kernel as an error line of its own; the runner says it in words.
    papermill_log = logging.getLogger("papermill")
    level = papermill_log.level
    papermill_log.setLevel(logging.CRITICAL)
    try:
        notebook = papermill.execute_notebook(
            str(playbook_path),
            str(output_path),
            parameters=parameters,
            kernel_name=_kernel_name(),
            progress_bar=progress_bar,
            request_save_on_cell_execute=False,
            cwd=working_folder,
            start_timeout=start_timeout(),
            **engine_options,
        )
        return Execution(notebook, None)
    except DeadKernelError:
        notebook = _partial_notebook(output_path, playbook_path)
        running = [index for index, cell in enumerate(notebook.cells)
                   if cell.get("metadata", {}).get("papermill", {}).get("status") == "running"]
        failure = CellFailure(running[0] if running else len(notebook.cells) - 1,
                              "InputProblem", KERNEL_DIED, [], "")
        return Execution(notebook, failure)
    except PapermillExecutionError as error:
        failure = CellFailure(
            cell_index=error.cell_index,
            error_name=error.ename,
            message=str(error.evalue),
            traceback=list(error.traceback),
            source=error.source,
        )
        notebook = nbformat.read(str(output_path), as_version=4)
        return Execution(notebook, failure)
    finally:
        papermill_log.setLevel(level)


def _partial_notebook(output_path: Path, playbook_path: Path):
    """The notebook as far as it ran, else the playbook itself (for the failed step's heading)."""
    import nbformat

    for path in (output_path, playbook_path):
        try:
            return nbformat.read(str(path), as_version=4)
        except (OSError, ValueError):
            continue
    return nbformat.v4.new_notebook()
