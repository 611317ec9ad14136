"""The steps of a grading run, in the order `grade` takes them (engine/grade.py's STEPS).

Each step is a small function of the run's `Grading` state, like nbgrader's preprocessors: find
the submissions, open the output folder, grade the students in the workers, collect the results
they wrote, write grades.csv, record the gradebook.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import Assignment, ConfigError, Limits, grader_points
from autograder.engine.pool import run_pool
from autograder.engine.provenance import run_inputs
from autograder.engine.results import read_results, write_grades_csv
from autograder.engine.stopping import stopped
from autograder.engine.submissions import Found, discover, release_skippable
from autograder.engine.summary import GradeRun, StudentSummary, failed_summary
from autograder.engine.worker import grade_session, init_worker
from autograder.files import MachineError, machine_cause, machine_error, remove_stale_temporaries
from autograder.nbgrader.recorder import Recorder
from autograder.sandbox import levels
from autograder.sandbox.early import EarlySandbox

# Importing nbgrader for the gradebook (about 1 s) is overlapped with grading for classes up to
# this size. In a larger class it is a small part of the run, and nbgrader in the parent while
# the workers are at their largest would add about 65 MB to the run's peak memory.
OVERLAP_IMPORT_UP_TO = 50


@dataclass
class Grading:
    """One run's options, and what its steps have found and written so far."""

    assignment: Assignment
    paths: list[Path]
    out_dir: Path | None
    workers: int
    root: Path
    isolation: levels.Policy
    on_start: Callable[[int, str, str], None] | None
    on_student: Callable[[StudentSummary], None] | None
    record_gradebook: bool
    worker_limits: Limits
    id_pattern: str | None
    early: EarlySandbox
    started_ns: int
    found: list[Found] = field(default_factory=list)
    made: bool = False  # the output folder is this run's own (removed if no student code ran)
    run: GradeRun | None = None
    recorder: Recorder | None = None
    documents: dict[str, dict] = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return bool(self.run.stopped_by or self.run.failure)


def find_submissions(job: Grading) -> None:
    job.out_dir = Path(job.out_dir) if job.out_dir else job.root / "grades" / job.assignment.id
    job.found = discover(job.assignment, [Path(p) for p in job.paths], job.root, job.id_pattern)
    if job.early.error is not None:  # no accepted level is even installed: fail closed, now
        raise job.early.error
    # graders, lesson and reference agree, or a ConfigError names the file, before any worker
    # starts (a worker would only meet it as the graders' collection error)
    grader_points(job.assignment)


def open_output(job: Grading) -> None:
    job.made = not job.out_dir.exists()
    try:
        job.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{job.out_dir}: cannot write results there ({error.strerror})") \
            from None
    remove_stale_temporaries(job.out_dir)
    job.run = GradeRun(job.assignment.id, job.out_dir)


def grade_students(job: Grading) -> None:
    """The workers grade every student; a stop or a machine failure ends this step early."""
    run, early, found = job.run, job.early, job.found

    def forked() -> None:  # the workers are forked: the early sandbox says the level meanwhile
        run.isolation = early.wait()
        if early.error is not None:
            raise early.error
        run.warning = levels.warning(run.isolation)
        if job.on_start:
            job.on_start(len(found), run.isolation, run.warning)

    skippable = release_skippable(job.assignment.release_notebook(job.root))
    workers = max(1, min(job.workers, len(found)))  # a worker with no student costs a sandbox
    early.add(workers - 1)  # a template for each worker, started now (the first already is)
    # The workers are forked, so the early sandbox is inherited as it is, not pickled, and what
    # every worker needs is made here once, not once per worker (see _shared).
    initargs = (os.getpid(), job.assignment.id, job.worker_limits, job.isolation,
                str(job.out_dir), skippable, str(job.root), early, _shared(job))
    recorder = job.recorder = (Recorder(job.assignment, job.root, job.out_dir,
                                        import_early=len(found) <= OVERLAP_IMPORT_UP_TO)
                               if job.record_gradebook else None)
    try:
        if found:
            def report(summaries):
                if recorder is not None:  # recorded while the next sessions are graded
                    recorder.add([s.student for s in summaries if s.status != "error"])
                for summary in summaries:
                    run.students.append(summary)
                    if job.on_student:
                        job.on_student(summary)

            run_pool(found, workers, init_worker, initargs, grade_session, report, failed_summary,
                     forked, early.before_fork, recorder)
        else:
            forked()
    except levels.Unavailable:  # no student code ran (no accepted level started): leave no trace
        if job.made:
            with contextlib.suppress(OSError):
                job.out_dir.rmdir()
        raise
    except KeyboardInterrupt as error:
        run.stopped_by = stopped(error).signo
    except MachineError as error:
        run.failure = str(error)


def _shared(job: Grading) -> dict:
    """What every worker needs before its first result, made before the workers are forked:
    each result's provenance (run_inputs), the graders' checks (collected, as runner.collect
    keeps them) and the sandboxed submission's modules. A worker made them on its own (about
    11 ms of CPU each); here they cost the same once, on the way to the first result either way.
    A collection that fails is left to the workers, which report it as they always have."""
    from autograder.engine import sandboxed  # noqa: F401  (imported by every worker)
    from autograder.engine.runner import collect

    with contextlib.suppress(Exception):
        collect(job.assignment.id, Path(job.root))
    return run_inputs(job.assignment, Path(job.root), job.worker_limits)


def collect_results(job: Grading) -> None:
    if job.ended:
        remove_stale_temporaries(job.out_dir)  # of the results the stopped workers were writing
    job.documents = {s: d for s, d in read_results(job.out_dir).items()
                     if d.get("extra_data", {}).get("assignment") == job.assignment.id}
    if job.ended:
        job.run.students += _finished_unreported(job.found, job.run.students, job.documents,
                                                 job.out_dir, job.started_ns)


def write_csv(job: Grading) -> None:
    if not job.documents:
        return
    try:
        job.run.csv_path = write_grades_csv(job.assignment, job.out_dir, job.documents)
    except OSError as error:
        if machine_cause(error) is None:
            raise
        job.run.failure = job.run.failure or str(machine_error(job.out_dir, error, "grades.csv"))


def record_scores(job: Grading) -> None:
    """What is not recorded yet (most students are, while grading went on: recorder.py)."""
    if job.recorder is None:
        return
    if not job.documents or job.ended:  # a stopped run keeps what it recorded, and no more
        job.recorder.stop()
        return
    try:
        job.run.gradebook_recorded = job.recorder.finish(job.documents)
    except Exception as error:
        if machine_cause(error) is None:
            raise
        job.run.failure = str(machine_error(job.root, error, "gradebook.db"))


def _finished_unreported(found: list[Found], reported: list[StudentSummary],
                         documents: dict[str, dict], out_dir: Path, since_ns: int,
                         ) -> list[StudentSummary]:
    """The students of a stopped session whose results.json this run wrote before it stopped (a
    worker reports a session only when all of it is done): the summary counts them too."""
    known = {s.student for s in reported}
    finished = []
    for item in found:
        doc = documents.get(item.student)
        if item.student in known or doc is None:
            continue
        try:
            written = (out_dir / item.student / "results.json").stat().st_mtime_ns
        except OSError:
            continue
        if written >= since_ns:
            extra = doc["extra_data"]
            finished.append(StudentSummary(item.student, doc["score"], doc["max_score"],
                                           extra["status"], doc["execution_time"],
                                           extra["problem"]))
    return finished
