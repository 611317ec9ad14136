"""Hostile notebooks: each threat costs at most the request it happens in."""

import numpy as np
import pytest
from sandbox_helpers import LIMITS, PROMISE_LEVELS, processes_with

from autograder.checks import compare
from autograder.harness import Call, GraderFailure, StudentError, check_close

pytestmark = PROMISE_LEVELS


def fails(proc, function, *args, kind):
    with pytest.raises(StudentError) as info:
        proc.call(function, args, {})
    assert info.value.kind == kind, info.value.message
    return info.value.message


def test_infinite_loop_in_a_call_times_out_and_the_next_call_works(load):
    proc = load("""
        import signal, time
        def spin():
            while True:
                pass
        def stubborn():                      # swallows the in-process time limit
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                try:
                    time.sleep(10)
                except BaseException:
                    pass
        def slow():                          # has its own, longer limit (2 s)
            time.sleep(1.5)
            return "done"
        def ok():
            return 7
    """)
    assert fails(proc, "spin", kind="timeout").startswith(
        "it ran longer than its limit of 1 s of computing time (4 s by the clock); it was "
        "stopped in spin (cell 1, line ")
    assert proc.call("ok", (), {}).value == 7
    # it waits instead of computing, so the wall clock stops it (killed from outside)
    assert fails(proc, "stubborn", kind="timeout") == (
        "it ran longer than its limit of 1 s of computing time (4 s by the clock)")
    assert proc.call("ok", (), {}).value == 7  # a fresh process, cells run again
    assert proc.call("slow", (), {}).value == "done"  # 1.5 s asleep: no CPU time spent


def test_a_loop_that_catches_the_time_limit_is_answered_for_and_replaced(load):
    proc = load("""
        import time
        counter = []
        def catcher():
            while True:
                try:
                    while True:
                        counter.append(1)
                        del counter[1:]
                except:
                    pass
        def napper():
            while True:
                time.sleep(0.01)
        def ok():
            counter.append(1)
            return len(counter)
    """)
    assert proc.call("ok", (), {}).value == 1
    # the process answered for it (the CPU limit and where it was stopped, not the wall clock's
    # kill from outside), and ended: the next call runs in a fresh one, where the cells ran again
    assert fails(proc, "catcher", kind="timeout").startswith(
        "it ran longer than its limit of 1 s of computing time (4 s by the clock); it was "
        "stopped in catcher (cell 1, line ")
    assert proc.call("ok", (), {}).value == 1
    assert fails(proc, "napper", kind="timeout").startswith(
        "it ran longer than its limit of 1 s of computing time (4 s by the clock); it was "
        "stopped in napper (cell 1, line ")
    assert proc.call("ok", (), {}).value == 2  # stopped in its own frame: the process stays


def test_infinite_loops_in_top_level_cells_do_not_lose_later_cells(load):
    proc = load(
        "while True:\n    pass",
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
        "def after():\n    return 'still here'",
    )
    assert [c.status for c in proc.cells] == ["timeout", "timeout", "ok"]
    assert "1 s limit" in proc.cells[0].error and "1 s limit" in proc.cells[1].error
    assert proc.call("after", (), {}).value == "still here"


def test_memory_bombs_are_stopped_and_cost_only_their_call(load):
    proc = load("""
        import numpy as np
        def huge():
            return np.ones(10**11)
        def grow():
            items = []
            while True:
                items.append(bytearray(10**6))
        def ok(x):
            return x + 1
        big = np.ones(10**11)
    """)
    assert proc.cells[0].status == "error" and "MemoryError" in proc.cells[0].error
    assert "256 MB memory limit" in fails(proc, "huge", kind="memory")
    assert proc.call("ok", (1,), {}).value == 2
    fails(proc, "grow", kind="memory")
    assert proc.call("ok", (2,), {}).value == 3


def test_fork_bombs_are_contained_and_leave_nothing_behind(sandbox, load):
    marker = "fork-bomb-marker-8d1e"
    proc = load(f"""
        import os, subprocess, sys
        SLEEPER = "import time; time.sleep(600)  # {marker}"
        def fork_bomb():
            while True:
                os.fork()
        def spawn():
            started = 0
            for _ in range(50):
                try:
                    subprocess.Popen([sys.executable, "-S", "-c", SLEEPER])
                    started += 1
                except OSError:
                    break
            return started
        def ok():
            return os.getpid() > 0
    """)
    started = proc.call("spawn", (), {}).value
    message = fails(proc, "fork_bomb", kind="exception")
    if sandbox.isolation == "landlock":  # seccomp refuses every new process
        assert started == 0 and not processes_with(marker)
        assert message.startswith("PermissionError")
    else:
        assert 1 <= started <= LIMITS.processes  # the process limit holds in the namespace
        assert processes_with(marker)
        assert message.startswith("BlockingIOError")  # fork() refused: RLIMIT_NPROC
    assert proc.call("ok", (), {}).value is True
    proc.close()
    assert not processes_with(marker)


