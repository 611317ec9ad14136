"""The graders' CPU in one grading worker: pytest's per-test protocol against the engine's runner,
and the fixed values (reference results, mistakes' values) computed per student against once.

    python benchmarks/grader_cpu.py --n 30 --scratch DIR
    python benchmarks/grader_cpu.py --n 30 --profile runner   # cProfile's top functions

It builds N notebooks of an assignment as grading_throughput.py does (runners.build_class),
starts one sandbox, and grades the class in this one process, as a warm worker does, in three
ways, one after the other in each of --rounds rounds:

  - pytest, every value recomputed: the engine as it was (`under_pytest`, fixed.recomputed());
  - the runner, every value recomputed;
  - the runner, fixed values kept: the engine as it is.

For each way it gives the CPU time of this process per student (time.process_time: the graders
and the engine's side of every call; the student's sandboxed process is not counted), the median
of the rounds and the least, and each median as a share of the first way's (the ways take turns
going first). A round before the timed ones warms every way up (the runner's collection, the
kept values: once per worker). It also checks that the three ways give the same scores and
messages. It makes no pass/fail judgement.
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from runners import build_class, class_parser

from autograder.checks.fixed import recomputed
from autograder.config import get_assignment, limits
from autograder.engine.graders import run_graders_batch
from autograder.engine.sandboxed import SandboxSubmission
from autograder.engine.submissions import discover, load, release_skippable
from autograder.engine.time_limits import TimeLimits
from autograder.sandbox import levels
from autograder.sandbox.process import Sandbox

WAYS = {  # name -> (under pytest, values recomputed)
    "pytest, values per student": (True, True),
    "runner, values per student": (False, True),
    "runner, values once per worker": (False, False),
}


def grade(assignment_id: str, items: list, sandbox: Sandbox, way: str) -> tuple[float, dict]:
    """Grade the class one way: (CPU seconds of this process, key -> [(score, output)])."""
    assignment = get_assignment(assignment_id)
    time_limits = TimeLimits.load(assignment, limits())
    under_pytest, fresh = WAYS[way]

    def opener(item):
        def open_submission():
            submission = SandboxSubmission(sandbox.load(item.cells, item.skip), assignment_id)
            submission.time_limits = time_limits
            return submission
        return open_submission

    submissions = {item.student: opener(item) for item in items}
    with recomputed() if fresh else contextlib.nullcontext():
        started = time.process_time()
        runs = run_graders_batch(assignment_id, submissions, under_pytest=under_pytest)
        seconds = time.process_time() - started
    return seconds, {key: [(t.score, t.output) for t in run.tests] for key, run in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = class_parser(__doc__, 30, "--rounds", "timed rounds")
    parser.add_argument("--profile", choices=["pytest", "runner"],
                        help="instead: cProfile (CPU time) of one run of that way, kept values "
                             "for the runner, recomputed ones for pytest")
    args = parser.parse_args(argv)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="nnfs-grader-cpu-"))
    submitted = scratch / "submitted"
    shutil.rmtree(submitted, ignore_errors=True)
    build_class(args.assignment, args.n, args.seed, submitted)
    assignment = get_assignment(args.assignment)
    skippable = release_skippable(assignment.release_notebook())
    items = [load(found, skippable) for found in discover(assignment, [submitted])]
    sandbox = Sandbox(limits(), isolation=levels.course_policy())
    try:
        results = {way: grade(args.assignment, items, sandbox, way)[1] for way in WAYS}
        if args.profile:
            way = "pytest, values per student" if args.profile == "pytest" else list(WAYS)[-1]
            profile = cProfile.Profile(time.process_time)
            profile.runcall(grade, args.assignment, items, sandbox, way)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return 0
        seconds = {way: [] for way in WAYS}
        for round_ in range(args.rounds):
            ways = list(WAYS)
            for way in ways[round_ % len(ways):] + ways[:round_ % len(ways)]:  # each goes first
                seconds[way].append(grade(args.assignment, items, sandbox, way)[0])
    finally:
        sandbox.close()
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    same = all(results[way] == results[list(WAYS)[0]] for way in WAYS)
    print(f"{args.assignment}, N = {args.n}, one process, {args.rounds} rounds "
          f"(CPU ms per student of the grading process; rounds in brackets)\n")
    print("| way | CPU ms / student, median (rounds) | least | median as a share of the first |")
    print("|---|---|---|---|")
    first = statistics.median(seconds[list(WAYS)[0]])
    for way, values in seconds.items():
        median = statistics.median(values)
        rounds = ", ".join(f"{v / args.n * 1000:.1f}" for v in values)
        print(f"| {way} | {median / args.n * 1000:.1f} ({rounds}) | "
              f"{min(values) / args.n * 1000:.1f} | {median / first:.0%} |")
    print(f"\nThe same scores and messages all three ways: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
