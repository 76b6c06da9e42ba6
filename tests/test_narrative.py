import pandas as pd

from helpers.writing.narrative import list_in_words, percent, plural, show_table


def test_words_for_numbers():
    assert plural(1, "row") == "1 row" and plural(1200, "row") == "1,200 rows"
    assert plural(2, "person", "people") == "2 people"
    assert percent(1, 4) == "25%" and percent(5, 0) == "0%"
    assert list_in_words(["a"]) == "a" and list_in_words([]) == "none"
    assert list_in_words(range(8), limit=3) == "0, 1, 2 and 5 more"


def test_show_table_has_a_caption_first_and_no_index(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    show_table(pd.DataFrame({"Column": ["a", "b", "c"]}, index=[10, 11, 12]), "Three things", max_rows=2)
    html = shown[0].data
    assert "<caption>Three things (first 2 of 3 rows)</caption>" in html
    assert html.index("<caption>") < html.index("<thead")
    assert ">10<" not in html  # no index


# --- text from the charity is never markup (issue 10) ----------------------------------------

import pytest  # noqa: E402

from helpers.writing.narrative import markdown_html, md_text, say, show_load_log  # noqa: E402

HOSTILE = [
    "<script>alert(1)</script>",
    "Town<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(2)">x</a>',
    "[click](javascript:alert(3))",
    "[click](JaVaScRiPt:alert(3))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "<javascript:alert(4)>",
    "![x](http://example.invalid/track.png)",
    "<svg onload=alert(5)>",
    "<div\nonmouseover=alert(6)>",
]


def _elements(page: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(page)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_say_renders_no_tag_handler_or_script_link_from_its_text(text):
    rendered = markdown_html(f"The column **{text}** has gaps.")
    elements = _elements(rendered)
    assert ("strong", {}) in elements  # the kit's own Markdown still works
    assert {tag for tag, _ in elements} <= {"p", "strong", "a"}
    for _, attributes in elements:
        assert not [name for name in attributes if name.startswith("on")]
        assert attributes.get("href", "http:").startswith(("http:", "https:"))


@pytest.mark.parametrize("link, kept", [
    # Issue 21: no link from data, ever. Only a place on the same page survives ...
    ("#main-points", True),
    # ... never a web, mail, protocol-relative or relative link, whatever its spelling.
    ("https://www.ncvo.org.uk", False), ("http://example.org", False), ("mailto:a@b.org", False),
    ("//example.org/donate", False), ("///example.org", False), ("/\\example.org", False),
    ("\\\\example.org", False), ("HTTPS://EXAMPLE.ORG", False), ("cleaned.xlsx", False),
    ("#x/../https://e.org", False),
    ("javascript:alert(1)", False), ("vbscript:x", False), ("file:///etc/passwd", False),
    ("data:text/html,x", False), ("ftp://example.org", False), ("javascript&colon;alert(1)", False),
    ("&#106;avascript:alert(1)", False), ("java%0ascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False),
])
def test_only_a_place_on_the_page_survives_as_a_link(link, kept):
    for written in (f"[here]({link})", f"<{link}>", f"[here][1]\n\n[1]: {link}", link):
        assert ("href" in markdown_html(written)) is (kept and written.startswith("[")), written


def test_a_kit_link_survives_and_the_same_address_typed_in_data_is_text(monkeypatch):
    import helpers.writing.narrative as narrative

    monkeypatch.setattr(narrative, "KIT_LINKS", frozenset({"https://www.ncvo.org.uk"}))
    assert 'href="https://www.ncvo.org.uk"' in markdown_html("See [NCVO](https://www.ncvo.org.uk).")
    assert "href" not in markdown_html("See [NCVO](https://www.ncvo.org.uk/donate).")
    assert "href" not in markdown_html("See " + md_text("[NCVO](https://www.ncvo.org.uk)"))


def test_a_bare_address_in_data_is_never_linked():
    for text in ("https://evil.example/donate", "www.evil.example", "evil.example", "a@evil.example"):
        assert "href" not in markdown_html(f"Give at {text} today")


def test_md_text_shows_markdown_from_the_data_exactly_as_typed():
    for text in ["**Town**", "[x](https://example.org)", "# heading", "1. item", "- item", "a_b_c",
                 "`code`", "<b>x</b>", "back\\slash"]:
        rendered = markdown_html(md_text(text))
        assert rendered.startswith("<p>") and "<strong>" not in rendered and "href" not in rendered
        assert "<code>" not in rendered and "<h1>" not in rendered and "<li>" not in rendered
        import html as html_module
        assert html_module.unescape(rendered[3:-5]) == text


def test_md_text_keeps_a_header_on_one_line():
    assert "<li>" not in markdown_html("Column " + md_text("Town\n- injected item"))


def test_say_displays_html_only(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    say("**3** rows in <b>Town</b>")
    assert shown[0].data == "<p><strong>3</strong> rows in &lt;b&gt;Town&lt;/b&gt;</p>\n"


def test_the_load_log_shows_the_file_name_and_headers_as_text(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))

    class Table:
        source_name = "`x`<img src=x onerror=alert(1)>.csv"
        log = ["Renamed **Town<script>alert(1)</script>** to Town"]

    show_load_log(Table())
    page = shown[0].data
    assert "<img" not in page and "<script" not in page and "<code>" not in page
    assert "**Town&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;.csv" in page


def test_show_table_escapes_headers_values_and_caption(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    bad = "<img src=x onerror=alert(1)>"
    show_table(pd.DataFrame({bad: [bad]}), caption=bad)
    assert "<img" not in shown[0].data and shown[0].data.count("&lt;img") == 3
