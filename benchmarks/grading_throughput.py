"""Grading throughput: `nnfs-course grade` against `nbgrader autograde` on one synthetic class.

    python benchmarks/grading_throughput.py              # N = 1, 30, 100 of 01_forward_pass
    python benchmarks/grading_throughput.py --n 20 --assignments 04_training
    python benchmarks/grading_throughput.py --assignments all --n 1,50 --json figures.json

For each assignment it builds the largest N submissions from the release notebook (each graded
function is answered with the reference solution, a known-wrong "mutant" from
autograder/mutants/, or left as the release's stub, chosen by a seeded RNG from the student's
index; every tenth student answers everything correctly). For each N, the first N of them are
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
import csv
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder.config import COURSE_ID, COURSE_ROOT, assignments, get_assignment
from autograder.mutants import mutants_for

BIN = Path(sys.executable).parent
NNFS = str(BIN / "nnfs-course")
NBGRADER = str(BIN / "nbgrader")
SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
STUDENTS = "s{:04d}"


# ---------------------------------------------------------------------------------------------
# The synthetic class


def answer_plan(assignment_id: str, index: int, seed: int) -> dict[str, str]:
    """What student `index` writes for each graded function: "correct", "mutant:K" or "blank"."""
    assignment = get_assignment(assignment_id)
    rng = random.Random(f"{seed}:{assignment_id}:{index}")
    by_function: dict[str, int] = {}
    for mutant in mutants_for(assignment.module):
        by_function[mutant.function] = by_function.get(mutant.function, 0) + 1
    plan = {}
    for function in assignment.functions:
        if index % 10 == 0:
            plan[function] = "correct"
            continue
        roll = rng.random()
        if roll < 0.60 or (roll < 0.85 and not by_function.get(function)):
            plan[function] = "correct"
        elif roll < 0.85:
            plan[function] = f"mutant:{rng.randrange(by_function[function])}"
        else:
            plan[function] = "blank"
    return plan


def build_class(assignment_id: str, n: int, seed: int, submitted: Path) -> dict[str, dict]:
    """Write N submissions as submitted/<student>/<id>/<id>.ipynb; returns each one's plan."""
    assignment = get_assignment(assignment_id)
    release = nbformat.read(assignment.release_notebook(), as_version=4)
    source = nbformat.read(assignment.source_notebook(), as_version=4)
    solutions = {c.metadata.get("nbgrader", {}).get("grade_id"): SOLUTION.sub("", c.source)
                 for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    mutants: dict[str, list[str]] = {}
    for mutant in mutants_for(assignment.module):
        mutants.setdefault(mutant.function, []).append(mutant.source())
    plans = {}
    for index in range(n):
        student = STUDENTS.format(index)
        plan = answer_plan(assignment_id, index, seed)
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            function = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type != "code" or function not in plan:
                continue
            choice = plan[function]
            if choice == "correct":
                cell.source = solutions[function]
            elif choice.startswith("mutant:"):
                cell.source = mutants[function][int(choice.split(":")[1])]
        path = submitted / student / assignment_id / f"{assignment_id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        plans[student] = plan
    return plans


# ---------------------------------------------------------------------------------------------
# Running a command and watching its memory


@dataclass
class Measured:
    argv: list[str]
    seconds: float
    returncode: int
    peak_mb: float  # largest sum of PSS over the process tree
    max_rss_mb: float  # largest single process (ru_maxrss of the waited children)
    output: str = ""
    first_result: float = float("nan")  # seconds until the first results.json was written


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def _tree(root: int) -> list[int]:
    try:
        import psutil

        process = psutil.Process(root)
        return [root, *(p.pid for p in process.children(recursive=True))]
    except Exception:  # psutil missing, or the process just ended
        return [root]


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 3600, first: Path | None = None, memory: bool = True) -> Measured:
    """Run `argv`, timing it and (with `memory`) polling the memory of its process tree; with
    `first` (a folder), also the time until the first */results.json appears in it (polled
    every 5 ms until it does)."""
    log = tempfile.TemporaryFile()
    first_seconds = float("nan")
    started = time.perf_counter()
    popen = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.wait(0.1):
            total = sum(_pss_kb(pid) for pid in _tree(popen.pid))
            peak[0] = max(peak[0], total)

    watcher = threading.Thread(target=watch, daemon=True)
    if memory:
        watcher.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(popen.pid, os.WNOHANG)
        if first is not None and first_seconds != first_seconds:  # nan: not seen yet
            if next(first.glob("*/results.json"), None) is not None:
                first_seconds = time.perf_counter() - started
        if pid:
            break
        if time.monotonic() > deadline:
            popen.kill()
        time.sleep(0.005 if first is not None else 0.01)
    seconds = time.perf_counter() - started
    done.set()
    if memory:
        watcher.join()
    popen.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    return Measured(argv, seconds, popen.returncode, peak[0] / 1024, usage.ru_maxrss / 1024,
                    output, first_seconds)


