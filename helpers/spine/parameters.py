"""A playbook's parameters: read from its ``parameters`` cell, checked before it runs.

The cell tagged ``parameters`` is the single source of truth. Each line is a
typed assignment with a trailing comment that serves as help text; a number's
comment may end with its range, "from 1 to 104", which the check then enforces::

    horizon_weeks: int = 12  # how many weeks ahead to forecast, from 1 to 104

Papermill itself only warns about unknown names and injects strings as they
are, so the kit checks names and converts values to the declared type first,
and refuses what does not fit before any cell runs.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.errors import InputProblem
from helpers.reading.roles import closest_column

_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "text",
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a playbook."""

    name: str
    type_name: str  # "int", "float", "bool" or "str"
    default: Any
    help: str

    @property
    def is_column_role(self) -> bool:
        return self.name.endswith("_column")

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The range a number's help comment declares ("from 0 to 1"), else ``None``.

        Example:
            >>> Parameter("match_threshold", "float", 0.9, "how sure, from 0 to 1").bounds
            (0.0, 1.0)
            >>> Parameter("region", "str", "england", "from england to wales").bounds is None
            True
        """
        found = _RANGE.search(self.help)
        if self.type_name not in ("int", "float") or found is None:
            return None
        return float(found.group(1)), float(found.group(2))


_RANGE = re.compile(r"\bfrom (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)\b")


def parameters_cell_source(notebook: dict) -> str:
    """The source of the cell tagged ``parameters``.

    Raises:
        ValueError: The notebook has no such cell (a playbook bug, not an input problem).
    """
    for cell in notebook.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    raise ValueError("The playbook has no cell tagged 'parameters'.")


def _comments_by_line(source: str) -> dict[int, str]:
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    return comments


def parse_parameters(source: str) -> dict[str, Parameter]:
    """Read typed assignments and their help comments from a parameters cell.

    Args:
        source: The cell's Python source.

    Returns:
        Parameters by name, in the order written.

    Example:
        >>> cell = 'horizon_weeks: int = 12  # weeks ahead\\nregion = "england"  # whose holidays'
        >>> params = parse_parameters(cell)
        >>> params["horizon_weeks"]
        Parameter(name='horizon_weeks', type_name='int', default=12, help='weeks ahead')
        >>> params["region"].type_name
        'str'
    """
    comments = _comments_by_line(source)
    found: dict[str, Parameter] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
            annotation = ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
            node.targets[0], ast.Name
        ):
            name, value, annotation = node.targets[0].id, node.value, ""
        else:
            continue
        default = ast.literal_eval(value) if value is not None else None
        type_name = _type_name(annotation, default)
        found[name] = Parameter(name, type_name, default, comments.get(node.lineno, ""))
    return found


def _type_name(annotation: str, default: Any) -> str:
    for name in ("bool", "int", "float", "str"):
        if annotation == name or annotation.startswith(name + " |") or annotation == f"{name} | None":
            return name
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return "str"


def read_parameters(notebook_path: Path) -> dict[str, Parameter]:
    """Read a playbook file's parameters (see :func:`parse_parameters`)."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    return parse_parameters(parameters_cell_source(notebook))


def convert_value(parameter: Parameter, text: Any) -> Any:
    """Convert a value given on the command line to the parameter's type.

    Raises:
        InputProblem: The text is not of that type; the message gives an example.

    Example:
        >>> convert_value(Parameter("horizon_weeks", "int", 12, ""), "8")
        8
        >>> convert_value(Parameter("higher_is_better", "bool", True, ""), "no")
        False
    """
    if not isinstance(text, str):
        return _typed_value(parameter, text)
    value = text.strip()
    try:
        if parameter.type_name == "int":
            as_float = float(value.replace(",", ""))
            if not as_float.is_integer():
                raise ValueError
            return int(as_float)
        if parameter.type_name == "float":
            number = float(value.replace(",", ""))
            if not math.isfinite(number):
                raise ValueError
            return number
        if parameter.type_name == "bool":
            lowered = value.lower()
            if lowered in {"true", "yes", "y", "1", "on"}:
                return True
            if lowered in {"false", "no", "n", "0", "off"}:
                return False
            raise ValueError
    except ValueError:
        example = {"int": "12", "float": "0.9", "bool": "true"}[parameter.type_name]
        raise InputProblem(
            f"The parameter {parameter.name} takes {_TYPE_WORDS[parameter.type_name]}, "
            f"but was given '{text}'. For example: -p {parameter.name} {example}"
        ) from None
    return text


