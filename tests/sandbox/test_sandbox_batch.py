"""Planned calls sent in one request answer exactly as the same calls sent one at a time."""

import numpy as np
import pytest
from sandbox_helpers import LIMITS

from autograder.engine.plan import CallPlan
from autograder.engine.sandboxed import SandboxSubmission
from autograder.harness import GraderFailure, StudentError
from autograder.sandbox import codec
from autograder.sandbox.batch import Planned

NOTEBOOK = """
import os
import numpy as np

def double(x):
    print("doubling", x)
    return 2 * x

def scale_in_place(a, k=2.0):
    a *= k
    return a.sum()

def broken(x):
    return x / undefined_name

def hang(x):
    while True:
        pass

def die(x):
    os._exit(3)

count = 0

def tick(x):
    global count
    count += 1
    return count + x
"""

LIMIT = 0.5  # each planned call's limit, in seconds of CPU time


def plan(*calls, limit=LIMIT):
    return [Planned.of(function, args, kwargs, limit) for function, args, kwargs in calls]


def outcome(process, function, args, kwargs):
    """What a grader sees of one call: its plain answer, or the error's kind and message."""
    try:
        call = process.call(function, args, kwargs, LIMIT)
    except StudentError as error:
        return error.kind, error.message
    return codec.dumps([call.value, call.args_after, call.kwargs_after]), call.output


def both_ways(load, planned, made):
    """The outcomes of the calls `made`, one at a time and with `planned` prefetched."""
    single = load(NOTEBOOK)
    alone = [outcome(single, *call) for call in made]
    batched = load(NOTEBOOK)
    batched.prefetch(plan(*planned))
    together = [outcome(batched, *call) for call in made]
    return alone, together, batched


ARRAY = np.arange(6.0).reshape(2, 3)
CALLS = [("double", (3,), {}), ("scale_in_place", (ARRAY,), {"k": 3.0}),
         ("broken", (1,), {}), ("double", (np.float64(-0.0),), {}), ("missing", (1,), {})]


def test_a_batch_answers_as_calls_one_at_a_time(load):
    alone, together, batched = both_ways(load, CALLS, CALLS)
    assert together == alone
    assert "doubling 3" in together[0][1]  # each call's own output
    assert together[2][0] == "exception" and together[4][0] == "missing"
    assert batched._requests == 1  # one request for all five


def test_a_function_that_changes_its_input_is_seen_after_the_call(load):
    made = [("scale_in_place", (ARRAY,), {}), ("scale_in_place", (ARRAY,), {})]
    alone, together, _ = both_ways(load, made, made)
    assert together == alone
    after = codec.loads(together[0][0])[1][0]
    np.testing.assert_array_equal(after, ARRAY * 2)  # each call got a fresh copy
    assert together[0] == together[1]
    np.testing.assert_array_equal(ARRAY, np.arange(6.0).reshape(2, 3))  # the grader's own


def test_a_stateful_student_sees_its_calls_in_the_graders_order(load):
    made = [("tick", (0,), {}), ("tick", (10,), {}), ("tick", (0,), {})]
    alone, together, _ = both_ways(load, made, made)
    assert together == alone
    assert [codec.loads(text)[0] for text, _ in together] == [1, 12, 3]


def test_a_timeout_in_the_middle_ends_the_batch_there(load):
    made = [("double", (1,), {}), ("hang", (1,), {}), ("double", (2,), {}), ("tick", (0,), {})]
    alone, together, batched = both_ways(load, made, made)
    assert together == alone
    assert together[1][0] == "timeout"
    assert "it was stopped in hang" in together[1][1]
    assert batched._requests == 3  # the batch, then the two calls after the timeout


def test_a_crash_in_the_middle_is_reported_as_a_crash_of_that_call(load):
    made = [("double", (1,), {}), ("die", (1,), {}), ("double", (2,), {}), ("tick", (0,), {})]
    alone, together, _ = both_ways(load, made, made)
    assert together == alone
    assert together[1][0] == "crash"
    assert codec.loads(together[3][0])[0] == 1  # a fresh process: the count starts again


def test_a_planned_call_the_graders_do_not_make_charges_nothing(load):
    planned = [("double", (1,), {}), ("hang", (1,), {}), ("die", (1,), {}),
               ("double", (2,), {})]
    made = [("double", (1,), {}), ("double", (2,), {})]
    alone, together, _ = both_ways(load, planned, made)
    assert together == alone  # neither the timeout nor anything after it


