"""The early templates: launched by a parent, taken over by the workers it forks, one each."""

from __future__ import annotations

import multiprocessing

import pytest
from process_table import wait_until_gone
from sandbox_helpers import LIMITS

from autograder.sandbox.early import EarlySandbox


def _use(early: EarlySandbox, answers) -> None:
    """In a forked worker: take a template and call a student function in it."""
    sandbox = early.take()
    if sandbox is None:
        answers.put(("none", None, None))
        return
    process = sandbox.load(["def double(x):\n    return 2 * x\n"])
    call = process.call("double", (21,), {})
    answers.put((sandbox.marker, call.value, sandbox.isolation))


def test_each_forked_worker_takes_its_own_template_and_one_too_many_gets_none():
    early = EarlySandbox(LIMITS)
    early.add(1)
    early.before_fork()
    markers = [slot.sandbox.marker for slot in early._slots]
    assert early.wait() == "bubblewrap"
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    workers = [context.Process(target=_use, args=(early, answers)) for _ in range(3)]
    try:
        for worker in workers:
            worker.start()
        got = sorted((answers.get(timeout=60) for _ in workers), key=str)
        for worker in workers:
            worker.join(timeout=60)
    finally:
        early.close(graceful=True)
    taken = [marker for marker, _, _ in got if marker != "none"]
    assert sorted(taken) == sorted(markers)  # two templates, two different workers
    assert [value for marker, value, _ in got if marker != "none"] == [42, 42]
    assert {level for marker, _, level in got if marker != "none"} == {"bubblewrap"}
    assert sum(marker == "none" for marker, _, _ in got) == 1
    assert not wait_until_gone(markers, 10.0), "a template outlived close()"


def test_closing_before_the_templates_are_ready_leaves_nothing_running():
    early = EarlySandbox(LIMITS)
    early.add(2)
    early.before_fork()
    markers = [slot.sandbox.marker for slot in early._slots if slot.sandbox is not None]
    assert len(markers) == 3
    early.close()  # at once, while they import NumPy
    assert not wait_until_gone(markers, 10.0), \
        "a template that was still starting outlived close()"
    assert early.take() is None


def test_a_misnamed_level_is_refused_at_once():
    with pytest.raises(ValueError, match="unknown isolation level"):
        EarlySandbox(LIMITS, "chroot")