#: The Python types a typed value (from a params.yaml) may have, for each parameter type.
_ACCEPTED_TYPES = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,)}


def _typed_value(parameter: Parameter, value: Any) -> Any:
    """Check a value that arrives already typed (read from an earlier bundle's params.yaml).

    Example:
        >>> _typed_value(Parameter("horizon_weeks", "int", 12, ""), [1, 2, 3])
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: The parameter horizon_weeks takes a whole number, but was given [1, 2, 3]. For example: -p horizon_weeks 12
    """
    if value is None and parameter.default is None:
        return value
    accepted = _ACCEPTED_TYPES[parameter.type_name]
    fits = isinstance(value, accepted) and (parameter.type_name == "bool" or not isinstance(value, bool))
    if fits and parameter.type_name == "float" and not math.isfinite(value):
        fits = False
    if not fits:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        example = {"int": "12", "float": "0.9", "bool": "true", "str": "text"}[parameter.type_name]
        raise InputProblem(
            f"The parameter {parameter.name} takes {_TYPE_WORDS[parameter.type_name]}, "
            f"but was given {shown}. For example: -p {parameter.name} {example}"
        )
    return float(value) if parameter.type_name == "float" else value


def check_parameters(declared: dict[str, Parameter], given: dict[str, Any]) -> dict[str, Any]:
    """Refuse unknown names, convert values to the declared types.

    Args:
        declared: The playbook's parameters.
        given: Name to value (strings from the command line, or typed values).

    Returns:
        The given parameters with values of the declared types.

    Raises:
        InputProblem: A name is not a parameter of the playbook, or a value is
            not of its type.

    Example:
        >>> declared = parse_parameters("horizon_weeks: int = 12  # weeks ahead")
        >>> check_parameters(declared, {"horizon_weeks": "26"})
        {'horizon_weeks': 26}
    """
    checked = {}
    for name, value in given.items():
        if name not in declared:
            hint = closest_column(name, declared)
            did_you_mean = f" Did you mean '{hint}'?" if hint else ""
            raise InputProblem(
                f"This playbook has no parameter called '{name}'.{did_you_mean} "
                f"Its parameters are: {', '.join(declared)} (see `surgery describe`)."
            )
        checked[name] = convert_value(declared[name], value)
        check_bounds(declared[name], checked[name])
    return checked


def check_bounds(parameter: Parameter, value: Any) -> None:
    """Refuse a number outside the range its parameter declares (see :attr:`Parameter.bounds`).

    Raises:
        InputProblem: Names the parameter, the value and the range.

    Example:
        >>> weeks = Parameter("horizon_weeks", "int", 12, "weeks ahead, from 1 to 104")
        >>> check_bounds(weeks, 104)
        >>> check_bounds(weeks, 10000)
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: The parameter horizon_weeks must be from 1 to 104, but was given 10000. For example: -p horizon_weeks 12
    """
    bounds = parameter.bounds
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    low, high = bounds
    if not low <= value <= high:
        shown = [f"{number:g}" for number in bounds]
        raise InputProblem(
            f"The parameter {parameter.name} must be from {shown[0]} to {shown[1]}, but was given "
            f"{value}. For example: -p {parameter.name} {parameter.default}"
        )
