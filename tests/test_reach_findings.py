"""who-we-reach's conclusion rules at their boundaries, with the data where the word must NOT appear.

- Representation: clients who live in the served area against its residents; "under-" or
  "over-represented" only when the residents' share lies outside the clients' 95% Wilson interval.
- Routes and years: "brings more" / "rose" / "fell" only when the two-proportion interval leaves out zero.
- Local accuracy: ``surgery data add`` recommended where the estimate is right for under 80%.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.reach.accuracy import CouncilAccuracy, clients_councils_accuracy, council_accuracy
from helpers.reach.findings import (GROUP_DIFFERS, compare_groups, compare_years, group_counts, in_most_deprived,
                                    represent, representation)
from helpers.reach.profile import decile_profile, most_deprived_share, residents_by_decile
from helpers.reach.words import (DIRECTORY_HINT, accuracy_claim, chart_words, group_claim, percents,
                                 representation_claim, year_claim)
from helpers.writing.claims import CONCLUSION_WORDS, compare_share, difference_interval, wilson_interval

HACKNEY, ISLINGTON, SOUTHWARK = "E09000012", "E09000019", "E09000028"


def clients_like_residents(code: str, people: int) -> pd.DataFrame:
    """``people`` clients in ``code`` spread over the deciles exactly as its residents are (to the nearest person)."""
    residents = residents_by_decile([code])
    counts = (residents / residents.sum() * people).round().astype(int)
    deciles = [decile for decile, n in counts.items() for _ in range(n)]
    return pd.DataFrame({"local_authority_code": code, "deprivation_decile": pd.array(deciles, dtype="Int64")})


def clients(code: str, deciles: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"local_authority_code": code, "deprivation_decile": pd.array(deciles, dtype="Int64")})


def hackney_share() -> float:
    return most_deprived_share(decile_profile(clients(HACKNEY, []), [HACKNEY]), "residents")


def find(rows: pd.DataFrame, areas=(HACKNEY,), name="Hackney"):
    profile = decile_profile(rows, list(areas))
    return representation(rows, list(areas), name, most_deprived_share(profile, "residents"))


# --- the most deprived 20%: deciles 1 and 2, and 3 is outside -------------------------------------------

def test_a_decile_at_the_edge_of_the_most_deprived_20_percent_counts_and_the_next_does_not():
    assert in_most_deprived(pd.Series([1, 2, 3, 10, None], dtype="Int64")).tolist() == [True, True, False, False, False]
    assert find(clients(HACKNEY, [2] * 20)).in_most_deprived == 20
    assert find(clients(HACKNEY, [3] * 20)).in_most_deprived == 0
    profile = decile_profile(clients(HACKNEY, [2] * 10 + [3] * 10), [HACKNEY])
    assert most_deprived_share(profile, "clients") == 0.5


# --- clients outside the served area: counted apart, never in the share or the rate ---------------------

def test_clients_outside_the_served_area_are_counted_apart_and_do_not_make_it_under_represented():
    inside = clients_like_residents(HACKNEY, 600)
    outside = clients(SOUTHWARK, [10] * 200)  # far less deprived, as out-of-area clients often are
    found = find(pd.concat([inside, outside], ignore_index=True))
    assert found.clients_in_area == len(inside) and found.clients_outside == 200
    assert found.decision == "about_the_same"
    claim = representation_claim(found)
    assert "under-represented" not in claim.sentence and "about as often" in claim.sentence
    # The old mistake, all clients against the area's residents, would have said under-represented:
    everyone = pd.concat([inside, outside])
    assert compare_share(int(in_most_deprived(everyone["deprivation_decile"]).sum()), len(everyone),
                         hackney_share()) == "below"


def test_the_reach_rate_counts_only_clients_who_live_in_the_area():
    inside = clients(HACKNEY, [1] * 30 + [5] * 30)
    alone = decile_profile(inside, [HACKNEY])
    with_outsiders = decile_profile(pd.concat([inside, clients(ISLINGTON, [1] * 50)], ignore_index=True), [HACKNEY])
    pd.testing.assert_series_equal(alone["per_1000"], with_outsiders["per_1000"])
    assert with_outsiders.loc[1, "clients"] == 30


# --- the Wilson rule at its boundary ----------------------------------------------------------------------

def test_under_represented_exactly_when_the_residents_share_is_above_the_wilson_interval():
    share, people = hackney_share(), 300
    decisions = {}
    for most in range(0, people + 1, 1):
        rows = clients(HACKNEY, [1] * most + [5] * (people - most))
        decisions[most] = find(rows).decision
        low, high = wilson_interval(most, people)
        expected = "below" if share > high else "above" if share < low else "about_the_same"
        assert decisions[most] == expected, most
    # Both sides of each boundary occur, so the test reaches the edge rather than the easy middle.
    flips = [most for most in range(1, people + 1) if decisions[most] != decisions[most - 1]]
    assert len(flips) == 2
    edge = flips[0]
    assert wilson_interval(edge - 1, people)[1] < share <= wilson_interval(edge, people)[1]


def test_a_share_one_person_from_the_residents_share_is_about_the_same_not_a_conclusion():
    found = find(clients_like_residents(HACKNEY, 200))
    assert found.decision == "about_the_same"
    title, _, alt = chart_words(found)
    for text in (title, alt, representation_claim(found).sentence):
        assert "represented" not in text


def test_under_represented_is_said_the_same_way_in_the_sentence_title_and_alt_text():
    found = find(clients(HACKNEY, [1] * 30 + [6] * 270))
    assert found.decision == "below"
    claim = representation_claim(found)
    title, subtitle, alt = chart_words(found)
    assert "under-represented" in claim.sentence and "under-represented" in title and "under-represented" in alt
    ours, low, high, theirs = percents(found.share, *found.interval, found.resident_share)
    for text in (claim.sentence, alt):
        assert all(figure in text for figure in (ours, low, high, theirs))
    assert f"{found.clients_in_area:,} clients" in subtitle
    assert CONCLUSION_WORDS["under-represented"] == claim.decision


def test_fewer_than_10_clients_in_the_area_give_no_conclusion():
    found = find(pd.concat([clients(HACKNEY, [10] * 9), clients(SOUTHWARK, [10] * 100)], ignore_index=True))
    assert found.decision == "too_few" and found.share is None
    assert "represented" not in representation_claim(found).sentence


def test_an_area_outside_england_has_no_residents_to_compare():
    rows = pd.DataFrame({"local_authority_code": ["W06000015"] * 20, "deprivation_decile": pd.array([None] * 20,
                                                                                                    dtype="Int64")})
    found = find(rows, ["W06000015"], "Cardiff")
    assert found.decision == "no_residents"
    assert "represented" not in representation_claim(found).sentence


@settings(max_examples=300, deadline=None)
@given(people=st.integers(10, 20_000), data=st.data())
def test_equal_shares_never_give_under_or_over_represented(people, data):
    most = data.draw(st.integers(0, people))
    assert represent(people, most, most / people) == "about_the_same"


@settings(max_examples=60, deadline=None)
@given(people=st.integers(10, 3000))
def test_clients_spread_as_the_residents_are_never_under_or_over_represented(people):
    for code in (HACKNEY, SOUTHWARK):
        assert find(clients_like_residents(code, people), [code]).decision in ("about_the_same", "too_few")


# --- routes and years: the two-proportion rule ------------------------------------------------------------

def routes(*groups):
    return pd.DataFrame([{"group": name, "people": n, "most": k} for name, k, n in groups])


def test_food_36_against_befriending_31_is_noise_and_no_route_is_said_to_bring_more():
    gap = compare_groups(routes(("Food", 36, 100), ("Befriending", 31, 100)))
    claim = group_claim(gap, "service")
    assert gap.decision == "about_the_same"
    assert "brings more" not in claim.sentence and "about the same" in claim.sentence


def test_a_route_is_said_to_bring_more_exactly_when_the_difference_interval_leaves_out_zero():
    decisions = []
    for most in range(30, 80):
        gap = compare_groups(routes(("GP", most, 100), ("Self-referral", 30, 100)))
        low = difference_interval(most, 100, 30, 100)[0]
        assert (gap.decision == GROUP_DIFFERS) == (low > 0), most
        decisions.append(gap.decision)
    assert "about_the_same" in decisions and GROUP_DIFFERS in decisions
    claim = group_claim(compare_groups(routes(("GP", 60, 100), ("Self-referral", 30, 100))))
    assert claim.sentence.startswith("'GP' (60%) brings more people from the most deprived neighbourhoods than "
                                     "'Self-referral' (30%)")
    assert CONCLUSION_WORDS["brings more people from the most deprived neighbourhoods"] == claim.decision


def test_picking_the_highest_and_lowest_of_many_routes_widens_the_interval():
    pair = routes(("A", 46, 100), ("B", 30, 100))
    many = routes(("A", 46, 100), ("B", 30, 100), ("C", 38, 100), ("D", 38, 100), ("E", 38, 100), ("F", 38, 100))
    assert compare_groups(pair).decision == GROUP_DIFFERS
    assert compare_groups(many).decision == "about_the_same" and compare_groups(many).comparisons == 15


def test_groups_under_10_people_and_not_recorded_take_no_part():
    gap = compare_groups(routes(("A", 9, 9), ("B", 0, 50), ("not recorded", 40, 40)))
    assert gap.decision == "too_few"
    assert "brings more" not in group_claim(gap).sentence


@settings(max_examples=300, deadline=None)
@given(base=st.integers(1, 200), top=st.integers(0, 200), first=st.integers(1, 30), second=st.integers(1, 30))
def test_routes_with_equal_shares_never_differ(base, top, first, second):
    most = min(top, base)
    gap = compare_groups(routes(("A", most * first, base * first), ("B", most * second, base * second)))
    assert gap.decision in ("about_the_same", "too_few")


def test_years_rise_fall_or_stay_the_same_by_the_same_rule():
    rose = compare_years(routes(("2023", 30, 100), ("2024", 3, 4), ("2025", 60, 100)))
    assert rose.decision == "year_rose" and (rose.low[0], rose.high[0]) == ("2023", "2025")
    assert "most deprived neighbourhoods rose from 30% in 2023 to 60% in 2025" in year_claim(rose).sentence
    fell = compare_years(routes(("2023", 60, 100), ("2025", 30, 100)))
    assert fell.decision == "year_fell" and "fell" in year_claim(fell).sentence
    same = compare_years(routes(("2023", 42, 100), ("2026", 44, 100), ("not recorded", 90, 100)))
    assert same.decision == "about_the_same"
    assert " rose" not in year_claim(same).sentence and " fell" not in year_claim(same).sentence


def test_group_counts_use_the_same_edge_of_the_most_deprived_20_percent():
    rows = clients(HACKNEY, [2, 3, 1])
    assert group_counts(rows, pd.Series(["A", "A", " "])).to_dict("records") == [
        {"group": "A", "people": 2, "most": 1}, {"group": "not recorded", "people": 1, "most": 1}]


# --- local accuracy -----------------------------------------------------------------------------------------

def test_surgery_data_add_is_recommended_exactly_under_80_percent():
    assert CouncilAccuracy("x", "X", 300, 0.7999, 0.9).needs_directory
    assert not CouncilAccuracy("x", "X", 300, 0.80, 0.9).needs_directory


def test_the_report_quotes_the_clients_councils_not_only_the_national_figure():
    weak = council_accuracy("E07000124")  # the council where the estimate does worst: 42% in the sample
    assert weak.tested >= 50 and weak.right_lsoa < 0.5
    rows = clients(weak.code, [5] * 20)
    claim = accuracy_claim(clients_councils_accuracy(rows), "nearest")
    assert claim.decision == "add_directory"
    assert weak.name in claim.sentence and "surgery data add" in claim.sentence
    assert "http" not in DIRECTORY_HINT


def test_a_council_over_80_percent_gets_no_recommendation():
    hackney = council_accuracy(HACKNEY)
    assert hackney.right_lsoa >= 0.80
    claim = accuracy_claim(clients_councils_accuracy(clients(HACKNEY, [1] * 20)), "nearest")
    assert claim.decision == "good_enough" and "surgery data add" not in claim.sentence
    assert accuracy_claim([], "exact").decision == "exact"


def test_shares_that_round_alike_are_shown_with_a_decimal():
    assert percents(0.344, 0.342) == ["34.4%", "34.2%"]
    assert percents(0.34, 0.34) == ["34%", "34%"]
