"""`nnfs-course grade`: grade a class in parallel, each submission isolated, nothing lost.

The run is the ordered list of steps below (steps.py). The parent process finds the submissions
and puts them in one queue that warm worker processes take from, one student at a time (pool.py).
Each worker owns one sandbox (a started, pre-imported template process) and runs the hidden
graders (runner.py) against each submission it takes, writing that student's results.json the
moment the student is done (worker.py). The parent records each finished session's students in
the gradebook while the next ones are graded (with sqlite3, where that is exactly right:
nbgrader/recorder.py), then writes grades.csv and records what is left.

A run that is stopped (Ctrl-C, SIGTERM, SIGHUP: see stopping.py) kills its workers and keeps every
finished result; a worker dies with the parent whatever ends it. A folder that cannot be written
(a full disk, a read-only folder, a missing permission) stops the run at its first failed write.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from autograder.config import COURSE_ROOT, ConfigError, Limits, get_assignment, limits
from autograder.engine.steps import (
    Grading,
    collect_results,
    find_submissions,
    grade_students,
    open_output,
    record_scores,
    write_csv,
)
from autograder.engine.summary import GradeRun, StudentSummary
from autograder.sandbox import levels
from autograder.sandbox.early import EarlySandbox

__all__ = ["STEPS", "GradeRun", "StudentSummary", "grade"]

# The run, in order; each step takes the run's Grading state (steps.py).
STEPS = (
    find_submissions,  # discover the notebooks; fail closed if no sandbox level is installed
    open_output,  # the output folder, cleared of a stopped run's temporaries
    grade_students,  # the workers grade every student, each result written when done
    collect_results,  # the results.json of this assignment, stopped sessions' too
    write_csv,  # grades.csv
    record_scores,  # the rest of nbgrader's gradebook and formgrader's autograded/ notebooks
)


def grade(
    assignment_id: str,
    paths: list[Path],
    out_dir: Path | None = None,
    workers: int = 2,
    *,
    root: Path = COURSE_ROOT,
    isolation: str | levels.Policy | None = None,
    trusted: bool = False,
    on_start: Callable[[int, str, str], None] | None = None,
    on_student: Callable[[StudentSummary], None] | None = None,
    record_gradebook: bool = True,
    worker_limits: Limits | None = None,
    id_pattern: str | None = None,
    early: EarlySandbox | None = None,
) -> GradeRun:
    """Grade every submission found under `paths`; see the module docstring.

    `isolation` is a level to use for this run, or a levels.Policy; otherwise the course's
    minimum (course_config.ISOLATION_MINIMUM) decides, and `trusted` says the notebooks are the
    instructor's own. `early` is a sandbox the caller started, with `worker_limits` and
    levels.course_policy(), as soon as it could (the command line does, before importing the
    engine); grade() closes it. Where no accepted level starts, levels.Unavailable is raised
    before any student code runs and before anything is written.
    """
    started, started_ns = time.perf_counter(), time.time_ns()
    worker_limits = worker_limits or limits()
    if early is None:
        try:
            early = EarlySandbox(worker_limits, levels.course_policy(isolation, trusted))
        except ValueError as error:  # a misnamed or refused isolation level
            raise ConfigError(str(error)) from None
    isolation = early.policy
    ended_well, job = False, None
    try:
        job = Grading(get_assignment(assignment_id, root), paths, out_dir, workers, root,
                      isolation, on_start, on_student, record_gradebook, worker_limits,
                      id_pattern, early, started_ns)
        for step in STEPS:
            step(job)
        run = job.run
        run.seconds = time.perf_counter() - started
        ended_well = not (run.stopped_by or run.failure)
        return run
    finally:
        if job is not None and job.recorder is not None:
            job.recorder.stop()  # whatever ended the run, the gradebook's thread ends with it
        early.close(graceful=ended_well)
