"""The time limits of a cell or a call, and undoing a student's patches of builtins.

A cell has a wall-clock limit. A call has two: the CPU time it may spend (a busy machine
stretches the wall-clock time of a call but not its CPU time, so this limit can be tight), and a
wall-clock backstop for code that waits instead of computing (a sleep in a loop). When either runs
out, TimeLimit is raised in the running code. A call whose code catches it and goes on (a bare
`except:` in a loop) meets the timer again a moment later, and then its `overrun` answers for it
and ends the process: the grader does not wait for its kill.

Importing a module is not charged to a call's CPU time: a fair answer may import a library inside
its function (SciPy, or pyplot where the template did not load it), which costs a few tenths of a
second once. The wall-clock backstop still runs meanwhile, so code that keeps importing cannot run
on.
"""

import builtins
import operator
import signal

RECHECK = 0.05  # seconds after a caught TimeLimit before the call's overrun ends it

_BUILTINS = {}  # Python's builtins as the template saw them
_REMEMBERED = [(), ()]  # their names and values, in the same order
_state = {"fired": False, "overrun": None}
# bound here, in the template: a student's patch of builtins.all cannot make the check below lie
_all, _map, _is = all, map, operator.is_


def remember_builtins():
    """Install the uncharged `__import__`, then remember the builtins as they are now."""
    if not getattr(builtins.__import__, "uncharged", False):
        builtins.__import__ = _uncharged(builtins.__import__)
    _BUILTINS.update(vars(builtins))
    _REMEMBERED[:] = [tuple(_BUILTINS), tuple(_BUILTINS.values())]


def _uncharged(import_):
    """`__import__` with the CPU-time timer of a running call paused while it imports."""

    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        left, again = signal.getitimer(signal.ITIMER_PROF)
        if left:
            signal.setitimer(signal.ITIMER_PROF, 0)
        try:
            return import_(name, globals, locals, fromlist, level)
        finally:
            if left:
                signal.setitimer(signal.ITIMER_PROF, left, again)

    __import__.uncharged = True
    return __import__


def restore_builtins():
    """Undo a student's patches of builtins (`builtins.len = ...`) before the worker runs again."""
    current = vars(builtins)
    names, values = _REMEMBERED
    if _all(_map(_is, _map(current.get, names), values)):  # nothing patched (checked in C)
        return
    for name, value in _BUILTINS.items():
        if current.get(name) is not value:
            current[name] = value


class TimeLimit(BaseException):
    """Raised by SIGALRM (wall clock) or SIGPROF (CPU time) when code runs past its limit."""


def on_alarm(signum, frame):
    overrun = _state["overrun"]
    if _state["fired"] and overrun is not None:
        overrun(frame)  # the first TimeLimit was caught and the code runs on: does not return
    _state["fired"] = True
    raise TimeLimit()


def arm(seconds, cpu_seconds=None, overrun=None):
    """Raise TimeLimit after `seconds` of wall-clock time, or `cpu_seconds` of CPU time.

    With `overrun`, the timers fire again every RECHECK seconds once they have run out, and the
    next firing after a TimeLimit calls `overrun(frame)` instead of raising."""
    _state["fired"], _state["overrun"] = False, overrun
    again = RECHECK if overrun is not None else 0
    signal.setitimer(signal.ITIMER_REAL, max(float(seconds), 0.001), again)
    if cpu_seconds is not None:
        signal.setitimer(signal.ITIMER_PROF, max(float(cpu_seconds), 0.001), again)


def disarm():
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_PROF, 0)
    _state["overrun"] = None


def cut(text, limit):
    return text if len(text) <= limit else text[: limit - 3] + "..."
