"""Broken and hand-edited notebooks, graded in the threat class: each gets its student a result
that says what is wrong, points always come from the graders, and nothing stops the batch."""

from __future__ import annotations

import pytest
from engine_helpers import MAX_SCORE, POINTS, function_score


@pytest.mark.parametrize("student, problem", [
    ("invalid_json", "the notebook is not valid JSON (line "),
    ("binary", "the notebook is not valid JSON (line 1: Expecting value)"),
    ("empty", "the notebook file is empty"),
    ("not_a_notebook", "the file is not a Jupyter notebook (it has no list of cells)"),
    ("no_cells", "the notebook has no cells"),
])
def test_a_file_that_cannot_run_gets_zero_and_says_why(threat_class, student, problem):
    doc = threat_class.results[student]
    assert doc["score"] == 0 and doc["max_score"] == MAX_SCORE
    assert doc["extra_data"]["status"] == "failed-to-run"
    assert doc["extra_data"]["problem"].startswith(problem)
    assert f"Your notebook could not be run: {problem}" in doc["output"]
    for test in doc["tests"]:
        function = test["extra_data"]["function"]
        assert test["output"].startswith(
            f"Your notebook could not be run, so `{function}` was not graded: {problem}")
    summary = next(s for s in threat_class.run.students if s.student == student)
    assert summary.status == "failed-to-run" and summary.problem.startswith(problem)


@pytest.mark.parametrize("student", ["deleted", "renamed", "syntax_error"])
def test_a_missing_function_costs_only_its_own_points(threat_class, student):
    doc = threat_class.results[student]
    assert doc["extra_data"]["status"] == "graded"
    assert doc["score"] == MAX_SCORE - POINTS["relu"]
    for function in POINTS:
        assert function_score(doc, function) == (0 if function == "relu" else POINTS[function])
    for test in doc["tests"]:
        if test["extra_data"]["function"] == "relu":
            # A syntax error in relu's own cell is named as the cause.
            expected = ("`relu` was not defined because its cell has a syntax error on line "
                        if student == "syntax_error" else "`relu` is not defined in your notebook.")
            assert test["output"].startswith(expected), test["output"]


def test_a_syntax_error_is_reported_with_its_cell(threat_class):
    doc = threat_class.results["syntax_error"]
    (cell,) = doc["extra_data"]["cells"]
    assert cell["status"] == "error" and cell["error"].startswith("SyntaxError")
    where = cell["where"]  # named as the student sees the notebook, not by a cell number
    assert f"{where[:1].upper()}{where[1:]}: error: SyntaxError" in doc["output"]
    assert "Code cell" not in doc["output"] and "ipython-input" not in doc["output"]


def test_a_notebook_without_code_gets_zero_for_every_function(threat_class):
    doc = threat_class.results["markdown_only"]
    assert doc["score"] == 0 and doc["extra_data"]["status"] == "graded"
    assert all("is not defined in your notebook" in t["output"] for t in doc["tests"])


@pytest.mark.parametrize("student", ["points_1000", "metadata_changed", "odd_cells"])
def test_edited_metadata_and_odd_cells_change_nothing(threat_class, student):
    """Points edited to 1000, grade_ids and roles scrambled, raw cells and stray entries."""
    doc = threat_class.results[student]
    assert (doc["score"], doc["max_score"]) == (MAX_SCORE, MAX_SCORE)
    assert doc["extra_data"]["status"] == "graded"


def test_points_come_from_the_graders_never_from_the_notebook(threat_class):
    rows = (threat_class.out / "grades.csv").read_text().splitlines()
    assert rows[0].split(",") == ["student", "score", "max_score", "status", "isolation", *POINTS]
    for student, doc in threat_class.results.items():
        maxima = {f: v["max_score"] for f, v in doc["extra_data"]["functions"].items()}
        assert maxima == POINTS, student
        assert sum(t["max_score"] for t in doc["tests"]) == MAX_SCORE, student
    for row in rows[1:]:
        assert row.split(",")[2] == f"{MAX_SCORE:g}"
    assert len(rows) == 1 + len(threat_class.results)
