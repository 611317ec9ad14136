"""The autograded notebook shares what it holds with the release and the submission, and
changes neither of them: every student's is built from the same release cells."""

from __future__ import annotations

import copy
import json

from autograder.config import COURSE_ROOT, get_assignment
from autograder.files import json_text
from autograder.nbgrader.autograded import MISSING, build_notebook
from autograder.nbgrader.cells import grade_id, read_release


def test_building_notebooks_changes_neither_the_release_nor_the_submission():
    path = get_assignment("01_forward_pass").release_notebook(COURSE_ROOT)
    cells = read_release(path)
    submitted = json.loads(path.read_text(encoding="utf-8"))
    dropped = next(c for c in submitted["cells"] if grade_id(c) in cells.grade)
    submitted["cells"].remove(dropped)  # a grade cell the student deleted comes back
    for cell in submitted["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
            cell["execution_count"] = 3
    function = grade_id(dropped).removeprefix("test_")
    document = {"extra_data": {"problem": "", "functions": {function: {"score": 1,
                                                                       "max_score": 2}}},
                "tests": [{"name": "t: a check", "score": 1, "max_score": 2,
                           "output": "message", "extra_data": {"function": function}}]}
    release_before, submitted_before = copy.deepcopy(cells.cells), copy.deepcopy(submitted)

    first = build_notebook(cells, submitted, document)
    text = json_text(first, "cells", ensure_ascii=False)
    assert json_text(build_notebook(cells, submitted, document), "cells",
                     ensure_ascii=False) == text
    assert cells.cells == release_before and submitted == submitted_before
    added = next(c for c in first["cells"] if grade_id(c) == grade_id(dropped))
    assert MISSING in added["source"] and "Hidden tests of" in added["outputs"][0]["text"]
    assert all(c.get("outputs", []) in ([], added["outputs"]) for c in first["cells"])
    assert len({c["id"] for c in first["cells"]}) == len(first["cells"])
