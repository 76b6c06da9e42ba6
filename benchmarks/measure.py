"""Time a command as a user runs it: wall time and peak memory of its whole process tree.

Every benchmark script times `surgery run ...` as a process through :func:`measure`, so a
figure in the README is what a volunteer waits for, kernel and render included. A step's
own time may be printed beside it, labelled as a step.

    from measure import measure, surgery_run
    result = measure(surgery_run("health-check", data_file, out_dir))
    print(result.line("health-check, sample"))
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

#: How often the process tree's memory is sampled; short runs still get several samples.
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    """One timed command."""

    seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_gib(self) -> float:
        return self.peak_bytes / 2**30

    def line(self, label: str) -> str:
        """A printable row: label, wall time, peak memory of the process tree."""
        status = "" if self.returncode == 0 else f"  (exit {self.returncode})"
        return f"{label:<48} {self.seconds:8.2f} s  {self.peak_gib:6.2f} GiB{status}"


def _tree_rss(process: psutil.Process) -> int:
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(command: list[str], cwd: Path | None = None, env: dict | None = None,
            check: bool = True) -> Measurement:
    """Run ``command`` to the end, timing it and sampling its process tree's memory.

    Args:
        command: The command line, as for :func:`subprocess.run`.
        cwd: Folder to run in.
        env: Environment (default: this process's).
        check: Raise when the command exits non-zero, showing its output.

    Returns:
        The :class:`Measurement`. Peak memory is the largest sum of resident memory over
        the process and all its children (the kernel included) seen at any sample.

    Example:
        >>> result = measure([sys.executable, "-c", "print('hi')"])
        >>> result.returncode, result.stdout.strip(), result.seconds > 0, result.peak_bytes > 0
        (0, 'hi', True, True)
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    watched = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(watched))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if check and process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {process.returncode}:\n{stdout}\n{stderr}")
    return Measurement(seconds, peak, process.returncode, stdout, stderr)


def surgery(*arguments: str) -> list[str]:
    """The command line of ``surgery ARGUMENTS...`` in the kit's environment.

    Uses the ``surgery`` script beside this Python, or ``python -m helpers`` (the same command)
    when PYTHONPATH points at a work tree, whose code the installed script would not run.

    Example:
        >>> surgery("list")[-1]
        'list'
    """
    script = Path(sys.executable).parent / "surgery"
    use_script = script.exists() and not os.environ.get("PYTHONPATH")
    start = [str(script)] if use_script else [sys.executable, "-m", "helpers"]
    return [*start, *arguments]


def surgery_run(playbook: str, data_file: Path | str, out_dir: Path | str, *parameters: str) -> list[str]:
    """The command line of ``surgery run PLAYBOOK --data FILE --out DIR --overwrite [-p k v ...]``.

    Example:
        >>> surgery_run("health-check", "in.csv", "out", "-p", "sheet", "A")[-11:]
        ['run', 'health-check', '--data', 'in.csv', '--out', 'out', '--overwrite', '--no-progress', '-p', 'sheet', 'A']
    """
    return surgery("run", playbook, "--data", str(data_file), "--out", str(out_dir), "--overwrite",
                   "--no-progress", *parameters)
