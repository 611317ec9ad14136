"""Every command teaches itself with --help, and bad input gets one line, not a traceback."""

import pytest

from autograder.cli import cli

COMMANDS = sorted(cli.commands)


def test_the_commands_are_the_documented_ones():
    assert COMMANDS == ["build", "export", "feedback", "grade", "gradescope", "publish", "release",
                        "report", "similarity", "times", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run_cli, command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {command}" in result.output or f"Usage: nnfs-course {command}" in \
        result.output
    assert len(result.output.splitlines()) > 5


@pytest.mark.parametrize("args", [
    ("grade", "07_nope"), ("release", "07_nope"), ("feedback", "07_nope"),
    ("report", "07_nope"), ("validate", "07_nope"), ("export", "07_nope"),
    ("gradescope", "07_nope"), ("publish", "07_nope", "--to", "/nonexistent/students"),
    ("similarity", "07_nope"), ("times", "07_nope"),
    ("export", "07_nope", "--lms", "canvas", "--template", "t.csv"),
])
def test_unknown_assignment_is_a_one_line_error(run_cli, args):
    result = run_cli(*args)
    assert result.exit_code != 0
    assert result.output.strip().startswith("Error: unknown assignment '07_nope'")
    assert "Traceback" not in result.output


def test_grade_names_a_missing_path(run_cli, tmp_path):
    result = run_cli("grade", "01_forward_pass", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_feedback_without_results_says_so(run_cli, tmp_path):
    result = run_cli("feedback", "01_forward_pass", "--results", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
