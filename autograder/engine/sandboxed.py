"""A sandboxed student process behind the graders' `Submission` interface."""

from __future__ import annotations

from autograder.checks.submission import Submission
from autograder.engine.plan import CallPlan
from autograder.sandbox.calls import Call, StudentError
from autograder.sandbox.student import StudentProcess


class SandboxSubmission(Submission):
    """The `student` fixture when grading: every call runs in the student's sandboxed process.

    With a `plan`, the process gets the plan's calls in one request as it opens, and a call the
    graders make that the plan holds is answered from it (engine/plan.py). Calls that only
    diagnose, reruns with reference helpers and a diagnosis's probes are never planned: they
    always go one at a time."""

    def __init__(self, process: StudentProcess, assignment: str, plan: CallPlan | None = None,
                 time_limits=None):
        self.process = process
        self.assignment = assignment
        self.time_limits = time_limits
        self.plan = plan
        self.strayed = False  # a call failed, diagnosed or ran with reference helpers
        self._probing = False
        if plan is not None:
            if plan.learning:
                process.record()
            process.prefetch(plan.calls)

    def has(self, function: str) -> bool:
        return self.process.has(function)

    def _invoke(self, function: str, args: tuple, kwargs: dict,
                timeout: float | None = None) -> Call:
        planned = not (self.diagnosing or self.replaced or self._probing
                       or function.startswith("_nnfs"))
        self.strayed |= not planned
        try:
            return self.process.call(function, args, kwargs, timeout, planned=planned)
        except StudentError:
            self.strayed = True
            raise

    def _probe(self, function: str, args: tuple, kwargs: dict) -> Call:
        self._probing = True
        try:
            return super()._probe(function, args, kwargs)
        finally:
            self._probing = False

    def _define(self, name: str, source: str) -> None:
        self.process.define(name, source)

    def close(self) -> None:
        if self.plan is not None:
            self.plan.learn(self.process.made, clean=not self.strayed)
            self.plan = None
