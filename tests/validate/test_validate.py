"""nnfs-course validate: it passes on the course as it is, and fails when it should."""

import importlib.util
import re

import nbformat
import pytest

from autograder.config import assignments, get_assignment
from autograder.graders.edges import cells
from autograder.validate.run import table, validate

pytestmark = pytest.mark.slow


def test_validate_passes_for_every_assignment(run_cli, course_copy):
    result = run_cli("--root", course_copy, "validate")  # a copy: never the course's gradebook
    assert result.exit_code == 0, result.output
    assert "validation passed" in result.output
    for assignment in assignments():
        for function in assignment.points:
            assert re.search(rf"^{assignment.id} +{function} +\d", result.output, re.MULTILINE)
    if importlib.util.find_spec("torch") is not None:
        assert "autograd oracle: 10/10 backward passes agree with PyTorch" in result.output
    else:
        assert "autograd oracle skipped: torch is not installed" in result.output


WEAKEN = '''

# Planted by the test: every grader of relu now passes whatever relu returns.
for _name in [n for n in list(globals()) if n.startswith("test_relu")]:
    _original = globals()[_name]

    def _always_passes(student, _original=_original):
        pass

    _always_passes.__doc__ = _original.__doc__
    _always_passes.__name__ = _name
    _always_passes.pytestmark = _original.pytestmark
    globals()[_name] = _always_passes
'''


def test_validate_fails_when_a_grader_no_longer_catches_a_mutant(course_copy):
    graders = course_copy / "autograder" / "graders" / "test_01_forward_pass.py"
    graders.write_text(graders.read_text() + WEAKEN)
    result = validate("01_forward_pass", root=course_copy, with_oracle=False)
    assert not result.ok
    # relu's mutants are now caught only by "leaves its inputs unchanged", which does not
    # recognise "min instead of max"; the stubs and the do-nothing answers earn relu's points
    unnamed = [p for p in result.problems if "mutant relu:min-instead-of-max-in-relu: the "
               "failing tests never name the mistake" in p]
    assert unnamed, result.problems
    assert any("an answer that returns a constant earns 1 of 1 points on relu" in p
               for p in result.problems), result.problems
    assert all("relu" in p for p in result.problems), result.problems
    assert re.search(r"^01_forward_pass +relu +\d", table(result), re.MULTILINE)


FREE_POINT = '''

import numpy as np

from autograder.harness import grader

# Planted by the test: relu's hand example now gives its point for whatever relu returns.
def test_relu_hand_example(student):
    """hand example with negative, zero and positive inputs (relu(0) = 0)"""
    student.call("relu", np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]]))


test_relu_hand_example.pytestmark = [grader("relu", points=1).mark]
'''


def test_validate_fails_when_a_check_gives_points_without_right_values(course_copy):
    graders = course_copy / "autograder" / "graders" / "test_01_forward_pass.py"
    graders.write_text(graders.read_text() + FREE_POINT)
    result = validate("01_forward_pass", root=course_copy, with_oracle=False)
    assert not result.ok
    free = [p for p in result.problems if "an answer that returns a constant earns 1 of 1 points "
            "on relu: hand example" in p]
    assert free, result.problems
    assert all("relu" in p for p in result.problems), result.problems


def test_validate_reports_the_share_of_mutants_told_their_mistake(run_cli, course_copy):
    result = run_cli("--root", course_copy, "validate", "01_forward_pass", "--no-oracle")
    assert result.exit_code == 0, result.output
    assert re.search(r"^01_forward_pass: (\d+)/\1 mutants \(100%\) are told their own mistake; "
                     r"\d+ do-nothing answers graded; [1-9]\d* acceptable variants graded; "
                     rf"{len(cells(get_assignment('01_forward_pass')))} edge cells checked$",
                     result.output, re.MULTILINE)


def test_validate_fails_when_a_reference_function_is_broken(course_copy):
    path = course_copy / "source" / "01_forward_pass" / "01_forward_pass.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "softmax"
                and c.metadata["nbgrader"].get("solution"))
    body = cell.source.split("### BEGIN SOLUTION\n")[1].split("    ### END SOLUTION")[0]
    cell.source = cell.source.replace(body, "    z = np.asarray(z, dtype=float)\n"
                                            "    return np.exp(z) / np.exp(z).sum()\n")
    nbformat.write(nb, path)
    result = validate("01_forward_pass", root=course_copy, with_oracle=False)
    assert not result.ok
    assert any("out of date with reference/" in p for p in result.problems), result.problems
    assert any(p.startswith("01_forward_pass: reference fails softmax:")
               for p in result.problems), result.problems