def test_calls_off_the_plan_go_one_at_a_time_and_the_plan_resumes(load):
    planned = [("double", (1,), {}), ("double", (2,), {}), ("double", (3,), {})]
    made = [("double", (1,), {}), ("double", (5,), {}), ("double", (3,), {}),
            ("double", (2,), {})]
    alone, together, batched = both_ways(load, planned, made)
    assert together == alone
    assert batched._requests == 3  # the batch, double(5), and double(2) passed over before


def test_a_call_with_another_limit_is_not_the_planned_one(load):
    process = load(NOTEBOOK)
    process.prefetch(plan(("double", (1,), {})))
    assert process.call("double", (1,), {}, LIMIT * 2).value == 2
    assert process._requests == 2


def test_a_hang_in_a_batch_is_judged_once_as_a_hang_alone_is(load):
    messages = []
    for learned in (False, True):
        graders_plan = CallPlan()
        calls = plan(("hang", (1,), {}), ("hang", (2,), {}), limit=LIMITS.call_seconds)
        graders_plan.calls = calls if learned else []
        submission = SandboxSubmission(load(NOTEBOOK), "", graders_plan)
        failures = []
        for x in (1, 2):
            with pytest.raises(GraderFailure) as failed:
                submission.call("hang", x)
            failures.append(str(failed.value))
        assert "hang" in submission.hung
        messages.append(failures)
    assert messages[0] == messages[1]
    assert "judged once" in messages[1][1]


def test_a_worker_keeps_the_plan_of_the_first_grading_that_went_as_expected(load):
    graders_plan = CallPlan()
    first = SandboxSubmission(load(NOTEBOOK), "", graders_plan)
    with pytest.raises(GraderFailure):
        first.call("broken", 1)
    first.call("double", 1)
    first.close()
    assert [p.function for p in graders_plan.calls] == ["broken", "double"]
    assert graders_plan.learning
    second = SandboxSubmission(load(NOTEBOOK), "", graders_plan)
    second.call("double", 4)
    second.call("tick", 0)
    second.close()
    assert [p.function for p in graders_plan.calls] == ["double", "tick"]
    assert not graders_plan.learning
    third = SandboxSubmission(load(NOTEBOOK), "", graders_plan)
    assert third.call("double", 4).value == 8
    assert third.process._requests == 1
    third.close()
    assert [p.function for p in graders_plan.calls] == ["double", "tick"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ((1, 2.0), (1, 2.0), True),
    ((0.0,), (-0.0,), False),
    ((1,), (1.0,), False),
    ((np.int64(3), np.float32(0.5)), (3, 0.5), True),
    ((float("nan"),), (np.nan,), True),
    (([1, 2],), ((1, 2),), False),
    ((np.zeros(3),), (np.zeros(3, dtype=np.float32),), False),
    ((np.zeros(3),), (np.zeros((1, 3)),), False),
    ((np.array([0.0]),), (np.array([-0.0]),), False),
    (({"a": 1, "b": 2},), ({"b": 2, "a": 1},), False),
    ((codec.Remote("f"),), (codec.Remote("f"),), True),
    ((object(),), (object(),), False),
])
def test_calls_are_the_same_only_when_they_cross_as_the_same_plain_data(a, b, same):
    assert codec.same(a, b) is same


def test_a_call_on_a_function_the_graders_define_is_never_planned():
    assert Planned.of("numerical_gradient", (codec.Remote("f"), np.zeros(2)), {}, 1.0) is None


def test_every_kind_of_plain_value_crosses_the_codec_and_comes_back_the_same():
    import json

    import numpy as np

    from autograder.sandbox import codec

    values = [None, True, 7, 2.5, float("nan"), -np.inf, np.float64(3.5), np.int32(4),
              np.bool_(False), "text", [1.0, [2.0, "x"]], (1, 2.0), {"a": np.arange(3)},
              np.zeros((2, 3), np.float32), np.arange(4).astype(">i4"), 1 + 2j,
              np.complex64(1j), codec.Remote("f")]
    sent = json.dumps(codec.to_plain(values), allow_nan=False)
    back = codec.from_plain(json.loads(sent))
    assert json.dumps(codec.to_plain(back), allow_nan=False) == sent
    assert [type(v) for v in back[:4]] == [type(None), bool, int, float]
    assert back[15:17] == [1 + 2j, 1j] and back[17] == codec.Remote("f")
