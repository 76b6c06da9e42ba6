"""Find the records of one person in a contact list with splink, and suggest one record each.

The volunteer does not write a linkage model. This module looks at which kinds
of contact detail the file has (names, email, phone, postcode, address, town,
date of birth, any extra columns) and builds one:

* **Comparisons**: one per kind of detail, each with levels from "exactly the
  same" through "nearly the same" to "different" (names also have a level for
  first and last name swapped; postcode, address and town count together as one
  "where they live" detail so that a house move is not counted three times).
* **Blocking**: only pairs that share something specific (the same first and
  last name, the same email, the same phone and first name...) are compared, so
  a million rows are not a trillion pairs.
* **Training**, with nothing to tune: how often two random records are the same
  person comes from strict rules (same name and date of birth...); how often
  details agree by chance (u) from a seeded random sample of pairs; how often
  they agree for the same person (m) from expectation maximisation.

Pairs above the match threshold are joined into clusters (connected
components), each with a suggested master record. Runs on DuckDB inside this
process, or on Apache Spark (``backend="spark"``) for lists too big for one
machine. Nothing is downloaded: DuckDB may not install or load extensions.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from helpers.contacts.columns import (
    COMPARISON_WORDS,
    ROLE_WORDS,
    ContactColumns,
    exact_copy_of,
    record_ids,
)
from helpers.contacts.families import keep_people_apart
from helpers.contacts.tidy import first_names_as_typed, prepare_contacts
from helpers.errors import InputProblem
from helpers.spark import local_spark

DEFAULT_THRESHOLD = 0.9
#: Pairs at least this likely are kept for the report ("near misses" below the threshold).
NEAR_MISS_FLOOR = 0.5
#: Random pairs used to learn how often details agree by chance (u probabilities).
U_SAMPLE_PAIRS = 3e6
#: Pairs used per expectation-maximisation session on big lists.
EM_SAMPLE_PAIRS = 1e6
#: Guess at the share of true duplicates the strict rules find (for the prior).
STRICT_RULES_RECALL = 0.8
#: A value shared by more records than this (a placeholder such as
#: "none@none.com") is not used on its own to choose pairs to compare.
BLOCKING_VALUE_LIMIT = 100
SEED = 42
#: Smallest m probability kept after training: one true duplicate in a thousand
#: may differ on any detail, so no single difference outweighs everything else.
M_FLOOR = 1e-3

_DISTRICT_REGEX = "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?"

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- model


def _comparisons(columns: Sequence[str]) -> list:
    """Splink comparisons for the tidied columns present (see :func:`comparison_inputs`)."""
    return [comparison for comparison, _ in _comparisons_and_inputs(columns)]


def comparison_inputs(columns: Sequence[str]) -> dict[str, list[str]]:
    """Which tidied columns each comparison reads, by the comparison's output name.

    Built with the comparisons themselves, so the report can say which of the charity's
    columns stand behind each detail of the trained model without asking splink's internals.

    Example:
        >>> comparison_inputs(["first_name", "surname", "surname_as_first", "name_key", "email"])
        {'name': ['first_name', 'surname', 'surname_as_first', 'name_key'], 'email': ['email']}
    """
    return {name: reads for name, reads in
            ((_output_name(comparison), reads) for comparison, reads in _comparisons_and_inputs(columns))}


def _output_name(comparison) -> str:
    return comparison.create_output_column_name()


def _comparisons_and_inputs(columns: Sequence[str]) -> list[tuple[object, list[str]]]:
    """The comparisons for the tidied columns present, each with the tidied columns it reads.

    This is the one place that says how two records are compared; deduplication uses it,
    and linking a new list against an existing one can use it too (the same tidied columns,
    the same levels).
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    has = set(columns).__contains__
    comparisons: list[tuple[object, list[str]]] = []
    if has("first_name") and has("surname"):
        both_null = cll.And(cll.NullLevel("first_name"), cll.NullLevel("surname"))
        exact = cll.ExactMatchLevel("name_key").configure(
            tf_adjustment_column="name_key", label_for_charts="First and last name the same"
        )
        swapped = cll.ColumnsReversedLevel("first_name", "surname_as_first").configure(
            label_for_charts="First and last name swapped"
        )
        close = [
            cll.And(cll.JaroWinklerLevel("first_name", t), cll.JaroWinklerLevel("surname", t)).configure(
                label_for_charts=f"Both names nearly the same ({t})"
            )
            for t in (0.92, 0.85)
        ]
        comparisons.append((
            cl.CustomComparison(
                [both_null, exact, swapped, *close,
                 cll.ExactMatchLevel("surname").configure(label_for_charts="Same last name only"),
                 cll.ExactMatchLevel("first_name").configure(label_for_charts="Same first name only"),
                 cll.ElseLevel()],
                output_column_name="name",
            ),
            ["first_name", "surname", "surname_as_first", "name_key"],
        ))
    else:
        for column in ("first_name", "surname"):
            if has(column):
                comparisons.append((cl.NameComparison(column, jaro_winkler_thresholds=[0.92, 0.85]), [column]))
    for column in ("email", "phone"):
        if has(column):
            levels = [
                cll.NullLevel(column),
                cll.ExactMatchLevel(column).configure(tf_adjustment_column=column, label_for_charts="The same"),
            ]
            if column == "phone":
                # A mistyped digit. Not for emails: edit distance on long text is
                # slow, and "jsmith12@" v "jsmith21@" is more often two people.
                levels.append(cll.LevenshteinLevel(column, 1).configure(label_for_charts="One digit different"))
            comparisons.append(
                (cl.CustomComparison([*levels, cll.ElseLevel()], output_column_name=column), [column])
            )
    location = _location_comparison(columns)
    if location is not None:
        comparisons.append((location, [c for c in ("postcode", "address", "town") if has(c)]))
    if has("dob"):
        comparisons.append((_date_of_birth_comparison(), ["dob", "dob_date"]))
    for column in columns:
        if column.startswith("extra_"):
            comparisons.append((cl.ExactMatch(column), [column]))
    return comparisons


