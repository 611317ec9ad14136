"""The `nnfs-course` command line: each command parses its options, calls the library, reports.

The commands live in autograder/commands/, one module per stage of the course.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.commands import grading, instructor, notebooks, results
from autograder.config import COURSE_ROOT


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=COURSE_ROOT, show_default=True,
              help="The course folder (holding source/, release/, autograder/).")
@click.pass_context
def cli(ctx, root):
    """Build, release, grade and validate the Neural Networks from Scratch exercises.

    \b
    The instructor's workflow, run in the course folder:
      nnfs-course build              reference/ -> source/<id>/<id>.ipynb
      nnfs-course release            source/ -> release/<id>/<id>.ipynb (nbgrader), leak-checked
      nnfs-course grade ID [PATH..]  grade submissions in isolation -> results, CSV, gradebook
      nnfs-course feedback ID        one HTML page per student
      nnfs-course report ID          the class report
      nnfs-course validate           prove every grader passes the reference and catches mutants
      nnfs-course times              the reference's time on every graded call -> call limits
      nnfs-course gradescope ID      the Gradescope autograder zip -> dist/<id>-autograder.zip
      nnfs-course export ID --lms canvas --template FILE   grades into the LMS's gradebook
      nnfs-course similarity ID      pairs of answers worth a look -> similarity/<id>/
      nnfs-course publish --to DIR   the release only, for students (never the course repo)

    Assignments and limits live in course_config.py.
    """
    ctx.obj = root.resolve()


for _command in (notebooks.times, notebooks.build, notebooks.release, grading.grade,
                 results.feedback, results.report, results.export, grading.validate,
                 grading.gradescope, instructor.publish, instructor.similarity):
    cli.add_command(_command)


def main():
    # With PYTHONDONTWRITEBYTECODE set (many containers set it), every run would compile this
    # package's modules and the hidden graders (with pytest's assertion rewriting) again, in
    # the command and in each grading worker. Installed packages are compiled when installed;
    # this package, installed editable, gets its bytecode here (a __pycache__ next to each
    # module; Python skips writing where it may not).
    sys.dont_write_bytecode = False
    try:
        cli(prog_name="nnfs-course")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        # Python's last garbage collection at exit walks every object NumPy, pytest and the
        # engine made (about 0.05 s after a grading run); frozen objects are skipped, and
        # everything else at exit (atexit, flushing, finalisers) happens as before.
        import gc

        gc.freeze()


__all__ = ["cli", "main"]
