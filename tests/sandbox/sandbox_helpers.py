"""Helpers for the sandbox tests: short limits, tiny in-memory notebooks, a /proc scan."""

from __future__ import annotations

import contextlib
import signal
import textwrap

import pytest
from nbformat import v4
from process_table import processes_with  # noqa: F401 (used by the tests)

from autograder.config import Limits
from autograder.sandbox import levels

LIMITS = Limits(
    call_seconds=1.0,
    cell_seconds=1.0,
    submission_seconds=60.0,
    memory_mb=256,
    processes=8,
    output_bytes=20_000,
    call_seconds_by_function={"slow": 2.0, "grow": 10.0},
)



def keeping(*promises: str):
    """Run a test once at every level that keeps `promises` (levels.KEPT; a level that does not
    start here is skipped by the `sandbox` fixture)."""
    chosen = [level for level in levels.LEVELS if set(promises) <= levels.KEPT[level]]
    return pytest.mark.parametrize("sandbox", chosen, indirect=True, scope="module")


# The levels that keep every promise (read, write, signal, connect, see, outlive): a module
# marked with this runs its tests once at each of them.
PROMISE_LEVELS = keeping(*levels.PROMISES)


def notebook_cells(*sources: str) -> list[str]:
    """The code cells of a notebook built in memory, as `Sandbox.load` receives them.

    A source starting with "md:" becomes a markdown cell (and is therefore not passed on).
    """
    nb = v4.new_notebook()
    for source in sources:
        if source.startswith("md:"):
            nb.cells.append(v4.new_markdown_cell(source[3:]))
        else:
            nb.cells.append(v4.new_code_cell(textwrap.dedent(source).strip("\n")))
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


# A first cell for hostile notebooks: read a file, or try several things and say how each ended.
STUDENT_HELPERS = """
    import os
    def read(path):
        try:
            with open(path, "rb") as f:
                return f.read(4096).decode("latin-1")
        except OSError as error:
            return type(error).__name__
    def outcomes_of(attempts):
        outcomes = {}
        for name, attempt in attempts.items():
            try:
                attempt()
                outcomes[name] = "done"
            except OSError as error:
                outcomes[name] = type(error).__name__
        return outcomes
"""

# Every route by which a student could signal the grader (GRADER) or its template (the parent);
# it follows STUDENT_HELPERS.
SIGNAL_ATTACKS = """
    import ctypes, fcntl, os, signal
    GRADER = {grader}
    libc = ctypes.CDLL(None, use_errno=True)
    def checked(result):
        if result != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))
    def sigio():
        read_end, write_end = os.pipe()
        fcntl.fcntl(read_end, fcntl.F_SETOWN, GRADER)
        fcntl.fcntl(read_end, 10, signal.SIGUSR1)  # F_SETSIG
        fcntl.fcntl(read_end, fcntl.F_SETFL, os.O_ASYNC)
        os.write(write_end, b"x")
    ATTACKS = {{
        "kill": lambda: os.kill(GRADER, signal.SIGUSR1),
        "template": lambda: os.kill(os.getppid(), signal.SIGUSR1),
        "group": lambda: os.killpg(os.getpgid(GRADER), signal.SIGUSR1),
        "sigqueue": lambda: checked(libc.sigqueue(GRADER, signal.SIGUSR1, ctypes.c_void_p(0))),
        "tgkill": lambda: checked(libc.tgkill(GRADER, GRADER, signal.SIGUSR1)),
        "pidfd": lambda: signal.pidfd_send_signal(os.pidfd_open(GRADER), signal.SIGUSR1),
        "sigio": sigio,
    }}
    def attack():
        return outcomes_of(ATTACKS)
    def ok():
        return "ok"
"""


@contextlib.contextmanager
def grader_signals():
    """The signals this process receives meanwhile (SIGUSR1 and SIGIO), as a list."""
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, frame: received.append(number))
                for number in (signal.SIGUSR1, signal.SIGIO)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