#: The date-of-birth levels below "the same" that are slips of one person's date (typing errors);
#: :func:`helpers.contacts.families.dates_clearly_differ` uses the same rule to keep families apart.
DOB_DAY_MONTH_SWAPPED_SQL = (
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
    "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
)


def _date_of_birth_comparison():
    """Graded date-of-birth levels, as splink's date comparison levels grade them.

    The same; one character off or two neighbouring digits swapped (Damerau-Levenshtein
    distance 1 on ``YYYY-MM-DD``); day and month swapped; within a year; anything else.
    The first three below "the same" are typing errors of one person's date, so they stay
    evidence for a match; only "anything else" (more than a year apart and not a slip)
    counts strongly against.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison([
        cll.NullLevel("dob"),
        cll.ExactMatchLevel("dob").configure(label_for_charts="The same"),
        cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One digit off or two swapped"),
        cll.CustomLevel(DOB_DAY_MONTH_SWAPPED_SQL, label_for_charts="Day and month swapped"),
        cll.AbsoluteDateDifferenceLevel("dob_date", input_is_string=False, threshold=1, metric="year")
        .configure(label_for_charts="Within a year"),
        cll.ElseLevel(),
    ], output_column_name="dob")


def _location_comparison(columns: Sequence[str]):
    """One comparison for postcode, address line and town together.

    Moving house changes all three at once; three separate comparisons would
    count one move as three pieces of evidence against a match.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import ColumnExpression

    parts = [c for c in ("postcode", "address", "town") if c in columns]
    if not parts:
        return None
    null = cll.And(*[cll.NullLevel(c) for c in parts]) if len(parts) > 1 else cll.NullLevel(parts[0])
    levels = [null]
    if "postcode" in parts and "address" in parts:
        levels.append(cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("address"))
                      .configure(label_for_charts="Same postcode and address"))
    if "postcode" in parts:
        levels.append(cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"))
    if "address" in parts:
        levels.append(cll.ExactMatchLevel("address").configure(label_for_charts="Same address line"))
        levels.append(cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="Address nearly the same"))
    if "postcode" in parts:
        district = ColumnExpression("postcode").regex_extract(_DISTRICT_REGEX)
        levels.append(cll.ExactMatchLevel(district).configure(label_for_charts="Same postcode district"))
    if "town" in parts:
        levels.append(cll.ExactMatchLevel("town").configure(label_for_charts="Same town"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name="location")


def _rules(columns: Sequence[str]) -> tuple[list, list, list]:
    """Blocking rules for prediction, strict rules for the prior, EM training rules."""
    from splink import block_on

    has = set(columns).__contains__
    names = [c for c in ("first_name", "surname") if has(c)]
    both_names = len(names) == 2
    predict: list = []
    if both_names:
        predict.append(block_on("first_name", "surname"))
        predict.append("l.first_name = r.surname_as_first and l.surname_as_first = r.first_name")
    for detail in ("dob", "phone", "postcode", "address"):
        if has(detail):
            predict += [block_on(name, detail) for name in names]
    if has("dob") and has("postcode"):
        predict.append(block_on("dob", "postcode"))
    if has("postcode") and has("address"):
        predict.append(block_on("block_postcode", "address"))
    for single in [c for c in columns if c.startswith("block_")]:
        if single != "block_postcode":
            predict.append(block_on(single))
    if not predict:
        # two details with no name, or names alone: any pair sharing both is compared
        shared = [c for c in columns if c in ("first_name", "surname", "email", "phone", "postcode",
                                             "address", "town", "dob") or c.startswith("extra_")]
        predict.append(block_on(*shared[:2]))

    strong = [c for c in ("dob", "email", "phone", "postcode", "address") if has(c)]
    strict = [block_on(*names, detail) for detail in strong] if names else []
    if not strict:
        details = [c for c in columns if not c.startswith(("block_", "surname_as", "name_key", "dob_date"))]
        strict = [block_on(*details[:3])]

    # Pairs that share a date of birth are mostly one person, seldom a household: train on
    # them first, so that a family sharing an email and a landline does not teach the model
    # that a different date of birth is normal for one person.
    training = [["dob"]] if has("dob") else []
    if both_names:
        training.append(["first_name", "surname"])
    training += [[c] for c in ("email", "phone", "postcode", "address") if has(c)]
    training += [names] if names and not both_names else []
    training += [[c] for c in columns if c.startswith("extra_")]
    return predict, strict, training


def _blocking_frame(prepared: pd.DataFrame) -> pd.DataFrame:
    """Add the columns the model needs besides the tidied details.

    ``name_key`` (first and last name together) carries the term frequencies of
    whole names; ``block_*`` copies of single strong details leave out values
    shared by very many records (placeholders), which would otherwise make
    millions of pairs.
    """
    table = prepared.copy()
    if "first_name" in table and "surname" in table:
        both = table["first_name"].notna() & table["surname"].notna()
        joined = table["first_name"].astype(object) + " " + table["surname"].astype(object)
        table["name_key"] = joined.where(both, None)
    if "dob" in table:
        # the text form for "the same" and one-slip levels; a real date type for "within a
        # year" (parsing text dates inside every comparison is slow)
        table["dob_date"] = pd.to_datetime(table["dob"], format="%Y-%m-%d")
    singles = [c for c in table.columns if c in ("email", "postcode") or c.startswith("extra_")]
    for column in singles:
        counts = table[column].map(table[column].value_counts())
        table[f"block_{column}"] = table[column].where(counts <= BLOCKING_VALUE_LIMIT, None)
    return table


def _duckdb_api():
    import duckdb
    from splink.backends.duckdb import DuckDBAPI

    # Nothing may be fetched at run time: DuckDB must not install or load extensions.
    connection = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    connection.execute("SET enable_progress_bar = false")  # no bars in the notebook's output
    return DuckDBAPI(connection)


def spark_session():
    """A local Apache Spark session (2 cores, no web UI) set up for splink.

    Returns:
        A ``pyspark.sql.SparkSession``.

    Raises:
        InputProblem: pyspark or Java is not installed.

    Example:
        ``link_contacts(frame, columns, backend="spark", spark=spark_session())`` links on
        local Spark (a few seconds to start, so not run here; ``tests/test_linkage.py`` does).
    """
    from splink.backends.spark import similarity_jar_location

    return local_spark("data-surgery-kit-dedupe", "local[2]", "backend='duckdb' (the default)", **{
        "spark.sql.shuffle.partitions": "8",
        "spark.default.parallelism": "8",
        "spark.jars": similarity_jar_location(),
        "spark.driver.memory": "4g",
    })


def _ready_for_splink(session):
    """Splink's clustering on Spark checkpoints its tables: give it a folder for that."""
    import tempfile

    if session.sparkContext.getCheckpointDir() is None:
        session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="surgery-spark-"))
    return session


