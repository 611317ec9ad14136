"""The worker side of a grading run: one per process, warm across sessions.

Each worker owns one sandbox (a started, pre-imported template process) and runs the hidden
graders (collected once, by the engine's own runner: runner.py) against each submission it takes
from the run's queue, writing that student's results.json the moment the student is done.
"""

from __future__ import annotations

import gc
import multiprocessing.util
import threading
import time
from collections.abc import Callable
from pathlib import Path

from autograder.config import Assignment, Limits, get_assignment
from autograder.engine.graders import GraderRun, StopGrading, run_graders_batch
from autograder.engine.plan import CallPlan
from autograder.engine.pool import StudentQueue
from autograder.engine.provenance import stamp
from autograder.engine.results import results_document, write_results
from autograder.engine.stopping import die_with_parent
from autograder.engine.submissions import Loaded, load
from autograder.engine.summary import BatchResult, StudentSummary, failed_summary
from autograder.engine.time_limits import TimeLimits
from autograder.files import machine_cause, machine_error
from autograder.harness import StudentError, Submission
from autograder.sandbox import levels
from autograder.sandbox.early import EarlySandbox


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


_WORKER: dict = {}


def init_worker(parent: int, assignment_id: str, worker_limits: Limits, isolation: levels.Policy,
                 out_dir: str, skippable: dict[str, str], root: str,
                 early: EarlySandbox, inputs: dict, queue: StudentQueue) -> None:
    # Before anything else: a worker, and with it its sandbox, never outlives the run.
    die_with_parent(parent)
    # The graders make and drop many small objects per check; collecting the youngest generation
    # every 20,000 allocations instead of 700 spends about 8 % less CPU on a class (the
    # objects the worker was forked with are frozen: see _frozen).
    gc.set_threshold(20_000, 20, 20)
    assignment = get_assignment(assignment_id, Path(root))
    _WORKER.update(
        assignment=assignment,
        inputs=inputs,  # each result's provenance: provenance.run_inputs, made by the parent
        time_limits=TimeLimits.load(assignment, worker_limits, Path(root)),
        sandbox=_StartingSandbox(worker_limits, isolation, early),
        out_dir=Path(out_dir),
        skippable=skippable,
        root=Path(root),
        queue=queue,
        plan=CallPlan(),  # learned from this worker's students, kept across its sessions
    )


class _StartingSandbox:
    """The worker's sandbox, its template started in a thread (or taken over from the parent's
    early sandbox): the graders are collected meanwhile, and the first submission
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


def grade_session() -> BatchResult:
    """Grade students from the run's queue, each taken when the graders reach its slot."""
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
                    raise StopGrading("the sandbox did not start") from error
                submission = SandboxSubmission(
                    sandbox.load(item.cells, item.skip), assignment.id,
                    _WORKER["plan"], _WORKER["time_limits"])
            opened[slot] = submission
            return submission

        return open_submission

    def finished(student: str, run: GraderRun) -> None:
        try:
            record(student, run)
        except Exception as error:
            if machine_cause(error) is None:  # never lose a student silently: our fault
                summaries.append(failed_summary(student, error))
                return
            # Every later write would fail the same way: stop this session now.
            failures.append(str(machine_error(out_dir, error)))
        if failures:
            raise StopGrading("the output folder cannot be written")

    def record(slot: str, run: GraderRun) -> None:
        item = loaded[slot]
        seconds = time.perf_counter() - started.get(slot, time.perf_counter())
        submission = opened.get(slot)
        cells = _cell_reports(submission)
        status = "failed-to-run" if item.problem else "graded"
        document = results_document(
            assignment, item.student, str(item.path), run, seconds=seconds, status=status,
            problem=item.problem, isolation=starting.get().isolation, cells=cells,
            notebook_cells=item.notebook_cells)
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
    summaries += [failed_summary(item.student,
                          RuntimeError("the graders never finished this submission"))
                  for item in loaded.values() if item.student not in graded]
    return BatchResult(summaries)


def _cell_reports(submission: Submission | None) -> list[dict]:
    from autograder.engine.sandboxed import SandboxSubmission

    if not isinstance(submission, SandboxSubmission):
        return []
    return [{"index": c.index, "status": c.status, "error": c.error}
            for c in submission.process.cells]
