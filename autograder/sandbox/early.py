"""The first sandbox of a grading run, started by the parent as the command starts.

A template (bubblewrap, then Python with NumPy, IPython and matplotlib) takes about 0.3 s to get
ready, the longest step before a run's first result. So the parent launches one first thing, in
a thread, while it imports the engine and finds the submissions, and the launch doubles as the
isolation probe: a template that gets ready proves its level. The grading workers are forked
afterwards, and the first worker to claim it takes the template over (`take`): it inherits the
control socket, and the parent's thread tells it over a pipe once the template is ready. Every
other worker, and every worker of a later pool, starts its own.

The template is the parent's child, and dies with the parent's thread that launched it (bwrap's
--die-with-parent and the launcher's PDEATHSIG follow the launching thread), so that thread
lives until `close`, which the parent calls once its workers are gone.
"""

from __future__ import annotations

import os
import select
import threading
import time

from autograder.config import Limits
from autograder.sandbox import levels
from autograder.sandbox.process import START_SECONDS, Sandbox

READY, FAILED = b"r", b"f"


class EarlySandbox:
    def __init__(self, limits: Limits, isolation: str | None = None):
        self._requested = isolation
        self.level = levels.named(isolation)  # ValueError for an unknown name, at once
        self.error: BaseException | None = None  # why no level works, if none does
        self._sandbox: Sandbox | None = None
        self._launched = threading.Event()  # launched (or failed): workers may be forked
        self._ready = threading.Event()
        self._closed = False
        # One token: the worker that reads it takes the template. The parent's thread writes
        # READY or FAILED to the other pipe, once, for that worker.
        self._claim, token = os.pipe()
        os.write(token, b"t")
        os.close(token)
        os.set_blocking(self._claim, False)
        self._said, self._say = os.pipe()
        self._thread = threading.Thread(target=self._run, args=(limits,), name="early-sandbox",
                                        daemon=True)
        self._thread.start()

    # -- the parent ---------------------------------------------------------------------

    def _run(self, limits: Limits) -> None:
        try:
            sandbox = Sandbox(limits, self.level, start=False, probe=False)
            self._sandbox = sandbox
            sandbox.launch()
        except BaseException:  # noqa: BLE001  (a worker's own sandbox meets it again)
            self._fail()
            return
        self._launched.set()
        try:
            sandbox.wait_ready()
        except BaseException:  # noqa: BLE001
            self._fail()
            return
        self._ready.set()
        os.write(self._say, READY)
        threading.Event().wait()  # see the module docstring

    def _fail(self) -> None:
        """The guessed level did not start: probe as a Sandbox would, for the level to report."""
        self._sandbox = None
        os.write(self._say, FAILED)
        try:
            self.level = levels.isolation_level(self._requested)
        except (ValueError, RuntimeError) as failure:  # no level works, or not the one asked
            self.error = failure
        self._launched.set()
        self._ready.set()

    def before_fork(self) -> None:
        """Wait until the template is launched: a worker forked earlier could not take it."""
        self._launched.wait()

    def wait(self) -> str:
        """The isolation level, once the template is ready (or known not to start)."""
        self._ready.wait()
        return self.level

    def close(self) -> None:
        """Stop the template, whoever used it; call it once no worker uses it any more."""
        if self._closed:
            return
        self._closed = True
        self._launched.wait()
        if self._sandbox is not None:
            self._sandbox._stop(graceful=False)  # a worker may have left it mid-request
        for fd in (self._claim, self._said, self._say):
            os.close(fd)

    # -- a forked worker ------------------------------------------------------------------

    def take(self) -> Sandbox | None:
        """In a worker: the template, if this worker is the first to claim it and it got ready
        (else None: start a sandbox of your own)."""
        if self._closed or self._sandbox is None:
            return None
        try:
            if not os.read(self._claim, 1):
                return None
        except BlockingIOError:
            return None
        ready, _, _ = select.select([self._said], [], [], START_SECONDS)
        if not ready or os.read(self._said, 1) != READY:
            return None
        sandbox = self._sandbox
        sandbox.adopt()
        sandbox.timings["template_start"] = time.perf_counter() - sandbox._launched
        return sandbox