@dataclass
class LinkageResult:
    """Everything the playbook reports and writes after linking.

    Attributes:
        clusters: One row per input record (the frame's index): ``id``,
            ``cluster_id`` (1, 2, ... in order of first appearance) and ``cluster_size``.
        pairs: Compared pairs with a match probability of at least
            ``NEAR_MISS_FLOOR``: ``row_l``, ``row_r`` (input row numbers), ``id_l``,
            ``id_r``, ``match_probability``, ``match_weight`` and one ``mw_*``
            column per comparison (how much that detail moved the pair's match
            weight, in bits: positive for agreeing, negative for differing).
        parameters: One row per comparison level: ``comparison`` (plain words),
            ``level``, ``m``, ``u``, ``match_weight`` (log2 of m/u).
        prior: The estimated probability that two random records are one person.
        threshold: The match probability at or above which a pair is a match.
        probability_counts: Compared pairs counted by match probability band
            (``band_start``, ``band_end``, ``pairs``), 20 bands of 5 points.
        compared_pairs: How many pairs were compared in all.
        columns: The columns used.
        prepared: The tidied values compared (index as the input frame).
        blocking_rules: The rules that chose pairs to compare, as SQL.
        backend: ``"duckdb"`` or ``"spark"``.
        timings: Seconds spent in each step (tidying, training, scoring...).
        families: Records of groups split because two dates of birth in them
            could not be one person's (:func:`helpers.contacts.families.keep_people_apart`): ``row`` (input row number) and
            ``family`` (1, 2, ...): possible family members, for the review.
        clerical: Records that link to two people of a split group and could be either
            (a blank date of birth linking a parent and a child): ``row`` and the
            ``family`` they sit in. Each is kept in a group of its own for a person to decide.
        exact_copies: Rows that repeat an earlier row in every column, each with the row it
            copies (index: the copy's row; value: the original's row).

    Example:
        Three records of one person and two of another make two clusters, five
        records in clusters and three surplus records (see :func:`link_contacts`).
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    parameters: pd.DataFrame
    prior: float
    threshold: float
    probability_counts: pd.DataFrame
    compared_pairs: int
    columns: ContactColumns
    prepared: pd.DataFrame
    blocking_rules: list[str]
    backend: str = "duckdb"
    timings: dict[str, float] = field(default_factory=dict)
    families: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"row": [], "family": []}))
    clerical: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"row": [], "family": []}))
    exact_copies: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))

    @property
    def compared(self) -> dict[str, list[str]]:
        """The details the trained model compared, each with the charity's columns behind it."""
        return compared_details(self.parameters, self.columns)

    @property
    def duplicate_clusters(self) -> int:
        """Clusters of two or more records."""
        sizes = self.clusters.drop_duplicates("cluster_id")["cluster_size"]
        return int((sizes >= 2).sum())

    @property
    def records_in_clusters(self) -> int:
        """Records that belong to a cluster of two or more."""
        return int((self.clusters["cluster_size"] >= 2).sum())

    @property
    def surplus_records(self) -> int:
        """Records that would go if every cluster became one record."""
        return self.records_in_clusters - self.duplicate_clusters


def check_threshold(match_threshold: float | str | None) -> float:
    """Read the ``match_threshold`` parameter: a probability between 0 and 1.

    Example:
        >>> check_threshold(None), check_threshold("0.8"), check_threshold(95)
        (0.9, 0.8, 0.95)
    """
    if match_threshold is None or str(match_threshold).strip() == "":
        return DEFAULT_THRESHOLD
    text = str(match_threshold).strip()
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        value = math.nan
    # "95" or "95%" means 0.95; a number like 1.5 is a mistake, not 1.5%.
    if 1 < value <= 100 and (text.endswith("%") or value >= 10):
        value = value / 100
    if not 0 < value < 1:
        raise InputProblem(
            f"match_threshold should be a probability between 0 and 1 (such as 0.9), not "
            f"'{match_threshold}'."
        )
    return value


