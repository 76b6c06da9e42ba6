"""Charts for who-we-reach: the deprivation profile, and a dot map of the served area.

Both are drawn for the page and, narrower, for a phone (see
:func:`helpers.writing.charts.drawn_for_phones`): their keys sit under the chart, never
beside it, with the source line under the key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from helpers.reach.findings import in_most_deprived
from helpers.reach.lookup import lsoa_reference
from helpers.reach.profile import HIDE_BELOW
from helpers.writing.charts import (
    PALETTE,
    chart_titles,
    drawn_for_phones,
    key_below,
    new_chart,
    on_phone,
)

SOURCE = ("Source: the charity's records; English Indices of Deprivation 2019 (MHCLG) and "
          "ONS Postcode Directory, Open Government Licence")


@drawn_for_phones
def profile_chart(profile: pd.DataFrame, title: str, subtitle: str, alt_text: str):
    """Paired bars: the share of clients living in the area and of its residents in each decile.

    The title, subtitle and alt text are written from the same finding as the report's sentence
    (:func:`helpers.reach.words.chart_words`); the chart only draws.

    The key sits under the chart. On a phone the deciles are numbered only, the axis label
    says which end is most deprived, and the key takes a line for each entry.

    Args:
        profile: From :func:`helpers.reach.profile.decile_profile`.
        title, subtitle, alt_text: The finding in words, from ``chart_words`` (the subtitle names the
            area, so the key can say "Its residents").

    Returns:
        ``(figure, alt_text)`` for ``show_chart``.

    Example:
        >>> from helpers.reach.profile import decile_profile
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1] * 30 + [5] * 10, dtype="Int64")})
        >>> rows["local_authority_code"] = "E09000012"
        >>> fig, alt = profile_chart(decile_profile(rows, ["E09000012"]), "Most live in decile 1",
        ...                          "Share in each decile (%)", "Bar chart of clients and residents.")
        >>> alt
        'Bar chart of clients and residents.'

    """
    phone = on_phone()
    fig, ax = new_chart(8, 5.4 if phone else 4.6)
    deciles = np.arange(1, 11)
    clients = 100 * profile["client_share"].to_numpy()
    # A decile with fewer than 5 clients is drawn as empty, as the table hides it.
    clients = np.where(profile["clients"].to_numpy() >= HIDE_BELOW, clients, 0)
    residents = 100 * profile["resident_share"].to_numpy()
    width = 0.4
    ax.bar(deciles - width / 2, clients, width, color=PALETTE[0], label="Your clients who live there")
    ax.bar(deciles + width / 2, residents, width, color=PALETTE[1], label="Its residents")
    if phone:
        ax.set_xticks(deciles, [str(d) for d in deciles])
        ax.set_xlabel("Deprivation decile\n(1 = most deprived, 10 = least)")
        ax.yaxis.set_major_locator(MaxNLocator(4))
    else:
        ax.set_xticks(deciles, ["1\nmost\ndeprived"] + [str(d) for d in range(2, 10)] + ["10\nleast\ndeprived"])
    ax.set_ylim(0, max(clients.max(), residents.max(), 1) * 1.1)
    ax.set_ylabel("Share (%)")
    chart_titles(ax, title, subtitle, SOURCE)
    key_below(ax, ncol=1 if phone else 2, centred=not phone)
    return fig, alt_text


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
        fig, ax = new_chart(8, float(np.clip(2.6 * down / across + 2.9, 4.5, 8.5)))
    else:
        fig, ax = new_chart(8, 7)
    dot, ring = (6, 3) if phone else (14, 8)
    deprived = in_most_deprived(inside["imd_decile"])
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
    chart_titles(ax, f"Where clients live in {area_name}",
                 "Each dot is a neighbourhood of about 1,500 people, at its population centre", SOURCE)
    # The key's markers all one size: the rings' sizes are read from the map.
    key = key_below(ax, ncol=1, centred=False)
    for handle in key.legend_handles:
        handle.set_sizes([30 if phone else 50])
    alt = (f"Dot map of {len(inside):,} neighbourhoods in {area_name}. {int(deprived.sum()):,} are among the 20% "
           f"most deprived in England. Rings mark the {shown:,} neighbourhoods where 5 or more clients live.")
    return fig, alt


# The layout helpers below are the same as in helpers/impact/charts.py: generic, kept here until
# helpers.writing.charts has them.


