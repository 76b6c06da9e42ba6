"""The health check's conclusions as claims, and placeholders counted as missing (issue 20).

Each conclusion word ("exact copies", "near copies", "no personal data") is printed only from a
claim whose rule reached it; the Main points print the claims' own sentences.
"""

import pandas as pd

from helpers.health_check import health_claims, main_points, summary_figures
from helpers.health_check.findings import check_health
from helpers.health_check.words import copies_sentence
from helpers.writing.claims import CONCLUSION_WORDS


def _claims(frame) -> dict:
    return {claim.key: claim for claim in health_claims(check_health(frame, today="2025-06-01"))}


def _words_in(text: str) -> set[str]:
    return {decision for phrase, decision in CONCLUSION_WORDS.items() if phrase in text.lower()}


def test_one_exact_copy_is_the_boundary_of_the_exact_copies_decision():
    once = pd.DataFrame({"Town": ["Leeds", "York", "Hull"], "Visits": [1, 2, 3]})
    claim = _claims(once)["exact_copies"]
    assert claim.decision == "none" and claim.sentence == "No row is an exact copy of another."
    assert "exact_copies" not in _words_in(claim.sentence)
    twice = pd.concat([once, once.iloc[[0]]], ignore_index=True)
    claim = _claims(twice)["exact_copies"]
    assert claim.decision == "exact_copies" and claim.numbers == {"exact_copies": 1}
    assert claim.sentence == "1 row is an exact copy of another row, so counts of people may be too high."


def test_near_copies_decision_and_its_counterexample():
    people = pd.DataFrame({"Member": ["Avaqz Nowakqz", "Benqz Okaforqz", "Cerysqz Leeqz"],
                           "Session": ["Lunch"] * 3, "Fee": [3.5] * 3,
                           "Joined": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-02-03"])})
    claim = _claims(people)["near_copies"]
    assert claim.decision == "none" and "near_copies" not in _words_in(claim.sentence)
    retyped = pd.concat([people, people.iloc[[0]].assign(Member="avaqz  nowakqz")], ignore_index=True)
    claim = _claims(retyped)["near_copies"]
    assert claim.decision == "near_copies" and "near_copies" in _words_in(copies_sentence(2, "near"))
    assert claim.sentence == ("1 row is a near copy of another row, with the same names and IDs, so counts of "
                              "people may be too high.")


def test_main_points_print_the_claims_sentences_and_no_unlicensed_word():
    frame = pd.DataFrame({"Member": ["Avaqz Nowakqz", "Benqz Okaforqz", "Cerysqz Leeqz", "Avaqz Nowakqz"],
                          "Session": ["Lunch"] * 4})
    report = check_health(frame, today="2025-06-01")
    claims = health_claims(report)
    _, sentences = main_points(report, pd.DataFrame({"Row": []}), claims)
    decisions = {claim.decision for claim in claims}
    for sentence in sentences:
        assert _words_in(sentence) <= decisions, sentence
    printed = " ".join(sentences)
    assert next(c for c in claims if c.key == "exact_copies").sentence in printed
    assert next(c for c in claims if c.key == "personal_data").sentence in printed


def test_summary_figures_carry_every_main_points_figure():
    frame = pd.DataFrame({"Email": ["a@b.org", "a@b.org", "nope"]})
    report = check_health(frame)
    changes = pd.DataFrame({"Row": [2, 3]})
    figures, _ = main_points(report, changes)
    summary = summary_figures(report, changes)
    assert [value for value, _ in figures] == [str(summary["rows"]), str(summary["rows_with_problems"]),
                                                str(summary["cells_tidied"])]


# ---------------------------------------------------------------------------
# Placeholders are missing, not invalid
# ---------------------------------------------------------------------------


def test_not_known_postcodes_are_missing_not_too_long():
    """The issue's file: 16,579 "not known" postcodes became the most common problem."""
    postcodes = ["not known"] * 30 + ["Not Known", "n/a", "none", "-", "E8 1DY", "N1 9GU", "E8 1XX1"]
    frame = pd.DataFrame({"Postcode": postcodes, "Household size": range(len(postcodes))})
    report = check_health(frame)
    assert report.profile.columns["Postcode"].missing == 34
    formats = report.formats.set_index("Column")
    assert formats.loc["Postcode", "Checked"] == 3 and formats.loc["Postcode", "Invalid"] == 1
    assert all("too long" not in fault for fault in formats.loc["Postcode", "Examples"])
    assert summary_figures(report)["invalid_postcodes"] == 1
    _, sentences = main_points(report, pd.DataFrame({"Row": []}))
    assert "in 1 row" in sentences[1]


def test_placeholders_are_not_a_category_answer_or_a_spelling():
    frame = pd.DataFrame({"Borough": ["Hackney"] * 5 + ["Camden"] * 3 + ["Not known", "unknown", "N/A"]})
    info = check_health(frame).profile.columns["Borough"]
    assert info.categories == ["Hackney", "Camden"] and info.missing == 3


def test_the_cleaned_workbook_blanks_placeholders_and_says_so():
    from helpers.health_check import clean_table

    frame = pd.DataFrame({"Postcode": ["E8 1DY", "not known", "N1 9GU"]}, index=[2, 3, 4])
    report = check_health(frame)
    cleaned, changes = clean_table(frame, None, report)
    assert cleaned["Postcode"].isna().tolist() == [False, True, False]
    assert changes[["Row", "Reason"]].values.tolist() == [[3, "placeholder for a blank cell removed"]]
