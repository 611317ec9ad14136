"""`nnfs-course grade`: grade a class in parallel, each submission isolated, nothing lost.

The parent process finds the submissions and puts them in one queue that warm worker processes
take from, one student at a time (pool.py). Each worker owns one sandbox (a started,
pre-imported template process) and runs the hidden graders with pytest against each submission it
takes, writing that student's results.json the moment the student is done. The parent then
writes grades.csv and records the gradebook (with sqlite3 where that is exactly right, else
having imported nbgrader while the workers graded: recorder.py).

A run that is stopped (Ctrl-C, SIGTERM, SIGHUP: see stopping.py) kills its workers and keeps every
finished result; a worker dies with the parent whatever ends it. A folder that cannot be written
(a full disk, a read-only folder, a missing permission) stops the run at its first failed write.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing.util
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import (
    COURSE_ROOT,
    Assignment,
    ConfigError,
    Limits,
    get_assignment,
    limits,
)
from autograder.engine.graders import GraderRun, run_graders_batch
from autograder.engine.pool import StudentQueue, run_pool
from autograder.engine.provenance import run_inputs, stamp
from autograder.engine.results import (
    read_results,
    results_document,
    write_grades_csv,
    write_results,
)
from autograder.engine.stopping import Stopped, die_with_parent, stopped
from autograder.engine.submissions import Found, Loaded, discover, load, release_skippable
from autograder.engine.time_limits import TimeLimits
from autograder.files import MachineError, machine_cause, machine_error, remove_stale_temporaries
from autograder.harness import StudentError, Submission
from autograder.nbgrader.recorder import Recorder
from autograder.sandbox import levels
from autograder.sandbox.early import EarlySandbox

# Importing nbgrader for the gradebook (about 1 s) is overlapped with grading for classes up to
# this size. In a larger class it is a small part of the run, and nbgrader in the parent while
# the workers are at their largest would add about 65 MB to the run's peak memory.
OVERLAP_IMPORT_UP_TO = 50


@dataclass
class StudentSummary:
    student: str
    score: float
    max_score: float
    status: str  # "graded" | "failed-to-run" | "error"
    seconds: float
    problem: str = ""
    hung: tuple[str, ...] = ()  # the functions that ran past their time limit


@dataclass
class GradeRun:
    assignment: str
    out_dir: Path
    students: list[StudentSummary] = field(default_factory=list)
    isolation: str = ""
    warning: str = ""
    csv_path: Path | None = None
    gradebook_recorded: int = 0
    seconds: float = 0.0
    stopped_by: int = 0  # the signal that stopped the run, 0 if none did
    failure: str = ""  # the machine failure that stopped the run (one line), "" if none did

    @property
    def interrupted(self) -> bool:
        return bool(self.stopped_by)

    @property
    def errors(self) -> list[StudentSummary]:
        return [s for s in self.students if s.status == "error"]

    def raise_if_stopped(self) -> None:
        """For callers that go on after grading: a stopped run stops them too."""
        if self.stopped_by:
            raise Stopped(self.stopped_by)
        if self.failure:
            raise MachineError(self.failure)


@dataclass
class BatchResult:
    """What a worker sends back for one session: the students it finished, and why it stopped
    early, when the output folder failed."""

    students: list[StudentSummary]
    failure: str = ""


class UnrunnableSubmission(Submission):
    """A submission that cannot run at all: every grader fails, saying why, and nothing runs."""

    def __init__(self, assignment: str, problem: str):
        self.assignment = assignment
        self.problem = problem

    def has(self, function: str) -> bool:
        return False

    def _invoke(self, function, args, kwargs, timeout=None):
        raise StudentError("not-run", self.problem)

    def _define(self, name, source):
        raise StudentError("not-run", self.problem)


# ---------------------------------------------------------------------------------------------
# Worker side: one per process, warm across sessions.

_WORKER: dict = {}


def _init_worker(parent: int, assignment_id: str, worker_limits: Limits, isolation: levels.Policy,
                 out_dir: str, skippable: dict[str, str], root: str,
                 early: EarlySandbox, queue: StudentQueue) -> None:
    # Before anything else: a worker, and with it its sandbox, never outlives the run.
    die_with_parent(parent)
    _forget_test_modules()
    # pytest makes and drops many small objects per check; collecting the youngest generation
    # every 20,000 allocations instead of 700 spends about 8 % less CPU on a class (the
    # objects the worker was forked with are frozen: see _frozen).
    gc.set_threshold(20_000, 20, 20)
    assignment = get_assignment(assignment_id)
    _WORKER.update(
        assignment=assignment,
        inputs=run_inputs(assignment, Path(root), worker_limits),  # each result's provenance
        time_limits=TimeLimits.load(assignment, worker_limits, Path(root)),
        sandbox=_StartingSandbox(worker_limits, isolation, early),
        out_dir=Path(out_dir),
        skippable=skippable,
        root=Path(root),
        queue=queue,
    )


class _StartingSandbox:
    """The worker's sandbox, its template started in a thread (or taken over from the parent's
    early sandbox): pytest starts and collects the graders meanwhile, and the first submission
    waits for the template only if it is not ready.

    The thread never ends: the template dies with the *thread* that started it (bwrap's
    --die-with-parent and the launcher use PR_SET_PDEATHSIG, which follows the forking thread),
    so that thread must live as long as the worker.
    """

    def __init__(self, worker_limits: Limits, isolation: levels.Policy, early: EarlySandbox):
        self._sandbox = None
        self._error: BaseException | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._start,
                                        args=(worker_limits, isolation, early),
                                        name="sandbox-start", daemon=True)
        self._thread.start()

    def _start(self, worker_limits: Limits, isolation: levels.Policy,
               early: EarlySandbox) -> None:
        from autograder.sandbox.process import Sandbox, TemplateError

        try:
            self._sandbox = early.take()
            if self._sandbox is None:
                try:  # the level the parent's early sandbox is trying, without a probe of its own
                    self._sandbox = Sandbox(worker_limits, levels.named(isolation), probe=False)
                except TemplateError:
                    self._sandbox = Sandbox(worker_limits, isolation=isolation)
                # A worker that ends normally removes its own sandbox's folder (a worker that is
                # killed leaves that to its template's pdeathsig and the folder to /tmp's cleaner).
                multiprocessing.util.Finalize(self._sandbox, self._sandbox.close, exitpriority=10)
        except BaseException as error:  # raised by get(), in the thread that grades
            self._error = error
        self._started.set()
        threading.Event().wait()  # see the class docstring

    def get(self):
        self._started.wait()
        if self._error is not None:
            raise self._error
        return self._sandbox


def _forget_test_modules() -> None:
    """A worker forked from a pytest process (this package's own test suite) inherits the test
    modules it imported, graders included; pytest must import the graders of *this* grading
    run's course afresh, or a course copy's graders would clash with the cached ones."""
    for name in list(sys.modules):
        base = name.rsplit(".", 1)[-1]
        if base.startswith("test_") or base == "conftest":
            del sys.modules[name]


def _grade_session() -> BatchResult:
    """Grade students from the run's queue, each taken when pytest reaches its slot."""
    import pytest

    assignment: Assignment = _WORKER["assignment"]
    starting: _StartingSandbox = _WORKER["sandbox"]
    out_dir: Path = _WORKER["out_dir"]
    queue: StudentQueue = _WORKER["queue"]
    loaded: dict[str, Loaded] = {}  # slot -> the student it took
    started: dict[str, float] = {}
    opened: dict[str, Submission] = {}
    summaries: list[StudentSummary] = []
    failures: list[str] = []
    broken: list[BaseException] = []  # why the sandbox did not start

    def take(slot: str) -> bool:
        found = queue.take()
        if found is not None:
            loaded[slot] = load(found, _WORKER["skippable"])
        return found is not None

    def opener(slot: str) -> Callable[[], Submission]:
        def open_submission() -> Submission:
            from autograder.engine.sandboxed import SandboxSubmission

            item = loaded[slot]
            started[slot] = time.perf_counter()
            if item.problem:
                submission: Submission = UnrunnableSubmission(assignment.id, item.problem)
            else:
                try:
                    sandbox = starting.get()
                except Exception as error:  # no student can be graded here: stop the session
                    broken.append(error)
                    pytest.exit("the sandbox did not start")
                submission = SandboxSubmission(sandbox.load(item.cells, item.skip), assignment.id)
                submission.time_limits = _WORKER["time_limits"]
            opened[slot] = submission
            return submission

        return open_submission

    def finished(student: str, run: GraderRun) -> None:
        try:
            record(student, run)
        except Exception as error:
            if machine_cause(error) is None:  # never lose a student silently: our fault
                summaries.append(_failed(student, error))
                return
            # Every later write would fail the same way: stop this pytest session now.
            failures.append(str(machine_error(out_dir, error)))
        if failures:
            pytest.exit("the output folder cannot be written")

    def record(slot: str, run: GraderRun) -> None:
        item = loaded[slot]
        seconds = time.perf_counter() - started.get(slot, time.perf_counter())
        submission = opened.get(slot)
        cells = _cell_reports(submission)
        status = "failed-to-run" if item.problem else "graded"
        document = results_document(
            assignment, item.student, str(item.path), run, seconds=seconds, status=status,
            problem=item.problem, isolation=starting.get().isolation, cells=cells)
        write_results(out_dir, item.student, stamp(document, _WORKER["inputs"]))
        hung = tuple(submission.hung) if submission is not None else ()
        summaries.append(StudentSummary(item.student, run.score, run.max_score, status, seconds,
                                        item.problem, hung))

    slots = [f"slot{i}" for i in range(queue.slots())]
    run_graders_batch(assignment.id, {s: opener(s) for s in slots}, finished,
                      root=_WORKER["root"], take=take)
    if broken:
        raise broken[0]
    if failures:
        return BatchResult(summaries, failures[0])
    graded = {s.student for s in summaries}
    summaries += [_failed(item.student,
                          RuntimeError("the graders never finished this submission"))
                  for item in loaded.values() if item.student not in graded]
    return BatchResult(summaries)


def _cell_reports(submission: Submission | None) -> list[dict]:
    from autograder.engine.sandboxed import SandboxSubmission

    if not isinstance(submission, SandboxSubmission):
        return []
    return [{"index": c.index, "status": c.status, "error": c.error}
            for c in submission.process.cells]


# ---------------------------------------------------------------------------------------------
# Parent side.

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
    ended_well = False
    try:
        run = _grade(assignment_id, paths, out_dir, workers, root, isolation, on_start,
                     on_student, record_gradebook, worker_limits, id_pattern, early, started,
                     started_ns)
        ended_well = not (run.stopped_by or run.failure)
        return run
    finally:
        early.close(graceful=ended_well)


def _grade(assignment_id, paths, out_dir, workers, root, isolation, on_start, on_student,
           record_gradebook, worker_limits, id_pattern, early, started, started_ns) -> GradeRun:
    assignment = get_assignment(assignment_id)
    out_dir = Path(out_dir) if out_dir else root / "grades" / assignment.id
    found = discover(assignment, [Path(p) for p in paths], root, id_pattern)
    if early.error is not None:  # no accepted level is even installed: fail closed, now
        raise early.error
    made = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{out_dir}: cannot write results there ({error.strerror})") from None
    remove_stale_temporaries(out_dir)
    run = GradeRun(assignment.id, out_dir)

    def forked() -> None:  # the workers are forked: the early sandbox says the level meanwhile
        run.isolation = early.wait()
        if early.error is not None:
            raise early.error
        run.warning = levels.warning(run.isolation)
        if on_start:
            on_start(len(found), run.isolation, run.warning)

    skippable = release_skippable(assignment.release_notebook(root))
    workers = max(1, min(workers, len(found)))  # a worker without a student only costs a sandbox
    early.add(workers - 1)  # a template for each worker, started now (the first already is)
    # The workers are forked, so the early sandbox is inherited as it is, not pickled.
    initargs = (os.getpid(), assignment.id, worker_limits, isolation, str(out_dir), skippable,
                str(root), early)
    recorder = Recorder(assignment, root) if record_gradebook else None
    overlap = recorder is not None and len(found) <= OVERLAP_IMPORT_UP_TO
    try:
        if found:
            def report(summaries):
                for summary in summaries:
                    run.students.append(summary)
                    if on_student:
                        on_student(summary)

            run_pool(found, workers, _init_worker, initargs, _grade_session, report, _failed,
                     forked, early.before_fork, recorder if overlap else None)
        else:
            forked()
    except levels.Unavailable:  # no student code ran (no accepted level started): leave no trace
        if made:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    except KeyboardInterrupt as error:
        run.stopped_by = stopped(error).signo
    except MachineError as error:
        run.failure = str(error)
    if run.stopped_by or run.failure:
        remove_stale_temporaries(out_dir)  # of the results the stopped workers were writing
    documents = {s: d for s, d in read_results(out_dir).items()
                 if d.get("extra_data", {}).get("assignment") == assignment.id}
    if run.stopped_by or run.failure:
        run.students += _finished_unreported(found, run.students, documents, out_dir, started_ns)
    if documents:
        try:
            run.csv_path = write_grades_csv(assignment, out_dir, documents)
        except OSError as error:
            if machine_cause(error) is None:
                raise
            run.failure = run.failure or str(machine_error(out_dir, error, "grades.csv"))
        if recorder is not None and not run.stopped_by and not run.failure:
            try:
                run.gradebook_recorded = recorder.finish(documents)
            except Exception as error:
                if machine_cause(error) is None:
                    raise
                run.failure = str(machine_error(root, error, "gradebook.db"))
    run.seconds = time.perf_counter() - started
    return run


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


def _failed(student: str, error: Exception) -> StudentSummary:
    return StudentSummary(student, 0.0, 0.0, "error", 0.0,
                          f"grading failed: {type(error).__name__}: {error}")
