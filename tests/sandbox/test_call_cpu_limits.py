"""A call's limit is CPU time spent computing: importing a module inside the call is not charged."""

from __future__ import annotations

import pytest

from autograder.sandbox.calls import StudentError

_NOTEBOOK = """
    import importlib.abc
    import importlib.util
    import sys
    import time

    def burn(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    class SlowLibrary(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        # a library whose import computes for a while, as SciPy's or pyplot's does
        def find_spec(self, name, path, target=None):
            if name.startswith("slow_library"):
                return importlib.util.spec_from_loader(name, self)
            return None

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            burn(1.2)

    sys.meta_path.insert(0, SlowLibrary())

    def imports_a_library(x):
        import slow_library_a
        return x + 1

    def computes(x):
        burn(1.2)
        return x + 1
"""


def test_importing_inside_a_call_is_not_charged_and_computing_is(load):
    process = load(_NOTEBOOK)
    # 1.2 s of CPU in the import, against a limit of 1 s of CPU (4 s by the clock)
    assert process.call("imports_a_library", (1,), timeout=1.0).value == 2
    with pytest.raises(StudentError) as stopped:
        process.call("computes", (1,), timeout=1.0)
    assert stopped.value.kind == "timeout"
    # the import's pause ended with it: the same process still has its CPU limit
    with pytest.raises(StudentError) as again:
        process.call("computes", (1,), timeout=1.0)
    assert again.value.kind == "timeout"
