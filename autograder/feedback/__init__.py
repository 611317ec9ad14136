"""Feedback from grading results: students' pages, the instructor's report, the gradebook export.

Each reads only what `nnfs-course grade` wrote (`grades/<assignment>/<student>/results.json`)
or nbgrader's gradebook; no page ever shows the graders' or the reference solutions' source.
"""

from autograder.feedback.export import export_gradebook
from autograder.feedback.pages import write_feedback
from autograder.feedback.report import write_report
from autograder.feedback.results import FeedbackError

__all__ = ["FeedbackError", "export_gradebook", "write_feedback", "write_report"]
