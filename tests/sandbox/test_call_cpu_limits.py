"""A call's limit is CPU time spent computing: importing a module inside the call is not charged.

The import's pause is read from the CPU timer itself, not from how long anything took, so the
test holds however busy the machine is.
"""

from __future__ import annotations

import pytest

from autograder.sandbox.calls import StudentError

_NOTEBOOK = """
    import importlib.abc
    import importlib.util
    import signal
    import sys
    import time

    seen = {}

    class Library(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        # a library imported inside a call: it notes the CPU timer while it is imported
        def find_spec(self, name, path, target=None):
            if name.startswith("library_"):
                return importlib.util.spec_from_loader(name, self)
            return None

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            seen["while importing"] = signal.getitimer(signal.ITIMER_PROF)[0]

    sys.meta_path.insert(0, Library())

    def imports_a_library(x):
        before = signal.getitimer(signal.ITIMER_PROF)[0]
        import library_a
        after = signal.getitimer(signal.ITIMER_PROF)[0]
        return [before, seen["while importing"], after]

    def computes(x):
        end = time.process_time() + 1.2
        while time.process_time() < end:
            pass
        return x + 1
"""


def test_importing_inside_a_call_is_not_charged_and_computing_is(load):
    process = load(_NOTEBOOK)
    before, importing, after = process.call("imports_a_library", (1,), timeout=1.0).value
    assert before > 0  # the call is armed (to the timer's granularity, about its limit)
    assert importing == 0.0  # the CPU timer is paused while the module is imported
    assert 0 < after <= before + 0.01  # and runs on afterwards with what was left
    # 1.2 s of computing against a limit of 1 s of CPU (4 s by the clock, whichever comes first)
    with pytest.raises(StudentError) as stopped:
        process.call("computes", (1,), timeout=1.0)
    assert stopped.value.kind == "timeout"
