"""What ``surgery lab`` prepares for JupyterLab: a folder, the kit's kernel, a quiet and styled lab.

- Without a session, JupyterLab opens a *practice* folder (under ``SURGERY_SESSIONS_HOME``)
  holding copies of the playbooks, which run on their bundled sample data: a volunteer can
  look round before any charity's file is on the machine.
- A Jupyter configuration folder of the lab's own (``JUPYTER_CONFIG_DIR``, as the lab's
  settings already are its own) turns off nbdime's "git" buttons (a test tool, no use to a
  volunteer) and carries the report's Main points stylesheet as JupyterLab's custom CSS
  (served only from that folder), so the headline figures read the same in the notebook as
  in report.html ("64 rows checked", not "64rows checked").

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> environment = lab_environment(folder, {})
    >>> (folder / "labconfig" / "page_config.json").is_file(), environment["JUPYTER_CONFIG_DIR"] == str(folder)
    (True, True)
    >>> "section.main-points .figure-value" in (folder / "custom" / "custom.css").read_text()
    True
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers.spine.session import Session, sessions_home

REPORT_CSS = Path(__file__).parent.parent / "templates" / "report" / "report.css"
#: The folder JupyterLab opens when no session is open (no charity's files in it, ever).
PRACTICE_FOLDER = "practice"
#: Test tools that install JupyterLab and server extensions a volunteer should not see.
HIDDEN_LAB_EXTENSIONS = ("nbdime-jupyterlab",)
HIDDEN_SERVER_EXTENSIONS = ("nbdime",)


def practice_session() -> Session:
    """The practice folder as a session-shaped place: playbooks copied into its ``work/``."""
    folder = sessions_home() / PRACTICE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return Session(folder.resolve(), "", "")


def notebook_stylesheet(css: str | None = None) -> str:
    """The report stylesheet's colours and Main points rules, for JupyterLab's custom CSS.

    Only the ``:root`` colours and the ``section.main-points`` rules are taken: the rest of
    report.css styles a whole page (fonts, margins) that JupyterLab lays out itself.

    Example:
        >>> css = ":root { --ink: #111; }\\nbody { margin: 0; }\\nsection.main-points li {\\n  margin: 0; }\\n"
        >>> notebook_stylesheet(css).splitlines()[1:]
        [':root { --ink: #111; }', 'section.main-points li {', '  margin: 0; }']
    """
    css = REPORT_CSS.read_text(encoding="utf-8") if css is None else css
    rules, current = [], []
    for line in css.splitlines():
        if not current and not line.startswith((":root", "section.main-points")):
            continue
        current.append(line)
        if line.rstrip().endswith("}"):
            rules.append("\n".join(current))
            current = []
    return "/* From the kit's report.css: Main points look the same in JupyterLab as in the report. */\n" + \
        "\n".join(rules) + "\n"


def lab_environment(config_folder: Path, environ: dict | None = None) -> dict:
    """Write the kit's JupyterLab configuration into ``config_folder``; return the lab's environment."""
    environ = dict(os.environ if environ is None else environ)
    config_folder = Path(config_folder)
    (config_folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (config_folder / "custom").mkdir(exist_ok=True)
    (config_folder / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {name: True for name in HIDDEN_LAB_EXTENSIONS}}, indent=1), encoding="utf-8")
    (config_folder / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {name: False for name in HIDDEN_SERVER_EXTENSIONS}}}, indent=1),
        encoding="utf-8")
    (config_folder / "custom" / "custom.css").write_text(notebook_stylesheet(), encoding="utf-8")
    # JupyterLab serves custom.css only from the configuration folder itself, hence the folder, not a path entry.
    environ["JUPYTER_CONFIG_DIR"] = str(config_folder)
    return environ


def lab_switches() -> list[str]:
    """JupyterLab switches that load the custom CSS written by :func:`lab_environment`."""
    return ["--LabApp.custom_css=True"]
