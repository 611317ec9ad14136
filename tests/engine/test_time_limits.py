"""Time limits that fit the function, and a hang judged once (COURSE_SPEC.md, "Time limits").

No sandbox runs here: a submission that "hangs" reports a timeout as the sandbox would.
"""

from __future__ import annotations

import pytest

from autograder.config import Limits, get_assignment
from autograder.engine.graders import run_graders
from autograder.engine.time_limits import TimeLimits, call_key, read_times, unmeasured
from autograder.harness import GraderFailure, ReferenceSubmission, StudentError

LIMITS = Limits(call_seconds=10, cell_seconds=30, submission_seconds=300, memory_mb=256,
                processes=8, output_bytes=1000, call_seconds_by_function={"slow": 60},
                call_floor_seconds=1.0, call_reference_multiple=50)


def test_a_call_gets_a_multiple_of_the_reference_time_on_its_inputs_never_less_than_the_floor():
    import numpy as np

    small, large = (np.zeros(3),), (np.zeros((100, 100)),)
    limits = TimeLimits(LIMITS, {"f": {call_key(small, {}): 0.001, call_key(large, {}): 0.1},
                                 "slow": {call_key(small, {}): 5.0}})
    assert limits.limit("f", small, {}).seconds == 1.0  # 50 x 1 ms is under the floor
    measured = limits.limit("f", large, {})
    assert (measured.seconds, measured.reference, measured.same_inputs) == (5.0, 0.1, True)
    other = limits.limit("f", (np.zeros(7),), {})  # inputs the graders never used
    assert (other.seconds, other.reference, other.same_inputs) == (5.0, 0.1, False)
    assert limits.limit("slow", small, {}).seconds == 60  # course_config.py sets it outright
    assert limits.limit("unknown", small, {}).seconds == 10  # not measured: call_seconds
    assert "on these inputs" in measured.explain() and "largest" in other.explain()


def test_the_stored_reference_times_cover_every_call_the_graders_make():
    assert read_times(), "no reference times: run `nnfs-course times`"
    for assignment in ("01_forward_pass", "02_backpropagation", "03_optimizers"):
        assert unmeasured(get_assignment(assignment)) == [], (
            "the graders make calls without a measured time: run `nnfs-course times`")


class Hangs(ReferenceSubmission):
    """The reference with `hang` replaced by a function that never returns: the sandbox's
    timeout, reported as it reports it. `calls` counts what reached the student's side."""

    def __init__(self, assignment: str, hang: str, overrides: dict | None = None):
        source = f"def {hang}(*args, **kwargs):\n    raise _Hang()\n"
        super().__init__(assignment, {hang: source, **(overrides or {})})
        self._namespace["_Hang"] = type("_Hang", (Exception,), {})
        self.calls: list[str] = []
        self.time_limits = TimeLimits(LIMITS, {})

    def _invoke(self, function, args, kwargs, timeout=None):
        self.calls.append(function)
        try:
            return super()._invoke(function, args, kwargs, timeout)
        except StudentError as error:
            if error.message.startswith("_Hang"):
                raise StudentError("timeout", f"it ran longer than the {timeout:g} s limit") \
                    from None
            raise


def test_a_function_that_hangs_once_fails_its_later_checks_at_once_with_the_same_message():
    student = Hangs("01_forward_pass", "relu")
    student.time_limits = TimeLimits(LIMITS, {"relu": {"'x'": 0.00001}})
    with pytest.raises(GraderFailure) as first:
        student.call("relu", "x")
    assert "it ran longer than the 1 s limit" in str(first.value)
    assert "The reference returns in under a millisecond on these inputs." in str(first.value)
    assert "An endless loop is the usual cause: check the loop condition." in str(first.value)
    with pytest.raises(GraderFailure) as later:
        student.call("relu", "y")
    assert later.value.kind == "timeout" and str(first.value) in str(later.value)
    assert "Not run: `relu` ran past its time limit in an earlier check" in str(later.value)
    assert student.calls == ["relu"]  # the later check did not wait again


def test_a_call_made_only_to_diagnose_is_not_charged():
    student = Hangs("01_forward_pass", "relu")
    student.diagnosing = True
    with pytest.raises(GraderFailure):
        student.call("relu", "x")
    student.diagnosing = False
    assert student.hung == {}
    with pytest.raises(GraderFailure):
        student.call("relu", "x")
    assert student.calls == ["relu", "relu"] and list(student.hung) == ["relu"]


def test_a_hung_helper_costs_its_own_checks_and_its_caller_is_graded_with_the_reference():
    caller = "def dense_forward(X, W, b):\n    return matrix_product(X, W.T) + b\n"
    student = Hangs("01_forward_pass", "matrix_product", {"dense_forward": caller})
    run = run_graders("01_forward_pass", student)
    points = get_assignment("01_forward_pass").points
    totals = run.by_function()
    assert totals["matrix_product"] == (0, points["matrix_product"])
    assert student.calls.count("matrix_product") == 1  # judged once
    assert totals["dense_forward"] == (points["dense_forward"],) * 2
    notes = [t.output for t in run.tests if t.function == "dense_forward"]
    assert all("Your `matrix_product` did not return in time in its own checks" in note
               for note in notes), notes
    assert all(score == best for f, (score, best) in totals.items() if f != "matrix_product")
