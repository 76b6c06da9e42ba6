"""The playbooks in JupyterLab, for real: `surgery lab` serves them, Chromium opens them, they open clean.

One JupyterLab server is started for the module with the kit's own command (``surgery lab
--no-browser``): on 127.0.0.1, a free port, a token, and every folder Jupyter or the kit
would write (home, Jupyter data and runtime, the sessions home with its practice folder)
inside a temporary folder, so the volunteer's own settings are never touched. It is always
shut down, kernels and all (its process group), and every wait is bounded.

Each playbook is opened in headless Chromium (the system browser, as tests/test_report_browser.py
launches it) and checked once its kernel is idle and its cells are drawn:

- the document is not marked unsaved (JupyterLab puts ``jp-mod-dirty`` on the tab of a
  document that differs from its file): a volunteer who closes an untouched playbook is
  not asked whether to save it;
- saving it back through the contents API (as JupyterLab does) leaves the file byte for byte
  as it was: nothing in the file is one JupyterLab would rewrite;
- the Main points figures are laid out by the report's stylesheet: each figure above its
  label ("64" then "rows checked"), not run together ("64rows checked").

The playbooks are served with their stored ``language_info`` stamped with another Python's
version, as they reach every volunteer whose Python is not the one that stored them
(3.11.7 here): the kit must make its copies match the Python the lab runs. A counterexample,
a playbook copied as stored (what ``surgery lab`` did before), must open unsaved.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.spine.kernel import DISPLAY_NAME
from helpers.spine.pdf import find_chromium
from test_report_browser import BROWSER_ARGS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="the server is stopped by its POSIX process group")]

PLAYBOOKS = list_playbooks()
#: A Python version that is not this one: what a playbook stored on another machine says.
OTHER_PYTHON = "3.11.0" if platform.python_version() != "3.11.0" else "3.12.0"
#: The counterexample: a playbook put in the lab's folder as stored, not prepared for this Python.
COPIED_AS_STORED = "copied-as-stored.ipynb"
#: Every wait is bounded: the server's start, a notebook's kernel and drawing, the server's stop.
SERVER_START_SECONDS, OPEN_SECONDS, STOP_SECONDS = 60, 60, 20
#: How long a document is watched once idle for a late metadata write. The kernel's info arrives before
#: it is idle, so the counterexample is already unsaved then; the same watch must catch it.
SETTLE_SECONDS = 1.0

# The Main points as drawn: each figure's text, its value's and label's, and what the stylesheet did.
MAIN_POINTS = """() => {
  const section = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output section.main-points');
  if (!section) return null;
  section.scrollIntoView();
  return {
    border: getComputedStyle(section).borderLeftWidth,
    figures: Array.from(section.querySelectorAll('.headline-figure')).map(figure => {
      const value = figure.querySelector('.figure-value'), label = figure.querySelector('.figure-label');
      return {text: figure.innerText, value: value.textContent, label: label.textContent,
              valueSize: parseFloat(getComputedStyle(value).fontSize),
              labelSize: parseFloat(getComputedStyle(label).fontSize)};
    }),
  };
}"""


def _stamp_other_python(text: str) -> str:
    """The stored playbook as another machine's Python would have stored it (only the version differs)."""
    import nbformat

    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    notebook.metadata.setdefault("language_info", {})["version"] = OTHER_PYTHON
    return nbformat.writes(notebook, version=nbformat.NO_CONVERT) + "\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running `surgery lab`: its address and token, the practice folder, and its REST API."""

    def __init__(self, port: int, token: str, folder: Path, log: Path):
        self.port, self.token, self.folder, self.log = port, token, folder, log
        self.base = f"http://127.0.0.1:{port}"
        # Loopback only, never through a proxy the environment names.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(
            self.base + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with self._opener.open(request, timeout=30) as response:
            answer = response.read()
        return json.loads(answer) if answer else None

    def folder_url(self) -> str:
        return f"{self.base}/lab/tree/work/playbooks?reset&token={self.token}"

    def shut_kernels_of(self, name: str) -> None:
        for session in self.api("/api/sessions"):
            if session["path"].endswith(f"/{name}"):
                self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


@pytest.fixture(scope="module")
def chromium() -> str:
    """The system's Chromium (checked before a server is started for nothing)."""
    found = find_chromium()
    if found is None:  # under CI (conftest) this skip fails, naming what to install
        pytest.skip("Chromium is not installed (the kit uses Debian's `chromium` package; "
                    "`make browser` installs it where it can)")
    return found


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """`surgery lab --no-browser` on the playbooks (stamped with another Python), all in a temporary folder."""
    root = tmp_path_factory.mktemp("lab")
    playbooks = root / "playbooks"
    playbooks.mkdir()
    for playbook in PLAYBOOKS:
        (playbooks / playbook.path.name).write_text(
            _stamp_other_python(playbook.path.read_text(encoding="utf-8")), encoding="utf-8")
    sessions = root / "sessions"
    lab_playbooks = sessions / "practice" / "work" / "playbooks"
    lab_playbooks.mkdir(parents=True)
    shutil.copyfile(playbooks / PLAYBOOKS[0].path.name, lab_playbooks / COPIED_AS_STORED)  # the old way

    home, port, token = root / "home", _free_port(), secrets.token_hex(24)
    environment = {
        **os.environ, "HOME": str(home), "SURGERY_SESSIONS_HOME": str(sessions),
        "SURGERY_PLAYBOOKS": str(playbooks), "JUPYTER_TOKEN": token,
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"), "XDG_CACHE_HOME": str(home / ".cache"),
    }
    environment.pop("JUPYTER_CONFIG_DIR", None)  # `surgery lab` sets its own
    log = root / "lab.log"
    with open(log, "w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "helpers", "lab", "--no-browser", "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
            preexec_fn=_stop_when_the_test_run_dies)
    running = Lab(port, token, lab_playbooks, log)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert server.poll() is None, f"surgery lab stopped (exit {server.returncode}):\n{running.log_tail()}"
            assert time.monotonic() < deadline, f"JupyterLab did not answer in {SERVER_START_SECONDS} s:\n" \
                                                f"{running.log_tail()}"
            try:
                running.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
        yield running
    finally:
        _stop(server)
    assert not any(home.glob("jupyter-runtime/kernel-*.json")), "a kernel outlived the server"


