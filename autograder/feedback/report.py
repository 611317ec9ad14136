"""The instructor's class report of one assignment: a standalone HTML file (charts inlined).

It shows the score distribution, the pass rate of every function and every check, the most
common named mistakes with the students who made them, the submissions that failed to run or had
failing cells, and any check whose grader broke. Built from the same results.json files as the
students' pages; this one is for the instructor, so nothing is withheld.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.config import COURSE_ROOT, get_assignment, lecture_name
from autograder.feedback import charts
from autograder.feedback.render import render
from autograder.feedback.results import default_results_dir, load_results
from autograder.feedback.stats import class_stats


def default_report_path(assignment_id: str, root: Path = COURSE_ROOT) -> Path:
    return root / "reports" / f"{assignment_id}.html"


def write_report(
    assignment_id: str,
    results_dir: Path | None = None,
    out_path: Path | None = None,
    *,
    root: Path = COURSE_ROOT,
    feedback_dir: Path | None = None,
) -> Path:
    """Write the class report of `assignment_id` and return its path.

    results_dir defaults to `<root>/grades/<assignment>/`, out_path to
    `<root>/reports/<assignment>.html`. The student table links each student to their feedback
    page under feedback_dir (default `<root>/feedback/`, where `nnfs-course feedback` writes).
    Raises FeedbackError when there are no results, ConfigError for an unknown assignment.
    """
    from autograder.feedback.pages import default_feedback_dir, feedback_path

    assignment = get_assignment(assignment_id)
    results_dir = Path(results_dir) if results_dir else default_results_dir(assignment_id, root)
    out_path = Path(out_path) if out_path else default_report_path(assignment_id, root)
    stats = class_stats(load_results(assignment_id, results_dir), assignment.functions)
    feedback_dir = Path(feedback_dir) if feedback_dir else default_feedback_dir(root)
    here = out_path.parent.resolve()
    links = {r.student: Path(os.path.relpath(
        feedback_path(feedback_dir, r.student, assignment_id).resolve(), here)).as_posix()
        for r in stats.results}
    html = render(
        "report.html.j2",
        title=f"{assignment.title}: class report",
        assignment=assignment,
        results_dir=str(results_dir),
        stats=stats,
        summary=stats.summary(),
        lecture_name=lecture_name,
        links=links,
        histogram=charts.both(charts.score_histogram, stats.scores, stats.max_score),
        function_chart=charts.both(charts.rate_bars, [f.name for f in stats.functions],
                                   [f.rate for f in stats.functions]),
        test_chart=charts.both(charts.rate_bars, [t.name for t in stats.tests],
                               [t.rate for t in stats.tests]),
        rate_class=_rate_class,
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


def _rate_class(rate: float) -> str:
    return "good" if rate >= 0.8 else "fair" if rate >= 0.5 else "poor"
