"""The sandbox's own costs: its template's start, a fork that loads a notebook, a call's round trip.

    .venv/bin/python benchmarks/sandbox_speed.py                  # 10 loads, 100 calls
    .venv/bin/python benchmarks/sandbox_speed.py --loads 50 --calls 1000

One template is started at the level the course's policy picks (bubblewrap when it works); each
load forks a fresh student process from it and runs a three-cell notebook; the calls go to the
last one. It prints the figures and judges nothing: the test suite only checks that one template
serves every load and call (tests/sandbox/test_sandbox_levels.py), since a time depends on
whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.sandbox.process import Sandbox  # noqa: E402

NOTEBOOK = ["import numpy as np", "def dense_forward(X, W, b):\n    return X @ W + b", "x = 1"]


def measure(loads: int, calls: int) -> dict[str, float | str]:
    """Seconds: the template's start, and the median fork + load and call round trip."""
    X, W, b = np.ones((4, 3)), np.ones((3, 5)), np.zeros(5)
    with Sandbox() as sb:
        load_seconds, call_seconds = [], []
        for _ in range(loads):
            started = time.perf_counter()
            proc = sb.load(NOTEBOOK)
            load_seconds.append(time.perf_counter() - started)
        for _ in range(calls):
            started = time.perf_counter()
            proc.call("dense_forward", (X, W, b), {})
            call_seconds.append(time.perf_counter() - started)
        return {"isolation": sb.isolation, "template_start": sb.timings["template_start"],
                "load": statistics.median(load_seconds), "call": statistics.median(call_seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args(argv)
    figures = measure(args.loads, args.calls)
    print(f"[{figures['isolation']}] template start {figures['template_start']:.3f} s, "
          f"fork + load {figures['load'] * 1000:.1f} ms (median of {args.loads}), "
          f"call round trip {figures['call'] * 1000:.2f} ms (median of {args.calls})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
