"""The sandbox's CPU per student while the engine grades a class: the template and its children.

    .venv/bin/python benchmarks/sandbox_cpu.py                      # 01_forward_pass, N = 30
    .venv/bin/python benchmarks/sandbox_cpu.py --n 30 --rounds 3

Builds the synthetic class of grading_throughput.py and grades it in this process, as a grading
worker does: one sandbox at the course's level, the engine's checks and its call plan. Around
each round it reads the template process from /proc: its own CPU time and page faults and those
of the children it reaped (every student's process, from its fork through its exit). Per student
that is the sandbox's side of a run: the template's clean-up, precompile and fork, and the
student's set-up, cells, calls and exit. It also gives this process's own CPU (the graders'
side). The first round, which teaches the call plan, is left out. It prints the figures and
judges nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from runners import build_class, class_parser  # noqa: E402

from autograder.config import get_assignment, limits  # noqa: E402
from autograder.engine.graders import run_graders_batch  # noqa: E402
from autograder.engine.plan import CallPlan  # noqa: E402
from autograder.engine.sandboxed import SandboxSubmission  # noqa: E402
from autograder.engine.submissions import Found, load, release_skippable  # noqa: E402
from autograder.engine.time_limits import TimeLimits  # noqa: E402
from autograder.sandbox.process import Sandbox  # noqa: E402

FIELDS = ("template", "children", "faults")


def _descendants(root: int) -> list[int]:
    parents = {}
    for name in Path("/proc").iterdir():
        if name.name.isdigit():
            try:
                parents[int(name.name)] = int((name / "stat").read_bytes().rsplit(b")", 1)[1]
                                              .split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        frontier += children
    return found


def template_pid(sandbox: Sandbox) -> int:
    for pid in _descendants(sandbox._popen.pid):
        try:
            if b"template.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    raise RuntimeError("no template process found")


def counters(pid: int) -> dict[str, float]:
    """Seconds of CPU (user and system) of the template `pid` itself and of the children it
    reaped, and the minor page faults of both."""
    stat = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1]
    fields = [int(x) for x in stat.split()[1:16]]  # from the parent's pid to cstime
    tick = os.sysconf("SC_CLK_TCK")
    return {"template": (fields[10] + fields[11]) / tick,
            "children": (fields[12] + fields[13]) / tick, "faults": fields[6] + fields[7]}


def grade_round(sandbox: Sandbox, assignment, items: list, plan: CallPlan) -> None:
    time_limits = TimeLimits.load(assignment, sandbox.limits)

    def opener(item):
        return lambda: SandboxSubmission(sandbox.load(item.cells, item.skip), assignment.id,
                                         plan, time_limits)

    run_graders_batch(assignment.id, {f"s{i}": opener(item) for i, item in enumerate(items)})


def main(argv: list[str] | None = None) -> int:
    parser = class_parser(__doc__, 30, "--rounds", "rounds after the first")
    args = parser.parse_args(argv)
    n = min(args.n, 30)
    assignment = get_assignment(args.assignment)
    release = release_skippable(assignment.release_notebook())
    with tempfile.TemporaryDirectory(prefix="sandbox-cpu-") as scratch:
        submitted = Path(scratch) / "submitted"
        build_class(args.assignment, n, args.seed, submitted)
        found = [Found(p.parts[-3], p)
                 for p in sorted(submitted.glob(f"*/{args.assignment}/{args.assignment}.ipynb"))]
        items = [load(f, release) for f in found]
    rounds = []
    plan = CallPlan()
    with Sandbox(limits()) as sandbox:
        template = template_pid(sandbox)
        grade_round(sandbox, assignment, items, plan)
        for _ in range(args.rounds):
            before, cpu = counters(template), time.process_time()
            grade_round(sandbox, assignment, items, plan)
            cpu, after = time.process_time() - cpu, counters(template)
            round_ = {key: (after[key] - before[key]) / n for key in FIELDS}
            round_["graders"] = cpu / n
            rounds.append(round_)
        isolation = sandbox.isolation
    print(f"{args.assignment}, N = {n}, {args.rounds} rounds after the first [{isolation}]; "
          f"per student, each round:")
    for key, unit, scale in (("template", "ms", 1000), ("children", "ms", 1000),
                             ("faults", "", 1), ("graders", "ms", 1000)):
        values = ", ".join(f"{r[key] * scale:.1f}" for r in rounds)
        median = statistics.median(r[key] for r in rounds) * scale
        label = {"template": "the template's own CPU", "children": "the students' processes",
                 "faults": "sandbox page faults", "graders": "graders' CPU (this process)"}[key]
        print(f"  {label:28} {values}   median {median:.1f} {unit}")
    both = statistics.median((r["template"] + r["children"]) for r in rounds) * 1000
    print(f"  {'sandbox CPU':28} median {both:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