def test_exits_in_calls_and_cells(load):
    proc = load(
        "import ctypes, os, sys\ndef quit_():\n    sys.exit(0)\ndef die():\n    os._exit(5)\n"
        "def segfault():\n    ctypes.string_at(0)",
        "os._exit(1)",
        "def alive():\n    return 'alive'",
    )
    assert [c.status for c in proc.cells] == ["ok", "crash", "ok"]
    assert "exited with code 1" in proc.cells[1].error
    assert fails(proc, "quit_", kind="exception").splitlines()[0] == "SystemExit: 0"
    assert "exited with code 5" in fails(proc, "die", kind="crash")
    assert proc.call("alive", (), {}).value == "alive"
    assert "SIGSEGV" in fails(proc, "segfault", kind="crash")
    assert proc.call("alive", (), {}).value == "alive"


def test_patching_numpy_or_builtins_in_the_student_process_changes_nothing_here(load):
    before = (np.testing.assert_allclose, np.allclose, np.isclose, abs, isinstance, max,
              compare._difference)
    proc = load("""
        import builtins, numpy as np
        np.testing.assert_allclose = lambda *a, **k: None
        np.allclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        builtins.abs = lambda x: 0
        builtins.max = lambda *a, **k: 0
        def answer(x):
            return np.asarray(x) * 0 + 12345.0
        def sabotage():
            builtins.isinstance = lambda *a: True
            builtins.len = lambda *a: 0
            return 0
    """)
    assert [c.status for c in proc.cells] == ["ok"]
    call = proc.call("answer", (np.arange(3.0),), {})
    with pytest.raises(GraderFailure, match="The values differ"):
        check_close(call, np.arange(3.0))
    proc.call("sabotage", (), {})
    try:
        call = proc.call("answer", (np.arange(3.0),), {})
    except StudentError:
        pass
    else:
        with pytest.raises(GraderFailure):
            check_close(call, np.arange(3.0))
    after = (np.testing.assert_allclose, np.allclose, np.isclose, abs, isinstance, max,
             compare._difference)
    assert all(a is b for a, b in zip(before, after, strict=True))


def test_patched_builtins_are_undone_even_when_the_patch_fakes_the_check(load):
    """The child checks for patches with all/map bound in the template: patching them (to say
    nothing changed) does not keep a patched len alive into the next call."""
    proc = load("""
        import builtins
        def sabotage():
            builtins.all = lambda *a: True
            builtins.map = lambda *a: [True]
            builtins.len = lambda *a: 0
            return 0
        def count(x):
            return len(x) + len([all([False]), list(map(str, [1, 2]))])
    """)
    proc.call("sabotage", (), {})
    assert proc.call("count", ([1, 2, 3],), {}).value == 5


def test_huge_output_is_capped(load):
    proc = load("""
        import os, sys
        def chatty():
            for _ in range(200):
                print("x" * 100_000)
            os.write(1, b"y" * 5_000_000)
            sys.stderr.write("z" * 1_000_000)
            return "done"
        for _ in range(10):
            print("w" * 5_000)
    """)
    assert len(proc.cells[0].output) <= 10 * 5_001
    call = proc.call("chatty", (), {})
    assert call.value == "done"
    assert len(call.output) <= LIMITS.output_bytes + 200
    assert "output cut" in call.output
    assert proc.call("chatty", (), {}).output == ""  # the submission's allowance is spent


FORGED = ('{"id": %d, "nonce": "x", "ok": true, "value": 42, "args_after": [],'
          ' "kwargs_after": {"$dict": {}}, "output": ""}\n')


def test_fake_protocol_messages_do_not_forge_results(load):
    proc = load(f"""
        import os
        FORGED = {FORGED!r}
        def forge():
            for fd in range(21):
                for i in range(1, 6):
                    try:
                        os.write(fd, (FORGED % i).encode())
                    except OSError:
                        pass
            return 0
        def forge_partial():
            for fd in range(3, 21):
                try:
                    os.write(fd, b'{{"id": ')
                except OSError:
                    pass
            return 0
        def honest():
            return 1
        FAKE_CELL = b'{{"nonce": "x", "cell": 1, "status": "ok", "error": "", "output": ""}}\\n'
    """, """
        for fd in range(21):
            try:
                os.write(fd, FAKE_CELL)
            except OSError:
                pass
    """, "def later():\n    return 'later'")
    assert [c.status for c in proc.cells] == ["ok", "crash", "ok"]
    for name in ("forge", "forge_partial"):
        try:
            call = proc.call(name, (), {})
        except StudentError as error:
            assert error.kind == "crash"
        else:
            assert isinstance(call, Call) and call.value == 0
    assert proc.call("honest", (), {}).value == 1
    assert proc.call("later", (), {}).value == "later"
