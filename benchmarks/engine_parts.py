"""The engine's own parts of one student's CPU: each timed where it runs, in a real grading run.

    python benchmarks/engine_parts.py                       # 01_forward_pass, N = 30, 3 runs
    python benchmarks/engine_parts.py --n 30 --runs 5 --scratch DIR

student_time.py gives the command's, the workers' and the sandbox's share of a whole run, but a
change of a millisecond per student is lost in its noise on a shared machine. This script runs
`engine.grade.grade` in this process (2 workers, the gradebook recorded, the synthetic class of
grading_throughput.py) with a few of the engine's functions wrapped, and sums the CPU time each
one took where it ran: process time in the workers (loading a notebook, the graders of a
student, results.json), thread time in the parent's gradebook thread (the sqlite3 rows, the
autograded notebooks). Each worker writes its sums to a file as a session ends. It prints the
median of the runs in ms per student, to compare two checkouts run alternately, each with its
own virtual environment. Wrapping costs a few microseconds per call. It judges nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from runners import class_parser, runs_on_a_class

import autograder.engine.runner as runner
import autograder.engine.steps as steps
import autograder.engine.worker as worker
import autograder.nbgrader.autograded as autograded
import autograder.nbgrader.gradebook_sql as gradebook_sql
import autograder.nbgrader.recorder as recorder
from autograder.engine.grade import grade

# (heading, module or class, function name, clock): where each part is timed.
WORKER_PARTS = (
    ("worker: set-up (init_worker)", worker, "init_worker"),
    ("worker: reading a notebook (load)", worker, "load"),
    ("worker: the graders of a student (runner._grade)", runner, "_grade"),
    ("worker: results_document", worker, "results_document"),
    ("worker: provenance (stamp)", worker, "stamp"),
    ("worker: writing results.json", worker, "write_results"),
    ("worker: the whole session (grade_session)", worker, "grade_session"),
)
GRADEBOOK_PARTS = (
    ("gradebook thread: reading results.json", recorder, "_read"),
    ("gradebook thread: the sqlite3 rows", gradebook_sql, "record"),
    ("gradebook thread: reading the submission", autograded, "_read"),
    ("gradebook thread: building the notebook", autograded, "build_notebook"),
    ("gradebook thread: its JSON text", autograded, "json_text"),
    ("gradebook thread: writing it and timestamp.txt", autograded, "atomic_write"),
    ("gradebook thread: all of it (Recorder._record)", recorder.Recorder, "_record"),
)
_SUMS: dict[str, float] = {}
_REPORT: list[Path] = []  # the folder where a worker writes its sums


def _wrap(heading: str, owner, name: str, clock) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        started = clock()
        try:
            return original(*args, **kwargs)
        finally:
            _SUMS[heading] = _SUMS.get(heading, 0.0) + clock() - started
            if name == "grade_session":  # a worker's sums so far, as each session ends
                with open(_REPORT[0] / f"worker-{os.getpid()}.json", "w") as handle:
                    json.dump(_SUMS, handle)

    timed.__module__, timed.__qualname__ = original.__module__, original.__qualname__
    setattr(owner, name, timed)
    if owner is worker and hasattr(steps, name):  # the run's steps call the worker's by name
        setattr(steps, name, timed)


def _reset_in_worker(*args):
    _SUMS.clear()  # a worker starts from nothing, not from the parent's sums


def one_run(course: Path, assignment: str, paths: list[Path], out: Path) -> dict[str, float]:
    """Seconds of CPU per heading in one run, summed over the workers."""
    shutil.copy(course / "gradebook.pristine.db", course / "gradebook.db")
    shutil.rmtree(out, ignore_errors=True)
    _REPORT[:] = [out.parent / "worker-sums"]
    shutil.rmtree(_REPORT[0], ignore_errors=True)
    _REPORT[0].mkdir(parents=True)
    _SUMS.clear()
    started = time.process_time()
    grade(assignment, paths, out, 2, root=course)
    figures = {heading: _SUMS.get(heading, 0.0) for heading, _, _ in GRADEBOOK_PARTS}
    figures["the command (process CPU, imports not counted)"] = time.process_time() - started
    for report in _REPORT[0].glob("worker-*.json"):
        for heading, seconds in json.loads(report.read_text()).items():
            figures[heading] = figures.get(heading, 0.0) + seconds
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = class_parser(__doc__, 30, "--runs", "whole runs")
    args = parser.parse_args(argv)
    for heading, owner, name in WORKER_PARTS:
        _wrap(heading, owner, name, time.process_time)
    for heading, owner, name in GRADEBOOK_PARTS:
        _wrap(heading, owner, name, time.thread_time)
    initializer = worker.init_worker
    steps.init_worker = worker.init_worker = lambda *a: (_reset_in_worker(), initializer(*a))[1]
    worker.init_worker.__module__, worker.init_worker.__qualname__ = \
        initializer.__module__, initializer.__qualname__
    runs = runs_on_a_class(args, "nnfs-engine-parts-", one_run, args.runs)
    print(f"{args.assignment}, N = {args.n}, {args.runs} runs in one process (2 workers, "
          f"gradebook), {sys.prefix}\n")
    print("| part | CPU ms per student (median of the runs) | each run |")
    print("|---|---|---|")
    for heading in runs[0]:
        each = [r.get(heading, 0.0) / args.n * 1000 for r in runs]
        print(f"| {heading} | {statistics.median(each):.2f} | "
              f"{', '.join(f'{x:.2f}' for x in each)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
