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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.contacts.tidy import prepare_contacts
from helpers.errors import InputProblem
from helpers.reading.roles import check_columns_exist, resolve_roles, split_column_list

#: Role parameters of the playbook, in the order the report lists them.
ROLE_PARAMETERS = (
    "id_column", "first_name_column", "last_name_column", "full_name_column", "email_column",
    "phone_column", "postcode_column", "address_column", "town_column", "date_of_birth_column",
)
#: Plain words for each role, for messages and the report.
ROLE_WORDS = {
    "first_name": "first name", "last_name": "last name", "full_name": "full name",
    "email": "email", "phone": "phone", "postcode": "postcode", "address": "address",
    "town": "town", "date_of_birth": "date of birth",
}
#: Plain words for each comparison the model can make.
COMPARISON_WORDS = {
    "name": "Name", "email": "Email", "phone": "Phone", "location": "Where they live",
    "dob": "Date of birth",
}
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


@dataclass
class ContactColumns:
    """Which column of the contact list plays which role.

    Attributes:
        roles: Role (``"first_name"``, ``"email"``...) -> column name, for the
            roles in use.
        id_column: The id column, or ``None`` when row numbers are the ids.
        extra_columns: Other columns compared exactly (such as a membership number).
        notes: Plain-English lines about what was found or set aside.

    Example:
        >>> ContactColumns({"email": "E-mail", "phone": "Tel"}, "ID").describe()
        "email ('E-mail'), phone ('Tel')"
    """

    roles: dict[str, str]
    id_column: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The roles in words: "first name ('Forename'), email ('E-mail')"."""
        parts = [f"{ROLE_WORDS[role]} ('{column}')" for role, column in self.roles.items()]
        parts += [f"'{column}'" for column in self.extra_columns]
        return ", ".join(parts) if parts else "none"


def find_contact_columns(
    frame: pd.DataFrame,
    requested: Mapping[str, str | None],
    extra_columns: str | Sequence[str] | None = None,
) -> ContactColumns:
    """Decide which columns to compare, from the parameters and the header.

    Blank role parameters are found from the header (``helpers.reading.roles``). A
    column with nothing in it is set aside with a note. A full-name column is
    used only for whichever of first and last name has no column of its own.

    Args:
        frame: The contact list.
        requested: Role parameters as the playbook received them
            (``{"email_column": "", "id_column": "Contact ID", ...}``).
        extra_columns: Comma-separated (or listed) other columns to compare.

    Returns:
        The columns in use.

    Raises:
        InputProblem: A named column is missing, or fewer than two roles have
            data to compare.

    Example:
        >>> table = pd.DataFrame({"Forename": ["Ann"], "Surname": ["Lee"], "Email": [None]})
        >>> found = find_contact_columns(table, {"first_name_column": "", "last_name_column": ""})
        >>> found.roles
        {'first_name': 'Forename', 'last_name': 'Surname'}
    """
    parameters = {name: requested.get(name) for name in ROLE_PARAMETERS}
    parameters.update({k: v for k, v in requested.items() if k not in parameters})
    resolved = _resolve_without_date_names(frame, parameters)
    if isinstance(extra_columns, str) or extra_columns is None:
        extra_names = split_column_list(extra_columns)
    else:
        extra_names = [str(name) for name in extra_columns]
    extras = check_columns_exist(frame, extra_names, "extra_columns")

    notes: list[str] = []
    roles: dict[str, str] = {}
    for parameter, column in resolved.items():
        role = parameter.removesuffix("_column")
        if column is None or role == "id":
            continue
        if frame[column].isna().all():
            notes.append(f"The {ROLE_WORDS.get(role, role)} column '{column}' is empty, so it was not used.")
            continue
        roles[role] = column
    if "full_name" in roles and "first_name" in roles and "last_name" in roles:
        notes.append(f"First and last names have their own columns, so '{roles.pop('full_name')}' was not used.")
    usable_extras = []
    for column in extras:
        if frame[column].isna().all():
            notes.append(f"The extra column '{column}' is empty, so it was not used.")
        elif column not in roles.values():
            usable_extras.append(column)

    found = ContactColumns(roles, resolved.get("id_column"), usable_extras, notes)
    if len(roles) + len(usable_extras) < 2:
        empty = "".join(f"{note} " for note in notes)
        raise InputProblem(
            "To find duplicate contacts the kit needs at least two kinds of detail to compare "
            f"(such as name and email), but it found only: {found.describe()}. {empty}"
            f"The columns in the file are: {', '.join(repr(str(c)) for c in frame.columns)}. "
            "Name the right columns with the *_column parameters (for example "
            "email_column, phone_column, postcode_column)."
        )
    return found


def _resolve_without_date_names(frame: pd.DataFrame, parameters: dict) -> dict:
    """Resolve roles, passing over date columns that a header made look like names.

    "Last updated" and "First contact" read as last and first name; when such a
    column holds dates and the volunteer did not name it, the next candidate
    (such as "Surname") is taken instead.
    """
    skipped: list[str] = []
    while True:
        visible = frame.drop(columns=skipped)
        resolved = resolve_roles(visible, parameters)
        wrong = [
            column for parameter, column in resolved.items()
            if column is not None and not (parameters.get(parameter) or "").strip()
            and parameter not in ("date_of_birth_column", "id_column")
            and pd.api.types.is_datetime64_any_dtype(frame[column])
        ]
        if not wrong:
            return resolved
        skipped += wrong


def record_ids(frame: pd.DataFrame, id_column: str | None) -> pd.Series:
    """The id of each record: the id column's values, or the row number when there is none.

    Args:
        frame: The contact list (its index is the spreadsheet row number).
        id_column: The id column, or ``None``.

    Returns:
        A Series of ids as text, with the frame's index.

    Raises:
        InputProblem: An id is missing or used by more than one row (the
            message names the ids and their rows).

    Example:
        >>> record_ids(pd.DataFrame({"x": [1, 2]}, index=[2, 3]), None).tolist()
        ['2', '3']
    """
    if id_column is None:
        return pd.Series(frame.index.astype(str), index=frame.index, dtype=object)
    values = frame[id_column]
    if values.isna().any():
        rows = values.index[values.isna()].tolist()
        raise InputProblem(
            f"The id column '{id_column}' is blank in rows {_rows_text(rows)}. Fill in those ids, "
            "or leave id_column blank to use row numbers as ids."
        )
    ids = values.map(_id_text).astype(object)
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        groups = repeated.groupby(repeated, sort=False).groups
        described = [f"'{value}' (rows {_rows_text(list(rows))})" for value, rows in list(groups.items())[:10]]
        more = f" and {len(groups) - 10} more" if len(groups) > 10 else ""
        raise InputProblem(
            f"The id column '{id_column}' should give each record its own id, but "
            f"{len(groups)} ids are used more than once: {', '.join(described)}{more}. "
            "Fix the repeated ids, choose another id_column, or leave id_column blank to "
            "use row numbers as ids."
        )
    return ids


def _id_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # id 1234 read as a number stays "1234"
    return str(value).strip()


def _rows_text(rows: list, limit: int = 8) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


# --------------------------------------------------------------------------- model


def _comparisons(columns: Sequence[str]) -> list:
    """Splink comparisons for the tidied columns present."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    has = set(columns).__contains__
    comparisons = []
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
        comparisons.append(
            cl.CustomComparison(
                [both_null, exact, swapped, *close,
                 cll.ExactMatchLevel("surname").configure(label_for_charts="Same last name only"),
                 cll.ExactMatchLevel("first_name").configure(label_for_charts="Same first name only"),
                 cll.ElseLevel()],
                output_column_name="name",
            )
        )
    else:
        for column in ("first_name", "surname"):
            if has(column):
                comparisons.append(cl.NameComparison(column, jaro_winkler_thresholds=[0.92, 0.85]))
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
                cl.CustomComparison([*levels, cll.ElseLevel()], output_column_name=column)
            )
    location = _location_comparison(columns)
    if location is not None:
        comparisons.append(location)
    if has("dob"):
        comparisons.append(
            cl.DateOfBirthComparison("dob", input_is_string=False)
        )
    for column in columns:
        if column.startswith("extra_"):
            comparisons.append(cl.ExactMatch(column))
    return comparisons


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
        details = [c for c in columns if not c.startswith(("block_", "surname_as", "name_key"))]
        strict = [block_on(*details[:3])]

    training = []
    if both_names:
        training.append(["first_name", "surname"])
    training += [[c] for c in ("email", "dob", "phone", "postcode", "address") if has(c)]
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
        # a real date type: parsing text dates inside every comparison is slow
        table["dob"] = pd.to_datetime(table["dob"], format="%Y-%m-%d")
    singles = [c for c in table.columns if c in ("email", "postcode") or c.startswith("extra_")]
    for column in singles:
        counts = table[column].map(table[column].value_counts())
        table[f"block_{column}"] = table[column].where(counts <= BLOCKING_VALUE_LIMIT, None)
    return table


