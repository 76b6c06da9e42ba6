"""The report's figures, sentences and claims for matching a new list against the CRM.

Every sentence is built from :func:`match_figures`, and the Main points, their big figures and
``summary.json`` come from the same numbers. Counts only: no name, email or phone reaches the
report or ``summary.json`` (those stay in the charity's own files, see :mod:`helpers.contacts.match_files`).
"""

from __future__ import annotations

import pandas as pd

from helpers.contacts.consent import CONSENT_WORDS
from helpers.contacts.linking import IN_CRM, UPDATE_DETAILS, MatchResult
from helpers.writing.claims import Claim
from helpers.writing.narrative import list_in_words, percent, plural


def match_figures(result: MatchResult) -> dict:
    """The figures for ``summary.json`` (fixed keys; no personal data).

    Example:
        ``match_figures(result)["already_in_crm"]`` counts new records found in the CRM.
    """
    details = change_counts(result)
    return {
        "new_list_records": int(len(result.new)),
        "crm_records": int(len(result.existing)),
        "already_in_crm": result.already_in_crm,
        "new": result.new_count,
        "changed_details": result.changed_details,
        "to_review": result.to_review,
        "consent_differences": int(len(result.consent_changes)),
        "do_not_contact_on_new_list": int(result.do_not_contact.sum()),
        "do_not_contact_new": int((result.do_not_contact & (result.matches["status"] != IN_CRM)).sum()),
        "changed_by_detail": dict(zip(details["Detail"], details["Records"])),
        "threshold": result.threshold,
        "review_floor": result.review_floor,
        "compared_pairs": result.compared_pairs,
        "prior_probability_two_records_match": result.prior,
        "compared": {words: list(columns) for words, columns in result.compared.items()},
        "consent_columns": {"crm": dict(result.existing_consent), "new_list": dict(result.new_consent)},
        "crm_id_column": result.existing_columns.id_column,
        "step_seconds": {step: round(seconds, 3) for step, seconds in result.timings.items()},
        "headline": {
            "already_in_crm": "records already in the CRM",
            "new": "new people",
            "changed_details": "people whose details changed",
            "to_review": "records for a person to decide",
        },
    }


def change_counts(result: MatchResult) -> pd.DataFrame:
    """How many people already in the CRM have each detail different on the new list (a count per detail)."""
    rows = [(said.split()[-1].capitalize(), int(result.changes[detail].sum())) for detail, said in UPDATE_DETAILS.items()
            if detail in result.changes.columns]
    return pd.DataFrame(rows, columns=["Detail", "Records"])