def link_contacts(
    frame: pd.DataFrame,
    columns: ContactColumns,
    match_threshold: float | str | None = DEFAULT_THRESHOLD,
    backend: str = "duckdb",
    seed: int = SEED,
    spark=None,
) -> LinkageResult:
    """Link the records of a contact list that belong to the same person.

    Args:
        frame: The contact list; its index is the row number shown in messages.
        columns: From :func:`find_contact_columns`.
        match_threshold: Match probability at or above which two records are
            taken as one person (default 0.9).
        backend: ``"duckdb"`` (in this process) or ``"spark"`` (local Apache Spark).
        seed: Seed for the random sample of pairs, so a rerun gives the same answer.
        spark: An existing SparkSession to use with ``backend="spark"``.

    Returns:
        A :class:`LinkageResult`.

    Raises:
        InputProblem: Bad ids, an unknown backend, too few rows, or details
            that are all unreadable.

    Example:
        >>> from helpers.contacts.columns import find_contact_columns
        >>> from helpers.synthetic.contacts import make_small_list
        >>> table, person = make_small_list(200, seed=5)
        >>> result = link_contacts(table, find_contact_columns(table, {}))
        >>> result.duplicate_clusters > 0, result.surplus_records == result.records_in_clusters - result.duplicate_clusters
        (True, True)
    """
    threshold = check_threshold(match_threshold)
    backend = str(backend or "duckdb").strip().lower()
    if backend not in ("duckdb", "spark"):
        raise InputProblem(f"backend should be 'duckdb' or 'spark', not '{backend}'.")
    if len(frame) < 2:
        raise InputProblem(f"The list has {len(frame)} record(s); finding duplicates needs at least two.")
    ids = record_ids(frame, columns.id_column)
    # A copy: the caller's columns keep their own notes, however often this runs.
    columns = replace(columns, roles=dict(columns.roles), extra_columns=list(columns.extra_columns),
                      notes=list(columns.notes), left_out=[])

    clock = _Stopwatch()
    prepared = tidy_for_linking(frame, columns)
    clock.lap("tidying")
    # Exact copies of a row join its group without being compared: splink needs two
    # different records to learn anything, and a row pasted twice is a duplicate by definition.
    copies = exact_copy_of(frame, columns.id_column)
    distinct_rows = frame.index.difference(copies.index, sort=False)
    model_input = model_table(prepared.loc[distinct_rows])

    if len(model_input) >= 2:
        splink_logger = logging.getLogger("splink")
        previous_level = splink_logger.level
        splink_logger.setLevel(logging.ERROR)  # splink's progress chatter is not for the report
        try:
            outcome = _run_splink(model_input, threshold, backend, seed, spark, clock)
        finally:
            splink_logger.setLevel(previous_level)
    else:
        outcome = _nothing_to_compare(model_input)
    predictions, cluster_ids, parameters, prior, counts, compared_pairs, rules = outcome

    typed = first_names_as_typed(frame, columns.roles).loc[distinct_rows].to_numpy()
    # each compared record with its exact copies: a first name on two identical rows was typed twice
    rows_each = 1 + copies.value_counts().reindex(distinct_rows, fill_value=0).to_numpy()
    cluster_ids, families, clerical = keep_people_apart(cluster_ids, predictions, threshold, model_input, typed,
                                                        rows_each)
    distinct_positions = frame.index.get_indexer(distinct_rows)
    cluster_ids = _with_copies(cluster_ids, distinct_positions, frame.index.get_indexer(copies.index),
                               frame.index.get_indexer(copies.to_numpy()))
    clusters = _number_clusters(cluster_ids, ids)
    rows = frame.index.to_numpy()
    distinct_index = rows[distinct_positions]
    families = _add_copies(families.assign(row=distinct_index[families["row"].to_numpy()]), copies)
    clerical = _add_copies(clerical.assign(row=distinct_index[clerical["row"].to_numpy()]), copies)
    # extra columns by their own names in the report, not "extra_1"
    extra_names = {f"extra_{n}": str(column) for n, column in enumerate(columns.extra_columns, start=1)}
    parameters["comparison"] = parameters["comparison"].replace(extra_names)
    columns.left_out += _not_in_model(columns, parameters, prepared)
    pairs = predictions.rename(columns={"unique_id_l": "row_l", "unique_id_r": "row_r",
                                        **{f"mw_{k}": f"mw_{v}" for k, v in extra_names.items()}})
    pairs["row_l"] = distinct_index[pairs["row_l"].to_numpy()]
    pairs["row_r"] = distinct_index[pairs["row_r"].to_numpy()]
    pairs["exact_copy"] = False
    if len(copies):
        copy_pairs = pd.DataFrame({"row_l": copies.to_numpy(), "row_r": copies.index.to_numpy(),
                                   "match_probability": 1.0, "exact_copy": True})
        pairs = pd.concat([pairs, copy_pairs], ignore_index=True) if len(pairs) else copy_pairs
    position = pd.Series(np.arange(len(rows)), index=rows)
    pairs["id_l"] = ids.to_numpy()[position.loc[pairs["row_l"]].to_numpy()]
    pairs["id_r"] = ids.to_numpy()[position.loc[pairs["row_r"]].to_numpy()]
    pairs = pairs.sort_values("match_probability", ascending=False, kind="stable").reset_index(drop=True)
    return LinkageResult(
        clusters=clusters,
        pairs=pairs,
        parameters=parameters,
        prior=prior,
        threshold=threshold,
        probability_counts=counts,
        compared_pairs=compared_pairs,
        columns=columns,
        prepared=prepared,
        blocking_rules=rules,
        backend=backend,
        timings=clock.laps,
        families=families,
        clerical=clerical,
        exact_copies=copies,
    )


def tidy_for_linking(frame: pd.DataFrame, columns: ContactColumns) -> pd.DataFrame:
    """The tidied details the model compares, without details that have no readable value.

    Each detail left out is named in ``columns.notes`` and ``columns.left_out`` (``columns``
    is changed). Shared by deduplication and by linking a new list against an existing one.

    Raises:
        InputProblem: Fewer than two kinds of detail have values to compare.

    Example:
        >>> table = pd.DataFrame({"Name": ["Jo Lee", "Al Roe"], "Email": ["jo@example.org", "n/a"],
        ...                       "DOB": ["not known", None]})
        >>> found = ContactColumns({"full_name": "Name", "email": "Email", "date_of_birth": "DOB"})
        >>> list(tidy_for_linking(table, found).columns), found.left_out
        (['first_name', 'surname', 'surname_as_first', 'email'], ["date of birth column 'DOB'"])
    """
    prepared = prepare_contacts(frame, columns.roles, columns.extra_columns)
    empty = [c for c in prepared.columns if prepared[c].isna().all() and c != "surname_as_first"]
    for column in empty:
        columns.notes.append(f"No value in the {_tidied_column_words(column, columns)} could be read, "
                             "so it was not compared.")
    columns.left_out = [*columns.left_out, *(_tidied_column_words(column, columns) for column in empty)]
    prepared = prepared.drop(columns=empty)
    compared = [c for c in prepared.columns if c != "surname_as_first"]
    if len(compared) < 2:
        raise InputProblem(
            "After tidying, fewer than two kinds of detail have values to compare "
            f"({', '.join(compared) or 'none'}). {' '.join(columns.notes)}"
        )
    return prepared


