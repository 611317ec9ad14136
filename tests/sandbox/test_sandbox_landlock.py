"""The landlock level itself: its switch, its ABI cap, what it promises per ABI, and what a
submission's process holds once confined (no capabilities, the filter, threads still work)."""

import os

import pytest
from sandbox_helpers import (
    LIMITS,
    SIGNAL_ATTACKS,
    STUDENT_HELPERS,
    grader_signals,
    notebook_cells,
)

from autograder.sandbox import landlock_level, levels
from autograder.sandbox.process import Sandbox, isolation_level

ALL = {"read", "write", "signal", "connect", "see", "outlive"}


@pytest.fixture
def fresh_levels():
    """levels.available() remembers its answers: forget them before and after."""
    levels.available.cache_clear()
    yield
    levels.available.cache_clear()


def needs_landlock():
    if not landlock_level.usable() or not levels.available("landlock"):
        pytest.skip("Landlock and seccomp do not work here")


def test_every_abi_keeps_every_promise_and_says_what_it_rests_on():
    assert landlock_level.landlock_promises(0) == frozenset()
    for abi in range(1, 8):
        assert landlock_level.landlock_promises(abi) == ALL, abi
    assert "seccomp alone" in landlock_level.landlock_note(5)
    assert "both Landlock and seccomp" in landlock_level.landlock_note(6)
    assert "truncation" in landlock_level.landlock_note(2)
    assert "cannot start" in landlock_level.landlock_note(0)


def test_the_rights_a_ruleset_handles_follow_the_abi():
    confine = landlock_level.confine()
    files, net, scopes = confine.handled(5)
    assert files & confine.IOCTL_DEV and files & confine.TRUNCATE and net and not scopes
    files, net, scopes = confine.handled(1)
    assert not files & (confine.REFER | confine.TRUNCATE) and not net and not scopes
    assert confine.handled(6)[2] == confine.SCOPE_SIGNAL | confine.SCOPE_ABSTRACT_UNIX_SOCKET


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_the_seccomp_program_fits_in_one_filter_on_both_architectures(machine):
    program = landlock_level.confine().seccomp_program(1234, machine)
    assert len(program) % 8 == 0 and 100 < len(program) // 8 < 4096  # BPF_MAXINSNS
    assert (1234).to_bytes(4, "little") in program  # the own pid that signals may target
    with pytest.raises(OSError, match="no seccomp filter"):
        landlock_level.confine().seccomp_program(1234, "riscv64")


def test_the_switch_turns_the_level_off(monkeypatch, fresh_levels):
    needs_landlock()
    monkeypatch.setenv(landlock_level.SWITCH_ENV, "off")
    levels.available.cache_clear()
    assert not landlock_level.usable() and not levels.available("landlock")
    with pytest.raises(RuntimeError, match="'landlock' does not work"):
        isolation_level("landlock")


def test_a_confined_submission_holds_no_capability_and_keeps_its_threads():
    needs_landlock()
    with Sandbox(LIMITS, "landlock") as sb:
        proc = sb.load(notebook_cells("""
            import ctypes, os, threading
            def status():
                with open("/proc/self/status") as f:
                    return dict(line.split(":\\t", 1) for line in f.read().splitlines())
            def handle():
                libc = ctypes.CDLL(None, use_errno=True)
                handle = ctypes.create_string_buffer(128)
                ctypes.memmove(handle, (120).to_bytes(4, "little"), 4)
                mount = ctypes.c_int()
                result = libc.name_to_handle_at(-100, b"/usr", handle, ctypes.byref(mount), 0)
                return result, ctypes.get_errno()
            def threads():
                found = []
                workers = [threading.Thread(target=found.append, args=(i,)) for i in range(4)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                return sorted(found)
        """))
        fields = proc.call("status", (), {}).value
        assert fields["Seccomp"].strip() == "2" and fields["NoNewPrivs"].strip() == "1"
        # Root empties its bounding set too; a user may not (and gains nothing from it).
        bounding = ("CapBnd",) if os.geteuid() == 0 else ()
        for name in ("CapInh", "CapPrm", "CapEff", "CapAmb", *bounding):
            assert int(fields[name], 16) == 0, name
        assert proc.call("handle", (), {}).value == (-1, 1)  # EPERM: no open_by_handle_at
        assert proc.call("threads", (), {}).value == [0, 1, 2, 3]


def test_without_scoping_seccomp_alone_keeps_signals_from_the_grader(monkeypatch, fresh_levels):
    needs_landlock()
    monkeypatch.setenv(landlock_level.ABI_ENV, "5")
    assert landlock_level.abi() == 5
    with Sandbox(LIMITS, "landlock") as sb:
        with open(f"/proc/{sb._popen.pid}/cmdline", "rb") as f:
            assert b'"abi": 5' in f.read()  # the template confines itself as on ABI 5
        with grader_signals() as received:
            proc = sb.load(notebook_cells(STUDENT_HELPERS, SIGNAL_ATTACKS.format(
                grader=os.getpid())))
            outcomes = proc.call("attack", (), {}).value
            assert proc.call("ok", (), {}).value == "ok"
        assert received == [] and set(outcomes.values()) == {"PermissionError"}, outcomes
        assert sb.timings["template_starts"] == 1


def test_a_confined_submission_cannot_watch_files_it_may_not_read(tmp_path):
    needs_landlock()
    with Sandbox(LIMITS, "landlock") as sb:
        proc = sb.load(notebook_cells(STUDENT_HELPERS, """
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            def watch(path):
                fd = libc.inotify_init1(0)
                if fd < 0 or libc.inotify_add_watch(fd, path.encode(), 0xFFF) < 0:
                    return os.strerror(ctypes.get_errno())
                return "watching"
        """))
        assert proc.call("watch", (str(tmp_path),), {}).value == os.strerror(1)  # EPERM
