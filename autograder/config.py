"""Typed, validated access to course_config.py."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import course_config

COURSE_ROOT = Path(course_config.__file__).resolve().parent


class ConfigError(Exception):
    """The course configuration, or a request against it, is wrong."""


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    lectures: tuple[str, ...]
    module: str
    due: str | None = None  # nbgrader's due date, e.g. "2026-10-05 23:59:00 Europe/Berlin"
    root: Path = COURSE_ROOT  # the course folder whose lesson and graders it reads

    @property
    def functions(self) -> tuple[str, ...]:
        """The graded functions, in the order of the results: the exercises of the graders
        folder, which must be the lesson's (autograder/grader_index.py)."""
        from autograder import grader_index

        return grader_index.graded_functions(self)

    @property
    def points(self) -> dict[str, float]:
        """Each graded function's points: the sum of its hidden graders' points."""
        return dict(grader_points(self))

    @property
    def max_score(self) -> float:
        return float(sum(self.points.values()))

    def reference_module(self):
        return importlib.import_module(self.module)

    def source_notebook(self, root: Path | None = None) -> Path:
        return (root or self.root) / "source" / self.id / f"{self.id}.ipynb"

    def release_notebook(self, root: Path | None = None) -> Path:
        return (root or self.root) / "release" / self.id / f"{self.id}.ipynb"

    def lesson(self, root: Path | None = None) -> Path:
        return (root or self.root) / "reference" / "lessons" / f"{self.id}.md"

    def grader_file(self, root: Path | None = None) -> Path:
        return (root or self.root) / "autograder" / "graders" / f"test_{self.id}.py"


@dataclass(frozen=True)
class Limits:
    call_seconds: float
    cell_seconds: float
    submission_seconds: float
    memory_mb: int
    processes: int
    output_bytes: int
    call_seconds_by_function: dict[str, float] = field(default_factory=dict, hash=False)
    # A measured call gets max(floor, multiple x the reference's time): engine/time_limits.py.
    call_floor_seconds: float = 1.0
    call_reference_multiple: float = 50.0

    def call_timeout(self, function: str) -> float:
        """The limit set for `function` in course_config.py, else `call_seconds` (the limit of
        a call whose reference time is not measured)."""
        return float(self.call_seconds_by_function.get(function, self.call_seconds))


def assignments(root: Path = COURSE_ROOT) -> list[Assignment]:
    """The course's assignments, reading their lessons and graders in the course at `root`."""
    return [
        Assignment(
            id=a["id"],
            title=a["title"],
            lectures=tuple(a["lectures"]),
            module=a["module"],
            due=a.get("due"),
            root=Path(root),
        )
        for a in course_config.ASSIGNMENTS
    ]


@cache
def grader_checks(assignment: Assignment) -> tuple[tuple[str, float], ...]:
    """(function, points) of every hidden check of `assignment`, read from the `@grader` marks
    of the graders of the course at `assignment.root` (a parametrized grader has one per case)."""
    path = assignment.grader_file()
    if not path.is_file():
        raise ConfigError(f"{path}: no such grader file (the hidden graders of {assignment.id})")
    spec = importlib.util.spec_from_file_location(f"_nnfs_points_{assignment.id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple((mark.kwargs["function"], float(mark.kwargs["points"]))
                 for name, test in vars(module).items()
                 if name.startswith("test_") and callable(test) for mark in _marks(test))


def grader_points(assignment: Assignment) -> tuple[tuple[str, float], ...]:
    """(function, points) in the order of `assignment.functions`: the sum of its checks."""
    path = assignment.grader_file()
    totals: dict[str, float] = {}
    for function, points in grader_checks(assignment):
        totals[function] = totals.get(function, 0.0) + points
    unknown = sorted(set(totals) - set(assignment.functions))
    if unknown:
        raise ConfigError(f"{path}: grades {', '.join(unknown)}, which is not a graded "
                          f"function of {assignment.id}")
    missing = [f for f in assignment.functions if f not in totals]
    if missing:
        raise ConfigError(f"{path}: no grader for {', '.join(missing)} ({assignment.id})")
    # whole numbers stay ints, as course_config.py used to write them (and notebooks show them)
    return tuple((f, int(totals[f]) if totals[f].is_integer() else totals[f])
                 for f in assignment.functions)


def _marks(test):
    """The grader marks of a test function: its own, or one per parametrized case."""
    found = []
    for mark in getattr(test, "pytestmark", []):
        if mark.name == "grader":
            found.append(mark)
        elif mark.name == "parametrize":
            for case in mark.args[1]:
                found += [getattr(m, "mark", m) for m in getattr(case, "marks", ())
                          if getattr(m, "name", None) == "grader"]
    return found


def get_assignment(assignment_id: str, root: Path = COURSE_ROOT) -> Assignment:
    known = {a.id: a for a in assignments(root)}
    if assignment_id not in known:
        raise ConfigError(
            f"unknown assignment {assignment_id!r}; course_config.py defines: {', '.join(known)}"
        )
    return known[assignment_id]


def select(assignment_id: str | None, root: Path = COURSE_ROOT) -> list[Assignment]:
    """One assignment by id, or every assignment when `assignment_id` is None."""
    return assignments(root) if assignment_id is None else [get_assignment(assignment_id, root)]


def students_roster() -> dict[str, dict[str, str]]:
    """Student id -> first_name / last_name / email, from course_config.STUDENTS (optional)."""
    return {str(k): dict(v) for k, v in getattr(course_config, "STUDENTS", {}).items()}


def limits() -> Limits:
    return Limits(**course_config.LIMITS)


def isolation_minimum() -> frozenset[str] | None:
    """The promises a level must keep to grade this course's students by default
    (course_config.ISOLATION_MINIMUM), or None for every promise (see sandbox/levels.py)."""
    minimum = getattr(course_config, "ISOLATION_MINIMUM", None)
    return None if minimum is None else frozenset(minimum)


def lecture_name(lecture: str) -> str:
    return f"lecture {lecture} ({course_config.LECTURES.get(lecture, 'unknown')})"


COURSE_ID = course_config.COURSE_ID


def apply_nbgrader_config(config):
    """course_config.py's nbgrader settings, copied into a traitlets config (as nbgrader_config.py
    does for nbgrader's own commands)."""
    return course_config.apply_nbgrader_config(config)


def gradescope_settings() -> dict:
    """course_config.GRADESCOPE as given (gradescope/results.py adds the defaults and checks)."""
    return getattr(course_config, "GRADESCOPE", {}) or {}
