"""Helpers shared by the tool tests: a scratch copy of the course, tiny notebooks, the CLI."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from course_copy import COURSE_DATA, copy_course
from nbformat import v4

from autograder.cli import cli
from autograder.config import COURSE_ROOT


def make_notebook(*cells: str, kinds: str | None = None) -> nbformat.NotebookNode:
    """A notebook of code cells (or markdown where `kinds` has an 'm' at that position)."""
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for index, source in enumerate(cells):
        markdown = kinds is not None and kinds[index] == "m"
        nb.cells.append(v4.new_markdown_cell(source) if markdown else v4.new_code_cell(source))
    return nb


def write_notebook(path: Path, nb: nbformat.NotebookNode) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def course_copy(tmp_path) -> Path:
    """A scratch course folder holding copies of the notebooks, lessons, graders and config."""
    return copy_course(tmp_path / "course")


@pytest.fixture
def run_cli():
    """Invoke nnfs-course in-process; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _course_data_state() -> dict[str, list[tuple[str, int, int]]]:
    state = {}
    for name in COURSE_DATA:
        path = COURSE_ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        state[name] = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files
                       if p.exists()]
    return state


@pytest.fixture(scope="session", autouse=True)
def course_data_left_alone():
    """The suite never writes the checkout's own course data: tests make a course under
    tmp_path (see course_copy.py). Checked once, after the last test."""
    before = _course_data_state()
    yield
    changed = [name for name, files in _course_data_state().items() if files != before[name]]
    assert not changed, f"the test suite changed the course's own {', '.join(changed)}"
