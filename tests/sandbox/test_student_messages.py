"""What a student is told when a call is stopped, or when a cell ends the notebook early."""

import pytest

from autograder.harness import StudentError

# One loss kept every 100 epochs: the loop must meet its time limit long before the memory limit
# (a float a step reaches 256 MB in about half a second on a fast machine).
TRAINING = """
def train(epochs):
    losses = []
    for epoch in range(epochs):
        if epoch % 100 == 0:
            losses.append(1.0 / (epoch + 1))
    return losses
"""


def test_timeout_reports_the_loop_counters(load):
    process = load(TRAINING)
    with pytest.raises(StudentError) as stopped:
        process.call("train", (10**12,))
    assert stopped.value.kind == "timeout"
    message = stopped.value.message
    assert "it was stopped in train (cell 1, line " in message
    epoch = int(message.split("epoch = ")[1].split(",")[0])
    assert epoch > 1000
    kept = int(message.split("len(losses) = ")[1].split(",")[0].split()[0])
    assert kept in (epoch // 100, epoch // 100 + 1)  # the limit may land before or after append


def test_a_function_that_hung_once_gets_a_shorter_limit(load):
    process = load("def hang(x):\n    while True:\n        pass\n")
    with pytest.raises(StudentError) as first:
        process.call("hang", (1,))
    with pytest.raises(StudentError) as second:
        process.call("hang", (2,))
    assert first.value.kind == second.value.kind == "timeout"
    limit = float(first.value.message.split("its limit of ")[1].split(" s")[0])
    shorter = float(second.value.message.split("its limit of ")[1].split(" s")[0])
    assert shorter == max(1.0, limit / 10) < limit or limit <= 1.0


def test_exit_in_a_cell_ends_only_that_cell(load):
    process = load("exit()\nx = 1", "def f():\n    return 2")
    assert process.cells[0].status == "error"
    assert "exit() was called" in process.cells[0].error
    assert "ask_exit" not in process.cells[0].error
    assert process.call("f").value == 2


def test_a_probe_that_runs_out_of_time_is_not_a_hang(load):
    from autograder.engine.sandboxed import SandboxSubmission
    from autograder.harness import GraderFailure

    submission = SandboxSubmission(load("def hang(x):\n    while True:\n        pass\n"), "")
    with pytest.raises(StudentError) as probed:
        submission._probe("hang", (1,), {})
    assert probed.value.kind == "timeout"
    assert "hang" not in submission.hung  # later checks keep their whole limit
    with pytest.raises(GraderFailure) as checked:
        submission.call("hang", 2)
    assert checked.value.kind == "timeout"
    assert "hang" in submission.hung  # a check's own timeout is a hang
