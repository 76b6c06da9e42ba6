"""Every playbook's report.html for every reader: axe-core finds nothing serious,
charts keep to the colour-blind-safe palette, headings are in order.

axe-core is the accessibility engine browsers' own audit tools use; the
``axe-playwright-python`` package ships its ``axe.min.js``, which is injected into the
page here, so nothing is downloaded when the test runs (the page is opened with every
network request blocked, as in test_report_browser.py).
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from test_report_browser import IDS, browser, open_offline  # noqa: F401 (browser is a fixture)

from helpers.writing.charts import PALETTE

#: axe-core impact levels that fail a report ("minor" and "moderate" are reported by axe but allowed).
FAILING_IMPACTS = ("serious", "critical")

#: A pixel is "coloured" when its channels differ by this much; greys, white and black are not checked.
MIN_CHROMA = 40
#: A colour is dominant when it covers this share of a chart's coloured pixels.
DOMINANT_SHARE = 0.02
#: How far (RGB distance) a dominant colour may be from a palette colour laid over white.
COLOUR_TOLERANCE = 25.0

PALETTE_RGB = np.array([[int(code[i:i + 2], 16) for i in (1, 3, 5)] for code in PALETTE], dtype=float)


def axe_script() -> str:
    module = pytest.importorskip(
        "axe_playwright_python.base",
        reason="axe-playwright-python (test extra) ships the axe-core script the check runs",
    )
    return module.AXE_SCRIPT


def serious_violations(page) -> list[str]:
    """Run axe-core in a loaded page; one line per serious or critical violation."""
    page.evaluate(axe_script())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results["violations"] if v["impact"] in FAILING_IMPACTS
    ]


def chart_pngs(html: str) -> list[bytes]:
    """The PNG bytes of every chart embedded in a report."""
    return [base64.b64decode(data) for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def palette_distance(colour: np.ndarray) -> float:
    """How far a colour is from palette colours laid over white at any opacity, one or two deep.

    Charts often fill an area with a palette colour at part opacity (a band, a light
    bar): on white that gives ``white - a * (white - palette)``; the best opacity ``a``
    is found by least squares for each palette colour. Translucent lines or areas of two
    palette colours that cross give a mix of the two and white (a chart drawn at twice
    its size shows such crossings as areas, not single pixels), so the distance to the
    nearest such mix counts too. Black is left out of the mixes: mixed with any colour
    it would excuse every darker shade.
    """
    from itertools import combinations

    from scipy.optimize import nnls

    ink = 255.0 - colour
    best = np.inf
    for palette in PALETTE_RGB:
        full = 255.0 - palette
        opacity = float(np.clip(ink @ full / (full @ full), 0.1, 1.0)) if full @ full else 1.0
        best = min(best, float(np.linalg.norm(ink - opacity * full)))
    inks = [255.0 - palette for palette in PALETTE_RGB if palette.any()]
    for first, second in combinations(inks, 2):
        # Non-negative shares of each ink, together at most all of it (the rest is white paper).
        weights, _ = nnls(np.column_stack([first, second]), ink)
        if weights.sum() > 1:
            weights = weights / weights.sum()
        best = min(best, float(np.linalg.norm(ink - weights[0] * first - weights[1] * second)))
    return best


def off_palette_colours(png: bytes) -> list[tuple[tuple[int, int, int], float]]:
    """The dominant non-grey colours of a chart that are not from :data:`helpers.writing.charts.PALETTE`.

    Pixels whose channels differ by less than MIN_CHROMA (white, greys, black, text)
    are left out. The rest are grouped into bins of 16 levels per channel; a bin holding
    at least DOMINANT_SHARE of them is dominant (anti-aliased edges are not). Its mean
    colour must be within COLOUR_TOLERANCE of a palette colour at some opacity on white.

    Returns:
        ``((r, g, b), share)`` for each offending colour, most common first.
    """
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int).reshape(-1, 3)
    coloured = pixels[(pixels.max(axis=1) - pixels.min(axis=1)) >= MIN_CHROMA]
    if len(coloured) == 0:
        return []
    bins, which, counts = np.unique(coloured // 16, axis=0, return_inverse=True, return_counts=True)
    which = which.ravel()
    offending = []
    for index in np.argsort(-counts):
        share = counts[index] / len(coloured)
        if share < DOMINANT_SHARE:
            break
        mean = coloured[which == index].mean(axis=0)
        if palette_distance(mean) > COLOUR_TOLERANCE:
            offending.append((tuple(int(round(v)) for v in mean), round(float(share), 3)))
    return offending


def heading_levels(html: str) -> list[tuple[int, str]]:
    """Every heading of a page in document order, as (level, text)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [(int(h.name[1]), " ".join(h.get_text(" ").replace("¶", "").split()))
            for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def heading_problems(levels: list[tuple[int, str]]) -> list[str]:
    """What is wrong with a page's heading outline: not one h1 first, or a level skipped."""
    problems = []
    ones = [text for level, text in levels if level == 1]
    if len(ones) != 1:
        problems.append(f"{len(ones)} h1 headings ({ones}); a page needs exactly one")
    if levels and levels[0][0] != 1:
        problems.append(f"the first heading is h{levels[0][0]} {levels[0][1]!r}, not the h1")
    for (before, before_text), (level, text) in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(f"h{before} {before_text!r} is followed by h{level} {text!r}: h{before + 1} skipped")
    return problems


def _chart(colours, alpha: float = 1.0, image=None) -> bytes:
    from helpers.writing.charts import figure_png, new_chart

    fig, ax = new_chart()
    if image is not None:
        ax.imshow(image, cmap="viridis")
    else:
        ax.bar(range(len(colours)), [3, 5, 2, 4][: len(colours)], color=colours, alpha=alpha)
        ax.set_title("Visits by month")
    return figure_png(fig)


# --- the checks themselves ---------------------------------------------------------------------

def test_palette_charts_pass_and_other_colours_are_named():
    assert off_palette_colours(_chart(PALETTE[:4])) == []
    assert off_palette_colours(_chart(PALETTE[:3], alpha=0.3)) == []  # light fills of palette colours
    offending = off_palette_colours(_chart(["red", "green", PALETTE[0]]))
    assert {colour for colour, _ in offending} == {(255, 0, 0), (0, 128, 0)}
    assert off_palette_colours(_chart([], image=np.arange(400.0).reshape(20, 20))) != []
    # Two translucent palette colours crossing make a mix of them, which is not an off-palette colour...
    blue, green = PALETTE_RGB[0], PALETTE_RGB[2]
    crossing = 0.45 * blue + 0.55 * (255 - 0.45 * (255 - green))
    assert palette_distance(crossing) < 1
    # ...but a darker shade of a palette colour is (black is not mixed in).
    assert palette_distance(0.6 * blue) > COLOUR_TOLERANCE


def test_heading_outline_rules():
    good = [(1, "Title"), (2, "Summary"), (3, "Detail"), (2, "What to do next"), (2, "About")]
    assert heading_problems(good) == []
    assert heading_problems([(1, "Title"), (3, "Detail")]) == [
        "h1 'Title' is followed by h3 'Detail': h2 skipped"]
    assert len(heading_problems([(1, "A"), (2, "B"), (1, "C")])) == 1
    assert heading_problems([(2, "Intro"), (1, "Title")])[0].startswith("the first heading is h2")
    assert heading_levels("<h1>Title<a>¶</a></h1><div><h2>Sum\nmary</h2></div>") == [(1, "Title"), (2, "Sum mary")]


@pytest.mark.slow
def test_axe_finds_serious_problems_in_a_bad_page(browser, tmp_path):  # noqa: F811
    page_file = tmp_path / "bad.html"
    pixel = base64.b64encode(_chart(PALETTE[:1])).decode("ascii")
    page_file.write_text(
        "<!DOCTYPE html><html><head><title>Bad</title></head><body><main>"
        f"<h1>Report</h1><img src='data:image/png;base64,{pixel}'>"
        "<p style='color:#bbb;background:#fff'>Pale text nobody can read.</p></main></body></html>",
        encoding="utf-8",
    )
    page, blocked, errors = open_offline(browser, page_file)
    try:
        found = serious_violations(page)
    finally:
        page.context.close()
    assert blocked == [] and errors == []
    assert {line.split(" ")[0] for line in found} >= {"image-alt", "color-contrast", "html-has-lang"}


# --- every playbook's report ----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_axe_finds_no_serious_or_critical_violation(name, browser, demo_bundles):  # noqa: F811
    page, blocked, _ = open_offline(browser, demo_bundles[name] / "report.html")
    try:
        found = serious_violations(page)
    finally:
        page.context.close()
    assert blocked == []
    assert found == [], "\n".join(found)


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_charts_use_the_colour_blind_safe_palette(name, demo_bundles):
    html = (demo_bundles[name] / "report.html").read_text(encoding="utf-8")
    offending = {f"chart {number}": colours for number, png in enumerate(chart_pngs(html), start=1)
                 if (colours := off_palette_colours(png))}
    assert offending == {}, f"dominant colours not from helpers.writing.charts.PALETTE ((r, g, b), share): {offending}"


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_headings_are_in_order(name, demo_bundles):
    html = (demo_bundles[name] / "report.html").read_text(encoding="utf-8")
    assert heading_problems(heading_levels(html)) == []
