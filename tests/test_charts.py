import base64
import io

import pytest
from PIL import Image

from helpers.writing.charts import PALETTE, figure_png, new_chart, show_chart


def test_show_chart_needs_alt_text():
    fig, _ = new_chart()
    with pytest.raises(ValueError, match="alt text"):
        show_chart(fig, "  ")


def test_show_chart_carries_alt_text_in_the_output_metadata(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append((data, metadata)))
    fig, ax = new_chart()
    ax.bar(["a", "b"], [1, 2])
    show_chart(fig, "Two bars: a is 1 and b is 2.")
    data, metadata = shown[0]
    assert metadata == {"image/png": {"alt": "Two bars: a is 1 and b is 2."}}
    image = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert image.width > 300


def test_png_carries_no_web_address_and_uses_the_palette():
    fig, ax = new_chart()
    ax.bar(["a"], [1])
    png = figure_png(fig)
    assert b"http" not in png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    first = tuple(int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    assert first in {colour for _, colour in image.getcolors(1_000_000)}
