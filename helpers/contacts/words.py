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
        "left_out": list(result.columns.left_out),  # details found but not compared (unreadable)
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
