import pytest

from helpers.errors import InputProblem
from helpers.spine.parameters import (
    Parameter,
    check_parameters,
    convert_value,
    parameters_cell_source,
    parse_parameters,
)

CELL = '''data_file: str = "../datasets/x.csv"  # the charity's file
horizon_weeks: int = 12  # weeks ahead
match_threshold: float = 0.9  # how sure before two records are one person
higher_is_better = True  # direction of the scale
region = "england"
'''


def test_parse_reads_types_defaults_and_help_comments():
    params = parse_parameters(CELL)
    assert list(params) == ["data_file", "horizon_weeks", "match_threshold", "higher_is_better", "region"]
    assert params["horizon_weeks"] == Parameter("horizon_weeks", "int", 12, "weeks ahead")
    assert params["match_threshold"].type_name == "float"
    assert params["higher_is_better"].type_name == "bool"
    assert params["region"] == Parameter("region", "str", "england", "")


def test_annotation_wins_over_the_default_value():
    assert parse_parameters("threshold: float = 1  # x")["threshold"].type_name == "float"


@pytest.mark.parametrize(
    "type_name, text, expected",
    [("int", "26", 26), ("int", "1,000", 1000), ("float", "0.95", 0.95), ("bool", "yes", True),
     ("bool", "False", False), ("str", "Post Code", "Post Code")],
)
def test_command_line_strings_become_the_declared_type(type_name, text, expected):
    value = convert_value(Parameter("p", type_name, None, ""), text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("type_name, text", [("int", "twelve"), ("int", "2.5"), ("float", "high"), ("bool", "maybe")])
def test_values_of_the_wrong_type_are_refused_with_an_example(type_name, text):
    with pytest.raises(InputProblem) as error:
        convert_value(Parameter("p", type_name, None, ""), text)
    assert f"'{text}'" in str(error.value) and "-p p " in str(error.value)


def test_unknown_parameter_names_are_refused_with_a_suggestion():
    declared = parse_parameters(CELL)
    with pytest.raises(InputProblem) as error:
        check_parameters(declared, {"horizon_week": "8"})
    assert "Did you mean 'horizon_weeks'?" in str(error.value)
    assert check_parameters(declared, {"horizon_weeks": "8"}) == {"horizon_weeks": 8}


def test_the_cell_tagged_parameters_is_found():
    notebook = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": "x = 1"},
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ["a: int = 1  # help"]},
    ]}
    assert parameters_cell_source(notebook) == "a: int = 1  # help"
    with pytest.raises(ValueError):
        parameters_cell_source({"cells": []})


# --- declared ranges and numbers that are not numbers (issue 10) -----------------------------

import pytest as _pytest  # noqa: E402

from helpers.errors import InputProblem as _InputProblem  # noqa: E402
from helpers.spine.parameters import check_parameters as _check, parse_parameters as _parse  # noqa: E402

_CELL = ("horizon_weeks: int = 12  # weeks ahead, from 1 to 104\n"
         "match_threshold: float = 0.9  # how sure, from 0 to 1\n"
         "label: str = 'x'  # from 1 to 2 means nothing for text\n")


@_pytest.mark.parametrize("name, value, ok", [
    ("horizon_weeks", "1", True), ("horizon_weeks", "104", True), ("horizon_weeks", "0", False),
    ("horizon_weeks", "105", False), ("horizon_weeks", "10000", False),
    ("match_threshold", "0", True), ("match_threshold", "1", True), ("match_threshold", "1.01", False),
    ("match_threshold", "-0.01", False), ("label", "999", True),
])
def test_a_declared_range_is_enforced_at_its_edges(name, value, ok):
    declared = _parse(_CELL)
    if ok:
        assert name in _check(declared, {name: value})
    else:
        with _pytest.raises(_InputProblem, match=f"{name} must be from"):
            _check(declared, {name: value})


def test_typed_values_are_range_checked_too():
    with _pytest.raises(_InputProblem, match="horizon_weeks must be from 1 to 104"):
        _check(_parse(_CELL), {"horizon_weeks": 10_000})


@_pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_not_a_number_is_refused(value):
    with _pytest.raises(_InputProblem, match="takes a number"):
        _check(_parse(_CELL), {"match_threshold": value})
