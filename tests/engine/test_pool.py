"""Students are handed out one at a time: a slot of a worker's session takes its student only
when pytest reaches it, so no student waits behind a slow one for a worker that is busy."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from autograder.commands.grading import summary_text
from autograder.engine.grade import GradeRun, StudentSummary
from autograder.engine.graders import run_graders_batch
from autograder.engine.pool import MAX_SLOTS, StudentQueue
from autograder.engine.submissions import Found
from autograder.harness import ReferenceSubmission


def _found(n: int) -> list[Found]:
    return [Found(f"s{i}", Path(f"s{i}.ipynb")) for i in range(n)]


@pytest.mark.slow
def test_the_queue_hands_out_each_student_once_and_sessions_shrink_as_it_empties():
    queue = StudentQueue(multiprocessing.get_context("fork"), _found(40), workers=2)
    assert queue.slots() == min(MAX_SLOTS, 40 // 4)
    taken = [queue.take().student for _ in range(37)]
    assert queue.slots() == 1  # the last students go one at a time
    taken += [queue.take().student for _ in range(3)]
    assert taken == [f"s{i}" for i in range(40)] and queue.take() is None


def test_a_session_takes_students_only_when_it_reaches_them_and_stops_when_none_is_left():
    supply = ["ada", "ben"]
    taken, opened, done = {}, [], []

    def take(slot):
        if not supply:
            return False
        taken[slot] = supply.pop(0)
        return True

    def opener(slot):
        def open_submission():
            opened.append(taken[slot])
            return ReferenceSubmission("03_optimizers")
        return open_submission

    slots = [f"slot{i}" for i in range(4)]
    runs = run_graders_batch("03_optimizers", {s: opener(s) for s in slots},
                             lambda slot, run: done.append((taken[slot], run.score)),
                             take=take)
    assert opened == ["ada", "ben"]  # slots 2 and 3 found the queue empty and never opened
    full = runs["slot0"].max_score
    assert done == [("ada", full), ("ben", full)]  # both closed, and graded in full


def test_the_summary_names_the_students_who_timed_out():
    run = GradeRun("01_forward_pass", Path("out"), students=[
        StudentSummary("ada", 58, 58, "graded", 0.1),
        StudentSummary("fay", 55, 58, "graded", 1.2, hung=("mse",))])
    assert "Timed out: 1 submission(s), a function that ran past its limit: fay (mse)." \
        in summary_text(run)


def test_what_every_worker_needs_is_made_once_before_the_workers_fork():
    import sys
    from types import SimpleNamespace

    from autograder.config import COURSE_ROOT, get_assignment, limits
    from autograder.engine import runner
    from autograder.engine.provenance import run_inputs
    from autograder.engine.steps import _shared

    assignment = get_assignment("01_forward_pass")
    job = SimpleNamespace(assignment=assignment, root=COURSE_ROOT, worker_limits=limits())
    runner.collect.cache_clear()
    assert _shared(job) == run_inputs(assignment, COURSE_ROOT, limits())
    hits = runner.collect.cache_info().hits
    assert runner.collect(assignment.id, Path(str(COURSE_ROOT)))  # as a worker asks for them
    assert runner.collect.cache_info().hits == hits + 1
    assert "autograder.engine.sandboxed" in sys.modules
