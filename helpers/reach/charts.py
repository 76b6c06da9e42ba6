"""Charts for who-we-reach: the deprivation profile, and a dot map of the served area.

Both are drawn for the page and, narrower, for a phone (see
:func:`helpers.writing.charts.drawn_for_phones`): their keys sit under the chart, never
beside it, with the source line under the key.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from helpers.reach.lookup import lsoa_reference
from helpers.reach.profile import HIDE_BELOW
from helpers.writing.charts import (
    PALETTE,
    PHONE_SHOWN_PX,
    SHOWN_DPI,
    chart_titles,
    drawn_for_phones,
    new_chart,
    on_phone,
)

SOURCE = ("Source: the charity's records; English Indices of Deprivation 2019 (MHCLG) and "
          "ONS Postcode Directory, Open Government Licence")


@drawn_for_phones
def profile_chart(profile: pd.DataFrame, area_name: str, headline: str):
    """Paired bars: the share of clients and of the area's residents in each decile.

    The key sits under the chart. On a phone the deciles are numbered only, the axis label
    says which end is most deprived, and the key takes a line for each entry.

    Args:
        profile: From :func:`helpers.reach.profile.decile_profile`.
        area_name: The served area in words ("Hackney").
        headline: The chart's title, the finding in words.

    Returns:
        ``(figure, alt_text)`` for ``show_chart``.

    Example:
        >>> from helpers.reach.profile import decile_profile
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1] * 30 + [5] * 10, dtype="Int64")})
        >>> fig, alt = profile_chart(decile_profile(rows, ["E09000012"]), "Hackney", "Most live in decile 1")
        >>> alt.startswith("Bar chart")
        True
    """
    phone = on_phone()
    fig, ax = _new_chart(8, 5.4 if phone else 4.6)
    deciles = np.arange(1, 11)
    clients = 100 * profile["client_share"].to_numpy()
    # A decile with fewer than 5 clients is drawn as empty, as the table hides it.
    clients = np.where(profile["clients"].to_numpy() >= HIDE_BELOW, clients, 0)
    residents = 100 * profile["resident_share"].to_numpy()
    width = 0.4
    residents_label = f"{area_name}'s residents"
    ax.bar(deciles - width / 2, clients, width, color=PALETTE[0], label="Your clients")
    ax.bar(deciles + width / 2, residents, width, color=PALETTE[1],
           label=residents_label)
    if phone:
        ax.set_xticks(deciles, [str(d) for d in deciles])
        ax.set_xlabel("Deprivation decile\n(1 = most deprived, 10 = least)")
        ax.yaxis.set_major_locator(MaxNLocator(4))
    else:
        ax.set_xticks(deciles, ["1\nmost\ndeprived"] + [str(d) for d in range(2, 10)] + ["10\nleast\ndeprived"])
    ax.set_ylim(0, max(clients.max(), residents.max(), 1) * 1.1)
    ax.set_ylabel("Share (%)")
    source = _titles(ax, headline, "Share of clients and of residents in each deprivation decile (%)", SOURCE)
    key = _key_under_axes(ax, ncol=1 if phone else 2, centred=not phone)
    _source_under(source, key)
    first = f"{clients[0] + clients[1]:.0f}% of clients and {residents[0] + residents[1]:.0f}% of residents"
    alt = (f"Bar chart of the share of clients and of {area_name}'s residents in each of the ten deprivation "
           f"deciles, from most to least deprived. {first} live in the two most deprived deciles.")
    return fig, alt


@drawn_for_phones
def dot_map(clients: pd.DataFrame, codes: list[str], area_name: str):
    """A map of the served area's neighbourhoods as dots at their population centres.

    Each neighbourhood is a small dot coloured by its decile; a ring around it grows with the
    number of clients living there (neighbourhoods with fewer than 5 clients get no ring). Drawn
    from the shipped centres only: no boundaries, no map tiles, nothing fetched. The key sits
    under the map; on a phone the figure is as tall as the area's shape needs, and the dots and
    rings are smaller.

    Returns:
        ``(figure, alt_text)``, or None when no served neighbourhood is in England.

    Example:
        >>> rows = pd.DataFrame({"lsoa_code": ["E01001714"] * 6})
        >>> fig, alt = dot_map(rows, ["E09000012"], "Hackney")
        >>> "neighbourhood" in alt
        True
    """
    ref = lsoa_reference()
    inside = ref[ref["local_authority"].isin(codes) & ref["imd_decile"].notna()]
    if inside.empty:
        return None
    counts = clients["lsoa_code"].value_counts().reindex(inside.index, fill_value=0)
    phone = on_phone()
    if phone:
        # The map is as wide as the phone: tall enough for the area's shape, the titles and the key.
        across = max(float(np.ptp(inside["easting"])), 1.0)
        down = max(float(np.ptp(inside["northing"])), 1.0)
        fig, ax = _new_chart(8, float(np.clip(2.6 * down / across + 2.9, 4.5, 8.5)))
    else:
        fig, ax = _new_chart(8, 7)
    dot, ring = (6, 3) if phone else (14, 8)
    deprived = inside["imd_decile"] <= 2
    ax.scatter(inside.loc[~deprived, "easting"], inside.loc[~deprived, "northing"], s=dot,
               color="#BBBBBB", label="Other neighbourhoods")
    ax.scatter(inside.loc[deprived, "easting"], inside.loc[deprived, "northing"], s=dot,
               color=PALETTE[3], label="20% most deprived in England")
    ringed = counts >= HIDE_BELOW
    ax.scatter(inside.loc[ringed, "easting"], inside.loc[ringed, "northing"], s=ring * counts[ringed],
               facecolors="none", edgecolors=PALETTE[0], linewidths=1.0 if phone else 1.2,
               label="Clients (ring grows with number)")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    shown = int(ringed.sum())
    source = _titles(ax, f"Where clients live in {area_name}",
                     "Each dot is a neighbourhood of about 1,500 people, at its population centre", SOURCE)
    # The key's markers all one size: the rings' sizes are read from the map.
    key = _key_under_axes(ax, ncol=1, centred=False)
    for handle in key.legend_handles:
        handle.set_sizes([30 if phone else 50])
    _source_under(source, key)
    alt = (f"Dot map of {len(inside):,} neighbourhoods in {area_name}. {int(deprived.sum()):,} are among the 20% "
           f"most deprived in England. Rings mark the {shown:,} neighbourhoods where 5 or more clients live.")
    return fig, alt


# The layout helpers below are the same as in helpers/impact/charts.py: generic, kept here until
# helpers.writing.charts has them.


def _new_chart(width: float, height: float):
    """:func:`~helpers.writing.charts.new_chart`, with a phone figure's layout leaving the margin
    the saved drawing adds, so that the drawing is shown at exactly the width it is laid out for.

    Otherwise the drawing is narrowed after it is laid out, and what was placed to fit it no
    longer does.
    """
    fig, ax = new_chart(width, height)
    if on_phone():
        fig.get_layout_engine().set(w_pad=plt.rcParams["savefig.pad_inches"] + 0.02)
    return fig, ax


def _titles(ax, title: str, subtitle: str, source: str):
    """:func:`~helpers.writing.charts.chart_titles`, fitted to a phone's width, and with the title
    lifted clear of a subtitle of several lines.

    ``chart_titles`` wraps to a share of the figure's width, but the title starts where the
    axes start, after the tick labels, so on a phone a long title can still run past the
    edge; and it leaves 1.2 font sizes for each extra line of subtitle, a little less than a
    line takes, so a subtitle of two lines on a phone touches the title.

    Returns:
        The source line's annotation.
    """
    from matplotlib.text import Text

    fig = ax.figure
    first = len(ax.texts)
    chart_titles(ax, title, subtitle, source)
    subtitle_text, source_text = ax.texts[first], ax.texts[first + 1]
    title_text = next(text for text in ax.findobj(Text) if text.get_text() == ax.get_title(loc="left"))
    if on_phone():
        _fit_to_phone(fig, [title_text, subtitle_text, source_text, ax.xaxis.label])
    renderer = fig.canvas.get_renderer()
    height = subtitle_text.get_window_extent(renderer).height * 72 / fig.dpi
    # chart_titles puts the subtitle 6 points above the axes; leave a third of a line above it.
    needed = 6 + height + subtitle_text.get_fontsize() / 3
    given = ax.titleOffsetTrans.get_matrix()[1, 2] * 72 / fig.dpi
    if needed > given:
        ax.set_title(title_text.get_text(), loc="left", pad=needed)
    return source_text


def _phone_reach(fig) -> float:
    """How far, in the figure's pixels, a phone drawing may reach from the leftmost thing drawn.

    The drawing is cropped to what is drawn, then padded on each side.
    """
    return (PHONE_SHOWN_PX / SHOWN_DPI - 2 * plt.rcParams["savefig.pad_inches"] - 0.05) * fig.dpi


def _fit_to_phone(fig, texts) -> None:
    """Wrap texts shorter until each ends inside the phone drawing's width (see :func:`_phone_reach`)."""
    reach = _phone_reach(fig)
    renderer = fig.canvas.get_renderer()
    for text in texts:
        for _ in range(8):
            fig.canvas.draw()
            left = fig.get_tightbbox(renderer).x0 * fig.dpi
            if text.get_window_extent(renderer).x1 - left <= reach:
                break
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, longest - 3)))


