"""The instructor's week after `grade`: `publish` and `similarity` (registered in cli.py).

Each command parses its options, calls one library function and echoes the result.
"""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli import ASSIGNMENT_HELP, RESULTS_OPTION, friendly_errors  # noqa: F401
from autograder.config import select


@click.command()
@click.argument("assignment", required=False)
@click.option("--to", "to_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder outside the course repository (e.g. a clone of the students' "
                   "repository).")
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A zip to upload to the LMS instead of a folder.")
@click.pass_obj
@friendly_errors
def publish(root, assignment, to_dir, zip_path):
    """Publish the release to students: exactly the release notebooks, nothing else.

    \b
    Students get their notebooks from what this writes, never from the course
    repository: that one holds reference/ and the hidden graders. Writes
      DIR/<ASSIGNMENT>/<ASSIGNMENT>.ipynb   the committed release, as is
      DIR/README.md                         the assignments and how to set up
    then runs the release's leak check on what it wrote (stubs only, no line of
    a solution or a hidden test, no other file). A folder may be a git clone:
    its .git/ is kept; any other file publish did not write stops it.

    \b
      nnfs-course publish --to ../nnfs-students        every assignment
      nnfs-course publish 01_forward_pass --zip dist/01_forward_pass.zip
    """
    from autograder.pipeline.publish import publish as publish_release

    if bool(to_dir) == bool(zip_path):
        raise click.UsageError("give exactly one of --to DIR and --zip FILE")
    result = publish_release(select(assignment), to=to_dir, zip_path=zip_path, root=root)
    click.echo(f"wrote {result.target}: {', '.join(result.files)} (leak check passed)")
