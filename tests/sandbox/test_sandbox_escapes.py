"""Escapes that file rules alone would miss, at every level that keeps every promise: a session
bus, UDP and TCP to the loopback, a process that leaves its session, another process's /proc,
signals by every route, and changing the metadata of files the student may only read. An escape
that one promise alone stops runs at every level that keeps that promise."""

import os
import resource
import socket
import stat

import pytest
from process_table import wait_until_gone, wait_until_seen
from sandbox_helpers import (
    PROMISE_LEVELS,
    SIGNAL_ATTACKS,
    STUDENT_HELPERS,
    grader_signals,
    keeping,
)

SOCKETS = """
    import socket
    def unix(address):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(address)
                s.sendall(b"hello")
            return "connected"
        except OSError as error:
            return type(error).__name__
    def udp(port):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"hello", ("127.0.0.1", port))
            return "sent"
        except OSError as error:
            return type(error).__name__
    def tcp(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"hello")
            return "connected"
        except OSError as error:
            return type(error).__name__
"""


@PROMISE_LEVELS
def test_no_unix_socket_udp_or_tcp_reaches_what_listens_on_the_host(sandbox, load, tmp_path):
    bus = tmp_path / "bus"  # where a session bus (/run/user/UID/bus) or docker.sock would be
    listeners = {"bus": socket.socket(socket.AF_UNIX), "abstract": socket.socket(socket.AF_UNIX),
                 "udp": socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
                 "tcp": socket.socket()}
    try:
        listeners["bus"].bind(str(bus))
        os.chmod(tmp_path, 0o755)
        os.chmod(bus, 0o777)
        abstract = f"\0nnfs-test-bus-{os.getpid()}"
        listeners["abstract"].bind(abstract)
        listeners["udp"].bind(("127.0.0.1", 0))
        listeners["tcp"].bind(("127.0.0.1", 0))
        for name in ("bus", "abstract", "tcp"):
            listeners[name].listen()
        for listener in listeners.values():
            listener.setblocking(False)
        proc = load(SOCKETS)
        outcomes = [proc.call("unix", (str(bus),), {}).value,
                    proc.call("unix", (abstract,), {}).value,
                    proc.call("udp", (listeners["udp"].getsockname()[1],), {}).value,
                    proc.call("tcp", (listeners["tcp"].getsockname()[1],), {}).value]
        if sandbox.isolation == "landlock":  # no socket at all
            assert outcomes == ["PermissionError"] * 4
        else:  # sockets in an empty network namespace: UDP "sends" to its own loopback
            assert "connected" not in outcomes[:2] + outcomes[3:]
        # Loopback delivery is synchronous: whatever was sent would be waiting by now.
        for name in ("bus", "abstract", "tcp"):
            with pytest.raises(BlockingIOError):
                listeners[name].accept()
        with pytest.raises(BlockingIOError):
            listeners["udp"].recv(100)
    finally:
        for listener in listeners.values():
            listener.close()


@keeping("outlive")
def test_a_double_forked_setsid_sleeper_does_not_outlive_the_run(sandbox, load):
    marker = "setsid-sleeper-marker-41c7"
    proc = load(f"""
        import os, subprocess, sys
        SLEEPER = "import time; time.sleep(600)  # {marker}"
        def double_fork():
            try:
                first = os.fork()
            except OSError as error:
                return type(error).__name__
            if first == 0:
                try:
                    os.setsid()
                    if os.fork() == 0:
                        os.execv(sys.executable, [sys.executable, "-S", "-c", SLEEPER])
                finally:
                    os._exit(0)
            os.waitpid(first, 0)
            return "forked"
        def new_session():
            try:
                subprocess.Popen([sys.executable, "-S", "-c", SLEEPER], start_new_session=True)
                return "started"
            except OSError as error:
                return type(error).__name__
    """)
    results = [proc.call("double_fork", (), {}).value, proc.call("new_session", (), {}).value]
    if sandbox.isolation == "landlock":
        assert results == ["PermissionError", "PermissionError"]
    else:  # started in the sandbox's PID namespace, which ends with the submission
        assert results == ["forked", "started"]
        assert wait_until_seen(marker)
    proc.close()
    assert wait_until_gone([marker]) == []


@keeping("see")
def test_other_processes_environ_and_command_line_cannot_be_read(load):
    proc = load(STUDENT_HELPERS, """
        def mine():
            return read("/proc/self/status").startswith("Name:")
    """)
    for pid in (os.getpid(), os.getppid()):  # the grader and whoever started it
        for name in ("environ", "cmdline", "status"):
            value = proc.call("read", (f"/proc/{pid}/{name}",), {}).value
            assert value in ("FileNotFoundError", "PermissionError"), (pid, name, value)
    assert proc.call("mine", (), {}).value is True  # its own /proc entry stays readable


