"""The hidden graders of 01_forward_pass: full marks for the reference, lost points (and the
right name) for every known-wrong implementation, nothing for an unanswered notebook.

One pytest run grades the reference, the stubs and every mutant (run_graders_batch), so the whole
file costs about as much as a single grading run.
"""

import importlib.util

import pytest

from autograder.config import get_assignment
from autograder.engine.graders import run_graders, run_graders_batch
from autograder.harness import Mistake, ReferenceSubmission
from autograder.mutants import mutants_for

ASSIGNMENT = "01_forward_pass"
CONFIG = get_assignment(ASSIGNMENT)
MUTANTS = mutants_for(CONFIG.module)


def _stub(*args, **kwargs):
    raise NotImplementedError()


def _grader_module():
    spec = importlib.util.spec_from_file_location("graders_01_forward_pass", CONFIG.grader_file())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runs():
    """Grader runs keyed "reference", "stub" and "mutant-<index>"."""
    submissions = {
        "reference": lambda: ReferenceSubmission(ASSIGNMENT),
        "stub": lambda: ReferenceSubmission(ASSIGNMENT, {f: _stub for f in CONFIG.points}),
    }
    for m in MUTANTS:
        submissions[f"mutant-{m.index}"] = (
            lambda m=m: ReferenceSubmission(ASSIGNMENT, {m.function: m.implementation}))
    return run_graders_batch(ASSIGNMENT, submissions)


def test_reference_earns_full_marks(runs):
    run = runs["reference"]
    failed = [f"{t.name}\n{t.output}" for t in run.tests if t.outcome != "passed"]
    assert not failed, "\n\n".join(failed)
    assert run.score == run.max_score == CONFIG.max_score
    assert run.by_function() == {f: (p, p) for f, p in CONFIG.points.items()}


def test_run_graders_agrees_with_the_batch(runs):
    single = run_graders(ASSIGNMENT, ReferenceSubmission(ASSIGNMENT))
    assert single.by_function() == runs["reference"].by_function()


def test_every_grader_has_a_student_facing_description(runs):
    for t in runs["reference"].tests:
        assert t.description and not t.description.startswith("test_"), t.nodeid


def test_unanswered_notebook_scores_zero(runs):
    run = runs["stub"]
    assert run.score == 0
    assert run.max_score == CONFIG.max_score
    assert all(t.outcome == "failed" and "NotImplementedError" in t.output for t in run.tests)


def test_every_function_and_named_mistake_has_a_mutant():
    assert {m.function for m in MUTANTS} == set(CONFIG.points)
    titles = {value.title for value in vars(_grader_module()).values()
              if isinstance(value, Mistake)}
    assert {m.names for m in MUTANTS if m.names} == titles


@pytest.mark.parametrize("m", MUTANTS, ids=[f"{m.index:02d}-{m.id}" for m in MUTANTS])
def test_mutant_loses_points_on_its_function_only(runs, m):
    run = runs[f"mutant-{m.index}"]
    errors = [f"{t.name}\n{t.output}" for t in run.tests if t.outcome == "error"]
    assert not errors, "\n\n".join(errors)
    totals = run.by_function()
    score, best = totals[m.function]
    assert best == CONFIG.points[m.function]
    assert score < best, f"{m.id} kept full marks"
    assert {f: t for f, t in totals.items() if f != m.function} == {
        f: (p, p) for f, p in CONFIG.points.items() if f != m.function
    }
    if m.names:
        failed = [t for t in run.tests if t.function == m.function and t.outcome == "failed"]
        assert any(t.mistake == m.names and m.names in t.output for t in failed), (
            f"no failing check of {m.function} names {m.names!r}:\n\n"
            + "\n\n".join(t.output for t in failed))


def test_every_grader_can_fail(runs):
    def grader_id(test):
        return test.nodeid.split("[")[0]  # without the submission's parameter

    caught = {grader_id(t) for m in MUTANTS for t in runs[f"mutant-{m.index}"].tests
              if t.score == 0}
    never = [grader_id(t) for t in runs["reference"].tests if grader_id(t) not in caught]
    assert not never, "no mutant fails these graders: " + ", ".join(never)
