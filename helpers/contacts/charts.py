"""The dedupe report's charts: what each detail says when it agrees or differs, and how
sure the kit is about the pairs it compared."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from helpers.writing.charts import drawn_for_phones

#: Evidence in words, from a match weight (bits: each bit doubles the odds).
EVIDENCE_WORDS = (
    (10, "very strong evidence of the same person"),
    (5, "strong evidence of the same person"),
    (2, "some evidence of the same person"),
    (-2, "says little either way"),
    (-5, "some evidence of two people"),
    (-10, "strong evidence of two people"),
)
#: Characters a line of a detail's name holds beside the page's chart, and above a row on a phone.
DETAIL_NAME_CHARACTERS = 18
PHONE_DETAIL_NAME_CHARACTERS = 36
#: Where the match-weight chart's scale is labelled: inside the "strong" and "very strong" bands of
#: :data:`EVIDENCE_WORDS` on each side, so that each label says what the words in the tables say.
SCALE_TICKS = (-14, -7, 0, 7, 14)
#: The bands the report counts pairs in.
PROBABILITY_BANDS = ((0.0, 0.5, "Under 50%"), (0.5, 0.9, "50% to 90%"), (0.9, 1.01, "90% and over"))
#: The bands' names on a phone, each on two short lines.
PHONE_BAND_NAMES = {"Under 50%": "Under\n50%", "50% to 90%": "50% to\n90%", "90% and over": "90% and\nover"}


def evidence_words(weight: float) -> str:
    """A match weight in words.

    Example:
        >>> evidence_words(11.5), evidence_words(0.3), evidence_words(-6.0)
        ('very strong evidence of the same person', 'says little either way', 'strong evidence of two people')
    """
    if weight is None or pd.isna(weight):
        return "not learned"
    for floor, words in EVIDENCE_WORDS:
        if weight >= floor:
            return words
    return "very strong evidence of two people"


def _scale_words(weight: float) -> str:
    """A point on the match-weight scale in two short lines, in the words of :func:`evidence_words`.

    Example:
        >>> print(_scale_words(7))
        strong:
        same person
        >>> print(_scale_words(-14))
        very strong:
        two people
    """
    words = evidence_words(weight).replace(" evidence of the ", ": ").replace(" evidence of ", ": ")
    return words.replace(": ", ":\n")


def detail_evidence(influence: pd.DataFrame) -> pd.DataFrame:
    """One row per detail: what agreeing and what differing on it says, in words.

    Args:
        influence: From :func:`helpers.contacts.words.field_influence`.

    Returns:
        "Detail", "When they agree", "When they differ".

    Example:
        >>> table = pd.DataFrame({"Detail": ["Email"], "Agree (bits)": [11.5], "Differ (bits)": [-3.0]})
        >>> detail_evidence(table).values.tolist()
        [['Email', 'very strong evidence of the same person', 'some evidence of two people']]
    """
    if influence.empty:  # nothing was compared (every group is exact copies)
        return pd.DataFrame(columns=["Detail", "When they agree", "When they differ"])
    return pd.DataFrame({
        "Detail": influence["Detail"].to_numpy(),
        "When they agree": [evidence_words(w) for w in influence["Agree (bits)"]],
        "When they differ": [evidence_words(w) for w in influence["Differ (bits)"]],
    })


@drawn_for_phones
def match_weight_chart(influence: pd.DataFrame):
    """One row per detail: where agreeing and differing on it fall, from "two people" to "same person".

    On a phone each detail's name sits above its row, so the scale gets the screen's whole
    width, and its ends and middle only are named.

    Args:
        influence: From :func:`helpers.contacts.words.field_influence` (match weights in bits).

    Returns:
        A matplotlib figure; the scale is in words, the bits stay in the For analysts table.

    Example:
        >>> table = pd.DataFrame({"Detail": ["Email", "Town"], "Agree (bits)": [11.5, 2.0],
        ...                       "Differ (bits)": [-3.0, -0.5]})
        >>> match_weight_chart(table).axes[0].get_yticklabels()[0].get_text()
        'Email'
    """
    from helpers.writing.charts import PALETTE, chart_titles, new_chart, on_phone

    if "Agree (bits)" not in influence:  # the model's parameter table: one row per detail first
        from helpers.contacts.words import field_influence

        influence = field_influence(influence)
    table = influence.reset_index(drop=True)
    phone = on_phone()
    fig, ax = new_chart(8.5, max(3.2, (0.8 if phone else 0.75) * len(table) + (2.2 if phone else 1.6)))
    positions = np.arange(len(table))[::-1]
    agree = table["Agree (bits)"].clip(-15, 15).to_numpy(dtype=float)
    differ = table["Differ (bits)"].clip(-15, 15).to_numpy(dtype=float)
    for y, a, d in zip(positions, agree, differ):
        ax.plot([d, a], [y, y], color="#BBBBBB", linewidth=2, zorder=1)
    ax.scatter(agree, positions, s=60 if phone else 90, color=PALETTE[0], zorder=2)
    ax.scatter(differ, positions, s=60 if phone else 90, color=PALETTE[3], zorder=2)
    ax.axvline(0, color="#444444", linewidth=0.8, zorder=0)
    ax.set_xlim(-18, 18)
    if phone:
        _phone_rows(ax, table["Detail"].tolist(), positions, agree, differ)
        ax.set_xticks([-14, 0, 14], [_scale_words(-14), "little\neither way", _scale_words(14)])
    else:
        for y, a, d in zip(positions, agree, differ):
            ax.text(a + 0.6, y + 0.18, "agree", color=PALETTE[0], fontsize=12, va="bottom")
            ax.text(d - 0.6, y + 0.18, "differ", color=PALETTE[3], fontsize=12, va="bottom", ha="right")
        names = [textwrap.fill(str(name), DETAIL_NAME_CHARACTERS) for name in table["Detail"]]
        ax.set_yticks(positions, names, fontsize=12)
        ax.set_ylim(-0.7, len(table) - 0.2)
        # "little either way" takes three short lines so that it stands clear of its neighbours.
        ax.set_xticks(SCALE_TICKS, [_scale_words(tick) if tick else "little\neither\nway" for tick in SCALE_TICKS],
                      fontsize=12)
    chart_titles(ax, "What each detail says when two records agree or differ",
                 "Evidence for the same person (right) or two people (left)",
                 "Source: the kit's model, learned from this list")
    return fig


def _phone_rows(ax, names: list[str], positions, agree, differ) -> None:
    """The phone's rows: each detail's name above its line, "agree" and "differ" beside the top row's dots."""
    from helpers.writing.charts import PALETTE

    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.5, len(names) - 0.4)
    for name, y in zip(names, positions):
        ax.text(-18, y + 0.22, textwrap.fill(str(name), PHONE_DETAIL_NAME_CHARACTERS), va="bottom", ha="left",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    if len(names):
        top = positions[0]
        ax.text(agree[0] + 1.0, top, "agree", color=PALETTE[0], va="center", ha="left")
        ax.text(differ[0] - 1.0, top, "differ", color=PALETTE[3], va="center", ha="right")


def probability_counts_in_bands(probability_counts: pd.DataFrame) -> pd.DataFrame:
    """Compared pairs in three bands: under 50%, 50% to 90%, 90% and over.

    Example:
        >>> bands = pd.DataFrame({"band_start": [0.0, 0.5, 0.85, 0.9, 0.95], "band_end": [0.05, 0.55, 0.9, 0.95, 1.0],
        ...                       "pairs": [40, 3, 2, 1, 12]})
        >>> probability_counts_in_bands(bands)["pairs"].tolist()
        [40, 5, 13]
    """
    starts = probability_counts["band_start"].to_numpy()
    counts = probability_counts["pairs"].to_numpy()
    rows = [{"band": label, "pairs": int(counts[(starts >= low - 1e-9) & (starts < high - 1e-9)].sum())}
            for low, high, label in PROBABILITY_BANDS]
    return pd.DataFrame(rows)


#: What the pairs of each band are, in words, for the probability chart's title.
BAND_WORDS = {"Under 50%": "clearly two people", "50% to 90%": "unclear, for a person to check",
              "90% and over": "very likely the same person"}


def probability_finding(bands: pd.DataFrame) -> str:
    """The probability chart's finding: what the band holding the most pairs says about them.

    Args:
        bands: From :func:`probability_counts_in_bands`.

    Example:
        >>> bands = pd.DataFrame({"band": ["Under 50%", "50% to 90%", "90% and over"], "pairs": [28, 6, 545]})
        >>> probability_finding(bands)
        'Most compared pairs are very likely the same person'
        >>> probability_finding(bands.assign(pairs=[40, 35, 30]))
        'More compared pairs are clearly two people than anything else'
    """
    biggest = bands.loc[bands["pairs"].idxmax()]
    words = BAND_WORDS[biggest["band"]]
    if biggest["pairs"] * 2 > bands["pairs"].sum():
        return f"Most compared pairs are {words}"
    return f"More compared pairs are {words} than anything else"


@drawn_for_phones
def probability_chart(probability_counts: pd.DataFrame, threshold: float):
    """Three labelled bars: compared pairs under 50%, 50% to 90%, and 90% and over.

    Args:
        probability_counts: ``LinkageResult.probability_counts``.
        threshold: The match threshold (said in the subtitle).

    Returns:
        A matplotlib figure.

    Example:
        >>> bands = pd.DataFrame({"band_start": [0.0, 0.95], "band_end": [0.05, 1.0], "pairs": [40, 12]})
        >>> [t.get_text() for t in probability_chart(bands, 0.9).axes[0].get_xticklabels()]
        ['Under 50%', '50% to 90%', '90% and over']
    """
    from helpers.writing.charts import PALETTE, chart_titles, count_bars, new_chart, on_phone

    bands = probability_counts_in_bands(probability_counts)
    phone = on_phone()
    fig, ax = new_chart(8, 3.8 if phone else 4.4)
    colours = [PALETTE[5], PALETTE[1], PALETTE[0]]
    # On a phone the three bars share 300 pixels: each band's name takes two short lines.
    names = [PHONE_BAND_NAMES.get(band, band) for band in bands["band"]] if phone else bands["band"].tolist()
    count_bars(ax, names, [int(count) for count in bands["pairs"]], colours, "Pairs of records compared", phone)
    subtitle = f"Pairs by how likely the kit thinks they are one person; groups were made at {threshold:.0%}"
    chart_titles(ax, probability_finding(bands), subtitle, "Source: the kit's comparison of this list")
    return fig