def _key_under_axes(ax, ncol: int, centred: bool, handles=None, **legend_options):
    """A key under the axes' tick labels and axis label, however many lines they take.

    The key hangs from the bottom of the axes, lowered by the height the x axis draws below it
    (a height in inches, which does not change as the layout resizes the axes). On a phone its
    entries are wrapped to the drawing's width.

    Args:
        ax: The chart's axes.
        ncol: Entries side by side.
        centred: Centred under the axes, rather than from their left.
        handles: The key's entries (default: the labelled artists of the axes).
        **legend_options: For :meth:`matplotlib.axes.Axes.legend`.

    Returns:
        The legend.
    """
    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [handle.get_label() for handle in handles]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    if on_phone():
        # A first cut, at about 0.55 em a character after the key's markers (3.7 em): a key far
        # wider than the phone would squeeze the axes to nothing.
        size = (legend_options.get("fontsize") or plt.rcParams["font.size"]) * fig.dpi / 72
        room = _phone_reach(fig) - (ax.get_window_extent(renderer).x0 - fig.get_tightbbox(renderer).x0 * fig.dpi)
        labels = [textwrap.fill(label, max(12, int((room - 3.7 * size) / (0.55 * size)))) for label in labels]
    axis = ax.xaxis.get_tightbbox(renderer)
    below = (ax.get_window_extent(renderer).y0 - axis.y0) / fig.dpi if axis is not None else 0.0
    lowered = ax.transAxes + ScaledTranslation(0, -max(below, 0.0), fig.dpi_scale_trans)
    key = ax.legend(handles, labels, loc="upper center" if centred else "upper left",
                    bbox_to_anchor=(0.5 if centred else 0, 0), bbox_transform=lowered, ncol=ncol, frameon=False,
                    **legend_options)
    if on_phone():
        _fit_key_to_phone(key)
    return key


def _fit_key_to_phone(key) -> None:
    """Wrap a key's entries so that it ends inside the phone drawing's width.

    Measured from where each entry starts, which stays put: were the key left too wide, the
    layout would squeeze the axes to make room for it.
    """
    fig = key.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left = fig.get_tightbbox(renderer).x0 * fig.dpi
    reach = _phone_reach(fig)
    for text in key.get_texts():
        box = text.get_window_extent(renderer)
        room = left + reach - box.x0
        if box.width > room:
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, int(longest * room / box.width))))


def _source_under(source, key) -> None:
    """Put the source line under the key as well as under the axes (chart_titles knows only the axes)."""
    from matplotlib.transforms import Bbox

    above = source.xycoords  # chart_titles' callable: everything the axes draw
    source.xycoords = lambda renderer: Bbox.union([above(renderer), key.get_window_extent(renderer)])
