"""The program that runs inside the sandbox: a template process that forks one child per submission.

Started once per grading worker as `python -S -I -B template.py CONFIG_JSON`, from a folder that
holds the other files of `inside/` and `codec.py`.

The template pre-imports NumPy and IPython (matplotlib and pyplot only once a notebook uses them:
see `lazy_pyplot`), makes itself non-dumpable (no ptrace, no /proc/<pid>/mem) and waits
for requests on a private control socket. For each submission it forks a `child.Child`; before
the next one, and when asked to, it kills every process below it and wipes the child's files.
"""

import ctypes
import json
import os
import signal
import socket
import sys
import time

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36

CONFIG = json.loads(sys.argv[1]) if __name__ == "__main__" else {}
sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), *CONFIG.get("path", [])]

import cells  # noqa: E402  (after sys.path is set)
import lazy_pyplot  # noqa: E402
import plans  # noqa: E402
from child import Child  # noqa: E402
from guard import TimeLimit, remember_builtins  # noqa: E402
from processes import (  # noqa: E402
    descendants,
    describe_status,
    empty,
    pids,
    processes_of,
    remove,
    signal_quietly,
    wipe_ipc,
)

_libc = ctypes.CDLL(None, use_errno=True)


_KEPT = []  # fds that keep the inodes of Landlock rules alive (see confine.landlock)


def template_main():
    if CONFIG.get("pdeathsig"):
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != CONFIG["parent"]:
            os._exit(1)
    if CONFIG.get("landlock"):
        import confine

        confine.confine_template(CONFIG["landlock"], _KEPT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    shell, baseline = make_shell()
    _libc.prctl(PR_SET_DUMPABLE, 0)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    control = socket.socket(fileno=CONFIG["control_fd"])
    template = Template(control, shell, baseline)
    signal.signal(signal.SIGCHLD, lambda signum, frame: template.reap())
    threads = len(os.listdir("/proc/self/task"))
    warm_shell(shell)
    lazy_pyplot.freeze_heap()
    template.send({"op": "ready", "pid": os.getpid(), "threads": threads})
    template.serve()


def make_shell():
    """The IPython shell that every child runs its notebook in, and the names it starts with.

    NumPy and IPython are pre-imported here so that every fork has them for free; matplotlib
    and pyplot load when a notebook uses them (lazy_pyplot).
    """
    import warnings

    import numpy  # noqa: F401

    sys.meta_path.insert(0, lazy_pyplot.LazyPyplot())
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell.instance(config=config)
    shell.register_magic_function(lazy_pyplot.matplotlib_magic, "line", "matplotlib")
    shell.set_custom_exc((TimeLimit,), _report_time_limit)
    shell.ask_exit = _ask_exit  # `exit()` / `quit()` in a cell, as in a Jupyter kernel
    baseline = set(shell.user_ns)
    remember_builtins()
    return shell, baseline


def _ask_exit():
    """In Jupyter, `exit()` ends the kernel after the cell; here it ends the cell, like
    sys.exit, and the notebook's later cells still run."""
    raise SystemExit("exit() was called")


def warm_shell(shell):
    """Run a cell, and a cell that fails, once here rather than in every child.

    IPython imports hashlib, bdb and its logger on the first cell it runs, and stack_data,
    pygments and friends on the first traceback it shows: about 15 ms and 25 ms of every
    child's time. Neither cell is stored, so the execution count and the namespace are as before.
    """
    import contextlib

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        shell.run_cell("pass", store_history=False)
        shell.run_cell("raise ValueError('warming up')", store_history=False)
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)


def _report_time_limit(shell, etype, value, tb, tb_offset=None):
    """What a notebook shows when a cell is stopped for running too long (no worker frames)."""
    print("TimeoutError: this cell ran past its time limit and was stopped")


