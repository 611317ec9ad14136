"""An independent oracle: the reference backward passes against PyTorch's autograd.

Runs only where torch is installed (`pip install torch==2.13.0`, the optional dev extra).
"""

from __future__ import annotations

import importlib.util

import numpy as np


def autograd_checks(assignment_id: str | None = None) -> tuple[list[tuple[str, bool, str]], str]:
    """[(check name, ok, detail)], and why the checks were skipped ('' when they ran)."""
    if assignment_id not in (None, "02_backpropagation"):
        return [], "no backward passes in this assignment"
    if importlib.util.find_spec("torch") is None:
        return [], "torch is not installed (pip install torch==2.13.0)"
    from autograder.validate.torch_cases import CASES

    rng = np.random.default_rng(20261121)
    results = []
    for name, case in CASES.items():
        try:
            mine, theirs = case(rng)
            worst = max(_rel_error(a, b) for a, b in zip(mine, theirs))
            results.append((name, worst < 1e-7, f"max rel error {worst:.1e}"))
        except Exception as error:  # report, do not crash the whole validation
            results.append((name, False, f"{type(error).__name__}: {error}"))
    return results, ""


def _rel_error(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))
