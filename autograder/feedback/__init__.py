"""Feedback from grading results: students' pages, the instructor's report, the gradebook export.

Each reads only what `nnfs-course grade` wrote (`grades/<assignment>/<student>/results.json`)
or nbgrader's gradebook; no page ever shows the graders' or the reference solutions' source.

The writers load matplotlib and nbgrader, so they are imported on first use: every command
catches FeedbackError, and must not pay for them.
"""

from autograder.feedback.results import FeedbackError

_LAZY = {
    "export_gradebook": "autograder.feedback.export",
    "write_feedback": "autograder.feedback.pages",
    "write_report": "autograder.feedback.report",
}

__all__ = ["FeedbackError", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
