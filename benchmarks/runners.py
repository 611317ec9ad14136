"""The pieces of the grading benchmarks: a synthetic class, running a command while watching its
memory, and each tool's grading of a class (`nnfs-course grade`, `nbgrader autograde`).

Shared by grading_throughput.py and real_class.py.
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
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.config import COURSE_ID, COURSE_ROOT, get_assignment
from autograder.grader_layout import mutants_for

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


def class_parser(doc: str, n: int, repeats: str, repeats_help: str) -> argparse.ArgumentParser:
    """The options of a benchmark on one synthetic class: --n, --assignment, `repeats` (how
    many rounds or runs), --seed and --scratch."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=n, help=f"students (default: {n})")
    parser.add_argument("--assignment", default="01_forward_pass")
    parser.add_argument(repeats, type=int, default=3, help=f"{repeats_help} (default: 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", type=Path, help="keep the class here (default: a "
                                                     "temporary folder, removed afterwards)")
    return parser


def runs_on_a_class(args: argparse.Namespace, prefix: str, one_run, runs: int) -> list:
    """`one_run(course, assignment, paths, out)` `runs` times on the synthetic class of
    `args` (class_parser's options), in a scratch course; the scratch folder is removed
    afterwards unless --scratch named it."""
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix=prefix))
    try:
        submitted = scratch / "submitted"
        shutil.rmtree(submitted, ignore_errors=True)
        build_class(args.assignment, args.n, args.seed, submitted)
        course = scratch_course(scratch / "course", args.assignment)
        paths = sorted(submitted.glob(f"*/{args.assignment}/{args.assignment}.ipynb"))
        return [one_run(course, args.assignment, paths, scratch / "out") for _ in range(runs)]
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)


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
    """A copy of the course (notebooks, lessons and graders) whose gradebook.db the benchmark
    may write.

    Its gradebook is created once, holding the assignment but not yet its notebook's cells, so
    every timed run records those as well as the scores (after `nnfs-course release` they are
    there already), and a pristine copy is put back before every timed run: creating a
    gradebook runs alembic,
    a one-off cost of a course, not of grading (nbgrader's own is created by generate_assignment,
    before its timed autograde too).
    """
    for part in ("source", "release", "reference/lessons", "autograder/graders"):
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
