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

from collections.abc import Callable, Sequence

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
    "check_unchanged", "describe", "fail", "grader", "name_results", "unchanged_graders",
    "rel_error",
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


def unchanged_graders(reference, cases: dict[str, tuple[float, tuple]], mistake: Mistake,
                      mistakes: Callable[[str, tuple], Sequence[MistakeCandidate]] | None = None):
    """One grader per function, "leaves its inputs unchanged": `cases` maps a function to
    (points, arguments). The expected values are the reference's, on copies of the arguments.
    `mistakes(function, args)` gives the known mistakes that may explain wrong values."""
    import copy

    params = [pytest.param(function, args, marks=grader(function, points), id=function)
              for function, (points, args) in cases.items()]

    @pytest.mark.parametrize("function, args", params)
    def test_leaves_inputs_unchanged(student, function, args):
        """leaves its inputs unchanged"""
        call = student.call(function, *args)
        expected = getattr(reference, function)(*copy.deepcopy(args))
        found = mistakes(function, args) if mistakes else ()
        check_unchanged(call, expected, mistake, mistakes=found)

    return test_leaves_inputs_unchanged


