"""The grader's side of the sandbox: a long-lived template, and one forked process per submission.

    with Sandbox(limits) as sandbox:              # starts the template (once per grading worker)
        proc = sandbox.load(cells, skip={3})       # forks a child and runs the notebook's cells
        call = proc.call("dense_forward", (X, W, b), {})    # -> sandbox.calls.Call, plain data only

A Sandbox holds at most one live student process: loading the next submission ends the previous
one's process, and an older StudentProcess that is used again reloads itself. A Sandbox is not
thread-safe; run one per grading worker.

Whatever the student's code does, it costs at most the request that was running: a hang, a crash,
running out of memory, or writing garbage where the answer should be all raise StudentError, and
the next request runs in a fresh child (the notebook's cells are run again, skipping any cell that
killed its process). If the template itself dies, the whole sandbox is restarted.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from typing import TYPE_CHECKING

from autograder.config import Limits
from autograder.config import limits as course_limits
from autograder.sandbox import channel, launch, levels
from autograder.sandbox.batch import KEEP_PLANS, KeptPlans
from autograder.sandbox.levels import isolation_level

if TYPE_CHECKING:
    from autograder.sandbox.batch import Planned
    from autograder.sandbox.student import ChildPipes, StudentProcess

# The student side (StudentProcess, in student.py, which imports NumPy and pytest) is imported
# only when it is first used, so that a template can start before those imports: see early.py.
__all__ = ["Sandbox", "TemplateError", "isolation_level"]

START_SECONDS = 60.0  # the template's first start (imports NumPy, IPython, matplotlib)
CONTROL_SECONDS = 10.0  # one request to the template (fork, kill)
MAX_RESPONSE = 512 * 1024 * 1024  # the largest answer accepted from a student process


class TemplateError(RuntimeError):
    """The sandbox template could not be started or stopped answering."""


class _Broken(Exception):
    """The template did not answer as it should."""


class Sandbox:
    """Runs student notebooks in isolated processes forked from one pre-warmed template."""

    def __init__(self, limits: Limits | None = None,
                 isolation: str | levels.Policy | None = None, *,
                 start: bool = True, probe: bool = True):
        """`isolation` is a level's name or a levels.Policy (None: the default policy).
        With `probe` False, a name is taken as it is (one already chosen under a policy), and a
        level that does not work here fails when the template starts (TemplateError)."""
        self.limits = limits or course_limits()
        if probe:
            self.isolation = isolation_level(isolation)
        elif isinstance(isolation, str) and isolation in levels.LEVELS:
            self.isolation = isolation
        else:
            self.isolation = levels.named(isolation)
        self.warning = levels.warning(self.isolation)
        self.marker = f"nnfs-sandbox-{secrets.token_hex(8)}"
        self.timings: dict[str, float] = {}
        self._popen: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._reader: channel.Reader | None = None
        self._private_dir: str | None = None
        self._lock_fd: int | None = None
        self._sweep_uid: int | None = None
        self._log = None
        self._owner: StudentProcess | None = None
        self._plans = KeptPlans()  # what the template keeps for its children
        self._closed = False
        self._adopted = False  # started by the process this one was forked from: see adopt()
        if start:
            self._start()

    # -- public ---------------------------------------------------------------------------

    def load(self, cells: list[str], skip=frozenset()) -> StudentProcess:
        """Fork a fresh process and run the notebook's code cells in it (except `skip`)."""
        from autograder.sandbox.student import StudentProcess

        if self._closed:
            raise RuntimeError("the sandbox is closed")
        return StudentProcess(self, [str(c) for c in cells], {int(i) for i in skip})

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop(graceful=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the template ---------------------------------------------------------------------

    def _start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the template, without waiting for it: wait_ready() does."""
        self._launched = time.perf_counter()
        ours, theirs = socket.socketpair()
        fd = theirs.detach()
        config = {"control_fd": fd, "marker": self.marker}
        try:
            plan = launch.build(self.isolation, config, (fd,))
        except OSError as error:
            ours.close()
            os.close(fd)
            raise TemplateError(f"could not start the sandbox: {error}") from None
        self._lock_fd, self._sweep_uid = plan.lock_fd, plan.sweep_uid
        self._private_dir = plan.private_dir
        self._log = tempfile.TemporaryFile()
        try:
            self._popen = subprocess.Popen(
                plan.argv, env=plan.env, pass_fds=plan.pass_fds, stdin=subprocess.DEVNULL,
                stdout=self._log, stderr=self._log, start_new_session=True)
        except OSError as error:
            ours.close()
            self._stop(graceful=False)
            raise TemplateError(f"could not start the sandbox: {error}") from None
        finally:
            plan.close_fds()
        ours.setblocking(False)
        self._control = ours
        self._reader = channel.Reader(ours.fileno(), limit=1 << 20, sock=ours)

    def wait_ready(self) -> None:
        """Wait until the launched template says it is ready; TemplateError if it does not."""
        try:
            hello = self._reader.read(time.monotonic() + START_SECONDS)
            if hello.get("op") != "ready":
                raise channel.ProtocolError("unexpected greeting")
        except (channel.ChannelClosed, channel.ChannelTimeout, channel.ProtocolError) as error:
            log = self._read_log()
            self._stop(graceful=False)
            raise TemplateError(
                f"the sandbox ({self.isolation}) did not start: {type(error).__name__}\n{log}"
            ) from None
        self.timings.setdefault("template_start", time.perf_counter() - self._launched)
        self.timings["template_starts"] = self.timings.get("template_starts", 0) + 1

    def adopt(self) -> None:
        """Make this copy of a Sandbox, inherited by a fork from the process that launched it
        once that process has seen it ready, the one that uses the template from now on.

        The template stays the launching process's child: that process reaps it and removes its
        folder when it closes its own copy; here, stopping it only kills it.
        """
        self._adopted = True
        self._log = None  # the launching process reads and closes the log
        self._reader = channel.Reader(self._control.fileno(), limit=1 << 20, sock=self._control)
        self.timings["template_start"] = time.perf_counter() - self._launched

    def kill_template(self) -> None:
        """Kill the template and everything below it now, from any thread: whoever waits on
        it sees it gone (wait_ready raises TemplateError) and cleans up."""
        popen = self._popen
        if popen is not None:
            _kill_tree(popen.pid)

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read(20_000).decode("utf-8", "replace")

    def _ask(self, message: dict, seconds: float = CONTROL_SECONDS) -> tuple[dict, list[int]]:
        if self._popen is None:
            raise _Broken("not running")
        deadline = time.monotonic() + seconds
        try:
            channel.write(self._control.fileno(), message, deadline)
            reply = self._reader.read(deadline)
        except (channel.ChannelClosed, channel.ChannelTimeout, channel.ProtocolError) as error:
            raise _Broken(type(error).__name__) from None
        fds, self._reader.fds = self._reader.fds, []
        return reply, fds

    def _stop(self, graceful: bool) -> None:
        """Stop the template and everything under it, and wait until it is all gone."""
        self._plans.clear()
        if self._owner is not None:
            self._owner._lose_child()
            self._owner = None
        popen, self._popen = self._popen, None
        if popen is not None and self._adopted:
            # Not this process's child: kill it and what runs below it; its parent reaps it.
            _kill_tree(popen.pid)
            self._adopted = False
            self._private_dir = None
            if self._lock_fd is not None:
                # The launching process holds the same lock (the "user" level's one sandbox
                # at a time): release it for both, or no template could start again here.
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        elif popen is not None:
            if graceful:
                try:
                    channel.write(self._control.fileno(), {"op": "exit"}, time.monotonic() + 2)
                except (channel.ChannelClosed, channel.ChannelTimeout):
                    pass
            try:
                popen.wait(timeout=5 if graceful else 0.01)
            except subprocess.TimeoutExpired:
                # Kill the template first: its PID namespace (and everything in it) goes with it.
                _kill_tree(popen.pid)
                try:
                    popen.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    popen.kill()
                    popen.wait()
        if self._sweep_uid is not None:
            launch.kill_user(self._sweep_uid)  # "user": whatever escaped the template
            self._sweep_uid = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._private_dir:
            shutil.rmtree(self._private_dir, ignore_errors=True)
            self._private_dir = None

    # -- used by StudentProcess -----------------------------------------------------------

    def _fork(self, owner: StudentProcess, cells: list[str], skip: set[int],
              nonce: str) -> ChildPipes:
        """A fresh child running `cells`; ends whatever child was live before."""
        from autograder.sandbox.student import ChildPipes

        if self._closed:
            raise RuntimeError("the sandbox is closed")
        if self._owner is not None and self._owner is not owner:
            self._owner._lose_child()
        self._owner = None
        limits = self.limits
        message = {"op": "fork", "cells": cells, "skip": sorted(skip), "nonce": nonce,
                   "limits": {"memory_mb": limits.memory_mb, "processes": limits.processes,
                              "output_bytes": limits.output_bytes,
                              "cell_seconds": limits.cell_seconds}}
        for attempt in range(2):
            if self._popen is None:
                self._start()
            try:
                reply, fds = self._ask(message)
                if reply.get("op") != "forked" or len(fds) != 2:
                    channel.close(*fds)
                    raise _Broken("bad fork reply")
                break
            except _Broken:
                self._stop(graceful=False)
                if attempt:
                    raise TemplateError("the sandbox template stopped answering") from None
        self._owner = owner
        return ChildPipes(reply["pid"], fds[0], fds[1], MAX_RESPONSE, tuple(self._plans.kept))

    def _offer_plan(self, planned: list[Planned], wall_multiple: float,
                    calls: list[dict]) -> None:
        """Planned `calls` were just sent in full to a child: have the template keep them for
        the children it forks from now on, once the same plan comes a second time in a row. A
        template that does not answer as it should is left for the next fork to find out (it
        restarts then): its live child is not ended for this."""
        key = self._plans.offer(planned, wall_multiple)
        if key is None:
            return
        try:
            reply, _ = self._ask({"op": "keep", "key": key, "calls": calls, "limit": KEEP_PLANS})
        except _Broken:
            return
        if reply == {"op": "kept", "key": key}:
            self._plans.add(key, planned, wall_multiple)

    def _end_child(self, owner: StudentProcess) -> str | None:
        """Kill `owner`'s child and everything it started; say how the child ended."""
        if self._owner is not owner:
            return None
        self._owner = None
        try:
            reply, _ = self._ask({"op": "kill"})
        except _Broken:
            self._stop(graceful=False)
            return None
        status = reply.get("status")
        return status if isinstance(status, str) else None


def _children_of(parent: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                if int(f.read().rsplit(b")", 1)[1].split()[1]) == parent:
                    found.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _kill_tree(pid: int) -> None:
    """Kill `pid` and its children (the template's launcher and what runs below it)."""
    for each in (*_children_of(pid), pid):
        _kill(each)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, 9)
    except OSError:
        pass
