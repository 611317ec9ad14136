"""What a student process can see and touch: no course files, network, grader or neighbour."""

import os
import signal
import socket

import pytest
from process_table import wait_until_gone
from sandbox_helpers import LIMITS, notebook_cells, processes_with

from autograder.config import COURSE_ROOT
from autograder.sandbox.process import Sandbox, _children_of


@pytest.fixture(scope="module", autouse=True)
def needs_bubblewrap(sandbox):
    if sandbox.isolation != "bubblewrap":
        pytest.skip("bubblewrap is not available here")


def test_course_files_other_notebooks_and_secrets_cannot_be_read(load, tmp_path):
    other = tmp_path / "submitted" / "alice" / "01_forward_pass.ipynb"
    other.parent.mkdir(parents=True)
    other.write_text('{"cells": []}')
    os.chmod(tmp_path, 0o755)
    targets = [
        str(COURSE_ROOT / "reference" / "forward_pass.py"),
        str(COURSE_ROOT / "autograder" / "graders" / "test_01_forward_pass.py"),
        str(COURSE_ROOT / "autograder" / "harness.py"),
        str(COURSE_ROOT / "course_config.py"),
        str(other),
        "/etc/shadow",
        "/root/.bash_history",
        "/proc/1/environ",
    ]
    for target in targets[:5]:
        assert os.path.exists(target), target
    proc = load("""
        import os
        def read(path):
            try:
                with open(path, "rb") as f:
                    return f.read(100).decode("latin-1")
            except OSError as error:
                return type(error).__name__
        def listing(path):
            try:
                return sorted(os.listdir(path))
            except OSError as error:
                return [type(error).__name__]
        def write(path):
            try:
                with open(path, "w") as f:
                    f.write("x")
                return "written"
            except OSError as error:
                return type(error).__name__
    """)
    for target in targets:
        result = proc.call("read", (target,), {}).value
        assert result in ("FileNotFoundError", "PermissionError"), (target, result)
    assert not os.path.exists("/work") or proc.call("listing", ("/work",), {}).value == [
        "FileNotFoundError"]
    assert "site-packages" not in proc.call("listing", ("/",), {}).value
    for target in ("/usr/evil", "/etc/evil", "/evil", "/nnfs/lib/codec.py", "/dev/evil"):
        assert proc.call("write", (target,), {}).value != "written", target
    assert proc.call("write", ("/tmp/ok.txt",), {}).value == "written"
    assert proc.call("write", ("local.txt",), {}).value == "written"


def test_no_network_not_even_the_graders_loopback(load):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    proc = load("""
        import socket
        def connect(host, port):
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                return "connected"
            except OSError as error:
                return type(error).__name__
    """)
    try:
        for host, target in (("1.1.1.1", 53), ("127.0.0.1", port), ("8.8.8.8", 443)):
            assert proc.call("connect", (host, target), {}).value != "connected"
    finally:
        server.close()


def test_signals_cannot_reach_the_grader_or_the_template(sandbox, load):
    starts = sandbox.timings["template_starts"]
    proc = load(f"""
        import os, signal
        GRADER = {os.getpid()}
        def attack(how):
            try:
                if how == "grader":
                    os.kill(GRADER, signal.SIGKILL)
                elif how == "group":
                    os.killpg(os.getpgid(0), signal.SIGKILL)
                elif how == "parent":
                    os.kill(os.getppid(), signal.SIGKILL)
                elif how == "init":
                    os.kill(1, signal.SIGSTOP)
                elif how == "everyone":
                    os.kill(-1, signal.SIGKILL)
            except OSError as error:
                return type(error).__name__
            return "sent"
        def ok():
            return "ok"
    """)
    for how in ("grader", "parent", "init", "everyone", "group"):
        try:
            proc.call("attack", (how,), {})
        except Exception as error:  # killing its own group kills the student process itself
            assert getattr(error, "kind", "") == "crash"
        assert proc.call("ok", (), {}).value == "ok"
    assert sandbox.timings["template_starts"] == starts  # the template (PID 1 inside) survived


def test_two_submissions_do_not_see_each_others_globals_or_files(load):
    first = load("""
        import os
        SECRET = "alice's answer"
        with open("/tmp/alice.txt", "w") as f:
            f.write(SECRET)
        with open("notes.txt", "w") as f:
            f.write(SECRET)
        os.makedirs("/dev/shm/alice", exist_ok=True)
        CWD = os.getcwd()
        def where():
            return CWD
    """)
    assert first.cells[0].status == "ok", first.cells[0].error
    alice_dir = first.call("where", (), {}).value
    second = load(f"""
        import os
        def look():
            found = [name for name in ("/tmp/alice.txt", "{alice_dir}/notes.txt",
                                       "/dev/shm/alice") if os.path.exists(name)]
            return found, "SECRET" in globals(), os.getcwd(), sorted(os.listdir("/tmp"))
    """)
    found, has_secret, cwd, tmp = second.call("look", (), {}).value
    assert found == [] and not has_secret
    assert cwd != alice_dir and tmp == [os.path.basename(cwd)]
    # One live process per sandbox: using the first again reloads it (and ends the second's).
    assert first.call("where", (), {}).value != alice_dir
    assert second.call("look", (), {}).value[0] == []


def test_a_dead_template_is_replaced_and_nothing_is_left_behind():
    with Sandbox(LIMITS) as sb:
        proc = sb.load(notebook_cells("def f(x):\n    return x * 2"))
        assert proc.call("f", (2,), {}).value == 4
        template = _children_of(sb._popen.pid)
        assert template and processes_with(sb.marker)
        os.kill(template[0], signal.SIGKILL)  # what a sandbox escape or the OOM killer might do
        wait_until_gone([sb.marker])
        assert proc.call("f", (3,), {}).value == 6  # restarted, notebook reloaded
        assert sb.timings["template_starts"] == 2
        marker = sb.marker
    assert not processes_with(marker)  # close() waits until everything has gone
