"""nnfs-course build: lessons and reference/ -> nbgrader source notebooks."""

import ast

import nbformat
import pytest

from autograder.config import assignments, get_assignment
from autograder.pipeline import PipelineError
from autograder.pipeline.build import build, build_notebook
from autograder.pipeline.lesson import parse_lesson
from autograder.pipeline.solutions import split_function
from autograder.reference_code import reference_function

ALL = [a.id for a in assignments()]


def test_committed_source_notebooks_match_reference(run_cli):
    result = run_cli("build", "--check")
    assert result.exit_code == 0, result.output
    assert "source notebooks match reference/" in result.output


@pytest.mark.parametrize("assignment_id", ALL)
def test_every_graded_function_has_a_solution_cell_from_reference(assignment_id):
    assignment = get_assignment(assignment_id)
    nb = build_notebook(assignment)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    assert set(solutions) == set(assignment.points)
    for name, cell in solutions.items():
        header, body = split_function(reference_function(assignment, name))
        assert cell.source.startswith(header[0]), name
        inner = cell.source.split("### BEGIN SOLUTION\n")[1].split("\n    ### END SOLUTION")[0]
        assert inner.splitlines() == body, name
        ast.parse(cell.source)


@pytest.mark.parametrize("assignment_id", ALL)
def test_every_graded_function_has_an_autograded_cell_worth_its_points(assignment_id):
    assignment = get_assignment(assignment_id)
    nb = build_notebook(assignment)
    tests = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"] for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade")}
    assert tests == {f"test_{name}": {"schema_version": 3, "grade_id": f"test_{name}",
                                      "solution": False, "grade": True, "locked": True,
                                      "points": points}
                     for name, points in assignment.points.items()}


@pytest.mark.parametrize("assignment_id", ALL)
def test_notebook_names_its_lectures(assignment_id):
    assignment = get_assignment(assignment_id)
    nb = build_notebook(assignment)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for lecture in assignment.lectures:
        assert lecture in text, f"{assignment_id} never names lecture {lecture}"


def test_check_names_a_drifted_notebook(course_copy, run_cli):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\nedited by hand"
    nbformat.write(nb, path)
    result = run_cli("--root", course_copy, "build", "--check", "01_forward_pass")
    assert result.exit_code == 1
    assert str(path) in result.output
    assert "out of date" in result.output


def test_build_rewrites_a_drifted_notebook_and_then_check_passes(course_copy, run_cli):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    path.unlink()
    assert run_cli("--root", course_copy, "build", "01_forward_pass").exit_code == 0
    assert not build(get_assignment("01_forward_pass"), course_copy, check=True).changed


def test_unknown_assignment_is_one_line(run_cli):
    result = run_cli("build", "99_nothing")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: unknown assignment '99_nothing'; course_config.py defines: "
        + ", ".join(ALL)]


def test_missing_reference_function_names_the_module(course_copy, run_cli):
    lesson = course_copy / "reference" / "lessons" / "01_forward_pass.md"
    lesson.write_text(lesson.read_text() + "\n<!-- solution: no_such_function -->\n")
    graders = course_copy / "autograder" / "graders" / "forward_pass" / "network.py"
    graders.write_text(graders.read_text() + '\nextra = Exercise("no_such_function", ref)\n')
    result = run_cli("--root", course_copy, "build", "--check", "01_forward_pass")
    assert result.exit_code == 1
    assert "forward_pass.py: no function no_such_function, which" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text, message", [
    ("<!-- bogus -->\n", "unknown directive <!-- bogus -->"),
    ("<!-- checks: dot_product -->\nno code here\n", "must be followed by a ```python block"),
    ("<!-- code -->\n```python\nx = 1\n", "code block is not closed"),
    ("<!-- solution -->\n", "needs a function name"),
])
def test_malformed_lesson_is_reported_with_its_line(tmp_path, text, message):
    path = tmp_path / "lesson.md"
    path.write_text("# Title\n" + text)
    with pytest.raises(PipelineError, match=message) as error:
        parse_lesson(path)
    assert str(path) in str(error.value)


def test_lesson_blocks_keep_their_order_and_code(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text("# T\n\nIntro.\n<!-- given -->\n```python\nimport numpy as np\n```\n"
                    "Between.\n<!-- solution: relu -->\n<!-- checks: relu -->\n```python\n"
                    "assert True\n```\n<!-- demo -->\n```python\nplot()\n```\n")
    blocks = parse_lesson(path)
    assert [(b.kind, b.arg, b.text) for b in blocks] == [
        ("markdown", "", "# T\n\nIntro."), ("given", "", "import numpy as np"),
        ("markdown", "", "Between."), ("solution", "relu", ""), ("checks", "relu", "assert True"),
        ("demo", "", "plot()")]


def test_training_lesson_states_the_configured_time_limit():
    from autograder.config import limits

    text = get_assignment("04_training").lesson().read_text()
    assert f"{limits().call_timeout('train_classifier'):g} seconds" in text