def _stop_when_the_test_run_dies() -> None:
    """Linux: the server is sent SIGTERM if this test run is killed before its teardown (a `timeout`)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG; kept across exec
    except (OSError, AttributeError):
        pass  # macOS: no prctl; the teardown below still stops it


def _stop(server: subprocess.Popen) -> None:
    """Stop JupyterLab and its kernels: the whole process group, politely, then firmly."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=STOP_SECONDS)
    except ProcessLookupError:
        pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # kernels that outlived their server
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def lab_page(lab, chromium):
    """JupyterLab in headless Chromium, loaded once on the lab's playbooks folder (one app for every test)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[*BROWSER_ARGS, "--no-proxy-server"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(OPEN_SECONDS * 1000)
            page.goto(lab.folder_url())
            page.wait_for_selector(".jp-DirListing-item")
            yield page
        finally:
            browser.close()


def _open(page, lab: Lab, name: str) -> None:
    """Open one playbook from the file browser; wait (bounded) until its cells are drawn and its kernel is idle."""
    page.locator(".jp-DirListing-content").get_by_text(name, exact=True).dblclick()
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_function(
        """([panel, name, kernel]) => {
             const tab = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');
             const open = document.querySelector(panel);
             const drawn = open && open.querySelector('.jp-Cell .jp-OutputArea-output');
             const kernelName = open && open.querySelector('.jp-KernelName');
             const state = open && open.querySelector('.jp-Notebook-ExecutionIndicator');
             return tab && tab.innerText.trim() === name && drawn && kernelName
                 && kernelName.textContent.trim() === kernel && state && state.dataset.status === 'idle';
           }""", arg=[panel, name, DISPLAY_NAME])
    deadline = time.monotonic() + OPEN_SECONDS
    while not any(s["path"].endswith(f"/{name}") and s["kernel"]["execution_state"] == "idle"
                  for s in lab.api("/api/sessions")):
        assert time.monotonic() < deadline, f"the kernel of {name} never went idle"
        time.sleep(0.2)


def _close(page, lab: Lab, name: str) -> None:
    """Close the playbook's tab without saving, and shut its kernel down."""
    tab = page.locator(_tab(name))
    if tab.count():
        unsaved = _marked_unsaved(page, name, 0)
        tab.locator(".lm-TabBar-tabCloseIcon").click()
        if unsaved:  # JupyterLab asks whether to save: no
            page.locator(".jp-Dialog-footer button").filter(has_text="Discard").click()
        tab.wait_for(state="detached")
    lab.shut_kernels_of(name)


def _tab(name: str) -> str:
    return f".lm-DockPanel-tabBar .lm-TabBar-tab:has(.lm-TabBar-tabLabel:text-is('{name}'))"


def _marked_unsaved(page, name: str, seconds: float) -> bool:
    """Whether the playbook's tab is (or within ``seconds`` becomes) marked unsaved."""
    tab = _tab(name)
    assert page.locator(tab).count() == 1, f"no tab for {name}"
    deadline = time.monotonic() + seconds
    while True:
        if "jp-mod-dirty" in (page.locator(tab).get_attribute("class") or "").split():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[p.name for p in PLAYBOOKS])
def test_a_playbook_opens_clean_with_main_points_laid_out(lab, lab_page, playbook):
    name, page = playbook.path.name, lab_page
    _open(page, lab, name)
    try:
        on_disk = (lab.folder / name).read_bytes()
        assert not _marked_unsaved(page, name, SETTLE_SECONDS), (
            f"JupyterLab marks {name} unsaved on opening it: something in the file differs from what it "
            "would save (compare with GET /api/contents)")
        model = lab.api(f"/api/contents/work/playbooks/{name}?content=1")
        lab.api(f"/api/contents/work/playbooks/{name}", method="PUT",
                body={"type": "notebook", "format": "json", "content": model["content"]})
        assert (lab.folder / name).read_bytes() == on_disk, f"saving {name} unchanged rewrites its file"

        main_points = page.evaluate(MAIN_POINTS)
        assert main_points and main_points["figures"], f"{name}: no Main points drawn in the notebook"
        for figure in main_points["figures"]:
            value, label, text = figure["value"].strip(), figure["label"].strip(), figure["text"].strip()
            assert text.startswith(value) and text.endswith(label), figure
            between = text[len(value):len(text) - len(label)]
            assert between and not between.strip(), f"{name}: figure and label run together: {text!r}"
            assert figure["valueSize"] > 1.5 * figure["labelSize"], figure
        assert main_points["border"] == "6px", "the report's Main points stylesheet is not applied"
    finally:
        _close(page, lab, name)


def test_a_playbook_copied_as_another_python_stored_it_opens_unsaved(lab, lab_page):
    """The counterexample: what `surgery lab` did before (a plain copy) is marked unsaved at once."""
    page = lab_page
    _open(page, lab, COPIED_AS_STORED)
    try:
        assert _marked_unsaved(page, COPIED_AS_STORED, SETTLE_SECONDS)
    finally:
        _close(page, lab, COPIED_AS_STORED)
