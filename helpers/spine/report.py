"""Render the charity's copy of a run: ``report.html`` without code, or a plain error page.

The executed notebook is trimmed before nbconvert sees it: papermill's injected
parameters, the parameters cell, facilitator notes, warnings and all notebook
metadata are taken out, so the page carries the analysis and nothing about the
volunteer's machine.
"""

from __future__ import annotations

import copy
import functools
import html
import threading
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
REPORT_CSS = (TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")

#: Cells with any of these tags are kept in notebook.ipynb but left out of the report.
TAGS_LEFT_OUT = frozenset({"injected-parameters", "parameters", "facilitator", "remove-from-report"})


def prepare_for_charity(notebook):
    """A copy of the executed notebook with only what the charity should see.

    Args:
        notebook: The executed notebook (an ``nbformat`` node).

    Returns:
        A new notebook: tagged cells removed, stderr streams (warnings) removed,
        notebook and cell metadata cleared except each output's alt text.
    """
    trimmed = copy.deepcopy(notebook)
    trimmed.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    kept = []
    for cell in trimmed.cells:
        if TAGS_LEFT_OUT & set(cell.get("metadata", {}).get("tags", [])):
            continue
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.get("outputs", []) if _shown_to_charity(output)]
        kept.append(cell)
    trimmed.cells = kept
    return trimmed


def _shown_to_charity(output) -> bool:
    """Leave out warnings and the bare repr of a cell's last value (``PosixPath(...)``)."""
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    if output.get("output_type") == "execute_result" and set(output.get("data", {})) == {"text/plain"}:
        return False
    return True


#: One exporter serves every render in the process; nbconvert exporters are not
#: documented as thread-safe, and `surgery demo` renders from several threads.
_RENDER_LOCK = threading.Lock()


@functools.cache
def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


def warm_up() -> None:
    """Build the exporter and compile what a render needs (about half a second).

    The runner calls this in a background thread while the kernel executes the
    playbook, when the process would otherwise only be waiting. The sample
    notebook touches each kind of output a report has, so that templates,
    Markdown rules and HTML entity tables are all ready for the real render.
    """
    import nbformat

    sample = nbformat.v4.new_notebook()
    sample.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome *text* &amp; a [link](#top).\n\n- a list"),
        nbformat.v4.new_code_cell(outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": "**Bold** &lt; 5"}),
            nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>1 &amp; 2</td></tr></table>"}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "chart"},
                                   metadata={"image/png": {"alt": "chart"}}),
        ]),
    ]
    render_report(sample, {}, "")


def _resources(provenance: dict, title: str) -> dict:
    return {
        "title": title,
        "css": REPORT_CSS,
        "banner": _banner(provenance),
        "provenance": provenance_rows(provenance),
    }


def provenance_rows(provenance: dict) -> list[tuple[str, str]]:
    """The footer's label/value pairs, in reading order."""
    labels = [
        ("charity", "Charity"),
        ("playbook", "Playbook"),
        ("run_date", "Run on"),
        ("kit_version", "Kit version"),
        ("input_file", "Input file"),
        ("input_sheet", "Sheet"),
        ("input_rows", "Rows read"),
        ("input_sha256", "Input file SHA-256"),
    ]
    rows = [(label, str(provenance[key])) for key, label in labels if provenance.get(key) not in (None, "")]
    parameters = provenance.get("parameters") or {}
    if parameters:
        rows.append(("Parameters", "; ".join(f"{k} = {v!r}" for k, v in parameters.items())))
    return rows


def render_report(notebook, provenance: dict, title: str, opening_note: str | None = None) -> str:
    """Render the charity's report as one self-contained HTML page.

    Args:
        notebook: The executed notebook.
        provenance: Facts for the footer (see :func:`provenance_rows`).
        title: The page title.
        opening_note: Markdown placed right after the playbook's opening cell
            (a re-run's comparison with the last report).

    Returns:
        The HTML text.
    """
    trimmed = prepare_for_charity(notebook)
    if opening_note:
        from nbformat.v4 import new_markdown_cell

        trimmed.cells.insert(1, new_markdown_cell(opening_note))
    with _RENDER_LOCK:
        body, _ = _exporter().from_notebook_node(
            trimmed, resources={"report": _resources(provenance, title)}
        )
    return body


def _banner(provenance: dict) -> str:
    who = provenance.get("charity") or "the charity"
    return f"Data surgery report for {who} · {provenance.get('run_date', '')}"


def render_error_report(failure, provenance: dict, title: str, step: str | None) -> str:
    """A short page that says in plain English why the report could not be made.

    Args:
        failure: The :class:`~helpers.spine.execute.CellFailure`.
        provenance: Facts for the footer.
        title: The playbook's title.
        step: The heading of the section that failed, when known.

    Returns:
        The HTML text (same look as a report, no traceback).
    """
    where = f" at the step “{html.escape(step)}”" if step else ""
    if failure.is_input_problem:
        what = html.escape(failure.message)
        advice = (
            "<p>This usually means the file is not in the shape the playbook expects. "
            "The message above says which column, row or setting to change. Fix it and run "
            "the playbook again; the file itself has not been changed.</p>"
        )
    else:
        what = (
            "The analysis hit a problem it did not expect "
            f"(a <code>{html.escape(failure.error_name)}</code> error)."
        )
        advice = (
            "<ul><li>Check that this is the file you meant to use, and that it has a header row.</li>"
            "<li>Run the <em>health-check</em> playbook on the file first: it points out problems "
            "that stop other playbooks.</li>"
            "<li>Your volunteer can open <code>notebook.ipynb</code> in this folder: it shows the "
            "step that failed and the full technical detail.</li></ul>"
        )
    rows = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in provenance_rows(provenance)
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}: not finished</title>
<style>
{REPORT_CSS}
</style></head>
<body>
<header class="report-banner"><p>{html.escape(_banner(provenance))}</p></header>
<main>
<h1>{html.escape(title)}: this report could not be finished</h1>
<div class="error-box" role="alert"><p><strong>What went wrong{where}:</strong> {what}</p></div>
<h2>What to try</h2>
{advice}
</main>
<footer class="provenance"><h2>About this run</h2><dl>{rows}</dl></footer>
</body>
</html>
"""


def heading_before(notebook, cell_index: int) -> str | None:
    """The last Markdown heading above a cell: the step a volunteer would recognise."""
    for cell in reversed(notebook.cells[: cell_index + 1]):
        if cell.cell_type != "markdown":
            continue
        for line in reversed(cell.source.splitlines()):
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return None
