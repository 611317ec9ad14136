"""A real class against a clean one: what endless loops, broken functions and slow answers cost.

    python benchmarks/real_class.py                  # 30 students each, 3 runs of each class
    python benchmarks/real_class.py --n 30 --repeats 5 --json figures.json

Two classes of N notebooks of 01_forward_pass are built from the release notebook:

  - the clean class: every function answered with the reference solution;
  - the mixed class: 10 % of the students have an endless loop in one function (one of them in
    a helper that their `dense_forward` calls), 10 % have one broken function (a syntax error,
    an exception, a NameError), a few are slow but correct (plain Python loops, see
    real_class_answers.py), and the rest are right.

Both are graded by `nnfs-course grade --workers W` (with the gradebook), alternately, --repeats
times each in the same run, so that whatever else the machine does skews both alike; the table
shows the median of each and their ratio. `nbgrader autograde` grades the mixed class once, with
nbgrader's default cell timeout of 30 s (this course's nbgrader_config.py sets 300 s).

The quick start's example class (tests/fixtures/example_class, where fay's `mse` never returns)
is graded the same way, with and without fay, from a course whose gradebook already exists.

It prints tables and makes no pass/fail judgement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from itertools import cycle, islice
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from real_class_answers import BROKEN, LOOP_CALLERS, LOOPS, SLOW  # noqa: E402
from runners import (  # noqa: E402
    SOLUTION,
    STUDENTS,
    autograde,
    grade_ours,
    machine,
    nbgrader_course,
    nbgrader_graded,
    our_isolation,
    our_results,
    scratch_course,
)

from autograder.config import COURSE_ROOT, get_assignment  # noqa: E402

ASSIGNMENT = "01_forward_pass"
EXAMPLE = COURSE_ROOT / "tests" / "fixtures" / "example_class" / "submitted"


def mixed_plan(n: int) -> dict[int, tuple[str, dict[str, str]]]:
    """Student index -> (kind, answers that differ from the reference) for the mixed class."""
    loops = max(1, round(n * 0.1))
    broken = max(1, round(n * 0.1))
    slow = max(1, round(n * 0.1))
    plan: dict[int, tuple[str, dict[str, str]]] = {}
    # spread over the class, so that the loopers do not all come first or last
    spots = iter(range(1, n, 3))
    for function in islice(cycle(LOOPS), loops):
        plan[next(spots)] = ("endless loop", {function: LOOPS[function],
                                              **LOOP_CALLERS.get(function, {})})
    for function in islice(cycle(BROKEN), broken):
        plan[next(spots)] = ("broken function", {function: BROKEN[function]})
    for _ in range(slow):
        plan[next(spots)] = ("slow but correct", dict(SLOW))
    return plan


def build(n: int, submitted: Path, mixed: bool) -> dict[str, str]:
    """Write the class; returns student -> kind."""
    assignment = get_assignment(ASSIGNMENT)
    release = nbformat.read(assignment.release_notebook(), as_version=4)
    source = nbformat.read(assignment.source_notebook(), as_version=4)
    solutions = {c.metadata.get("nbgrader", {}).get("grade_id"): SOLUTION.sub("", c.source)
                 for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    plan = mixed_plan(n) if mixed else {}
    kinds = {}
    for index in range(n):
        student = STUDENTS.format(index)
        kind, answers = plan.get(index, ("correct", {}))
        kinds[student] = kind
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            function = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and function in assignment.functions:
                cell.source = answers.get(function, solutions[function]).strip("\n")
        path = submitted / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return kinds


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def load() -> float:
    return os.getloadavg()[0]


def side_by_side(course: Path, classes: dict[str, Path], out: Path, workers: int,
                 repeats: int) -> dict[str, list[float]]:
    """Grade each class `repeats` times, alternately; seconds of each run, by class."""
    times: dict[str, list[float]] = {name: [] for name in classes}
    for _ in range(repeats):
        for name, folder in classes.items():
            measured = grade_ours(course, ASSIGNMENT, [folder], out / name, workers,
                                  gradebook=True)
            times[name].append(measured.seconds)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--nbgrader-timeout", type=int, default=30)
    parser.add_argument("--no-nbgrader", action="store_true")
    parser.add_argument("--scratch", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="nnfs-real-class-"))
    try:
        figures = run_all(args, scratch)
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


def run_all(args, scratch: Path) -> dict:
    course = scratch_course(scratch / "course", ASSIGNMENT)
    clean, mixed = scratch / "clean", scratch / "mixed"
    build(args.n, clean, mixed=False)
    kinds = build(args.n, mixed, mixed=True)
    without_fay = scratch / "example-without-fay"
    shutil.copytree(EXAMPLE, without_fay, ignore=shutil.ignore_patterns("fay"))
    out = scratch / "out"
    start_load = load()
    times = side_by_side(course, {"clean": clean, "mixed": mixed}, out, args.workers,
                         args.repeats)
    results = our_results(out / "mixed")
    by_kind: dict[str, list[str]] = {}
    for student, kind in kinds.items():
        doc = results[student]
        by_kind.setdefault(kind, []).append(f"{doc['score']:g}")
    example = side_by_side(course, {"example": EXAMPLE, "example without fay": without_fay},
                           out, args.workers, args.repeats)
    figures = {
        "machine": machine(), "n": args.n, "workers": args.workers, "repeats": args.repeats,
        "isolation": our_isolation(out / "mixed"), "load at start": start_load,
        "runs": {**times, **example},
        "scores by kind (mixed class)": by_kind,
    }
    if not args.no_nbgrader:
        nb_root = nbgrader_course(scratch / "nbgrader", ASSIGNMENT, args.n, mixed,
                                  args.nbgrader_timeout)
        measured = autograde(nb_root, ASSIGNMENT)
        graded, mean = nbgrader_graded(nb_root, ASSIGNMENT)
        figures["nbgrader mixed"] = {"seconds": measured.seconds, "graded": graded,
                                     "mean score %": mean}
    return figures


def table(figures: dict) -> str:
    runs = figures["runs"]
    med = {name: _median(values) for name, values in runs.items()}
    lines = [f"{figures['n']} students a class, {figures['workers']} workers, "
             f"{figures['repeats']} runs of each, alternately; isolation "
             f"{figures['isolation']}; load at the start {figures['load at start']:.1f}",
             f"{figures['machine']}", "",
             "| what | runs (s) | median s |", "|---|---|---|"]
    for name, values in runs.items():
        lines.append(f"| {name} | {', '.join(f'{v:.2f}' for v in values)} | {med[name]:.2f} |")
    lines += ["", "| ratio | value |", "|---|---|",
              f"| mixed ÷ clean | {med['mixed'] / med['clean']:.2f} |",
              f"| example class ÷ the same without fay | "
              f"{med['example'] / med['example without fay']:.2f} |"]
    nb = figures.get("nbgrader mixed")
    if nb:
        lines.append(f"| nbgrader autograde on the mixed class ({nb['seconds']:.1f} s, "
                     f"{nb['graded']} graded) ÷ ours | {nb['seconds'] / med['mixed']:.1f}× |")
    lines += ["", "| kind of student (mixed class) | scores |", "|---|---|"]
    for kind, scores in figures["scores by kind (mixed class)"].items():
        lines.append(f"| {kind} | {', '.join(scores)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
