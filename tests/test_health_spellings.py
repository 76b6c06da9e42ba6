"""Spelling groups by key collision, as OpenRefine clusters, keeping the best-formed spelling.

Issue 20: "Y" (the most common answer) was not grouped with "Yes"; "jobcentre" was not grouped
with "Job Centre"; the most common spelling won even when it was "tower hamlets" over "Tower
Hamlets".
"""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.health_check.findings import check_health
from helpers.health_check.profile import (
    fingerprint,
    group_spellings,
    keep_best_formed,
    ngram_fingerprint,
    spelling_groups,
)


def test_fingerprint_is_openrefines_key():
    # Lower case, accents folded to ASCII, punctuation removed, words sorted and de-duplicated.
    assert fingerprint("  Tower Hamlets. ") == "hamlets tower"
    assert fingerprint("Hamlets, Tower") == fingerprint("tower  hamlets") == "hamlets tower"
    assert fingerprint("Café Café") == "cafe"
    assert fingerprint("G.P.") == "gp"


def test_ngram_fingerprint_is_the_sorted_set_of_letter_pairs():
    assert ngram_fingerprint("Paris") == "arispari"  # ar is pa ri, sorted and joined
    assert ngram_fingerprint("jobcentre") == ngram_fingerprint("Job Centre") == ngram_fingerprint("JOB-CENTRE")
    assert ngram_fingerprint("Group A") != ngram_fingerprint("Group B")
    assert ngram_fingerprint("Y") == "y"


def test_jobcentre_and_job_centre_are_one_answer():
    values = pd.Series(["Job Centre"] * 4 + ["jobcentre"] * 3 + ["Jobcentre", "GP", "GP"])
    groups = spelling_groups(values)
    assert groups["jobcentre"] == groups["Jobcentre"] == groups["Job Centre"] == "Job Centre"
    assert groups["GP"] == "GP"


def test_y_and_n_are_yes_and_no_and_the_whole_word_is_kept():
    values = pd.Series(["Y"] * 14 + ["Yes"] * 2 + ["yes", "N", "N", "No", "no"])
    mapping, reasons = group_spellings(values)
    assert {mapping[v] for v in ("Y", "Yes", "yes")} == {"Yes"}
    assert {mapping[v] for v in ("N", "No", "no")} == {"No"}
    assert reasons["Yes"] == "the whole word ('Y' is more common)"


def test_y_and_n_alone_stay_as_they_are():
    # With no "Yes" or "No" in the column there is nothing to group them with.
    assert spelling_groups(pd.Series(["Y"] * 5 + ["N"] * 3)) == {"Y": "Y", "N": "N"}


def test_the_best_formed_spelling_is_kept_even_when_less_common():
    values = pd.Series(["tower hamlets"] * 13 + ["Tower Hamlets", "Tower Hamlets ", "Hackney", "hackney"])
    mapping, reasons = group_spellings(values)
    assert mapping["tower hamlets"] == mapping["Tower Hamlets "] == "Tower Hamlets"
    assert reasons["Tower Hamlets"] == "capital letters where they belong ('tower hamlets' is more common)"
    # Among spellings equally well formed, the most used.
    assert keep_best_formed({"Hackney": 5, "HACKNEY": 1, "hackney": 9}) == (
        "Hackney", "capital letters where they belong ('hackney' is more common)")
    assert keep_best_formed({"GP": 4, "Gp": 1}) == ("GP", "the most common spelling")
    # A phrase in capitals is shouted; a short acronym is not.
    assert keep_best_formed({"TOWER HAMLETS": 9, "Tower Hamlets": 1})[0] == "Tower Hamlets"
    # Stray spaces never stay in the kept spelling.
    assert keep_best_formed({" Camden": 5, "camden": 2}) == ("Camden", "the most common spelling, stray spaces removed")


def test_a_typo_joins_its_answer_but_is_never_kept():
    values = pd.Series(["hackney"] * 9 + ["Hackny"] * 2)  # the typo is the only one with a capital
    assert spelling_groups(values) == {"hackney": "hackney", "Hackny": "hackney"}


def test_the_spellings_table_says_which_was_kept_and_why():
    table = pd.DataFrame({"Borough": ["tower hamlets"] * 6 + ["Tower Hamlets"] + ["Hackney"] * 3})
    found = check_health(table).spellings
    assert found[["Use this spelling", "Why this one", "Spelling found", "Rows"]].values.tolist() == [
        ["Tower Hamlets", "capital letters where they belong ('tower hamlets' is more common)", "'tower hamlets'", 6]]


def test_different_answers_stay_apart():
    values = pd.Series(["Group A"] * 3 + ["Group B"] * 3 + ["Year 10"] * 3 + ["Year 01"] * 3 + ["Male"] * 4
                       + ["Female"] * 4)
    assert all(spelling == kept for spelling, kept in spelling_groups(values).items())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Tower Hamlets", "Hackney", "Job Centre", "Self referral", "GP"]),
                min_size=1, max_size=30),
       st.data())
def test_retyping_an_answer_never_changes_the_kept_spelling_to_a_worse_one(answers, data):
    """Any answer typed in lower case, with spaces or without them, maps back to its proper spelling."""
    def retype(answer):
        how = data.draw(st.sampled_from(["as is", "lower", "spaces", "squashed"]))
        return {"as is": answer, "lower": answer.lower(), "spaces": f" {answer}  ",
                "squashed": answer.replace(" ", "").lower() if " " in answer else answer}[how]

    typed = [retype(answer) for answer in answers] + ["Tower Hamlets", "Hackney", "Job Centre", "Self referral", "GP"]
    mapping = spelling_groups(pd.Series(typed))
    for answer, spelling in zip(answers, typed, strict=False):
        assert mapping[spelling] == answer
