"""reference/ -> source/ -> release/: `times`, `build` and `release`."""

from __future__ import annotations

import click

from autograder.commands.options import friendly_errors
from autograder.config import select


@click.command()
@click.argument("assignment", required=False)
@click.option("--check", is_flag=True,
              help="Write nothing; fail if a call the graders make has no measured time.")
@click.pass_obj
@friendly_errors
def times(root, assignment, check):
    """Measure the reference's own time on every call the hidden graders make.

    Each call of a student function is given a multiple of this time, never less than a floor
    (LIMITS in course_config.py). Writes autograder/graders/reference_times.json; run it again
    after changing the graders or reference/.
    """
    from autograder.engine.time_limits import unmeasured, write_times

    if not check:
        click.echo(f"wrote {write_times(select(assignment, root), root)}")
        return
    missing = [f"{item.id}: {call}" for item in select(assignment, root)
               for call in unmeasured(item, root)]
    if missing:
        raise click.ClickException("calls without a measured time (run `nnfs-course times`): "
                                   + "; ".join(missing[:10]))
    click.echo("every call the graders make has a measured time")


@click.command()
@click.argument("assignment", required=False)
@click.option("--check", is_flag=True,
              help="Write nothing; fail if a committed notebook differs from what build writes.")
@click.pass_obj
@friendly_errors
def build(root, assignment, check):
    """Build the nbgrader source notebook(s) from reference/ and reference/lessons/.

    Each graded function gets an answer cell whose code comes from its reference implementation
    and an autograded cell of public checks worth its points (the sum of its graders' points).
    """
    from autograder.pipeline.build import build as build_one

    stale = []
    for item in select(assignment, root):
        result = build_one(item, root, check=check)
        if check and result.changed:
            stale.append(result.path)
        elif not check:
            click.echo(f"{'wrote' if result.changed else 'unchanged'} {result.path}")
    if stale:
        raise click.ClickException(
            "out of date with reference/: " + ", ".join(str(p) for p in stale)
            + " (run `nnfs-course build`)")
    if check:
        click.echo("source notebooks match reference/")


@click.command()
@click.argument("assignment", required=False)
@click.option("--check", is_flag=True,
              help="Write nothing; fail if the committed release differs or leaks.")
@click.pass_obj
@friendly_errors
def release(root, assignment, check):
    """Generate the student release with nbgrader's generate_assignment and check it for leaks.

    The release is verified before it replaces release/<id>/: every exercise cell must only
    raise NotImplementedError, and no line of a reference solution or a hidden grader may remain.
    Its cells are then recorded in gradebook.db as generate_assignment records them. After a
    class is graded, a release that adds, removes or renames a graded cell is refused, naming
    the cells, and nothing is written.
    """
    from autograder.pipeline.release import release as release_one

    failed = []
    for item in select(assignment, root):
        result = release_one(item, root, check=check)
        if result.leaks:
            failed.append(item.id)
            click.echo(f"LEAK in {item.id}; release/ left unchanged:", err=True)
            for leak in result.leaks:
                click.echo(f"  {leak}", err=True)
        elif check and result.changed:
            failed.append(item.id)
            click.echo(f"{result.path} differs from a fresh release "
                       f"(run `nnfs-course release {item.id}`)", err=True)
        else:
            state = "up to date" if not result.changed else ("ok" if check else "wrote")
            click.echo(f"{state} {result.path} (no leaks)")
    if failed:
        raise click.ClickException(f"release failed for {', '.join(failed)}")
