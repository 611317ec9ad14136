"""The time limit of a cell or a call, and undoing a student's patches of builtins."""

import builtins
import signal

_BUILTINS = {}  # Python's builtins as the template saw them


def remember_builtins():
    _BUILTINS.update(vars(builtins))


def restore_builtins():
    """Undo a student's patches of builtins (`builtins.len = ...`) before the worker runs again."""
    current = vars(builtins)
    for name, value in _BUILTINS.items():
        if current.get(name) is not value:
            current[name] = value


class TimeLimit(BaseException):
    """Raised by SIGALRM when a cell or call runs past its limit."""


def on_alarm(signum, frame):
    raise TimeLimit()


def arm(seconds):
    signal.setitimer(signal.ITIMER_REAL, max(float(seconds), 0.001))


def disarm():
    signal.setitimer(signal.ITIMER_REAL, 0)


def cut(text, limit):
    return text if len(text) <= limit else text[: limit - 3] + "..."
