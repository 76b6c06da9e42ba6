"""What the tests check of a chart as the report shows it, on the page and on a phone."""

from __future__ import annotations

from helpers.writing import PHONE_MIMETYPE
from helpers.writing.charts import MIN_TEXT_PX, PAGE_SHOWN_PX, PHONE_SHOWN_PX, report_drawings


def drawn_problems(drawings: dict[str, dict]) -> list[str]:
    """What keeps a chart's drawings from being read where they are shown.

    Args:
        drawings: ``{mimetype: about}``, as :func:`helpers.writing.charts.show_chart` puts
            them in a notebook output's metadata.

    Returns:
        One line for each drawing that is missing, too wide for where it is shown (so
        it would be shrunk), has text under :data:`MIN_TEXT_PX`, or has labels that collide.
    """
    problems = []
    if PHONE_MIMETYPE not in drawings:
        problems.append("no phone drawing: mark the chart function with @drawn_for_phones")
    for kind, about in drawings.items():
        if kind not in ("image/png", PHONE_MIMETYPE):
            continue
        where, widest = ("phone", PHONE_SHOWN_PX) if kind == PHONE_MIMETYPE else ("page", PAGE_SHOWN_PX)
        if about["width"] > widest:
            problems.append(f"{where}: {about['width']} px wide, more than the {widest} px it is shown at")
        if about["min_text_px"] is not None and about["min_text_px"] < MIN_TEXT_PX - 1e-9:
            problems.append(f"{where}: text of {about['min_text_px']} px, under {MIN_TEXT_PX} px")
        problems += [f"{where}: labels collide: {pair}" for pair in about["overlapping_text"]]
    return problems


def chart_problems(fig) -> list[str]:
    """:func:`drawn_problems` for a figure, drawn as :func:`~helpers.writing.charts.show_chart` draws it."""
    return drawn_problems({kind: about for kind, (_, about) in report_drawings(fig).items()})