def _duckdb_api():
    import duckdb
    from splink import DuckDBAPI

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
        >>> session = spark_session()  # doctest: +SKIP
        >>> result = link_contacts(frame, columns, backend="spark", spark=session)  # doctest: +SKIP
    """
    try:
        from pyspark.sql import SparkSession
        from splink.internals.spark.jar_location import similarity_jar_location
    except ImportError as error:
        raise InputProblem(
            "backend='spark' needs the pyspark package (pip install 'data-surgery-kit[spark]') "
            "and Java 17. Use backend='duckdb' (the default) on one machine."
        ) from error
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("data-surgery-kit-dedupe")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.default.parallelism", "8")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "4g")
        .config("spark.ui.showConsoleProgress", "false")
    )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # no Java, or Java too old
        raise InputProblem(f"Apache Spark could not start ({error}). Use backend='duckdb'.") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


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

    Example:
        >>> result = link_contacts(frame, columns)  # doctest: +SKIP
        >>> result.duplicate_clusters, result.records_in_clusters, result.surplus_records  # doctest: +SKIP
        (278, 683, 405)
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
        >>> table = pd.DataFrame({
        ...     "First name": ["Bob", "Robert", "Jane", "Amir", "Priya"],
        ...     "Surname": ["Smith", "Smith", "Doe", "Khan", "Patel"],
        ...     "Phone": ["07700 900123", "+44 7700 900123", "07700 900456", None, "07700 900789"]})
        >>> found = find_contact_columns(table, {})
        >>> result = link_contacts(table, found)  # doctest: +SKIP
    """
    threshold = check_threshold(match_threshold)
    backend = str(backend or "duckdb").strip().lower()
    if backend not in ("duckdb", "spark"):
        raise InputProblem(f"backend should be 'duckdb' or 'spark', not '{backend}'.")
    if len(frame) < 2:
        raise InputProblem(f"The list has {len(frame)} record(s); finding duplicates needs at least two.")
    ids = record_ids(frame, columns.id_column)

    clock = _Stopwatch()
    prepared = prepare_contacts(frame, columns.roles, columns.extra_columns)
    clock.lap("tidying")
    empty = [c for c in prepared.columns if prepared[c].isna().all() and c != "surname_as_first"]
    for column in empty:
        columns.notes.append(
            f"No value in the {column.replace('_', ' ')} column could be read, so it was not compared."
        )
    prepared = prepared.drop(columns=empty)
    compared = [c for c in prepared.columns if c != "surname_as_first"]
    if len(compared) < 2:
        raise InputProblem(
            "After tidying, fewer than two kinds of detail have values to compare "
            f"({', '.join(compared) or 'none'}). {' '.join(columns.notes)}"
        )

    model_input = _blocking_frame(prepared)
    model_input.insert(0, "unique_id", np.arange(len(model_input), dtype=np.int64))
    model_input = model_input.reset_index(drop=True)

    splink_logger = logging.getLogger("splink")
    previous_level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)  # splink's progress chatter is not for the report
    try:
        outcome = _run_splink(model_input, threshold, backend, seed, spark, clock)
    finally:
        splink_logger.setLevel(previous_level)
    predictions, cluster_ids, parameters, prior, counts, compared_pairs, rules = outcome

    clusters = _number_clusters(cluster_ids, ids)
    rows = frame.index.to_numpy()
    pairs = predictions.rename(columns={"unique_id_l": "row_l", "unique_id_r": "row_r"})
    pairs["id_l"] = ids.to_numpy()[pairs["row_l"].to_numpy()]
    pairs["id_r"] = ids.to_numpy()[pairs["row_r"].to_numpy()]
    pairs["row_l"] = rows[pairs["row_l"].to_numpy()]
    pairs["row_r"] = rows[pairs["row_r"].to_numpy()]
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
    )


