import json

from helpers.spine.execute import CellFailure, import_lines


def test_import_lines_collects_each_import_once_and_skips_markdown_and_bad_code(tmp_path):
    notebook = {"cells": [
        {"cell_type": "markdown", "source": "import this_is_text"},
        {"cell_type": "code", "source": ["import pandas as pd\n", "from helpers.writing.narrative import say\n", "x = 1\n"]},
        {"cell_type": "code", "source": "import pandas as pd\nif x:\n    import json\n"},
        {"cell_type": "code", "source": "this is not python ("},
    ]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    # Only top-level imports: one inside an `if` may depend on the cell's own logic.
    assert import_lines(path) == ["import pandas as pd", "from helpers.writing.narrative import say"]


def test_a_failure_knows_when_it_is_an_input_problem():
    assert CellFailure(3, "InputProblem", "m", [], "").is_input_problem
    assert CellFailure(3, "helpers.errors.InputProblem", "m", [], "").is_input_problem
    assert not CellFailure(3, "KeyError", "m", [], "").is_input_problem