def match_main_points(result: MatchResult, figures: dict, charity_name: str = ""):
    """The Main points, their big figures and the claims behind them.

    Returns:
        ``(big_figures, sentences, claims)``; each claim's sentence is printed as it is (the
        "do not contact" claim's under the report's Consent heading, the rest as the Main points).

    Example:
        ``[c.key for c in match_main_points(result, match_figures(result))[2]][:4]`` is
        ``['already_in_crm', 'new', 'changed_details', 'to_review']``.
    """
    records, found = figures["new_list_records"], figures["already_in_crm"]
    new, changed, review = figures["new"], figures["changed_details"], figures["to_review"]
    crm = f"{charity_name}'s CRM" if charity_name else "the CRM"
    rule = (f"A new record is in the CRM when its likeliest CRM record has a match probability of at least "
            f"{result.threshold:.0%}; from {result.review_floor:.0%} up to that, a person decides; below, it is new.")
    claims = []
    if found:
        first = (f"Of the {records:,} records on the new list, {found:,} ({percent(found, records)}) "
                 f"{'is' if found == 1 else 'are'} already in the CRM.")
    else:
        first = f"The kit found none of the {records:,} records on the new list in {crm}."
    claims.append(Claim("already_in_crm", "in_crm" if found else "none", first,
                        {"already_in_crm": found, "records": records}, rule))
    said_new = (f"{plural(new, 'record is', 'records are')} new: new_contacts.xlsx holds "
                f"{'it' if new == 1 else 'them'} in the CRM export's own columns, ready to import."
                if new else "No record on the new list is new to the CRM.")
    claims.append(Claim("new", "new_found" if new else "none", said_new, {"new": new}, rule))
    if changed:
        kinds = [f"{int(result.changes[detail].sum()):,} with a {said}" for detail, said in UPDATE_DETAILS.items()
                 if detail in result.changes.columns and result.changes[detail].any()]
        said_changed = (f"{plural(changed, 'person', 'people')} already in the CRM {'has' if changed == 1 else 'have'} "
                        f"details that differ on the new list ({list_in_words(kinds, limit=len(kinds))}): "
                        "updates.xlsx shows the old and new side by side. Nothing was changed in the CRM export.")
    else:
        said_changed = "No one matched to the CRM has contact details that differ on the new list."
    claims.append(Claim("changed_details", "changed" if changed else "none", said_changed,
                        {"changed_details": changed},
                        "A detail differs when the new list has a value that, tidied, is not the CRM's; a blank never counts."))
    if review:
        said_review = (f"{plural(review, 'record needs', 'records need')} a person to decide whether "
                       f"{'it is' if review == 1 else 'they are'} someone in the CRM: see review.xlsx.")
    else:
        said_review = "No record needs a person to decide: every one is clearly in the CRM or clearly new."
    claims.append(Claim("to_review", "check_by_hand" if review else "none", said_review, {"to_review": review}, rule))
    sentences = [first, said_new, said_changed, said_review]
    consent = figures["consent_differences"]
    if consent:
        said = (f"{plural(consent, 'person', 'people')} in the CRM gave a different consent answer on the new list. "
                "The kit did not apply these: updates.xlsx flags them for the charity to check.")
        claims.append(Claim("consent_not_applied", "not_applied", said, {"consent_differences": consent},
                            "Consent columns (" + ", ".join(CONSENT_WORDS.values()) + ") are never copied from the "
                            "new list; a difference on a matched record is flagged."))
        sentences.append(said)
    dnc = figures["do_not_contact_on_new_list"]
    if dnc:
        said = (f"{plural(dnc, 'record', 'records')} on the new list {'says' if dnc == 1 else 'say'} "
                "do not contact: flagged DO NOT CONTACT in every file.")
        # printed under "Consent" rather than in the Main points, which hold five sentences at most
        claims.append(Claim("do_not_contact", "flagged", said, {"do_not_contact": dnc},
                            "A record whose do-not-contact column says yes is flagged in every file it appears in."))
    big = [(f"{found:,}", "records matched to the CRM"), (f"{new:,}", "new people"),
           (f"{review:,}", "for a person to decide")]
    return big, sentences, claims


def match_compared_sentence(result: MatchResult) -> str:
    """What was compared, with each list's columns named (headers only), and what names a CRM record."""
    shown = [f"{words.lower()} ({', '.join(repr(str(c)) for c in columns)})" for words, columns in result.compared.items()]
    crm_id = result.existing_columns.id_column
    names = f"the ids in '{crm_id}'" if crm_id else "the row numbers of the CRM export"
    consent = [f"'{column}'" for column in result.existing_consent.values()]
    carried = (f" Consent columns in the CRM export ({list_in_words(consent, limit=len(consent))}) were not "
               "compared and are never overwritten." if consent else "")
    return (f"The kit compared these details: {list_in_words(shown, limit=len(shown))}. It names CRM records by "
            f"{names}.{carried}")


def compared_claim(result: MatchResult, sentence: str) -> Claim:
    """The claim that these details, and only these, were compared."""
    return Claim("compared_details", "compared", sentence, {"compared": list(result.compared)},
                 "Details are listed as compared only when the trained model has weights for them.")
