"""Grading throughput: `nnfs-course grade` against `nbgrader autograde` on one synthetic class.

    python benchmarks/grading_throughput.py              # N = 1, 30, 100 of 01_forward_pass
    python benchmarks/grading_throughput.py --n 20 --assignments 04_training
    python benchmarks/grading_throughput.py --assignments all --n 1,50 --json figures.json

For each assignment it builds the largest N submissions from the release notebook (each graded
function is answered with the reference solution, a known-wrong "mutant" (an edit of the
reference, from its exercise in autograder/graders/<topic>/), or left as the release's stub,
chosen by a seeded RNG from the student's index; every tenth student answers everything
correctly). For each N, the first N of them are
graded, each as a subprocess running the real command line, side by side in the same run:

  - `nnfs-course grade ID submitted/ --workers W` (the hidden graders, every student in the
    sandbox: bubblewrap when it works here), recording scores in the gradebook.db of a scratch
    copy of the course (`--root`), as nbgrader records its own, and again with --no-gradebook;
    also the time from the command's start until the first results.json exists;
  - `nbgrader autograde ID` in a scratch nbgrader course built from source/ID/ID.ipynb with
    `nbgrader generate_assignment` (the notebook's public checks are nbgrader's graded cells);
  - N = 1 is run --repeats times by each tool, and the median run is shown;
  - for 04_training, the engine's overhead over the student's own training time.

The ratio of each N is nbgrader's time over ours for the same N notebooks, measured minutes apart
in the same run, so that a machine shared with other work skews both alike; the 1-minute load
average at the start of each run is shown next to it.

Peak memory is the largest sum over the command's whole process tree of each process's
proportional set size (PSS, so pages shared by forked processes count once), polled every 0.1 s;
"max RSS" is the largest single process (getrusage of the children, via wait4).

It prints a table and makes no pass/fail judgement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from runners import (
    STUDENTS,
    Measured,
    autograde,
    build_class,
    grade_ours,
    machine,
    nbgrader_course,
    nbgrader_graded,
    our_isolation,
    our_mean_score,
    our_results,
    reference_training_seconds,
    scratch_course,
)

from autograder.config import assignments

# ---------------------------------------------------------------------------------------------
# One assignment


NAN = float("nan")


@dataclass
class Row:
    tool: str
    workers: int
    submissions: int
    seconds: float
    per_submission: float
    peak_mb: float
    max_rss_mb: float
    mean_score: float
    first_result: float = NAN  # seconds from the command's start to the first results.json
    load: float = 0.0  # the 1-minute load average as the run started
    note: str = ""


@dataclass
class Figures:
    assignment: str
    sizes: list[int]
    rows: list[Row] = field(default_factory=list)
    latency: dict[str, float] = field(default_factory=dict)
    ratios: dict[int, dict[str, float]] = field(default_factory=dict)  # N -> tool -> ratio
    training: dict[str, float] = field(default_factory=dict)
    isolation: str = ""


def _median_run(measure, repeats: int) -> tuple[Measured, float]:
    """Run `measure` `repeats` times; the run of median duration, and the load before it."""
    runs = []
    for _ in range(max(1, repeats)):
        load = os.getloadavg()[0]
        runs.append((measure(), load))
    runs.sort(key=lambda pair: pair[0].seconds)
    return runs[len(runs) // 2]


def _class_of(submitted: Path, target: Path, n: int) -> Path:
    """The first `n` students of `submitted`, as a submitted/ tree of their own."""
    shutil.rmtree(target, ignore_errors=True)
    for index in range(n):
        student = STUDENTS.format(index)
        shutil.copytree(submitted / student, target / student)
    return target


def bench_assignment(assignment_id: str, sizes: list[int], workers: int, seed: int,
                     scratch: Path, repeats: int, gradebook: bool, nbgrader_timeout: int,
                     log=print) -> Figures:
    work = scratch / assignment_id
    shutil.rmtree(work, ignore_errors=True)
    submitted = work / "class" / "submitted"
    sizes = sorted(set(sizes))
    log(f"[{assignment_id}] building {max(sizes)} submissions")
    build_class(assignment_id, max(sizes), seed, submitted)
    course = scratch_course(work / "course", assignment_id)
    figures = Figures(assignment_id, sizes)
    log(f"[{assignment_id}] nbgrader generate_assignment (untimed)")
    nbroot = nbgrader_course(work / "nbgrader", assignment_id, 0, submitted, nbgrader_timeout)

    for n in sizes:
        # The same N notebooks for both tools; N = 1 is run `repeats` times (the median shown).
        times = repeats if n == 1 else 1
        ours_class = _class_of(submitted, work / f"class-{n}" / "submitted", n)
        for student in range(n):
            name = STUDENTS.format(student)
            shutil.copytree(submitted / name, nbroot / "submitted" / name, dirs_exist_ok=True)
        ours: dict[str, Row] = {}
        for record in ([True, False] if gradebook else [False]):
            tool = "nnfs-course grade" + ("" if record else " --no-gradebook")
            log(f"[{assignment_id}] N={n}: {tool}, {workers} worker(s)")
            out = work / f"ours-{n}-{'gb' if record else 'nogb'}"
            # Timed without the memory poller (it takes about a tenth of a core, which a run
            # that keeps both cores busy pays); the memory comes from one more, polled run.
            m, load = _median_run(
                lambda out=out, record=record, paths=[ours_class]: grade_ours(
                    course, assignment_id, paths, out, workers, record), times)
            documents = our_results(out)  # of a timed run: each student's execution_time
            polled = grade_ours(course, assignment_id, [ours_class], out, workers, record,
                                memory=True)
            if len(documents) != n:
                raise SystemExit(f"nnfs-course grade wrote {len(documents)} results, not {n}")
            figures.isolation = our_isolation(out)
            ours[tool] = Row(tool, workers, n, m.seconds, m.seconds / n, polled.peak_mb,
                             polled.max_rss_mb, our_mean_score(out), m.first_result, load,
                             f"isolation={figures.isolation}")
            if n == max(sizes) and record == gradebook:
                warm = [d["execution_time"] for d in documents.values()]
                figures.latency[f"nnfs-course, one student inside the N={n} run (a warm worker), "
                                "median"] = statistics.median(warm)
        log(f"[{assignment_id}] N={n}: nbgrader autograde")
        m, load = _median_run(lambda: autograde(nbroot, assignment_id), times)
        graded, mean = nbgrader_graded(nbroot, assignment_id)
        if graded != n:
            raise SystemExit(f"nbgrader's gradebook holds {graded} submissions, not {n}")
        nb = Row("nbgrader autograde", 1, n, m.seconds, m.seconds / n, m.peak_mb, m.max_rss_mb,
                 mean, NAN, load, "public checks, one kernel per notebook")
        figures.rows += [nb, *ours.values()]
        figures.ratios[n] = {tool: nb.seconds / row.seconds for tool, row in ours.items()}
        if n == 1:
            for tool, row in ours.items():
                figures.latency[f"{tool}, one submission: its results.json, from the command's "
                                "start"] = row.first_result
                figures.latency[f"{tool}, one submission: the whole command"] = row.seconds
            figures.latency["nbgrader autograde, one submission: the whole command (records its "
                            "gradebook)"] = nb.seconds

    if assignment_id == "04_training":
        # Five copies of an all-correct notebook, graded by one warm worker: each one's grading
        # time (results.json's execution_time) against the reference's own training time.
        log(f"[{assignment_id}] training overhead: 5 all-correct submissions, 1 worker")
        first = submitted / STUDENTS.format(0) / assignment_id / f"{assignment_id}.ipynb"
        correct = work / "correct"
        for k in range(5):
            target = correct / f"correct{k}" / assignment_id / first.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(first, target)
        out = work / "ours-correct"
        grade_ours(course, assignment_id, [correct], out, 1, False)
        grading = statistics.median(d["execution_time"] for d in our_results(out).values())
        train = reference_training_seconds()
        figures.training["reference train_classifier, 1 BLAS thread (median of 5)"] = train
        figures.training["grading one all-correct submission, warm worker (median of 5)"] = grading
        figures.training["overhead beyond the one full training call"] = (grading - train) / train
    return figures


# ---------------------------------------------------------------------------------------------
# Report


def _seconds(value: float) -> str:
    return "–" if value != value else f"{value:.2f}"


def table(all_figures: list[Figures]) -> str:
    lines = []
    head = ("| assignment | N | tool | workers | total s | s / submission | first results.json s "
            "| peak MB (tree PSS) | max RSS MB | mean score % | load (1 min) |")
    lines += [head, "|" + "---|" * 11]
    for f in all_figures:
        for r in f.rows:
            lines.append(f"| {f.assignment} | {r.submissions} | {r.tool} | {r.workers} | "
                         f"{r.seconds:.2f} | {r.per_submission:.4f} | {_seconds(r.first_result)} | "
                         f"{r.peak_mb:.0f} | {r.max_rss_mb:.0f} | {r.mean_score:.1f} | "
                         f"{r.load:.1f} |")
    lines.append("")
    lines.append("| assignment | N | nbgrader ÷ ours, recording the gradebook "
                 "| nbgrader ÷ ours, --no-gradebook | isolation |")
    lines.append("|---|---|---|---|---|")
    for f in all_figures:
        for n, ratios in f.ratios.items():
            with_gb = ratios.get("nnfs-course grade")
            without = ratios.get("nnfs-course grade --no-gradebook")
            lines.append(f"| {f.assignment} | {n} | "
                         f"{f'{with_gb:.1f}×' if with_gb else '–'} | "
                         f"{f'{without:.1f}×' if without else '–'} | {f.isolation} |")
    lines.append("")
    lines.append("| assignment | one submission | seconds |")
    lines.append("|---|---|---|")
    for f in all_figures:
        for what, seconds in f.latency.items():
            lines.append(f"| {f.assignment} | {what} | {seconds:.3f} |")
    for f in all_figures:
        if f.training:
            lines.append("")
            lines.append(f"| {f.assignment}: training | value |")
            lines.append("|---|---|")
            for what, value in f.training.items():
                shown = f"{value:.1%}" if what.startswith("overhead") else f"{value:.3f} s"
                lines.append(f"| {what} | {shown} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", default="1,30,100",
                        help="class sizes, comma-separated (default: 1,30,100); each is graded "
                             "by both tools, N = 1 --repeats times")
    parser.add_argument("--assignments", default="01_forward_pass",
                        help="comma-separated ids, or 'all' (default: 01_forward_pass)")
    parser.add_argument("--workers", type=int, default=2, help="our engine's workers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of N = 1 for each tool (the median is shown)")
    parser.add_argument("--no-gradebook", action="store_true",
                        help="our engine skips recording scores (nbgrader always records)")
    parser.add_argument("--nbgrader-timeout", type=int, default=300,
                        help="ExecutePreprocessor.timeout of the scratch nbgrader course")
    parser.add_argument("--scratch", type=Path,
                        help="keep the class, results and nbgrader course here (default: a "
                             "temporary folder, removed afterwards)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(n) for n in args.n.split(",") if n.strip()})
    except ValueError:
        parser.error(f"--n takes class sizes such as 1,30,100, not {args.n!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--n: every class size must be at least 1")
    known = [a.id for a in assignments()]
    ids = known if args.assignments == "all" else [a.strip() for a in
                                                    args.assignments.split(",") if a.strip()]
    for assignment_id in ids:
        if assignment_id not in known:
            parser.error(f"unknown assignment {assignment_id!r}; known: {', '.join(known)}")
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="nnfs-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)

    def log(text):
        print(text, file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    try:
        figures = [bench_assignment(a, sizes, args.workers, args.seed, scratch, args.repeats,
                                    not args.no_gradebook, args.nbgrader_timeout, log)
                   for a in ids]
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"Machine: {machine()}")
    print(f"Load average before / after: {' '.join(f'{x:.2f}' for x in load_before)} / "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine skews "
          "the figures)")
    print(f"Our engine records scores: {'no' if args.no_gradebook else 'yes'} (gradebook.db of "
          "a scratch course copy); nbgrader records in its scratch course's gradebook.db.")
    print()
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(),
                                         "figures": [asdict(f) for f in figures]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
