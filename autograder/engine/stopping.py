"""How a grading run stops: the same way for Ctrl-C, SIGTERM and SIGHUP, and nothing outlives it.

The command that grades handles SIGINT, SIGTERM and SIGHUP alike (`stop_on_signals`): the first
one raises `Stopped` in the main thread, the run kills its workers, keeps every finished result
and exits with status 128 + the signal's number. Each grading worker dies with the command
(`die_with_parent`), whatever ends it, SIGKILL included; each sandbox dies with its worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal (a KeyboardInterrupt, as Ctrl-C has always been)."""

    def __init__(self, signo: int = signal.SIGINT):
        super().__init__(signo)
        self.signo = int(signo)

    @property
    def name(self) -> str:
        return signal.Signals(self.signo).name

    @property
    def exit_status(self) -> int:
        return 128 + self.signo


def stopped(error: BaseException) -> Stopped:
    """`error` as a Stopped: a plain KeyboardInterrupt is Ctrl-C."""
    return error if isinstance(error, Stopped) else Stopped(signal.SIGINT)


@contextlib.contextmanager
def stop_on_signals():
    """Make SIGINT, SIGTERM and SIGHUP raise Stopped; a second one ends the process at once.

    The second signal cannot leave anything running either: the workers die with the process.
    Outside the main thread (where Python cannot install handlers) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signalled = []

    def handler(signo, frame):
        if signalled:
            os._exit(128 + signo)
        signalled.append(signo)
        raise Stopped(signo)

    previous = {signo: signal.signal(signo, handler) for signo in STOP_SIGNALS}
    try:
        yield
    finally:
        for signo, old in previous.items():
            signal.signal(signo, old)


def _ignore(signo, frame) -> None:
    pass


def die_with_parent(parent: int) -> None:
    """In a grading worker: die (SIGKILL) the moment `parent` does, and leave stopping to it.

    The stop signals are the parent's to handle; one reaching a worker mid-request (Ctrl-C goes
    to the whole process group) would leave its sandbox's channels out of step. They get a
    handler that does nothing rather than SIG_IGN, so programs the worker starts get the default.
    """
    import ctypes

    for signo in STOP_SIGNALS:
        signal.signal(signo, _ignore)
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above: nobody would tell us
        os._exit(1)
