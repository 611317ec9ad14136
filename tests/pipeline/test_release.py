"""nnfs-course release: nbgrader's generate_assignment, then leak checks that can fail."""

import nbformat
import pytest

from autograder.config import assignments, get_assignment
from autograder.pipeline.release import release

ALL = [a.id for a in assignments()]


def test_committed_releases_are_fresh_and_leak_free(course_copy, run_cli):
    # the committed source/ and release/, copied: a release never touches the course's gradebook
    result = run_cli("--root", course_copy, "release", "--check")
    assert result.exit_code == 0, result.output
    assert result.output.count("(no leaks)") == len(ALL)


@pytest.mark.parametrize("assignment_id", ALL)
def test_release_keeps_public_checks_and_stubs_every_answer(assignment_id):
    assignment = get_assignment(assignment_id)
    source = nbformat.read(assignment.source_notebook(), as_version=4)
    released = nbformat.read(assignment.release_notebook(), as_version=4)
    checks = [c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert checks == [c.source for c in released.cells
                      if c.metadata.get("nbgrader", {}).get("grade")]
    answers = [c.source for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == len(assignment.points)
    assert all("raise NotImplementedError()" in a and "BEGIN SOLUTION" not in a for a in answers)


def _plant(root, where, text):
    path = root / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if where(c))
    cell.source += "\n" + text
    nbformat.write(nb, path)


def _is(role, name=None):
    def match(cell):
        meta = cell.metadata.get("nnfs", {})
        return meta.get("role") == role and (
            name is None or cell.metadata.get("nbgrader", {}).get("grade_id") == name)
    return match


def _solution_line():
    from autograder.pipeline.leaks import significant
    from autograder.pipeline.solutions import solution_lines
    from autograder.reference_code import reference_function

    fn = reference_function(get_assignment("01_forward_pass"), "softmax")
    return sorted(significant(solution_lines(fn)))[0]


def _grader_line():
    from autograder.pipeline.leaks import grader_lines

    return sorted(grader_lines(get_assignment("01_forward_pass")))[0]


@pytest.mark.parametrize("where, text, found", [
    (_is("markdown"), "SOLUTION_LINE", "a line of a reference solution survives"),
    (_is("checks", "test_softmax"), "GRADER_LINE", "a line of a hidden test survives"),
    (_is("markdown"), "GRADER_LINE", "a line of a hidden test survives"),
])
def test_planted_leak_fails_the_release_and_keeps_the_old_one(course_copy, run_cli, where,
                                                               text, found):
    text = {"SOLUTION_LINE": _solution_line(), "GRADER_LINE": _grader_line()}.get(text, text)
    _plant(course_copy, where, text)
    target = get_assignment("01_forward_pass").release_notebook(course_copy)
    before = target.read_text()
    result = run_cli("--root", course_copy, "release", "01_forward_pass")
    assert result.exit_code == 1
    assert "LEAK in 01_forward_pass" in result.output and found in result.output
    assert target.read_text() == before


@pytest.mark.parametrize("edit, problem", [
    # code outside the solution markers survives generate_assignment
    (lambda s: s.replace("    ### BEGIN SOLUTION", "    z = z + 0\n    ### BEGIN SOLUTION"),
     "exercise cell `relu` does more than raise NotImplementedError in `relu`"),
    # without markers nbgrader replaces the whole cell, losing the function students must write
    (lambda s: s.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", ""),
     "exercise cell `relu` defines no function"),
])
def test_answer_cell_that_is_not_a_plain_stub_is_caught(course_copy, edit, problem):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if _is("solution", "relu")(c))
    cell.source = edit(cell.source)
    nbformat.write(nb, path)
    result = release(get_assignment("01_forward_pass"), course_copy)
    assert problem in [str(leak).split(": ", 1)[1] for leak in result.leaks]


def test_hidden_test_region_outside_a_test_cell_is_refused(course_copy, run_cli):
    _plant(course_copy, _is("given"), "### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS")
    result = run_cli("--root", course_copy, "release", "01_forward_pass")
    assert result.exit_code == 1
    assert "Hidden test region detected in a non-grade cell" in result.output


def test_malformed_source_notebook_is_one_line(course_copy, run_cli):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    path.write_text("{ not json")
    result = run_cli("--root", course_copy, "release", "01_forward_pass")
    assert result.exit_code == 1
    assert f"Error: {path}: not a valid notebook" in result.output
    assert "Traceback" not in result.output


def test_release_without_source_says_to_build(course_copy, run_cli):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    path.unlink()
    result = run_cli("--root", course_copy, "release", "01_forward_pass")
    assert result.exit_code == 1
    assert "run `nnfs-course build 01_forward_pass`" in result.output


def test_instructor_cells_stay_in_the_source_and_a_release_holding_one_leaks(course_copy):
    assignment = get_assignment("04_training")
    source = nbformat.read(assignment.source_notebook(course_copy), as_version=4)
    kept = [c for c in source.cells if _is("instructor")(c)]
    assert kept and "expected outcomes" in kept[0].source
    result = release(assignment, course_copy)
    assert result.leaks == [] and not result.changed
    released = nbformat.read(result.path, as_version=4)
    assert not [c for c in released.cells if _is("instructor")(c)]
    assert not any("expected outcomes" in c.source for c in released.cells)

    from autograder.pipeline.leaks import find_leaks

    released.cells.append(kept[0])
    nbformat.write(released, result.path)
    problems = [str(leak) for leak in find_leaks(assignment, result.path, course_copy)]
    assert f"cell {len(released.cells) - 1}: a cell for the instructor only survives" in problems