def _confine_child(workdir):
    """The "landlock" level: confine a submission's process to its work folder."""
    import tempfile

    import confine

    confine.confine_child(CONFIG["landlock"], workdir, _KEPT)
    os.environ.update(TMPDIR=workdir, HOME=workdir)
    tempfile.tempdir = None


class Template:
    def __init__(self, control, shell, baseline):
        self.control = control
        self.shell = shell
        self.baseline = baseline
        self.child = None  # pid of the live child
        self.status = None  # how the last child ended
        self.workdir = None
        self.buffer = b""
        self.clean = False  # nothing has run below the template since its last clean-up

    def send(self, message, fds=()):
        data = json.dumps(message).encode() + b"\n"
        if fds:
            socket.send_fds(self.control, [data], list(fds))
        else:
            self.control.sendall(data)

    def receive(self):
        while b"\n" not in self.buffer:
            chunk = self.control.recv(1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def serve(self):
        while True:
            message = self.receive()
            if message is None or message["op"] == "exit":
                self.cleanup()
                os._exit(0)
            if message["op"] == "fork":
                if not self.clean:
                    self.cleanup()
                lazy_pyplot.prepare(message)
                cells.precompile(self.shell, message.get("cells", []), set(message.get("skip", [])))
                pid, fds = self.fork(message)
                self.send({"op": "forked", "pid": pid}, fds)
                for fd in fds:
                    os.close(fd)
            elif message["op"] == "kill":
                self.send({"op": "killed", "status": self.cleanup()})
            elif message["op"] == "keep":  # planned calls, for the children forked from now on
                kept = plans.keep(message["key"], message["calls"], message["limit"])
                self.send({"op": "kept", "key": message["key"] if kept else None})
            else:
                self.send({"op": "pong"})

    def fork(self, message):
        if CONFIG.get("private_tmp"):
            self.workdir = f"/tmp/work-{message['nonce'][:8]}"
            os.mkdir(self.workdir, 0o700)
        else:
            import tempfile

            self.workdir = tempfile.mkdtemp(prefix="nnfs-student-")
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(req_w)
                os.close(resp_r)
                os.close(self.control.detach())
                child = Child(self.shell, self.baseline, req_r, resp_w, message, self.workdir,
                              _confine_child if CONFIG.get("landlock") else None)
                child.main()
            finally:
                os._exit(70)
        os.close(req_r)
        os.close(resp_w)
        self.child, self.status, self.clean = pid, None, False
        return pid, (req_w, resp_r)

    def cleanup(self):
        """Kill every process below the template, reap them, and wipe the child's files.

        Afterwards nothing runs below the template until its next fork, so a fork that follows
        a clean-up (the grader's `kill` as it closes a submission) needs none of its own."""
        self.reap()
        for _ in range(1000):
            if CONFIG.get("pidns") and os.getpid() == 1:
                try:
                    os.kill(-1, signal.SIGKILL)  # everything in the namespace but us
                except ProcessLookupError:
                    pass
                others = pids()
            elif CONFIG.get("own_uid"):
                # The "user" level: every process of this user is this sandbox's, even one
                # that was orphaned or moved out from under the template.
                signal_quietly(-1, signal.SIGKILL)  # everything this user may signal but us
                others = processes_of(os.getuid())
            else:
                others = descendants(os.getpid())
                for pid in others:
                    signal_quietly(pid, signal.SIGKILL)
            self.reap()
            if not others:
                break
            time.sleep(0.001)
        self.child = None
        if CONFIG.get("private_tmp"):  # bubblewrap: its /tmp, /dev/shm and IPC namespace
            for folder in ("/tmp", "/dev/shm"):
                empty(folder)
            wipe_ipc()
        elif self.workdir:
            remove(self.workdir)
        self.workdir = None
        self.clean = not others
        return self.status

    def reap(self):
        """Collect every child that has ended (orphans of the student's processes end up here)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid == self.child and self.status is None:
                self.status = describe_status(status)


if __name__ == "__main__":
    template_main()
