"""The dedupe report's facts: what was compared comes from the trained model, and each
conclusion word ("extra copies", "exact copies") is written only from its claim.

Also the issue's dead ends (issue 23): row numbers as ids with ``-p id_column none``, exact
duplicate rows reported as duplicates, two identical records making one group.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.contacts.columns import ContactColumns, exact_copy_of, find_contact_columns
from helpers.contacts.families import dates_clearly_differ
from helpers.contacts.model import compared_details, link_contacts
from helpers.contacts.words import compared_sentence, evidence_sentences, field_influence, main_points, summary_figures
from helpers.writing.claims import CONCLUSION_WORDS
from support.families import family_list


def _params(detail_words: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """A parameter table with an agree and a differ level per detail: words -> (agree, differ) bits."""
    detail_of = {"Name": "name", "Email": "email", "Phone": "phone", "Where they live": "location",
                 "Date of birth": "dob"}
    rows = []
    for words, (agree, differ) in detail_words.items():
        rows.append({"comparison": words, "detail": detail_of.get(words, words), "level": "The same",
                     "match_weight": agree})
        rows.append({"comparison": words, "detail": detail_of.get(words, words), "level": "Different",
                     "match_weight": differ})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- what was compared


def test_a_detail_without_weights_is_not_compared_and_is_left_out():
    # The family list: names and email found, but the model held only phone, address and
    # date of birth; the report still said "A shared email is strong evidence".
    columns = ContactColumns({"first_name": "First", "last_name": "Last", "email": "Email", "phone": "Tel",
                              "date_of_birth": "DOB"})
    params = _params({"Phone": (7.0, -4.0), "Date of birth": (9.0, -9.0)})
    params = pd.concat([params, _params({"Email": (float("nan"), float("nan"))})], ignore_index=True)
    compared = compared_details(params, columns)
    assert compared == {"Phone": ["Tel"], "Date of birth": ["DOB"]}
    influence = field_influence(params)
    said = " ".join(evidence_sentences(influence))
    assert "email" not in said.lower() and "name" not in said.lower()
    assert "date of birth" in said


def test_left_out_names_the_columns_the_trained_model_did_not_compare():
    from helpers.contacts.model import _not_in_model

    columns = ContactColumns({"first_name": "First", "last_name": "Last", "email": "Email", "phone": "Tel"})
    params = _params({"Phone": (7.0, -4.0), "Email": (8.0, -3.0)})
    assert _not_in_model(columns, params, pd.DataFrame()) == ["first name column 'First'", "last name column 'Last'"]
    # the counterexample: every found column in the model, nothing left out
    params = _params({"Phone": (7.0, -4.0), "Email": (8.0, -3.0), "Name": (9.0, -9.0)})
    assert _not_in_model(columns, params, pd.DataFrame()) == []


@pytest.fixture(scope="module")
def family_result():
    table, _ = family_list(households=40, seed=3)
    return table, link_contacts(table, find_contact_columns(table, {}))


def test_the_compared_sentence_lists_what_the_model_compared_with_the_charitys_columns(family_result):
    _, result = family_result
    sentence = compared_sentence(result)
    assert sentence.startswith("The kit compared these details: name ('Forename', 'Surname'), email ('Email'), "
                               "phone ('Phone'), where they live ('Postcode', 'Address', 'Town') and date of "
                               "birth ('DOB').")
    assert set(summary_figures(result)["compared"]) == set(result.parameters.dropna(subset=["match_weight"])["comparison"])


def test_summary_claims_are_the_main_points_sentences(family_result, tmp_path):
    from helpers.writing.playbook import save_summary

    _, result = family_result
    figures = summary_figures(result)
    big, sentences, claims = main_points(result, figures)
    assert [c.sentence for c in claims if c.key != "compared_details"] == [s for s in sentences if any(
        s == c.sentence for c in claims)]
    save_summary(tmp_path, figures, claims=claims)
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert [c["key"] for c in saved["claims"]][:2] == ["duplicate_groups", "extra_copies"]
    assert big[2] == (f"{figures['surplus_records']:,}", "extra copies to merge away")


def _fake_result(groups: int, surplus: int, records: int = 10):
    from helpers.contacts.model import LinkageResult

    return LinkageResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), 0.01, 0.9, pd.DataFrame(), 0,
                         ContactColumns({}), pd.DataFrame(), [])


@pytest.mark.parametrize(("groups", "surplus", "word_allowed"), [(0, 0, False), (1, 1, True)])
def test_extra_copies_is_said_only_when_a_group_was_found(groups, surplus, word_allowed):
    figures = {"records": 10, "surplus_records": surplus, "clusters": groups, "records_in_clusters": groups + surplus,
               "possible_family_groups": 0}
    big, sentences, claims = main_points(_fake_result(groups, surplus), figures)
    text = " ".join(sentences + [label for _, label in big])
    decisions = {c.decision for c in claims}
    for phrase, decision in CONCLUSION_WORDS.items():
        if phrase in text:
            assert decision in decisions, phrase
    assert ("extra copies" in text) is word_allowed
    assert ("copies" in decisions) is word_allowed


def test_exact_copies_are_named_only_with_their_claim():
    figures = {"records": 10, "surplus_records": 2, "clusters": 1, "records_in_clusters": 3,
               "possible_family_groups": 0, "exact_copy_rows": 2}
    _, sentences, claims = main_points(_fake_result(1, 2), figures)
    assert any("exact copies" in s for s in sentences) and "exact_copies" in {c.decision for c in claims}
    figures["exact_copy_rows"] = 1
    _, sentences, claims = main_points(_fake_result(1, 2), figures)
    assert any("1 row repeats another row" in s and "an exact copy" in s for s in sentences)
    figures["exact_copy_rows"] = 0
    _, sentences, claims = main_points(_fake_result(1, 2), figures)
    assert not any("exact cop" in s for s in sentences) and "exact_copies" not in {c.decision for c in claims}


# --------------------------------------------------------------------------- no dead ends


def test_two_identical_records_make_one_group():
    # Before: splink's ValueError ("recall must be at least 1.00"), exit 1.
    table = pd.DataFrame({"Name": ["Wilhelmina Quarrington"] * 2, "Email": ["wq@example.org"] * 2,
                          "Phone": ["0113 496 0781"] * 2}, index=[2, 3])
    result = link_contacts(table, find_contact_columns(table, {}))
    assert result.clusters["cluster_id"].tolist() == [1, 1]
    assert result.exact_copies.to_dict() == {3: 2}
    assert result.compared == {}  # nothing needed comparing, and the report says so
    assert "compared no details" in compared_sentence(result)


def test_an_exact_duplicate_row_is_a_duplicate_not_a_refusal():
    table, _ = family_list(households=20, seed=4)
    table.insert(0, "Client ID", [f"C{n}" for n in range(len(table))])
    copies_before = len(exact_copy_of(table, "Client ID"))  # the list's own repeats under other ids
    table = pd.concat([table, table.iloc[[5]]])
    table.index = range(2, 2 + len(table))
    result = link_contacts(table, find_contact_columns(table, {}))
    last = table.index[-1]
    assert result.clusters.loc[last, "cluster_id"] == result.clusters.loc[7, "cluster_id"]
    assert result.clusters.loc[last, "id"] == result.clusters.loc[7, "id"] == "C5"
    assert summary_figures(result)["exact_copy_rows"] == copies_before + 1


def test_id_column_none_links_with_row_numbers_as_ids():
    table, _ = family_list(households=20, seed=4)
    table.insert(0, "Client ID", ["C1"] * len(table))  # every id repeated: the way out must work
    result = link_contacts(table, find_contact_columns(table, {"id_column": "none"}))
    assert result.clusters["id"].tolist() == [str(row) for row in table.index]
    assert result.columns.id_column is None


# --------------------------------------------------------------------------- the property


_FIRST = ["Aoife", "Bartholomew", "Cressida", "Dmitri", "Esme", "Fergus", "Ginevra", "Horatio", "Ifeoma",
          "Jolyon", "Kwabena", "Ludmila", "Mortimer", "Nkechi", "Octavia", "Peregrine"]


@st.composite
def households(draw):
    """Two or three people in one house who share every column but their name or date of birth.

    People of one first name (a parent and a junior) have complete dates years apart that are not
    one typing slip of each other (a slip, "1930" for "1932", is by rule one person's date).
    """
    size = draw(st.integers(2, 3))
    firsts = draw(st.lists(st.sampled_from(_FIRST), min_size=size, max_size=size, unique=True))
    same_name = draw(st.booleans())  # a junior: one first name, dates years apart
    if same_name:
        firsts = [firsts[0]] * size
    twins = not same_name and draw(st.booleans())  # twins and triplets: one date, other names
    born = draw(st.integers(1930, 1960))
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    dates = [f"{born}-{month:02d}-{day:02d}"]
    for _ in range(size - 1):
        if twins:
            dates.append(dates[0])
            continue
        year = int(dates[-1][:4]) + draw(st.integers(2, 30))
        dates.append(f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}")
    if same_name:
        assume(all(dates_clearly_differ(a, b) for i, a in enumerate(dates) for b in dates[i + 1:]))
    return [(first, f"{d[8:10]}/{d[5:7]}/{d[:4]}") for first, d in zip(firsts, dates)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(house=households())
def test_distinct_people_sharing_every_other_column_are_never_merged(house):
    shared = {"Surname": "Haworth-Lund", "Address": "12 Mill Lane", "Postcode": "LS6 1AA", "Town": "Leeds",
              "Phone": "0113 496 0123", "Email": "thehaworthlunds@example.com"}
    # each person twice, so each is a real duplicate the model links
    rows = [{**shared, "Forename": first, "DOB": born} for first, born in house for _ in range(2)]
    table = pd.concat([pd.DataFrame(rows), family_list(households=25, seed=8)[0]], ignore_index=True)
    table.index = table.index + 2
    result = link_contacts(table, find_contact_columns(table, {}))
    planted = result.clusters.loc[range(2, 2 + len(rows)), "cluster_id"].tolist()
    people = [n for n in range(len(house)) for _ in range(2)]
    by_group = pd.Series(people).groupby(planted).nunique()
    assert (by_group == 1).all(), (house, planted)
