"""who-we-reach on client lists the kit did not generate (``tests/outside/cases/who-we-reach.yaml``).

The lead's ``tests/test_outside_files.py`` runs every playbook's cases with the same checks; this
file runs who-we-reach's own, so the rules are held on outside files in this area's tests too, and
adds what each case is there to show (the Hackney list must not say "under-represented").
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers.writing.claims import CONCLUSION_WORDS

pytestmark = pytest.mark.slow

OUTSIDE = Path(__file__).parent / "outside"
CASES = yaml.safe_load((OUTSIDE / "cases" / "who-we-reach.yaml").read_text(encoding="utf-8"))


def page_text(report: str) -> str:
    report = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", report, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report)))


def numbers_in(value) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return {round(float(value), 6), round(100 * float(value), 6)}
    if isinstance(value, dict):
        return set().union(*map(numbers_in, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(numbers_in, value)) if value else set()
    return set()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from conftest import run_surgery

    done = {}
    for case in CASES:
        source = OUTSIDE / case["file"]
        before = hashlib.sha256(source.read_bytes()).hexdigest()
        out = tmp_path_factory.mktemp("outside") / "bundle"
        params = [item for name, value in (case.get("params") or {}).items() for item in ("-p", name, str(value))]
        result = run_surgery("run", case["playbook"], "--data", source, "--out", out, "--no-progress", *params,
                             env={"SURGERY_DATA_DIR": str(out.parent / "no-directory")})
        done[case["file"]] = (case, result, out, before)
    return done


@pytest.mark.parametrize("name", [case["file"] for case in CASES])
def test_each_outside_list_gives_a_report_whose_words_its_claims_support(runs, name):
    case, result, out, before = runs[name]
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256((OUTSIDE / name).read_bytes()).hexdigest() == before
    report = (out / "report.html").read_text(encoding="utf-8")
    text = page_text(report)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    decisions = {claim["decision"] for claim in summary["claims"]}
    for claim in summary["claims"]:
        assert claim["sentence"] in text, claim["sentence"]
    for phrase, decision in CONCLUSION_WORDS.items():
        if phrase in text:
            assert decision in decisions, f"'{phrase}' printed without a claim deciding '{decision}'"
    figures = re.findall(r'<span class="figure-value">(.*?)</span>', report)
    known = numbers_in(summary)
    for figure in figures:
        value = html.unescape(figure).replace(",", "").rstrip("%")
        if re.fullmatch(r"\d+(\.\d+)?", value):
            assert round(float(value), 6) in known, f"Main points figure {figure} is not in summary.json"
    shared = [report, json.dumps(summary, ensure_ascii=False), (out / "areas.csv").read_text(encoding="utf-8")]
    for marker in case["markers"]:
        assert not any(marker in text for text in shared), marker


def test_clients_in_hackney_like_its_residents_are_not_called_under_represented(runs):
    _, _, out, _ = runs["reach_foodbank_referrals_hackney.csv"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    claims = {claim["key"]: claim for claim in summary["claims"]}
    assert claims["most_deprived_representation"]["decision"] == "about_the_same"
    assert summary["clients_outside_area"] >= 20
    text = page_text((out / "report.html").read_text(encoding="utf-8"))
    assert "under-represented" not in text and "over-represented" not in text
    assert f"{summary['clients_outside_area']} of the" in text and "live outside Hackney" in text
    assert claims["route_difference"]["decision"] == "about_the_same" and "brings more" not in text


def test_a_register_from_the_less_deprived_streets_is_called_under_represented(runs):
    _, _, out, _ = runs["reach_befriending_register_tower_hamlets.csv"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["representation"] == "below"
    text = page_text((out / "report.html").read_text(encoding="utf-8"))
    assert "under-represented" in text and "Tower Hamlets' residents" in text


def test_a_list_too_small_to_compare_draws_no_conclusion(runs):
    _, _, out, _ = runs["reach_drop_in_small_list.csv"]
    text = page_text((out / "report.html").read_text(encoding="utf-8"))
    assert "represented" not in text and "Too few clients who live in Hackney" in text