def model_table(prepared: pd.DataFrame) -> pd.DataFrame:
    """The table splink reads: tidied details, blocking helpers and ``unique_id`` (0, 1, ...)."""
    model_input = _blocking_frame(prepared)
    model_input.insert(0, "unique_id", np.arange(len(model_input), dtype=np.int64))
    return model_input.reset_index(drop=True)


def _nothing_to_compare(model_input: pd.DataFrame):
    """The outcome of linking when fewer than two different records are left (all exact copies)."""
    predictions = pd.DataFrame({"unique_id_l": pd.Series(dtype=np.int64), "unique_id_r": pd.Series(dtype=np.int64),
                                "match_probability": pd.Series(dtype=float), "match_weight": pd.Series(dtype=float)})
    cluster_ids = pd.DataFrame({"unique_id": model_input["unique_id"], "cluster_id": model_input["unique_id"]})
    parameters = pd.DataFrame(columns=["comparison", "detail", "level", "gamma", "m", "u", "match_weight", "learned"])
    counts = _probability_bands(pd.DataFrame({"band": pd.Series(dtype=int), "pairs": pd.Series(dtype=int)}))
    return predictions, cluster_ids, parameters, float("nan"), counts, 0, []


def _with_copies(cluster_ids: pd.DataFrame, distinct_positions, copy_positions, original_positions) -> pd.DataFrame:
    """Clusters over every row: the compared rows' clusters, each exact copy in its original's."""
    by_position = pd.Series(cluster_ids["cluster_id"].to_numpy(),
                            index=distinct_positions[cluster_ids["unique_id"].to_numpy()])
    copied = pd.Series(by_position.loc[original_positions].to_numpy(), index=copy_positions)
    everything = pd.concat([by_position, copied]).sort_index()
    return pd.DataFrame({"unique_id": everything.index.to_numpy(), "cluster_id": everything.to_numpy()})


def _add_copies(listing: pd.DataFrame, copies: pd.Series) -> pd.DataFrame:
    """A ``row``/``family`` listing with each listed row's exact copies listed beside it."""
    if listing.empty or copies.empty:
        return listing
    family_of = dict(zip(listing["row"], listing["family"]))
    extra = [(copy, family_of[original]) for copy, original in copies.items() if original in family_of]
    if not extra:
        return listing
    added = pd.DataFrame(extra, columns=["row", "family"]).astype(listing.dtypes.to_dict())
    return pd.concat([listing, added], ignore_index=True).sort_values(["family", "row"], kind="stable") \
        .reset_index(drop=True)


def source_columns(detail: str, columns: ContactColumns) -> list[str]:
    """The charity's columns behind one of the model's details (``"name"`` -> ["Forename", "Surname"]).

    Example:
        >>> found = ContactColumns({"full_name": "Name", "postcode": "PC", "town": "Town"})
        >>> source_columns("name", found), source_columns("location", found)
        (['Name'], ['PC', 'Town'])
    """
    roles = columns.roles
    first = roles.get("first_name") or roles.get("full_name")
    last = roles.get("last_name") or roles.get("full_name")
    by_detail = {
        "name": [first, last], "first_name": [first], "surname": [last],
        "email": [roles.get("email")], "phone": [roles.get("phone")],
        "location": [roles.get("postcode"), roles.get("address"), roles.get("town")],
        "dob": [roles.get("date_of_birth")],
    }
    by_detail.update({str(column): [column] for column in columns.extra_columns})
    found = [c for c in by_detail.get(detail, []) if c]
    return list(dict.fromkeys(found))


def compared_details(parameters: pd.DataFrame, columns: ContactColumns) -> dict[str, list[str]]:
    """The details the trained model compares, in words, each with the charity's columns behind it.

    Only a detail with learned or ruled weights counts: this is what the report's "what was
    compared" list, its evidence sentences and ``summary.json`` all come from.

    Example:
        >>> params = pd.DataFrame({"comparison": ["Email", "Phone"], "detail": ["email", "phone"],
        ...                        "match_weight": [8.0, float("nan")]})
        >>> compared_details(params, ContactColumns({"email": "E-mail", "phone": "Tel"}))
        {'Email': ['E-mail']}
    """
    if parameters.empty:
        return {}
    weighted = parameters.dropna(subset=["match_weight"])
    details = {}
    for detail, words in zip(weighted["detail"], weighted["comparison"]):
        details.setdefault(words, source_columns(str(detail), columns) or [str(words)])
    return details


def _not_in_model(columns: ContactColumns, parameters: pd.DataFrame, prepared: pd.DataFrame) -> list[str]:
    """Columns found for a role that no detail of the trained model compares (and not already noted)."""
    used = {c for sources in compared_details(parameters, columns).values() for c in sources}
    noted = " ".join(columns.left_out)
    missing = []
    for role, column in columns.roles.items():
        if column in used or f"'{column}'" in noted:
            continue
        if role == "full_name" and {"first_name", "last_name"} <= set(columns.roles):
            continue
        missing.append(f"{ROLE_WORDS.get(role, role)} column '{column}'")
    for column in columns.extra_columns:
        if column not in used and f"'{column}'" not in noted:
            missing.append(f"column '{column}'")
    if missing and not parameters.empty:
        columns.notes.append(f"The model could not learn from the {', '.join(missing)}, so "
                             f"{'it was' if len(missing) == 1 else 'they were'} not compared.")
    return missing if not parameters.empty else []


