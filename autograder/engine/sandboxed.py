"""A sandboxed student process behind the graders' `Submission` interface."""

from __future__ import annotations

from autograder.checks.submission import Submission
from autograder.sandbox.calls import Call
from autograder.sandbox.student import StudentProcess


class SandboxSubmission(Submission):
    """The `student` fixture when grading: every call runs in the student's sandboxed process."""

    def __init__(self, process: StudentProcess, assignment: str):
        self.process = process
        self.assignment = assignment

    def has(self, function: str) -> bool:
        return self.process.has(function)

    def _invoke(self, function: str, args: tuple, kwargs: dict,
                timeout: float | None = None) -> Call:
        return self.process.call(function, args, kwargs, timeout)

    def _define(self, name: str, source: str) -> None:
        self.process.define(name, source)
