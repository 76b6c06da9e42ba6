"""The dedupe report's words: worked examples, reasons, thresholds and summary figures.

Personal details shown in the report are masked here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.contacts.columns import ContactColumns
from helpers.contacts.model import LinkageResult, _comparison_words

def _masks():
    from helpers.writing.privacy import mask_date, mask_email, mask_name, mask_phone, mask_postcode

    return {
        "first_name": mask_name, "last_name": mask_name, "full_name": mask_name, "email": mask_email,
        "phone": mask_phone, "postcode": mask_postcode, "date_of_birth": mask_date,
        "address": lambda v: "" if v is None or pd.isna(v) else "***", "town": lambda v: "" if pd.isna(v) else "***",
    }


def masked_records(frame: pd.DataFrame, rows, columns: ContactColumns) -> pd.DataFrame:
    """The compared fields of some records, with personal details masked for the report.

    Names keep initials, emails their domain, phones two digits at each end,
    postcodes their district, dates of birth their year; address lines, towns
    and extra columns are hidden.

    Example:
        >>> table = pd.DataFrame({"Name": ["Jane Smith"], "Email": ["jane@example.com"]}, index=[7])
        >>> masked_records(table, [7], ContactColumns({"full_name": "Name", "email": "Email"})).values.tolist()
        [[7, 'J*** S***', '***@example.com']]
    """
    masks = _masks()
    shown = pd.DataFrame({"Row": list(rows)})
    for role, column in columns.roles.items():
        shown[column] = [masks[role](value) for value in frame.loc[list(rows), column]]
    for column in columns.extra_columns:
        shown[column] = ["***" if pd.notna(v) else "" for v in frame.loc[list(rows), column]]
    return shown


def pair_reasons(pair: pd.Series) -> str:
    """Say in words which details pushed a pair towards or away from a match.

    Example:
        >>> pair_reasons(pd.Series({"mw_name": 15.2, "mw_email": -3.4, "mw_phone": 0.0}))
        'name agrees; email differs; phone missing on one side'
    """
    parts = []
    for key, weight in pair.items():
        if not str(key).startswith("mw_") or str(key).startswith("mw_tf_adj"):
            continue
        word = _comparison_words(str(key)[3:]).lower()
        if pd.isna(weight) or abs(weight) < 1e-9:
            parts.append(f"{word} missing on one side")
        elif weight > 0:
            parts.append(f"{word} agrees" if weight >= 4 else f"{word} partly agrees")
        else:
            parts.append(f"{word} differs")
    return "; ".join(parts)


def probability_words(probability: float) -> str:
    """A match probability as a whole percentage that never claims certainty.

    Example:
        >>> probability_words(0.99996), probability_words(0.904), probability_words(0.001)
        ('over 99%', '90%', 'under 1%')
    """
    if probability >= 0.995:
        return "over 99%"
    if probability < 0.005:
        return "under 1%"
    return f"{probability:.0%}"


def worked_examples(frame: pd.DataFrame, result: LinkageResult) -> list[tuple[str, pd.DataFrame, str]]:
    """Three pairs that show how the model decides, with personal details masked.

    The surest match, the least sure pair still above the threshold, and the
    nearest miss below it (when there is one).

    Returns:
        A list of ``(title, masked records, reasons in words)``.

    Example:
        The first title reads like "A clear match: match probability over 99%"
        (:func:`probability_words` never claims certainty).
    """
    pairs = result.pairs
    if "exact_copy" in pairs:
        pairs = pairs[~pairs["exact_copy"].astype(bool)]  # an exact copy teaches nothing about the model
    above = pairs[pairs["match_probability"] >= result.threshold]
    below = pairs[pairs["match_probability"] < result.threshold]
    chosen = []
    if len(above):
        chosen.append(("A clear match", above.iloc[0]))
        if len(above) > 1:
            chosen.append(("The least sure match above the threshold", above.iloc[-1]))
    if len(below):
        chosen.append(("The nearest pair below the threshold (kept apart)", below.iloc[0]))
    examples = []
    for title, pair in chosen:
        shown = masked_records(frame, [pair["row_l"], pair["row_r"]], result.columns)
        heading = f"{title}: match probability {probability_words(pair['match_probability'])}"
        examples.append((heading, shown, pair_reasons(pair)))
    return examples


def field_influence(parameters: pd.DataFrame) -> pd.DataFrame:
    """For each detail: how strongly agreement and disagreement move the odds.

    Returns:
        One row per detail: "Detail", "Agree (bits)" (the top level's weight),
        "Differ (bits)" (the "all other" level's weight), sorted by the spread
        between the two, largest first.

    Example:
        >>> params = pd.DataFrame({"comparison": ["Email", "Email", "Town", "Town"],
        ...     "level": ["The same", "All other comparisons"] * 2, "match_weight": [11.0, -3.0, 4.0, -1.0]})
        >>> field_influence(params)["Detail"].tolist()
        ['Email', 'Town']
    """
    rows = []
    for name, levels in parameters.groupby("comparison", sort=False):
        weights = levels["match_weight"].dropna()
        if weights.empty:
            continue
        rows.append({"Detail": name, "Agree (bits)": round(float(weights.iloc[0]), 1),
                     "Differ (bits)": round(float(weights.iloc[-1]), 1)})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    spread = table["Agree (bits)"] - table["Differ (bits)"].clip(lower=-30)
    return table.iloc[np.argsort(-spread.to_numpy(), kind="stable")].reset_index(drop=True)


def threshold_table(result: LinkageResult, thresholds=(0.5, 0.8, 0.9, 0.95, 0.99)) -> pd.DataFrame:
    """How many pairs would count as matches at other thresholds (the chosen one included).

    Example:
        >>> pairs = pd.DataFrame({"match_probability": [0.55, 0.85, 0.97, 0.999]})
        >>> fake = LinkageResult(pd.DataFrame(), pairs, pd.DataFrame(), 0.01, 0.9, pd.DataFrame(), 4,
        ...                      ContactColumns({}), pd.DataFrame(), [])
        >>> threshold_table(fake, (0.5, 0.9))["Pairs at or above it"].tolist()
        [4, 2]
    """
    chosen = sorted(set(thresholds) | {result.threshold})
    probability = result.pairs["match_probability"]
    return pd.DataFrame({
        "Threshold": [f"{t:.0%}" + (" (used)" if t == result.threshold else "") for t in chosen],
        "Pairs at or above it": [int((probability >= t).sum()) for t in chosen],
    })


def summary_figures(result: LinkageResult) -> dict:
    """The figures for ``summary.json``: counts, threshold and how the model was built.

    Holds no personal data: counts, shares, column names and model parameters only.

    Example:
        ``summary_figures(result)["records"]`` is the number of records linked; the
        keys are fixed (``tests/test_linkage.py``).
    """
    records = len(result.clusters)
    return {
        "records": records,
        "clusters": result.duplicate_clusters,
        "records_in_clusters": result.records_in_clusters,
        "surplus_records": result.surplus_records,
        "estimated_duplicate_rate": result.surplus_records / records if records else 0.0,
        "threshold": result.threshold,
        "compared_pairs": result.compared_pairs,
        "pairs_at_or_above_threshold": int((result.pairs["match_probability"] >= result.threshold).sum()),
        "prior_probability_two_records_match": result.prior,
        "backend": result.backend,
        "columns": {**result.columns.roles, "id": result.columns.id_column,
                    "extra": list(result.columns.extra_columns)},
        "match_weights": field_influence(result.parameters).to_dict(orient="records"),
        # details found but not compared: unreadable, or the trained model has no weight for them
        "left_out": list(result.columns.left_out),
        "compared": {words: list(columns) for words, columns in result.compared.items()},
        "exact_copy_rows": int(len(result.exact_copies)),
        "records_to_check_by_hand": int(len(result.clerical)),
        "possible_family_groups": int(result.families["family"].nunique()) if len(result.families) else 0,
        # how long each step of the linkage took, for the benchmark (not personal data)
        "step_seconds": {step: round(seconds, 3) for step, seconds in result.timings.items()},
        # What `surgery rerun` compares with last time, in words.
        "headline": {
            "records": "contacts in the list",
            "clusters": "groups of duplicates",
            "records_in_clusters": "contacts in a group",
            "surplus_records": "extra copies to merge away",
        },
    }


# --------------------------------------------------------------------------- facts and claims


def compared_sentence(result: LinkageResult, recency_column: str | None = None) -> str:
    """What the trained model compared, with the charity's columns, and what it names records by.

    Built from the model itself (:attr:`LinkageResult.compared`), never from the columns found:
    a detail the model could not learn from is not listed as compared.

    Example:
        ``"The kit compared these details: name ('Forename', 'Surname') and email ('Email'). It
        names each record by the row numbers. ..."``
    """
    from helpers.writing.narrative import list_in_words

    shown = [f"{words.lower()} ({', '.join(repr(str(c)) for c in columns)})"
             for words, columns in result.compared.items()]
    linked = result.columns
    id_words = f"the ids in '{linked.id_column}'" if linked.id_column else "the row numbers"
    newest = (f"'{recency_column}' says which record is newest." if recency_column
              else "No date-added column was found, so a record lower down the file counts as newer.")
    if shown:
        compared = f"The kit compared these details: {list_in_words(shown, limit=len(shown))}."
    else:
        compared = "The kit compared no details: every group is rows that repeat another row exactly."
    left_out = (f" Found but not compared: {list_in_words(linked.left_out, limit=len(linked.left_out))}."
                if linked.left_out else "")
    return f"{compared}{left_out} It names each record by {id_words}. {newest}"


def evidence_sentences(influence: pd.DataFrame) -> list[str]:
    """What agreeing and differing meant in this model, from its trained weights.

    Args:
        influence: :func:`field_influence` of the trained model: one row per detail it
            compared, with "Agree (bits)" and "Differ (bits)".

    Returns:
        Up to three sentences, naming only details the model compared: the detail whose
        agreement counts most, the one whose agreement counts least, and the difference that
        counts most against.

    Example:
        >>> table = pd.DataFrame({"Detail": ["Phone", "Where they live"], "Agree (bits)": [11.0, 3.0],
        ...                       "Differ (bits)": [-3.0, -6.0]})
        >>> evidence_sentences(table)[0]
        'In this list, agreeing on phone is very strong evidence that two records are the same person, the strongest of any detail.'
        >>> evidence_sentences(table)[2]
        'Differing on where they live is strong evidence of two people.'
    """
    from helpers.contacts.charts import evidence_words

    if influence.empty:
        return ["The kit did not need to weigh any details: every group it found is rows that repeat another "
                "row exactly."]
    by_agree = influence.sort_values("Agree (bits)", ascending=False, kind="stable")
    strongest = by_agree.iloc[0]
    sentences = [f"In this list, agreeing on {strongest['Detail'].lower()} is "
                 f"{_that_two_records(evidence_words(strongest['Agree (bits)']))}, the strongest of any detail."]
    if len(by_agree) > 1:
        weakest = by_agree.iloc[-1]
        sentences.append(f"Agreeing on {weakest['Detail'].lower()} counts least: it is "
                         f"{_that_two_records(evidence_words(weakest['Agree (bits)']))}.")
    against = influence.sort_values("Differ (bits)", kind="stable").iloc[0]
    differ_words = evidence_words(against["Differ (bits)"])
    if "two people" in differ_words:
        sentences.append(f"Differing on {against['Detail'].lower()} is {differ_words}.")
    return sentences


def _that_two_records(words: str) -> str:
    return words.replace("evidence of the same person", "evidence that two records are the same person")


def main_points(result: LinkageResult, figures: dict, charity_name: str = ""):
    """The Main points and the claims behind them, from one set of figures.

    Returns:
        ``(big_figures, sentences, claims)``: the three headline figures as ``(number, label)``,
        the sentences in order, and the :class:`~helpers.writing.claims.Claim` values for
        ``summary.json`` (each claim's sentence is printed exactly).

    Example:
        ``main_points(result, summary_figures(result))[2][0].key`` is ``"duplicate_groups"``.
    """
    from helpers.writing.claims import Claim
    from helpers.writing.narrative import percent, plural

    records, surplus, groups = figures["records"], figures["surplus_records"], figures["clusters"]
    whose = f"{charity_name}'s list" if charity_name else "The list"
    rule = (f"Two records are joined when the model's match probability is at least {result.threshold:.0%}; "
            "joined pairs chain into groups; rows that repeat another row in every column but the id join its group.")
    claims = []
    if groups:
        first = (f"{whose} has {records:,} records. The kit thinks {plural(figures['records_in_clusters'], 'record')} "
                 f"belong to {plural(groups, 'group')} of two or more records that are the same person.")
    else:
        first = f"{whose} has {records:,} records. The kit found no records that are the same person."
    claims.append(Claim("duplicate_groups", "groups_found" if groups else "none", first,
                        {"records": records, "groups": groups, "records_in_groups": figures["records_in_clusters"]},
                        rule))
    sentences = [first]
    if surplus:
        copies = (f"If each group became one record, the list would lose {plural(surplus, 'extra copy', 'extra copies')} "
                  f"({percent(surplus, records)} of it).")
        claims.append(Claim("extra_copies", "copies", copies, {"surplus_records": surplus, "records": records},
                            "Each group keeps one record; every other record in it is an extra copy."))
        sentences.append(copies)
    exact = int(figures.get("exact_copy_rows", 0))
    if exact:
        said = ("1 row repeats another row in every column but the id, so it is an exact copy and joined that "
                "row's group without being compared." if exact == 1 else
                f"{exact:,} rows repeat another row in every column but the id, so they are exact copies and "
                "joined those rows' groups without being compared.")
        claims.append(Claim("exact_copy_rows", "exact_copies", said, {"rows": exact},
                            "A row equal to an earlier row in every column but the id is an exact copy."))
        sentences.append(said)
    if groups:
        sentences += ["The groups the kit is least sure about come first in the review workbook, review.xlsx, for a "
                      "person to check.",
                      "Nothing has been deleted: the merged list in deduplicated.xlsx is only a suggestion."]
    families = figures["possible_family_groups"]
    if families:
        said = (f"{plural(families, 'set')} of records share contact details, but their dates of birth are years "
                "apart or their first names have nothing in common. The kit kept them apart as possible family members.")
        claims.append(Claim("families_kept_apart", "kept_apart", said, {"sets": families},
                            "A group is split where two complete dates of birth are more than a year apart and not "
                            "one typing slip, or two first names are more than two slips apart and not swapped."))
        sentences.append(said)
    clerical = figures.get("records_to_check_by_hand", 0)
    if clerical:
        said = (f"{plural(clerical, 'record')} could belong to either of two people kept apart, so the kit merged "
                f"{'it' if clerical == 1 else 'them'} into neither: see the sheet 'Check by hand' in review.xlsx.")
        claims.append(Claim("clerical_review", "check_by_hand", said, {"records": clerical},
                            "A record missing a date of birth or first name that links to two people kept apart "
                            "is left on its own for a person to decide."))
        sentences.append(said)
    label = "extra copies to merge away" if surplus else "records to merge away"
    big = [(f"{records:,}", "contacts in the list"), (f"{groups:,}", "groups of repeats"), (f"{surplus:,}", label)]
    return big, sentences, claims


def compared_claim(result: LinkageResult, sentence: str):
    """The claim that these details, and only these, were compared (for ``summary.json``).

    Example:
        ``compared_claim(result, compared_sentence(result)).numbers["compared"]`` lists the details.
    """
    from helpers.writing.claims import Claim

    return Claim("compared_details", "compared", sentence,
                 {"compared": list(result.compared), "left_out": list(result.columns.left_out)},
                 "Details are listed as compared only when the trained model has weights for them.")


# --------------------------------------------------------------------------- the charity's decisions


def decision_points(figures: dict, input_name: str):
    """The Main points of a run that applied a filled-in review workbook, and the claims behind them.

    Args:
        figures: summary.json's figures, with ``decisions_applied``, ``records_merged``,
            ``merged_records``, ``records_after``, ``groups_undecided``, ``records_kept_apart``,
            ``decisions_set_aside`` and ``decisions_file``
            (:func:`helpers.contacts.decisions.apply_decisions` and the new review workbook).
        input_name: The charity's file name.

    Returns:
        ``(big_figures, sentences, claims)`` as :func:`main_points`.

    Example:
        >>> figures = {"records": 10, "decisions_applied": 3, "records_merged": 2, "merged_records": 2,
        ...            "records_after": 8, "groups_undecided": 1, "records_kept_apart": 1,
        ...            "decisions_set_aside": 0, "decisions_file": "review.xlsx"}
        >>> big, sentences, claims = decision_points(figures, "contacts.csv")
        >>> big[1], sentences[0]
        (('3', 'decisions applied'), 'The kit applied 3 decisions from review.xlsx: 2 records were merged into 2 others, so merged.xlsx holds 8 records, one for each person.')
    """
    from helpers.writing.claims import Claim
    from helpers.writing.narrative import plural

    applied, merged, into = figures["decisions_applied"], figures["records_merged"], figures["merged_records"]
    undecided, after = figures["groups_undecided"], figures["records_after"]
    source = figures["decisions_file"]
    if merged:
        first = (f"The kit applied {plural(applied, 'decision')} from {source}: {plural(merged, 'record')} "
                 f"{'was' if merged == 1 else 'were'} merged into {plural(into, 'other', 'others')}, so merged.xlsx "
                 f"holds {after:,} records, one for each person.")
    else:
        first = (f"The kit applied {plural(applied, 'decision')} from {source}: no records were merged, so "
                 f"merged.xlsx holds all {after:,} records.")
    claims = [Claim("decisions_applied", "merged" if merged else "nothing_merged", first,
                    {"decisions_applied": applied, "records_merged": merged, "merged_records": into,
                     "records_after": after},
                    "Records a reviewer answered Yes to in one group are merged into one; records answered No, "
                    "and groups left blank, are not merged.")]
    sentences = [first]
    apart = figures.get("records_kept_apart", 0)
    if apart:
        said = (f"{plural(apart, 'record')} {'was' if apart == 1 else 'were'} kept apart because the reviewer "
                "answered No.")
        claims.append(Claim("records_kept_apart", "kept_apart", said, {"records": apart},
                            "A record answered No stays a record of its own."))
        sentences.append(said)
    if undecided:
        said = (f"{plural(undecided, 'group')} {'is' if undecided == 1 else 'are'} still undecided: "
                f"{'its' if undecided == 1 else 'their'} records were left as they are, and the new review.xlsx "
                "lists only these groups for review.")
    else:
        said = "No group is left undecided: the new review.xlsx has no groups to review."
    claims.append(Claim("groups_undecided", "undecided" if undecided else "none", said, {"groups": undecided},
                        "A group with no Yes or No answer, or a group the model found that the workbook did not "
                        "list, is left as it is and listed for review."))
    sentences.append(said)
    aside = figures.get("decisions_set_aside", 0)
    if aside:
        said = (f"{plural(aside, 'decision')} {'was' if aside == 1 else 'were'} set aside because a record's "
                "details changed since the review; those groups are listed for review again.")
        claims.append(Claim("decisions_set_aside", "set_aside", said, {"decisions": aside},
                            "A decision is applied only to records whose details are as the reviewer saw them."))
        sentences.append(said)
    unchanged = (f"Nothing was changed in {input_name}: merged.xlsx is a new file, and merge_log.csv lists every "
                 "merge with the record each detail came from.")
    claims.append(Claim("original_unchanged", "unchanged", unchanged, {},
                        "The kit reads the charity's file and the review workbook and writes only new files."))
    sentences.append(unchanged)
    big = [(f"{figures['records']:,}", "contacts in the list"), (f"{applied:,}", "decisions applied"),
           (f"{merged:,}", "records merged away"), (f"{undecided:,}", "groups still undecided")]
    return big, sentences, claims
