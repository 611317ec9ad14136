"""What a student process can see and touch: no course files, network, grader or neighbour."""

import os
import signal
import socket
import time

from process_table import wait_until_gone
from sandbox_helpers import (
    LIMITS,
    PROMISE_LEVELS,
    STUDENT_HELPERS,
    notebook_cells,
    processes_with,
)

from autograder.config import COURSE_ROOT
from autograder.sandbox.process import Sandbox, _children_of

pytestmark = PROMISE_LEVELS


def test_course_files_other_notebooks_and_secrets_cannot_be_read(sandbox, load, tmp_path):
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
    proc = load(STUDENT_HELPERS, """
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
    assert not os.path.exists("/work") or proc.call("listing", ("/work",), {}).value in (
        ["FileNotFoundError"], ["PermissionError"])
    assert "site-packages" not in proc.call("listing", ("/",), {}).value
    for target in ("/usr/evil", "/etc/evil", "/evil", "/nnfs/lib/codec.py", "/dev/evil"):
        assert proc.call("write", (target,), {}).value != "written", target
    private_tmp = sandbox.isolation == "bubblewrap"  # landlock: the work folder only
    assert (proc.call("write", ("/tmp/ok.txt",), {}).value == "written") == private_tmp
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
    assert proc.cells[0].status == "ok", proc.cells[0].error
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


def test_two_submissions_do_not_see_each_others_globals_or_files(sandbox, load):
    first = load("""
        import os, tempfile
        SECRET = "alice's answer"
        TMP = tempfile.gettempdir()
        for folder in (TMP, ".", "/dev/shm/alice"):
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, "alice.txt"), "w") as f:
                    f.write(SECRET)
            except OSError:
                pass  # not writable at this level
        CWD = os.getcwd()
        def where():
            return CWD, TMP
    """)
    assert first.cells[0].status == "ok", first.cells[0].error
    alice_dir, alice_tmp = first.call("where", (), {}).value
    second = load(f"""
        import os, tempfile
        def look():
            found = [name for name in ("{alice_tmp}/alice.txt", "{alice_dir}/alice.txt",
                                       "/dev/shm/alice") if os.path.exists(name)]
            return (found, "SECRET" in globals(), os.getcwd(),
                    sorted(os.listdir(tempfile.gettempdir())))
    """)
    found, has_secret, cwd, tmp = second.call("look", (), {}).value
    assert found == [] and not has_secret
    # bubblewrap: a private /tmp holding the work folder; landlock: the work folder is TMPDIR.
    assert cwd != alice_dir
    assert tmp == ([] if sandbox.isolation == "landlock" else [os.path.basename(cwd)])
    # One live process per sandbox: using the first again reloads it (and ends the second's).
    assert first.call("where", (), {}).value[0] != alice_dir
    assert second.call("look", (), {}).value[0] == []


def test_a_submission_closed_before_the_next_loads_leaves_it_nothing(sandbox, load):
    """The template cleans up as a submission closes, and forks the next without cleaning
    again: what the first left must be gone all the same."""
    marker = "closed-first-marker-51c2"
    first = load(f"""
        import os, subprocess, sys, tempfile
        def leave():
            for folder in (tempfile.gettempdir(), "/dev/shm"):
                try:
                    with open(os.path.join(folder, "left.txt"), "w") as f:
                        f.write("left")
                except OSError:
                    pass  # not writable at this level
            try:
                subprocess.Popen([sys.executable, "-S", "-c",
                                  "import time; time.sleep(600)  # {marker}"])
            except OSError:
                pass  # landlock: no new process
            return tempfile.gettempdir()
    """)
    folder = first.call("leave", (), {}).value
    first.close()
    assert not processes_with(marker)
    second = load(f"""
        import os
        def look():
            return [p for p in ("{folder}/left.txt", "/dev/shm/left.txt") if os.path.exists(p)]
    """)
    assert second.call("look", (), {}).value == []


def test_a_dead_template_is_replaced_and_nothing_is_left_behind(sandbox):
    with Sandbox(LIMITS, sandbox.isolation) as sb:
        proc = sb.load(notebook_cells("def f(x):\n    return x * 2"))
        assert proc.call("f", (2,), {}).value == 4
        # bubblewrap starts the template below a launcher; landlock starts it directly
        template = [sb._popen.pid] if sb.isolation == "landlock" else _children_of(sb._popen.pid)
        assert template and processes_with(sb.marker)
        student = _children_of(template[0])
        os.kill(template[0], signal.SIGKILL)  # what a sandbox escape or the OOM killer might do
        wait_until_gone([sb.marker])
        # A process loses its command line before its pipes: wait until it has quite gone.
        deadline = time.monotonic() + 5
        while any(os.path.exists(f"/proc/{pid}/fd/0") for pid in student):
            assert time.monotonic() < deadline, "the student process outlived its template"
            time.sleep(0.01)
        assert proc.call("f", (3,), {}).value == 6  # restarted, notebook reloaded
        assert sb.timings["template_starts"] == 2
        marker = sb.marker
    assert not processes_with(marker)  # close() waits until everything has gone