@PROMISE_LEVELS
def test_no_signal_reaches_the_grader_by_any_route(sandbox, load):
    starts = sandbox.timings["template_starts"]
    with grader_signals() as received:
        proc = load(STUDENT_HELPERS, SIGNAL_ATTACKS.format(grader=os.getpid()))
        outcomes = proc.call("attack", (), {}).value
        assert proc.call("ok", (), {}).value == "ok"
    assert received == [], outcomes
    assert sandbox.timings["template_starts"] == starts  # the template survived
    if sandbox.isolation == "landlock":  # seccomp refuses each of them
        assert set(outcomes.values()) == {"PermissionError"}, outcomes
    else:  # the grader is not in the PID namespace; the template is its PID 1, unkillable
        assert set(outcomes.values()) == {"ProcessLookupError", "done"}, outcomes


@PROMISE_LEVELS
def test_files_it_may_read_keep_their_mode_size_and_times(sandbox, load):
    if sandbox.isolation == "landlock":  # a file the student may read: next to the sandbox's code
        target = os.path.join(sandbox._private_dir, "lib", "victim.txt")
    else:
        target = "/usr/bin/env"
    if sandbox.isolation == "landlock":
        with open(target, "w") as f:
            f.write("intact")
    before = os.stat(target)
    proc = load(STUDENT_HELPERS, """
        def meddle(path):
            return outcomes_of({
                "truncate": lambda: os.close(os.open(path, os.O_RDONLY | os.O_TRUNC)),
                "chmod": lambda: os.chmod(path, 0o777),
                "utime": lambda: os.utime(path, (0, 0)),
                "xattr": lambda: os.setxattr(path, "user.nnfs", b"x"),
                "rename": lambda: os.rename(path, path + ".moved"),
            })
    """)
    outcomes = proc.call("meddle", (target,), {}).value
    assert "done" not in outcomes.values(), outcomes
    after = os.stat(target)
    assert (stat.S_IMODE(after.st_mode), after.st_size, after.st_mtime_ns) == (
        stat.S_IMODE(before.st_mode), before.st_size, before.st_mtime_ns)


@PROMISE_LEVELS
def test_the_graders_limits_priority_and_processors_stay_as_they_are(sandbox, load):
    before = (resource.getrlimit(resource.RLIMIT_NOFILE), os.getpriority(os.PRIO_PROCESS, 0),
              os.sched_getaffinity(0))
    # Only the grader is aimed at: should the filter fail, PRIO_USER or a process group would
    # renice every process of the user on this machine (the filter refuses those as well).
    proc = load(STUDENT_HELPERS, f"""
        import resource
        GRADER = {os.getpid()}
        def nudge():
            return outcomes_of({{
                "prlimit": lambda: resource.prlimit(GRADER, resource.RLIMIT_NOFILE, (3, 3)),
                "nice": lambda: os.setpriority(os.PRIO_PROCESS, GRADER, 19),
                "cpus": lambda: os.sched_setaffinity(GRADER, {{0}}),
            }})
    """)
    outcomes = proc.call("nudge", (), {}).value
    if sandbox.isolation == "landlock":  # the grader runs as the same user: seccomp refuses
        assert set(outcomes.values()) == {"PermissionError"}, outcomes
    else:  # the grader is outside the PID namespace
        assert set(outcomes.values()) == {"ProcessLookupError"}, outcomes
    assert (resource.getrlimit(resource.RLIMIT_NOFILE), os.getpriority(os.PRIO_PROCESS, 0),
            os.sched_getaffinity(0)) == before


IPC = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    KEY = 0x4E4E4653
    class Message(ctypes.Structure):
        _fields_ = [("mtype", ctypes.c_long), ("text", ctypes.c_char * 64)]
    def leave(text):
        queue = libc.msgget(KEY, 0o1600)  # IPC_CREAT
        if queue < 0 or libc.msgsnd(queue, ctypes.byref(Message(1, text.encode())), 64, 0):
            return os.strerror(ctypes.get_errno())
        return "left"
    def find():
        queue, message = libc.msgget(KEY, 0), Message()
        if queue < 0 or libc.msgrcv(queue, ctypes.byref(message), 64, 0, 0o4000) < 0:
            return os.strerror(ctypes.get_errno())
        return message.text.decode()
"""


@PROMISE_LEVELS
def test_a_submission_cannot_leave_a_message_for_the_next(sandbox, load):
    import ctypes

    try:
        first = load(STUDENT_HELPERS, IPC)
        left = first.call("leave", ("alice's answer",), {}).value
        first.close()
        assert load(STUDENT_HELPERS, IPC).call("find", (), {}).value != "alice's answer"
        # landlock: System V IPC is refused; bubblewrap: its IPC namespace is wiped in between
        assert (left == "left") == (sandbox.isolation == "bubblewrap"), left
    finally:  # should a level fail, the queue would be the host's: remove it
        libc = ctypes.CDLL(None, use_errno=True)
        queue = libc.msgget(0x4E4E4653, 0)
        if queue >= 0:
            libc.msgctl(queue, 0, None)