class _Stopwatch:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _run_splink(model_input: pd.DataFrame | list[pd.DataFrame], threshold: float, backend: str, seed: int, spark, clock,
                link_type: str = "dedupe_only"):
    """Train the model and score pairs, through splink's public API only.

    ``link_type`` is splink's: ``"dedupe_only"`` here; matching a new list against an existing
    one (:mod:`helpers.contacts.linking`) passes ``"link_only"`` and ``model_input`` as a list of
    two tables (existing, new; ``unique_id`` numbered across both) with the same comparisons,
    rules and training.

    The model travels as splink's own settings dictionary (``linker.misc.save_model_to_json``):
    the fixed rules for m below edit that dictionary and a new ``Linker`` is made from it, so
    nothing here reaches into splink's internal objects.
    """
    from splink import Linker, SettingsCreator

    inputs = model_input if isinstance(model_input, list) else [model_input]
    columns = [c for c in inputs[0].columns if c != "unique_id"]
    comparisons = _comparisons(columns)
    reads = comparison_inputs(columns)
    predict_rules, strict_rules, training = _rules(columns)
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=predict_rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # keeps each detail's weight per pair
        max_iterations=25,
    )
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        db_api = SparkAPI(spark_session=_ready_for_splink(spark or spark_session()))
    else:
        db_api = _duckdb_api()
    names = ("contacts",) if len(inputs) == 1 else ("existing", "new")
    tables = [db_api.register(part, dataset_display_name=name) for part, name in zip(inputs, names)]
    table = tables[0] if len(tables) == 1 else tables
    linker = Linker(table, settings, log_level=None)
    clock.lap("starting the database")

    n = sum(len(part) for part in inputs)
    # pairs within one list (deduplication) or across two (linking)
    all_pairs = n * (n - 1) / 2 if len(inputs) == 1 else len(inputs[0]) * len(inputs[1])
    estimated = True
    try:
        linker.training.estimate_probability_two_random_records_match(strict_rules, recall=STRICT_RULES_RECALL)
    except ValueError as error:
        estimated = False
        # On a tiny list the strict rules can find more matches than the guessed recall
        # allows ("recall must be at least 1.00"); the fallback below then sets the prior.
        logger.info("prior from strict rules skipped: %s", error)
    model = linker.misc.save_model_to_json()
    prior = model.get("probability_two_random_records_match")
    if not estimated or not prior or prior <= 0:
        # the strict rules found nobody (or too many): assume about one record in twenty is a repeat
        prior = min(0.5, (0.05 * n) / all_pairs)
        model["probability_two_random_records_match"] = prior
        linker = Linker(table, model, log_level=None)
    clock.lap("prior")
    # enough random pairs to see rare agreements (a shared surname) a hundred times or more
    u_pairs = min(U_SAMPLE_PAIRS, max(3e5, 10.0 * n))
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    clock.lap("u sampling")
    linker = _train_m(linker, table, reads, training, n)
    model = linker.misc.save_model_to_json()
    _floor_m(model)
    set_by_rule = _default_m(model)
    _date_of_birth_rule(model)
    linker = Linker(table, model, log_level=None)
    clock.lap("m training")

    predictions = linker.inference.predict(warning_mode="never")
    if link_type == "dedupe_only" and n >= 2:
        fitted = _prior_from_scored_pairs(predictions, model["probability_two_random_records_match"], all_pairs)
        if fitted is not None:
            model["probability_two_random_records_match"] = fitted
            linker = Linker(table, model, log_level=None)
            predictions = linker.inference.predict(warning_mode="never")
        clock.lap("prior from scored pairs")
    counts = predictions.query_sql(
        "select floor(match_probability * 20) as band, count(*) as pairs from {this} group by 1"
    ).as_pandas_dataframe()
    counts = _probability_bands(counts)
    clock.lap("scoring pairs")
    floor = min(threshold, NEAR_MISS_FLOOR)
    # Only the weight columns splink really made: it may drop or rename a comparison it
    # could not use, and asking for a missing column stops the run.
    made = set(predictions.query_sql("select * from {this} limit 0").as_pandas_dataframe().columns)
    weights = [w for w in (f"mw_{name}" for name in reads) if w in made]
    kept = predictions.query_sql(
        f"select unique_id_l, unique_id_r, match_probability, match_weight{''.join(', ' + w for w in weights)} "
        f"from {{this}} where match_probability >= {floor!r}"
    ).as_pandas_dataframe()
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    cluster_ids = clustered.query_sql("select unique_id, cluster_id from {this}").as_pandas_dataframe()
    clock.lap("clustering")
    parameters = _parameter_table(model)
    parameters["learned"] = ~parameters["detail"].isin(set_by_rule)
    rules = [rule["blocking_rule"] for rule in model["blocking_rules_to_generate_predictions"]]
    return kept, cluster_ids, parameters, float(model["probability_two_random_records_match"]), counts, \
        int(counts["pairs"].sum()), rules


#: Match-weight bins (bits) for re-estimating the prior from the scored pairs.
_PRIOR_BIN_BITS = 0.05


