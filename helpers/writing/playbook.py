"""What every playbook does around its analysis: find its files, write its summary.

These are the few calls a playbook makes before and after its own steps, kept in
one place so that every playbook finds its input and writes ``summary.json`` the
same way whether papermill, JupyterLab or pytest-notebook runs it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

from helpers.errors import InputProblem

KIT_ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS_DIR = KIT_ROOT / "playbooks"
DATASETS_DIR = KIT_ROOT / "datasets"

#: Set by ``surgery lab`` so that a playbook run by hand writes into the session.
SESSION_OUTPUT_ENV = "SURGERY_OUTPUT_DIR"


def resolve_data_path(data_file: str) -> Path:
    """Find the file a playbook was pointed at.

    A relative path is tried from the working folder first, then from the
    kit's ``playbooks/`` folder, so the sample-data defaults (``../datasets/...``)
    work from JupyterLab, papermill and pytest alike.

    Args:
        data_file: The ``data_file`` parameter.

    Returns:
        The absolute path of an existing file.

    Raises:
        InputProblem: The parameter is blank or names no file.

    Example:
        >>> resolve_data_path("../datasets/register.xlsx").name
        'register.xlsx'
    """
    if not data_file or not str(data_file).strip():
        raise InputProblem("No data file was given: set data_file to the charity's file.")
    candidate = Path(str(data_file).strip()).expanduser()
    for path in (candidate, PLAYBOOKS_DIR / candidate):
        if path.is_file():
            return path.resolve()
    raise InputProblem(
        f"The data file '{candidate.name}' was not found. Check the name and folder, "
        "and that the file has been copied into the session's data folder."
    )


def output_folder(output_dir: str, playbook: str) -> Path:
    """The folder a playbook writes its files into, created if needed.

    Args:
        output_dir: The ``output_dir`` parameter; blank means the session's
            folder when run from ``surgery lab``, else ``output/<playbook>``
            beside the notebook (ignored by git).
        playbook: The playbook's name.
    """
    if output_dir and str(output_dir).strip():
        folder = Path(str(output_dir).strip()).expanduser()
    elif os.environ.get(SESSION_OUTPUT_ENV):
        folder = Path(os.environ[SESSION_OUTPUT_ENV]) / playbook
    else:
        folder = Path.cwd() / "output" / playbook
    folder.mkdir(parents=True, exist_ok=True)
    from helpers.writing.chart_export import use_output_folder

    use_output_folder(folder)  # the playbook's charts are saved beside its other files
    return folder


def to_jsonable(value):
    """Convert numpy, pandas and date values to plain JSON types; NaN becomes ``None``.

    Example:
        >>> import numpy as np
        >>> to_jsonable({"n": np.int64(3), "mean": np.float64("nan"), "xs": (1.5, 2)})
        {'n': 3, 'mean': None, 'xs': [1.5, 2]}
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def save_summary(folder: Path, figures: dict, table=None, claims=()) -> Path:
    """Write the run's headline figures as ``summary.json``.

    Args:
        folder: The playbook's output folder.
        figures: The headline figures under the key names the playbook's issue
            fixes (plain numbers, strings, lists or mappings; no personal data).
        table: The :class:`~helpers.reading.loader.LoadedTable` read, so that the
            provenance can give the input's rows and sheet.
        claims: The report's conclusions as :class:`~helpers.writing.claims.Claim` values,
            written under ``claims`` (always present, empty when the report draws none).

    Returns:
        The path written.
    """
    from helpers.writing.claims import claims_json

    summary = to_jsonable(dict(figures))
    summary["claims"] = claims_json(claims)
    if table is not None:
        summary["input"] = {
            "file": table.source_name,
            "sheet": table.sheet,
            "rows": int(len(table.frame)),
            "columns": int(table.frame.shape[1]),
            "sha256": table.sha256,
        }
    path = Path(folder) / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
