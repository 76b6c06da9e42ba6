"""who-we-reach's small-number rules and tables: 4 people hidden, 5 shown; under 10 "too few to say"."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.reach.profile import (areas_table, decile_profile, decile_table, group_table, people,
                                   residents_by_decile, served_area, shown_count, shown_rate, shown_share)

HACKNEY, ISLINGTON = "E09000012", "E09000019"


def clients(deciles, council=HACKNEY, lsoa="E01001714"):
    return pd.DataFrame({"deprivation_decile": pd.array(deciles, dtype="Int64"),
                         "local_authority_code": council, "lsoa_code": lsoa})


def test_a_count_of_4_people_is_hidden_and_5_is_shown():
    assert shown_count(4) == "fewer than 5"
    assert shown_count(5) == "5"


def test_a_share_or_rate_on_9_people_is_too_few_to_say_and_on_10_is_given():
    assert shown_share(2, 9) == "too few to say" and shown_share(2, 10) == "20%"
    assert shown_rate(9, 900) == "too few to say" and shown_rate(10, 1000) == "10.0"


def test_the_decile_table_hides_4_clients_and_shows_5():
    table = decile_table(decile_profile(clients([1] * 4 + [2] * 5 + [3] * 20), [HACKNEY]))
    assert table.loc[0, "Clients"] == "fewer than 5" and table.loc[0, "Share of clients"] == "hidden"
    assert table.loc[1, "Clients"] == "5" and table.loc[1, "Share of clients"] == "17%"  # 5 of 29
    assert table.loc[1, "Clients per 1,000 residents"] == "too few to say"


def test_the_areas_file_leaves_counts_under_5_and_rates_under_10_blank():
    rows = pd.concat([clients([1] * 4, lsoa="E01001714"), clients([3] * 5, lsoa="E01001715"),
                      clients([2] * 10, lsoa="E01001716")], ignore_index=True)
    table = areas_table(rows, [HACKNEY]).set_index("area_code")
    assert pd.isna(table.loc["E01001714", "clients"])
    assert table.loc["E01001715", "clients"] == 5 and pd.isna(table.loc["E01001715", "clients_per_1000"])
    assert table.loc["E01001716", "clients"] == 10
    assert table.loc["E01001716", "clients_per_1000"] == pytest.approx(1000 * 10 / table.loc["E01001716", "residents"], abs=0.05)
    assert table.loc[HACKNEY, "level"] == "local authority" and table.loc[HACKNEY, "clients"] == 19
    assert areas_table(rows, [HACKNEY]).columns.tolist() == [
        "level", "area_code", "area", "deprivation_decile", "clients", "residents", "clients_per_1000"]


def test_residents_of_the_served_area_add_up_to_its_published_population_by_decile():
    residents = residents_by_decile([HACKNEY])
    # Hackney's 144 LSOAs of 2011, mid-2015 population excluding prisoners: no Hackney LSOA is in decile 9 or 10.
    assert residents.index.tolist() == list(range(1, 11))
    assert residents.loc[[9, 10]].sum() == 0 and residents.sum() > 250_000


def test_shares_compare_clients_with_residents():
    profile = decile_profile(clients([1] * 6 + [10] * 4), [HACKNEY])
    assert profile.loc[1, "client_share"] == pytest.approx(0.6)
    assert profile["resident_share"].sum() == pytest.approx(1.0)


def test_served_area_is_where_most_clients_live_unless_given():
    rows = pd.DataFrame({"local_authority_code": [HACKNEY] * 85 + [ISLINGTON] * 10 + ["E09000030"] * 5})
    assert served_area(rows) == [HACKNEY, ISLINGTON]
    assert served_area(rows, "Tower Hamlets") == ["E09000030"]
    with pytest.raises(InputProblem, match="'Hackny'.*area"):
        served_area(rows, "Hackny")


def test_groups_with_fewer_than_10_people_have_no_share():
    table = group_table(clients([1] * 9 + [1] * 10), pd.Series(["A"] * 9 + ["B"] * 10))
    assert table.set_index("Group").loc["A"].tolist() == ["9", "too few to say"]
    assert table.set_index("Group").loc["B"].tolist() == ["10", "100%"]


def test_people_counts_each_id_once_at_their_latest_date():
    frame = pd.DataFrame({"id": ["a", "a", "b", None], "date": pd.to_datetime(["2024-05-01", "2024-01-01", "2024-02-01", "2024-03-01"])})
    table = pd.DataFrame({"postcode_status": ["located"] * 4}, index=frame.index)
    assert people(table, frame, "id", "date").index.tolist() == [0, 2, 3]
