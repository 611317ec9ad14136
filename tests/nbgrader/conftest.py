"""A graded example class, graded once per session and copied for every test that needs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from nbgrader_helpers import ASSIGNMENT, example_course

from autograder.cli import cli


@pytest.fixture(scope="session")
def graded_template(tmp_path_factory) -> Path:
    """The six students of the example class, in the course's submitted/, graded by `grade`."""
    root = example_course(tmp_path_factory.mktemp("graded") / "course")
    result = CliRunner().invoke(cli, ["--root", str(root), "grade", ASSIGNMENT,
                                      "--workers", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Gradebook: 6 submission(s) recorded in gradebook.db" in result.output
    return root


@pytest.fixture
def graded_course(graded_template, tmp_path) -> Path:
    """A copy of the graded class of this test's own."""
    root = tmp_path / "course"
    shutil.copytree(graded_template, root)
    return root
