"""The engine's own runner grades exactly as pytest does: for every fixture of every assignment
(the reference, an unanswered notebook, every mutant, a helper that hangs) and for a grader that
breaks, both give the same runs, every field of every result equal, in the same order."""

from __future__ import annotations

import sys
from dataclasses import asdict

import numpy as np
import pytest

from autograder.config import assignments, get_assignment
from autograder.engine.graders import StopGrading, run_graders_batch
from autograder.grader_layout import mutants_for
from autograder.graders.training.loop import NEVER_RETURNS
from autograder.harness import ReferenceSubmission, StudentError
from tests.course_copy import copy_course

# Each assignment grades its fixtures twice, pytest's way at its own cost: 10-20 s each on a busy
# machine, and 04_training trains a network per fixture. The quick subset keeps 01_forward_pass.
ASSIGNMENTS = [pytest.param(a.id, marks=[] if a.id == "01_forward_pass" else [pytest.mark.slow])
               for a in assignments()]
# A helper that hangs: the checks of the functions that call it run with the reference's.
HANGING_HELPER = {"04_training": "init_params"}


def _stub(*args, **kwargs):
    raise NotImplementedError()


class _TimesOut(ReferenceSubmission):
    """The reference (with `overrides`), but the graders' calls of `function` run into the time
    limit, as the engine reports it (a mutant that never returns cannot run in-process)."""

    def __init__(self, assignment_id: str, function: str, overrides=None):
        super().__init__(assignment_id, overrides)
        self.hangs = function

    def _invoke(self, function, args, kwargs, timeout=None):
        if function == self.hangs:
            raise StudentError("timeout", "stopped after 1 s")
        return super()._invoke(function, args, kwargs, timeout)


class _Breaks(ReferenceSubmission):
    """The reference, but calling `function` fails on the graders' side: each of its checks is a
    grader that breaks (not the student's fault)."""

    def __init__(self, assignment_id: str, function: str):
        super().__init__(assignment_id)
        self.breaks = function

    def _invoke(self, function, args, kwargs, timeout=None):
        if function == self.breaks:
            raise OSError("the connection to the student's process was lost")
        return super()._invoke(function, args, kwargs, timeout)


def fixtures(assignment_id: str) -> dict:
    """key -> a function that opens the submission: the reference, the stub, every mutant."""
    config = get_assignment(assignment_id)
    found = {
        "reference": lambda: ReferenceSubmission(assignment_id),
        "stub": lambda: ReferenceSubmission(assignment_id, {f: _stub for f in config.points}),
        "breaks": lambda: _Breaks(assignment_id, config.functions[0]),
    }
    for m in mutants_for(config.module):
        overrides = {m.function: m.implementation}
        if m.names == NEVER_RETURNS.title:
            found[f"mutant {m.id}"] = lambda m=m: _TimesOut(assignment_id, m.function)
        else:
            found[f"mutant {m.id}"] = lambda o=overrides: ReferenceSubmission(assignment_id, o)
    if assignment_id in HANGING_HELPER:
        found["hanging helper"] = lambda: _TimesOut(assignment_id, HANGING_HELPER[assignment_id])
    return found


def graded_both_ways(assignment_id: str, submissions: dict, **options) -> tuple[list, list]:
    """(the runner's, pytest's): every run as plain data, and the keys `on_done` was given.

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
    assert any(t["score"] and t["score"] < t["max_score"] for tests in ours.values()
               for t in tests), "no result-by-result partial credit was compared"
    if assignment_id in HANGING_HELPER:
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
