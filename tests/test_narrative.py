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
