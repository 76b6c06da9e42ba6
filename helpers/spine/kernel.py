"""The kit's own Jupyter kernel spec, "Data Surgery Kit": the playbooks run on it, by name.

A named kernel says in JupyterLab's kernel picker which Python has the kit installed
(the generic ``python3`` may be another environment's). The spec goes into this
environment's ``share/jupyter/kernels`` (``make install`` and ``surgery lab`` put it
there); where it is absent the runner falls back to ``python3``, which is the same
Python whenever the kit runs from its own environment.

Example:
    >>> import tempfile
    >>> prefix = Path(tempfile.mkdtemp())
    >>> kernel_name(prefix)
    'python3'
    >>> install_kernel(prefix).name
    'data-surgery-kit'
    >>> kernel_name(prefix), json.loads((kernel_folder(prefix) / "kernel.json").read_text())["display_name"]
    ('data-surgery-kit', 'Data Surgery Kit')
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: The spec's folder name, which notebooks name in ``metadata.kernelspec.name``.
KERNEL_NAME = "data-surgery-kit"
DISPLAY_NAME = "Data Surgery Kit"
#: Jupyter's own Python kernel, used when the kit's spec is not installed.
FALLBACK_KERNEL = "python3"


def kernel_folder(prefix: Path | None = None) -> Path:
    """Where the spec lives: ``<prefix>/share/jupyter/kernels/data-surgery-kit`` (prefix: this environment)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def kernel_spec() -> dict:
    """The ``kernel.json`` of the kit's kernel: this very Python, with ipykernel."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install_kernel(prefix: Path | None = None) -> Path:
    """Write the spec (again only if it changed); returns its folder.

    Raises:
        OSError: The environment's folder cannot be written (a system Python): see :func:`kernel_name`.
    """
    folder = kernel_folder(prefix)
    spec = json.dumps(kernel_spec(), indent=1) + "\n"
    target = folder / "kernel.json"
    if not target.is_file() or target.read_text(encoding="utf-8") != spec:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(spec, encoding="utf-8")
    return folder


def kernel_name(prefix: Path | None = None) -> str:
    """The kernel the playbooks run on: the kit's when its spec is installed, else ``python3``."""
    return KERNEL_NAME if (kernel_folder(prefix) / "kernel.json").is_file() else FALLBACK_KERNEL


def set_notebook_kernel(notebook: dict) -> dict:
    """Name the kit's kernel in a notebook's metadata (for regenerating the stored playbooks).

    Example:
        >>> set_notebook_kernel({"metadata": {}})["metadata"]["kernelspec"]["display_name"]
        'Data Surgery Kit'
    """
    notebook.setdefault("metadata", {})["kernelspec"] = {
        "name": KERNEL_NAME, "display_name": DISPLAY_NAME, "language": "python"}
    return notebook


def kernel_language_info() -> dict:
    """The ``language_info`` this Python's kernel reports (ipykernel's own, with this Python's version).

    JupyterLab writes the kernel's answer into the notebook it opens; where it differs from
    what the file holds (a playbook stored by another Python, 3.11.7 against a volunteer's
    3.12.4), the notebook is marked unsaved before any edit.
    """
    from ipykernel.ipkernel import IPythonKernel  # the kit's kernel runs this very Python (kernel_spec)

    return json.loads(json.dumps(IPythonKernel.language_info))


def notebook_for_this_python(text: str) -> str:
    """A stored playbook as JupyterLab would save it back after opening it here: so it opens clean.

    The kit's kernel is named, this Python's ``language_info`` is written in, and the file is
    laid out as Jupyter Server saves a notebook (``nbformat.write``: one-space indent, sorted
    keys, a final newline), so that what the volunteer opens has nothing for JupyterLab to change.

    Example:
        >>> import platform
        >>> stored = json.dumps({"cells": [], "metadata": {"language_info": {"name": "python", "version": "3.0.1"}},
        ...                      "nbformat": 4, "nbformat_minor": 5})
        >>> opened = json.loads(notebook_for_this_python(stored))["metadata"]
        >>> opened["language_info"]["version"] == platform.python_version(), opened["kernelspec"]["name"]
        (True, 'data-surgery-kit')
        >>> notebook_for_this_python(notebook_for_this_python(stored)) == notebook_for_this_python(stored)
        True
    """
    # nbformat's own reader and v4 writer, without its schema check: the stored playbooks are the kit's
    # own (tests/test_playbooks.py runs them), and validating eight outputs-laden notebooks on every
    # `surgery lab` costs seconds. The layout is nbformat's, as Jupyter Server writes it.
    from nbformat import reader
    from nbformat.v4 import nbjson

    notebook = reader.reads(text)
    if notebook.get("nbformat") != 4:  # an older playbook: JupyterLab would upgrade it on saving
        from nbformat import convert

        notebook = convert(notebook, 4)
    set_notebook_kernel(notebook)
    notebook.metadata["language_info"] = kernel_language_info()
    return nbjson.writes(notebook).rstrip("\n") + "\n"


if __name__ == "__main__":  # `python -m helpers.spine.kernel`, as `make install` runs it
    try:
        print(f"Jupyter kernel '{DISPLAY_NAME}' installed in {install_kernel()}")
    except OSError as error:
        print(f"Could not install the '{DISPLAY_NAME}' kernel ({error}); playbooks run on python3.")
