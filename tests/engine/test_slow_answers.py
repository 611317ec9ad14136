"""A correct answer written with plain Python loops earns full marks at the course's own limits.

The limits are CPU time (engine/time_limits.py), so a busy machine does not cut a slow answer.
Run this file with every core kept busy by another job to see it (from the checkout):

    ../shared/tools/under-load .venv/bin/python -m pytest tests/engine/test_slow_answers.py
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest

from autograder.config import get_assignment
from autograder.engine.grade import grade
from autograder.variants import variants_for


def _loop_answers(assignment) -> dict[str, str]:
    """function -> the acceptable variant that loops in Python (the first one, if several)."""
    found: dict[str, str] = {}
    for variant in variants_for(assignment.module):
        idiom = variant.idiom.lower()
        if "loop" in idiom or "nditer" in idiom:
            found.setdefault(variant.function, variant.source)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", ["01_forward_pass", "02_backpropagation",
                                           "03_optimizers"])
def test_plain_python_loops_earn_full_marks(assignment_id: str, tmp_path: Path):
    assignment = get_assignment(assignment_id)
    answers = _loop_answers(assignment)
    assert answers, "the corpus of acceptable variants has Python loops for this assignment"
    nb = copy.deepcopy(nbformat.read(assignment.source_notebook(), as_version=4))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers.pop(grade_id)
    assert not answers, f"no answer cell for {sorted(answers)}"
    (tmp_path / "class").mkdir()
    nbformat.write(nb, tmp_path / "class" / "loops.ipynb")
    # the course's own limits (no worker_limits): the CPU floor a looping answer must meet
    run = grade(assignment_id, [tmp_path / "class"], tmp_path / "out", workers=1,
                record_gradebook=False)
    assert not run.errors
    document = json.loads((tmp_path / "out" / "loops" / "results.json").read_text())
    lost = [f"{t['name']}: {t['output'][-300:]}" for t in document["tests"]
            if t["score"] < t["max_score"]]
    assert lost == []
