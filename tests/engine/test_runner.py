"""The engine's own runner grades exactly as pytest does: for every fixture of every assignment
(the reference, an unanswered notebook, every mutant, a helper that hangs, checks that break), a
grader that breaks and a submission that cannot open, both give the same runs, every field of
every result equal, in the same order; the runner's with the fixed values kept, pytest's with
them computed afresh for every student."""

from __future__ import annotations

import contextlib
import copy
import functools
import sys
from dataclasses import asdict

import numpy as np
import pytest

from autograder.checks.fixed import recomputed
from autograder.config import assignments, get_assignment
from autograder.engine.graders import StopGrading, run_graders_batch
from autograder.grader_layout import mutants_for
from autograder.graders.training.loop import NEVER_RETURNS
from autograder.harness import ReferenceSubmission, StudentError, codec_key
from tests.course_copy import copy_course
from tests.graders.test_policy_cases import ROW_BIASES, _training_that_calls_init_params

# Each assignment grades its fixtures twice, pytest's way at its own cost: 10-20 s each on a busy
# machine, and 04_training trains a network per fixture. The quick subset keeps 01_forward_pass.
ASSIGNMENTS = [pytest.param(a.id, marks=[] if a.id == "01_forward_pass" else [pytest.mark.slow])
               for a in assignments()]
# A function that calls a helper (the reference's training, drawing its first guess from the
# submission's init_params), and the helper wrong: when the helper hangs, or is wrong, the
# function's checks run with the reference's helper in its place.
HELPERS = {"04_training": ({"train_classifier": _training_that_calls_init_params()},
                           "init_params", ROW_BIASES)}


def _stub(*args, **kwargs):
    raise NotImplementedError()


class _Fixture(ReferenceSubmission):
    """The reference with `overrides`, where the graders' calls of `hangs` run into the time
    limit as the engine reports it (a mutant that never returns cannot run in-process), and
    calls of `breaks` fail on the graders' side (each of its checks is a grader that breaks).

    A training call is made once per fixture (`trained`, shared by both ways) unless helpers are
    swapped in: the student's side is the same code both ways, and what is compared is what the
    graders make of it."""

    def __init__(self, assignment_id: str, overrides=None, *, hangs: str = "",
                 breaks: str = "", trained: dict | None = None):
        super().__init__(assignment_id, overrides)
        self.hangs, self.breaks, self.trained = hangs, breaks, trained

    def _invoke(self, function, args, kwargs, timeout=None):
        if function == self.hangs:
            raise StudentError("timeout", "stopped after 1 s")
        if function == self.breaks:
            raise OSError("the connection to the student's process was lost")
        if function != "train_classifier" or self.trained is None or self.replaced:
            # with helpers swapped in, the calls of the helpers must happen: the rerun asks
            return super()._invoke(function, args, kwargs, timeout)
        key = (codec_key(args), codec_key(kwargs))
        if key not in self.trained:
            self.trained[key] = super()._invoke(function, args, kwargs, timeout)
        return copy.deepcopy(self.trained[key])


def fixtures(assignment_id: str) -> dict:
    """key -> a function that opens the submission: the reference, the stub, every mutant, a
    function whose checks all break, and a helper that hangs and one that is wrong."""
    config = get_assignment(assignment_id)
    options = {"": {}, "stub": {"overrides": {f: _stub for f in config.points}},
               "breaks": {"breaks": config.functions[0]}}
    for m in mutants_for(config.module):
        hangs = m.names == NEVER_RETURNS.title
        options[f"mutant {m.id}"] = {"hangs": m.function} if hangs else {
            "overrides": {m.function: m.implementation}}
    if assignment_id in HELPERS:
        calling, helper, wrong = HELPERS[assignment_id]
        options["hanging helper"] = {"overrides": calling, "hangs": helper}
        options["wrong helper"] = {"overrides": {**calling, helper: wrong}}
    return {key or "reference": functools.partial(_Fixture, assignment_id, trained={}, **kwargs)
            for key, kwargs in options.items()}


