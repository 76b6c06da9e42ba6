"""Is a process still running? The kit's one liveness check, on Linux, macOS and Windows.

The kit asks this of process ids it wrote down itself (lock files, ``.NAME.partial-PID``
staging folders, the in-flight journal, half-built postcode indexes) to tell a run that is
still going from one that was killed and left something to clear up.

On POSIX the question is ``os.kill(pid, 0)``: signal 0 delivers nothing and only checks the
id (``EPERM`` means the process exists but belongs to someone else: alive). On Windows
``os.kill`` with any signal number other than the two console events *terminates* the
process (``TerminateProcess``), so there the kit never calls it: it opens the process for
query only (``OpenProcess``) and reads whether it has an exit code yet
(``GetExitCodeProcess``), confirming a ``STILL_ACTIVE`` answer with a zero-wait
``WaitForSingleObject`` (a process may exit with the code 259 itself).

Example:
    >>> import os, subprocess, sys
    >>> process_is_alive(os.getpid())
    True
    >>> child = subprocess.Popen([sys.executable, "-c", "pass"]); _ = child.wait()
    >>> process_is_alive(child.pid), process_is_alive(0), process_is_alive(-1)
    (False, False, False)
"""

from __future__ import annotations

import os

# Windows API values (winnt.h, winerror.h, winbase.h).
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
SYNCHRONIZE = 0x00100000
ERROR_ACCESS_DENIED = 5
STILL_ACTIVE = 259
WAIT_TIMEOUT = 0x102
#: The largest process id either family of systems hands out fits in 32 bits.
LARGEST_PID = 2**32 - 1


def process_is_alive(pid: int) -> bool:
    """Whether ``pid`` names a running process (one of another user's counts). Never signals it.

    Ids of zero or below are never alive: ``os.kill(0, 0)`` and ``os.kill(-1, 0)`` would
    address a whole process group (or every process), not one process.
    """
    if not 0 < pid <= LARGEST_PID:
        return False
    if os.name == "nt":
        return _windows_process_is_alive(pid, _kernel32())
    return _posix_process_is_alive(pid)


def _posix_process_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: checks the id, delivers nothing
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # EPERM: it exists, another user's
    except OverflowError:
        return False
    return True


def _kernel32():
    import ctypes  # only here: the Windows branch alone needs it

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = ctypes.c_void_p
    kernel32.OpenProcess.argtypes = (ctypes.c_uint32, ctypes.c_int, ctypes.c_uint32)
    kernel32.GetExitCodeProcess.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32))
    kernel32.WaitForSingleObject.argtypes = (ctypes.c_void_p, ctypes.c_uint32)
    kernel32.WaitForSingleObject.restype = ctypes.c_uint32
    kernel32.CloseHandle.argtypes = (ctypes.c_void_p,)
    kernel32.last_error = ctypes.get_last_error
    return kernel32


def _windows_process_is_alive(pid: int, kernel32) -> bool:
    """The Windows check, given the kernel32 functions (a stand-in in the tests on other systems)."""
    import ctypes

    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, False, pid)
    if not handle:
        # Access denied: the process exists (a system or another user's process). Anything else
        # (ERROR_INVALID_PARAMETER above all): no process has that id.
        return kernel32.last_error() == ERROR_ACCESS_DENIED
    try:
        exit_code = ctypes.c_uint32()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(exit_code)):
            return True  # it could be opened, so it exists; say alive rather than clear up under it
        if exit_code.value != STILL_ACTIVE:
            return False
        return kernel32.WaitForSingleObject(handle, 0) == WAIT_TIMEOUT
    finally:
        kernel32.CloseHandle(handle)
