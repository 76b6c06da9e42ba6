"""plan-a-surgery-day after the day (issue 27): the feedback form joined to the sessions held, a programme report.

The ratings, redaction and quoting rules are the survey playbook's (reused, tested there); these tests hold the
join (no organisation dropped, names matched tidied), the counts, the quote boundary as this report applies
it, the names the organiser's files hold kept out, and the report as a process on the sample.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_surgery
from helpers.surgery_day import plan_day, programme_figures, programme_points, review_day, sessions_table
from helpers.surgery_day.feedback import FEEDBACK_HEADERS, UNKNOWN_KIND, people_pattern, tidy_name
from helpers.surgery_day.words import commonest_helped_kinds, quotes_or_reason
from helpers.synthetic.surgery_day import make_feedback, make_requests, make_volunteers
from helpers.writing.claims import CONCLUSION_WORDS

KIT = Path(__file__).resolve().parents[1]
KIT_PLAYBOOKS = ["health-check", "deduplicate-contacts", "impact-measurement", "food-bank-demand", "who-we-reach",
                 "our-year-in-numbers", "what-people-tell-us"]


@pytest.fixture(scope="module")
def sample():
    requests, _ = make_requests()
    plan = plan_day(requests, make_volunteers(), playbooks=KIT_PLAYBOOKS)
    return requests, sessions_table(plan)


@pytest.fixture(scope="module")
def programme(sample):
    requests, sessions = sample
    return review_day(requests, make_feedback(), sessions, playbooks=KIT_PLAYBOOKS)


def _requests(*names: str) -> pd.DataFrame:
    return pd.DataFrame({"Organisation": list(names), "Challenge": ["Our CRM has duplicates"] * len(names)})


def _sessions(*names: str) -> pd.DataFrame:
    return pd.DataFrame({"organisation": list(names), "volunteer": ["Tom Okafor"] * len(names),
                         "playbook": ["deduplicate-contacts"] * len(names)})


# The join: nothing dropped, names matched tidied.

def test_the_sample_counts_every_charity_once(programme):
    figures = programme_figures(programme)
    # 24 sessions on the plan, and Bethnal Green Bookshare, which came without a request.
    assert (figures["charities_helped"], figures["sessions_held"], figures["feedback_responses"]) == (25, 24, 20)
    # Hackney Pantry answered twice ("Hackney Pantry", "hackney  pantry"): one charity, two responses.
    assert figures["charities_answered"] == 19
    assert sum(figures["by_kind"].values()) == 25 and figures["by_kind"][UNKNOWN_KIND] == 1
    assert sum(figures["playbooks_used"].values()) == 25


def test_an_organisation_not_in_the_requests_is_counted_and_named_not_dropped(programme):
    assert programme.not_in_requests == ["Bethnal Green Bookshare"]
    row = programme.helped[programme.helped["organisation"] == "Bethnal Green Bookshare"].iloc[0]
    assert (row["kind"], bool(row["answered"]), bool(row["session"])) == (UNKNOWN_KIND, True, False)
    assert any("Bethnal Green Bookshare" in note and "not in the requests" in note for note in programme.notes)


def test_names_typed_differently_join_their_request(programme):
    # "Kilburn Womens Centre" (no apostrophe) and "hackney  pantry" are the requests' charities, not new ones.
    assert "Kilburn Womens Centre" not in programme.not_in_requests
    kilburn = programme.helped[programme.helped["organisation"] == "Kilburn Women's Centre"].iloc[0]
    assert kilburn["kind"] == "capture" and kilburn["answered"]


@pytest.mark.parametrize("typed,asked,joins", [
    ("  the bow food bank ", "Bow Food Bank", True),
    ("Arts & Crafts Club", "Arts and Crafts Club", True),
    ("St Judes Night Shelter", "St Jude's Night Shelter", True),
    ("Café Nour", "CAFE NOUR", True),
    ("Theatre Club", "atre Club", False),  # "The" is a word dropped at the start, not three letters
    ("Grove St Toy Library", "Grove Street Toy Library", False),  # an abbreviation is a different name
])
def test_tidied_names_join_only_the_same_name(typed, asked, joins):
    assert (tidy_name(typed) == tidy_name(asked)) is joins


def test_a_feedback_charity_with_a_request_but_no_session_is_helped_and_named():
    done = review_day(_requests("Bow Food Bank", "Acton Choir"), pd.DataFrame({"Organisation": ["Acton Choir"],
                      "Was it useful?": ["Yes"]}), _sessions("Bow Food Bank"))
    assert done.helped["organisation"].tolist() == ["Bow Food Bank", "Acton Choir"]
    assert done.not_in_requests == []
    assert any("no session in the sessions list" in note and "Acton Choir" in note for note in done.notes)


@given(st.lists(st.sampled_from(["Bow Food Bank", "bow food bank ", "Acton Choir", "Hilltop Sewing", "", "THE ACTON CHOIR"]),
                min_size=1, max_size=12),
       st.lists(st.sampled_from(["Bow Food Bank", "Poplar Parents", "Stray Session Org"]), max_size=3))
@settings(max_examples=60, deadline=None)
def test_no_organisation_in_the_feedback_or_the_sessions_is_ever_dropped(feedback_names, session_names):
    feedback = pd.DataFrame({"Organisation": feedback_names,
                             "Was it useful?": [("Yes", "No")[n % 2] for n in range(len(feedback_names))]})
    done = review_day(_requests("Bow Food Bank", "Acton Choir", "Poplar Parents"), feedback,
                      _sessions(*session_names) if session_names else pd.DataFrame({"organisation": []}))
    expected = {tidy_name(n) for n in [*feedback_names, *session_names] if n.strip()}
    helped = [tidy_name(n) for n in done.helped["organisation"]]
    assert sorted(set(helped)) == sorted(expected) and len(helped) == len(expected)  # each once, none lost
    assert len(done.responses) == len(feedback_names)  # every response counted, a blank organisation too
    assert set(done.not_in_requests) == {n for n in feedback_names if tidy_name(n) in {"hilltop sewing"}}


# The counts and sentences.

def test_follow_ups_count_only_answers_to_the_follow_up_question(programme):
    assert programme.promised == 11  # 20 next steps, 11 promises
    assert len(programme.follow_ups) == 20
    blank = review_day(_requests("Bow Food Bank"), pd.DataFrame({
        "Organisation": ["Bow Food Bank"] * 3, "Was it useful?": ["Yes", "No", "Yes"],
        "Follow-ups promised": ["  ", "", "A template"]}), _sessions("Bow Food Bank"))
    assert blank.promised == 1
    unasked = review_day(_requests("Bow Food Bank"), pd.DataFrame({"Organisation": ["Bow Food Bank"],
                                                                   "Was it useful?": ["Yes"]}), _sessions())
    assert unasked.promised is None
    assert "follow_ups" not in [c.key for c in programme_points(unasked)[2]]


def test_a_tie_for_commonest_names_both_kinds_and_three_name_none(programme):
    kinds, count = commonest_helped_kinds(programme)
    assert (kinds, count) == (["analysis", "capture"], 5)
    sentence = next(c.sentence for c in programme_points(programme)[2] if c.key == "commonest_kind")
    assert "data analysis and data capture and frameworks (5 charities each)" in sentence
    three = review_day(pd.DataFrame({"Organisation": ["A", "B", "C"], "Challenge": [
        "Our CRM has duplicates", "Our Excel spreadsheet is messy", "We want to map census data"]}),
        pd.DataFrame({"Organisation": ["A"], "Was it useful?": ["Yes"]}), _sessions("A", "B", "C"))
    sentence = next(c.sentence for c in programme_points(three)[2] if c.key == "commonest_kind")
    assert sentence.startswith("No one challenge was the commonest")


def test_main_points_figures_are_summary_figures(programme):
    figures, sentences, claims = programme_points(programme)
    summary = programme_figures(programme)
    shown = dict((label, value) for value, label in figures)
    assert shown["charities helped"] == str(summary["charities_helped"])
    assert shown["feedback responses"] == str(summary["feedback_responses"])
    assert shown["follow-ups promised"] == str(summary["follow_ups"])
    useful = summary["ratings"]["How useful was the session?"]
    assert shown["4 or 5: 'How useful was the session?'"] == f"{100 * useful['share_positive']:.0f}%"
    assert all(sentence in [c.sentence for c in claims] for sentence in sentences)
    assert not any(phrase in " ".join(c.sentence for c in claims) for phrase in CONCLUSION_WORDS)


# Quotes and names: the survey's rules, and the names the organiser's own files hold.

def _said(comments: list[str]):
    frame = pd.DataFrame({"Organisation": [f"Charity {n}" for n in range(len(comments))],
                          "Any other comments?": comments})
    return review_day(_requests("Charity 0"), frame, _sessions(), themes="Useful: useful")


@pytest.mark.parametrize("comments,quoted", [(4, False), (5, True)])
def test_no_quote_from_a_theme_of_fewer_than_5_responses(comments, quoted):
    said = _said([f"A really useful session number {n} for our team" for n in range(comments)])
    text = quotes_or_reason(said.heard.comments)
    assert ("“" in text) is quoted
    if not quoted:
        assert "No comment is quoted" in text


def test_volunteers_and_contacts_named_in_comments_and_follow_ups_are_hidden():
    pattern = people_pattern(["Mina Kowalski", "Kit", "Contact 3"])
    assert pattern.sub("[name]", "Mina was great; the kit helped; ask Kit") == "[name] was great; the kit helped; ask [name]"
    frame = pd.DataFrame({"Organisation": ["Bow Food Bank"] * 6, "Who was your volunteer?": ["Mina Kowalski"] * 6,
                          "Your name": ["Zarqa Pemberton"] * 6,
                          "Any other comments?": ["Mina was brilliant with our useful data"] * 5
                          + ["Zarqa Pemberton says the session was useful"],
                          "Follow-ups promised": ["Mina will email zarqa@example.org"] * 6})
    done = review_day(_requests("Bow Food Bank"), frame, _sessions("Bow Food Bank"), themes="Useful: useful")
    shown = quotes_or_reason(done.heard.comments) + " ".join(done.follow_ups["follow-up promised"])
    assert "“" in shown
    for secret in ("Mina", "Zarqa", "Pemberton", "zarqa@example.org"):
        assert secret not in shown
    assert done.heard.comments.redacted == 6
    assert (done.heard.comments.table["original"].str.contains("Mina")).sum() == 5  # comments.xlsx keeps them


def test_a_form_tool_id_is_never_read_as_a_rating():
    frame = pd.DataFrame({"ID": range(1, 9), "Organisation": ["Bow Food Bank"] * 8, "Was it useful?": ["Yes"] * 7 + ["No"]})
    done = review_day(_requests("Bow Food Bank"), frame, _sessions())
    assert [r.header for r in done.heard.results] == ["Was it useful?"]


def test_the_organisation_header_words_are_the_requests(programme):
    assert FEEDBACK_HEADERS["organisation"][0] == "organisation"


# The report, as a process.

@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("feedback") / "bundle"
    result = run_surgery("run", "plan-a-surgery-day", "--data", KIT / "datasets" / "surgery-requests.csv",
                         "-p", "feedback", KIT / "datasets" / "surgery-feedback.csv", "--out", out, "--no-progress")
    assert result.returncode == 0, result.stderr
    return out


def _text(out: Path, name: str = "report.html") -> str:
    soup = BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def test_the_sample_programme_report_runs_and_says_what_summary_json_says(bundle):
    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    for key in ("charities_helped", "by_kind", "playbooks_used", "feedback_responses", "ratings", "follow_ups"):
        assert key in summary, key
    text = _text(bundle)
    for claim in summary["claims"]:
        assert " ".join(claim["sentence"].split()) in text, claim["sentence"]
    soup = BeautifulSoup((bundle / "report.html").read_text(encoding="utf-8"), "html.parser")
    figures = [f.get_text(strip=True) for f in soup.select("section.main-points .figure-value")]
    assert figures == [str(summary["charities_helped"]), str(summary["feedback_responses"]),
                       f"{100 * summary['ratings']['How useful was the session?']['share_positive']:.0f}%",
                       str(summary["follow_ups"])]
    assert "Bethnal Green Bookshare" in text
    follow_ups = pd.read_csv(bundle / "follow_ups.csv")
    assert len(follow_ups) == 20 and (follow_ups["follow-up promised"].notna()).sum() == summary["follow_ups"]
    assert not (bundle / "letters").exists()  # after the day, no letter is written again
    chart = soup.select("main img")[0]["alt"]
    assert "data analysis: 5" in chart


def test_the_programme_report_shows_no_contact_and_no_volunteer(bundle):
    feedback = make_feedback()
    shared = " ".join([_text(bundle), (bundle / "summary.json").read_text(encoding="utf-8"),
                       _text(bundle, "summary.html"), *[p.read_text(encoding="utf-8") for p in (bundle / "charts").glob("*.svg")]])
    for contact in feedback["Your name"]:
        assert re.search(rf"\b{contact}\b", shared) is None, contact
    # Each volunteer's first and last name ("Kit" aside: the Data Surgery Kit signs every report).
    volunteers = [word for name in make_volunteers()["Name"] for word in name.split() if word != "Kit"]
    for secret in ("contact26@example.org", "Jo Bloggs", "07700 900123", *volunteers):
        assert re.search(rf"\b{re.escape(secret)}\b", shared) is None, secret


def test_a_feedback_file_without_an_organisation_column_stops_with_exit_2_naming_it(tmp_path):
    broken = make_feedback().rename(columns={"Organisation": "Organsation"})
    path = tmp_path / "feedback.csv"
    broken.to_csv(path, index=False)
    result = run_surgery("run", "plan-a-surgery-day", "--data", KIT / "datasets" / "surgery-requests.csv",
                         "-p", "feedback", path, "--out", tmp_path / "bundle", "--no-progress")
    assert result.returncode == 2
    assert "no column for the organisation" in result.stderr and "Organsation" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_hostile_feedback_export_is_shown_as_text_and_writes_no_formula(tmp_path):
    """The shared hostile suite runs the planning report; this runs the programme report on the same kinds of
    text: markup and links in organisation names, a question's header and comments, formulas in follow-ups."""
    import csv

    from test_hostile_reports import FORMULAS, hostile

    from helpers.writing.workbooks import FORMULA_STARTS

    feedback = make_feedback()
    feedback.loc[0, "Organisation"] = hostile("Org")  # not in the requests: named in the report, as text
    feedback = feedback.rename(columns={"Any other comments?": hostile("Comments")})
    feedback[hostile("Comments")] = [f"A useful session <script>alert('c{n}')</script> [give](https://evil.example/x)"
                                     for n in range(len(feedback))]
    promised = feedback.columns[10]
    feedback[promised] = [FORMULAS[n % len(FORMULAS)] for n in range(len(feedback))]
    path = tmp_path / "feedback.csv"
    feedback.to_csv(path, index=False)
    out = tmp_path / "bundle"
    result = run_surgery("run", "plan-a-surgery-day", "--data", KIT / "datasets" / "surgery-requests.csv",
                         "-p", "feedback", path, "--out", out, "--no-progress")
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find_all(["script", "iframe", "object", "embed"]) == []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            assert "javascript:" not in str(value).lower(), element
    assert not [a for a in soup.find_all("a", href=True) if "evil.example" in a["href"]]
    text = soup.get_text(" ")
    assert "onerror=alert('Org')" in text  # the planted name reached the page, as text
    with open(out / "follow_ups.csv", encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            assert not any(cell.startswith(tuple(FORMULA_STARTS)) for cell in row), row


def test_the_sessions_held_can_be_the_plan_s_file_with_a_session_struck_out(sample, tmp_path):
    _, sessions = sample
    held = sessions[sessions["organisation"] != "Dalston Advice Centre"]  # it did not come, and did not answer
    path = tmp_path / "sessions.csv"
    held.to_csv(path, index=False)
    out = tmp_path / "bundle"
    result = run_surgery("run", "plan-a-surgery-day", "--data", KIT / "datasets" / "surgery-requests.csv",
                         "-p", "feedback", KIT / "datasets" / "surgery-feedback.csv", "-p", "sessions", path,
                         "-p", "volunteers", tmp_path / "no-such-file.csv",  # not read: the sessions are given
                         "--out", out, "--no-progress")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["charities_helped"], summary["sessions_held"]) == (24, 23)
    assert "Dalston Advice Centre" not in _text(out)
