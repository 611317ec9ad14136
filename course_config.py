"""The one configuration file of the course.

Everything the tools need lives here: the course id, the assignments (with the lectures they draw
on), the limits student code runs under, and nbgrader's settings. nbgrader reads it through the
two-line `nbgrader_config.py` beside it, so `nbgrader ...` commands run in this folder and
`nnfs-course ...` commands see the same settings.
"""

import os

COURSE_ID = "nnfs"

# The lecture transcripts the course is built from, as feedback and notebooks name them.
LECTURES = {
    "004": "01/05 Overview of Deep Learning",
    "001": "01/06 Neural Networks from Scratch Pt 1",
    "002": "Workshop: 2 Neurons",
    "000": "01/08 Neural Networks from Scratch Pt 3",
    "003": "Notes: the training loop",
}

# Each assignment: its id (also the notebook's name), a title, the lectures it draws on, and the
# module of `reference/` holding its solutions. Its graded functions are not listed here: an
# exercise lives in its reference function, its lesson (`<!-- solution: NAME -->` in
# reference/lessons/<id>.md) and its entry in the graders folder autograder/graders/<topic>/, which
# states its points beside each check and gives the order of the results (see
# docs/adding-an-exercise.md).
# "due" (optional) is nbgrader's due date, e.g. "2026-10-05 23:59:00 Europe/Berlin" (a time zone
# name or offset; UTC if none). `grade` and `release` record it in the gradebook; a submission
# whose timestamp.txt is later is late, and gets the penalty of LATE_PENALTY below.
ASSIGNMENTS = [
    {
        "id": "01_forward_pass",
        "title": "The forward pass",
        "lectures": ["004", "001", "003"],
        "module": "reference.forward_pass",
        "due": None,
    },
    {
        "id": "02_backpropagation",
        "title": "Backpropagation",
        "lectures": ["002", "000"],
        "module": "reference.backpropagation",
        "due": None,
    },
    {
        "id": "03_optimizers",
        "title": "Optimizers",
        "lectures": ["000", "004"],
        "module": "reference.optimizers",
        "due": None,
    },
    {
        "id": "04_training",
        "title": "Training a network from scratch",
        "lectures": ["003", "002"],
        "module": "reference.training",
        "due": None,
    },
]

# Limits for student code. Times are wall-clock seconds, except a call's, which are CPU seconds.
LIMITS = {
    # A call of a student function gets call_reference_multiple times the reference's own time
    # on the same inputs, and never less than call_floor_seconds. The reference's times are
    # measured on the hidden graders' calls and kept in autograder/graders/reference_times.json;
    # `nnfs-course times` measures them again (run it when the graders or reference/ change).
    # These are seconds of CPU time, which a busy machine or Gradescope's 0.5 vCPU does not
    # stretch; a call may take four times as long by the wall clock (waiting included). The floor
    # is for a fair but slow answer: plain Python loops on the graders' inputs take a few
    # milliseconds. Importing a module inside a call (SciPy, or pyplot: about 0.25 s) is not
    # charged to its CPU time, only to its wall-clock allowance.
    "call_floor_seconds": 0.25,
    "call_reference_multiple": 50,
    "call_seconds": 10,  # a call whose reference time is not measured
    "cell_seconds": 30,  # one notebook cell while the submission loads
    "submission_seconds": 300,  # everything one submission may use
    "memory_mb": 1024,  # address space a student process may add
    "processes": 16,  # processes a submission may run at once
    "output_bytes": 1_000_000,  # what a submission may print
    # A function's limit, set outright (it replaces the measured one). Training gets its own:
    # the reference's plain vectorised NumPy loop (10001 epochs on the 300-point spiral) takes
    # about 1.5 s on a 2-core grading machine; a student's loop that is ten times slower on a
    # machine four times slower still finishes.
    "call_seconds_by_function": {"train_classifier": 60},
}

