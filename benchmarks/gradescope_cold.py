"""Gradescope in a cold container: run_autograder's start to results.json, next to `grade`.

    sudo .venv/bin/python benchmarks/gradescope_cold.py            # 01_forward_pass, 3 runs
    sudo .venv/bin/python benchmarks/gradescope_cold.py --repeats 5 --json figures.json

It builds the autograder zip, makes a throwaway Gradescope container on this machine (an overlay
of / without bubblewrap, see autograder/gradescope/local.py), runs setup.sh once (Gradescope's
image build, timed apart), then for each run submits one notebook to a fresh container process
tree and times run_autograder from its start until it has written results.json. Nothing is warm
in there: no grading worker, no sandbox template, a fresh /tmp (the machine's page cache is
warm, as it is on Gradescope's hosts for a popular image). Next to it, it times
`nnfs-course grade ID NOTEBOOK --workers 1 --no-gradebook` on the same notebook, as a subprocess
on this machine, at whichever isolation level it picks (bubblewrap when it works). The notebook
is the reference solution (all checks run, none stops early). It prints a table, judges nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.config import get_assignment  # noqa: E402
from autograder.gradescope import local  # noqa: E402
from autograder.gradescope.build import build  # noqa: E402


def grade_locally(assignment: str, notebook: Path, scratch: Path) -> tuple[float, str, float]:
    """`nnfs-course grade` on one notebook: wall seconds, the isolation, the score."""
    out = scratch / "grades"
    command = [str(Path(sys.executable).parent / "nnfs-course"), "grade", assignment,
               str(notebook), "--out", str(out), "--workers", "1", "--no-gradebook"]
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=1800)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"nnfs-course grade failed:\n{run.stdout}{run.stderr}")
    isolation = next((line.rsplit("isolation: ", 1)[1].strip() for line in run.stdout.splitlines()
                      if "isolation: " in line), "?")
    document = json.loads(next(out.glob("*/results.json")).read_text())
    return seconds, isolation, document["score"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="01_forward_pass")
    parser.add_argument("--notebook", type=Path, help="default: the reference (source/ID/ID.ipynb)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    assignment = get_assignment(args.assignment)
    notebook = (args.notebook or assignment.source_notebook(ROOT)).resolve()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nnfs-bench-") as scratch:
        archive = build(assignment.id, Path(scratch) / "autograder.zip", root=ROOT)
        cold, engine_seconds, scores = [], [], []
        with local.container(archive, on_step=lambda t: print(f"... {t}", file=sys.stderr)) \
                as box:
            for _ in range(args.repeats):
                tried = local.try_notebook(box, notebook)
                cold.append(tried.seconds)
                engine_seconds.append(tried.results["execution_time"])
                scores.append(tried.results["score"])
                level = tried.results["extra_data"]["isolation"]
            setup_seconds = box.setup_seconds
        host = [grade_locally(assignment.id, notebook, Path(scratch) / f"g{i}")
                for i in range(args.repeats)]
    figures = {
        "assignment": assignment.id, "notebook": str(notebook), "repeats": args.repeats,
        "setup_seconds": round(setup_seconds, 2),
        "gradescope_cold_seconds": round(statistics.median(cold), 3),
        "gradescope_results_execution_time": round(statistics.median(engine_seconds), 3),
        "gradescope_isolation": level, "gradescope_score": scores[-1],
        "grade_seconds": round(statistics.median(h[0] for h in host), 3),
        "grade_isolation": host[-1][1], "grade_score": host[-1][2],
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"\n{assignment.id}, one notebook ({notebook.name}), median of {args.repeats} run(s)")
    print(f"{'':38} {'seconds':>8}  {'isolation':<10} score")
    print(f"{'setup.sh (once, the image build)':38} {figures['setup_seconds']:8.2f}")
    print(f"{'run_autograder start -> results.json':38} "
          f"{figures['gradescope_cold_seconds']:8.2f}  {level:<10} {scores[-1]:g}")
    print(f"{'  of which grading (execution_time)':38} "
          f"{figures['gradescope_results_execution_time']:8.2f}")
    print(f"{'nnfs-course grade, same notebook':38} {figures['grade_seconds']:8.2f}  "
          f"{figures['grade_isolation']:<10} {figures['grade_score']:g}")
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
