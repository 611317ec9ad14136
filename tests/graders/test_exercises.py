"""The exercise layout: an assignment's graders folder, assembled for pytest; mutants as edits."""

import shutil

import pytest

from autograder import grader_layout
from autograder.config import COURSE_ROOT, ConfigError, get_assignment
from autograder.exercises import Exercise, edit
from autograder.harness import Mistake
from reference import forward_pass as ref

ASSIGNMENT = get_assignment("01_forward_pass")
WRONG = Mistake("a planted mistake", "For the tests of the layout.")


def test_an_edit_whose_text_is_missing_fails_naming_both_files_and_the_text():
    relu = Exercise("relu", ref)
    relu.mutants(edit(WRONG, "np.no_such_call", "np.minimum"))
    with pytest.raises(ValueError) as error:
        relu.made_mutants()
    message = str(error.value)
    assert __file__ in message and "reference/forward_pass.py" in message
    assert "'np.no_such_call' occurs 0 times" in message and "a planted mistake" in message


def test_an_edit_whose_text_occurs_twice_fails():
    dense = Exercise("dense_forward", ref)
    dense.mutants(edit(WRONG, "X @ W.T + b", "X @ W + b"))  # the docstring says it too
    with pytest.raises(ValueError, match="'X @ W.T \\+ b' occurs 2 times"):
        dense.made_mutants()


def test_a_mutant_is_the_reference_edited_and_names_its_mistake_object():
    relu = Exercise("relu", ref)
    relu.mutants(edit(WRONG, "np.maximum", "np.minimum", edge="relu-0"))
    (made,) = relu.made_mutants()
    assert made.names == WRONG.title and made.edges == ("relu-0",)
    assert "np.minimum(0.0" in made.source() and made.source().startswith("def relu(z):")
    assert made.implementation(ref.np.array([-1.0, 2.0])).tolist() == [-1.0, 0.0]


def test_the_checks_run_in_section_order_with_inputs_unchanged_last():
    namespace = grader_layout.assemble(str(ASSIGNMENT.grader_file()))
    tests = [name for name in namespace if name.startswith("test_")]
    assert tests[0] == "test_dot_product_hand_example"
    assert tests[-1] == "test_leaves_inputs_unchanged"
    functions = [namespace[name].pytestmark[0].kwargs["function"] for name in tests[:-1]]
    assert list(dict.fromkeys(functions)) == list(ASSIGNMENT.points)


def _broken(tmp_path, name: str, old: str, new: str):
    """A copy of the graders and lessons whose graders-folder file `name` has `old` replaced."""
    root = tmp_path / "course"
    shutil.copytree(COURSE_ROOT / "autograder" / "graders", root / "autograder" / "graders",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(COURSE_ROOT / "reference" / "lessons", root / "reference" / "lessons")
    path = grader_layout.graders_folder(ASSIGNMENT, root) / name
    path.write_text(path.read_text().replace(old, new))
    return root, path


def test_a_graded_function_without_an_exercise_is_named_with_its_folder(tmp_path):
    root, init = _broken(tmp_path, "__init__.py", ', "network")', ")")
    with pytest.raises(ConfigError, match=f"{init.parent}: no exercise of "
                                          "collapse_linear_layers, accuracy"):
        grader_layout.load_exercises(ASSIGNMENT, root)


def test_an_exercise_the_lesson_does_not_grade_is_named_with_its_file(tmp_path):
    extra = 'accuracy = Exercise("accuracy", ref)\nextra = Exercise("leaky_relu", ref)'
    root, section = _broken(tmp_path, "network.py", 'accuracy = Exercise("accuracy", ref)', extra)
    with pytest.raises(ConfigError, match=f"{section}: an exercise of leaky_relu, which .*"
                                          "01_forward_pass.md does not grade"):
        grader_layout.load_exercises(ASSIGNMENT, root)


def test_a_section_that_is_not_there_is_an_error(tmp_path):
    root, _ = _broken(tmp_path, "__init__.py", '"network")', '"network", "metrics")')
    with pytest.raises(ConfigError, match="SECTIONS names metrics"):
        grader_layout.load_exercises(ASSIGNMENT, root)


def test_points_come_from_the_graders_of_the_course_at_root(tmp_path):
    root, _ = _broken(tmp_path, "activations.py", "@relu.check(points=1)",
                      "@relu.check(points=3)")
    here, there = get_assignment(ASSIGNMENT.id), get_assignment(ASSIGNMENT.id, root)
    assert there.points["relu"] == here.points["relu"] + 2
    assert there.max_score == here.max_score + 2
    assert there.grader_file() == root / "autograder" / "graders" / "test_01_forward_pass.py"