def _prior_from_scored_pairs(predictions, prior: float, all_pairs: float) -> float | None:
    """The prior that the trained model itself finds: expectation maximisation of the share of matches.

    The strict rules' prior rests on a guess at how many duplicates they find
    (:data:`STRICT_RULES_RECALL`); on a list whose names are badly typed they find far fewer,
    the prior comes out several times too small and true duplicates fall below the threshold.
    With m and u trained, each compared pair's Bayes factor is known, and the share of matches
    that best explains all pairs is found by expectation maximisation on that one number:
    the next share is the mean match probability over every pair (pairs never compared count
    as non-matches): :func:`fit_prior`.

    Returns:
        The fitted prior, or None when nothing was compared.

    Example:
        Ten scored pairs out of 4,950, eight with a Bayes factor of 2**20 and two of 2**-5,
        settle at a prior of about 8 / 4,950 (see ``tests/test_contacts_quality.py``).
    """
    start_bits = math.log2(prior / (1 - prior))
    binned = predictions.query_sql(
        f"select round((match_weight - {start_bits!r}) / {_PRIOR_BIN_BITS!r}) as bin, count(*) as pairs "
        "from {this} group by 1"
    ).as_pandas_dataframe()
    if binned.empty:
        return None
    return fit_prior(binned["bin"].to_numpy(dtype=float) * _PRIOR_BIN_BITS,
                     binned["pairs"].to_numpy(dtype=float), all_pairs)


def fit_prior(bayes_bits: np.ndarray, counts: np.ndarray, all_pairs: float) -> float:
    """The most likely share of matching pairs, every pair's Bayes factor fixed.

    The share at which the mean match probability over all pairs equals the share itself:
    the fixed point expectation maximisation would reach, found by root finding because EM
    crawls towards it when the evidence is weak. Pairs never compared count as non-matches.
    The log-likelihood is concave in the share, so there is one answer (kept within 1e-12 and 0.5).

    Args:
        bayes_bits: log2 Bayes factor of each group of compared pairs.
        counts: How many compared pairs have that Bayes factor.
        all_pairs: Every pair in the list (compared or not).

    Example:
        >>> round(fit_prior(np.array([20.0, -5.0]), np.array([8.0, 2.0]), 4950) * 4950, 2)
        8.0
    """
    from scipy.optimize import brentq

    factor_less_one = np.expm1(np.clip(np.asarray(bayes_bits, dtype=float), -200, 200) * math.log(2))
    counts = np.asarray(counts, dtype=float)
    never_compared = max(all_pairs - counts.sum(), 0.0)

    def slope(log_share: float) -> float:  # d log-likelihood / d share
        share = math.exp(log_share)
        return float((counts * factor_less_one / (1 + share * factor_less_one)).sum()) \
            - never_compared / (1 - share)

    low, high = math.log(1e-12), math.log(0.5)
    if slope(low) <= 0:
        return 1e-12
    if slope(high) >= 0:
        return 0.5
    return math.exp(brentq(slope, low, high, xtol=1e-12, rtol=1e-10))


def _train_m(linker, table, reads: dict[str, list[str]], training: list[list[str]], n_rows: int):
    """Expectation maximisation until every comparison's m values have been trained.

    Each session blocks on some details and so cannot learn about those; the
    sessions go on with other details until every comparison has had one. A session
    that fails (too few pairs, or pairs that all agree) is undone: the model is made
    again from its state before the session, because a failed session can leave a
    comparison out of the model (on a family list, the whole name comparison went).

    Returns:
        The linker holding the trained model (a new one when a session was undone).
    """
    from splink import Linker, block_on

    untrained = {name: set(inputs) for name, inputs in reads.items()}
    for rule_columns in training:
        learnable = [name for name, inputs in untrained.items() if not inputs & _related(rule_columns)]
        if not learnable:
            continue
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule_columns),
                estimate_without_term_frequencies=True,
                max_pairs=EM_SAMPLE_PAIRS if n_rows > 20_000 else None,
            )
        except Exception as error:  # noqa: BLE001 - splink's own exception classes are not public
            # A rule that finds too few pairs, or whose pairs all agree, cannot teach
            # anything; the next rule will.
            logger.info("EM session on %s skipped: %s", rule_columns, error)
            linker = Linker(table, before, log_level=None)
            continue
        for name in learnable:
            untrained.pop(name, None)
        if not untrained:
            break
    return linker


#: At most how often one person's two records carry dates of birth more than a year apart
#: that are not one slip of the keyboard (FEBRL's test data, made to be hard, has 7%). A fixed
#: rule rather than a trained value: in a list with families, expectation maximisation learns
#: parent-and-child pairs as matches and so learns that a different date of birth is normal.
DOB_DIFFER_M = 0.05


def _levels(comparison: dict) -> list[dict]:
    """A comparison's levels in splink's settings dictionary, the null level left out."""
    return [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]


def _date_of_birth_rule(model: dict) -> None:
    """Fix how much a clearly different date of birth counts against a match.

    Only ever makes the evidence stronger than training found it (a lower m).
    """
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "dob":
            continue
        last = _levels(comparison)[-1]
        m = last.get("m_probability")
        if not isinstance(m, float) or m > DOB_DIFFER_M:
            last["m_probability"] = DOB_DIFFER_M


def _default_m(model: dict) -> list[str]:
    """Fill in what training could not learn, so that no level silently outweighs the rest.

    A comparison that no training session could reach gets a plain rule for m: the top
    level ("the same") gets most of the weight, each lower level half the one above, and
    "different" 5%. A single level never seen in training (names swapped, in a list where
    nobody swapped them) gets splink's own default for a level below the top: 5% shared
    equally among the levels below the top. A level never seen among the random pairs says
    nothing either way: its u is set equal to its m. Returns the comparisons whose m was set
    by the plain rule (the report says they were not learned).

    Example:
        >>> model = {"comparisons": [{"output_column_name": "email", "comparison_levels": [
        ...     {"is_null_level": True}, {"u_probability": 0.01}, {"u_probability": 0.99}]}]}
        >>> _default_m(model), [round(lv["m_probability"], 2) for lv in model["comparisons"][0]["comparison_levels"][1:]]
        (['email'], [0.95, 0.05])
    """
    set_by_rule = []
    for comparison in model["comparisons"]:
        levels = _levels(comparison)
        if not any(isinstance(level.get("m_probability"), float) for level in levels):
            shares = np.array([0.5 ** i for i in range(len(levels) - 1)])
            values = [*(0.95 * shares / shares.sum()), 0.05]
            for level, value in zip(levels, values):
                level["m_probability"] = float(value)
            set_by_rule.append(comparison["output_column_name"])
        below_top = 0.05 / max(1, len(levels) - 1)
        for level in levels:
            if not isinstance(level.get("m_probability"), float):
                level["m_probability"] = below_top
            if not isinstance(level.get("u_probability"), float):
                level["u_probability"] = level["m_probability"]
    return set_by_rule


