"""Where one student's CPU goes in a whole `nnfs-course grade` run: the command, its grading
workers, and the sandbox (templates and the students' own processes).

    python benchmarks/student_time.py                    # 01_forward_pass, N = 100, 3 runs
    python benchmarks/student_time.py --n 30 --runs 5 --scratch DIR

It builds the synthetic class of grading_throughput.py (runners.build_class) and a scratch course,
then runs the real command (2 workers, the gradebook recorded) --runs times. While a run goes on,
every process is read from /proc every 10 ms, and the CPU time (utime + stime) of the command and
of its grading workers is taken from their last reading; the whole run's CPU comes from the
kernel (this process's rusage of its children). The headings:

  - the command: the `nnfs-course` process itself (imports, the queue, results, the gradebook
    and autograded/ notebooks recorded while grading);
  - grading workers: its forked workers (the graders, the diagnosis, the grader's side of every
    call, each student's results.json);
  - the sandbox: the rest of the run: the templates (start-up, a fork and a clean-up per
    student), the students' own processes (the cells, the calls, the exit), launchers and bwrap.
    A worker's last 10 ms can escape the poller, and they count here.

The students' own processes are measured from the inside by round_trips.py (from their fork to
their last answer). It prints the median of the runs per heading, in ms per student and as a
share of the whole, and judges nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from runners import NNFS, class_parser, runs_on_a_class, tool_env

HEADINGS = ("the command", "grading workers", "the sandbox")


def _stat(pid: int) -> tuple[int, str, int, int] | None:
    """(parent pid, command line, own ticks, reaped children's ticks) of a live process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    ticks = [int(x) for x in fields[11:15]]  # utime stime cutime cstime
    return int(fields[1]), command, ticks[0] + ticks[1], ticks[2] + ticks[3]


def one_run(course: Path, assignment: str, paths: list[Path], out: Path) -> dict[str, float]:
    """Seconds of CPU under each heading, and the run's wall-clock seconds."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copy(course / "gradebook.pristine.db", course / "gradebook.db")
    argv = [NNFS, "--root", str(course), "grade", assignment, *map(str, paths),
            "--out", str(out), "--workers", "2"]
    started = time.perf_counter()
    before = os.times()
    command = subprocess.Popen(argv, env=tool_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    seen: dict[int, tuple[int, str, int, int]] = {}
    while command.poll() is None:
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) != os.getpid():
                found = _stat(int(name))
                if found is not None:
                    if not found[1] and int(name) in seen:  # an ending process: keep its name
                        found = (found[0], seen[int(name)][1], *found[2:])
                    seen[int(name)] = found
        time.sleep(0.01)
    wall = time.perf_counter() - started
    after = os.times()
    whole = (after.children_user - before.children_user
             + after.children_system - before.children_system)
    if command.returncode != 0:
        raise SystemExit(f"nnfs-course grade failed (exit {command.returncode})")
    tick = os.sysconf("SC_CLK_TCK")

    def children(pid):
        return [p for p, v in seen.items() if v[0] == pid]

    root = command.pid
    workers = [p for p in children(root) if "nnfs-course" in seen[p][1]]
    figures = {"the command": seen[root][2] / tick if root in seen else 0.0,
               "grading workers": sum(seen[p][2] / tick for p in workers)}
    figures["the sandbox"] = max(whole - sum(figures.values()), 0.0)
    figures["whole run"], figures["wall"] = whole, wall
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = class_parser(__doc__, 100, "--runs", "whole runs")
    args = parser.parse_args(argv)
    runs = runs_on_a_class(args, "nnfs-student-time-", one_run, args.runs)
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
    cpus = ", ".join(f"{r['whole run']:.2f}" for r in runs)
    print(f"{args.assignment}, N = {args.n}, {args.runs} runs of `nnfs-course grade` (2 workers, "
          f"gradebook): wall {walls} s; CPU {cpus} s\n")
    print("| where | CPU ms per student (median of the runs) | share of the run's CPU |")
    print("|---|---|---|")
    for heading in HEADINGS:
        print(f"| {heading} | {median[heading] / args.n * 1000:.1f} | "
              f"{median[heading] / median['whole run']:.0%} |")
    print(f"| whole run | {median['whole run'] / args.n * 1000:.1f} | 100% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
