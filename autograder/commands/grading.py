"""Grading with the hidden graders: `grade`, `validate` and `gradescope`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.commands.options import default_workers, friendly_errors, stops_cleanly
from autograder.sandbox.levels import LEVELS


@click.command()
@click.argument("assignment")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where results go (default: grades/<ASSIGNMENT>/ in the course folder).")
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(),
              show_default=True, help="Submissions graded in parallel.")
@click.option("--no-gradebook", is_flag=True,
              help="Do not record scores in gradebook.db nor write autograded/.")
@click.option("--id-pattern", metavar="REGEX",
              help="Read student ids from loose notebooks' file names: a regular expression "
                   "with a (?P<student_id>...) group, or `canvas` for Canvas downloads named "
                   "lastfirst_12345_67890_<name>.ipynb (the id is lastfirst; the Canvas user "
                   "id 12345 stays in the file name that results.json records, and "
                   "`export --lms canvas` matches by it).")
@click.option("--dry-run", is_flag=True,
              help="Grade and show what would change against the results already in OUT, "
                   "recording nothing (no results, no gradebook, no changes.csv).")
@click.option("--isolation", metavar="LEVEL",
              type=click.Choice(LEVELS, case_sensitive=False),
              help="Use exactly this isolation level for this run, even one weaker than the "
                   "course's minimum (the run says what student code can read and change "
                   "there). Default: $NNFS_ISOLATION, else the strongest level that keeps the "
                   "minimum, else refuse.")
@click.option("--trusted", is_flag=True,
              help="The notebooks are trusted (your own): allow a level, such as `none`, that "
                   "lets student code write the course's files.")
@click.pass_obj
@stops_cleanly
@friendly_errors
def grade(root, assignment, paths, out_dir, workers, no_gradebook, id_pattern, dry_run,
          isolation, trusted):
    """Grade submissions with the hidden graders, each in its own sandbox.

    \b
    PATHS are notebooks, folders of notebooks, or an nbgrader submitted/ tree
    (default: the course's submitted/ folder, where `nbgrader collect` puts
    what students submitted through the exchange). The student id is:
      - the folder name in submitted/<student>/<ASSIGNMENT>/;
      - with --id-pattern, what the pattern finds in the file name;
      - for a notebook named <ASSIGNMENT>.ipynb, the folder holding it
        (alice/<ASSIGNMENT>.ipynb is alice's);
      - else the notebook's file stem (carol.ipynb is carol's).
    Two notebooks with the same student id stop grade before it starts.

    \b
    Writes, for every student, OUT/<student>/results.json (Gradescope format),
    then OUT/grades.csv; records the scores, timestamps and late penalties in
    nbgrader's gradebook (manual scores entered in formgrader are kept and win)
    and writes autograded/<student>/<ASSIGNMENT>/ for formgrader.
    Exits 0 when every submission got a result, a broken notebook included.

    \b
    Student code runs only at an isolation level that keeps every promise of
    the course's minimum (course_config.ISOLATION_MINIMUM; by default all of
    them: what bubblewrap gives). Where none can start, grade stops before
    any student code runs, says what is missing and how to fix it, and exits
    non-zero; nothing already graded is touched. No level that lets one
    submission change another's grade is used without --trusted.

    \b
    Every results.json records what produced it (extra_data.provenance: hashes
    of the submission, graders, reference and limits, the package versions and
    the isolation level). Grading a class again prints, per student whose result
    changed, the old and new score, the functions that changed and which of those
    inputs changed, and writes OUT/changes.csv; --dry-run only shows it.
    """
    # The first template starts while the engine (NumPy, pytest) is imported.
    early = _early_sandbox(isolation, trusted)
    from autograder.engine.grade import grade as grade_class
    from autograder.engine.stopping import Stopped
    from autograder.engine.submissions import SubmissionPathError

    bar = None

    def started(total, isolation, warning):
        nonlocal bar
        click.echo(f"Grading {total} submission(s) of {assignment} with {workers} worker(s); "
                   f"isolation: {isolation}")
        if warning:
            click.secho(f"WARNING: {warning}", fg="yellow", err=True)
        if sys.stderr.isatty():
            bar = click.progressbar(length=total, label="grading", show_pos=True, show_eta=True,
                                    file=sys.stderr).__enter__()

    def one(summary):
        if bar is not None:
            hung.extend([summary.student] if summary.hung else [])
            bar.label = f"grading ({len(hung)} timed out)" if hung else "grading"
            bar.update(1)

    hung = []

    from autograder.engine.regrade import changes_text, graded_with_changes

    def run_grading(out, record):
        return grade_class(assignment, list(paths), out, workers, root=root,
                           isolation=isolation, trusted=trusted,
                           on_start=started, on_student=one,
                           record_gradebook=record and not no_gradebook, id_pattern=id_pattern,
                           early=early)

    try:
        run, changes = graded_with_changes(assignment, out_dir, run_grading, root=root,
                                           dry_run=dry_run)
    except SubmissionPathError as error:
        raise click.BadParameter(str(error), param_hint="PATHS") from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(summary_text(run) if not dry_run else
               summary_text(run).split("\nResults:")[0] + "\nDry run: nothing was written.")
    if changes_text(changes):
        click.echo(changes_text(changes))
    kept = sum(1 for s in run.students if s.status != "error")
    if run.stopped_by:
        stop = Stopped(run.stopped_by)
        click.echo(f"interrupted by {stop.name}: the {kept} finished result(s) are kept; "
                   "run again to finish", err=True)
        sys.exit(stop.exit_status)
    if run.failure:
        raise click.ClickException(f"{run.failure}; the {kept} finished result(s) are kept, "
                                   "run again once that is fixed")
    if run.errors:
        raise click.ClickException(f"{len(run.errors)} submission(s) could not be graded "
                                   "(the reasons are listed above)")


def _early_sandbox(isolation: str | None, trusted: bool):
    """The first sandbox, started now (sandbox/early.py), or None where its isolation level is
    misnamed or refused: grade() then says so."""
    from autograder.config import limits
    from autograder.sandbox import levels
    from autograder.sandbox.early import EarlySandbox

    try:
        return EarlySandbox(limits(), levels.course_policy(isolation, trusted))
    except ValueError:
        return None


def summary_text(run) -> str:
    students = sorted(run.students, key=lambda s: s.student)
    lines = []
    if students:
        scores = [s.score for s in students if s.status != "error"]
        best = max((s.max_score for s in students), default=0)
        mean = sum(scores) / len(scores) if scores else 0.0
        full = sum(1 for s in students if s.max_score and s.score == s.max_score)
        lines.append(f"Graded {len(students)} submission(s) in {run.seconds:.1f} s: "
                     f"mean {mean:.1f} / {best:g}, {full} with full marks.")
    for s in students:
        if s.status != "graded":
            lines.append(f"  {s.student}: {s.status}: {s.problem}")
    hung = [f"{s.student} ({', '.join(s.hung)})" for s in students if s.hung]
    if hung:
        lines.append(f"Timed out: {len(hung)} submission(s), a function that ran past its "
                     f"limit: {', '.join(hung)}.")
    lines.append(f"Results: {run.out_dir}/<student>/results.json")
    if run.csv_path:
        lines.append(f"CSV:     {run.csv_path}")
    if run.gradebook_recorded:
        lines.append(f"Gradebook: {run.gradebook_recorded} submission(s) recorded in gradebook.db")
    return "\n".join(lines)


@click.command()
@click.argument("assignment", required=False)
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(),
              show_default=True, help="Notebooks graded in parallel.")
@click.option("--errata", is_flag=True,
              help="Also print the lecture examples whose transcript differs from the truth.")
@click.option("--no-oracle", is_flag=True, help="Skip the PyTorch autograd comparison.")
@click.pass_obj
@stops_cleanly
@friendly_errors
def validate(root, assignment, workers, errata, no_oracle):
    """Prove every grader is right both ways, and the course material is consistent.

    \b
    For each assignment (default: all):
      - source notebooks match reference/ and the release leaks nothing;
      - the reference earns full marks and the release stubs earn zero,
        graded by the same isolated engine that grades students;
      - every mutant (an edit of the reference, beside its function's checks
        in autograder/graders/<topic>/) loses points on its own function,
        keeps full marks elsewhere and is told the name of its mistake (the
        share of mutants told their mistake must be 100%);
      - answers that compute nothing (return a constant, None, zeros or their
        first argument, or raise), made for every graded function from the
        reference signatures, earn no point on any check;
      - every worked example of the lectures holds for the reference;
      - the reference backward passes agree with PyTorch autograd (if installed).
    Exits non-zero on any failure.
    """
    from autograder.validate.run import examples_table, summary, table
    from autograder.validate.run import validate as run_validation

    result = run_validation(assignment, root=root, workers=workers, with_oracle=not no_oracle,
                            on_step=lambda text: click.echo(f"... {text}", err=True))
    click.echo(table(result))
    click.echo("")
    click.echo(summary(result))
    ran_at = sorted({report.isolation for report in result.mutation if report.isolation})
    click.echo(f"isolation: {', '.join(ran_at) or 'none needed'} (validate runs only the "
               "instructor's code, so no minimum applies)")
    click.echo("")
    click.echo(examples_table(result, errata_only=errata))
    if result.oracle_skipped:
        click.echo(f"\nautograd oracle skipped: {result.oracle_skipped}")
    elif result.oracle:
        passed = sum(ok for _, ok, _ in result.oracle)
        click.echo(f"\nautograd oracle: {passed}/{len(result.oracle)} backward passes agree "
                   "with PyTorch")
    notes = [n for report in result.mutation for n in report.notes]
    if notes:
        click.echo(f"\n{len(notes)} grader(s) that no mutant makes fail (add a mutant):")
        for note in notes:
            click.echo(f"  {note}")
    if result.problems:
        click.echo(f"\n{len(result.problems)} problem(s):", err=True)
        for problem in result.problems:
            click.echo(f"  FAIL {problem}", err=True)
        raise click.ClickException("validation failed")
    click.echo("\nvalidation passed")


@click.command()
@click.argument("assignment")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The zip to write (default: dist/<ASSIGNMENT>-autograder.zip).")
@click.option("--try", "try_notebooks", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Then grade this notebook as Gradescope would, in a throwaway container "
                   "made on this machine (needs root; repeatable).")
@click.pass_obj
@friendly_errors
def gradescope(root, assignment, out_path, try_notebooks):
    """Build the Gradescope autograder zip of ASSIGNMENT.

    \b
    Upload the zip as the assignment's autograder (Configure Autograder ->
    Zip file upload). Gradescope runs its setup.sh once, as root, to install
    the pinned packages and the sandbox user; then run_autograder grades each
    submission's one notebook with the same engine, graders and limits as
    `nnfs-course grade`. The zip holds the package, the hidden graders,
    reference/ and course_config.py; never tests, release/ or students' work.

    \b
    Try it before uploading (as root; bubblewrap is left out, as on Gradescope):
      nnfs-course gradescope 01_forward_pass --try source/01_forward_pass/01_forward_pass.ipynb
    """
    from autograder.gradescope.build import build as build_zip

    path = build_zip(assignment, out_path, root=root)
    click.echo(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    if try_notebooks:
        from autograder.gradescope import local

        with local.container(path, on_step=lambda text: click.echo(f"... {text}", err=True)) \
                as box:
            for notebook in try_notebooks:
                tried = local.try_notebook(box, notebook)
                isolation = tried.results.get("extra_data", {}).get("isolation", "?")
                click.echo(f"{notebook}: {tried.results['score']:g} points in "
                           f"{tried.seconds:.1f} s (isolation {isolation})")
                click.echo(tried.results["output"])
