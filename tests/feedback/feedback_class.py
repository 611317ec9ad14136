"""One helper for the feedback tests: a tiny class of Gradescope results.json files.

`check` builds one test result, `write_student` one student's results.json (scores and the
per-function totals are summed from the checks, as `nnfs-course grade` does), and
`write_tiny_class` the class most tests use:

| student | dot_product:   | dot_product:  | softmax:      | softmax:     | notes                 |
|         | example (1 pt) | random (2)    | example (2)   | large (3)    |                       |
|---------|----------------|---------------|---------------|--------------|-----------------------|
| alice   | pass           | pass          | pass          | pass         | 8/8                   |
| bob     | SUMMED         | pass          | pass          | NOSHIFT      | 4/8                   |
| carol   | SUMMED         | pass          | pass          | pass         | a cell fails, 7/8     |
| dave    | -              | -             | -             | -            | failed to run, 0/8    |
| eve     | pass           | raised SCRIPT | pass          | pass         | 6/8                   |
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.config import lecture_name

ASSIGNMENT = "01_forward_pass"
SUMMED = ("summed a only", "A dot product multiplies a[i] * b[i] pairwise before summing.", "001")
NOSHIFT = ("softmax without the max shift",
           "exp overflows for large logits; subtract each row's max first.", "000")
SCRIPT = "<script>alert('pwned')</script>"
CAROL_CELL = "the answer cell of `softmax` (section “2. Softmax: `softmax`”)"


def mistake_output(called: str, returned: str, expected: str, mistake=None) -> str:
    """A failed check's output as harness.check_close writes it."""
    lines = [f"Called {called}", f"It returned {returned}", f"Expected    {expected}",
             "The values differ: 6 instead of 32 (tolerance rtol=1e-06, atol=1e-08)."]
    if mistake:
        title, explanation, lecture = mistake
        lines.append(f"Known mistake: {title}. {explanation} (see {lecture_name(lecture)})")
    return "\n".join(lines)


def check(function, description, points=1.0, *, outcome="passed", output="", mistake=None,
          visibility="visible") -> dict:
    """One Gradescope test entry; `mistake` is a (title, explanation, lecture) triple."""
    return {
        "name": f"{function}: {description}",
        "score": points if outcome == "passed" else 0.0,
        "max_score": points,
        "output": output,
        "visibility": visibility,
        "tags": [function],
        "extra_data": {
            "function": function,
            "outcome": outcome,
            "mistake": mistake[0] if mistake else None,
            "lecture": mistake[2] if mistake else None,
        },
    }


def write_student(results_dir: Path, student: str, tests: list[dict], *, status="graded",
                  problem="", cells=(), output="", functions=None, max_score=None) -> Path:
    """Write `<results_dir>/<student>/results.json`; return its path."""
    for number, test in enumerate(tests, 1):
        test["number"] = str(number)
    if functions is None:
        functions = {}
        for test in tests:
            name = test["extra_data"]["function"]
            f = functions.setdefault(name, {"score": 0.0, "max_score": 0.0})
            f["score"] += test["score"]
            f["max_score"] += test["max_score"]
    results = {
        "score": sum(t["score"] for t in tests),
        "max_score": max_score if max_score is not None else sum(t["max_score"] for t in tests),
        "execution_time": 0.5,
        "output": output or f"{student}: graded",
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "student": student, "assignment": ASSIGNMENT,
            "notebook": f"submitted/{student}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
            "status": status, "problem": problem, "isolation": "bubblewrap",
            "cells": list(cells), "functions": functions,
        },
        "tests": tests,
    }
    path = Path(results_dir) / student / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return path


DOT_CALL = "dot_product(array([1., 2., 3.]) (shape (3,)), array([4., 5., 6.]) (shape (3,)))"


def class_checks(dot_example=None, dot_random=None, soft_large=None) -> list[dict]:
    """The class's four checks; each argument replaces one passing check with a failing one."""
    return [
        dot_example or check("dot_product", "lecture example (lecture 001)", 1),
        dot_random or check("dot_product", "random vectors", 2),
        check("softmax", "lecture example", 2),
        soft_large or check("softmax", "large logits", 3),
    ]


def write_tiny_class(results_dir: Path) -> Path:
    """The class in the module docstring; returns `results_dir`."""
    summed = check("dot_product", "lecture example (lecture 001)", 1, outcome="failed",
                   output=mistake_output(DOT_CALL, "6.0", "32.0", SUMMED), mistake=SUMMED)
    noshift = check("softmax", "large logits", 3, outcome="failed",
                    output=mistake_output("softmax(array([[1000., 0.]]))", "array([[nan, 0.]])",
                                          "array([[1., 0.]])", NOSHIFT), mistake=NOSHIFT)
    raised = check("dot_product", "random vectors", 2, outcome="failed",
                   output=f"Called {DOT_CALL}\nIt raised ValueError: {SCRIPT}")
    write_student(results_dir, "alice", class_checks())
    write_student(results_dir, "bob", class_checks(dot_example=summed, soft_large=noshift))
    write_student(results_dir, "carol", class_checks(dot_example=summed),
                  cells=[{"index": 3, "status": "error",
                          "error": "NameError: name 'np' is not defined",
                          "where": CAROL_CELL}])
    write_student(results_dir, "dave", [], status="failed-to-run",
                  problem="the notebook is not valid JSON (line 3)",
                  functions={"dot_product": {"score": 0.0, "max_score": 3.0},
                             "softmax": {"score": 0.0, "max_score": 5.0}}, max_score=8.0)
    write_student(results_dir, "eve", class_checks(dot_random=raised))
    return Path(results_dir)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of every body cell of the `<table id=table_id>` in `html`, row by row."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.body, self.rows, self.cell = False, False, [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.inside = dict(attrs).get("id") == table_id
            elif self.inside and tag == "tbody":
                self.body = True
            elif self.inside and self.body and tag == "tr":
                self.rows.append([])
            elif self.inside and self.body and tag == "td":
                self.cell = []

        def handle_endtag(self, tag):
            if tag == "td" and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "table":
                self.inside = self.body = False

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(html)
    return parser.rows
