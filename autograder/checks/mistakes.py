"""Known mistakes, the failure a check raises, and the grading policy's tolerances."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from autograder.checks.compare import _difference

# The grading policy's tolerances for value checks (COURSE_SPEC.md, "Grading policy"): loose
# enough that numerically equivalent idioms agree (`np.log(p + 1e-7)` instead of clipping).
RTOL, ATOL = 1e-5, 1e-8


@dataclass(frozen=True)
class Mistake:
    """A known mistake: a short title, and what the student should understand.

    `value` is what a student who makes the mistake gets back, or a predicate on the returned
    value. `lecture` points to the lecture (course_config.LECTURES key) that covers the topic.
    """

    title: str
    explanation: str
    lecture: str | None = None
    id: str | None = None  # stable, for the class report; the title's slug when not given

    @functools.cached_property  # a check names its mistakes for every student
    def key(self) -> str:
        if self.id:
            return self.id
        return "-".join("".join(c if c.isalnum() else " " for c in self.title.lower()).split())

    def with_value(self, value: Any) -> MistakeCandidate:
        return MistakeCandidate(self, value)

    def describe(self) -> str:
        from autograder.config import lecture_name

        where = f" (see {lecture_name(self.lecture)})" if self.lecture else ""
        return f"Known mistake: {self.title}. {self.explanation}{where}"


@dataclass(frozen=True)
class MistakeCandidate:
    mistake: Mistake
    value: Any  # the answer the mistake produces, or a callable(value) -> bool

    def matches(self, value: Any, rtol: float, atol: float) -> bool:
        if callable(self.value):
            try:
                return bool(self.value(value))
            except Exception:
                return False
        try:
            return _close(value, self.value, rtol, atol)
        except Exception:  # a mistake that cannot even be compared does not explain the answer
            return False


class GraderFailure(AssertionError):
    """A grader's check failed; the message is for the student.

    `kind` is the StudentError kind when the student's function did not return at all
    ("timeout", "crash", ...), and None when it returned a wrong answer.
    """

    def __init__(self, message: str, mistake: Mistake | None = None, kind: str | None = None,
                 earned: float = 0.0):
        super().__init__(message)
        self.mistake = mistake
        self.kind = kind
        self.earned = earned  # the share of the check's points earned: results that were right



KEEPDIMS = Mistake(
    "keepdims left an extra axis",
    "The values are right, but the array has an extra axis of length 1: (1, m) where (m,) "
    "belongs. `np.sum(..., axis=0, keepdims=True)` (or a reshape) keeps the summed axis; "
    "leave out `keepdims` so the result has the shape the function's table gives.",
)



def _close(actual, expected, rtol, atol) -> bool:
    return _difference(actual, expected, rtol, atol) is None
