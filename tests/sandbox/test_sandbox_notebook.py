"""Loading a notebook like Jupyter does, and calling its functions with plain data."""

import numpy as np
import pytest

from autograder.engine.sandboxed import SandboxSubmission
from autograder.harness import GraderFailure, Remote, StudentError, check_unchanged


def test_cells_run_in_order_and_failures_do_not_stop_later_cells(load):
    proc = load(
        "import numpy as np\nprint('hello')",
        "md:# A markdown cell",
        "x = 1 / 0",
        "import sys\nsys.exit(3)",
        "raise KeyboardInterrupt",
        "def double(a):\n    return np.asarray(a) * 2",
        "y = 'never'",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.show()",
        "%timeit -n1 -r1 sum(range(10))",
        "!echo from the shell",
        "double(21)",
        skip={5},
    )
    statuses = [c.status for c in proc.cells]
    assert statuses == ["ok", "error", "error", "error", "ok", "skipped", "ok", "ok", "ok", "ok"]
    assert proc.cells[0].output == "hello\n"
    assert proc.cells[1].error.startswith("ZeroDivisionError: division by zero")
    assert "cell 2, line 1" in proc.cells[1].error
    assert proc.cells[2].error.startswith("SystemExit: 3")
    assert proc.cells[3].error.startswith("KeyboardInterrupt")
    assert "from the shell" in proc.cells[8].output
    assert "42" in proc.cells[9].output
    assert not proc.has("y")  # skipped
    assert proc.functions() == ["double"]


def test_call_returns_plain_data_inputs_after_and_output(load):
    proc = load("""
        import numpy as np
        def scale(x, factor=2.0):
            print("scaling", x.shape)
            x *= factor          # modifies its input
            return {"out": x.copy(), "n": x.size, "pair": (1, None)}
    """)
    x = np.arange(3.0)
    call = proc.call("scale", (x,), {"factor": 3.0})
    assert call.value["n"] == 3 and call.value["pair"] == (1, None)
    np.testing.assert_array_equal(call.value["out"], [0.0, 3.0, 6.0])
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])  # the grader's array is untouched
    np.testing.assert_array_equal(call.args_after[0], [0.0, 3.0, 6.0])
    assert call.kwargs_after == {"factor": 3.0}
    assert call.output == "scaling (3,)\n"
    assert call.seconds > 0  # measured; how long depends on what else the machine runs
    with pytest.raises(GraderFailure, match="changed its argument 1"):
        check_unchanged(call)


def test_arguments_left_as_sent_come_back_as_the_graders_own_and_changed_ones_as_changed(load):
    """An unchanged argument is not sent back (the child says it is as sent): the call holds
    the grader's own values; a list changed in place still comes back changed."""
    proc = load("""
        def keep(x, items, scale=1.0):
            return float(sum(items)) * scale
        def grow(items):
            items.append(-0.0)
            return len(items)
    """)
    x, items = np.arange(3.0), [1.0, 2.0]
    call = proc.call("keep", (x, items), {"scale": 2.0})
    assert call.value == 6.0
    assert call.args_after[0] is x and call.args_after[1] is items
    assert call.kwargs_after == {"scale": 2.0}
    check_unchanged(call)
    grown = proc.call("grow", (items,), {})
    assert grown.args_after[0] == [1.0, 2.0, -0.0] and items == [1.0, 2.0]
    with pytest.raises(GraderFailure, match="changed its argument 1"):
        check_unchanged(grown)


def test_student_exceptions_carry_type_message_and_only_student_frames(load):
    proc = load("""
        def inner(a):
            return a + "text"

        def outer(a):
            return inner(a)

        def stub(a):
            raise NotImplementedError()

        def leave(a):
            import sys
            sys.exit("bye")
    """)
    with pytest.raises(StudentError) as info:
        proc.call("outer", (1,), {})
    error = info.value
    assert error.kind == "exception"
    assert error.message.startswith("TypeError: unsupported operand type(s) for +")
    assert "in inner: return a + \"text\"" in error.message
    assert "worker" not in error.message and "/nnfs" not in error.message
    assert "autograder" not in error.message
    with pytest.raises(StudentError, match="^NotImplementedError"):
        proc.call("stub", (1,), {})
    with pytest.raises(StudentError, match="SystemExit: bye"):
        proc.call("leave", (1,), {})
    assert proc.call("outer", ("a",), {}).value == "atext"


def test_values_that_are_not_plain_data_are_bad_output(load):
    proc = load("""
        import numpy as np
        def give_function():
            return give_function
        def give_objects():
            return np.array([object(), 1], dtype=object)
        def mangle(items):
            items.append(len)
            return 1
    """)
    for name, args in (("give_function", ()), ("give_objects", ()), ("mangle", ([1],))):
        with pytest.raises(StudentError) as info:
            proc.call(name, args, {})
        assert info.value.kind == "bad-output"
    assert "cannot be sent as plain data" in str(info.value)


def test_answers_too_large_to_send_back_are_bad_output(load, monkeypatch):
    from autograder.sandbox import process

    monkeypatch.setattr(process, "MAX_RESPONSE", 10_000)
    proc = load("def big(n):\n    return 'x' * n")
    assert proc.call("big", (100,), {}).value == "x" * 100
    with pytest.raises(StudentError) as info:
        proc.call("big", (100_000,), {})
    assert info.value.kind == "bad-output" and "too large" in info.value.message
    assert proc.call("big", (5,), {}).value == "xxxxx"


def test_missing_functions_and_define_with_remote_callables(load):
    proc = load("""
        import numpy as np
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            for i in range(x.size):
                old = x[i]
                x[i] = old + h; up = f(x)
                x[i] = old - h; down = f(x)
                x[i] = old
                grad[i] = (up - down) / (2 * h)
            return grad
    """)
    with pytest.raises(StudentError) as info:
        proc.call("forward", (), {})
    assert info.value.kind == "missing"
    submission = SandboxSubmission(proc, "01_forward_pass")
    assert submission.assignment == "01_forward_pass"
    f = submission.define("square_sum", "def square_sum(x):\n    return float((x ** 2).sum())")
    assert f == Remote("square_sum")
    call = submission.call("numerical_gradient", f, np.array([1.0, -2.0]))
    np.testing.assert_allclose(call.value, [2.0, -4.0], rtol=1e-6)
    assert call.args_after[0] == Remote("square_sum")
    assert submission.has("square_sum") and not submission.has("nothing_here")
    with pytest.raises(GraderFailure, match="not defined in your notebook"):
        submission.call("forward")
    with pytest.raises(StudentError, match="NameError"):
        proc.define("broken", "oops")


def test_budget_runs_out_and_then_calls_fail_fast(sandbox):
    from dataclasses import replace

    from autograder.sandbox.process import Sandbox

    limits = replace(sandbox.limits, submission_seconds=3.0, call_seconds=3.0)
    with Sandbox(limits) as sb:
        proc = sb.load(["import time\ndef nap(s):\n    time.sleep(s)\n    return s"])
        # Spend all but 1 s of the budget, however long loading took on this machine.
        spend = max(0.0, proc.budget - proc.used - 1.0)
        assert proc.call("nap", (spend,), {}).value == spend
        with pytest.raises(StudentError) as info:
            proc.call("nap", (1.5,), {})  # within its own 3 s limit, past what is left
        assert info.value.kind == "budget"
        with pytest.raises(StudentError) as info:
            proc.call("nap", (0.0,), {})
        assert info.value.kind == "budget" and "3 s time budget" in info.value.message