class _Stopwatch:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _run_splink(model_input: pd.DataFrame, threshold: float, backend: str, seed: int, spark, clock):
    from splink import Linker, SettingsCreator

    columns = [c for c in model_input.columns if c != "unique_id"]
    comparisons = _comparisons(columns)
    predict_rules, strict_rules, training = _rules(columns)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=predict_rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # keeps each detail's weight per pair
        max_iterations=25,
    )
    if backend == "spark":
        from splink import SparkAPI

        db_api = SparkAPI(spark_session=_ready_for_splink(spark or spark_session()))
    else:
        db_api = _duckdb_api()
    table = db_api.register(model_input, dataset_display_name="contacts")
    linker = Linker(table, settings, log_level=None)
    clock.lap("starting the database")

    n = len(model_input)
    all_pairs = n * (n - 1) / 2
    linker.training.estimate_probability_two_random_records_match(strict_rules, recall=STRICT_RULES_RECALL)
    prior = linker._settings_obj._probability_two_random_records_match
    if not prior or prior <= 0:
        # the strict rules found nobody: assume about one record in twenty is a repeat
        prior = min(0.5, (0.05 * n) / all_pairs)
        linker._settings_obj._probability_two_random_records_match = prior
    clock.lap("prior")
    # enough random pairs to see rare agreements (a shared surname) a hundred times or more
    u_pairs = min(U_SAMPLE_PAIRS, max(3e5, 10.0 * n))
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    clock.lap("u sampling")
    _train_m(linker, comparisons, training, n)
    _floor_m(linker)
    clock.lap("m training")

    predictions = linker.inference.predict(warning_mode="never")
    counts = predictions.query_sql(
        "select floor(match_probability * 20) as band, count(*) as pairs from {this} group by 1"
    ).as_pandas_dataframe()
    counts = _probability_bands(counts)
    clock.lap("scoring pairs")
    floor = min(threshold, NEAR_MISS_FLOOR)
    weights = [f"mw_{c.create_output_column_name()}" for c in comparisons]
    kept = predictions.query_sql(
        f"select unique_id_l, unique_id_r, match_probability, match_weight, {', '.join(weights)} "
        f"from {{this}} where match_probability >= {floor!r}"
    ).as_pandas_dataframe()
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    cluster_ids = clustered.query_sql("select unique_id, cluster_id from {this}").as_pandas_dataframe()
    clock.lap("clustering")
    parameters = _parameter_table(linker)
    rules = [rule.blocking_rule_sql for rule in linker._settings_obj._blocking_rules_to_generate_predictions]
    return kept, cluster_ids, parameters, float(prior), counts, int(counts["pairs"].sum()), rules


