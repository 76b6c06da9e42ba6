"""plan-a-surgery-day (issue 27): triage by readable rules, a timetable that keeps every rule, letters of one's own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import InputProblem
from helpers.surgery_day import check_sessions, plan_day
from helpers.surgery_day.schedule import available_slots, day_slots, plan_sessions
from helpers.surgery_day.triage import triage_request
from helpers.surgery_day.words import brief_markdown, letter_markdown, safe_file_name
from helpers.synthetic.surgery_day import make_requests, make_volunteers

KIT_PLAYBOOKS = ["health-check", "deduplicate-contacts", "impact-measurement", "food-bank-demand", "who-we-reach",
                 "our-year-in-numbers"]


@pytest.fixture(scope="module")
def sample_plan():
    requests, truth = make_requests()
    return plan_day(requests, make_volunteers(), playbooks=KIT_PLAYBOOKS), truth


def test_triage_finds_at_least_90_percent_of_the_planted_kinds(sample_plan):
    plan, truth = sample_plan
    wrong = [f"{org}: planted {kind}, found {t.kind} from the words {t.words}"
             for t, kind, org in zip(plan.triage, truth["kind"], truth["Organisation"]) if t.kind != kind]
    assert len(wrong) <= 0.1 * len(truth), "\n".join(wrong)


def test_a_request_with_no_known_word_is_a_conversation_not_a_playbook():
    triage = triage_request("Could someone help us choose a new website?", playbooks=KIT_PLAYBOOKS)
    assert (triage.kind, triage.playbook, triage.words) == ("other", None, ())


def test_a_playbook_the_kit_lacks_is_never_suggested():
    triage = triage_request("We want to read the comments in our feedback survey", playbooks=KIT_PLAYBOOKS)
    assert triage.kind == "impact" and triage.playbook == "impact-measurement"


def test_health_data_brings_the_data_protection_note(sample_plan):
    plan, _ = sample_plan
    flagged = [c for c, t in enumerate(plan.triage) if "health" in t.special_category]
    assert flagged
    assert "Data protection:" in letter_markdown(plan, flagged[0])
    plain = next(c for c, t in enumerate(plan.triage) if not t.special_category)
    assert "Data protection:" not in letter_markdown(plan, plain)


def test_a_letter_carries_no_other_charitys_details(sample_plan):
    plan, _ = sample_plan
    for charity in range(len(plan.requests)):
        letter = letter_markdown(plan, charity)
        for other in range(len(plan.requests)):
            if other != charity:
                assert plan.requests.loc[other, "organisation"] not in letter
                assert plan.requests.loc[other, "challenge"] not in letter


def test_the_sample_plan_keeps_every_rule_and_fills_the_day(sample_plan):
    plan, _ = sample_plan
    assert check_sessions(plan.sessions, plan.charity_slots, plan.volunteer_slots, plan.rooms) == []
    assert len(plan.sessions) == min(len(plan.requests), plan.rooms * len(plan.slots))
    assert all(reason for _, reason in plan.unmatched())


@given(st.integers(1, 3), st.lists(st.lists(st.integers(0, 5), max_size=6), min_size=1, max_size=8),
       st.lists(st.lists(st.integers(0, 5), max_size=6), min_size=1, max_size=5), st.integers(0, 2**31 - 1))
@settings(max_examples=60, deadline=None)
def test_no_timetable_double_books_or_leaves_anyone_s_times(rooms, charity_slots, volunteer_slots, seed):
    charity_slots = [sorted(set(s)) for s in charity_slots]
    volunteer_slots = [sorted(set(s)) for s in volunteer_slots]
    fit = np.random.default_rng(seed).integers(0, 3, size=(len(charity_slots), len(volunteer_slots))).astype(float)
    sessions = plan_sessions(fit, charity_slots, volunteer_slots, rooms)
    assert check_sessions(sessions, charity_slots, volunteer_slots, rooms) == []
    # As many as can be: no unmatched charity shares a free slot with a free volunteer and a free room.
    used = {(s.volunteer, s.slot) for s in sessions}
    per_slot = {slot: sum(1 for s in sessions if s.slot == slot) for slot in range(6)}
    matched = {s.charity for s in sessions}
    for c, slots in enumerate(charity_slots):
        if c in matched:
            continue
        for v, free in enumerate(volunteer_slots):
            for slot in set(slots) & set(free):
                assert (v, slot) in used or per_slot[slot] >= rooms, "a charity was left out with room to spare"


def test_the_check_catches_a_double_booked_volunteer_and_a_session_outside_times():
    from helpers.surgery_day.schedule import Session

    sessions = [Session(0, 0, 0, 1), Session(1, 0, 0, 2), Session(2, 1, 3, 1)]
    problems = check_sessions(sessions, [[0], [0], [0]], [[0], [0]], rooms=2)
    assert any("double-booked" in p for p in problems) and any("cannot come" in p for p in problems)


@pytest.mark.parametrize("text,expected", [
    ("morning", [0, 1]), ("afternoon", [2, 3, 4, 5]), ("10:00-12:00", [0, 1]), ("1pm to 4pm", [3, 4, 5]),
    ("11am - 2pm", [1, 2, 3]), ("", [0, 1, 2, 3, 4, 5]), ("Tuesdays only", []),
])
def test_availability_as_forms_write_it(text, expected):
    assert available_slots(text, day_slots("10:00", "16:00", 60)) == expected


@pytest.mark.parametrize("start,end,minutes", [("ten", "16:00", 60), ("10:00", "10:30", 60), ("10:00", "16:00", 5)])
def test_a_day_that_does_not_fit_is_refused_by_its_parameter(start, end, minutes):
    with pytest.raises(InputProblem):
        day_slots(start, end, minutes)


def test_file_names_from_names_are_never_paths():
    taken = set()
    assert safe_file_name("../../.ssh/authorized_keys", taken) == "ssh-authorized-keys"
    assert safe_file_name("", taken) == "unnamed"


def test_a_brief_quotes_the_request_as_text_not_markup(sample_plan):
    plan, _ = sample_plan
    hostile = plan.requests.copy()
    hostile.loc[0, "challenge"] = "[Donate](https://example.invalid) <script>x</script>"
    session = next(s for s in plan.sessions if s.charity == 0)
    plan.requests, original = hostile, plan.requests
    try:
        brief = brief_markdown(plan, session.volunteer)
    finally:
        plan.requests = original
    from helpers.writing.narrative import markdown_html

    shown = markdown_html(brief)
    assert "<a " not in shown and "<script" not in shown and "[Donate](https://example.invalid)" in shown
