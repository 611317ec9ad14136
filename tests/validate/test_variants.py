"""The corpus of acceptable variants: what it holds, and that validate fails when a public check
or a grader is stricter than the spec."""

import nbformat
import pytest

from autograder.config import assignments, get_assignment
from autograder.reference_code import function_source, reference_function
from autograder.validate.run import validate
from autograder.validate.variants import check_public
from autograder.variants import edit, variants_for


def test_every_variant_is_a_new_answer_to_a_graded_function():
    for assignment in assignments():
        for variant in variants_for(assignment.module):
            assert variant.function in assignment.functions, variant.id
            assert variant.source.startswith(f"def {variant.function}("), variant.id
            compile(variant.source, variant.id, "exec")
            reference = function_source(reference_function(assignment, variant.function))
            assert variant.source.strip() != reference.strip(), variant.id


def test_the_corpus_holds_the_idioms_the_spec_names():
    ids = {v.id for a in assignments() for v in variants_for(a.module)}
    for expected in ("sigmoid:np-clip-z-500-500-before-exp",
                     "categorical_cross_entropy:log-p-1e-7-instead-of-clipping",
                     "categorical_cross_entropy_backward:y-p-1e-7-n-the-backward-of-log-p-1e-7",
                     "matrix_product:three-python-loops-returning-a-list-of-lists",
                     "tanh:float32-result"):
        assert expected in ids


def test_an_edit_whose_text_is_not_in_the_reference_fails_loudly():
    code = 'edit("sigmoid", "no such text", "return 2 * z", "return z")'
    with pytest.raises(ValueError, match="occurs 0 times in .*forward_pass.py, not once"):
        exec(code, {"edit": edit, "__name__": "autograder.variants.forward_pass"})


def _set_check(root, assignment_id, function, old, new):
    """Make the release notebook's public checks of `function` read `new` where they read `old`."""
    path = get_assignment(assignment_id).release_notebook(root)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == f"test_{function}")
    assert old in cell.source
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, path)


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id, function, old, new, variant", [
    # the two checks of the lessons' second read, as strict as they were
    ("01_forward_pass", "sigmoid", "[0.0, 1.0], atol=1e-8)", "[0.0, 1.0], atol=0)",
     "variant sigmoid:np-clip-z-500-500-before-exp"),
    ("02_backpropagation", "categorical_cross_entropy_backward", "[-1.0, 0.0], rtol=1e-5)",
     "[-1.0, 0.0])", "variant categorical_cross_entropy_backward:y-p-1e-7-n-the-backward"),
])
def test_a_public_check_stricter_than_the_graders_fails_validation(course_copy, assignment_id,
                                                                    function, old, new, variant):
    assignment = get_assignment(assignment_id)
    assert check_public(assignment, course_copy) == []
    _set_check(course_copy, assignment_id, function, old, new)
    problems = check_public(assignment, course_copy)
    assert len(problems) == 1 and problems[0].startswith(variant), problems
    assert f"fails the release notebook's public checks of {function}" in problems[0]


FLOAT64_ONLY = '''

import numpy as np

from autograder.harness import grader

# Planted by the test: tanh must return float64, which the spec does not ask.
def test_tanh_float64(student):
    """returns float64"""
    call = student.call("tanh", np.array([0.5, -0.5]))
    assert np.asarray(call.value).dtype == np.float64, "not float64"


test_tanh_float64.pytestmark = [grader("tanh", points=1).mark]
'''


@pytest.mark.slow
def test_a_grader_stricter_than_the_spec_fails_validation(course_copy):
    graders = course_copy / "autograder" / "graders" / "test_01_forward_pass.py"
    graders.write_text(graders.read_text() + FLOAT64_ONLY)
    result = validate("01_forward_pass", root=course_copy, with_oracle=False)
    strict = [p for p in result.problems if "variant tanh:float32-result (float32 result) is "
              "acceptable by the spec but loses 1 point(s) on tanh: returns float64" in p]
    assert strict, result.problems