def _tidied_column_words(tidied: str, columns: ContactColumns) -> str:
    """A tidied column in the charity's words: "date of birth column 'DOB'"."""
    from helpers.contacts.tidy import LINKAGE_COLUMNS

    for role, column in columns.roles.items():
        if LINKAGE_COLUMNS.get(role) == tidied:
            return f"{ROLE_WORDS.get(role, role)} column '{column}'"
    for number, column in enumerate(columns.extra_columns, start=1):
        if tidied == f"extra_{number}":
            return f"column '{column}'"
    return f"{tidied.replace('_', ' ')} column"


def _floor_m(model: dict) -> None:
    """Keep every m probability at or above :data:`M_FLOOR`.

    Expectation maximisation can learn that the same person "never" has two
    different dates of birth in a file (m near 0), which would make one typo
    veto a match however much else agrees. Real files have such typos.
    """
    for comparison in model["comparisons"]:
        for level in _levels(comparison):
            m = level.get("m_probability")
            if isinstance(m, float) and m < M_FLOOR:
                level["m_probability"] = M_FLOOR


def _related(rule_columns: list[str]) -> set[str]:
    """The tidied columns a blocking rule fixes (a name rule fixes the name key too)."""
    related = set(rule_columns)
    if {"first_name", "surname"} & related:
        related |= {"name_key", "surname_as_first", "first_name", "surname"}
    return related


def _probability_bands(counts: pd.DataFrame) -> pd.DataFrame:
    bands = pd.DataFrame({"band": np.arange(20)})
    counts = counts.assign(band=counts["band"].clip(upper=19).astype(int)).groupby("band", as_index=False)["pairs"].sum()
    table = bands.merge(counts, on="band", how="left").fillna({"pairs": 0})
    return pd.DataFrame({
        "band_start": table["band"] / 20,
        "band_end": (table["band"] + 1) / 20,
        "pairs": table["pairs"].astype(int),
    })


def _parameter_table(model: dict) -> pd.DataFrame:
    """One row per comparison level of the trained model (splink's settings dictionary)."""
    records = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = _levels(comparison)
        for position, level in enumerate(levels):
            m, u = level.get("m_probability"), level.get("u_probability")
            usable = isinstance(m, float) and isinstance(u, float) and m > 0 and u > 0
            label = level.get("label_for_charts", "")
            records.append({
                "comparison": _comparison_words(name),
                "detail": name,
                "level": _LEVEL_WORDS.get(label, label),
                "gamma": len(levels) - 1 - position,
                "m": m if usable else np.nan,
                "u": u if usable else np.nan,
                "match_weight": math.log2(m / u) if usable else np.nan,
            })
    return pd.DataFrame(records)


# splink's own level names, in plain words for the report
_LEVEL_WORDS = {
    "All other comparisons": "Different",
    "Exact match on date of birth": "The same",
    "Levenshtein distance <= 1": "One digit different",
    "Abs date difference <= 1 month": "Within a month",
    "Abs date difference <= 1 year": "Within a year",
    "Abs date difference <= 10 year": "Within ten years",
    "Both names nearly the same (0.92)": "Both names nearly the same",
    "Both names nearly the same (0.85)": "Both names alike",
}


def _comparison_words(name: str) -> str:
    """A comparison in words: the model's own names in plain words, a column's name as it is."""
    if name in ("first_name", "surname"):
        return name.replace("_", " ").capitalize()
    return COMPARISON_WORDS.get(name, name)


def _number_clusters(cluster_ids: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """Clusters numbered 1, 2, ... by their first row; every record gets a size."""
    order = cluster_ids.sort_values("unique_id")
    if len(order) != len(ids) or not (order["unique_id"].to_numpy() == np.arange(len(ids))).all():
        raise RuntimeError("clustering did not return every record exactly once")
    codes, _ = pd.factorize(order["cluster_id"].to_numpy())
    sizes = np.bincount(codes)
    return pd.DataFrame(
        {"id": ids.to_numpy(), "cluster_id": codes + 1, "cluster_size": sizes[codes]},
        index=ids.index,
    )


# --------------------------------------------------------------------------- accuracy


def pairwise_precision_recall(predicted: Sequence, truth: Sequence) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the true groups.

    Every pair of records put in one cluster is a predicted match; every pair
    of records of one true person is a true match. Precision is the share of
    predicted matches that are true; recall the share of true matches found.

    Args:
        predicted: Cluster label per record.
        truth: True person label per record, in the same order.

    Returns:
        ``(precision, recall)``; 1.0 where there is nothing to find or claim.

    Example:
        >>> pairwise_precision_recall([1, 1, 1, 2], ["a", "a", "b", "b"])
        (0.3333333333333333, 0.5)
    """
    table = pd.DataFrame({"p": pd.factorize(pd.Series(list(predicted)))[0],
                          "t": pd.factorize(pd.Series(list(truth)))[0]})

    def pair_count(sizes: pd.Series) -> int:
        sizes = sizes.to_numpy(dtype=np.int64)
        return int((sizes * (sizes - 1) // 2).sum())

    claimed = pair_count(table.groupby("p").size())
    real = pair_count(table.groupby("t").size())
    right = pair_count(table.groupby(["p", "t"]).size())
    return (right / claimed if claimed else 1.0, right / real if real else 1.0)
