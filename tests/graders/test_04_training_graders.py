"""The graders of 04_training: full marks for the reference, every mutant caught on its own
function and named, nothing for an unanswered notebook, and a clear failure when training does not
return in time."""

import copy
import importlib.util

import numpy as np
import pytest

from autograder.config import get_assignment, limits
from autograder.engine.graders import run_graders, run_graders_batch
from autograder.harness import Mistake, ReferenceSubmission, StudentError
from autograder.mutants import mutants_for
from autograder.mutants.training import NEVER_RETURNS
from reference import training as ref

ASSIGNMENT = "04_training"
CONFIG = get_assignment(ASSIGNMENT)
ALL_MUTANTS = mutants_for(CONFIG.module)
# A mutant that never returns needs an engine with a time limit; in-process it would hang.
MUTANTS = [m for m in ALL_MUTANTS if m.names != NEVER_RETURNS]


def _grader_module():
    spec = importlib.util.spec_from_file_location("graders_04_training", CONFIG.grader_file())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TRAINED: dict = {}


def _cached_train_classifier(X, y, **kwargs):
    """The reference train_classifier, run once per distinct call across this module's runs.

    In-process the reference train_classifier never calls a mutated function (its globals are
    the reference module's), so mutants of other functions need not pay for the full training.
    """
    key = (np.asarray(X).tobytes(), np.asarray(y).tobytes(), tuple(sorted(kwargs.items())))
    if key not in _TRAINED:
        _TRAINED[key] = ref.train_classifier(X, y, **kwargs)
    return copy.deepcopy(_TRAINED[key])


def _submission(overrides=None):
    return ReferenceSubmission(ASSIGNMENT, overrides=overrides)


@pytest.fixture(scope="module")
def reference_run():
    return run_graders(ASSIGNMENT, _submission())


@pytest.fixture(scope="module")
def mutant_runs():
    """Every mutant (but the one that never returns) graded in one pytest run."""
    def opener(m):
        overrides = {m.function: m.implementation}
        if m.function != "train_classifier":
            overrides["train_classifier"] = _cached_train_classifier
        return lambda: _submission(overrides)

    return run_graders_batch(ASSIGNMENT, {f"{m.id}-{m.index}": opener(m) for m in MUTANTS})


def test_reference_gets_full_marks(reference_run):
    failed = [(t.nodeid, t.output) for t in reference_run.tests if t.outcome != "passed"]
    assert not failed
    assert reference_run.by_function() == {f: (p, p) for f, p in CONFIG.points.items()}


def test_every_grader_has_a_description(reference_run):
    for test in reference_run.tests:
        assert test.description and not test.description.startswith("test_"), test.nodeid


def test_every_function_and_named_mistake_has_a_mutant():
    assert {m.function for m in ALL_MUTANTS} == set(CONFIG.points)
    titles = {value.title for value in vars(_grader_module()).values()
              if isinstance(value, Mistake)}
    assert {m.names for m in ALL_MUTANTS if m.names} == titles


def test_unanswered_notebook_scores_zero():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    run = run_graders(ASSIGNMENT, _submission({function: stub for function in CONFIG.points}))
    assert run.score == 0
    assert run.max_score == CONFIG.max_score
    assert all(t.outcome == "failed" and "NotImplementedError" in t.output for t in run.tests)


class _TimesOut(ReferenceSubmission):
    """The reference, but train_classifier runs into the time limit, as the engine reports it."""

    def __init__(self):
        super().__init__(ASSIGNMENT)
        self.training_calls = 0

    def _invoke(self, function, args, kwargs):
        if function == "train_classifier":
            self.training_calls += 1
            raise StudentError("timeout", "stopped after 60 s")
        return super()._invoke(function, args, kwargs)


def test_training_that_never_returns_fails_every_training_grader_with_the_limit():
    submission = _TimesOut()
    run = run_graders(ASSIGNMENT, submission)
    limit = f"time limit of {limits().call_timeout('train_classifier'):g} seconds"
    training = [t for t in run.tests if t.function == "train_classifier"]
    assert training and all(t.score == 0 and t.outcome == "failed" for t in training)
    assert all(t.mistake == NEVER_RETURNS and limit in t.output for t in training), [
        t.output for t in training]
    assert submission.training_calls == 1  # the short runs do not wait for it again
    assert {f: s for f, s in run.by_function().items() if f != "train_classifier"} == {
        f: (p, p) for f, p in CONFIG.points.items() if f != "train_classifier"}


@pytest.mark.slow
@pytest.mark.parametrize("m", MUTANTS, ids=[f"{m.id}-{m.index}" for m in MUTANTS])
def test_mutant_loses_points_on_its_function_only(m, mutant_runs):
    run = mutant_runs[f"{m.id}-{m.index}"]
    assert not [(t.nodeid, t.output) for t in run.tests if t.outcome == "error"]
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


@pytest.mark.slow
def test_every_grader_fails_for_some_mutant(reference_run, mutant_runs):
    caught = {t.description for run in mutant_runs.values() for t in run.tests
              if t.score < t.max_score}
    assert {t.description for t in reference_run.tests} - caught == set()
