"""What a hidden grader concluded for one student, made alike by both ways of running the graders.

The engine runs an assignment's graders with its own runner (runner.py); pytest runs the same
grader files for CI and the maintainer, and for the engine too when asked (graders.py). Both
make each check's `TestResult` here, from the grader's mark and docstring and from how its run
ended, and both run a check inside `helper_reruns`, so a student's results do not depend on
which of them ran the graders.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from autograder.engine.helpers import (
    hung_helpers_note,
    hung_helpers_replaced,
    rerun_with_reference_helpers,
)
from autograder.harness import GraderFailure, Submission


@dataclass
class TestResult:
    function: str
    description: str
    nodeid: str
    score: float
    max_score: float
    outcome: str  # "passed" | "failed" | "error"
    output: str = ""
    mistake: str | None = None
    lecture: str | None = None
    mistake_id: str | None = None  # the named mistake's stable id (Mistake.key)
    detail: str = ""  # why a grader broke ("error"), for the instructor: `Type: message`

    @property
    def name(self) -> str:
        return f"{self.function}: {self.description}"


@dataclass
class GraderRun:
    assignment: str
    tests: list[TestResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)

    def by_function(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for t in self.tests:
            score, best = totals.get(t.function, (0.0, 0.0))
            totals[t.function] = (score + t.score, best + t.max_score)
        return totals


class StopGrading(Exception):
    """Raised by a submission's opener or by `on_done`: grade no further student in this batch
    (the sandbox did not start, the output folder cannot be written)."""


def new_result(function: str, doc: str | None, name: str, nodeid: str,
               points: float) -> TestResult:
    """A check's result before it runs: its description is its docstring's first line (its
    test name without one), and it has earned nothing yet."""
    description = (doc or name).strip().splitlines()[0].strip()
    return TestResult(function=function, description=description.rstrip("."), nodeid=nodeid,
                      score=0.0, max_score=float(points), outcome="passed")


def passed(result: TestResult, note: str = "") -> None:
    """The check passed: full points; `note` is what it has to say (a helper rerun)."""
    result.score = result.max_score
    result.output = note


def failed(result: TestResult, error: BaseException | None, when: str) -> None:
    """The check raised `error` while `when` ("setup", "call", "teardown") was under way.

    A GraderFailure is the student's: it earns the share of the check's results that were right
    (one mistake charged once) and says what was wrong. Anything else is a grader that broke,
    our bug: the student reads that plainly, and the instructor gets `Type: message`, never the
    traceback (it would show the hidden grader's code).
    """
    result.score = 0.0
    if isinstance(error, GraderFailure):
        result.outcome = "failed"
        result.score = result.max_score * min(max(error.earned, 0.0), 1.0)
        result.output = str(error)
        result.mistake = error.mistake.title if error.mistake else None
        result.lecture = error.mistake.lecture if error.mistake else None
        result.mistake_id = error.mistake.key if error.mistake else None
        return
    result.outcome = "error"
    result.output = ("The grader could not finish this check "
                     f"({type(error).__name__ if error else 'error'} in {when}). "
                     "Your instructor has been told.")
    text = f"{type(error).__name__}: {error}" if error else when
    result.detail = _short(text.strip().splitlines()[0] if text.strip() else "", 300)


@contextlib.contextmanager
def helper_reruns(student: Submission, function: str,
                  rerun: Callable[[], object]) -> Iterator[list[str]]:
    """Run one check of `function` (the body of the `with`) under the course's helper rules.

    Student functions that hung in their own checks are replaced by the reference while it runs
    (engine/helpers.py). A check that fails because a student helper it calls is wrong is run
    again (`rerun`) with the reference helper in its place; when that run is right, the failure
    is swallowed: the check keeps its points and its output names the helper (the points stay
    lost on the helper's own checks). Yields a list that ends up holding that note, if any.
    """
    notes: list[str] = []
    try:
        with hung_helpers_replaced(student, function) as called:
            yield notes
        if called:
            notes.append(hung_helpers_note(function, sorted(set(called))))
    except GraderFailure as failure:
        note = rerun_with_reference_helpers(student, function, failure, rerun)
        if note is None:
            student.problems.setdefault(function, failure)
            raise
        notes.append(note)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Around a whole batch: what graders print is dropped and every warning ignored (pytest's
    per-test capture and warning filters cost about 5 ms per student)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _short(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else text[-limit:]
