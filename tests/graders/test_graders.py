"""The hidden graders of every assignment, judged in-process against the reference:

full marks for the reference, nothing for an unanswered notebook, and, for every known-wrong
implementation (mutant), lost points on its own function only, with its mistake named. One pytest
run per assignment grades the reference, the stubs and every mutant (run_graders_batch).
`nnfs-course validate` repeats this through the sandboxed engine (tests/validate).
"""

import copy
from functools import cache

import numpy as np
import pytest

from autograder import grader_layout
from autograder.config import assignments, get_assignment
from autograder.engine.graders import run_graders, run_graders_batch
from autograder.grader_layout import mutants_for
from autograder.graders.training.loop import NEVER_RETURNS
from autograder.harness import ReferenceSubmission
from autograder.validate.do_nothing import KINDS, do_nothing_answers
from reference import training

ASSIGNMENTS = [a.id for a in assignments()]


def mutants(assignment_id):
    # A mutant that never returns needs the engine's time limit; in-process it would hang.
    found = mutants_for(get_assignment(assignment_id).module)
    return [m for m in found if m.names != NEVER_RETURNS.title]


MUTANT_CASES = [pytest.param(a, m, id=f"{a}-{m.index:02d}-{m.id}")
                for a in ASSIGNMENTS for m in mutants(a)]


def _stub(*args, **kwargs):
    raise NotImplementedError()


@cache
def _trained(key):
    X, y, kwargs = key
    return training.train_classifier(np.frombuffer(X).reshape(-1, 2), np.frombuffer(y, int),
                                     **dict(kwargs))


def _cached_train_classifier(X, y, **kwargs):
    """The reference training, run once per distinct call: in-process it never calls a mutant
    (its globals are the reference module's), so other functions' mutants need not pay for it."""
    key = (np.asarray(X, float).tobytes(), np.asarray(y, int).tobytes(),
           tuple(sorted(kwargs.items())))
    return copy.deepcopy(_trained(key))


def _overrides(assignment_id, mutant):
    found = {mutant.function: mutant.implementation}
    if assignment_id == "04_training" and mutant.function != "train_classifier":
        found["train_classifier"] = _cached_train_classifier
    return found


@cache
def graded(assignment_id):
    """Grader runs keyed "reference", "stub" and "mutant-<index>", from one pytest run."""
    config = get_assignment(assignment_id)
    submissions = {
        "reference": lambda: ReferenceSubmission(assignment_id),
        "stub": lambda: ReferenceSubmission(assignment_id, {f: _stub for f in config.points}),
    }
    for m in mutants(assignment_id):
        submissions[f"mutant-{m.index}"] = (
            lambda m=m: ReferenceSubmission(assignment_id, _overrides(assignment_id, m)))
    for kind in KINDS:
        answers = {a.function: a.source() for a in do_nothing_answers(config, kind)}
        submissions[f"do-nothing: {kind}"] = (
            lambda answers=answers: ReferenceSubmission(assignment_id, answers))
    return run_graders_batch(assignment_id, submissions)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_reference_earns_full_marks(assignment_id):
    config = get_assignment(assignment_id)
    run = graded(assignment_id)["reference"]
    failed = [f"{t.name}\n{t.output}" for t in run.tests if t.outcome != "passed"]
    assert not failed, "\n\n".join(failed)
    assert run.score == run.max_score == config.max_score
    assert run.by_function() == {f: (p, p) for f, p in config.points.items()}


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_grader_has_a_student_facing_description(assignment_id):
    for t in graded(assignment_id)["reference"].tests:
        assert t.description and not t.description.startswith("test_"), t.nodeid
        assert t.name.startswith(f"{t.function}: ")


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_unanswered_notebook_scores_zero(assignment_id):
    run = graded(assignment_id)["stub"]
    assert run.score == 0
    assert run.max_score == get_assignment(assignment_id).max_score
    assert all(t.outcome == "failed" and "NotImplementedError" in t.output for t in run.tests)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_an_answer_that_computes_nothing_earns_nothing(assignment_id, kind):
    run = graded(assignment_id)[f"do-nothing: {kind}"]
    earning = [f"{t.name}: {t.score:g}" for t in run.tests if t.score > 0]
    assert not earning, earning
    assert not [t.name for t in run.tests if t.outcome == "error"]
    assert run.max_score == get_assignment(assignment_id).max_score


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_mutant_names_its_mistake(assignment_id):
    unnamed = [m.id for m in mutants_for(get_assignment(assignment_id).module) if not m.names]
    assert not unnamed


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_function_and_named_mistake_has_a_mutant(assignment_id):
    found = mutants_for(get_assignment(assignment_id).module)
    assert {m.function for m in found} == set(get_assignment(assignment_id).points)
    defined = grader_layout.folder_mistakes(get_assignment(assignment_id))
    titles = {value.title for value in defined}
    assert {m.names for m in found if m.names} == titles


@pytest.mark.parametrize("assignment_id, m", MUTANT_CASES)
def test_mutant_loses_points_on_its_function_only(assignment_id, m):
    config = get_assignment(assignment_id)
    run = graded(assignment_id)[f"mutant-{m.index}"]
    errors = [f"{t.name}\n{t.output}" for t in run.tests if t.outcome == "error"]
    assert not errors, "\n\n".join(errors)
    totals = run.by_function()
    score, best = totals[m.function]
    assert best == config.points[m.function]
    assert score < best, f"{m.id} kept full marks"
    assert {f: t for f, t in totals.items() if f != m.function} == {
        f: (p, p) for f, p in config.points.items() if f != m.function}
    if m.names:
        failed = [t for t in run.tests if t.function == m.function and t.outcome == "failed"]
        assert any(t.mistake == m.names and m.names in t.output for t in failed), (
            f"no failing check of {m.function} names {m.names!r}:\n\n"
            + "\n\n".join(t.output for t in failed))


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_grader_can_fail(assignment_id):
    runs = graded(assignment_id)

    def grader_id(test):
        return test.name  # "function: check", the same for every submission

    caught = {grader_id(t) for m in mutants(assignment_id)
              for t in runs[f"mutant-{m.index}"].tests if t.score < t.max_score}
    never = [grader_id(t) for t in runs["reference"].tests if grader_id(t) not in caught]
    assert not never, "no mutant fails these graders: " + ", ".join(never)


def test_run_graders_agrees_with_the_batch():
    single = run_graders("01_forward_pass", ReferenceSubmission("01_forward_pass"))
    assert single.by_function() == graded("01_forward_pass")["reference"].by_function()
