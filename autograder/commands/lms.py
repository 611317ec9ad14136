"""The options and the body of `nnfs-course export --lms` (the command is in results.py)."""

from __future__ import annotations

from pathlib import Path

import click

LMS_MATCH_HELP = ("How students are matched: canvas: canvas-id (ID = the Canvas user id from "
                  "the download names or nbgrader's lms_user_id), sis-login (SIS Login ID = "
                  "student id), sis-id, email (SIS Login ID = e-mail); moodle: email (default), "
                  "id-number (ID number = student id), username. Default for canvas: canvas-id "
                  "when every graded student has one, else sis-login. The rule used is printed.")


def lms_options(command):
    """The --lms options of `export`."""
    options = [
        click.option("--lms", type=click.Choice(["canvas", "moodle"]),
                     help="Fill ASSIGNMENT's column of this LMS's gradebook export (--template)."),
        click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
                     help="The gradebook CSV downloaded from the LMS (with --lms)."),
        click.option("--match", type=click.Choice(["canvas-id", "sis-login", "sis-id", "email",
                                                   "id-number", "username"]),
                     help=LMS_MATCH_HELP),
        click.option("--column", metavar="NAME",
                     help="The column to fill (default: the one named after ASSIGNMENT's id or "
                          "title, e.g. 'The forward pass (4521)'; else a new ASSIGNMENT column)."),
        click.option("--lms-applies-late", is_flag=True,
                     help="The LMS applies its own late policy: export scores without nbgrader's "
                          "late penalty, so no penalty is applied twice."),
        click.option("--allow-unmatched", is_flag=True,
                     help="Write the file even when some students are unmatched (still listed)."),
        click.option("--by-function", is_flag=True,
                     help="Also add one column per graded function ('<ASSIGNMENT>: <function>')."),
        click.option("--results", "results_dir",
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Where `grade` wrote the results, read for the Canvas download names "
                          "(default: grades/<ASSIGNMENT>/)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def export_lms(root: Path, assignment: str | None, out_csv: Path, *, lms: str | None,
               template: Path | None, match: str | None, column: str | None,
               lms_applies_late: bool, allow_unmatched: bool, by_function: bool,
               results_dir: Path | None) -> None:
    from autograder.config import get_assignment
    from autograder.feedback.lms import export_to_lms

    if not lms:
        raise click.UsageError("--template, --match, --column, --lms-applies-late, "
                               "--allow-unmatched, --by-function and --results go with "
                               "--lms canvas|moodle")
    if not assignment:
        raise click.UsageError("--lms needs an ASSIGNMENT: one column is filled at a time")
    if template is None:
        raise click.UsageError("--lms needs --template FILE, the gradebook downloaded from the LMS")
    result = export_to_lms(get_assignment(assignment, root), lms, template, out_csv, match=match,
                           column=column, lms_applies_late=lms_applies_late,
                           allow_unmatched=allow_unmatched, by_function=by_function, root=root,
                           results_dir=results_dir)
    click.echo(f"matched by: {result.rule}")
    how = "added" if result.column in result.added else "filled in"
    click.echo(f"column {result.column!r}: {how}")
    per_function = [c for c in result.added if c != result.column]
    if per_function:
        click.echo(f"{len(per_function)} per-function column(s) added, e.g. {per_function[0]!r}")
    click.echo(f"{result.written} student(s) written; {result.manual} with a manual score "
               "(manual scores win)")
    if result.lms_applies_late:
        click.echo(f"late penalty: left to the LMS ({result.late} late submission(s) exported "
                   "without nbgrader's penalty)")
    else:
        click.echo(f"late penalty: nbgrader's, applied here ({result.late} late submission(s)); "
                   "if the LMS applies its own late policy too, use --lms-applies-late")
    for line in result.graded_unmatched:
        click.echo(f"  unmatched (graded, not in the template): {line}", err=True)
    for line in result.lms_unmatched:
        click.echo(f"  unmatched (in the template, not graded): {line}", err=True)
    click.echo(f"wrote {result.out}")