def _train_m(linker, comparisons, training: list[list[str]], n_rows: int) -> None:
    """Expectation maximisation until every comparison's m values have been trained.

    Each session blocks on some details and so cannot learn about those; the
    sessions go on with other details until every comparison has had one.
    """
    from splink import block_on

    untrained = {c.create_output_column_name(): set(_input_columns(c)) for c in comparisons}
    for rule_columns in training:
        learnable = [name for name, inputs in untrained.items() if not inputs & _related(rule_columns)]
        if not learnable:
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule_columns),
                estimate_without_term_frequencies=True,
                max_pairs=EM_SAMPLE_PAIRS if n_rows > 20_000 else None,
            )
        except (ValueError, ZeroDivisionError) as error:
            # A rule that finds too few pairs, or whose pairs all agree, cannot
            # teach anything; the next rule will.
            logger.info("EM session on %s skipped: %s", rule_columns, error)
            continue
        for name in learnable:
            untrained.pop(name, None)
        if not untrained:
            break


def _floor_m(linker) -> None:
    """Keep every m probability at or above :data:`M_FLOOR`.

    Expectation maximisation can learn that the same person "never" has two
    different dates of birth in a file (m near 0), which would make one typo
    veto a match however much else agrees. Real files have such typos.
    """
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            m = level.m_probability
            if isinstance(m, float) and m < M_FLOOR:
                level.m_probability = M_FLOOR


def _related(rule_columns: list[str]) -> set[str]:
    """The tidied columns a blocking rule fixes (a name rule fixes the name key too)."""
    related = set(rule_columns)
    if {"first_name", "surname"} & related:
        related |= {"name_key", "surname_as_first", "first_name", "surname"}
    return related


def _input_columns(comparison) -> list[str]:
    """The tidied columns a comparison reads."""
    built = comparison.get_comparison("duckdb")
    return [column.input_name for column in built._input_columns_used_by_case_statement]


def _probability_bands(counts: pd.DataFrame) -> pd.DataFrame:
    bands = pd.DataFrame({"band": np.arange(20)})
    counts = counts.assign(band=counts["band"].clip(upper=19).astype(int)).groupby("band", as_index=False)["pairs"].sum()
    table = bands.merge(counts, on="band", how="left").fillna({"pairs": 0})
    return pd.DataFrame({
        "band_start": table["band"] / 20,
        "band_end": (table["band"] + 1) / 20,
        "pairs": table["pairs"].astype(int),
    })


