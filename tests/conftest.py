"""Helpers shared by the tool tests: a scratch copy of the course, tiny notebooks, the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
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
    """A scratch course folder holding copies of the notebooks, lessons and graders."""
    root = tmp_path / "course"
    for part in ("source", "release", "reference/lessons", "autograder/graders"):
        shutil.copytree(COURSE_ROOT / part, root / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return root


@pytest.fixture
def run_cli():
    """Invoke nnfs-course in-process; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke
