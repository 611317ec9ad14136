"""validate's judgement of the edge table: a cell without a check, or without a mutant that its
check catches (and only there), fails validation."""

from autograder.config import get_assignment
from autograder.grader_layout import mutants_for
from autograder.validate.edges import judge_edges

ASSIGNMENT = get_assignment("02_backpropagation")
EDGE_CHECK = "tanh_backward: finite and right for |z| up to 1000 (no overflow)"
ORDINARY_CHECK = "tanh_backward: agrees with the reference on random inputs of several shapes"
CELL = "edge cell tanh_backward x tanh-1000"


def _judged(root, lost: list[str]) -> list[str]:
    """Problems about tanh_backward when its edge mutant loses the checks named in `lost`."""
    mutant = next(m for m in mutants_for(ASSIGNMENT.module)
                  if m.function == "tanh_backward" and m.edges)
    tests = [{"name": name, "score": 0.0 if name in lost else 1.0, "max_score": 1.0,
              "extra_data": {"function": "tanh_backward"}}
             for name in (EDGE_CHECK, ORDINARY_CHECK)]
    problems, _ = judge_edges(ASSIGNMENT, root, {"m": mutant}, {"m": {"tests": tests}})
    return [p for p in problems if "tanh_backward" in p]


def test_a_cell_whose_check_catches_its_mutant_there_only_passes(course_copy):
    assert _judged(course_copy, [EDGE_CHECK]) == []


def test_a_mutant_the_check_misses_or_that_fails_elsewhere_is_a_problem(course_copy):
    (missed,) = _judged(course_copy, [])
    assert missed.startswith(f"{CELL} (|z| up to 1000 for tanh) has no mutant that its check")
    (elsewhere,) = _judged(course_copy, [EDGE_CHECK, ORDINARY_CHECK])
    assert "also fails away from the edges: " + ORDINARY_CHECK in elsewhere


def test_a_cell_without_a_check_and_a_check_at_an_edge_the_table_lacks_are_problems(course_copy):
    graders = course_copy / "autograder" / "graders" / "backpropagation" / "activations.py"
    text = graders.read_text()
    text = text.replace('@tanh_backward.check(points=1, edge="tanh-1000")',
                        '@tanh_backward.check(points=1)')
    text = text.replace('relu_backward.agrees(1, RANDOM, seed=1,',
                        'relu_backward.agrees(1, RANDOM, seed=1, edge="tanh-1000",')
    graders.write_text(text)
    problems = _judged(course_copy, [EDGE_CHECK])
    assert any(p.startswith(f"{CELL} (|z| up to 1000 for tanh) has no check") for p in problems)
    mutant = next(m for m in mutants_for(ASSIGNMENT.module) if m.function == "tanh_backward")
    all_problems, _ = judge_edges(ASSIGNMENT, course_copy, {"m": mutant}, {"m": {"tests": []}})
    assert any("relu_backward: agrees with the reference on random inputs of several shapes is "
               "marked edge 'tanh-1000', which the edge table does not give relu_backward" in p
               for p in all_problems), all_problems
