"""How long each call of a student function may run: a multiple of the reference's own time on
the same inputs, never less than a floor that a fair slow answer meets.

A limit is CPU time: a busy machine (or Gradescope's 0.5 vCPU) stretches a call's wall-clock
time but not the CPU time it needs, so a fair slow answer needs the same limit everywhere, and
an endless loop is cut as soon as it has spent it. The sandbox also allows each call
`student.WALL_MULTIPLE` times its limit by the wall clock, for code that waits instead of
computing (sandbox/student.py).

The reference's times are measured by running the hidden graders against `reference/`
(`nnfs-course times`, which writes `reference_times.json` beside the graders) and are read by
every grading run. A call is known by its function and the shapes of its inputs (and the values
of its scalars: an epoch count or a batch size sets the work), so the graders' random values may
change without a new measurement. The limit of a call is, in order:

- `call_seconds_by_function[function]` of course_config.py's LIMITS, when it is set;
- max(`call_floor_seconds`, `call_reference_multiple` x the reference's time on these inputs);
- for inputs the graders did not use when the times were measured, the same with the
  reference's slowest call of that function;
- `call_seconds`, for a function the times do not know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.config import COURSE_ROOT, Assignment, Limits
from autograder.sandbox.codec import Remote

TIMES_FILE = "reference_times.json"
REFRESH = "nnfs-course times"


@dataclass(frozen=True)
class Limit:
    """The time a call is given, and the reference's time it comes from (None: not measured)."""

    seconds: float
    reference: float | None = None
    same_inputs: bool = False  # the reference was timed on inputs of these very shapes

    def explain(self) -> str:
        """One sentence for the student: how long the reference takes."""
        if self.reference is None:
            return ""
        where = "on these inputs" if self.same_inputs else "on the graders' largest inputs"
        return f"The reference returns in {_duration(self.reference)} {where}."


def call_key(args: tuple, kwargs: dict) -> str:
    """The inputs of a call as far as its running time goes: shapes, dtypes and scalars."""
    parts = [_shape(a) for a in args] + [f"{k}={_shape(v)}" for k, v in sorted(kwargs.items())]
    return ", ".join(parts)


def _shape(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype.str}{list(value.shape)}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_shape(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shape(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Remote):
        return f"<{value.name}>"
    if isinstance(value, (float, np.floating)):
        return "float"  # a learning rate or an input value, not an amount of work
    return repr(value)


class TimeLimits:
    """The limits of one assignment's calls, from LIMITS and the measured reference times."""

    def __init__(self, limits: Limits, times: dict[str, dict[str, float]]):
        self._limits = limits
        self._times = times
        self._slowest = {f: max(t.values()) for f, t in times.items() if t}

    @classmethod
    def load(cls, assignment: Assignment, limits: Limits, root: Path = COURSE_ROOT) -> TimeLimits:
        return cls(limits, read_times(root).get(assignment.id, {}))

    def limit(self, function: str, args: tuple, kwargs: dict) -> Limit:
        limits = self._limits
        measured = self._times.get(function, {})
        reference = measured.get(call_key(args, kwargs)) if measured else None
        same = reference is not None
        if reference is None:
            reference = self._slowest.get(function)
        if function in limits.call_seconds_by_function:
            return Limit(float(limits.call_seconds_by_function[function]), reference, same)
        if reference is None:
            return Limit(float(limits.call_seconds))
        seconds = max(limits.call_floor_seconds, limits.call_reference_multiple * reference)
        return Limit(round(seconds, 2), reference, same)


def times_path(root: Path = COURSE_ROOT) -> Path:
    return root / "autograder" / "graders" / TIMES_FILE


def read_times(root: Path = COURSE_ROOT) -> dict[str, dict[str, dict[str, float]]]:
    """assignment -> function -> call key -> the reference's seconds; {} when not measured."""
    try:
        data = json.loads(times_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("assignments", {}) if isinstance(data, dict) else {}


def measure(assignment: Assignment, root: Path = COURSE_ROOT, repeats: int = 3,
            ) -> dict[str, dict[str, float]]:
    """Run the graders of `assignment` against the reference `repeats` times, in-process.

    Each call key keeps its slowest call within a run, and the fastest of the runs (the least
    disturbed by whatever else the machine was doing).
    """
    from autograder.engine.graders import run_graders_batch
    from autograder.harness import ReferenceSubmission

    runs: list[dict[tuple[str, str], float]] = []

    class Timed(ReferenceSubmission):
        def _invoke(self, function, args, kwargs, timeout=None):
            call = super()._invoke(function, args, kwargs, timeout)
            key = (function, call_key(args, kwargs))
            self.seen[key] = max(self.seen.get(key, 0.0), call.seconds)
            return call

    def opener(seen):
        def open_submission():
            submission = Timed(assignment.id)
            submission.seen = seen
            return submission
        return open_submission

    runs = [{} for _ in range(repeats)]
    graded = run_graders_batch(assignment.id, {f"run{i}": opener(seen)
                                               for i, seen in enumerate(runs)}, root=root)
    for run in graded.values():
        if run.score != run.max_score:
            raise RuntimeError(f"the reference does not earn full marks on {assignment.id}'s "
                               f"graders ({run.score:g} / {run.max_score:g}): fix that first")
    times: dict[str, dict[str, float]] = {}
    for key in sorted(set().union(*runs)):
        function, inputs = key
        best = min(seen[key] for seen in runs if key in seen)
        times.setdefault(function, {})[inputs] = float(f"{best:.3g}")
    return times


def write_times(assignments: list[Assignment], root: Path = COURSE_ROOT,
                repeats: int = 3) -> Path:
    """Measure `assignments` and write them into the times file (others are kept)."""
    path = times_path(root)
    known = read_times(root)
    for assignment in assignments:
        known[assignment.id] = measure(assignment, root, repeats)
    document = {
        "about": ("The reference's own time in seconds on each call the hidden graders make, by "
                  "function and inputs (shapes, dtypes, scalars). Grading gives each call a "
                  "multiple of it, never less than a floor (LIMITS in course_config.py). "
                  f"Written by `{REFRESH}`: run it again when graders or reference/ change."),
        "assignments": {k: known[k] for k in sorted(known)},
    }
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path


def unmeasured(assignment: Assignment, root: Path = COURSE_ROOT) -> list[str]:
    """The calls the graders make of the reference that the times file does not know."""
    stored = read_times(root).get(assignment.id, {})
    fresh = measure(assignment, root, repeats=1)
    return [f"{function}({key})" for function, keys in fresh.items() for key in keys
            if key not in stored.get(function, {})]


def _duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.1f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.0f} ms"
    return "under a millisecond"
