"""Round trips to the sandbox per student, and the CPU they cost, with and without the call plan.

    .venv/bin/python benchmarks/round_trips.py 01_forward_pass --n 20
    .venv/bin/python benchmarks/round_trips.py 01_forward_pass --class DIR/submitted

Grades the same notebooks in one process, in alternating rounds: one at a time (every call a
request) and with the worker's call plan (engine/plan.py: planned calls in one request). For each
student it counts the requests sent to its process and the CPU time spent on both sides of the
boundary while the graders ran: `time.process_time` in this process, and the student process's
own rusage (a student whose process was replaced midway counts only its last process). Without
--class it grades the source notebook (the reference's answers) N times.
Figures are medians per student; the first student of a round with the plan teaches the plan and
is left out of both. It prints the figures and judges nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.config import get_assignment, limits  # noqa: E402
from autograder.engine.graders import run_graders_batch  # noqa: E402
from autograder.engine.plan import CallPlan  # noqa: E402
from autograder.engine.sandboxed import SandboxSubmission  # noqa: E402
from autograder.engine.submissions import Found, discover, load, release_skippable  # noqa: E402
from autograder.engine.time_limits import TimeLimits  # noqa: E402
from autograder.sandbox.process import Sandbox  # noqa: E402

RUSAGE = ("def _nnfs_rusage():\n    import resource\n"
          "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
          "    return used.ru_utime + used.ru_stime\n")


class Measured(SandboxSubmission):
    """A submission that notes its process's requests and CPU time from open to close."""

    def start(self, figures: list[dict]) -> None:
        self.figures = figures
        self.child = self.process.call("_nnfs_rusage", planned=False).value
        self.requests = self.process._requests
        self.cpu = time.process_time()

    def close(self) -> None:
        cpu = time.process_time() - self.cpu
        requests = self.process._requests - self.requests
        child = self.process.call("_nnfs_rusage", planned=False).value - self.child
        self.figures.append({"requests": requests, "worker_cpu": cpu, "child_cpu": child})
        super().close()


def grade_round(sandbox: Sandbox, assignment, items: list, plan: CallPlan | None) -> list[dict]:
    figures: list[dict] = []
    time_limits = TimeLimits.load(assignment, sandbox.limits)

    def opener(item):
        def open_submission():
            process = sandbox.load(item.cells, item.skip)
            process.define("_nnfs_rusage", RUSAGE)
            submission = Measured(process, assignment.id, None, time_limits)
            submission.plan = plan
            submission.start(figures)
            if plan is not None:  # as SandboxSubmission does, after the counters start
                if plan.learning:
                    process.record()
                process.prefetch(plan.calls)
            return submission
        return open_submission

    run_graders_batch(assignment.id, {f"s{i}": opener(item) for i, item in enumerate(items)})
    return figures[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--n", type=int, default=20, help="notebooks (at most 30)")
    parser.add_argument("--class", dest="folder", type=Path,
                        help="a submitted/ folder to grade instead of the source notebook")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each way")
    args = parser.parse_args(argv)
    assignment = get_assignment(args.assignment)
    skippable = release_skippable(assignment.release_notebook())
    if args.folder:
        found = discover(assignment, [args.folder])[: min(args.n, 30)]
    else:
        found = [Found(f"s{i}", assignment.source_notebook()) for i in range(min(args.n, 30))]
    items = [load(f, skippable) for f in found]
    ways = {"one at a time": [], "call plan": []}
    with Sandbox(limits()) as sandbox:
        for _ in range(args.rounds):
            ways["one at a time"] += grade_round(sandbox, assignment, items, None)
            ways["call plan"] += grade_round(sandbox, assignment, items, CallPlan())
    print(f"{assignment.id}: {len(items)} notebooks, {args.rounds} rounds each way "
          f"(medians per student)")
    print(f"{'':16}{'requests':>10}{'worker CPU ms':>15}{'student CPU ms':>16}{'both ms':>10}")
    for way, figures in ways.items():
        requests = statistics.median(f["requests"] for f in figures)
        worker = statistics.median(f["worker_cpu"] for f in figures) * 1000
        child = statistics.median(f["child_cpu"] for f in figures) * 1000
        both = statistics.median(f["worker_cpu"] + f["child_cpu"] for f in figures) * 1000
        print(f"{way:16}{requests:>10g}{worker:>15.1f}{child:>16.1f}{both:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
