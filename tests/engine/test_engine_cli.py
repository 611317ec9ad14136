"""`nnfs-course grade` on the command line: exit codes, one-line errors, progress.

Stopping a run (Ctrl-C and the other signals) is tested in test_engine_stops.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from engine_helpers import ASSIGNMENT, read_results, without_times

NNFS_COURSE = str(Path(sys.executable).parent / "nnfs-course")


def one_error_line(output: str) -> str:
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


@pytest.mark.slow
def test_a_class_with_broken_files_exits_0_and_a_rerun_gives_the_same_results(
        run_cli, submit, honest, tmp_path):
    folder = tmp_path / "class"
    honest(folder)
    submit(folder / "broken.ipynb", text=lambda s: s[: len(s) // 3])
    submit(folder / "blank.ipynb", text=lambda s: "")
    out = tmp_path / "out"
    args = ("grade", ASSIGNMENT.id, folder, "--out", out, "--workers", "2", "--no-gradebook")
    first = run_cli(*args)
    assert first.exit_code == 0, first.output
    output = first.output
    assert (f"Grading 5 submission(s) of {ASSIGNMENT.id} with 2 worker(s); isolation: "
            in output)
    assert "Graded 5 submission(s) in " in output and "1 with full marks." in output
    assert "  blank: failed-to-run: the notebook file is empty" in output
    assert "  broken: failed-to-run: the notebook is not valid JSON" in output
    assert f"Results: {out}/<student>/results.json" in output
    assert f"CSV:     {out / 'grades.csv'}" in output and "Gradebook:" not in output
    results = read_results(out)
    assert sorted(results) == ["blank", "broken", "mutant", "reference", "stub"]
    again = run_cli(*args)
    assert again.exit_code == 0, again.output
    assert {s: without_times(d) for s, d in read_results(out).items()} == \
        {s: without_times(d) for s, d in results.items()}


@pytest.mark.parametrize("make_path, says", [
    (lambda tmp: tmp / "nowhere", "nowhere: no such file or folder"),
    (lambda tmp: tmp / "empty", "empty: no notebooks in this folder"),
    (lambda tmp: tmp / "notes.txt", "notes.txt: not a notebook (.ipynb)"),
])
def test_a_path_that_cannot_be_graded_is_a_one_line_error(run_cli, tmp_path, make_path, says):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not a notebook")
    result = run_cli("grade", ASSIGNMENT.id, make_path(tmp_path), "--out", tmp_path / "out",
                     "--no-gradebook")
    assert result.exit_code == 2
    assert says in one_error_line(result.output)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_no_path_and_no_submitted_folder_is_a_one_line_error(run_cli, tmp_path):
    result = run_cli("--root", tmp_path, "grade", ASSIGNMENT.id, "--no-gradebook")
    assert result.exit_code != 0
    assert "no submitted/ folder; give notebook paths" in one_error_line(result.output)


def test_an_out_folder_that_cannot_be_made_is_a_one_line_error(run_cli, submit, tmp_path):
    notebook = submit(tmp_path / "alice.ipynb")
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli("grade", ASSIGNMENT.id, notebook, "--out", blocker / "out",
                     "--no-gradebook")
    assert result.exit_code == 1
    assert "cannot write results there (Not a directory)" in one_error_line(result.output)


def test_two_notebooks_of_one_student_id_stop_grade_naming_both(run_cli, submit, tmp_path):
    first = submit(tmp_path / "class" / "a" / "carol.ipynb")
    second = submit(tmp_path / "class" / "b" / "carol.ipynb", base="release")
    out = tmp_path / "out"
    result = run_cli("grade", ASSIGNMENT.id, tmp_path / "class", "--out", out, "--no-gradebook")
    assert result.exit_code == 2, result.output
    assert (f"{first} and {second} both have the student id 'carol'; nothing was graded"
            in result.output)
    assert not out.exists()


def test_a_misnamed_isolation_level_is_a_one_line_error(run_cli, submit, tmp_path, monkeypatch):
    notebook = submit(tmp_path / "alice.ipynb")
    monkeypatch.setenv("NNFS_ISOLATION", "chroot")
    result = run_cli("grade", ASSIGNMENT.id, notebook, "--out", tmp_path / "out",
                     "--no-gradebook")
    assert result.exit_code == 1
    assert "$NNFS_ISOLATION: unknown isolation level 'chroot'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "alice").exists()
