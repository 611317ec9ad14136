"""The CPU time of a student's notebook cells: every cell through IPython's run_cell, against the
plain compile + exec path wherever a cell allows it (autograder/sandbox/inside/cells.py).

    .venv/bin/python benchmarks/cells_cpu.py                        # 01_forward_pass, N = 30
    .venv/bin/python benchmarks/cells_cpu.py --assignment 04_training --n 10 --rounds 3

It writes N notebooks of the synthetic class of grading_throughput.py, then runs each one both
ways, side by side in one process (tests/sandbox/cell_paths.py: a warm process set up as the
sandbox's template, one fork per notebook and way, the child's own run_cells). It prints the CPU
time (time.process_time) of run_cells per student for each way and their ratio, notebook by
notebook, which path the cells took, and whether both ways sent the same cells. It judges nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "sandbox")]

from cell_paths import side_by_side  # noqa: E402
from runners import build_class  # noqa: E402

from autograder.config import get_assignment  # noqa: E402
from autograder.engine.submissions import Found, load, release_skippable  # noqa: E402


def notebooks(assignment_id: str, n: int, seed: int) -> list[tuple[list[str], set[int]]]:
    """The cells and skipped cells of N synthetic submissions, as the grader loads them."""
    assignment = get_assignment(assignment_id)
    release = release_skippable(assignment.release_notebook())
    with tempfile.TemporaryDirectory(prefix="cells-cpu-") as scratch:
        submitted = Path(scratch) / "submitted"
        build_class(assignment_id, n, seed, submitted)
        found = [Found(path.parts[-3], path)
                 for path in sorted(submitted.glob(f"*/{assignment_id}/{assignment_id}.ipynb"))]
        return [(loaded.cells, loaded.skip) for loaded in (load(f, release) for f in found)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="01_forward_pass")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    runs = side_by_side(notebooks(args.assignment, args.n, args.seed), rounds=args.rounds)
    by_way = {way: [r for r in runs if r["way"] == way] for way in ("ipython", "plain")}
    ipython, plain = (by_way[way] for way in ("ipython", "plain"))
    ratios = [p["cpu"] / i["cpu"] for i, p in zip(ipython, plain, strict=True)]
    same = sum(i["cells"] == p["cells"] and i["names"] == p["names"]
               for i, p in zip(ipython, plain, strict=True))
    paths = [path for run in plain for path in run["paths"]]
    print(f"{args.assignment}, {args.n} notebooks x {args.rounds} round(s), each run both ways "
          f"side by side; CPU time of run_cells per student:")
    for way, done in by_way.items():
        cpu = [r["cpu"] * 1000 for r in done]
        print(f"  {way:8} median {statistics.median(cpu):6.2f} ms   "
              f"mean {statistics.mean(cpu):6.2f} ms   min {min(cpu):6.2f} ms")
    print(f"  plain / ipython, notebook by notebook: median {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")
    print(f"  cells run: {paths.count('plain')} plain, {paths.count('ipython')} through run_cell; "
          f"same cells and names both ways: {same} of {len(ratios)} notebooks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
