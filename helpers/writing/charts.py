"""Charts for the charity's report: one look, colour-blind-safe, always with alt text."""

from __future__ import annotations

import base64
import io

import matplotlib
import matplotlib.pyplot as plt

#: Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

plt.rcParams.update(
    {
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "font.size": 11,
        "figure.figsize": (8, 4.2),
        "figure.dpi": 100,
        "savefig.bbox": "tight",
        # Headers and values from a charity's file are text: "$$ score" must not be read as maths.
        "text.parse_math": False,
    }
)


def new_chart(width: float = 8, height: float = 4.2):
    """Start a chart in the kit's style.

    Returns:
        A ``(figure, axes)`` pair from :func:`matplotlib.pyplot.subplots`.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.bar(["Yes", "No"], [3, 1])
        >>> plt.close(fig)
    """
    return plt.subplots(figsize=(width, height))


def chart_titles(ax, title: str, subtitle: str | None = None, source: str | None = None) -> None:
    """Title a chart as a statistical release does: the finding as the title, the units
    in a subtitle, and a source line under the chart.

    Args:
        ax: The chart's axes.
        title: The finding, in words ("Most visits come on Mondays").
        subtitle: The units and what is counted ("Parcels given out each week").
        source: Where the numbers come from ("Source: the food bank's visit log").

    Example:
        >>> fig, ax = new_chart()
        >>> chart_titles(ax, "Most said yes", "People, by answer", "Source: sample survey")
        >>> [text.get_text() for text in fig.texts]
        ['Source: sample survey']
        >>> plt.close(fig)
    """
    ax.set_title(title, loc="left", pad=22 if subtitle else 8)
    if subtitle:
        ax.text(0, 1.02, subtitle, transform=ax.transAxes, ha="left", va="bottom", fontsize=11, color="#444444")
    if source:
        ax.figure.text(0.01, -0.02, source, ha="left", va="top", fontsize=10, color="#444444")


def figure_png(fig, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes (and close it so notebooks do not show it twice)."""
    buffer = io.BytesIO()
    # No "Software" tag: the report should carry no web address, even inside an image.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def show_chart(fig, alt_text: str) -> None:
    """Show a chart in the notebook with alt text that the report keeps.

    The report template reads the alt text from the output's metadata, so a
    screen reader, or a trustee whose email client blocks images, still gets
    what the chart says.

    Args:
        fig: A matplotlib figure.
        alt_text: One or two plain sentences saying what the chart shows,
            with its key numbers.

    Raises:
        ValueError: ``alt_text`` is empty: every chart in a report needs it.
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("Every chart needs alt text: say in words what it shows.")
    from IPython.display import display

    png = base64.b64encode(figure_png(fig)).decode("ascii")
    display(
        {"image/png": png, "text/plain": f"[Chart] {alt_text}"},
        raw=True,
        metadata={"image/png": {"alt": alt_text}},
    )
