"""A graded example class, graded once per session and copied for every test that needs it; a
released course with that class's results documents, for the tests of recording them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from course_copy import copy_course
from nbgrader_helpers import ASSIGNMENT, example_course

from autograder import config
from autograder.cli import cli
from autograder.engine.results import read_results


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


ROSTER = {"dee": {"first_name": "Dee", "last_name": "Dunn", "email": "dee@example.org"}}


@pytest.fixture
def course(graded_template, tmp_path, run_cli, monkeypatch):
    """A released course (its gradebook records the notebook), the example class's submissions
    and their results documents, and a roster naming dee."""
    root = copy_course(tmp_path / "course")
    shutil.copytree(graded_template / "submitted", root / "submitted")
    result = run_cli("--root", root, "release", ASSIGNMENT)
    assert result.exit_code == 0, result.output
    assert (root / "gradebook.db").is_file()
    monkeypatch.setattr(config.course_config, "STUDENTS", ROSTER, raising=False)
    documents = read_results(graded_template / "grades" / ASSIGNMENT)
    for student, doc in documents.items():  # the notebooks of this copy, for timestamp.txt
        doc["extra_data"]["notebook"] = str(root / "submitted" / student / ASSIGNMENT /
                                            f"{ASSIGNMENT}.ipynb")
    return root, documents
