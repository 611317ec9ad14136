"""From results to people: `feedback`, `report` and `export`."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.commands.lms import export_lms, lms_options
from autograder.commands.options import RESULTS_OPTION, friendly_errors
from autograder.config import select


@click.command()
@click.argument("assignment")
@RESULTS_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the pages go (default: feedback/, as nbgrader lays it out).")
@click.pass_obj
@friendly_errors
def feedback(root, assignment, results_dir, out_dir):
    """Write one standalone HTML feedback page per student.

    Each page gives the score per function and per check and, for every failed check, what was
    called, what came back, what was expected and the known mistake with the lecture that
    covers it. Pages are built from results.json only: no hidden test or solution appears.
    """
    from autograder.config import get_assignment
    from autograder.feedback import write_feedback

    get_assignment(assignment)
    pages = write_feedback(assignment, results_dir, out_dir, root=root)
    click.echo(f"wrote {len(pages)} feedback page(s)"
               + (f", e.g. {pages[0]}" if pages else ""))


@click.command()
@click.argument("assignment")
@RESULTS_OPTION
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The report file (default: reports/<ASSIGNMENT>.html).")
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the students' feedback pages are, for the links from the student "
                   "table (default: feedback/, where `nnfs-course feedback` writes them).")
@click.pass_obj
@friendly_errors
def report(root, assignment, results_dir, out_path, feedback_dir):
    """Write the class report: score histogram, pass rates, common mistakes, broken notebooks.

    The report is one HTML file with its plots embedded; it works offline. Each student in it
    links to their feedback page.
    """
    from autograder.config import get_assignment
    from autograder.feedback import write_report

    get_assignment(assignment)
    path = write_report(assignment, results_dir, out_path, root=root, feedback_dir=feedback_dir)
    click.echo(f"wrote {path}")


@click.command()
@click.argument("assignment", required=False)
@click.option("--out", "out_csv", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("grades.csv"), show_default=True, help="The CSV file to write.")
@lms_options
@click.pass_obj
@friendly_errors
def export(root, assignment, out_csv, **lms):
    """Export the gradebook as CSV, in the columns of `nbgrader export`, or into an LMS's own
    gradebook export (--lms).

    A manual score entered in formgrader counts instead of the auto score, and a late
    submission shows its timestamp and nbgrader's late penalty. `nbgrader export`, run in the
    course folder, shows the same scores.

    \b
    With --lms canvas|moodle, download the LMS's gradebook first (Canvas: Grades ->
    Export -> CSV; Moodle: Grades -> Export -> Plain text file), then:
      nnfs-course export 01_forward_pass --lms canvas --template canvas.csv --out import.csv
    ASSIGNMENT's column is filled in, or added, and nothing else in the file changes,
    so OUT imports back as it is. Students are matched by one rule, printed and set with
    --match; every student unmatched on either side is listed, and nothing is written
    unless --allow-unmatched.
    """
    if any(lms.values()):
        export_lms(root, assignment, out_csv, **lms)
        return
    from autograder.feedback import export_gradebook

    if assignment:
        select(assignment, root)
    path = export_gradebook(out_csv, assignment, root=root)
    click.echo(f"wrote {path}")
