"""What a grading run reports: a summary per student, and the run's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.engine.stopping import Stopped
from autograder.files import MachineError


@dataclass
class StudentSummary:
    student: str
    score: float
    max_score: float
    status: str  # "graded" | "failed-to-run" | "error"
    seconds: float
    problem: str = ""
    hung: tuple[str, ...] = ()  # the functions that ran past their time limit


@dataclass
class GradeRun:
    assignment: str
    out_dir: Path
    students: list[StudentSummary] = field(default_factory=list)
    isolation: str = ""
    warning: str = ""
    csv_path: Path | None = None
    gradebook_recorded: int = 0
    seconds: float = 0.0
    stopped_by: int = 0  # the signal that stopped the run, 0 if none did
    failure: str = ""  # the machine failure that stopped the run (one line), "" if none did

    @property
    def interrupted(self) -> bool:
        return bool(self.stopped_by)

    @property
    def errors(self) -> list[StudentSummary]:
        return [s for s in self.students if s.status == "error"]

    def raise_if_stopped(self) -> None:
        """For callers that go on after grading: a stopped run stops them too."""
        if self.stopped_by:
            raise Stopped(self.stopped_by)
        if self.failure:
            raise MachineError(self.failure)


@dataclass
class BatchResult:
    """What a worker sends back for one session: the students it finished, and why it stopped
    early, when the output folder failed."""

    students: list[StudentSummary]
    failure: str = ""


def failed_summary(student: str, error: Exception) -> StudentSummary:
    return StudentSummary(student, 0.0, 0.0, "error", 0.0,
                          f"grading failed: {type(error).__name__}: {error}")