def _parameter_table(linker) -> pd.DataFrame:
    records = []
    for comparison in linker._settings_obj.comparisons:
        name = comparison.output_column_name
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m, u = level.m_probability, level.u_probability
            usable = isinstance(m, float) and isinstance(u, float) and m > 0 and u > 0
            records.append({
                "comparison": _comparison_words(name),
                "level": _LEVEL_WORDS.get(level.label_for_charts, level.label_for_charts),
                "gamma": level.comparison_vector_value,
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
    if name.startswith("extra_"):
        return name
    return COMPARISON_WORDS.get(name, name.replace("_", " ").capitalize())


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


# --------------------------------------------------------------------------- master records

#: Roles that describe where someone lives: taken together from one record.
LOCATION_ROLES = ("address", "town", "postcode")


def recency_order(frame: pd.DataFrame, recency_column: str | None = None) -> pd.Series:
    """A number per record that is larger for newer records.

    Uses ``recency_column`` (such as "Date added" or "Last updated") where it
    has a date, and the row order otherwise: exports usually list older records first.

    Example:
        >>> recency_order(pd.DataFrame({"x": [1, 2, 3]})).tolist()
        [0.0, 1.0, 2.0]
    """
    position = pd.Series(np.arange(len(frame), dtype=float), index=frame.index)
    if recency_column is None:
        return position
    dates = frame[recency_column]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        from helpers.reading.parsing import parse_uk_dates

        dates, _failed = parse_uk_dates(dates)
    # dates first; the row position breaks ties and places undated records oldest
    seconds = dates.astype("datetime64[s]").astype("int64").astype(float)
    seconds = seconds.where(dates.notna(), -1e12)
    return seconds + position / (len(frame) + 1)


def master_records(
    frame: pd.DataFrame,
    clusters: pd.DataFrame,
    columns: ContactColumns,
    recency_column: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suggest one record per cluster: the most complete, most recent values.

    Each field takes the newest non-empty value among the cluster's records,
    except address, town and postcode, which come together from the newest
    record that has any of them (so an old postcode is never paired with a new
    address). The master keeps the id of the cluster's most complete record
    (ties: the newest).

    Args:
        frame: The contact list.
        clusters: ``LinkageResult.clusters``.
        columns: The columns in use.
        recency_column: A column saying when each record was added or updated.

    Returns:
        ``(masters, id_map)``: the master records (the file's columns plus
        "Master ID" and "Records merged"), and for every old id its master id
        ("Old ID", "Master ID", "Cluster").

    Example:
        >>> table = pd.DataFrame({"Name": ["Bob Smith", "Robert Smith", "Ann Lee"],
        ...                       "Email": ["bob@example.com", None, None],
        ...                       "Postcode": ["LS6 1AA", "M1 1AA", None]}, index=[2, 3, 4])
        >>> found = ContactColumns({"full_name": "Name", "email": "Email", "postcode": "Postcode"})
        >>> groups = pd.DataFrame({"id": ["2", "3", "4"], "cluster_id": [1, 1, 2],
        ...                        "cluster_size": [2, 2, 1]}, index=[2, 3, 4])
        >>> masters, id_map = master_records(table, groups, found)
        >>> masters[["Master ID", "Name", "Email", "Postcode", "Records merged"]].values.tolist()
        [['2', 'Robert Smith', 'bob@example.com', 'M1 1AA', 2], ['4', 'Ann Lee', None, None, 1]]
    """
    recency = recency_order(frame, recency_column)
    filled = frame.notna().sum(axis=1)
    work = frame.copy()
    work["__cluster"] = clusters["cluster_id"]
    work["__recency"] = recency
    work["__filled"] = filled
    work["__id"] = clusters["id"]
    newest_first = work.sort_values(["__cluster", "__recency"], ascending=[True, False], kind="stable")
    grouped = newest_first.groupby("__cluster", sort=True)

    merged = grouped[list(frame.columns)].first()  # newest non-empty value of each column
    location = [c for role, c in columns.roles.items() if role in LOCATION_ROLES]
    if location:
        has_location = newest_first[location].notna().any(axis=1)
        newest_located = newest_first[has_location].groupby("__cluster").head(1).set_index("__cluster")
        merged.loc[:, location] = None
        merged.loc[newest_located.index, location] = newest_located[location].to_numpy()

    most_complete = work.sort_values(["__cluster", "__filled", "__recency"], ascending=[True, False, False],
                                     kind="stable").groupby("__cluster").head(1)
    master_id = pd.Series(most_complete["__id"].to_numpy(), index=most_complete["__cluster"].to_numpy())
    if columns.id_column is not None:
        merged[columns.id_column] = frame.loc[most_complete.index, columns.id_column].to_numpy()
    masters = merged.reset_index(drop=True)
    masters.insert(0, "Master ID", master_id.to_numpy())
    masters["Records merged"] = grouped.size().to_numpy()
    masters = masters.astype(object).where(masters.notna(), None)
    masters["Records merged"] = masters["Records merged"].astype(int)

    id_map = pd.DataFrame({
        "Old ID": clusters["id"].to_numpy(),
        "Master ID": master_id.reindex(clusters["cluster_id"]).to_numpy(),
        "Cluster": clusters["cluster_id"].to_numpy(),
    })
    return masters, id_map


# --------------------------------------------------------------------------- review

#: Most groups put in review.xlsx (least sure first); the rest are in clusters.csv.
REVIEW_GROUP_LIMIT = 5000
SAME_PERSON = "Same person?"


def _comparable_text(frame: pd.DataFrame, prepared: pd.DataFrame, columns: ContactColumns) -> pd.DataFrame:
    """Each column as the model saw it (tidied), or as casefolded text for the others."""
    from helpers.contacts.tidy import LINKAGE_COLUMNS, normalise_text

    tidied_of = {column: LINKAGE_COLUMNS.get(role) for role, column in columns.roles.items()}
    tidied_of.update({column: f"extra_{n}" for n, column in enumerate(columns.extra_columns, start=1)})
    comparable = {}
    for column in frame.columns:
        source = tidied_of.get(column)
        if source in prepared.columns:
            comparable[column] = prepared[source]
        else:
            comparable[column] = normalise_text(frame[column])
    return pd.DataFrame(comparable, index=frame.index)


def review_table(frame: pd.DataFrame, result: LinkageResult, limit: int = REVIEW_GROUP_LIMIT) -> pd.DataFrame:
    """The records of each duplicate group, side by side, least sure group first.

    Args:
        frame: The contact list.
        result: From :func:`link_contacts`.
        limit: Most groups to include.

    Returns:
        One row per record in a group of two or more, with columns "Group",
        "Match probability" (this record's strongest link into its group),
        "Least sure link" (the group's weakest record), "Same person?" (blank,
        for the reviewer), "Row", then the file's columns (compared ones
        first). ``.attrs["differs"]`` is a same-shaped bool frame over the
        file's columns: True where the group's records disagree on that field
        after tidying (formatting differences do not count).

    Example:
        >>> review = review_table(frame, link_contacts(frame, columns))  # doctest: +SKIP
        >>> review.groupby("Group")["Least sure link"].first().is_monotonic_increasing  # doctest: +SKIP
        True
    """
    clusters = result.clusters
    in_groups = clusters[clusters["cluster_size"] >= 2]
    pairs = result.pairs[result.pairs["match_probability"] >= result.threshold]
    both_ways = pd.concat([
        pairs[["row_l", "match_probability"]].rename(columns={"row_l": "row"}),
        pairs[["row_r", "match_probability"]].rename(columns={"row_r": "row"}),
    ])
    best_link = both_ways.groupby("row")["match_probability"].max()
    record_link = best_link.reindex(in_groups.index)
    weakest = record_link.groupby(in_groups["cluster_id"]).min()
    order = weakest.sort_values(kind="stable").index[:limit]

    group_number = pd.Series(np.arange(1, len(order) + 1), index=order)
    chosen = in_groups[in_groups["cluster_id"].isin(order)]
    chosen = chosen.assign(group=group_number.reindex(chosen["cluster_id"]).to_numpy())
    chosen = chosen.sort_values(["group"], kind="stable")
    rows = chosen.index

    compared = list(columns_in_order(result.columns, frame))
    records = frame.loc[rows, compared]
    table = pd.DataFrame({
        "Group": chosen["group"].to_numpy(),
        "Match probability": record_link.reindex(rows).round(3).to_numpy(),
        "Least sure link": weakest.reindex(chosen["cluster_id"]).round(3).to_numpy(),
        SAME_PERSON: "",
        "Row": rows.to_numpy(),
    }, index=rows)
    table = pd.concat([table, records], axis=1).reset_index(drop=True)

    comparable = _comparable_text(frame, result.prepared, result.columns).loc[rows, compared]
    distinct = comparable.groupby(chosen["group"].to_numpy()).nunique()
    differs = (distinct > 1).reindex(chosen["group"].to_numpy()).reset_index(drop=True)
    table.attrs["differs"] = differs
    return table


def columns_in_order(columns: ContactColumns, frame: pd.DataFrame) -> list[str]:
    """The file's columns with the id and compared ones first.

    Example:
        >>> columns_in_order(ContactColumns({"email": "E"}, "ID"), pd.DataFrame(columns=["X", "E", "ID"]))
        ['ID', 'E', 'X']
    """
    first = ([columns.id_column] if columns.id_column else []) + list(columns.roles.values()) + columns.extra_columns
    return first + [c for c in frame.columns if c not in first]


def write_review_workbook(path, review: pd.DataFrame) -> Path:
    """Write ``review.xlsx``: one block per group, differing fields highlighted.

    Each block has a band saying how sure the model is, then its records one
    per row. The "Same person?" column has a Yes/No drop-down for the charity's
    decision. A second sheet explains how to use it.

    Args:
        path: Where to write.
        review: From :func:`review_table`.

    Returns:
        The path written.

    Example:
        >>> write_review_workbook(folder / "review.xlsx", review_table(frame, result)).name  # doctest: +SKIP
        'review.xlsx'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from helpers.writing.workbooks import HEADER_FILL, HEADER_FONT, excel_value

    differs = review.attrs.get("differs")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Review"
    headers = [c for c in review.columns if c != "Group"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    band_fill = PatternFill("solid", fgColor="F2F2F2")
    differ_fill = PatternFill("solid", fgColor="FFE699")
    top = Border(top=Side(style="thin", color="808080"))
    choice = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                            promptTitle=SAME_PERSON, prompt="Yes: merge this record into its group. No: keep it apart.")
    sheet.add_data_validation(choice)
    same_column = get_column_letter(headers.index(SAME_PERSON) + 1)
    data_columns = headers[headers.index("Row") + 1:]

    groups = review.groupby("Group", sort=False)
    total = review["Group"].nunique()
    for number, block in groups:
        sure = block["Least sure link"].iloc[0]
        sheet.append([f"Group {number} of {total}: {len(block)} records; the least sure link has a "
                      f"match probability of {sure:.0%}"])
        band = sheet.max_row
        for cell in sheet[band]:
            cell.font, cell.fill, cell.border = Font(bold=True), band_fill, top
        sheet.cell(band, 1).fill = band_fill
        for position in block.index:
            values = [excel_value(review.at[position, c]) for c in headers]
            sheet.append(values)
            row = sheet.max_row
            for offset, column in enumerate(data_columns):
                if differs is not None and bool(differs.at[position, column]):
                    sheet.cell(row, headers.index("Row") + 2 + offset).fill = differ_fill
        choice.add(f"{same_column}{band + 1}:{same_column}{sheet.max_row}")
    for position, header in enumerate(headers, start=1):
        values = review[header].astype(str).str.len() if len(review) else pd.Series([0])
        width = max(len(str(header)), int(values.quantile(0.9)) if len(values) else 0) + 2
        sheet.column_dimensions[get_column_letter(position)].width = max(9, min(width, 40))

    guide = workbook.create_sheet("How to use")
    for line in [
        ["How to use this sheet"],
        [""],
        ["Each grey band starts a group of records that the kit thinks are one person."],
        ["The groups the kit is least sure about come first: check those most carefully."],
        ["Yellow cells are fields where the records in a group disagree (after tidying: "
         "'07700 900123' and '+44 7700 900123' agree)."],
        ["Match probability is how likely the kit thinks it is that the record is the same "
         "person as another record in its group."],
        [f"In the '{SAME_PERSON}' column choose Yes to merge the record into its group, or No to keep it apart."],
        ["deduplicated.xlsx holds the suggested merged records; change it to match your decisions."],
    ]:
        guide.append(line)
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    path = Path(path)
    workbook.save(path)
    return path


def write_outputs(
    folder,
    frame: pd.DataFrame,
    result: LinkageResult,
    recency_column: str | None = None,
) -> dict[str, Path]:
    """Write ``clusters.csv``, ``review.xlsx`` and ``deduplicated.xlsx`` into ``folder``.

    Args:
        folder: The playbook's output folder.
        frame: The contact list.
        result: From :func:`link_contacts`.
        recency_column: A column saying when each record was added or updated.

    Returns:
        File name -> path written.

    Example:
        >>> sorted(write_outputs(folder, frame, result))  # doctest: +SKIP
        ['clusters.csv', 'deduplicated.xlsx', 'review.xlsx']
    """
    from helpers.writing.workbooks import write_frames

    folder = Path(folder)
    written = {}
    clusters_path = folder / "clusters.csv"
    result.clusters[["id", "cluster_id", "cluster_size"]].to_csv(clusters_path, index=False, lineterminator="\n")
    written["clusters.csv"] = clusters_path
    review = review_table(frame, result)
    written["review.xlsx"] = write_review_workbook(folder / "review.xlsx", review)
    masters, id_map = master_records(frame, result.clusters, result.columns, recency_column)
    order = ["Master ID", *columns_in_order(result.columns, frame), "Records merged"]
    written["deduplicated.xlsx"] = write_frames(
        folder / "deduplicated.xlsx",
        {"Master records": masters[order], "Old to master ids": id_map},
    )
    return written


# --------------------------------------------------------------------------- report pieces


def match_weight_chart(parameters: pd.DataFrame):
    """Draw how much each level of each detail moves the odds of a match.

    Drawn from the model's own m and u probabilities: a bar to the right means
    "this makes a match more likely", to the left "less likely"; one bit
    doubles or halves the odds. Very long bars are cut at 20 bits and labelled.

    Args:
        parameters: ``LinkageResult.parameters``.

    Returns:
        A matplotlib figure.

    Example:
        >>> params = pd.DataFrame({"comparison": ["Email", "Email"], "level": ["The same", "Different"],
        ...                        "match_weight": [11.0, -4.0]})
        >>> match_weight_chart(params).axes[0].get_title()
        'Which details decide whether two records are the same person'
    """
    from helpers.writing.charts import PALETTE, new_chart

    table = parameters.dropna(subset=["match_weight"]).reset_index(drop=True)
    labels = [f"{row.comparison}: {row.level[:1].lower() + row.level[1:]}" for row in table.itertuples()]
    weights = table["match_weight"].clip(-20, 20)
    fig, ax = new_chart(8.5, max(3.0, 0.32 * len(table) + 1.2))
    colours = [PALETTE[0] if w > 0 else PALETTE[3] for w in table["match_weight"]]
    positions = np.arange(len(table))[::-1]
    ax.barh(positions, weights, color=colours)
    ax.set_yticks(positions, labels, fontsize=8.5)
    ax.axvline(0, color="#444444", linewidth=0.8)
    for y, shown, real in zip(positions, weights, table["match_weight"]):
        text = f"{real:+.0f}" if abs(real) < 99 else ("+99" if real > 0 else "-99")
        ax.text(shown + (0.4 if shown >= 0 else -0.4), y, text, va="center",
                ha="left" if shown >= 0 else "right", fontsize=8)
    ax.set_xlim(-24, 24)
    ax.set_xlabel("Evidence for (right) or against (left) the same person, in bits (each bit doubles the odds)")
    ax.set_title("Which details decide whether two records are the same person")
    return fig


def probability_chart(probability_counts: pd.DataFrame, threshold: float):
    """Bar chart of compared pairs by match probability, with the threshold marked.

    Args:
        probability_counts: ``LinkageResult.probability_counts``.
        threshold: The match threshold.

    Returns:
        A matplotlib figure.

    Example:
        >>> bands = pd.DataFrame({"band_start": [0.0, 0.95], "band_end": [0.05, 1.0], "pairs": [40, 12]})
        >>> probability_chart(bands, 0.9).axes[0].get_xlabel()
        'Match probability (%)'
    """
    from helpers.writing.charts import PALETTE, new_chart

    fig, ax = new_chart()
    starts = probability_counts["band_start"].to_numpy()
    counts = probability_counts["pairs"].to_numpy()
    shown = counts > 0  # an empty band has no bar (a log scale cannot show zero)
    colours = [PALETTE[0] if start >= threshold - 1e-9 else PALETTE[5] for start in starts[shown]]
    ax.bar(starts[shown] * 100 + 2.5, counts[shown], width=4.6, color=colours, log=True)
    ax.set_ylim(bottom=0.7)
    ax.axvline(threshold * 100, color=PALETTE[3], linestyle="--", linewidth=1.2)
    ax.text(threshold * 100 - 1, ax.get_ylim()[1] * 0.6, f"threshold {threshold:.0%}", ha="right",
            color=PALETTE[3], fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Match probability (%)")
    ax.set_ylabel("Pairs of records (log scale)")
    ax.set_title("Most compared pairs are clearly different people or clearly the same")
    return fig


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


def worked_examples(frame: pd.DataFrame, result: LinkageResult) -> list[tuple[str, pd.DataFrame, str]]:
    """Three pairs that show how the model decides, with personal details masked.

    The surest match, the least sure pair still above the threshold, and the
    nearest miss below it (when there is one).

    Returns:
        A list of ``(title, masked records, reasons in words)``.

    Example:
        >>> [title for title, _, _ in worked_examples(frame, result)]  # doctest: +SKIP
        ['A clear match: match probability 100.0%', ...]
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
        heading = f"{title}: match probability {pair['match_probability']:.1%}"
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


def find_recency_column(frame: pd.DataFrame, given: str | None, columns: ContactColumns) -> str | None:
    """The column saying when each record was added or updated, if there is one.

    A blank ``given`` is found from the header (a date column such as "Date
    added" or "Updated on"), never the date of birth.

    Example:
        >>> table = pd.DataFrame(columns=["Name", "Date of birth", "Date added"])
        >>> find_recency_column(table, "", ContactColumns({"date_of_birth": "Date of birth"}))
        'Date added'
    """
    taken = set(columns.roles.values()) | {columns.id_column}
    if given and str(given).strip():
        return check_columns_exist(frame, [str(given).strip()], "updated_column")[0]
    from helpers.reading.roles import guess_role

    words = ("updated", "modified", "changed", "added", "created", "entered")
    for column in frame.columns:
        if column in taken:
            continue
        lowered = str(column).lower()
        if guess_role(str(column)) == "date" or any(word in lowered for word in words):
            return str(column)
    return None


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
        >>> summary_figures(link_contacts(frame, columns))["records"]  # doctest: +SKIP
        1500
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
        # What `surgery rerun` compares with last time, in words.
        "headline": {
            "records": "contacts in the list",
            "clusters": "groups of duplicates",
            "records_in_clusters": "contacts in a group",
            "surplus_records": "extra copies to merge away",
        },
    }
