"""Typed, validated access to course_config.py."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
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
    points: dict[str, float] = field(hash=False)
    due: str | None = None  # nbgrader's due date, e.g. "2026-10-05 23:59:00 Europe/Berlin"

    @property
    def functions(self) -> list[str]:
        return list(self.points)

    @property
    def max_score(self) -> float:
        return float(sum(self.points.values()))

    def reference_module(self):
        return importlib.import_module(self.module)

    def source_notebook(self, root: Path = COURSE_ROOT) -> Path:
        return root / "source" / self.id / f"{self.id}.ipynb"

    def release_notebook(self, root: Path = COURSE_ROOT) -> Path:
        return root / "release" / self.id / f"{self.id}.ipynb"

    def lesson(self, root: Path = COURSE_ROOT) -> Path:
        return root / "reference" / "lessons" / f"{self.id}.md"

    def grader_file(self, root: Path = COURSE_ROOT) -> Path:
        return root / "autograder" / "graders" / f"test_{self.id}.py"


@dataclass(frozen=True)
class Limits:
    call_seconds: float
    cell_seconds: float
    submission_seconds: float
    memory_mb: int
    processes: int
    output_bytes: int
    call_seconds_by_function: dict[str, float] = field(default_factory=dict, hash=False)

    def call_timeout(self, function: str) -> float:
        return float(self.call_seconds_by_function.get(function, self.call_seconds))


def assignments() -> list[Assignment]:
    return [
        Assignment(
            id=a["id"],
            title=a["title"],
            lectures=tuple(a["lectures"]),
            module=a["module"],
            points=dict(a["points"]),
            due=a.get("due"),
        )
        for a in course_config.ASSIGNMENTS
    ]


def get_assignment(assignment_id: str) -> Assignment:
    known = {a.id: a for a in assignments()}
    if assignment_id not in known:
        raise ConfigError(
            f"unknown assignment {assignment_id!r}; course_config.py defines: {', '.join(known)}"
        )
    return known[assignment_id]


def select(assignment_id: str | None) -> list[Assignment]:
    """One assignment by id, or every assignment when `assignment_id` is None."""
    return assignments() if assignment_id is None else [get_assignment(assignment_id)]


def students_roster() -> dict[str, dict[str, str]]:
    """Student id -> first_name / last_name / email, from course_config.STUDENTS (optional)."""
    return {str(k): dict(v) for k, v in getattr(course_config, "STUDENTS", {}).items()}


def limits() -> Limits:
    return Limits(**course_config.LIMITS)


def lecture_name(lecture: str) -> str:
    return f"lecture {lecture} ({course_config.LECTURES.get(lecture, 'unknown')})"


COURSE_ID = course_config.COURSE_ID
