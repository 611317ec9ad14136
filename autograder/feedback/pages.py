"""One standalone HTML feedback page per student, built only from their results.json.

A page shows the score per function and per check, and for every failed check what was called,
what came back, what was expected and the known mistake that explains it, with the lecture that
covers it. It never shows a hidden test's or a reference solution's source: nothing but
results.json is read, and every text passes through a Scrubber (see scrub.py) before rendering.
Pages follow nbgrader's layout, `<out_dir>/<student>/<assignment>/<assignment>.html`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from autograder.config import COURSE_ROOT, get_assignment, lecture_name
from autograder.feedback.render import render
from autograder.feedback.results import (
    StudentResult,
    TestResult,
    default_results_dir,
    load_results,
)
from autograder.feedback.scrub import Scrubber

# How each line of a failed check's output is shown, by how it starts (see harness.check_close).
_LINE_KINDS = [
    ("Called ", "called"),
    ("It returned", "returned"),
    ("It raised", "returned"),
    ("It did not return", "returned"),
    ("It changed", "returned"),
    ("Expected", "expected"),
]
_MISTAKE = "Known mistake: "
_SEE = re.compile(r"\s*\(see (lecture .*)\)\s*$")


def default_feedback_dir(root: Path = COURSE_ROOT) -> Path:
    return root / "feedback"


def feedback_path(out_dir: Path, student: str, assignment_id: str) -> Path:
    return Path(out_dir) / student / assignment_id / f"{assignment_id}.html"


def write_feedback(
    assignment_id: str,
    results_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    root: Path = COURSE_ROOT,
    scrubber: Scrubber | None = None,
) -> list[Path]:
    """Write every student's feedback page for `assignment_id`; return the pages' paths.

    results_dir defaults to `<root>/grades/<assignment>/`, out_dir to `<root>/feedback/`.
    Raises FeedbackError when there are no results, ConfigError for an unknown assignment.
    """
    assignment = get_assignment(assignment_id)
    results_dir = Path(results_dir) if results_dir else default_results_dir(assignment_id, root)
    out_dir = Path(out_dir) if out_dir else default_feedback_dir(root)
    scrub = scrubber if scrubber is not None else Scrubber.for_course(root)
    paths = []
    for result in load_results(assignment_id, results_dir):
        html = render_page(result, assignment, scrub)
        path = feedback_path(out_dir, result.student, assignment_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths


def render_page(result: StudentResult, assignment, scrub: Scrubber) -> str:
    """The HTML page of one student's result (`assignment` is a config.Assignment)."""
    functions = _function_rows(result, assignment.functions, scrub)
    shown = [t for t in result.tests if t.visibility != "hidden"]
    hidden = [t for t in result.tests if t.visibility == "hidden"]
    return render(
        "page.html.j2",
        title=f"{assignment.title}: feedback for {result.student}",
        assignment=assignment,
        lectures=[lecture_name(n) for n in assignment.lectures],
        result=result,
        percent=_percent(result.score, result.max_score),
        problem=scrub(result.problem),
        cell_errors=[(scrub(c.place), scrub(c.error) or c.status) for c in result.cell_errors],
        functions=functions,
        groups=_groups(shown, functions, scrub),
        hidden=(len(hidden), sum(t.score for t in hidden), sum(t.max_score for t in hidden)),
        summary=scrub(result.output),
        failed_count=sum(not t.passed for t in shown),
    )


@dataclass
class FunctionRow:
    name: str
    score: float
    max_score: float
    percent: float

    @property
    def anchor(self) -> str:
        return "fn-" + _slug(self.name)

    @property
    def state(self) -> str:
        if self.max_score and self.score >= self.max_score:
            return "full"
        return "partial" if self.score > 0 else "none"


@dataclass
class Check:
    test: TestResult
    name: str
    lines: list[tuple[str, str]]  # (kind, text)
    mistake: dict | None  # title, explanation, lecture, anchor (explained once per function)


@dataclass
class Group:
    row: FunctionRow
    checks: list[Check]
    mistakes: list[dict]  # each known mistake of the function once, in the order first seen

    @property
    def anchor(self) -> str:
        return self.row.anchor


def _function_rows(result: StudentResult, configured: list[str], scrub) -> list[FunctionRow]:
    names = [f for f in configured if f in result.functions]
    names += [f for f in result.functions if f not in names]
    names += [t.function for t in result.tests if t.function not in names]
    rows = []
    for name in dict.fromkeys(names):
        if name in result.functions:
            score, best = result.functions[name]
        else:
            tests = [t for t in result.tests if t.function == name]
            score, best = sum(t.score for t in tests), sum(t.max_score for t in tests)
        rows.append(FunctionRow(scrub(name), score, best, _percent(score, best)))
    return rows


def _groups(tests: list[TestResult], functions: list[FunctionRow], scrub) -> list[Group]:
    """A Group per function with checks, in the functions' order; a known mistake is explained
    once per function, and each check it explains points to it."""
    by_function: dict[str, list[Check]] = {}
    for test in tests:
        by_function.setdefault(scrub(test.function), []).append(_check(test, scrub))
    groups = []
    for row in functions:
        if row.name not in by_function:
            continue
        mistakes: dict[str, dict] = {}
        for check in by_function[row.name]:
            if check.mistake is None:
                continue
            first = mistakes.setdefault(check.mistake["title"], {
                **check.mistake, "anchor": f"mistake-{_slug(row.name)}-{len(mistakes) + 1}"})
            first["explanation"] = first["explanation"] or check.mistake["explanation"]
            first["lecture"] = first["lecture"] or check.mistake["lecture"]
            check.mistake = first
        groups.append(Group(row, by_function[row.name], list(mistakes.values())))
    return groups


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def _check(test: TestResult, scrub) -> Check:
    name = scrub(test.name.removeprefix(f"{test.function}: "))
    if test.passed:
        return Check(test, name, [], None)
    output = scrub(test.output)
    if test.outcome == "error":
        # The rest is the grader's own traceback: for the instructor, not the student.
        first = output.strip().splitlines()[0] if output.strip() else ""
        return Check(test, name, [("note", first or "The grader could not finish this check.")],
                     None)
    lines, mistake_line = [], None
    for line in output.splitlines():
        if line.startswith(_MISTAKE) and mistake_line is None:
            mistake_line = line
        elif line.strip():
            lines.append((_kind(line), line))
    return Check(test, name, lines, _mistake(test, mistake_line, scrub))


def _kind(line: str) -> str:
    return next((kind for prefix, kind in _LINE_KINDS if line.startswith(prefix)), "note")


def _mistake(test: TestResult, line: str | None, scrub) -> dict | None:
    if line is None and test.mistake is None:
        return None
    title = scrub(test.mistake) if test.mistake else ""
    explanation, lecture = "", None
    if line is not None:
        rest = line[len(_MISTAKE):]
        if title and rest.startswith(title):
            rest = rest[len(title):].removeprefix(".").strip()
        elif not title:
            title, _, rest = rest.partition(". ")
        see = _SEE.search(rest)
        if see:
            lecture, rest = see.group(1), rest[: see.start()]
        explanation = rest.strip()
    if test.lecture:
        lecture = lecture_name(test.lecture)
    return {"title": title.rstrip("."), "explanation": explanation, "lecture": lecture}


def _percent(score: float, best: float) -> float:
    return 100.0 * score / best if best else 0.0
