"""The graders of 03_optimizers: full marks for the reference, lost points (and the right name) for
every known-wrong implementation, nothing for an unanswered notebook."""

import importlib.util

import pytest

from autograder.config import get_assignment
from autograder.engine.graders import run_graders
from autograder.harness import Mistake, ReferenceSubmission
from autograder.mutants import mutants_for

ASSIGNMENT = "03_optimizers"
CONFIG = get_assignment(ASSIGNMENT)
MUTANTS = mutants_for(CONFIG.module)


def _grader_module():
    spec = importlib.util.spec_from_file_location("graders_03_optimizers", CONFIG.grader_file())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(overrides=None):
    return run_graders(ASSIGNMENT, ReferenceSubmission(ASSIGNMENT, overrides=overrides))


@pytest.fixture(scope="module")
def reference_run():
    return _run()


def test_reference_gets_full_marks(reference_run):
    failed = [(t.nodeid, t.output) for t in reference_run.tests if t.outcome != "passed"]
    assert not failed
    assert reference_run.by_function() == {f: (p, p) for f, p in CONFIG.points.items()}


def test_every_grader_has_a_description(reference_run):
    for test in reference_run.tests:
        assert test.description and not test.description.startswith("test_"), test.nodeid


def test_every_function_and_named_mistake_has_a_mutant():
    assert {m.function for m in MUTANTS} == set(CONFIG.points)
    titles = {value.title for value in vars(_grader_module()).values()
              if isinstance(value, Mistake)}
    assert {m.names for m in MUTANTS if m.names} == titles


@pytest.mark.parametrize("m", MUTANTS, ids=[f"{m.id}-{m.index}" for m in MUTANTS])
def test_mutant_loses_points_on_its_function_only(m):
    run = _run({m.function: m.implementation})
    assert not [t.nodeid for t in run.tests if t.outcome == "error"]
    totals = run.by_function()
    score, best = totals[m.function]
    assert best == CONFIG.points[m.function]
    assert score < best
    assert {f: t for f, t in totals.items() if f != m.function} == {
        f: (p, p) for f, p in CONFIG.points.items() if f != m.function
    }
    if m.names:
        failed = [t for t in run.tests if t.function == m.function and t.outcome == "failed"]
        assert any(t.mistake == m.names and m.names in t.output for t in failed), [
            (t.nodeid, t.mistake) for t in failed
        ]


def test_unanswered_notebook_scores_zero():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    run = _run({function: stub for function in CONFIG.points})
    assert run.score == 0
    assert run.max_score == CONFIG.max_score
    assert all(t.outcome == "failed" and "NotImplementedError" in t.output for t in run.tests)
