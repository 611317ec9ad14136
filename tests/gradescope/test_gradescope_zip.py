"""The autograder zip's contents, results.json's shape, run_autograder's messages (no engine)."""

from __future__ import annotations

import json
import zipfile

import pytest

import course_config
from autograder.config import COURSE_ROOT, get_assignment
from autograder.gradescope import results, run

ASSIGNMENT = get_assignment("01_forward_pass")


def test_the_zip_has_what_grading_needs_and_nothing_else(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
        release = json.loads(archive.read("release/01_forward_pass/01_forward_pass.ipynb"))
        runner = archive.read("run_autograder").decode()
    assert {"setup.sh", "run_autograder", "course_config.py", "requirements.txt",
            "autograder/graders/test_01_forward_pass.py", "autograder/engine/grade.py",
            "autograder/sandbox/inside/template.py", "reference/forward_pass.py"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert not [n for n in names if n.startswith(("tests/", "source/", "submitted/", "grades/",
                                                  "feedback/", "dist/", ".venv/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    # Of release/, only the public check and demo cells, so the engine skips them as `grade` does.
    assert [n for n in names if n.startswith("release/")] == [
        "release/01_forward_pass/01_forward_pass.ipynb"]
    assert release["cells"] and all(c["metadata"]["nnfs"]["role"] in ("checks", "demo")
                                    for c in release["cells"])
    assert "NotImplementedError" not in json.dumps(release)
    pins = dict(line.split("==") for line in requirements.splitlines()[1:])
    assert {"numpy", "pytest", "ipython", "matplotlib"} <= {p.lower() for p in pins}
    assert "01_forward_pass" in runner and "@ASSIGNMENT@" not in runner


def test_the_cli_writes_the_zip_to_dist_or_out(run_cli, tmp_path):
    out = tmp_path / "gs.zip"
    result = run_cli("gradescope", "01_forward_pass", "--out", out)
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    assert zipfile.is_zipfile(out)
    result = run_cli("gradescope", "99_nothing")
    assert result.exit_code != 0 and "99_nothing" in result.output
    assert "Traceback" not in result.output


def autograder_dir(tmp_path, files):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    for name, data in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(data)
    return root


@pytest.mark.parametrize("files, message", [
    ({"answers.py": b"x = 1"}, "No notebook was found in your submission"),
    ({"a.ipynb": b"{}", "b/c.ipynb": b"{}"}, "has 2 notebooks (a.ipynb, b/c.ipynb)"),
])
def test_no_notebook_or_several_get_a_clear_message(tmp_path, capsys, files, message):
    root = autograder_dir(tmp_path, files)
    assert run.main(["01_forward_pass", "--autograder", str(root)]) == 0
    document = json.loads((root / "results" / "results.json").read_text())
    assert document["score"] == 0 and message in document["output"]
    assert "01_forward_pass.ipynb" in document["output"]


def test_an_engine_failure_still_writes_results_and_prints_the_traceback(tmp_path, capsys,
                                                                         monkeypatch):
    import autograder.engine.grade as engine

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "grade", broken)
    root = autograder_dir(tmp_path, {"mine.ipynb": ASSIGNMENT.source_notebook().read_bytes()})
    assert run.main(["01_forward_pass", "--autograder", str(root)]) == 0
    document = json.loads((root / "results" / "results.json").read_text())
    assert document["score"] == 0 and "contact the instructor" in document["output"]
    assert "disk on fire" not in document["output"]
    printed = capsys.readouterr().out
    assert "Traceback" in printed and "RuntimeError: disk on fire" in printed


ENGINE_DOCUMENT = {
    "score": 3.0, "max_score": 6.0, "output": "s: 3 / 6",
    "extra_data": {"assignment": "01_forward_pass", "status": "graded", "problem": "",
                   "cells": [{"index": 4, "status": "error", "error": "NameError: x | y"}],
                   "functions": {"relu": {"score": 3.0, "max_score": 3.0},
                                 "mse": {"score": 0.0, "max_score": 3.0}}},
    "tests": [
        {"name": "ReLU of the lecture's example", "number": "1", "score": 3.0,
         "max_score": 3.0, "output": "", "tags": ["relu"],
         "extra_data": {"function": "relu", "outcome": "passed", "mistake": "", "lecture": "001"}},
        {"name": "MSE of a batch", "number": "2", "score": 0.0, "max_score": 3.0,
         "output": "mse(...) returned 2.0; expected 1.0. Mistake: summed instead of averaged",
         "tags": ["mse", "mistake: summed"],
         "extra_data": {"function": "mse", "outcome": "failed", "mistake": "summed",
                        "lecture": "003", "grader_error": "Traceback: assert total == 1.0"}},
    ],
}


def test_results_are_shaped_for_gradescope_with_visibility_from_course_config(monkeypatch):
    monkeypatch.setattr(course_config, "GRADESCOPE", {
        "visibility": "after_published", "visibility_by_function": {"relu": "visible"},
        "stdout_visibility": "hidden"}, raising=False)
    shaped = results.shape(ENGINE_DOCUMENT, seconds=1.23456, isolation="user")
    relu, mse = shaped["tests"]
    assert relu["visibility"] == "visible" and mse["visibility"] == "after_published"
    assert relu["status"] == "passed" and mse["status"] == "failed"
    assert relu["name"] == "relu: ReLU of the lecture's example"
    assert "summed instead of averaged" in mse["output"] and mse["output_format"] == "text"
    assert "grader_error" not in json.dumps(shaped) and "assert total" not in json.dumps(shaped)
    assert shaped["execution_time"] == 1.235 and shaped["output_format"] == "md"
    assert "**Score: 3 / 6**" in shaped["output"]
    assert "| `mse` | 0 / 3 |" in shaped["output"]
    assert "Code cell 5: error: NameError: x \\| y" in shaped["output"]
    assert shaped["extra_data"]["isolation"] == "user"


def test_a_wrong_visibility_is_named(monkeypatch):
    monkeypatch.setattr(course_config, "GRADESCOPE", {"visibility_by_function": {
        "relu": "later"}}, raising=False)
    with pytest.raises(results.SettingsError, match="visibility_by_function\\['relu'\\]"):
        results.settings()
    assert COURSE_ROOT.joinpath("course_config.py").read_text().count("GRADESCOPE = {") == 1
