"""Handing a class's students to the grading workers, one student at a time.

Every worker takes its next student from one shared queue the moment it is free, so a student
who runs into a time limit holds up nobody else: the others go to whichever worker is free. A
worker grades the students it takes in sessions of a few slots (the graders are collected once
per worker); a slot takes its student only when the graders reach it, and a session whose queue
ran dry stops at its first empty slot. Sessions shrink as the queue empties, so the workers
finish together.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from autograder.engine.submissions import Found
from autograder.files import MachineError

MAX_SLOTS = 16  # students per session, at most


class StudentQueue:
    """The students still to grade, shared by the parent and its forked workers."""

    def __init__(self, context, found: list[Found], workers: int):
        self.found = list(found)
        self.workers = max(1, workers)
        self._next = context.Value("i", 0)

    def take(self) -> Found | None:
        """The next student, or None when every student has been taken."""
        with self._next.get_lock():
            index = self._next.value
            if index >= len(self.found):
                return None
            self._next.value = index + 1
        return self.found[index]

    @property
    def taken(self) -> int:
        return min(self._next.value, len(self.found))

    def slots(self) -> int:
        """How many students the next session may take: a quarter of what is left per worker
        (at most MAX_SLOTS), so the last sessions take one student each."""
        left = len(self.found) - self.taken
        return max(1, min(MAX_SLOTS, left // (self.workers * 2)))


def run_pool(found: list[Found], workers: int, initializer, initargs: tuple,
             grade_session: Callable, report: Callable, failed: Callable, on_fork,
             before_fork: Callable[[], None], recorder=None) -> None:
    """Grade `found` in a pool of `workers`; students whose worker died are graded once more.

    `grade_session(queue)` runs in a worker and returns a BatchResult; `report(summaries)`
    takes each finished session's students; `failed(student, error)` makes the summary of a
    student who could not be graded; `before_fork()` runs before each pool forks its workers,
    and `on_fork()` once, when the first workers are forked.
    Raises Stopped (a KeyboardInterrupt) or MachineError after ending every worker.
    """
    pending, retried = list(found), False
    while pending:
        context = multiprocessing.get_context("fork")
        queue = StudentQueue(context, pending, workers)
        reported: set[str] = set()
        died, errors = False, []
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=initializer, initargs=(*initargs, queue)) as pool:
            try:
                before_fork()
                with recorder.forking() if recorder else contextlib.nullcontext(), _frozen():
                    running = {pool.submit(grade_session) for _ in range(workers)}
                if recorder is not None:  # the workers are forked: see recorder.py
                    recorder.start()
                if not retried:
                    on_fork()
                while running:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    failure = ""
                    for future in done:
                        try:
                            result = future.result()
                        except BrokenProcessPool:
                            died = True
                            continue
                        except Exception as error:  # a fault of ours: its students fail
                            errors.append(error)
                            continue
                        reported.update(s.student for s in result.students)
                        report(result.students)
                        failure = failure or result.failure
                    if failure:
                        raise MachineError(failure)
                    if not died and queue.taken < len(queue.found):
                        running |= {pool.submit(grade_session) for _ in done}
            except BaseException:
                # Wherever the stop lands (a signal, the progress bar, a failed disk), no
                # queued session may start, and the workers go now, not when they are done.
                stop(pool)
                raise
        lost = [f for f in pending if f.student not in reported]
        if not lost:
            return
        if not died:  # only sessions that broke lost students: say why, per student
            report([failed(f.student, errors[0] if errors else RuntimeError("not graded"))
                    for f in lost])
            return
        if retried:
            report([failed(f.student, RuntimeError("the grading worker died twice"))
                    for f in lost])
            return
        pending, retried = lost, True


@contextlib.contextmanager
def _frozen():
    """Fork the workers with every object made so far out of the garbage collector's sight.

    A worker's collections would otherwise walk all of NumPy, pytest and the engine it inherits,
    about 4 % of a run, and copy every page they touch out of the memory it shares with the
    parent. The parent collects them again once the workers are forked.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def stop(pool: ProcessPoolExecutor) -> None:
    """Interrupted: drop the queued sessions and end the workers now (their sandboxes die with
    them); a student being graded gets no result, and each finished one keeps its own."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.kill()
    for process in workers:
        process.join()
