"""What hidden graders are written with.

A grader is an ordinary pytest test that takes the `student` fixture, a `Submission`:

    @grader("dense_forward", points=2)
    def test_dense_forward_lecture_example(student):
        '''lecture example (3 samples, 3 neurons)'''
        call = student.call("dense_forward", X, W, b)
        check_close(call, expected, mistakes=[Mistake(NO_TRANSPOSE, X @ W + b)])

`student.call` runs the function on the student's side (in a sandboxed process when grading, or
in-process against `reference/` when the graders are tested) and returns a `Call` holding plain
data: the value returned, and the arguments as they were after the call. Every comparison runs
here, in the grader's process. A failed check raises `GraderFailure`, whose message is written for
the student: what was called, what came back, what was expected, and the known mistake that
explains the answer when there is one.

The checks themselves live in autograder/checks/, `Call` and `StudentError` beside the sandbox
that produces them (autograder/sandbox/calls.py); this module gathers what a grader imports.
"""

from __future__ import annotations

import pytest

from autograder.checks.compare import name_results, rel_error
from autograder.checks.mistakes import (
    ATOL,
    KEEPDIMS,
    RTOL,
    GraderFailure,
    Mistake,
    MistakeCandidate,
)
from autograder.checks.submission import ReferenceSubmission, Submission, codec_key
from autograder.checks.values import check, check_close, check_parts, check_unchanged, fail
from autograder.sandbox import codec
from autograder.sandbox.calls import Call, StudentError, describe, describe_call
from autograder.sandbox.codec import Remote

__all__ = [
    "KEEPDIMS", "RTOL", "ATOL", "Call", "GraderFailure", "Mistake", "Remote",
    "ReferenceSubmission", "StudentError", "Submission", "check", "check_close", "check_parts",
    "check_unchanged", "describe", "fail", "grader", "name_results", "rel_error",
]
# Also reached here by their old home, though not a grader's words.
_ALSO = (MistakeCandidate, codec, codec_key, describe_call)


def grader(function: str, points: float, edge: str | tuple[str, ...] = ()):
    """Mark a test as a hidden grader of student function `function`, worth `points`; `edge`
    names the cells of the edge table it checks (autograder/graders/edges.py), if any."""
    edges = (edge,) if isinstance(edge, str) else tuple(edge)
    if edges:
        return pytest.mark.grader(function=function, points=points, edge=edges)
    return pytest.mark.grader(function=function, points=points)
