"""Tests for helpers.reach.charts: the profile and the dot map read on the page and on a phone."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from support.charts import chart_problems

from helpers.reach import analyse, chart_words
from helpers.reach.charts import dot_map, profile_chart
from helpers.reach.lookup import lsoa_reference
from helpers.reading.loader import load_table
from helpers.reading.roles import resolve_roles
from helpers.writing.playbook import resolve_data_path

BIRMINGHAM = "E08000025"


@pytest.fixture(scope="module")
def sample_reach():
    """The playbook's sample list, analysed as the notebook does (Hackney and Islington)."""
    table = load_table(resolve_data_path("../datasets/reach-clients.csv"))
    roles = resolve_roles(table.frame, {"postcode_column": "", "id_column": "", "date_column": ""},
                          required=("postcode_column",))
    return analyse(table.frame, roles["postcode_column"], roles["id_column"], roles["date_column"], "")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_profile_chart_reads_on_page_and_phone(sample_reach):
    fig, alt = profile_chart(sample_reach.profile, *chart_words(sample_reach.represented))
    assert chart_problems(fig) == []
    assert alt == chart_words(sample_reach.represented)[2]


def test_profile_chart_with_a_long_area_name_reads_on_page_and_phone(sample_reach):
    from dataclasses import replace

    longer = replace(sample_reach.represented, area_name="Hackney and Islington and the City of London")
    fig, _ = profile_chart(sample_reach.profile, *chart_words(longer))
    assert chart_problems(fig) == []


def test_dot_map_reads_on_page_and_phone(sample_reach):
    fig, _ = dot_map(sample_reach.clients, sample_reach.areas, sample_reach.area_name)
    assert chart_problems(fig) == []


def test_dot_map_of_several_hundred_neighbourhoods_reads_on_page_and_phone():
    reference = lsoa_reference()
    neighbourhoods = reference.index[reference["local_authority"].eq(BIRMINGHAM)]
    assert len(neighbourhoods) > 600
    clients = pd.DataFrame({"lsoa_code": np.random.default_rng(7).choice(neighbourhoods, size=3000)})
    fig, alt = dot_map(clients, [BIRMINGHAM], "Birmingham")
    assert alt.startswith(f"Dot map of {len(neighbourhoods):,} neighbourhoods")
    assert chart_problems(fig) == []


def test_dot_map_of_an_area_outside_england_is_none_not_an_error():
    # Cardiff: no neighbourhood with an English deprivation decile, so there is no map to draw.
    assert dot_map(pd.DataFrame({"lsoa_code": ["W01001690"]}), ["W06000015"], "Cardiff") is None