# Isolation of student code. `nnfs-course grade` runs student code only at an isolation level that
# keeps every promise listed here, and refuses to grade where none can start (see the README's
# "Isolation"). The promises: student code cannot "read" the graders, the reference or other
# students' work, "write" outside its scratch folder, "signal" a process outside its sandbox,
# "connect" to the network or a local socket, "see" other processes, or "outlive" the run.
# Leave out a promise only for a machine where you accept that; the Gradescope bundle keeps its
# own minimum whatever this says, and no level that breaks "write" grades untrusted notebooks.
ISOLATION_MINIMUM = ["read", "write", "signal", "connect", "see", "outlive"]

# Gradescope (`nnfs-course gradescope`). Which tests students see, with Gradescope's `visibility`
# values: "visible" (always), "after_due_date", "after_published" (once grades are published) or
# "hidden". `visibility_by_function` overrides it for the checks of one function. The stdout of a
# run (which isolation level ran, and any traceback of the autograder) is for the instructor.
GRADESCOPE = {
    "visibility": "visible",
    "visibility_by_function": {},
    "stdout_visibility": "hidden",
}

# Optional roster: student id -> first_name / last_name / email, as formgrader and
# `nbgrader export` show them. A student not listed appears under their id.
STUDENTS = {}

# What a late submission loses, as nbgrader's LateSubmissionPlugin computes it: "none" (marked
# late, no penalty) or "zero" (the score of a late notebook becomes zero).
LATE_PENALTY = "none"

# nbgrader's exchange, through which students fetch releases and submit on a shared JupyterHub
# or server (`nbgrader release_assignment`, `fetch_assignment`, `submit`, `collect`). It must
# exist and be writable by every student: `mkdir -p DIR && chmod 777 DIR`. NNFS_EXCHANGE
# overrides it (the tests use a scratch exchange that way).
EXCHANGE_ROOT = os.environ.get("NNFS_EXCHANGE", "/srv/nbgrader/exchange")

# nbgrader's settings, applied when nbgrader loads this file (see nbgrader_config.py).
NBGRADER = {
    "CourseDirectory": {
        "course_id": COURSE_ID,
        # Only notebooks go to students: nothing else in source/<id>/ is released. `collect`
        # copies with the same filter, so it must let nbgrader's timestamp.txt through.
        "include": ["*.ipynb", "timestamp.txt"],
        "ignore": [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.md", "*.py"],
    },
    # Cells for the instructor's eyes only (expected outcomes) never reach a release.
    "GenerateAssignment": {
        "preprocessors": [
            "autograder.pipeline.instructor.DropInstructorCells",
            "nbgrader.preprocessors.IncludeHeaderFooter",
            "nbgrader.preprocessors.InstantiateTests",
            "nbgrader.preprocessors.LockCells",
            "nbgrader.preprocessors.ClearSolutions",
            "nbgrader.preprocessors.ClearOutput",
            "nbgrader.preprocessors.CheckCellMetadata",
            "nbgrader.preprocessors.ComputeChecksums",
            "nbgrader.preprocessors.SaveCells",
            "nbgrader.preprocessors.ClearHiddenTests",
            "nbgrader.preprocessors.ClearMarkScheme",
            "nbgrader.preprocessors.ComputeChecksums",
            "nbgrader.preprocessors.CheckCellMetadata",
        ],
    },
    "ClearSolutions": {
        "code_stub": {"python": "# YOUR CODE HERE\nraise NotImplementedError()"},
    },
    "ExecutePreprocessor": {"timeout": 300},
    "Exchange": {"root": EXCHANGE_ROOT},
    "LateSubmissionPlugin": {"penalty_method": LATE_PENALTY},
}


def apply_nbgrader_config(c):
    """Copy NBGRADER into a traitlets config object `c` (nbgrader's `get_config()`)."""
    for section, values in NBGRADER.items():
        for key, value in values.items():
            setattr(getattr(c, section), key, value)
    return c
