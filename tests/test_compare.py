from helpers.spine.compare import Change, compare_summaries, comparison_markdown, describe_change, headline_figures


def test_headline_labels_choose_and_name_the_figures():
    summary = {"records": 1200, "clusters": 80, "threshold": 0.9, "provenance": {"x": 1},
               "headline": {"records": "contacts in the list", "clusters": "groups of duplicates"}}
    assert headline_figures(summary) == {"records": ("contacts in the list", 1200),
                                         "clusters": ("groups of duplicates", 80)}


def test_without_labels_every_top_level_number_counts_but_not_flags_or_nested_values():
    summary = {"rows": 10, "ok": True, "missing": {"a": 1}, "input": {"rows": 10}, "mean": 2.5}
    assert headline_figures(summary) == {"rows": ("rows", 10), "mean": ("mean", 2.5)}


def test_changes_in_words():
    assert describe_change(Change("n", "clients seen", 378, 412)) == "clients seen: 412, up 9% on last time's 378"
    assert describe_change(Change("n", "waiting", 50, 40)) == "waiting: 40, down 20% on last time's 50"
    assert describe_change(Change("n", "mean score", 2.5, 2.5)) == "mean score: 2.50, the same as last time"


def test_only_figures_both_runs_have_are_compared():
    changes = compare_summaries({"rows": 3, "old_only": 1}, {"rows": 4, "new_only": 2})
    assert [(c.key, c.previous, c.now) for c in changes] == [("rows", 3, 4)]
    text = comparison_markdown(changes, "2026-08-01")
    assert text.startswith("## Compared with last time") and "2026-08-01" in text and "rows: 4, up 33%" in text


def test_labels_from_an_edited_summary_are_text_in_the_report():
    """The comparison is rendered by nbconvert as a Markdown cell, which passes raw HTML through."""
    from helpers.spine.report import render_report
    import nbformat

    hostile = "<img src=x onerror=alert(1)> [x](javascript:alert(2))"
    changes = compare_summaries({"rows": 3, "headline": {"rows": hostile}},
                                {"rows": 4, "headline": {"rows": hostile}})
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title")]
    page = render_report(notebook, {}, "t", comparison_markdown(changes, "<script>alert(3)</script>"))
    assert "<img src=x" not in page and "<script>alert(3)" not in page and 'href="javascript' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
