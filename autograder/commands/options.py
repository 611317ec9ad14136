"""What the commands share: common options, and how errors and stops reach the user."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from autograder.config import ConfigError

ASSIGNMENT_HELP = "An assignment id from course_config.py (e.g. 01_forward_pass); default: all."


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


RESULTS_OPTION = click.option(
    "--results", "results_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Where `grade` wrote the results (default: grades/<ASSIGNMENT>/).")


def friendly_errors(command):
    """Turn the library's known errors into one-line messages instead of tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from autograder.feedback import FeedbackError
        from autograder.files import MachineError
        from autograder.pipeline import PipelineError
        from autograder.sandbox.levels import Unavailable

        try:
            return command(*args, **kwargs)
        except (ConfigError, PipelineError, FeedbackError, MachineError, Unavailable) as error:
            raise click.ClickException(str(error)) from None

    return wrapper


def stops_cleanly(command):
    """Ctrl-C, SIGTERM and SIGHUP stop the command alike: it says so and exits 128 + signal."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from autograder.engine.stopping import stop_on_signals, stopped

        try:
            with stop_on_signals():
                return command(*args, **kwargs)
        except KeyboardInterrupt as error:  # stopped where nothing was left to keep
            stop = stopped(error)
            click.echo(f"interrupted by {stop.name}", err=True)
            sys.exit(stop.exit_status)

    return wrapper
