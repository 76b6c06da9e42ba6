"""Charts to take away: every report chart also saved as a PNG and an SVG a charity can paste into a bid.

A chart inside report.html cannot be pasted into a funding bid or a board paper. So each chart the
report shows is also written into the bundle's ``charts/`` folder as ``NN-short-name.png`` (drawn at
twice its shown size, sharp in print) and ``NN-short-name.svg`` (for designers), with its alt text
in ``charts/README.txt``. An exported chart carries its source line and the charity's name, so that
once pasted it still says where it came from.

The folder is the playbook's own output folder (the one :func:`helpers.writing.playbook.output_folder`
made), so a run by ``surgery run`` puts the charts in the bundle and a run in JupyterLab beside the
other files.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

CHARTS_FOLDER = "charts"
README = "README.txt"
README_HEADING = (
    "Charts from this report, ready to paste into a bid, a board paper or a newsletter.\n"
    "Each is here as a PNG (for documents and slides) and an SVG (for designers). Under each file\n"
    "name is the chart's description: paste it as the picture's alt text, for readers who cannot see it.\n"
)
_NOT_A_NAME = re.compile(r"[^a-z0-9]+")
#: The most words of a chart's title its file name keeps.
NAME_WORDS = 6

#: The output folder of the playbook running in this kernel (set by ``output_folder``).
_current_folder: list[Path] = []


def use_output_folder(folder: Path) -> None:
    """Say where the running playbook writes its files: its charts go to ``folder/charts``."""
    _current_folder[:] = [Path(folder)]


def short_name(title: str) -> str:
    """A chart's file name from its title: a few lowercase words joined by hyphens, ASCII only.

    Example:
        >>> short_name("Demand rose by 12% over the winter, to 1,204 parcels")
        'demand-rose-by-12-over-the'
        >>> short_name("")
        'chart'
    """
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = [word for word in _NOT_A_NAME.split(plain) if word][:NAME_WORDS]
    return "-".join(words) or "chart"


def chart_title(fig) -> str:
    """The title a chart shows (its first axes' title, else the figure's), one line."""
    for ax in fig.axes:
        for loc in ("left", "center"):
            text = ax.get_title(loc=loc)
            if text.strip():
                return " ".join(text.split())
    suptitle = getattr(fig, "_suptitle", None)
    return " ".join(suptitle.get_text().split()) if suptitle is not None else ""


def _charity_name() -> str:
    """The charity's name as the running notebook was given it (``charity_name``), else nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover  (IPython comes with Jupyter)
        return ""
    shell = get_ipython()
    name = shell.user_ns.get("charity_name", "") if shell is not None else ""
    return str(name).strip() if isinstance(name, str) else ""


def export_chart(fig, alt_text: str, folder: Path | None = None, charity: str | None = None) -> Path | None:
    """Save a chart as ``NN-short-name.png`` and ``.svg`` in ``folder`` and add its alt text to the README.

    Args:
        fig: The report's page figure (left as it was: the charity's name is added for the export only).
        alt_text: What the chart shows, in words.
        folder: The ``charts`` folder; by default the running playbook's output folder's.
        charity: The name to print under the source line; by default the notebook's ``charity_name``.

    Returns:
        The PNG's path, or ``None`` when no playbook output folder is known.

    Example:
        >>> import tempfile, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots(); _ = ax.set_title("Most visits were on Mondays")
        >>> folder = Path(tempfile.mkdtemp()) / "charts"
        >>> export_chart(fig, "Bars of visits by weekday.", folder, charity="Hackney Pantry").name
        '01-most-visits-were-on-mondays.png'
        >>> sorted(p.name for p in folder.iterdir())
        ['01-most-visits-were-on-mondays.png', '01-most-visits-were-on-mondays.svg', 'README.txt']
        >>> plt.close(fig)
    """
    from helpers.writing.chart_style import DRAWN_SCALE, SHOWN_DPI

    if folder is None:
        if not _current_folder:
            return None
        folder = _current_folder[0] / CHARTS_FOLDER
    charity = _charity_name() if charity is None else charity
    folder.mkdir(parents=True, exist_ok=True)
    number = 1 + sum(1 for path in folder.glob("[0-9][0-9]-*.png"))
    stem = f"{number:02d}-{short_name(chart_title(fig))}"
    import matplotlib as mpl

    # Text stays text in the SVG, so that a designer can edit it and a screen reader can read it.
    with _signed(fig, charity), mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": stem}):
        fig.savefig(folder / f"{stem}.png", format="png", dpi=SHOWN_DPI * DRAWN_SCALE, metadata={"Software": None})
        fig.savefig(folder / f"{stem}.svg", format="svg", metadata={"Date": None, "Creator": None})
    readme = folder / README
    from helpers.writing.language import kit_text  # the run's language (report_language)

    existing = readme.read_text(encoding="utf-8") if readme.exists() else kit_text(README_HEADING)
    readme.write_text(f"{existing}\n{stem}.png, {stem}.svg\n    {' '.join(alt_text.split())}\n", encoding="utf-8")
    return folder / f"{stem}.png"


class _signed:
    """While saving, the source line ends with the charity's name (or the name stands alone)."""

    def __init__(self, fig, charity: str):
        self.fig, self.charity = fig, charity
        self.label, self.before, self.added = None, None, None

    def __enter__(self):
        if not self.charity:
            return self
        label = getattr(self.fig, "_supxlabel", None)
        if label is not None and label.get_text().strip():
            self.label, self.before = label, label.get_text()
            label.set_text(f"{self.before}\n{self.charity}")
        else:
            self.added = self.fig.text(0.01, 0.005, self.charity, ha="left", va="bottom", fontsize=9, color="#444444")
        return self

    def __exit__(self, *exc):
        if self.label is not None:
            self.label.set_text(self.before)
        if self.added is not None:
            self.added.remove()
        return False