def tool_env() -> dict[str, str]:
    """The environment for both tools: the venv's bin first (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def check(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise SystemExit(f"{what} failed (exit {measured.returncode}):\n"
                         f"{' '.join(measured.argv)}\n{measured.output[-4000:]}")
    return measured


# ---------------------------------------------------------------------------------------------
# Our engine


def scratch_course(root: Path, assignment_id: str) -> Path:
    """A copy of the course (notebooks and graders) whose gradebook.db the benchmark may write.

    Its gradebook is created once, holding the assignment but not yet its notebook's cells, so
    every timed run records those as well as the scores (after `nnfs-course release` they are
    there already), and a pristine copy is put back before every timed run: creating a
    gradebook runs alembic,
    a one-off cost of a course, not of grading (nbgrader's own is created by generate_assignment,
    before its timed autograde too).
    """
    for part in ("source", "release", "autograder/graders"):
        shutil.copytree(COURSE_ROOT / part, root / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.db"), dirs_exist_ok=True)
    code = textwrap.dedent(f"""
        import warnings
        from nbgrader.api import Gradebook
        warnings.simplefilter("ignore")
        with Gradebook({f"sqlite:///{root / 'gradebook.pristine.db'}"!r},
                       course_id={COURSE_ID!r}) as gb:
            gb.update_or_create_assignment({assignment_id!r})
        """)
    subprocess.run([sys.executable, "-c", code], cwd=root, env=tool_env(), check=True,
                   capture_output=True)
    return root


def grade_ours(course: Path, assignment_id: str, paths: list[Path], out: Path, workers: int,
               gradebook: bool, memory: bool = False) -> Measured:
    argv = [NNFS, "--root", str(course), "grade", assignment_id, *map(str, paths),
            "--out", str(out), "--workers", str(workers)]
    if not gradebook:
        argv.append("--no-gradebook")
    if out.exists():
        shutil.rmtree(out)
    shutil.copy(course / "gradebook.pristine.db", course / "gradebook.db")
    return check(run(argv, COURSE_ROOT, tool_env(), first=out, memory=memory),
                 "nnfs-course grade")


def our_results(out: Path) -> dict[str, dict]:
    found = {}
    for path in out.glob("*/results.json"):
        found[path.parent.name] = json.loads(path.read_text())
    return found


def our_isolation(out: Path) -> str:
    levels = {d["extra_data"].get("isolation") for d in our_results(out).values()}
    return ",".join(sorted(level for level in levels if level)) or "?"


def our_mean_score(out: Path) -> float:
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return statistics.mean(float(r["score"]) / float(r["max_score"]) for r in rows) * 100


# ---------------------------------------------------------------------------------------------
# nbgrader


def nbgrader_course(root: Path, assignment_id: str, n: int, submitted: Path,
                    timeout: int) -> Path:
    """A scratch nbgrader course with the source notebook, generated, and the submissions."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        c = get_config()
        c.CourseDirectory.root = {str(root)!r}
        c.CourseDirectory.course_id = {COURSE_ID!r}
        c.ExecutePreprocessor.timeout = {timeout}
        c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
        """))
    source = get_assignment(assignment_id).source_notebook()
    target = root / "source" / assignment_id / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    check(run([NBGRADER, "generate_assignment", assignment_id, "--force"], root, tool_env()),
          "nbgrader generate_assignment")
    for index in range(n):
        student = STUDENTS.format(index)
        src = submitted / student / assignment_id
        dst = root / "submitted" / student / assignment_id
        shutil.copytree(src, dst, dirs_exist_ok=True)
    return root


def autograde(root: Path, assignment_id: str, student: str | None = None) -> Measured:
    argv = [NBGRADER, "autograde", assignment_id, "--force"]
    if student:
        argv += ["--student", student]
    shutil.rmtree(root / "autograded", ignore_errors=True)
    measured = check(run(argv, root, tool_env()), "nbgrader autograde")
    return measured


def nbgrader_graded(root: Path, assignment_id: str) -> tuple[int, float]:
    """How many submissions nbgrader's gradebook holds, and their mean score in percent."""
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=COURSE_ID) as gb:
            subs = gb.assignment_submissions(assignment_id)
            scores = [s.score / s.max_score * 100 for s in subs if s.max_score]
            return len(subs), (statistics.mean(scores) if scores else float("nan"))


# ---------------------------------------------------------------------------------------------
# 04_training: the student's own training time


def reference_training_seconds(repeats: int = 5) -> float:
    """The reference train_classifier on the graders' spiral at its defaults, in a fresh Python
    with the sandbox's thread settings (one BLAS thread): the median of `repeats` runs."""
    code = textwrap.dedent(f"""
        import importlib.util, time
        from autograder.config import get_assignment
        from reference.training import train_classifier
        path = get_assignment("04_training").grader_file()
        spec = importlib.util.spec_from_file_location("graders_04", path)
        graders = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(graders)
        X_SPIRAL, Y_SPIRAL = graders.X_SPIRAL, graders.Y_SPIRAL
        times = []
        for _ in range({repeats}):
            started = time.perf_counter()
            train_classifier(X_SPIRAL, Y_SPIRAL)
            times.append(time.perf_counter() - started)
        print(sorted(times)[len(times) // 2])
        """)
    env = dict(tool_env(), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    result = subprocess.run([sys.executable, "-c", code], cwd=COURSE_ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


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


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, {memory} RAM, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


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
