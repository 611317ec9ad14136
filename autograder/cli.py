"""The `nnfs-course` command line: each command parses its options, calls the library, reports."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from autograder.config import COURSE_ROOT, ConfigError, select
from autograder.lms_cli import export_lms, lms_options
from autograder.sandbox.levels import LEVELS

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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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
      - every mutant (an exercise's in autograder/graders/<topic>/, or in
        autograder/mutants/) loses points on its own function,
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


@cli.command()
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


# The instructor's commands after grading live in their own module (library first, one each).
from autograder import instructor_cli  # noqa: E402

for _command in (instructor_cli.publish, instructor_cli.similarity):
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
