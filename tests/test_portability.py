"""Windows has no fcntl, resource, pwd or grp: no module of the kit may need one to import (issue 24).

Each check runs in a fresh Python where those modules cannot be imported, as on Windows.
Third-party packages import what they like on Linux; the kit's own modules are the subject.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from pathlib import Path

KIT_ROOT = Path(__file__).parent.parent

#: The standard library's POSIX-only modules a start-up import could reach for.
POSIX_ONLY = ("fcntl", "resource", "pwd", "grp")

_BLOCK = f"import sys\nfor name in {POSIX_ONLY!r}:\n    sys.modules[name] = None  # `import name` now fails\n"

_IMPORT_EVERY_MODULE = _BLOCK + """
import importlib, pkgutil, helpers
refused = {}
for module in pkgutil.walk_packages(helpers.__path__, "helpers."):
    if module.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(module.name)
    except ImportError as error:
        if getattr(error, "name", None) in POSIX_ONLY or any(n in str(error) for n in POSIX_ONLY):
            refused[module.name] = str(error)
print(refused)
sys.exit(1 if refused else 0)
""".replace("POSIX_ONLY", repr(POSIX_ONLY))


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
                          cwd=KIT_ROOT)


def test_every_module_of_the_kit_imports_without_posix_only_modules():
    result = _python(_IMPORT_EVERY_MODULE)
    assert result.returncode == 0, f"modules that need a POSIX-only module: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("arguments", [["list"], ["describe", "health-check"], ["run", "--help"], ["--help"]])
def test_the_surgery_command_starts_without_posix_only_modules(arguments):
    code = _BLOCK + "from helpers.spine.cli import main\nraise SystemExit(main(sys.argv[1:]))\n"
    result = _python(code, *arguments)
    assert result.returncode == 0, result.stderr
    assert "health-check" in result.stdout or "COMMAND" in result.stdout


def test_the_check_itself_notices_a_posix_only_import(tmp_path):
    """A counterexample: a module that imports fcntl is reported by name."""
    package = tmp_path / "helpers_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "locks.py").write_text("import fcntl\n")
    code = _IMPORT_EVERY_MODULE.replace("import importlib, pkgutil, helpers",
                                        f"import importlib, pkgutil\nsys.path.insert(0, {str(tmp_path)!r})\n"
                                        "import helpers_probe as helpers").replace('"helpers."', '"helpers_probe."')
    result = _python(code)
    assert result.returncode == 1 and "helpers_probe.locks" in result.stdout


def test_windows_prints_over_the_loopback_socket_and_posix_over_the_pipe():
    from helpers.spine.pdf import transport_for

    assert transport_for("nt") == "socket" and transport_for("posix") == "pipe"
