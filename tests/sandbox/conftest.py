"""Fixtures for the sandbox tests: one sandbox per test module, notebooks closed after each test."""

from __future__ import annotations

import pytest
from sandbox_helpers import LIMITS, notebook_cells

from autograder.sandbox.process import Sandbox


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as sb:
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
