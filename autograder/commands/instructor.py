"""The instructor's week after `grade`: `publish` and `similarity` (registered in cli.py).

Each command parses its options, calls one library function and echoes the result.
"""

from __future__ import annotations

from pathlib import Path

import click

from autograder.commands.options import RESULTS_OPTION, friendly_errors
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
    result = publish_release(select(assignment, root), to=to_dir, zip_path=zip_path, root=root)
    click.echo(f"wrote {result.target}: {', '.join(result.files)} (leak check passed)")


@click.command()
@click.argument("assignment")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@RESULTS_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the report goes (default: similarity/<ASSIGNMENT>/, kept out of git).")
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="How many pairs the report shows.")
@click.option("--id-pattern", metavar="REGEX",
              help="Read student ids from the file names, as `grade --id-pattern` does.")
@click.pass_obj
@friendly_errors
def similarity(root, assignment, paths, results_dir, out_dir, top, id_pattern):
    """Find pairs of students whose answers are more alike than chance explains.

    \b
    PATHS are found as `grade` finds them (default: the course's submitted/).
    The answer cells are compared with copydetect (winnowed fingerprints, as
    MOSS does), leaving out the release's stubs and given code. Correct answers
    are often the same line of NumPy, so shared code counts by how unusual it
    is in the class, and the same wrong result (a function failing with the
    very same outputs, from the results `grade` wrote) and the same odd
    constant count strongly.

    \b
    Writes OUT/report.html (the most similar pairs, their matching code side by
    side) and OUT/pairs.csv. It changes no grade. Similarity is a reason to look,
    not proof. The report holds students' code: similarity/ is in .gitignore.
    """
    from autograder.config import get_assignment
    from autograder.engine.submissions import SubmissionPathError
    from autograder.similarity import SimilarityError
    from autograder.similarity.report import NOTICE
    from autograder.similarity.report import similarity as find_similar

    try:
        run = find_similar(get_assignment(assignment, root), list(paths), root=root,
                           results_dir=results_dir, out_dir=out_dir, top=top,
                           id_pattern=id_pattern)
    except (SimilarityError, SubmissionPathError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Compared {run.students} students' answers in {run.seconds:.1f} s"
               + ("" if run.with_results else " (no results found: wrong results not weighed)"))
    for name in run.unreadable:
        click.echo(f"  {name}: unreadable or empty notebook, left out", err=True)
    if not run.pairs:
        click.echo("No two students share unusual code or the same wrong result.")
    else:
        click.echo(f"  {'#':>3}  {'students':<30} {'score':>7}  unusual code  "
                   "same wrong results or odd constants")
    for rank, p in enumerate(run.pairs[:10], start=1):
        click.echo(f"  {rank:>3}  {p.a + ' & ' + p.b:<30} {p.score:>7.1f}  "
                   f"{p.unusual_share:>11.0%}  {len(p.wrong)}")
    click.echo(NOTICE)
    click.echo(f"Report: {run.html}\nCSV:    {run.csv}")
