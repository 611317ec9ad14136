"""The sandboxes of a grading run's workers, started by the parent as the command starts.

A template (bubblewrap, then Python with NumPy, IPython and matplotlib) takes about 0.3 s to get
ready, the longest step before a run's first result. So the parent launches one first thing, in
a thread, while it imports the engine and finds the submissions, and the launch doubles as the
isolation probe: a template that gets ready proves its level. Once it knows how many workers the
class needs, it launches one for each of the others (`add`). The workers are forked afterwards,
and each takes one template over (`take`): it claims a token naming a template, inherits that
template's control socket, and the parent's thread tells it over a pipe once the template is
ready. A worker of a later pool (after a worker died) starts its own.

A template is the parent's child, and dies with the parent's thread that launched it (bwrap's
--die-with-parent and the launcher's PDEATHSIG follow the launching thread), so that thread
lives until `close`, which the parent calls once its workers are gone.
"""

from __future__ import annotations

import os
import select
import threading

from autograder.config import Limits
from autograder.sandbox import levels
from autograder.sandbox.process import START_SECONDS, Sandbox

READY, FAILED = b"r", b"f"


class _Slot:
    """One early template: launched in its own thread, which says READY or FAILED once."""

    def __init__(self, limits: Limits, level: str, on_failure):
        self.sandbox: Sandbox | None = None
        self.launched = threading.Event()  # launched (or failed): workers may be forked
        self.ready = threading.Event()
        self.said, self._say = os.pipe()
        self._on_failure = on_failure
        self._closing = False
        self._release = threading.Event()  # the template is stopped: the thread may end
        self._thread = threading.Thread(target=self._run, args=(limits, level),
                                        name="early-sandbox", daemon=True)
        self._thread.start()

    def _run(self, limits: Limits, level: str) -> None:
        try:
            sandbox = Sandbox(limits, level, start=False, probe=False)
            self.sandbox = sandbox
            sandbox.launch()
            self.launched.set()
            sandbox.wait_ready()
        except BaseException:  # noqa: BLE001  (a worker's own sandbox meets it again)
            self.sandbox = None
            if not self._closing:
                os.write(self._say, FAILED)
                self._on_failure()
            self.launched.set()
            self.ready.set()
            return
        self.ready.set()
        os.write(self._say, READY)
        self._release.wait()  # see the module docstring

    def close(self, graceful: bool) -> None:
        self._closing = True
        self.launched.wait()
        sandbox = self.sandbox
        if sandbox is not None and not self.ready.is_set():
            # Still starting (the run ended before it began): kill it, and the thread, which
            # waits for it, cleans up and ends.
            sandbox.kill_template()
            self.ready.wait()
            graceful = False
        if self.sandbox is not None:
            self.sandbox._stop(graceful=graceful)
        self._release.set()
        self._thread.join()
        os.close(self.said)
        os.close(self._say)


class EarlySandbox:
    def __init__(self, limits: Limits, isolation: str | levels.Policy | None = None):
        # ValueError for an unknown name and levels.Refused for a refused one, at once.
        self._limits, self._requested = limits, levels.policy(isolation)
        self.error: BaseException | None = None  # why no level works, if none does
        self._failed = threading.Event()
        self._probed = threading.Event()
        self._closed = False
        # One token per template, naming it: the worker that reads a token takes that template.
        self._claim, self._tokens = os.pipe()
        os.set_blocking(self._claim, False)
        self._slots: list[_Slot] = []
        try:
            self.level = levels.named(self._requested)
        except levels.Unavailable as nothing:  # no candidate is even installed: fail closed
            self.level, self.error = "", nothing
            self._failed.set()
            self._probed.set()
            return
        self.add(1)

    @property
    def policy(self) -> levels.Policy:
        return self._requested

    # -- the parent ---------------------------------------------------------------------

    def add(self, count: int) -> None:
        """Launch `count` more templates, one for each further worker (at most 255 in all)."""
        for _ in range(max(0, min(count, 255 - len(self._slots)))):
            if self._failed.is_set():
                return
            self._slots.append(_Slot(self._limits, self.level, self._fail))
            os.write(self._tokens, bytes([len(self._slots) - 1]))

    def _fail(self) -> None:
        """A template did not start at the guessed level: probe as a Sandbox would, for the
        level to report (once)."""
        if self._failed.is_set():
            return
        self._failed.set()
        try:
            self.level = levels.isolation_level(self._requested)
        except levels.Unavailable as failure:  # no level works, or not the one asked
            self.error = failure
        self._probed.set()

    def before_fork(self) -> None:
        """Wait until every template is launched: a worker forked earlier could not take it."""
        for slot in self._slots:
            slot.launched.wait()

    def wait(self) -> str:
        """The isolation level, once the first template is ready (or known not to start:
        then `error` says why)."""
        if not self._slots:
            return self.level
        self._slots[0].ready.wait()
        if self._failed.is_set():
            self._probed.wait()
        return self.level

    def close(self, graceful: bool = False) -> None:
        """Stop the templates, whoever used them; call it once no worker uses them any more.
        `graceful` asks them to exit, for a run that ended well; else (a worker may have been
        stopped mid-request) they are killed."""
        if self._closed:
            return
        self._closed = True
        for slot in self._slots:
            slot.close(graceful)
        os.close(self._claim)
        os.close(self._tokens)

    # -- a forked worker ------------------------------------------------------------------

    def take(self) -> Sandbox | None:
        """In a worker: a template, if a token is left and its template got ready (else None:
        start a sandbox of your own)."""
        if self._closed:
            return None
        try:
            token = os.read(self._claim, 1)
        except BlockingIOError:
            return None
        if not token or token[0] >= len(self._slots):
            return None
        slot = self._slots[token[0]]
        if slot.sandbox is None:
            return None
        ready, _, _ = select.select([slot.said], [], [], START_SECONDS)
        if not ready or os.read(slot.said, 1) != READY:
            return None
        slot.sandbox.adopt()
        return slot.sandbox