def graded_both_ways(assignment_id: str, submissions: dict, **options) -> tuple[list, list]:
    """(the runner's, pytest's): every run as plain data, and the keys `on_done` was given.

    pytest's way computes every fixed value afresh, as before they were kept (checks/fixed.py).
    NumPy's global generator is seeded as each submission opens: a mutant that ignores its seed
    draws the same numbers both ways (in the engine, each student's process starts afresh)."""
    def seeded(opener):
        def open_submission():
            np.random.seed(0)
            return opener()
        return open_submission

    submissions = {key: seeded(opener) for key, opener in submissions.items()}
    ways = []
    for under_pytest in (False, True):
        done = []
        with recomputed() if under_pytest else contextlib.nullcontext():
            runs = run_graders_batch(assignment_id, submissions,
                                     lambda key, run, done=done: done.append(key),
                                     under_pytest=under_pytest, **options)
        ways.append(({key: [asdict(t) for t in run.tests] for key, run in runs.items()}, done))
    return ways[0], ways[1]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_runner_and_pytest_grade_every_fixture_alike(assignment_id, monkeypatch):
    # A mutant that ignores its seed takes a generator from the OS: give it a fixed one.
    unseeded = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng",
                        lambda seed=None: unseeded(0 if seed is None else seed))
    (ours, done), (theirs, done_by_pytest) = graded_both_ways(assignment_id,
                                                              fixtures(assignment_id))
    assert list(ours) == list(theirs) == done == done_by_pytest
    for key in ours:
        assert ours[key] == theirs[key], key
    outcomes = {t["outcome"] for tests in ours.values() for t in tests}
    assert outcomes == {"passed", "failed", "error"}
    if assignment_id != "04_training":  # whose fixtures earn no partial credit
        assert any(t["score"] and t["score"] < t["max_score"] for tests in ours.values()
                   for t in tests), "no result-by-result partial credit was compared"
    if assignment_id in HELPERS:
        notes = [t["output"] for tests in ours.values() for t in tests if t["outcome"] == "passed"]
        assert any("keeps its points here" in note for note in notes)  # a wrong helper, rerun
        assert any("did not return in time" in note for note in notes)  # a hung helper


def test_a_grader_that_breaks_is_an_error_alike(tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    # pytest imports the copy's entry file by its bare name: the checkout's must not be cached
    monkeypatch.delitem(sys.modules, "test_01_forward_pass", raising=False)
    module = root / "autograder" / "graders" / "forward_pass" / "activations.py"
    text = module.read_text()
    marker = '    call = student.call("relu", z)\n'
    assert marker in text
    module.write_text(text.replace(marker, marker + "    z = 1 / 0\n", 1))
    (ours, _), (theirs, _) = graded_both_ways(
        "01_forward_pass", {"reference": lambda: ReferenceSubmission("01_forward_pass")},
        root=root)
    assert ours == theirs
    broken = [t for t in ours["reference"] if t["outcome"] == "error"]
    assert [t["description"] for t in broken] == [
        "hand example with negative, zero and positive inputs (relu(0) = 0)"]
    assert broken[0]["detail"] == "ZeroDivisionError: division by zero"
    assert "Traceback" not in broken[0]["output"] and "1 / 0" not in broken[0]["output"]


def test_a_submission_that_cannot_open_errs_in_setup_and_the_next_is_graded_alike():
    def cannot_open():
        raise OSError("no such notebook")

    (ours, done), (theirs, done_by_pytest) = graded_both_ways("03_optimizers", {
        "lost": cannot_open, "next": lambda: ReferenceSubmission("03_optimizers")})
    assert ours == theirs and done == done_by_pytest == ["next"]
    assert {t["outcome"] for t in ours["lost"]} == {"error"}
    assert all("(OSError in setup)" in t["output"] for t in ours["lost"])
    assert {t["outcome"] for t in ours["next"]} == {"passed"}


def test_stop_grading_ends_the_batch_alike():
    def stop(key, run):
        if key == "second":
            raise StopGrading("the output folder cannot be written")

    for under_pytest in (False, True):
        runs = run_graders_batch("03_optimizers", {
            key: (lambda: ReferenceSubmission("03_optimizers"))
            for key in ("first", "second", "third")}, stop, under_pytest=under_pytest)
        assert list(runs) == ["first", "second"], under_pytest
