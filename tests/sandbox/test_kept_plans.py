"""A plan the template keeps answers exactly as the same plan sent in full, or as calls alone."""

import numpy as np
from test_sandbox_batch import ARRAY, LIMIT, NOTEBOOK, outcome, plan

from autograder.sandbox.batch import KEEP_PLANS, KeptPlans
from autograder.sandbox.student import WALL_MULTIPLE

CALLS = [("double", (3,), {}), ("scale_in_place", (ARRAY,), {"k": 3.0}),
         ("scale_in_place", (ARRAY,), {}), ("broken", (1,), {}),
         ("double", (np.float64(-0.0),), {}), ("missing", (1,), {}), ("tick", (0,), {}),
         ("double", ([1.5, np.arange(3)],), {}), ("tick", (10,), {})]


def sent(process):
    """How the process's batch request carried its calls: "plan" (named) or "calls" (in full)."""
    request = process._prefetch.request()
    return "plan" if "plan" in request else "calls"


def test_a_plan_sent_twice_is_kept_and_later_batches_name_it(load):
    alone = load(NOTEBOOK)
    expected = [outcome(alone, *call) for call in CALLS]
    planned = plan(*CALLS)
    ways = []
    for _ in range(4):
        process = load(NOTEBOOK)
        process.prefetch(planned)
        ways.append(sent(process))
        assert [outcome(process, *call) for call in CALLS] == expected
        assert process._requests == 1  # every answer came from the batch
    assert ways == ["calls", "calls", "plan", "plan"]
    np.testing.assert_array_equal(ARRAY, np.arange(6.0).reshape(2, 3))  # the grader's own


def test_a_shorter_batch_names_the_start_of_a_kept_plan(load):
    planned = plan(*CALLS)
    for _ in range(2):
        load(NOTEBOOK).prefetch(planned)
    process = load(NOTEBOOK)
    process.prefetch(planned[:3])
    assert sent(process) == "plan"
    alone = load(NOTEBOOK)
    assert [outcome(process, *call) for call in CALLS[:3]] == \
        [outcome(alone, *call) for call in CALLS[:3]]


def test_a_batch_naming_a_plan_the_child_lacks_costs_the_student_nothing(load):
    planned = plan(*CALLS)
    alone = load(NOTEBOOK)
    expected = [outcome(alone, *call) for call in CALLS]
    process = load(NOTEBOOK)
    process._child.plans = ((999, planned, WALL_MULTIPLE),)  # as if kept: it was not
    process.prefetch(planned)
    assert sent(process) == "plan"
    # Not an answer: the process is ended, no call is charged, each goes alone in a fresh one.
    assert [outcome(process, *call) for call in CALLS] == expected
    assert process._requests == 1 + len(CALLS)


def test_a_restarted_template_holds_no_plan(sandbox, load):
    planned = plan(*CALLS)
    for _ in range(2):
        load(NOTEBOOK).prefetch(planned)
    assert sandbox._plans.kept
    sandbox.kill_template()
    process = load(NOTEBOOK)  # a new template
    process.prefetch(planned)
    assert sent(process) == "calls"
    assert process.call("double", (3,), {}, LIMIT).value == 6


def test_the_grader_keeps_the_record_of_the_last_plans_the_template_keeps():
    record = KeptPlans()
    plans = [plan(("double", (k,), {}), limit=LIMIT) for k in range(KEEP_PLANS + 2)]
    for each in plans:
        assert record.offer(each, WALL_MULTIPLE) is None  # the first time: not kept
        key = record.offer(each, WALL_MULTIPLE)
        record.add(key, each, WALL_MULTIPLE)
        assert record.offer(each, WALL_MULTIPLE) is None  # kept already
    kept = tuple(record.kept)
    assert [calls for _, calls, _ in kept] == plans[-KEEP_PLANS:]
    assert KeptPlans.find(kept, plans[0], WALL_MULTIPLE) is None
    assert KeptPlans.find(kept, plans[-1], WALL_MULTIPLE) == kept[-1][0]
    assert KeptPlans.find(kept, plans[-1], WALL_MULTIPLE * 2) is None
    assert KeptPlans.find(kept, plan(("double", (KEEP_PLANS + 1,), {})), WALL_MULTIPLE) is None
