"""Fixtures for the sandbox tests: one sandbox per test module, notebooks closed after each test.

A module that proves promises runs at every level that keeps them all and works here:
`pytestmark = PROMISE_LEVELS` (sandbox_helpers) gives it one sandbox per such level.
"""

from __future__ import annotations

import pytest
from sandbox_helpers import LIMITS, notebook_cells

from autograder.sandbox import levels
from autograder.sandbox.process import Sandbox


@pytest.fixture(scope="module")
def sandbox(request):
    level = getattr(request, "param", None)  # None: the best level available here
    if level is not None and not levels.available(level):
        pytest.skip(f"{level} does not work here")
    with Sandbox(LIMITS, level) as sb:
        yield sb


@pytest.fixture
def load(sandbox):
    """Load a notebook (given as cell sources) in the shared sandbox; closed after the test."""
    loaded = []

    def run(*sources: str, skip=frozenset()):
        process = sandbox.load(notebook_cells(*sources), skip=skip)
        loaded.append(process)
        return process

    yield run
    for process in loaded:
        process.close()
