"""Helpers for the sandbox tests: short limits, tiny in-memory notebooks, a /proc scan."""

from __future__ import annotations

import textwrap

import pytest
from nbformat import v4
from process_table import processes_with  # noqa: F401 (used by the tests)

from autograder.config import Limits

LIMITS = Limits(
    call_seconds=1.0,
    cell_seconds=1.0,
    submission_seconds=60.0,
    memory_mb=256,
    processes=8,
    output_bytes=20_000,
    call_seconds_by_function={"slow": 2.0, "grow": 10.0},
)

# The levels that keep every promise (read, write, signal, connect, see, outlive): a module
# marked with this runs its tests once at each of them.
PROMISE_LEVELS = pytest.mark.parametrize("sandbox", ["bubblewrap", "landlock"], indirect=True,
                                         scope="module")


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
