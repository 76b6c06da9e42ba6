"""The kit's one liveness check (helpers/spine/processes.py): true answers, and never a signal on Windows.

On Windows ``os.kill(pid, 0)`` terminates the process it was meant to probe; the old check
(``owned.process_alive``, reused by the bundle lock and the postcode directory's clean-up)
called it on every system. The Windows branch is tested here with a stand-in for kernel32.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers.spine import processes
from helpers.spine.processes import (ERROR_ACCESS_DENIED, STILL_ACTIVE, WAIT_TIMEOUT, _windows_process_is_alive,
                                     process_is_alive)


def test_the_current_process_is_alive():
    assert process_is_alive(os.getpid())


def test_a_reaped_childs_pid_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the id is free again
    assert not process_is_alive(child.pid)


def test_a_running_child_is_alive_until_it_is_reaped():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_is_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not process_is_alive(child.pid)


@pytest.mark.parametrize("pid", [0, -1, -12345, 2**32, 2**64])
def test_ids_that_name_no_single_process_are_not_alive(pid):
    """0 and -1 would address a process group or every process: never 'alive', never signalled."""
    assert not process_is_alive(pid)


@pytest.mark.skipif(os.name == "nt", reason="a POSIX permission check")
def test_another_users_process_counts_as_alive(monkeypatch):
    def refuse(pid, signal):
        raise PermissionError(1, "Operation not permitted")  # EPERM: it exists, someone else's

    monkeypatch.setattr(os, "kill", refuse)
    assert process_is_alive(4242)


class FakeKernel32:
    """Stands in for kernel32: one process, with an exit code and a wait answer; records calls."""

    def __init__(self, *, opens=True, last_error=0, exit_code=STILL_ACTIVE, wait=WAIT_TIMEOUT, query_works=True):
        self.opens, self.error, self.exit_code, self.wait = opens, last_error, exit_code, wait
        self.query_works, self.calls = query_works, []

    def OpenProcess(self, access, inherit, pid):
        self.calls.append("OpenProcess")
        return 1234 if self.opens else None

    def last_error(self):
        return self.error

    def GetExitCodeProcess(self, handle, pointer):
        self.calls.append("GetExitCodeProcess")
        pointer._obj.value = self.exit_code
        return 1 if self.query_works else 0

    def WaitForSingleObject(self, handle, milliseconds):
        self.calls.append("WaitForSingleObject")
        assert milliseconds == 0  # a probe, never a wait
        return self.wait

    def CloseHandle(self, handle):
        self.calls.append("CloseHandle")
        return 1

    def __getattr__(self, name):  # TerminateProcess or anything else: the check must not reach for it
        raise AssertionError(f"the liveness check called kernel32.{name}")


@pytest.mark.parametrize("kernel32, alive", [
    (FakeKernel32(), True),                                             # running
    (FakeKernel32(exit_code=0), False),                                 # exited
    (FakeKernel32(exit_code=STILL_ACTIVE, wait=0), False),             # exited with the code 259 itself
    (FakeKernel32(opens=False, last_error=87), False),                  # ERROR_INVALID_PARAMETER: no such id
    (FakeKernel32(opens=False, last_error=ERROR_ACCESS_DENIED), True),  # a system process
    (FakeKernel32(query_works=False), True),                            # opened, so it exists
], ids=["running", "exited", "exited-259", "no-such-id", "access-denied", "query-failed"])
def test_the_windows_check_reads_the_exit_code_and_closes_its_handle(kernel32, alive):
    assert _windows_process_is_alive(4242, kernel32) is alive
    assert kernel32.calls.count("OpenProcess") == 1
    assert kernel32.calls.count("CloseHandle") == (1 if kernel32.opens else 0)


def test_on_windows_the_check_never_calls_os_kill(monkeypatch):
    """The defect: the old check called os.kill(pid, 0), which on Windows is TerminateProcess."""
    def terminate(pid, signal):
        raise AssertionError("os.kill on Windows terminates the process it probes")

    kernel32 = FakeKernel32()
    monkeypatch.setattr(processes, "_kernel32", lambda: kernel32)
    # The module's view of `os` only: pytest itself goes on running on this system's os.
    monkeypatch.setattr(processes, "os", SimpleNamespace(name="nt", kill=terminate))
    assert process_is_alive(4242) and kernel32.calls[0] == "OpenProcess"


def test_every_caller_uses_the_one_check():
    """The bundle lock, the stale-folder sweep, the in-flight journal and the postcode directory."""
    from helpers.reach import directory
    from helpers.spine import bundle, owned

    for module in (bundle, owned, directory):
        assert module.process_is_alive is process_is_alive, module.__name__
    kit = Path(processes.__file__).parent.parent  # helpers/
    for path in kit.rglob("*.py"):
        if path.name != "processes.py":
            assert "os.kill(" not in path.read_text(encoding="utf-8"), path
