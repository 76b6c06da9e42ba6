"""Charts for the charity's report: one look, colour-blind-safe, always with alt text.

A chart is drawn at twice the size it is shown (:data:`SHOWN_DPI` × :data:`DRAWN_SCALE`),
and the report's ``<img>`` is given its shown width, so that it stays sharp in print
and on high-density phone screens while its text keeps its size (at least
:data:`MIN_TEXT_PX` pixels as shown).
"""

from __future__ import annotations

import base64
import io

import matplotlib
import matplotlib.pyplot as plt

#: Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: Pixels per inch of a chart as the report shows it (a 8-inch chart is 880 px wide).
SHOWN_DPI = 110
#: How many times its shown size a chart is drawn.
DRAWN_SCALE = 2
#: The smallest text a chart may have, in pixels as shown (8 points at :data:`SHOWN_DPI`).
MIN_TEXT_PX = 12

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

    A title longer than the chart is wide is wrapped onto a second line, so that it
    does not widen the image (and shrink everything else when the image is fitted to
    the page). The source line sits under everything the axes draw (tick labels, axis
    label, rotated dates), so it never collides with them.

    Args:
        ax: The chart's axes.
        title: The finding, in words ("Most visits come on Mondays").
        subtitle: The units and what is counted ("Parcels given out each week").
        source: Where the numbers come from ("Source: the food bank's visit log").

    Example:
        >>> fig, ax = new_chart()
        >>> chart_titles(ax, "Most said yes", "People, by answer", "Source: sample survey")
        >>> ax.get_title(loc="left"), [text.get_text() for text in ax.texts]
        ('Most said yes', ['People, by answer', 'Source: sample survey'])
        >>> plt.close(fig)
    """
    import textwrap

    # About 0.6 em per character of the bold title: the characters that fit across the figure.
    width_points = ax.figure.get_figwidth() * 72
    fits = max(20, int(width_points / (0.6 * plt.rcParams["axes.titlesize"])))
    ax.set_title(textwrap.fill(title, fits), loc="left", pad=24 if subtitle else 8)
    if subtitle:
        # Offset in points from the top of the axes, so the gap stays the same whatever the chart's height.
        ax.annotate(subtitle, (0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                    ha="left", va="bottom", fontsize=11, color="#444444")
    if source:
        ax.annotate(source, (0, 0), xycoords=lambda renderer: _drawn_extent(ax, renderer), xytext=(0, -6),
                    textcoords="offset points", ha="left", va="top", fontsize=10, color="#444444",
                    annotation_clip=False)


def _drawn_extent(ax, renderer):
    """Everything the axes draw (ticks, labels), without its own titles' annotations: where the source goes."""
    from matplotlib.transforms import Bbox

    parts = [ax.get_window_extent(renderer)]
    for axis in (ax.xaxis, ax.yaxis):
        box = axis.get_tightbbox(renderer)
        if box is not None and box.width and box.height:
            parts.append(box)
    return Bbox.union(parts)


def _visible_texts(fig):
    from matplotlib.text import Text

    return [text for text in fig.findobj(Text) if text.get_visible() and text.get_text().strip()]


def smallest_text_px(fig, dpi: float = SHOWN_DPI) -> float | None:
    """The size in pixels, as shown, of the smallest visible text of a figure (``None``: no text).

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.text(0, 0, "small", fontsize=9)
        >>> fig.canvas.draw()
        >>> round(smallest_text_px(fig), 1)
        13.8
        >>> plt.close(fig)
    """
    sizes = [text.get_fontsize() * dpi / 72 for text in _visible_texts(fig)]
    return min(sizes) if sizes else None


def small_text(fig, min_px: float = MIN_TEXT_PX, dpi: float = SHOWN_DPI) -> list[str]:
    """The visible texts of a figure smaller than ``min_px`` pixels at the size it is shown.

    Args:
        fig: A matplotlib figure.
        min_px: The smallest size allowed, in pixels.
        dpi: Pixels per inch as shown (a point is 1/72 inch).

    Returns:
        ``"text (size px)"`` for each text that is too small; empty when all can be read.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.text(0, 0, "tiny", fontsize=6)
        >>> small_text(fig)
        ['tiny (9.2 px)']
        >>> plt.close(fig)
    """
    problems = []
    for text in _visible_texts(fig):
        size = text.get_fontsize() * dpi / 72
        if size < min_px - 1e-9:
            problems.append(f"{text.get_text()} ({size:.1f} px)")
    return problems


def figure_png(fig, dpi: int = SHOWN_DPI * DRAWN_SCALE) -> bytes:
    """Render a figure to PNG bytes (and close it so notebooks do not show it twice).

    Args:
        fig: A matplotlib figure.
        dpi: Pixels per inch of the drawing: by default twice the shown size.

    Returns:
        The PNG file's bytes.
    """
    buffer = io.BytesIO()
    # No "Software" tag: the report should carry no web address, even inside an image.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def png_width(png: bytes) -> int:
    """The width in pixels of a PNG, read from its header.

    Example:
        >>> from PIL import Image
        >>> buffer = io.BytesIO()
        >>> Image.new("RGB", (321, 20)).save(buffer, "PNG")
        >>> png_width(buffer.getvalue())
        321
    """
    return int.from_bytes(png[16:20], "big")


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

    drawn = figure_png(fig)
    smallest = smallest_text_px(fig)  # after drawing: tick labels get their text when drawn
    shown_width = max(1, round(png_width(drawn) / DRAWN_SCALE))
    display(
        {"image/png": base64.b64encode(drawn).decode("ascii"), "text/plain": f"[Chart] {alt_text}"},
        raw=True,
        # JupyterLab and the report both show the image at this width: 1x, drawn at 2x.
        # The smallest text's size lets the report's tests check it stays legible as shown.
        metadata={"image/png": {"alt": alt_text, "width": shown_width,
                                "min_text_px": round(smallest, 1) if smallest else None}},
    )
